//! Tag models (legacy categories) and their immutable revisions.

use passwords_store::{StoreResult, TagModel, TagRevision};
use passwords_types::{ObjectRef, RevisionId, TagId, UserId};

use crate::query::Query;
use crate::rows::Cols;
use crate::tx::SqlTx;

/// The model columns with a table prefix, in the order of [`read_model`].
macro_rules! model_cols {
    ($p:literal) => {
        concat!(
            $p,
            "id, ",
            $p,
            "uuid, ",
            $p,
            "user_id, ",
            $p,
            "revision, ",
            $p,
            "deleted, ",
            $p,
            "created, ",
            $p,
            "updated"
        )
    };
}

/// The revision columns with a table prefix, in the order of [`read_revision`].
macro_rules! revision_cols {
    ($p:literal) => {
        concat!(
            $p,
            "uuid, ",
            $p,
            "user_id, ",
            $p,
            "model, ",
            $p,
            "label, ",
            $p,
            "color, ",
            $p,
            "cse_type, ",
            $p,
            "cse_key, ",
            $p,
            "sse_type, ",
            $p,
            "hidden, ",
            $p,
            "trashed, ",
            $p,
            "favorite, ",
            $p,
            "edited, ",
            $p,
            "client, ",
            $p,
            "created, ",
            $p,
            "updated"
        )
    };
}

fn read_model(c: &mut Cols<'_>) -> StoreResult<TagModel> {
    Ok(TagModel {
        id: c.i64()?,
        uuid: c.id()?,
        user_id: c.uid()?,
        revision: c.id()?,
        deleted: c.flag()?,
        created: c.i64()?,
        updated: c.i64()?,
    })
}

fn read_revision(c: &mut Cols<'_>) -> StoreResult<TagRevision> {
    Ok(TagRevision {
        uuid: c.id()?,
        user_id: c.uid()?,
        model: c.id()?,
        label: c.blob()?,
        color: c.blob()?,
        cse_type: c.text()?,
        cse_key: c.text()?,
        sse_type: c.text()?,
        hidden: c.flag()?,
        trashed: c.flag()?,
        favorite: c.flag()?,
        edited: c.i64()?,
        client: c.text()?,
        created: c.i64()?,
        updated: c.i64()?,
    })
}

fn read_pair(c: &mut Cols<'_>) -> StoreResult<(TagModel, TagRevision)> {
    Ok((read_model(c)?, read_revision(c)?))
}

/// Binds the model's columns after `id`, in the order of the `INSERT`s below.
fn bind_model(q: Query, m: &TagModel) -> Query {
    q.bind(m.uuid.to_string())
        .bind(m.user_id.as_str())
        .bind(m.revision.to_string())
        .bind(m.deleted)
        .bind(m.created)
        .bind(m.updated)
}

pub(crate) async fn insert(tx: &mut SqlTx, m: &TagModel) -> StoreResult<i64> {
    const Q: &str = "INSERT INTO tags (uuid, user_id, revision, deleted, created, updated) \
                     VALUES (?, ?, ?, ?, ?, ?)";
    tx.insert_id(bind_model(Query::new("tags", Q), m)).await
}

/// Replaces revision, deleted and updated of the tag with this id and user.
pub(crate) async fn update(tx: &mut SqlTx, m: &TagModel) -> StoreResult<()> {
    const Q: &str = "UPDATE tags SET revision = ?, deleted = ?, updated = ? \
                     WHERE id = ? AND user_id = ?";
    let q = Query::new("tags", Q)
        .bind(m.revision.to_string())
        .bind(m.deleted)
        .bind(m.updated)
        .bind(m.id)
        .bind(m.user_id.as_str());
    tx.exec_one(q).await
}

pub(crate) async fn get(
    tx: &mut SqlTx,
    uid: &UserId,
    id: ObjectRef,
) -> StoreResult<Option<TagModel>> {
    const BY_ID: &str = concat!(
        "SELECT ",
        model_cols!(""),
        " FROM tags WHERE user_id = ? AND id = ? AND deleted = 0"
    );
    const BY_UUID: &str = concat!(
        "SELECT ",
        model_cols!(""),
        " FROM tags WHERE user_id = ? AND uuid = ? AND deleted = 0"
    );
    let q = match id {
        ObjectRef::Numeric(n) => Query::new("tags", BY_ID).bind(uid.as_str()).bind(n),
        ObjectRef::Uuid(u) => Query::new("tags", BY_UUID)
            .bind(uid.as_str())
            .bind(u.to_string()),
    };
    tx.fetch_optional(q, read_model).await
}

pub(crate) async fn list(
    tx: &mut SqlTx,
    uid: &UserId,
) -> StoreResult<Vec<(TagModel, TagRevision)>> {
    const Q: &str = concat!(
        "SELECT ",
        model_cols!("t."),
        ", ",
        revision_cols!("r."),
        " FROM tags t JOIN tag_revisions r ON r.uuid = t.revision AND r.user_id = t.user_id \
         WHERE t.user_id = ? AND t.deleted = 0 ORDER BY t.id"
    );
    let q = Query::new("tags", Q).bind(uid.as_str());
    tx.fetch_all(q, read_pair).await
}

pub(crate) async fn insert_revision(tx: &mut SqlTx, r: &TagRevision) -> StoreResult<()> {
    const Q: &str = "INSERT INTO tag_revisions (uuid, user_id, model, label, color, cse_type, \
                     cse_key, sse_type, hidden, trashed, favorite, edited, client, created, \
                     updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    let q = Query::new("tag_revisions", Q)
        .bind(r.uuid.to_string())
        .bind(r.user_id.as_str())
        .bind(r.model.to_string())
        .bind(r.label.as_slice())
        .bind(r.color.as_slice())
        .bind(r.cse_type.as_str())
        .bind(r.cse_key.as_str())
        .bind(r.sse_type.as_str())
        .bind(r.hidden)
        .bind(r.trashed)
        .bind(r.favorite)
        .bind(r.edited)
        .bind(r.client.as_str())
        .bind(r.created)
        .bind(r.updated);
    tx.insert(q).await
}

pub(crate) async fn get_revision(
    tx: &mut SqlTx,
    uid: &UserId,
    id: RevisionId,
) -> StoreResult<Option<TagRevision>> {
    const Q: &str = concat!(
        "SELECT ",
        revision_cols!(""),
        " FROM tag_revisions WHERE user_id = ? AND uuid = ?"
    );
    let q = Query::new("tag_revisions", Q)
        .bind(uid.as_str())
        .bind(id.to_string());
    tx.fetch_optional(q, read_revision).await
}

/// Hard-deletes every revision of one tag; returns how many.
pub(crate) async fn delete_revisions(tx: &mut SqlTx, uid: &UserId, tag: TagId) -> StoreResult<u64> {
    const Q: &str = "DELETE FROM tag_revisions WHERE user_id = ? AND model = ?";
    let q = Query::new("tag_revisions", Q)
        .bind(uid.as_str())
        .bind(tag.to_string());
    tx.exec(q).await
}

/// Inserts a model with its own numeric id (restore of a backup).
pub(crate) async fn insert_with_id(tx: &mut SqlTx, m: &TagModel) -> StoreResult<()> {
    const Q: &str = "INSERT INTO tags (id, uuid, user_id, revision, deleted, created, updated) \
                     VALUES (?, ?, ?, ?, ?, ?, ?)";
    tx.insert_with_id(bind_model(Query::new("tags", Q).bind(m.id), m))
        .await
}

/// Every model of the user, deleted ones included, by id.
pub(crate) async fn dump(tx: &mut SqlTx, uid: &UserId) -> StoreResult<Vec<TagModel>> {
    const Q: &str = concat!(
        "SELECT ",
        model_cols!(""),
        " FROM tags WHERE user_id = ? ORDER BY id"
    );
    tx.fetch_all(Query::new("tags", Q).bind(uid.as_str()), read_model)
        .await
}

/// Every revision of the user, grouped by model, oldest first.
pub(crate) async fn dump_revisions(tx: &mut SqlTx, uid: &UserId) -> StoreResult<Vec<TagRevision>> {
    const Q: &str = concat!(
        "SELECT ",
        revision_cols!(""),
        " FROM tag_revisions WHERE user_id = ? ORDER BY model, created, id"
    );
    let q = Query::new("tag_revisions", Q).bind(uid.as_str());
    tx.fetch_all(q, read_revision).await
}
