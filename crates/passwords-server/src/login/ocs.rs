//! `DELETE /ocs/v2.php/core/apppassword`: revokes the app password the request signs in
//! with (Nextcloud's way for an app to log out for good). The answer is an OCS v2 envelope.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use passwords_core::admin::tokens::revoke_token;
use passwords_core::auth::LoginKind;

use super::{ocs_response, secure_peer};
use crate::error::ApiError;
use crate::extract::auth::basic_credentials;
use crate::state::AppState;

pub async fn delete_app_password(
    State(state): State<AppState>,
    req: Request,
) -> Result<Response, ApiError> {
    let (parts, _) = req.into_parts();
    let peer = secure_peer(&parts, &state.options)?;
    let (login, secret) = basic_credentials(&parts.headers).ok_or(ApiError::MissingCredentials)?;
    let principal = state
        .auth
        .authenticate(state.store(), &login, &secret, peer.ip)
        .await?;
    let LoginKind::AppPassword(name) = principal.kind else {
        return Err(ApiError::NotAnAppPassword);
    };
    revoke_token(state.store(), &principal.uid, &name).await?;
    // The good-check cache would let the revoked password work for a while longer.
    state.auth.clear_cache();
    Ok(ocs_response(StatusCode::OK, "ok", "OK"))
}
