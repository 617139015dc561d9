//! Re-checking the security status of stored password revisions (an admin operation; the
//! server's background job in [`job`] runs it).
//!
//! The rules are those of [`crate::vault::security`]: NOT_CHECKED (empty hash, or no answer
//! from the provider), BREACHED, OUTDATED, DUPLICATE, GOOD, first match wins. A pass goes user
//! by user over every revision of their live passwords:
//!
//! - BREACHED stays (a listed password does not become safe again), an empty hash stays
//!   NOT_CHECKED;
//! - the provider is asked about every other hash ([`Scope::All`]), or only about the hashes of
//!   NOT_CHECKED revisions, whose earlier check failed ([`Scope::NotChecked`]); answers are
//!   remembered for the pass, and after a few failures in a row the provider counts as down
//!   for the rest of the pass (no thousand timeouts when HIBP is unreachable);
//! - no answer keeps NOT_CHECKED as it is, and treats any other revision as "not breached", as
//!   its last check said;
//! - OUTDATED and DUPLICATE are evaluated again too (a password grows old without being
//!   touched).
//!
//! The provider is asked outside any transaction; the changes of one user are then written in
//! one transaction that locks the user and re-reads the revisions first, so a password saved
//! meanwhile is evaluated as it is now.

pub mod job;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use passwords_breach::BreachProvider;
use passwords_store::{RevisionCheck, Store};
use passwords_types::{PasswordId, RevisionId, SecurityStatus, UserId};

use crate::error::CoreResult;
use crate::settings::UserSettings;
use crate::vault::security::is_outdated;

/// Which revisions get a fresh answer from the provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every revision with a hash that is not BREACHED (the daily pass, and after a new
    /// database was installed).
    All,
    /// Only NOT_CHECKED revisions with a hash: their check failed (the provider was down).
    NotChecked,
}

/// What to re-check.
#[derive(Clone, Debug)]
pub struct RecheckOptions {
    pub scope: Scope,
    /// The time of the pass: the age rule's "now" and the `updated` time of changed revisions.
    pub now: i64,
    /// Set to stop after the current user (server shutdown); the summary says `interrupted`.
    pub stop: Option<Arc<AtomicBool>>,
}

impl RecheckOptions {
    pub fn new(scope: Scope, now: i64) -> Self {
        Self {
            scope,
            now,
            stop: None,
        }
    }
}

/// What a pass did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct RecheckSummary {
    /// Users looked at.
    pub users: u64,
    /// Revisions looked at.
    pub revisions: u64,
    /// Questions sent to the provider (distinct hashes).
    pub asked: u64,
    /// Hashes the provider could not answer (their NOT_CHECKED revisions stay so).
    pub unavailable: u64,
    /// Revisions whose status changed.
    pub changed: u64,
    /// Revisions that became BREACHED.
    pub breached: u64,
    /// The provider failed repeatedly and was not asked any more during this pass.
    pub provider_down: bool,
    /// The pass was stopped before the last user.
    pub interrupted: bool,
}

/// Failures in a row after which the provider counts as down for the rest of a pass.
const GIVE_UP_AFTER: u32 = 3;
/// Answers remembered at most; the memo starts over when full.
const MEMO_MAX: usize = 200_000;

/// Runs one pass over all users (see the module docs).
pub async fn recheck(
    store: &dyn Store,
    provider: &dyn BreachProvider,
    options: &RecheckOptions,
) -> CoreResult<RecheckSummary> {
    let users = store
        .conn()
        .await?
        .list_users_to_recheck(options.scope == Scope::NotChecked)
        .await?;
    let mut summary = RecheckSummary::default();
    let mut memo = Memo::default();
    for uid in users {
        if options
            .stop
            .as_ref()
            .is_some_and(|s| s.load(Ordering::Relaxed))
        {
            summary.interrupted = true;
            break;
        }
        recheck_user(store, provider, &uid, options, &mut memo, &mut summary).await?;
    }
    summary.provider_down = memo.down();
    if let Some(e) = &memo.last_error {
        tracing::warn!(
            provider = provider.name(),
            error = %e,
            unavailable = summary.unavailable,
            "breached-password checks failed during the re-check; those stay NOT_CHECKED"
        );
    }
    Ok(summary)
}

async fn recheck_user(
    store: &dyn Store,
    provider: &dyn BreachProvider,
    uid: &UserId,
    options: &RecheckOptions,
    memo: &mut Memo,
    summary: &mut RecheckSummary,
) -> CoreResult<()> {
    let (settings, revisions) = {
        let mut conn = store.conn().await?;
        let settings = UserSettings::load(&mut *conn, uid).await?;
        (settings, conn.list_revision_checks(uid).await?)
    };
    summary.users += 1;
    summary.revisions += revisions.len() as u64;
    for r in &revisions {
        if wants_answer(r, options.scope) {
            memo.ask(provider, &r.hash, summary).await;
        }
    }
    let ctx = Rules {
        settings: &settings,
        scope: options.scope,
        now: options.now,
        memo,
    };
    if ctx.changes(&revisions).is_empty() {
        return Ok(());
    }
    let mut tx = store.begin().await?;
    tx.lock_user(uid).await?;
    let fresh = tx.list_revision_checks(uid).await?;
    let changes = ctx.changes(&fresh);
    for (id, status) in &changes {
        tx.set_revision_status(uid, *id, *status, options.now)
            .await?;
    }
    tx.commit().await?;
    summary.changed += changes.len() as u64;
    summary.breached += changes
        .iter()
        .filter(|(_, s)| *s == SecurityStatus::Breached)
        .count() as u64;
    Ok(())
}

/// Whether the provider is asked about this revision's hash in this scope.
fn wants_answer(r: &RevisionCheck, scope: Scope) -> bool {
    !r.hash.is_empty()
        && r.status != SecurityStatus::Breached
        && (scope == Scope::All || r.status == SecurityStatus::NotChecked)
}

/// The provider's answers during one pass.
#[derive(Default)]
struct Memo {
    answers: HashMap<String, Option<bool>>,
    failures_in_row: u32,
    last_error: Option<String>,
}

impl Memo {
    fn down(&self) -> bool {
        self.failures_in_row >= GIVE_UP_AFTER
    }

    async fn ask(
        &mut self,
        provider: &dyn BreachProvider,
        hash: &str,
        summary: &mut RecheckSummary,
    ) {
        if self.answers.contains_key(hash) {
            return;
        }
        if self.answers.len() >= MEMO_MAX {
            self.answers.clear();
        }
        let answer = if self.down() {
            None
        } else {
            summary.asked += 1;
            match provider.is_breached(hash).await {
                Ok(b) => {
                    self.failures_in_row = 0;
                    Some(b)
                }
                Err(e) => {
                    self.failures_in_row += 1;
                    self.last_error = Some(e.to_string());
                    None
                }
            }
        };
        if answer.is_none() {
            summary.unavailable += 1;
        }
        self.answers.insert(hash.to_owned(), answer);
    }

    /// The answer for a hash: `None` = not asked or no answer.
    fn answer(&self, hash: &str) -> Option<bool> {
        self.answers.get(hash).copied().flatten()
    }
}

/// The status rules applied to one user's revisions.
struct Rules<'a> {
    settings: &'a UserSettings,
    scope: Scope,
    now: i64,
    memo: &'a Memo,
}

impl Rules<'_> {
    /// The revisions whose status should change, with their new status.
    fn changes(&self, revisions: &[RevisionCheck]) -> Vec<(RevisionId, SecurityStatus)> {
        // The passwords whose current revision has a hash: the duplicate rule's "others".
        let mut current: HashMap<&str, HashSet<PasswordId>> = HashMap::new();
        for r in revisions.iter().filter(|r| r.current && !r.hash.is_empty()) {
            current.entry(&r.hash).or_default().insert(r.model);
        }
        revisions
            .iter()
            .filter_map(|r| {
                let status = self.status(r, &current);
                (status != r.status).then_some((r.uuid, status))
            })
            .collect()
    }

    fn status(
        &self,
        r: &RevisionCheck,
        current: &HashMap<&str, HashSet<PasswordId>>,
    ) -> SecurityStatus {
        if r.hash.is_empty() || r.status == SecurityStatus::Breached {
            return r.status;
        }
        let breached = if wants_answer(r, self.scope) {
            self.memo.answer(&r.hash)
        } else {
            // Checked before and not breached then (the scope asks NOT_CHECKED ones only).
            Some(false)
        };
        match breached {
            Some(true) => SecurityStatus::Breached,
            None if r.status == SecurityStatus::NotChecked => SecurityStatus::NotChecked,
            // No answer now: the last check said "not breached".
            None | Some(false) => {
                let outdated = is_outdated(self.settings, r.edited, self.now);
                let duplicate = self.settings.check_duplicates
                    && current
                        .get(r.hash.as_str())
                        .is_some_and(|models| models.iter().any(|m| *m != r.model));
                if outdated {
                    SecurityStatus::Outdated
                } else if duplicate {
                    SecurityStatus::Duplicate
                } else {
                    SecurityStatus::Good
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(model: PasswordId, hash: &str, status: SecurityStatus, current: bool) -> RevisionCheck {
        RevisionCheck {
            uuid: RevisionId::new(),
            model,
            hash: hash.into(),
            status,
            edited: 1_000,
            current,
        }
    }

    fn memo(answers: &[(&str, Option<bool>)]) -> Memo {
        Memo {
            answers: answers.iter().map(|(h, a)| ((*h).to_owned(), *a)).collect(),
            ..Memo::default()
        }
    }

    fn statuses(rules: &Rules<'_>, revisions: &[RevisionCheck]) -> Vec<SecurityStatus> {
        let changes: HashMap<RevisionId, SecurityStatus> =
            rules.changes(revisions).into_iter().collect();
        revisions
            .iter()
            .map(|r| changes.get(&r.uuid).copied().unwrap_or(r.status))
            .collect()
    }

    #[test]
    fn the_rules_in_order() {
        use SecurityStatus::*;
        let (a, b, c) = (PasswordId::new(), PasswordId::new(), PasswordId::new());
        let revisions = [
            rev(a, "", NotChecked, true),
            rev(a, "aa", Good, false),
            rev(b, "bb", NotChecked, true),
            rev(c, "bb", Good, true),
            rev(c, "cc", Breached, false),
            rev(b, "dd", NotChecked, false),
        ];
        let settings = UserSettings::default();
        let m = memo(&[("aa", Some(true)), ("bb", Some(false)), ("dd", None)]);
        let rules = Rules {
            settings: &settings,
            scope: Scope::All,
            now: 2_000,
            memo: &m,
        };
        assert_eq!(
            statuses(&rules, &revisions),
            [NotChecked, Breached, Duplicate, Duplicate, Breached, NotChecked]
        );
        // The age rule comes before duplicates; duplicates off leaves GOOD.
        let old = UserSettings {
            max_age_days: 1,
            check_duplicates: false,
            ..UserSettings::default()
        };
        let rules = Rules {
            settings: &old,
            scope: Scope::All,
            now: 1_000 + 86_401,
            memo: &m,
        };
        assert_eq!(statuses(&rules, &revisions)[2..4], [Outdated, Outdated]);
        let fresh = Rules {
            now: 1_000,
            ..rules
        };
        assert_eq!(statuses(&fresh, &revisions)[2..4], [Good, Good]);
    }

    #[test]
    fn without_an_answer_the_last_check_stands() {
        use SecurityStatus::*;
        let (a, b) = (PasswordId::new(), PasswordId::new());
        let revisions = [rev(a, "aa", Good, true), rev(b, "bb", NotChecked, true)];
        let settings = UserSettings::default();
        let m = memo(&[("aa", None), ("bb", None)]);
        let rules = Rules {
            settings: &settings,
            scope: Scope::All,
            now: 2_000,
            memo: &m,
        };
        assert!(rules.changes(&revisions).is_empty());
        // The retry scope asks about NOT_CHECKED ones only; the others keep "not breached".
        let m = memo(&[("bb", Some(true))]);
        let rules = Rules {
            scope: Scope::NotChecked,
            memo: &m,
            ..rules
        };
        assert_eq!(statuses(&rules, &revisions), [Good, Breached]);
        assert!(!wants_answer(&revisions[0], Scope::NotChecked));
        assert!(wants_answer(&revisions[0], Scope::All));
    }
}
