//! `pwned-list process --mode import`: a Pwned Passwords list into the local database.
//!
//! Pass 1 checks the whole file before anything is created; pass 2 feeds the taken hashes to
//! a [`Builder`] in a staging directory inside the database directory, and the finished file
//! is renamed over `pwned.db`. Any error leaves the old database (or none) and no staging
//! files behind.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::localdb::{install, Builder, DbError};
use crate::pwned::{histogram, select, ListError};

/// Why an import failed.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    #[error(transparent)]
    List(#[from] ListError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot write {path}: {message}")]
    Export { path: PathBuf, message: String },
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// Lines in the input.
    pub lines: u64,
    /// Lines taken by the selection.
    pub taken: u64,
    /// Unique hashes stored.
    pub stored: u64,
    /// The installed database file.
    pub path: PathBuf,
}

/// Progress of the two passes, in bytes of input read (twice the file size in all).
pub trait Progress {
    fn start(&self, total: u64);
    fn advance(&self, bytes: u64);
    fn finish(&self);
}

/// No progress shown.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

/// Imports the top `n` hashes of `input` into `<dir>/pwned.db` (`dir` is created if needed).
pub fn import(
    input: &Path,
    n: u64,
    dir: &Path,
    progress: &dyn Progress,
) -> Result<ImportSummary, ProcessError> {
    let (staging, summary) = build(input, n, dir, progress)?;
    let path = install(&summary.path, dir)?;
    drop(staging);
    progress.finish();
    Ok(ImportSummary { path, ..summary })
}

/// Checks `input`, then builds the database of its top `n` hashes in a staging directory
/// inside `dir` (created if needed); the summary's path is the built file in there.
pub(crate) fn build(
    input: &Path,
    n: u64,
    dir: &Path,
    progress: &dyn Progress,
) -> Result<(tempfile::TempDir, ImportSummary), ProcessError> {
    let size = std::fs::metadata(input)
        .map_err(|_| ListError::NotFound(input.to_path_buf()))?
        .len();
    progress.start(size * 2);
    let hist = histogram(input, &mut |b| progress.advance(b))?;
    let selection = hist.threshold(n).ok_or(ListError::NoHashes)?;

    std::fs::create_dir_all(dir).map_err(DbError::io(dir))?;
    let staging = tempfile::Builder::new()
        .prefix(".staging-")
        .tempdir_in(dir)
        .map_err(DbError::io(dir))?;
    let mut builder = Builder::new(staging.path())?;
    let mut failed = None;
    let taken = select(input, selection, &mut |b| progress.advance(b), &mut |h| {
        builder.push(h).map_err(|e| {
            let message = e.to_string();
            failed = Some(e);
            ListError::Io {
                path: dir.to_path_buf(),
                source: std::io::Error::other(message),
            }
        })
    });
    if let Some(e) = failed {
        return Err(e.into());
    }
    let taken = taken?;
    if taken != n.min(hist.lines()) {
        return Err(ListError::Changed.into());
    }
    let source = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let created = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let built = staging.path().join("pwned.db");
    let stored = builder.finish(&built, &source, created)?;
    Ok((
        staging,
        ImportSummary {
            lines: hist.lines(),
            taken,
            stored,
            path: built,
        },
    ))
}
