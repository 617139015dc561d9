//! Automatic backups inside `passwords serve`: every `backup.interval` seconds a backup into
//! `backups/auto/`, keeping the newest `backup.files.max` (0 = all). With several servers on
//! one database a lease makes sure only one of them makes each backup. The outcome is kept
//! in the internal app settings `backup.auto.last.time` (last success) and
//! `backup.auto.last.error` (last failure, removed by a success) for the system report.

use std::time::Duration;

use passwords_store::Store;

use super::create::{create_backup, CreateOptions, CreateSummary};
use super::{BackupDir, BackupError, Kind, NoProgress};
use crate::clock::now;
use crate::keys::KeyRing;
use crate::settings::AppSettings;

/// The lease every node competes for.
pub const LEASE: &str = "backup.auto";
/// Internal app setting: Unix time of the last successful automatic backup.
pub const LAST_TIME: &str = "backup.auto.last.time";
/// Internal app setting: the error of the last automatic backup, if it failed.
pub const LAST_ERROR: &str = "backup.auto.last.error";

/// What one tick did.
#[derive(Debug)]
pub enum Tick {
    /// Not due, or another node holds this period's lease.
    Skipped,
    /// A backup was made; `pruned` old ones were deleted.
    Created {
        summary: CreateSummary,
        pruned: usize,
    },
}

/// One round: if this node wins the lease for the current period, makes a backup and prunes.
/// `node` names this server (the lease holder is `node` plus the time, so a node never
/// renews its own lease early).
pub async fn tick(
    store: &dyn Store,
    keys: &KeyRing,
    dir: &BackupDir,
    node: &str,
) -> Result<Tick, BackupError> {
    let interval = setting(store, "backup.interval").await?.max(60);
    let max = setting(store, "backup.files.max").await?.max(0) as usize;
    let now = now();
    let holder = format!("{node}@{now}");
    let won = store
        .conn()
        .await?
        .acquire_lease(LEASE, &holder, now, now + interval)
        .await?;
    if !won {
        return Ok(Tick::Skipped);
    }
    let options = CreateOptions {
        name: None,
        kind: Kind::Automatic,
        now,
    };
    match create_backup(store, keys, dir, options, &NoProgress).await {
        Ok(summary) => {
            let pruned = prune(dir, max)?;
            let mut conn = store.conn().await?;
            conn.set_app_setting(LAST_TIME, &now.to_string()).await?;
            conn.delete_app_setting(LAST_ERROR).await?;
            Ok(Tick::Created { summary, pruned })
        }
        Err(e) => {
            // Free the period again so that the next round retries.
            let mut conn = store.conn().await?;
            conn.release_lease(LEASE, &holder).await?;
            conn.set_app_setting(LAST_ERROR, &e.to_string()).await?;
            Err(e)
        }
    }
}

/// Deletes the oldest automatic backups (by label) beyond `max`; 0 keeps all.
pub fn prune(dir: &BackupDir, max: usize) -> Result<usize, BackupError> {
    if max == 0 {
        return Ok(0);
    }
    let files = dir.list_kind(Kind::Automatic)?;
    let excess = files.len().saturating_sub(max);
    for f in &files[..excess] {
        std::fs::remove_file(&f.path).map_err(|e| BackupError::io(&f.path, e))?;
    }
    Ok(excess)
}

async fn setting(store: &dyn Store, key: &str) -> Result<i64, BackupError> {
    let value = AppSettings::get(store, key).await?.value;
    Ok(value.parse().unwrap_or(0))
}

/// Runs [`tick`] until `shutdown` resolves: at start, then every minute (or every
/// `backup.interval` if shorter). Failures are logged and retried on the next round.
pub async fn run(
    store: std::sync::Arc<dyn Store>,
    keys: KeyRing,
    dir: BackupDir,
    node: String,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        match tick(&*store, &keys, &dir, &node).await {
            Ok(Tick::Created { summary, pruned }) => tracing::info!(
                backup = %summary.label,
                size = summary.size,
                pruned,
                "created an automatic backup"
            ),
            Ok(Tick::Skipped) => {}
            Err(e) => tracing::error!(error = %e, "the automatic backup failed"),
        }
        let pause = setting(&*store, "backup.interval")
            .await
            .unwrap_or(60)
            .clamp(1, 60) as u64;
        tokio::select! {
            () = &mut shutdown => return,
            () = tokio::time::sleep(Duration::from_secs(pause)) => {}
        }
    }
}
