//! v1 tag operations: list, find, show, create, update, delete, restore.

use passwords_store::{TagModel, TagRevision, Tx};
use passwords_types::v1::{Deleted, Mutated, TagView};
use passwords_types::{ObjectRef, RevisionId, TagId, UserId};

use super::find::{Criteria, Subject};
use super::rules::{check_encryption, edited, required, RevisionParam, FOLDER_HORIZON, OUTDATED};
use super::view::{Needs, View};
use super::{Details, TagInput};
use crate::clock::now;
use crate::crypto::FieldKey;
use crate::error::{CoreError, CoreResult};
use crate::vault::content::TagContent;
use crate::vault::{Actor, Vault, CSE_NONE, SSE_V1R2};

impl Vault {
    /// tag/list: every tag that is not hidden or trashed.
    pub async fn v1_list_tags(&self, uid: &UserId, details: Details) -> CoreResult<Vec<TagView>> {
        self.v1_find_tags(uid, &Criteria::default(), details).await
    }

    /// tag/find.
    pub async fn v1_find_tags(
        &self,
        uid: &UserId,
        criteria: &Criteria,
        details: Details,
    ) -> CoreResult<Vec<TagView>> {
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut conn = self.store.conn().await?;
        let rows = conn.list_tags(uid).await?;
        let mut view = View::new(key, uid);
        view.load(&mut *conn, Needs::of_tag(details)).await?;
        let mut revisions_of = if details.revisions {
            Some(super::by_model(conn.dump_tag_revisions(uid).await?, |r| {
                r.model
            }))
        } else {
            None
        };
        drop(conn);
        let mut out = Vec::with_capacity(rows.len());
        for (m, r) in &rows {
            if r.hidden || !criteria.matches(&subject(r)) {
                continue;
            }
            let revisions: Option<Vec<TagRevision>> = revisions_of
                .as_mut()
                .map(|all| all.remove(&m.uuid).unwrap_or_default());
            match view.tag_with(m, r, details, revisions.as_deref()) {
                Ok(t) => out.push(t),
                Err(e) => tracing::error!(tag = %m.uuid, error = %e, "skipping a tag"),
            }
        }
        Ok(out)
    }

    /// tag/show: one tag, hidden and trashed included.
    pub async fn v1_show_tag(
        &self,
        uid: &UserId,
        id: TagId,
        details: Details,
    ) -> CoreResult<TagView> {
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut conn = self.store.conn().await?;
        let (m, r) = load(&mut *conn, uid, id).await?;
        let mut view = View::new(key, uid);
        view.load(&mut *conn, Needs::of_tag(details)).await?;
        let revisions = if details.revisions {
            Some(
                conn.dump_tag_revisions(uid)
                    .await?
                    .into_iter()
                    .filter(|x| x.model == id)
                    .collect::<Vec<_>>(),
            )
        } else {
            None
        };
        drop(conn);
        view.tag_with(&m, &r, details, revisions.as_deref())
    }

    /// tag/create → `{id, revision}`.
    pub async fn v1_create_tag(&self, actor: &Actor, input: TagInput) -> CoreResult<Mutated> {
        let uid = &actor.uid;
        let content = content_of(&input)?;
        let key = self.keys.user_key(&*self.store, uid).await?;
        let t = now();
        let model_id = TagId::new();
        let rev_id = RevisionId::new();
        let rev = TagRevision {
            hidden: input.hidden.unwrap_or(false),
            favorite: input.favorite.unwrap_or(false),
            ..revision(
                &key,
                actor,
                model_id,
                rev_id,
                &content,
                edited(input.edited, t, FOLDER_HORIZON),
                t,
            )
        };
        let model = TagModel {
            id: 0,
            uuid: model_id,
            user_id: uid.clone(),
            revision: rev_id,
            deleted: false,
            created: t,
            updated: t,
        };
        let mut tx = self.store.begin().await?;
        tx.lock_user(uid).await?;
        self.keys.confirm(&mut *tx, uid, &key).await?;
        tx.insert_tag(&model).await?;
        tx.insert_tag_revision(&rev).await?;
        tx.commit().await?;
        Ok(Mutated {
            id: model_id.0,
            revision: rev_id,
        })
    }

    /// tag/update: a new revision with every field replaced; `trashed` stays.
    pub async fn v1_update_tag(
        &self,
        actor: &Actor,
        id: TagId,
        expected: RevisionParam,
        input: TagInput,
    ) -> CoreResult<Mutated> {
        let uid = &actor.uid;
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut tx = self.store.begin().await?;
        tx.lock_user(uid).await?;
        self.keys.confirm(&mut *tx, uid, &key).await?;
        let (mut model, old) = load(&mut *tx, uid, id).await?;
        if expected.is_stale(model.revision) {
            return Err(CoreError::Conflict(OUTDATED.into()));
        }
        let content = content_of(&input)?;
        let t = now();
        let rev_id = RevisionId::new();
        let rev = TagRevision {
            hidden: input.hidden.unwrap_or(false),
            favorite: input.favorite.unwrap_or(false),
            trashed: old.trashed,
            ..revision(
                &key,
                actor,
                id,
                rev_id,
                &content,
                edited(input.edited, t, FOLDER_HORIZON),
                t,
            )
        };
        tx.insert_tag_revision(&rev).await?;
        model.revision = rev_id;
        model.updated = t;
        tx.update_tag(&model).await?;
        if rev.hidden != old.hidden {
            rehide_relations(&mut *tx, actor, &rev, t).await?;
        }
        tx.commit().await?;
        Ok(Mutated {
            id: id.0,
            revision: rev_id,
        })
    }

    /// tag/delete: a live tag goes to the trash; a trashed one is deleted for good with its
    /// relations.
    pub async fn v1_delete_tag(
        &self,
        actor: &Actor,
        id: TagId,
        expected: RevisionParam,
    ) -> CoreResult<Deleted> {
        let uid = &actor.uid;
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut tx = self.store.begin().await?;
        tx.lock_user(uid).await?;
        self.keys.confirm(&mut *tx, uid, &key).await?;
        let (mut model, old) = load(&mut *tx, uid, id).await?;
        let t = now();
        if !old.trashed {
            let rev = TagRevision {
                trashed: true,
                ..copy_revision(&key, actor, &old, t)?
            };
            tx.insert_tag_revision(&rev).await?;
            model.revision = rev.uuid;
            model.updated = t;
            tx.update_tag(&model).await?;
            tx.commit().await?;
            return Ok(Deleted {
                id: id.0,
                revision: Some(rev.uuid),
            });
        }
        if expected.is_stale(model.revision) {
            return Err(CoreError::InvalidInput(OUTDATED.into()));
        }
        for rel in tx.list_relations(uid).await? {
            if rel.tag == id {
                tx.delete_relation(uid, rel.uuid, t).await?;
            }
        }
        model.deleted = true;
        model.updated = t;
        tx.update_tag(&model).await?;
        tx.commit().await?;
        Ok(Deleted {
            id: id.0,
            revision: None,
        })
    }

    /// tag/restore: the current (or a given older) revision, not trashed, becomes current.
    pub async fn v1_restore_tag(
        &self,
        actor: &Actor,
        id: TagId,
        revision: RevisionParam,
    ) -> CoreResult<Mutated> {
        let uid = &actor.uid;
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut tx = self.store.begin().await?;
        tx.lock_user(uid).await?;
        self.keys.confirm(&mut *tx, uid, &key).await?;
        let (mut model, current) = load(&mut *tx, uid, id).await?;
        let source = match revision {
            RevisionParam::None => current.clone(),
            RevisionParam::Id(r) if r == current.uuid => current.clone(),
            RevisionParam::Id(r) => match tx.get_tag_revision(uid, r).await? {
                Some(rev) if rev.model == id => rev,
                _ => return Err(CoreError::InvalidInput("Invalid revision id".into())),
            },
            RevisionParam::Invalid => {
                return Err(CoreError::InvalidInput("Invalid revision id".into()))
            }
        };
        if source.uuid == current.uuid && !current.trashed {
            return Ok(Mutated {
                id: id.0,
                revision: current.uuid,
            });
        }
        let t = now();
        let rev = TagRevision {
            trashed: false,
            ..copy_revision(&key, actor, &source, t)?
        };
        tx.insert_tag_revision(&rev).await?;
        model.revision = rev.uuid;
        model.updated = t;
        tx.update_tag(&model).await?;
        if rev.hidden != current.hidden {
            rehide_relations(&mut *tx, actor, &rev, t).await?;
        }
        tx.commit().await?;
        Ok(Mutated {
            id: id.0,
            revision: rev.uuid,
        })
    }
}

fn subject(r: &TagRevision) -> Subject<'_> {
    Subject {
        created: r.created,
        updated: r.updated,
        edited: r.edited,
        cse_type: &r.cse_type,
        sse_type: &r.sse_type,
        status: 0,
        trashed: r.trashed,
        favorite: r.favorite,
        parent: None,
    }
}

async fn load(tx: &mut dyn Tx, uid: &UserId, id: TagId) -> CoreResult<(TagModel, TagRevision)> {
    let model = tx
        .get_tag(uid, ObjectRef::Uuid(id.0))
        .await?
        .ok_or(CoreError::NotFound)?;
    let rev = tx
        .get_tag_revision(uid, model.revision)
        .await?
        .ok_or_else(|| CoreError::Crypto(format!("tag {id} has no current revision")))?;
    Ok((model, rev))
}

/// Encryption type checked, label and colour required.
fn content_of(input: &TagInput) -> CoreResult<TagContent> {
    check_encryption(input.cse_type.as_deref(), input.cse_key.as_deref())?;
    Ok(TagContent {
        label: required(&input.label, "label")?,
        color: required(&input.color, "color")?,
    })
}

fn revision(
    key: &FieldKey,
    actor: &Actor,
    model: TagId,
    rev_id: RevisionId,
    content: &TagContent,
    edited: i64,
    now: i64,
) -> TagRevision {
    let (label, color) = content.seal(key, rev_id);
    TagRevision {
        uuid: rev_id,
        user_id: actor.uid.clone(),
        model,
        label,
        color,
        cse_type: CSE_NONE.into(),
        cse_key: String::new(),
        sse_type: SSE_V1R2.into(),
        hidden: false,
        trashed: false,
        favorite: false,
        edited,
        client: actor.client.clone(),
        created: now,
        updated: now,
    }
}

fn copy_revision(
    key: &FieldKey,
    actor: &Actor,
    old: &TagRevision,
    now: i64,
) -> CoreResult<TagRevision> {
    let content = TagContent::open(key, old)?;
    let rev_id = RevisionId::new();
    let (label, color) = content.seal(key, rev_id);
    Ok(TagRevision {
        uuid: rev_id,
        label,
        color,
        client: actor.client.clone(),
        created: now,
        updated: now,
        ..old.clone()
    })
}

/// After a tag's `hidden` changed: each of its relations gets `hidden` = password hidden or
/// tag hidden (relations are replaced, as they are not versioned).
async fn rehide_relations(
    tx: &mut dyn Tx,
    actor: &Actor,
    rev: &TagRevision,
    now: i64,
) -> CoreResult<()> {
    let uid = &actor.uid;
    for rel in tx.list_relations(uid).await? {
        if rel.tag != rev.model {
            continue;
        }
        let pw_hidden = match tx
            .get_password_with_revision(uid, ObjectRef::Uuid(rel.password.0))
            .await?
        {
            Some((_, pr)) => pr.hidden,
            None => continue,
        };
        let hidden = pw_hidden || rev.hidden;
        if rel.hidden == hidden {
            continue;
        }
        tx.delete_relation(uid, rel.uuid, now).await?;
        tx.insert_relation(&passwords_store::RelationRecord {
            uuid: uuid::Uuid::new_v4(),
            hidden,
            tag_revision: rev.uuid,
            client: actor.client.clone(),
            created: now,
            updated: now,
            ..rel
        })
        .await?;
    }
    Ok(())
}
