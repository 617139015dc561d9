//! The user settings that the server's rules read (`password.security.*`).

use passwords_store::Tx;
use passwords_types::UserId;

use crate::error::CoreResult;

/// The user settings of the security check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserSettings {
    /// `password.security.hash`: how many hex digits of the SHA-1 are stored (0–40).
    pub hash_length: usize,
    /// `password.security.age`: days after which a password is OUTDATED (0 = off).
    pub max_age_days: i64,
    /// `password.security.duplicates`: flag passwords used twice.
    pub check_duplicates: bool,
}

impl Default for UserSettings {
    fn default() -> Self {
        Self {
            hash_length: 40,
            max_age_days: 0,
            check_duplicates: true,
        }
    }
}

impl UserSettings {
    /// Reads the user's settings; missing or malformed values fall back to the defaults.
    pub async fn load(tx: &mut dyn Tx, uid: &UserId) -> CoreResult<Self> {
        let mut s = Self::default();
        for (key, value) in tx.list_user_settings(uid).await? {
            match key.as_str() {
                "password.security.hash" => {
                    if let Ok(n) = value.trim().parse::<usize>() {
                        if n <= 40 {
                            s.hash_length = n;
                        }
                    }
                }
                "password.security.age" => {
                    if let Ok(n) = value.trim().parse::<i64>() {
                        s.max_age_days = n.max(0);
                    }
                }
                "password.security.duplicates" => {
                    s.check_duplicates = !matches!(value.trim(), "false" | "0" | "");
                }
                _ => {}
            }
        }
        Ok(s)
    }
}
