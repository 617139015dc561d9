//! `GET|POST /app-password`: a page where users mint an app password themselves, to type
//! into a client that asks for one (the browser extension's manual form), without the
//! administrator's `passwords account token add`.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use passwords_core::auth::login_flow::{sign_in, SignIn};
use passwords_core::CoreError;

use super::page::{self, Form};
use super::{origin, secure_peer, SignInForm};
use crate::error::{ApiError, PageError};
use crate::state::AppState;

const ACTION: &str = "/app-password";
const DEFAULT_NAME: &str = "Browser";

fn form<'a>(login: &'a str, name: &'a str) -> Form<'a> {
    Form {
        action: ACTION,
        hidden: &[],
        login,
        name: Some(name),
    }
}

/// `GET /app-password`: the form (username, login password, a name for the app password).
pub async fn page(State(state): State<AppState>, req: Request) -> Result<Response, PageError> {
    let (parts, _) = req.into_parts();
    secure_peer(&parts, &state.options)?;
    Ok(page::sign_in(
        StatusCode::OK,
        "an app",
        &form("", DEFAULT_NAME),
        None,
    ))
}

/// `POST /app-password` (`user`, `password`, `name`): the new app password, shown once.
pub async fn submit(State(state): State<AppState>, req: Request) -> Result<Response, PageError> {
    let (parts, body) = req.into_parts();
    let peer = secure_peer(&parts, &state.options)?;
    let server = origin(&parts, &peer)?;
    let f = SignInForm::read(body).await?;
    let name = f.name.trim();
    if name.is_empty() {
        return Err(ApiError::BadRequest("The app password needs a name".into()).into());
    }
    let minted = sign_in(
        state.store(),
        state.vault.keys.instance(),
        &state.auth,
        SignIn {
            login: &f.user,
            password: &f.password,
            ip: peer.ip,
            client: name,
        },
    )
    .await;
    match minted {
        Ok(token) => Ok(page::app_password(
            &server,
            token.record.uid.as_str(),
            &token.record.name,
            &token.token,
        )),
        Err(CoreError::Unauthorized) => Ok(page::wrong_password("an app", &form(&f.user, name))),
        Err(e) => Err(e.into()),
    }
}
