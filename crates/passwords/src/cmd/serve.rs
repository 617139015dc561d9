//! `passwords serve`: the HTTP(S) server until SIGINT or SIGTERM.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use passwords_breach::bigdb::BigDb;
use passwords_core::auth::{AuthOptions, Authenticator, PasswordHasher, ThrottleLimits};
use passwords_core::backup::BackupDir;
use passwords_core::settings::SettingsCache;
use passwords_core::vault::provider::ConfiguredProvider;
use passwords_core::vault::Vault;
use passwords_server::{AppState, ServerOptions};

use crate::config::redact_url;
use crate::context::Context;

/// How long app settings changed by another process may take to reach the server.
const SETTINGS_TTL: Duration = Duration::from_secs(1);

pub async fn run(ctx: &Context) -> anyhow::Result<()> {
    let s = &ctx.settings;
    let tls = match (&s.tls_cert, &s.tls_key) {
        (Some(cert), Some(key)) => Some(passwords_server::load_tls(cert, key).await?),
        _ => None,
    };
    let auth = Authenticator::new(
        ctx.instance.clone(),
        PasswordHasher::new(),
        AuthOptions {
            limits: ThrottleLimits {
                per_account: s.auth.failures_per_account,
                per_ip: s.auth.failures_per_ip,
                window: Duration::from_secs(s.auth.failure_window_seconds),
            },
            cache_ttl: Duration::from_secs(s.auth.cache_seconds),
        },
    );
    // The breached-password provider follows `service.security`; the local database is
    // reloaded when a new file is installed into <data-dir>/breached.
    let settings = SettingsCache::new(SETTINGS_TTL);
    let breach_db = Arc::new(BigDb::new(&passwords_core::breach_update::breach_dir(
        &s.data_dir,
    )));
    let provider = Arc::new(ConfiguredProvider::new(
        ctx.store.clone(),
        settings.clone(),
        breach_db.clone(),
    )?);
    let vault = Vault::new(ctx.store.clone(), ctx.keys.clone(), provider.clone());
    let options = ServerOptions {
        body_limit: s.body_limit,
        trusted_proxies: s.trusted_proxies.clone(),
        tls: tls.is_some(),
    };
    let state = AppState::new(vault, auth, settings, options).with_breach_db(breach_db);

    let listener = std::net::TcpListener::bind(s.listen)
        .with_context(|| format!("cannot listen on {}", s.listen))?;
    let addr = listener.local_addr()?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(
        database = %redact_url(&s.database_url()),
        backend = ctx.store.backend().name(),
        "passwords {} listening on {scheme}://{addr}",
        env!("CARGO_PKG_VERSION")
    );
    // The background jobs (automatic backups, breach database updates, security re-checks)
    // run beside the server and stop with it.
    let (stop_jobs, jobs_stopped) = tokio::sync::watch::channel(false);
    let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|stop| *stop).await;
    };
    let backups = tokio::spawn(passwords_core::backup::auto::run(
        ctx.store.clone(),
        ctx.keys.clone(),
        BackupDir::new(&s.data_dir),
        node_name(addr),
        stopped(jobs_stopped.clone()),
    ));
    // Updates of the local breached-password database (when service.security uses it).
    let breach_updates = tokio::spawn(passwords_core::breach_update::run(
        ctx.store.clone(),
        passwords_core::breach_update::breach_dir(&s.data_dir),
        node_name(addr),
        stopped(jobs_stopped.clone()),
    ));
    // The security re-check (daily, after a new breach database, retries of failed checks).
    let recheck = tokio::spawn(passwords_core::recheck::job::run(
        ctx.store.clone(),
        provider,
        node_name(addr),
        stopped(jobs_stopped),
    ));
    let served = passwords_server::serve(
        listener,
        tls,
        passwords_server::app(state),
        shutdown_signal(),
    )
    .await;
    let _ = stop_jobs.send(true);
    let _ = backups.await;
    let _ = breach_updates.await;
    let _ = recheck.await;
    served.context("the server failed")?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// This node's name in job leases: host name, process id and address.
fn node_name(addr: std::net::SocketAddr) -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default();
    format!("{host}:{}:{addr}", std::process::id())
}
