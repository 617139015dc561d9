//! `find` criteria (reference §2.4): `{field: value}` or `{field: [op, value]}` over the
//! current revision, with op one of `eq ne lt gt le ge`. `hidden` is always false; `trashed`
//! is false unless the criteria say otherwise.

use serde_json::{Map, Value};

use crate::error::{CoreError, CoreResult};

/// A field that `find` may filter on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Created,
    Updated,
    Edited,
    CseType,
    SseType,
    Status,
    Trashed,
    Favorite,
    Parent,
}

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

/// The value a criterion compares with.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Int(i64),
    Text(String),
    Bool(bool),
}

/// One condition.
#[derive(Clone, Debug, PartialEq)]
pub struct Criterion {
    pub field: Field,
    pub op: Op,
    pub value: Operand,
}

/// All conditions of one `find` (they must all hold).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Criteria(pub Vec<Criterion>);

/// Which resource the criteria are for: the fields each allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    Password,
    Folder,
    Tag,
}

/// The values of one object's current revision that criteria look at.
pub(super) struct Subject<'a> {
    pub created: i64,
    pub updated: i64,
    pub edited: i64,
    pub cse_type: &'a str,
    pub sse_type: &'a str,
    pub status: i64,
    pub trashed: bool,
    pub favorite: bool,
    pub parent: Option<String>,
}

impl Criteria {
    /// Reads the `criteria` parameter. A field the resource does not allow or an unknown
    /// operator is a 400.
    pub fn parse(resource: Resource, criteria: Option<&Map<String, Value>>) -> CoreResult<Self> {
        let mut out = Vec::new();
        for (name, spec) in criteria.into_iter().flatten() {
            let field = match (name.as_str(), resource) {
                ("created", _) => Field::Created,
                ("updated", _) => Field::Updated,
                ("edited", _) => Field::Edited,
                ("cseType", _) => Field::CseType,
                ("sseType", _) => Field::SseType,
                ("trashed", _) => Field::Trashed,
                ("favorite", _) => Field::Favorite,
                ("status", Resource::Password) => Field::Status,
                ("parent", Resource::Folder) => Field::Parent,
                _ => {
                    return Err(CoreError::InvalidInput(
                        "Illegal field in search criteria".into(),
                    ))
                }
            };
            let (op, value) = match spec {
                Value::Array(pair) if pair.len() == 2 && pair[0].is_string() => {
                    let op = match pair[0].as_str().unwrap_or("") {
                        "eq" => Op::Eq,
                        "ne" => Op::Ne,
                        "lt" => Op::Lt,
                        "gt" => Op::Gt,
                        "le" => Op::Le,
                        "ge" => Op::Ge,
                        _ => {
                            return Err(CoreError::InvalidInput(
                                "Illegal operator in search criteria".into(),
                            ))
                        }
                    };
                    (op, &pair[1])
                }
                v => (Op::Eq, v),
            };
            let value = match value {
                Value::Bool(b) => Operand::Bool(*b),
                Value::Number(n) => Operand::Int(
                    n.as_i64()
                        .unwrap_or_else(|| n.as_f64().map_or(0, |f| f as i64)),
                ),
                Value::String(s) if s == "true" => Operand::Bool(true),
                Value::String(s) if s == "false" => Operand::Bool(false),
                Value::String(s) => Operand::Text(s.clone()),
                Value::Null => Operand::Text(String::new()),
                _ => {
                    return Err(CoreError::InvalidInput(
                        "Illegal value in search criteria".into(),
                    ))
                }
            };
            out.push(Criterion { field, op, value });
        }
        Ok(Criteria(out))
    }

    /// Whether the criteria name `trashed` (otherwise only non-trashed objects match).
    fn names_trashed(&self) -> bool {
        self.0.iter().any(|c| c.field == Field::Trashed)
    }

    /// Whether an object (not hidden, not suspended: the caller checks) matches.
    pub(super) fn matches(&self, s: &Subject<'_>) -> bool {
        if !self.names_trashed() && s.trashed {
            return false;
        }
        self.0.iter().all(|c| c.holds(s))
    }
}

impl Criterion {
    fn holds(&self, s: &Subject<'_>) -> bool {
        use std::cmp::Ordering;
        let ord: Option<Ordering> = match self.field {
            Field::Created => int(&self.value).map(|v| s.created.cmp(&v)),
            Field::Updated => int(&self.value).map(|v| s.updated.cmp(&v)),
            Field::Edited => int(&self.value).map(|v| s.edited.cmp(&v)),
            Field::Status => int(&self.value).map(|v| s.status.cmp(&v)),
            Field::Trashed => int(&self.value).map(|v| i64::from(s.trashed).cmp(&v)),
            Field::Favorite => int(&self.value).map(|v| i64::from(s.favorite).cmp(&v)),
            Field::CseType => Some(s.cse_type.cmp(text(&self.value).as_str())),
            Field::SseType => Some(s.sse_type.cmp(text(&self.value).as_str())),
            Field::Parent => Some(
                s.parent
                    .as_deref()
                    .unwrap_or("")
                    .cmp(text(&self.value).as_str()),
            ),
        };
        let Some(ord) = ord else {
            return self.op == Op::Ne;
        };
        match self.op {
            Op::Eq => ord == Ordering::Equal,
            Op::Ne => ord != Ordering::Equal,
            Op::Lt => ord == Ordering::Less,
            Op::Gt => ord == Ordering::Greater,
            Op::Le => ord != Ordering::Greater,
            Op::Ge => ord != Ordering::Less,
        }
    }
}

/// A number for numeric and boolean fields: integers, booleans (0/1), numeric text.
fn int(v: &Operand) -> Option<i64> {
    match v {
        Operand::Int(i) => Some(*i),
        Operand::Bool(b) => Some(i64::from(*b)),
        Operand::Text(t) => t
            .trim()
            .parse::<i64>()
            .ok()
            .or_else(|| t.trim().parse::<f64>().ok().map(|f| f as i64)),
    }
}

fn text(v: &Operand) -> String {
    match v {
        Operand::Int(i) => i.to_string(),
        Operand::Bool(b) => if *b { "1" } else { "" }.to_owned(),
        Operand::Text(t) => t.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(r: Resource, v: Value) -> CoreResult<Criteria> {
        Criteria::parse(r, v.as_object())
    }

    fn subject() -> Subject<'static> {
        Subject {
            created: 100,
            updated: 200,
            edited: 150,
            cse_type: "none",
            sse_type: "SSEv1r2",
            status: 0,
            trashed: false,
            favorite: true,
            parent: None,
        }
    }

    #[test]
    fn operators() {
        let s = subject();
        let ok = |v| parse(Resource::Password, v).unwrap().matches(&s);
        assert!(ok(json!({})));
        assert!(ok(json!({"favorite": true})));
        assert!(ok(json!({"favorite": "true"})));
        assert!(!ok(json!({"favorite": "false"})));
        assert!(ok(json!({"created": ["ge", 100]})));
        assert!(!ok(json!({"created": ["gt", 100]})));
        assert!(ok(json!({"updated": ["lt", "201"]})));
        assert!(ok(json!({"edited": ["le", 150], "status": ["ne", 3]})));
        assert!(ok(json!({"sseType": "SSEv1r2", "cseType": ["eq", "none"]})));
        assert!(!ok(json!({"trashed": true})));
        let trashed = Subject {
            trashed: true,
            ..subject()
        };
        assert!(!parse(Resource::Password, json!({}))
            .unwrap()
            .matches(&trashed));
        assert!(parse(Resource::Password, json!({"trashed": true}))
            .unwrap()
            .matches(&trashed));
    }

    #[test]
    fn allowed_fields() {
        assert!(parse(Resource::Password, json!({"status": 0})).is_ok());
        assert!(parse(Resource::Folder, json!({"status": 0})).is_err());
        assert!(parse(Resource::Folder, json!({"parent": "x"})).is_ok());
        assert!(parse(Resource::Tag, json!({"parent": "x"})).is_err());
        assert!(parse(Resource::Password, json!({"label": "x"})).is_err());
        assert!(parse(Resource::Password, json!({"hidden": true})).is_err());
        assert!(parse(Resource::Password, json!({"created": ["like", 1]})).is_err());
    }
}
