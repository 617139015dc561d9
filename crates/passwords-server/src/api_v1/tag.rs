//! API v1: tag/* (list, find, show, create, update, delete, restore).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::{Extension, Json, Router};
use passwords_core::v1::{Resource, TagInput};
use passwords_core::vault::Actor;
use passwords_types::TagId;

use super::objects::V1Params;
use crate::error::V1Error;
use crate::extract::params::Params;
use crate::state::AppState;

/// The routes of this area.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/tag/list", get(list).post(list))
        .route("/tag/find", post(find))
        .route("/tag/show", get(show).post(show))
        .route("/tag/create", post(create))
        .route("/tag/update", patch(update))
        .route("/tag/delete", delete(destroy))
        .route("/tag/restore", patch(restore))
}

async fn list(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let details = params.details()?;
    Ok(Json(state.vault.v1_list_tags(&actor.uid, details).await?).into_response())
}

async fn find(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let details = params.details()?;
    let criteria = params.criteria(Resource::Tag)?;
    let found = state
        .vault
        .v1_find_tags(&actor.uid, &criteria, details)
        .await?;
    Ok(Json(found).into_response())
}

async fn show(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let id: TagId = params.id()?;
    let details = params.details()?;
    Ok(Json(state.vault.v1_show_tag(&actor.uid, id, details).await?).into_response())
}

async fn create(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    V1Params(p): V1Params,
) -> Result<Response, V1Error> {
    let input = input(&p)?;
    let created = state.vault.v1_create_tag(&actor, input).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

async fn update(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let id: TagId = params.id()?;
    let revision = params.revision()?;
    let input = input(&params.0)?;
    let updated = state
        .vault
        .v1_update_tag(&actor, id, revision, input)
        .await?;
    Ok(Json(updated).into_response())
}

async fn destroy(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let id: TagId = params.id()?;
    let revision = params.revision()?;
    Ok(Json(state.vault.v1_delete_tag(&actor, id, revision).await?).into_response())
}

async fn restore(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let id: TagId = params.id()?;
    let revision = params.revision()?;
    Ok(Json(state.vault.v1_restore_tag(&actor, id, revision).await?).into_response())
}

/// The tag fields of a create or update.
fn input(p: &Params) -> Result<TagInput, V1Error> {
    Ok(TagInput {
        label: p.text("label")?,
        color: p.text("color")?,
        cse_type: p.text("cseType")?,
        cse_key: p.text("cseKey")?,
        edited: p.int("edited")?,
        hidden: p.boolean("hidden")?,
        favorite: p.boolean("favorite")?,
    })
}
