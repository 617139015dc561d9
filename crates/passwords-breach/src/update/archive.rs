//! Checking the update zip and converting it into a database file.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use flate2::bufread::{MultiGzDecoder, ZlibDecoder};

use super::{json, ConvertStats, UpdateError};
use crate::localdb::Builder;
use crate::process::Progress;

/// Limits of a conversion, against archives that expand without end.
#[derive(Clone, Debug)]
pub struct ConvertLimits {
    /// Largest payload of one entry after decompression, in bytes.
    pub max_entry_bytes: u64,
    /// Largest sum of all payloads after decompression, in bytes.
    pub max_total_bytes: u64,
}

impl Default for ConvertLimits {
    fn default() -> Self {
        Self {
            // 25 M hashes: ~270 KB per entry; the whole 2.2 G corpus: ~25 MB per entry.
            max_entry_bytes: 512 * 1024 * 1024,
            max_total_bytes: 256 * 1024 * 1024 * 1024,
        }
    }
}

/// The 3-hex prefix of a valid entry name (`abc.json`, `abc.json.gz`; lower case).
pub(super) fn entry_prefix(name: &str) -> Option<u16> {
    let stem = name
        .strip_suffix(".json.gz")
        .or_else(|| name.strip_suffix(".json"))?;
    if stem.len() != 3
        || !stem
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return None;
    }
    u16::from_str_radix(stem, 16).ok()
}

pub(super) fn convert(
    zip: &Path,
    scratch: &Path,
    out: &Path,
    source: &str,
    created: i64,
    limits: &ConvertLimits,
    progress: &dyn Progress,
) -> Result<ConvertStats, UpdateError> {
    let file = File::open(zip).map_err(|e| UpdateError::Archive(e.to_string()))?;
    let mut archive = zip::ZipArchive::new(BufReader::with_capacity(1 << 16, file))
        .map_err(|e| UpdateError::Archive(e.to_string()))?;
    if archive.is_empty() {
        return Err(UpdateError::Empty);
    }
    // Every name first: a bad one refuses the file before any work.
    if let Some(name) = archive.file_names().find(|n| entry_prefix(n).is_none()) {
        return Err(UpdateError::EntryName {
            name: name.chars().take(100).collect(),
        });
    }
    let mut builder = Builder::new(scratch)?;
    let mut stats = ConvertStats {
        entries: archive.len() as u64,
        ..ConvertStats::default()
    };
    let mut expanded_total = 0u64;
    progress.start(stats.entries);
    for i in 0..archive.len() {
        let entry = archive
            .by_index(i)
            .map_err(|e| UpdateError::Archive(e.to_string()))?;
        let name = entry.name().to_owned();
        let Some(prefix) = entry_prefix(&name) else {
            return Err(UpdateError::EntryName { name });
        };
        let bad = |reason: String| UpdateError::Entry {
            name: name.clone(),
            reason,
        };
        let mut raw = BufReader::with_capacity(1 << 16, entry);
        let head = raw.fill_buf().map_err(|e| bad(e.to_string()))?;
        if head.is_empty() {
            return Err(bad("the entry is empty".into()));
        }
        let payload: Box<dyn Read> = match head {
            [0x1f, 0x8b, ..] => Box::new(MultiGzDecoder::new(raw)),
            [0x78, ..] => Box::new(ZlibDecoder::new(raw)),
            _ => Box::new(raw),
        };
        // One byte over the limit tells "too large" from "exactly the limit".
        let room = limits
            .max_entry_bytes
            .min(limits.max_total_bytes.saturating_sub(expanded_total));
        let mut counted = Counted {
            inner: payload.take(room + 1),
            read: 0,
        };
        let mut failed = None;
        let n = json::read_hashes(&mut counted, prefix, &mut |h| {
            builder.push(h).map_err(|e| {
                let text = e.to_string();
                failed = Some(e);
                text
            })
        });
        if let Some(e) = failed {
            return Err(e.into());
        }
        if counted.read > room {
            return Err(bad(format!("it expands to more than {room} bytes")));
        }
        let n = n.map_err(bad)?;
        expanded_total += counted.read;
        stats.hashes += n;
        progress.advance(1);
    }
    if stats.hashes == 0 {
        return Err(UpdateError::Empty);
    }
    stats.stored = builder.finish(out, source, created)?;
    progress.finish();
    Ok(stats)
}

/// A reader that counts the bytes it hands out.
struct Counted<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}
