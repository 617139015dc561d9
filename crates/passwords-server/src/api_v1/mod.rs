//! API v1 (`api/1.0`) over HTTP, under both URL prefixes.
//!
//! Every request passes [`gate`] first: the HTTPS rule, the CORS preflight (no login needed),
//! Basic auth (the [`Actor`](passwords_core::vault::Actor) goes into the request extensions).
//! Every JSON response then carries the session token as the `X-API-SESSION` header and the
//! `nc_passwords` cookie, as the reference sends after each API call. Users without client-side
//! encryption never need the session: the token is opaque and never required.
//!
//! One file per area: [`session`], [`password`], [`folder`], [`tag`], [`settings`],
//! [`service`], and [`keychain`] (keychain and account routes of client-side encryption);
//! [`objects`] holds the handlers the password, folder and tag areas share.
//! Handlers return [`V1Error`] so errors get the reference's v1 bodies.

mod folder;
mod keychain;
mod objects;
mod password;
mod service;
mod session;
mod settings;
mod tag;

use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::error::{ApiError, V1Error};
use crate::extract::auth::authenticate;
use crate::extract::peer::Peer;
use crate::state::AppState;

/// The URL prefixes clients call.
pub const PREFIXES: [&str; 2] = [
    "/index.php/apps/passwords/api/1.0",
    "/apps/passwords/api/1.0",
];

/// The response header that carries the session token.
pub const SESSION_HEADER: &str = "x-api-session";

/// The API v1 routes, mounted under both prefixes.
pub fn router(state: AppState) -> Router<AppState> {
    let api = Router::new()
        .merge(session::routes())
        .merge(password::routes())
        .merge(folder::routes())
        .merge(tag::routes())
        .merge(settings::routes())
        .merge(service::routes())
        .merge(keychain::routes())
        .fallback(|| async { V1Error(ApiError::UnknownRoute) })
        .method_not_allowed_fallback(|| async { V1Error(ApiError::MethodNotAllowed) })
        .layer(middleware::from_fn_with_state(state, gate));
    let mut router = Router::new();
    for prefix in PREFIXES {
        router = router.nest(prefix, api.clone());
    }
    router
}

/// The checks in front of every v1 route, and the session header and CORS header after it.
async fn gate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let origin = req.headers().get(header::ORIGIN).cloned();
    let session = session_token(req.headers());
    let mut response = match admit(&state, req, next).await {
        Ok(r) => r,
        Err(e) => V1Error(e).into_response(),
    };
    let headers = response.headers_mut();
    if let Some(origin) = origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        if let Ok(v) = HeaderValue::from_str(&session) {
            headers.insert(SESSION_HEADER, v);
        }
        if let Ok(v) = HeaderValue::from_str(&format!(
            "nc_passwords={session}; path=/; secure; HttpOnly; SameSite=Lax"
        )) {
            headers.append(header::SET_COOKIE, v);
        }
    }
    response
}

async fn admit(state: &AppState, req: Request, next: Next) -> Result<Response, ApiError> {
    let (mut parts, body) = req.into_parts();
    let peer = Peer::from_parts(&parts, &state.options);
    if !peer.secure {
        return Err(ApiError::HttpsRequired);
    }
    if parts.method == Method::OPTIONS {
        return Ok(preflight(&parts));
    }
    let actor = authenticate(state, &parts.headers, peer).await?;
    parts.extensions.insert(actor);
    Ok(next.run(Request::from_parts(parts, body)).await)
}

/// The session token to send back: the client's own if it sent a well-formed one, else a new
/// random one. It authorises nothing by itself (Basic auth does), so it needs no storage.
fn session_token(headers: &axum::http::HeaderMap) -> String {
    headers
        .get(SESSION_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string())
}

/// The CORS preflight answer (the reference's headers for the API).
fn preflight(parts: &Parts) -> Response {
    let origin = parts
        .headers
        .get(header::ORIGIN)
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("*"));
    let mut r = StatusCode::OK.into_response();
    let h = r.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, DELETE, PUT, PATCH"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("1728000"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("Authorization, Content-Type, Accept, X-API-SESSION"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("false"),
    );
    r
}
