//! The legacy API (`api/0.1`) as domain operations: passwords and categories (tags) of the
//! data model seen through the reference's legacy mapping, with the intended behaviour where
//! the reference had bugs (product spec §10).
//!
//! Input arrives already parsed into [`PasswordInput`] / [`CategoryInput`]; output is the wire
//! types of `passwords_types::legacy`. Every lookup is scoped to the caller: another user's id
//! is answered exactly like a missing one.

mod categories;
mod host;
mod passwords;
mod view;

pub use host::{auto_label, host_of};
pub use passwords::DeleteOutcome;

use passwords_types::ObjectRef;

/// The fields a legacy client sends for a password. `None` means missing or null.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PasswordInput {
    pub pass: Option<String>,
    pub loginname: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    pub category: CategoryRef,
    /// `deleted` on update: `None` keeps the trashed state.
    pub deleted: Option<bool>,
}

/// The `category` of a password request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum CategoryRef {
    /// Missing, null, `0`, `""`, `false`: no category.
    #[default]
    None,
    /// A numeric id or UUID.
    Id(ObjectRef),
    /// A value that cannot name any category (it matches nothing).
    Unknown,
}

/// The fields a legacy client sends for a category.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CategoryInput {
    pub name: Option<String>,
    pub colour: Option<String>,
}
