//! Decryption of the Nextcloud Passwords app's server-side encryption SSEv1 (`SSEv1r1`,
//! `SSEv1r2`): what is needed to migrate the reference app's backups.
//!
//! Each field is a Nextcloud `ICrypto` token `hex(C)|IV|hex(T)[|v]` made with a per-revision
//! *key string* K (r2: instance secret ‖ SSEv1ServerKey ‖ SSEv1UserKey ‖ revision sseKey; r1:
//! the same without the instance secret). Format 3: HKDF-SHA512(K) gives a 32-byte AES
//! password and a 32-byte MAC password; formats 2 and 1 use K for both. The AES key is
//! PBKDF2-HMAC-SHA1(AES password, "phpseclib", 1000, 16 bytes) — AES-128-CBC with PKCS#7; the
//! MAC key is the lowercase hex of SHA-512(MAC password ‖ "a"), and the tag is
//! HMAC-SHA512 over the token's C and IV texts as written. Format 1 takes the IV text as the
//! 16 IV bytes; later formats hex-decode it. The HMAC is checked (in constant time) before
//! anything is decrypted. Known-answer vectors: `tests/data/ssev1-vectors.json`.
//!
//! Key derivation (one PBKDF2 of 1000 rounds) is done once per key string and format, not
//! per field. Keys and plaintexts are wiped from memory when dropped.

use std::sync::OnceLock;

use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha512};
use zeroize::{Zeroize, Zeroizing};

type Aes128CbcDec = cbc::Decryptor<aes::Aes128>;
type Aes128CbcEnc = cbc::Encryptor<aes::Aes128>;
type HmacSha512 = Hmac<Sha512>;

/// phpseclib 2's default password salt.
const PBKDF2_SALT: &[u8] = b"phpseclib";
const PBKDF2_ROUNDS: u32 = 1000;

/// Why a token could not be decrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Ssev1Error {
    /// The token is not `C|IV|T` or `C|IV|T|v` with hex where hex belongs.
    #[error("the encrypted value is malformed ({0})")]
    Malformed(&'static str),
    /// The tag does not match: a wrong key (instance secret, server or user key) or
    /// changed data.
    #[error("HMAC does not match")]
    Hmac,
    /// The tag matched but the plaintext's padding is wrong (a key derived another way).
    #[error("the decrypted value has an invalid padding")]
    Padding,
}

/// The keys derived from one password (the AES key and the MAC key text).
struct Derived {
    aes: [u8; 16],
    mac: [u8; 128],
}

impl Drop for Derived {
    fn drop(&mut self) {
        self.aes.zeroize();
        self.mac.zeroize();
    }
}

impl Derived {
    fn new(aes_password: &[u8], mac_password: &[u8]) -> Self {
        let mut aes = [0u8; 16];
        pbkdf2::pbkdf2_hmac::<Sha1>(aes_password, PBKDF2_SALT, PBKDF2_ROUNDS, &mut aes);
        let mut hasher = Sha512::new();
        hasher.update(mac_password);
        hasher.update(b"a");
        let mut digest = hasher.finalize();
        let mut mac = [0u8; 128];
        hex::encode_to_slice(digest, &mut mac).expect("64 bytes are 128 hex digits");
        digest.zeroize();
        Self { aes, mac }
    }

    fn tag(&self, ct_text: &[u8], iv_text: &[u8]) -> HmacSha512 {
        let mut mac = HmacSha512::new_from_slice(&self.mac).expect("any key length");
        mac.update(ct_text);
        mac.update(iv_text);
        mac
    }
}

/// The key string of one revision, with the keys derived from it (computed on first use).
pub struct Ssev1Key {
    key: Zeroizing<Vec<u8>>,
    v3: OnceLock<Derived>,
    legacy: OnceLock<Derived>,
}

impl std::fmt::Debug for Ssev1Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Ssev1Key(<redacted>)")
    }
}

impl Ssev1Key {
    /// A key string given whole.
    pub fn from_bytes(key: &[u8]) -> Self {
        Self {
            key: Zeroizing::new(key.to_vec()),
            v3: OnceLock::new(),
            legacy: OnceLock::new(),
        }
    }

    /// SSEv1r2: instance secret ‖ server key ‖ user key ‖ revision key.
    pub fn r2(secret: &str, server_key: &str, user_key: &str, sse_key: &str) -> Self {
        Self::concat(&[secret, server_key, user_key, sse_key])
    }

    /// SSEv1r1 (legacy): server key ‖ user key ‖ revision key.
    pub fn r1(server_key: &str, user_key: &str, sse_key: &str) -> Self {
        Self::concat(&[server_key, user_key, sse_key])
    }

    fn concat(parts: &[&str]) -> Self {
        let mut key = Zeroizing::new(Vec::with_capacity(parts.iter().map(|p| p.len()).sum()));
        for p in parts {
            key.extend_from_slice(p.as_bytes());
        }
        Self {
            key,
            v3: OnceLock::new(),
            legacy: OnceLock::new(),
        }
    }

    fn v3(&self) -> &Derived {
        self.v3.get_or_init(|| {
            let mut okm = Zeroizing::new([0u8; 64]);
            Hkdf::<Sha512>::new(None, &self.key)
                .expand(&[], &mut *okm)
                .expect("64 bytes is a valid HKDF-SHA512 length");
            Derived::new(&okm[..32], &okm[32..])
        })
    }

    fn legacy(&self) -> &Derived {
        self.legacy
            .get_or_init(|| Derived::new(&self.key, &self.key))
    }

    /// Decrypts one token: the HMAC first, then AES-128-CBC.
    pub fn decrypt(&self, token: &str) -> Result<Zeroizing<Vec<u8>>, Ssev1Error> {
        let parts: Vec<&str> = token.split('|').collect();
        let (ct_text, iv_text, tag_text, format) = match parts.as_slice() {
            [c, i, t] => (*c, *i, *t, Format::V1),
            [c, i, t, v] => (*c, *i, *t, Format::parse(v)?),
            _ => return Err(Ssev1Error::Malformed("not 3 or 4 parts")),
        };
        let ct = decode_hex(ct_text, "ciphertext")?;
        let tag = decode_hex(tag_text, "HMAC")?;
        let iv: [u8; 16] = match format {
            Format::V1 => iv_text.as_bytes().try_into(),
            Format::V2 | Format::V3 => decode_hex(iv_text, "IV")?.as_slice().try_into(),
        }
        .map_err(|_| Ssev1Error::Malformed("the IV is not 16 bytes"))?;
        let keys = match format {
            Format::V3 => self.v3(),
            Format::V1 | Format::V2 => self.legacy(),
        };
        keys.tag(ct_text.as_bytes(), iv_text.as_bytes())
            .verify_slice(&tag)
            .map_err(|_| Ssev1Error::Hmac)?;
        let plain = Aes128CbcDec::new(&keys.aes.into(), &iv.into())
            .decrypt_padded_vec_mut::<Pkcs7>(&ct)
            .map_err(|_| Ssev1Error::Padding)?;
        Ok(Zeroizing::new(plain))
    }

    /// Encrypts like Nextcloud (format 3) with a given IV: for tests and known answers.
    pub fn encrypt_with_iv(&self, plaintext: &[u8], iv: &[u8; 16]) -> String {
        let keys = self.v3();
        let ct = Aes128CbcEnc::new(&keys.aes.into(), iv.into())
            .encrypt_padded_vec_mut::<Pkcs7>(plaintext);
        let ct_text = hex::encode(ct);
        let iv_text = hex::encode(iv);
        let tag = keys
            .tag(ct_text.as_bytes(), iv_text.as_bytes())
            .finalize()
            .into_bytes();
        format!("{ct_text}|{iv_text}|{}|3", hex::encode(tag))
    }
}

#[derive(Clone, Copy)]
enum Format {
    /// Three parts: the IV as written.
    V1,
    /// `|2` (and any other number ≥ 2 but 3, as PHP compares loosely): hex IV, no HKDF.
    V2,
    /// `|3`: HKDF.
    V3,
}

impl Format {
    fn parse(v: &str) -> Result<Self, Ssev1Error> {
        if v == "3" {
            return Ok(Self::V3);
        }
        match v.trim().parse::<f64>() {
            Ok(n) if n >= 2.0 => Ok(Self::V2),
            _ => Err(Ssev1Error::Malformed("unknown version")),
        }
    }
}

fn decode_hex(text: &str, what: &'static str) -> Result<Vec<u8>, Ssev1Error> {
    if text.is_empty() {
        return Err(Ssev1Error::Malformed(what));
    }
    hex::decode(text).map_err(|_| Ssev1Error::Malformed(what))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper() {
        let key = Ssev1Key::r2("secret", "", "user", "object");
        let token = key.encrypt_with_iv(b"hunter2", &[7; 16]);
        assert_eq!(&*key.decrypt(&token).unwrap(), b"hunter2");
        let other = Ssev1Key::r2("wrong", "", "user", "object");
        assert_eq!(other.decrypt(&token), Err(Ssev1Error::Hmac));
        assert!(matches!(
            key.decrypt("ab|cd"),
            Err(Ssev1Error::Malformed(_))
        ));
        assert!(matches!(
            key.decrypt(&format!("{token}|x")),
            Err(Ssev1Error::Malformed(_))
        ));
        assert_eq!(format!("{key:?}"), "Ssev1Key(<redacted>)");
    }
}
