//! API v1 (`api/1.0`) as domain operations on the vault: passwords, folders and tags with
//! their detail levels, `find` criteria, the trash (with folder suspension), restore of old
//! revisions and the optimistic revision check.
//!
//! Input arrives parsed into [`PasswordInput`], [`FolderInput`], [`TagInput`], [`Details`] and
//! [`Criteria`]; output is the wire types of `passwords_types::v1`. Every lookup is scoped to
//! the caller: another user's id is answered exactly like a missing one.
//!
//! The kinds are [`Passwords`], [`Folders`] and [`Tags`]; the server calls them through
//! [`Kind`], [`Ops`] and [`Listing`] (password list and find: [`Vault::v1_list_passwords`] and
//! [`Vault::v1_find_passwords`]).
//!
//! Files: `kind` (the traits), `ops` (the operations written once for every kind), `password`
//! with `password_list` (list and find as JSON text), `password_write` and `password_tags`,
//! `folder`, `tag` (what is each kind's own), `view`
//! (rows to objects at a detail level), `find` (criteria), `rules` (validation and the rules
//! shared by writes).
//!
//! [`Vault::v1_list_passwords`]: crate::vault::Vault::v1_list_passwords
//! [`Vault::v1_find_passwords`]: crate::vault::Vault::v1_find_passwords

mod find;
mod folder;
mod kind;
mod ops;
mod password;
mod password_list;
mod password_tags;
mod password_write;
mod rows;
mod rules;
mod tag;
mod view;

pub use find::{Criteria, Criterion, Field, Op, Operand, Resource};
pub use folder::Folders;
pub use kind::{Kind, Listing, Ops};
pub use password::Passwords;
pub use rules::RevisionParam;
pub use tag::Tags;

/// The detail levels of a request (`model+tag-ids`, …). Unknown levels are ignored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Details {
    pub model: bool,
    pub tag_ids: bool,
    pub tags: bool,
    pub folder: bool,
    pub revisions: bool,
    pub parent: bool,
    pub folders: bool,
    pub folder_ids: bool,
    pub passwords: bool,
    pub password_ids: bool,
    pub password_tags: bool,
}

impl Details {
    /// Just `model`: the default level.
    pub const MODEL: Details = Details {
        model: true,
        tag_ids: false,
        tags: false,
        folder: false,
        revisions: false,
        parent: false,
        folders: false,
        folder_ids: false,
        passwords: false,
        password_ids: false,
        password_tags: false,
    };

    /// Parses `level+level+…`. Spaces separate levels too: a `+` in a query string arrives
    /// decoded as a space.
    pub fn parse(text: &str) -> Details {
        let mut d = Details::default();
        for level in text.split(|c: char| c == '+' || c.is_whitespace()) {
            match level {
                "model" => d.model = true,
                "tag-ids" => d.tag_ids = true,
                "tags" => d.tags = true,
                "folder" => d.folder = true,
                "revisions" => d.revisions = true,
                "parent" => d.parent = true,
                "folders" => d.folders = true,
                "folder-ids" => d.folder_ids = true,
                "passwords" => d.passwords = true,
                "password-ids" => d.password_ids = true,
                "password-tags" => d.password_tags = true,
                _ => {}
            }
        }
        d
    }
}

/// The fields a v1 client sends to create or update a password. `None` means missing or null.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PasswordInput {
    pub label: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub url: Option<String>,
    pub notes: Option<String>,
    pub custom_fields: Option<String>,
    pub cse_type: Option<String>,
    pub cse_key: Option<String>,
    /// The folder as sent; anything that names no usable folder means the base folder.
    pub folder: Option<String>,
    pub edited: Option<i64>,
    pub hidden: Option<bool>,
    pub favorite: Option<bool>,
    /// Tag ids as sent: `None` or empty leaves the tags (update), `[""]` removes them all.
    pub tags: Option<Vec<String>>,
}

/// The fields of a folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FolderInput {
    pub label: Option<String>,
    /// The parent as sent; anything that names no usable folder means the base folder.
    pub parent: Option<String>,
    pub cse_type: Option<String>,
    pub cse_key: Option<String>,
    pub edited: Option<i64>,
    pub hidden: Option<bool>,
    pub favorite: Option<bool>,
}

/// The fields of a tag.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagInput {
    pub label: Option<String>,
    pub color: Option<String>,
    pub cse_type: Option<String>,
    pub cse_key: Option<String>,
    pub edited: Option<i64>,
    pub hidden: Option<bool>,
    pub favorite: Option<bool>,
}

/// Revisions grouped by their model, so that a list at level `revisions` hands each object its
/// own revisions in one pass instead of scanning all of them once per object.
fn by_model<K: std::hash::Hash + Eq, R>(
    revisions: Vec<R>,
    model: impl Fn(&R) -> K,
) -> std::collections::HashMap<K, Vec<R>> {
    let mut grouped: std::collections::HashMap<K, Vec<R>> = std::collections::HashMap::new();
    for r in revisions {
        grouped.entry(model(&r)).or_default().push(r);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_parse() {
        assert_eq!(Details::parse("model"), Details::MODEL);
        let d = Details::parse("model+tag-ids+unknown");
        assert!(d.model && d.tag_ids && !d.tags);
        let d = Details::parse("folder+revisions");
        assert!(!d.model && d.folder && d.revisions);
        assert_eq!(Details::parse(""), Details::default());
        assert_eq!(
            Details::parse("model tag-ids"),
            Details::parse("model+tag-ids")
        );
    }
}
