//! Breached-password checks: the [`BreachProvider`] trait and its implementations.
//!
//! A provider answers "is this SHA-1 (or SHA-1 prefix) in a breached-password list?". It must
//! never make a save fail: when it cannot answer it returns [`BreachError::Unavailable`], and
//! the password is stored as `NOT_CHECKED` for a later re-check. The providers, by their
//! `service.security` names: [`NoneProvider`] (`none`), [`bigdb::BigDb`] (`bigdb`, the local
//! database, reloaded when a new file is installed), [`hibp::HibpProvider`] (`hibp`, the
//! k-anonymity range API) and [`combined::BigDbHibp`] (`bigdb+hibp`). Choosing one by the
//! setting is the domain layer's job (`passwords_core::vault::provider`): this crate never
//! touches the database.
//!
//! [`localdb`] is the local breached-password database, [`pwned`] reads and selects from
//! Pwned Passwords lists, [`process`] turns a list into a database, [`export`] into the reference's zip, [`update`] installs such a zip from a URL, and [`testgen`] writes
//! seeded lists for tests and benchmarks.

pub mod bigdb;
pub mod combined;
pub mod export;
pub mod hibp;
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

/// Whether `s` is all hex digits (either case).
pub(crate) fn is_hex(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A source of breached-password hashes.
///
/// Hashes and prefixes are hex; implementations accept either case and answer in lower case.
/// Text that is not hex is simply not listed. `Err` means "cannot answer now" (the database is
/// missing, the remote API is down or slow), never "the input was bad".
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
