//! Backups: `create`, `list`, `delete`, `export`, `import`, `restore` and the automatic
//! backups of `passwords serve`, as library calls (the CLI, the server's job and the tests
//! call the same functions).
//!
//! - [`format`]: the file's JSON (the reference's layout, our marker and version);
//! - [`files`]: the backup folders, labels, atomic files;
//! - [`read`]: the streaming reader; [`check`]: the validation every reader runs first;
//! - [`create`], [`manage`] (list, delete, export, import), [`restore`], [`auto`];
//! - [`reference`]: importing the Nextcloud Passwords app's server backups (migration).
//!
//! A backup never contains the instance key, login password hashes or app passwords: user
//! keys stay wrapped by the instance key, so a restore needs the same instance key (or the
//! old one, to re-wrap them).

pub mod auto;
pub mod check;
pub mod create;
pub mod files;
pub mod format;
pub mod manage;
pub mod read;
pub mod reference;
pub mod restore;

use std::path::{Path, PathBuf};

use passwords_store::StoreError;

use crate::error::CoreError;

pub use files::{BackupDir, BackupFile, Kind};

/// An error of a backup operation: one sentence for the admin.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// No backup with this name.
    #[error("Could not find backup '{0}'")]
    NotFound(String),
    /// The file is not a backup this server can read (format, version, schema, corruption).
    #[error("{0}")]
    Invalid(String),
    /// The backup is readable, but a rule forbids this restore (keys, the user option,
    /// conflicts with data of other users).
    #[error("{0}")]
    Refused(String),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl BackupError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// Receives the progress of long work (a terminal shows a bar; elsewhere nothing).
pub trait Progress: Send + Sync {
    /// Work of `total` steps begins.
    fn start(&self, total: u64);
    /// `steps` more are done.
    fn advance(&self, steps: u64);
    /// All done.
    fn finish(&self);
}

/// Progress that nobody watches.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

/// How many of each thing a backup holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub users: u64,
    pub passwords: u64,
    pub folders: u64,
    pub tags: u64,
    pub shares: u64,
    pub relations: u64,
}

impl Counts {
    /// Entries of the entity lists (the steps of a restore).
    pub fn entries(&self) -> u64 {
        self.passwords + self.folders + self.tags + self.shares + self.relations
    }
}
