//! Services of API v1 beside the vault objects: the password generator ([`generator`]),
//! letter icons ([`icon`]), per-user request limits ([`limits`]) and the checks of
//! breached-hash range requests ([`parse_hash_range`]).

pub mod generator;
pub mod icon;
pub mod limits;

use crate::error::{CoreError, CoreResult};

/// A `service/hashes` range: 5 to 40 hex digits, returned lower-cased; anything else is
/// refused with "Invalid range".
pub fn parse_hash_range(range: &str) -> CoreResult<String> {
    let range = range.trim();
    if (5..=40).contains(&range.len()) && range.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(range.to_ascii_lowercase())
    } else {
        Err(CoreError::InvalidInput("Invalid range".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_5_to_40_hex_digits() {
        assert_eq!(parse_hash_range("5BAA6").unwrap(), "5baa6");
        let full = "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8";
        assert_eq!(parse_hash_range(full).unwrap(), full);
        for bad in ["", "5baa", "5baa6g", &format!("{full}0"), "5baa 6"] {
            assert!(
                matches!(parse_hash_range(bad), Err(CoreError::InvalidInput(m)) if m == "Invalid range"),
                "{bad:?}"
            );
        }
    }
}
