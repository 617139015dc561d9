//! The second pass over a reference backup: each entry migrated to version 106, its SSEv1
//! fields decrypted with the backup's keys and sealed under the (mapped) user's new data key,
//! written as an entry of our format. Models a server cannot decrypt, and what points to them,
//! are left out and counted. Decryption failures are collected, not fatal at once, so that
//! the end can tell a wrong instance secret (nothing decrypts) from damaged data.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use passwords_types::{FolderId, PasswordId, RevisionId, ShareId, TagId, UserId};
use serde_json::Value;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::model::{custom_fields, migrate_model, Model, Relation, Revision, Share};
use super::scan::{parse, singular, uuid, Scan};
use super::source::List;
use super::{Failures, UserCounts};
use crate::backup::format::*;
use crate::backup::BackupError;
use crate::crypto::ssev1::{Ssev1Error, Ssev1Key};
use crate::crypto::{seal_field, FieldKey};

/// A converted entry, ready to write.
pub enum Converted {
    Password(PasswordEntry),
    Folder(FolderEntry),
    Tag(TagEntry),
    Share(ShareEntry),
    Relation(RelationEntry),
}

/// Converts entries one at a time.
pub struct Converter<'a> {
    pub scan: &'a Scan,
    pub version: u32,
    pub secret: &'a str,
    pub users: &'a BTreeMap<String, UserId>,
    pub field_keys: &'a HashMap<UserId, Arc<FieldKey>>,
    pub counts: BTreeMap<UserId, UserCounts>,
    pub failures: Failures,
    next_id: HashMap<List, i64>,
}

impl<'a> Converter<'a> {
    pub fn new(
        scan: &'a Scan,
        version: u32,
        secret: &'a str,
        users: &'a BTreeMap<String, UserId>,
        field_keys: &'a HashMap<UserId, Arc<FieldKey>>,
    ) -> Self {
        Self {
            scan,
            version,
            secret,
            users,
            field_keys,
            counts: BTreeMap::new(),
            failures: Failures::default(),
            next_id: scan.max_id.clone(),
        }
    }

    fn user(&self, old: &str) -> &'a UserId {
        // Every uid of the file was mapped after the first pass.
        &self.users[old]
    }

    fn count(&mut self, uid: &UserId) -> &mut UserCounts {
        self.counts.entry(uid.clone()).or_default()
    }

    /// The numeric id: the file's, or a fresh one above every id of the list.
    fn id(&mut self, list: List, id: Option<i64>) -> i64 {
        match id {
            Some(n) => n,
            None => {
                let next = self.next_id.entry(list).or_insert(0);
                *next += 1;
                *next
            }
        }
    }

    pub fn entry(
        &mut self,
        list: List,
        index: u64,
        mut value: Value,
    ) -> Result<Option<Converted>, BackupError> {
        Ok(match list {
            List::Passwords | List::Folders | List::Tags => {
                migrate_model(self.version, &mut value);
                let m: Model = parse(list, index, value)?;
                self.model(list, m)?
            }
            List::Shares => self.share(parse(list, index, value)?)?,
            List::Relations => self.relation(parse(list, index, value)?)?,
            List::Keychains | List::Challenges => None,
        })
    }

    fn model(&mut self, list: List, m: Model) -> Result<Option<Converted>, BackupError> {
        let model_id = uuid("model", &m.uuid)?;
        let uid = self.user(&m.user_id);
        if self.scan.is_skipped(list, &model_id) {
            let c = self.count(uid);
            match list {
                List::Passwords => c.skipped_passwords += 1,
                List::Folders => c.skipped_folders += 1,
                _ => c.skipped_tags += 1,
            }
            c.skipped_encryption.insert(
                m.revisions
                    .iter()
                    .find(|r| r.uuid == m.revision)
                    .map(Revision::encryption)
                    .unwrap_or_default(),
            );
            return Ok(None);
        }
        let user_key = self
            .scan
            .keys
            .as_ref()
            .and_then(|k| k.users.get(&m.user_id))
            .and_then(|k| k.user_key.clone())
            .unwrap_or_default();
        let server_key = self
            .scan
            .keys
            .as_ref()
            .and_then(|k| k.server.server_key.clone())
            .unwrap_or_default();
        let field_key = self.field_keys[uid].clone();
        let id = self.id(list, m.id);
        let mut revisions = Vec::new();
        for r in m.revisions {
            if r.deleted {
                continue;
            }
            if !r.readable() {
                let c = self.count(uid);
                c.skipped_revisions += 1;
                c.skipped_encryption.insert(r.encryption());
                continue;
            }
            let key = match r.sse_type.as_deref() {
                Some("SSEv1r1") => {
                    Ssev1Key::r1(&server_key, &user_key, r.sse_key.as_deref().unwrap_or(""))
                }
                _ => Ssev1Key::r2(
                    self.secret,
                    &server_key,
                    &user_key,
                    r.sse_key.as_deref().unwrap_or(""),
                ),
            };
            revisions.push(self.revision(list, uid, &field_key, &key, r)?);
        }
        let c = self.count(uid);
        let n = revisions.len() as u64;
        Ok(Some(match list {
            List::Passwords => {
                c.passwords += 1;
                c.password_revisions += n;
                Converted::Password(PasswordEntry {
                    id,
                    uuid: PasswordId(model_id),
                    user_id: uid.clone(),
                    deleted: m.deleted,
                    created: m.created,
                    updated: m.updated,
                    revision: RevisionId(uuid("revision", &m.revision)?),
                    share_id: m
                        .share_id
                        .and_then(|s| Uuid::parse_str(&s).ok())
                        .map(ShareId),
                    editable: m.editable,
                    suspended: m.suspended,
                    has_shares: m.has_shares,
                    revisions: revisions.into_iter().filter_map(Rev::password).collect(),
                })
            }
            List::Folders => {
                c.folders += 1;
                c.folder_revisions += n;
                Converted::Folder(FolderEntry {
                    id,
                    uuid: FolderId(model_id),
                    user_id: uid.clone(),
                    deleted: m.deleted,
                    created: m.created,
                    updated: m.updated,
                    revision: RevisionId(uuid("revision", &m.revision)?),
                    suspended: m.suspended,
                    revisions: revisions.into_iter().filter_map(Rev::folder).collect(),
                })
            }
            _ => {
                c.tags += 1;
                c.tag_revisions += n;
                Converted::Tag(TagEntry {
                    id,
                    uuid: TagId(model_id),
                    user_id: uid.clone(),
                    deleted: m.deleted,
                    created: m.created,
                    updated: m.updated,
                    revision: RevisionId(uuid("revision", &m.revision)?),
                    revisions: revisions.into_iter().filter_map(Rev::tag).collect(),
                })
            }
        }))
    }

    /// A folder reference: a folder that is kept, else the base folder (as the reference
    /// shows a missing parent).
    fn folder(&self, text: Option<&str>) -> FolderId {
        match text.and_then(|t| Uuid::parse_str(t).ok()) {
            Some(id) if self.scan.is_kept(List::Folders, &id) => FolderId(id),
            _ => FolderId::BASE,
        }
    }

    /// Decrypts one field (`None` and `""` are empty) and seals it for the new owner.
    fn field(&mut self, at: &FieldAt<'_>, name: &'static str, value: Option<&str>) -> Vec<u8> {
        let FieldAt {
            list,
            revision,
            old,
            r1,
            user,
            new,
        } = *at;
        let plain: Zeroizing<String> = match value {
            None | Some("") => Zeroizing::new(String::new()),
            Some(token) => match old.decrypt(token) {
                Ok(bytes) => {
                    self.failures.ok(user, r1);
                    match std::str::from_utf8(&bytes) {
                        Ok(text) => Zeroizing::new(text.to_owned()),
                        Err(_) => {
                            self.failures.failed(
                                user,
                                r1,
                                singular(list),
                                revision,
                                name,
                                Ssev1Error::Malformed("not UTF-8 text"),
                            );
                            Zeroizing::new(String::new())
                        }
                    }
                }
                Err(e) => {
                    self.failures
                        .failed(user, r1, singular(list), revision, name, e);
                    Zeroizing::new(String::new())
                }
            },
        };
        let plain = if name == "customFields" {
            Zeroizing::new(custom_fields(self.version, &plain))
        } else {
            plain
        };
        seal_field(new, revision, name, &plain)
    }

    fn revision(
        &mut self,
        list: List,
        uid: &UserId,
        new: &FieldKey,
        old: &Ssev1Key,
        r: Revision,
    ) -> Result<Rev, BackupError> {
        let id = uuid("revision", &r.uuid)?;
        let r1 = r.sse_type.as_deref() == Some("SSEv1r1");
        let at = FieldAt {
            list,
            revision: &id,
            old,
            r1,
            user: uid,
            new,
        };
        let f = |me: &mut Self, name: &'static str, value: Option<&str>| me.field(&at, name, value);
        let base = RevBase {
            uuid: RevisionId(id),
            user_id: uid.clone(),
            created: r.created,
            updated: r.updated,
            model: uuid("model", &r.model)?,
            sse_type: r.sse_type.clone().unwrap_or_default(),
            cse_type: r.cse_type.clone().unwrap_or_else(|| "none".into()),
            cse_key: r.cse_key.clone().unwrap_or_default(),
            client: r.client.clone().unwrap_or_else(|| "CLIENT::UNKNOWN".into()),
            edited: r.edited.unwrap_or(r.created),
            hidden: r.hidden,
            trashed: r.trashed,
            favorite: r.favorite,
        };
        Ok(match list {
            List::Passwords => {
                let label = f(self, "label", r.label.as_deref());
                let username = f(self, "username", r.username.as_deref());
                let password = f(self, "password", r.password.as_deref());
                let url = f(self, "url", r.url.as_deref());
                let notes = f(self, "notes", r.notes.as_deref());
                let custom = f(
                    self,
                    "customFields",
                    Some(r.custom_fields.as_deref().unwrap_or("")),
                );
                let status_code = r
                    .status_code
                    .filter(|c| passwords_types::SecurityStatus::from_code(c).is_some())
                    .unwrap_or_else(|| "NOT_CHECKED".into());
                Rev::Password(PasswordRevisionEntry {
                    uuid: base.uuid,
                    user_id: base.user_id,
                    created: base.created,
                    updated: base.updated,
                    model: PasswordId(base.model),
                    label,
                    url,
                    username,
                    password,
                    notes,
                    custom_fields: custom,
                    hash: r.hash.unwrap_or_default(),
                    folder: self.folder(r.folder.as_deref()),
                    status: passwords_types::SecurityStatus::from_code(&status_code)
                        .map_or(3, |s| s.level()),
                    status_code,
                    sse_type: base.sse_type,
                    cse_type: base.cse_type,
                    cse_key: base.cse_key,
                    client: base.client,
                    edited: base.edited,
                    hidden: base.hidden,
                    trashed: base.trashed,
                    favorite: base.favorite,
                })
            }
            List::Folders => {
                let label = f(self, "label", r.label.as_deref());
                let mut parent = self.folder(r.parent.as_deref());
                if parent.0 == base.model {
                    parent = FolderId::BASE;
                }
                Rev::Folder(FolderRevisionEntry {
                    uuid: base.uuid,
                    user_id: base.user_id,
                    created: base.created,
                    updated: base.updated,
                    model: FolderId(base.model),
                    label,
                    parent,
                    sse_type: base.sse_type,
                    cse_type: base.cse_type,
                    cse_key: base.cse_key,
                    client: base.client,
                    edited: base.edited,
                    hidden: base.hidden,
                    trashed: base.trashed,
                    favorite: base.favorite,
                })
            }
            _ => {
                let label = f(self, "label", r.label.as_deref());
                let color = f(self, "color", r.color.as_deref());
                Rev::Tag(TagRevisionEntry {
                    uuid: base.uuid,
                    user_id: base.user_id,
                    created: base.created,
                    updated: base.updated,
                    model: TagId(base.model),
                    label,
                    color,
                    sse_type: base.sse_type,
                    cse_type: base.cse_type,
                    cse_key: base.cse_key,
                    client: base.client,
                    edited: base.edited,
                    hidden: base.hidden,
                    trashed: base.trashed,
                    favorite: base.favorite,
                })
            }
        })
    }

    fn share(&mut self, s: Share) -> Result<Option<Converted>, BackupError> {
        let source = uuid("share source password", &s.source_password)?;
        let owner = self.user(&s.user_id).clone();
        if self.scan.is_skipped(List::Passwords, &source) {
            self.count(&owner).skipped_shares += 1;
            return Ok(None);
        }
        let target = s
            .target_password
            .as_deref()
            .and_then(|t| Uuid::parse_str(t).ok())
            .filter(|t| !self.scan.is_skipped(List::Passwords, t))
            .map(PasswordId);
        self.count(&owner).shares += 1;
        Ok(Some(Converted::Share(ShareEntry {
            uuid: ShareId(uuid("share", &s.uuid)?),
            user_id: owner,
            receiver: self.user(&s.receiver).clone(),
            share_type: s.share_type.unwrap_or_else(|| "user".into()),
            client: s.client.unwrap_or_else(|| "CLIENT::UNKNOWN".into()),
            source_password: PasswordId(source),
            target_password: target,
            expires: s.expires,
            editable: s.editable,
            shareable: s.shareable,
            source_updated: s.source_updated,
            target_updated: s.target_updated,
            deleted: s.deleted,
            created: s.created,
            updated: s.updated,
        })))
    }

    fn relation(&mut self, r: Relation) -> Result<Option<Converted>, BackupError> {
        let password = uuid("relation password", &r.password)?;
        let tag = uuid("relation tag", &r.tag)?;
        let uid = self.user(&r.user_id).clone();
        if self.scan.is_skipped(List::Passwords, &password)
            || self.scan.is_skipped(List::Tags, &tag)
        {
            self.count(&uid).skipped_relations += 1;
            return Ok(None);
        }
        // Relations got their uuids in version 105; older ones get new ones, as there.
        let id = match (&r.uuid, self.version >= 105) {
            (Some(text), true) => uuid("relation", text)?,
            _ => Uuid::new_v4(),
        };
        let revision = |text: &Option<String>| {
            RevisionId(
                text.as_deref()
                    .and_then(|t| Uuid::parse_str(t).ok())
                    .unwrap_or_default(),
            )
        };
        self.count(&uid).relations += 1;
        Ok(Some(Converted::Relation(RelationEntry {
            uuid: id,
            user_id: uid,
            deleted: r.deleted,
            created: r.created,
            updated: r.updated,
            tag: TagId(tag),
            password: PasswordId(password),
            tag_revision: revision(&r.tag_revision),
            password_revision: revision(&r.password_revision),
            hidden: r.hidden,
            client: r.client.unwrap_or_else(|| "CLIENT::UNKNOWN".into()),
        })))
    }
}

/// Where a field comes from and goes to.
#[derive(Clone, Copy)]
struct FieldAt<'x> {
    list: List,
    revision: &'x Uuid,
    old: &'x Ssev1Key,
    r1: bool,
    user: &'x UserId,
    new: &'x FieldKey,
}

/// The fields every revision kind shares.
struct RevBase {
    uuid: RevisionId,
    user_id: UserId,
    created: i64,
    updated: i64,
    model: Uuid,
    sse_type: String,
    cse_type: String,
    cse_key: String,
    client: String,
    edited: i64,
    hidden: bool,
    trashed: bool,
    favorite: bool,
}

enum Rev {
    Password(PasswordRevisionEntry),
    Folder(FolderRevisionEntry),
    Tag(TagRevisionEntry),
}

impl Rev {
    fn password(self) -> Option<PasswordRevisionEntry> {
        match self {
            Self::Password(r) => Some(r),
            _ => None,
        }
    }
    fn folder(self) -> Option<FolderRevisionEntry> {
        match self {
            Self::Folder(r) => Some(r),
            _ => None,
        }
    }
    fn tag(self) -> Option<TagRevisionEntry> {
        match self {
            Self::Tag(r) => Some(r),
            _ => None,
        }
    }
}
