//! App passwords: 29 characters `XXXXX-XXXXX-XXXXX-XXXXX-XXXXX` (what the browser extension
//! accepts), stored only as a keyed hash.

use rand::Rng;

use crate::crypto::SecretKey;

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A new random app password (25 alphanumerics, about 149 bits).
pub fn generate() -> String {
    let mut rng = rand::rngs::OsRng;
    let mut out = String::with_capacity(29);
    for group in 0..5 {
        if group > 0 {
            out.push('-');
        }
        for _ in 0..5 {
            out.push(ALPHABET[rng.gen_range(0..ALPHABET.len())] as char);
        }
    }
    out
}

/// Whether `secret` has the shape of an app password.
pub fn looks_like_token(secret: &str) -> bool {
    let b = secret.as_bytes();
    b.len() == 29
        && b.iter().enumerate().all(|(i, c)| {
            if i % 6 == 5 {
                *c == b'-'
            } else {
                c.is_ascii_alphanumeric()
            }
        })
}

/// The keyed hash under which a token is stored.
pub fn token_hash(key: &SecretKey, token: &str) -> Vec<u8> {
    key.mac(token.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_have_the_extension_format() {
        for _ in 0..100 {
            let t = generate();
            assert_eq!(t.len(), 29);
            assert!(looks_like_token(&t), "{t}");
        }
        assert_ne!(generate(), generate());
        assert!(!looks_like_token("abcde-fghij-klmno-pqrst-uvwx"));
        assert!(!looks_like_token("abcdefghijklmnopqrstuvwxyz123"));
        assert!(!looks_like_token("abcde-fghij-klmno-pqrst-uvw!y"));
    }

    #[test]
    fn hashes_are_keyed() {
        let t = generate();
        let a = token_hash(&SecretKey::from_bytes([1; 32]), &t);
        let b = token_hash(&SecretKey::from_bytes([2; 32]), &t);
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
    }
}
