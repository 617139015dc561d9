//! The instance key: where it comes from, how it is created, and the keys derived from it.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::SecretKey;
use crate::error::CoreError;

/// Where the instance key is read from.
#[derive(Clone, Debug)]
pub enum InstanceKeySource {
    /// Hex text given directly (`PASSWORDS_INSTANCE_KEY`), 64 hex digits.
    Hex(String),
    /// A file holding the key as 64 hex digits; created (mode 0600) if `create` and missing.
    File { path: PathBuf, create: bool },
}

/// The server's master key and its derived subkeys.
#[derive(Clone, Debug)]
pub struct InstanceKey {
    wrap: SecretKey,
    tokens: SecretKey,
    check: [u8; 32],
}

impl InstanceKey {
    pub fn from_key(key: &SecretKey) -> Self {
        let check = key.derive("passwords/instance-key-check/v1");
        Self {
            wrap: key.derive("passwords/user-key-wrap/v1"),
            tokens: key.derive("passwords/token-hash/v1"),
            check: *check.as_bytes(),
        }
    }

    /// Loads (or creates) the key from its source.
    pub fn load(source: &InstanceKeySource) -> Result<Self, CoreError> {
        let key = match source {
            InstanceKeySource::Hex(text) => parse_hex_key(text).ok_or_else(|| {
                CoreError::Config("the instance key must be 64 hexadecimal digits".into())
            })?,
            InstanceKeySource::File { path, create } => load_or_create(path, *create)?,
        };
        Ok(Self::from_key(&key))
    }

    /// The key that wraps user data keys.
    pub fn wrap_key(&self) -> &SecretKey {
        &self.wrap
    }

    /// The key of keyed hashes (app passwords, the login cache).
    pub fn token_key(&self) -> &SecretKey {
        &self.tokens
    }

    /// A public fingerprint that tells whether a database was written with this key.
    pub fn check_value(&self) -> String {
        hex::encode(&self.check[..16])
    }
}

fn parse_hex_key(text: &str) -> Option<SecretKey> {
    let bytes = hex::decode(text.trim()).ok()?;
    let arr: [u8; 32] = bytes.try_into().ok()?;
    Some(SecretKey::from_bytes(arr))
}

fn load_or_create(path: &Path, create: bool) -> Result<SecretKey, CoreError> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse_hex_key(&text).ok_or_else(|| {
            CoreError::Config(format!(
                "the instance key file {} must hold 64 hexadecimal digits",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
            let key = SecretKey::random();
            write_new_key_file(path, &key)?;
            tracing::info!(path = %path.display(), "created a new instance key");
            Ok(key)
        }
        Err(e) => Err(CoreError::Config(format!(
            "cannot read the instance key file {}: {e}",
            path.display()
        ))),
    }
}

/// Writes the key to a temporary file (mode 0600), syncs it and renames it into place, so a
/// crash never leaves a half-written key. Refuses to replace an existing file.
fn write_new_key_file(path: &Path, key: &SecretKey) -> Result<(), CoreError> {
    let io = |e: std::io::Error| {
        CoreError::Config(format!(
            "cannot write the instance key file {}: {e}",
            path.display()
        ))
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".instance.key.{}.tmp", std::process::id()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut file = opts.open(&tmp).map_err(io)?;
    let mut text = hex::encode(key.as_bytes());
    text.push('\n');
    let written = file
        .write_all(text.as_bytes())
        .and_then(|_| file.sync_all());
    zeroize::Zeroize::zeroize(&mut text);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    // hard_link fails if the target exists: never overwrite a key written by another process.
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    linked.map_err(io)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_once_then_reloads_the_same_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("instance.key");
        let src = InstanceKeySource::File {
            path: path.clone(),
            create: true,
        };
        let a = InstanceKey::load(&src).unwrap();
        let b = InstanceKey::load(&src).unwrap();
        assert_eq!(a.check_value(), b.check_value());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let hex = std::fs::read_to_string(&path).unwrap();
        let c = InstanceKey::load(&InstanceKeySource::Hex(hex)).unwrap();
        assert_eq!(a.check_value(), c.check_value());
    }

    #[test]
    fn missing_file_without_create_and_bad_hex_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope.key");
        assert!(InstanceKey::load(&InstanceKeySource::File {
            path,
            create: false
        })
        .is_err());
        assert!(InstanceKey::load(&InstanceKeySource::Hex("abc".into())).is_err());
    }
}
