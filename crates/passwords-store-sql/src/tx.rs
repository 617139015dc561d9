//! [`SqlTx`]: a connection (plain or in a transaction) of either executor, the statement
//! kinds the resource modules use, and the [`Tx`] impl that routes every method to them.
//!
//! Each statement kind picks the backend's SQL text from the [`Dialect`] here, once, and
//! hands text and arguments to the executor: sqlx ([`ServerConn`]) or rusqlite
//! ([`LiteConn`]).

use std::sync::Arc;

use async_trait::async_trait;
use passwords_store::*;
use passwords_types::{
    FolderId, ObjectRef, PasswordId, RevisionId, SecurityStatus, ShareId, TagId, UserId,
};

use crate::dialect::Dialect;
use crate::query::{Query, Stmt, Text};
use crate::rows::{Read, Visit};
use crate::server::ServerConn;
use crate::sqlite::LiteConn;
use crate::{
    accounts, backup, folders, leases, passwords, relations, security, settings, shares, tags,
    user_data,
};

enum Conn {
    Server(ServerConn),
    Sqlite(LiteConn),
}

/// The [`Tx`] of [`crate::SqlStore`].
pub(crate) struct SqlTx {
    conn: Conn,
    dialect: Arc<Dialect>,
}

/// Which form of a plain statement's text to run (see [`Dialect`]).
#[derive(Clone, Copy)]
enum Form {
    Plain,
    Insert,
    InsertReturningId,
    InsertExplicitId,
}

impl SqlTx {
    pub(crate) fn server(conn: ServerConn, dialect: Arc<Dialect>) -> Self {
        Self {
            conn: Conn::Server(conn),
            dialect,
        }
    }

    pub(crate) fn sqlite(conn: LiteConn, dialect: Arc<Dialect>) -> Self {
        Self {
            conn: Conn::Sqlite(conn),
            dialect,
        }
    }

    /// The backend this handle talks to.
    pub(crate) fn backend(&self) -> passwords_store::Backend {
        self.dialect.backend()
    }

    /// `query` with the text of this backend in the given form.
    fn stmt(&self, query: Query, form: Form) -> Stmt {
        let sql = match (query.text, form) {
            (Text::Special(which), _) => self.dialect.special(which),
            (Text::Plain(sql), Form::Plain) => self.dialect.sql(sql),
            (Text::Plain(sql), Form::Insert) => self.dialect.insert(sql),
            (Text::Plain(sql), Form::InsertReturningId) => self.dialect.insert_returning_id(sql),
            (Text::Plain(sql), Form::InsertExplicitId) => self.dialect.insert_explicit_id(sql),
        };
        Stmt {
            sql,
            args: query.args,
            table: query.table,
        }
    }

    async fn execute(&mut self, query: Query, form: Form) -> StoreResult<u64> {
        let st = self.stmt(query, form);
        match &mut self.conn {
            Conn::Server(c) => c.execute(st).await,
            Conn::Sqlite(c) => c.execute(st).await,
        }
    }

    /// Runs a statement; returns the number of rows it matched.
    pub(crate) async fn exec(&mut self, query: Query) -> StoreResult<u64> {
        self.execute(query, Form::Plain).await
    }

    /// Runs a plain `INSERT` into a table with unique keys; `Conflict(table)` if a key exists
    /// (see [`Dialect::insert`]).
    pub(crate) async fn insert(&mut self, query: Query) -> StoreResult<()> {
        let table = query.table;
        match self.execute(query, Form::Insert).await? {
            0 => Err(StoreError::Conflict(table.to_owned())),
            _ => Ok(()),
        }
    }

    /// Runs an `INSERT` that sets the identity column `id`; `Conflict(table)` if id or a
    /// unique key exists.
    pub(crate) async fn insert_with_id(&mut self, query: Query) -> StoreResult<()> {
        let table = query.table;
        match self.execute(query, Form::InsertExplicitId).await {
            Ok(0) => Err(StoreError::Conflict(table.to_owned())),
            Ok(_) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Runs an `UPDATE` of one row; `NotFound` if it matched none.
    pub(crate) async fn exec_one(&mut self, query: Query) -> StoreResult<()> {
        match self.exec(query).await? {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }

    /// Runs a plain `INSERT` of a row with a generated `id` and returns the id.
    pub(crate) async fn insert_id(&mut self, query: Query) -> StoreResult<i64> {
        let st = self.stmt(query, Form::InsertReturningId);
        let table = st.table;
        if let (Conn::Server(c), false) = (&mut self.conn, self.dialect.returns_ids()) {
            return c.execute_last_id(st).await;
        }
        match self.fetch(st, |c| c.i64()).await? {
            Some(id) => Ok(id),
            // Only PostgreSQL's ON CONFLICT DO NOTHING returns no row.
            None => Err(StoreError::Conflict(table.to_owned())),
        }
    }

    /// [`SqlTx::insert_id`] of `first`, then [`SqlTx::insert`] of `then`: on SQLite in one
    /// hand-off to the connection's thread (a create stores a model and its revision).
    pub(crate) async fn insert_id_then_insert(
        &mut self,
        first: Query,
        then: Query,
    ) -> StoreResult<i64> {
        if self.backend() != passwords_store::Backend::Sqlite {
            let id = self.insert_id(first).await?;
            self.insert(then).await?;
            return Ok(id);
        }
        let (first, then) = (
            self.stmt(first, Form::InsertReturningId),
            self.stmt(then, Form::Insert),
        );
        let (tables, Conn::Sqlite(c)) = ((first.table, then.table), &mut self.conn) else {
            unreachable!("a SQLite store has SQLite connections")
        };
        match c.insert_pair(first, then).await? {
            (None, _) => Err(StoreError::Conflict(tables.0.to_owned())),
            (Some(_), 0) => Err(StoreError::Conflict(tables.1.to_owned())),
            (Some(id), _) => Ok(id),
        }
    }

    /// The first row of the result, if any, decoded with `read`.
    pub(crate) async fn fetch_optional<T: Send + 'static>(
        &mut self,
        query: Query,
        read: Read<T>,
    ) -> StoreResult<Option<T>> {
        let st = self.stmt(query, Form::Plain);
        self.fetch(st, read).await
    }

    async fn fetch<T: Send + 'static>(
        &mut self,
        st: Stmt,
        read: Read<T>,
    ) -> StoreResult<Option<T>> {
        match &mut self.conn {
            Conn::Server(c) => c.fetch_optional(st, read).await,
            Conn::Sqlite(c) => c.fetch_optional(st, read).await,
        }
    }

    /// Every row of the result, decoded with `read`.
    pub(crate) async fn fetch_all<T: Send + 'static>(
        &mut self,
        query: Query,
        read: Read<T>,
    ) -> StoreResult<Vec<T>> {
        let st = self.stmt(query, Form::Plain);
        match &mut self.conn {
            Conn::Server(c) => c.fetch_all(st, read).await,
            Conn::Sqlite(c) => c.fetch_all(st, read).await,
        }
    }

    /// Hands every row of the result to `sink` with `each`; gives the sink back.
    pub(crate) async fn visit<S: ?Sized + Send + 'static>(
        &mut self,
        query: Query,
        sink: Box<S>,
        each: Visit<S>,
    ) -> StoreResult<Box<S>> {
        let st = self.stmt(query, Form::Plain);
        match &mut self.conn {
            Conn::Server(c) => c.visit(st, sink, each).await,
            Conn::Sqlite(c) => c.visit(st, sink, each).await,
        }
    }
}

#[async_trait]
impl Tx for SqlTx {
    async fn commit(self: Box<Self>) -> StoreResult<()> {
        match self.conn {
            Conn::Server(c) => c.commit().await,
            Conn::Sqlite(c) => c.commit().await,
        }
    }

    async fn get_account(&mut self, uid: &UserId) -> StoreResult<Option<AccountRecord>> {
        accounts::get(self, uid).await
    }
    async fn lock_user(&mut self, uid: &UserId) -> StoreResult<()> {
        accounts::lock(self, uid).await
    }
    async fn list_accounts(&mut self) -> StoreResult<Vec<AccountRecord>> {
        accounts::list(self).await
    }
    async fn insert_account(&mut self, account: &AccountRecord) -> StoreResult<()> {
        accounts::insert(self, account).await
    }
    async fn update_account(&mut self, account: &AccountRecord) -> StoreResult<()> {
        accounts::update(self, account).await
    }
    async fn delete_account(&mut self, uid: &UserId) -> StoreResult<bool> {
        accounts::delete(self, uid).await
    }

    async fn insert_app_password(&mut self, token: &AppPasswordRecord) -> StoreResult<()> {
        accounts::insert_app_password(self, token).await
    }
    async fn list_app_passwords(&mut self, uid: &UserId) -> StoreResult<Vec<AppPasswordRecord>> {
        accounts::list_app_passwords(self, uid).await
    }
    async fn find_app_password(
        &mut self,
        uid: &UserId,
        token_hash: &[u8],
    ) -> StoreResult<Option<AppPasswordRecord>> {
        accounts::find_app_password(self, uid, token_hash).await
    }
    async fn touch_app_password(
        &mut self,
        uid: &UserId,
        token_hash: &[u8],
        now: i64,
    ) -> StoreResult<()> {
        accounts::touch_app_password(self, uid, token_hash, now).await
    }
    async fn delete_app_password(&mut self, uid: &UserId, name: &str) -> StoreResult<bool> {
        accounts::delete_app_password(self, uid, name).await
    }
    async fn delete_app_passwords_of(&mut self, uid: &UserId) -> StoreResult<u64> {
        accounts::delete_app_passwords_of(self, uid).await
    }

    async fn get_user_key(&mut self, uid: &UserId) -> StoreResult<Option<UserKeyRecord>> {
        accounts::get_user_key(self, uid).await
    }
    async fn insert_user_key(&mut self, key: &UserKeyRecord) -> StoreResult<()> {
        accounts::insert_user_key(self, key).await
    }
    async fn delete_user_key(&mut self, uid: &UserId) -> StoreResult<bool> {
        accounts::delete_user_key(self, uid).await
    }

    async fn get_app_setting(&mut self, key: &str) -> StoreResult<Option<String>> {
        settings::get_app(self, key).await
    }
    async fn list_app_settings(&mut self) -> StoreResult<Vec<(String, String)>> {
        settings::list_app(self).await
    }
    async fn set_app_setting(&mut self, key: &str, value: &str) -> StoreResult<()> {
        settings::set_app(self, key, value).await
    }
    async fn delete_app_setting(&mut self, key: &str) -> StoreResult<bool> {
        settings::delete_app(self, key).await
    }
    async fn get_user_setting(&mut self, uid: &UserId, key: &str) -> StoreResult<Option<String>> {
        settings::get_user(self, uid, key).await
    }
    async fn list_user_settings(&mut self, uid: &UserId) -> StoreResult<Vec<(String, String)>> {
        settings::list_user(self, uid).await
    }
    async fn set_user_setting(&mut self, uid: &UserId, key: &str, value: &str) -> StoreResult<()> {
        settings::set_user(self, uid, key, value).await
    }
    async fn delete_user_setting(&mut self, uid: &UserId, key: &str) -> StoreResult<bool> {
        settings::delete_user(self, uid, key).await
    }

    async fn insert_password(&mut self, model: &PasswordModel) -> StoreResult<i64> {
        passwords::insert(self, model).await
    }
    async fn insert_password_with_revision(
        &mut self,
        model: &PasswordModel,
        rev: &PasswordRevision,
    ) -> StoreResult<i64> {
        passwords::insert_with_revision(self, model, rev).await
    }
    async fn update_password(&mut self, model: &PasswordModel) -> StoreResult<()> {
        passwords::update(self, model).await
    }
    async fn get_password(
        &mut self,
        uid: &UserId,
        id: ObjectRef,
    ) -> StoreResult<Option<PasswordModel>> {
        passwords::get(self, uid, id).await
    }
    async fn get_password_with_revision(
        &mut self,
        uid: &UserId,
        id: ObjectRef,
    ) -> StoreResult<Option<(PasswordModel, PasswordRevision)>> {
        passwords::get_with_revision(self, uid, id).await
    }
    async fn list_passwords(
        &mut self,
        uid: &UserId,
    ) -> StoreResult<Vec<(PasswordModel, PasswordRevision)>> {
        passwords::list(self, uid).await
    }
    async fn list_password_summaries(&mut self, uid: &UserId) -> StoreResult<Vec<PasswordSummary>> {
        passwords::list_summaries(self, uid).await
    }
    async fn visit_password_listings(
        &mut self,
        uid: &UserId,
        sink: Box<dyn ListingSink>,
    ) -> StoreResult<Box<dyn ListingSink>> {
        passwords::visit_listings(self, uid, sink).await
    }
    async fn insert_password_revision(&mut self, rev: &PasswordRevision) -> StoreResult<()> {
        passwords::insert_revision(self, rev).await
    }
    async fn get_password_revision(
        &mut self,
        uid: &UserId,
        id: RevisionId,
    ) -> StoreResult<Option<PasswordRevision>> {
        passwords::get_revision(self, uid, id).await
    }
    async fn list_password_revisions(
        &mut self,
        uid: &UserId,
        password: PasswordId,
    ) -> StoreResult<Vec<PasswordRevision>> {
        passwords::list_revisions(self, uid, password).await
    }
    async fn delete_password_revisions(
        &mut self,
        uid: &UserId,
        password: PasswordId,
    ) -> StoreResult<u64> {
        passwords::delete_revisions(self, uid, password).await
    }
    async fn list_revisions_with_hash(
        &mut self,
        uid: &UserId,
        hash: &str,
    ) -> StoreResult<Vec<PasswordRevision>> {
        passwords::list_revisions_with_hash(self, uid, hash, false).await
    }

    async fn list_current_revisions_with_hash(
        &mut self,
        uid: &UserId,
        hash: &str,
    ) -> StoreResult<Vec<PasswordRevision>> {
        passwords::list_revisions_with_hash(self, uid, hash, true).await
    }
    async fn set_revision_status(
        &mut self,
        uid: &UserId,
        id: RevisionId,
        status: SecurityStatus,
        now: i64,
    ) -> StoreResult<()> {
        passwords::set_revision_status(self, uid, id, status, now).await
    }
    async fn list_users_to_recheck(&mut self, not_checked_only: bool) -> StoreResult<Vec<UserId>> {
        security::users_to_recheck(self, not_checked_only).await
    }
    async fn list_revision_checks(&mut self, uid: &UserId) -> StoreResult<Vec<RevisionCheck>> {
        security::revision_checks(self, uid).await
    }

    async fn insert_folder(&mut self, model: &FolderModel) -> StoreResult<i64> {
        folders::insert(self, model).await
    }
    async fn update_folder(&mut self, model: &FolderModel) -> StoreResult<()> {
        folders::update(self, model).await
    }
    async fn get_folder(&mut self, uid: &UserId, id: FolderId) -> StoreResult<Option<FolderModel>> {
        folders::get(self, uid, id).await
    }
    async fn list_folders(
        &mut self,
        uid: &UserId,
    ) -> StoreResult<Vec<(FolderModel, FolderRevision)>> {
        folders::list(self, uid).await
    }
    async fn insert_folder_revision(&mut self, rev: &FolderRevision) -> StoreResult<()> {
        folders::insert_revision(self, rev).await
    }
    async fn get_folder_revision(
        &mut self,
        uid: &UserId,
        id: RevisionId,
    ) -> StoreResult<Option<FolderRevision>> {
        folders::get_revision(self, uid, id).await
    }
    async fn delete_folder_revisions(
        &mut self,
        uid: &UserId,
        folder: FolderId,
    ) -> StoreResult<u64> {
        folders::delete_revisions(self, uid, folder).await
    }

    async fn insert_tag(&mut self, model: &TagModel) -> StoreResult<i64> {
        tags::insert(self, model).await
    }
    async fn update_tag(&mut self, model: &TagModel) -> StoreResult<()> {
        tags::update(self, model).await
    }
    async fn get_tag(&mut self, uid: &UserId, id: ObjectRef) -> StoreResult<Option<TagModel>> {
        tags::get(self, uid, id).await
    }
    async fn list_tags(&mut self, uid: &UserId) -> StoreResult<Vec<(TagModel, TagRevision)>> {
        tags::list(self, uid).await
    }
    async fn insert_tag_revision(&mut self, rev: &TagRevision) -> StoreResult<()> {
        tags::insert_revision(self, rev).await
    }
    async fn get_tag_revision(
        &mut self,
        uid: &UserId,
        id: RevisionId,
    ) -> StoreResult<Option<TagRevision>> {
        tags::get_revision(self, uid, id).await
    }
    async fn delete_tag_revisions(&mut self, uid: &UserId, tag: TagId) -> StoreResult<u64> {
        tags::delete_revisions(self, uid, tag).await
    }

    async fn insert_relation(&mut self, rel: &RelationRecord) -> StoreResult<()> {
        relations::insert(self, rel).await
    }
    async fn list_relations_of_password(
        &mut self,
        uid: &UserId,
        password: PasswordId,
    ) -> StoreResult<Vec<RelationRecord>> {
        relations::list_of_password(self, uid, password).await
    }
    async fn list_relations(&mut self, uid: &UserId) -> StoreResult<Vec<RelationRecord>> {
        relations::list(self, uid).await
    }
    async fn list_tag_links(&mut self, uid: &UserId) -> StoreResult<Vec<TagLink>> {
        relations::list_links(self, uid).await
    }
    async fn delete_relation(&mut self, uid: &UserId, id: uuid::Uuid, now: i64) -> StoreResult<()> {
        relations::delete(self, uid, id, now).await
    }
    async fn delete_relations_of_password(
        &mut self,
        uid: &UserId,
        password: PasswordId,
        now: i64,
    ) -> StoreResult<u64> {
        relations::delete_of_password(self, uid, password, now).await
    }

    async fn insert_share(&mut self, share: &ShareRecord) -> StoreResult<()> {
        shares::insert(self, share).await
    }
    async fn list_shares(&mut self, uid: &UserId) -> StoreResult<Vec<ShareRecord>> {
        shares::list(self, uid).await
    }
    async fn get_share(&mut self, id: ShareId) -> StoreResult<Option<ShareRecord>> {
        shares::get(self, id).await
    }
    async fn delete_shares_of_password(
        &mut self,
        owner: &UserId,
        password: PasswordId,
        now: i64,
    ) -> StoreResult<u64> {
        shares::delete_of_password(self, owner, password, now).await
    }

    async fn acquire_lease(
        &mut self,
        name: &str,
        holder: &str,
        now: i64,
        expires: i64,
    ) -> StoreResult<bool> {
        leases::acquire(self, name, holder, now, expires).await
    }
    async fn release_lease(&mut self, name: &str, holder: &str) -> StoreResult<()> {
        leases::release(self, name, holder).await
    }

    async fn backup_uids(&mut self) -> StoreResult<Vec<UserId>> {
        backup::uids(self).await
    }
    async fn dump_passwords(&mut self, uid: &UserId) -> StoreResult<Vec<PasswordModel>> {
        passwords::dump(self, uid).await
    }
    async fn dump_password_revisions(
        &mut self,
        uid: &UserId,
    ) -> StoreResult<Vec<PasswordRevision>> {
        passwords::dump_revisions(self, uid).await
    }
    async fn dump_folders(&mut self, uid: &UserId) -> StoreResult<Vec<FolderModel>> {
        folders::dump(self, uid).await
    }
    async fn dump_folder_revisions(&mut self, uid: &UserId) -> StoreResult<Vec<FolderRevision>> {
        folders::dump_revisions(self, uid).await
    }
    async fn dump_tags(&mut self, uid: &UserId) -> StoreResult<Vec<TagModel>> {
        tags::dump(self, uid).await
    }
    async fn dump_tag_revisions(&mut self, uid: &UserId) -> StoreResult<Vec<TagRevision>> {
        tags::dump_revisions(self, uid).await
    }
    async fn dump_relations(&mut self, uid: &UserId) -> StoreResult<Vec<RelationRecord>> {
        relations::dump(self, uid).await
    }
    async fn dump_shares(&mut self, uid: &UserId) -> StoreResult<Vec<ShareRecord>> {
        shares::dump(self, uid).await
    }
    async fn wipe_vault(&mut self, uid: Option<&UserId>) -> StoreResult<u64> {
        backup::wipe(self, uid).await
    }
    async fn insert_password_with_id(&mut self, model: &PasswordModel) -> StoreResult<()> {
        passwords::insert_with_id(self, model).await
    }
    async fn insert_folder_with_id(&mut self, model: &FolderModel) -> StoreResult<()> {
        folders::insert_with_id(self, model).await
    }
    async fn insert_tag_with_id(&mut self, model: &TagModel) -> StoreResult<()> {
        tags::insert_with_id(self, model).await
    }
    async fn model_ids_of_others(&mut self, uid: &UserId) -> StoreResult<ModelIds> {
        backup::model_ids_of_others(self, uid).await
    }
    async fn sync_id_generators(&mut self) -> StoreResult<()> {
        backup::sync_id_generators(self).await
    }
    async fn count_user_data(&mut self, uid: &UserId) -> StoreResult<UserDataCounts> {
        user_data::count_user_data(self, uid).await
    }
    async fn delete_user_data(&mut self, uid: &UserId) -> StoreResult<UserDataCounts> {
        user_data::delete_user_data(self, uid).await
    }
    async fn move_user_data(
        &mut self,
        source: &UserId,
        target: &UserId,
    ) -> StoreResult<UserDataCounts> {
        user_data::move_user_data(self, source, target).await
    }
    async fn count_live_shares(&mut self) -> StoreResult<u64> {
        user_data::count_live_shares(self).await
    }
    async fn count_revisions_by_encryption(&mut self) -> StoreResult<Vec<EncryptionUse>> {
        user_data::count_revisions_by_encryption(self).await
    }
}
