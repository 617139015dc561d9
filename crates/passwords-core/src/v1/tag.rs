//! v1 tags: what is a tag's own. Create and update (label and colour); deleting for good
//! takes the tag's relations along; a change of `hidden` re-hides its relations. The rest is
//! shared (`ops`).

use async_trait::async_trait;
use passwords_store::{TagModel, TagRevision, Tx};
use passwords_types::v1::{Mutated, TagView};
use passwords_types::{ObjectRef, RevisionId, TagId, UserId};

use super::find::{Resource, Subject};
use super::kind::{Kind, Listed, Stored};
use super::ops::{begin, load_for_update, make_current, revisions_of};
use super::rules::{check_encryption, edited, required, RevisionParam, FOLDER_HORIZON};
use super::view::{Needs, View};
use super::{Details, TagInput};
use crate::clock::now;
use crate::crypto::FieldKey;
use crate::error::{CoreError, CoreResult};
use crate::vault::content::TagContent;
use crate::vault::{Actor, Vault, CSE_NONE, SSE_V1R2};

/// The tag kind.
pub struct Tags;

#[async_trait]
impl Kind for Tags {
    type Id = TagId;
    type Input = TagInput;
    type View = TagView;
    const RESOURCE: Resource = Resource::Tag;

    /// tag/create.
    async fn create(vault: &Vault, actor: &Actor, input: TagInput) -> CoreResult<Mutated> {
        let uid = &actor.uid;
        let content = content_of(&input)?;
        let key = vault.keys.user_key(&*vault.store, uid).await?;
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
        let mut tx = begin(vault, uid, &key).await?;
        tx.insert_tag(&model).await?;
        tx.insert_tag_revision(&rev).await?;
        tx.commit().await?;
        Ok(Mutated {
            id: model_id.0,
            revision: rev_id,
        })
    }

    /// tag/update: a change of `hidden` re-hides the tag's relations.
    async fn update(
        vault: &Vault,
        actor: &Actor,
        id: TagId,
        expected: RevisionParam,
        input: TagInput,
    ) -> CoreResult<Mutated> {
        let uid = &actor.uid;
        let key = vault.keys.user_key(&*vault.store, uid).await?;
        let mut tx = begin(vault, uid, &key).await?;
        let (mut model, old) = load_for_update::<Self>(&mut *tx, uid, id, expected).await?;
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
        make_current::<Self>(&mut *tx, &mut model, &rev, t).await?;
        if rev.hidden != old.hidden {
            rehide_relations(&mut *tx, actor, &rev, t).await?;
        }
        tx.commit().await?;
        Ok(Mutated {
            id: id.0,
            revision: rev_id,
        })
    }
}

#[async_trait]
impl Stored for Tags {
    type Model = TagModel;
    type Revision = TagRevision;
    type Scope = ();

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

    async fn revisions(tx: &mut dyn Tx, uid: &UserId, id: TagId) -> CoreResult<Vec<TagRevision>> {
        revisions_of::<Self>(tx, uid, id).await
    }

    fn copy(key: &FieldKey, actor: &Actor, old: &TagRevision, now: i64) -> CoreResult<TagRevision> {
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

    fn needs(details: Details) -> Needs {
        Needs::of_tag(details)
    }

    fn render(
        view: &View,
        model: &TagModel,
        rev: &TagRevision,
        details: Details,
        revisions: Option<&[TagRevision]>,
    ) -> CoreResult<TagView> {
        view.tag_with(model, rev, details, revisions)
    }

    async fn scope(_tx: &mut dyn Tx, _uid: &UserId) -> CoreResult<()> {
        Ok(())
    }

    /// The tag for good, with its relations.
    async fn purge(
        tx: &mut dyn Tx,
        uid: &UserId,
        _scope: &(),
        mut model: TagModel,
        now: i64,
    ) -> CoreResult<()> {
        for rel in tx.list_relations(uid).await? {
            if rel.tag == model.uuid {
                tx.delete_relation(uid, rel.uuid, now).await?;
            }
        }
        model.deleted = true;
        model.updated = now;
        tx.update_tag(&model).await?;
        tx.delete_tag_revisions(uid, model.uuid).await?;
        Ok(())
    }

    async fn restored(
        tx: &mut dyn Tx,
        actor: &Actor,
        _scope: &(),
        current: &TagRevision,
        rev: &TagRevision,
        now: i64,
    ) -> CoreResult<()> {
        if rev.hidden != current.hidden {
            rehide_relations(tx, actor, rev, now).await?;
        }
        Ok(())
    }
}

#[async_trait]
impl Listed for Tags {
    async fn rows(tx: &mut dyn Tx, uid: &UserId) -> CoreResult<Vec<(TagModel, TagRevision)>> {
        Ok(tx.list_tags(uid).await?)
    }

    async fn all_revisions(tx: &mut dyn Tx, uid: &UserId) -> CoreResult<Vec<TagRevision>> {
        Ok(tx.dump_tag_revisions(uid).await?)
    }

    /// Tags are never suspended.
    fn listed(_model: &TagModel, rev: &TagRevision) -> bool {
        !rev.hidden
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

    fn skipped(model: &TagModel, error: &CoreError) {
        tracing::error!(tag = %model.uuid, error = %error, "skipping a tag");
    }
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
