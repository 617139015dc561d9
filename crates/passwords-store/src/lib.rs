//! The storage layer's contract: one trait for every backend.
//!
//! [`Store`] hands out [`Tx`] handles. A `Tx` is either a plain connection ([`Store::conn`], each
//! statement on its own) or one database transaction ([`Store::begin`], all or nothing: dropped
//! without [`Tx::commit`] it rolls back). Everything that changes more than one row runs on a
//! transaction; that rule is kept by the domain layer, which decides what belongs together.
//!
//! The records here are rows, not API objects. Secret fields are sealed bytes: this layer never
//! sees a plaintext secret and never holds a key. Every query is scoped to one user where the
//! data belongs to one; a record of another user is reported exactly like a missing one.

mod error;
mod records;

pub use error::StoreError;
pub use records::*;

use async_trait::async_trait;
use passwords_types::{FolderId, ObjectRef, PasswordId, RevisionId, ShareId, TagId, UserId};

/// Result of storage calls.
pub type StoreResult<T> = Result<T, StoreError>;

/// A database of the Passwords server (SQLite, PostgreSQL or MySQL/MariaDB).
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// A connection without a transaction: each statement commits on its own.
    async fn conn(&self) -> StoreResult<Box<dyn Tx>>;
    /// A new transaction. Dropping it without [`Tx::commit`] rolls it back.
    ///
    /// On SQLite transactions of one process run one at a time (there is one writer), so a task
    /// must never open a second transaction, or write on a [`Store::conn`], while it holds one.
    async fn begin(&self) -> StoreResult<Box<dyn Tx>>;
    /// A read-only transaction that sees one consistent snapshot of the whole database while
    /// others write (a backup). It takes no write lock. Dropping it ends it.
    async fn snapshot(&self) -> StoreResult<Box<dyn Tx>>;
    /// Which backend this is, e.g. for the system report.
    fn backend(&self) -> Backend;
    /// The server version text of the database (e.g. `PostgreSQL 15.2`).
    async fn server_version(&self) -> StoreResult<String>;
    /// Closes every connection.
    async fn close(&self);
}

/// The database backends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
    Mysql,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
            Backend::Mysql => "mysql",
        }
    }
}

/// The queries of the data model, on a connection or inside a transaction.
///
/// Reads skip soft-deleted rows (`deleted`) unless a method says otherwise.
#[async_trait]
pub trait Tx: Send {
    /// Makes every change of this transaction permanent. A no-op on a plain connection.
    async fn commit(self: Box<Self>) -> StoreResult<()>;

    // ---- accounts -------------------------------------------------------------------------
    async fn get_account(&mut self, uid: &UserId) -> StoreResult<Option<AccountRecord>>;
    /// Serialises the writes of one user across transactions, processes and server nodes:
    /// inside a transaction, holds a lock on the user's account row until it ends. Call it
    /// first in every transaction that changes a user's vault, so rules that look at all of
    /// the user's passwords (duplicates) see every committed write.
    async fn lock_user(&mut self, uid: &UserId) -> StoreResult<()>;
    /// All accounts, ordered by uid.
    async fn list_accounts(&mut self) -> StoreResult<Vec<AccountRecord>>;
    /// Fails with [`StoreError::Conflict`] if the uid exists.
    async fn insert_account(&mut self, account: &AccountRecord) -> StoreResult<()>;
    /// Replaces display name, password hash, enabled, removed and updated. `NotFound` if absent.
    async fn update_account(&mut self, account: &AccountRecord) -> StoreResult<()>;
    /// Removes the account row. Returns whether it existed.
    async fn delete_account(&mut self, uid: &UserId) -> StoreResult<bool>;

    // ---- app passwords --------------------------------------------------------------------
    /// Fails with [`StoreError::Conflict`] if the user has a token of that name.
    async fn insert_app_password(&mut self, token: &AppPasswordRecord) -> StoreResult<()>;
    /// The user's app passwords, ordered by name.
    async fn list_app_passwords(&mut self, uid: &UserId) -> StoreResult<Vec<AppPasswordRecord>>;
    /// The user's app password whose keyed hash is `token_hash`.
    async fn find_app_password(
        &mut self,
        uid: &UserId,
        token_hash: &[u8],
    ) -> StoreResult<Option<AppPasswordRecord>>;
    /// Sets `last_used` of the app password with this hash.
    async fn touch_app_password(
        &mut self,
        uid: &UserId,
        token_hash: &[u8],
        now: i64,
    ) -> StoreResult<()>;
    /// Returns whether a token of that name existed.
    async fn delete_app_password(&mut self, uid: &UserId, name: &str) -> StoreResult<bool>;
    /// Returns how many were deleted.
    async fn delete_app_passwords_of(&mut self, uid: &UserId) -> StoreResult<u64>;

    // ---- user keys ------------------------------------------------------------------------
    /// The user's data key, wrapped by the instance key.
    async fn get_user_key(&mut self, uid: &UserId) -> StoreResult<Option<UserKeyRecord>>;
    /// Fails with [`StoreError::Conflict`] if the user has a key.
    async fn insert_user_key(&mut self, key: &UserKeyRecord) -> StoreResult<()>;
    async fn delete_user_key(&mut self, uid: &UserId) -> StoreResult<bool>;

    // ---- settings -------------------------------------------------------------------------
    async fn get_app_setting(&mut self, key: &str) -> StoreResult<Option<String>>;
    /// All app settings, ordered by key.
    async fn list_app_settings(&mut self) -> StoreResult<Vec<(String, String)>>;
    /// Inserts or replaces.
    async fn set_app_setting(&mut self, key: &str, value: &str) -> StoreResult<()>;
    async fn delete_app_setting(&mut self, key: &str) -> StoreResult<bool>;
    async fn get_user_setting(&mut self, uid: &UserId, key: &str) -> StoreResult<Option<String>>;
    /// The user's settings, ordered by key.
    async fn list_user_settings(&mut self, uid: &UserId) -> StoreResult<Vec<(String, String)>>;
    /// Inserts or replaces.
    async fn set_user_setting(&mut self, uid: &UserId, key: &str, value: &str) -> StoreResult<()>;
    async fn delete_user_setting(&mut self, uid: &UserId, key: &str) -> StoreResult<bool>;

    // ---- passwords ------------------------------------------------------------------------
    /// Inserts the model; returns its numeric id (`model.id` is ignored). Never reused.
    async fn insert_password(&mut self, model: &PasswordModel) -> StoreResult<i64>;
    /// [`Tx::insert_password`] and then [`Tx::insert_password_revision`] of its first
    /// revision, which a backend may send together. Returns the model's numeric id.
    async fn insert_password_with_revision(
        &mut self,
        model: &PasswordModel,
        rev: &PasswordRevision,
    ) -> StoreResult<i64>;
    /// Replaces every mutable column of the model with this id and user (revision, share_id,
    /// has_shares, editable, suspended, deleted, updated).
    async fn update_password(&mut self, model: &PasswordModel) -> StoreResult<()>;
    /// A live (not soft-deleted) password of the user, by numeric id or UUID.
    async fn get_password(
        &mut self,
        uid: &UserId,
        id: ObjectRef,
    ) -> StoreResult<Option<PasswordModel>>;
    /// A live password of the user with its current revision, in one query; `None` if the
    /// password does not exist (or, corruptly, has no current revision).
    async fn get_password_with_revision(
        &mut self,
        uid: &UserId,
        id: ObjectRef,
    ) -> StoreResult<Option<(PasswordModel, PasswordRevision)>>;
    /// Every live password of the user with its current revision, ordered by numeric id.
    async fn list_passwords(
        &mut self,
        uid: &UserId,
    ) -> StoreResult<Vec<(PasswordModel, PasswordRevision)>>;
    /// [`Tx::list_passwords`] narrowed to a [`PasswordSummary`] per password, ordered by
    /// numeric id.
    async fn list_password_summaries(&mut self, uid: &UserId) -> StoreResult<Vec<PasswordSummary>>;
    /// [`Tx::list_passwords`] narrowed to a [`PasswordListing`] per password, handed to `sink`
    /// in the order of numeric ids; gives the sink back to [`ListingSink::finish`] it.
    async fn visit_password_listings(
        &mut self,
        uid: &UserId,
        sink: Box<dyn ListingSink>,
    ) -> StoreResult<Box<dyn ListingSink>>;
    async fn insert_password_revision(&mut self, rev: &PasswordRevision) -> StoreResult<()>;
    /// One revision of the user.
    async fn get_password_revision(
        &mut self,
        uid: &UserId,
        id: RevisionId,
    ) -> StoreResult<Option<PasswordRevision>>;
    /// All revisions of one password, oldest first.
    async fn list_password_revisions(
        &mut self,
        uid: &UserId,
        password: PasswordId,
    ) -> StoreResult<Vec<PasswordRevision>>;
    /// Hard-deletes every revision of one password. Returns how many.
    async fn delete_password_revisions(
        &mut self,
        uid: &UserId,
        password: PasswordId,
    ) -> StoreResult<u64>;
    /// Every stored revision (old ones too) of the user's live passwords whose `hash` equals
    /// `hash` (non-empty), in insertion order.
    async fn list_revisions_with_hash(
        &mut self,
        uid: &UserId,
        hash: &str,
    ) -> StoreResult<Vec<PasswordRevision>>;
    /// The current revisions of the user's live passwords whose `hash` equals `hash`
    /// (non-empty), in insertion order.
    async fn list_current_revisions_with_hash(
        &mut self,
        uid: &UserId,
        hash: &str,
    ) -> StoreResult<Vec<PasswordRevision>>;
    /// Sets status and status code (and `updated`) of one revision.
    async fn set_revision_status(
        &mut self,
        uid: &UserId,
        id: RevisionId,
        status: passwords_types::SecurityStatus,
        now: i64,
    ) -> StoreResult<()>;
    /// Users with a password revision that has a hash, sorted; with `not_checked_only`, only
    /// users with such a revision in status NOT_CHECKED (the security re-check's work list).
    async fn list_users_to_recheck(&mut self, not_checked_only: bool) -> StoreResult<Vec<UserId>>;
    /// Every revision of the user's live passwords, narrowed to what the security status
    /// rules read, in insertion order.
    async fn list_revision_checks(&mut self, uid: &UserId) -> StoreResult<Vec<RevisionCheck>>;

    // ---- folders --------------------------------------------------------------------------
    async fn insert_folder(&mut self, model: &FolderModel) -> StoreResult<i64>;
    async fn update_folder(&mut self, model: &FolderModel) -> StoreResult<()>;
    async fn get_folder(&mut self, uid: &UserId, id: FolderId) -> StoreResult<Option<FolderModel>>;
    /// Every live folder of the user with its current revision, ordered by numeric id.
    async fn list_folders(
        &mut self,
        uid: &UserId,
    ) -> StoreResult<Vec<(FolderModel, FolderRevision)>>;
    async fn insert_folder_revision(&mut self, rev: &FolderRevision) -> StoreResult<()>;
    async fn get_folder_revision(
        &mut self,
        uid: &UserId,
        id: RevisionId,
    ) -> StoreResult<Option<FolderRevision>>;
    /// Hard-deletes every revision of one folder (its final delete). Returns how many.
    async fn delete_folder_revisions(&mut self, uid: &UserId, folder: FolderId)
        -> StoreResult<u64>;

    // ---- tags -----------------------------------------------------------------------------
    /// Inserts the model; returns its numeric id (`model.id` is ignored). Never reused.
    async fn insert_tag(&mut self, model: &TagModel) -> StoreResult<i64>;
    async fn update_tag(&mut self, model: &TagModel) -> StoreResult<()>;
    /// A live tag of the user, by numeric id or UUID.
    async fn get_tag(&mut self, uid: &UserId, id: ObjectRef) -> StoreResult<Option<TagModel>>;
    /// Every live tag of the user with its current revision, ordered by numeric id.
    async fn list_tags(&mut self, uid: &UserId) -> StoreResult<Vec<(TagModel, TagRevision)>>;
    async fn insert_tag_revision(&mut self, rev: &TagRevision) -> StoreResult<()>;
    async fn get_tag_revision(
        &mut self,
        uid: &UserId,
        id: RevisionId,
    ) -> StoreResult<Option<TagRevision>>;
    /// Hard-deletes every revision of one tag (its final delete). Returns how many.
    async fn delete_tag_revisions(&mut self, uid: &UserId, tag: TagId) -> StoreResult<u64>;

    // ---- password-tag relations -----------------------------------------------------------
    async fn insert_relation(&mut self, rel: &RelationRecord) -> StoreResult<()>;
    /// Live relations of one password, ordered by insertion (the legacy "first" category).
    async fn list_relations_of_password(
        &mut self,
        uid: &UserId,
        password: PasswordId,
    ) -> StoreResult<Vec<RelationRecord>>;
    /// Every live relation of the user, ordered by insertion.
    async fn list_relations(&mut self, uid: &UserId) -> StoreResult<Vec<RelationRecord>>;
    /// [`Tx::list_relations`] narrowed to which password links to which tag, in the same order.
    async fn list_tag_links(&mut self, uid: &UserId) -> StoreResult<Vec<TagLink>>;
    /// Soft-deletes one relation (sets `deleted` and `updated`).
    async fn delete_relation(&mut self, uid: &UserId, id: uuid::Uuid, now: i64) -> StoreResult<()>;
    /// Soft-deletes every relation of one password. Returns how many.
    async fn delete_relations_of_password(
        &mut self,
        uid: &UserId,
        password: PasswordId,
        now: i64,
    ) -> StoreResult<u64>;

    // ---- shares ---------------------------------------------------------------------------
    async fn insert_share(&mut self, share: &ShareRecord) -> StoreResult<()>;
    /// Live shares the user owns or receives.
    async fn list_shares(&mut self, uid: &UserId) -> StoreResult<Vec<ShareRecord>>;
    async fn get_share(&mut self, id: ShareId) -> StoreResult<Option<ShareRecord>>;
    /// Soft-deletes the shares whose source is this password of this owner. Returns how many.
    async fn delete_shares_of_password(
        &mut self,
        owner: &UserId,
        password: PasswordId,
        now: i64,
    ) -> StoreResult<u64>;

    // ---- job leases -----------------------------------------------------------------------
    /// Takes the lease `name` for `holder` until `expires` if it is free, expired or already
    /// held by `holder`. Returns whether `holder` now holds it. Atomic across nodes.
    async fn acquire_lease(
        &mut self,
        name: &str,
        holder: &str,
        now: i64,
        expires: i64,
    ) -> StoreResult<bool>;
    /// Gives the lease up if `holder` holds it.
    async fn release_lease(&mut self, name: &str, holder: &str) -> StoreResult<()>;

    // ---- backup: whole-user dumps and restore ---------------------------------------------
    /// Every uid that has an account, a key, a setting or any vault row, sorted.
    async fn backup_uids(&mut self) -> StoreResult<Vec<UserId>>;
    /// Every password model of the user, soft-deleted ones (tombstones) included, by id.
    async fn dump_passwords(&mut self, uid: &UserId) -> StoreResult<Vec<PasswordModel>>;
    /// Every revision of the user's passwords, grouped by model, oldest first.
    async fn dump_password_revisions(&mut self, uid: &UserId)
        -> StoreResult<Vec<PasswordRevision>>;
    /// Every folder model of the user, soft-deleted ones included, by id.
    async fn dump_folders(&mut self, uid: &UserId) -> StoreResult<Vec<FolderModel>>;
    /// Every revision of the user's folders, grouped by model, oldest first.
    async fn dump_folder_revisions(&mut self, uid: &UserId) -> StoreResult<Vec<FolderRevision>>;
    /// Every tag model of the user, soft-deleted ones included, by id.
    async fn dump_tags(&mut self, uid: &UserId) -> StoreResult<Vec<TagModel>>;
    /// Every revision of the user's tags, grouped by model, oldest first.
    async fn dump_tag_revisions(&mut self, uid: &UserId) -> StoreResult<Vec<TagRevision>>;
    /// Every relation of the user, deleted ones included, in insertion order.
    async fn dump_relations(&mut self, uid: &UserId) -> StoreResult<Vec<RelationRecord>>;
    /// Every share the user owns, deleted ones included, in insertion order.
    async fn dump_shares(&mut self, uid: &UserId) -> StoreResult<Vec<ShareRecord>>;
    /// Hard-deletes the vault rows (passwords, folders, tags, their revisions, relations and
    /// owned shares) of one user, or of every user with `None`. Returns the rows deleted.
    async fn wipe_vault(&mut self, uid: Option<&UserId>) -> StoreResult<u64>;
    /// Inserts a password model with the numeric id it carries; `Conflict` if id or uuid is
    /// taken.
    async fn insert_password_with_id(&mut self, model: &PasswordModel) -> StoreResult<()>;
    /// Inserts a folder model with the numeric id it carries.
    async fn insert_folder_with_id(&mut self, model: &FolderModel) -> StoreResult<()>;
    /// Inserts a tag model with the numeric id it carries.
    async fn insert_tag_with_id(&mut self, model: &TagModel) -> StoreResult<()>;
    /// The numeric ids that models of users other than `uid` hold.
    async fn model_ids_of_others(&mut self, uid: &UserId) -> StoreResult<ModelIds>;
    /// Moves the id generators of the model tables past the highest stored id (after inserts
    /// with explicit ids), never backwards, so that ids stay unique and are never reused.
    async fn sync_id_generators(&mut self) -> StoreResult<()>;

    // ---- user data (delete, move) ---------------------------------------------------------
    /// Counts every row of the user's vault data, live and soft-deleted (see
    /// [`UserDataCounts`]).
    async fn count_user_data(&mut self, uid: &UserId) -> StoreResult<UserDataCounts>;
    /// Hard-deletes every row of the user's vault data: passwords (tombstones too) with all
    /// their revisions, folders and tags with their revisions, relations, the shares the
    /// user owns or receives, user settings and the wrapped data key. Returns what was
    /// deleted.
    ///
    /// Other users' rows stay as they are except for the links to the deleted shares: copies
    /// that others received from this user lose their `share_id` (they become the receiver's
    /// own passwords), and a password this user received loses its owner's `has_shares` flag
    /// when no other live share of it is left. The account row and its app passwords are
    /// not vault data and are not touched (the caller decides about them). Call it inside a
    /// transaction.
    async fn delete_user_data(&mut self, uid: &UserId) -> StoreResult<UserDataCounts>;
    /// Hands every row of `source`'s vault data to `target` (`user_id`, a share's owner or
    /// receiver, user settings), live and soft-deleted rows alike; ids, revisions and sealed
    /// bytes stay as they are. `target` must have no vault data (delete it first): a
    /// setting both have fails with `Conflict("user_settings")`. The data key is not moved,
    /// it has to be re-wrapped for the target uid by the caller. Returns what was moved.
    /// Call it inside a transaction.
    async fn move_user_data(
        &mut self,
        source: &UserId,
        target: &UserId,
    ) -> StoreResult<UserDataCounts>;
    /// Live shares in the whole database (for the system report).
    async fn count_live_shares(&mut self) -> StoreResult<u64>;
    /// Revisions of passwords, folders and tags together, grouped by encryption types
    /// (for the system report), in byte order of `sse_type`, `cse_type`.
    async fn count_revisions_by_encryption(&mut self) -> StoreResult<Vec<EncryptionUse>>;
}

/// Numeric ids of model rows, by table (see [`Tx::model_ids_of_others`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModelIds {
    pub passwords: Vec<i64>,
    pub folders: Vec<i64>,
    pub tags: Vec<i64>,
}
