//! Installing a breached-password update file: the reference's database zip, downloaded from
//! `service.security.local.url`, checked entry by entry and converted into the local database.
//!
//! The steps, each bounded in memory and all inside one staging directory in the database
//! directory (so the final rename is atomic and nothing is left behind on failure):
//!
//! 1. [`download`]: the file is streamed to `<staging>/update.zip` with a size limit, a
//!    connect timeout, an idle timeout and a total timeout. `http`, `https` and `file` URLs.
//! 2. [`Staging::build`]: every entry name must be `<3 hex>.json` or `<3 hex>.json.gz`;
//!    every payload (plain JSON, zlib or gzip, told apart by its first bytes) must be a JSON
//!    list or object of 40-hex hashes that start with the entry's prefix; an empty entry or
//!    an archive without any hash is refused. The hashes go through a
//!    [`Builder`](crate::localdb::Builder) (external sort) into `<staging>/pwned.db`.
//! 3. [`Built::install`]: the new file is renamed over `<dir>/pwned.db`.
//!
//! This module never touches the settings database; recording the installed version is the
//! caller's job (after [`Built::install`] succeeded).

mod archive;
mod download;
mod json;

use std::path::{Path, PathBuf};

pub use archive::ConvertLimits;
pub use download::{download, redact_url, DownloadLimits};

use crate::localdb::{self, DbError};
use crate::process::Progress;

/// The database version the reference's update files carry (`:version`), and the one this
/// server records after installing one.
pub const UPDATE_VERSION: u32 = crate::export::REFERENCE_VERSION;
/// The payload format asked for (`:format`): zlib is always available here.
pub const UPDATE_FORMAT: &str = "gzip";

/// Why an update failed. Nothing was installed.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// The download failed (HTTP status, network error, timeout, truncated body).
    #[error("Failed to download the breached passwords database from {url}: {reason}")]
    Download { url: String, reason: String },
    /// The update file is larger than allowed.
    #[error("The breached passwords database file is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    /// The file is not a readable zip archive.
    #[error("Unable to read breached passwords zip file: {0}")]
    Archive(String),
    /// An entry name that is not `<3 hex>.json` or `<3 hex>.json.gz`.
    #[error("Invalid entry {name:?} in breached passwords zip file (expected names like abc.json or abc.json.gz)")]
    EntryName { name: String },
    /// An entry that cannot be read or holds something else than hashes of its prefix.
    #[error("Unable to extract {name} from breached passwords zip file: {reason}")]
    Entry { name: String, reason: String },
    /// The archive has no entry, or no entry has a hash.
    #[error("The breached passwords zip file contains no hashes")]
    Empty,
    /// The update URL is not usable.
    #[error("Invalid breached passwords database URL: {0}")]
    Url(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// `template` with `:version` and `:format` replaced (the reference's placeholders).
pub fn resolve_url(template: &str, version: &str, format: &str) -> String {
    template
        .trim()
        .replace(":version", version)
        .replace(":format", format)
}

/// The last path segment of a URL (no query, no credentials), for the database header.
pub fn source_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let name = path.rsplit('/').next().unwrap_or_default();
    if name.is_empty() {
        "update".to_owned()
    } else {
        name.to_owned()
    }
}

/// A staging directory inside the database directory: holds the download and the built
/// database, and is removed (with everything in it) when dropped.
pub struct Staging {
    dir: tempfile::TempDir,
}

impl Staging {
    /// Creates `dir` if needed and a new staging directory in it.
    pub fn new(dir: &Path) -> Result<Self, UpdateError> {
        std::fs::create_dir_all(dir).map_err(DbError::io(dir))?;
        let staging = tempfile::Builder::new()
            .prefix(".update-")
            .tempdir_in(dir)
            .map_err(DbError::io(dir))?;
        Ok(Self { dir: staging })
    }

    /// Where the downloaded file goes.
    pub fn zip_path(&self) -> PathBuf {
        self.dir.path().join("update.zip")
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Checks and converts the downloaded zip into a database file in the staging
    /// directory (the zip is deleted afterwards). `source` is recorded in the header.
    pub fn build(
        self,
        source: &str,
        created: i64,
        limits: &ConvertLimits,
        progress: &dyn Progress,
    ) -> Result<Built, UpdateError> {
        let zip = self.zip_path();
        let out = self.dir.path().join(localdb::FILE_NAME);
        let stats = archive::convert(
            &zip,
            self.dir.path(),
            &out,
            source,
            created,
            limits,
            progress,
        )?;
        let _ = std::fs::remove_file(&zip);
        Ok(Built {
            staging: self,
            path: out,
            stats,
        })
    }
}

/// What a conversion read and stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ConvertStats {
    /// Entries in the archive.
    pub entries: u64,
    /// Hashes read (duplicates included).
    pub hashes: u64,
    /// Unique hashes stored.
    pub stored: u64,
}

/// A database built from an update file, not installed yet.
pub struct Built {
    staging: Staging,
    path: PathBuf,
    pub stats: ConvertStats,
}

impl Built {
    /// Renames the new database over `<dir>/pwned.db` (atomic) and removes the staging
    /// directory; returns the installed file.
    pub fn install(self, dir: &Path) -> Result<PathBuf, UpdateError> {
        let target = localdb::install(&self.path, dir)?;
        drop(self.staging);
        Ok(target)
    }
}

#[cfg(test)]
mod tests;
