//! Conversion between the store's rows and the backup file's entries, both ways.

use passwords_store::{
    AccountRecord, FolderModel, FolderRevision, PasswordModel, PasswordRevision, RelationRecord,
    ShareRecord, TagModel, TagRevision,
};
use passwords_types::SecurityStatus;

use super::*;

impl AccountEntry {
    pub fn from_record(a: &AccountRecord) -> Self {
        Self {
            uid: a.uid.clone(),
            display_name: a.display_name.clone(),
            enabled: a.enabled,
            removed: a.removed,
            created: a.created,
        }
    }
}

impl PasswordEntry {
    pub fn from_rows(m: PasswordModel, revisions: Vec<PasswordRevision>) -> Self {
        Self {
            id: m.id,
            uuid: m.uuid,
            user_id: m.user_id,
            deleted: m.deleted,
            created: m.created,
            updated: m.updated,
            revision: m.revision,
            share_id: m.share_id,
            editable: m.editable,
            suspended: m.suspended,
            has_shares: m.has_shares,
            revisions: revisions
                .into_iter()
                .map(|r| PasswordRevisionEntry {
                    uuid: r.uuid,
                    user_id: r.user_id,
                    created: r.created,
                    updated: r.updated,
                    model: r.model,
                    label: r.label,
                    url: r.url,
                    username: r.username,
                    password: r.password,
                    notes: r.notes,
                    custom_fields: r.custom_fields,
                    hash: r.hash,
                    folder: r.folder,
                    status: r.status.level(),
                    status_code: r.status.code().to_owned(),
                    sse_type: r.sse_type,
                    cse_type: r.cse_type,
                    cse_key: r.cse_key,
                    client: r.client,
                    edited: r.edited,
                    hidden: r.hidden,
                    trashed: r.trashed,
                    favorite: r.favorite,
                })
                .collect(),
        }
    }

    /// The rows; `status` must have been checked (see `read::check_password`).
    pub fn into_rows(self) -> (PasswordModel, Vec<PasswordRevision>) {
        let model = PasswordModel {
            id: self.id,
            uuid: self.uuid,
            user_id: self.user_id,
            revision: self.revision,
            share_id: self.share_id,
            has_shares: self.has_shares,
            editable: self.editable,
            suspended: self.suspended,
            deleted: self.deleted,
            created: self.created,
            updated: self.updated,
        };
        let revisions = self
            .revisions
            .into_iter()
            .map(|r| PasswordRevision {
                status: SecurityStatus::from_code(&r.status_code)
                    .unwrap_or(SecurityStatus::NotChecked),
                uuid: r.uuid,
                user_id: r.user_id,
                model: r.model,
                folder: r.folder,
                label: r.label,
                username: r.username,
                password: r.password,
                url: r.url,
                notes: r.notes,
                custom_fields: r.custom_fields,
                hash: r.hash,
                cse_type: r.cse_type,
                cse_key: r.cse_key,
                sse_type: r.sse_type,
                hidden: r.hidden,
                trashed: r.trashed,
                favorite: r.favorite,
                edited: r.edited,
                client: r.client,
                created: r.created,
                updated: r.updated,
            })
            .collect();
        (model, revisions)
    }
}

impl FolderEntry {
    pub fn from_rows(m: FolderModel, revisions: Vec<FolderRevision>) -> Self {
        Self {
            id: m.id,
            uuid: m.uuid,
            user_id: m.user_id,
            deleted: m.deleted,
            created: m.created,
            updated: m.updated,
            revision: m.revision,
            suspended: m.suspended,
            revisions: revisions
                .into_iter()
                .map(|r| FolderRevisionEntry {
                    uuid: r.uuid,
                    user_id: r.user_id,
                    created: r.created,
                    updated: r.updated,
                    model: r.model,
                    label: r.label,
                    parent: r.parent,
                    sse_type: r.sse_type,
                    cse_type: r.cse_type,
                    cse_key: r.cse_key,
                    client: r.client,
                    edited: r.edited,
                    hidden: r.hidden,
                    trashed: r.trashed,
                    favorite: r.favorite,
                })
                .collect(),
        }
    }

    pub fn into_rows(self) -> (FolderModel, Vec<FolderRevision>) {
        let model = FolderModel {
            id: self.id,
            uuid: self.uuid,
            user_id: self.user_id,
            revision: self.revision,
            suspended: self.suspended,
            deleted: self.deleted,
            created: self.created,
            updated: self.updated,
        };
        let revisions = self
            .revisions
            .into_iter()
            .map(|r| FolderRevision {
                uuid: r.uuid,
                user_id: r.user_id,
                model: r.model,
                parent: r.parent,
                label: r.label,
                cse_type: r.cse_type,
                cse_key: r.cse_key,
                sse_type: r.sse_type,
                hidden: r.hidden,
                trashed: r.trashed,
                favorite: r.favorite,
                edited: r.edited,
                client: r.client,
                created: r.created,
                updated: r.updated,
            })
            .collect();
        (model, revisions)
    }
}

impl TagEntry {
    pub fn from_rows(m: TagModel, revisions: Vec<TagRevision>) -> Self {
        Self {
            id: m.id,
            uuid: m.uuid,
            user_id: m.user_id,
            deleted: m.deleted,
            created: m.created,
            updated: m.updated,
            revision: m.revision,
            revisions: revisions
                .into_iter()
                .map(|r| TagRevisionEntry {
                    uuid: r.uuid,
                    user_id: r.user_id,
                    created: r.created,
                    updated: r.updated,
                    model: r.model,
                    label: r.label,
                    color: r.color,
                    sse_type: r.sse_type,
                    cse_type: r.cse_type,
                    cse_key: r.cse_key,
                    client: r.client,
                    edited: r.edited,
                    hidden: r.hidden,
                    trashed: r.trashed,
                    favorite: r.favorite,
                })
                .collect(),
        }
    }

    pub fn into_rows(self) -> (TagModel, Vec<TagRevision>) {
        let model = TagModel {
            id: self.id,
            uuid: self.uuid,
            user_id: self.user_id,
            revision: self.revision,
            deleted: self.deleted,
            created: self.created,
            updated: self.updated,
        };
        let revisions = self
            .revisions
            .into_iter()
            .map(|r| TagRevision {
                uuid: r.uuid,
                user_id: r.user_id,
                model: r.model,
                label: r.label,
                color: r.color,
                cse_type: r.cse_type,
                cse_key: r.cse_key,
                sse_type: r.sse_type,
                hidden: r.hidden,
                trashed: r.trashed,
                favorite: r.favorite,
                edited: r.edited,
                client: r.client,
                created: r.created,
                updated: r.updated,
            })
            .collect();
        (model, revisions)
    }
}

impl ShareEntry {
    pub fn from_record(s: ShareRecord) -> Self {
        Self {
            uuid: s.uuid,
            user_id: s.user_id,
            receiver: s.receiver,
            share_type: s.share_type,
            client: s.client,
            source_password: s.source_password,
            target_password: s.target_password,
            expires: s.expires,
            editable: s.editable,
            shareable: s.shareable,
            source_updated: s.source_updated,
            target_updated: s.target_updated,
            deleted: s.deleted,
            created: s.created,
            updated: s.updated,
        }
    }

    pub fn into_record(self) -> ShareRecord {
        ShareRecord {
            uuid: self.uuid,
            user_id: self.user_id,
            receiver: self.receiver,
            share_type: self.share_type,
            source_password: self.source_password,
            target_password: self.target_password,
            editable: self.editable,
            shareable: self.shareable,
            expires: self.expires,
            source_updated: self.source_updated,
            target_updated: self.target_updated,
            client: self.client,
            deleted: self.deleted,
            created: self.created,
            updated: self.updated,
        }
    }
}

impl RelationEntry {
    pub fn from_record(r: RelationRecord) -> Self {
        Self {
            uuid: r.uuid,
            user_id: r.user_id,
            deleted: r.deleted,
            created: r.created,
            updated: r.updated,
            tag: r.tag,
            password: r.password,
            tag_revision: r.tag_revision,
            password_revision: r.password_revision,
            hidden: r.hidden,
            client: r.client,
        }
    }

    pub fn into_record(self) -> RelationRecord {
        RelationRecord {
            uuid: self.uuid,
            user_id: self.user_id,
            password: self.password,
            password_revision: self.password_revision,
            tag: self.tag,
            tag_revision: self.tag_revision,
            hidden: self.hidden,
            client: self.client,
            deleted: self.deleted,
            created: self.created,
            updated: self.updated,
        }
    }
}
