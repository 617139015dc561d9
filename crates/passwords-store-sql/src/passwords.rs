//! Password models and their immutable revisions.
//!
//! "Live" means `deleted = 0` on the model. Revisions have no soft delete of their own: they
//! are hard-deleted with [`delete_revisions`] when their password is finally removed.

use passwords_store::{
    ListingSink, PasswordListing, PasswordModel, PasswordRevision, PasswordSummary, StoreError,
    StoreResult,
};
use passwords_types::{ObjectRef, PasswordId, RevisionId, SecurityStatus, UserId};

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
            "share_id, ",
            $p,
            "has_shares, ",
            $p,
            "editable, ",
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

/// The revision columns with a table prefix, in the order of [`read_revision`]. The numeric
/// `status` level is stored for SQL filters but read back from `status_code`.
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
            "folder, ",
            $p,
            "label, ",
            $p,
            "username, ",
            $p,
            "password, ",
            $p,
            "url, ",
            $p,
            "notes, ",
            $p,
            "custom_fields, ",
            $p,
            "hash, ",
            $p,
            "cse_type, ",
            $p,
            "cse_key, ",
            $p,
            "sse_type, ",
            $p,
            "status_code, ",
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

fn read_model(c: &mut Cols<'_>) -> StoreResult<PasswordModel> {
    Ok(PasswordModel {
        id: c.i64()?,
        uuid: c.id()?,
        user_id: c.uid()?,
        revision: c.id()?,
        share_id: c.opt_id()?,
        has_shares: c.flag()?,
        editable: c.flag()?,
        suspended: c.flag()?,
        deleted: c.flag()?,
        created: c.i64()?,
        updated: c.i64()?,
    })
}

/// Reads a stored `statusCode`; an unknown code is corrupt data.
pub(crate) fn status(code: &str) -> StoreResult<SecurityStatus> {
    SecurityStatus::from_code(code)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown status code {code:?}")))
}

fn read_revision(c: &mut Cols<'_>) -> StoreResult<PasswordRevision> {
    Ok(PasswordRevision {
        uuid: c.id()?,
        user_id: c.uid()?,
        model: c.id()?,
        folder: c.id()?,
        label: c.blob()?,
        username: c.blob()?,
        password: c.blob()?,
        url: c.blob()?,
        notes: c.blob()?,
        custom_fields: c.blob()?,
        hash: c.text()?,
        cse_type: c.text()?,
        cse_key: c.text()?,
        sse_type: c.text()?,
        status: status(&c.borrowed_text()?)?,
        hidden: c.flag()?,
        trashed: c.flag()?,
        favorite: c.flag()?,
        edited: c.i64()?,
        client: c.text()?,
        created: c.i64()?,
        updated: c.i64()?,
    })
}

fn read_pair(c: &mut Cols<'_>) -> StoreResult<(PasswordModel, PasswordRevision)> {
    Ok((read_model(c)?, read_revision(c)?))
}

/// Binds the model's columns after `id`, in the order of the `INSERT`s below.
fn bind_model(q: Query, m: &PasswordModel) -> Query {
    q.bind(m.uuid.to_string())
        .bind(m.user_id.as_str())
        .bind(m.revision.to_string())
        .bind(m.share_id.map(|s| s.to_string()))
        .bind(m.has_shares)
        .bind(m.editable)
        .bind(m.suspended)
        .bind(m.deleted)
        .bind(m.created)
        .bind(m.updated)
}

const INSERT: &str = "INSERT INTO passwords (uuid, user_id, revision, share_id, has_shares, \
                      editable, suspended, deleted, created, updated) \
                      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

pub(crate) async fn insert(tx: &mut SqlTx, m: &PasswordModel) -> StoreResult<i64> {
    tx.insert_id(bind_model(Query::new("passwords", INSERT), m))
        .await
}

/// [`insert`] and [`insert_revision`] of its first revision, sent together where possible.
pub(crate) async fn insert_with_revision(
    tx: &mut SqlTx,
    m: &PasswordModel,
    r: &PasswordRevision,
) -> StoreResult<i64> {
    let model = bind_model(Query::new("passwords", INSERT), m);
    tx.insert_id_then_insert(model, revision_insert(r)).await
}

pub(crate) async fn update(tx: &mut SqlTx, m: &PasswordModel) -> StoreResult<()> {
    const Q: &str = "UPDATE passwords SET revision = ?, share_id = ?, has_shares = ?, \
                     editable = ?, suspended = ?, deleted = ?, updated = ? \
                     WHERE id = ? AND user_id = ?";
    let q = Query::new("passwords", Q)
        .bind(m.revision.to_string())
        .bind(m.share_id.map(|s| s.to_string()))
        .bind(m.has_shares)
        .bind(m.editable)
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
    id: ObjectRef,
) -> StoreResult<Option<PasswordModel>> {
    const BY_ID: &str = concat!(
        "SELECT ",
        model_cols!(""),
        " FROM passwords WHERE user_id = ? AND id = ? AND deleted = 0"
    );
    const BY_UUID: &str = concat!(
        "SELECT ",
        model_cols!(""),
        " FROM passwords WHERE user_id = ? AND uuid = ? AND deleted = 0"
    );
    let q = match id {
        ObjectRef::Numeric(n) => Query::new("passwords", BY_ID).bind(uid.as_str()).bind(n),
        ObjectRef::Uuid(u) => Query::new("passwords", BY_UUID)
            .bind(uid.as_str())
            .bind(u.to_string()),
    };
    tx.fetch_optional(q, read_model).await
}

/// A live password with its current revision: one round trip instead of two.
pub(crate) async fn get_with_revision(
    tx: &mut SqlTx,
    uid: &UserId,
    id: ObjectRef,
) -> StoreResult<Option<(PasswordModel, PasswordRevision)>> {
    macro_rules! joined {
        ($key:literal) => {
            concat!(
                "SELECT ",
                model_cols!("p."),
                ", ",
                revision_cols!("r."),
                " FROM passwords p JOIN password_revisions r \
                 ON r.uuid = p.revision AND r.user_id = p.user_id \
                 WHERE p.user_id = ? AND p.",
                $key,
                " = ? AND p.deleted = 0"
            )
        };
    }
    const BY_ID: &str = joined!("id");
    const BY_UUID: &str = joined!("uuid");
    let q = match id {
        ObjectRef::Numeric(n) => Query::new("passwords", BY_ID).bind(uid.as_str()).bind(n),
        ObjectRef::Uuid(u) => Query::new("passwords", BY_UUID)
            .bind(uid.as_str())
            .bind(u.to_string()),
    };
    tx.fetch_optional(q, read_pair).await
}

pub(crate) async fn list(
    tx: &mut SqlTx,
    uid: &UserId,
) -> StoreResult<Vec<(PasswordModel, PasswordRevision)>> {
    const Q: &str = concat!(
        "SELECT ",
        model_cols!("p."),
        ", ",
        revision_cols!("r."),
        " FROM passwords p JOIN password_revisions r \
         ON r.uuid = p.revision AND r.user_id = p.user_id \
         WHERE p.user_id = ? AND p.deleted = 0 ORDER BY p.id"
    );
    let q = Query::new("passwords", Q).bind(uid.as_str());
    tx.fetch_all(q, read_pair).await
}

fn read_summary(c: &mut Cols<'_>) -> StoreResult<PasswordSummary> {
    Ok(PasswordSummary {
        id: c.i64()?,
        uuid: c.id()?,
        created: c.i64()?,
        revision: c.id()?,
        label: c.blob()?,
        username: c.blob()?,
        password: c.blob()?,
        url: c.blob()?,
        notes: c.blob()?,
        cse_type: c.text()?,
        sse_type: c.text()?,
        status: status(&c.borrowed_text()?)?,
        hidden: c.flag()?,
        trashed: c.flag()?,
        edited: c.i64()?,
    })
}

/// What [`list`] reads, narrowed to the columns of [`read_summary`]: a list of a thousand
/// passwords spends most of its time decoding and copying columns.
pub(crate) async fn list_summaries(
    tx: &mut SqlTx,
    uid: &UserId,
) -> StoreResult<Vec<PasswordSummary>> {
    const Q: &str = "SELECT p.id, p.uuid, p.created, r.uuid, r.label, r.username, r.password, \
                     r.url, r.notes, r.cse_type, r.sse_type, r.status_code, r.hidden, \
                     r.trashed, r.edited \
                     FROM passwords p JOIN password_revisions r \
                     ON r.uuid = p.revision AND r.user_id = p.user_id \
                     WHERE p.user_id = ? AND p.deleted = 0 ORDER BY p.id";
    let q = Query::new("passwords", Q).bind(uid.as_str());
    tx.fetch_all(q, read_summary).await
}

/// Decodes one row of [`visit_listings`] and hands it to `sink`, borrowing blobs and text.
fn visit_listing(c: &mut Cols<'_>, sink: &mut dyn ListingSink) -> StoreResult<()> {
    let uuid = c.id()?;
    let created = c.i64()?;
    let updated = c.i64()?;
    let share_id = c.opt_id()?;
    let has_shares = c.flag()?;
    let editable = c.flag()?;
    let suspended = c.flag()?;
    let revision = c.id()?;
    let folder = c.id()?;
    let label = c.borrowed_blob()?;
    let username = c.borrowed_blob()?;
    let password = c.borrowed_blob()?;
    let url = c.borrowed_blob()?;
    let notes = c.borrowed_blob()?;
    let custom_fields = c.borrowed_blob()?;
    let hash = c.borrowed_text()?;
    let cse_type = c.borrowed_text()?;
    let cse_key = c.borrowed_text()?;
    let sse_type = c.borrowed_text()?;
    let status = status(&c.borrowed_text()?)?;
    let hidden = c.flag()?;
    let trashed = c.flag()?;
    let favorite = c.flag()?;
    let edited = c.i64()?;
    let client = c.borrowed_text()?;
    let revision_created = c.i64()?;
    let revision_updated = c.i64()?;
    sink.listing(&PasswordListing {
        uuid,
        created,
        updated,
        share_id,
        has_shares,
        editable,
        suspended,
        revision,
        folder,
        label: &label,
        username: &username,
        password: &password,
        url: &url,
        notes: &notes,
        custom_fields: &custom_fields,
        hash: &hash,
        cse_type: &cse_type,
        cse_key: &cse_key,
        sse_type: &sse_type,
        status,
        hidden,
        trashed,
        favorite,
        edited,
        client: &client,
        revision_created,
        revision_updated,
    });
    Ok(())
}

/// What [`list`] reads, narrowed to the columns of [`visit_listing`], handed to `sink`.
pub(crate) async fn visit_listings(
    tx: &mut SqlTx,
    uid: &UserId,
    sink: Box<dyn ListingSink>,
) -> StoreResult<Box<dyn ListingSink>> {
    const Q: &str = "SELECT p.uuid, p.created, p.updated, p.share_id, p.has_shares, \
                     p.editable, p.suspended, r.uuid, r.folder, r.label, r.username, \
                     r.password, r.url, r.notes, r.custom_fields, r.hash, r.cse_type, \
                     r.cse_key, r.sse_type, r.status_code, r.hidden, r.trashed, r.favorite, \
                     r.edited, r.client, r.created, r.updated \
                     FROM passwords p JOIN password_revisions r \
                     ON r.uuid = p.revision AND r.user_id = p.user_id \
                     WHERE p.user_id = ? AND p.deleted = 0 ORDER BY p.id";
    let q = Query::new("passwords", Q).bind(uid.as_str());
    tx.visit(q, sink, visit_listing).await
}

pub(crate) async fn insert_revision(tx: &mut SqlTx, r: &PasswordRevision) -> StoreResult<()> {
    tx.insert(revision_insert(r)).await
}

/// The `INSERT` of one password revision.
fn revision_insert(r: &PasswordRevision) -> Query {
    const Q: &str = "INSERT INTO password_revisions (uuid, user_id, model, folder, label, \
                     username, password, url, notes, custom_fields, hash, cse_type, cse_key, \
                     sse_type, status, status_code, hidden, trashed, favorite, edited, client, \
                     created, updated) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    Query::new("password_revisions", Q)
        .bind(r.uuid.to_string())
        .bind(r.user_id.as_str())
        .bind(r.model.to_string())
        .bind(r.folder.to_string())
        .bind(r.label.as_slice())
        .bind(r.username.as_slice())
        .bind(r.password.as_slice())
        .bind(r.url.as_slice())
        .bind(r.notes.as_slice())
        .bind(r.custom_fields.as_slice())
        .bind(r.hash.as_str())
        .bind(r.cse_type.as_str())
        .bind(r.cse_key.as_str())
        .bind(r.sse_type.as_str())
        .bind(r.status.level())
        .bind(r.status.code())
        .bind(r.hidden)
        .bind(r.trashed)
        .bind(r.favorite)
        .bind(r.edited)
        .bind(r.client.as_str())
        .bind(r.created)
        .bind(r.updated)
}

pub(crate) async fn get_revision(
    tx: &mut SqlTx,
    uid: &UserId,
    id: RevisionId,
) -> StoreResult<Option<PasswordRevision>> {
    const Q: &str = concat!(
        "SELECT ",
        revision_cols!(""),
        " FROM password_revisions WHERE user_id = ? AND uuid = ?"
    );
    let q = Query::new("password_revisions", Q)
        .bind(uid.as_str())
        .bind(id.to_string());
    tx.fetch_optional(q, read_revision).await
}

/// Oldest first: by `created`, then by insertion.
pub(crate) async fn list_revisions(
    tx: &mut SqlTx,
    uid: &UserId,
    password: PasswordId,
) -> StoreResult<Vec<PasswordRevision>> {
    const Q: &str = concat!(
        "SELECT ",
        revision_cols!(""),
        " FROM password_revisions \
         WHERE user_id = ? AND model = ? ORDER BY created, id"
    );
    let q = Query::new("password_revisions", Q)
        .bind(uid.as_str())
        .bind(password.to_string());
    tx.fetch_all(q, read_revision).await
}

pub(crate) async fn delete_revisions(
    tx: &mut SqlTx,
    uid: &UserId,
    password: PasswordId,
) -> StoreResult<u64> {
    const Q: &str = "DELETE FROM password_revisions WHERE user_id = ? AND model = ?";
    let q = Query::new("password_revisions", Q)
        .bind(uid.as_str())
        .bind(password.to_string());
    tx.exec(q).await
}

/// Every stored revision (current and older ones) of the user's live passwords with this
/// hash, in insertion order; with `current_only`, each password's current revision only. An
/// empty hash matches nothing.
pub(crate) async fn list_revisions_with_hash(
    tx: &mut SqlTx,
    uid: &UserId,
    hash: &str,
    current_only: bool,
) -> StoreResult<Vec<PasswordRevision>> {
    macro_rules! with_hash {
        ($join:literal) => {
            concat!(
                "SELECT ",
                revision_cols!("r."),
                " FROM password_revisions r JOIN passwords p \
                 ON p.uuid = r.model AND p.user_id = r.user_id",
                $join,
                " WHERE r.user_id = ? AND r.hash = ? AND p.deleted = 0 ORDER BY r.id"
            )
        };
    }
    const ALL: &str = with_hash!("");
    const CURRENT: &str = with_hash!(" AND p.revision = r.uuid");
    if hash.is_empty() {
        return Ok(Vec::new());
    }
    let sql = if current_only { CURRENT } else { ALL };
    let q = Query::new("password_revisions", sql)
        .bind(uid.as_str())
        .bind(hash);
    tx.fetch_all(q, read_revision).await
}

/// `NotFound` if the user has no such revision.
pub(crate) async fn set_revision_status(
    tx: &mut SqlTx,
    uid: &UserId,
    id: RevisionId,
    status: SecurityStatus,
    now: i64,
) -> StoreResult<()> {
    const Q: &str = "UPDATE password_revisions SET status = ?, status_code = ?, updated = ? \
                     WHERE user_id = ? AND uuid = ?";
    let q = Query::new("password_revisions", Q)
        .bind(status.level())
        .bind(status.code())
        .bind(now)
        .bind(uid.as_str())
        .bind(id.to_string());
    tx.exec_one(q).await
}

/// Inserts a model with its own numeric id (restore of a backup).
pub(crate) async fn insert_with_id(tx: &mut SqlTx, m: &PasswordModel) -> StoreResult<()> {
    const Q: &str = "INSERT INTO passwords (id, uuid, user_id, revision, share_id, has_shares, \
                     editable, suspended, deleted, created, updated) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    tx.insert_with_id(bind_model(Query::new("passwords", Q).bind(m.id), m))
        .await
}

/// Every model of the user, tombstones included, by id.
pub(crate) async fn dump(tx: &mut SqlTx, uid: &UserId) -> StoreResult<Vec<PasswordModel>> {
    const Q: &str = concat!(
        "SELECT ",
        model_cols!(""),
        " FROM passwords WHERE user_id = ? ORDER BY id"
    );
    tx.fetch_all(Query::new("passwords", Q).bind(uid.as_str()), read_model)
        .await
}

/// Every revision of the user, grouped by model, oldest first.
pub(crate) async fn dump_revisions(
    tx: &mut SqlTx,
    uid: &UserId,
) -> StoreResult<Vec<PasswordRevision>> {
    const Q: &str = concat!(
        "SELECT ",
        revision_cols!(""),
        " FROM password_revisions WHERE user_id = ? ORDER BY model, created, id"
    );
    let q = Query::new("password_revisions", Q).bind(uid.as_str());
    tx.fetch_all(q, read_revision).await
}
