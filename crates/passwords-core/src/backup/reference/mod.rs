//! Importing a server backup of the Nextcloud Passwords app (format versions 100–106, gzip or
//! plain JSON): `backup import FILE` turns it into one of our backups, which `backup restore`
//! then brings in like any other.
//!
//! - [`source`]: the streaming reader of the reference's JSON;
//! - `model`: its entries as types and the migration steps of versions 100–105;
//! - `scan`: the first pass (version, keys, settings, users, which models can be decrypted);
//! - `convert`: the second pass (decrypt every SSEv1 field, seal it under our user keys).
//!
//! The reference writes its keys after the entities, so the file is read twice; memory stays
//! bounded by one entry and the sets of uuids. The output is written to a temporary file,
//! checked completely with the instance key (every user key unwraps, every field opens, ids,
//! uuids and references hold) and only then renamed into place: a refused file stores nothing.
//! Models whose current revision is client-side encrypted or SSEv2/SSEv3 cannot be decrypted
//! by a server and this server cannot keep them opaque yet (no keychains or challenges): they
//! are left out with what points to them, counted per user and named in a warning.

mod convert;
mod model;
mod scan;
pub mod source;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use flate2::write::GzEncoder;
use flate2::Compression;
use passwords_types::UserId;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;
use zeroize::Zeroizing;

use self::convert::{Converted, Converter};
use self::scan::Scan;
use self::source::{List, Part};
use super::check::Checker;
use super::files::{AtomicFile, EXTENSION};
use super::format::*;
use super::manage::import_label;
use super::read::read_gzip;
use super::{BackupDir, BackupError, Counts, Kind, Progress};
use crate::crypto::ssev1::Ssev1Error;
use crate::crypto::{FieldKey, SecretKey};
use crate::keys::KeyRing;
use crate::settings::registry;

/// How to import a reference backup.
#[derive(Default)]
pub struct ReferenceOptions {
    /// The instance secret (`passwords.secret`, else `secret`, of the Nextcloud config.php);
    /// wins over `keys.server.secret` of the file. Needed for files older than version 105.
    pub instance_secret: Option<Zeroizing<String>>,
    /// `OLD=NEW`: Nextcloud user ids renamed on the way in.
    pub map_users: Vec<(String, String)>,
    /// The time of the import (Unix seconds): the new keys' and accounts' creation time.
    pub now: i64,
}

/// What one user gets (and what of theirs is left out).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserCounts {
    pub passwords: u64,
    pub password_revisions: u64,
    pub folders: u64,
    pub folder_revisions: u64,
    pub tags: u64,
    pub tag_revisions: u64,
    pub shares: u64,
    pub relations: u64,
    pub settings: u64,
    pub skipped_passwords: u64,
    pub skipped_folders: u64,
    pub skipped_tags: u64,
    pub skipped_revisions: u64,
    pub skipped_shares: u64,
    pub skipped_relations: u64,
    /// The encryptions of what was left out (`CSEv1r1`, `SSEv2r1`, …).
    pub skipped_encryption: BTreeSet<String>,
}

impl UserCounts {
    pub fn skipped_any(&self) -> bool {
        self.skipped_passwords
            + self.skipped_folders
            + self.skipped_tags
            + self.skipped_revisions
            + self.skipped_shares
            + self.skipped_relations
            > 0
    }
}

/// An imported reference backup.
#[derive(Debug)]
pub struct ReferenceSummary {
    pub label: String,
    pub path: PathBuf,
    pub size: u64,
    /// The reference's format version of the file.
    pub version: u32,
    pub counts: Counts,
    /// Per user (after `--map-user`).
    pub users: BTreeMap<UserId, UserCounts>,
    /// What is not carried over, one sentence each.
    pub warnings: Vec<String>,
}

/// Whether `path` holds a reference app backup (its first key is `version`; ours start with
/// `format`). Unreadable files are "no": the normal import reports what is wrong with them.
pub fn is_reference_backup(path: &Path) -> bool {
    let Ok(file) = File::open(path) else {
        return false;
    };
    source::decompressed(file)
        .ok()
        .and_then(source::first_key)
        .is_some_and(|k| k == "version")
}

/// Reads, migrates, decrypts and converts a reference backup and stores it as a manual
/// backup named after the file. Nothing is stored unless all of it converts and checks.
pub fn import_reference(
    dir: &BackupDir,
    keys: &KeyRing,
    source_path: &Path,
    options: &ReferenceOptions,
    progress: &dyn Progress,
) -> Result<ReferenceSummary, BackupError> {
    let label = import_label(source_path)?;
    let open = || -> Result<Box<dyn std::io::Read>, BackupError> {
        let f = File::open(source_path).map_err(|e| BackupError::io(source_path, e))?;
        source::decompressed(f)
    };

    // Pass 1: version, keys, settings, users, what can be decrypted.
    let mut scan = Scan::default();
    let mut index = 0;
    source::read(open()?, &mut |part| scan.accept(part, &mut index))?;
    let version = scan.version()?;
    let ref_keys = scan.keys.as_ref().ok_or_else(|| {
        BackupError::Invalid("The file does not contain a valid server backup (no keys)".into())
    })?;
    let users = map_users(&scan.users, &options.map_users)?;
    let secret: Zeroizing<String> = match &options.instance_secret {
        Some(s) => s.clone(),
        None => Zeroizing::new(ref_keys.server.secret.clone().unwrap_or_default()),
    };
    if scan.needs_secret && secret.is_empty() {
        return Err(BackupError::Refused(
            "This backup has no instance secret (backups hold it from version 105 on): give the \
             value of 'passwords.secret', or else 'secret', of the Nextcloud config.php with \
             --instance-secret-file FILE"
                .into(),
        ));
    }

    // Our side: a new data key for every user, wrapped by this server's instance key.
    let mut field_keys = HashMap::new();
    let mut key_part = Keys {
        server: ServerKeys {
            instance_key_check: keys.instance().check_value(),
        },
        users: BTreeMap::new(),
    };
    for uid in users.values() {
        let key = SecretKey::random();
        key_part.users.insert(
            uid.clone(),
            UserKeys {
                wrapped_key: keys.wrap(uid, &key),
                created: options.now,
            },
        );
        field_keys.insert(uid.clone(), Arc::new(FieldKey::new(key)));
    }
    let mut warnings = Vec::new();
    let settings = settings::convert(version, scan.settings.as_ref(), &users, &mut warnings);
    let accounts: Vec<AccountEntry> = users
        .values()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|uid| AccountEntry {
            uid: uid.clone(),
            display_name: uid.to_string(),
            enabled: false,
            removed: false,
            created: options.now,
        })
        .collect();

    // Pass 2: convert into a temporary file.
    let folder = dir
        .ensure(Kind::Manual)
        .map_err(|e| BackupError::io(&dir.folder(Kind::Manual), e))?;
    let path = folder.join(format!("{label}{EXTENSION}"));
    let mut out = AtomicFile::create(&path)?;
    progress.start(scan.entries);
    let mut converter = Converter::new(&scan, version, &secret, &users, &field_keys);
    {
        let mut w = Writer::new(out.file(), &path);
        w.field("format", &FORMAT)?;
        w.field("formatVersion", &FORMAT_VERSION)?;
        w.field("version", &REFERENCE_VERSION)?;
        w.field("created", &options.now)?;
        w.field("appVersion", &env!("CARGO_PKG_VERSION"))?;
        w.field("backend", &format!("nextcloud-passwords-backup-v{version}"))?;
        w.field("accounts", &accounts)?;
        w.field("keys", &key_part)?;
        w.field("settings", &settings)?;
        let mut index = 0;
        source::read(open()?, &mut |part| match part {
            Part::Open(list) if carried(list) => {
                index = 0;
                w.open(list.name())
            }
            Part::Close(list) if carried(list) => w.close(),
            Part::Entry(list, value) if carried(list) => {
                let converted = converter.entry(list, index, value)?;
                index += 1;
                progress.advance(1);
                match converted {
                    Some(Converted::Password(e)) => w.entry(&e),
                    Some(Converted::Folder(e)) => w.entry(&e),
                    Some(Converted::Tag(e)) => w.entry(&e),
                    Some(Converted::Share(e)) => w.entry(&e),
                    Some(Converted::Relation(e)) => w.entry(&e),
                    None => Ok(()),
                }
            }
            _ => Ok(()),
        })?;
        w.finish()?;
    }
    converter.failures.verdict()?;

    // The stored copy is checked like a restore checks it (fields open with the new keys).
    let mut copy = out
        .file()
        .try_clone()
        .map_err(|e| BackupError::io(&path, e))?;
    copy.seek(SeekFrom::Start(0))
        .map_err(|e| BackupError::io(&path, e))?;
    let mut checker = Checker::with_keys(keys.clone());
    read_gzip(copy, &mut |p| checker.accept(p))?;
    let counts = checker.finish()?.counts;
    out.commit()?;
    progress.finish();

    let mut per_user = converter.counts;
    for (uid, values) in &settings.users {
        per_user.entry(uid.clone()).or_default().settings = values.len() as u64;
    }
    for uid in users.values() {
        per_user.entry(uid.clone()).or_default();
    }
    for (uid, c) in &per_user {
        if c.skipped_any() {
            let kinds: Vec<&str> = c.skipped_encryption.iter().map(String::as_str).collect();
            warnings.push(format!(
                "'{uid}': {} passwords, {} folders, {} tags and {} older revisions are \
                 encrypted with {} and cannot be decrypted by a server; they are not \
                 imported (nor {} shares and {} tag links to them)",
                c.skipped_passwords,
                c.skipped_folders,
                c.skipped_tags,
                c.skipped_revisions,
                kinds.join(", "),
                c.skipped_shares,
                c.skipped_relations,
            ));
        }
    }
    if scan.keychains + scan.challenges > 0 {
        warnings.push(format!(
            "{} keychains and {} challenges (master passwords of client-side encryption) \
             are not imported: this server does not support client-side encryption yet",
            scan.keychains, scan.challenges
        ));
    }
    let size = std::fs::metadata(&path)
        .map_err(|e| BackupError::io(&path, e))?
        .len();
    Ok(ReferenceSummary {
        label,
        path,
        size,
        version,
        counts,
        users: per_user,
        warnings,
    })
}

/// The lists our format has (keychains and challenges are counted, not carried).
fn carried(list: List) -> bool {
    !matches!(list, List::Keychains | List::Challenges)
}

/// Every user id of the file → ours: renamed by `--map-user`, checked, never two onto one.
fn map_users(
    found: &BTreeSet<String>,
    renames: &[(String, String)],
) -> Result<BTreeMap<String, UserId>, BackupError> {
    let mut map = HashMap::new();
    for (old, new) in renames {
        if !found.contains(old) {
            return Err(BackupError::Refused(format!(
                "--map-user names the user '{old}', who is not in the backup"
            )));
        }
        if map.insert(old.as_str(), new.as_str()).is_some() {
            return Err(BackupError::Refused(format!(
                "--map-user names the user '{old}' twice"
            )));
        }
    }
    let mut out = BTreeMap::new();
    let mut taken: HashMap<UserId, &str> = HashMap::new();
    for old in found {
        let new = map.get(old.as_str()).copied().unwrap_or(old);
        let uid = UserId::parse(new).map_err(|e| {
            BackupError::Refused(format!(
                "The user id '{new}' cannot be used here ({e}): rename it with --map-user \
                 '{old}=NEW'"
            ))
        })?;
        if let Some(other) = taken.insert(uid.clone(), old) {
            return Err(BackupError::Refused(format!(
                "The users '{other}' and '{old}' of the backup would both become '{uid}'"
            )));
        }
        out.insert(old.clone(), uid);
    }
    Ok(out)
}

/// Decryption failures, collected over the whole file so that the verdict can say which
/// key is wrong.
#[derive(Debug, Default)]
pub struct Failures {
    /// Per user: (fields decrypted, fields failed) for SSEv1r2 and SSEv1r1.
    by_user: BTreeMap<UserId, [[u64; 2]; 2]>,
    first: Option<(String, Ssev1Error)>,
    total: u64,
}

impl Failures {
    fn ok(&mut self, user: &UserId, r1: bool) {
        self.by_user.entry(user.clone()).or_default()[usize::from(r1)][0] += 1;
    }

    fn failed(
        &mut self,
        user: &UserId,
        r1: bool,
        kind: &str,
        revision: &Uuid,
        field: &str,
        e: Ssev1Error,
    ) {
        self.by_user.entry(user.clone()).or_default()[usize::from(r1)][1] += 1;
        self.total += 1;
        self.first.get_or_insert_with(|| {
            (
                format!("the field {field} of {kind} revision {revision}"),
                e,
            )
        });
    }

    /// The end: `Ok` if every field decrypted, else the one sentence that explains it best.
    fn verdict(&self) -> Result<(), BackupError> {
        let Some((place, error)) = &self.first else {
            return Ok(());
        };
        let [r2_ok, r2_failed] = self
            .by_user
            .values()
            .fold([0, 0], |[a, b], c| [a + c[0][0], b + c[0][1]]);
        if *error == Ssev1Error::Hmac && r2_failed > 0 && r2_ok == 0 {
            return Err(BackupError::Refused(
                "Wrong instance secret: no SSEv1r2 field of the backup can be decrypted with it \
                 (HMAC does not match); give the value of 'passwords.secret', or else 'secret', \
                 of the Nextcloud config.php with --instance-secret-file FILE"
                    .into(),
            ));
        }
        for (uid, [r2, r1]) in &self.by_user {
            for c in [r2, r1] {
                if c[1] > 0 && c[0] == 0 && *error == Ssev1Error::Hmac {
                    return Err(BackupError::Refused(format!(
                        "The SSEv1 keys of user '{uid}' in the backup do not match their data: \
                         none of their fields can be decrypted (HMAC does not match)"
                    )));
                }
            }
        }
        Err(BackupError::Invalid(format!(
            "The backup is damaged: {place} cannot be decrypted ({error}) although other \
             fields decrypt with the same keys; {} fields fail",
            self.total
        )))
    }
}

/// Writes our format's JSON into gzip, field by field and entry by entry.
struct Writer<'f> {
    out: BufWriter<GzEncoder<BufWriter<&'f mut File>>>,
    path: &'f Path,
    first_field: bool,
    first_entry: bool,
}

impl<'f> Writer<'f> {
    fn new(file: &'f mut File, path: &'f Path) -> Self {
        let buffered = BufWriter::with_capacity(1 << 16, file);
        let mut out =
            BufWriter::with_capacity(1 << 16, GzEncoder::new(buffered, Compression::new(6)));
        let _ = out.write_all(b"{");
        Self {
            out,
            path,
            first_field: true,
            first_entry: true,
        }
    }

    fn io(&self, e: std::io::Error) -> BackupError {
        BackupError::io(self.path, e)
    }

    fn name(&mut self, name: &str) -> Result<(), BackupError> {
        let comma = if self.first_field { "" } else { "," };
        self.first_field = false;
        write!(self.out, "{comma}\"{name}\":").map_err(|e| self.io(e))
    }

    fn field(&mut self, name: &str, value: &impl Serialize) -> Result<(), BackupError> {
        self.name(name)?;
        serde_json::to_writer(&mut self.out, value).map_err(|e| self.io(e.into()))
    }

    fn open(&mut self, name: &str) -> Result<(), BackupError> {
        self.name(name)?;
        self.first_entry = true;
        self.out.write_all(b"[").map_err(|e| self.io(e))
    }

    fn entry(&mut self, value: &impl Serialize) -> Result<(), BackupError> {
        if !self.first_entry {
            self.out.write_all(b",").map_err(|e| self.io(e))?;
        }
        self.first_entry = false;
        serde_json::to_writer(&mut self.out, value).map_err(|e| self.io(e.into()))
    }

    fn close(&mut self) -> Result<(), BackupError> {
        self.out.write_all(b"]").map_err(|e| self.io(e))
    }

    fn finish(mut self) -> Result<(), BackupError> {
        self.out.write_all(b"}\n").map_err(|e| self.io(e))?;
        let path = self.path;
        let io = |e: std::io::Error| BackupError::io(path, e);
        self.out
            .into_inner()
            .map_err(|e| io(e.into_error()))?
            .finish()
            .map_err(io)?
            .flush()
            .map_err(io)
    }
}

mod settings {
    //! The reference's settings in our terms: the app settings this server has (others are
    //! named in a warning), the raw user settings, and the client settings as user settings.

    use super::*;

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
}
