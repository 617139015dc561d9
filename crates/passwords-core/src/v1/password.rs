//! v1 password operations: show, create, update, delete, restore (list and find are in
//! `password_list`).

use std::collections::HashSet;

use passwords_store::{PasswordModel, PasswordRevision, RelationRecord, TagRevision, Tx};
use passwords_types::v1::{Deleted, Mutated, PasswordView};
use passwords_types::{PasswordId, RevisionId, SecurityStatus, TagId, UserId};

use super::rules::{
    check_encryption, edited, folder_relation, purge_password, required, RevisionParam, OUTDATED,
    PASSWORD_HORIZON,
};
use super::view::{Needs, View};
use super::{Details, PasswordInput};
use crate::clock::now;
use crate::crypto::FieldKey;
use crate::error::{CoreError, CoreResult};
use crate::settings::UserSettings;
use crate::vault::content::PasswordContent;
use crate::vault::security::{
    check_breach, evaluate, password_hash, refresh_duplicates, Candidate,
};
use crate::vault::{Actor, Vault, CSE_NONE, SSE_V1R2};

impl Vault {
    /// password/show: one password, hidden and trashed ones included.
    pub async fn v1_show_password(
        &self,
        uid: &UserId,
        id: PasswordId,
        details: Details,
    ) -> CoreResult<PasswordView> {
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut conn = self.store.conn().await?;
        let (m, r) = load(&mut *conn, uid, id).await?;
        let mut view = View::new(key, uid);
        view.load(&mut *conn, Needs::of_password(details)).await?;
        let revisions = if details.revisions {
            Some(conn.list_password_revisions(uid, id).await?)
        } else {
            None
        };
        drop(conn);
        view.password(&m, &r, details, revisions.as_deref())
    }

    /// password/create: a new password with its first revision and tags → `{id, revision}`.
    pub async fn v1_create_password(
        &self,
        actor: &Actor,
        input: PasswordInput,
    ) -> CoreResult<Mutated> {
        let uid = &actor.uid;
        check_encryption(input.cse_type.as_deref(), input.cse_key.as_deref())?;
        let content = content_of(&input)?;
        let key = self.keys.user_key(&*self.store, uid).await?;
        let settings = UserSettings::load(&mut *self.store.conn().await?, uid).await?;
        let hash = password_hash(&content.password, settings.hash_length);
        let breached = check_breach(&*self.breach, &hash).await;
        let t = now();
        let hidden = input.hidden.unwrap_or(false);
        let model_id = PasswordId::new();
        let rev_id = RevisionId::new();

        let mut tx = self.store.begin().await?;
        tx.lock_user(uid).await?;
        self.keys.confirm(&mut *tx, uid, &key).await?;
        let tags = resolve_tags(&mut *tx, uid, input.tags.as_deref()).await?;
        let folder = folder_relation(&mut *tx, uid, input.folder.as_deref(), hidden).await?;
        let edited = edited(input.edited, t, PASSWORD_HORIZON);
        let candidate = Candidate {
            password: model_id,
            hash: &hash,
            breached,
            edited,
        };
        let status = evaluate(&mut *tx, &settings, uid, candidate, t).await?;
        let rev = PasswordRevision {
            folder,
            status,
            hidden,
            favorite: input.favorite.unwrap_or(false),
            ..revision(
                &key,
                actor,
                model_id,
                rev_id,
                &content,
                hash.clone(),
                edited,
                t,
            )
        };
        let model = PasswordModel {
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
        tx.insert_password(&model).await?;
        tx.insert_password_revision(&rev).await?;
        for (tag, tag_rev) in &tags {
            attach(&mut *tx, actor, &rev, *tag, tag_rev, t).await?;
        }
        if status == SecurityStatus::Duplicate {
            refresh_duplicates(&mut *tx, &settings, uid, &hash, t).await?;
        }
        tx.commit().await?;
        Ok(Mutated {
            id: model_id.0,
            revision: rev_id,
        })
    }

    /// password/update: a new revision replacing every field (missing ones get their
    /// defaults); `trashed` stays. A stale `revision` → 409.
    pub async fn v1_update_password(
        &self,
        actor: &Actor,
        id: PasswordId,
        expected: RevisionParam,
        input: PasswordInput,
    ) -> CoreResult<Mutated> {
        let uid = &actor.uid;
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut conn = self.store.conn().await?;
        let (_, before) = load(&mut *conn, uid, id).await?;
        check_encryption(input.cse_type.as_deref(), input.cse_key.as_deref())?;
        let mut content = content_of(&input)?;
        let settings = UserSettings::load(&mut *conn, uid).await?;
        drop(conn);
        let hash = password_hash(&content.password, settings.hash_length);
        let breached = if hash == before.hash {
            None
        } else {
            check_breach(&*self.breach, &hash).await
        };
        let t = now();

        let mut tx = self.store.begin().await?;
        tx.lock_user(uid).await?;
        self.keys.confirm(&mut *tx, uid, &key).await?;
        let (mut model, old) = load(&mut *tx, uid, id).await?;
        if expected.is_stale(model.revision) {
            return Err(CoreError::Conflict(OUTDATED.into()));
        }
        let tags = match input.tags.as_deref() {
            None | Some([]) => None,
            Some(list) => Some(resolve_tags(&mut *tx, uid, Some(list)).await?),
        };
        let mut hidden = input.hidden.unwrap_or(false);
        let mut hash = hash;
        if !model.editable {
            // A read-only share keeps its content; only folder, hidden, favorite and tags move.
            content = PasswordContent::open(&key, &old)?;
            hash = old.hash.clone();
            hidden = false;
        }
        let given = input.edited.unwrap_or(0);
        let edited = if hash != old.hash {
            if given <= old.edited {
                t
            } else {
                edited(Some(given), t, PASSWORD_HORIZON)
            }
        } else if given == 0 {
            old.edited
        } else {
            edited(Some(given), t, PASSWORD_HORIZON)
        };
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
        let folder = folder_relation(&mut *tx, uid, input.folder.as_deref(), hidden).await?;
        let rev_id = RevisionId::new();
        let rev = PasswordRevision {
            folder,
            status,
            hidden,
            favorite: input.favorite.unwrap_or(false),
            trashed: old.trashed,
            ..revision(
                &key,
                actor,
                model.uuid,
                rev_id,
                &content,
                hash.clone(),
                edited,
                t,
            )
        };
        tx.insert_password_revision(&rev).await?;
        model.revision = rev_id;
        model.updated = t;
        tx.update_password(&model).await?;
        sync_relations(&mut *tx, actor, &rev, tags, t).await?;
        if old.hash != hash {
            refresh_duplicates(&mut *tx, &settings, uid, &old.hash, t).await?;
        }
        if rev.status == SecurityStatus::Duplicate {
            refresh_duplicates(&mut *tx, &settings, uid, &hash, t).await?;
        }
        tx.commit().await?;
        Ok(Mutated {
            id: id.0,
            revision: rev_id,
        })
    }

    /// password/delete: a live password goes to the trash (`{id, revision}`), a trashed one
    /// is deleted for good (`{id}`; a stale `revision` → 400).
    pub async fn v1_delete_password(
        &self,
        actor: &Actor,
        id: PasswordId,
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
            let rev = copy_revision(&key, actor, &old, t)?;
            let rev = PasswordRevision {
                trashed: true,
                ..rev
            };
            tx.insert_password_revision(&rev).await?;
            model.revision = rev.uuid;
            model.updated = t;
            tx.update_password(&model).await?;
            tx.commit().await?;
            return Ok(Deleted {
                id: id.0,
                revision: Some(rev.uuid),
            });
        }
        if expected.is_stale(model.revision) {
            return Err(CoreError::InvalidInput(OUTDATED.into()));
        }
        let settings = UserSettings::load(&mut *tx, uid).await?;
        purge_password(&mut *tx, uid, model, &settings, t).await?;
        tx.commit().await?;
        Ok(Deleted {
            id: id.0,
            revision: None,
        })
    }

    /// password/restore: the current revision (or the given older one) becomes a new current
    /// revision that is not trashed.
    pub async fn v1_restore_password(
        &self,
        actor: &Actor,
        id: PasswordId,
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
            RevisionParam::Id(r) => match tx.get_password_revision(uid, r).await? {
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
        let rev = copy_revision(&key, actor, &source, t)?;
        let folder = folder_relation(
            &mut *tx,
            uid,
            Some(&source.folder.to_string()),
            source.hidden,
        )
        .await?;
        let rev = PasswordRevision {
            trashed: false,
            folder,
            ..rev
        };
        tx.insert_password_revision(&rev).await?;
        model.revision = rev.uuid;
        model.updated = t;
        tx.update_password(&model).await?;
        if rev.hash != current.hash {
            let settings = UserSettings::load(&mut *tx, uid).await?;
            refresh_duplicates(&mut *tx, &settings, uid, &current.hash, t).await?;
            refresh_duplicates(&mut *tx, &settings, uid, &rev.hash, t).await?;
        }
        tx.commit().await?;
        Ok(Mutated {
            id: id.0,
            revision: rev.uuid,
        })
    }
}

/// The password `id` of `uid` with its current revision, or `NotFound`.
pub(super) async fn load(
    tx: &mut dyn Tx,
    uid: &UserId,
    id: PasswordId,
) -> CoreResult<(PasswordModel, PasswordRevision)> {
    tx.get_password_with_revision(uid, passwords_types::ObjectRef::Uuid(id.0))
        .await?
        .ok_or(CoreError::NotFound)
}

/// The plaintext of a create or update: label and password required, the rest defaults.
fn content_of(input: &PasswordInput) -> CoreResult<PasswordContent> {
    let label = required(&input.label, "label")?;
    let password = required(&input.password, "password")?;
    Ok(PasswordContent {
        label,
        username: input.username.clone().unwrap_or_default(),
        password,
        url: input.url.clone().unwrap_or_default(),
        notes: input.notes.clone().unwrap_or_default(),
        custom_fields: input.custom_fields.clone().unwrap_or_default(),
    })
}

/// A new revision row (base folder, not hidden, trashed or favorite, status NOT_CHECKED:
/// callers set what differs).
#[allow(clippy::too_many_arguments)]
fn revision(
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
        folder: passwords_types::FolderId::BASE,
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
        status: SecurityStatus::NotChecked,
        hidden: false,
        trashed: false,
        favorite: false,
        edited,
        client: actor.client.clone(),
        created: now,
        updated: now,
    }
}

/// A copy of `old` as a new revision written by `actor` now (fields sealed anew: they are
/// bound to the revision id).
pub(super) fn copy_revision(
    key: &FieldKey,
    actor: &Actor,
    old: &PasswordRevision,
    now: i64,
) -> CoreResult<PasswordRevision> {
    let content = PasswordContent::open(key, old)?;
    let rev_id = RevisionId::new();
    let fresh = revision(
        key,
        actor,
        old.model,
        rev_id,
        &content,
        old.hash.clone(),
        old.edited,
        now,
    );
    Ok(PasswordRevision {
        folder: old.folder,
        cse_type: old.cse_type.clone(),
        cse_key: old.cse_key.clone(),
        sse_type: old.sse_type.clone(),
        status: old.status,
        hidden: old.hidden,
        trashed: old.trashed,
        favorite: old.favorite,
        ..fresh
    })
}

/// The tags a request names, each with its current revision. `""` entries are skipped;
/// an id that is not one of the user's live tags → 400 "Tag does not exist".
async fn resolve_tags(
    tx: &mut dyn Tx,
    uid: &UserId,
    tags: Option<&[String]>,
) -> CoreResult<Vec<(TagId, TagRevision)>> {
    let mut out: Vec<(TagId, TagRevision)> = Vec::new();
    for text in tags.into_iter().flatten() {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let missing = || CoreError::InvalidInput("Tag does not exist".into());
        let id: TagId = text.parse().map_err(|_| missing())?;
        if out.iter().any(|(t, _)| *t == id) {
            continue;
        }
        let model = tx
            .get_tag(uid, passwords_types::ObjectRef::Uuid(id.0))
            .await?
            .ok_or_else(missing)?;
        let rev = tx
            .get_tag_revision(uid, model.revision)
            .await?
            .ok_or_else(missing)?;
        out.push((id, rev));
    }
    Ok(out)
}

async fn attach(
    tx: &mut dyn Tx,
    actor: &Actor,
    rev: &PasswordRevision,
    tag: TagId,
    tag_rev: &TagRevision,
    now: i64,
) -> CoreResult<()> {
    tx.insert_relation(&RelationRecord {
        uuid: uuid::Uuid::new_v4(),
        user_id: actor.uid.clone(),
        password: rev.model,
        password_revision: rev.uuid,
        tag,
        tag_revision: tag_rev.uuid,
        hidden: rev.hidden || tag_rev.hidden,
        client: actor.client.clone(),
        deleted: false,
        created: now,
        updated: now,
    })
    .await?;
    Ok(())
}

/// Brings the password's relations to `wanted` (`None`: keep the tags) and their `hidden`
/// flag to the new revision's (password hidden or tag hidden).
async fn sync_relations(
    tx: &mut dyn Tx,
    actor: &Actor,
    rev: &PasswordRevision,
    wanted: Option<Vec<(TagId, TagRevision)>>,
    now: i64,
) -> CoreResult<()> {
    let uid = &actor.uid;
    let current = tx.list_relations_of_password(uid, rev.model).await?;
    let wanted: Vec<(TagId, TagRevision)> = match wanted {
        Some(w) => w,
        None => {
            let mut keep = Vec::new();
            let mut seen = HashSet::new();
            for rel in &current {
                if !seen.insert(rel.tag) {
                    continue;
                }
                if let Some(tag) = tx
                    .get_tag(uid, passwords_types::ObjectRef::Uuid(rel.tag.0))
                    .await?
                {
                    if let Some(tr) = tx.get_tag_revision(uid, tag.revision).await? {
                        keep.push((rel.tag, tr));
                    }
                }
            }
            keep
        }
    };
    let mut kept = HashSet::new();
    for rel in &current {
        let keep = wanted
            .iter()
            .find(|(t, _)| *t == rel.tag)
            .filter(|(_, tr)| rel.hidden == (rev.hidden || tr.hidden))
            .is_some()
            && kept.insert(rel.tag);
        if !keep {
            tx.delete_relation(uid, rel.uuid, now).await?;
        }
    }
    for (tag, tr) in &wanted {
        if !kept.contains(tag) {
            attach(tx, actor, rev, *tag, tr, now).await?;
        }
    }
    Ok(())
}
