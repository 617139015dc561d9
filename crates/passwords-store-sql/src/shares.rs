//! Shares of a password with another user (soft-deleted, listed in insertion order).

use passwords_store::{ShareRecord, StoreResult};
use passwords_types::{PasswordId, ShareId, UserId};

use crate::query::Query;
use crate::rows::Cols;
use crate::tx::SqlTx;

/// `SELECT <share columns> FROM shares <rest>` in the order of [`read`].
macro_rules! select_shares {
    ($rest:literal) => {
        concat!(
            "SELECT uuid, user_id, receiver, share_type, source_password, target_password, \
             editable, shareable, expires, source_updated, target_updated, client, deleted, \
             created, updated FROM shares ",
            $rest
        )
    };
}

fn read(c: &mut Cols<'_>) -> StoreResult<ShareRecord> {
    Ok(ShareRecord {
        uuid: c.id()?,
        user_id: c.uid()?,
        receiver: c.uid()?,
        share_type: c.text()?,
        source_password: c.id()?,
        target_password: c.opt_id()?,
        editable: c.flag()?,
        shareable: c.flag()?,
        expires: c.opt_i64()?,
        source_updated: c.flag()?,
        target_updated: c.flag()?,
        client: c.text()?,
        deleted: c.flag()?,
        created: c.i64()?,
        updated: c.i64()?,
    })
}

pub(crate) async fn insert(tx: &mut SqlTx, s: &ShareRecord) -> StoreResult<()> {
    const Q: &str = "INSERT INTO shares (uuid, user_id, receiver, share_type, source_password, \
                     target_password, editable, shareable, expires, source_updated, \
                     target_updated, client, deleted, created, updated) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    let q = Query::new("shares", Q)
        .bind(s.uuid.to_string())
        .bind(s.user_id.as_str())
        .bind(s.receiver.as_str())
        .bind(s.share_type.as_str())
        .bind(s.source_password.to_string())
        .bind(s.target_password.map(|p| p.to_string()))
        .bind(s.editable)
        .bind(s.shareable)
        .bind(s.expires)
        .bind(s.source_updated)
        .bind(s.target_updated)
        .bind(s.client.as_str())
        .bind(s.deleted)
        .bind(s.created)
        .bind(s.updated);
    tx.insert(q).await
}

/// Live shares the user owns or receives.
pub(crate) async fn list(tx: &mut SqlTx, uid: &UserId) -> StoreResult<Vec<ShareRecord>> {
    const Q: &str =
        select_shares!("WHERE (user_id = ? OR receiver = ?) AND deleted = 0 ORDER BY id");
    let q = Query::new("shares", Q)
        .bind(uid.as_str())
        .bind(uid.as_str());
    tx.fetch_all(q, read).await
}

pub(crate) async fn get(tx: &mut SqlTx, id: ShareId) -> StoreResult<Option<ShareRecord>> {
    const Q: &str = select_shares!("WHERE uuid = ? AND deleted = 0");
    let q = Query::new("shares", Q).bind(id.to_string());
    tx.fetch_optional(q, read).await
}

pub(crate) async fn delete_of_password(
    tx: &mut SqlTx,
    owner: &UserId,
    password: PasswordId,
    now: i64,
) -> StoreResult<u64> {
    const Q: &str = "UPDATE shares SET deleted = 1, updated = ? \
                     WHERE user_id = ? AND source_password = ? AND deleted = 0";
    let q = Query::new("shares", Q)
        .bind(now)
        .bind(owner.as_str())
        .bind(password.to_string());
    tx.exec(q).await
}

/// Every share the user owns, deleted ones included, in insertion order.
pub(crate) async fn dump(tx: &mut SqlTx, uid: &UserId) -> StoreResult<Vec<ShareRecord>> {
    const Q: &str = select_shares!("WHERE user_id = ? ORDER BY id");
    let q = Query::new("shares", Q).bind(uid.as_str());
    tx.fetch_all(q, read).await
}
