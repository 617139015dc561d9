//! Importing a server backup of the Nextcloud Passwords app (format versions 100–106, gzip or
//! plain JSON): `backup import FILE` turns it into one of our backups, which `backup restore`
//! then brings in like any other.
//!
//! - [`source`]: the streaming reader of the reference's JSON;
//! - `model`: its entries as types and the migration steps of versions 100–105;
//! - `scan`: the first pass (version, keys, settings, users, which models can be decrypted);
//! - `convert`: the second pass (decrypt every SSEv1 field, seal it under our user keys),
//!   `verdict` (which key a decryption failure points to), `settings`, `writer`.
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
mod settings;
pub mod source;
mod verdict;
mod writer;

use self::verdict::Failures;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use passwords_types::UserId;
use zeroize::Zeroizing;

use self::convert::{Converted, Converter};
use self::scan::Scan;
use self::source::{List, Part};
use self::writer::Writer;
use super::check::Checker;
use super::files::{AtomicFile, EXTENSION};
use super::format::*;
use super::manage::import_label;
use super::read::read_gzip;
use super::{BackupDir, BackupError, Counts, Kind, Progress};
use crate::crypto::{FieldKey, SecretKey};
use crate::keys::KeyRing;

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
