//! Rules shared by the v1 writes: encryption types, required fields, `edited`, folder
//! relations, revision checks, and the small store steps that several operations repeat.

use std::collections::{HashMap, HashSet};

use passwords_store::{FolderModel, FolderRevision, PasswordModel, PasswordRevision, Tx};
use passwords_types::{FolderId, RevisionId, UserId};

use crate::error::{CoreError, CoreResult};
use crate::settings::UserSettings;
use crate::vault::security::refresh_duplicates;
use crate::vault::CSE_NONE;

/// The message of a stale `revision` (409 on update, 400 on the final delete).
pub(super) const OUTDATED: &str = "Outdated revision id";

/// Only `none` is served: client-side encryption needs a master password, which no user has
/// yet (reference §1.7: without a challenge any other type is invalid; `none` with a key too).
pub(super) fn check_encryption(cse_type: Option<&str>, cse_key: Option<&str>) -> CoreResult<()> {
    let invalid = || CoreError::InvalidInput("Invalid client side encryption type".into());
    match cse_type.unwrap_or("") {
        "" | CSE_NONE => {}
        _ => return Err(invalid()),
    }
    if !cse_key.unwrap_or("").is_empty() {
        return Err(invalid());
    }
    Ok(())
}

/// A required text field: missing or `""` is a 400 naming the field.
pub(super) fn required(value: &Option<String>, field: &'static str) -> CoreResult<String> {
    match value {
        Some(v) if !v.is_empty() => Ok(v.clone()),
        _ => Err(CoreError::EmptyField(field)),
    }
}

/// `edited` as stored: missing, `0`, or more than `horizon` seconds in the future → now.
pub(super) fn edited(given: Option<i64>, now: i64, horizon: i64) -> i64 {
    match given {
        Some(e) if e != 0 && e <= now.saturating_add(horizon) => e,
        _ => now,
    }
}

/// How far in the future `edited` may be: 2 h for passwords, 1 h for folders and tags.
pub(super) const PASSWORD_HORIZON: i64 = 7_200;
pub(super) const FOLDER_HORIZON: i64 = 3_600;

/// The `revision` a client sent, if any: `""` and null mean none; text that is no UUID can
/// never be the current revision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevisionParam {
    None,
    Id(RevisionId),
    Invalid,
}

impl RevisionParam {
    pub fn parse(text: Option<&str>) -> RevisionParam {
        match text.map(str::trim) {
            None | Some("") => RevisionParam::None,
            Some(t) => t.parse().map_or(RevisionParam::Invalid, RevisionParam::Id),
        }
    }

    /// Whether a revision was sent that is not `current`.
    pub(super) fn is_stale(self, current: RevisionId) -> bool {
        match self {
            RevisionParam::None => false,
            RevisionParam::Id(r) => r != current,
            RevisionParam::Invalid => true,
        }
    }
}

/// The folder a password or folder may live in: the named folder if it is one of the user's
/// live folders and not hidden while the object is visible; otherwise the base folder
/// (reference §1.4/§1.5).
pub(super) async fn folder_relation(
    tx: &mut dyn Tx,
    uid: &UserId,
    folder: Option<&str>,
    hidden: bool,
) -> CoreResult<FolderId> {
    let Some(id) = folder.and_then(|f| f.trim().parse::<FolderId>().ok()) else {
        return Ok(FolderId::BASE);
    };
    if id == FolderId::BASE {
        return Ok(id);
    }
    let Some(model) = tx.get_folder(uid, id).await? else {
        return Ok(FolderId::BASE);
    };
    match tx.get_folder_revision(uid, model.revision).await? {
        Some(rev) if !rev.hidden || hidden => Ok(id),
        _ => Ok(FolderId::BASE),
    }
}

/// Soft-deletes a password for good: model flagged deleted, revisions, relations and
/// outgoing shares removed, duplicates of its hashes re-checked.
pub(super) async fn purge_password(
    tx: &mut dyn Tx,
    uid: &UserId,
    mut model: PasswordModel,
    settings: &UserSettings,
    now: i64,
) -> CoreResult<()> {
    let mut seen = HashSet::new();
    let hashes: Vec<String> = tx
        .list_password_revisions(uid, model.uuid)
        .await?
        .into_iter()
        .map(|r| r.hash)
        .filter(|h| seen.insert(h.clone()))
        .collect();
    model.deleted = true;
    model.updated = now;
    tx.update_password(&model).await?;
    tx.delete_password_revisions(uid, model.uuid).await?;
    tx.delete_relations_of_password(uid, model.uuid, now)
        .await?;
    tx.delete_shares_of_password(uid, model.uuid, now).await?;
    for h in &hashes {
        refresh_duplicates(tx, settings, uid, h, now).await?;
    }
    Ok(())
}

/// The user's folder tree as one read: every live folder with its current revision, and the
/// passwords with theirs, indexed by parent.
pub(super) struct Tree {
    pub folders: Vec<(FolderModel, FolderRevision)>,
    pub passwords: Vec<(PasswordModel, PasswordRevision)>,
    children: HashMap<FolderId, Vec<usize>>,
    contents: HashMap<FolderId, Vec<usize>>,
}

impl Tree {
    pub async fn load(tx: &mut dyn Tx, uid: &UserId) -> CoreResult<Tree> {
        let folders = tx.list_folders(uid).await?;
        let passwords = tx.list_passwords(uid).await?;
        let mut children: HashMap<FolderId, Vec<usize>> = HashMap::new();
        for (i, (_, r)) in folders.iter().enumerate() {
            children.entry(r.parent).or_default().push(i);
        }
        let mut contents: HashMap<FolderId, Vec<usize>> = HashMap::new();
        for (i, (_, r)) in passwords.iter().enumerate() {
            contents.entry(r.folder).or_default().push(i);
        }
        Ok(Tree {
            folders,
            passwords,
            children,
            contents,
        })
    }

    /// Whether `candidate` is `root` or lies below it.
    pub fn is_within(&self, candidate: FolderId, root: FolderId) -> bool {
        let parents: HashMap<FolderId, FolderId> = self
            .folders
            .iter()
            .map(|(m, r)| (m.uuid, r.parent))
            .collect();
        let mut cur = candidate;
        let mut steps = 0;
        while steps <= self.folders.len() {
            if cur == root {
                return true;
            }
            match parents.get(&cur) {
                Some(p) if *p != cur => cur = *p,
                _ => return false,
            }
            steps += 1;
        }
        false
    }

    /// Indexes (into `folders` and `passwords`) of everything below `root`. With
    /// `skip_trashed`, trashed items are left out together with their subtrees (they keep
    /// the state their own trashing gave them).
    pub fn below(&self, root: FolderId, skip_trashed: bool) -> (Vec<usize>, Vec<usize>) {
        let (mut folders, mut passwords) = (Vec::new(), Vec::new());
        let mut queue = vec![root];
        let mut seen = HashSet::from([root]);
        while let Some(f) = queue.pop() {
            for &i in self.contents.get(&f).into_iter().flatten() {
                if !(skip_trashed && self.passwords[i].1.trashed) {
                    passwords.push(i);
                }
            }
            for &i in self.children.get(&f).into_iter().flatten() {
                let (m, r) = &self.folders[i];
                if skip_trashed && r.trashed || !seen.insert(m.uuid) {
                    continue;
                }
                folders.push(i);
                queue.push(m.uuid);
            }
        }
        (folders, passwords)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edited_rules() {
        assert_eq!(edited(None, 1000, 3600), 1000);
        assert_eq!(edited(Some(0), 1000, 3600), 1000);
        assert_eq!(edited(Some(500), 1000, 3600), 500);
        assert_eq!(edited(Some(4600), 1000, 3600), 4600);
        assert_eq!(edited(Some(4601), 1000, 3600), 1000);
    }

    #[test]
    fn encryption_types() {
        assert!(check_encryption(None, None).is_ok());
        assert!(check_encryption(Some("none"), Some("")).is_ok());
        assert!(check_encryption(Some("CSEv1r1"), Some("k")).is_err());
        assert!(check_encryption(Some("none"), Some("k")).is_err());
        assert!(check_encryption(Some("bogus"), None).is_err());
    }

    #[test]
    fn revision_params() {
        let r = RevisionId::new();
        assert_eq!(RevisionParam::parse(Some("")), RevisionParam::None);
        assert!(!RevisionParam::parse(None).is_stale(r));
        assert!(!RevisionParam::parse(Some(&r.to_string())).is_stale(r));
        assert!(RevisionParam::parse(Some(&RevisionId::new().to_string())).is_stale(r));
        assert!(RevisionParam::parse(Some("x")).is_stale(r));
    }
}
