//! Authentication of API requests: HTTP Basic with the login password or an app password.
//!
//! Order of checks, chosen so that throttling cannot lock out a working client and guessing
//! gains nothing:
//! 1. a short-lived cache of good checks (keyed hash of login and secret): a hit succeeds;
//! 2. the per-IP failure limit, then (for app-password-shaped secrets) the app password;
//! 3. the per-account failure limit, then Argon2id on a blocking thread behind a semaphore of
//!    one hash per core. Unknown users are checked against a dummy hash, so they cost the
//!    same time as known ones.
//!
//! Failures count against the account and the IP; past the limit the answer is
//! [`CoreError::Throttled`] with the seconds to wait.

mod cache;
mod hashing;
pub mod login_flow;
mod throttle;
pub mod token;

pub use hashing::PasswordHasher;
pub use throttle::{Throttle, ThrottleLimits};

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use passwords_store::Store;
use passwords_types::UserId;

use crate::clock::now;
use crate::crypto::InstanceKey;
use crate::error::{CoreError, CoreResult};
use cache::GoodCache;

/// How a request authenticated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginKind {
    /// With the account's login password.
    Password,
    /// With the app password of this name.
    AppPassword(String),
}

/// The authenticated user of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub uid: UserId,
    pub kind: LoginKind,
}

/// Settings of the authenticator.
#[derive(Clone, Debug)]
pub struct AuthOptions {
    pub limits: ThrottleLimits,
    /// How long a good check is remembered.
    pub cache_ttl: Duration,
}

impl Default for AuthOptions {
    fn default() -> Self {
        Self {
            limits: ThrottleLimits::default(),
            cache_ttl: Duration::from_secs(30),
        }
    }
}

/// Checks Basic credentials. One per server; cheap to clone.
#[derive(Clone)]
pub struct Authenticator {
    instance: Arc<InstanceKey>,
    hasher: PasswordHasher,
    throttle: Throttle,
    cache: GoodCache,
}

impl Authenticator {
    pub fn new(instance: Arc<InstanceKey>, hasher: PasswordHasher, options: AuthOptions) -> Self {
        Self {
            instance,
            hasher,
            throttle: Throttle::new(options.limits),
            cache: GoodCache::new(options.cache_ttl),
        }
    }

    /// Authenticates `login:secret` from `ip`.
    pub async fn authenticate(
        &self,
        store: &dyn Store,
        login: &str,
        secret: &str,
        ip: IpAddr,
    ) -> CoreResult<Principal> {
        let cache_key = self.cache.key(self.instance.token_key(), login, secret);
        if let Some(p) = self.cache.get(&cache_key) {
            return Ok(p);
        }
        self.throttle.check_ip(ip)?;
        let uid = match UserId::parse(login) {
            Ok(uid) => uid,
            Err(_) => {
                // Not a possible uid: spend the same time as a real check, then fail.
                self.throttle.check_account(login)?;
                self.hasher.verify_dummy(secret).await;
                return Err(self.fail(login, ip));
            }
        };

        if token::looks_like_token(secret) {
            let hash = token::token_hash(self.instance.token_key(), secret);
            let mut conn = store.conn().await?;
            if let Some(tok) = conn.find_app_password(&uid, &hash).await? {
                if let Some(acc) = conn.get_account(&uid).await? {
                    if acc.enabled && !acc.removed {
                        // `last_used` is a date for `token list`: one write a minute is enough.
                        let t = now();
                        if tok.last_used.is_none_or(|used| t - used >= 60) {
                            conn.touch_app_password(&uid, &hash, t).await?;
                        }
                        let p = Principal {
                            uid,
                            kind: LoginKind::AppPassword(tok.name),
                        };
                        self.cache.put(cache_key, p.clone());
                        return Ok(p);
                    }
                }
            }
        }

        self.throttle.check_account(login)?;
        let account = store.conn().await?.get_account(&uid).await?;
        let phc = account
            .filter(|a| a.enabled && !a.removed)
            .and_then(|a| a.password_hash);
        let good = match phc {
            Some(phc) => self.hasher.verify(secret, &phc).await?,
            None => {
                self.hasher.verify_dummy(secret).await;
                false
            }
        };
        if !good {
            return Err(self.fail(login, ip));
        }
        let p = Principal {
            uid,
            kind: LoginKind::Password,
        };
        self.cache.put(cache_key, p.clone());
        Ok(p)
    }

    fn fail(&self, login: &str, ip: IpAddr) -> CoreError {
        self.throttle.record_failure(login, ip);
        tracing::info!(%ip, "failed login");
        CoreError::Unauthorized
    }

    /// Forgets every cached good check (after credentials changed in this process).
    pub fn clear_cache(&self) {
        self.cache.clear();
    }
}
