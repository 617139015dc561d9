//! Wire types and identifiers shared by every layer of the Passwords server.
//!
//! Nothing here talks to a database, the network or the clock: these are plain values that the
//! storage, domain and HTTP layers agree on. Parsing from untrusted text happens here, once, so
//! that the layers above never handle a stringly-typed id.

pub mod error_id;
pub mod ids;
mod json;
pub mod legacy;
pub mod status;
pub mod v1;

pub use error_id::error_id;
pub use ids::{FolderId, ObjectRef, PasswordId, RevisionId, ShareId, TagId, UserId, UserIdError};
pub use status::SecurityStatus;
