//! Folders at a detail level, and the virtual base folder.

use passwords_store::{FolderModel, FolderRevision};
use passwords_types::v1::{
    FolderField, FolderList, FolderObject, FolderRef, FolderRevisionObject, FolderView,
};
use passwords_types::{FolderId, RevisionId};

use super::{View, SYSTEM_CLIENT};
use crate::crypto::open_field;
use crate::error::CoreResult;
use crate::v1::Details;
use crate::vault::{CSE_NONE, SSE_V1R2};

impl View {
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

    pub(super) fn folder_model(
        &self,
        m: &FolderModel,
        r: &FolderRevision,
    ) -> CoreResult<FolderView> {
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
}
