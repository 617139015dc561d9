//! The `user.*` settings of API v1: names, types, defaults, ranges, and how client values
//! and stored text are read.

use serde_json::Value;

/// The type of a user setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserKind {
    Bool,
    /// An integer within the inclusive bounds.
    Int {
        min: i64,
        max: i64,
    },
}

/// One user setting: name (without `user.`), type, default (booleans as 0/1).
#[derive(Clone, Copy, Debug)]
pub struct UserDef {
    pub name: &'static str,
    pub kind: UserKind,
    pub default: i64,
}

const fn int(name: &'static str, min: i64, max: i64, default: i64) -> UserDef {
    UserDef {
        name,
        kind: UserKind::Int { min, max },
        default,
    }
}

const fn flag(name: &'static str, default: bool) -> UserDef {
    UserDef {
        name,
        kind: UserKind::Bool,
        default: default as i64,
    }
}

/// The user settings, in the reference's order.
pub const USER_SETTINGS: &[UserDef] = &[
    int("password.generator.strength", 0, 4, 1),
    flag("password.generator.numbers", false),
    flag("password.generator.special", false),
    flag("password.security.duplicates", true),
    int("password.security.age", 0, 36_500, 0),
    int("password.security.hash", 0, 40, 40),
    flag("mail.security", true),
    flag("mail.shares", false),
    flag("notification.security", true),
    flag("notification.shares", true),
    flag("notification.errors", true),
    flag("notification.admin", true),
    flag("sharing.editable", true),
    flag("sharing.resharing", true),
    int("session.lifetime", 30, 31_536_000, 600),
    int("encryption.sse", 0, 2, 0),
    // Client-side encryption needs a master password, which this server does not offer yet:
    // the default is 0, as the reference's for a user without one.
    int("encryption.cse", 0, 1, 0),
];

impl UserDef {
    pub(super) fn find(name: &str) -> Option<&'static UserDef> {
        USER_SETTINGS.iter().find(|d| d.name == name)
    }

    pub(super) fn to_json(self, n: i64) -> Value {
        match self.kind {
            UserKind::Bool => Value::Bool(n != 0),
            UserKind::Int { .. } => Value::from(n),
        }
    }

    /// The stored text as a value; missing or invalid text gives the default.
    pub(super) fn read(self, stored: Option<&str>) -> Value {
        let n = stored
            .and_then(|s| self.parse(&Value::String(s.to_owned())))
            .unwrap_or(self.default);
        self.to_json(n)
    }

    /// A client's value as an integer (booleans 0/1) if it is valid for this setting.
    /// Numbers may be floats (truncated) or numeric strings; booleans are `true`/`false`,
    /// 0/1 or their strings (`""` is false).
    pub(super) fn parse(self, value: &Value) -> Option<i64> {
        match self.kind {
            UserKind::Bool => match value {
                Value::Bool(b) => Some(i64::from(*b)),
                Value::Number(n) => n.as_i64().filter(|v| *v == 0 || *v == 1),
                Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                    "true" | "1" => Some(1),
                    "false" | "0" | "" => Some(0),
                    _ => None,
                },
                _ => None,
            },
            UserKind::Int { min, max } => {
                let n = match value {
                    Value::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(truncate)),
                    Value::String(s) => {
                        let s = s.trim();
                        s.parse::<i64>()
                            .ok()
                            .or_else(|| s.parse::<f64>().ok().and_then(truncate))
                    }
                    Value::Bool(b) => Some(i64::from(*b)),
                    _ => None,
                }?;
                (min..=max).contains(&n).then_some(n)
            }
        }
    }

    pub(super) fn stored_text(self, n: i64) -> String {
        match self.kind {
            UserKind::Bool => if n != 0 { "true" } else { "false" }.to_owned(),
            UserKind::Int { .. } => n.to_string(),
        }
    }
}

fn truncate(f: f64) -> Option<i64> {
    (f.is_finite() && f.abs() < 9.0e15).then(|| f.trunc() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(name: &str) -> UserDef {
        *UserDef::find(name).unwrap()
    }

    #[test]
    fn integers_accept_numbers_floats_and_numeric_text() {
        let d = def("session.lifetime");
        assert_eq!(d.parse(&Value::from(900)), Some(900));
        assert_eq!(d.parse(&Value::from(900.7)), Some(900));
        assert_eq!(d.parse(&Value::from(" 45 ")), Some(45));
        assert_eq!(d.parse(&Value::from("45.9")), Some(45));
        assert_eq!(d.parse(&Value::from(29)), None, "below the minimum");
        assert_eq!(d.parse(&Value::from("soon")), None);
        assert_eq!(d.parse(&Value::Null), None);
        assert_eq!(d.parse(&serde_json::json!([1])), None);
        let s = def("password.generator.strength");
        assert_eq!(s.parse(&Value::from(0)), Some(0));
        assert_eq!(s.parse(&Value::from(5)), None);
        assert_eq!(def("password.security.hash").parse(&Value::from(41)), None);
    }

    #[test]
    fn booleans_accept_the_usual_spellings() {
        let d = def("mail.shares");
        for (v, want) in [
            (Value::Bool(true), Some(1)),
            (Value::from(0), Some(0)),
            (Value::from(1), Some(1)),
            (Value::from("true"), Some(1)),
            (Value::from("False"), Some(0)),
            (Value::from(""), Some(0)),
            (Value::from(2), None),
            (Value::from("yes please"), None),
        ] {
            assert_eq!(d.parse(&v), want, "{v}");
        }
    }

    #[test]
    fn stored_text_reads_back_and_bad_text_is_the_default() {
        for d in USER_SETTINGS {
            let v = d.to_json(d.default);
            assert_eq!(d.read(Some(&d.stored_text(d.default))), v, "{}", d.name);
            assert_eq!(d.read(None), v);
            assert_eq!(d.read(Some("garbage")), v);
        }
        assert_eq!(
            def("password.security.hash").read(Some("20")),
            Value::from(20)
        );
        assert_eq!(def("mail.shares").read(Some("true")), Value::Bool(true));
    }
}
