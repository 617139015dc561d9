//! Encryption at rest: the instance key, per-user data keys and sealed secret fields.
//!
//! - The instance key (32 random bytes) never enters the database or a backup. Two subkeys are
//!   derived from it with HMAC-SHA-256: one wraps user keys, one makes the keyed hashes of app
//!   passwords and of the login cache.
//! - Each user has a random 32-byte data key, stored wrapped by the instance key.
//! - Each secret field is sealed with the user's key: AES-256-GCM, a fresh random 96-bit nonce
//!   per value, and the row id plus the field name as associated data, so a ciphertext cannot be
//!   moved to another row or field unnoticed. (AES-GCM with AES-NI opens a short field in a
//!   fraction of XChaCha20-Poly1305's time, which matters for lists of thousands of fields;
//!   random nonces stay far below GCM's 2^32 messages per key: one user writes six per
//!   revision.)
//! - User keys are wrapped with XChaCha20-Poly1305 (192-bit nonces) under the instance key.
//!
//! Sealed formats, told apart by the first byte:
//! `0x01 || nonce (24) || ciphertext+tag` is XChaCha20-Poly1305,
//! `0x02 || nonce (12) || ciphertext+tag` is AES-256-GCM.
//!
//! [`ssev1`] decrypts the reference app's SSEv1 fields (for migrating its backups).

mod instance;
pub mod ssev1;

pub use instance::{InstanceKey, InstanceKeySource};

use aes_gcm::aead::AeadInPlace;
use aes_gcm::{Aes256Gcm, Nonce as GcmNonce, Tag as GcmTag};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::CoreError;

const XCHACHA: u8 = 1;
const XCHACHA_NONCE: usize = 24;
const AES_GCM: u8 = 2;
const AES_GCM_NONCE: usize = 12;
const TAG_LEN: usize = 16;

/// A 256-bit symmetric key that is wiped from memory when dropped.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretKey([u8; 32]);

impl SecretKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub fn random() -> Self {
        let mut k = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut k);
        Self(k)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A subkey for one purpose: HMAC-SHA-256(key, label).
    pub fn derive(&self, label: &str) -> SecretKey {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("any key length");
        mac.update(label.as_bytes());
        SecretKey(mac.finalize().into_bytes().into())
    }

    /// HMAC-SHA-256 of `data` under this key.
    pub fn mac(&self, data: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("any key length");
        mac.update(data);
        mac.finalize().into_bytes().into()
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

/// Encrypts `plaintext` under `key` with XChaCha20-Poly1305 and `aad` bound to it.
pub fn seal(key: &SecretKey, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    let mut nonce = [0u8; XCHACHA_NONCE];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let ct = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory buffers");
    framed(XCHACHA, &nonce, &ct)
}

/// Encrypts `plaintext` under `key` with AES-256-GCM and `aad` bound to it.
pub fn seal_fast(key: &SecretKey, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let cipher = Aes256Gcm::new(key.as_bytes().into());
    let mut nonce = [0u8; AES_GCM_NONCE];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let ct = cipher
        .encrypt(
            GcmNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .expect("AES-256-GCM encryption cannot fail for in-memory buffers");
    framed(AES_GCM, &nonce, &ct)
}

fn framed(format: u8, nonce: &[u8], ct: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + nonce.len() + ct.len());
    out.push(format);
    out.extend_from_slice(nonce);
    out.extend_from_slice(ct);
    out
}

/// Decrypts what [`seal`] or [`seal_fast`] made with the same key and `aad`.
pub fn open(key: &SecretKey, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, CoreError> {
    let unknown = || CoreError::Crypto("a stored value has an unknown format".into());
    let failed = |_| CoreError::Crypto("a stored value could not be decrypted".into());
    let (&format, rest) = sealed.split_first().ok_or_else(unknown)?;
    match format {
        XCHACHA if rest.len() >= XCHACHA_NONCE + TAG_LEN => {
            let (nonce, ct) = rest.split_at(XCHACHA_NONCE);
            XChaCha20Poly1305::new(key.as_bytes().into())
                .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad })
                .map_err(failed)
        }
        AES_GCM if rest.len() >= AES_GCM_NONCE + TAG_LEN => {
            let (nonce, ct) = rest.split_at(AES_GCM_NONCE);
            Aes256Gcm::new(key.as_bytes().into())
                .decrypt(GcmNonce::from_slice(nonce), Payload { msg: ct, aad })
                .map_err(failed)
        }
        _ => Err(unknown()),
    }
}

/// A user's data key, ready to seal and open fields: the AES key schedule is computed once
/// (it costs as much as opening a short field) and wiped on drop.
pub struct FieldKey {
    key: SecretKey,
    cipher: Aes256Gcm,
}

impl FieldKey {
    pub fn new(key: SecretKey) -> Self {
        let cipher = Aes256Gcm::new(key.as_bytes().into());
        Self { key, cipher }
    }

    /// The raw key (for wrapping it).
    pub fn secret(&self) -> &SecretKey {
        &self.key
    }
}

impl std::fmt::Debug for FieldKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FieldKey(<redacted>)")
    }
}

/// Seals one text field of a row (AES-256-GCM): the associated data is the row id and the
/// field name.
pub fn seal_field(key: &FieldKey, row: &uuid::Uuid, field: &str, value: &str) -> Vec<u8> {
    let mut nonce = [0u8; AES_GCM_NONCE];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let aad = field_aad(row, field);
    let ct = key
        .cipher
        .encrypt(
            GcmNonce::from_slice(&nonce),
            Payload {
                msg: value.as_bytes(),
                aad: &aad,
            },
        )
        .expect("AES-256-GCM encryption cannot fail for in-memory buffers");
    framed(AES_GCM, &nonce, &ct)
}

/// Opens one text field sealed with [`seal_field`] (or, for other formats, [`open`]).
pub fn open_field(
    key: &FieldKey,
    row: &uuid::Uuid,
    field: &str,
    sealed: &[u8],
) -> Result<String, CoreError> {
    let aad = field_aad(row, field);
    let bytes = match sealed.split_first() {
        Some((&AES_GCM, rest)) if rest.len() >= AES_GCM_NONCE + TAG_LEN => {
            let (nonce, ct) = rest.split_at(AES_GCM_NONCE);
            key.cipher
                .decrypt(GcmNonce::from_slice(nonce), Payload { msg: ct, aad: &aad })
                .map_err(|_| CoreError::Crypto("a stored value could not be decrypted".into()))?
        }
        _ => open(&key.key, &aad, sealed)?,
    };
    String::from_utf8(bytes).map_err(|_| CoreError::Crypto("a stored text is not UTF-8".into()))
}

/// Opens one text field like [`open_field`], into `buf` instead of a new allocation, and
/// returns the text there: for views that open many fields and copy each one on at once.
///
/// `buf` holds plaintext afterwards (also after a failed tag check): the caller wipes it when
/// done. A `buf` too small is wiped before it is replaced by a larger one.
pub fn open_field_into<'b>(
    key: &FieldKey,
    row: &uuid::Uuid,
    field: &str,
    sealed: &[u8],
    buf: &'b mut Vec<u8>,
) -> Result<&'b str, CoreError> {
    let failed = || CoreError::Crypto("a stored value could not be decrypted".into());
    match sealed.split_first() {
        Some((&AES_GCM, rest)) if rest.len() >= AES_GCM_NONCE + TAG_LEN => {
            let (nonce, ct) = rest.split_at(AES_GCM_NONCE);
            let (ct, tag) = ct.split_at(ct.len() - TAG_LEN);
            let mut aad = [0u8; 48];
            let aad = fill_field_aad(&mut aad, row, field);
            refill(buf, ct);
            key.cipher
                .decrypt_in_place_detached(
                    GcmNonce::from_slice(nonce),
                    aad,
                    buf,
                    GcmTag::from_slice(tag),
                )
                .map_err(|_| failed())?;
        }
        _ => {
            let mut plain = open(&key.key, &field_aad(row, field), sealed)?;
            refill(buf, &plain);
            plain.zeroize();
        }
    }
    std::str::from_utf8(buf).map_err(|_| CoreError::Crypto("a stored text is not UTF-8".into()))
}

/// Replaces the contents of `buf` with `bytes`, wiping the old allocation if it must grow.
fn refill(buf: &mut Vec<u8>, bytes: &[u8]) {
    if buf.capacity() < bytes.len() {
        buf.zeroize();
        *buf = Vec::with_capacity(bytes.len().max(64));
    }
    buf.clear();
    buf.extend_from_slice(bytes);
}

/// [`field_aad`] in a stack buffer (field names are short constants).
fn fill_field_aad<'a>(aad: &'a mut [u8; 48], row: &uuid::Uuid, field: &str) -> &'a [u8] {
    let end = 17 + field.len();
    assert!(end <= aad.len(), "field name {field:?} too long");
    aad[..16].copy_from_slice(row.as_bytes());
    aad[16] = b':';
    aad[17..end].copy_from_slice(field.as_bytes());
    &aad[..end]
}

fn field_aad(row: &uuid::Uuid, field: &str) -> Vec<u8> {
    let mut aad = Vec::with_capacity(16 + 1 + field.len());
    aad.extend_from_slice(row.as_bytes());
    aad.push(b':');
    aad.extend_from_slice(field.as_bytes());
    aad
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_binding() {
        let k = FieldKey::new(SecretKey::random());
        let row = uuid::Uuid::new_v4();
        let s = seal_field(&k, &row, "password", "hunter2");
        assert!(!s.windows(7).any(|w| w == b"hunter2"));
        assert_eq!(open_field(&k, &row, "password", &s).unwrap(), "hunter2");
        // Another field, another row or another key cannot open it.
        assert!(open_field(&k, &row, "username", &s).is_err());
        assert!(open_field(&k, &uuid::Uuid::new_v4(), "password", &s).is_err());
        assert!(open_field(&FieldKey::new(SecretKey::random()), &row, "password", &s).is_err());
        // Tampering is detected.
        let mut t = s.clone();
        let last = t.len() - 1;
        t[last] ^= 1;
        assert!(open_field(&k, &row, "password", &t).is_err());
        assert!(open(k.secret(), b"", &[]).is_err());
        assert!(open_field(&k, &row, "password", &[]).is_err());
    }

    #[test]
    fn open_into_a_buffer() {
        let k = FieldKey::new(SecretKey::random());
        let row = uuid::Uuid::new_v4();
        let mut buf = Vec::new();
        for value in ["hunter2", "", &"long ".repeat(100), "ü"] {
            let s = seal_field(&k, &row, "notes", value);
            assert_eq!(
                open_field_into(&k, &row, "notes", &s, &mut buf).unwrap(),
                value
            );
            assert!(open_field_into(&k, &row, "label", &s, &mut buf).is_err());
            let mut t = s.clone();
            *t.last_mut().unwrap() ^= 1;
            assert!(open_field_into(&k, &row, "notes", &t, &mut buf).is_err());
        }
        // The other format and the same associated data.
        let x = seal(k.secret(), &field_aad(&row, "url"), b"https://x.example");
        assert_eq!(
            open_field_into(&k, &row, "url", &x, &mut buf).unwrap(),
            "https://x.example"
        );
        assert!(open_field_into(&k, &row, "url", &[], &mut buf).is_err());
        assert!(open_field_into(&k, &row, "url", &[2; 28], &mut buf).is_err());
    }

    #[test]
    fn both_formats_open() {
        let k = SecretKey::random();
        let x = seal(&k, b"ad", b"wrapped");
        let a = seal_fast(&k, b"ad", b"field");
        assert_eq!((x[0], a[0]), (1, 2));
        assert_eq!(open(&k, b"ad", &x).unwrap(), b"wrapped");
        assert_eq!(open(&k, b"ad", &a).unwrap(), b"field");
        assert!(open(&k, b"other", &x).is_err());
        assert!(open(&k, b"other", &a).is_err());
        let mut wrong = a.clone();
        wrong[0] = 3;
        assert!(open(&k, b"ad", &wrong).is_err());
        assert!(open(&k, b"ad", &a[..10]).is_err());
    }

    #[test]
    fn nonces_are_fresh() {
        let k = FieldKey::new(SecretKey::random());
        let row = uuid::Uuid::new_v4();
        assert_ne!(
            seal_field(&k, &row, "f", "x"),
            seal_field(&k, &row, "f", "x")
        );
    }

    #[test]
    fn derived_keys_differ_by_label() {
        let k = SecretKey::from_bytes([7; 32]);
        assert_ne!(k.derive("a").as_bytes(), k.derive("b").as_bytes());
        assert_eq!(k.derive("a").as_bytes(), k.derive("a").as_bytes());
        assert_eq!(format!("{k:?}"), "SecretKey(<redacted>)");
    }
}
