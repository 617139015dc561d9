//! Reading a Pwned Passwords SHA-1 file and selecting its most common hashes.
//!
//! The input has one `HASH:COUNT` line per hash (40 hex digits, a decimal count), LF or CRLF,
//! in any order. The selection is the reference's (`pwned-list process`): the top N lines by
//! count, ties at the threshold count broken by file order. It takes two passes and bounded
//! memory: pass 1 checks every line and counts lines per count (a histogram), which gives the
//! threshold count `c` and how many lines of count `c` are taken; pass 2 hands the taken
//! hashes on. Unlike the reference every line is checked, taken or not, so a damaged file is
//! refused before anything is written.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use crate::localdb::parse_sha1;

/// Why a list could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error("File not found or not readable: {0}")]
    NotFound(PathBuf),
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("Invalid SHA-1 hash encountered (line {line})")]
    InvalidHash { line: u64 },
    #[error("File contains invalid lines (line {line})")]
    InvalidLine { line: u64 },
    #[error("No hashes found")]
    NoHashes,
    #[error("the file changed while it was being read")]
    Changed,
}

/// Counts below this are counted in an array, above it in a sorted map (real lists have a
/// few thousand distinct large counts).
const DENSE: usize = 1 << 16;

/// Lines per count.
#[derive(Debug)]
pub struct Histogram {
    dense: Vec<u64>,
    sparse: std::collections::BTreeMap<u64, u64>,
    lines: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Self {
            dense: vec![0; DENSE],
            sparse: Default::default(),
            lines: 0,
        }
    }
}

impl Histogram {
    fn add(&mut self, count: u64) {
        self.lines += 1;
        match usize::try_from(count) {
            Ok(c) if c < DENSE => self.dense[c] += 1,
            _ => *self.sparse.entry(count).or_default() += 1,
        }
    }

    /// Number of lines.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// (count, lines) from the highest count down.
    fn descending(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.sparse.iter().rev().map(|(c, n)| (*c, *n)).chain(
            self.dense
                .iter()
                .enumerate()
                .rev()
                .filter(|(_, n)| **n > 0)
                .map(|(c, n)| (c as u64, *n)),
        )
    }

    /// The threshold for the top `n` lines: lines with a count above `.0` are taken, and the
    /// first `.1` lines (in file order) with count `.0`.
    pub fn threshold(&self, n: u64) -> Option<Selection> {
        let mut remaining = n;
        let mut last = None;
        for (count, lines) in self.descending() {
            if lines >= remaining {
                return Some(Selection {
                    threshold: count,
                    quota: remaining,
                });
            }
            remaining -= lines;
            last = Some((count, lines));
        }
        last.map(|(threshold, quota)| Selection { threshold, quota })
    }
}

/// Which lines pass 2 takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection {
    pub threshold: u64,
    pub quota: u64,
}

/// What [`scan`] calls for each line: the hash and its count.
pub type LineFn<'a> = dyn FnMut(&[u8; 20], u64) -> Result<(), ListError> + 'a;

/// Calls `line(hash, count)` for every line of `path`; `progress(bytes)` after each chunk.
pub fn scan(
    path: &Path,
    progress: &mut dyn FnMut(u64),
    line: &mut LineFn<'_>,
) -> Result<(), ListError> {
    let file = File::open(path).map_err(|_| ListError::NotFound(path.to_path_buf()))?;
    if file.metadata().map(|m| m.is_dir()).unwrap_or(true) {
        return Err(ListError::NotFound(path.to_path_buf()));
    }
    let io = |source| ListError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut r = BufReader::with_capacity(1 << 20, file);
    let mut buf = Vec::with_capacity(128);
    let mut number = 0u64;
    let mut since = 0u64;
    loop {
        buf.clear();
        let read = r.read_until(b'\n', &mut buf).map_err(io)?;
        if read == 0 {
            break;
        }
        number += 1;
        since += read as u64;
        if since >= 1 << 20 {
            progress(since);
            since = 0;
        }
        let (hash, count) = parse_line(&buf).map_err(|bad| match bad {
            Bad::Hash => ListError::InvalidHash { line: number },
            Bad::Line => ListError::InvalidLine { line: number },
        })?;
        line(&hash, count)?;
    }
    progress(since);
    Ok(())
}

enum Bad {
    Hash,
    Line,
}

/// `HASH:COUNT` with an optional CR LF or LF.
fn parse_line(raw: &[u8]) -> Result<([u8; 20], u64), Bad> {
    let mut s = raw.strip_suffix(b"\n").unwrap_or(raw);
    s = s.strip_suffix(b"\r").unwrap_or(s);
    let colon = s.iter().position(|b| *b == b':').ok_or(Bad::Line)?;
    let (hash, count) = (&s[..colon], &s[colon + 1..]);
    if count.is_empty() || count.len() > 19 || !count.iter().all(u8::is_ascii_digit) {
        return Err(Bad::Line);
    }
    let count = count
        .iter()
        .fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0'));
    let hash = parse_sha1(hash).ok_or(Bad::Hash)?;
    Ok((hash, count))
}

/// Pass 1: checks every line and counts lines per count.
pub fn histogram(path: &Path, progress: &mut dyn FnMut(u64)) -> Result<Histogram, ListError> {
    let mut h = Histogram::default();
    scan(path, progress, &mut |_, count| {
        h.add(count);
        Ok(())
    })?;
    if h.lines == 0 {
        return Err(ListError::NoHashes);
    }
    Ok(h)
}

/// Pass 2: hands each taken hash to `take`, in file order; returns how many were taken.
pub fn select(
    path: &Path,
    selection: Selection,
    progress: &mut dyn FnMut(u64),
    take: &mut dyn FnMut(&[u8; 20]) -> Result<(), ListError>,
) -> Result<u64, ListError> {
    let mut quota = selection.quota;
    let mut taken = 0u64;
    scan(path, progress, &mut |hash, count| {
        let keep = if count > selection.threshold {
            true
        } else if count == selection.threshold && quota > 0 {
            quota -= 1;
            true
        } else {
            false
        };
        if keep {
            taken += 1;
            take(hash)?;
        }
        Ok(())
    })?;
    Ok(taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(lines: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.txt");
        std::fs::write(&path, lines).unwrap();
        (dir, path)
    }

    fn run(path: &Path, n: u64) -> Result<Vec<[u8; 20]>, ListError> {
        let h = histogram(path, &mut |_| {})?;
        let sel = h.threshold(n).unwrap();
        let mut out = Vec::new();
        select(path, sel, &mut |_| {}, &mut |h| {
            out.push(*h);
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn errors_name_the_line() {
        let good = "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:10\n";
        let (_d, p) = write(&format!("{good}5BAA61E4:3\n"));
        assert!(matches!(
            run(&p, 1),
            Err(ListError::InvalidHash { line: 2 })
        ));
        let (_d, p) = write(&format!(
            "{good}{good}5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8\n"
        ));
        assert!(matches!(
            run(&p, 1),
            Err(ListError::InvalidLine { line: 3 })
        ));
        let (_d, p) = write(&format!("{good}\n"));
        assert!(matches!(
            run(&p, 1),
            Err(ListError::InvalidLine { line: 2 })
        ));
        let (_d, p) = write(&format!(
            "{good}5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:x\n"
        ));
        assert!(matches!(
            run(&p, 1),
            Err(ListError::InvalidLine { line: 2 })
        ));
        let (_d, p) = write(&format!(
            "{good}ZBAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:1\n"
        ));
        assert!(matches!(
            run(&p, 1),
            Err(ListError::InvalidHash { line: 2 })
        ));
        let (_d, p) = write("");
        assert!(matches!(run(&p, 1), Err(ListError::NoHashes)));
        assert!(matches!(
            run(&p.with_file_name("missing"), 1),
            Err(ListError::NotFound(_))
        ));
        // CRLF, lower case and no final newline are fine.
        let (_d, p) = write("5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8:10\r\n5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD9:1");
        assert_eq!(run(&p, 5).unwrap().len(), 2);
    }

    #[test]
    fn threshold_follows_the_reference() {
        let mut h = Histogram::default();
        for c in [5, 5, 3, 3, 3, 1, 100_000, 100_000] {
            h.add(c);
        }
        let t = |n| h.threshold(n).unwrap();
        assert_eq!(
            t(1),
            Selection {
                threshold: 100_000,
                quota: 1
            }
        );
        assert_eq!(
            t(2),
            Selection {
                threshold: 100_000,
                quota: 2
            }
        );
        assert_eq!(
            t(3),
            Selection {
                threshold: 5,
                quota: 1
            }
        );
        assert_eq!(
            t(5),
            Selection {
                threshold: 3,
                quota: 1
            }
        );
        assert_eq!(
            t(8),
            Selection {
                threshold: 1,
                quota: 1
            }
        );
        // More asked than there are: everything.
        assert_eq!(
            t(50),
            Selection {
                threshold: 1,
                quota: 1
            }
        );
    }
}
