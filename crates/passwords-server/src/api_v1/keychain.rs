//! API v1: keychain/* and account/* (client-side encryption; answered as for users without it).

use axum::Router;

use crate::state::AppState;

/// The routes of this area.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
