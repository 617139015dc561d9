//! API v1: service/* (password generator, hashes, favicon, avatar, coffee).

use axum::Router;

use crate::state::AppState;

/// The routes of this area.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
