//! The backup file's JSON: the reference's version-106 layout (`passwords`, `folders`, `tags`,
//! `shares`, `passwordTagRelations`, `keys`, `settings`) plus our marker (`format`,
//! `formatVersion`), account records and the rows' numeric ids. Documented in
//! `docs/backup-format.md`. Sealed fields are base64 of the stored bytes.

use std::collections::BTreeMap;

use passwords_types::{FolderId, PasswordId, RevisionId, ShareId, TagId, UserId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod convert;

/// The value of `format`: this server's backups.
pub const FORMAT: &str = "passwords-server-backup";
/// The `formatVersion` this build writes; it reads every version up to this one.
pub const FORMAT_VERSION: u32 = 1;
/// The reference app's backup `version` whose structure the file follows.
pub const REFERENCE_VERSION: u32 = 106;
/// Latest accepted time (Unix seconds): the end of the year 9999.
pub const MAX_TIME: i64 = 253_402_300_799;
/// Largest accepted numeric id (exact in a JSON double).
pub const MAX_ID: i64 = (1 << 53) - 1;

/// Sealed bytes as standard base64.
mod b64 {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        STANDARD
            .decode(text.as_bytes())
            .map_err(|_| serde::de::Error::custom("a sealed field is not valid base64"))
    }
}

/// The first keys of the file, written before everything else.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Header {
    pub format: String,
    pub format_version: u32,
    pub version: u32,
    /// When the backup was made (Unix seconds).
    pub created: i64,
    /// The version of the server that wrote it.
    pub app_version: String,
    /// The database backend it was made from (`sqlite`, `postgres`, `mysql`).
    pub backend: String,
}

/// An account as the backup records it: no login password, no app passwords.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountEntry {
    pub uid: UserId,
    pub display_name: String,
    pub enabled: bool,
    /// Removed and queued for deletion (the uid lock).
    pub removed: bool,
    pub created: i64,
}

/// `keys`: the instance key's fingerprint (never the key) and each user's wrapped data key.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Keys {
    pub server: ServerKeys,
    pub users: BTreeMap<UserId, UserKeys>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerKeys {
    /// `InstanceKey::check_value` of the key that wraps the user keys.
    pub instance_key_check: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserKeys {
    /// The user's data key wrapped by the instance key (base64).
    #[serde(with = "b64")]
    pub wrapped_key: Vec<u8>,
    pub created: i64,
}

/// `settings`: app settings (`null` = default), raw user settings, and the reference's
/// `clients` map (client settings live among the user settings here, so it stays empty).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Settings {
    pub application: BTreeMap<String, Option<String>>,
    pub users: BTreeMap<UserId, BTreeMap<String, Option<String>>>,
    #[serde(default)]
    pub clients: BTreeMap<UserId, String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordEntry {
    pub id: i64,
    pub uuid: PasswordId,
    pub user_id: UserId,
    pub deleted: bool,
    pub created: i64,
    pub updated: i64,
    pub revision: RevisionId,
    pub share_id: Option<ShareId>,
    pub editable: bool,
    pub suspended: bool,
    pub has_shares: bool,
    pub revisions: Vec<PasswordRevisionEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordRevisionEntry {
    pub uuid: RevisionId,
    pub user_id: UserId,
    pub created: i64,
    pub updated: i64,
    pub model: PasswordId,
    #[serde(with = "b64")]
    pub label: Vec<u8>,
    #[serde(with = "b64")]
    pub url: Vec<u8>,
    #[serde(with = "b64")]
    pub username: Vec<u8>,
    #[serde(with = "b64")]
    pub password: Vec<u8>,
    #[serde(with = "b64")]
    pub notes: Vec<u8>,
    #[serde(with = "b64")]
    pub custom_fields: Vec<u8>,
    pub hash: String,
    pub folder: FolderId,
    pub status: i64,
    pub status_code: String,
    pub sse_type: String,
    pub cse_type: String,
    pub cse_key: String,
    pub client: String,
    pub edited: i64,
    pub hidden: bool,
    pub trashed: bool,
    pub favorite: bool,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderEntry {
    pub id: i64,
    pub uuid: FolderId,
    pub user_id: UserId,
    pub deleted: bool,
    pub created: i64,
    pub updated: i64,
    pub revision: RevisionId,
    pub suspended: bool,
    pub revisions: Vec<FolderRevisionEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderRevisionEntry {
    pub uuid: RevisionId,
    pub user_id: UserId,
    pub created: i64,
    pub updated: i64,
    pub model: FolderId,
    #[serde(with = "b64")]
    pub label: Vec<u8>,
    pub parent: FolderId,
    pub sse_type: String,
    pub cse_type: String,
    pub cse_key: String,
    pub client: String,
    pub edited: i64,
    pub hidden: bool,
    pub trashed: bool,
    pub favorite: bool,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TagEntry {
    pub id: i64,
    pub uuid: TagId,
    pub user_id: UserId,
    pub deleted: bool,
    pub created: i64,
    pub updated: i64,
    pub revision: RevisionId,
    pub revisions: Vec<TagRevisionEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TagRevisionEntry {
    pub uuid: RevisionId,
    pub user_id: UserId,
    pub created: i64,
    pub updated: i64,
    pub model: TagId,
    #[serde(with = "b64")]
    pub label: Vec<u8>,
    #[serde(with = "b64")]
    pub color: Vec<u8>,
    pub sse_type: String,
    pub cse_type: String,
    pub cse_key: String,
    pub client: String,
    pub edited: i64,
    pub hidden: bool,
    pub trashed: bool,
    pub favorite: bool,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareEntry {
    pub uuid: ShareId,
    pub user_id: UserId,
    pub receiver: UserId,
    #[serde(rename = "type")]
    pub share_type: String,
    pub client: String,
    pub source_password: PasswordId,
    pub target_password: Option<PasswordId>,
    pub expires: Option<i64>,
    pub editable: bool,
    pub shareable: bool,
    pub source_updated: bool,
    pub target_updated: bool,
    pub deleted: bool,
    pub created: i64,
    pub updated: i64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelationEntry {
    pub uuid: Uuid,
    pub user_id: UserId,
    pub deleted: bool,
    pub created: i64,
    pub updated: i64,
    pub tag: TagId,
    pub password: PasswordId,
    pub tag_revision: RevisionId,
    pub password_revision: RevisionId,
    pub hidden: bool,
    pub client: String,
}
