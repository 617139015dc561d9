//! password/list and password/find as the JSON text of the answer. The levels the clients ask
//! for on every start (`model`, `model+tag-ids`) are written straight from the opened fields,
//! an entry at a time ([`PasswordListWriter`]); any other level serialises the objects that
//! [`Passwords::find`] builds.

use passwords_store::PasswordListing;
use passwords_types::v1::{PasswordEntry, PasswordListWriter};
use passwords_types::{TagId, UserId};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::find::{Criteria, Subject};
use super::kind::Listing;
use super::password::Passwords;
use super::view::{Needs, View};
use super::Details;
use crate::crypto::{open_field_into, FieldKey};
use crate::error::{CoreError, CoreResult};
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
    let mut fields = Fields::default();
    let mut tags: Vec<TagId> = Vec::new();
    for p in rows.iter().filter(|p| listed(p, criteria)) {
        let tags = if tag_ids {
            tags.clear();
            tags.extend(view.tag_ids_of_password(p.uuid, p.hidden, p.trashed));
            Some(tags.as_slice())
        } else {
            None
        };
        if let Err(e) = fields.write(&mut out, &view.key, p, tags) {
            tracing::error!(password = %p.uuid, error = %e, "skipping a password");
        }
    }
    out.finish()
}

/// The opened fields of one entry, reused from entry to entry and wiped when dropped.
#[derive(Default, Zeroize, ZeroizeOnDrop)]
struct Fields {
    label: Vec<u8>,
    username: Vec<u8>,
    password: Vec<u8>,
    notes: Vec<u8>,
    custom_fields: Vec<u8>,
    url: Vec<u8>,
}

impl Fields {
    fn write(
        &mut self,
        out: &mut PasswordListWriter,
        key: &FieldKey,
        p: &PasswordListing,
        tags: Option<&[TagId]>,
    ) -> CoreResult<()> {
        let id = p.revision.as_uuid();
        let label = open_field_into(key, id, "label", &p.label, &mut self.label)?;
        let username = open_field_into(key, id, "username", &p.username, &mut self.username)?;
        let password = open_field_into(key, id, "password", &p.password, &mut self.password)?;
        let notes = open_field_into(key, id, "notes", &p.notes, &mut self.notes)?;
        let custom_fields = open_field_into(
            key,
            id,
            "customFields",
            &p.custom_fields,
            &mut self.custom_fields,
        )?;
        let url = open_field_into(key, id, "url", &p.url, &mut self.url)?;
        out.push(&PasswordEntry {
            id: p.uuid,
            created: p.created,
            updated: p.updated,
            edited: p.edited,
            share: p.share_id,
            shared: p.has_shares,
            revision: p.revision,
            label,
            username,
            password,
            notes,
            custom_fields,
            url,
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
}
