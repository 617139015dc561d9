//! `settings/*`: the `server.*`, `user.*` and `client.*` settings of API v1
//! ([`passwords_core::settings::scoped`] holds the rules).
//!
//! - `POST settings/get` — body: a JSON array of keys → `{key: value}`, null for unknown keys;
//! - `POST settings/set` — body: `{key: value, …}` → `{key: stored value}`;
//! - `GET|POST settings/list` — optional `scopes` (array of `server`, `user`, `client`) →
//!   every setting of those scopes;
//! - `POST settings/reset` — body: a JSON array of keys → `{key: default}`.
//!
//! `get` and `reset` also take an object body and use its values as the keys (what PHP's
//! parameter handling does with one). An empty body gives `{}`. A write checks everything
//! first: one bad key or value → 400 and nothing is changed.

use axum::extract::{RawQuery, Request, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use passwords_core::settings::scoped::{self, Scope, ServerFacts};
use passwords_core::vault::Actor;
use passwords_core::CoreError;
use serde_json::{Map, Value};

use super::service::{params, read_json};
use crate::error::{ApiError, V1Error};
use crate::state::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings/get", post(get_settings))
        .route("/settings/set", post(set_settings))
        .route("/settings/list", get(list_settings).post(list_settings))
        .route("/settings/reset", post(reset_settings))
}

/// The keys of a `get` or `reset` body: an array of strings (or an object's values).
fn keys(body: Option<Value>) -> Result<Vec<String>, V1Error> {
    let items = match body {
        None => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(Value::Object(map)) => map.into_iter().map(|(_, v)| v).collect(),
        Some(_) => return Err(not_keys()),
    };
    items
        .into_iter()
        .map(|v| match v {
            Value::String(s) => Ok(s),
            _ => Err(not_keys()),
        })
        .collect()
}

fn not_keys() -> V1Error {
    ApiError::BadRequest("The request body must be a JSON array of setting keys".into()).into()
}

/// `server.baseUrl` as this request reached the server.
fn facts(state: &AppState, headers: &HeaderMap) -> ServerFacts {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or("localhost");
    let forwarded_https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    let scheme = if state.options.tls || forwarded_https {
        "https"
    } else {
        "http"
    };
    ServerFacts {
        base_url: format!("{scheme}://{host}"),
    }
}

async fn get_settings(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    req: Request,
) -> Result<Json<Map<String, Value>>, V1Error> {
    let (parts, body) = req.into_parts();
    let keys = keys(read_json(&state, body).await?)?;
    let facts = facts(&state, &parts.headers);
    let mut conn = state.store().conn().await.map_err(CoreError::from)?;
    Ok(Json(
        scoped::get(&mut *conn, &actor.uid, &facts, &keys).await?,
    ))
}

async fn set_settings(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    req: Request,
) -> Result<Json<Map<String, Value>>, V1Error> {
    let pairs: Vec<(String, Value)> = match read_json(&state, req.into_body()).await? {
        None => Vec::new(),
        Some(Value::Object(map)) => map.into_iter().collect(),
        Some(_) => {
            return Err(ApiError::BadRequest(
                "The request body must be a JSON object of settings".into(),
            )
            .into())
        }
    };
    Ok(Json(scoped::set(state.store(), &actor.uid, &pairs).await?))
}

async fn list_settings(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    RawQuery(query): RawQuery,
    req: Request,
) -> Result<Json<Map<String, Value>>, V1Error> {
    let (parts, body) = req.into_parts();
    let mut map = params(&state, query.as_deref(), body).await?;
    // `scopes[]=user&scopes[]=client` in a query string.
    if let Some(q) = query.as_deref() {
        let listed: Vec<Value> = form_urlencoded::parse(q.as_bytes())
            .filter(|(k, _)| k == "scopes[]")
            .map(|(_, v)| Value::String(v.into_owned()))
            .collect();
        if !listed.is_empty() && !map.contains_key("scopes") {
            map.insert("scopes".into(), Value::Array(listed));
        }
    }
    let scopes: Option<Vec<Scope>> = match map.remove("scopes") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(vec![scope(&s)?]),
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|v| v.as_str().ok_or_else(bad_scope).and_then(scope))
                .collect::<Result<_, _>>()?,
        ),
        Some(_) => return Err(bad_scope()),
    };
    let facts = facts(&state, &parts.headers);
    let mut conn = state.store().conn().await.map_err(CoreError::from)?;
    Ok(Json(
        scoped::list(&mut *conn, &actor.uid, &facts, scopes.as_deref()).await?,
    ))
}

fn scope(name: &str) -> Result<Scope, V1Error> {
    Scope::parse(name).ok_or_else(bad_scope)
}

fn bad_scope() -> V1Error {
    CoreError::InvalidInput("Invalid scope".into()).into()
}

async fn reset_settings(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    req: Request,
) -> Result<Json<Map<String, Value>>, V1Error> {
    let keys = keys(read_json(&state, req.into_body()).await?)?;
    Ok(Json(scoped::reset(state.store(), &actor.uid, &keys).await?))
}
