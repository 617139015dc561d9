//! API v1: settings/get, settings/set, settings/list, settings/reset.

use axum::Router;

use crate::state::AppState;

/// The routes of this area.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
