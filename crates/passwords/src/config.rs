//! Configuration: code defaults → TOML file → `PASSWORDS_*` environment → command line.
//! Secrets can also come from files (`instance_key_file`, `database_url_file`).

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

use crate::cli::{Cli, Command};

/// Every setting of the binary.
#[derive(Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub database_url_file: Option<PathBuf>,
    pub listen: SocketAddr,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// Reverse proxies whose X-Forwarded-Proto / X-Forwarded-For are trusted.
    pub trusted_proxies: Vec<IpAddr>,
    /// Largest request body in bytes.
    pub body_limit: usize,
    /// The instance key as 64 hex digits (prefer `instance_key_file`).
    pub instance_key: Option<String>,
    pub instance_key_file: Option<PathBuf>,
    /// Log filter of `serve` (RUST_LOG syntax).
    pub log: String,
    pub auth: AuthSettings,
}

/// Throttling and caching of logins.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default)]
pub struct AuthSettings {
    pub failures_per_account: usize,
    pub failures_per_ip: usize,
    pub failure_window_seconds: u64,
    pub cache_seconds: u64,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            failures_per_account: 10,
            failures_per_ip: 100,
            failure_window_seconds: 900,
            cache_seconds: 30,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("./data"),
            database_url: None,
            database_url_file: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            tls_cert: None,
            tls_key: None,
            trusted_proxies: Vec::new(),
            body_limit: 1024 * 1024,
            instance_key: None,
            instance_key_file: None,
            log: "info".into(),
            auth: AuthSettings::default(),
        }
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_url),
            )
            .field("listen", &self.listen)
            .field(
                "instance_key",
                &self.instance_key.as_ref().map(|_| "<redacted>"),
            )
            .finish_non_exhaustive()
    }
}

/// The command-line values that override everything else.
#[derive(Serialize)]
struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tls_cert: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tls_key: Option<PathBuf>,
}

impl Settings {
    pub fn load(cli: &Cli) -> anyhow::Result<Self> {
        let (listen, tls_cert, tls_key) = match &cli.command {
            Command::Serve(s) => (s.listen, s.tls_cert.clone(), s.tls_key.clone()),
            _ => (None, None, None),
        };
        let overrides = Overrides {
            data_dir: cli.data_dir.clone(),
            database_url: cli.database_url.clone(),
            listen,
            tls_cert,
            tls_key,
        };
        let env = || Env::prefixed("PASSWORDS_").split("__").ignore(&["config"]);
        // The data directory decides where the default TOML file is.
        let early: Settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(env())
            .merge(Serialized::defaults(&overrides))
            .extract()
            .context("invalid configuration")?;
        let explicit = cli
            .config
            .clone()
            .or_else(|| std::env::var_os("PASSWORDS_CONFIG").map(PathBuf::from));
        let toml_path = match explicit {
            Some(p) => {
                if !p.is_file() {
                    bail!("the configuration file {} does not exist", p.display());
                }
                Some(p)
            }
            None => Some(early.data_dir.join("passwords.toml")).filter(|p| p.is_file()),
        };
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(p) = &toml_path {
            figment = figment.merge(Toml::file(p));
        }
        let mut settings: Settings = figment
            .merge(env())
            .merge(Serialized::defaults(&overrides))
            .extract()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        if settings.database_url.is_none() {
            if let Some(file) = &settings.database_url_file {
                settings.database_url = Some(read_secret(file)?);
            }
        }
        if settings.instance_key.is_none() {
            if let Some(file) = &settings.instance_key_file {
                settings.instance_key = Some(read_secret(file)?);
            }
        }
        if settings.tls_cert.is_some() != settings.tls_key.is_some() {
            bail!("HTTPS needs both tls_cert and tls_key");
        }
        Ok(settings)
    }

    /// The database URL: the configured one or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("passwords.db").display()),
        }
    }

    /// Creates the data directory (mode 0700) if it does not exist.
    pub fn ensure_data_dir(&self) -> anyhow::Result<()> {
        create_private_dir(&self.data_dir)
    }
}

fn read_secret(path: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the secret file {}", path.display()))?;
    Ok(text.trim().to_owned())
}

fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))
}

/// A database URL with its password replaced, for logs and messages.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        Ok(u) => u.to_string(),
        Err(_) => "<unparsable database URL>".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(redact_url("sqlite://x.db"), "sqlite://x.db");
        assert!(!redact_url("mysql://root:pw@127.0.0.1/test").contains("pw@"));
    }
}
