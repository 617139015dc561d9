//! Errors of the domain layer.
//!
//! Rules: every public function of this crate returns [`CoreError`]. Variants say what went
//! wrong in domain terms; the HTTP layer maps them to statuses in one place and the CLI prints
//! their message. Messages never contain a secret (no passwords, tokens or keys, no database
//! URL with credentials).

use passwords_store::StoreError;

/// Result of domain calls.
pub type CoreResult<T> = Result<T, CoreError>;

/// An error of a domain or admin operation.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The object does not exist or belongs to another user (the legacy "Entity not found").
    #[error("Entity not found")]
    NotFound,
    /// A lookup inside an action failed (the legacy "Resource not found", id 404).
    #[error("Resource not found")]
    ResourceNotFound,
    /// A read-only share cannot be changed.
    #[error("Entity not writable")]
    NotWritable,
    /// Client-side encrypted objects cannot be changed through this API.
    #[error("Unsupported Encryption Type")]
    UnsupportedEncryption,
    /// A required field is missing or empty; the name is the reference's field name.
    #[error("Field \"{0}\" can not be empty")]
    EmptyField(&'static str),
    /// Input that does not fit the field; the text is one sentence for the client.
    #[error("{0}")]
    InvalidInput(String),
    /// A well-formed request the object's state does not allow (the v1 base folder).
    #[error("{0}")]
    Unprocessable(String),
    /// The change conflicts with existing data (e.g. the uid exists).
    #[error("{0}")]
    Conflict(String),
    /// An account or token that the admin named does not exist.
    #[error("{0}")]
    UnknownAccount(String),
    /// A setting key that is not known.
    #[error("Unknown setting identifier")]
    UnknownSetting(String),
    /// A setting that cannot be changed.
    #[error("Setting not writable")]
    SettingNotWritable(String),
    /// A setting value of the wrong type or out of range.
    #[error("Invalid setting value")]
    InvalidSettingValue { key: String, expected: String },
    /// Missing or wrong credentials.
    #[error("authentication failed")]
    Unauthorized,
    /// Too many failed logins; retry after this many seconds.
    #[error("Too many failed login attempts")]
    Throttled { retry_after: u64 },
    /// Too many requests of this user to a rate-limited route; retry after this many seconds.
    #[error("Too many requests")]
    RateLimited { retry_after: u64 },
    /// A part that the request needs is not there (e.g. no local breached-password database).
    #[error("{0}")]
    Unavailable(String),
    /// Configuration that cannot work (bad instance key, unreadable file).
    #[error("{0}")]
    Config(String),
    /// Stored data could not be decrypted or read.
    #[error("{0}")]
    Crypto(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An internal failure (a panicked worker thread, an I/O error).
    #[error("{0}")]
    Internal(String),
}
