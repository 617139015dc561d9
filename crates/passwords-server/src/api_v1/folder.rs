//! API v1: folder/* (list, find, show, create, update, delete, restore).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::{Extension, Json, Router};
use passwords_core::v1::{FolderInput, Resource};
use passwords_core::vault::Actor;
use passwords_types::FolderId;

use super::objects::V1Params;
use crate::error::V1Error;
use crate::extract::params::Params;
use crate::state::AppState;

/// The routes of this area.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/folder/list", get(list).post(list))
        .route("/folder/find", post(find))
        .route("/folder/show", get(show).post(show))
        .route("/folder/create", post(create))
        .route("/folder/update", patch(update))
        .route("/folder/delete", delete(destroy))
        .route("/folder/restore", patch(restore))
}

async fn list(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let details = params.details()?;
    Ok(Json(state.vault.v1_list_folders(&actor.uid, details).await?).into_response())
}

async fn find(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let details = params.details()?;
    let criteria = params.criteria(Resource::Folder)?;
    let found = state
        .vault
        .v1_find_folders(&actor.uid, &criteria, details)
        .await?;
    Ok(Json(found).into_response())
}

async fn show(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let id: FolderId = params.id()?;
    let details = params.details()?;
    Ok(Json(state.vault.v1_show_folder(&actor.uid, id, details).await?).into_response())
}

async fn create(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    V1Params(p): V1Params,
) -> Result<Response, V1Error> {
    let input = input(&p)?;
    let created = state.vault.v1_create_folder(&actor, input).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

async fn update(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let id: FolderId = params.id()?;
    let revision = params.revision()?;
    let input = input(&params.0)?;
    let updated = state
        .vault
        .v1_update_folder(&actor, id, revision, input)
        .await?;
    Ok(Json(updated).into_response())
}

async fn destroy(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let id: FolderId = params.id()?;
    let revision = params.revision()?;
    Ok(Json(state.vault.v1_delete_folder(&actor, id, revision).await?).into_response())
}

async fn restore(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let id: FolderId = params.id()?;
    let revision = params.revision()?;
    Ok(Json(state.vault.v1_restore_folder(&actor, id, revision).await?).into_response())
}

/// The folder fields of a create or update.
fn input(p: &Params) -> Result<FolderInput, V1Error> {
    Ok(FolderInput {
        label: p.text("label")?,
        parent: p.text("parent")?,
        cse_type: p.text("cseType")?,
        cse_key: p.text("cseKey")?,
        edited: p.int("edited")?,
        hidden: p.boolean("hidden")?,
        favorite: p.boolean("favorite")?,
    })
}
