//! Row types of the data model (product spec §3; reference model in `api-v1-and-model.md` §1).
//!
//! Times are Unix seconds. Fields of type [`Sealed`] hold ciphertext made by the domain layer
//! (nonce and AEAD output); the store copies them byte for byte.

use passwords_types::{FolderId, PasswordId, RevisionId, SecurityStatus, ShareId, TagId, UserId};
use uuid::Uuid;

/// Ciphertext of one secret field, opaque to the store.
pub type Sealed = Vec<u8>;

/// An account: who can log in and owns data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRecord {
    pub uid: UserId,
    pub display_name: String,
    /// Argon2id PHC string of the login password; `None` means no password login.
    pub password_hash: Option<String>,
    pub enabled: bool,
    /// Removed with `account remove`: data queued for deletion, uid locked, no login.
    pub removed: bool,
    pub created: i64,
    pub updated: i64,
}

/// An app password (token). Only a keyed hash of the token is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppPasswordRecord {
    pub uid: UserId,
    /// The token's name; becomes the `client` of what it writes. Unique per user.
    pub name: String,
    /// Keyed hash (HMAC-SHA-256) of the token text.
    pub token_hash: Vec<u8>,
    pub created: i64,
    pub last_used: Option<i64>,
}

/// A user's data key, wrapped (AEAD) by the instance key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserKeyRecord {
    pub uid: UserId,
    pub wrapped: Vec<u8>,
    pub created: i64,
}

/// The model row of a password: identity, sharing flags and the current revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordModel {
    /// Stable numeric id (the legacy API's `id`); assigned by the store, never reused.
    pub id: i64,
    pub uuid: PasswordId,
    pub user_id: UserId,
    pub revision: RevisionId,
    /// The share through which this user received the password.
    pub share_id: Option<ShareId>,
    pub has_shares: bool,
    pub editable: bool,
    pub suspended: bool,
    pub deleted: bool,
    pub created: i64,
    pub updated: i64,
}

/// One immutable revision of a password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordRevision {
    pub uuid: RevisionId,
    pub user_id: UserId,
    pub model: PasswordId,
    pub folder: FolderId,
    pub label: Sealed,
    pub username: Sealed,
    pub password: Sealed,
    pub url: Sealed,
    pub notes: Sealed,
    pub custom_fields: Sealed,
    /// SHA-1 hex of the password cut to the user's hash length; not secret.
    pub hash: String,
    pub cse_type: String,
    pub cse_key: String,
    pub sse_type: String,
    pub status: SecurityStatus,
    pub hidden: bool,
    pub trashed: bool,
    pub favorite: bool,
    pub edited: i64,
    pub client: String,
    pub created: i64,
    pub updated: i64,
}

/// A password as lists show it: the model's numeric id, UUID and creation time with the
/// parts of its current revision that a list needs (no custom fields, hash, client or key),
/// so that listing reads and copies no more than that.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordSummary {
    pub id: i64,
    pub uuid: PasswordId,
    pub created: i64,
    /// The current revision: the associated data of its sealed fields.
    pub revision: RevisionId,
    pub label: Sealed,
    pub username: Sealed,
    pub password: Sealed,
    pub url: Sealed,
    pub notes: Sealed,
    pub cse_type: String,
    pub sse_type: String,
    pub status: SecurityStatus,
    pub hidden: bool,
    pub trashed: bool,
    pub edited: i64,
}

/// A password as API v1 lists show it at level `model`: the model's columns and its current
/// revision's, without the owner, the numeric id or the revision's back reference, borrowed
/// from the backend's row (see [`ListingSink`]), so that a list of a thousand passwords
/// decodes no more than it writes and copies no field twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasswordListing<'a> {
    pub uuid: PasswordId,
    pub created: i64,
    pub updated: i64,
    pub share_id: Option<ShareId>,
    pub has_shares: bool,
    pub editable: bool,
    pub suspended: bool,
    /// The current revision: the associated data of its sealed fields.
    pub revision: RevisionId,
    pub folder: FolderId,
    pub label: &'a [u8],
    pub username: &'a [u8],
    pub password: &'a [u8],
    pub url: &'a [u8],
    pub notes: &'a [u8],
    pub custom_fields: &'a [u8],
    pub hash: &'a str,
    pub cse_type: &'a str,
    pub cse_key: &'a str,
    pub sse_type: &'a str,
    pub status: SecurityStatus,
    pub hidden: bool,
    pub trashed: bool,
    pub favorite: bool,
    pub edited: i64,
    pub client: &'a str,
    /// When the current revision was created and updated.
    pub revision_created: i64,
    pub revision_updated: i64,
}

/// Receives the [`PasswordListing`]s of [`crate::Tx::visit_password_listings`] one at a time
/// and turns them into the bytes of an answer.
///
/// A backend may call it on another thread (SQLite calls it on its connection's thread,
/// with the values still in SQLite's row buffer), hence `Send + 'static`.
pub trait ListingSink: Send + 'static {
    /// Takes one listing, in the order of the password's numeric ids.
    fn listing(&mut self, listing: &PasswordListing<'_>);
    /// The answer written from every listing taken.
    fn finish(self: Box<Self>) -> Vec<u8>;
}

/// A live link between a password and a tag, as views that show a password's tags need it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TagLink {
    pub password: PasswordId,
    pub tag: TagId,
}

/// One password revision as the security re-check sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevisionCheck {
    pub uuid: RevisionId,
    pub model: PasswordId,
    /// SHA-1 hex of the password, cut to the user's hash length (may be empty).
    pub hash: String,
    pub status: SecurityStatus,
    pub edited: i64,
    /// Whether it is its password's current revision.
    pub current: bool,
}

/// The model row of a folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FolderModel {
    pub id: i64,
    pub uuid: FolderId,
    pub user_id: UserId,
    pub revision: RevisionId,
    pub suspended: bool,
    pub deleted: bool,
    pub created: i64,
    pub updated: i64,
}

/// One immutable revision of a folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FolderRevision {
    pub uuid: RevisionId,
    pub user_id: UserId,
    pub model: FolderId,
    pub parent: FolderId,
    pub label: Sealed,
    pub cse_type: String,
    pub cse_key: String,
    pub sse_type: String,
    pub hidden: bool,
    pub trashed: bool,
    pub favorite: bool,
    pub edited: i64,
    pub client: String,
    pub created: i64,
    pub updated: i64,
}

/// The model row of a tag (a legacy category).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagModel {
    /// Stable numeric id (the legacy API's category `id`); never reused.
    pub id: i64,
    pub uuid: TagId,
    pub user_id: UserId,
    pub revision: RevisionId,
    pub deleted: bool,
    pub created: i64,
    pub updated: i64,
}

/// One immutable revision of a tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagRevision {
    pub uuid: RevisionId,
    pub user_id: UserId,
    pub model: TagId,
    pub label: Sealed,
    pub color: Sealed,
    pub cse_type: String,
    pub cse_key: String,
    pub sse_type: String,
    pub hidden: bool,
    pub trashed: bool,
    pub favorite: bool,
    pub edited: i64,
    pub client: String,
    pub created: i64,
    pub updated: i64,
}

/// A link between a password and a tag (not versioned with revisions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelationRecord {
    pub uuid: Uuid,
    pub user_id: UserId,
    pub password: PasswordId,
    pub password_revision: RevisionId,
    pub tag: TagId,
    pub tag_revision: RevisionId,
    /// Password hidden or tag hidden.
    pub hidden: bool,
    pub client: String,
    pub deleted: bool,
    pub created: i64,
    pub updated: i64,
}

/// A share of a password with another user; the receiver gets a synced copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareRecord {
    pub uuid: ShareId,
    /// The owner.
    pub user_id: UserId,
    pub receiver: UserId,
    /// `user` (group and link shares are not supported).
    pub share_type: String,
    pub source_password: PasswordId,
    pub target_password: Option<PasswordId>,
    pub editable: bool,
    pub shareable: bool,
    pub expires: Option<i64>,
    pub source_updated: bool,
    pub target_updated: bool,
    pub client: String,
    pub deleted: bool,
    pub created: i64,
    pub updated: i64,
}

/// How many rows of one user's vault data there are (or were deleted or moved).
///
/// Rows are counted whether live or soft-deleted: these are the rows that `user delete`
/// removes and `user move` hands over.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UserDataCounts {
    pub passwords: u64,
    pub password_revisions: u64,
    pub folders: u64,
    pub folder_revisions: u64,
    pub tags: u64,
    pub tag_revisions: u64,
    pub relations: u64,
    /// Shares the user owns or receives.
    pub shares: u64,
    pub settings: u64,
    /// The wrapped data key (0 or 1).
    pub keys: u64,
}

impl UserDataCounts {
    /// Whether the user has vault data: any password, folder, tag, share or user setting.
    /// The data key alone does not count: every account gets one when it is created.
    pub fn has_data(&self) -> bool {
        self.passwords + self.folders + self.tags + self.shares + self.settings > 0
    }
}

/// How many revisions (of passwords, folders and tags together) use one combination of
/// server-side and client-side encryption.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncryptionUse {
    pub sse_type: String,
    pub cse_type: String,
    pub revisions: u64,
}
