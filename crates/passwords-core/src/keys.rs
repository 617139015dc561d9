//! User data keys: created with the account, stored wrapped, cached unwrapped in memory
//! (checked against the stored wrapped key on every use).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use passwords_store::{Store, StoreError, Tx, UserKeyRecord};
use passwords_types::UserId;
use subtle::ConstantTimeEq;

use crate::clock::now;
use crate::crypto::{open, seal, FieldKey, InstanceKey, SecretKey};
use crate::error::{CoreError, CoreResult};

/// Unwraps and caches user keys. Cheap to clone.
#[derive(Clone)]
pub struct KeyRing {
    instance: Arc<InstanceKey>,
    cache: Arc<Mutex<KeyCache>>,
}

/// Unwrapped keys by uid, with the wrapped bytes they came from.
type KeyCache = HashMap<UserId, (Vec<u8>, Arc<FieldKey>)>;

impl KeyRing {
    pub fn new(instance: Arc<InstanceKey>) -> Self {
        Self {
            instance,
            cache: Arc::default(),
        }
    }

    pub fn instance(&self) -> &InstanceKey {
        &self.instance
    }

    /// Wraps a user key for storage; the uid is bound to the ciphertext.
    pub fn wrap(&self, uid: &UserId, key: &SecretKey) -> Vec<u8> {
        seal(self.instance.wrap_key(), &wrap_aad(uid), key.as_bytes())
    }

    /// Unwraps a stored user key; fails if it was wrapped by another instance key.
    pub fn unwrap_key(&self, uid: &UserId, wrapped: &[u8]) -> CoreResult<SecretKey> {
        let bytes = open(self.instance.wrap_key(), &wrap_aad(uid), wrapped).map_err(|_| {
            CoreError::Crypto(format!(
                "the data key of user {uid} cannot be unwrapped: the instance key does not match"
            ))
        })?;
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| CoreError::Crypto(format!("the data key of user {uid} is malformed")))?;
        Ok(SecretKey::from_bytes(arr))
    }

    /// Creates a fresh key for a new user inside the caller's transaction.
    pub async fn create(&self, tx: &mut dyn Tx, uid: &UserId) -> CoreResult<()> {
        let key = SecretKey::random();
        let record = UserKeyRecord {
            uid: uid.clone(),
            wrapped: self.wrap(uid, &key),
            created: now(),
        };
        tx.insert_user_key(&record).await?;
        Ok(())
    }

    /// The user's key, else a newly created one (in its own committed statement, so a later
    /// rollback of the caller's work never loses a key).
    ///
    /// The wrapped key is read on every call (one primary-key lookup); only unwrapping it and
    /// the cipher setup are cached, keyed by the wrapped bytes. So when another process
    /// replaces a user's key (`user delete`, `user move`, a restore), the next call uses the
    /// new one instead of sealing data under a key the database no longer has.
    pub async fn user_key(&self, store: &dyn Store, uid: &UserId) -> CoreResult<Arc<FieldKey>> {
        let mut conn = store.conn().await?;
        let record = match conn.get_user_key(uid).await? {
            Some(r) => r,
            None => {
                let key = SecretKey::random();
                let record = UserKeyRecord {
                    uid: uid.clone(),
                    wrapped: self.wrap(uid, &key),
                    created: now(),
                };
                match conn.insert_user_key(&record).await {
                    Ok(()) => record,
                    Err(StoreError::Conflict(_)) => {
                        conn.get_user_key(uid).await?.ok_or(StoreError::NotFound)?
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        };
        drop(conn);
        if let Some(k) = self.cached(uid, &record.wrapped) {
            return Ok(k);
        }
        let key = Arc::new(FieldKey::new(self.unwrap_key(uid, &record.wrapped)?));
        self.cache_lock()
            .insert(uid.clone(), (record.wrapped, key.clone()));
        Ok(key)
    }

    /// Inside a write transaction, after `Tx::lock_user`: confirms that `key` (from
    /// [`Self::user_key`], read before the transaction) is still the user's stored key. A
    /// `user move`, `user delete` or `backup restore` that committed in between replaced it;
    /// sealing with the old key would write data nobody can open, so the write is refused
    /// (the client retries).
    pub async fn confirm(
        &self,
        tx: &mut dyn Tx,
        uid: &UserId,
        key: &Arc<FieldKey>,
    ) -> CoreResult<()> {
        let replaced = || {
            CoreError::Conflict(
                "The user's data was replaced meanwhile (moved or restored); try again".into(),
            )
        };
        let record = tx.get_user_key(uid).await?.ok_or_else(replaced)?;
        let current = match self.cached(uid, &record.wrapped) {
            Some(k) => k,
            None => Arc::new(FieldKey::new(self.unwrap_key(uid, &record.wrapped)?)),
        };
        // Two requests may have unwrapped the same key into different cache entries: compare
        // the keys, not the entries.
        if bool::from(current.secret().as_bytes().ct_eq(key.secret().as_bytes())) {
            Ok(())
        } else {
            Err(replaced())
        }
    }

    /// Drops a cached key (after the user's data was deleted or replaced).
    pub fn forget(&self, uid: &UserId) {
        self.cache_lock().remove(uid);
    }

    /// The cached key of `uid` if it was unwrapped from exactly these bytes.
    fn cached(&self, uid: &UserId, wrapped: &[u8]) -> Option<Arc<FieldKey>> {
        match self.cache_lock().get(uid) {
            Some((bytes, key)) if bytes.as_slice() == wrapped => Some(key.clone()),
            _ => None,
        }
    }

    fn cache_lock(&self) -> std::sync::MutexGuard<'_, KeyCache> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn wrap_aad(uid: &UserId) -> Vec<u8> {
    format!("user-key:{uid}").into_bytes()
}

/// The app setting that records which instance key the database was written with.
const KEY_CHECK_SETTING: &str = "instance.key.check";

/// Refuses to run on a database that was written with another instance key; records the key's
/// fingerprint on first use.
pub async fn verify_instance_key(store: &dyn Store, instance: &InstanceKey) -> CoreResult<()> {
    let mut conn = store.conn().await?;
    let expected = instance.check_value();
    match conn.get_app_setting(KEY_CHECK_SETTING).await? {
        Some(found) if found == expected => Ok(()),
        Some(_) => Err(CoreError::Config(
            "the instance key does not match this database: start the server with the key it \
             was created with (instance.key or PASSWORDS_INSTANCE_KEY)"
                .into(),
        )),
        None => {
            conn.set_app_setting(KEY_CHECK_SETTING, &expected).await?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_keys_are_bound_to_uid_and_instance() {
        let ring = KeyRing::new(Arc::new(InstanceKey::from_key(&SecretKey::random())));
        let alice = UserId::parse("alice").unwrap();
        let bob = UserId::parse("bob").unwrap();
        let k = SecretKey::random();
        let w = ring.wrap(&alice, &k);
        assert_eq!(
            ring.unwrap_key(&alice, &w).unwrap().as_bytes(),
            k.as_bytes()
        );
        assert!(ring.unwrap_key(&bob, &w).is_err());
        let other = KeyRing::new(Arc::new(InstanceKey::from_key(&SecretKey::random())));
        assert!(other.unwrap_key(&alice, &w).is_err());
    }
}
