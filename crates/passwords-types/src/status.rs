//! The security status of a password revision (`status` / `statusCode`).

use serde::{Deserialize, Serialize};

/// The result of the security check of one password revision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SecurityStatus {
    Good,
    Outdated,
    Duplicate,
    Breached,
    NotChecked,
}

impl SecurityStatus {
    /// The numeric `status` level of API v1: 0 ok, 1 weak, 2 breached, 3 not checked.
    pub fn level(self) -> i64 {
        match self {
            Self::Good => 0,
            Self::Outdated | Self::Duplicate => 1,
            Self::Breached => 2,
            Self::NotChecked => 3,
        }
    }

    /// The `statusCode` text of API v1.
    pub fn code(self) -> &'static str {
        match self {
            Self::Good => "GOOD",
            Self::Outdated => "OUTDATED",
            Self::Duplicate => "DUPLICATE",
            Self::Breached => "BREACHED",
            Self::NotChecked => "NOT_CHECKED",
        }
    }

    /// Parses a stored `statusCode`.
    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "GOOD" => Self::Good,
            "OUTDATED" => Self::Outdated,
            "DUPLICATE" => Self::Duplicate,
            "BREACHED" => Self::Breached,
            "NOT_CHECKED" => Self::NotChecked,
            _ => return None,
        })
    }

    /// The legacy API's `properties.strength`: GOOD 20, weak or not checked 10, breached 0.
    pub fn legacy_strength(self) -> i64 {
        match self {
            Self::Good => 20,
            Self::Outdated | Self::Duplicate | Self::NotChecked => 10,
            Self::Breached => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SecurityStatus::*;
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in [Good, Outdated, Duplicate, Breached, NotChecked] {
            assert_eq!(SecurityStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(SecurityStatus::from_code("OK"), None);
    }

    #[test]
    fn legacy_strength_mapping() {
        assert_eq!(Good.legacy_strength(), 20);
        assert_eq!(Outdated.legacy_strength(), 10);
        assert_eq!(Duplicate.legacy_strength(), 10);
        assert_eq!(NotChecked.legacy_strength(), 10);
        assert_eq!(Breached.legacy_strength(), 0);
        assert_eq!(Breached.level(), 2);
        assert_eq!(NotChecked.level(), 3);
    }
}
