//! `backup list`, `delete`, `export` and `import`: the stored files.

use std::fs::File;
use std::io::{self, BufReader, Seek, SeekFrom};
use std::path::{Component, Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

use super::check::Checker;
use super::files::{sanitise_label, AtomicFile, EXTENSION};
use super::format::Header;
use super::read::read_gzip;
use super::{BackupDir, BackupError, BackupFile, Counts, Kind};

/// A stored backup with what its file holds (`list -d`).
#[derive(Debug)]
pub struct Details {
    pub file: BackupFile,
    /// The header and counts, or why the file cannot be read.
    pub content: Result<(Header, Counts), BackupError>,
}

/// Every stored backup, by label.
pub fn list_backups(dir: &BackupDir) -> Result<Vec<BackupFile>, BackupError> {
    dir.list()
}

/// Reads one stored backup whole (structure only) to describe it.
pub fn describe(file: BackupFile) -> Details {
    let content = File::open(&file.path)
        .map_err(|e| BackupError::io(&file.path, e))
        .and_then(|f| {
            let mut checker = Checker::structure();
            read_gzip(f, &mut |part| checker.accept(part))?;
            let checked = checker.finish()?;
            Ok((checked.header, checked.counts))
        });
    Details { file, content }
}

/// Deletes a manual backup (automatic ones are managed by their schedule).
pub fn delete_backup(dir: &BackupDir, label: &str) -> Result<BackupFile, BackupError> {
    let file = dir
        .list_kind(Kind::Manual)?
        .into_iter()
        .find(|b| b.label == label)
        .ok_or_else(|| BackupError::NotFound(label.to_owned()))?;
    std::fs::remove_file(&file.path).map_err(|e| BackupError::io(&file.path, e))?;
    Ok(file)
}

/// Where `export` writes: no target → the backup's file name in `cwd`; a target ending in
/// `.json.gz` → that file; anything else → a directory (created) that receives the file.
pub fn export_target(
    file: &BackupFile,
    target: Option<&Path>,
    cwd: &Path,
) -> Result<PathBuf, BackupError> {
    let name = format!("{}{EXTENSION}", file.label);
    let invalid = || BackupError::Invalid("Invalid export file path".into());
    let path = match target {
        None => cwd.join(&name),
        Some(t) => {
            let t = normalise(&cwd.join(t));
            if t.to_string_lossy().ends_with(EXTENSION) {
                t
            } else {
                if t.exists() && !t.is_dir() {
                    return Err(invalid());
                }
                std::fs::create_dir_all(&t).map_err(|e| BackupError::io(&t, e))?;
                t.join(&name)
            }
        }
    };
    if path.exists() && !path.is_file() {
        return Err(invalid());
    }
    Ok(path)
}

/// `.` and `..` resolved without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Copies a stored backup unchanged to `target` (atomically, replacing it).
pub fn export_backup(
    dir: &BackupDir,
    label: &str,
    target: Option<&Path>,
    cwd: &Path,
) -> Result<PathBuf, BackupError> {
    let file = dir.find(label)?;
    let path = export_target(&file, target, cwd)?;
    let mut input = File::open(&file.path).map_err(|e| BackupError::io(&file.path, e))?;
    let mut out = AtomicFile::create(&path)?;
    io::copy(&mut input, out.file()).map_err(|e| BackupError::io(&path, e))?;
    out.commit()?;
    Ok(path)
}

/// The label an imported file gets: its name before `.json.gz` or `.json`, sanitised like
/// `create`'s names.
pub(crate) fn import_label(source: &Path) -> Result<String, BackupError> {
    let file_name = source
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let stem = if let Some(stem) = file_name.strip_suffix(".json.gz") {
        stem
    } else if let Some(stem) = file_name.strip_suffix(".json") {
        stem
    } else {
        return Err(BackupError::Invalid("Invalid file type".into()));
    };
    sanitise_label(stem).ok_or_else(|| {
        BackupError::Invalid(format!(
            "The file name {file_name:?} leaves no valid backup name (letters, digits, _ . -)"
        ))
    })
}

/// An imported backup.
#[derive(Debug)]
pub struct ImportSummary {
    pub label: String,
    pub path: PathBuf,
    pub size: u64,
    pub counts: Counts,
}

/// Checks a backup file completely (gzip or plain JSON, structure, version) and stores it as
/// a manual backup named after the file (sanitised like `create`), replacing a manual backup
/// of that name. Nothing is stored unless the whole file is valid.
pub fn import_backup(dir: &BackupDir, source: &Path) -> Result<ImportSummary, BackupError> {
    let label = import_label(source)?;
    let gzip = source.to_string_lossy().ends_with(".json.gz");
    let open = || -> Result<BufReader<File>, BackupError> {
        let f = File::open(source).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => {
                BackupError::Invalid(format!("The file {} does not exist", source.display()))
            }
            _ => BackupError::io(source, e),
        })?;
        if f.metadata().map(|m| m.is_dir()).unwrap_or(false) {
            return Err(BackupError::Invalid(format!(
                "{} is a directory",
                source.display()
            )));
        }
        Ok(BufReader::new(f))
    };
    // The file is stored (compressed) under a temporary name first and that copy is what is
    // checked: what lands under the label is exactly the bytes that passed the check.
    let mut input = open()?;
    let folder = dir
        .ensure(Kind::Manual)
        .map_err(|e| BackupError::io(&dir.folder(Kind::Manual), e))?;
    let path = folder.join(format!("{label}{EXTENSION}"));
    let mut out = AtomicFile::create(&path)?;
    if gzip {
        io::copy(&mut input, out.file()).map_err(|e| BackupError::io(&path, e))?;
    } else {
        let mut gz = GzEncoder::new(out.file(), Compression::new(6));
        io::copy(&mut input, &mut gz).map_err(|e| BackupError::io(&path, e))?;
        gz.finish().map_err(|e| BackupError::io(&path, e))?;
    }
    let mut copy = out
        .file()
        .try_clone()
        .map_err(|e| BackupError::io(&path, e))?;
    copy.seek(SeekFrom::Start(0))
        .map_err(|e| BackupError::io(&path, e))?;
    let mut checker = Checker::structure();
    // A refused file is dropped with `out` (the temporary file is deleted).
    read_gzip(copy, &mut |p| checker.accept(p))?;
    let counts = checker.finish()?.counts;
    out.commit()?;
    let size = std::fs::metadata(&path)
        .map_err(|e| BackupError::io(&path, e))?
        .len();
    Ok(ImportSummary {
        label,
        path,
        size,
        counts,
    })
}
