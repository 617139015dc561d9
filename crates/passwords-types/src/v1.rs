//! The JSON objects of API v1 (`api/1.0`): passwords, folders and tags with their detail
//! levels, revisions and the answers of mutations. Keys and their order are the reference's
//! (`api-v1-and-model.md` §2.3): the mobile apps decode strictly, so nothing may be added or
//! left out.
//!
//! An object with the `model` level is a `*Object` (all model keys, then the keys the other
//! levels add); without it, a `*Ref` (`{id, revision}` for passwords, `{id}` for folders and
//! tags, as the reference sends) followed by the same extra keys.

use serde::Serialize;

use crate::json::{write_bool, write_int, write_str, write_uuid};
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

/// A password with the `model` level, borrowed: what a list writes one entry at a time
/// without building a [`PasswordObject`] (and owned copies of every field) per password.
/// [`PasswordListWriter`] writes it as the [`PasswordObject`] with `folder` an id, no
/// `revisions`, and `tags` the same ids or absent.
#[derive(Clone, Copy, Debug)]
pub struct PasswordEntry<'a> {
    pub id: PasswordId,
    pub created: i64,
    pub updated: i64,
    pub edited: i64,
    pub share: Option<ShareId>,
    pub shared: bool,
    pub revision: RevisionId,
    pub label: &'a str,
    pub username: &'a str,
    pub password: &'a str,
    pub notes: &'a str,
    pub custom_fields: &'a str,
    pub url: &'a str,
    pub status: i64,
    pub status_code: SecurityStatus,
    pub hash: &'a str,
    pub folder: FolderId,
    pub cse_key: &'a str,
    pub cse_type: &'a str,
    pub sse_type: &'a str,
    pub hidden: bool,
    pub trashed: bool,
    pub favorite: bool,
    pub editable: bool,
    pub client: &'a str,
    pub tags: Option<&'a [TagId]>,
}

/// Writes a JSON array of [`PasswordEntry`]s into one buffer, an entry at a time: byte for
/// byte the text `serde_json` gives for the `Vec<PasswordView>` of the same passwords, with
/// the keys written as fixed text instead of escaped one by one.
pub struct PasswordListWriter {
    out: Vec<u8>,
    empty: bool,
}

impl PasswordListWriter {
    /// A writer whose buffer starts with room for `bytes` bytes.
    pub fn with_capacity(bytes: usize) -> Self {
        let mut out = Vec::with_capacity(bytes.max(2));
        out.push(b'[');
        Self { out, empty: true }
    }

    /// Appends the next password.
    pub fn push(&mut self, p: &PasswordEntry<'_>) {
        let out = &mut self.out;
        if !std::mem::take(&mut self.empty) {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"id\":");
        write_uuid(out, p.id.as_uuid());
        out.extend_from_slice(b",\"created\":");
        write_int(out, p.created);
        out.extend_from_slice(b",\"updated\":");
        write_int(out, p.updated);
        out.extend_from_slice(b",\"edited\":");
        write_int(out, p.edited);
        out.extend_from_slice(b",\"share\":");
        match &p.share {
            Some(s) => write_uuid(out, s.as_uuid()),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"shared\":");
        write_bool(out, p.shared);
        out.extend_from_slice(b",\"revision\":");
        write_uuid(out, p.revision.as_uuid());
        out.extend_from_slice(b",\"label\":");
        write_str(out, p.label);
        out.extend_from_slice(b",\"username\":");
        write_str(out, p.username);
        out.extend_from_slice(b",\"password\":");
        write_str(out, p.password);
        out.extend_from_slice(b",\"notes\":");
        write_str(out, p.notes);
        out.extend_from_slice(b",\"customFields\":");
        write_str(out, p.custom_fields);
        out.extend_from_slice(b",\"url\":");
        write_str(out, p.url);
        out.extend_from_slice(b",\"status\":");
        write_int(out, p.status);
        out.extend_from_slice(b",\"statusCode\":\"");
        out.extend_from_slice(p.status_code.code().as_bytes());
        out.extend_from_slice(b"\",\"hash\":");
        write_str(out, p.hash);
        out.extend_from_slice(b",\"folder\":");
        write_uuid(out, p.folder.as_uuid());
        out.extend_from_slice(b",\"cseKey\":");
        write_str(out, p.cse_key);
        out.extend_from_slice(b",\"cseType\":");
        write_str(out, p.cse_type);
        out.extend_from_slice(b",\"sseType\":");
        write_str(out, p.sse_type);
        out.extend_from_slice(b",\"hidden\":");
        write_bool(out, p.hidden);
        out.extend_from_slice(b",\"trashed\":");
        write_bool(out, p.trashed);
        out.extend_from_slice(b",\"favorite\":");
        write_bool(out, p.favorite);
        out.extend_from_slice(b",\"editable\":");
        write_bool(out, p.editable);
        out.extend_from_slice(b",\"client\":");
        write_str(out, p.client);
        if let Some(tags) = p.tags {
            out.extend_from_slice(b",\"tags\":[");
            for (i, t) in tags.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_uuid(out, t.as_uuid());
            }
            out.push(b']');
        }
        out.push(b'}');
    }

    /// The JSON text.
    pub fn finish(mut self) -> Vec<u8> {
        self.out.push(b']');
        self.out
    }
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
    fn password_entries_serialise_like_objects() {
        let tag = TagId(uuid::Uuid::from_u128(7));
        let object = |tags: Option<TagList>| PasswordObject {
            id: PasswordId(uuid::Uuid::from_u128(1)),
            created: 1,
            updated: 2,
            edited: -3,
            share: None,
            shared: false,
            revision: RevisionId(uuid::Uuid::from_u128(2)),
            label: "L \"quoted\" \u{1}".into(),
            username: "ü".into(),
            password: "p\\w\n".into(),
            notes: "n".into(),
            custom_fields: "[]".into(),
            url: "https://x/".into(),
            status: 2,
            status_code: SecurityStatus::Breached,
            hash: "abc".into(),
            folder: FolderField::Id(FolderId::BASE),
            cse_key: String::new(),
            cse_type: "none".into(),
            sse_type: "SSEv1r2".into(),
            hidden: false,
            trashed: true,
            favorite: true,
            editable: true,
            client: "CLIENT".into(),
            revisions: None,
            tags,
        };
        let entry = |o: &PasswordObject, tags: Option<&'static [TagId]>| PasswordEntry {
            id: o.id,
            created: o.created,
            updated: o.updated,
            edited: o.edited,
            share: o.share,
            shared: o.shared,
            revision: o.revision,
            label: "L \"quoted\" \u{1}",
            username: "ü",
            password: "p\\w\n",
            notes: "n",
            custom_fields: "[]",
            url: "https://x/",
            status: o.status,
            status_code: o.status_code,
            hash: "abc",
            folder: FolderId::BASE,
            cse_key: "",
            cse_type: "none",
            sse_type: "SSEv1r2",
            hidden: o.hidden,
            trashed: o.trashed,
            favorite: o.favorite,
            editable: o.editable,
            client: "CLIENT",
            tags,
        };
        static TAGS: [TagId; 1] = [TagId(uuid::Uuid::from_u128(7))];
        let plain = object(None);
        let tagged = object(Some(TagList::Ids(vec![tag])));
        let views = vec![
            PasswordView::Model(Box::new(plain.clone())),
            PasswordView::Model(Box::new(tagged.clone())),
        ];
        let mut w = PasswordListWriter::with_capacity(0);
        w.push(&entry(&plain, None));
        w.push(&entry(&tagged, Some(&TAGS)));
        assert_eq!(
            String::from_utf8(w.finish()).unwrap(),
            serde_json::to_string(&views).unwrap()
        );
        // Every status, a share, no tags, several tags, and text that needs escaping.
        let statuses = [
            SecurityStatus::Good,
            SecurityStatus::Outdated,
            SecurityStatus::Duplicate,
            SecurityStatus::Breached,
            SecurityStatus::NotChecked,
        ];
        static TWO: [TagId; 2] = [
            TagId(uuid::Uuid::from_u128(8)),
            TagId(uuid::Uuid::from_u128(u128::MAX)),
        ];
        let mut w = PasswordListWriter::with_capacity(0);
        let mut views = Vec::new();
        for (i, status) in statuses.into_iter().enumerate() {
            let tags: Option<&'static [TagId]> = match i % 3 {
                0 => None,
                1 => Some(&[]),
                _ => Some(&TWO),
            };
            let mut o = object(tags.map(|t| TagList::Ids(t.to_vec())));
            o.status_code = status;
            o.status = status.level();
            o.share = (i % 2 == 0).then(|| ShareId(uuid::Uuid::from_u128(i as u128)));
            o.shared = i % 2 == 1;
            o.created = -(i as i64) * 1_000_000_007;
            o.edited = i64::MAX - i as i64;
            o.hidden = i == 1;
            o.editable = i != 2;
            w.push(&entry(&o, tags));
            views.push(PasswordView::Model(Box::new(o)));
        }
        assert_eq!(
            String::from_utf8(w.finish()).unwrap(),
            serde_json::to_string(&views).unwrap()
        );
        let empty = PasswordListWriter::with_capacity(0).finish();
        assert_eq!(
            empty,
            serde_json::to_vec(&Vec::<PasswordView>::new()).unwrap()
        );
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
