//! The tags of a v1 password: resolving the tag ids a request names, and the password-tag
//! relations a create writes and an update brings in line (including their `hidden` flag).

use std::collections::HashSet;

use passwords_store::{PasswordRevision, RelationRecord, TagRevision, Tx};
use passwords_types::{TagId, UserId};

use crate::error::{CoreError, CoreResult};
use crate::vault::Actor;

/// The tags a request names, each with its current revision. `""` entries are skipped;
/// an id that is not one of the user's live tags → 400 "Tag does not exist".
pub(super) async fn resolve_tags(
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

/// Relates the password revision `rev` to `tag` (hidden when either of them is).
pub(super) async fn attach(
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
pub(super) async fn sync_relations(
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
