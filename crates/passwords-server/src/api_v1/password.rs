//! API v1: password/* (list, find, show, create, update, delete, restore).

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::{Extension, Json, Router};
use passwords_core::v1::{PasswordInput, Resource};
use passwords_core::vault::Actor;
use passwords_types::PasswordId;

use super::objects::V1Params;
use crate::error::V1Error;
use crate::extract::params::Params;
use crate::state::AppState;

/// The routes of this area.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/password/list", get(list).post(list))
        .route("/password/find", post(find))
        .route("/password/show", get(show).post(show))
        .route("/password/create", post(create))
        .route("/password/update", patch(update))
        .route("/password/delete", delete(destroy))
        .route("/password/restore", patch(restore))
}

async fn list(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let details = params.details()?;
    Ok(json_text(
        state.vault.v1_list_passwords(&actor.uid, details).await?,
    ))
}

async fn find(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let details = params.details()?;
    let criteria = params.criteria(Resource::Password)?;
    let found = state
        .vault
        .v1_find_passwords(&actor.uid, &criteria, details)
        .await?;
    Ok(json_text(found))
}

/// A response whose body is JSON text made by the vault.
fn json_text(body: Vec<u8>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

async fn show(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let id: PasswordId = params.id()?;
    let details = params.details()?;
    Ok(Json(
        state
            .vault
            .v1_show_password(&actor.uid, id, details)
            .await?,
    )
    .into_response())
}

async fn create(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    V1Params(p): V1Params,
) -> Result<Response, V1Error> {
    let input = input(&p)?;
    let created = state.vault.v1_create_password(&actor, input).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

async fn update(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let id: PasswordId = params.id()?;
    let revision = params.revision()?;
    let input = input(&params.0)?;
    let updated = state
        .vault
        .v1_update_password(&actor, id, revision, input)
        .await?;
    Ok(Json(updated).into_response())
}

async fn destroy(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let id: PasswordId = params.id()?;
    let revision = params.revision()?;
    Ok(Json(state.vault.v1_delete_password(&actor, id, revision).await?).into_response())
}

async fn restore(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    params: V1Params,
) -> Result<Response, V1Error> {
    let id: PasswordId = params.id()?;
    let revision = params.revision()?;
    Ok(Json(
        state
            .vault
            .v1_restore_password(&actor, id, revision)
            .await?,
    )
    .into_response())
}

/// The password fields of a create or update.
fn input(p: &Params) -> Result<PasswordInput, V1Error> {
    Ok(PasswordInput {
        label: p.text("label")?,
        username: p.text("username")?,
        password: p.text("password")?,
        url: p.text("url")?,
        notes: p.text("notes")?,
        custom_fields: p.text("customFields")?,
        cse_type: p.text("cseType")?,
        cse_key: p.text("cseKey")?,
        folder: p.text("folder")?,
        edited: p.int("edited")?,
        hidden: p.boolean("hidden")?,
        favorite: p.boolean("favorite")?,
        tags: p.text_list("tags")?,
    })
}
