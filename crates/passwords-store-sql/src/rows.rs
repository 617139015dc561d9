//! Reading rows: a cursor over the columns of one [`AnyRow`], with the conversions of the
//! storage conventions (0/1 booleans, UUID text, user ids, text that MySQL reports as blobs).
//!
//! Every query selects its columns in the order that the matching `read_*` function of its
//! resource module reads them, so mapping code never depends on column names (which collide
//! in joins).

use std::str::FromStr;

use passwords_store::{StoreError, StoreResult};
use passwords_types::UserId;
use sqlx::any::{AnyRow, AnyTypeInfoKind};
use sqlx::{Row, ValueRef};

use crate::error::Ctx;

/// Reads the columns of one row left to right.
pub(crate) struct Cols<'r> {
    row: &'r AnyRow,
    next: usize,
}

impl<'r> Cols<'r> {
    pub(crate) fn new(row: &'r AnyRow) -> Self {
        Self { row, next: 0 }
    }

    fn take(&mut self) -> usize {
        let index = self.next;
        self.next += 1;
        index
    }

    fn column_name(&self, index: usize) -> String {
        use sqlx::Column;
        self.row
            .columns()
            .get(index)
            .map(|c| c.name().to_owned())
            .unwrap_or_else(|| format!("#{index}"))
    }

    fn corrupt(&self, index: usize, what: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt(format!("column {}: {what}", self.column_name(index)))
    }

    fn is_null(&self, index: usize) -> StoreResult<bool> {
        Ok(self.row.try_get_raw(index).ctx("row")?.is_null())
    }

    pub(crate) fn i64(&mut self) -> StoreResult<i64> {
        let index = self.take();
        self.row.try_get::<i64, _>(index).ctx("row")
    }

    pub(crate) fn opt_i64(&mut self) -> StoreResult<Option<i64>> {
        let index = self.take();
        self.row.try_get::<Option<i64>, _>(index).ctx("row")
    }

    /// A boolean stored as an integer: anything but 0 is true.
    pub(crate) fn flag(&mut self) -> StoreResult<bool> {
        Ok(self.i64()? != 0)
    }

    fn text_at(&self, index: usize) -> StoreResult<String> {
        let raw = self.row.try_get_raw(index).ctx("row")?;
        let kind = raw.type_info().kind();
        // MySQL reports TEXT columns as BLOB types, which sqlx `Any` hands over as bytes.
        if kind == AnyTypeInfoKind::Blob {
            let bytes = self.row.try_get::<Vec<u8>, _>(index).ctx("row")?;
            return String::from_utf8(bytes).map_err(|_| self.corrupt(index, "invalid UTF-8"));
        }
        self.row.try_get::<String, _>(index).ctx("row")
    }

    pub(crate) fn text(&mut self) -> StoreResult<String> {
        let index = self.take();
        if self.is_null(index)? {
            return Err(self.corrupt(index, "unexpected NULL"));
        }
        self.text_at(index)
    }

    pub(crate) fn opt_text(&mut self) -> StoreResult<Option<String>> {
        let index = self.take();
        if self.is_null(index)? {
            return Ok(None);
        }
        self.text_at(index).map(Some)
    }

    pub(crate) fn blob(&mut self) -> StoreResult<Vec<u8>> {
        let index = self.take();
        if self.is_null(index)? {
            return Err(self.corrupt(index, "unexpected NULL"));
        }
        self.row.try_get::<Vec<u8>, _>(index).ctx("row")
    }

    pub(crate) fn uid(&mut self) -> StoreResult<UserId> {
        let index = self.next;
        let text = self.text()?;
        UserId::parse(&text).map_err(|e| self.corrupt(index, e))
    }

    /// A UUID-typed id (`PasswordId`, `RevisionId`, `uuid::Uuid`, …) stored as text.
    pub(crate) fn id<T: FromStr>(&mut self) -> StoreResult<T> {
        let index = self.next;
        let text = self.text()?;
        T::from_str(&text).map_err(|_| self.corrupt(index, "not a UUID"))
    }

    pub(crate) fn opt_id<T: FromStr>(&mut self) -> StoreResult<Option<T>> {
        let index = self.next;
        match self.opt_text()? {
            None => Ok(None),
            Some(text) => T::from_str(&text)
                .map(Some)
                .map_err(|_| self.corrupt(index, "not a UUID")),
        }
    }
}

/// A boolean as stored: 0 or 1.
pub(crate) fn int(flag: bool) -> i64 {
    i64::from(flag)
}

/// Maps every row with `read`.
pub(crate) fn all<T>(
    rows: &[AnyRow],
    read: impl Fn(&mut Cols<'_>) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    rows.iter().map(|row| read(&mut Cols::new(row))).collect()
}

/// Maps the row, if any, with `read`.
pub(crate) fn one<T>(
    row: Option<AnyRow>,
    read: impl Fn(&mut Cols<'_>) -> StoreResult<T>,
) -> StoreResult<Option<T>> {
    row.as_ref()
        .map(|row| read(&mut Cols::new(row)))
        .transpose()
}
