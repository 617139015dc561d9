//! Building a database in bounded memory (an external sort by prefix) and installing it.
//!
//! Hashes pushed into a [`Builder`] go, as 20 raw bytes, into 256 partition files by their
//! first byte. [`Builder::finish`] then takes the partitions in order: one that fits the sort
//! budget is read, sorted, de-duplicated and appended; a larger one is split again by its next
//! byte. Memory: 256 write buffers of 32 KiB plus one sort buffer, whatever the input size.

use std::fs::{File, OpenOptions};
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use super::{
    DbError, DATA_START, ENTRY, FILE_NAME, HEADER, INDEX_WORDS, MAGIC, SOURCE_MAX, VERSION,
};

const FANOUT: usize = 256;
const WRITE_BUFFER: usize = 32 * 1024;
/// Default sort buffer: 24 MiB of 20-byte hashes.
pub const DEFAULT_SORT_BUDGET: usize = 24 * 1024 * 1024;

/// Collects hashes in partition files under a temporary directory.
pub struct Builder {
    dir: TempDir,
    parts: Vec<BufWriter<File>>,
    sort_budget: usize,
    pushed: u64,
}

impl Builder {
    /// A builder whose temporary files live in a new directory under `scratch`.
    pub fn new(scratch: &Path) -> Result<Self, DbError> {
        Self::with_budget(scratch, DEFAULT_SORT_BUDGET)
    }

    /// A builder that sorts at most `sort_budget` bytes in memory at a time.
    pub fn with_budget(scratch: &Path, sort_budget: usize) -> Result<Self, DbError> {
        let dir = tempfile::Builder::new()
            .prefix(".build-")
            .tempdir_in(scratch)
            .map_err(DbError::io(scratch))?;
        let parts = open_parts(dir.path())?;
        Ok(Self {
            dir,
            parts,
            sort_budget: sort_budget.max(20 * 1024),
            pushed: 0,
        })
    }

    /// Adds one hash (duplicates are dropped when the store is written).
    pub fn push(&mut self, sha1: &[u8; 20]) -> Result<(), DbError> {
        self.pushed += 1;
        self.parts[usize::from(sha1[0])]
            .write_all(sha1)
            .map_err(DbError::io(self.dir.path()))
    }

    /// Hashes pushed so far (duplicates included).
    pub fn pushed(&self) -> u64 {
        self.pushed
    }

    /// Writes the sorted store to `out` (created or replaced; synced), returns the number of
    /// unique hashes. The temporary files are removed.
    pub fn finish(self, out: &Path, source: &str, created: i64) -> Result<u64, DbError> {
        let Builder {
            dir,
            parts,
            sort_budget,
            ..
        } = self;
        for p in parts {
            p.into_inner()
                .map_err(|e| DbError::Io {
                    path: dir.path().to_path_buf(),
                    source: e.into_error(),
                })?
                .sync_data()
                .map_err(DbError::io(dir.path()))?;
        }
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(out)
            .map_err(DbError::io(out))?;
        let mut w = Writer {
            out: BufWriter::with_capacity(1 << 20, file),
            counts: vec![0u64; 65_536],
            written: 0,
            buf: Vec::new(),
            budget: sort_budget,
        };
        w.out
            .write_all(&vec![0u8; DATA_START])
            .map_err(DbError::io(out))?;
        for i in 0..FANOUT {
            w.partition(&part_path(dir.path(), i), 1)
                .map_err(DbError::io(out))?;
        }
        let count = w.written;
        let counts = std::mem::take(&mut w.counts);
        let mut file = w.out.into_inner().map_err(|e| DbError::Io {
            path: out.to_path_buf(),
            source: e.into_error(),
        })?;
        let mut head = Vec::with_capacity(DATA_START);
        head.extend_from_slice(MAGIC);
        head.extend_from_slice(&VERSION.to_le_bytes());
        head.extend_from_slice(&(ENTRY as u32).to_le_bytes());
        head.extend_from_slice(&count.to_le_bytes());
        head.extend_from_slice(&created.to_le_bytes());
        let mut src = source.as_bytes();
        if src.len() > SOURCE_MAX {
            let mut end = SOURCE_MAX;
            while !source.is_char_boundary(end) {
                end -= 1;
            }
            src = &src[..end];
        }
        head.extend_from_slice(&(src.len() as u16).to_le_bytes());
        head.extend_from_slice(src);
        head.resize(HEADER, 0);
        let mut acc = 0u64;
        for c in &counts {
            head.extend_from_slice(&acc.to_le_bytes());
            acc += c;
        }
        head.extend_from_slice(&acc.to_le_bytes());
        debug_assert_eq!(head.len(), HEADER + INDEX_WORDS * 8);
        file.seek(SeekFrom::Start(0)).map_err(DbError::io(out))?;
        file.write_all(&head).map_err(DbError::io(out))?;
        file.sync_all().map_err(DbError::io(out))?;
        drop(dir);
        Ok(count)
    }
}

struct Writer {
    out: BufWriter<File>,
    counts: Vec<u64>,
    written: u64,
    buf: Vec<[u8; 20]>,
    budget: usize,
}

impl Writer {
    /// Appends the sorted unique hashes of one partition file (whose hashes share their
    /// first `depth` bytes), splitting it further if it does not fit the budget.
    fn partition(&mut self, path: &Path, depth: usize) -> std::io::Result<()> {
        let len = std::fs::metadata(path)?.len() as usize;
        if len <= self.budget || depth >= 19 {
            self.buf.clear();
            self.buf.reserve_exact(len / 20);
            let mut r = BufReader::with_capacity(1 << 16, File::open(path)?);
            let mut h = [0u8; 20];
            loop {
                match r.read_exact(&mut h) {
                    Ok(()) => self.buf.push(h),
                    Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
                    Err(e) => return Err(e),
                }
            }
            std::fs::remove_file(path)?;
            self.buf.sort_unstable();
            self.buf.dedup();
            for h in &self.buf {
                self.out.write_all(&h[2..])?;
                self.counts[usize::from(u16::from_be_bytes([h[0], h[1]]))] += 1;
            }
            self.written += self.buf.len() as u64;
            // Give the sort buffer back so that peak memory is one partition, not the largest.
            if self.buf.capacity() > self.budget / 20 {
                self.buf = Vec::new();
            }
            return Ok(());
        }
        let sub = path.with_extension(format!("d{depth}"));
        std::fs::create_dir(&sub)?;
        {
            let mut parts = open_parts(&sub).map_err(into_io)?;
            let mut r = BufReader::with_capacity(1 << 16, File::open(path)?);
            let mut h = [0u8; 20];
            loop {
                match r.read_exact(&mut h) {
                    Ok(()) => parts[usize::from(h[depth])].write_all(&h)?,
                    Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
                    Err(e) => return Err(e),
                }
            }
            for p in parts {
                p.into_inner().map_err(|e| e.into_error())?;
            }
        }
        std::fs::remove_file(path)?;
        for i in 0..FANOUT {
            self.partition(&part_path(&sub, i), depth + 1)?;
        }
        std::fs::remove_dir(&sub)
    }
}

fn into_io(e: DbError) -> std::io::Error {
    match e {
        DbError::Io { source, .. } => source,
        other => std::io::Error::other(other.to_string()),
    }
}

fn part_path(dir: &Path, i: usize) -> PathBuf {
    dir.join(format!("{i:02x}.part"))
}

fn open_parts(dir: &Path) -> Result<Vec<BufWriter<File>>, DbError> {
    (0..FANOUT)
        .map(|i| {
            let path = part_path(dir, i);
            File::create(&path)
                .map(|f| BufWriter::with_capacity(WRITE_BUFFER, f))
                .map_err(DbError::io(&path))
        })
        .collect()
}

/// Moves the finished database `built` (in the same file system) to `<dir>/pwned.db`,
/// replacing any old one atomically, and syncs the directory. Readers that have the old file
/// mapped keep it until they reopen.
pub fn install(built: &Path, dir: &Path) -> Result<PathBuf, DbError> {
    let target = dir.join(FILE_NAME);
    std::fs::rename(built, &target).map_err(DbError::io(&target))?;
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(DbError::io(dir))?;
    Ok(target)
}
