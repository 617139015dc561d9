//! `sqlite:` URLs → what to open, with the forms and query parameters sqlx accepted:
//! `sqlite://relative/path.db`, `sqlite:///abs/path.db`, `sqlite:path`, `sqlite::memory:`
//! (also `sqlite://:memory:`), and `?mode=ro|rw|rwc|memory`, `cache=shared|private`,
//! `immutable=true|false` and `vfs=NAME`. Without a `mode` the file is created if missing.
//! The path may be percent-encoded (for `?` or `#` in a file name).

use std::path::PathBuf;

use passwords_store::{StoreError, StoreResult};
use rusqlite::{Connection, OpenFlags};

/// How a file is opened (`mode=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `ro`: read only.
    Ro,
    /// `rw`: read and write an existing file.
    Rw,
    /// `rwc`: read and write, creating the file if missing (the default).
    Rwc,
}

/// A parsed `sqlite:` URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    /// The file (decoded), or `:memory:`.
    pub(crate) path: String,
    /// An in-memory database: every connection would have its own, so the pool keeps one.
    pub(crate) memory: bool,
    pub(crate) mode: Mode,
    pub(crate) shared_cache: bool,
    pub(crate) immutable: bool,
    pub(crate) vfs: Option<String>,
}

impl Target {
    /// Parses a URL whose scheme is `sqlite:` (in any case).
    pub(crate) fn parse(url: &str) -> StoreResult<Self> {
        let rest = url.get("sqlite:".len()..).unwrap_or_default();
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        let (path, params) = match rest.split_once('?') {
            Some((path, params)) => (path, Some(params)),
            None => (rest, None),
        };
        let memory = path == ":memory:";
        let mut target = Target {
            path: if memory {
                path.to_owned()
            } else {
                percent_decode(path).ok_or_else(|| invalid("the file name is not valid UTF-8"))?
            },
            memory,
            mode: Mode::Rwc,
            shared_cache: false,
            immutable: false,
            vfs: None,
        };
        for pair in params
            .unwrap_or_default()
            .split('&')
            .filter(|p| !p.is_empty())
        {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(&value.replace('+', " "))
                .ok_or_else(|| invalid("a parameter is not valid UTF-8"))?;
            target.set(key, &value)?;
        }
        if target.path.is_empty() && !target.memory {
            return Err(invalid("it names no file"));
        }
        Ok(target)
    }

    fn set(&mut self, key: &str, value: &str) -> StoreResult<()> {
        match (key, value) {
            ("mode", "ro") => self.mode = Mode::Ro,
            ("mode", "rw") => self.mode = Mode::Rw,
            ("mode", "rwc") => self.mode = Mode::Rwc,
            ("mode", "memory") => self.memory = true,
            ("cache", "shared") => self.shared_cache = true,
            ("cache", "private") => self.shared_cache = false,
            ("immutable", "true" | "1") => self.immutable = true,
            ("immutable", "false" | "0") => self.immutable = false,
            ("vfs", name) => self.vfs = Some(name.to_owned()),
            ("mode" | "cache" | "immutable", other) => {
                return Err(invalid(&format!("unknown value {other:?} for `{key}`")));
            }
            _ => return Err(invalid(&format!("unknown query parameter `{key}`"))),
        }
        Ok(())
    }

    /// Opens one connection (blocking).
    pub(crate) fn open(&self) -> rusqlite::Result<Connection> {
        let mut flags = OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        flags |= match self.mode {
            Mode::Ro => OpenFlags::SQLITE_OPEN_READ_ONLY,
            Mode::Rw => OpenFlags::SQLITE_OPEN_READ_WRITE,
            Mode::Rwc => OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        };
        if self.memory {
            flags |= OpenFlags::SQLITE_OPEN_MEMORY;
        }
        flags |= if self.shared_cache {
            OpenFlags::SQLITE_OPEN_SHARED_CACHE
        } else {
            OpenFlags::SQLITE_OPEN_PRIVATE_CACHE
        };
        let path = if self.immutable {
            // Only a `file:` URI can say `immutable`.
            format!("file:{}?immutable=1", percent_encode(&self.path))
        } else {
            self.path.clone()
        };
        match &self.vfs {
            Some(vfs) => Connection::open_with_flags_and_vfs(PathBuf::from(path), flags, vfs),
            None => Connection::open_with_flags(PathBuf::from(path), flags),
        }
    }
}

fn invalid(why: &str) -> StoreError {
    StoreError::Backend(format!("invalid sqlite: URL: {why}"))
}

/// `%XX` → byte; `None` if the result is not UTF-8. A `%` without two hex digits stays.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|_| bytes[i] == b'%')
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Encodes what a `file:` URI path cannot hold literally.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> Target {
        Target::parse(url).unwrap()
    }

    #[test]
    fn url_forms() {
        let t = parse("sqlite:///abs/path.db");
        assert_eq!((t.path.as_str(), t.mode), ("/abs/path.db", Mode::Rwc));
        assert!(!t.memory);
        assert_eq!(parse("sqlite://relative/path.db").path, "relative/path.db");
        assert_eq!(parse("sqlite:path").path, "path");
        assert_eq!(parse("SQLite:path").path, "path");
        assert_eq!(parse("sqlite:///tmp/a%3Fb%23c.db").path, "/tmp/a?b#c.db");
        assert_eq!(parse("sqlite://x.db?mode=rwc").mode, Mode::Rwc);
        assert_eq!(parse("sqlite://x.db?mode=ro").mode, Mode::Ro);
        assert_eq!(parse("sqlite://x.db?mode=rw").mode, Mode::Rw);
        let t = parse("sqlite://x.db?cache=shared&immutable=1&vfs=unix-none");
        assert!(t.shared_cache && t.immutable);
        assert_eq!(t.vfs.as_deref(), Some("unix-none"));
    }

    #[test]
    fn memory_forms() {
        for url in [
            "sqlite::memory:",
            "sqlite://:memory:",
            "sqlite://x?mode=memory",
        ] {
            assert!(parse(url).memory, "{url}");
        }
        assert!(parse("sqlite://?mode=memory").memory);
        assert!(!parse("sqlite:///tmp/x.db?mode=rwc").memory);
    }

    #[test]
    fn bad_urls_are_clear_errors() {
        for (url, says) in [
            ("sqlite://x.db?mode=rwx", "unknown value \"rwx\" for `mode`"),
            (
                "sqlite://x.db?journal=wal",
                "unknown query parameter `journal`",
            ),
            ("sqlite://", "names no file"),
            ("sqlite://%FF.db", "not valid UTF-8"),
        ] {
            let err = Target::parse(url).unwrap_err().to_string();
            assert!(err.contains(says), "{url}: {err}");
        }
    }

    #[test]
    fn percent_coding() {
        assert_eq!(percent_decode("a%20b%2").as_deref(), Some("a b%2"));
        assert_eq!(percent_encode("/a b/c?.db"), "/a%20b/c%3F.db");
    }
}
