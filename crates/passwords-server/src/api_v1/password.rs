//! API v1: password/* (list, find, show, create, update, delete, restore): list and find,
//! which are the passwords' own, and the password fields of a create or update; the other
//! handlers are the shared ones.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use passwords_core::v1::{PasswordInput, Passwords, Resource};
use passwords_core::vault::Actor;

use super::objects::{self, Area, V1Params};
use crate::error::V1Error;
use crate::extract::params::Params;
use crate::state::AppState;

/// The routes of this area.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/password/list", get(list).post(list))
        .route("/password/find", post(find))
        .merge(objects::routes::<Passwords>())
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

impl Area for Passwords {
    const PATH: &'static str = "password";

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
}
