//! Queries of the security re-check: which users have revisions to look at, and the few
//! columns of their revisions that the status rules read.

use passwords_store::{RevisionCheck, StoreResult};
use passwords_types::{RevisionId, UserId};

use crate::passwords::status;
use crate::query::Query;
use crate::rows::Cols;
use crate::tx::SqlTx;

/// Users with a revision that has a hash; with `not_checked_only`, a NOT_CHECKED one (level 3).
/// Sorted by uid.
pub(crate) async fn users_to_recheck(
    tx: &mut SqlTx,
    not_checked_only: bool,
) -> StoreResult<Vec<UserId>> {
    const ALL: &str = "SELECT DISTINCT user_id FROM password_revisions WHERE hash <> ''";
    const NOT_CHECKED: &str =
        "SELECT DISTINCT user_id FROM password_revisions WHERE hash <> '' AND status = 3";
    let sql = if not_checked_only { NOT_CHECKED } else { ALL };
    let mut uids = tx
        .fetch_all(Query::new("password_revisions", sql), |c| c.uid())
        .await?;
    uids.sort_by(|a, b| a.as_str().as_bytes().cmp(b.as_str().as_bytes()));
    Ok(uids)
}

/// Every revision of the user's live passwords, in insertion order.
pub(crate) async fn revision_checks(
    tx: &mut SqlTx,
    uid: &UserId,
) -> StoreResult<Vec<RevisionCheck>> {
    const Q: &str = "SELECT r.uuid, r.model, r.hash, r.status_code, r.edited, p.revision \
                     FROM password_revisions r JOIN passwords p \
                     ON p.uuid = r.model AND p.user_id = r.user_id \
                     WHERE r.user_id = ? AND p.deleted = 0 ORDER BY r.id";
    let q = Query::new("password_revisions", Q).bind(uid.as_str());
    tx.fetch_all(q, read_check).await
}

fn read_check(c: &mut Cols<'_>) -> StoreResult<RevisionCheck> {
    let uuid: RevisionId = c.id()?;
    let model = c.id()?;
    let hash = c.text()?;
    let status = status(&c.borrowed_text()?)?;
    let edited = c.i64()?;
    let current: RevisionId = c.id()?;
    Ok(RevisionCheck {
        uuid,
        model,
        hash,
        status,
        edited,
        current: current == uuid,
    })
}
