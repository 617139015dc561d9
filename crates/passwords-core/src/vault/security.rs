//! The security status of password revisions (product spec §9, reference §6.3).
//!
//! Rules, first match wins: empty hash → NOT_CHECKED; breached → BREACHED; older than the
//! user's maximum age → OUTDATED; another password of the user has the same hash →
//! DUPLICATE; else GOOD. BREACHED and NOT_CHECKED are sticky for re-checks of duplicates.
//!
//! "Another password has the same hash" looks at the *current* revisions of the user's other
//! live passwords (the reference also counted old revisions, so a duplicate warning could never
//! be cleared by changing one of the two passwords).

use passwords_breach::BreachProvider;
use passwords_store::{PasswordRevision, Tx};
use passwords_types::{PasswordId, SecurityStatus, UserId};
use sha1::{Digest, Sha1};

use crate::error::CoreResult;
use crate::settings::UserSettings;

/// Lower-case hex SHA-1 of the password, cut to the user's hash length (0 → empty).
pub fn password_hash(password: &str, length: usize) -> String {
    let full = hex::encode(Sha1::digest(password.as_bytes()));
    full[..length.min(40)].to_owned()
}

/// Asks the provider about a hash. Not reachable → `None` (the status becomes NOT_CHECKED and
/// a later re-check retries); never an error that would make a save fail.
pub async fn check_breach(provider: &dyn BreachProvider, hash: &str) -> Option<bool> {
    if hash.is_empty() {
        return Some(false);
    }
    match provider.is_breached(hash).await {
        Ok(b) => Some(b),
        Err(e) => {
            tracing::warn!(provider = provider.name(), error = %e, "breached-password check failed");
            None
        }
    }
}

/// A revision about to be written, as the security check sees it.
#[derive(Clone, Copy, Debug)]
pub struct Candidate<'a> {
    pub password: PasswordId,
    pub hash: &'a str,
    /// The provider's answer ([`check_breach`]).
    pub breached: Option<bool>,
    pub edited: i64,
}

/// The status of a new revision.
pub async fn evaluate(
    tx: &mut dyn Tx,
    settings: &UserSettings,
    uid: &UserId,
    candidate: Candidate<'_>,
    now: i64,
) -> CoreResult<SecurityStatus> {
    let Candidate {
        password,
        hash,
        breached,
        edited,
    } = candidate;
    if hash.is_empty() {
        return Ok(SecurityStatus::NotChecked);
    }
    match breached {
        None => return Ok(SecurityStatus::NotChecked),
        Some(true) => return Ok(SecurityStatus::Breached),
        Some(false) => {}
    }
    if is_outdated(settings, edited, now) {
        return Ok(SecurityStatus::Outdated);
    }
    if settings.check_duplicates {
        let current = current_revisions_with_hash(tx, uid, hash).await?;
        if current.iter().any(|r| r.model != password) {
            return Ok(SecurityStatus::Duplicate);
        }
    }
    Ok(SecurityStatus::Good)
}

/// The current revisions of the user's live passwords that have `hash`.
async fn current_revisions_with_hash(
    tx: &mut dyn Tx,
    uid: &UserId,
    hash: &str,
) -> CoreResult<Vec<PasswordRevision>> {
    Ok(tx.list_current_revisions_with_hash(uid, hash).await?)
}

/// The age rule: older than the user's maximum age (0 = off).
pub(crate) fn is_outdated(settings: &UserSettings, edited: i64, now: i64) -> bool {
    settings.max_age_days > 0 && now - settings.max_age_days * 86_400 > edited
}

/// Re-evaluates every current revision of the user with `hash` after a password with that hash was
/// added, changed or removed: GOOD/DUPLICATE/OUTDATED follow the rules, BREACHED and
/// NOT_CHECKED stay. Returns how many revisions changed.
pub async fn refresh_duplicates(
    tx: &mut dyn Tx,
    settings: &UserSettings,
    uid: &UserId,
    hash: &str,
    now: i64,
) -> CoreResult<usize> {
    if hash.is_empty() {
        return Ok(0);
    }
    let revisions = current_revisions_with_hash(tx, uid, hash).await?;
    let mut changed = 0;
    for rev in &revisions {
        if matches!(
            rev.status,
            SecurityStatus::Breached | SecurityStatus::NotChecked
        ) {
            continue;
        }
        let duplicate = settings.check_duplicates && revisions.iter().any(|o| o.model != rev.model);
        let status = if is_outdated(settings, rev.edited, now) {
            SecurityStatus::Outdated
        } else if duplicate {
            SecurityStatus::Duplicate
        } else {
            SecurityStatus::Good
        };
        if status != rev.status {
            tx.set_revision_status(uid, rev.uuid, status, now).await?;
            changed += 1;
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_cut() {
        let full = password_hash("password", 40);
        assert_eq!(full, "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8");
        assert_eq!(password_hash("password", 20), &full[..20]);
        assert_eq!(password_hash("password", 0), "");
        assert_eq!(password_hash("password", 99), full);
    }

    #[test]
    fn age_rule() {
        let s = UserSettings {
            max_age_days: 10,
            ..UserSettings::default()
        };
        assert!(is_outdated(&s, 0, 11 * 86_400));
        assert!(!is_outdated(&s, 2 * 86_400, 11 * 86_400));
        assert!(!is_outdated(&UserSettings::default(), 0, i64::MAX / 2));
    }
}
