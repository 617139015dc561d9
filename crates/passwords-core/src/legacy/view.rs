//! Turning rows into legacy objects: visibility rules, the category of a password, properties.

use std::collections::HashMap;

use passwords_store::{PasswordModel, PasswordRevision, RelationRecord, TagModel, TagRevision, Tx};
use passwords_types::legacy::{LegacyCategory, LegacyPassword, LegacyProperties};
use passwords_types::{ObjectRef, PasswordId, TagId, UserId};

use super::host::host_of;
use crate::clock::date;
use crate::crypto::FieldKey;
use crate::error::CoreResult;
use crate::vault::content::{PasswordContent, TagContent};
use crate::vault::CSE_NONE;

/// Whether the legacy API shows a password revision: not hidden, not client-side encrypted,
/// server-side encryption v1.
pub(super) fn password_visible(rev: &PasswordRevision) -> bool {
    !rev.hidden
        && rev.cse_type == CSE_NONE
        && matches!(rev.sse_type.as_str(), "SSEv1r1" | "SSEv1r2")
}

/// Whether the legacy API shows a tag revision as a category.
pub(super) fn tag_visible(rev: &TagRevision) -> bool {
    !rev.hidden
        && !rev.trashed
        && rev.cse_type == CSE_NONE
        && matches!(rev.sse_type.as_str(), "SSEv1r1" | "SSEv1r2")
}

/// The numeric ids of the user's visible categories, by tag UUID.
pub(super) async fn visible_tag_ids(
    tx: &mut dyn Tx,
    uid: &UserId,
) -> CoreResult<HashMap<TagId, i64>> {
    Ok(tx
        .list_tags(uid)
        .await?
        .into_iter()
        .filter(|(_, rev)| tag_visible(rev))
        .map(|(m, _)| (m.uuid, m.id))
        .collect())
}

/// The first relation of `relations` (in insertion order) that shows as the legacy category.
pub(super) fn first_category<'a>(
    relations: impl IntoIterator<Item = &'a RelationRecord>,
    tags: &HashMap<TagId, i64>,
) -> Option<(&'a RelationRecord, i64)> {
    relations
        .into_iter()
        .filter(|r| !r.deleted && !r.hidden)
        .find_map(|r| tags.get(&r.tag).map(|id| (r, *id)))
}

/// The legacy category of one password: its first live, not hidden relation (in insertion
/// order) whose tag is visible, with the tag's numeric id. Loads only the related tags.
pub(super) async fn category_of<'a>(
    tx: &mut dyn Tx,
    uid: &UserId,
    relations: &'a [RelationRecord],
) -> CoreResult<Option<(&'a RelationRecord, i64)>> {
    for rel in relations.iter().filter(|r| !r.deleted && !r.hidden) {
        let Some(tag) = tx.get_tag(uid, ObjectRef::Uuid(*rel.tag.as_uuid())).await? else {
            continue;
        };
        if let Some(rev) = tx.get_tag_revision(uid, tag.revision).await? {
            if tag_visible(&rev) {
                return Ok(Some((rel, tag.id)));
            }
        }
    }
    Ok(None)
}

/// The category of every password of the user: password → numeric tag id.
pub(super) async fn categories_by_password(
    tx: &mut dyn Tx,
    uid: &UserId,
) -> CoreResult<HashMap<PasswordId, i64>> {
    let tags = visible_tag_ids(tx, uid).await?;
    let mut by_password: HashMap<PasswordId, Vec<RelationRecord>> = HashMap::new();
    for r in tx.list_relations(uid).await? {
        by_password.entry(r.password).or_default().push(r);
    }
    Ok(by_password
        .into_iter()
        .filter_map(|(pw, rels)| first_category(&rels, &tags).map(|(_, id)| (pw, id)))
        .collect())
}

/// The legacy object of a password.
pub(super) fn legacy_password(
    key: &FieldKey,
    model: &PasswordModel,
    rev: &PasswordRevision,
    category: i64,
) -> CoreResult<LegacyPassword> {
    let mut c = PasswordContent::open_without_custom_fields(key, rev)?;
    let p = c.password.as_bytes();
    let flag = |f: fn(&u8) -> bool| u8::from(p.iter().any(f));
    let (length, lower, upper, number, special) = (
        p.len() as i64,
        flag(u8::is_ascii_lowercase),
        flag(u8::is_ascii_uppercase),
        flag(u8::is_ascii_digit),
        flag(|b| !b.is_ascii_alphanumeric()),
    );
    // Move the plaintext out (the rest of `c` is wiped on drop); copy only what appears twice.
    let username = std::mem::take(&mut c.username);
    let url = std::mem::take(&mut c.url);
    let notes = std::mem::take(&mut c.notes);
    let properties = LegacyProperties {
        loginname: username.clone(),
        address: url.clone(),
        strength: rev.status.legacy_strength(),
        length,
        lower,
        upper,
        number,
        special,
        category,
        datechanged: date(rev.edited),
        notes: notes.clone(),
    };
    Ok(LegacyPassword {
        id: model.id,
        name: std::mem::take(&mut c.label),
        user_id: model.user_id.to_string(),
        loginname: username,
        pass: std::mem::take(&mut c.password),
        website: host_of(&url),
        address: url,
        notes,
        deleted: rev.trashed,
        creation_date: date(model.created),
        properties,
    })
}

/// The legacy object of a tag.
pub(super) fn legacy_category(
    key: &FieldKey,
    model: &TagModel,
    rev: &TagRevision,
) -> CoreResult<LegacyCategory> {
    let c = TagContent::open(key, rev)?;
    Ok(LegacyCategory {
        id: model.id,
        user_id: model.user_id.to_string(),
        category_name: c.label.clone(),
        category_colour: c.color.chars().skip(1).collect(),
    })
}
