//! `keychain/*` and `account/*`: the routes of client-side encryption (CSE), which needs a
//! master password. This server offers no master password yet, so every user is in the
//! reference's "no challenge" state:
//!
//! - `GET keychain/get` → `{}` (no client keychains);
//! - `POST keychain/set` → 500 "Encryption not enabled", as the reference (only a client that
//!   has set up a master password calls it, and none can be set up here);
//! - `GET account/challenge/get` → 404 "Not found" (id `135d4069`), as the reference;
//! - `POST account/challenge/set` → 400 "Feature not enabled" (the reference's message when
//!   its CSE feature flag is off);
//! - `GET|POST account/reset` → 400 "Feature not enabled": deleting all of a user's data over
//!   the API is not offered; the admin's `passwords user delete` does it.

use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::error::{ApiError, V1Error};
use crate::state::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/keychain/get", get(keychain_get))
        .route("/keychain/set", post(keychain_set))
        .route("/account/challenge/get", get(challenge_get))
        .route("/account/challenge/set", post(not_enabled))
        .route("/account/reset", get(not_enabled).post(not_enabled))
}

async fn keychain_get() -> Json<Value> {
    Json(json!({}))
}

async fn keychain_set() -> V1Error {
    V1Error(ApiError::EncryptionNotEnabled)
}

async fn challenge_get() -> V1Error {
    V1Error(ApiError::NoChallenge)
}

async fn not_enabled() -> V1Error {
    V1Error(ApiError::FeatureNotEnabled)
}
