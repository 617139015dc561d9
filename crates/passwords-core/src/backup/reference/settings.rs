//! The reference's settings in our terms: the app settings this server has (others are
//! named in a warning), the raw user settings, and the client settings as user settings.

use std::collections::BTreeMap;

use passwords_types::UserId;
use serde_json::Value;

use crate::backup::format::Settings;
use crate::settings::registry;

/// The app settings' names before version 105 (config keys) → the dotted names.
fn dotted(version: u32, key: &str) -> String {
    if version >= 105 {
        return key.to_owned();
    }
    match key {
        "backup/files/maximum" => "backup.files.max".into(),
        other => other.replace('/', "."),
    }
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

pub fn convert(
    version: u32,
    settings: Option<&Value>,
    users: &BTreeMap<String, UserId>,
    warnings: &mut Vec<String>,
) -> Settings {
    let mut out = Settings::default();
    let empty = serde_json::Map::new();
    let section = |name: &str| {
        settings
            .and_then(|s| s.get(name))
            .and_then(Value::as_object)
            .unwrap_or(&empty)
    };
    let application: BTreeMap<String, Option<String>> = section("application")
        .iter()
        .map(|(k, v)| (dotted(version, k), text(v)))
        .collect();
    let mut unknown = Vec::new();
    for (key, value) in &application {
        let Some(value) = value else { continue };
        match registry().iter().find(|d| d.key == key && d.writable) {
            None => unknown.push(key.clone()),
            Some(def) => {
                if def.normalise(value).is_err() {
                    warnings.push(format!(
                        "The app setting {key} has the value {value:?}, which this server \
                         does not support; it keeps its default"
                    ));
                }
            }
        }
    }
    if !unknown.is_empty() {
        warnings.push(format!(
            "App settings this server does not have are not imported: {}",
            unknown.join(", ")
        ));
    }
    for def in registry().iter().filter(|d| d.writable) {
        let value = application
            .get(def.key)
            .cloned()
            .flatten()
            .and_then(|v| def.normalise(&v).ok());
        out.application.insert(def.key.to_owned(), value);
    }
    for (old, values) in section("users") {
        let Some(values) = values.as_object() else {
            continue;
        };
        let Some(uid) = users.get(old) else { continue };
        let mine = out.users.entry(uid.clone()).or_default();
        for (key, value) in values {
            if let Some(v) = text(value) {
                mine.insert(key.clone(), Some(v));
            }
        }
    }
    for (old, blob) in section("clients") {
        let Some(uid) = users.get(old) else { continue };
        let parsed = match blob {
            Value::String(s) => serde_json::from_str::<Value>(s).ok(),
            other => Some(other.clone()),
        };
        match parsed {
            Some(Value::Object(map)) => {
                let mine = out.users.entry(uid.clone()).or_default();
                for (key, value) in map {
                    let key = if key.starts_with("client.") {
                        key
                    } else {
                        format!("client.{key}")
                    };
                    mine.insert(key, Some(value.to_string()));
                }
            }
            Some(Value::Array(a)) if a.is_empty() => {}
            _ => warnings.push(format!(
                "The client settings of '{uid}' are not a JSON object and are not imported"
            )),
        }
    }
    out.users.retain(|_, v| !v.is_empty());
    out
}
