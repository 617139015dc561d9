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

/// The contents of a JSON string holding `bytes`, without the quotes.
fn write_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if ESCAPE[usize::from(b)] == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        let mut seq = [0u8; 6];
        let n = escape_seq(b, &mut seq);
        out.extend_from_slice(&seq[..n]);
        start = i + 1;
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

/// Writes an integer in decimal, as serde_json does.
pub(crate) fn write_int(out: &mut Vec<u8>, n: i64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut v = n.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if n < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[at..]);
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
