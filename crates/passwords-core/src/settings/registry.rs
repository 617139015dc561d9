//! The table of known app settings.

use crate::error::{CoreError, CoreResult};

/// The type of an app setting, which decides how values are parsed and shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingType {
    Bool,
    /// An integer within the inclusive bounds.
    Int {
        min: i64,
        max: i64,
    },
    /// One of the listed words.
    Choice(&'static [&'static str]),
    /// Free text (URLs, versions).
    Text,
}

/// One known app setting.
#[derive(Clone, Copy, Debug)]
pub struct SettingDef {
    pub key: &'static str,
    pub aliases: &'static [&'static str],
    pub kind: SettingType,
    pub default: &'static str,
    pub writable: bool,
    pub description: &'static str,
}

const SETTINGS: &[SettingDef] = &[
    SettingDef {
        key: "legacy.api.enabled",
        aliases: &["passwords/legacy_api_enabled", "legacy_api_enabled"],
        kind: SettingType::Bool,
        default: "true",
        writable: true,
        description: "Serve the legacy API (api/0.1); off answers 404",
    },
    SettingDef {
        key: "legacy.api.last.used",
        aliases: &["passwords/legacy_last_used", "legacy_last_used"],
        kind: SettingType::Int {
            min: 0,
            max: i64::MAX,
        },
        default: "0",
        writable: false,
        description: "Unix time of the last legacy API request (read-only)",
    },
    SettingDef {
        key: "service.security",
        aliases: &["passwords/service/security", "service/security"],
        kind: SettingType::Choice(&["none", "hibp", "bigdb", "bigdb+hibp"]),
        default: "none",
        writable: true,
        description:
            "Breached-password check provider: none, hibp (range API), bigdb (local database), bigdb+hibp",
    },
    SettingDef {
        key: "service.security.hibp.url",
        aliases: &["passwords/hibp/url", "hibp/url"],
        kind: SettingType::Text,
        default: "https://api.pwnedpasswords.com/range/:range",
        writable: true,
        description: "HIBP range API URL (:range is replaced by the 5-hex prefix)",
    },
    SettingDef {
        key: "service.security.hibp.timeout",
        aliases: &[],
        kind: SettingType::Int { min: 1, max: 300 },
        default: "5",
        writable: true,
        description: "Seconds an HIBP range request may take (slower = not checked, retried later)",
    },
    SettingDef {
        key: "service.security.recheck.retry",
        aliases: &[],
        kind: SettingType::Int {
            min: 1,
            max: 86_400,
        },
        default: "600",
        writable: true,
        description: "Seconds between retries of breached-password checks that failed",
    },
    SettingDef {
        key: "service.security.range.limit",
        aliases: &[],
        kind: SettingType::Int {
            min: 0,
            max: 1_000_000,
        },
        default: "600",
        writable: true,
        description: "GET /range requests per user per minute (0 = no limit)",
    },
    SettingDef {
        key: "service.security.local.url",
        aliases: &["passwords/localdb/source", "localdb/source"],
        kind: SettingType::Text,
        default: "",
        writable: true,
        description:
            "Update file URL of the local breached-password database (http, https or file; :version, :format)",
    },
    SettingDef {
        key: "service.security.local.version",
        aliases: &["passwords/localdb/version", "localdb/version"],
        kind: SettingType::Text,
        default: "",
        writable: true,
        description:
            "Installed version of the local breached-password database (0 forces an update)",
    },
    SettingDef {
        key: "service.security.local.type",
        aliases: &["passwords/localdb/type", "localdb/type"],
        kind: SettingType::Text,
        default: "",
        writable: false,
        description:
            "Provider type the local breached-password database was installed for (read-only)",
    },
    SettingDef {
        key: "backup.interval",
        aliases: &["passwords/backup/interval", "backup/interval"],
        kind: SettingType::Int {
            min: 60,
            max: 31_536_000,
        },
        default: "86400",
        writable: true,
        description: "Seconds between automatic backups",
    },
    SettingDef {
        key: "backup.files.max",
        aliases: &["passwords/backup/files/maximum", "backup/files/maximum"],
        kind: SettingType::Int {
            min: 0,
            max: 100_000,
        },
        default: "28",
        writable: true,
        description: "Automatic backups to keep (0 = unlimited)",
    },
];

/// Every known app setting, in display order.
pub fn registry() -> &'static [SettingDef] {
    SETTINGS
}

/// The setting named `key` (dotted name or an occ alias).
pub fn lookup(key: &str) -> CoreResult<&'static SettingDef> {
    let key = key.trim();
    SETTINGS
        .iter()
        .find(|d| d.key == key || d.aliases.contains(&key))
        .ok_or_else(|| CoreError::UnknownSetting(key.to_owned()))
}

impl SettingDef {
    /// Parses user input into the stored text (normalised), or explains what is expected.
    pub fn normalise(&self, input: &str) -> CoreResult<String> {
        let v = input.trim();
        let bad = |expected: String| CoreError::InvalidSettingValue {
            key: self.key.to_owned(),
            expected,
        };
        match self.kind {
            SettingType::Bool => match v.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => Ok("true".into()),
                "false" | "0" | "no" | "off" => Ok("false".into()),
                _ => Err(bad("true or false".into())),
            },
            SettingType::Int { min, max } => match v.parse::<i64>() {
                Ok(n) if n >= min && n <= max => Ok(n.to_string()),
                _ if max == i64::MAX => Err(bad(format!("an integer of at least {min}"))),
                _ => Err(bad(format!("an integer from {min} to {max}"))),
            },
            SettingType::Choice(words) => words
                .iter()
                .find(|w| w.eq_ignore_ascii_case(v))
                .map(|w| (*w).to_owned())
                .ok_or_else(|| bad(format!("one of {}", words.join(", ")))),
            SettingType::Text => {
                if v.chars().any(char::is_control) {
                    Err(bad("text without control characters".into()))
                } else {
                    Ok(v.to_owned())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve() {
        assert_eq!(
            lookup("passwords/legacy_api_enabled").unwrap().key,
            "legacy.api.enabled"
        );
        assert_eq!(
            lookup("passwords/localdb/source").unwrap().key,
            "service.security.local.url"
        );
        assert!(matches!(lookup("nope"), Err(CoreError::UnknownSetting(_))));
    }

    #[test]
    fn values_are_normalised_or_refused() {
        let b = lookup("legacy.api.enabled").unwrap();
        assert_eq!(b.normalise("1").unwrap(), "true");
        assert_eq!(b.normalise("OFF").unwrap(), "false");
        assert!(b.normalise("maybe").is_err());
        let i = lookup("backup.files.max").unwrap();
        assert_eq!(i.normalise(" 5 ").unwrap(), "5");
        assert!(i.normalise("-1").is_err());
        let c = lookup("service.security").unwrap();
        assert_eq!(c.normalise("HIBP").unwrap(), "hibp");
        assert!(c.normalise("local").is_err());
    }

    #[test]
    fn defaults_are_valid_values() {
        for d in registry() {
            assert_eq!(d.normalise(d.default).unwrap(), d.default, "{}", d.key);
        }
    }
}
