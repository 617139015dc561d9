//! The short-lived cache of successful credential checks.
//!
//! Keys are HMAC-SHA-256(token key, login || 0 || secret): the secret itself is never kept.
//! Entries live for the TTL; revoked app passwords and changed login passwords stop working
//! within that time on a running server.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::Principal;
use crate::crypto::SecretKey;

const MAX_ENTRIES: usize = 100_000;

/// Credential MAC → when it was checked and who it is.
type Entries = HashMap<[u8; 32], (Instant, Principal)>;

#[derive(Clone)]
pub(super) struct GoodCache {
    ttl: Duration,
    map: Arc<Mutex<Entries>>,
}

impl GoodCache {
    pub(super) fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            map: Arc::default(),
        }
    }

    pub(super) fn key(&self, key: &SecretKey, login: &str, secret: &str) -> [u8; 32] {
        let mut data = Vec::with_capacity(login.len() + 1 + secret.len());
        data.extend_from_slice(login.as_bytes());
        data.push(0);
        data.extend_from_slice(secret.as_bytes());
        let mac = key.mac(&data);
        zeroize::Zeroize::zeroize(&mut data);
        mac
    }

    pub(super) fn get(&self, key: &[u8; 32]) -> Option<Principal> {
        if self.ttl.is_zero() {
            return None;
        }
        let mut map = self.lock();
        match map.get(key) {
            Some((at, p)) if at.elapsed() < self.ttl => Some(p.clone()),
            Some(_) => {
                map.remove(key);
                None
            }
            None => None,
        }
    }

    pub(super) fn put(&self, key: [u8; 32], p: Principal) {
        if self.ttl.is_zero() {
            return;
        }
        let mut map = self.lock();
        if map.len() >= MAX_ENTRIES {
            let ttl = self.ttl;
            map.retain(|_, (at, _)| at.elapsed() < ttl);
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
        }
        map.insert(key, (Instant::now(), p));
    }

    pub(super) fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }
}
