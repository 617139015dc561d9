//! Turning sqlx errors into [`StoreError`]s.
//!
//! Unique violations become `Conflict(<table>)` with the table name the caller passes, so the
//! rule name is the same on every backend. Decoding failures are `Corrupt`; everything else is
//! `Backend` with the driver's message (drivers never echo bound parameters).

use passwords_store::{StoreError, StoreResult};

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

/// `result.ctx("table")?`: maps the error with the table as conflict name.
pub(crate) trait Ctx<T> {
    fn ctx(self, table: &str) -> StoreResult<T>;
}

impl<T> Ctx<T> for Result<T, sqlx::Error> {
    fn ctx(self, table: &str) -> StoreResult<T> {
        self.map_err(|e| map(e, table))
    }
}
