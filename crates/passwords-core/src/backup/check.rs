//! Validation of a whole backup file before anything uses it: structure (every reader), and
//! for a restore also the keys (every user key unwraps, every sealed field opens) and the
//! rules of the options. Uniqueness of ids and uuids, references between entries, value
//! ranges and the settings are checked here, so that applying a checked file can only fail
//! on the database (and then rolls back).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use passwords_types::{PasswordId, SecurityStatus, TagId, UserId};
use uuid::Uuid;

use super::format::*;
use super::read::Part;
use super::{BackupError, Counts};
use crate::crypto::{open_field, FieldKey};
use crate::keys::KeyRing;
use crate::settings::lookup;

/// What a checked file holds besides its entity lists.
#[derive(Debug)]
pub struct Checked {
    pub header: Header,
    pub counts: Counts,
    /// Every uid the file mentions (accounts, keys, settings, entries).
    pub users: BTreeSet<UserId>,
    pub accounts: Vec<AccountEntry>,
    pub keys: Keys,
    pub settings: Settings,
}

/// Checks parts as the reader hands them over.
pub struct Checker {
    /// With keys: the key ring of the instance key the backup was made with, so every user
    /// key must unwrap and every sealed field must open.
    keys: Option<KeyRing>,
    opened: HashMap<UserId, Arc<FieldKey>>,
    header: Option<Header>,
    accounts: Vec<AccountEntry>,
    key_part: Option<Keys>,
    settings: Option<Settings>,
    users: BTreeSet<UserId>,
    counts: Counts,
    ids: [HashSet<i64>; 3],
    uuids: HashSet<Uuid>,
    passwords: HashSet<PasswordId>,
    tags: HashSet<TagId>,
    references: Vec<(PasswordId, Option<TagId>)>,
}

fn invalid(text: String) -> BackupError {
    BackupError::Invalid(format!("The backup is not valid: {text}"))
}

fn time(what: &str, t: i64) -> Result<(), BackupError> {
    if (0..=MAX_TIME).contains(&t) {
        Ok(())
    } else {
        Err(invalid(format!("{what} has the time {t}, out of range")))
    }
}

impl Checker {
    /// A structural check (list, import).
    pub fn structure() -> Self {
        Self::new(None)
    }

    /// A full check (restore): user keys are unwrapped with `source` (the instance key the
    /// backup was made with) and every sealed field is opened.
    pub fn with_keys(source: KeyRing) -> Self {
        Self::new(Some(source))
    }

    fn new(keys: Option<KeyRing>) -> Self {
        Self {
            keys,
            opened: HashMap::new(),
            header: None,
            accounts: Vec::new(),
            key_part: None,
            settings: None,
            users: BTreeSet::new(),
            counts: Counts::default(),
            ids: Default::default(),
            uuids: HashSet::new(),
            passwords: HashSet::new(),
            tags: HashSet::new(),
            references: Vec::new(),
        }
    }

    /// Counts so far (for `list -d` of a file that failed part-way).
    pub fn counts(&self) -> Counts {
        Counts {
            users: self.users.len() as u64,
            ..self.counts
        }
    }

    pub fn header(&self) -> Option<&Header> {
        self.header.as_ref()
    }

    pub fn accept(&mut self, part: Part) -> Result<(), BackupError> {
        match part {
            Part::Header(h) => self.header = Some(h),
            Part::Accounts(list) => self.accounts_part(list)?,
            Part::Keys(keys) => self.keys_part(keys)?,
            Part::Settings(settings) => self.settings_part(settings)?,
            Part::Password(p) => self.password(&p)?,
            Part::Folder(f) => self.folder(&f)?,
            Part::Tag(t) => self.tag(&t)?,
            Part::Share(s) => self.share(&s)?,
            Part::Relation(r) => self.relation(&r)?,
        }
        Ok(())
    }

    /// The end of the file: references between entries resolve.
    pub fn finish(mut self) -> Result<Checked, BackupError> {
        for (password, tag) in &self.references {
            if !self.passwords.contains(password) {
                return Err(invalid(format!(
                    "an entry refers to the password {password}, which is not in the backup"
                )));
            }
            if let Some(tag) = tag {
                if !self.tags.contains(tag) {
                    return Err(invalid(format!(
                        "a relation refers to the tag {tag}, which is not in the backup"
                    )));
                }
            }
        }
        let header = self.header.take().ok_or_else(|| {
            BackupError::Invalid("The file does not contain a valid server backup".into())
        })?;
        let counts = self.counts();
        Ok(Checked {
            header,
            counts,
            users: self.users,
            accounts: self.accounts,
            keys: self.key_part.unwrap_or_default(),
            settings: self.settings.unwrap_or_default(),
        })
    }

    fn new_uuid(&mut self, what: &str, uuid: Uuid) -> Result<(), BackupError> {
        if self.uuids.insert(uuid) {
            Ok(())
        } else {
            Err(invalid(format!("the {what} {uuid} appears twice")))
        }
    }

    fn new_id(&mut self, table: usize, what: &str, id: i64) -> Result<(), BackupError> {
        if !(1..=MAX_ID).contains(&id) {
            return Err(invalid(format!("the {what} id {id} is out of range")));
        }
        if !self.ids[table].insert(id) {
            return Err(invalid(format!("the {what} id {id} appears twice")));
        }
        Ok(())
    }

    fn accounts_part(&mut self, list: Vec<AccountEntry>) -> Result<(), BackupError> {
        let mut seen = HashSet::new();
        for a in &list {
            if !seen.insert(a.uid.clone()) {
                return Err(invalid(format!("the account {} appears twice", a.uid)));
            }
            time("an account", a.created)?;
            self.users.insert(a.uid.clone());
        }
        self.accounts = list;
        Ok(())
    }

    fn keys_part(&mut self, keys: Keys) -> Result<(), BackupError> {
        if let Some(ring) = &self.keys {
            if keys.server.instance_key_check != ring.instance().check_value() {
                return Err(BackupError::Refused(
                    "The backup was made with another instance key: give that key with \
                     --instance-key-file"
                        .into(),
                ));
            }
            for (uid, k) in &keys.users {
                let key = ring.unwrap_key(uid, &k.wrapped_key).map_err(|_| {
                    BackupError::Refused(format!(
                        "The data key of user '{uid}' in the backup does not match the \
                         instance key"
                    ))
                })?;
                self.opened
                    .insert(uid.clone(), Arc::new(FieldKey::new(key)));
            }
        }
        for (uid, k) in &keys.users {
            time("a user key", k.created)?;
            self.users.insert(uid.clone());
        }
        self.key_part = Some(keys);
        Ok(())
    }

    fn settings_part(&mut self, settings: Settings) -> Result<(), BackupError> {
        for (key, value) in &settings.application {
            let Ok(def) = lookup(key) else {
                continue; // a setting this build does not know: ignored
            };
            if let (Some(v), true) = (value, def.writable) {
                def.normalise(v).map_err(|_| {
                    invalid(format!("the app setting {key} has the invalid value {v:?}"))
                })?;
            }
        }
        for uid in settings.users.keys().chain(settings.clients.keys()) {
            self.users.insert(uid.clone());
        }
        self.settings = Some(settings);
        Ok(())
    }

    /// The opened key of `uid`, in a full check.
    fn field_key(&self, uid: &UserId) -> Result<Option<Arc<FieldKey>>, BackupError> {
        if self.keys.is_none() {
            return Ok(None);
        }
        if self.key_part.is_none() {
            return Err(BackupError::Invalid(
                "The file does not contain a valid server backup (its keys are missing or \
                 come after the entries)"
                    .into(),
            ));
        }
        match self.opened.get(uid) {
            Some(k) => Ok(Some(k.clone())),
            None => Err(invalid(format!("user '{uid}' has entries but no data key"))),
        }
    }

    fn open(
        key: &Option<Arc<FieldKey>>,
        row: &Uuid,
        fields: &[(&str, &[u8])],
    ) -> Result<(), BackupError> {
        let Some(key) = key else { return Ok(()) };
        for (name, sealed) in fields {
            // The plaintext is dropped (and wiped by `open_field`'s caller type) at once.
            open_field(key, row, name, sealed).map_err(|_| {
                BackupError::Refused(format!(
                    "The field {name} of revision {row} cannot be decrypted with its user's key"
                ))
            })?;
        }
        Ok(())
    }

    fn password(&mut self, p: &PasswordEntry) -> Result<(), BackupError> {
        let what = format!("password {}", p.uuid);
        self.new_id(0, "password", p.id)?;
        self.new_uuid("password", *p.uuid.as_uuid())?;
        time(&what, p.created)?;
        time(&what, p.updated)?;
        self.users.insert(p.user_id.clone());
        let key = self.field_key(&p.user_id)?;
        let mut current = false;
        for r in &p.revisions {
            self.new_uuid("revision", *r.uuid.as_uuid())?;
            if r.model != p.uuid || r.user_id != p.user_id {
                return Err(invalid(format!(
                    "revision {} does not belong to its {what}",
                    r.uuid
                )));
            }
            for t in [r.created, r.updated, r.edited] {
                time(&what, t)?;
            }
            if SecurityStatus::from_code(&r.status_code).is_none() {
                return Err(invalid(format!(
                    "the status code {:?} is unknown",
                    r.status_code
                )));
            }
            if r.hash.len() > 128 {
                return Err(invalid(format!(
                    "revision {} has a hash that is too long",
                    r.uuid
                )));
            }
            Self::open(
                &key,
                r.uuid.as_uuid(),
                &[
                    ("label", &r.label),
                    ("username", &r.username),
                    ("password", &r.password),
                    ("url", &r.url),
                    ("notes", &r.notes),
                    ("customFields", &r.custom_fields),
                ],
            )?;
            current |= r.uuid == p.revision;
        }
        if !current && !p.deleted {
            return Err(invalid(format!(
                "the current revision of {what} is missing"
            )));
        }
        self.passwords.insert(p.uuid);
        self.counts.passwords += 1;
        Ok(())
    }

    fn folder(&mut self, f: &FolderEntry) -> Result<(), BackupError> {
        let what = format!("folder {}", f.uuid);
        self.new_id(1, "folder", f.id)?;
        self.new_uuid("folder", *f.uuid.as_uuid())?;
        time(&what, f.created)?;
        time(&what, f.updated)?;
        self.users.insert(f.user_id.clone());
        let key = self.field_key(&f.user_id)?;
        let mut current = false;
        for r in &f.revisions {
            self.new_uuid("revision", *r.uuid.as_uuid())?;
            if r.model != f.uuid || r.user_id != f.user_id {
                return Err(invalid(format!(
                    "revision {} does not belong to its {what}",
                    r.uuid
                )));
            }
            for t in [r.created, r.updated, r.edited] {
                time(&what, t)?;
            }
            Self::open(&key, r.uuid.as_uuid(), &[("label", &r.label)])?;
            current |= r.uuid == f.revision;
        }
        if !current && !f.deleted {
            return Err(invalid(format!(
                "the current revision of {what} is missing"
            )));
        }
        self.counts.folders += 1;
        Ok(())
    }

    fn tag(&mut self, t: &TagEntry) -> Result<(), BackupError> {
        let what = format!("tag {}", t.uuid);
        self.new_id(2, "tag", t.id)?;
        self.new_uuid("tag", *t.uuid.as_uuid())?;
        time(&what, t.created)?;
        time(&what, t.updated)?;
        self.users.insert(t.user_id.clone());
        let key = self.field_key(&t.user_id)?;
        let mut current = false;
        for r in &t.revisions {
            self.new_uuid("revision", *r.uuid.as_uuid())?;
            if r.model != t.uuid || r.user_id != t.user_id {
                return Err(invalid(format!(
                    "revision {} does not belong to its {what}",
                    r.uuid
                )));
            }
            for x in [r.created, r.updated, r.edited] {
                time(&what, x)?;
            }
            Self::open(
                &key,
                r.uuid.as_uuid(),
                &[("label", &r.label), ("color", &r.color)],
            )?;
            current |= r.uuid == t.revision;
        }
        if !current && !t.deleted {
            return Err(invalid(format!(
                "the current revision of {what} is missing"
            )));
        }
        self.tags.insert(t.uuid);
        self.counts.tags += 1;
        Ok(())
    }

    fn share(&mut self, s: &ShareEntry) -> Result<(), BackupError> {
        let what = format!("share {}", s.uuid);
        self.new_uuid("share", *s.uuid.as_uuid())?;
        time(&what, s.created)?;
        time(&what, s.updated)?;
        if let Some(e) = s.expires {
            time(&what, e)?;
        }
        if s.share_type.len() > 32 {
            return Err(invalid(format!("{what} has a type that is too long")));
        }
        self.users.insert(s.user_id.clone());
        self.users.insert(s.receiver.clone());
        self.references.push((s.source_password, None));
        self.counts.shares += 1;
        Ok(())
    }

    fn relation(&mut self, r: &RelationEntry) -> Result<(), BackupError> {
        let what = format!("relation {}", r.uuid);
        self.new_uuid("relation", r.uuid)?;
        time(&what, r.created)?;
        time(&what, r.updated)?;
        self.users.insert(r.user_id.clone());
        self.references.push((r.password, Some(r.tag)));
        self.counts.relations += 1;
        Ok(())
    }
}
