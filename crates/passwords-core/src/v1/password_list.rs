//! password/list and password/find as the JSON text of the answer. The levels the clients ask
//! for on every start (`model`, `model+tag-ids`) are written straight from the opened fields,
//! an entry at a time ([`PasswordListWriter`]); any other level serialises the objects that
//! [`Passwords::find`] builds.
//!
//! The entries are written by a [`ListingSink`] that the store feeds row by row (on SQLite,
//! on the connection's thread, from SQLite's own buffers), so no row is copied into an owned
//! record and the decrypting does not hold a tokio worker.

use passwords_store::{ListingSink, PasswordListing};
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
        let mut view = View::new(key, uid);
        view.load(&mut *conn, Needs::of_password(details)).await?;
        let sink = Box::new(EntrySink {
            view,
            criteria: criteria.clone(),
            tag_ids: details.tag_ids,
            out: PasswordListWriter::with_capacity(64 * 1024),
            fields: FieldBuffers::default(),
            tags: Vec::new(),
        });
        Ok(conn.visit_password_listings(uid, sink).await?.finish())
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
fn listed(p: &PasswordListing<'_>, criteria: &Criteria) -> bool {
    !p.suspended
        && !p.hidden
        && criteria.matches(&Subject {
            created: p.revision_created,
            updated: p.revision_updated,
            edited: p.edited,
            cse_type: p.cse_type,
            sse_type: p.sse_type,
            status: p.status.level(),
            trashed: p.trashed,
            favorite: p.favorite,
            parent: None,
        })
}

/// Writes the JSON array of the listed passwords at level `model` (with `tag-ids` when
/// `tag_ids`), as [`View::password`] would show each. A password whose fields cannot be
/// opened is logged and left out, as [`Passwords::find`] does.
struct EntrySink {
    view: View,
    criteria: Criteria,
    tag_ids: bool,
    out: PasswordListWriter,
    fields: FieldBuffers,
    tags: Vec<TagId>,
}

impl ListingSink for EntrySink {
    fn listing(&mut self, p: &PasswordListing<'_>) {
        if !listed(p, &self.criteria) {
            return;
        }
        let tags = if self.tag_ids {
            self.tags.clear();
            self.tags
                .extend(self.view.tag_ids_of_password(p.uuid, p.hidden, p.trashed));
            Some(self.tags.as_slice())
        } else {
            None
        };
        if let Err(e) = write_entry(&mut self.out, &mut self.fields, &self.view.key, p, tags) {
            tracing::error!(password = %p.uuid, error = %e, "skipping a password");
        }
    }

    fn finish(self: Box<Self>) -> Vec<u8> {
        self.out.finish()
    }
}

/// Writes one listed password (its fields opened into `fields`).
fn write_entry(
    out: &mut PasswordListWriter,
    fields: &mut FieldBuffers,
    key: &FieldKey,
    p: &PasswordListing<'_>,
    tags: Option<&[TagId]>,
) -> CoreResult<()> {
    let opened = fields.open(
        key,
        &SealedFields {
            revision: p.revision,
            label: p.label,
            username: p.username,
            password: p.password,
            url: p.url,
            notes: p.notes,
            custom_fields: Some(p.custom_fields),
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
        hash: p.hash,
        folder: p.folder,
        cse_key: p.cse_key,
        cse_type: p.cse_type,
        sse_type: p.sse_type,
        hidden: p.hidden,
        trashed: p.trashed,
        favorite: p.favorite,
        editable: p.editable,
        client: p.client,
        tags,
    });
    Ok(())
}
