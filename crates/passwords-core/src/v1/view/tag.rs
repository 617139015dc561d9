//! Tags at a detail level.

use passwords_store::{TagModel, TagRevision};
use passwords_types::v1::{TagObject, TagRef, TagRevisionObject, TagView};

use super::View;
use crate::error::CoreResult;
use crate::v1::Details;
use crate::vault::content::TagContent;

impl View {
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
