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

mod server;
mod user;

use std::collections::HashMap;

use passwords_store::{Store, Tx};
use passwords_types::UserId;
use serde_json::{Map, Value};

use server::{server_setting, server_settings};
pub use server::{ServerFacts, APP_VERSION, SERVER_VERSION};
pub use user::{UserDef, UserKind, USER_SETTINGS};

use crate::error::{CoreError, CoreResult};

/// Longest client setting name (after `client.`) and value, in bytes.
pub const CLIENT_KEY_MAX: usize = 48;
pub const CLIENT_VALUE_MAX: usize = 128;

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
