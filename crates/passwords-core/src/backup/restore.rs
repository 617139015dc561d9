//! `backup restore`: check the whole file and every rule first ([`prepare_restore`]), then
//! apply everything in one transaction ([`Prepared::apply`]). Any error, or a crash at any
//! moment, leaves the database exactly as it was.
//!
//! Rules (product §6, reference §2.6 with its failures fixed): data = wipe the vault rows (of
//! `--user` or everybody), then the backup's rows with their numeric ids (a `--user` restore
//! gives a fresh id to a model whose id another user holds here), the user keys (re-wrapped
//! if the backup was made with another instance key) and accounts for users that have none
//! here (disabled, no password). Accounts are never removed and credentials never change.
//! User settings replace the user's; app settings only without `--user`.

use std::collections::HashSet;
use std::fs::File;
use std::sync::Arc;

use passwords_store::{AccountRecord, Store, StoreError, Tx, UserKeyRecord};
use passwords_types::UserId;
use tokio::sync::mpsc;

use super::check::{Checked, Checker};
use super::format::AccountEntry;
use super::read::{read_gzip, Part};
use super::{BackupDir, BackupError, BackupFile, Counts, Progress};
use crate::clock::now;
use crate::crypto::InstanceKey;
use crate::keys::KeyRing;
use crate::settings::registry;

/// What to restore.
#[derive(Clone)]
pub struct RestoreOptions {
    pub label: String,
    /// Only this user's data and settings (never app settings).
    pub user: Option<UserId>,
    pub data: bool,
    pub user_settings: bool,
    pub app_settings: bool,
    /// The instance key the backup was made with, if it is not this server's.
    pub source_instance: Option<Arc<InstanceKey>>,
}

impl RestoreOptions {
    /// Whether app settings are restored (never with `--user`).
    pub fn restores_app_settings(&self) -> bool {
        self.app_settings && self.user.is_none()
    }

    /// Whether anything at all is restored.
    pub fn restores_anything(&self) -> bool {
        self.data || self.user_settings || self.restores_app_settings()
    }
}

/// A checked backup, ready to apply.
pub struct Prepared {
    file: BackupFile,
    options: RestoreOptions,
    checked: Checked,
    source: KeyRing,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("file", &self.file)
            .field("counts", &self.checked.counts)
            .finish_non_exhaustive()
    }
}

/// What a restore did.
#[derive(Clone, Debug, Default)]
pub struct RestoreSummary {
    pub users: u64,
    pub counts: Counts,
    /// Accounts created (disabled) for users of the backup that had none here.
    pub accounts_created: Vec<UserId>,
    /// Models that got a fresh numeric id because another user holds theirs here.
    pub renumbered: u64,
}

/// Finds the backup and checks the whole file and every rule, changing nothing.
pub async fn prepare_restore(
    dir: &BackupDir,
    keys: &KeyRing,
    options: RestoreOptions,
) -> Result<Prepared, BackupError> {
    let file = dir.find(&options.label)?;
    let source = match &options.source_instance {
        Some(instance) => KeyRing::new(instance.clone()),
        None => keys.clone(),
    };
    let path = file.path.clone();
    let ring = source.clone();
    let checked = tokio::task::spawn_blocking(move || {
        let input = File::open(&path).map_err(|e| BackupError::io(&path, e))?;
        let mut checker = Checker::with_keys(ring);
        read_gzip(input, &mut |part| checker.accept(part))?;
        checker.finish()
    })
    .await
    .map_err(|e| BackupError::Core(crate::CoreError::Internal(e.to_string())))??;
    if let Some(user) = &options.user {
        if !checked.users.contains(user) {
            return Err(BackupError::Refused(format!(
                "The user '{user}' is not in the backup"
            )));
        }
    }
    Ok(Prepared {
        file,
        options,
        checked,
        source,
    })
}

impl Prepared {
    pub fn file(&self) -> &BackupFile {
        &self.file
    }

    pub fn counts(&self) -> Counts {
        self.checked.counts
    }

    /// Applies the restore in one transaction.
    pub async fn apply(
        self,
        store: &dyn Store,
        keys: &KeyRing,
        progress: &dyn Progress,
    ) -> Result<RestoreSummary, BackupError> {
        let mut tx = store.begin().await?;
        let summary = self.apply_in(&mut *tx, keys, progress).await?;
        tx.commit().await?;
        progress.finish();
        for uid in &self.checked.users {
            keys.forget(uid);
        }
        Ok(summary)
    }

    fn wanted(&self, uid: &UserId) -> bool {
        self.options.user.as_ref().is_none_or(|u| u == uid)
    }

    async fn apply_in(
        &self,
        tx: &mut dyn Tx,
        keys: &KeyRing,
        progress: &dyn Progress,
    ) -> Result<RestoreSummary, BackupError> {
        let users: Vec<UserId> = self
            .checked
            .users
            .iter()
            .filter(|u| self.wanted(u))
            .cloned()
            .collect();
        let mut summary = RestoreSummary {
            users: users.len() as u64,
            ..RestoreSummary::default()
        };
        if self.options.data {
            self.lock_users(tx, &users).await?;
            self.accounts(tx, &users, &mut summary).await?;
            self.keys(tx, keys, &users).await?;
            self.rows(tx, progress, &mut summary).await?;
        }
        if self.options.user_settings {
            self.user_settings(tx, &users).await?;
        }
        if self.options.restores_app_settings() {
            self.app_settings(tx).await?;
        }
        Ok(summary)
    }

    /// Holds the write lock of every user whose vault this restore replaces (all users with
    /// data here too, without `--user`), in one order, so that a write of the API that began
    /// before waits for the restore and then finds the new key (`KeyRing::confirm`).
    async fn lock_users(&self, tx: &mut dyn Tx, users: &[UserId]) -> Result<(), BackupError> {
        let mut all: Vec<UserId> = users.to_vec();
        if self.options.user.is_none() {
            all.extend(tx.backup_uids().await?);
        }
        all.sort_by(|a, b| a.as_str().as_bytes().cmp(b.as_str().as_bytes()));
        all.dedup();
        for uid in &all {
            tx.lock_user(uid).await?;
        }
        Ok(())
    }

    async fn accounts(
        &self,
        tx: &mut dyn Tx,
        users: &[UserId],
        summary: &mut RestoreSummary,
    ) -> Result<(), BackupError> {
        let now = now();
        for uid in users {
            if tx.get_account(uid).await?.is_some() {
                continue;
            }
            let entry = self.checked.accounts.iter().find(|a| &a.uid == uid);
            let record = account_record(uid, entry, now);
            tx.insert_account(&record).await?;
            summary.accounts_created.push(uid.clone());
        }
        Ok(())
    }

    async fn keys(
        &self,
        tx: &mut dyn Tx,
        keys: &KeyRing,
        users: &[UserId],
    ) -> Result<(), BackupError> {
        for uid in users {
            let Some(k) = self.checked.keys.users.get(uid) else {
                continue;
            };
            let wrapped = if self.options.source_instance.is_some() {
                keys.wrap(uid, &self.source.unwrap_key(uid, &k.wrapped_key)?)
            } else {
                k.wrapped_key.clone()
            };
            tx.delete_user_key(uid).await?;
            tx.insert_user_key(&UserKeyRecord {
                uid: uid.clone(),
                wrapped,
                created: k.created,
            })
            .await?;
        }
        Ok(())
    }

    async fn rows(
        &self,
        tx: &mut dyn Tx,
        progress: &dyn Progress,
        summary: &mut RestoreSummary,
    ) -> Result<(), BackupError> {
        let user = self.options.user.clone();
        tx.wipe_vault(user.as_ref()).await?;
        let taken = match &user {
            Some(uid) => {
                let ids = tx.model_ids_of_others(uid).await?;
                [ids.passwords, ids.folders, ids.tags]
                    .map(|v| v.into_iter().collect::<HashSet<i64>>())
            }
            None => Default::default(),
        };
        progress.start(self.checked.counts.entries());

        // The file is read a second time on a blocking thread; entries come one by one.
        let (sender, mut receiver) = mpsc::channel::<Part>(256);
        let path = self.file.path.clone();
        let filter = user.clone();
        let reader = tokio::task::spawn_blocking(move || {
            let input = File::open(&path).map_err(|e| BackupError::io(&path, e))?;
            read_gzip(input, &mut |part| {
                let owner = match &part {
                    Part::Password(p) => &p.user_id,
                    Part::Folder(f) => &f.user_id,
                    Part::Tag(t) => &t.user_id,
                    Part::Share(s) => &s.user_id,
                    Part::Relation(r) => &r.user_id,
                    _ => return Ok(()),
                };
                if filter.as_ref().is_some_and(|u| u != owner) {
                    return Ok(());
                }
                sender.blocking_send(part).map_err(|_| {
                    BackupError::Core(crate::CoreError::Internal("restore stopped".into()))
                })
            })
        });
        let applied = self
            .insert_all(tx, &mut receiver, &taken, progress, summary)
            .await;
        drop(receiver);
        let read = reader
            .await
            .map_err(|e| BackupError::Core(crate::CoreError::Internal(e.to_string())))?;
        applied?;
        read?;
        tx.sync_id_generators().await?;
        Ok(())
    }

    async fn insert_all(
        &self,
        tx: &mut dyn Tx,
        receiver: &mut mpsc::Receiver<Part>,
        taken: &[HashSet<i64>; 3],
        progress: &dyn Progress,
        summary: &mut RestoreSummary,
    ) -> Result<(), BackupError> {
        while let Some(part) = receiver.recv().await {
            match part {
                Part::Password(p) => {
                    let (model, revisions) = p.into_rows();
                    let what = format!("password {}", model.uuid);
                    for r in &revisions {
                        tx.insert_password_revision(r)
                            .await
                            .map_err(|e| conflict(e, &what))?;
                    }
                    if taken[0].contains(&model.id) {
                        tx.insert_password(&model)
                            .await
                            .map_err(|e| conflict(e, &what))?;
                        summary.renumbered += 1;
                    } else {
                        tx.insert_password_with_id(&model)
                            .await
                            .map_err(|e| conflict(e, &what))?;
                    }
                    summary.counts.passwords += 1;
                }
                Part::Folder(f) => {
                    let (model, revisions) = f.into_rows();
                    let what = format!("folder {}", model.uuid);
                    for r in &revisions {
                        tx.insert_folder_revision(r)
                            .await
                            .map_err(|e| conflict(e, &what))?;
                    }
                    if taken[1].contains(&model.id) {
                        tx.insert_folder(&model)
                            .await
                            .map_err(|e| conflict(e, &what))?;
                        summary.renumbered += 1;
                    } else {
                        tx.insert_folder_with_id(&model)
                            .await
                            .map_err(|e| conflict(e, &what))?;
                    }
                    summary.counts.folders += 1;
                }
                Part::Tag(t) => {
                    let (model, revisions) = t.into_rows();
                    let what = format!("tag {}", model.uuid);
                    for r in &revisions {
                        tx.insert_tag_revision(r)
                            .await
                            .map_err(|e| conflict(e, &what))?;
                    }
                    if taken[2].contains(&model.id) {
                        tx.insert_tag(&model)
                            .await
                            .map_err(|e| conflict(e, &what))?;
                        summary.renumbered += 1;
                    } else {
                        tx.insert_tag_with_id(&model)
                            .await
                            .map_err(|e| conflict(e, &what))?;
                    }
                    summary.counts.tags += 1;
                }
                Part::Share(s) => {
                    let what = format!("share {}", s.uuid);
                    tx.insert_share(&s.into_record())
                        .await
                        .map_err(|e| conflict(e, &what))?;
                    summary.counts.shares += 1;
                }
                Part::Relation(r) => {
                    let what = format!("relation {}", r.uuid);
                    tx.insert_relation(&r.into_record())
                        .await
                        .map_err(|e| conflict(e, &what))?;
                    summary.counts.relations += 1;
                }
                _ => continue,
            }
            progress.advance(1);
        }
        Ok(())
    }

    async fn user_settings(&self, tx: &mut dyn Tx, users: &[UserId]) -> Result<(), BackupError> {
        for uid in users {
            let Some(settings) = self.checked.settings.users.get(uid) else {
                continue;
            };
            for (key, _) in tx.list_user_settings(uid).await? {
                tx.delete_user_setting(uid, &key).await?;
            }
            for (key, value) in settings {
                if let Some(value) = value {
                    tx.set_user_setting(uid, key, value).await?;
                }
            }
        }
        Ok(())
    }

    async fn app_settings(&self, tx: &mut dyn Tx) -> Result<(), BackupError> {
        for def in registry().iter().filter(|d| d.writable) {
            match self.checked.settings.application.get(def.key) {
                Some(Some(value)) => {
                    let text = def.normalise(value)?;
                    tx.set_app_setting(def.key, &text).await?;
                }
                _ => {
                    tx.delete_app_setting(def.key).await?;
                }
            }
        }
        Ok(())
    }
}

/// The account a user of the backup gets here: disabled, without a password.
fn account_record(uid: &UserId, entry: Option<&AccountEntry>, now: i64) -> AccountRecord {
    AccountRecord {
        uid: uid.clone(),
        display_name: entry.map_or_else(|| uid.to_string(), |e| e.display_name.clone()),
        password_hash: None,
        enabled: false,
        removed: entry.is_some_and(|e| e.removed),
        created: entry.map_or(now, |e| e.created),
        updated: now,
    }
}

/// A uuid (or id) that exists for another user here makes the restore impossible.
fn conflict(e: StoreError, what: &str) -> BackupError {
    match e {
        StoreError::Conflict(_) => BackupError::Refused(format!(
            "The backup's {what} exists for another user here; nothing was restored"
        )),
        other => other.into(),
    }
}
