//! What the shared v1 operations read and write of a kind's rows: a model row points at its
//! object's current revision, a revision row belongs to one object and may be in the trash.
//!
//! The rows of passwords, folders and tags name these fields alike, so one macro implements
//! [`ModelRow`] and [`RevisionRow`] for all three (as `uuid_id!` does for the ids).

use async_trait::async_trait;
use passwords_store::{
    FolderModel, FolderRevision, PasswordModel, PasswordRevision, TagModel, TagRevision, Tx,
};
use passwords_types::{FolderId, PasswordId, RevisionId, TagId, UserId};

use crate::error::CoreResult;

/// A model row: the object, pointing at its current revision.
#[async_trait]
pub(super) trait ModelRow: Clone + Send + Sync {
    /// The current revision.
    fn current(&self) -> RevisionId;
    /// Points the model at `rev`, changed `now`.
    fn set_current(&mut self, rev: RevisionId, now: i64);
    /// Writes the model's mutable columns.
    async fn update(&self, tx: &mut dyn Tx) -> CoreResult<()>;
}

/// A revision row: one immutable version of an object.
#[async_trait]
pub(super) trait RevisionRow: Clone + Send + Sync + Sized {
    /// The id of the object a revision belongs to.
    type Owner: Copy + Eq;

    /// This revision's id.
    fn id(&self) -> RevisionId;
    /// The object it belongs to.
    fn owner(&self) -> Self::Owner;
    fn is_trashed(&self) -> bool;
    fn set_trashed(&mut self, trashed: bool);
    async fn insert(&self, tx: &mut dyn Tx) -> CoreResult<()>;
    /// One revision of the user, of any object of this kind.
    async fn get(tx: &mut dyn Tx, uid: &UserId, id: RevisionId) -> CoreResult<Option<Self>>;
}

macro_rules! rows {
    ($(($model:ty, $revision:ty, $owner:ty) => $update:ident, $insert:ident, $get:ident;)*) => {$(
        #[async_trait]
        impl ModelRow for $model {
            fn current(&self) -> RevisionId {
                self.revision
            }

            fn set_current(&mut self, rev: RevisionId, now: i64) {
                self.revision = rev;
                self.updated = now;
            }

            async fn update(&self, tx: &mut dyn Tx) -> CoreResult<()> {
                Ok(tx.$update(self).await?)
            }
        }

        #[async_trait]
        impl RevisionRow for $revision {
            type Owner = $owner;

            fn id(&self) -> RevisionId {
                self.uuid
            }

            fn owner(&self) -> $owner {
                self.model
            }

            fn is_trashed(&self) -> bool {
                self.trashed
            }

            fn set_trashed(&mut self, trashed: bool) {
                self.trashed = trashed;
            }

            async fn insert(&self, tx: &mut dyn Tx) -> CoreResult<()> {
                Ok(tx.$insert(self).await?)
            }

            async fn get(
                tx: &mut dyn Tx,
                uid: &UserId,
                id: RevisionId,
            ) -> CoreResult<Option<Self>> {
                Ok(tx.$get(uid, id).await?)
            }
        }
    )*};
}

rows! {
    (PasswordModel, PasswordRevision, PasswordId)
        => update_password, insert_password_revision, get_password_revision;
    (FolderModel, FolderRevision, FolderId)
        => update_folder, insert_folder_revision, get_folder_revision;
    (TagModel, TagRevision, TagId) => update_tag, insert_tag_revision, get_tag_revision;
}
