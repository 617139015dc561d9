//! `pwned-list process --mode json|gzip`: the reference's database zip (§5.3).
//!
//! `<size>m-v16-<json|gzip>.zip` holds one entry per 3-hex prefix that has hashes:
//! `<abc>.json` (a sorted JSON list of lower-case hex hashes) or, in gzip mode,
//! `<abc>.json.gz` with the same JSON compressed by zlib (RFC 1950, PHP's `gzcompress`, not
//! gzip). The selection is built as a local database in a staging directory first (bounded
//! memory), then read in order; the zip is written under a temporary name and renamed.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use flate2::write::ZlibEncoder;
use zip::write::SimpleFileOptions;

use crate::localdb::LocalDb;
use crate::process::{build, ImportSummary, ProcessError, Progress};

/// The reference's database version, part of the file name and of the update protocol.
pub const REFERENCE_VERSION: u32 = 16;

/// The payload format of the entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Gzip,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Gzip => "gzip",
        }
    }
}

/// The file name the reference gives an export of `size` million hashes.
pub fn file_name(size: u64, format: Format) -> String {
    format!("{size}m-v{REFERENCE_VERSION}-{}.zip", format.name())
}

/// Writes the top `n` hashes of `input` as `<dir>/<name>`, replacing any old file.
pub fn export(
    input: &Path,
    n: u64,
    dir: &Path,
    name: &str,
    format: Format,
    progress: &dyn Progress,
) -> Result<ImportSummary, ProcessError> {
    let (staging, summary) = build(input, n, dir, progress)?;
    let db = LocalDb::open(&summary.path)?;
    let target = dir.join(name);
    let err = |message: String| ProcessError::Export {
        path: target.clone(),
        message,
    };
    let tmp = staging.path().join("export.zip");
    write_zip(&db, &tmp, format).map_err(|e| err(e.to_string()))?;
    std::fs::rename(&tmp, &target).map_err(|e| err(e.to_string()))?;
    drop(db);
    drop(staging);
    progress.finish();
    Ok(ImportSummary {
        path: target,
        ..summary
    })
}

fn write_zip(db: &LocalDb, path: &PathBuf, format: Format) -> std::io::Result<()> {
    let file = File::create(path)?;
    let mut zip = zip::ZipWriter::new(BufWriter::with_capacity(1 << 20, file));
    let options = match format {
        // A zlib payload does not shrink further.
        Format::Gzip => {
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)
        }
        Format::Json => {
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)
        }
    };
    let mut group: Option<u16> = None;
    let mut json = Vec::new();
    let flush = |zip: &mut zip::ZipWriter<BufWriter<File>>,
                 g: u16,
                 json: &mut Vec<u8>|
     -> std::io::Result<()> {
        json.push(b']');
        let name = match format {
            Format::Json => format!("{g:03x}.json"),
            Format::Gzip => format!("{g:03x}.json.gz"),
        };
        zip.start_file(name, options)
            .map_err(std::io::Error::other)?;
        match format {
            Format::Json => zip.write_all(json)?,
            Format::Gzip => {
                let mut z = ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
                z.write_all(json)?;
                zip.write_all(&z.finish()?)?;
            }
        }
        json.clear();
        Ok(())
    };
    for h in db.iter() {
        let g = u16::from_be_bytes([h[0], h[1]]) >> 4;
        if group != Some(g) {
            if let Some(previous) = group {
                flush(&mut zip, previous, &mut json)?;
            }
            group = Some(g);
            json.push(b'[');
        } else {
            json.push(b',');
        }
        json.push(b'"');
        json.extend_from_slice(hex::encode(h).as_bytes());
        json.push(b'"');
    }
    if let Some(g) = group {
        flush(&mut zip, g, &mut json)?;
    }
    let out = zip.finish().map_err(std::io::Error::other)?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()
}
