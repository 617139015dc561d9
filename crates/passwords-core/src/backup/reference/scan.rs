//! The first pass over a reference backup: the version, the keys and settings (which the
//! reference writes after the entities), every user id, which models a server can decrypt
//! (their current revision is SSEv1 without client-side encryption) and the largest numeric
//! ids. Every entry is parsed here, so a schema error stops the import before any output.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::Value;
use uuid::Uuid;

use super::model::{migrate_model, Keys, Model, Relation, Share, NEWEST, OLDEST};
use super::source::{List, Part};
use crate::backup::BackupError;

/// What the first pass found.
#[derive(Debug, Default)]
pub struct Scan {
    pub version: Option<u32>,
    pub keys: Option<Keys>,
    pub settings: Option<Value>,
    /// Every user id of the file, as the file spells it.
    pub users: BTreeSet<String>,
    /// Models kept (current revision readable), by list.
    pub kept: HashMap<List, HashSet<Uuid>>,
    /// Models skipped (their current revision is CSE, SSEv2 or SSEv3), by list.
    pub skipped: HashMap<List, HashSet<Uuid>>,
    /// Every model and revision uuid seen (each may appear once in the file).
    pub uuids: HashSet<Uuid>,
    /// The largest numeric id of each model list.
    pub max_id: HashMap<List, i64>,
    /// Some kept revision is SSEv1r2 (so the instance secret is needed).
    pub needs_secret: bool,
    /// Entries of every list (the steps of the second pass).
    pub entries: u64,
    /// Entries of the client-side encryption lists, which are not carried over.
    pub keychains: u64,
    pub challenges: u64,
}

pub fn invalid(text: impl std::fmt::Display) -> BackupError {
    BackupError::Invalid(format!("The backup is not valid: {text}"))
}

/// A version number as the file has it (a number or a numeric text).
fn version_of(value: &Value) -> Option<u32> {
    match value {
        Value::Number(n) => n.as_u64().and_then(|v| u32::try_from(v).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Checks the version the way the reference does, with its messages.
pub fn check_version(value: &Value) -> Result<u32, BackupError> {
    let version = version_of(value).ok_or_else(|| {
        BackupError::Invalid("The file does not contain a valid server backup".into())
    })?;
    if version < OLDEST {
        return Err(BackupError::Invalid(
            "This seems to be a client backup. It can only be restored using the web interface"
                .into(),
        ));
    }
    if version > NEWEST {
        return Err(BackupError::Invalid(format!(
            "Unsupported backup version: {version}"
        )));
    }
    Ok(version)
}

/// Parses a migrated entry into its type, naming the entry in the error.
pub fn parse<T: serde::de::DeserializeOwned>(
    list: List,
    index: u64,
    value: Value,
) -> Result<T, BackupError> {
    serde_json::from_value(value)
        .map_err(|e| invalid(format!("{} entry {}: {e}", list.name(), index + 1)))
}

pub fn uuid(what: &str, text: &str) -> Result<Uuid, BackupError> {
    Uuid::parse_str(text).map_err(|_| invalid(format!("the {what} id {text:?} is not a UUID")))
}

impl Scan {
    /// The version, which must come before the entities and keys (it is the first key of
    /// every file the reference writes).
    pub fn version(&self) -> Result<u32, BackupError> {
        self.version.ok_or_else(|| {
            BackupError::Invalid(
                "The file does not contain a valid server backup (its \"version\" must come first)"
                    .into(),
            )
        })
    }

    pub fn accept(&mut self, part: Part, index: &mut u64) -> Result<(), BackupError> {
        match part {
            Part::Version(v) => self.version = Some(check_version(&v)?),
            Part::Keys(v) => {
                self.version()?;
                let keys: Keys = serde_json::from_value(v).map_err(|_| {
                    // Not serde's text: it would quote the value, which may be a key.
                    invalid("its keys do not have the structure of the Nextcloud app's keys")
                })?;
                self.users.extend(keys.users.keys().cloned());
                self.keys = Some(keys);
            }
            Part::Settings(v) => {
                for scope in ["users", "clients"] {
                    if let Some(map) = v.get(scope).and_then(Value::as_object) {
                        self.users.extend(map.keys().cloned());
                    }
                }
                self.settings = Some(v);
            }
            Part::Open(_) => {
                self.version()?;
                *index = 0;
            }
            Part::Close(_) => {}
            Part::Entry(list, value) => {
                self.entries += 1;
                self.entry(list, *index, value)?;
                *index += 1;
            }
        }
        Ok(())
    }

    fn entry(&mut self, list: List, index: u64, mut value: Value) -> Result<(), BackupError> {
        let version = self.version()?;
        match list {
            List::Passwords | List::Folders | List::Tags => {
                migrate_model(version, &mut value);
                let m: Model = parse(list, index, value)?;
                self.model(list, &m)?;
            }
            List::Shares => {
                let s: Share = parse(list, index, value)?;
                self.users.insert(s.user_id);
                self.users.insert(s.receiver);
            }
            List::Relations => {
                let r: Relation = parse(list, index, value)?;
                self.users.insert(r.user_id);
            }
            List::Keychains => self.keychains += 1,
            List::Challenges => self.challenges += 1,
        }
        Ok(())
    }

    fn model(&mut self, list: List, m: &Model) -> Result<(), BackupError> {
        let id = uuid("model", &m.uuid)?;
        if !self.uuids.insert(id) {
            return Err(invalid(format!(
                "the {} {id} appears twice",
                singular(list)
            )));
        }
        for r in &m.revisions {
            let rid = uuid("revision", &r.uuid)?;
            if !self.uuids.insert(rid) {
                return Err(invalid(format!("the revision {rid} appears twice")));
            }
        }
        self.users.insert(m.user_id.clone());
        if let Some(n) = m.id {
            let max = self.max_id.entry(list).or_insert(0);
            *max = (*max).max(n);
        }
        if let Some(r) = m
            .revisions
            .iter()
            .find(|r| r.user_id != m.user_id || r.model != m.uuid)
        {
            return Err(invalid(format!(
                "revision {} does not belong to its {} {}",
                r.uuid,
                singular(list),
                m.uuid
            )));
        }
        let current = m
            .revisions
            .iter()
            .find(|r| r.uuid == m.revision && !r.deleted);
        let readable = match current {
            Some(r) => r.readable(),
            None => {
                return Err(invalid(format!(
                    "the current revision {} of {} {} is missing",
                    m.revision,
                    singular(list),
                    m.uuid
                )))
            }
        };
        if readable {
            self.needs_secret |= m
                .revisions
                .iter()
                .any(|r| !r.deleted && r.sse_type.as_deref() == Some("SSEv1r2") && r.readable());
            self.kept.entry(list).or_default().insert(id);
        } else {
            self.skipped.entry(list).or_default().insert(id);
        }
        Ok(())
    }

    pub fn is_kept(&self, list: List, id: &Uuid) -> bool {
        self.kept.get(&list).is_some_and(|s| s.contains(id))
    }

    pub fn is_skipped(&self, list: List, id: &Uuid) -> bool {
        self.skipped.get(&list).is_some_and(|s| s.contains(id))
    }
}

/// `password`, `folder`, `tag`.
pub fn singular(list: List) -> &'static str {
    match list {
        List::Passwords => "password",
        List::Folders => "folder",
        List::Tags => "tag",
        List::Shares => "share",
        List::Relations => "relation",
        List::Keychains => "keychain",
        List::Challenges => "challenge",
    }
}
