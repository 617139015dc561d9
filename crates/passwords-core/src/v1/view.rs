//! Rows to v1 objects at a detail level.
//!
//! A [`View`] holds the user's key and, loaded once per request and only when a detail level
//! needs them, the user's folders, tags, relations and passwords, so that a list with
//! `model+tag-ids` costs three queries however many passwords there are.

use std::collections::HashMap;
use std::sync::Arc;

use passwords_store::{
    FolderModel, FolderRevision, PasswordModel, PasswordRevision, TagModel, TagRevision, Tx,
};
use passwords_types::v1::{
    FolderField, FolderList, FolderObject, FolderRef, FolderRevisionObject, FolderView,
    PasswordList, PasswordObject, PasswordRef, PasswordRevisionObject, PasswordView, TagList,
    TagObject, TagRef, TagRevisionObject, TagView,
};
use passwords_types::{FolderId, PasswordId, RevisionId, TagId, UserId};

use super::Details;
use crate::crypto::{open_field, FieldKey};
use crate::error::CoreResult;
use crate::vault::content::{PasswordContent, TagContent};
use crate::vault::{CSE_NONE, SSE_V1R2};

/// The client name of the virtual base folder.
const SYSTEM_CLIENT: &str = "CLIENT::SYSTEM";

/// What rendering needs, loaded lazily.
pub(super) struct View {
    pub key: Arc<FieldKey>,
    pub uid: UserId,
    pub now: i64,
    folders: Option<HashMap<FolderId, (FolderModel, FolderRevision)>>,
    /// Folder ids in list order, by parent.
    children: HashMap<FolderId, Vec<FolderId>>,
    tags: Option<HashMap<TagId, (TagModel, TagRevision)>>,
    /// Live relations: tags of each password and passwords of each tag, in insertion order.
    tags_of: Option<HashMap<PasswordId, Vec<TagId>>>,
    passwords_of: HashMap<TagId, Vec<PasswordId>>,
    passwords: Option<Vec<(PasswordModel, PasswordRevision)>>,
    password_index: HashMap<PasswordId, usize>,
}

/// What a set of detail levels needs loaded.
#[derive(Clone, Copy, Default)]
pub(super) struct Needs {
    pub folders: bool,
    pub tags: bool,
    pub passwords: bool,
}

impl Needs {
    pub fn of_password(d: Details) -> Needs {
        Needs {
            folders: d.folder,
            tags: d.tags || d.tag_ids,
            passwords: false,
        }
    }

    pub fn of_folder(d: Details) -> Needs {
        Needs {
            folders: d.parent || d.folders || d.folder_ids,
            tags: d.password_tags && d.passwords,
            passwords: d.passwords || d.password_ids,
        }
    }

    pub fn of_tag(d: Details) -> Needs {
        Needs {
            folders: false,
            tags: d.passwords || d.password_ids,
            passwords: d.passwords || d.password_ids,
        }
    }
}

impl View {
    pub fn new(key: Arc<FieldKey>, uid: &UserId) -> View {
        View {
            key,
            uid: uid.clone(),
            now: crate::clock::now(),
            folders: None,
            children: HashMap::new(),
            tags: None,
            tags_of: None,
            passwords_of: HashMap::new(),
            passwords: None,
            password_index: HashMap::new(),
        }
    }

    /// Loads what `needs` asks for (once).
    pub async fn load(&mut self, tx: &mut dyn Tx, needs: Needs) -> CoreResult<()> {
        if needs.folders && self.folders.is_none() {
            let rows = tx.list_folders(&self.uid).await?;
            let mut map = HashMap::with_capacity(rows.len());
            for (m, r) in rows {
                self.children.entry(r.parent).or_default().push(m.uuid);
                map.insert(m.uuid, (m, r));
            }
            self.folders = Some(map);
        }
        if needs.tags && self.tags.is_none() {
            let tags = tx.list_tags(&self.uid).await?;
            self.tags = Some(tags.into_iter().map(|(m, r)| (m.uuid, (m, r))).collect());
            let mut tags_of: HashMap<PasswordId, Vec<TagId>> = HashMap::new();
            for rel in tx.list_tag_links(&self.uid).await? {
                let list = tags_of.entry(rel.password).or_default();
                if !list.contains(&rel.tag) {
                    list.push(rel.tag);
                    self.passwords_of
                        .entry(rel.tag)
                        .or_default()
                        .push(rel.password);
                }
            }
            self.tags_of = Some(tags_of);
        }
        if needs.passwords && self.passwords.is_none() {
            let rows = tx.list_passwords(&self.uid).await?;
            self.password_index = rows
                .iter()
                .enumerate()
                .map(|(i, (m, _))| (m.uuid, i))
                .collect();
            self.passwords = Some(rows);
        }
        Ok(())
    }

    // ---- passwords ------------------------------------------------------------------------

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

    // ---- folders --------------------------------------------------------------------------

    /// The virtual base folder at level `d`.
    pub fn base_folder(&self) -> FolderView {
        FolderView::Model(Box::new(self.base_folder_object()))
    }

    fn base_folder_object(&self) -> FolderObject {
        FolderObject {
            id: FolderId::BASE,
            created: self.now,
            updated: self.now,
            edited: self.now,
            revision: RevisionId(*FolderId::BASE.as_uuid()),
            label: "Home".into(),
            parent: FolderField::Id(FolderId::BASE),
            cse_key: String::new(),
            cse_type: CSE_NONE.into(),
            sse_type: SSE_V1R2.into(),
            hidden: false,
            trashed: false,
            favorite: false,
            client: SYSTEM_CLIENT.into(),
            revisions: None,
            folders: None,
            passwords: None,
        }
    }

    fn folder_model(&self, m: &FolderModel, r: &FolderRevision) -> CoreResult<FolderView> {
        Ok(FolderView::Model(Box::new(self.folder_object(m, r)?)))
    }

    fn folder_object(&self, m: &FolderModel, r: &FolderRevision) -> CoreResult<FolderObject> {
        Ok(FolderObject {
            id: m.uuid,
            created: m.created,
            updated: m.updated,
            edited: r.edited,
            revision: r.uuid,
            label: open_field(&self.key, r.uuid.as_uuid(), "label", &r.label)?,
            parent: FolderField::Id(r.parent),
            cse_key: r.cse_key.clone(),
            cse_type: r.cse_type.clone(),
            sse_type: r.sse_type.clone(),
            hidden: r.hidden,
            trashed: r.trashed,
            favorite: r.favorite,
            client: r.client.clone(),
            revisions: None,
            folders: None,
            passwords: None,
        })
    }

    /// A folder at level `d`; `None` for the base folder. Load [`Needs::of_folder`] first.
    pub fn folder(
        &self,
        row: Option<(&FolderModel, &FolderRevision)>,
        d: Details,
        revisions: Option<&[FolderRevision]>,
    ) -> CoreResult<FolderView> {
        let (id, hidden, trashed) = match row {
            Some((m, r)) => (m.uuid, r.hidden, r.trashed),
            None => (FolderId::BASE, false, false),
        };
        let revisions = match revisions {
            Some(list) if d.revisions => Some(
                list.iter()
                    .map(|rev| self.folder_revision(rev))
                    .collect::<CoreResult<Vec<_>>>()?,
            ),
            _ => None,
        };
        let parent = if d.parent {
            let parent = row.map_or(FolderId::BASE, |(_, r)| r.parent);
            Some(match self.folders.as_ref().and_then(|f| f.get(&parent)) {
                Some((pm, pr)) if hidden || !pr.hidden => self.folder_model(pm, pr)?,
                _ => self.base_folder(),
            })
        } else {
            None
        };
        let folders = if d.folders || d.folder_ids {
            let kids = self
                .children
                .get(&id)
                .into_iter()
                .flatten()
                .filter(|k| **k != id)
                .filter_map(|k| self.folders.as_ref().and_then(|f| f.get(k)))
                .filter(|(_, r)| !r.trashed && (hidden || !r.hidden));
            Some(if d.folders {
                FolderList::Objects(
                    kids.map(|(m, r)| self.folder_model(m, r))
                        .collect::<CoreResult<Vec<_>>>()?,
                )
            } else {
                FolderList::Ids(kids.map(|(m, _)| m.uuid).collect())
            })
        } else {
            None
        };
        let passwords = if d.passwords || d.password_ids {
            let inside = self
                .passwords
                .iter()
                .flatten()
                .filter(|(_, r)| r.folder == id)
                .filter(|(_, r)| (hidden || !r.hidden) && (trashed || !r.trashed));
            Some(self.password_list(inside, d)?)
        } else {
            None
        };
        let Some((m, r)) = row.filter(|_| d.model) else {
            if d.model {
                let mut base = self.base_folder_object();
                base.revisions = revisions;
                if let Some(p) = parent {
                    base.parent = FolderField::Object(Box::new(p));
                }
                base.folders = folders;
                base.passwords = passwords;
                return Ok(FolderView::Model(Box::new(base)));
            }
            return Ok(FolderView::Ref(Box::new(FolderRef {
                id,
                revisions,
                parent: parent.map(Box::new),
                folders,
                passwords,
            })));
        };
        let mut object = self.folder_object(m, r)?;
        object.revisions = revisions;
        if let Some(p) = parent {
            object.parent = FolderField::Object(Box::new(p));
        }
        object.folders = folders;
        object.passwords = passwords;
        Ok(FolderView::Model(Box::new(object)))
    }

    fn folder_revision(&self, r: &FolderRevision) -> CoreResult<FolderRevisionObject> {
        Ok(FolderRevisionObject {
            id: r.uuid,
            created: r.created,
            updated: r.updated,
            edited: r.edited,
            label: open_field(&self.key, r.uuid.as_uuid(), "label", &r.label)?,
            parent: r.parent,
            cse_key: r.cse_key.clone(),
            cse_type: r.cse_type.clone(),
            sse_type: r.sse_type.clone(),
            hidden: r.hidden,
            trashed: r.trashed,
            favorite: r.favorite,
            client: r.client.clone(),
        })
    }

    /// The `passwords` key of folders and tags: ids, or objects with `model` (and `tags`
    /// with `password-tags`).
    fn password_list<'a>(
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

    // ---- tags -----------------------------------------------------------------------------

    /// A tag at level `d`. Load [`Needs::of_tag`] first.
    pub fn tag(&self, m: &TagModel, r: &TagRevision, d: Details) -> CoreResult<TagView> {
        self.tag_with(m, r, d, None)
    }

    pub fn tag_with(
        &self,
        m: &TagModel,
        r: &TagRevision,
        d: Details,
        revisions: Option<&[TagRevision]>,
    ) -> CoreResult<TagView> {
        let revisions = match revisions {
            Some(list) if d.revisions => Some(
                list.iter()
                    .map(|rev| self.tag_revision(rev))
                    .collect::<CoreResult<Vec<_>>>()?,
            ),
            _ => None,
        };
        let passwords = if d.passwords || d.password_ids {
            let all = self.passwords.as_deref().unwrap_or(&[]);
            let inside = self
                .passwords_of
                .get(&m.uuid)
                .into_iter()
                .flatten()
                .filter_map(|p| self.password_index.get(p).map(|i| &all[*i]))
                .filter(|(pm, _)| r.trashed || !pm.suspended)
                .filter(|(_, pr)| (r.hidden || !pr.hidden) && (r.trashed || !pr.trashed));
            Some(self.password_list(inside, d)?)
        } else {
            None
        };
        if !d.model {
            return Ok(TagView::Ref(Box::new(TagRef {
                id: m.uuid,
                revisions,
                passwords,
            })));
        }
        let mut c = TagContent::open(&self.key, r)?;
        Ok(TagView::Model(Box::new(TagObject {
            id: m.uuid,
            created: m.created,
            updated: m.updated,
            edited: r.edited,
            revision: r.uuid,
            label: std::mem::take(&mut c.label),
            color: std::mem::take(&mut c.color),
            cse_key: r.cse_key.clone(),
            cse_type: r.cse_type.clone(),
            sse_type: r.sse_type.clone(),
            hidden: r.hidden,
            trashed: r.trashed,
            favorite: r.favorite,
            client: r.client.clone(),
            revisions,
            passwords,
        })))
    }

    fn tag_revision(&self, r: &TagRevision) -> CoreResult<TagRevisionObject> {
        let mut c = TagContent::open(&self.key, r)?;
        Ok(TagRevisionObject {
            id: r.uuid,
            created: r.created,
            updated: r.updated,
            edited: r.edited,
            label: std::mem::take(&mut c.label),
            color: std::mem::take(&mut c.color),
            cse_key: r.cse_key.clone(),
            cse_type: r.cse_type.clone(),
            sse_type: r.sse_type.clone(),
            hidden: r.hidden,
            trashed: r.trashed,
            favorite: r.favorite,
            client: r.client.clone(),
        })
    }
}
