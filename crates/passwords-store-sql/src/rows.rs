//! Reading rows, the same way on every backend: [`RowSource`] is what a backend's row offers
//! (sqlx's `AnyRow`, rusqlite's `Row`), [`Cols`] a cursor over its columns with the
//! conversions of the storage conventions (0/1 booleans, UUID text, user ids).
//!
//! Every query selects its columns in the order that the matching `read_*` function of its
//! resource module reads them, so mapping code never depends on column names (which collide
//! in joins).

use std::borrow::Cow;
use std::str::FromStr;

use passwords_store::{StoreError, StoreResult};
use passwords_types::UserId;

/// Decodes one row; plain functions, so they can run on the SQLite worker thread.
pub(crate) type Read<T> = fn(&mut Cols<'_>) -> StoreResult<T>;

/// Decodes one row and hands it to a sink `S`, borrowing from the row where it can.
pub(crate) type Visit<S> = fn(&mut Cols<'_>, &mut S) -> StoreResult<()>;

/// The columns of one result row of some backend, by index.
///
/// A value of another type than asked for is `Corrupt`; text may come as a UTF-8 blob (MySQL
/// reports TEXT columns as blobs).
pub(crate) trait RowSource {
    fn get_opt_i64(&self, index: usize) -> StoreResult<Option<i64>>;
    fn get_opt_text(&self, index: usize) -> StoreResult<Option<Cow<'_, str>>>;
    fn get_opt_blob(&self, index: usize) -> StoreResult<Option<Vec<u8>>>;
    /// A blob borrowed from the row where the backend allows it.
    fn get_opt_bytes(&self, index: usize) -> StoreResult<Option<Cow<'_, [u8]>>> {
        Ok(self.get_opt_blob(index)?.map(Cow::Owned))
    }
    /// The column's name, for error messages.
    fn column_name(&self, index: usize) -> String;

    fn get_i64(&self, index: usize) -> StoreResult<i64> {
        self.get_opt_i64(index)?
            .ok_or_else(|| corrupt(self, index, "unexpected NULL"))
    }
    fn get_text(&self, index: usize) -> StoreResult<Cow<'_, str>> {
        self.get_opt_text(index)?
            .ok_or_else(|| corrupt(self, index, "unexpected NULL"))
    }
    fn get_blob(&self, index: usize) -> StoreResult<Vec<u8>> {
        self.get_opt_blob(index)?
            .ok_or_else(|| corrupt(self, index, "unexpected NULL"))
    }
}

/// `Corrupt("column <name>: <what>")`.
pub(crate) fn corrupt<R: RowSource + ?Sized>(
    row: &R,
    index: usize,
    what: impl std::fmt::Display,
) -> StoreError {
    StoreError::Corrupt(format!("column {}: {what}", row.column_name(index)))
}

/// Reads the columns of one row left to right.
pub(crate) struct Cols<'r> {
    row: &'r dyn RowSource,
    next: usize,
}

impl<'r> Cols<'r> {
    pub(crate) fn new(row: &'r dyn RowSource) -> Self {
        Self { row, next: 0 }
    }

    fn take(&mut self) -> usize {
        let index = self.next;
        self.next += 1;
        index
    }

    pub(crate) fn i64(&mut self) -> StoreResult<i64> {
        let index = self.take();
        self.row.get_i64(index)
    }

    pub(crate) fn opt_i64(&mut self) -> StoreResult<Option<i64>> {
        let index = self.take();
        self.row.get_opt_i64(index)
    }

    /// A boolean stored as an integer: anything but 0 is true.
    pub(crate) fn flag(&mut self) -> StoreResult<bool> {
        Ok(self.i64()? != 0)
    }

    pub(crate) fn text(&mut self) -> StoreResult<String> {
        let index = self.take();
        self.row.get_text(index).map(Cow::into_owned)
    }

    /// Text borrowed from the row where the backend allows it (for values parsed at once).
    pub(crate) fn borrowed_text(&mut self) -> StoreResult<Cow<'r, str>> {
        let index = self.take();
        self.row.get_text(index)
    }

    pub(crate) fn opt_text(&mut self) -> StoreResult<Option<String>> {
        let index = self.take();
        Ok(self.row.get_opt_text(index)?.map(Cow::into_owned))
    }

    pub(crate) fn blob(&mut self) -> StoreResult<Vec<u8>> {
        let index = self.take();
        self.row.get_blob(index)
    }

    /// A blob borrowed from the row where the backend allows it.
    pub(crate) fn borrowed_blob(&mut self) -> StoreResult<Cow<'r, [u8]>> {
        let index = self.take();
        self.row
            .get_opt_bytes(index)?
            .ok_or_else(|| corrupt(self.row, index, "unexpected NULL"))
    }

    pub(crate) fn uid(&mut self) -> StoreResult<UserId> {
        let index = self.take();
        let text = self.row.get_text(index)?;
        UserId::parse(&text).map_err(|e| corrupt(self.row, index, e))
    }

    /// A UUID-typed id (`PasswordId`, `RevisionId`, `uuid::Uuid`, …) stored as text.
    pub(crate) fn id<T: FromStr>(&mut self) -> StoreResult<T> {
        let index = self.take();
        let text = self.row.get_text(index)?;
        T::from_str(&text).map_err(|_| corrupt(self.row, index, "not a UUID"))
    }

    pub(crate) fn opt_id<T: FromStr>(&mut self) -> StoreResult<Option<T>> {
        let index = self.take();
        match self.row.get_opt_text(index)? {
            None => Ok(None),
            Some(text) => T::from_str(&text)
                .map(Some)
                .map_err(|_| corrupt(self.row, index, "not a UUID")),
        }
    }
}

/// Decodes one row with `read`.
pub(crate) fn read_row<T>(row: &dyn RowSource, read: Read<T>) -> StoreResult<T> {
    read(&mut Cols::new(row))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row of optional text cells, for testing the cursor alone.
    struct Cells(Vec<Option<&'static str>>);

    impl RowSource for Cells {
        fn get_opt_i64(&self, index: usize) -> StoreResult<Option<i64>> {
            self.0[index]
                .map(|t| {
                    t.parse()
                        .map_err(|_| corrupt(self, index, "not an integer"))
                })
                .transpose()
        }
        fn get_opt_text(&self, index: usize) -> StoreResult<Option<Cow<'_, str>>> {
            Ok(self.0[index].map(Cow::Borrowed))
        }
        fn get_opt_blob(&self, index: usize) -> StoreResult<Option<Vec<u8>>> {
            Ok(self.0[index].map(|t| t.as_bytes().to_vec()))
        }
        fn column_name(&self, index: usize) -> String {
            format!("c{index}")
        }
    }

    #[test]
    fn cursor_converts_and_names_the_bad_column() {
        let id = uuid::Uuid::new_v4().to_string();
        let id: &'static str = Box::leak(id.into_boxed_str());
        let row = Cells(vec![
            Some("1"),
            Some("0"),
            Some(id),
            None,
            Some("alice"),
            None,
        ]);
        let mut c = Cols::new(&row);
        assert!(c.flag().unwrap());
        assert_eq!(c.i64().unwrap(), 0);
        assert_eq!(c.id::<uuid::Uuid>().unwrap().to_string(), id);
        assert_eq!(c.opt_id::<uuid::Uuid>().unwrap(), None);
        assert_eq!(c.uid().unwrap().as_str(), "alice");
        match c.text() {
            Err(StoreError::Corrupt(msg)) => assert_eq!(msg, "column c5: unexpected NULL"),
            other => panic!("{other:?}"),
        }
        let row = Cells(vec![Some("nope")]);
        match Cols::new(&row).id::<uuid::Uuid>() {
            Err(StoreError::Corrupt(msg)) => assert_eq!(msg, "column c0: not a UUID"),
            other => panic!("{other:?}"),
        }
    }
}
