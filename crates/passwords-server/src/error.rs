//! The one place where errors become HTTP responses.
//!
//! Every API error body is JSON; the login pages answer HTML ([`PageError`]). Domain errors
//! keep the reference app's bodies (bare strings for "Entity not found" and friends,
//! `{"status":"error","id":…,"message":…}` otherwise); unexpected failures are logged with
//! their cause and answered with an opaque body.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use passwords_core::CoreError;
use passwords_types::legacy::{ErrorBody, MessageBody};

/// An error answered by the API.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Core(#[from] CoreError),
    /// No or unusable Basic credentials.
    #[error("missing credentials")]
    MissingCredentials,
    /// Plain HTTP from a peer that is neither loopback nor a trusted HTTPS proxy.
    #[error("HTTPS required")]
    HttpsRequired,
    /// A path under the API that does not exist (or the legacy API is switched off).
    #[error("not found")]
    UnknownRoute,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("request body too large")]
    PayloadTooLarge,
    /// The request body is not what the content type says.
    #[error("{0}")]
    BadRequest(String),
    /// API v1 `account/challenge/get`: the user has no master password (challenge).
    #[error("Not found")]
    NoChallenge,
    /// API v1 `keychain/set` without a master password.
    #[error("Encryption not enabled")]
    EncryptionNotEnabled,
    /// API v1 routes of features this server does not offer (master password, account reset).
    #[error("Feature not enabled")]
    FeatureNotEnabled,
    /// API v1 `service/hashes`: no breached hash in the range (404 with `[]`).
    #[error("no hashes")]
    NoHashes,
    /// API v1 `service/coffee`.
    #[error("I’m a password manager")]
    Teapot,
    /// Login Flow v2 poll: nobody has signed in yet (or the flow is unknown): 404 with `[]`.
    #[error("login pending")]
    LoginPending,
    /// `DELETE ocs/v2.php/core/apppassword` with the login password: nothing to revoke.
    #[error("no app password")]
    NotAnAppPassword,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        use CoreError as C;
        match self {
            ApiError::MissingCredentials | ApiError::Core(C::Unauthorized) => (
                StatusCode::UNAUTHORIZED,
                Json(MessageBody {
                    message: "CORS requires basic auth".into(),
                }),
            )
                .into_response(),
            ApiError::Core(C::Throttled { retry_after }) => {
                let mut r = (
                    StatusCode::TOO_MANY_REQUESTS,
                    Json(ErrorBody::new("Too many failed login attempts")),
                )
                    .into_response();
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
                r
            }
            ApiError::HttpsRequired => {
                error(StatusCode::BAD_REQUEST, ErrorBody::new("HTTPS required"))
            }
            ApiError::LoginPending => {
                (StatusCode::NOT_FOUND, Json(Vec::<String>::new())).into_response()
            }
            ApiError::NotAnAppPassword => crate::login::ocs_response(
                StatusCode::FORBIDDEN,
                "failure",
                "Only an app password can be revoked this way",
            ),
            ApiError::UnknownRoute => error(
                StatusCode::NOT_FOUND,
                ErrorBody::numbered(404, "Resource not found"),
            ),
            ApiError::MethodNotAllowed => error(
                StatusCode::METHOD_NOT_ALLOWED,
                ErrorBody::new("Method not allowed"),
            ),
            ApiError::PayloadTooLarge => error(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorBody::new("Request body too large"),
            ),
            ApiError::BadRequest(m) => error(StatusCode::BAD_REQUEST, ErrorBody::new(m)),
            // Errors of API v1 routes only: answered as there.
            e @ (ApiError::NoChallenge
            | ApiError::EncryptionNotEnabled
            | ApiError::FeatureNotEnabled
            | ApiError::NoHashes
            | ApiError::Teapot
            | ApiError::Core(C::RateLimited { .. })) => V1Error(e).into_response(),
            ApiError::Core(e @ C::Unavailable(_)) => error(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorBody::new(e.to_string()),
            ),
            ApiError::Core(C::NotFound) => bare(StatusCode::NOT_FOUND, "Entity not found"),
            ApiError::Core(C::NotWritable) => {
                bare(StatusCode::METHOD_NOT_ALLOWED, "Entity not writable")
            }
            ApiError::Core(C::UnsupportedEncryption) => {
                bare(StatusCode::BAD_REQUEST, "Unsupported Encryption Type")
            }
            ApiError::Core(C::ResourceNotFound) => error(
                StatusCode::NOT_FOUND,
                ErrorBody::numbered(404, "Resource not found"),
            ),
            ApiError::Core(e @ (C::EmptyField(_) | C::InvalidInput(_))) => {
                error(StatusCode::BAD_REQUEST, ErrorBody::new(e.to_string()))
            }
            ApiError::Core(e @ C::Conflict(_)) => {
                error(StatusCode::CONFLICT, ErrorBody::new(e.to_string()))
            }
            ApiError::Core(e) => {
                tracing::error!(error = %e, "request failed");
                error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    ErrorBody::numbered(0, "Unable to complete request"),
                )
            }
        }
    }
}

fn error(status: StatusCode, body: ErrorBody) -> Response {
    (status, Json(body)).into_response()
}

/// A bare JSON string body, as the reference's controllers send.
fn bare(status: StatusCode, message: &'static str) -> Response {
    (status, Json(message)).into_response()
}

/// An error answered by API v1: the same causes as [`ApiError`], with the reference's v1
/// bodies (`{"status":"error","id":…,"message":…}`, the id being the crc32 of the message,
/// or the number 404 / 0 for "not found" / unexpected failures).
#[derive(Debug)]
pub struct V1Error(pub ApiError);

impl From<ApiError> for V1Error {
    fn from(e: ApiError) -> Self {
        V1Error(e)
    }
}

impl From<CoreError> for V1Error {
    fn from(e: CoreError) -> Self {
        V1Error(ApiError::Core(e))
    }
}

impl IntoResponse for V1Error {
    fn into_response(self) -> Response {
        use CoreError as C;
        let not_found = || {
            error(
                StatusCode::NOT_FOUND,
                ErrorBody::numbered(404, "Resource not found"),
            )
        };
        match self.0 {
            ApiError::UnknownRoute
            | ApiError::Core(C::NotFound | C::ResourceNotFound | C::UnknownAccount(_)) => {
                not_found()
            }
            // Credentials, throttling and HTTPS are answered as everywhere else, and so are
            // the login flow's errors (never raised by a v1 route).
            e @ (ApiError::MissingCredentials
            | ApiError::HttpsRequired
            | ApiError::LoginPending
            | ApiError::NotAnAppPassword
            | ApiError::Core(C::Unauthorized | C::Throttled { .. })) => e.into_response(),
            ApiError::MethodNotAllowed => error(
                StatusCode::METHOD_NOT_ALLOWED,
                ErrorBody::new("Method not allowed"),
            ),
            ApiError::PayloadTooLarge => error(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorBody::new("Request body too large"),
            ),
            ApiError::BadRequest(m) => error(StatusCode::BAD_REQUEST, ErrorBody::new(m)),
            // The reference answers 500 here (an `ApiException` without a code).
            e @ ApiError::EncryptionNotEnabled => error(
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorBody::new(e.to_string()),
            ),
            e @ ApiError::FeatureNotEnabled => {
                error(StatusCode::BAD_REQUEST, ErrorBody::new(e.to_string()))
            }
            e @ ApiError::NoChallenge => {
                error(StatusCode::NOT_FOUND, ErrorBody::new(e.to_string()))
            }
            ApiError::NoHashes => {
                (StatusCode::NOT_FOUND, Json(Vec::<String>::new())).into_response()
            }
            e @ ApiError::Teapot => error(StatusCode::IM_A_TEAPOT, ErrorBody::new(e.to_string())),
            ApiError::Core(C::RateLimited { retry_after }) => {
                let mut r = error(
                    StatusCode::TOO_MANY_REQUESTS,
                    ErrorBody::new("Too many requests"),
                );
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
                r
            }
            ApiError::Core(e @ C::Unavailable(_)) => error(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorBody::new(e.to_string()),
            ),
            ApiError::Core(
                e @ (C::EmptyField(_)
                | C::InvalidInput(_)
                | C::UnsupportedEncryption
                | C::UnknownSetting(_)
                | C::SettingNotWritable(_)
                | C::InvalidSettingValue { .. }),
            ) => error(StatusCode::BAD_REQUEST, ErrorBody::new(e.to_string())),
            ApiError::Core(C::NotWritable) => {
                error(StatusCode::FORBIDDEN, ErrorBody::new("Entity not writable"))
            }
            ApiError::Core(e @ C::Conflict(_)) => {
                error(StatusCode::CONFLICT, ErrorBody::new(e.to_string()))
            }
            ApiError::Core(e @ C::Unprocessable(_)) => error(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorBody::new(e.to_string()),
            ),
            ApiError::Core(e) => {
                tracing::error!(error = %e, "request failed");
                error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    ErrorBody::numbered(0, "Unable to complete request"),
                )
            }
        }
    }
}

/// An error of a login page (Login Flow): the same causes as [`ApiError`], answered as an
/// HTML page with one sentence, so that the app's web view shows it.
#[derive(Debug)]
pub struct PageError(pub ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError(e)
    }
}

impl From<CoreError> for PageError {
    fn from(e: CoreError) -> Self {
        PageError(ApiError::Core(e))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        use crate::login::page::message;
        use CoreError as C;
        let mut retry = None;
        let (status, title, text) = match &self.0 {
            ApiError::HttpsRequired => (
                StatusCode::BAD_REQUEST,
                "HTTPS required",
                "Open this page over HTTPS.".to_owned(),
            ),
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, "Bad request", m.clone()),
            ApiError::Core(C::Throttled { retry_after } | C::RateLimited { retry_after }) => {
                retry = Some(*retry_after);
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    "Too many attempts",
                    format!("Try again in {retry_after} seconds."),
                )
            }
            ApiError::Core(C::NotFound) => (
                StatusCode::NOT_FOUND,
                "Link expired",
                "This login link is unknown or has expired. Start again in the app.".to_owned(),
            ),
            ApiError::Core(e @ (C::InvalidInput(_) | C::Conflict(_))) => {
                (StatusCode::BAD_REQUEST, "Not possible", e.to_string())
            }
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "Method not allowed",
                "This page does not take this request.".to_owned(),
            ),
            ApiError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Bad request",
                "The form is too large.".to_owned(),
            ),
            e => {
                tracing::error!(error = %e, "login page failed");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Unavailable",
                    "The server could not complete the request.".to_owned(),
                )
            }
        };
        let mut r = message(status, title, &text);
        if let Some(seconds) = retry {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        r
    }
}
