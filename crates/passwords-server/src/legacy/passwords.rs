//! /passwords: index, show, create, update, destroy.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use passwords_core::legacy::DeleteOutcome;
use passwords_core::vault::Actor;
use passwords_types::legacy::LegacyDeleted;

use super::{IdParam, LegacyParams};
use crate::error::ApiError;
use crate::state::AppState;

pub async fn index(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
) -> Result<Response, ApiError> {
    let json = state.vault.legacy_list_passwords(&actor.uid).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    id: IdParam,
) -> Result<Response, ApiError> {
    let id = id.or_not_found()?;
    Ok(Json(state.vault.legacy_show_password(&actor.uid, id).await?).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    LegacyParams(params): LegacyParams,
) -> Result<Response, ApiError> {
    let input = params.password_input(false)?;
    Ok(Json(state.vault.legacy_create_password(&actor, input).await?).into_response())
}

pub async fn update(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    id: IdParam,
    LegacyParams(params): LegacyParams,
) -> Result<Response, ApiError> {
    let id = id.or_not_found()?;
    let input = params.password_input(true)?;
    Ok(Json(
        state
            .vault
            .legacy_update_password(&actor, id, input)
            .await?,
    )
    .into_response())
}

pub async fn destroy(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    id: IdParam,
) -> Result<Response, ApiError> {
    let id =
        id.0.ok_or(ApiError::Core(passwords_core::CoreError::ResourceNotFound))?;
    Ok(
        match state.vault.legacy_delete_password(&actor, id).await? {
            DeleteOutcome::Trashed(p) => Json(p).into_response(),
            DeleteOutcome::Purged(id) => Json(LegacyDeleted { id }).into_response(),
        },
    )
}
