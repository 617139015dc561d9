//! Login Flow v2 (the iOS app): start, the sign-in page, the grant, and the app's poll.

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use passwords_core::auth::login_flow::{grant as grant_flow, SignIn};
use passwords_core::service::limits::{Rate, RateLimiter};
use passwords_core::CoreError;
use serde_json::json;

use super::page::{self, Form};
use super::{client_name, origin, secure_peer, SignInForm};
use crate::error::{ApiError, PageError};
use crate::state::AppState;

/// Flows one client address may start (unauthenticated, so limited).
pub const START_RATE: Rate = Rate::per_seconds(30, 60);

/// The prefix the flow's addresses use: the one the app called.
fn prefix(path: &str) -> &'static str {
    if path.starts_with("/index.php/") {
        "/index.php"
    } else {
        ""
    }
}

/// `POST login/v2`: `{"poll":{"token","endpoint"},"login"}`.
pub async fn start(
    State(state): State<AppState>,
    Extension(starts): Extension<RateLimiter>,
    req: Request,
) -> Result<Response, ApiError> {
    let (parts, _) = req.into_parts();
    let peer = secure_peer(&parts, &state.options)?;
    let server = origin(&parts, &peer)?;
    starts.check(&peer.ip.to_string())?;
    let flow = state.login_flows.start(&client_name(&parts.headers))?;
    let p = prefix(parts.uri.path());
    Ok(Json(json!({
        "poll": {
            "token": flow.poll_token,
            "endpoint": format!("{server}{p}/login/v2/poll"),
        },
        "login": format!("{server}{p}/login/v2/flow/{}", flow.login_token),
    }))
    .into_response())
}

/// `GET login/v2/flow/{token}`: the sign-in page of a pending flow.
pub async fn page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    req: Request,
) -> Result<Response, PageError> {
    let (parts, _) = req.into_parts();
    secure_peer(&parts, &state.options)?;
    let client = state
        .login_flows
        .client(&token)
        .ok_or(PageError(ApiError::Core(CoreError::NotFound)))?;
    let action = format!("{}/login/v2/grant", prefix(parts.uri.path()));
    let form = Form {
        action: &action,
        hidden: &[("token", &token)],
        login: "",
        name: None,
    };
    Ok(page::sign_in(StatusCode::OK, &client, &form, None))
}

/// `POST login/v2/grant` (`token`, `user`, `password`): the flow gets an app password.
pub async fn grant(State(state): State<AppState>, req: Request) -> Result<Response, PageError> {
    let (parts, body) = req.into_parts();
    let peer = secure_peer(&parts, &state.options)?;
    let form = SignInForm::read(body).await?;
    let client = state
        .login_flows
        .client(&form.token)
        .ok_or(PageError(ApiError::Core(CoreError::NotFound)))?;
    let granted = grant_flow(
        state.store(),
        state.vault.keys.instance(),
        &state.auth,
        &state.login_flows,
        &form.token,
        SignIn {
            login: &form.user,
            password: &form.password,
            ip: peer.ip,
            client: &client,
        },
    )
    .await;
    match granted {
        Ok(_) => Ok(page::message(
            StatusCode::OK,
            "Account connected",
            &format!("{client} can use your passwords now. You can close this window."),
        )),
        Err(CoreError::Unauthorized) => {
            let action = format!("{}/login/v2/grant", prefix(parts.uri.path()));
            let again = Form {
                action: &action,
                hidden: &[("token", &form.token)],
                login: &form.user,
                name: None,
            };
            Ok(page::wrong_password(&client, &again))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST login/v2/poll` (`token`): 404 `[]` until the flow is granted, then once
/// `{"server","loginName","appPassword"}`.
pub async fn poll(State(state): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let (parts, body) = req.into_parts();
    let peer = secure_peer(&parts, &state.options)?;
    let server = origin(&parts, &peer)?;
    let form = SignInForm::read(body).await?;
    match state.login_flows.poll(&form.token) {
        Some(login) => Ok(Json(json!({
            "server": server,
            "loginName": login.uid.as_str(),
            "appPassword": login.app_password.as_str(),
        }))
        .into_response()),
        None => Err(ApiError::LoginPending),
    }
}
