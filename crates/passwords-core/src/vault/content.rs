//! The plaintext content of revisions and how it is sealed into, and opened from, rows.

use passwords_store::{PasswordRevision, Sealed, TagRevision};
use passwords_types::RevisionId;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::crypto::{open_field, open_field_into, seal_field, FieldKey};
use crate::error::CoreResult;

/// The secret fields of a password revision, in plaintext. Wiped when dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct PasswordContent {
    pub label: String,
    pub username: String,
    pub password: String,
    pub url: String,
    pub notes: String,
    /// A JSON string, kept exactly as the client sent it.
    pub custom_fields: String,
}

/// The sealed form of [`PasswordContent`].
pub struct SealedPassword {
    pub label: Sealed,
    pub username: Sealed,
    pub password: Sealed,
    pub url: Sealed,
    pub notes: Sealed,
    pub custom_fields: Sealed,
}

impl PasswordContent {
    /// Seals every field for the revision `rev`.
    pub fn seal(&self, key: &FieldKey, rev: RevisionId) -> SealedPassword {
        let r = rev.as_uuid();
        SealedPassword {
            label: seal_field(key, r, "label", &self.label),
            username: seal_field(key, r, "username", &self.username),
            password: seal_field(key, r, "password", &self.password),
            url: seal_field(key, r, "url", &self.url),
            notes: seal_field(key, r, "notes", &self.notes),
            custom_fields: seal_field(key, r, "customFields", &self.custom_fields),
        }
    }

    /// Opens every field of a stored revision.
    pub fn open(key: &FieldKey, rev: &PasswordRevision) -> CoreResult<Self> {
        let r = rev.uuid.as_uuid();
        Ok(Self {
            label: open_field(key, r, "label", &rev.label)?,
            username: open_field(key, r, "username", &rev.username)?,
            password: open_field(key, r, "password", &rev.password)?,
            url: open_field(key, r, "url", &rev.url)?,
            notes: open_field(key, r, "notes", &rev.notes)?,
            custom_fields: open_field(key, r, "customFields", &rev.custom_fields)?,
        })
    }

    /// Opens every field but the custom fields (left empty), for views that never show them.
    pub fn open_without_custom_fields(key: &FieldKey, rev: &PasswordRevision) -> CoreResult<Self> {
        let r = rev.uuid.as_uuid();
        Ok(Self {
            label: open_field(key, r, "label", &rev.label)?,
            username: open_field(key, r, "username", &rev.username)?,
            password: open_field(key, r, "password", &rev.password)?,
            url: open_field(key, r, "url", &rev.url)?,
            notes: open_field(key, r, "notes", &rev.notes)?,
            custom_fields: String::new(),
        })
    }
}

/// The sealed fields of one password, borrowed from whatever row holds them.
pub(crate) struct SealedFields<'a> {
    /// The revision the fields belong to: the associated data of each.
    pub revision: RevisionId,
    pub label: &'a [u8],
    pub username: &'a [u8],
    pub password: &'a [u8],
    pub url: &'a [u8],
    pub notes: &'a [u8],
    /// `None` for views that never show custom fields: left closed, shown as "".
    pub custom_fields: Option<&'a [u8]>,
}

/// The opened fields of one password, borrowed from [`FieldBuffers`].
pub(crate) struct OpenedFields<'a> {
    pub label: &'a str,
    pub username: &'a str,
    pub password: &'a str,
    pub url: &'a str,
    pub notes: &'a str,
    pub custom_fields: &'a str,
}

/// Buffers for the opened fields of one password at a time: lists open a thousand passwords
/// into the same six buffers instead of a new string per field. Wiped when dropped.
#[derive(Default, Zeroize, ZeroizeOnDrop)]
pub(crate) struct FieldBuffers {
    label: Vec<u8>,
    username: Vec<u8>,
    password: Vec<u8>,
    url: Vec<u8>,
    notes: Vec<u8>,
    custom_fields: Vec<u8>,
}

impl FieldBuffers {
    /// Opens `sealed` into the buffers (what they held before is overwritten).
    pub fn open(
        &mut self,
        key: &FieldKey,
        sealed: &SealedFields<'_>,
    ) -> CoreResult<OpenedFields<'_>> {
        let r = sealed.revision.as_uuid();
        let custom_fields = match sealed.custom_fields {
            Some(c) => open_field_into(key, r, "customFields", c, &mut self.custom_fields)?,
            None => "",
        };
        Ok(OpenedFields {
            label: open_field_into(key, r, "label", sealed.label, &mut self.label)?,
            username: open_field_into(key, r, "username", sealed.username, &mut self.username)?,
            password: open_field_into(key, r, "password", sealed.password, &mut self.password)?,
            url: open_field_into(key, r, "url", sealed.url, &mut self.url)?,
            notes: open_field_into(key, r, "notes", sealed.notes, &mut self.notes)?,
            custom_fields,
        })
    }
}

/// The secret fields of a tag revision.
#[derive(Clone, Debug, Default, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct TagContent {
    pub label: String,
    pub color: String,
}

impl TagContent {
    /// Seals both fields for the revision `rev`: (label, color).
    pub fn seal(&self, key: &FieldKey, rev: RevisionId) -> (Sealed, Sealed) {
        let r = rev.as_uuid();
        (
            seal_field(key, r, "label", &self.label),
            seal_field(key, r, "color", &self.color),
        )
    }

    pub fn open(key: &FieldKey, rev: &TagRevision) -> CoreResult<Self> {
        let r = rev.uuid.as_uuid();
        Ok(Self {
            label: open_field(key, r, "label", &rev.label)?,
            color: open_field(key, r, "color", &rev.color)?,
        })
    }
}
