//! `backup create` and the automatic backups: one consistent snapshot of the database,
//! streamed user by user into gzip JSON on a blocking thread, written atomically.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use flate2::write::GzEncoder;
use flate2::Compression;
use passwords_store::{Store, Tx};
use passwords_types::UserId;
use serde::Serialize;
use tokio::sync::mpsc;

use super::files::{date_label, sanitise_label, AtomicFile, EXTENSION};
use super::format::*;
use super::{BackupDir, BackupError, Counts, Kind, Progress};
use crate::keys::KeyRing;
use crate::settings::registry;

/// What to create.
#[derive(Clone, Debug)]
pub struct CreateOptions {
    /// The name as given; sanitised (see [`sanitise_label`]); `None` or nothing left → the
    /// UTC date.
    pub name: Option<String>,
    pub kind: Kind,
    /// The time the backup is made (Unix seconds).
    pub now: i64,
}

/// A backup that was written.
#[derive(Clone, Debug)]
pub struct CreateSummary {
    pub label: String,
    pub path: PathBuf,
    pub size: u64,
    pub counts: Counts,
}

/// gzip level: the sealed fields (base64 of random bytes) barely compress beyond undoing
/// base64, so a fast level loses little and saves most of the time.
const LEVEL: u32 = 3;

/// What the reading side hands to the writing thread.
enum Out {
    /// `"name":` and a whole value.
    Field(&'static str, Value),
    /// `"name":[`
    Open(&'static str),
    Entry(Value),
    /// `]`
    Close,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Value {
    Str(String),
    Int(i64),
    Accounts(Vec<AccountEntry>),
    Keys(Keys),
    Settings(Settings),
    Password(PasswordEntry),
    Folder(FolderEntry),
    Tag(TagEntry),
    Share(ShareEntry),
    Relation(RelationEntry),
}

/// Writes a backup of the whole database.
pub async fn create_backup(
    store: &dyn Store,
    keys: &KeyRing,
    dir: &BackupDir,
    options: CreateOptions,
    progress: &dyn Progress,
) -> Result<CreateSummary, BackupError> {
    let label = options
        .name
        .as_deref()
        .and_then(sanitise_label)
        .unwrap_or_else(|| date_label(options.now));
    let folder = dir
        .ensure(options.kind)
        .map_err(|e| BackupError::io(&dir.folder(options.kind), e))?;
    // Leftovers of a backup that a crash interrupted (a day old: no backup runs that long).
    dir.remove_stale_partials(options.kind, std::time::Duration::from_secs(86_400));
    let path = folder.join(format!("{label}{EXTENSION}"));
    let file = AtomicFile::create(&path)?;

    let (sender, receiver) = mpsc::channel::<Out>(64);
    let writer = tokio::task::spawn_blocking(move || write_all(file, receiver));
    let read = read_snapshot(store, keys, &options, &sender, progress).await;
    drop(sender);
    // The writer ends when the sender is gone; a failed read leaves it uncommitted (deleted).
    let written = writer
        .await
        .map_err(|e| BackupError::Core(crate::CoreError::Internal(e.to_string())))?;
    // A failed writer makes the reader stop too: its error is the cause.
    let file = written?;
    let counts = read?;
    file.commit()?;
    progress.finish();
    let size = std::fs::metadata(&path)
        .map_err(|e| BackupError::io(&path, e))?
        .len();
    Ok(CreateSummary {
        label,
        path,
        size,
        counts,
    })
}

/// The writing thread: JSON into gzip into the temporary file. Returns the file, not yet
/// committed.
fn write_all(
    mut file: AtomicFile,
    mut receiver: mpsc::Receiver<Out>,
) -> Result<AtomicFile, BackupError> {
    let path = PathBuf::from("backup");
    let io = |e: std::io::Error| BackupError::io(&path, e);
    {
        let buffered = BufWriter::with_capacity(1 << 16, file.file());
        // serde_json writes in tiny pieces; the encoder must see large ones (flate2 zeroes
        // its output buffer on every write call).
        let mut gz =
            BufWriter::with_capacity(1 << 16, GzEncoder::new(buffered, Compression::new(LEVEL)));
        gz.write_all(b"{").map_err(io)?;
        let mut first_field = true;
        let mut first_entry = true;
        while let Some(out) = receiver.blocking_recv() {
            match out {
                Out::Field(name, value) => {
                    field_name(&mut gz, name, &mut first_field).map_err(io)?;
                    serde_json::to_writer(&mut gz, &value).map_err(|e| io(e.into()))?;
                }
                Out::Open(name) => {
                    field_name(&mut gz, name, &mut first_field).map_err(io)?;
                    gz.write_all(b"[").map_err(io)?;
                    first_entry = true;
                }
                Out::Entry(value) => {
                    if !first_entry {
                        gz.write_all(b",").map_err(io)?;
                    }
                    first_entry = false;
                    serde_json::to_writer(&mut gz, &value).map_err(|e| io(e.into()))?;
                }
                Out::Close => gz.write_all(b"]").map_err(io)?,
            }
        }
        gz.write_all(b"}\n").map_err(io)?;
        gz.into_inner()
            .map_err(|e| io(e.into_error()))?
            .finish()
            .map_err(io)?
            .flush()
            .map_err(io)?;
    }
    Ok(file)
}

fn field_name(w: &mut impl Write, name: &str, first: &mut bool) -> std::io::Result<()> {
    if !*first {
        w.write_all(b",")?;
    }
    *first = false;
    write!(w, "\"{name}\":")
}

/// Sends a message; a gone writer (it failed) ends the reading early.
async fn send(sender: &mpsc::Sender<Out>, out: Out) -> Result<(), BackupError> {
    sender.send(out).await.map_err(|_| {
        BackupError::Core(crate::CoreError::Internal(
            "the backup writer stopped".into(),
        ))
    })
}

/// Reads everything from one snapshot, in file order.
async fn read_snapshot(
    store: &dyn Store,
    keys: &KeyRing,
    options: &CreateOptions,
    out: &mpsc::Sender<Out>,
    progress: &dyn Progress,
) -> Result<Counts, BackupError> {
    let mut tx = store.snapshot().await?;
    let tx: &mut dyn Tx = &mut *tx;
    let uids = tx.backup_uids().await?;
    progress.start(uids.len() as u64 * 5);

    send(out, Out::Field("format", Value::Str(FORMAT.into()))).await?;
    send(
        out,
        Out::Field("formatVersion", Value::Int(FORMAT_VERSION.into())),
    )
    .await?;
    send(
        out,
        Out::Field("version", Value::Int(REFERENCE_VERSION.into())),
    )
    .await?;
    send(out, Out::Field("created", Value::Int(options.now))).await?;
    let app = env!("CARGO_PKG_VERSION").to_owned();
    send(out, Out::Field("appVersion", Value::Str(app))).await?;
    send(
        out,
        Out::Field("backend", Value::Str(store.backend().name().into())),
    )
    .await?;

    let accounts: Vec<AccountEntry> = tx
        .list_accounts()
        .await?
        .iter()
        .map(AccountEntry::from_record)
        .collect();
    send(out, Out::Field("accounts", Value::Accounts(accounts))).await?;

    let mut key_part = Keys {
        server: ServerKeys {
            instance_key_check: keys.instance().check_value(),
        },
        users: BTreeMap::new(),
    };
    let mut settings = Settings::default();
    for uid in &uids {
        if let Some(k) = tx.get_user_key(uid).await? {
            key_part.users.insert(
                uid.clone(),
                UserKeys {
                    wrapped_key: k.wrapped,
                    created: k.created,
                },
            );
        }
        let user: BTreeMap<String, Option<String>> = tx
            .list_user_settings(uid)
            .await?
            .into_iter()
            .map(|(k, v)| (k, Some(v)))
            .collect();
        if !user.is_empty() {
            settings.users.insert(uid.clone(), user);
        }
    }
    send(out, Out::Field("keys", Value::Keys(key_part))).await?;
    let stored: HashMap<String, String> = tx.list_app_settings().await?.into_iter().collect();
    for def in registry().iter().filter(|d| d.writable) {
        settings
            .application
            .insert(def.key.to_owned(), stored.get(def.key).cloned());
    }
    send(out, Out::Field("settings", Value::Settings(settings))).await?;

    let mut counts = Counts {
        users: uids.len() as u64,
        ..Counts::default()
    };
    send(out, Out::Open("passwords")).await?;
    for uid in &uids {
        counts.passwords += passwords(tx, uid, out).await?;
        progress.advance(1);
    }
    send(out, Out::Close).await?;
    send(out, Out::Open("folders")).await?;
    for uid in &uids {
        counts.folders += folders(tx, uid, out).await?;
        progress.advance(1);
    }
    send(out, Out::Close).await?;
    send(out, Out::Open("tags")).await?;
    for uid in &uids {
        counts.tags += tags(tx, uid, out).await?;
        progress.advance(1);
    }
    send(out, Out::Close).await?;
    send(out, Out::Open("shares")).await?;
    for uid in &uids {
        for s in tx.dump_shares(uid).await? {
            send(out, Out::Entry(Value::Share(ShareEntry::from_record(s)))).await?;
            counts.shares += 1;
        }
        progress.advance(1);
    }
    send(out, Out::Close).await?;
    send(out, Out::Open("passwordTagRelations")).await?;
    for uid in &uids {
        for r in tx.dump_relations(uid).await? {
            send(
                out,
                Out::Entry(Value::Relation(RelationEntry::from_record(r))),
            )
            .await?;
            counts.relations += 1;
        }
        progress.advance(1);
    }
    send(out, Out::Close).await?;
    send(out, Out::Open("keychains")).await?;
    send(out, Out::Close).await?;
    send(out, Out::Open("challenges")).await?;
    send(out, Out::Close).await?;
    Ok(counts)
}

/// Sends each model with its revisions as one entry (`entry` builds it); returns how many.
async fn send_models<M, R, K: std::hash::Hash + Eq>(
    out: &mpsc::Sender<Out>,
    models: Vec<M>,
    revisions: Vec<R>,
    model_key: impl Fn(&M) -> K,
    revision_key: impl Fn(&R) -> K,
    entry: impl Fn(M, Vec<R>) -> Value,
) -> Result<u64, BackupError> {
    let mut by_model: HashMap<K, Vec<R>> = HashMap::new();
    for r in revisions {
        by_model.entry(revision_key(&r)).or_default().push(r);
    }
    let n = models.len() as u64;
    for m in models {
        let revs = by_model.remove(&model_key(&m)).unwrap_or_default();
        send(out, Out::Entry(entry(m, revs))).await?;
    }
    Ok(n)
}

async fn passwords(
    tx: &mut dyn Tx,
    uid: &UserId,
    out: &mpsc::Sender<Out>,
) -> Result<u64, BackupError> {
    let revisions = tx.dump_password_revisions(uid).await?;
    let models = tx.dump_passwords(uid).await?;
    send_models(
        out,
        models,
        revisions,
        |m| m.uuid,
        |r| r.model,
        |m, r| Value::Password(PasswordEntry::from_rows(m, r)),
    )
    .await
}

async fn folders(
    tx: &mut dyn Tx,
    uid: &UserId,
    out: &mpsc::Sender<Out>,
) -> Result<u64, BackupError> {
    let revisions = tx.dump_folder_revisions(uid).await?;
    let models = tx.dump_folders(uid).await?;
    send_models(
        out,
        models,
        revisions,
        |m| m.uuid,
        |r| r.model,
        |m, r| Value::Folder(FolderEntry::from_rows(m, r)),
    )
    .await
}

async fn tags(tx: &mut dyn Tx, uid: &UserId, out: &mpsc::Sender<Out>) -> Result<u64, BackupError> {
    let revisions = tx.dump_tag_revisions(uid).await?;
    let models = tx.dump_tags(uid).await?;
    send_models(
        out,
        models,
        revisions,
        |m| m.uuid,
        |r| r.model,
        |m, r| Value::Tag(TagEntry::from_rows(m, r)),
    )
    .await
}
