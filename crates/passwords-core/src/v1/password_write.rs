//! The password kind's own writes, create and update: the content, its hash and security
//! status, the folder and the tags of the new revision; and how revisions are built and copied.

use async_trait::async_trait;
use passwords_store::{PasswordModel, PasswordRevision};
use passwords_types::v1::{Mutated, PasswordView};
use passwords_types::{PasswordId, RevisionId, SecurityStatus};

use super::find::Resource;
use super::kind::{Kind, Stored};
use super::ops::{begin, load_for_update, make_current};
use super::password_tags::{attach, resolve_tags, sync_relations};
use super::rules::{
    check_encryption, edited, folder_relation, required, RevisionParam, PASSWORD_HORIZON,
};
use super::{PasswordInput, Passwords};
use crate::clock::now;
use crate::crypto::FieldKey;
use crate::error::CoreResult;
use crate::settings::UserSettings;
use crate::vault::content::PasswordContent;
use crate::vault::security::{
    check_breach, evaluate, password_hash, refresh_duplicates, Candidate,
};
use crate::vault::{Actor, Vault, CSE_NONE, SSE_V1R2};

#[async_trait]
impl Kind for Passwords {
    type Id = PasswordId;
    type Input = PasswordInput;
    type View = PasswordView;
    const RESOURCE: Resource = Resource::Password;

    /// password/create: a new password with its first revision and tags → `{id, revision}`.
    async fn create(vault: &Vault, actor: &Actor, input: PasswordInput) -> CoreResult<Mutated> {
        let uid = &actor.uid;
        check_encryption(input.cse_type.as_deref(), input.cse_key.as_deref())?;
        let content = content_of(&input)?;
        let key = vault.keys.user_key(&*vault.store, uid).await?;
        let settings = UserSettings::load(&mut *vault.store.conn().await?, uid).await?;
        let hash = password_hash(&content.password, settings.hash_length);
        let breached = check_breach(&*vault.breach, &hash).await;
        let t = now();
        let hidden = input.hidden.unwrap_or(false);
        let model_id = PasswordId::new();
        let rev_id = RevisionId::new();

        let mut tx = begin(vault, uid, &key).await?;
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
        tx.insert_password_with_revision(&model, &rev).await?;
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
    async fn update(
        vault: &Vault,
        actor: &Actor,
        id: PasswordId,
        expected: RevisionParam,
        input: PasswordInput,
    ) -> CoreResult<Mutated> {
        let uid = &actor.uid;
        let key = vault.keys.user_key(&*vault.store, uid).await?;
        let mut conn = vault.store.conn().await?;
        let (_, before) = Passwords::load(&mut *conn, uid, id).await?;
        check_encryption(input.cse_type.as_deref(), input.cse_key.as_deref())?;
        let mut content = content_of(&input)?;
        let settings = UserSettings::load(&mut *conn, uid).await?;
        drop(conn);
        let hash = password_hash(&content.password, settings.hash_length);
        let breached = if hash == before.hash {
            None
        } else {
            check_breach(&*vault.breach, &hash).await
        };
        let t = now();

        let mut tx = begin(vault, uid, &key).await?;
        let (mut model, old) = load_for_update::<Passwords>(&mut *tx, uid, id, expected).await?;
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
        make_current::<Passwords>(&mut *tx, &mut model, &rev, t).await?;
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
