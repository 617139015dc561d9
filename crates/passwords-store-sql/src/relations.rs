//! Links between passwords and tags. Not versioned; soft-deleted; listed in insertion order
//! (an internal autoincrement `id`), which makes the first live relation the legacy category.

use passwords_store::{RelationRecord, StoreResult, TagLink};
use passwords_types::{PasswordId, UserId};

use crate::query::Query;
use crate::rows::Cols;
use crate::tx::SqlTx;

/// `SELECT <relation columns> FROM password_tag_relations <rest>` in the order of [`read`].
macro_rules! select_relations {
    ($rest:literal) => {
        concat!(
            "SELECT uuid, user_id, password, password_revision, tag, tag_revision, hidden, \
             client, deleted, created, updated FROM password_tag_relations ",
            $rest
        )
    };
}

fn read(c: &mut Cols<'_>) -> StoreResult<RelationRecord> {
    Ok(RelationRecord {
        uuid: c.id()?,
        user_id: c.uid()?,
        password: c.id()?,
        password_revision: c.id()?,
        tag: c.id()?,
        tag_revision: c.id()?,
        hidden: c.flag()?,
        client: c.text()?,
        deleted: c.flag()?,
        created: c.i64()?,
        updated: c.i64()?,
    })
}

pub(crate) async fn insert(tx: &mut SqlTx, r: &RelationRecord) -> StoreResult<()> {
    const Q: &str = "INSERT INTO password_tag_relations (uuid, user_id, password, \
                     password_revision, tag, tag_revision, hidden, client, deleted, created, \
                     updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    let q = Query::new("password_tag_relations", Q)
        .bind(r.uuid.to_string())
        .bind(r.user_id.as_str())
        .bind(r.password.to_string())
        .bind(r.password_revision.to_string())
        .bind(r.tag.to_string())
        .bind(r.tag_revision.to_string())
        .bind(r.hidden)
        .bind(r.client.as_str())
        .bind(r.deleted)
        .bind(r.created)
        .bind(r.updated);
    tx.insert(q).await
}

pub(crate) async fn list_of_password(
    tx: &mut SqlTx,
    uid: &UserId,
    password: PasswordId,
) -> StoreResult<Vec<RelationRecord>> {
    const Q: &str =
        select_relations!("WHERE user_id = ? AND password = ? AND deleted = 0 ORDER BY id");
    let q = Query::new("password_tag_relations", Q)
        .bind(uid.as_str())
        .bind(password.to_string());
    tx.fetch_all(q, read).await
}

pub(crate) async fn list(tx: &mut SqlTx, uid: &UserId) -> StoreResult<Vec<RelationRecord>> {
    const Q: &str = select_relations!("WHERE user_id = ? AND deleted = 0 ORDER BY id");
    let q = Query::new("password_tag_relations", Q).bind(uid.as_str());
    tx.fetch_all(q, read).await
}

pub(crate) async fn list_links(tx: &mut SqlTx, uid: &UserId) -> StoreResult<Vec<TagLink>> {
    const Q: &str = "SELECT password, tag FROM password_tag_relations \
                     WHERE user_id = ? AND deleted = 0 ORDER BY id";
    let q = Query::new("password_tag_relations", Q).bind(uid.as_str());
    tx.fetch_all(q, |c| {
        Ok(TagLink {
            password: c.id()?,
            tag: c.id()?,
        })
    })
    .await
}

/// `NotFound` if the user has no relation with this uuid; deleting a deleted one is a no-op
/// that keeps its first `updated`.
pub(crate) async fn delete(
    tx: &mut SqlTx,
    uid: &UserId,
    id: uuid::Uuid,
    now: i64,
) -> StoreResult<()> {
    const Q: &str = "UPDATE password_tag_relations \
                     SET updated = CASE WHEN deleted = 0 THEN ? ELSE updated END, deleted = 1 \
                     WHERE user_id = ? AND uuid = ?";
    let q = Query::new("password_tag_relations", Q)
        .bind(now)
        .bind(uid.as_str())
        .bind(id.to_string());
    tx.exec_one(q).await
}

pub(crate) async fn delete_of_password(
    tx: &mut SqlTx,
    uid: &UserId,
    password: PasswordId,
    now: i64,
) -> StoreResult<u64> {
    const Q: &str = "UPDATE password_tag_relations SET deleted = 1, updated = ? \
                     WHERE user_id = ? AND password = ? AND deleted = 0";
    let q = Query::new("password_tag_relations", Q)
        .bind(now)
        .bind(uid.as_str())
        .bind(password.to_string());
    tx.exec(q).await
}

/// Every relation of the user, deleted ones included, in insertion order.
pub(crate) async fn dump(tx: &mut SqlTx, uid: &UserId) -> StoreResult<Vec<RelationRecord>> {
    const Q: &str = select_relations!("WHERE user_id = ? ORDER BY id");
    let q = Query::new("password_tag_relations", Q).bind(uid.as_str());
    tx.fetch_all(q, read).await
}
