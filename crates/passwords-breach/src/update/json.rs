//! A streaming reader of one entry's JSON payload: a list of hash strings, or an object whose
//! values are hash strings (the reference writes an object when its de-duplication left
//! gaps). Memory: one read buffer, whatever the size of the payload.

use std::io::Read;

use crate::localdb::parse_sha1;

/// Longest object key accepted (the reference's keys are list positions).
const MAX_KEY: usize = 64;

struct Lexer<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
}

impl<R: Read> Lexer<R> {
    fn next(&mut self) -> Result<Option<u8>, String> {
        if self.pos == self.len {
            self.len = loop {
                match self.inner.read(&mut self.buf) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e.to_string()),
                }
            };
            self.pos = 0;
            if self.len == 0 {
                return Ok(None);
            }
        }
        let b = self.buf[self.pos];
        self.pos += 1;
        Ok(Some(b))
    }

    /// The next byte that is not JSON white space.
    fn next_token(&mut self) -> Result<Option<u8>, String> {
        loop {
            match self.next()? {
                Some(b' ' | b'\t' | b'\n' | b'\r') => {}
                other => return Ok(other),
            }
        }
    }

    /// Reads the rest of a string (after its opening quote) into `out`, at most `max` bytes.
    fn string(&mut self, out: &mut Vec<u8>, max: usize) -> Result<(), String> {
        out.clear();
        loop {
            match self.next()? {
                None => return Err("unexpected end of the JSON text".into()),
                Some(b'"') => return Ok(()),
                Some(b'\\') => {
                    let Some(c) = self.next()? else {
                        return Err("unexpected end of the JSON text".into());
                    };
                    out.push(b'\\');
                    out.push(c);
                }
                Some(c) => out.push(c),
            }
            if out.len() > max {
                return Err("a string is too long to be a hash".into());
            }
        }
    }
}

/// Reads a payload and calls `hash` for each hash; every hash must be 40 hex digits and its
/// first 3 digits must be `prefix` (0..4096). Returns the number of hashes.
pub(super) fn read_hashes<R: Read>(
    reader: R,
    prefix: u16,
    hash: &mut dyn FnMut(&[u8; 20]) -> Result<(), String>,
) -> Result<u64, String> {
    let mut lx = Lexer {
        inner: reader,
        buf: vec![0u8; 64 * 1024].into_boxed_slice(),
        pos: 0,
        len: 0,
    };
    let (object, close) = match lx.next_token()? {
        Some(b'[') => (false, b']'),
        Some(b'{') => (true, b'}'),
        None => return Err("the entry is empty".into()),
        Some(_) => return Err("not a JSON list or object".into()),
    };
    let mut text = Vec::with_capacity(64);
    let mut count = 0u64;
    let mut first = true;
    loop {
        let mut t = lx.next_token()?;
        if first && t == Some(close) {
            break;
        }
        first = false;
        if object {
            if t != Some(b'"') {
                return Err("invalid JSON object: a key is missing".into());
            }
            lx.string(&mut text, MAX_KEY)?;
            if lx.next_token()? != Some(b':') {
                return Err("invalid JSON object: ':' is missing".into());
            }
            t = lx.next_token()?;
        }
        if t != Some(b'"') {
            return Err(format!(
                "invalid JSON: a string was expected after {count} hashes"
            ));
        }
        lx.string(&mut text, 40)?;
        let Some(h) = parse_sha1(&text) else {
            return Err(format!("invalid hash {:?}", String::from_utf8_lossy(&text)));
        };
        if u16::from_be_bytes([h[0], h[1]]) >> 4 != prefix {
            return Err(format!(
                "hash {} does not start with {prefix:03x}",
                String::from_utf8_lossy(&text)
            ));
        }
        hash(&h)?;
        count += 1;
        match lx.next_token()? {
            Some(b',') => {}
            Some(c) if c == close => break,
            None => return Err("unexpected end of the JSON text".into()),
            Some(_) => return Err("invalid JSON: ',' or the end was expected".into()),
        }
    }
    if lx.next_token()?.is_some() {
        return Err("unexpected text after the JSON value".into());
    }
    Ok(count)
}
