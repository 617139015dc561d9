//! Identifiers: user ids, the UUIDs of objects and revisions, and references by numeric or UUID id.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A user id (`uid`): the owner of every object and the login name of Basic auth.
///
/// 1 to 64 characters out of letters, digits and `_ . @ -`, like Nextcloud user ids. The set is
/// deliberately narrow: a uid appears in file names, logs and the legacy `user_id` field.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UserId(String);

/// Why a text is not a valid [`UserId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserIdError {
    #[error("a user id must not be empty")]
    Empty,
    #[error("a user id must be at most 64 characters long")]
    TooLong,
    #[error("a user id may only contain letters, digits and the characters _ . @ -")]
    BadCharacter,
}

impl UserId {
    pub fn parse(text: &str) -> Result<Self, UserIdError> {
        if text.is_empty() {
            return Err(UserIdError::Empty);
        }
        if text.chars().count() > 64 {
            return Err(UserIdError::TooLong);
        }
        if !text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '@' | '-'))
        {
            return Err(UserIdError::BadCharacter);
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for UserId {
    type Err = UserIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for UserId {
    type Error = UserIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<UserId> for String {
    fn from(value: UserId) -> Self {
        value.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh random (v4) id.
            pub fn new() -> Self {
                Self(Uuid::new_v4())
            }
            pub fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

uuid_id!(
    /// The public id of a password (its model row).
    PasswordId
);
uuid_id!(
    /// The public id of a folder. [`FolderId::BASE`] is the virtual root folder.
    FolderId
);
uuid_id!(
    /// The public id of a tag (a legacy "category").
    TagId
);
uuid_id!(
    /// The id of one immutable revision of a password, folder or tag.
    RevisionId
);
uuid_id!(
    /// The id of a share of a password with another user.
    ShareId
);

impl FolderId {
    /// The virtual base folder `00000000-0000-0000-0000-000000000000`.
    pub const BASE: FolderId = FolderId(Uuid::nil());
}

/// A reference to an object as clients send it: the stable numeric id of the legacy API or the
/// public UUID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectRef {
    Numeric(i64),
    Uuid(Uuid),
}

impl ObjectRef {
    /// Reads a path segment: all digits is a numeric id, otherwise it must be a UUID.
    /// Anything else references nothing (`None`), which callers answer like a missing id.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return text.parse::<i64>().ok().map(ObjectRef::Numeric);
        }
        Uuid::parse_str(text).ok().map(ObjectRef::Uuid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_id_rules() {
        assert!(UserId::parse("alice").is_ok());
        assert!(UserId::parse("a.b-c_d@example.org").is_ok());
        assert_eq!(UserId::parse(""), Err(UserIdError::Empty));
        assert_eq!(UserId::parse("a b"), Err(UserIdError::BadCharacter));
        assert_eq!(UserId::parse("a/b"), Err(UserIdError::BadCharacter));
        assert_eq!(UserId::parse(&"x".repeat(65)), Err(UserIdError::TooLong));
        assert!(UserId::parse(&"x".repeat(64)).is_ok());
    }

    #[test]
    fn object_refs() {
        assert_eq!(ObjectRef::parse("12"), Some(ObjectRef::Numeric(12)));
        assert_eq!(ObjectRef::parse("0"), Some(ObjectRef::Numeric(0)));
        let u = "3f2a8e5c-1b2c-4d5e-8f90-123456789abc";
        assert_eq!(
            ObjectRef::parse(u),
            Some(ObjectRef::Uuid(Uuid::parse_str(u).unwrap()))
        );
        assert_eq!(ObjectRef::parse("abc"), None);
        assert_eq!(ObjectRef::parse("12abc"), None);
        assert_eq!(ObjectRef::parse("99999999999999999999999"), None);
    }

    #[test]
    fn base_folder_text() {
        assert_eq!(
            FolderId::BASE.to_string(),
            "00000000-0000-0000-0000-000000000000"
        );
    }
}
