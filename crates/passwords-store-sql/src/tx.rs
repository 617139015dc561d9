//! [`SqlTx`]: a plain pooled connection or a transaction, and the [`Tx`] impl that routes every
//! method to the resource modules.

use std::sync::Arc;

use async_trait::async_trait;
use passwords_store::*;
use passwords_types::{
    FolderId, ObjectRef, PasswordId, RevisionId, SecurityStatus, ShareId, UserId,
};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::pool::PoolConnection;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, Transaction};

use crate::dialect::Dialect;
use crate::error::Ctx;
use crate::{accounts, folders, leases, passwords, relations, settings, shares, tags};

/// A statement with its arguments bound, ready to run on a [`SqlTx`].
pub(crate) type Q<'q> = Query<'q, Any, AnyArguments<'q>>;

enum Handle {
    Plain(PoolConnection<Any>),
    Transaction(Transaction<'static, Any>),
}

/// The [`Tx`] of [`crate::SqlStore`].
pub(crate) struct SqlTx {
    // Dropped first: the transaction ends before the writer lock below is released.
    handle: Handle,
    dialect: Arc<Dialect>,
    _writer: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl SqlTx {
    pub(crate) fn plain(conn: PoolConnection<Any>, dialect: Arc<Dialect>) -> Self {
        Self {
            handle: Handle::Plain(conn),
            dialect,
            _writer: None,
        }
    }

    pub(crate) fn transaction(
        tx: Transaction<'static, Any>,
        dialect: Arc<Dialect>,
        writer: Option<tokio::sync::OwnedMutexGuard<()>>,
    ) -> Self {
        Self {
            handle: Handle::Transaction(tx),
            dialect,
            _writer: writer,
        }
    }

    pub(crate) fn dialect(&self) -> &Dialect {
        &self.dialect
    }

    fn conn(&mut self) -> &mut AnyConnection {
        match &mut self.handle {
            Handle::Plain(conn) => conn,
            Handle::Transaction(tx) => tx,
        }
    }

    /// The statement for this backend (placeholders rewritten).
    pub(crate) fn sql(&self, query: &'static str) -> &'static str {
        self.dialect.sql(query)
    }

    /// Runs a statement; returns the number of rows it matched.
    pub(crate) async fn exec(&mut self, query: Q<'_>, table: &str) -> StoreResult<u64> {
        Ok(query.execute(self.conn()).await.ctx(table)?.rows_affected())
    }

    /// An `INSERT` statement for [`Self::insert`] (see [`Dialect::insert`]).
    pub(crate) fn insert_sql(&self, query: &'static str) -> &'static str {
        self.dialect.insert(query)
    }

    /// Runs an insert built on [`Self::insert_sql`]; `Conflict(table)` if a unique key exists.
    pub(crate) async fn insert(&mut self, query: Q<'_>, table: &str) -> StoreResult<()> {
        match self.exec(query, table).await? {
            0 => Err(StoreError::Conflict(table.to_owned())),
            _ => Ok(()),
        }
    }

    /// Runs an `UPDATE` of one row; `NotFound` if it matched none.
    pub(crate) async fn exec_one(&mut self, query: Q<'_>, table: &str) -> StoreResult<()> {
        match self.exec(query, table).await? {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }

    pub(crate) async fn fetch_optional(
        &mut self,
        query: Q<'_>,
        table: &str,
    ) -> StoreResult<Option<AnyRow>> {
        query.fetch_optional(self.conn()).await.ctx(table)
    }

    pub(crate) async fn fetch_all(
        &mut self,
        query: Q<'_>,
        table: &str,
    ) -> StoreResult<Vec<AnyRow>> {
        query.fetch_all(self.conn()).await.ctx(table)
    }

    /// Runs an insert built on [`Dialect::insert_returning_id`]; returns the generated id.
    pub(crate) async fn insert_id(&mut self, query: Q<'_>, table: &str) -> StoreResult<i64> {
        let dialect = self.dialect.clone();
        dialect.execute_insert(self.conn(), query, table).await
    }
}

#[async_trait]
impl Tx for SqlTx {
    async fn commit(self: Box<Self>) -> StoreResult<()> {
        match self.handle {
            Handle::Plain(_) => Ok(()),
            Handle::Transaction(tx) => tx.commit().await.ctx("commit"),
        }
    }

    async fn get_account(&mut self, uid: &UserId) -> StoreResult<Option<AccountRecord>> {
        accounts::get(self, uid).await
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
    async fn list_passwords(
        &mut self,
        uid: &UserId,
    ) -> StoreResult<Vec<(PasswordModel, PasswordRevision)>> {
        passwords::list(self, uid).await
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
        passwords::list_revisions_with_hash(self, uid, hash).await
    }

    async fn list_current_revisions_with_hash(
        &mut self,
        uid: &UserId,
        hash: &str,
    ) -> StoreResult<Vec<PasswordRevision>> {
        passwords::list_current_revisions_with_hash(self, uid, hash).await
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
}
