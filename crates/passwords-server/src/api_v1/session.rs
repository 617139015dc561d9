//! API v1: session/request, session/open, session/keepalive, session/close.

use axum::Router;

use crate::state::AppState;

/// The routes of this area.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
