//! /categories: index, show, create, update, destroy.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use passwords_core::vault::Actor;

use super::{IdParam, LegacyParams};
use crate::error::ApiError;
use crate::state::AppState;

pub async fn index(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
) -> Result<Response, ApiError> {
    Ok(Json(state.vault.legacy_list_categories(&actor.uid).await?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    id: IdParam,
) -> Result<Response, ApiError> {
    let id = id.or_not_found()?;
    Ok(Json(state.vault.legacy_show_category(&actor.uid, id).await?).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    LegacyParams(params): LegacyParams,
) -> Result<Response, ApiError> {
    let input = params.category_input()?;
    Ok(Json(state.vault.legacy_create_category(&actor, input).await?).into_response())
}

pub async fn update(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    id: IdParam,
    LegacyParams(params): LegacyParams,
) -> Result<Response, ApiError> {
    let id = id.or_not_found()?;
    let input = params.category_input()?;
    Ok(Json(
        state
            .vault
            .legacy_update_category(&actor, id, input)
            .await?,
    )
    .into_response())
}

pub async fn destroy(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    id: IdParam,
) -> Result<Response, ApiError> {
    let id = id.or_not_found()?;
    Ok(Json(state.vault.legacy_delete_category(&actor, id).await?).into_response())
}
