//! Login Flow v1 (the Android app): a sign-in page whose answer is a redirect to
//! `nc://login/server:<url>&user:<uid>&password:<app password>`, which the app's web view
//! catches.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use passwords_core::auth::login_flow::{sign_in, SignIn};
use passwords_core::CoreError;

use super::page::{self, Form};
use super::{client_name, origin, secure_peer, SignInForm};
use crate::error::PageError;
use crate::state::AppState;

/// Where the form posts (the page's own address, with or without `/index.php`).
fn action(path: &str) -> &'static str {
    if path.starts_with("/index.php/") {
        "/index.php/login/flow"
    } else {
        "/login/flow"
    }
}

/// `GET login/flow`: the sign-in page.
pub async fn page(State(state): State<AppState>, req: Request) -> Result<Response, PageError> {
    let (parts, _) = req.into_parts();
    secure_peer(&parts, &state.options)?;
    let form = Form {
        action: action(parts.uri.path()),
        hidden: &[],
        login: "",
        name: None,
    };
    Ok(page::sign_in(
        StatusCode::OK,
        &client_name(&parts.headers),
        &form,
        None,
    ))
}

/// `POST login/flow` (`user`, `password`): a new app password, handed over in the redirect.
pub async fn submit(State(state): State<AppState>, req: Request) -> Result<Response, PageError> {
    let (parts, body) = req.into_parts();
    let peer = secure_peer(&parts, &state.options)?;
    let server = origin(&parts, &peer)?;
    let form = SignInForm::read(body).await?;
    let client = client_name(&parts.headers);
    let minted = sign_in(
        state.store(),
        state.vault.keys.instance(),
        &state.auth,
        SignIn {
            login: &form.user,
            password: &form.password,
            ip: peer.ip,
            client: &client,
        },
    )
    .await;
    let token = match minted {
        Ok(token) => token,
        Err(CoreError::Unauthorized) => {
            let again = Form {
                action: action(parts.uri.path()),
                hidden: &[],
                login: &form.user,
                name: None,
            };
            return Ok(page::wrong_password(&client, &again));
        }
        Err(e) => return Err(e.into()),
    };
    let target = format!(
        "nc://login/server:{server}&user:{}&password:{}",
        encode(token.record.uid.as_str()),
        encode(&token.token)
    );
    let location = HeaderValue::from_str(&target)
        .map_err(|_| PageError(crate::ApiError::BadRequest("Unusable address".into())))?;
    let mut r = StatusCode::SEE_OTHER.into_response();
    r.headers_mut().insert(header::LOCATION, location);
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

/// Percent-encoding of a value in the `nc:` address (as Nextcloud's `urlencode`).
fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
