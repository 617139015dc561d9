//! Nextcloud's Login Flows, which the mobile apps use to get an app password, and the OCS
//! call that gives one back:
//!
//! - v1 (Android): `GET /index.php/login/flow` shows a sign-in page; posting it answers
//!   `303` to `nc://login/server:<url>&user:<uid>&password:<app password>` ([`v1`]);
//! - v2 (iOS): `POST /index.php/login/v2` starts a flow (`{poll:{token,endpoint},login}`),
//!   the user signs in at `login`, the app polls `endpoint` with its token until it gets
//!   `{server,loginName,appPassword}` ([`v2`]);
//! - `DELETE /ocs/v2.php/core/apppassword` revokes the app password it is called with
//!   ([`ocs`]);
//! - `/app-password` lets a user mint an app password to type into a client, such as the
//!   browser extension ([`manual`]).
//!
//! Every path works with and without `/index.php`. The pages follow the API's HTTPS rule.
//! Signing in takes the login password (throttled like every login) and mints an app password
//! named after the app's `User-Agent`. The server's address in the answers comes from the
//! request (`Host`, or `X-Forwarded-Host` from a trusted proxy).

mod manual;
mod ocs;
pub(crate) mod page;
mod v1;
mod v2;

use axum::extract::DefaultBodyLimit;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::routing::{delete, get, post};
use axum::{Extension, Router};
use passwords_core::service::limits::RateLimiter;
use zeroize::Zeroizing;

use crate::error::ApiError;
use crate::extract::auth::clean_user_agent;
use crate::extract::peer::Peer;
use crate::state::{AppState, ServerOptions};

/// Login forms are small.
const FORM_LIMIT: usize = 16 * 1024;

pub fn router() -> Router<AppState> {
    let starts = RateLimiter::new(v2::START_RATE);
    let mut router = Router::new();
    for prefix in ["", "/index.php"] {
        router = router
            .route(
                &format!("{prefix}/login/flow"),
                get(v1::page).post(v1::submit),
            )
            .route(
                &format!("{prefix}/login/v2"),
                post(v2::start).layer(Extension(starts.clone())),
            )
            .route(&format!("{prefix}/login/v2/flow/{{token}}"), get(v2::page))
            .route(&format!("{prefix}/login/v2/grant"), post(v2::grant))
            .route(&format!("{prefix}/login/v2/poll"), post(v2::poll));
    }
    router
        .route("/app-password", get(manual::page).post(manual::submit))
        .route(
            "/ocs/v2.php/core/apppassword",
            delete(ocs::delete_app_password),
        )
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
}

/// The peer of a request to a login page; plain HTTP is refused as on the API.
fn secure_peer(parts: &Parts, options: &ServerOptions) -> Result<Peer, ApiError> {
    let peer = Peer::from_parts(parts, options);
    if !peer.secure {
        return Err(ApiError::HttpsRequired);
    }
    Ok(peer)
}

/// This server's address as the client sees it: `https://host[:port]` (`http` only for a
/// loopback client without TLS).
fn origin(parts: &Parts, peer: &Peer) -> Result<String, ApiError> {
    let forwarded = peer
        .proxied
        .then(|| header_text(&parts.headers, "x-forwarded-host"))
        .flatten()
        .and_then(|v| v.split(',').next().map(str::trim).map(str::to_owned));
    let host = forwarded
        .or_else(|| header_text(&parts.headers, "host").map(str::to_owned))
        .or_else(|| parts.uri.authority().map(|a| a.to_string()))
        .ok_or_else(|| ApiError::BadRequest("The request names no host".into()))?;
    let valid = !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    if !valid {
        return Err(ApiError::BadRequest(
            "The request's host is not valid".into(),
        ));
    }
    let scheme = if peer.https { "https" } else { "http" };
    Ok(format!("{scheme}://{host}"))
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The app's name from its `User-Agent` (the name of the app password it gets).
fn client_name(headers: &HeaderMap) -> String {
    headers
        .get(header::USER_AGENT)
        .map(|v| clean_user_agent(v.as_bytes()))
        .filter(|ua| !ua.is_empty())
        .unwrap_or_else(|| "Login flow".to_owned())
}

/// The fields of a sign-in form (`application/x-www-form-urlencoded`).
#[derive(Default)]
struct SignInForm {
    user: String,
    password: Zeroizing<String>,
    /// v2: the flow's login token.
    token: String,
    /// The manual page: the app password's name.
    name: String,
}

impl SignInForm {
    /// Reads and parses the form of a request body (at most [`FORM_LIMIT`] bytes).
    async fn read(body: axum::body::Body) -> Result<Self, ApiError> {
        let bytes = axum::body::to_bytes(body, FORM_LIMIT)
            .await
            .map_err(|_| ApiError::PayloadTooLarge)?;
        Ok(Self::parse(&bytes))
    }

    fn parse(body: &[u8]) -> Self {
        let mut form = Self::default();
        for (name, value) in form_urlencoded::parse(body) {
            match &*name {
                "user" => form.user = value.trim().to_owned(),
                "password" => form.password = Zeroizing::new(value.into_owned()),
                "token" => form.token = value.into_owned(),
                "name" => form.name = value.into_owned(),
                _ => {}
            }
        }
        form
    }
}

/// An OCS v2 answer (`{"ocs":{"meta":{status,statuscode,message},"data":[]}}`); OCS v2 puts
/// the HTTP status into `statuscode`.
pub(crate) fn ocs_response(
    status: axum::http::StatusCode,
    text: &str,
    message: &str,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let body = serde_json::json!({
        "ocs": {
            "meta": {"status": text, "statuscode": status.as_u16(), "message": message},
            "data": [],
        }
    });
    (status, axum::Json(body)).into_response()
}
