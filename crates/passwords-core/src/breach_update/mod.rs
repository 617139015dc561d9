//! Updates of the local breached-password database (product spec §9): the admin operation
//! behind `passwords pwned-list update` and the background job of `passwords serve`.
//!
//! The update file comes from `service.security.local.url` (`:version` → 16, `:format` →
//! gzip) and is needed when `service.security.local.version` is not 16 (`0` forces a new
//! download, as in the reference) or `<data-dir>/breached/pwned.db` is missing or unreadable.
//! [`passwords_breach::update`] downloads, checks and converts it in a staging directory and
//! renames the result over the old file; only then are `service.security.local.type` and
//! `.version` recorded. Any failure leaves the old database and settings as they were.
//!
//! With several servers on one database, the lease [`LEASE`] lets one of them update at a
//! time. Outcomes are kept in internal app settings for the system report: [`LAST_TIME`]
//! (last success), [`LAST_ATTEMPT`], [`LAST_ERROR`] and [`FAILURES`] (failures in a row,
//! which space out the job's retries: [`retry_delay`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use passwords_breach::localdb::LocalDb;
use passwords_breach::process::{Progress, Silent};
use passwords_breach::update::{
    download, redact_url, resolve_url, source_name, ConvertLimits, DownloadLimits, Staging,
    UpdateError, UPDATE_FORMAT, UPDATE_VERSION,
};
use passwords_store::Store;

use crate::clock::now;
use crate::error::CoreError;
use crate::settings::AppSettings;

/// The lease every node competes for while it updates.
pub const LEASE: &str = "service.security.local.update";
/// Internal app setting: Unix time of the last successful update.
pub const LAST_TIME: &str = "service.security.local.update.last.time";
/// Internal app setting: Unix time of the last update attempt (success or not).
pub const LAST_ATTEMPT: &str = "service.security.local.update.last.attempt";
/// Internal app setting: the error of the last attempt, removed by a success.
pub const LAST_ERROR: &str = "service.security.local.update.last.error";
/// Internal app setting: failed attempts in a row, removed by a success.
pub const FAILURES: &str = "service.security.local.update.failures";

/// The provider setting and the local database settings.
const PROVIDER: &str = "service.security";
const URL: &str = "service.security.local.url";
const VERSION: &str = "service.security.local.version";
const TYPE: &str = "service.security.local.type";

/// How often the job checks whether an update is needed.
pub const CHECK_INTERVAL: Duration = Duration::from_secs(60);
/// First retry delay after a failure; doubled for each further failure.
pub const RETRY_BASE: i64 = 300;
/// Longest retry delay.
pub const RETRY_MAX: i64 = 6 * 3600;

/// The directory of the local database inside the data directory.
pub fn breach_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("breached")
}

/// Moves the local database directory of earlier versions (`<data-dir>/breach/`) to
/// [`breach_dir`], in one rename; nothing happens when there is none or the new one exists
/// already. Returns whether it moved.
pub fn adopt_old_breach_dir(data_dir: &Path) -> std::io::Result<bool> {
    let old = data_dir.join("breach");
    let new = breach_dir(data_dir);
    if !old.is_dir() || new.exists() {
        return Ok(false);
    }
    std::fs::rename(&old, &new)?;
    Ok(true)
}

/// Seconds to wait after `failures` failed attempts in a row before the job tries again:
/// 0 without failures, then 5 min, 10 min, 20 min … at most 6 h.
pub fn retry_delay(failures: u32) -> i64 {
    if failures == 0 {
        return 0;
    }
    let shift = (failures - 1).min(20);
    (RETRY_BASE << shift).min(RETRY_MAX)
}

/// Whether the provider uses the local database.
pub fn is_local_provider(provider: &str) -> bool {
    matches!(provider, "bigdb" | "bigdb+hibp")
}

/// The type recorded for a database installed while `provider` is configured: the
/// reference's `bigdb+hibp` or `bigdb` (also for `hibp` and `none`: the file is the same).
pub fn local_type(provider: &str) -> &'static str {
    if provider == "bigdb+hibp" {
        "bigdb+hibp"
    } else {
        "bigdb"
    }
}

/// Why an update did not happen. Nothing was installed or recorded as installed.
#[derive(Debug, thiserror::Error)]
pub enum LocalDbUpdateError {
    #[error(
        "No update source is configured: set service.security.local.url (passwords/localdb/source)"
    )]
    NoSource,
    #[error("Another server is updating the breached passwords database")]
    Busy,
    #[error(transparent)]
    Update(#[from] UpdateError),
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error("the update worker failed: {0}")]
    Worker(String),
}

impl From<passwords_store::StoreError> for LocalDbUpdateError {
    fn from(e: passwords_store::StoreError) -> Self {
        Self::Core(e.into())
    }
}

/// Options of an update.
#[derive(Clone)]
pub struct UpdateOptions {
    /// The database directory (`<data-dir>/breached`).
    pub dir: PathBuf,
    /// Download even if the installed version is current.
    pub force: bool,
    /// This server's name in the lease.
    pub node: String,
    /// The current Unix time.
    pub now: i64,
    pub download: DownloadLimits,
    pub convert: ConvertLimits,
    /// Bytes downloaded.
    pub download_progress: Arc<dyn Progress + Send + Sync>,
    /// Entries converted.
    pub install_progress: Arc<dyn Progress + Send + Sync>,
}

impl UpdateOptions {
    /// Default limits, no progress, the current time.
    pub fn new(dir: PathBuf, node: impl Into<String>) -> Self {
        Self {
            dir,
            force: false,
            node: node.into(),
            now: now(),
            download: DownloadLimits::default(),
            convert: ConvertLimits::default(),
            download_progress: Arc::new(Silent),
            install_progress: Arc::new(Silent),
        }
    }
}

/// What an installed update was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateSummary {
    /// The URL downloaded, without credentials or query.
    pub url: String,
    /// The version recorded (16).
    pub version: String,
    /// The type recorded (`bigdb` or `bigdb+hibp`).
    pub kind: String,
    /// Bytes downloaded.
    pub bytes: u64,
    /// Entries in the zip.
    pub entries: u64,
    /// Hashes read.
    pub hashes: u64,
    /// Unique hashes installed.
    pub stored: u64,
    /// The installed file.
    pub path: PathBuf,
}

/// What [`update_now`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpdateOutcome {
    Installed(UpdateSummary),
    /// Nothing to do: this version is installed.
    UpToDate {
        version: String,
    },
}

/// The settings an update decision reads.
#[derive(Clone, Debug)]
struct State {
    provider: String,
    url: String,
    version: String,
}

async fn state(store: &dyn Store) -> Result<State, LocalDbUpdateError> {
    Ok(State {
        provider: AppSettings::get(store, PROVIDER).await?.value,
        url: AppSettings::get(store, URL).await?.value,
        version: AppSettings::get(store, VERSION).await?.value,
    })
}

/// Whether the installed database is missing or not the current version.
fn needed(state: &State, dir: &Path) -> bool {
    state.version.trim() != UPDATE_VERSION.to_string() || LocalDb::open_dir(dir).is_err()
}

/// This node's name in the lease during an update started at `options.now`.
pub fn holder(options: &UpdateOptions) -> String {
    format!("{}@{}", options.node, options.now)
}

/// Gives the lease up (after an update was cancelled, e.g. by a shutdown).
pub async fn release(store: &dyn Store, options: &UpdateOptions) -> Result<(), CoreError> {
    store
        .conn()
        .await?
        .release_lease(LEASE, &holder(options))
        .await?;
    Ok(())
}

/// Downloads and installs the update file now (the admin command), unless the current
/// version is installed and `force` is off. Records the outcome.
pub async fn update_now(
    store: &dyn Store,
    options: &UpdateOptions,
) -> Result<UpdateOutcome, LocalDbUpdateError> {
    let s = state(store).await?;
    if !options.force && !needed(&s, &options.dir) {
        return Ok(UpdateOutcome::UpToDate { version: s.version });
    }
    if s.url.trim().is_empty() {
        return Err(LocalDbUpdateError::NoSource);
    }
    let holder = holder(options);
    let until = options.now + options.download.total_timeout.as_secs() as i64 + 60;
    let won = store
        .conn()
        .await?
        .acquire_lease(LEASE, &holder, options.now, until)
        .await?;
    if !won {
        return Err(LocalDbUpdateError::Busy);
    }
    let result = locked_update(store, options).await;
    let mut conn = store.conn().await?;
    conn.release_lease(LEASE, &holder).await?;
    result
}

/// The update while this node holds the lease.
async fn locked_update(
    store: &dyn Store,
    options: &UpdateOptions,
) -> Result<UpdateOutcome, LocalDbUpdateError> {
    // Another node may have finished an update just before this one got the lease.
    let s = state(store).await?;
    if !options.force && !needed(&s, &options.dir) {
        return Ok(UpdateOutcome::UpToDate { version: s.version });
    }
    store
        .conn()
        .await?
        .set_app_setting(LAST_ATTEMPT, &options.now.to_string())
        .await?;
    match fetch_and_install(&s, options).await {
        Ok(summary) => {
            AppSettings::set_internal(store, TYPE, &summary.kind).await?;
            AppSettings::set_internal(store, VERSION, &summary.version).await?;
            let mut conn = store.conn().await?;
            conn.set_app_setting(LAST_TIME, &options.now.to_string())
                .await?;
            conn.delete_app_setting(LAST_ERROR).await?;
            conn.delete_app_setting(FAILURES).await?;
            Ok(UpdateOutcome::Installed(summary))
        }
        Err(e) => {
            let mut conn = store.conn().await?;
            let failures = conn
                .get_app_setting(FAILURES)
                .await?
                .and_then(|v| v.trim().parse::<u32>().ok())
                .unwrap_or(0);
            conn.set_app_setting(FAILURES, &failures.saturating_add(1).to_string())
                .await?;
            conn.set_app_setting(LAST_ERROR, &e.to_string()).await?;
            Err(e)
        }
    }
}

async fn fetch_and_install(
    s: &State,
    options: &UpdateOptions,
) -> Result<UpdateSummary, LocalDbUpdateError> {
    let version = UPDATE_VERSION.to_string();
    let url = resolve_url(&s.url, &version, UPDATE_FORMAT);
    let staging = Staging::new(&options.dir)?;
    let bytes = download(
        &url,
        &staging.zip_path(),
        &options.download,
        &*options.download_progress,
    )
    .await?;
    let source = source_name(&redact_url(&url));
    let created = options.now;
    let limits = options.convert.clone();
    let progress = options.install_progress.clone();
    let dir = options.dir.clone();
    let (stats, path) = tokio::task::spawn_blocking(move || {
        let built = staging.build(&source, created, &limits, &*progress)?;
        let stats = built.stats;
        built.install(&dir).map(|path| (stats, path))
    })
    .await
    .map_err(|e| LocalDbUpdateError::Worker(e.to_string()))??;
    Ok(UpdateSummary {
        url: redact_url(&url),
        version,
        kind: local_type(&s.provider).to_owned(),
        bytes,
        entries: stats.entries,
        hashes: stats.hashes,
        stored: stats.stored,
        path,
    })
}

/// Records a database built by `pwned-list process --mode import`: its type (from the
/// provider) and version, and clears a recorded update failure (the database is current).
pub async fn record_import(store: &dyn Store) -> Result<(), CoreError> {
    let provider = AppSettings::get(store, PROVIDER).await?.value;
    AppSettings::set_internal(store, TYPE, local_type(&provider)).await?;
    AppSettings::set_internal(store, VERSION, &UPDATE_VERSION.to_string()).await?;
    let mut conn = store.conn().await?;
    conn.delete_app_setting(LAST_ERROR).await?;
    conn.delete_app_setting(FAILURES).await?;
    Ok(())
}

/// What one round of the job did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tick {
    /// The provider does not use the local database.
    Disabled,
    /// No update source is configured.
    NoSource,
    /// The current version is installed.
    UpToDate,
    /// A failed attempt is retried at this Unix time.
    Waiting {
        until: i64,
    },
    /// Another node holds the lease.
    Busy,
    Installed(UpdateSummary),
}

/// One round of the job at `options.now`: updates if the provider is `bigdb` or
/// `bigdb+hibp`, a source is configured, an update is needed and the retry delay after the
/// last failures has passed. `options.force` is ignored.
pub async fn tick(store: &dyn Store, options: &UpdateOptions) -> Result<Tick, LocalDbUpdateError> {
    let s = state(store).await?;
    if !is_local_provider(&s.provider) {
        return Ok(Tick::Disabled);
    }
    if s.url.trim().is_empty() {
        return Ok(Tick::NoSource);
    }
    if !needed(&s, &options.dir) {
        return Ok(Tick::UpToDate);
    }
    let (failures, last_attempt) = {
        let mut conn = store.conn().await?;
        let int = |v: Option<String>| v.and_then(|v| v.trim().parse::<i64>().ok()).unwrap_or(0);
        (
            int(conn.get_app_setting(FAILURES).await?),
            int(conn.get_app_setting(LAST_ATTEMPT).await?),
        )
    };
    let until = last_attempt + retry_delay(failures.clamp(0, i64::from(u32::MAX)) as u32);
    if failures > 0 && options.now < until {
        return Ok(Tick::Waiting { until });
    }
    let options = UpdateOptions {
        force: false,
        ..options.clone()
    };
    match update_now(store, &options).await {
        Ok(UpdateOutcome::Installed(summary)) => Ok(Tick::Installed(summary)),
        Ok(UpdateOutcome::UpToDate { .. }) => Ok(Tick::UpToDate),
        Err(LocalDbUpdateError::Busy) => Ok(Tick::Busy),
        Err(LocalDbUpdateError::NoSource) => Ok(Tick::NoSource),
        Err(e) => Err(e),
    }
}

/// Runs [`tick`] every [`CHECK_INTERVAL`] until `shutdown` resolves.
pub async fn run(
    store: Arc<dyn Store>,
    dir: PathBuf,
    node: String,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    let mut last_waiting = None;
    loop {
        let options = UpdateOptions::new(dir.clone(), node.clone());
        let round = tick(&*store, &options);
        tokio::select! {
            () = &mut shutdown => {
                // A download cut short: free the lease for the other nodes.
                let _ = release(&*store, &options).await;
                return;
            }
            result = round => match result {
                Ok(Tick::Installed(s)) => tracing::info!(
                    url = %s.url,
                    hashes = s.stored,
                    version = %s.version,
                    "installed the breached passwords database"
                ),
                Ok(Tick::Waiting { until }) => {
                    if last_waiting != Some(until) {
                        tracing::info!(retry_at = until, "breached passwords database update: waiting before the next attempt");
                        last_waiting = Some(until);
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "the breached passwords database update failed"),
            }
        }
        tokio::select! {
            () = &mut shutdown => return,
            () = tokio::time::sleep(CHECK_INTERVAL) => {}
        }
    }
}

#[cfg(test)]
mod tests;
