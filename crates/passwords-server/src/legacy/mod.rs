//! The legacy API (`api/0.1`) over HTTP, under both URL prefixes.
//!
//! Every request passes [`gate`] first: the `legacy.api.enabled` switch (off → 404), the HTTPS
//! rule, the CORS preflight (no login needed), Basic auth, and the `legacy.api.last.used`
//! timestamp. Responses get `Access-Control-Allow-Origin` when the request had an `Origin`.

mod categories;
mod passwords;
mod version;

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use passwords_types::ObjectRef;

use crate::error::ApiError;
use crate::extract::auth::authenticate;
use crate::extract::params::Params;
use crate::extract::peer::Peer;
use crate::state::AppState;

/// The URL prefixes clients call.
pub const PREFIXES: [&str; 2] = [
    "/index.php/apps/passwords/api/0.1",
    "/apps/passwords/api/0.1",
];

/// The legacy routes, mounted under both prefixes.
pub fn router(state: AppState) -> Router<AppState> {
    let api = Router::new()
        .route("/version", get(version::show))
        .route("/passwords", get(passwords::index).post(passwords::create))
        .route(
            "/passwords/{id}",
            get(passwords::show)
                .put(passwords::update)
                .delete(passwords::destroy),
        )
        .route(
            "/categories",
            get(categories::index).post(categories::create),
        )
        .route(
            "/categories/{id}",
            get(categories::show)
                .put(categories::update)
                .delete(categories::destroy),
        )
        .fallback(|| async { ApiError::UnknownRoute })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(middleware::from_fn_with_state(state, gate));
    let mut router = Router::new();
    for prefix in PREFIXES {
        router = router.nest(prefix, api.clone());
    }
    router
}

/// The checks in front of every legacy route, and the CORS header after it.
async fn gate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let origin = req.headers().get(header::ORIGIN).cloned();
    let mut response = match admit(&state, req, next).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    let headers = response.headers_mut();
    if let Some(origin) = origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    if headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v == "application/json")
    {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
    }
    response
}

async fn admit(state: &AppState, req: Request, next: Next) -> Result<Response, ApiError> {
    if !state
        .settings
        .get_bool(state.store(), "legacy.api.enabled")
        .await?
    {
        return Err(ApiError::UnknownRoute);
    }
    let (mut parts, body) = req.into_parts();
    let peer = Peer::from_parts(&parts, &state.options);
    if !peer.secure {
        return Err(ApiError::HttpsRequired);
    }
    if parts.method == Method::OPTIONS {
        state.touch_legacy_last_used();
        return Ok(preflight(&parts));
    }
    let actor = authenticate(state, &parts.headers, peer).await?;
    state.touch_legacy_last_used();
    parts.extensions.insert(actor);
    Ok(next.run(Request::from_parts(parts, body)).await)
}

/// The CORS preflight answer (the reference's headers).
fn preflight(parts: &Parts) -> Response {
    let origin = parts
        .headers
        .get(header::ORIGIN)
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("*"));
    // `/version` and the reference's own preflight route `/version/{path}` allow only GET.
    let path = parts.uri.path();
    let path = PREFIXES
        .iter()
        .find_map(|p| path.strip_prefix(p))
        .unwrap_or(path);
    let methods = if path == "/version" || path.starts_with("/version/") {
        "GET"
    } else {
        "GET, POST, DELETE, PUT, PATCH"
    };
    let mut r = StatusCode::OK.into_response();
    let h = r.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(methods),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("1728000"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("Authorization, Content-Type, Accept"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("false"),
    );
    r
}

/// The `{id}` of a route as a reference; text that cannot be an id references nothing.
pub struct IdParam(pub Option<ObjectRef>);

impl<S: Send + Sync> FromRequestParts<S> for IdParam {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let id = Path::<String>::from_request_parts(parts, state).await.ok();
        Ok(IdParam(id.and_then(|Path(s)| ObjectRef::parse(&s))))
    }
}

impl IdParam {
    /// The reference, or "not found" for text that names nothing.
    pub fn or_not_found(self) -> Result<ObjectRef, ApiError> {
        self.0
            .ok_or(ApiError::Core(passwords_core::CoreError::NotFound))
    }
}

/// The merged request parameters (query, form body, JSON body).
pub struct LegacyParams(pub Params);

impl FromRequest<AppState> for LegacyParams {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body): (Parts, Body) = req.into_parts();
        let params = Params::read(
            &parts.method,
            parts.uri.query(),
            &parts.headers,
            body,
            state.options.body_limit,
        )
        .await?;
        Ok(LegacyParams(params))
    }
}
