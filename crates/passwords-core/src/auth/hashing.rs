//! Argon2id hashing of login passwords, off the async runtime, at most one hash per core.

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHashString, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::error::{CoreError, CoreResult};

/// Hashes and verifies login passwords. Cheap to clone; clones share the semaphore.
#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    permits: Arc<Semaphore>,
    dummy: Arc<String>,
}

impl PasswordHasher {
    /// Argon2id with the OWASP minimum (19 MiB, 2 passes, 1 lane) and one permit per core.
    pub fn new() -> Self {
        let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        let dummy = hash_with(&params, "dummy password for unknown users")
            .expect("hashing a constant cannot fail");
        Self {
            params,
            permits: Arc::new(Semaphore::new(cores)),
            dummy: Arc::new(dummy),
        }
    }

    /// A PHC string of `password`.
    pub async fn hash(&self, password: &str) -> CoreResult<String> {
        let params = self.params.clone();
        let password = zeroize::Zeroizing::new(password.to_owned());
        self.run(move || hash_with(&params, &password)).await?
    }

    /// Whether `password` matches the PHC string.
    pub async fn verify(&self, password: &str, phc: &str) -> CoreResult<bool> {
        let password = zeroize::Zeroizing::new(password.to_owned());
        let phc = phc.to_owned();
        self.run(move || verify_with(&password, &phc)).await
    }

    /// Spends the time of one verification and reports nothing (unknown users).
    pub async fn verify_dummy(&self, password: &str) {
        let dummy = self.dummy.clone();
        let password = zeroize::Zeroizing::new(password.to_owned());
        let _ = self.run(move || verify_with(&password, &dummy)).await;
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> CoreResult<T> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| CoreError::Internal("the password hasher is shut down".into()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|_| CoreError::Internal("a password hashing thread failed".into()))
    }
}

impl Default for PasswordHasher {
    fn default() -> Self {
        Self::new()
    }
}

fn hash_with(params: &Params, password: &str) -> CoreResult<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let hash = argon2::PasswordHasher::hash_password(&argon, password.as_bytes(), &salt)
        .map_err(|e| CoreError::Internal(format!("password hashing failed: {e}")))?;
    Ok(PasswordHashString::from(hash).to_string())
}

fn verify_with(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_and_verify() {
        let h = PasswordHasher::new();
        let phc = h.hash("correct horse").await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(h.verify("correct horse", &phc).await.unwrap());
        assert!(!h.verify("wrong horse", &phc).await.unwrap());
        assert!(!h.verify("x", "not a phc string").await.unwrap());
        h.verify_dummy("anything").await;
    }
}
