//! What every command needs: the data directory, the database and the instance key.

use std::sync::Arc;

use anyhow::Context as _;
use passwords_core::crypto::{InstanceKey, InstanceKeySource};
use passwords_core::keys::{verify_instance_key, KeyRing};
use passwords_store::Store;

use crate::config::{redact_url, Settings};

/// The opened database and keys.
pub struct Context {
    pub settings: Settings,
    pub store: Arc<dyn Store>,
    pub instance: Arc<InstanceKey>,
    pub keys: KeyRing,
}

impl Context {
    /// Creates the data directory, loads (or creates) the instance key, connects to the
    /// database, runs its migrations and checks that the key belongs to it.
    pub async fn open(settings: Settings) -> anyhow::Result<Self> {
        settings.ensure_data_dir()?;
        let data_dir = &settings.data_dir;
        if passwords_core::breach_update::adopt_old_breach_dir(data_dir)
            .with_context(|| format!("cannot move {}/breach to breached", data_dir.display()))?
        {
            tracing::info!("moved the local breached-password database to <data-dir>/breached");
        }
        let source = match &settings.instance_key {
            Some(hex) => InstanceKeySource::Hex(hex.clone()),
            None => InstanceKeySource::File {
                path: settings.data_dir.join("instance.key"),
                create: true,
            },
        };
        let instance = Arc::new(InstanceKey::load(&source)?);
        let url = settings.database_url();
        let store = passwords_store_sql::connect(&url)
            .await
            .with_context(|| format!("cannot open the database {}", redact_url(&url)))?;
        let store: Arc<dyn Store> = Arc::new(store);
        verify_instance_key(&*store, &instance).await?;
        let keys = KeyRing::new(instance.clone());
        Ok(Self {
            settings,
            store,
            instance,
            keys,
        })
    }
}
