//! A user's vault data as a whole: counting, deleting and moving it to another user
//! (`user delete`, `user move`, restoring one user), and the database-wide counts of the
//! system report.
//!
//! Every statement here touches all rows of a user at once, so deleting or moving ten
//! thousand passwords is a handful of statements, not ten thousand round trips. Atomicity
//! comes from the caller's transaction.

use passwords_store::{EncryptionUse, StoreResult, UserDataCounts};
use passwords_types::UserId;

use crate::query::Query;
use crate::rows::Cols;
use crate::tx::SqlTx;

/// A count column as `u64` (counts are never negative).
fn count(c: &mut Cols<'_>) -> StoreResult<u64> {
    Ok(u64::try_from(c.i64()?).unwrap_or(0))
}

pub(crate) async fn count_user_data(tx: &mut SqlTx, uid: &UserId) -> StoreResult<UserDataCounts> {
    const Q: &str = "SELECT \
         (SELECT COUNT(*) FROM passwords WHERE user_id = ?), \
         (SELECT COUNT(*) FROM password_revisions WHERE user_id = ?), \
         (SELECT COUNT(*) FROM folders WHERE user_id = ?), \
         (SELECT COUNT(*) FROM folder_revisions WHERE user_id = ?), \
         (SELECT COUNT(*) FROM tags WHERE user_id = ?), \
         (SELECT COUNT(*) FROM tag_revisions WHERE user_id = ?), \
         (SELECT COUNT(*) FROM password_tag_relations WHERE user_id = ?), \
         (SELECT COUNT(*) FROM shares WHERE user_id = ? OR receiver = ?), \
         (SELECT COUNT(*) FROM user_settings WHERE uid = ?), \
         (SELECT COUNT(*) FROM user_keys WHERE uid = ?)";
    let q = (0..11).fold(Query::new("user data", Q), |q, _| q.bind(uid.as_str()));
    let counts = tx
        .fetch_optional(q, |c| {
            Ok(UserDataCounts {
                passwords: count(c)?,
                password_revisions: count(c)?,
                folders: count(c)?,
                folder_revisions: count(c)?,
                tags: count(c)?,
                tag_revisions: count(c)?,
                relations: count(c)?,
                shares: count(c)?,
                settings: count(c)?,
                keys: count(c)?,
            })
        })
        .await?;
    Ok(counts.unwrap_or_default())
}

/// `DELETE FROM <table> WHERE <column> = ?` for `uid`; the number of rows deleted.
async fn delete_where(
    tx: &mut SqlTx,
    table: &'static str,
    sql: &'static str,
    uid: &UserId,
) -> StoreResult<u64> {
    tx.exec(Query::new(table, sql).bind(uid.as_str())).await
}

pub(crate) async fn delete_user_data(tx: &mut SqlTx, uid: &UserId) -> StoreResult<UserDataCounts> {
    let mut n = UserDataCounts {
        relations: delete_where(
            tx,
            "password_tag_relations",
            "DELETE FROM password_tag_relations WHERE user_id = ?",
            uid,
        )
        .await?,
        password_revisions: delete_where(
            tx,
            "password_revisions",
            "DELETE FROM password_revisions WHERE user_id = ?",
            uid,
        )
        .await?,
        passwords: delete_where(
            tx,
            "passwords",
            "DELETE FROM passwords WHERE user_id = ?",
            uid,
        )
        .await?,
        folder_revisions: delete_where(
            tx,
            "folder_revisions",
            "DELETE FROM folder_revisions WHERE user_id = ?",
            uid,
        )
        .await?,
        folders: delete_where(tx, "folders", "DELETE FROM folders WHERE user_id = ?", uid).await?,
        tag_revisions: delete_where(
            tx,
            "tag_revisions",
            "DELETE FROM tag_revisions WHERE user_id = ?",
            uid,
        )
        .await?,
        tags: delete_where(tx, "tags", "DELETE FROM tags WHERE user_id = ?", uid).await?,
        ..UserDataCounts::default()
    };

    // Copies others received from this user become their own passwords.
    const DETACH_COPIES: &str = "UPDATE passwords SET share_id = NULL \
         WHERE share_id IN (SELECT uuid FROM shares WHERE user_id = ?)";
    tx.exec(Query::new("passwords", DETACH_COPIES).bind(uid.as_str()))
        .await?;
    // Passwords shared with this user and with nobody else are no longer shared.
    const UNFLAG_SOURCES: &str = "UPDATE passwords SET has_shares = 0 \
         WHERE has_shares = 1 \
         AND uuid IN (SELECT source_password FROM shares WHERE receiver = ? AND deleted = 0) \
         AND NOT EXISTS (SELECT 1 FROM shares s WHERE s.source_password = passwords.uuid \
                         AND s.deleted = 0 AND s.receiver <> ?)";
    let q = Query::new("passwords", UNFLAG_SOURCES)
        .bind(uid.as_str())
        .bind(uid.as_str());
    tx.exec(q).await?;
    const SHARES: &str = "DELETE FROM shares WHERE user_id = ? OR receiver = ?";
    let q = Query::new("shares", SHARES)
        .bind(uid.as_str())
        .bind(uid.as_str());
    n.shares = tx.exec(q).await?;

    n.settings = delete_where(
        tx,
        "user_settings",
        "DELETE FROM user_settings WHERE uid = ?",
        uid,
    )
    .await?;
    n.keys = delete_where(tx, "user_keys", "DELETE FROM user_keys WHERE uid = ?", uid).await?;
    Ok(n)
}

/// `UPDATE <table> SET <column> = target WHERE <column> = source`; the rows changed.
async fn hand_over(
    tx: &mut SqlTx,
    table: &'static str,
    sql: &'static str,
    source: &UserId,
    target: &UserId,
) -> StoreResult<u64> {
    let q = Query::new(table, sql)
        .bind(target.as_str())
        .bind(source.as_str());
    tx.exec(q).await
}

pub(crate) async fn move_user_data(
    tx: &mut SqlTx,
    source: &UserId,
    target: &UserId,
) -> StoreResult<UserDataCounts> {
    let (s, t) = (source, target);
    Ok(UserDataCounts {
        passwords: hand_over(
            tx,
            "passwords",
            "UPDATE passwords SET user_id = ? WHERE user_id = ?",
            s,
            t,
        )
        .await?,
        password_revisions: hand_over(
            tx,
            "password_revisions",
            "UPDATE password_revisions SET user_id = ? WHERE user_id = ?",
            s,
            t,
        )
        .await?,
        folders: hand_over(
            tx,
            "folders",
            "UPDATE folders SET user_id = ? WHERE user_id = ?",
            s,
            t,
        )
        .await?,
        folder_revisions: hand_over(
            tx,
            "folder_revisions",
            "UPDATE folder_revisions SET user_id = ? WHERE user_id = ?",
            s,
            t,
        )
        .await?,
        tags: hand_over(
            tx,
            "tags",
            "UPDATE tags SET user_id = ? WHERE user_id = ?",
            s,
            t,
        )
        .await?,
        tag_revisions: hand_over(
            tx,
            "tag_revisions",
            "UPDATE tag_revisions SET user_id = ? WHERE user_id = ?",
            s,
            t,
        )
        .await?,
        relations: hand_over(
            tx,
            "password_tag_relations",
            "UPDATE password_tag_relations SET user_id = ? WHERE user_id = ?",
            s,
            t,
        )
        .await?,
        shares: hand_over(
            tx,
            "shares",
            "UPDATE shares SET user_id = ? WHERE user_id = ?",
            s,
            t,
        )
        .await?
            + hand_over(
                tx,
                "shares",
                "UPDATE shares SET receiver = ? WHERE receiver = ?",
                s,
                t,
            )
            .await?,
        settings: hand_over(
            tx,
            "user_settings",
            "UPDATE user_settings SET uid = ? WHERE uid = ?",
            s,
            t,
        )
        .await?,
        keys: 0,
    })
}

pub(crate) async fn count_live_shares(tx: &mut SqlTx) -> StoreResult<u64> {
    const Q: &str = "SELECT COUNT(*) FROM shares WHERE deleted = 0";
    let n = tx.fetch_optional(Query::new("shares", Q), count).await?;
    Ok(n.unwrap_or(0))
}

pub(crate) async fn count_revisions_by_encryption(
    tx: &mut SqlTx,
) -> StoreResult<Vec<EncryptionUse>> {
    const Q: &str = "SELECT sse_type, cse_type, COUNT(*) FROM (\
         SELECT sse_type, cse_type FROM password_revisions \
         UNION ALL SELECT sse_type, cse_type FROM folder_revisions \
         UNION ALL SELECT sse_type, cse_type FROM tag_revisions) r \
         GROUP BY sse_type, cse_type";
    let mut uses = tx
        .fetch_all(Query::new("revisions", Q), |c| {
            Ok(EncryptionUse {
                sse_type: c.text()?,
                cse_type: c.text()?,
                revisions: count(c)?,
            })
        })
        .await?;
    // Byte order, whatever the database's collation.
    uses.sort_by(|a, b| (&a.sse_type, &a.cse_type).cmp(&(&b.sse_type, &b.cse_type)));
    Ok(uses)
}
