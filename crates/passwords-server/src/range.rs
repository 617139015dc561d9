//! `GET /range/{prefix}`: the HIBP range API answered from this server's local
//! breached-password database, so that other tools can use the server as a private mirror.
//!
//! - Basic auth as on the APIs (an app password or the login password), and the same HTTPS
//!   rule;
//! - at most `service.security.range.limit` requests per user per minute (0 = no limit); past
//!   that, 429 with `Retry-After`. Counted per server process;
//! - `prefix` is 5 hex digits in either case, else 400 `Invalid range`;
//! - 200 `text/plain`: one `SUFFIX:COUNT` line per listed hash with that prefix, the 35-digit
//!   suffix in upper case, lines separated by CRLF, in hash order, no padding. The database
//!   keeps no occurrence counts, so every COUNT is 1 (a client that only tests `COUNT > 0`,
//!   as they all do, gets the right answer). An empty range is an empty 200;
//! - 503 when no local database is installed.
//!
//! A lookup reads one bucket of the memory-mapped file: at most a couple of page faults when
//! cold, so it runs on the request's task.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use passwords_core::CoreError;
use passwords_types::UserId;

use crate::error::ApiError;
use crate::extract::auth::authenticate;
use crate::extract::peer::Peer;
use crate::state::AppState;

/// The window of the per-user limit.
const WINDOW: Duration = Duration::from_secs(60);
/// Users tracked before expired windows are swept.
const MAX_USERS: usize = 100_000;

/// The route, with its own rate limiter.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/range/{prefix}", get(range))
        .layer(Extension(Arc::new(Limiter::default())))
}

async fn range(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<Limiter>>,
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
    limiter
        .admit(&actor.uid, limit, Instant::now())
        .map_err(|retry_after| CoreError::RateLimited { retry_after })?;
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

/// Requests per user in fixed one-minute windows.
#[derive(Default)]
struct Limiter {
    users: Mutex<HashMap<UserId, (Instant, u64)>>,
}

impl Limiter {
    /// Counts a request; `Err(seconds until the window ends)` when over `limit` (0 = none).
    fn admit(&self, uid: &UserId, limit: u64, now: Instant) -> Result<(), u64> {
        if limit == 0 {
            return Ok(());
        }
        let mut users = self.users.lock().unwrap_or_else(|p| p.into_inner());
        if users.len() >= MAX_USERS {
            users.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let entry = users.entry(uid.clone()).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        if entry.1 >= limit {
            let left = WINDOW.saturating_sub(now.duration_since(entry.0));
            return Err(left.as_secs().max(1));
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_per_user_and_per_window() {
        let l = Limiter::default();
        let (a, b) = (UserId::parse("a").unwrap(), UserId::parse("b").unwrap());
        let t = Instant::now();
        assert!(l.admit(&a, 2, t).is_ok());
        assert!(l.admit(&a, 2, t).is_ok());
        let retry = l.admit(&a, 2, t + Duration::from_secs(20)).unwrap_err();
        assert_eq!(retry, 40);
        assert!(l.admit(&b, 2, t).is_ok(), "another user has its own count");
        assert!(l.admit(&a, 2, t + WINDOW).is_ok(), "a new window");
        assert!(l.admit(&a, 0, t).is_ok(), "0 = no limit");
    }
}
