//! The JSON objects of API v1 (`api/1.0`): passwords, folders and tags with their detail
//! levels, revisions and the answers of mutations. Keys and their order are the reference's
//! (`api-v1-and-model.md` §2.3): the mobile apps decode strictly, so nothing may be added or
//! left out.
//!
//! An object with the `model` level is a `*Object` (all model keys, then the keys the other
//! levels add); without it, a `*Ref` (`{id, revision}` for passwords, `{id}` for folders and
//! tags, as the reference sends) followed by the same extra keys.

use serde::Serialize;

use crate::{FolderId, PasswordId, RevisionId, SecurityStatus, ShareId, TagId};

/// A password at some detail level.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum PasswordView {
    Model(Box<PasswordObject>),
    Ref(Box<PasswordRef>),
}

/// A password with the `model` level: exactly the 25 model keys, then the keys of
/// `revisions` and `tags`/`tag-ids`; `folder` becomes an object with the `folder` level.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordObject {
    pub id: PasswordId,
    pub created: i64,
    pub updated: i64,
    pub edited: i64,
    pub share: Option<ShareId>,
    pub shared: bool,
    pub revision: RevisionId,
    pub label: String,
    pub username: String,
    pub password: String,
    pub notes: String,
    pub custom_fields: String,
    pub url: String,
    pub status: i64,
    pub status_code: SecurityStatus,
    pub hash: String,
    pub folder: FolderField,
    pub cse_key: String,
    pub cse_type: String,
    pub sse_type: String,
    pub hidden: bool,
    pub trashed: bool,
    pub favorite: bool,
    pub editable: bool,
    pub client: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revisions: Option<Vec<PasswordRevisionObject>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<TagList>,
}

/// A password without the `model` level.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PasswordRef {
    pub id: PasswordId,
    pub revision: RevisionId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revisions: Option<Vec<PasswordRevisionObject>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folder: Option<Box<FolderView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<TagList>,
}

/// The `folder` key of a password: the id, or the folder object with the `folder` level.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FolderField {
    Id(FolderId),
    Object(Box<FolderView>),
}

/// One revision of a password (the `revisions` level): 21 keys.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordRevisionObject {
    pub id: RevisionId,
    pub created: i64,
    pub updated: i64,
    pub edited: i64,
    pub label: String,
    pub username: String,
    pub password: String,
    pub notes: String,
    pub custom_fields: String,
    pub url: String,
    pub status: i64,
    pub status_code: SecurityStatus,
    pub hash: String,
    pub folder: FolderId,
    pub cse_key: String,
    pub cse_type: String,
    pub sse_type: String,
    pub hidden: bool,
    pub trashed: bool,
    pub favorite: bool,
    pub client: String,
}

/// The `tags` key: ids (`tag-ids`) or objects (`tags`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum TagList {
    Ids(Vec<TagId>),
    Objects(Vec<TagView>),
}

/// The `passwords` key of folders and tags: ids (`password-ids`) or objects (`passwords`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum PasswordList {
    Ids(Vec<PasswordId>),
    Objects(Vec<PasswordView>),
}

/// The `folders` key of a folder: ids (`folder-ids`) or objects (`folders`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FolderList {
    Ids(Vec<FolderId>),
    Objects(Vec<FolderView>),
}

/// A folder at some detail level.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FolderView {
    Model(Box<FolderObject>),
    Ref(Box<FolderRef>),
}

/// A folder with the `model` level: exactly 14 keys, then `revisions`, `folders`,
/// `passwords`; `parent` becomes an object with the `parent` level.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderObject {
    pub id: FolderId,
    pub created: i64,
    pub updated: i64,
    pub edited: i64,
    pub revision: RevisionId,
    pub label: String,
    pub parent: FolderField,
    pub cse_key: String,
    pub cse_type: String,
    pub sse_type: String,
    pub hidden: bool,
    pub trashed: bool,
    pub favorite: bool,
    pub client: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revisions: Option<Vec<FolderRevisionObject>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folders: Option<FolderList>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passwords: Option<PasswordList>,
}

/// A folder without the `model` level.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FolderRef {
    pub id: FolderId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revisions: Option<Vec<FolderRevisionObject>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<Box<FolderView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folders: Option<FolderList>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passwords: Option<PasswordList>,
}

/// One revision of a folder: 13 keys.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderRevisionObject {
    pub id: RevisionId,
    pub created: i64,
    pub updated: i64,
    pub edited: i64,
    pub label: String,
    pub parent: FolderId,
    pub cse_key: String,
    pub cse_type: String,
    pub sse_type: String,
    pub hidden: bool,
    pub trashed: bool,
    pub favorite: bool,
    pub client: String,
}

/// A tag at some detail level.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum TagView {
    Model(Box<TagObject>),
    Ref(Box<TagRef>),
}

/// A tag with the `model` level: exactly 14 keys, then `revisions` and `passwords`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TagObject {
    pub id: TagId,
    pub created: i64,
    pub updated: i64,
    pub edited: i64,
    pub revision: RevisionId,
    pub label: String,
    pub color: String,
    pub cse_key: String,
    pub cse_type: String,
    pub sse_type: String,
    pub hidden: bool,
    pub trashed: bool,
    pub favorite: bool,
    pub client: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revisions: Option<Vec<TagRevisionObject>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passwords: Option<PasswordList>,
}

/// A tag without the `model` level.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TagRef {
    pub id: TagId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revisions: Option<Vec<TagRevisionObject>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passwords: Option<PasswordList>,
}

/// One revision of a tag: 13 keys.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TagRevisionObject {
    pub id: RevisionId,
    pub created: i64,
    pub updated: i64,
    pub edited: i64,
    pub label: String,
    pub color: String,
    pub cse_key: String,
    pub cse_type: String,
    pub sse_type: String,
    pub hidden: bool,
    pub trashed: bool,
    pub favorite: bool,
    pub client: String,
}

/// The answer of create, update, trash and restore: `{id, revision}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Mutated {
    pub id: uuid::Uuid,
    pub revision: RevisionId,
}

/// The answer of a delete: `{id, revision}` when the object went to the trash, `{id}` when
/// it was deleted for good.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Deleted {
    pub id: uuid::Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<RevisionId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_key_sets() {
        let f = FolderObject {
            id: FolderId::BASE,
            created: 1,
            updated: 2,
            edited: 3,
            revision: RevisionId(uuid::Uuid::nil()),
            label: "Home".into(),
            parent: FolderField::Id(FolderId::BASE),
            cse_key: String::new(),
            cse_type: "none".into(),
            sse_type: "SSEv1r2".into(),
            hidden: false,
            trashed: false,
            favorite: false,
            client: "CLIENT::SYSTEM".into(),
            revisions: None,
            folders: None,
            passwords: None,
        };
        let zero = "00000000-0000-0000-0000-000000000000";
        let text = serde_json::to_string(&FolderView::Model(Box::new(f))).unwrap();
        assert_eq!(
            text,
            format!(
                r#"{{"id":"{zero}","created":1,"updated":2,"edited":3,"revision":"{zero}","label":"Home","parent":"{zero}","cseKey":"","cseType":"none","sseType":"SSEv1r2","hidden":false,"trashed":false,"favorite":false,"client":"CLIENT::SYSTEM"}}"#
            )
        );
        let r = FolderRef {
            id: FolderId::BASE,
            revisions: None,
            parent: None,
            folders: Some(FolderList::Ids(vec![])),
            passwords: None,
        };
        let text = serde_json::to_string(&FolderView::Ref(Box::new(r))).unwrap();
        assert_eq!(text, format!(r#"{{"id":"{zero}","folders":[]}}"#));
    }

    #[test]
    fn deleted_shapes() {
        let id = uuid::Uuid::nil();
        let zero = "00000000-0000-0000-0000-000000000000";
        let text = serde_json::to_string(&Deleted { id, revision: None }).unwrap();
        assert_eq!(text, format!(r#"{{"id":"{zero}"}}"#));
        let revision = Some(RevisionId(id));
        let text = serde_json::to_string(&Deleted { id, revision }).unwrap();
        assert_eq!(text, format!(r#"{{"id":"{zero}","revision":"{zero}"}}"#));
    }
}
