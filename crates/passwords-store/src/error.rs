//! Storage errors.
//!
//! Rules: backends turn driver errors into these variants and nothing else. `Conflict` carries
//! the name of the violated rule so the domain can map it (e.g. an existing uid). `Backend`
//! keeps the driver's message for logs; it must never contain a secret (the drivers do not
//! echo bound parameters).

/// An error of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row to change does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was violated.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Stored data that the code cannot read (e.g. an unknown enum text).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// The database failed or could not be reached.
    #[error("database error: {0}")]
    Backend(String),
    /// The migrations could not be applied.
    #[error("database migration failed: {0}")]
    Migration(String),
}
