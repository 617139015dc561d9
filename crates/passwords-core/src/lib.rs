//! Domain and admin operations of the Passwords server.
//!
//! Layout:
//! - [`crypto`] and [`keys`]: the instance key, per-user data keys, sealed fields;
//! - [`auth`]: Basic-auth checks with Argon2id, app passwords, throttling, the good-check cache;
//! - [`settings`]: app settings (`passwords config`) and the user settings the rules read;
//! - [`vault`]: the data model's shared rules (revisions, security status);
//! - [`legacy`]: the legacy API's operations on the vault;
//! - [`service`]: API v1's services: password generator, letter icons, per-user limits;
//! - [`v1`]: API v1's password, folder and tag operations on the vault;
//! - [`admin`]: admin operations as library calls (accounts, app passwords);
//! - [`backup`]: backups (create, list, import, export, restore, automatic);
//! - [`breach_update`]: installing updates of the local breached-password database;
//! - [`recheck`]: the security re-check of stored passwords (an admin operation and the
//!   server's job).
//!
//! This crate knows no HTTP, no SQL and no command line: it talks to storage through the
//! `passwords_store::Store` trait and returns [`CoreError`].

pub mod admin;
pub mod auth;
pub mod backup;
pub mod breach_update;
pub mod clock;
pub mod crypto;
pub mod error;
pub mod keys;
pub mod legacy;
pub mod recheck;
pub mod service;
pub mod settings;
pub mod v1;
pub mod vault;

pub use error::{CoreError, CoreResult};
