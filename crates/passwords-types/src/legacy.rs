//! The JSON objects of the legacy API (`api/0.1`), field order as the reference sends them.

use serde::{Serialize, Serializer};

use crate::json::{write_int, write_str, write_str_in_str};

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

/// A password of the legacy API, borrowed: what [`LegacyListWriter`] writes. The inner
/// `properties` repeat `loginname`, `address` and `notes`, as [`LegacyPassword`]s always do.
#[derive(Clone, Copy, Debug)]
pub struct LegacyPasswordView<'a> {
    pub id: i64,
    pub name: &'a str,
    pub user_id: &'a str,
    pub loginname: &'a str,
    pub pass: &'a str,
    pub website: Option<&'a str>,
    pub address: &'a str,
    pub notes: &'a str,
    pub deleted: bool,
    pub creation_date: &'a str,
    pub strength: i64,
    pub length: i64,
    pub lower: u8,
    pub upper: u8,
    pub number: u8,
    pub special: u8,
    pub category: i64,
    pub datechanged: &'a str,
}

/// Writes a password list as the JSON text that serialising a [`LegacyPasswordList`] with
/// `serde_json` gives, byte for byte, one password at a time into one buffer: no owned
/// [`LegacyPassword`] per entry, and `properties` (JSON inside a JSON string) escaped on the
/// fly instead of through a temporary string.
pub struct LegacyListWriter {
    out: Vec<u8>,
    count: usize,
}

impl LegacyListWriter {
    /// A writer whose buffer starts with room for `bytes` bytes.
    pub fn with_capacity(bytes: usize) -> Self {
        let mut out = Vec::with_capacity(bytes.max(2));
        out.push(b'{');
        Self { out, count: 0 }
    }

    /// Appends the next password (keyed `"1"`, `"2"`, …).
    pub fn push(&mut self, p: &LegacyPasswordView<'_>) {
        self.count += 1;
        let out = &mut self.out;
        if self.count > 1 {
            out.push(b',');
        }
        out.push(b'"');
        write_int(out, self.count as i64);
        out.extend_from_slice(b"\":{\"id\":");
        write_int(out, p.id);
        out.extend_from_slice(b",\"name\":");
        write_str(out, p.name);
        out.extend_from_slice(b",\"user_id\":");
        write_str(out, p.user_id);
        out.extend_from_slice(b",\"loginname\":");
        write_str(out, p.loginname);
        out.extend_from_slice(b",\"pass\":");
        write_str(out, p.pass);
        out.extend_from_slice(b",\"website\":");
        match p.website {
            Some(w) => write_str(out, w),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"address\":");
        write_str(out, p.address);
        out.extend_from_slice(b",\"notes\":");
        write_str(out, p.notes);
        out.extend_from_slice(if p.deleted {
            b",\"deleted\":true,\"creation_date\":"
        } else {
            b",\"deleted\":false,\"creation_date\":"
        });
        write_str(out, p.creation_date);
        // The properties object, as the text of a JSON string: its own quotes escaped, its
        // strings escaped twice.
        out.extend_from_slice(br#","properties":"{\"loginname\":"#);
        write_str_in_str(out, p.loginname);
        out.extend_from_slice(br#",\"address\":"#);
        write_str_in_str(out, p.address);
        out.extend_from_slice(br#",\"strength\":"#);
        write_int(out, p.strength);
        out.extend_from_slice(br#",\"length\":"#);
        write_int(out, p.length);
        out.extend_from_slice(br#",\"lower\":"#);
        write_int(out, p.lower.into());
        out.extend_from_slice(br#",\"upper\":"#);
        write_int(out, p.upper.into());
        out.extend_from_slice(br#",\"number\":"#);
        write_int(out, p.number.into());
        out.extend_from_slice(br#",\"special\":"#);
        write_int(out, p.special.into());
        out.extend_from_slice(br#",\"category\":"#);
        write_int(out, p.category);
        out.extend_from_slice(br#",\"datechanged\":"#);
        write_str_in_str(out, p.datechanged);
        out.extend_from_slice(br#",\"notes\":"#);
        write_str_in_str(out, p.notes);
        out.extend_from_slice(br#"}"}"#);
    }

    /// The JSON text.
    pub fn finish(mut self) -> Vec<u8> {
        self.out.push(b'}');
        self.out
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

    fn view(p: &LegacyPassword) -> LegacyPasswordView<'_> {
        let q = &p.properties;
        assert_eq!(
            (&q.loginname, &q.address, &q.notes),
            (&p.loginname, &p.address, &p.notes)
        );
        LegacyPasswordView {
            id: p.id,
            name: &p.name,
            user_id: &p.user_id,
            loginname: &p.loginname,
            pass: &p.pass,
            website: p.website.as_deref(),
            address: &p.address,
            notes: &p.notes,
            deleted: p.deleted,
            creation_date: &p.creation_date,
            strength: q.strength,
            length: q.length,
            lower: q.lower,
            upper: q.upper,
            number: q.number,
            special: q.special,
            category: q.category,
            datechanged: &q.datechanged,
        }
    }

    fn written(list: &LegacyPasswordList) -> Vec<u8> {
        let mut w = LegacyListWriter::with_capacity(0);
        for p in &list.0 {
            w.push(&view(p));
        }
        w.finish()
    }

    /// Every byte value and awkward text, as serde_json writes them.
    #[test]
    fn list_writer_matches_serde_json() {
        assert_eq!(written(&LegacyPasswordList::default()), b"{}");
        let mut all: String = (0u8..0x80).map(char::from).collect();
        all.push_str("\u{7f}\u{80}\u{2013}\u{2028}\u{fffd}😀 \\\" \\\\ \"\\ </script>");
        let texts = [
            "",
            "plain",
            "Line1\nLine2 <b>",
            "\"quoted\" \\back\\slash\\",
            "\\u0041 \\n",
            all.as_str(),
        ];
        let mut list = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            let mut p = sample();
            p.id = i as i64 * 1_000_003 - 7;
            p.name = format!("{t}{i}");
            p.user_id = t.to_string();
            p.loginname = t.to_string();
            p.pass = format!("{i}{t}");
            p.website = (i % 2 == 0).then(|| t.to_string());
            p.address = t.chars().rev().collect();
            p.notes = t.repeat(2);
            p.deleted = i % 3 == 0;
            p.creation_date = t.to_string();
            p.properties = LegacyProperties {
                loginname: p.loginname.clone(),
                address: p.address.clone(),
                strength: -(i as i64),
                length: i64::MAX - i as i64,
                lower: i as u8,
                upper: 255 - i as u8,
                number: 0,
                special: 1,
                category: i64::MIN + i as i64,
                datechanged: t.to_string(),
                notes: p.notes.clone(),
            };
            list.push(p);
        }
        list.push(sample());
        for n in 0..=list.len() {
            let part = LegacyPasswordList(list[..n].to_vec());
            assert_eq!(
                String::from_utf8(written(&part)).unwrap(),
                serde_json::to_string(&part).unwrap()
            );
        }
        let mut many = LegacyPasswordList(vec![sample(); 12]);
        many.0[11].id = 0;
        assert_eq!(written(&many), serde_json::to_vec(&many).unwrap());
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
