//! Passwords at a detail level, and the `passwords` key of folders and tags.

use passwords_store::{PasswordModel, PasswordRevision, TagModel, TagRevision};
use passwords_types::v1::{
    FolderField, FolderView, PasswordList, PasswordObject, PasswordRef, PasswordRevisionObject,
    PasswordView, TagList,
};
use passwords_types::{PasswordId, TagId};

use super::View;
use crate::error::CoreResult;
use crate::v1::Details;
use crate::vault::content::PasswordContent;

impl View {
    /// A password at level `d` (load [`Needs::of_password`] first; `revisions` are the
    /// password's revisions when that level is asked for).
    pub fn password(
        &self,
        m: &PasswordModel,
        r: &PasswordRevision,
        d: Details,
        revisions: Option<&[PasswordRevision]>,
    ) -> CoreResult<PasswordView> {
        let revisions = match revisions {
            Some(list) if d.revisions => Some(
                list.iter()
                    .map(|rev| self.password_revision(rev))
                    .collect::<CoreResult<Vec<_>>>()?,
            ),
            _ => None,
        };
        let folder = if d.folder {
            Some(self.folder_of_password(r)?)
        } else {
            None
        };
        let tags = if d.tags {
            Some(TagList::Objects(
                self.tags_of_password(m.uuid, r)
                    .map(|(tm, tr)| self.tag(tm, tr, Details::MODEL))
                    .collect::<CoreResult<Vec<_>>>()?,
            ))
        } else if d.tag_ids {
            Some(TagList::Ids(
                self.tags_of_password(m.uuid, r)
                    .map(|(tm, _)| tm.uuid)
                    .collect(),
            ))
        } else {
            None
        };
        if !d.model {
            return Ok(PasswordView::Ref(Box::new(PasswordRef {
                id: m.uuid,
                revision: r.uuid,
                revisions,
                folder: folder.map(Box::new),
                tags,
            })));
        }
        let mut c = PasswordContent::open(&self.key, r)?;
        Ok(PasswordView::Model(Box::new(PasswordObject {
            id: m.uuid,
            created: m.created,
            updated: m.updated,
            edited: r.edited,
            share: m.share_id,
            shared: m.has_shares,
            revision: r.uuid,
            label: std::mem::take(&mut c.label),
            username: std::mem::take(&mut c.username),
            password: std::mem::take(&mut c.password),
            notes: std::mem::take(&mut c.notes),
            custom_fields: std::mem::take(&mut c.custom_fields),
            url: std::mem::take(&mut c.url),
            status: r.status.level(),
            status_code: r.status,
            hash: r.hash.clone(),
            folder: match folder {
                Some(f) => FolderField::Object(Box::new(f)),
                None => FolderField::Id(r.folder),
            },
            cse_key: r.cse_key.clone(),
            cse_type: r.cse_type.clone(),
            sse_type: r.sse_type.clone(),
            hidden: r.hidden,
            trashed: r.trashed,
            favorite: r.favorite,
            editable: m.editable,
            client: r.client.clone(),
            revisions,
            tags,
        })))
    }

    fn password_revision(&self, r: &PasswordRevision) -> CoreResult<PasswordRevisionObject> {
        let mut c = PasswordContent::open(&self.key, r)?;
        Ok(PasswordRevisionObject {
            id: r.uuid,
            created: r.created,
            updated: r.updated,
            edited: r.edited,
            label: std::mem::take(&mut c.label),
            username: std::mem::take(&mut c.username),
            password: std::mem::take(&mut c.password),
            notes: std::mem::take(&mut c.notes),
            custom_fields: std::mem::take(&mut c.custom_fields),
            url: std::mem::take(&mut c.url),
            status: r.status.level(),
            status_code: r.status,
            hash: r.hash.clone(),
            folder: r.folder,
            cse_key: r.cse_key.clone(),
            cse_type: r.cse_type.clone(),
            sse_type: r.sse_type.clone(),
            hidden: r.hidden,
            trashed: r.trashed,
            favorite: r.favorite,
            client: r.client.clone(),
        })
    }

    /// The folder object of a password: its folder, or the base folder when the folder is
    /// missing or hidden while the password is not.
    fn folder_of_password(&self, r: &PasswordRevision) -> CoreResult<FolderView> {
        match self.folders.as_ref().and_then(|f| f.get(&r.folder)) {
            Some((fm, fr)) if r.hidden || !fr.hidden => self.folder_model(fm, fr),
            _ => Ok(self.base_folder()),
        }
    }

    /// The tags of a password that its object shows: no hidden tags unless the password is
    /// hidden, no trashed tags unless it is trashed.
    fn tags_of_password<'a>(
        &'a self,
        id: PasswordId,
        r: &PasswordRevision,
    ) -> impl Iterator<Item = (&'a TagModel, &'a TagRevision)> + 'a {
        self.visible_tags(id, r.hidden, r.trashed)
    }

    /// The tags of password `id` shown for a password that is `hidden` and `trashed` or not.
    fn visible_tags(
        &self,
        id: PasswordId,
        hidden: bool,
        trashed: bool,
    ) -> impl Iterator<Item = (&TagModel, &TagRevision)> + '_ {
        let tags = self.tags.as_ref();
        self.tags_of
            .as_ref()
            .and_then(|t| t.get(&id))
            .into_iter()
            .flatten()
            .filter_map(move |t| tags.and_then(|all| all.get(t)))
            .filter(move |(_, tr)| (hidden || !tr.hidden) && (trashed || !tr.trashed))
            .map(|(m, r)| (m, r))
    }

    /// The ids of the tags a password's object shows (see [`View::password`]).
    /// `hidden` and `trashed` are the password's.
    pub fn tag_ids_of_password(
        &self,
        id: PasswordId,
        hidden: bool,
        trashed: bool,
    ) -> impl Iterator<Item = TagId> + '_ {
        self.visible_tags(id, hidden, trashed)
            .map(|(tm, _)| tm.uuid)
    }

    /// The `passwords` key of folders and tags: ids, or objects with `model` (and `tags`
    /// with `password-tags`).
    pub(super) fn password_list<'a>(
        &self,
        rows: impl Iterator<Item = &'a (PasswordModel, PasswordRevision)>,
        d: Details,
    ) -> CoreResult<PasswordList> {
        if d.passwords {
            let level = Details {
                tags: d.password_tags,
                ..Details::MODEL
            };
            Ok(PasswordList::Objects(
                rows.map(|(m, r)| self.password(m, r, level, None))
                    .collect::<CoreResult<Vec<_>>>()?,
            ))
        } else {
            Ok(PasswordList::Ids(rows.map(|(m, _)| m.uuid).collect()))
        }
    }
}
