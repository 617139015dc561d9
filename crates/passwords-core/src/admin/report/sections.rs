//! Where each value of the system report comes from: the build and configuration
//! ([`HostFacts`]), the database, the app settings and the data directory.

use std::collections::HashMap;
use std::path::Path;

use passwords_store::{Backend, EncryptionUse, Store};

use super::model::*;
use super::HostFacts;
use crate::breach_update::{self, breach_dir};
use crate::error::CoreResult;
use crate::settings::{lookup, registry, SettingType};
use passwords_breach::localdb::LocalDb;

/// Internal app settings that the automatic backups write: the last success, the last error.
pub use crate::backup::auto::{
    LAST_ERROR as AUTO_BACKUP_LAST_ERROR, LAST_TIME as AUTO_BACKUP_LAST_TIME,
};
/// Internal app setting: Unix time of the last breached-password re-check of all passwords.
pub const SECURITY_CHECK_LAST_TIME: &str = "security.check.last.time";

/// Reads what the sections need, each thing at most once.
pub(super) struct Facts<'a> {
    store: &'a dyn Store,
    host: &'a HostFacts,
    settings: Option<HashMap<String, String>>,
}

impl<'a> Facts<'a> {
    pub(super) fn new(store: &'a dyn Store, host: &'a HostFacts) -> Self {
        Self {
            store,
            host,
            settings: None,
        }
    }

    pub(super) async fn section(&mut self, name: &str) -> CoreResult<Section> {
        Ok(match name {
            "version" => Section::Version(self.version()),
            "environment" => Section::Environment(self.environment().await?),
            "services" => Section::Services(self.services().await?),
            "settings" => Section::Settings(self.settings_section().await?),
            "status" => Section::Status(self.status().await?),
            "apps" => Section::Apps(self.apps().await?),
            "sharing" => Section::Sharing(self.sharing().await?),
            _ => Section::Encryption(self.encryption().await?),
        })
    }

    fn version(&self) -> Version {
        Version {
            server: self.host.build.clone(),
            app: self.host.app_version.clone(),
            lsr: false,
        }
    }

    async fn environment(&self) -> CoreResult<Environment> {
        let h = self.host;
        Ok(Environment {
            os: os_name(),
            architecture: std::env::consts::ARCH.to_owned(),
            bits: usize::BITS,
            database: match self.store.backend() {
                Backend::Sqlite => "sqlite3",
                Backend::Postgres => "pgsql",
                Backend::Mysql => "mysql",
            },
            database_version: self.store.server_version().await?,
            cron: "internal",
            proxy: h.trusted_proxies,
            ssl_proxy: h.trusted_proxies && !h.tls,
            tls: h.tls,
            subdirectory: false,
        })
    }

    /// The stored app settings (internal ones too), read once.
    async fn stored(&mut self) -> CoreResult<&HashMap<String, String>> {
        if self.settings.is_none() {
            let list = self.store.conn().await?.list_app_settings().await?;
            self.settings = Some(list.into_iter().collect());
        }
        Ok(self.settings.get_or_insert_with(HashMap::new))
    }

    /// A known setting's value, or its default.
    async fn setting(&mut self, key: &str) -> CoreResult<String> {
        let default = lookup(key).map(|d| d.default).unwrap_or_default();
        Ok(self
            .stored()
            .await?
            .get(key)
            .cloned()
            .unwrap_or_else(|| default.to_owned()))
    }

    /// An internal setting holding a positive Unix time.
    async fn time(&mut self, key: &str) -> CoreResult<Option<i64>> {
        let raw = self.stored().await?.get(key).cloned();
        Ok(raw
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|t| *t > 0))
    }

    async fn services(&mut self) -> CoreResult<Services> {
        let version = self.setting("service.security.local.version").await?;
        let kind = self.setting("service.security.local.type").await?;
        let file = self
            .host
            .data_dir
            .as_deref()
            .map(|d| breach_dir(d).join(passwords_breach::localdb::FILE_NAME));
        let db = file.as_deref().and_then(|f| {
            let db = LocalDb::open(f).ok()?;
            let size = std::fs::metadata(f).ok()?.len();
            Some((db.header().clone(), size))
        });
        let installed = match (&file, &db) {
            (Some(_), found) => found.is_some(),
            // Without the data directory the recorded version is all there is.
            (None, _) => !version.is_empty() && version != "0",
        };
        Ok(Services {
            security: self.setting("service.security").await?,
            local_database: LocalDatabase {
                installed,
                kind: (!kind.is_empty()).then_some(kind),
                version: (!version.is_empty()).then_some(version),
                hashes: db.as_ref().map(|(h, _)| h.count),
                size: db.as_ref().map(|(_, size)| *size),
                created: db.as_ref().map(|(h, _)| h.created).filter(|t| *t > 0),
                source: !self.setting("service.security.local.url").await?.is_empty(),
            },
        })
    }

    async fn local_database_update(&mut self) -> CoreResult<LocalDatabaseUpdate> {
        let last_success = self.time(breach_update::LAST_TIME).await?;
        let last_attempt = self.time(breach_update::LAST_ATTEMPT).await?;
        let last_error = self.message(breach_update::LAST_ERROR).await?;
        let failures = self
            .stored()
            .await?
            .get(breach_update::FAILURES)
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(0);
        let state = match (&last_error, last_success) {
            (Some(_), _) => "failed",
            (None, Some(_)) => "ok",
            (None, None) => "never",
        };
        Ok(LocalDatabaseUpdate {
            state,
            last_success,
            last_attempt,
            last_error,
            failures,
        })
    }

    /// Every writable setting that is not free text (URLs may hold credentials), typed.
    async fn settings_section(&mut self) -> CoreResult<Ordered> {
        let mut out = Vec::new();
        for def in registry()
            .iter()
            .filter(|d| d.writable && d.kind != SettingType::Text)
        {
            let value = self.setting(def.key).await?;
            let json = match def.kind {
                SettingType::Bool => serde_json::Value::Bool(value == "true"),
                SettingType::Int { .. } => value
                    .parse::<i64>()
                    .map(serde_json::Value::from)
                    .unwrap_or(serde_json::Value::String(value)),
                _ => serde_json::Value::String(value),
            };
            out.push((def.key.to_owned(), json));
        }
        Ok(Ordered(out))
    }

    /// An error message kept in an internal app setting, if there is one.
    async fn message(&mut self, key: &str) -> CoreResult<Option<String>> {
        Ok(self
            .stored()
            .await?
            .get(key)
            .filter(|e| !e.trim().is_empty())
            .cloned())
    }

    async fn status(&mut self) -> CoreResult<Status> {
        let last_success = self.time(AUTO_BACKUP_LAST_TIME).await?;
        let last_error = self.message(AUTO_BACKUP_LAST_ERROR).await?;
        let state = match (&last_error, last_success) {
            (Some(_), _) => "failed",
            (None, Some(_)) => "ok",
            (None, None) => "never",
        };
        let int = |v: String| v.parse::<i64>().unwrap_or(0);
        Ok(Status {
            auto_backup: AutoBackup {
                state,
                interval: int(self.setting("backup.interval").await?),
                keep: int(self.setting("backup.files.max").await?),
                last_success,
                last_error,
            },
            local_database_update: self.local_database_update().await?,
            last_backup: self.host.data_dir.as_deref().and_then(newest_backup),
            last_security_check: self.time(SECURITY_CHECK_LAST_TIME).await?,
            last_security_check_error: self.message(crate::recheck::job::LAST_ERROR).await?,
            legacy_api_last_used: self.time("legacy.api.last.used").await?,
        })
    }

    async fn apps(&mut self) -> CoreResult<Apps> {
        Ok(Apps {
            legacy_api: App {
                installed: true,
                enabled: self.setting("legacy.api.enabled").await? == "true",
            },
            api_v1: App {
                installed: false,
                enabled: false,
            },
        })
    }

    async fn sharing(&self) -> CoreResult<Sharing> {
        let live = self.store.conn().await?.count_live_shares().await?;
        Ok(Sharing {
            shares: share_bucket(live),
        })
    }

    async fn encryption(&self) -> CoreResult<Encryption> {
        let uses = self
            .store
            .conn()
            .await?
            .count_revisions_by_encryption()
            .await?;
        Ok(Encryption {
            sse: usage(
                &uses,
                |u| &u.sse_type,
                &["SSEv1r1", "SSEv1r2", "SSEv2r1", "SSEv3r1", "none"],
            ),
            cse: usage(&uses, |u| &u.cse_type, &["CSEv1r1", "none"]),
            at_rest: AtRest {
                fields: "AES-256-GCM",
                keys: "XChaCha20-Poly1305",
            },
        })
    }
}

/// `uname -s` style names.
fn os_name() -> String {
    match std::env::consts::OS {
        "linux" => "Linux".into(),
        "macos" => "Darwin".into(),
        "freebsd" => "FreeBSD".into(),
        "openbsd" => "OpenBSD".into(),
        "netbsd" => "NetBSD".into(),
        "windows" => "Windows".into(),
        other => other.into(),
    }
}

/// The reference's share-count buckets.
pub fn share_bucket(count: u64) -> u64 {
    match count {
        0 => 0,
        1..=10 => 10,
        11..=25 => 25,
        26..=50 => 50,
        51..=100 => 100,
        101..=500 => 500,
        _ => 501,
    }
}

/// Which of `known` are used by at least one revision, and the most used type (the first in
/// byte order on a tie).
fn usage(
    uses: &[EncryptionUse],
    kind: fn(&EncryptionUse) -> &String,
    known: &[&'static str],
) -> Usage {
    if uses.is_empty() {
        return Usage::None;
    }
    let mut totals: Vec<(&String, u64)> = Vec::new();
    for u in uses {
        match totals.iter_mut().find(|(t, _)| *t == kind(u)) {
            Some((_, n)) => *n += u.revisions,
            None => totals.push((kind(u), u.revisions)),
        }
    }
    totals.sort();
    let mut default = totals[0];
    for t in &totals {
        if t.1 > default.1 {
            default = *t;
        }
    }
    Usage::Used {
        types: known
            .iter()
            .map(|k| (*k, totals.iter().any(|(t, n)| t.as_str() == *k && *n > 0)))
            .collect(),
        default: default.0.clone(),
    }
}

/// The modification time of the newest `*.json.gz` in `backups/` or `backups/auto/`.
fn newest_backup(data_dir: &Path) -> Option<i64> {
    let dirs = [
        data_dir.join("backups"),
        data_dir.join("backups").join("auto"),
    ];
    dirs.iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".json.gz"))
        .filter_map(|e| e.metadata().ok()?.modified().ok())
        .filter_map(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_match_the_reference() {
        let cases = [
            (0, 0),
            (1, 10),
            (10, 10),
            (11, 25),
            (25, 25),
            (26, 50),
            (51, 100),
            (100, 100),
            (101, 500),
            (500, 500),
            (501, 501),
            (100_000, 501),
        ];
        for (count, bucket) in cases {
            assert_eq!(share_bucket(count), bucket, "{count}");
        }
    }

    #[test]
    fn usage_names_the_most_used_type() {
        let row = |sse: &str, cse: &str, revisions| EncryptionUse {
            sse_type: sse.into(),
            cse_type: cse.into(),
            revisions,
        };
        let uses = [row("SSEv1r2", "none", 3), row("none", "CSEv1r1", 5)];
        match usage(&uses, |u| &u.sse_type, &["SSEv1r1", "SSEv1r2", "none"]) {
            Usage::Used { types, default } => {
                assert_eq!(
                    types,
                    vec![("SSEv1r1", false), ("SSEv1r2", true), ("none", true)]
                );
                assert_eq!(default, "none");
            }
            Usage::None => panic!("used"),
        }
        assert!(matches!(
            usage(&[], |u| &u.sse_type, &["none"]),
            Usage::None
        ));
    }
}
