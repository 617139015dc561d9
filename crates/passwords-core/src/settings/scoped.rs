//! API v1's settings (`settings/get|set|list|reset`): three scopes behind dotted keys.
//!
//! - `server.*`: read-only facts about this server ([`ServerFacts`] supplies the parts that
//!   depend on the request). `server.app.version` is the reference app's version whose API
//!   we implement, high enough for the browser extension's requirement check (≥ 2024.12).
//! - `user.*`: typed and validated ([`USER_SETTINGS`]), stored per user in the store's user
//!   settings under the name without `user.` (the names [`super::UserSettings`] reads).
//!   Values that are missing or no longer valid read as the default.
//! - `client.*`: free pairs for clients (the browser extension keeps its private folder id
//!   there): name ≤ 48 bytes, value a string, number or boolean of ≤ 128 bytes, stored per
//!   user under the full key as JSON text; unset keys read as null.
//!
//! Reading an unknown key gives null (as the reference). Writing or resetting checks every
//! key and value first and then applies them all in one transaction, or nothing.

use std::collections::HashMap;

use passwords_store::{Store, Tx};
use passwords_types::UserId;
use serde_json::{Map, Value};

use crate::error::{CoreError, CoreResult};

/// The reference app's version whose API this server speaks (`server.app.version`).
pub const APP_VERSION: &str = "2026.7";
/// The Nextcloud major version reported as `server.version`.
pub const SERVER_VERSION: &str = "31";
/// Longest client setting name (after `client.`) and value, in bytes.
pub const CLIENT_KEY_MAX: usize = 48;
pub const CLIENT_VALUE_MAX: usize = 128;

const HANDBOOK_URL: &str =
    "https://raw.githubusercontent.com/wiki/marius-wieschollek/passwords/Users/";
const HANDBOOK_URL_WEB: &str = "https://git.mdns.eu/nextcloud/passwords/-/wikis/Users/";

/// What `server.*` needs from the request.
#[derive(Clone, Debug)]
pub struct ServerFacts {
    /// The address clients reach this server at, without a trailing slash
    /// (`https://passwords.example.com`).
    pub base_url: String,
}

/// The scopes of `settings/list`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Server,
    User,
    Client,
}

impl Scope {
    /// `server`, `user` or `client`.
    pub fn parse(name: &str) -> Option<Scope> {
        match name {
            "server" => Some(Scope::Server),
            "user" => Some(Scope::User),
            "client" => Some(Scope::Client),
            _ => None,
        }
    }
}

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
    fn find(name: &str) -> Option<&'static UserDef> {
        USER_SETTINGS.iter().find(|d| d.name == name)
    }

    fn to_json(self, n: i64) -> Value {
        match self.kind {
            UserKind::Bool => Value::Bool(n != 0),
            UserKind::Int { .. } => Value::from(n),
        }
    }

    /// The stored text as a value; missing or invalid text gives the default.
    fn read(self, stored: Option<&str>) -> Value {
        let n = stored
            .and_then(|s| self.parse(&Value::String(s.to_owned())))
            .unwrap_or(self.default);
        self.to_json(n)
    }

    /// A client's value as an integer (booleans 0/1) if it is valid for this setting.
    /// Numbers may be floats (truncated) or numeric strings; booleans are `true`/`false`,
    /// 0/1 or their strings (`""` is false).
    fn parse(self, value: &Value) -> Option<i64> {
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

    fn stored_text(self, n: i64) -> String {
        match self.kind {
            UserKind::Bool => if n != 0 { "true" } else { "false" }.to_owned(),
            UserKind::Int { .. } => n.to_string(),
        }
    }
}

fn truncate(f: f64) -> Option<i64> {
    (f.is_finite() && f.abs() < 9.0e15).then(|| f.trunc() as i64)
}

/// `server.*` as a list of (key, value), in the reference's order.
fn server_settings(facts: &ServerFacts) -> Vec<(&'static str, Value)> {
    let base = facts.base_url.trim_end_matches('/');
    vec![
        ("server.baseUrl", Value::from(format!("{base}/"))),
        (
            "server.baseUrl.webdav",
            Value::from(format!("{base}/remote.php/webdav")),
        ),
        ("server.version", Value::from(SERVER_VERSION)),
        ("server.app.version", Value::from(APP_VERSION)),
        ("server.handbook.url", Value::from(HANDBOOK_URL)),
        ("server.handbook.url.web", Value::from(HANDBOOK_URL_WEB)),
        ("server.performance", Value::from(5)),
        ("server.theme.color.primary", Value::from("#0082c9")),
        ("server.theme.color.text", Value::from("#ffffff")),
        ("server.theme.color.background", Value::from("#ffffff")),
        ("server.theme.background", Value::from("")),
        ("server.theme.logo", Value::from("")),
        ("server.theme.label", Value::from("Passwords")),
        ("server.theme.app.icon", Value::from("")),
        ("server.theme.folder.icon", Value::from("")),
        // Sharing is not offered by this server yet.
        ("server.sharing.enabled", Value::Bool(false)),
        ("server.sharing.groups.enabled", Value::Bool(false)),
        ("server.sharing.resharing", Value::Bool(false)),
        ("server.sharing.autocomplete", Value::Bool(false)),
        ("server.sharing.types", Value::from(vec!["user"])),
    ]
}

fn server_setting(facts: &ServerFacts, key: &str) -> Value {
    // The reference's aliases of two theme keys.
    let key = match key {
        "server.theme.color" => "server.theme.color.primary",
        "server.theme.text.color" => "server.theme.color.text",
        k => k,
    };
    server_settings(facts)
        .into_iter()
        .find(|(k, _)| *k == key)
        .map_or(Value::Null, |(_, v)| v)
}

/// A stored client value (JSON text) as the client set it.
fn client_value(stored: &str) -> Value {
    serde_json::from_str(stored).unwrap_or_else(|_| Value::String(stored.to_owned()))
}

/// The user's stored settings, by stored key.
async fn stored(tx: &mut dyn Tx, uid: &UserId) -> CoreResult<HashMap<String, String>> {
    Ok(tx.list_user_settings(uid).await?.into_iter().collect())
}

/// `settings/get`: the value of each key; unknown keys are null.
pub async fn get(
    tx: &mut dyn Tx,
    uid: &UserId,
    facts: &ServerFacts,
    keys: &[String],
) -> CoreResult<Map<String, Value>> {
    let mut out = Map::new();
    let mut user: Option<HashMap<String, String>> = None;
    for key in keys {
        let value = match key.split_once('.') {
            Some(("server", _)) => server_setting(facts, key),
            Some(("user", name)) => match UserDef::find(name) {
                Some(def) => {
                    if user.is_none() {
                        user = Some(stored(tx, uid).await?);
                    }
                    let map = user.as_ref().map(|m| m.get(name).map(String::as_str));
                    def.read(map.flatten())
                }
                None => Value::Null,
            },
            Some(("client", name)) if !name.is_empty() && name.len() <= CLIENT_KEY_MAX => {
                if user.is_none() {
                    user = Some(stored(tx, uid).await?);
                }
                user.as_ref()
                    .and_then(|m| m.get(key.as_str()))
                    .map_or(Value::Null, |s| client_value(s))
            }
            _ => Value::Null,
        };
        out.insert(key.clone(), value);
    }
    Ok(out)
}

/// `settings/list`: every setting of the scopes (all three when `scopes` is `None`).
pub async fn list(
    tx: &mut dyn Tx,
    uid: &UserId,
    facts: &ServerFacts,
    scopes: Option<&[Scope]>,
) -> CoreResult<Map<String, Value>> {
    let wants = |s: Scope| scopes.is_none_or(|list| list.contains(&s));
    let mut out = Map::new();
    if wants(Scope::Server) {
        for (k, v) in server_settings(facts) {
            out.insert(k.to_owned(), v);
        }
    }
    if wants(Scope::User) || wants(Scope::Client) {
        let map = stored(tx, uid).await?;
        if wants(Scope::User) {
            for def in USER_SETTINGS {
                let value = def.read(map.get(def.name).map(String::as_str));
                out.insert(format!("user.{}", def.name), value);
            }
        }
        if wants(Scope::Client) {
            let mut client: Vec<(&String, &String)> = map
                .iter()
                .filter(|(k, _)| k.starts_with("client."))
                .collect();
            client.sort();
            for (k, v) in client {
                out.insert(k.clone(), client_value(v));
            }
        }
    }
    Ok(out)
}

/// The user's `password.generator.*` settings: the defaults of `service/password`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GeneratorDefaults {
    pub strength: i64,
    pub numbers: bool,
    pub special: bool,
}

/// Reads the generator defaults of `uid`.
pub async fn generator_defaults(tx: &mut dyn Tx, uid: &UserId) -> CoreResult<GeneratorDefaults> {
    let map = stored(tx, uid).await?;
    let value = |name: &str| {
        UserDef::find(name).map_or(0, |d| {
            map.get(name)
                .and_then(|s| d.parse(&Value::String(s.clone())))
                .unwrap_or(d.default)
        })
    };
    Ok(GeneratorDefaults {
        strength: value("password.generator.strength"),
        numbers: value("password.generator.numbers") != 0,
        special: value("password.generator.special") != 0,
    })
}

/// One checked change.
enum Change {
    Put {
        key: String,
        stored_key: String,
        text: String,
        value: Value,
    },
    Delete {
        key: String,
        stored_key: String,
        value: Value,
    },
}

/// Checks a key for writing: its stored key and, for user settings, its definition.
fn writable(key: &str) -> CoreResult<(String, Option<&'static UserDef>)> {
    match key.split_once('.') {
        Some(("server", _)) => Err(CoreError::SettingNotWritable(key.to_owned())),
        Some(("user", name)) => UserDef::find(name)
            .map(|d| (d.name.to_owned(), Some(d)))
            .ok_or_else(|| CoreError::UnknownSetting(key.to_owned())),
        Some(("client", name)) if !name.is_empty() => {
            if name.len() > CLIENT_KEY_MAX {
                Err(CoreError::InvalidInput("Key too long".into()))
            } else {
                Ok((key.to_owned(), None))
            }
        }
        _ => Err(CoreError::UnknownSetting(key.to_owned())),
    }
}

fn invalid(key: &str, expected: &str) -> CoreError {
    CoreError::InvalidSettingValue {
        key: key.to_owned(),
        expected: expected.to_owned(),
    }
}

fn plan_set(key: &str, value: &Value) -> CoreResult<Change> {
    let (stored_key, def) = writable(key)?;
    if let Some(def) = def {
        let n = def.parse(value).ok_or_else(|| {
            invalid(
                key,
                match def.kind {
                    UserKind::Bool => "true or false",
                    UserKind::Int { .. } => "an integer in range",
                },
            )
        })?;
        return Ok(Change::Put {
            key: key.to_owned(),
            stored_key,
            text: def.stored_text(n),
            value: def.to_json(n),
        });
    }
    let length = match value {
        Value::Null => {
            return Ok(Change::Delete {
                key: key.to_owned(),
                stored_key,
                value: Value::Null,
            })
        }
        Value::String(s) => s.len(),
        Value::Number(n) => n.to_string().len(),
        Value::Bool(_) => 1,
        Value::Array(_) | Value::Object(_) => {
            return Err(invalid(key, "a string, number or boolean"))
        }
    };
    if length > CLIENT_VALUE_MAX {
        return Err(CoreError::InvalidInput("Value too long".into()));
    }
    Ok(Change::Put {
        key: key.to_owned(),
        stored_key,
        text: value.to_string(),
        value: value.clone(),
    })
}

fn plan_reset(key: &str) -> CoreResult<Change> {
    let (stored_key, def) = writable(key)?;
    Ok(Change::Delete {
        key: key.to_owned(),
        stored_key,
        value: def.map_or(Value::Null, |d| d.to_json(d.default)),
    })
}

/// Applies checked changes in one transaction; returns each key's value now.
async fn apply(
    store: &dyn Store,
    uid: &UserId,
    changes: Vec<Change>,
) -> CoreResult<Map<String, Value>> {
    let mut out = Map::new();
    if changes.is_empty() {
        return Ok(out);
    }
    let mut tx = store.begin().await?;
    for change in changes {
        match change {
            Change::Put {
                key,
                stored_key,
                text,
                value,
            } => {
                tx.set_user_setting(uid, &stored_key, &text).await?;
                out.insert(key, value);
            }
            Change::Delete {
                key,
                stored_key,
                value,
            } => {
                tx.delete_user_setting(uid, &stored_key).await?;
                out.insert(key, value);
            }
        }
    }
    tx.commit().await?;
    Ok(out)
}

/// `settings/set`: checks every pair, then stores them all in one transaction. Returns
/// each key with the value as it is now stored.
pub async fn set(
    store: &dyn Store,
    uid: &UserId,
    pairs: &[(String, Value)],
) -> CoreResult<Map<String, Value>> {
    let changes = pairs
        .iter()
        .map(|(k, v)| plan_set(k, v))
        .collect::<CoreResult<Vec<_>>>()?;
    apply(store, uid, changes).await
}

/// `settings/reset`: checks every key, then removes the stored values in one transaction.
/// Returns each key with its default (null for client settings).
pub async fn reset(
    store: &dyn Store,
    uid: &UserId,
    keys: &[String],
) -> CoreResult<Map<String, Value>> {
    let changes = keys
        .iter()
        .map(|k| plan_reset(k))
        .collect::<CoreResult<Vec<_>>>()?;
    apply(store, uid, changes).await
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

    #[test]
    fn server_settings_satisfy_the_clients() {
        let facts = ServerFacts {
            base_url: "https://pw.example".into(),
        };
        // The browser extension refuses servers below 2024.12 (YYYY.M compared numerically).
        let version = server_setting(&facts, "server.app.version");
        let (year, month) = version.as_str().unwrap().split_once('.').unwrap();
        let (year, month): (u32, u32) = (year.parse().unwrap(), month.parse().unwrap());
        assert!(year > 2024 || (year == 2024 && month >= 12));
        assert!(server_setting(&facts, "server.theme.color.primary").is_string());
        assert_eq!(
            server_setting(&facts, "server.theme.color"),
            server_setting(&facts, "server.theme.color.primary")
        );
        assert_eq!(server_setting(&facts, "server.nope"), Value::Null);
        assert_eq!(
            server_setting(&facts, "server.baseUrl"),
            Value::from("https://pw.example/")
        );
    }

    #[test]
    fn writes_are_checked_before_anything_is_stored() {
        assert!(matches!(
            plan_set("server.version", &Value::from("1")),
            Err(CoreError::SettingNotWritable(_))
        ));
        assert!(matches!(
            plan_set("user.nope", &Value::from(1)),
            Err(CoreError::UnknownSetting(_))
        ));
        assert!(matches!(
            plan_set("other.x", &Value::from(1)),
            Err(CoreError::UnknownSetting(_))
        ));
        assert!(matches!(
            plan_set("client.", &Value::from(1)),
            Err(CoreError::UnknownSetting(_))
        ));
        let long_key = format!("client.{}", "k".repeat(49));
        assert!(matches!(
            plan_set(&long_key, &Value::from(1)),
            Err(CoreError::InvalidInput(m)) if m == "Key too long"
        ));
        let ok_key = format!("client.{}", "k".repeat(48));
        assert!(plan_set(&ok_key, &Value::from("v".repeat(128))).is_ok());
        assert!(matches!(
            plan_set(&ok_key, &Value::from("v".repeat(129))),
            Err(CoreError::InvalidInput(m)) if m == "Value too long"
        ));
        assert!(matches!(
            plan_set("client.x", &serde_json::json!({"a": 1})),
            Err(CoreError::InvalidSettingValue { .. })
        ));
        assert!(matches!(
            plan_reset("server.version"),
            Err(CoreError::SettingNotWritable(_))
        ));
    }
}
