//! Legacy password operations: index, show, create, update, delete.

use passwords_store::{PasswordModel, PasswordRevision, RelationRecord, Tx};
use passwords_types::legacy::LegacyPassword;
use passwords_types::{FolderId, ObjectRef, PasswordId, RevisionId, SecurityStatus, TagId, UserId};

use super::host::auto_label;
use super::view::{
    categories_by_password, category_of, legacy_list_json, legacy_password, password_visible,
    tag_visible,
};
use super::{CategoryRef, PasswordInput};
use crate::clock::now;
use crate::crypto::FieldKey;
use crate::error::{CoreError, CoreResult};
use crate::settings::UserSettings;
use crate::vault::content::PasswordContent;
use crate::vault::security::{
    check_breach, evaluate, password_hash, refresh_duplicates, Candidate,
};
use crate::vault::{Actor, Vault, CSE_NONE, SSE_V1R2};

/// What DELETE did.
#[derive(Debug, Clone, PartialEq)]
pub enum DeleteOutcome {
    /// A live password was moved to the trash.
    Trashed(Box<LegacyPassword>),
    /// A trashed password was deleted for good.
    Purged(i64),
}

impl Vault {
    /// GET /passwords: every visible password, trashed ones included, by ascending id, as
    /// the JSON text of a [`passwords_types::legacy::LegacyPasswordList`] (written straight
    /// from the opened fields, see [`passwords_types::legacy::LegacyListWriter`]).
    pub async fn legacy_list_passwords(&self, uid: &UserId) -> CoreResult<Vec<u8>> {
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut conn = self.store.conn().await?;
        let rows = conn.list_password_summaries(uid).await?;
        let categories = categories_by_password(&mut *conn, uid).await?;
        // Back to the pool before the work that needs no database.
        drop(conn);
        Ok(legacy_list_json(&key, uid, &rows, &categories))
    }

    /// GET /passwords/{id}: by numeric id or UUID; hidden or encrypted ones are not found.
    pub async fn legacy_show_password(
        &self,
        uid: &UserId,
        id: ObjectRef,
    ) -> CoreResult<LegacyPassword> {
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut conn = self.store.conn().await?;
        let (model, rev) = load(&mut *conn, uid, id).await?;
        if !password_visible(&rev) {
            return Err(CoreError::NotFound);
        }
        render(&mut *conn, &key, &model, &rev).await
    }

    /// POST /passwords: a new password in the base folder with its first revision.
    pub async fn legacy_create_password(
        &self,
        actor: &Actor,
        input: PasswordInput,
    ) -> CoreResult<LegacyPassword> {
        let uid = &actor.uid;
        let pass = required_password(&input)?;
        let username = input.loginname.clone().unwrap_or_default();
        let url = input.address.clone().unwrap_or_default();
        let key = self.keys.user_key(&*self.store, uid).await?;
        let settings = UserSettings::load(&mut *self.store.conn().await?, uid).await?;
        let hash = password_hash(&pass, settings.hash_length);
        let breached = check_breach(&*self.breach, &hash).await;

        let t = now();
        let model_id = PasswordId::new();
        let content = PasswordContent {
            label: auto_label(&url, &username),
            username,
            password: pass,
            url,
            notes: input.notes.clone().unwrap_or_default(),
            custom_fields: "[]".into(),
        };
        let mut tx = self.store.begin().await?;
        tx.lock_user(uid).await?;
        self.keys.confirm(&mut *tx, uid, &key).await?;
        let candidate = Candidate {
            password: model_id,
            hash: &hash,
            breached,
            edited: t,
        };
        let status = evaluate(&mut *tx, &settings, uid, candidate, t).await?;
        let rev_id = RevisionId::new();
        let rev = new_revision(&key, actor, model_id, rev_id, &content, hash.clone(), t, t);
        let rev = PasswordRevision {
            status,
            folder: FolderId::BASE,
            ..rev
        };
        let mut model = PasswordModel {
            id: 0,
            uuid: model_id,
            user_id: uid.clone(),
            revision: rev_id,
            share_id: None,
            has_shares: false,
            editable: true,
            suspended: false,
            deleted: false,
            created: t,
            updated: t,
        };
        model.id = tx.insert_password_with_revision(&model, &rev).await?;
        if let CategoryRef::Id(tag) = input.category {
            set_category(&mut *tx, actor, &model, &rev, Some(tag), t).await?;
        }
        // Only a duplicate has others to flag; otherwise no other password has this hash.
        if status == SecurityStatus::Duplicate {
            refresh_duplicates(&mut *tx, &settings, uid, &hash, t).await?;
        }
        tx.commit().await?;
        self.legacy_show_password(uid, ObjectRef::Numeric(model.id))
            .await
    }

    /// PUT /passwords/{id}: a new revision replacing password, username, url and notes.
    /// Returns `None` when the password is not visible to the legacy API afterwards.
    pub async fn legacy_update_password(
        &self,
        actor: &Actor,
        id: ObjectRef,
        input: PasswordInput,
    ) -> CoreResult<Option<LegacyPassword>> {
        let uid = &actor.uid;
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut conn = self.store.conn().await?;
        let (model, old) = load(&mut *conn, uid, id).await?;
        if !model.editable {
            return Err(CoreError::NotWritable);
        }
        if old.cse_type != CSE_NONE || !matches!(old.sse_type.as_str(), "SSEv1r1" | "SSEv1r2") {
            return Err(CoreError::UnsupportedEncryption);
        }
        let pass = required_password(&input)?;
        let settings = UserSettings::load(&mut *conn, uid).await?;
        drop(conn);
        let old_content = PasswordContent::open(&key, &old)?;
        let username = input.loginname.clone().unwrap_or_default();
        let url = input.address.clone().unwrap_or_default();
        let label = if old_content.label == auto_label(&old_content.url, &old_content.username) {
            auto_label(&url, &username)
        } else {
            old_content.label.clone()
        };
        let t = now();
        let edited = if pass == old_content.password {
            old.edited
        } else {
            t
        };
        let hash = password_hash(&pass, settings.hash_length);
        let breached = if hash == old.hash {
            None
        } else {
            check_breach(&*self.breach, &hash).await
        };
        let content = PasswordContent {
            label,
            username,
            password: pass,
            url,
            notes: input.notes.clone().unwrap_or_default(),
            custom_fields: old_content.custom_fields.clone(),
        };

        let mut tx = self.store.begin().await?;
        tx.lock_user(uid).await?;
        self.keys.confirm(&mut *tx, uid, &key).await?;
        // Re-read inside the transaction: the row may have changed since.
        let (mut model, old) = load(&mut *tx, uid, ObjectRef::Numeric(model.id)).await?;
        let status = if hash == old.hash && !hash.is_empty() {
            old.status
        } else {
            let candidate = Candidate {
                password: model.uuid,
                hash: &hash,
                breached,
                edited,
            };
            evaluate(&mut *tx, &settings, uid, candidate, t).await?
        };
        let rev_id = RevisionId::new();
        let rev = new_revision(
            &key,
            actor,
            model.uuid,
            rev_id,
            &content,
            hash.clone(),
            edited,
            t,
        );
        let rev = PasswordRevision {
            status,
            folder: old.folder,
            hidden: old.hidden,
            favorite: old.favorite,
            trashed: input.deleted.unwrap_or(old.trashed),
            ..rev
        };
        tx.insert_password_revision(&rev).await?;
        model.revision = rev_id;
        model.updated = t;
        tx.update_password(&model).await?;
        let wanted = match input.category {
            CategoryRef::Id(tag) => Some(tag),
            CategoryRef::None => None,
            // A value that names no category changes nothing, like an unknown id.
            CategoryRef::Unknown => Some(ObjectRef::Numeric(-1)),
        };
        set_category(&mut *tx, actor, &model, &rev, wanted, t).await?;
        if old.hash != hash {
            refresh_duplicates(&mut *tx, &settings, uid, &old.hash, t).await?;
        }
        if rev.status == SecurityStatus::Duplicate {
            refresh_duplicates(&mut *tx, &settings, uid, &hash, t).await?;
        }
        tx.commit().await?;
        if !password_visible(&rev) {
            return Ok(None);
        }
        self.legacy_show_password(uid, ObjectRef::Numeric(model.id))
            .await
            .map(Some)
    }

    /// DELETE /passwords/{id}: trashes a live password, purges a trashed one.
    pub async fn legacy_delete_password(
        &self,
        actor: &Actor,
        id: ObjectRef,
    ) -> CoreResult<DeleteOutcome> {
        let uid = &actor.uid;
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut tx = self.store.begin().await?;
        tx.lock_user(uid).await?;
        self.keys.confirm(&mut *tx, uid, &key).await?;
        let (mut model, old) = match load(&mut *tx, uid, id).await {
            Ok(found) => found,
            Err(CoreError::NotFound) => return Err(CoreError::ResourceNotFound),
            Err(e) => return Err(e),
        };
        if !model.editable {
            return Err(CoreError::NotWritable);
        }
        let t = now();
        if !old.trashed {
            let rev_id = RevisionId::new();
            let content = PasswordContent::open(&key, &old)?;
            let rev = new_revision(
                &key,
                actor,
                model.uuid,
                rev_id,
                &content,
                old.hash.clone(),
                old.edited,
                t,
            );
            let rev = PasswordRevision {
                status: old.status,
                folder: old.folder,
                hidden: old.hidden,
                favorite: old.favorite,
                cse_type: old.cse_type.clone(),
                cse_key: old.cse_key.clone(),
                trashed: true,
                ..rev
            };
            tx.insert_password_revision(&rev).await?;
            model.revision = rev_id;
            model.updated = t;
            tx.update_password(&model).await?;
            tx.commit().await?;
            let shown = self
                .legacy_show_password(uid, ObjectRef::Numeric(model.id))
                .await?;
            return Ok(DeleteOutcome::Trashed(Box::new(shown)));
        }
        let hashes: Vec<String> = tx
            .list_password_revisions(uid, model.uuid)
            .await?
            .into_iter()
            .map(|r| r.hash)
            .collect();
        model.deleted = true;
        model.updated = t;
        tx.update_password(&model).await?;
        tx.delete_password_revisions(uid, model.uuid).await?;
        tx.delete_relations_of_password(uid, model.uuid, t).await?;
        tx.delete_shares_of_password(uid, model.uuid, t).await?;
        let settings = UserSettings::load(&mut *tx, uid).await?;
        let mut seen = std::collections::HashSet::new();
        let hashes: Vec<&str> = hashes
            .iter()
            .map(String::as_str)
            .filter(|h| seen.insert(*h))
            .collect();
        for h in &hashes {
            refresh_duplicates(&mut *tx, &settings, uid, h, t).await?;
        }
        tx.commit().await?;
        Ok(DeleteOutcome::Purged(model.id))
    }
}

/// The password `id` of `uid` with its current revision, or `NotFound`.
async fn load(
    tx: &mut dyn Tx,
    uid: &UserId,
    id: ObjectRef,
) -> CoreResult<(PasswordModel, PasswordRevision)> {
    if let Some(found) = tx.get_password_with_revision(uid, id).await? {
        return Ok(found);
    }
    // Missing, or (corrupt) without its current revision: say which.
    match tx.get_password(uid, id).await? {
        None => Err(CoreError::NotFound),
        Some(model) => Err(CoreError::Crypto(format!(
            "password {} has no current revision",
            model.id
        ))),
    }
}

async fn render(
    tx: &mut dyn Tx,
    key: &FieldKey,
    model: &PasswordModel,
    rev: &PasswordRevision,
) -> CoreResult<LegacyPassword> {
    let relations = tx
        .list_relations_of_password(&model.user_id, model.uuid)
        .await?;
    let category = category_of(tx, &model.user_id, &relations)
        .await?
        .map_or(0, |(_, id)| id);
    legacy_password(key, model, rev, category)
}

fn required_password(input: &PasswordInput) -> CoreResult<String> {
    match &input.pass {
        Some(p) if !p.is_empty() => Ok(p.clone()),
        _ => Err(CoreError::EmptyField("password")),
    }
}

#[allow(clippy::too_many_arguments)]
fn new_revision(
    key: &FieldKey,
    actor: &Actor,
    model: PasswordId,
    rev_id: RevisionId,
    content: &PasswordContent,
    hash: String,
    edited: i64,
    now: i64,
) -> PasswordRevision {
    let sealed = content.seal(key, rev_id);
    PasswordRevision {
        uuid: rev_id,
        user_id: actor.uid.clone(),
        model,
        folder: FolderId::BASE,
        label: sealed.label,
        username: sealed.username,
        password: sealed.password,
        url: sealed.url,
        notes: sealed.notes,
        custom_fields: sealed.custom_fields,
        hash,
        cse_type: CSE_NONE.into(),
        cse_key: String::new(),
        sse_type: SSE_V1R2.into(),
        status: passwords_types::SecurityStatus::NotChecked,
        hidden: false,
        trashed: false,
        favorite: false,
        edited,
        client: actor.client.clone(),
        created: now,
        updated: now,
    }
}

/// Makes `wanted` the legacy category of the password (attaching the tag if needed), or
/// removes the current category when `wanted` is `None`. An id that names no visible tag of
/// the user changes nothing.
async fn set_category(
    tx: &mut dyn Tx,
    actor: &Actor,
    model: &PasswordModel,
    rev: &PasswordRevision,
    wanted: Option<ObjectRef>,
    now: i64,
) -> CoreResult<()> {
    let uid = &actor.uid;
    let relations = tx.list_relations_of_password(uid, model.uuid).await?;
    let current = category_of(tx, uid, &relations)
        .await?
        .map(|(r, _)| (r.uuid, r.tag));
    let Some(wanted) = wanted else {
        if let Some((rel, _)) = current {
            tx.delete_relation(uid, rel, now).await?;
        }
        return Ok(());
    };
    let Some(tag) = tx.get_tag(uid, wanted).await? else {
        return Ok(());
    };
    let visible = tx
        .get_tag_revision(uid, tag.revision)
        .await?
        .is_some_and(|r| tag_visible(&r));
    if !visible {
        return Ok(());
    }
    if current.is_some_and(|(_, t)| t == tag.uuid) {
        return Ok(());
    }
    if let Some((rel, _)) = current {
        tx.delete_relation(uid, rel, now).await?;
    }
    if !relations.iter().any(|r| r.tag == tag.uuid && !r.deleted) {
        attach(tx, actor, model, rev, tag.uuid, tag.revision, now).await?;
    }
    Ok(())
}

async fn attach(
    tx: &mut dyn Tx,
    actor: &Actor,
    model: &PasswordModel,
    rev: &PasswordRevision,
    tag: TagId,
    tag_revision: RevisionId,
    now: i64,
) -> CoreResult<()> {
    let rel = RelationRecord {
        uuid: uuid::Uuid::new_v4(),
        user_id: actor.uid.clone(),
        password: model.uuid,
        password_revision: rev.uuid,
        tag,
        tag_revision,
        hidden: rev.hidden,
        client: actor.client.clone(),
        deleted: false,
        created: now,
        updated: now,
    };
    tx.insert_relation(&rel).await?;
    Ok(())
}
