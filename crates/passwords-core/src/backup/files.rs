//! Where backups live and how files get there: `<data-dir>/backups/` (manual: `create`,
//! `import`) and `<data-dir>/backups/auto/` (automatic), each backup `<label>.json.gz`.
//! Every file is written under a temporary name (`….partial-<random>`, never listed), synced
//! and renamed, and the directory is synced, so a crash leaves the old file or the new one.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::BackupError;

/// The file name ending of a backup.
pub const EXTENSION: &str = ".json.gz";
/// Labels are cut to this many characters.
pub const MAX_LABEL: usize = 20;

/// Which folder a backup is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Manual,
    Automatic,
}

/// One stored backup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupFile {
    pub label: String,
    pub kind: Kind,
    pub path: PathBuf,
    pub size: u64,
}

/// The backup folders of a data directory.
#[derive(Clone, Debug)]
pub struct BackupDir {
    root: PathBuf,
}

impl BackupDir {
    /// The folders under `<data_dir>/backups`.
    pub fn new(data_dir: &Path) -> Self {
        Self {
            root: data_dir.join("backups"),
        }
    }

    pub fn folder(&self, kind: Kind) -> PathBuf {
        match kind {
            Kind::Manual => self.root.clone(),
            Kind::Automatic => self.root.join("auto"),
        }
    }

    /// Creates the folder of `kind` (mode 0700) if it is missing.
    pub fn ensure(&self, kind: Kind) -> io::Result<PathBuf> {
        let dir = self.folder(kind);
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir)?;
        Ok(dir)
    }

    /// The backups of one folder, sorted by label (byte order).
    pub fn list_kind(&self, kind: Kind) -> Result<Vec<BackupFile>, BackupError> {
        let dir = self.folder(kind);
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(BackupError::io(&dir, e)),
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| BackupError::io(&dir, e))?;
            let name = entry.file_name();
            let Some(label) = name.to_str().and_then(|n| n.strip_suffix(EXTENSION)) else {
                continue;
            };
            let meta = entry
                .metadata()
                .map_err(|e| BackupError::io(&entry.path(), e))?;
            if !meta.is_file() || label.is_empty() {
                continue;
            }
            out.push(BackupFile {
                label: label.to_owned(),
                kind,
                path: entry.path(),
                size: meta.len(),
            });
        }
        out.sort_by(|a, b| a.label.cmp(&b.label));
        Ok(out)
    }

    /// Deletes temporary files (`….partial-…`) of writes that a crash interrupted, once they
    /// are older than `age`; younger ones may belong to a write still running. Returns how
    /// many were deleted.
    pub fn remove_stale_partials(&self, kind: Kind, age: std::time::Duration) -> usize {
        let Ok(entries) = fs::read_dir(self.folder(kind)) else {
            return 0;
        };
        let mut removed = 0;
        for entry in entries.flatten() {
            let name = entry.file_name();
            if !name.to_string_lossy().contains(".partial-") {
                continue;
            }
            let stale = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|elapsed| elapsed >= age);
            if stale && fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }

    /// Every backup of both folders by label; a manual and an automatic backup with the same
    /// label are both shown (manual first).
    pub fn list(&self) -> Result<Vec<BackupFile>, BackupError> {
        let mut all = self.list_kind(Kind::Manual)?;
        all.extend(self.list_kind(Kind::Automatic)?);
        all.sort_by(|a, b| a.label.cmp(&b.label).then(a.kind.cmp(&b.kind)));
        Ok(all)
    }

    /// The backup called `label`, the manual one if both folders have it.
    pub fn find(&self, label: &str) -> Result<BackupFile, BackupError> {
        for kind in [Kind::Manual, Kind::Automatic] {
            if let Some(found) = self.list_kind(kind)?.into_iter().find(|b| b.label == label) {
                return Ok(found);
            }
        }
        Err(BackupError::NotFound(label.to_owned()))
    }
}

/// A name as `create` and `import` accept it: only `[A-Za-z0-9_.-]`, at most 20 characters;
/// `None` if nothing is left.
pub fn sanitise_label(name: &str) -> Option<String> {
    let label: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        .take(MAX_LABEL)
        .collect();
    // "." and ".." are valid file names here (`..json.gz`), but confusing: refuse them.
    (!label.is_empty() && label.chars().any(|c| c != '.')).then_some(label)
}

/// The UTC date label `YYYY-MM-DD_HH-MM-SS` of a Unix time.
pub fn date_label(now: i64) -> String {
    let days = now.div_euclid(86_400);
    let secs = now.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}_{:02}-{:02}-{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A file being written under a temporary name next to its final path.
pub struct AtomicFile {
    temp: PathBuf,
    target: PathBuf,
    file: Option<File>,
}

impl AtomicFile {
    /// Creates `<target>.partial-<random>` (mode 0600).
    pub fn create(target: &Path) -> Result<Self, BackupError> {
        let suffix: u64 = rand::random();
        let mut name = target.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".partial-{suffix:016x}"));
        let temp = target.with_file_name(name);
        let mut options = fs::OpenOptions::new();
        // Readable too, so that a writer can check what it wrote before committing it.
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&temp).map_err(|e| BackupError::io(&temp, e))?;
        Ok(Self {
            temp,
            target: target.to_owned(),
            file: Some(file),
        })
    }

    /// The open temporary file.
    pub fn file(&mut self) -> &mut File {
        self.file.as_mut().expect("file is open until commit")
    }

    /// Syncs the data, renames the file to its target and syncs the directory.
    pub fn commit(mut self) -> Result<(), BackupError> {
        let mut file = self.file.take().expect("file is open until commit");
        file.flush().map_err(|e| BackupError::io(&self.temp, e))?;
        file.sync_all()
            .map_err(|e| BackupError::io(&self.temp, e))?;
        drop(file);
        fs::rename(&self.temp, &self.target).map_err(|e| BackupError::io(&self.target, e))?;
        if let Some(dir) = self.target.parent() {
            // Makes the rename itself durable.
            File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(|e| BackupError::io(dir, e))?;
        }
        Ok(())
    }
}

impl Drop for AtomicFile {
    /// Not committed: the temporary file goes away.
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// Nextcloud's `humanFileSize`: `<n> B` below 1024, whole KB, then MB/GB/TB/PB with one
/// decimal and no trailing `.0`.
pub fn human_size(bytes: u64) -> String {
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let kb = bytes as f64 / 1024.0;
    if kb < 1024.0 {
        return format!("{} KB", kb.round());
    }
    let mut value = kb / 1024.0;
    for unit in ["MB", "GB", "TB"] {
        if value < 1024.0 {
            return format!("{} {unit}", one_decimal(value));
        }
        value /= 1024.0;
    }
    format!("{} PB", one_decimal(value))
}

fn one_decimal(v: f64) -> String {
    let text = format!("{v:.1}");
    text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_sanitised() {
        assert_eq!(sanitise_label("my backup!").as_deref(), Some("mybackup"));
        assert_eq!(
            sanitise_label("../../etc/passwd").as_deref(),
            Some("....etcpasswd")
        );
        assert_eq!(
            sanitise_label("abcdefghijklmnopqrstuvwxyz").as_deref(),
            Some("abcdefghijklmnopqrst")
        );
        assert_eq!(sanitise_label("äöü /"), None);
        assert_eq!(sanitise_label(".."), None);
    }

    #[test]
    fn date_labels() {
        assert_eq!(date_label(0), "1970-01-01_00-00-00");
        assert_eq!(date_label(1_700_000_000), "2023-11-14_22-13-20");
        assert_eq!(date_label(951_782_400), "2000-02-29_00-00-00");
    }

    #[test]
    fn sizes_like_nextcloud() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1536), "2 KB");
        assert_eq!(human_size(1024 * 1024), "1 MB");
        assert_eq!(human_size(1024 * 1024 * 3 / 2), "1.5 MB");
        assert_eq!(human_size(5 * 1024 * 1024 * 1024), "5 GB");
    }

    #[test]
    fn stale_partials_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let backups = BackupDir::new(dir.path());
        let folder = backups.ensure(Kind::Manual).unwrap();
        fs::write(folder.join("a.json.gz.partial-0001"), b"x").unwrap();
        fs::write(folder.join("b.json.gz"), b"x").unwrap();
        let young = std::time::Duration::from_secs(3600);
        assert_eq!(backups.remove_stale_partials(Kind::Manual, young), 0);
        assert_eq!(
            backups.remove_stale_partials(Kind::Manual, std::time::Duration::ZERO),
            1
        );
        assert!(folder.join("b.json.gz").exists(), "backups stay");
        assert_eq!(fs::read_dir(&folder).unwrap().count(), 1);
    }

    #[test]
    fn atomic_file_is_invisible_until_committed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("x.json.gz");
        let mut f = AtomicFile::create(&target).unwrap();
        f.file().write_all(b"data").unwrap();
        assert!(!target.exists());
        f.commit().unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"data");
        let g = AtomicFile::create(&target).unwrap();
        drop(g);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
