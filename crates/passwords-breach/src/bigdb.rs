//! The `bigdb` provider: the local breached-password database (`<data-dir>/breached/pwned.db`,
//! see [`crate::localdb`]), reloaded while the server runs.
//!
//! A new database is installed by renaming a finished file over `pwned.db` (`pwned-list
//! process --mode import`, the update job). [`BigDb`] notices that cheaply: at most once per
//! [`BigDb::with_check_interval`] (1 s by default) a lookup `stat`s the path, and if the file
//! identity (device, inode, size, modification time) changed it maps the new file; lookups
//! already running keep the old mapping, which lives until its last user drops it. A file
//! that cannot be opened is logged once and the previous database stays in use. No database
//! at all makes the provider [`BreachError::Unavailable`] (passwords are saved as
//! `NOT_CHECKED` and re-checked once a database is there).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use async_trait::async_trait;

use crate::localdb::{LocalDb, FILE_NAME};
use crate::{is_hex, BreachError, BreachProvider};

/// How often a lookup may `stat` the database file by default.
pub const DEFAULT_CHECK_INTERVAL: Duration = Duration::from_secs(1);

/// What identifies one installed file: a rename over the path changes the inode.
#[derive(Clone, Debug, PartialEq, Eq)]
struct FileId {
    dev: u64,
    ino: u64,
    len: u64,
    modified: Option<SystemTime>,
}

impl FileId {
    fn of(meta: &std::fs::Metadata) -> Self {
        #[cfg(unix)]
        let (dev, ino) = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let (dev, ino) = (0, 0);
        Self {
            dev,
            ino,
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

#[derive(Default)]
struct Loaded {
    /// The identity of the file last looked at (opened or refused).
    seen: Option<FileId>,
    db: Option<Arc<LocalDb>>,
}

/// The installed local database, reloaded when a new file is installed. Share it in an `Arc`.
pub struct BigDb {
    path: PathBuf,
    interval: Duration,
    epoch: Instant,
    /// Milliseconds after `epoch` of the last `stat`, plus one (0 = never).
    last_check: AtomicU64,
    loaded: RwLock<Loaded>,
}

impl std::fmt::Debug for BigDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BigDb").field("path", &self.path).finish()
    }
}

impl BigDb {
    /// The database `<dir>/pwned.db` (it need not exist yet).
    pub fn new(dir: &Path) -> Self {
        Self::with_check_interval(dir, DEFAULT_CHECK_INTERVAL)
    }

    /// The same, looking for a newly installed file at most once per `interval`.
    pub fn with_check_interval(dir: &Path, interval: Duration) -> Self {
        Self {
            path: dir.join(FILE_NAME),
            interval,
            epoch: Instant::now(),
            last_check: AtomicU64::new(0),
            loaded: RwLock::new(Loaded::default()),
        }
    }

    /// The database file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The database in use, after looking for a new file if the interval has passed.
    pub fn current(&self) -> Option<Arc<LocalDb>> {
        if self.due() {
            self.reload();
        }
        self.read().db.clone()
    }

    /// Looks for a new file now, whatever the interval.
    pub fn refresh(&self) -> Option<Arc<LocalDb>> {
        self.reload();
        self.read().db.clone()
    }

    /// What the header of the database in use says, as one line: count, creation time and
    /// source. It changes with every installed database (the re-check job compares it).
    pub fn fingerprint(&self) -> Option<String> {
        self.current().map(|db| {
            let h = db.header();
            format!("{}:{}:{}", h.count, h.created, h.source)
        })
    }

    /// Whether this caller should `stat` now (only one caller per interval does).
    fn due(&self) -> bool {
        let now = self.epoch.elapsed().as_millis() as u64 + 1;
        let last = self.last_check.load(Ordering::Relaxed);
        let interval = self.interval.as_millis() as u64;
        if last != 0 && now.saturating_sub(last) < interval {
            return false;
        }
        self.last_check
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
    }

    fn reload(&self) {
        let id = match std::fs::metadata(&self.path) {
            Ok(meta) => Some(FileId::of(&meta)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                tracing::warn!(path = %self.path.display(), error = %e, "cannot stat the breached-password database");
                return;
            }
        };
        if self.read().seen == id {
            return;
        }
        let Some(new_id) = id else {
            // Removed: nothing to check against any more.
            let mut loaded = self.write();
            *loaded = Loaded::default();
            return;
        };
        match LocalDb::open(&self.path) {
            Ok(db) => {
                tracing::info!(
                    path = %self.path.display(),
                    hashes = db.len(),
                    source = %db.header().source,
                    "loaded the breached-password database"
                );
                let mut loaded = self.write();
                *loaded = Loaded {
                    seen: Some(new_id),
                    db: Some(Arc::new(db)),
                };
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot open the breached-password database; the previous one stays in use");
                self.write().seen = Some(new_id);
            }
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Loaded> {
        self.loaded.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Loaded> {
        self.loaded.write().unwrap_or_else(|p| p.into_inner())
    }

    fn db(&self) -> Result<Arc<LocalDb>, BreachError> {
        self.current().ok_or_else(|| {
            BreachError::Unavailable("no local breached-password database is installed".into())
        })
    }
}

/// Every hash of `db` starting with the lower-case hex `prefix` (5 to 40 digits), as 40
/// lower-case hex digits, sorted.
pub fn hashes_with_prefix(db: &LocalDb, prefix: &str) -> Vec<String> {
    if !(5..=40).contains(&prefix.len()) || !is_hex(prefix) {
        return Vec::new();
    }
    let prefix = prefix.to_ascii_lowercase();
    db.range(&prefix[..5])
        .unwrap_or_default()
        .iter()
        .map(hex::encode)
        .filter(|h| h.starts_with(&prefix))
        .collect()
}

/// Whether any hash of `db` starts with the hex `prefix` (1 to 40 digits).
pub fn any_with_prefix(db: &LocalDb, prefix: &str) -> bool {
    let prefix = prefix.to_ascii_lowercase();
    match prefix.len() {
        40 => db.contains_hex(&prefix),
        5..=39 => !hashes_with_prefix(db, &prefix).is_empty(),
        1..=4 => {
            // Every 5-digit range under the prefix, until one has an entry.
            let missing = 5 - prefix.len();
            let start = u32::from_str_radix(&prefix, 16).unwrap_or(0) << (4 * missing);
            (start..start + (1 << (4 * missing))).any(|r| {
                db.range(&format!("{r:05x}"))
                    .is_some_and(|found| !found.is_empty())
            })
        }
        _ => false,
    }
}

#[async_trait]
impl BreachProvider for BigDb {
    fn name(&self) -> &'static str {
        "bigdb"
    }

    async fn is_breached(&self, hash: &str) -> Result<bool, BreachError> {
        let db = self.db()?;
        if hash.is_empty() || hash.len() > 40 || !is_hex(hash) {
            return Ok(false);
        }
        Ok(any_with_prefix(&db, hash))
    }

    async fn hashes(&self, prefix: &str) -> Result<Vec<String>, BreachError> {
        let db = self.db()?;
        Ok(hashes_with_prefix(&db, prefix))
    }
}
