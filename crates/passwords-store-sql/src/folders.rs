//! Folder models and their immutable revisions.

use passwords_store::{FolderModel, FolderRevision, StoreResult};
use passwords_types::{FolderId, RevisionId, UserId};

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
            "suspended, ",
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
            "parent, ",
            $p,
            "label, ",
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

fn read_model(c: &mut Cols<'_>) -> StoreResult<FolderModel> {
    Ok(FolderModel {
        id: c.i64()?,
        uuid: c.id()?,
        user_id: c.uid()?,
        revision: c.id()?,
        suspended: c.flag()?,
        deleted: c.flag()?,
        created: c.i64()?,
        updated: c.i64()?,
    })
}

fn read_revision(c: &mut Cols<'_>) -> StoreResult<FolderRevision> {
    Ok(FolderRevision {
        uuid: c.id()?,
        user_id: c.uid()?,
        model: c.id()?,
        parent: c.id()?,
        label: c.blob()?,
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

fn read_pair(c: &mut Cols<'_>) -> StoreResult<(FolderModel, FolderRevision)> {
    Ok((read_model(c)?, read_revision(c)?))
}

/// Binds the model's columns after `id`, in the order of the `INSERT`s below.
fn bind_model(q: Query, m: &FolderModel) -> Query {
    q.bind(m.uuid.to_string())
        .bind(m.user_id.as_str())
        .bind(m.revision.to_string())
        .bind(m.suspended)
        .bind(m.deleted)
        .bind(m.created)
        .bind(m.updated)
}

pub(crate) async fn insert(tx: &mut SqlTx, m: &FolderModel) -> StoreResult<i64> {
    const Q: &str = "INSERT INTO folders (uuid, user_id, revision, suspended, deleted, created, \
                     updated) VALUES (?, ?, ?, ?, ?, ?, ?)";
    tx.insert_id(bind_model(Query::new("folders", Q), m)).await
}

/// Replaces revision, suspended, deleted and updated of the folder with this id and user.
pub(crate) async fn update(tx: &mut SqlTx, m: &FolderModel) -> StoreResult<()> {
    const Q: &str = "UPDATE folders SET revision = ?, suspended = ?, deleted = ?, updated = ? \
                     WHERE id = ? AND user_id = ?";
    let q = Query::new("folders", Q)
        .bind(m.revision.to_string())
        .bind(m.suspended)
        .bind(m.deleted)
        .bind(m.updated)
        .bind(m.id)
        .bind(m.user_id.as_str());
    tx.exec_one(q).await
}

pub(crate) async fn get(
    tx: &mut SqlTx,
    uid: &UserId,
    id: FolderId,
) -> StoreResult<Option<FolderModel>> {
    const Q: &str = concat!(
        "SELECT ",
        model_cols!(""),
        " FROM folders WHERE user_id = ? AND uuid = ? AND deleted = 0"
    );
    let q = Query::new("folders", Q)
        .bind(uid.as_str())
        .bind(id.to_string());
    tx.fetch_optional(q, read_model).await
}

pub(crate) async fn list(
    tx: &mut SqlTx,
    uid: &UserId,
) -> StoreResult<Vec<(FolderModel, FolderRevision)>> {
    const Q: &str = concat!(
        "SELECT ",
        model_cols!("f."),
        ", ",
        revision_cols!("r."),
        " FROM folders f JOIN folder_revisions r \
         ON r.uuid = f.revision AND r.user_id = f.user_id \
         WHERE f.user_id = ? AND f.deleted = 0 ORDER BY f.id"
    );
    let q = Query::new("folders", Q).bind(uid.as_str());
    tx.fetch_all(q, read_pair).await
}

pub(crate) async fn insert_revision(tx: &mut SqlTx, r: &FolderRevision) -> StoreResult<()> {
    const Q: &str = "INSERT INTO folder_revisions (uuid, user_id, model, parent, label, cse_type, \
                     cse_key, sse_type, hidden, trashed, favorite, edited, client, created, \
                     updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    let q = Query::new("folder_revisions", Q)
        .bind(r.uuid.to_string())
        .bind(r.user_id.as_str())
        .bind(r.model.to_string())
        .bind(r.parent.to_string())
        .bind(r.label.as_slice())
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
) -> StoreResult<Option<FolderRevision>> {
    const Q: &str = concat!(
        "SELECT ",
        revision_cols!(""),
        " FROM folder_revisions WHERE user_id = ? AND uuid = ?"
    );
    let q = Query::new("folder_revisions", Q)
        .bind(uid.as_str())
        .bind(id.to_string());
    tx.fetch_optional(q, read_revision).await
}

/// Hard-deletes every revision of one folder; returns how many.
pub(crate) async fn delete_revisions(
    tx: &mut SqlTx,
    uid: &UserId,
    folder: FolderId,
) -> StoreResult<u64> {
    const Q: &str = "DELETE FROM folder_revisions WHERE user_id = ? AND model = ?";
    let q = Query::new("folder_revisions", Q)
        .bind(uid.as_str())
        .bind(folder.to_string());
    tx.exec(q).await
}

/// Inserts a model with its own numeric id (restore of a backup).
pub(crate) async fn insert_with_id(tx: &mut SqlTx, m: &FolderModel) -> StoreResult<()> {
    const Q: &str = "INSERT INTO folders (id, uuid, user_id, revision, suspended, deleted, \
                     created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    tx.insert_with_id(bind_model(Query::new("folders", Q).bind(m.id), m))
        .await
}

/// Every model of the user, deleted ones included, by id.
pub(crate) async fn dump(tx: &mut SqlTx, uid: &UserId) -> StoreResult<Vec<FolderModel>> {
    const Q: &str = concat!(
        "SELECT ",
        model_cols!(""),
        " FROM folders WHERE user_id = ? ORDER BY id"
    );
    tx.fetch_all(Query::new("folders", Q).bind(uid.as_str()), read_model)
        .await
}

/// Every revision of the user, grouped by model, oldest first.
pub(crate) async fn dump_revisions(
    tx: &mut SqlTx,
    uid: &UserId,
) -> StoreResult<Vec<FolderRevision>> {
    const Q: &str = concat!(
        "SELECT ",
        revision_cols!(""),
        " FROM folder_revisions WHERE user_id = ? ORDER BY model, created, id"
    );
    let q = Query::new("folder_revisions", Q).bind(uid.as_str());
    tx.fetch_all(q, read_revision).await
}
