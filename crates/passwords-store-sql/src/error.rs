//! Turning sqlx and rusqlite errors into [`StoreError`]s.
//!
//! Unique violations become `Conflict(<table>)` with the table name the caller passes, so the
//! rule name is the same on every backend. Decoding failures are `Corrupt`; everything else is
//! `Backend` with the driver's message (drivers never echo bound parameters). Errors of opening
//! a SQLite file are reduced to SQLite's error code, because rusqlite appends the file's path.

use passwords_store::{StoreError, StoreResult};
use rusqlite::ffi;

/// Maps one sqlx error; `table` names the rule for conflicts.
pub(crate) fn map(err: sqlx::Error, table: &str) -> StoreError {
    match err {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(table.to_owned())
        }
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::ColumnDecode { index, source } => {
            StoreError::Corrupt(format!("{table}: column {index}: {source}"))
        }
        sqlx::Error::Decode(source) => StoreError::Corrupt(format!("{table}: {source}")),
        other => StoreError::Backend(other.to_string()),
    }
}

/// Maps one rusqlite error like [`map`]: the same unique violations as sqlx-sqlite reports
/// (`UNIQUE` and `PRIMARY KEY` constraints) are conflicts.
pub(crate) fn map_sqlite(err: rusqlite::Error, table: &str) -> StoreError {
    use rusqlite::Error as E;
    match err {
        E::SqliteFailure(code, _)
            if matches!(
                code.extended_code,
                ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            ) =>
        {
            StoreError::Conflict(table.to_owned())
        }
        E::QueryReturnedNoRows => StoreError::NotFound,
        E::FromSqlConversionFailure(index, _, source) => {
            StoreError::Corrupt(format!("{table}: column {index}: {source}"))
        }
        E::InvalidColumnType(index, name, ty) => {
            StoreError::Corrupt(format!("{table}: column {index} ({name}): unexpected {ty}"))
        }
        E::IntegralValueOutOfRange(index, value) => {
            StoreError::Corrupt(format!("{table}: column {index}: {value} out of range"))
        }
        E::Utf8Error(source) => StoreError::Corrupt(format!("{table}: {source}")),
        other => StoreError::Backend(other.to_string()),
    }
}

/// An error of opening (or setting up) a SQLite database, without the file's path.
pub(crate) fn sqlite_open(err: rusqlite::Error) -> StoreError {
    let reason = match err {
        // rusqlite appends the path to SQLite's message: keep the code and its description.
        rusqlite::Error::SqliteFailure(code, _) => code.to_string(),
        rusqlite::Error::InvalidPath(_) | rusqlite::Error::NulError(_) => {
            "the file name is not valid".to_owned()
        }
        other => other.to_string(),
    };
    StoreError::Backend(format!("cannot open the sqlite database: {reason}"))
}

/// `result.ctx("table")?`: maps the error with the table as conflict name.
pub(crate) trait Ctx<T> {
    fn ctx(self, table: &str) -> StoreResult<T>;
}

impl<T> Ctx<T> for Result<T, sqlx::Error> {
    fn ctx(self, table: &str) -> StoreResult<T> {
        self.map_err(|e| map(e, table))
    }
}

impl<T> Ctx<T> for Result<T, rusqlite::Error> {
    fn ctx(self, table: &str) -> StoreResult<T> {
        self.map_err(|e| map_sqlite(e, table))
    }
}
