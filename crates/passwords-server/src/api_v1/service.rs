//! `service/*`: the password generator, breached-hash ranges, letter icons and the teapot.
//!
//! - `GET|POST service/password` (`strength` 0–4, `numbers`, `special`; missing ones come from
//!   the user's `password.generator.*` settings) → `{password, words, strength, numbers,
//!   special}`; 60 per user per minute.
//! - `GET service/hashes/{range}`, `POST service/hashes {range}`: the breached SHA-1 hashes
//!   starting with `range` (5–40 hex digits) from the configured provider; none → 404 `[]`;
//!   10 per user in 10 s.
//! - `GET service/favicon/{domain}[/{size}]`, `GET service/avatar/{user}[/{size}]`: generated
//!   letter icons (`image/png`, cached for a week); 15 per user in 15 s each.
//! - `GET service/coffee` → 418.
//!
//! Over a limit the answer is 429 with `Retry-After`.

use axum::body::Body;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use passwords_core::service::generator::{self, Generated};
use passwords_core::service::icon;
use passwords_core::service::limits::{Rate, RateLimiter};
use passwords_core::settings::scoped;
use passwords_core::vault::Actor;
use passwords_core::CoreError;
use serde_json::{Map, Value};

use crate::error::{ApiError, V1Error};
use crate::state::AppState;

const GENERATOR_RATE: Rate = Rate::per_seconds(60, 60);
const ICON_RATE: Rate = Rate::per_seconds(15, 15);
const HASHES_RATE: Rate = Rate::per_seconds(10, 10);
/// How long clients may keep an icon.
const ICON_MAX_AGE: u64 = 7 * 24 * 3600;
/// The size asked for when a route has none (the reference's default).
const DEFAULT_ICON_SIZE: &str = "32";

pub(super) fn routes() -> Router<AppState> {
    let favicon = Extension(Icons {
        kind: IconKind::Favicon,
        limit: RateLimiter::new(ICON_RATE),
    });
    let avatar = Extension(Icons {
        kind: IconKind::Avatar,
        limit: RateLimiter::new(ICON_RATE),
    });
    let hashes = Extension(RateLimiter::new(HASHES_RATE));
    Router::new()
        .route(
            "/service/password",
            get(password)
                .post(password)
                .layer(Extension(RateLimiter::new(GENERATOR_RATE))),
        )
        .route(
            "/service/hashes",
            axum::routing::post(hashes_post).layer(hashes.clone()),
        )
        .route("/service/hashes/{range}", get(hashes_get).layer(hashes))
        .route(
            "/service/favicon/{name}",
            get(icon_default).layer(favicon.clone()),
        )
        .route(
            "/service/favicon/{name}/{size}",
            get(icon_sized).layer(favicon),
        )
        .route(
            "/service/avatar/{name}",
            get(icon_default).layer(avatar.clone()),
        )
        .route(
            "/service/avatar/{name}/{size}",
            get(icon_sized).layer(avatar),
        )
        .route("/service/coffee", get(coffee))
}

// ---- request parameters ----------------------------------------------------------------------

/// The parameters of a request: the query string, then a JSON object body (which wins).
/// An empty body is fine; a body that is not a JSON object is refused with 400.
pub(super) async fn params(
    state: &AppState,
    query: Option<&str>,
    body: Body,
) -> Result<Map<String, Value>, V1Error> {
    let mut map = Map::new();
    if let Some(q) = query {
        for (k, v) in form_urlencoded::parse(q.as_bytes()) {
            map.insert(k.into_owned(), Value::String(v.into_owned()));
        }
    }
    match read_json(state, body).await? {
        None => {}
        Some(Value::Object(obj)) => map.extend(obj),
        Some(_) => {
            return Err(
                ApiError::BadRequest("The request body must be a JSON object".into()).into(),
            )
        }
    }
    Ok(map)
}

/// The request body as JSON; `None` when it is empty.
pub(super) async fn read_json(state: &AppState, body: Body) -> Result<Option<Value>, V1Error> {
    let bytes = axum::body::to_bytes(body, state.options.body_limit)
        .await
        .map_err(|_| ApiError::PayloadTooLarge)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|_| ApiError::BadRequest("Invalid JSON in the request body".into()).into())
}

fn invalid(name: &str) -> V1Error {
    CoreError::InvalidInput(format!("Invalid value for \"{name}\"")).into()
}

/// An integer parameter: numbers (floats truncated) or numeric text; null or missing is `None`.
fn int_param(map: &Map<String, Value>, name: &str) -> Result<Option<i64>, V1Error> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.is_finite())
                    .map(|f| f.trunc() as i64)
            })
            .map(Some)
            .ok_or_else(|| invalid(name)),
        Some(Value::String(s)) => {
            let s = s.trim();
            s.parse::<i64>()
                .ok()
                .or_else(|| {
                    s.parse::<f64>()
                        .ok()
                        .filter(|f| f.is_finite())
                        .map(|f| f.trunc() as i64)
                })
                .map(Some)
                .ok_or_else(|| invalid(name))
        }
        Some(_) => Err(invalid(name)),
    }
}

/// A boolean parameter: `true/false`, `0/1` and their text forms; null or missing is `None`.
fn bool_param(map: &Map<String, Value>, name: &str) -> Result<Option<bool>, V1Error> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::Number(n)) if n.as_f64() == Some(0.0) => Ok(Some(false)),
        Some(Value::Number(n)) if n.as_f64() == Some(1.0) => Ok(Some(true)),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(Some(true)),
            "false" | "0" | "" => Ok(Some(false)),
            _ => Err(invalid(name)),
        },
        Some(_) => Err(invalid(name)),
    }
}

// ---- service/password ------------------------------------------------------------------------

async fn password(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Extension(limit): Extension<RateLimiter>,
    RawQuery(query): RawQuery,
    req: Request,
) -> Result<Json<Generated>, V1Error> {
    limit.check(actor.uid.as_str())?;
    let map = params(&state, query.as_deref(), req.into_body()).await?;
    let strength = int_param(&map, "strength")?;
    let numbers = bool_param(&map, "numbers")?;
    let special = bool_param(&map, "special")?;
    let (strength, numbers, special) = match (strength, numbers, special) {
        (Some(s), Some(n), Some(p)) => (s, n, p),
        _ => {
            let mut conn = state.store().conn().await.map_err(CoreError::from)?;
            let d = scoped::generator_defaults(&mut *conn, &actor.uid).await?;
            (
                strength.unwrap_or(d.strength),
                numbers.unwrap_or(d.numbers),
                special.unwrap_or(d.special),
            )
        }
    };
    let strength = u8::try_from(strength.clamp(0, i64::from(generator::MAX_STRENGTH)))
        .unwrap_or(generator::MAX_STRENGTH);
    Ok(Json(generator::generate(strength, numbers, special)))
}

// ---- service/hashes --------------------------------------------------------------------------

async fn hashes_get(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Extension(limit): Extension<RateLimiter>,
    Path(range): Path<String>,
) -> Result<Json<Vec<String>>, V1Error> {
    limit.check(actor.uid.as_str())?;
    hashes(&state, &range).await
}

async fn hashes_post(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Extension(limit): Extension<RateLimiter>,
    RawQuery(query): RawQuery,
    req: Request,
) -> Result<Json<Vec<String>>, V1Error> {
    limit.check(actor.uid.as_str())?;
    let map = params(&state, query.as_deref(), req.into_body()).await?;
    let range = match map.get("range") {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    hashes(&state, &range).await
}

async fn hashes(state: &AppState, range: &str) -> Result<Json<Vec<String>>, V1Error> {
    let range = passwords_core::service::parse_hash_range(range)?;
    let found = state
        .vault
        .breach
        .hashes(&range)
        .await
        .map_err(|e| CoreError::Internal(format!("breached-password lookup failed: {e}")))?;
    if found.is_empty() {
        return Err(ApiError::NoHashes.into());
    }
    Ok(Json(found))
}

// ---- service/favicon, service/avatar ---------------------------------------------------------

#[derive(Clone, Copy)]
enum IconKind {
    Favicon,
    Avatar,
}

/// The kind of icon a route draws and its limit.
#[derive(Clone)]
struct Icons {
    kind: IconKind,
    limit: RateLimiter,
}

async fn icon_default(
    Extension(actor): Extension<Actor>,
    Extension(icons): Extension<Icons>,
    Path(name): Path<String>,
) -> Result<Response, V1Error> {
    draw(&actor, &icons, name, DEFAULT_ICON_SIZE).await
}

async fn icon_sized(
    Extension(actor): Extension<Actor>,
    Extension(icons): Extension<Icons>,
    Path((name, size)): Path<(String, String)>,
) -> Result<Response, V1Error> {
    draw(&actor, &icons, name, &size).await
}

async fn draw(actor: &Actor, icons: &Icons, name: String, size: &str) -> Result<Response, V1Error> {
    icons.limit.check(actor.uid.as_str())?;
    let size = icon::icon_size(size);
    let kind = icons.kind;
    let png = tokio::task::spawn_blocking(move || match kind {
        IconKind::Favicon => icon::favicon(&name, size),
        IconKind::Avatar => icon::avatar(&name, size),
    })
    .await
    .map_err(|e| CoreError::Internal(format!("icon rendering failed: {e}")))??;
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, immutable, max-age=604800"),
    );
    if let Ok(v) = HeaderValue::from_str(&http_date(ICON_MAX_AGE)) {
        headers.insert(header::EXPIRES, v);
    }
    headers.insert(header::PRAGMA, HeaderValue::from_static("cache"));
    Ok((headers, png).into_response())
}

/// The HTTP date `seconds` from now (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date(seconds: u64) -> String {
    let when = time::OffsetDateTime::now_utc() + time::Duration::seconds(seconds as i64);
    when.format(time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    ))
    .unwrap_or_default()
}

// ---- service/coffee --------------------------------------------------------------------------

async fn coffee() -> V1Error {
    V1Error(ApiError::Teapot)
}
