//! password/list and password/find as the JSON text of the answer. The levels the clients ask
//! for on every start (`model`, `model+tag-ids`) are written straight from the opened fields,
//! an entry at a time ([`PasswordListWriter`]); any other level serialises the objects that
//! [`Passwords::find`] builds.

use passwords_store::PasswordListing;
use passwords_types::v1::{PasswordEntry, PasswordListWriter};
use passwords_types::{TagId, UserId};

use super::find::{Criteria, Subject};
use super::kind::Listing;
use super::password::Passwords;
use super::view::{Needs, View};
use super::Details;
use crate::crypto::FieldKey;
use crate::error::{CoreError, CoreResult};
use crate::vault::content::{FieldBuffers, SealedFields};
use crate::vault::Vault;

impl Vault {
    /// password/list: every password that is not hidden, trashed or suspended, as JSON text.
    pub async fn v1_list_passwords(&self, uid: &UserId, details: Details) -> CoreResult<Vec<u8>> {
        self.v1_find_passwords(uid, &Criteria::default(), details)
            .await
    }

    /// password/find: the passwords (not hidden, not suspended) that match `criteria`, as
    /// JSON text.
    pub async fn v1_find_passwords(
        &self,
        uid: &UserId,
        criteria: &Criteria,
        details: Details,
    ) -> CoreResult<Vec<u8>> {
        if !is_entry_level(details) {
            let views = Passwords::find(self, uid, criteria, details).await?;
            return serde_json::to_vec(&views).map_err(|e| CoreError::Internal(e.to_string()));
        }
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut conn = self.store.conn().await?;
        let rows = conn.list_password_listings(uid).await?;
        let mut view = View::new(key, uid);
        view.load(&mut *conn, Needs::of_password(details)).await?;
        // Back to the pool before the work that needs no database.
        drop(conn);
        Ok(entries_json(&view, &rows, criteria, details.tag_ids))
    }
}

/// Whether [`PasswordEntry`] can show a password at level `d`: `model`, maybe `tag-ids`.
fn is_entry_level(d: Details) -> bool {
    d == Details::MODEL
        || d == Details {
            tag_ids: true,
            ..Details::MODEL
        }
}

/// Whether a list or find shows the password: not suspended, not hidden, matching (the
/// same test as [`Passwords::find`] makes, on the narrow row).
fn listed(p: &PasswordListing, criteria: &Criteria) -> bool {
    !p.suspended
        && !p.hidden
        && criteria.matches(&Subject {
            created: p.revision_created,
            updated: p.revision_updated,
            edited: p.edited,
            cse_type: &p.cse_type,
            sse_type: &p.sse_type,
            status: p.status.level(),
            trashed: p.trashed,
            favorite: p.favorite,
            parent: None,
        })
}

/// The JSON array of the listed passwords of `rows` at level `model` (with `tag-ids` when
/// `tag_ids`), written as [`View::password`] would show each. A password whose fields cannot
/// be opened is logged and left out, as [`Passwords::find`] does.
fn entries_json(
    view: &View,
    rows: &[PasswordListing],
    criteria: &Criteria,
    tag_ids: bool,
) -> Vec<u8> {
    // Room for every entry: about 600 bytes of keys, ids and flags, and the fields.
    let sealed: usize = rows
        .iter()
        .map(|r| {
            r.label.len()
                + r.username.len()
                + r.password.len()
                + r.url.len()
                + r.notes.len()
                + r.custom_fields.len()
                + r.client.len()
        })
        .sum();
    let mut out = PasswordListWriter::with_capacity(rows.len() * 640 + sealed);
    let mut fields = FieldBuffers::default();
    let mut tags: Vec<TagId> = Vec::new();
    for p in rows.iter().filter(|p| listed(p, criteria)) {
        let tags = if tag_ids {
            tags.clear();
            tags.extend(view.tag_ids_of_password(p.uuid, p.hidden, p.trashed));
            Some(tags.as_slice())
        } else {
            None
        };
        if let Err(e) = write_entry(&mut out, &mut fields, &view.key, p, tags) {
            tracing::error!(password = %p.uuid, error = %e, "skipping a password");
        }
    }
    out.finish()
}

/// Writes one listed password (its fields opened into `fields`).
fn write_entry(
    out: &mut PasswordListWriter,
    fields: &mut FieldBuffers,
    key: &FieldKey,
    p: &PasswordListing,
    tags: Option<&[TagId]>,
) -> CoreResult<()> {
    let opened = fields.open(
        key,
        &SealedFields {
            revision: p.revision,
            label: &p.label,
            username: &p.username,
            password: &p.password,
            url: &p.url,
            notes: &p.notes,
            custom_fields: Some(&p.custom_fields),
        },
    )?;
    out.push(&PasswordEntry {
        id: p.uuid,
        created: p.created,
        updated: p.updated,
        edited: p.edited,
        share: p.share_id,
        shared: p.has_shares,
        revision: p.revision,
        label: opened.label,
        username: opened.username,
        password: opened.password,
        notes: opened.notes,
        custom_fields: opened.custom_fields,
        url: opened.url,
        status: p.status.level(),
        status_code: p.status,
        hash: &p.hash,
        folder: p.folder,
        cse_key: &p.cse_key,
        cse_type: &p.cse_type,
        sse_type: &p.sse_type,
        hidden: p.hidden,
        trashed: p.trashed,
        favorite: p.favorite,
        editable: p.editable,
        client: &p.client,
        tags,
    });
    Ok(())
}
