//! The reference app's backup entries as types, and its migration steps (versions 100–105 to
//! 106) as far as they touch single entries. Values are read leniently where PHP and its
//! databases vary (booleans as `0`/`1`/`"1"`, numbers as strings, fields that older versions
//! lack get the default the reference's migration gives them); unknown fields are ignored,
//! as the reference ignores them.

use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// The first version the reference calls a server backup, and the last one it writes.
pub const OLDEST: u32 = 100;
pub const NEWEST: u32 = 106;

fn flex_bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => false,
        Value::Bool(b) => b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !matches!(s.as_str(), "" | "0" | "false"),
        _ => return Err(de::Error::custom("a value is not a boolean")),
    })
}

fn yes() -> bool {
    true
}

fn flex_i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    flex_opt_i64(d).map(|v| v.unwrap_or(0))
}

fn flex_opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => None,
        Value::Number(n) => Some(
            n.as_i64()
                .ok_or_else(|| de::Error::custom("a number is not an integer"))?,
        ),
        Value::String(s) => Some(
            s.trim()
                .parse()
                .map_err(|_| de::Error::custom("a text is not an integer"))?,
        ),
        _ => return Err(de::Error::custom("a value is not an integer")),
    })
}

/// A text or `null` (a number is taken as its text). Errors never quote the value: it may be
/// a key.
fn flex_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => None,
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if b { "1".into() } else { String::new() }),
        _ => return Err(de::Error::custom("a value is not a text")),
    })
}

/// A password, folder or tag with its revisions.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Model {
    #[serde(default, deserialize_with = "flex_opt_i64")]
    pub id: Option<i64>,
    pub uuid: String,
    pub user_id: String,
    #[serde(default, deserialize_with = "flex_bool")]
    pub deleted: bool,
    #[serde(default, deserialize_with = "flex_i64")]
    pub created: i64,
    #[serde(default, deserialize_with = "flex_i64")]
    pub updated: i64,
    pub revision: String,
    #[serde(default, deserialize_with = "flex_text")]
    pub share_id: Option<String>,
    #[serde(default = "yes", deserialize_with = "flex_bool")]
    pub editable: bool,
    #[serde(default, deserialize_with = "flex_bool")]
    pub suspended: bool,
    #[serde(default, deserialize_with = "flex_bool")]
    pub has_shares: bool,
    #[serde(default)]
    pub revisions: Vec<Revision>,
}

/// A revision of any of the three (the fields of the others stay `None`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Revision {
    pub uuid: String,
    pub user_id: String,
    #[serde(default, deserialize_with = "flex_bool")]
    pub deleted: bool,
    #[serde(default, deserialize_with = "flex_i64")]
    pub created: i64,
    #[serde(default, deserialize_with = "flex_i64")]
    pub updated: i64,
    pub model: String,
    #[serde(default, deserialize_with = "flex_text")]
    pub label: Option<String>,
    #[serde(default, deserialize_with = "flex_text")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "flex_text")]
    pub username: Option<String>,
    #[serde(default, deserialize_with = "flex_text")]
    pub password: Option<String>,
    #[serde(default, deserialize_with = "flex_text")]
    pub notes: Option<String>,
    #[serde(default, deserialize_with = "flex_text")]
    pub custom_fields: Option<String>,
    #[serde(default, deserialize_with = "flex_text")]
    pub color: Option<String>,
    #[serde(default, deserialize_with = "flex_text")]
    pub hash: Option<String>,
    #[serde(default, deserialize_with = "flex_text")]
    pub folder: Option<String>,
    #[serde(default, deserialize_with = "flex_text")]
    pub parent: Option<String>,
    #[serde(default, deserialize_with = "flex_text")]
    pub status_code: Option<String>,
    #[serde(default, deserialize_with = "flex_text")]
    pub sse_type: Option<String>,
    #[serde(default, deserialize_with = "flex_text")]
    pub sse_key: Option<String>,
    #[serde(default, deserialize_with = "flex_text")]
    pub cse_type: Option<String>,
    #[serde(default, deserialize_with = "flex_text")]
    pub cse_key: Option<String>,
    #[serde(default, deserialize_with = "flex_text")]
    pub client: Option<String>,
    #[serde(default, deserialize_with = "flex_opt_i64")]
    pub edited: Option<i64>,
    #[serde(default, deserialize_with = "flex_bool")]
    pub hidden: bool,
    #[serde(default, deserialize_with = "flex_bool")]
    pub trashed: bool,
    #[serde(default, deserialize_with = "flex_bool")]
    pub favorite: bool,
}

impl Revision {
    /// Whether a server can decrypt it: SSEv1 without client-side encryption.
    pub fn readable(&self) -> bool {
        self.cse_type.as_deref().is_none_or(|c| c == "none")
            && matches!(self.sse_type.as_deref(), Some("SSEv1r1" | "SSEv1r2"))
    }

    /// The encryption, for warnings (`SSEv2r1`, `CSEv1r1`, …).
    pub fn encryption(&self) -> String {
        match self.cse_type.as_deref() {
            Some(c) if c != "none" => c.to_owned(),
            _ => self.sse_type.clone().unwrap_or_else(|| "none".into()),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Share {
    pub uuid: String,
    pub user_id: String,
    pub receiver: String,
    #[serde(default, rename = "type", deserialize_with = "flex_text")]
    pub share_type: Option<String>,
    #[serde(default, deserialize_with = "flex_text")]
    pub client: Option<String>,
    pub source_password: String,
    #[serde(default, deserialize_with = "flex_text")]
    pub target_password: Option<String>,
    #[serde(default, deserialize_with = "flex_opt_i64")]
    pub expires: Option<i64>,
    #[serde(default, deserialize_with = "flex_bool")]
    pub editable: bool,
    #[serde(default, deserialize_with = "flex_bool")]
    pub shareable: bool,
    #[serde(default, deserialize_with = "flex_bool")]
    pub source_updated: bool,
    #[serde(default, deserialize_with = "flex_bool")]
    pub target_updated: bool,
    #[serde(default, deserialize_with = "flex_bool")]
    pub deleted: bool,
    #[serde(default, deserialize_with = "flex_i64")]
    pub created: i64,
    #[serde(default, deserialize_with = "flex_i64")]
    pub updated: i64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Relation {
    #[serde(default, deserialize_with = "flex_text")]
    pub uuid: Option<String>,
    pub user_id: String,
    #[serde(default, deserialize_with = "flex_bool")]
    pub deleted: bool,
    #[serde(default, deserialize_with = "flex_i64")]
    pub created: i64,
    #[serde(default, deserialize_with = "flex_i64")]
    pub updated: i64,
    pub tag: String,
    pub password: String,
    #[serde(default, deserialize_with = "flex_text")]
    pub tag_revision: Option<String>,
    #[serde(default, deserialize_with = "flex_text")]
    pub password_revision: Option<String>,
    #[serde(default, deserialize_with = "flex_bool")]
    pub hidden: bool,
    #[serde(default, deserialize_with = "flex_text")]
    pub client: Option<String>,
}

/// `keys` (`secret` from version 105 on; `ChallengeId` belongs to client-side encryption,
/// which is not carried over).
#[derive(Debug, Default, Deserialize)]
pub struct Keys {
    #[serde(default)]
    pub server: ServerKeys,
    #[serde(default)]
    pub users: std::collections::BTreeMap<String, UserKeys>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ServerKeys {
    #[serde(default, deserialize_with = "flex_text")]
    pub secret: Option<String>,
    #[serde(default, rename = "SSEv1ServerKey", deserialize_with = "flex_text")]
    pub server_key: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct UserKeys {
    #[serde(default, rename = "SSEv1UserKey", deserialize_with = "flex_text")]
    pub user_key: Option<String>,
}

/// Migration steps 102 and 106 on one password, folder or tag entry (the other steps change
/// encrypted fields or other lists: see [`custom_fields`] and `super::convert`).
pub fn migrate_model(version: u32, entry: &mut Value) {
    let Some(revisions) = entry.get_mut("revisions").and_then(Value::as_array_mut) else {
        return;
    };
    for r in revisions.iter_mut().filter_map(Value::as_object_mut) {
        if version < 102 {
            r.remove("client");
            r.remove("favourite");
        }
        if version < 105 {
            r.insert("cseKey".into(), json!(""));
        }
        if !r.contains_key("client") || r["client"].is_null() {
            r.insert("client".into(), json!("CLIENT::UNKNOWN"));
        }
    }
}

/// `customFields` of a password revision as version 106 has it: versions before 103 kept a
/// map `{label: {type, value}}` (labels starting with `_` are machine data); before 104
/// entries could carry stray keys. Text that is no JSON becomes `[]`, as in the reference.
pub fn custom_fields(version: u32, text: &str) -> String {
    if version >= 104 {
        return text.to_owned();
    }
    if text.is_empty() || text == "{}" || text == "[]" {
        return "[]".into();
    }
    let entry = |label: Value, data: &Map<String, Value>, old_map: bool| {
        let data_label = label.as_str().is_some_and(|l| l.starts_with('_'));
        let kind = if old_map && version < 103 && data_label {
            json!("data")
        } else {
            data.get("type").cloned().unwrap_or(Value::Null)
        };
        json!({"label": label, "type": kind, "value": data.get("value").cloned().unwrap_or(Value::Null)})
    };
    let fields: Vec<Value> = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => map
            .iter()
            .filter_map(|(label, data)| data.as_object().map(|d| (label, d)))
            .map(|(label, d)| {
                if version < 103 {
                    entry(json!(label), d, true)
                } else {
                    entry(d.get("label").cloned().unwrap_or(Value::Null), d, false)
                }
            })
            .collect(),
        Ok(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_object)
            .map(|d| entry(d.get("label").cloned().unwrap_or(Value::Null), d, false))
            .collect(),
        _ => Vec::new(),
    };
    Value::Array(fields).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_fields_migrate() {
        assert_eq!(custom_fields(102, "{}"), "[]");
        assert_eq!(custom_fields(102, ""), "[]");
        let old = r#"{"PIN":{"type":"secret","value":"1234"},"_otp":{"type":"text","value":"x"}}"#;
        let new: Value = serde_json::from_str(&custom_fields(102, old)).unwrap();
        assert_eq!(
            new,
            json!([
                {"label": "PIN", "type": "secret", "value": "1234"},
                {"label": "_otp", "type": "data", "value": "x"}
            ])
        );
        let messy = r#"[{"label":"a","type":"text","value":"b","extra":1}]"#;
        assert_eq!(
            serde_json::from_str::<Value>(&custom_fields(103, messy)).unwrap(),
            json!([{"label": "a", "type": "text", "value": "b"}])
        );
        assert_eq!(custom_fields(106, messy), messy);
    }

    #[test]
    fn old_revisions_get_the_defaults() {
        let mut entry = json!({"revisions": [{"client": "x", "favourite": true}, {}]});
        migrate_model(101, &mut entry);
        assert_eq!(
            entry["revisions"],
            json!([
                {"cseKey": "", "client": "CLIENT::UNKNOWN"},
                {"cseKey": "", "client": "CLIENT::UNKNOWN"}
            ])
        );
        let mut entry = json!({"revisions": [{"client": "Firefox"}]});
        migrate_model(106, &mut entry);
        assert_eq!(entry["revisions"], json!([{"client": "Firefox"}]));
    }

    #[test]
    fn lenient_values() {
        let r: Revision = serde_json::from_value(json!({
            "uuid": "u", "userId": "a", "model": "m", "created": "12", "hidden": "1",
            "trashed": 0, "favorite": true, "label": null, "edited": 5
        }))
        .unwrap();
        assert_eq!(
            (r.created, r.hidden, r.trashed, r.favorite),
            (12, true, false, true)
        );
        assert_eq!((r.label.as_deref(), r.edited), (None, Some(5)));
        assert!(!r.readable());
    }
}
