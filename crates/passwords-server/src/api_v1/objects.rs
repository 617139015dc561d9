//! What the password, folder and tag routes share: the merged parameters as an extractor
//! (reading ids, detail levels, criteria and revisions from them), and the handlers written
//! once for every kind over [`Area`]: show, create, update, delete, restore, and list and find
//! for the kinds with a [`Listing`] (password list and find are `password`'s own).

use axum::body::Body;
use axum::extract::{FromRequest, Request, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::{Extension, Json, Router};
use passwords_core::v1::{Criteria, Details, Listing, Ops, RevisionParam};
use passwords_core::vault::Actor;
use passwords_core::CoreError;
use serde_json::Value;

use crate::error::{ApiError, V1Error};
use crate::extract::params::Params;
use crate::state::AppState;

/// A v1 object kind as served over HTTP: where its routes are and how a create or update
/// reads its fields.
pub(super) trait Area: Ops {
    /// The first path segment: `password`, `folder` or `tag`.
    const PATH: &'static str;

    /// The fields of a create or update.
    fn input(p: &Params) -> Result<Self::Input, V1Error>;
}

/// `show`, `create`, `update`, `delete` and `restore` of `A`.
pub(super) fn routes<A: Area>() -> Router<AppState> {
    Router::new()
        .route(&path::<A>("show"), get(show::<A>).post(show::<A>))
        .route(&path::<A>("create"), post(create::<A>))
        .route(&path::<A>("update"), patch(update::<A>))
        .route(&path::<A>("delete"), delete(destroy::<A>))
        .route(&path::<A>("restore"), patch(restore::<A>))
}

/// `list` and `find` of `A`.
pub(super) fn listing<A: Area + Listing>() -> Router<AppState> {
    Router::new()
        .route(&path::<A>("list"), get(list::<A>).post(list::<A>))
        .route(&path::<A>("find"), post(find::<A>))
}

/// The path of one action of `A`, e.g. `/folder/show`.
fn path<A: Area>(action: &str) -> String {
    format!("/{}/{action}", A::PATH)
}

async fn list<A: Area + Listing>(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let details = params.details()?;
    Ok(Json(A::list(&state.vault, &actor.uid, details).await?).into_response())
}

async fn find<A: Area + Listing>(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let details = params.details()?;
    let criteria = params.criteria(A::RESOURCE)?;
    let found = A::find(&state.vault, &actor.uid, &criteria, details).await?;
    Ok(Json(found).into_response())
}

async fn show<A: Area>(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let id: A::Id = params.id()?;
    let details = params.details()?;
    Ok(Json(A::show(&state.vault, &actor.uid, id, details).await?).into_response())
}

async fn create<A: Area>(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    V1Params(p): V1Params,
) -> Result<Response, V1Error> {
    let input = A::input(&p)?;
    let created = A::create(&state.vault, &actor, input).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

async fn update<A: Area>(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let id: A::Id = params.id()?;
    let revision = params.revision()?;
    let input = A::input(&params.0)?;
    let updated = A::update(&state.vault, &actor, id, revision, input).await?;
    Ok(Json(updated).into_response())
}

async fn destroy<A: Area>(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let id: A::Id = params.id()?;
    let revision = params.revision()?;
    Ok(Json(A::delete(&state.vault, &actor, id, revision).await?).into_response())
}

async fn restore<A: Area>(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let id: A::Id = params.id()?;
    let revision = params.revision()?;
    Ok(Json(A::restore(&state.vault, &actor, id, revision).await?).into_response())
}

/// The merged request parameters (query, form body, JSON body), with v1 error bodies.
pub(super) struct V1Params(pub Params);

impl FromRequest<AppState> for V1Params {
    type Rejection = V1Error;

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
        Ok(V1Params(params))
    }
}

impl V1Params {
    /// `details`, default `model`.
    pub fn details(&self) -> Result<Details, V1Error> {
        Ok(match self.0.text("details")? {
            Some(d) if !d.trim().is_empty() => Details::parse(&d),
            _ => Details::MODEL,
        })
    }

    /// The `id` of the object a request is about: text that is no UUID names nothing (404).
    pub fn id<T: std::str::FromStr>(&self) -> Result<T, V1Error> {
        self.0
            .text("id")?
            .and_then(|t| t.trim().parse().ok())
            .ok_or(V1Error(ApiError::Core(CoreError::NotFound)))
    }

    /// The optional `revision`.
    pub fn revision(&self) -> Result<RevisionParam, V1Error> {
        Ok(RevisionParam::parse(self.0.text("revision")?.as_deref()))
    }

    /// The `criteria` object of `find` (missing or null: no criteria).
    pub fn criteria(&self, resource: passwords_core::v1::Resource) -> Result<Criteria, V1Error> {
        match self.0.raw("criteria") {
            None | Some(Value::Null) => Ok(Criteria::parse(resource, None)?),
            Some(Value::Object(map)) => Ok(Criteria::parse(resource, Some(map))?),
            Some(Value::Array(a)) if a.is_empty() => Ok(Criteria::parse(resource, None)?),
            Some(_) => Err(V1Error(ApiError::Core(CoreError::InvalidInput(
                "Invalid value for field \"criteria\"".into(),
            )))),
        }
    }
}
