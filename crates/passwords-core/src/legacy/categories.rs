//! Legacy category operations: tags seen as categories.

use passwords_store::{TagModel, TagRevision, Tx};
use passwords_types::legacy::{LegacyCategory, LegacyDeleted};
use passwords_types::{ObjectRef, RevisionId, TagId, UserId};

use super::view::{legacy_category, tag_visible};
use super::CategoryInput;
use crate::clock::now;
use crate::error::{CoreError, CoreResult};
use crate::vault::content::TagContent;
use crate::vault::{Actor, Vault, CSE_NONE, SSE_V1R2};

impl Vault {
    /// GET /categories: the visible tags (not hidden, trashed or encrypted), by ascending id.
    pub async fn legacy_list_categories(&self, uid: &UserId) -> CoreResult<Vec<LegacyCategory>> {
        let key = self.keys.user_key(&*self.store, uid).await?;
        let rows = self.store.conn().await?.list_tags(uid).await?;
        let mut out = Vec::with_capacity(rows.len());
        for (model, rev) in rows.iter().filter(|(_, r)| tag_visible(r)) {
            match legacy_category(&key, model, rev) {
                Ok(c) => out.push(c),
                Err(e) => tracing::error!(tag = model.id, error = %e, "skipping a category"),
            }
        }
        Ok(out)
    }

    /// GET /categories/{id}: by numeric id or UUID; invisible ones are not found.
    pub async fn legacy_show_category(
        &self,
        uid: &UserId,
        id: ObjectRef,
    ) -> CoreResult<LegacyCategory> {
        let key = self.keys.user_key(&*self.store, uid).await?;
        let (model, rev) = load(&mut *self.store.conn().await?, uid, id).await?;
        if !tag_visible(&rev) {
            return Err(CoreError::NotFound);
        }
        legacy_category(&key, &model, &rev)
    }

    /// POST /categories: a new tag. The colour is stored with a leading `#`.
    pub async fn legacy_create_category(
        &self,
        actor: &Actor,
        input: CategoryInput,
    ) -> CoreResult<LegacyCategory> {
        let uid = &actor.uid;
        let content = TagContent {
            label: required_name(&input)?,
            color: colour(&input, None),
        };
        let key = self.keys.user_key(&*self.store, uid).await?;
        let t = now();
        let model_id = TagId::new();
        let rev_id = RevisionId::new();
        let (label, color) = content.seal(&key, rev_id);
        let rev = TagRevision {
            uuid: rev_id,
            user_id: uid.clone(),
            model: model_id,
            label,
            color,
            cse_type: CSE_NONE.into(),
            cse_key: String::new(),
            sse_type: SSE_V1R2.into(),
            hidden: false,
            trashed: false,
            favorite: false,
            edited: t,
            client: actor.client.clone(),
            created: t,
            updated: t,
        };
        let mut model = TagModel {
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
        model.id = tx.insert_tag(&model).await?;
        tx.insert_tag_revision(&rev).await?;
        tx.commit().await?;
        legacy_category(&key, &model, &rev)
    }

    /// PUT /categories/{id}: a new revision with the new name and, if given, the new colour.
    pub async fn legacy_update_category(
        &self,
        actor: &Actor,
        id: ObjectRef,
        input: CategoryInput,
    ) -> CoreResult<LegacyCategory> {
        let uid = &actor.uid;
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut tx = self.store.begin().await?;
        tx.lock_user(uid).await?;
        self.keys.confirm(&mut *tx, uid, &key).await?;
        let (mut model, old) = load(&mut *tx, uid, id).await?;
        if !tag_visible(&old) {
            return Err(CoreError::NotFound);
        }
        let label = required_name(&input)?;
        let old_content = TagContent::open(&key, &old)?;
        let content = TagContent {
            label,
            color: colour(&input, Some(&old_content.color)),
        };
        let rev = write_revision(&mut *tx, &key, actor, &mut model, &old, &content, false).await?;
        tx.commit().await?;
        legacy_category(&key, &model, &rev)
    }

    /// DELETE /categories/{id}: moves the tag to the trash (there is no permanent delete).
    pub async fn legacy_delete_category(
        &self,
        actor: &Actor,
        id: ObjectRef,
    ) -> CoreResult<LegacyDeleted> {
        let uid = &actor.uid;
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut tx = self.store.begin().await?;
        tx.lock_user(uid).await?;
        self.keys.confirm(&mut *tx, uid, &key).await?;
        let (mut model, old) = load(&mut *tx, uid, id).await?;
        if !old.trashed {
            let content = TagContent::open(&key, &old)?;
            write_revision(&mut *tx, &key, actor, &mut model, &old, &content, true).await?;
            tx.commit().await?;
        }
        Ok(LegacyDeleted { id: model.id })
    }
}

async fn load(tx: &mut dyn Tx, uid: &UserId, id: ObjectRef) -> CoreResult<(TagModel, TagRevision)> {
    let model = tx.get_tag(uid, id).await?.ok_or(CoreError::NotFound)?;
    let rev = tx
        .get_tag_revision(uid, model.revision)
        .await?
        .ok_or_else(|| CoreError::Crypto(format!("tag {} has no current revision", model.id)))?;
    Ok((model, rev))
}

/// Writes a new current revision of a tag, copying the flags of `old`.
async fn write_revision(
    tx: &mut dyn Tx,
    key: &crate::crypto::FieldKey,
    actor: &Actor,
    model: &mut TagModel,
    old: &TagRevision,
    content: &TagContent,
    trashed: bool,
) -> CoreResult<TagRevision> {
    let t = now();
    let rev_id = RevisionId::new();
    let (label, color) = content.seal(key, rev_id);
    let rev = TagRevision {
        uuid: rev_id,
        label,
        color,
        trashed,
        edited: if trashed { old.edited } else { t },
        client: actor.client.clone(),
        created: t,
        updated: t,
        ..old.clone()
    };
    tx.insert_tag_revision(&rev).await?;
    model.revision = rev_id;
    model.updated = t;
    tx.update_tag(model).await?;
    Ok(rev)
}

fn required_name(input: &CategoryInput) -> CoreResult<String> {
    match &input.name {
        Some(n) if !n.is_empty() => Ok(n.clone()),
        _ => Err(CoreError::EmptyField("label")),
    }
}

/// The stored colour: `#` + the given colour text; without one, the old colour (update) or
/// just `#` (create), which the legacy API shows as `""`.
fn colour(input: &CategoryInput, old: Option<&str>) -> String {
    match (&input.colour, old) {
        (Some(c), _) => format!("#{c}"),
        (None, Some(old)) => old.to_owned(),
        (None, None) => "#".to_owned(),
    }
}
