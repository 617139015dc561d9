//! The vault: passwords, folders and tags of one user, as model rows with immutable revisions.
//!
//! This module owns the rules every API shares: sealing and opening secret fields, building
//! revisions, the security status of a password revision and the duplicate re-check, and the
//! breached-password provider chosen by the settings ([`provider`]). The API-specific
//! operations (legacy today, API v1 next) are built on these.

pub mod content;
pub mod provider;
pub mod security;

use std::sync::Arc;

use passwords_breach::BreachProvider;
use passwords_store::Store;
use passwords_types::UserId;

use crate::keys::KeyRing;

/// Who performs a change: the user and the client name recorded in every revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub uid: UserId,
    pub client: String,
}

/// The encryption types of objects written by this server.
pub const CSE_NONE: &str = "none";
pub const SSE_V1R2: &str = "SSEv1r2";

/// Everything the vault operations need. Cheap to clone.
#[derive(Clone)]
pub struct Vault {
    pub store: Arc<dyn Store>,
    pub keys: KeyRing,
    pub breach: Arc<dyn BreachProvider>,
}

impl Vault {
    pub fn new(store: Arc<dyn Store>, keys: KeyRing, breach: Arc<dyn BreachProvider>) -> Self {
        Self {
            store,
            keys,
            breach,
        }
    }
}
