//! The parameter bag of the legacy API and API v1: query string, form body and JSON body merged by name
//! (later sources win), then read field by field into typed input.

use axum::body::Body;
use axum::http::{header, HeaderMap, Method};
use passwords_core::legacy::{CategoryInput, CategoryRef, PasswordInput};
use passwords_types::ObjectRef;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// Named request parameters.
#[derive(Debug, Default)]
pub struct Params(Map<String, Value>);

impl Params {
    /// Reads the query string and, for bodies of a known type, the body (at most `limit`
    /// bytes). Malformed JSON is refused with 400; a body over the limit with 413.
    pub async fn read(
        method: &Method,
        query: Option<&str>,
        headers: &HeaderMap,
        body: Body,
        limit: usize,
    ) -> Result<Self, ApiError> {
        let mut map = Map::new();
        if let Some(q) = query {
            merge_form(&mut map, q.as_bytes());
        }
        if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
            return Ok(Params(map));
        }
        let bytes = axum::body::to_bytes(body, limit)
            .await
            .map_err(|_| ApiError::PayloadTooLarge)?;
        let ctype = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if ctype.contains("application/json") {
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(Params(map));
            }
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(Value::Object(obj)) => map.extend(obj),
                Ok(_) => {
                    return Err(ApiError::BadRequest(
                        "The request body must be a JSON object".into(),
                    ))
                }
                Err(_) => {
                    return Err(ApiError::BadRequest(
                        "Invalid JSON in the request body".into(),
                    ))
                }
            }
        } else if ctype.contains("application/x-www-form-urlencoded") {
            merge_form(&mut map, &bytes);
        }
        Ok(Params(map))
    }

    /// A text field: strings as they are, numbers as decimal text, `true` as `"1"`, `false` as
    /// `""`; missing or null is `None`; arrays and objects are refused.
    pub fn text(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(Value::Bool(true)) => Ok(Some("1".into())),
            Some(Value::Bool(false)) => Ok(Some(String::new())),
            Some(_) => Err(invalid(name)),
        }
    }

    /// A boolean field: `true`, `1`, `"1"`, `"true"` are true; `false`, `0`, `"0"`,
    /// `"false"`, `""` are false; missing or null is `None`; anything else is refused.
    pub fn boolean(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::Number(n)) if n.as_i64() == Some(1) => Ok(Some(true)),
            Some(Value::Number(n)) if n.as_i64() == Some(0) => Ok(Some(false)),
            Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "1" | "true" => Ok(Some(true)),
                "0" | "false" | "" => Ok(Some(false)),
                _ => Err(invalid(name)),
            },
            Some(_) => Err(invalid(name)),
        }
    }

    /// An integer field (API v1 type juggling): integers, floats (cut towards zero) and
    /// numeric text; `true`/`false` are 1/0; missing, null or `""` is `None`; anything else is
    /// refused.
    pub fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        let from_float = |f: f64| {
            if f.is_finite() {
                Ok(Some(f.trunc() as i64))
            } else {
                Err(invalid(name))
            }
        };
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(i64::from(*b))),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) => Ok(Some(i)),
                None => from_float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Some(Value::String(s)) => {
                let t = s.trim();
                if t.is_empty() {
                    return Ok(None);
                }
                match t.parse::<i64>() {
                    Ok(i) => Ok(Some(i)),
                    Err(_) => from_float(t.parse::<f64>().map_err(|_| invalid(name))?),
                }
            }
            Some(_) => Err(invalid(name)),
        }
    }

    /// A list of texts (API v1 `tags`): an array of strings or numbers; missing or null is
    /// `None`; anything else is refused.
    pub fn text_list(&self, name: &str) -> Result<Option<Vec<String>>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.clone()),
                    Value::Number(n) => Ok(n.to_string()),
                    Value::Null => Ok(String::new()),
                    _ => Err(invalid(name)),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(invalid(name)),
        }
    }

    /// A parameter as it came, for structured values (API v1 `criteria`).
    pub fn raw(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    /// The `category` of a password: no category, an id, or a value naming nothing.
    pub fn category(&self, name: &str) -> Result<CategoryRef, ApiError> {
        Ok(match self.0.get(name) {
            None | Some(Value::Null) | Some(Value::Bool(false)) => CategoryRef::None,
            Some(Value::Number(n)) => match n.as_i64() {
                Some(0) => CategoryRef::None,
                Some(i) if i > 0 => CategoryRef::Id(ObjectRef::Numeric(i)),
                _ => CategoryRef::Unknown,
            },
            Some(Value::String(s)) => match s.trim() {
                "" | "0" => CategoryRef::None,
                t => ObjectRef::parse(t).map_or(CategoryRef::Unknown, CategoryRef::Id),
            },
            Some(Value::Bool(true)) => CategoryRef::Unknown,
            Some(_) => return Err(invalid(name)),
        })
    }

    /// The fields of a legacy password request.
    pub fn password_input(&self, with_deleted: bool) -> Result<PasswordInput, ApiError> {
        Ok(PasswordInput {
            pass: self.text("pass")?,
            loginname: self.text("loginname")?,
            address: self.text("address")?,
            notes: self.text("notes")?,
            category: self.category("category")?,
            deleted: if with_deleted {
                self.boolean("deleted")?
            } else {
                None
            },
        })
    }

    /// The fields of a legacy category request: `categoryName`/`categoryColour`, with the
    /// snake_case names of the response objects accepted too.
    pub fn category_input(&self) -> Result<CategoryInput, ApiError> {
        let either = |a: &str, b: &str| -> Result<Option<String>, ApiError> {
            Ok(match self.text(a)? {
                Some(v) => Some(v),
                None => self.text(b)?,
            })
        };
        Ok(CategoryInput {
            name: either("categoryName", "category_name")?,
            colour: either("categoryColour", "category_colour")?,
        })
    }
}

fn invalid(name: &str) -> ApiError {
    ApiError::BadRequest(format!("Invalid value for field \"{name}\""))
}

fn merge_form(map: &mut Map<String, Value>, bytes: &[u8]) {
    for (k, v) in form_urlencoded_pairs(bytes) {
        map.insert(k, Value::String(v));
    }
}

/// `application/x-www-form-urlencoded` pairs.
fn form_urlencoded_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(bytes)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(json: &str) -> Params {
        match serde_json::from_str::<Value>(json).unwrap() {
            Value::Object(m) => Params(m),
            _ => unreachable!(),
        }
    }

    #[test]
    fn text_conversions() {
        let p = params(r#"{"a":"x","b":12,"c":true,"d":false,"e":null,"f":[1]}"#);
        assert_eq!(p.text("a").unwrap(), Some("x".into()));
        assert_eq!(p.text("b").unwrap(), Some("12".into()));
        assert_eq!(p.text("c").unwrap(), Some("1".into()));
        assert_eq!(p.text("d").unwrap(), Some("".into()));
        assert_eq!(p.text("e").unwrap(), None);
        assert_eq!(p.text("missing").unwrap(), None);
        assert!(p.text("f").is_err());
    }

    #[test]
    fn booleans() {
        let p = params(r#"{"a":"true","b":"0","c":1,"d":"","e":"yes","f":2}"#);
        assert_eq!(p.boolean("a").unwrap(), Some(true));
        assert_eq!(p.boolean("b").unwrap(), Some(false));
        assert_eq!(p.boolean("c").unwrap(), Some(true));
        assert_eq!(p.boolean("d").unwrap(), Some(false));
        assert!(p.boolean("e").is_err());
        assert!(p.boolean("f").is_err());
        assert_eq!(p.boolean("x").unwrap(), None);
    }

    #[test]
    fn integers() {
        let p = params(
            r#"{"a":12,"b":1.9,"c":"17","d":"1700000000.5","e":"","f":"x","g":[1],"h":true,"i":-2.5}"#,
        );
        assert_eq!(p.int("a").unwrap(), Some(12));
        assert_eq!(p.int("b").unwrap(), Some(1));
        assert_eq!(p.int("c").unwrap(), Some(17));
        assert_eq!(p.int("d").unwrap(), Some(1_700_000_000));
        assert_eq!(p.int("e").unwrap(), None);
        assert!(p.int("f").is_err());
        assert!(p.int("g").is_err());
        assert_eq!(p.int("h").unwrap(), Some(1));
        assert_eq!(p.int("i").unwrap(), Some(-2));
        assert_eq!(p.int("missing").unwrap(), None);
    }

    #[test]
    fn text_lists() {
        let p = params(r#"{"a":["x",""],"b":[],"c":"x","d":[{}],"e":[1,null]}"#);
        assert_eq!(p.text_list("a").unwrap(), Some(vec!["x".into(), "".into()]));
        assert_eq!(p.text_list("b").unwrap(), Some(vec![]));
        assert!(p.text_list("c").is_err());
        assert!(p.text_list("d").is_err());
        assert_eq!(p.text_list("e").unwrap(), Some(vec!["1".into(), "".into()]));
        assert_eq!(p.text_list("missing").unwrap(), None);
    }

    #[test]
    fn categories() {
        let p = params(r#"{"a":0,"b":"3","c":7,"d":"abc","e":"","f":{}}"#);
        assert_eq!(p.category("a").unwrap(), CategoryRef::None);
        assert_eq!(
            p.category("b").unwrap(),
            CategoryRef::Id(ObjectRef::Numeric(3))
        );
        assert_eq!(
            p.category("c").unwrap(),
            CategoryRef::Id(ObjectRef::Numeric(7))
        );
        assert_eq!(p.category("d").unwrap(), CategoryRef::Unknown);
        assert_eq!(p.category("e").unwrap(), CategoryRef::None);
        assert!(p.category("f").is_err());
    }

    #[test]
    fn form_decoding() {
        let pairs = form_urlencoded_pairs(b"pass=a%2Bb+c&loginname=%C3%A9&x=%zz&empty=");
        assert_eq!(pairs[0], ("pass".into(), "a+b c".into()));
        assert_eq!(pairs[1], ("loginname".into(), "\u{e9}".into()));
        assert_eq!(pairs[2], ("x".into(), "%zz".into()));
        assert_eq!(pairs[3], ("empty".into(), "".into()));
    }
}
