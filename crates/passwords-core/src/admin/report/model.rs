//! The report's sections as data: what each section holds, serialised in the reference's
//! key order (struct field order; the settings section keeps the registry's order).

use serde::ser::{Serialize, SerializeMap, Serializer};

/// One section of the report.
#[derive(Debug, serde::Serialize)]
#[serde(untagged)]
pub enum Section {
    Version(Version),
    Environment(Environment),
    Services(Services),
    Settings(Ordered),
    Status(Status),
    Apps(Apps),
    Sharing(Sharing),
    Encryption(Encryption),
}

#[derive(Debug, serde::Serialize)]
pub struct Version {
    /// The build of this server (the reference: the Nextcloud version).
    pub server: String,
    /// The version of this server (the reference: the app's).
    pub app: String,
    /// Always false (the reference: a Nextcloud long-term release).
    pub lsr: bool,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Environment {
    /// As `uname -s` prints it (`Linux`).
    pub os: String,
    /// As `uname -m` prints it (`x86_64`).
    pub architecture: String,
    pub bits: u32,
    /// The reference's names: `sqlite3`, `pgsql`, `mysql`.
    pub database: &'static str,
    /// E.g. `PostgreSQL 15.2`, `MariaDB 10.11.6`.
    pub database_version: String,
    /// Background jobs run inside `passwords serve`.
    pub cron: &'static str,
    /// Trusted reverse proxies are configured.
    pub proxy: bool,
    /// HTTPS ends at a trusted proxy (proxies configured, no own certificate).
    pub ssl_proxy: bool,
    /// `serve` has its own certificate.
    pub tls: bool,
    /// The API is always served from the root of the host.
    pub subdirectory: bool,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Services {
    /// The breached-password provider (`service.security`).
    pub security: String,
    pub local_database: LocalDatabase,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalDatabase {
    /// A readable local breached-password database is installed (`<data-dir>/breached/pwned.db`).
    pub installed: bool,
    /// `service.security.local.type`: the provider it was installed for, if recorded.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `service.security.local.version`, if set.
    pub version: Option<String>,
    /// Number of hashes in the installed database.
    pub hashes: Option<u64>,
    /// Size of the database file in bytes.
    pub size: Option<u64>,
    /// When the installed database was built, Unix seconds.
    pub created: Option<i64>,
    /// An update source is configured (the URL itself is not shown: it may hold credentials).
    pub source: bool,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalDatabaseUpdate {
    /// `never` (no download yet), `ok` (the last one succeeded) or `failed`.
    pub state: &'static str,
    /// The last successful update, Unix seconds.
    pub last_success: Option<i64>,
    /// The last attempt, successful or not, Unix seconds.
    pub last_attempt: Option<i64>,
    /// The message of the last failed attempt.
    pub last_error: Option<String>,
    /// Failed attempts in a row (the job waits longer after each).
    pub failures: u64,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub auto_backup: AutoBackup,
    /// Downloads of the local breached-password database (`pwned-list update` and the job).
    pub local_database_update: LocalDatabaseUpdate,
    /// Modification time of the newest backup file (manual or automatic), Unix seconds.
    pub last_backup: Option<i64>,
    /// The last breached-password re-check, Unix seconds.
    pub last_security_check: Option<i64>,
    /// The message of the last failed re-check pass (removed by the next complete one).
    pub last_security_check_error: Option<String>,
    /// The last legacy API request, Unix seconds.
    pub legacy_api_last_used: Option<i64>,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoBackup {
    /// `never` (no run yet), `ok` (the last run succeeded) or `failed`.
    pub state: &'static str,
    /// Seconds between automatic backups (`backup.interval`).
    pub interval: i64,
    /// Automatic backups kept (`backup.files.max`, 0 = all).
    pub keep: i64,
    /// The last successful run, Unix seconds.
    pub last_success: Option<i64>,
    /// The message of the last failed run.
    pub last_error: Option<String>,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Apps {
    pub legacy_api: App,
    pub api_v1: App,
}

#[derive(Debug, serde::Serialize)]
pub struct App {
    pub installed: bool,
    pub enabled: bool,
}

#[derive(Debug, serde::Serialize)]
pub struct Sharing {
    /// Live shares, bucketed as the reference: 0, 10, 25, 50, 100, 500, 501 (more).
    pub shares: u64,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Encryption {
    pub sse: Usage,
    pub cse: Usage,
    /// How this server encrypts at rest.
    pub at_rest: AtRest,
}

#[derive(Debug, serde::Serialize)]
pub struct AtRest {
    /// Cipher of the secret fields.
    pub fields: &'static str,
    /// Cipher that wraps the user keys with the instance key.
    pub keys: &'static str,
}

/// Which encryption types at least one revision uses, and the most used one; `[]` when there
/// is no revision (as the reference).
#[derive(Debug)]
pub enum Usage {
    None,
    Used {
        types: Vec<(&'static str, bool)>,
        default: String,
    },
}

impl Serialize for Usage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Usage::None => Vec::<u8>::new().serialize(serializer),
            Usage::Used { types, default } => {
                let mut map = serializer.serialize_map(Some(types.len() + 1))?;
                for (name, used) in types {
                    map.serialize_entry(name, used)?;
                }
                map.serialize_entry("default", default)?;
                map.end()
            }
        }
    }
}

/// Key–value pairs in a fixed order (the settings section).
#[derive(Debug)]
pub struct Ordered(pub Vec<(String, serde_json::Value)>);

impl Serialize for Ordered {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}
