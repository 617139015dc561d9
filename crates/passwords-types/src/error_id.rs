//! The reference app's error ids: PHP `hash('crc32', message)`.
//!
//! That is CRC-32/BZIP2 with the four result bytes printed low byte first, as 8 lower-case hex
//! digits. Clients (iOS in particular) match on these ids, so they must be exact.

use crc::{Crc, CRC_32_BZIP2};

const BZIP2: Crc<u32> = Crc::<u32>::new(&CRC_32_BZIP2);

/// The 8-hex-digit id the reference app sends with an error `message`.
pub fn error_id(message: &str) -> String {
    let sum = BZIP2.checksum(message.as_bytes());
    let b = sum.to_le_bytes();
    format!("{:02x}{:02x}{:02x}{:02x}", b[0], b[1], b[2], b[3])
}

#[cfg(test)]
mod tests {
    use super::error_id;

    #[test]
    fn matches_php_check_values() {
        assert_eq!(error_id(""), "00000000");
        assert_eq!(error_id("a"), "6b9b9319");
        assert_eq!(error_id("abc"), "73bb8c64");
        assert_eq!(error_id("Setting not writable"), "b6804ba8");
        assert_eq!(error_id("Unknown setting identifier"), "3f26a0c0");
        assert_eq!(error_id("Invalid setting value"), "08315f80");
    }

    #[test]
    fn matches_known_api_messages() {
        assert_eq!(error_id("HTTPS required"), "6304571a");
        assert_eq!(error_id("Field \"password\" can not be empty"), "2cf30fe7");
        assert_eq!(error_id("Field \"label\" can not be empty"), "7c31eb4d");
        assert_eq!(error_id("Too many failed login attempts"), "b927b225");
    }
}
