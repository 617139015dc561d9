//! Turning rows into legacy objects: visibility rules, the category of a password, properties.

use std::collections::HashMap;

use passwords_store::{
    PasswordModel, PasswordRevision, PasswordSummary, RelationRecord, TagModel, TagRevision, Tx,
};
use passwords_types::legacy::{
    LegacyCategory, LegacyListWriter, LegacyPassword, LegacyPasswordView, LegacyProperties,
};
use passwords_types::{ObjectRef, PasswordId, TagId, UserId};

use super::host::{host_of, host_str};
use crate::clock::{date, date_text};
use crate::crypto::FieldKey;
use crate::error::CoreResult;
use crate::vault::content::{FieldBuffers, PasswordContent, SealedFields, TagContent};
use crate::vault::CSE_NONE;

/// Whether the legacy API shows a password revision: not hidden, not client-side encrypted,
/// server-side encryption v1.
pub(super) fn password_visible(rev: &PasswordRevision) -> bool {
    !rev.hidden
        && rev.cse_type == CSE_NONE
        && matches!(rev.sse_type.as_str(), "SSEv1r1" | "SSEv1r2")
}

/// [`password_visible`] for a list entry.
fn summary_visible(p: &PasswordSummary) -> bool {
    !p.hidden && p.cse_type == CSE_NONE && matches!(p.sse_type.as_str(), "SSEv1r1" | "SSEv1r2")
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

/// The length of a password and whether it has lower case letters, upper case letters,
/// digits and other characters (ASCII classes, 0 or 1), as the legacy properties show them.
fn composition(password: &str) -> (i64, [u8; 4]) {
    let p = password.as_bytes();
    let flag = |f: fn(&u8) -> bool| u8::from(p.iter().any(f));
    (
        p.len() as i64,
        [
            flag(u8::is_ascii_lowercase),
            flag(u8::is_ascii_uppercase),
            flag(u8::is_ascii_digit),
            flag(|b| !b.is_ascii_alphanumeric()),
        ],
    )
}

/// The legacy object of a password.
pub(super) fn legacy_password(
    key: &FieldKey,
    model: &PasswordModel,
    rev: &PasswordRevision,
    category: i64,
) -> CoreResult<LegacyPassword> {
    let mut c = PasswordContent::open_without_custom_fields(key, rev)?;
    let (length, [lower, upper, number, special]) = composition(&c.password);
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

/// The JSON text of the legacy list: the visible passwords of `rows` (trashed ones included),
/// each as [`legacy_password`] makes it, written one at a time (see [`LegacyListWriter`]). A
/// password whose fields cannot be opened is logged and left out.
pub(super) fn legacy_list_json(
    key: &FieldKey,
    uid: &UserId,
    rows: &[PasswordSummary],
    categories: &HashMap<PasswordId, i64>,
) -> Vec<u8> {
    // Room for every entry: the fixed text, and each field twice (the properties repeat three).
    let sealed: usize = rows
        .iter()
        .map(|r| r.label.len() + r.username.len() + r.password.len() + r.url.len() + r.notes.len())
        .sum();
    let mut out =
        LegacyListWriter::with_capacity(rows.len() * (300 + uid.as_str().len()) + 2 * sealed);
    let mut fields = FieldBuffers::default();
    for row in rows.iter().filter(|r| summary_visible(r)) {
        let category = categories.get(&row.uuid).copied().unwrap_or(0);
        if let Err(e) = write_entry(&mut out, &mut fields, key, uid, row, category) {
            tracing::error!(password = row.id, error = %e, "skipping a password");
        }
    }
    out.finish()
}

/// Writes one password of the list (its fields, but the custom fields, opened into `fields`).
fn write_entry(
    out: &mut LegacyListWriter,
    fields: &mut FieldBuffers,
    key: &FieldKey,
    uid: &UserId,
    row: &PasswordSummary,
    category: i64,
) -> CoreResult<()> {
    let opened = fields.open(
        key,
        &SealedFields {
            revision: row.revision,
            label: &row.label,
            username: &row.username,
            password: &row.password,
            url: &row.url,
            notes: &row.notes,
            custom_fields: None,
        },
    )?;
    let (length, [lower, upper, number, special]) = composition(opened.password);
    let (created, changed) = (date_text(row.created), date_text(row.edited));
    out.push(&LegacyPasswordView {
        id: row.id,
        name: opened.label,
        user_id: uid.as_str(),
        loginname: opened.username,
        pass: opened.password,
        website: host_str(opened.url),
        address: opened.url,
        notes: opened.notes,
        deleted: row.trashed,
        creation_date: created.as_str(),
        strength: row.status.legacy_strength(),
        length,
        lower,
        upper,
        number,
        special,
        category,
        datechanged: changed.as_str(),
    });
    Ok(())
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

#[cfg(test)]
mod tests {
    use passwords_types::legacy::LegacyPasswordList;
    use passwords_types::{FolderId, RevisionId, SecurityStatus};

    use super::*;
    use crate::crypto::SecretKey;

    fn stored(key: &FieldKey, id: i64, c: &PasswordContent) -> (PasswordModel, PasswordRevision) {
        let rev_id = RevisionId::new();
        let s = c.seal(key, rev_id);
        let model = PasswordModel {
            id,
            uuid: PasswordId::new(),
            user_id: UserId::parse("alice").unwrap(),
            revision: rev_id,
            share_id: None,
            has_shares: false,
            editable: true,
            suspended: false,
            deleted: false,
            created: 1_614_816_000 + id * 86_400,
            updated: 0,
        };
        let rev = PasswordRevision {
            uuid: rev_id,
            user_id: model.user_id.clone(),
            model: model.uuid,
            folder: FolderId::BASE,
            label: s.label,
            username: s.username,
            password: s.password,
            url: s.url,
            notes: s.notes,
            custom_fields: s.custom_fields,
            hash: String::new(),
            cse_type: CSE_NONE.into(),
            cse_key: String::new(),
            sse_type: "SSEv1r2".into(),
            status: SecurityStatus::Good,
            hidden: false,
            trashed: id % 2 == 0,
            favorite: false,
            edited: -86_400 * id,
            client: String::new(),
            created: 0,
            updated: 0,
        };
        (model, rev)
    }

    fn summary(m: &PasswordModel, r: &PasswordRevision) -> PasswordSummary {
        PasswordSummary {
            id: m.id,
            uuid: m.uuid,
            created: m.created,
            revision: r.uuid,
            label: r.label.clone(),
            username: r.username.clone(),
            password: r.password.clone(),
            url: r.url.clone(),
            notes: r.notes.clone(),
            cse_type: r.cse_type.clone(),
            sse_type: r.sse_type.clone(),
            status: r.status,
            hidden: r.hidden,
            trashed: r.trashed,
            edited: r.edited,
        }
    }

    /// The list writes each visible password exactly as the owned legacy object serialises.
    #[test]
    fn list_json_is_the_list_of_legacy_passwords() {
        let key = FieldKey::new(SecretKey::random());
        let uid = UserId::parse("alice").unwrap();
        let texts = [
            "",
            "x",
            "Line1\nLine2 <b> \"q\" \\",
            "\u{1}\u{1f}ü\u{2013}😀",
        ];
        let mut rows = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            let content = PasswordContent {
                label: format!("{t} label"),
                username: t.to_string(),
                password: format!("{t}Pw{i}!"),
                url: if i % 2 == 0 {
                    format!("https://h{i}.example/{t}")
                } else {
                    t.to_string()
                },
                notes: t.repeat(3),
                custom_fields: "[]".into(),
            };
            rows.push(stored(&key, i as i64 + 1, &content));
        }
        // Hidden, client-side encrypted, or sealed under another key: left out.
        let other = FieldKey::new(SecretKey::random());
        let mut hidden = stored(&key, 10, &PasswordContent::default());
        hidden.1.hidden = true;
        let mut cse = stored(&key, 11, &PasswordContent::default());
        cse.1.cse_type = "CSEv1r1".into();
        let foreign = stored(&other, 12, &PasswordContent::default());
        let mut categories = HashMap::new();
        categories.insert(rows[1].0.uuid, 7);

        let expected: Vec<LegacyPassword> = rows
            .iter()
            .map(|(m, r)| {
                let category = categories.get(&m.uuid).copied().unwrap_or(0);
                legacy_password(&key, m, r, category).unwrap()
            })
            .collect();
        rows.extend([hidden, cse, foreign]);
        let summaries: Vec<PasswordSummary> = rows.iter().map(|(m, r)| summary(m, r)).collect();
        let json = legacy_list_json(&key, &uid, &summaries, &categories);
        assert_eq!(
            String::from_utf8(json).unwrap(),
            serde_json::to_string(&LegacyPasswordList(expected)).unwrap()
        );
        assert_eq!(legacy_list_json(&key, &uid, &[], &categories), b"{}");
    }
}
