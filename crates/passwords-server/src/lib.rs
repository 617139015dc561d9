//! The HTTP server of Passwords.
//!
//! [`app`] builds the axum router (health, the legacy API, API v1, the HIBP-style `/range`,
//! the Login Flow pages that give the mobile apps an app password, JSON errors everywhere
//! else), and
//! [`serve`] runs it on a listener, with or without TLS, until a shutdown future resolves;
//! in-flight requests then get time to finish. The binary wires signals to that future, tests
//! a oneshot channel.

pub mod api_v1;
pub mod error;
pub mod extract;
mod health;
pub mod legacy;
mod login;
mod range;
pub mod state;
mod tls;

pub use error::{ApiError, V1Error};
pub use state::{AppState, ServerOptions};
pub use tls::load_tls;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::http::Request;
use axum::routing::get;
use axum::Router;
use tower_http::trace::TraceLayer;

/// How long in-flight requests may run after shutdown was asked for.
pub const GRACE_PERIOD: Duration = Duration::from_secs(30);

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health::health))
        .merge(legacy::router(state.clone()))
        .merge(api_v1::router(state.clone()))
        .merge(range::router())
        .merge(login::router())
        .fallback(|| async { ApiError::UnknownRoute })
        .layer(
            TraceLayer::new_for_http()
                // Only method and path: query strings and headers can carry secrets.
                .make_span_with(|req: &Request<_>| {
                    let path = loggable_path(req.uri().path());
                    tracing::info_span!("request", method = %req.method(), path = %path)
                })
                .on_request(())
                .on_response(
                    tower_http::trace::DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Micros),
                ),
        )
        .with_state(state)
}

/// The path as logged: a Login Flow page's address ends in its secret login token, which is
/// left out.
fn loggable_path(path: &str) -> &str {
    match path.find("/login/v2/flow/") {
        Some(i) => &path[..i + "/login/v2/flow/".len()],
        None => path,
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then drains for [`GRACE_PERIOD`].
pub async fn serve(
    listener: std::net::TcpListener,
    tls: Option<axum_server::tls_rustls::RustlsConfig>,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let handle = axum_server::Handle::new();
    let on_signal = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down: finishing in-flight requests");
        on_signal.graceful_shutdown(Some(GRACE_PERIOD));
    });
    let service = app.into_make_service_with_connect_info::<SocketAddr>();
    match tls {
        Some(config) => {
            axum_server::from_tcp_rustls(listener, config)
                .handle(handle)
                .serve(service)
                .await
        }
        None => {
            axum_server::from_tcp(listener)
                .handle(handle)
                .serve(service)
                .await
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn login_tokens_are_not_logged() {
        assert_eq!(
            super::loggable_path("/index.php/login/v2/flow/SECRET"),
            "/index.php/login/v2/flow/"
        );
        assert_eq!(
            super::loggable_path("/login/v2/flow/SECRET"),
            "/login/v2/flow/"
        );
        assert_eq!(super::loggable_path("/health"), "/health");
    }
}
