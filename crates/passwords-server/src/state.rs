//! What every request handler can reach: the vault, the authenticator, settings, options.

use std::net::IpAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use passwords_breach::bigdb::BigDb;
use passwords_core::auth::login_flow::LoginFlows;
use passwords_core::auth::Authenticator;
use passwords_core::settings::{AppSettings, SettingsCache};
use passwords_core::vault::Vault;
use passwords_store::Store;

/// Options of the HTTP layer.
#[derive(Clone, Debug)]
pub struct ServerOptions {
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Reverse proxies whose `X-Forwarded-Proto` and `X-Forwarded-For` are believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// Whether this server terminates TLS itself.
    pub tls: bool,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            body_limit: 1024 * 1024,
            trusted_proxies: Vec::new(),
            tls: false,
        }
    }
}

/// Shared state of the router. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub vault: Vault,
    pub auth: Authenticator,
    pub settings: SettingsCache,
    pub options: Arc<ServerOptions>,
    /// The local breached-password database that `/range` answers from (`None`: 503).
    pub breach_db: Option<Arc<BigDb>>,
    /// Pending Login Flow v2 sign-ins of this process.
    pub login_flows: LoginFlows,
    legacy_last_used: Arc<AtomicI64>,
}

impl AppState {
    pub fn new(
        vault: Vault,
        auth: Authenticator,
        settings: SettingsCache,
        options: ServerOptions,
    ) -> Self {
        Self {
            vault,
            auth,
            settings,
            options: Arc::new(options),
            breach_db: None,
            login_flows: LoginFlows::default(),
            legacy_last_used: Arc::new(AtomicI64::new(0)),
        }
    }

    /// The same state with the local breached-password database for `/range`.
    pub fn with_breach_db(mut self, db: Arc<BigDb>) -> Self {
        self.breach_db = Some(db);
        self
    }

    pub fn store(&self) -> &dyn Store {
        &*self.vault.store
    }

    /// Records a legacy API request in `legacy.api.last.used`: at most one write per second,
    /// in the background, so the request never waits for it.
    pub fn touch_legacy_last_used(&self) {
        let now = passwords_core::clock::now();
        if self.legacy_last_used.fetch_max(now, Ordering::Relaxed) >= now {
            return;
        }
        let store = self.vault.store.clone();
        tokio::spawn(async move {
            let value = now.to_string();
            if let Err(e) = AppSettings::set_internal(&*store, "legacy.api.last.used", &value).await
            {
                tracing::warn!(error = %e, "could not record legacy.api.last.used");
            }
        });
    }
}
