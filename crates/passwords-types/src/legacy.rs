//! The JSON objects of the legacy API (`api/0.1`), field order as the reference sends them.

use serde::{Serialize, Serializer};

/// A password as the legacy API shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LegacyPassword {
    pub id: i64,
    pub name: String,
    pub user_id: String,
    pub loginname: String,
    pub pass: String,
    /// The host of `address`, or `null` when it has none.
    pub website: Option<String>,
    pub address: String,
    pub notes: String,
    pub deleted: bool,
    /// `YYYY-MM-DD` (UTC) of the password's creation.
    pub creation_date: String,
    /// [`LegacyProperties`] encoded as a JSON string.
    #[serde(serialize_with = "as_json_string")]
    pub properties: LegacyProperties,
}

/// The inner object of `properties`, sent as a JSON-encoded string.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LegacyProperties {
    pub loginname: String,
    pub address: String,
    pub strength: i64,
    pub length: i64,
    pub lower: u8,
    pub upper: u8,
    pub number: u8,
    pub special: u8,
    pub category: i64,
    pub datechanged: String,
    pub notes: String,
}

fn as_json_string<S: Serializer>(props: &LegacyProperties, s: S) -> Result<S::Ok, S::Error> {
    let text = serde_json::to_string(props).map_err(serde::ser::Error::custom)?;
    s.serialize_str(&text)
}

/// A tag as a legacy "category".
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LegacyCategory {
    pub id: i64,
    pub user_id: String,
    pub category_name: String,
    pub category_colour: String,
}

/// The password list: a JSON object keyed `"1"`, `"2"`, … in order, `{}` when empty.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LegacyPasswordList(pub Vec<LegacyPassword>);

impl Serialize for LegacyPasswordList {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(
            self.0
                .iter()
                .enumerate()
                .map(|(i, p)| ((i + 1).to_string(), p)),
        )
    }
}

/// The `{"id":N}` answer to deletions.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LegacyDeleted {
    pub id: i64,
}

/// The error body of the Passwords app: `{"status":"error","id":…,"message":…}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ErrorBody {
    pub status: &'static str,
    pub id: ErrorBodyId,
    pub message: String,
}

/// The `id` of an error body: the CRC-32 text of the message, or a bare number (`404`, `0`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ErrorBodyId {
    Text(String),
    Number(i64),
}

impl ErrorBody {
    /// An error whose id is the reference's CRC-32 of the message.
    pub fn new(message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            status: "error",
            id: ErrorBodyId::Text(crate::error_id(&message)),
            message,
        }
    }

    /// An error with a numeric id, as the reference sends for "Resource not found" (404) and the
    /// generic failure (0).
    pub fn numbered(id: i64, message: impl Into<String>) -> Self {
        Self {
            status: "error",
            id: ErrorBodyId::Number(id),
            message: message.into(),
        }
    }
}

/// The body of authentication failures: `{"message":"…"}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MessageBody {
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> LegacyPassword {
        LegacyPassword {
            id: 12,
            name: "github.com \u{2013} alice".into(),
            user_id: "alice".into(),
            loginname: "alice".into(),
            pass: "S3cret!pw".into(),
            website: Some("github.com".into()),
            address: "https://github.com/login".into(),
            notes: "n".into(),
            deleted: false,
            creation_date: "2021-03-04".into(),
            properties: LegacyProperties {
                loginname: "alice".into(),
                address: "https://github.com/login".into(),
                strength: 20,
                length: 9,
                lower: 1,
                upper: 1,
                number: 1,
                special: 1,
                category: 3,
                datechanged: "2021-05-06".into(),
                notes: "n".into(),
            },
        }
    }

    #[test]
    fn password_keys_in_order_and_properties_is_a_string() {
        let v = serde_json::to_string(&sample()).unwrap();
        let keys = [
            "\"id\"",
            "\"name\"",
            "\"user_id\"",
            "\"loginname\"",
            "\"pass\"",
            "\"website\"",
            "\"address\"",
            "\"notes\"",
            "\"deleted\"",
            "\"creation_date\"",
            "\"properties\"",
        ];
        let mut last = 0;
        for k in keys {
            let at = v.find(k).unwrap();
            assert!(at >= last, "{k} out of order in {v}");
            last = at;
        }
        let parsed: serde_json::Value = serde_json::from_str(&v).unwrap();
        let props = parsed["properties"].as_str().unwrap();
        let inner: serde_json::Value = serde_json::from_str(props).unwrap();
        assert_eq!(inner["strength"], 20);
        assert_eq!(inner["category"], 3);
        assert!(props.starts_with("{\"loginname\""));
    }

    #[test]
    fn list_is_an_object_keyed_from_one() {
        assert_eq!(
            serde_json::to_string(&LegacyPasswordList::default()).unwrap(),
            "{}"
        );
        let list = LegacyPasswordList(vec![sample(), sample()]);
        let v: serde_json::Value = serde_json::to_value(&list).unwrap();
        assert!(v.get("1").is_some() && v.get("2").is_some() && v.get("0").is_none());
    }

    #[test]
    fn error_bodies() {
        let e = ErrorBody::new("HTTPS required");
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"status":"error","id":"6304571a","message":"HTTPS required"}"#
        );
        let n = ErrorBody::numbered(404, "Resource not found");
        assert_eq!(
            serde_json::to_string(&n).unwrap(),
            r#"{"status":"error","id":404,"message":"Resource not found"}"#
        );
    }
}
