//! The local breached-password database: SHA-1 hashes, sorted, in one memory-mapped file.
//!
//! Layout (all integers little-endian):
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 8 | magic `PWBREACH` |
//! | 8 | 4 | format version (1) |
//! | 12 | 4 | bytes per entry (18) |
//! | 16 | 8 | number of hashes |
//! | 24 | 8 | creation time, Unix seconds |
//! | 32 | 2 | length of the source text |
//! | 34 | 94 | source text (UTF-8, zero padded) |
//! | 128 | 65 537 × 8 | index: for each 2-byte prefix `p`, the number of hashes below `p` |
//! | 524 424 | count × 18 | the hashes without their first 2 bytes, sorted, unique |
//!
//! The index costs 512 KiB whatever the size, so a hash costs 18 bytes plus 0.02 at 25 M.
//! Occurrence counts are not kept (they would cost 4 more bytes per hash): a range query
//! reports every hash with a count of 1. A lookup reads two index words and binary-searches
//! one bucket (about 380 entries at 25 M, 34 000 for the full 2.2 G list).

mod build;

use std::fs::File;
use std::path::{Path, PathBuf};

use memmap2::Mmap;

pub use build::{install, Builder};

/// The magic bytes at the start of a database file.
pub const MAGIC: &[u8; 8] = b"PWBREACH";
/// The format version this code writes and reads.
pub const VERSION: u32 = 1;
/// Bytes stored per hash: the 20-byte SHA-1 without its 2-byte bucket prefix.
pub const ENTRY: usize = 18;
/// Size of the fixed header.
pub const HEADER: usize = 128;
/// Number of index words (one per 2-byte prefix, plus the total).
pub const INDEX_WORDS: usize = 65_537;
/// Where the hashes start.
pub const DATA_START: usize = HEADER + INDEX_WORDS * 8;
/// Longest source text the header holds.
pub const SOURCE_MAX: usize = 94;
/// The file name of the installed database inside its directory.
pub const FILE_NAME: &str = "pwned.db";

/// Why a database could not be built, installed or opened.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a breached-password database ({reason})")]
    Format { path: PathBuf, reason: String },
}

impl DbError {
    pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |source| Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// What the header says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub count: u64,
    pub created: i64,
    pub source: String,
}

/// An open, memory-mapped database.
pub struct LocalDb {
    map: Mmap,
    header: Header,
}

impl std::fmt::Debug for LocalDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalDb")
            .field("header", &self.header)
            .finish()
    }
}

impl LocalDb {
    /// Opens and checks a database file (header, size, index monotonic).
    pub fn open(path: &Path) -> Result<Self, DbError> {
        let file = File::open(path).map_err(DbError::io(path))?;
        // SAFETY: a database file is never changed in place: it is written under a temporary
        // name, synced and renamed over the old one, so the mapped inode stays as it was for
        // as long as this mapping lives (a replaced file's inode lives on until unmapped).
        // Only a process ignoring that protocol (truncating the file by hand) could make the
        // mapping change; the header and index are checked below before any lookup.
        #[allow(unsafe_code)]
        let map = unsafe { Mmap::map(&file) }.map_err(DbError::io(path))?;
        // Lookups touch one or two pages at random: without this hint the kernel reads a large
        // window around every page fault, which made a cold lookup cost milliseconds instead
        // of one small read (docs/benchmarks.md). A failed hint only costs speed.
        let _ = map.advise(memmap2::Advice::Random);
        let bad = |reason: &str| DbError::Format {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        };
        if map.len() < DATA_START || &map[..8] != MAGIC {
            return Err(bad("bad magic or too short"));
        }
        if u32_at(&map, 8) != VERSION {
            return Err(bad(&format!("format version {}", u32_at(&map, 8))));
        }
        if u32_at(&map, 12) as usize != ENTRY {
            return Err(bad("entry size"));
        }
        let count = u64_at(&map, 16);
        let created = u64_at(&map, 24) as i64;
        let source_len = usize::from(u16::from_le_bytes([map[32], map[33]]));
        if source_len > SOURCE_MAX {
            return Err(bad("source length"));
        }
        let source = String::from_utf8_lossy(&map[34..34 + source_len]).into_owned();
        let expected = (count as u128) * ENTRY as u128 + DATA_START as u128;
        if map.len() as u128 != expected {
            return Err(bad("file size does not match the count"));
        }
        let db = Self {
            map,
            header: Header {
                count,
                created,
                source,
            },
        };
        let mut previous = 0;
        for p in 0..INDEX_WORDS {
            let v = db.index(p);
            if v < previous || v > count {
                return Err(bad("index"));
            }
            previous = v;
        }
        if previous != count {
            return Err(bad("index total"));
        }
        Ok(db)
    }

    /// Opens `<dir>/pwned.db`.
    pub fn open_dir(dir: &Path) -> Result<Self, DbError> {
        Self::open(&dir.join(FILE_NAME))
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Number of hashes.
    pub fn len(&self) -> u64 {
        self.header.count
    }

    pub fn is_empty(&self) -> bool {
        self.header.count == 0
    }

    fn index(&self, p: usize) -> u64 {
        u64_at(&self.map, HEADER + p * 8)
    }

    /// The stored entries of one 2-byte bucket.
    fn bucket(&self, p: usize) -> &[u8] {
        let start = DATA_START + self.index(p) as usize * ENTRY;
        let end = DATA_START + self.index(p + 1) as usize * ENTRY;
        &self.map[start..end]
    }

    /// Whether the full SHA-1 is listed.
    pub fn contains(&self, sha1: &[u8; 20]) -> bool {
        let bucket = self.bucket(usize::from(u16::from_be_bytes([sha1[0], sha1[1]])));
        let key = &sha1[2..];
        let (mut lo, mut hi) = (0, bucket.len() / ENTRY);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match bucket[mid * ENTRY..(mid + 1) * ENTRY].cmp(key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }

    /// Whether the lower-case or upper-case hex SHA-1 is listed (`false` if it is not 40 hex
    /// digits).
    pub fn contains_hex(&self, hex_sha1: &str) -> bool {
        parse_sha1(hex_sha1.as_bytes()).is_some_and(|h| self.contains(&h))
    }

    /// Every listed hash starting with the 5 hex digits `prefix` (the HIBP range), sorted;
    /// `None` if `prefix` is not 5 hex digits.
    pub fn range(&self, prefix: &str) -> Option<Vec<[u8; 20]>> {
        let b = prefix.as_bytes();
        if b.len() != 5 {
            return None;
        }
        let mut n = [0u8; 5];
        for (d, c) in n.iter_mut().zip(b) {
            *d = hex_val(*c)?;
        }
        let hi = [n[0] << 4 | n[1], n[2] << 4 | n[3]];
        let nibble = n[4] << 4;
        let bucket = self.bucket(usize::from(u16::from_be_bytes(hi)));
        let entries: Vec<&[u8]> = bucket.chunks_exact(ENTRY).collect();
        let start = entries.partition_point(|e| e[0] < nibble);
        let end = entries.partition_point(|e| (e[0] >> 4) <= n[4]);
        Some(
            entries[start..end]
                .iter()
                .map(|e| {
                    let mut h = [0u8; 20];
                    h[..2].copy_from_slice(&hi);
                    h[2..].copy_from_slice(e);
                    h
                })
                .collect(),
        )
    }

    /// Every hash, in order (for tests and exports).
    pub fn iter(&self) -> impl Iterator<Item = [u8; 20]> + '_ {
        (0..65_536usize).flat_map(move |p| {
            let prefix = (p as u16).to_be_bytes();
            self.bucket(p).chunks_exact(ENTRY).map(move |e| {
                let mut h = [0u8; 20];
                h[..2].copy_from_slice(&prefix);
                h[2..].copy_from_slice(e);
                h
            })
        })
    }
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap_or([0; 4]))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or([0; 8]))
}

/// Hex digit values by byte; 0xff for a byte that is not a hex digit.
const HEX: [u8; 256] = {
    let mut t = [0xffu8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// The value of one hex digit (either case).
pub fn hex_val(c: u8) -> Option<u8> {
    let v = HEX[usize::from(c)];
    (v != 0xff).then_some(v)
}

/// 40 hex digits (either case) as a SHA-1.
pub fn parse_sha1(hex: &[u8]) -> Option<[u8; 20]> {
    if hex.len() != 40 {
        return None;
    }
    let mut out = [0u8; 20];
    let mut bad = 0u8;
    for (o, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        let (hi, lo) = (HEX[usize::from(pair[0])], HEX[usize::from(pair[1])]);
        bad |= hi | lo;
        *o = hi << 4 | (lo & 0x0f);
    }
    // Digits are below 16; a non-digit (0xff) sets the high bits.
    (bad & 0xf0 == 0).then_some(out)
}

#[cfg(test)]
mod tests;
