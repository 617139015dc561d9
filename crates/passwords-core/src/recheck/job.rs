//! The re-check job inside `passwords serve`.
//!
//! Every few seconds it looks at two things:
//!
//! - **A full pass is due** ([`Scope::All`]) once a day, and at once when the *basis* of the
//!   last one changed: the provider named by `service.security` and, for the providers that
//!   use it, the header of the installed local database (so a database installed by `pwned-list
//!   process --mode import` or the update job is applied to every stored password). The lease
//!   [`LEASE`] makes sure that one node runs it; the internal app settings [`LAST_TIME`],
//!   [`BASIS`] and [`LAST_ERROR`] record the outcome.
//! - **A retry pass** ([`Scope::NotChecked`]) every `service.security.recheck.retry` seconds
//!   asks the provider again about the revisions saved while it was unreachable. The lease
//!   [`RETRY_LEASE`], held for that period, keeps other nodes from repeating it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use passwords_store::Store;

use super::{recheck, RecheckOptions, RecheckSummary, Scope};
use crate::clock::now;
use crate::error::CoreResult;
use crate::vault::provider::{ConfiguredProvider, Kind};

/// The lease of a full pass.
pub const LEASE: &str = "security.recheck";
/// The lease of a retry pass, held for the retry period.
pub const RETRY_LEASE: &str = "security.recheck.retry";
/// Internal app setting: Unix time of the last complete full pass (the system report's
/// `lastSecurityCheck`).
pub const LAST_TIME: &str = crate::admin::report::SECURITY_CHECK_LAST_TIME;
/// Internal app setting: the basis (provider and database) of the last complete full pass.
pub const BASIS: &str = "security.recheck.basis";
/// Internal app setting: the error of the last failed pass, removed by a success.
pub const LAST_ERROR: &str = "security.recheck.last.error";
/// Seconds between full passes.
pub const DAY: i64 = 86_400;
/// How long a full pass may hold its lease before another node may take over.
const FULL_LEASE_SECONDS: i64 = 3_600;
/// Longest pause between two looks.
const MAX_PAUSE: Duration = Duration::from_secs(5);

/// What one look did.
#[derive(Debug)]
pub enum Tick {
    /// Nothing due here (or another node holds the lease).
    Idle,
    Full(RecheckSummary),
    Retry(RecheckSummary),
}

/// This node's state between looks.
#[derive(Debug, Default)]
pub struct JobState {
    /// Unix time before which no retry pass is tried.
    next_retry: i64,
    /// The retry period last read from the settings, in seconds.
    retry_seconds: i64,
}

/// The basis of a full pass: what must not change for its results to stay valid.
pub fn basis(kind: Kind, provider: &ConfiguredProvider) -> String {
    if kind.uses_local_db() {
        let db = provider.local().refresh().map(|db| {
            let h = db.header();
            format!("{}:{}:{}", h.count, h.created, h.source)
        });
        format!("{}|{}", kind.name(), db.unwrap_or_else(|| "-".into()))
    } else {
        kind.name().to_owned()
    }
}

/// One look: runs a full pass or a retry pass if one is due and this node gets its lease.
pub async fn tick(
    store: &dyn Store,
    provider: &ConfiguredProvider,
    node: &str,
    state: &mut JobState,
    stop: &Arc<AtomicBool>,
) -> CoreResult<Tick> {
    let now = now();
    let settings = stored_settings(store).await?;
    let int = |key: &str, default: i64| {
        settings
            .get(key)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(default)
    };
    state.retry_seconds = int("service.security.recheck.retry", 600).max(1);
    let kind = Kind::parse(
        settings
            .get("service.security")
            .map_or("none", String::as_str),
    );
    let basis = basis(kind, provider);
    let holder = format!("{node}@{now}");
    if full_due(&settings, &basis, now) {
        let mut conn = store.conn().await?;
        if !conn
            .acquire_lease(LEASE, &holder, now, now + FULL_LEASE_SECONDS)
            .await?
        {
            return Ok(Tick::Idle);
        }
        // Another node may have finished the pass between the look and the lease.
        if !full_due(&stored_settings(store).await?, &basis, now) {
            conn.release_lease(LEASE, &holder).await?;
            return Ok(Tick::Idle);
        }
        drop(conn);
        let options = RecheckOptions {
            scope: Scope::All,
            now,
            stop: Some(stop.clone()),
        };
        let result = recheck(store, provider, &options).await;
        let mut conn = store.conn().await?;
        match &result {
            Ok(summary) if !summary.interrupted => {
                conn.set_app_setting(LAST_TIME, &now.to_string()).await?;
                conn.set_app_setting(BASIS, &basis).await?;
                conn.delete_app_setting(LAST_ERROR).await?;
            }
            Ok(_) => {}
            Err(e) => {
                conn.set_app_setting(LAST_ERROR, &e.to_string()).await?;
            }
        }
        conn.release_lease(LEASE, &holder).await?;
        // A full pass also answers the retries.
        state.next_retry = now + state.retry_seconds;
        return result.map(Tick::Full);
    }
    if now < state.next_retry {
        return Ok(Tick::Idle);
    }
    state.next_retry = now + state.retry_seconds;
    let won = store
        .conn()
        .await?
        .acquire_lease(RETRY_LEASE, &holder, now, now + state.retry_seconds)
        .await?;
    if !won {
        return Ok(Tick::Idle);
    }
    let options = RecheckOptions {
        scope: Scope::NotChecked,
        now,
        stop: Some(stop.clone()),
    };
    match recheck(store, provider, &options).await {
        Ok(summary) => Ok(Tick::Retry(summary)),
        Err(e) => {
            store
                .conn()
                .await?
                .set_app_setting(LAST_ERROR, &e.to_string())
                .await?;
            Err(e)
        }
    }
}

async fn stored_settings(store: &dyn Store) -> CoreResult<HashMap<String, String>> {
    Ok(store
        .conn()
        .await?
        .list_app_settings()
        .await?
        .into_iter()
        .collect())
}

fn full_due(settings: &HashMap<String, String>, basis: &str, now: i64) -> bool {
    let last: i64 = settings
        .get(LAST_TIME)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    now - last >= DAY || settings.get(BASIS).map(String::as_str) != Some(basis)
}

/// Runs [`tick`] until `shutdown` resolves (a pass under way stops after its current user).
pub async fn run(
    store: Arc<dyn Store>,
    provider: Arc<ConfiguredProvider>,
    node: String,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    let stop = Arc::new(AtomicBool::new(false));
    let mut state = JobState::default();
    loop {
        let result = {
            let pass = tick(&*store, &provider, &node, &mut state, &stop);
            tokio::pin!(pass);
            tokio::select! {
                r = &mut pass => Some(r),
                () = &mut shutdown => {
                    stop.store(true, Ordering::Relaxed);
                    log(pass.await);
                    None
                }
            }
        };
        let Some(result) = result else { return };
        log(result);
        let pause = Duration::from_secs(state.retry_seconds.clamp(1, 60) as u64).min(MAX_PAUSE);
        tokio::select! {
            () = &mut shutdown => return,
            () = tokio::time::sleep(pause) => {}
        }
    }
}

fn log(result: CoreResult<Tick>) {
    match result {
        Ok(Tick::Idle) => {}
        Ok(Tick::Full(s)) => tracing::info!(
            revisions = s.revisions,
            changed = s.changed,
            breached = s.breached,
            unavailable = s.unavailable,
            interrupted = s.interrupted,
            "re-checked the security status of every password"
        ),
        Ok(Tick::Retry(s)) if s.revisions > 0 => tracing::info!(
            revisions = s.revisions,
            changed = s.changed,
            breached = s.breached,
            unavailable = s.unavailable,
            "re-checked passwords whose breach check had failed"
        ),
        Ok(Tick::Retry(_)) => {}
        Err(e) => tracing::error!(error = %e, "the security re-check failed"),
    }
}
