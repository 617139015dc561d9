//! The `bigdb+hibp` provider: the local database first, the HIBP range API for the rest
//! (the reference's semantics).
//!
//! A hash is breached if the local database lists it; only otherwise is HIBP asked, so an
//! HIBP outage leaves hashes that the local database knows correctly flagged. A missing local
//! database counts as an empty one. `hashes` is the union of both, and needs HIBP to answer
//! (a partial list would understate what is breached).

use std::sync::Arc;

use async_trait::async_trait;

use crate::bigdb::BigDb;
use crate::hibp::HibpProvider;
use crate::{BreachError, BreachProvider};

/// `bigdb+hibp`.
#[derive(Clone, Debug)]
pub struct BigDbHibp {
    pub local: Arc<BigDb>,
    pub hibp: HibpProvider,
}

#[async_trait]
impl BreachProvider for BigDbHibp {
    fn name(&self) -> &'static str {
        "bigdb+hibp"
    }

    async fn is_breached(&self, hash: &str) -> Result<bool, BreachError> {
        if let Ok(true) = self.local.is_breached(hash).await {
            return Ok(true);
        }
        self.hibp.is_breached(hash).await
    }

    async fn hashes(&self, prefix: &str) -> Result<Vec<String>, BreachError> {
        let mut all = self.hibp.hashes(prefix).await?;
        all.extend(self.local.hashes(prefix).await.unwrap_or_default());
        all.sort_unstable();
        all.dedup();
        Ok(all)
    }
}
