//! Writing JSON text by hand, byte for byte as `serde_json` writes it: for list writers that
//! put thousands of objects into one buffer without building each one first.

/// What serde_json writes after a backslash for each byte it escapes (`u`: `\u00XX`), or 0.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b'u';
        b += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The escape sequence of `byte` as serde_json writes it, into `seq`; returns its length.
fn escape_seq(byte: u8, seq: &mut [u8; 6]) -> usize {
    match ESCAPE[usize::from(byte)] {
        b'u' => {
            *seq = [
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xf)],
            ];
            6
        }
        c => {
            seq[0] = b'\\';
            seq[1] = c;
            2
        }
    }
}

/// Writes `s` as a JSON string (quotes included), escaped as serde_json does.
pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    write_escaped(out, s.as_bytes());
    out.push(b'"');
}

/// Whether any of the eight bytes in `w` is one that JSON escapes: below 0x20, `"` or `\`.
/// Exact (the classic "has a zero byte" and "has a byte less than" tests).
#[inline]
fn any_to_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w;
    let quote = w ^ (ONES * u64::from(b'"'));
    let backslash = w ^ (ONES * u64::from(b'\\'));
    let zero_in = |x: u64| x.wrapping_sub(ONES) & !x;
    (below_space | zero_in(quote) | zero_in(backslash)) & HIGH != 0
}

/// The contents of a JSON string holding `bytes`, without the quotes. Runs of eight bytes
/// with nothing to escape are passed over a word at a time.
fn write_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        let end = (at + 8).min(bytes.len());
        if let Ok(word) = <[u8; 8]>::try_from(&bytes[at..end]) {
            if !any_to_escape(u64::from_le_bytes(word)) {
                at = end;
                continue;
            }
        }
        for (i, &b) in bytes.iter().enumerate().take(end).skip(at) {
            if ESCAPE[usize::from(b)] == 0 {
                continue;
            }
            out.extend_from_slice(&bytes[start..i]);
            let mut seq = [0u8; 6];
            let n = escape_seq(b, &mut seq);
            out.extend_from_slice(&seq[..n]);
            start = i + 1;
        }
        at = end;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// Writes `s` as a JSON string inside the text of another JSON string: the quoted, escaped
/// string, escaped once more.
pub(crate) fn write_str_in_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(b"\\\"");
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if ESCAPE[usize::from(b)] == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        let mut seq = [0u8; 6];
        let n = escape_seq(b, &mut seq);
        // An escape sequence holds no byte to escape but its backslash and a quote.
        write_escaped(out, &seq[..n]);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.extend_from_slice(b"\\\"");
}

/// Writes an integer in decimal, as serde_json does (with the same `itoa`).
pub(crate) fn write_int(out: &mut Vec<u8>, n: i64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Writes a UUID as a JSON string in its hyphenated lower-case form, as its `Serialize` does.
pub(crate) fn write_uuid(out: &mut Vec<u8>, id: &uuid::Uuid) {
    let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
    out.push(b'"');
    out.extend_from_slice(id.hyphenated().encode_lower(&mut buf).as_bytes());
    out.push(b'"');
}

/// Writes `true` or `false`.
pub(crate) fn write_bool(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(s: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_escape_like_serde_json_at_every_position() {
        // Every ASCII byte and a few multi-byte characters, at each offset of texts longer
        // and shorter than one eight-byte word.
        let mut specials: Vec<char> = (0u8..0x80).map(char::from).collect();
        specials.extend(['é', '€', '😀', '\u{7f}', '\u{2028}']);
        for c in specials {
            for len in 0..20 {
                for at in 0..=len {
                    let mut s: String = "abcdefghijklmnopqrst"[..len].to_owned();
                    s.insert(at, c);
                    assert_eq!(ours(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
                }
            }
        }
        let mixed = "quote \" back \\ tab \t nl \n nul \0 bell \u{7} ünï \u{1f}";
        assert_eq!(ours(mixed), serde_json::to_string(mixed).unwrap());
    }

    #[test]
    fn word_test_finds_exactly_the_bytes_to_escape() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut word = [b'a'; 8];
                word[pos] = b;
                let expected = b < 0x20 || b == b'"' || b == b'\\';
                assert_eq!(
                    any_to_escape(u64::from_le_bytes(word)),
                    expected,
                    "{b:#x}@{pos}"
                );
            }
        }
    }

    #[test]
    fn integers_write_like_serde_json() {
        for n in [0, 1, -1, 9, 10, 1_700_000_000, i64::MAX, i64::MIN] {
            let mut out = Vec::new();
            write_int(&mut out, n);
            assert_eq!(out, serde_json::to_vec(&n).unwrap());
        }
    }
}
