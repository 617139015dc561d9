//! Breached-password checks: the [`BreachProvider`] trait and its implementations.
//!
//! A provider answers "is this SHA-1 (or SHA-1 prefix) in a breached-password list?". It must
//! never make a save fail: when it cannot answer it returns [`BreachError::Unavailable`], and
//! the password is stored as `NOT_CHECKED` for a later re-check. Only [`NoneProvider`] exists
//! so far; the local database (`bigdb`) and the HIBP range API (`hibp`) plug in here.
//!
//! [`localdb`] is the local breached-password database, [`pwned`] reads and selects from
//! Pwned Passwords lists, [`process`] turns a list into a database, [`export`] into the reference's zip, [`update`] installs such a zip from a URL, and [`testgen`] writes
//! seeded lists for tests and benchmarks.

pub mod export;
pub mod localdb;
pub mod process;
pub mod pwned;
pub mod testgen;
pub mod update;

use async_trait::async_trait;

/// Why a provider could not answer.
#[derive(Debug, thiserror::Error)]
pub enum BreachError {
    #[error("the breached-password service is unavailable: {0}")]
    Unavailable(String),
}

/// A source of breached-password hashes.
#[async_trait]
pub trait BreachProvider: Send + Sync + 'static {
    /// The provider id as in the `service.security` setting.
    fn name(&self) -> &'static str;

    /// Whether `hash` is breached. `hash` is lower-case hex: a full SHA-1 (40 characters) must
    /// match exactly; a shorter (truncated) hash is breached if any listed hash starts with it.
    async fn is_breached(&self, hash: &str) -> Result<bool, BreachError>;

    /// Every listed hash that starts with `prefix` (5 to 40 lower-case hex characters), as
    /// 40 lower-case hex characters, sorted. API v1's `service/hashes` answers with these.
    async fn hashes(&self, prefix: &str) -> Result<Vec<String>, BreachError>;
}

/// The `none` provider: checks nothing, so no password is ever reported as breached.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoneProvider;

#[async_trait]
impl BreachProvider for NoneProvider {
    fn name(&self) -> &'static str {
        "none"
    }

    async fn is_breached(&self, _hash: &str) -> Result<bool, BreachError> {
        Ok(false)
    }

    async fn hashes(&self, _prefix: &str) -> Result<Vec<String>, BreachError> {
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn none_never_reports_a_breach() {
        let p = NoneProvider;
        assert_eq!(p.name(), "none");
        // SHA-1 of "password", the most breached password there is.
        assert!(!p
            .is_breached("5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8")
            .await
            .unwrap());
        assert!(p.hashes("5baa6").await.unwrap().is_empty());
    }
}
