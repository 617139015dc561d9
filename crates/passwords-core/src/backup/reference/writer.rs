//! Writes our backup format's JSON into gzip, field by field and entry by entry (the
//! converted file; `create` has its own writer fed through a channel).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;
use serde::Serialize;

use crate::backup::BackupError;

/// Writes our format's JSON into gzip, field by field and entry by entry.
pub struct Writer<'f> {
    out: BufWriter<GzEncoder<BufWriter<&'f mut File>>>,
    path: &'f Path,
    first_field: bool,
    first_entry: bool,
}

impl<'f> Writer<'f> {
    pub fn new(file: &'f mut File, path: &'f Path) -> Self {
        let buffered = BufWriter::with_capacity(1 << 16, file);
        let mut out =
            BufWriter::with_capacity(1 << 16, GzEncoder::new(buffered, Compression::new(6)));
        let _ = out.write_all(b"{");
        Self {
            out,
            path,
            first_field: true,
            first_entry: true,
        }
    }

    fn io(&self, e: std::io::Error) -> BackupError {
        BackupError::io(self.path, e)
    }

    fn name(&mut self, name: &str) -> Result<(), BackupError> {
        let comma = if self.first_field { "" } else { "," };
        self.first_field = false;
        write!(self.out, "{comma}\"{name}\":").map_err(|e| self.io(e))
    }

    pub fn field(&mut self, name: &str, value: &impl Serialize) -> Result<(), BackupError> {
        self.name(name)?;
        serde_json::to_writer(&mut self.out, value).map_err(|e| self.io(e.into()))
    }

    pub fn open(&mut self, name: &str) -> Result<(), BackupError> {
        self.name(name)?;
        self.first_entry = true;
        self.out.write_all(b"[").map_err(|e| self.io(e))
    }

    pub fn entry(&mut self, value: &impl Serialize) -> Result<(), BackupError> {
        if !self.first_entry {
            self.out.write_all(b",").map_err(|e| self.io(e))?;
        }
        self.first_entry = false;
        serde_json::to_writer(&mut self.out, value).map_err(|e| self.io(e.into()))
    }

    pub fn close(&mut self) -> Result<(), BackupError> {
        self.out.write_all(b"]").map_err(|e| self.io(e))
    }

    pub fn finish(mut self) -> Result<(), BackupError> {
        self.out.write_all(b"}\n").map_err(|e| self.io(e))?;
        let path = self.path;
        let io = |e: std::io::Error| BackupError::io(path, e);
        self.out
            .into_inner()
            .map_err(|e| io(e.into_error()))?
            .finish()
            .map_err(io)?
            .flush()
            .map_err(io)
    }
}
