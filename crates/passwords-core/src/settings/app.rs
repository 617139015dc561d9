//! Reading and writing app settings: the admin operations and a short-lived cache for the
//! server's hot paths.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use passwords_store::Store;

use super::registry::{lookup, registry, SettingDef};
use crate::error::{CoreError, CoreResult};

/// One app setting with its effective value.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SettingValue {
    pub key: &'static str,
    pub value: String,
    /// True when nothing is stored and `value` is the default.
    pub is_default: bool,
    pub writable: bool,
}

/// The admin operations on app settings (`passwords config …`).
pub struct AppSettings;

impl AppSettings {
    /// Every known setting with its value.
    pub async fn list(store: &dyn Store) -> CoreResult<Vec<SettingValue>> {
        let stored: HashMap<String, String> = store
            .conn()
            .await?
            .list_app_settings()
            .await?
            .into_iter()
            .collect();
        Ok(registry()
            .iter()
            .map(|d| value_of(d, stored.get(d.key).cloned()))
            .collect())
    }

    /// One setting (dotted name or alias).
    pub async fn get(store: &dyn Store, key: &str) -> CoreResult<SettingValue> {
        let def = lookup(key)?;
        let stored = store.conn().await?.get_app_setting(def.key).await?;
        Ok(value_of(def, stored))
    }

    /// Validates and stores a value; returns the stored setting.
    pub async fn set(store: &dyn Store, key: &str, value: &str) -> CoreResult<SettingValue> {
        let def = lookup(key)?;
        if !def.writable {
            return Err(CoreError::SettingNotWritable(def.key.to_owned()));
        }
        let text = def.normalise(value)?;
        store.conn().await?.set_app_setting(def.key, &text).await?;
        Ok(value_of(def, Some(text)))
    }

    /// Resets a setting to its default; returns the setting as it is now.
    pub async fn delete(store: &dyn Store, key: &str) -> CoreResult<SettingValue> {
        let def = lookup(key)?;
        if !def.writable {
            return Err(CoreError::SettingNotWritable(def.key.to_owned()));
        }
        store.conn().await?.delete_app_setting(def.key).await?;
        Ok(value_of(def, None))
    }

    /// Stores a value of a read-only setting that the server itself maintains.
    pub async fn set_internal(store: &dyn Store, key: &str, value: &str) -> CoreResult<()> {
        let def = lookup(key)?;
        let text = def.normalise(value)?;
        store.conn().await?.set_app_setting(def.key, &text).await?;
        Ok(())
    }
}

fn value_of(def: &'static SettingDef, stored: Option<String>) -> SettingValue {
    let is_default = stored.is_none();
    SettingValue {
        key: def.key,
        value: stored.unwrap_or_else(|| def.default.to_owned()),
        is_default,
        writable: def.writable,
    }
}

/// App settings as the running server sees them, re-read at most once per `ttl`, so that a
/// `passwords config set` from another process takes effect within that time.
/// When the values were read, and the values.
type Snapshot = Option<(Instant, Arc<HashMap<String, String>>)>;

#[derive(Clone)]
pub struct SettingsCache {
    ttl: Duration,
    inner: Arc<Mutex<Snapshot>>,
}

impl SettingsCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            inner: Arc::default(),
        }
    }

    /// The stored values (without defaults), fresh within the TTL.
    async fn snapshot(&self, store: &dyn Store) -> CoreResult<Arc<HashMap<String, String>>> {
        if let Some((at, map)) = self.lock().as_ref() {
            if at.elapsed() < self.ttl {
                return Ok(map.clone());
            }
        }
        let map: HashMap<String, String> = store
            .conn()
            .await?
            .list_app_settings()
            .await?
            .into_iter()
            .collect();
        let map = Arc::new(map);
        *self.lock() = Some((Instant::now(), map.clone()));
        Ok(map)
    }

    /// The effective text value of a known setting.
    pub async fn get(&self, store: &dyn Store, key: &str) -> CoreResult<String> {
        let def = lookup(key)?;
        let map = self.snapshot(store).await?;
        Ok(map
            .get(def.key)
            .cloned()
            .unwrap_or_else(|| def.default.to_owned()))
    }

    /// A boolean setting.
    pub async fn get_bool(&self, store: &dyn Store, key: &str) -> CoreResult<bool> {
        Ok(self.get(store, key).await? == "true")
    }

    /// Forgets the cached values (after this process changed a setting).
    pub fn invalidate(&self) {
        *self.lock() = None;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Snapshot> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}
