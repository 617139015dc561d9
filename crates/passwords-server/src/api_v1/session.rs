//! `session/*`: the API session handshake, for users without client-side encryption.
//!
//! Nothing here needs a session: Basic auth identifies every request, and the
//! `X-API-SESSION` header that the clients wait for is added to every JSON answer by the
//! gate ([`super::gate`]). So `request` says nothing is required (`{}`), `open` always
//! succeeds with no keys, whatever the body (no challenge exists to check it against), and
//! `keepalive` and `close` succeed. `open` is limited to 10 per user in 30 s, as the reference.

use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use passwords_core::service::limits::{Rate, RateLimiter};
use passwords_core::vault::Actor;
use serde_json::{json, Value};

use crate::error::V1Error;
use crate::state::AppState;

/// `session/open`: 10 per user in 30 s.
const OPEN_RATE: Rate = Rate::per_seconds(10, 30);

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/session/request", get(request))
        .route(
            "/session/open",
            post(open).layer(Extension(RateLimiter::new(OPEN_RATE))),
        )
        .route("/session/keepalive", get(success))
        .route("/session/close", get(success))
}

/// `GET session/request`: no challenge and no second factor are required.
async fn request() -> Json<Value> {
    Json(json!({}))
}

/// `POST session/open`: succeeds with no keys (the body is not read).
async fn open(
    Extension(actor): Extension<Actor>,
    Extension(limit): Extension<RateLimiter>,
) -> Result<Json<Value>, V1Error> {
    limit.check(actor.uid.as_str())?;
    Ok(Json(json!({"success": true, "keys": {}})))
}

/// `GET session/keepalive` and `GET session/close`.
async fn success() -> Json<Value> {
    Json(json!({"success": true}))
}
