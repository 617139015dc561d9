//! `GET /range/{prefix}`: the HIBP range API answered from this server's local
//! breached-password database, so that other tools can use the server as a private mirror.
//!
//! - Basic auth as on the APIs (an app password or the login password), and the same HTTPS
//!   rule;
//! - at most `service.security.range.limit` requests per user per minute (0 = no limit); past
//!   that, 429 with `Retry-After`. Counted per server process, in a sliding window;
//! - `prefix` is 5 hex digits in either case, else 400 `Invalid range`;
//! - 200 `text/plain`: one `SUFFIX:COUNT` line per listed hash with that prefix, the 35-digit
//!   suffix in upper case, lines separated by CRLF, in hash order, no padding. The database
//!   keeps no occurrence counts, so every COUNT is 1 (a client that only tests `COUNT > 0`,
//!   as they all do, gets the right answer). An empty range is an empty 200;
//! - 503 when no local database is installed.
//!
//! A lookup reads one bucket of the memory-mapped file: at most a couple of page faults when
//! cold, so it runs on the request's task.

use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use passwords_core::service::limits::{Rate, RateLimiter};
use passwords_core::CoreError;

use crate::error::ApiError;
use crate::extract::auth::authenticate;
use crate::extract::peer::Peer;
use crate::state::AppState;

/// The window of the per-user limit; the number of requests in it is a setting.
const RANGE_RATE: Rate = Rate::per_seconds(600, 60);

/// The route, with its own rate limiter.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/range/{prefix}", get(range))
        .layer(Extension(RateLimiter::new(RANGE_RATE)))
}

async fn range(
    State(state): State<AppState>,
    Extension(limiter): Extension<RateLimiter>,
    Path(prefix): Path<String>,
    req: Request,
) -> Result<Response, ApiError> {
    let (parts, _) = req.into_parts();
    let peer = Peer::from_parts(&parts, &state.options);
    if !peer.secure {
        return Err(ApiError::HttpsRequired);
    }
    let actor = authenticate(&state, &parts.headers, peer).await?;
    let limit = state
        .settings
        .get(state.store(), "service.security.range.limit")
        .await?
        .parse()
        .unwrap_or(0);
    if limit > 0 {
        limiter.check_limit(actor.uid.as_str(), limit)?;
    }
    if prefix.len() != 5 || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::BadRequest("Invalid range".into()));
    }
    let db = state
        .breach_db
        .as_ref()
        .and_then(|db| db.current())
        .ok_or_else(|| {
            CoreError::Unavailable("The local breached-password database is not installed".into())
        })?;
    let hashes = db.range(&prefix).unwrap_or_default();
    let mut body = String::with_capacity(hashes.len() * 39);
    for (i, h) in hashes.iter().enumerate() {
        if i > 0 {
            body.push_str("\r\n");
        }
        body.push_str(&hex::encode_upper(h)[5..]);
        body.push_str(":1");
    }
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    Ok(response)
}
