//! API v1: folder/* (list, find, show, create, update, delete, restore).

use axum::Router;

use crate::state::AppState;

/// The routes of this area.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
