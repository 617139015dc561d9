//! The breached-password provider chosen by the app setting `service.security`, looked up at
//! every check, so `passwords config set service.security …` (and the HIBP URL and timeout)
//! reach a running server within the settings cache's lifetime.
//!
//! [`ConfiguredProvider`] is what the server's [`super::Vault`] holds; the re-check job asks
//! the same one. It owns the shared parts: the hot-reloading local database and the HTTP
//! client of the HIBP API.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use passwords_breach::bigdb::BigDb;
use passwords_breach::combined::BigDbHibp;
use passwords_breach::hibp::{HibpClient, HibpProvider};
use passwords_breach::{BreachError, BreachProvider, NoneProvider};
use passwords_store::Store;

use crate::error::{CoreError, CoreResult};
use crate::settings::SettingsCache;

/// The provider ids of `service.security`, in the order of [`Kind`].
pub const PROVIDERS: [&str; 4] = ["none", "hibp", "bigdb", "bigdb+hibp"];

/// Which provider a setting names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    None,
    Hibp,
    BigDb,
    BigDbHibp,
}

impl Kind {
    /// The kind named by a `service.security` value (unknown → `none`).
    pub fn parse(value: &str) -> Kind {
        match value {
            "hibp" => Kind::Hibp,
            "bigdb" => Kind::BigDb,
            "bigdb+hibp" => Kind::BigDbHibp,
            _ => Kind::None,
        }
    }

    pub fn name(self) -> &'static str {
        PROVIDERS[self as usize]
    }

    /// Whether the local database answers (some) checks of this provider.
    pub fn uses_local_db(self) -> bool {
        matches!(self, Kind::BigDb | Kind::BigDbHibp)
    }
}

/// The provider for the current settings, built per check (cheap: shared parts are `Arc`s).
pub enum Selected {
    None(NoneProvider),
    Hibp(HibpProvider),
    BigDb(Arc<BigDb>),
    BigDbHibp(BigDbHibp),
}

impl Selected {
    pub fn provider(&self) -> &dyn BreachProvider {
        match self {
            Selected::None(p) => p,
            Selected::Hibp(p) => p,
            Selected::BigDb(p) => &**p,
            Selected::BigDbHibp(p) => p,
        }
    }
}

/// The provider named by `service.security`.
pub struct ConfiguredProvider {
    store: Arc<dyn Store>,
    settings: SettingsCache,
    local: Arc<BigDb>,
    hibp: HibpClient,
    /// The [`Kind`] of the last check, for [`BreachProvider::name`].
    last: AtomicUsize,
}

impl ConfiguredProvider {
    pub fn new(
        store: Arc<dyn Store>,
        settings: SettingsCache,
        local: Arc<BigDb>,
    ) -> CoreResult<Self> {
        let hibp = HibpClient::new().map_err(|e| CoreError::Internal(e.to_string()))?;
        Ok(Self {
            store,
            settings,
            local,
            hibp,
            last: AtomicUsize::new(Kind::None as usize),
        })
    }

    /// The local database (for the range endpoint and the re-check job).
    pub fn local(&self) -> &Arc<BigDb> {
        &self.local
    }

    /// The provider kind the settings name now.
    pub async fn kind(&self) -> Result<Kind, BreachError> {
        Ok(Kind::parse(&self.setting("service.security").await?))
    }

    /// The provider the settings name now.
    pub async fn selected(&self) -> Result<Selected, BreachError> {
        let kind = self.kind().await?;
        self.last.store(kind as usize, Ordering::Relaxed);
        Ok(match kind {
            Kind::None => Selected::None(NoneProvider),
            Kind::BigDb => Selected::BigDb(self.local.clone()),
            Kind::Hibp => Selected::Hibp(self.hibp().await?),
            Kind::BigDbHibp => Selected::BigDbHibp(BigDbHibp {
                local: self.local.clone(),
                hibp: self.hibp().await?,
            }),
        })
    }

    async fn hibp(&self) -> Result<HibpProvider, BreachError> {
        let url = self.setting("service.security.hibp.url").await?;
        let timeout = self
            .setting("service.security.hibp.timeout")
            .await?
            .parse()
            .unwrap_or(5);
        Ok(self.hibp.provider(&url, Duration::from_secs(timeout)))
    }

    async fn setting(&self, key: &str) -> Result<String, BreachError> {
        self.settings
            .get(&*self.store, key)
            .await
            .map_err(|e| BreachError::Unavailable(format!("cannot read the app settings: {e}")))
    }
}

#[async_trait]
impl BreachProvider for ConfiguredProvider {
    fn name(&self) -> &'static str {
        PROVIDERS[self.last.load(Ordering::Relaxed).min(3)]
    }

    async fn is_breached(&self, hash: &str) -> Result<bool, BreachError> {
        self.selected().await?.provider().is_breached(hash).await
    }

    async fn hashes(&self, prefix: &str) -> Result<Vec<String>, BreachError> {
        self.selected().await?.provider().hashes(prefix).await
    }
}
