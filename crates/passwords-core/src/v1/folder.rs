//! v1 folder operations: list, find, show, create, update, delete (trash with suspension of
//! the subtree, then for good with the subtree), restore.

use passwords_store::{FolderModel, FolderRevision, Tx};
use passwords_types::v1::{Deleted, FolderView, Mutated};
use passwords_types::{FolderId, RevisionId, UserId};

use super::find::{Criteria, Subject};
use super::rules::{
    check_encryption, edited, folder_relation, purge_password, required, RevisionParam, Tree,
    FOLDER_HORIZON, OUTDATED,
};
use super::view::{Needs, View};
use super::{Details, FolderInput};
use crate::clock::now;
use crate::crypto::{open_field, seal_field, FieldKey};
use crate::error::{CoreError, CoreResult};
use crate::settings::UserSettings;
use crate::vault::{Actor, Vault, CSE_NONE, SSE_V1R2};

/// The base folder cannot change.
const BASE_FOLDER: &str = "Can not edit base folder";

impl Vault {
    /// folder/list: every folder that is not hidden, trashed or suspended (the base folder
    /// is not part of it).
    pub async fn v1_list_folders(
        &self,
        uid: &UserId,
        details: Details,
    ) -> CoreResult<Vec<FolderView>> {
        self.v1_find_folders(uid, &Criteria::default(), details)
            .await
    }

    /// folder/find.
    pub async fn v1_find_folders(
        &self,
        uid: &UserId,
        criteria: &Criteria,
        details: Details,
    ) -> CoreResult<Vec<FolderView>> {
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut conn = self.store.conn().await?;
        let rows = conn.list_folders(uid).await?;
        let mut view = View::new(key, uid);
        view.load(&mut *conn, Needs::of_folder(details)).await?;
        let mut revisions_of = if details.revisions {
            Some(super::by_model(
                conn.dump_folder_revisions(uid).await?,
                |r| r.model,
            ))
        } else {
            None
        };
        drop(conn);
        let mut out = Vec::with_capacity(rows.len());
        for (m, r) in &rows {
            if m.suspended || r.hidden || !criteria.matches(&subject(r)) {
                continue;
            }
            let revisions: Option<Vec<FolderRevision>> = revisions_of
                .as_mut()
                .map(|all| all.remove(&m.uuid).unwrap_or_default());
            match view.folder(Some((m, r)), details, revisions.as_deref()) {
                Ok(f) => out.push(f),
                Err(e) => tracing::error!(folder = %m.uuid, error = %e, "skipping a folder"),
            }
        }
        Ok(out)
    }

    /// folder/show: one folder (hidden and trashed included), or the base folder.
    pub async fn v1_show_folder(
        &self,
        uid: &UserId,
        id: FolderId,
        details: Details,
    ) -> CoreResult<FolderView> {
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut conn = self.store.conn().await?;
        let row = if id == FolderId::BASE {
            None
        } else {
            Some(load(&mut *conn, uid, id).await?)
        };
        let mut view = View::new(key, uid);
        view.load(&mut *conn, Needs::of_folder(details)).await?;
        let revisions = match (&row, details.revisions) {
            (Some(_), true) => Some(revisions_of(&mut *conn, uid, id).await?),
            (None, true) => Some(Vec::new()),
            _ => None,
        };
        drop(conn);
        view.folder(
            row.as_ref().map(|(m, r)| (m, r)),
            details,
            revisions.as_deref(),
        )
    }

    /// folder/create → `{id, revision}`.
    pub async fn v1_create_folder(&self, actor: &Actor, input: FolderInput) -> CoreResult<Mutated> {
        let uid = &actor.uid;
        check_encryption(input.cse_type.as_deref(), input.cse_key.as_deref())?;
        let label = required(&input.label, "label")?;
        let key = self.keys.user_key(&*self.store, uid).await?;
        let t = now();
        let hidden = input.hidden.unwrap_or(false);
        let model_id = FolderId::new();
        let rev_id = RevisionId::new();
        let mut tx = self.store.begin().await?;
        tx.lock_user(uid).await?;
        self.keys.confirm(&mut *tx, uid, &key).await?;
        let parent = folder_relation(&mut *tx, uid, input.parent.as_deref(), hidden).await?;
        let rev = FolderRevision {
            parent,
            hidden,
            favorite: input.favorite.unwrap_or(false),
            ..revision(
                &key,
                actor,
                model_id,
                rev_id,
                &label,
                edited(input.edited, t, FOLDER_HORIZON),
                t,
            )
        };
        let model = FolderModel {
            id: 0,
            uuid: model_id,
            user_id: uid.clone(),
            revision: rev_id,
            suspended: false,
            deleted: false,
            created: t,
            updated: t,
        };
        tx.insert_folder(&model).await?;
        tx.insert_folder_revision(&rev).await?;
        tx.commit().await?;
        Ok(Mutated {
            id: model_id.0,
            revision: rev_id,
        })
    }

    /// folder/update: a new revision with every field replaced; `trashed` stays. A parent
    /// that is the folder itself or lies below it becomes the base folder.
    pub async fn v1_update_folder(
        &self,
        actor: &Actor,
        id: FolderId,
        expected: RevisionParam,
        input: FolderInput,
    ) -> CoreResult<Mutated> {
        let uid = &actor.uid;
        if id == FolderId::BASE {
            return Err(CoreError::Unprocessable(BASE_FOLDER.into()));
        }
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut tx = self.store.begin().await?;
        tx.lock_user(uid).await?;
        self.keys.confirm(&mut *tx, uid, &key).await?;
        let (mut model, old) = load(&mut *tx, uid, id).await?;
        if expected.is_stale(model.revision) {
            return Err(CoreError::Conflict(OUTDATED.into()));
        }
        check_encryption(input.cse_type.as_deref(), input.cse_key.as_deref())?;
        let label = required(&input.label, "label")?;
        let t = now();
        let hidden = input.hidden.unwrap_or(false);
        let mut parent = folder_relation(&mut *tx, uid, input.parent.as_deref(), hidden).await?;
        let tree = Tree::load(&mut *tx, uid).await?;
        if parent != FolderId::BASE && tree.is_within(parent, id) {
            parent = FolderId::BASE;
        }
        let rev_id = RevisionId::new();
        let rev = FolderRevision {
            parent,
            hidden,
            favorite: input.favorite.unwrap_or(false),
            trashed: old.trashed,
            ..revision(
                &key,
                actor,
                id,
                rev_id,
                &label,
                edited(input.edited, t, FOLDER_HORIZON),
                t,
            )
        };
        tx.insert_folder_revision(&rev).await?;
        model.revision = rev_id;
        model.updated = t;
        tx.update_folder(&model).await?;
        if hidden && !old.hidden {
            hide_below(&mut *tx, &key, actor, &tree, id, t).await?;
        }
        tx.commit().await?;
        Ok(Mutated {
            id: id.0,
            revision: rev_id,
        })
    }

    /// folder/delete: a live folder goes to the trash and everything below it that is not
    /// trashed is suspended; a trashed one is deleted for good with its whole subtree.
    pub async fn v1_delete_folder(
        &self,
        actor: &Actor,
        id: FolderId,
        expected: RevisionParam,
    ) -> CoreResult<Deleted> {
        let uid = &actor.uid;
        if id == FolderId::BASE {
            return Err(CoreError::Unprocessable(BASE_FOLDER.into()));
        }
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut tx = self.store.begin().await?;
        tx.lock_user(uid).await?;
        self.keys.confirm(&mut *tx, uid, &key).await?;
        let (mut model, old) = load(&mut *tx, uid, id).await?;
        let t = now();
        let tree = Tree::load(&mut *tx, uid).await?;
        if !old.trashed {
            let rev = FolderRevision {
                trashed: true,
                ..copy_revision(&key, actor, &old, t)?
            };
            tx.insert_folder_revision(&rev).await?;
            model.revision = rev.uuid;
            model.updated = t;
            tx.update_folder(&model).await?;
            set_suspended(&mut *tx, &tree, id, true, t).await?;
            tx.commit().await?;
            return Ok(Deleted {
                id: id.0,
                revision: Some(rev.uuid),
            });
        }
        if expected.is_stale(model.revision) {
            return Err(CoreError::InvalidInput(OUTDATED.into()));
        }
        let settings = UserSettings::load(&mut *tx, uid).await?;
        let (folders, passwords) = tree.below(id, false);
        for i in passwords {
            let (m, _) = &tree.passwords[i];
            purge_password(&mut *tx, uid, m.clone(), &settings, t).await?;
        }
        for i in folders {
            let mut m = tree.folders[i].0.clone();
            m.deleted = true;
            m.updated = t;
            tx.update_folder(&m).await?;
        }
        model.deleted = true;
        model.updated = t;
        tx.update_folder(&model).await?;
        tx.commit().await?;
        Ok(Deleted {
            id: id.0,
            revision: None,
        })
    }

    /// folder/restore: the current (or a given older) revision, not trashed, becomes current;
    /// what the trashing suspended is unsuspended.
    pub async fn v1_restore_folder(
        &self,
        actor: &Actor,
        id: FolderId,
        revision: RevisionParam,
    ) -> CoreResult<Mutated> {
        let uid = &actor.uid;
        if id == FolderId::BASE {
            return Err(CoreError::Unprocessable(BASE_FOLDER.into()));
        }
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut tx = self.store.begin().await?;
        tx.lock_user(uid).await?;
        self.keys.confirm(&mut *tx, uid, &key).await?;
        let (mut model, current) = load(&mut *tx, uid, id).await?;
        let source = match revision {
            RevisionParam::None => current.clone(),
            RevisionParam::Id(r) if r == current.uuid => current.clone(),
            RevisionParam::Id(r) => match tx.get_folder_revision(uid, r).await? {
                Some(rev) if rev.model == id => rev,
                _ => return Err(CoreError::InvalidInput("Invalid revision id".into())),
            },
            RevisionParam::Invalid => {
                return Err(CoreError::InvalidInput("Invalid revision id".into()))
            }
        };
        if source.uuid == current.uuid && !current.trashed {
            return Ok(Mutated {
                id: id.0,
                revision: current.uuid,
            });
        }
        let t = now();
        let tree = Tree::load(&mut *tx, uid).await?;
        let mut parent = folder_relation(
            &mut *tx,
            uid,
            Some(&source.parent.to_string()),
            source.hidden,
        )
        .await?;
        if parent != FolderId::BASE && tree.is_within(parent, id) {
            parent = FolderId::BASE;
        }
        let rev = FolderRevision {
            trashed: false,
            parent,
            ..copy_revision(&key, actor, &source, t)?
        };
        tx.insert_folder_revision(&rev).await?;
        model.revision = rev.uuid;
        model.updated = t;
        tx.update_folder(&model).await?;
        if current.trashed {
            set_suspended(&mut *tx, &tree, id, false, t).await?;
        }
        tx.commit().await?;
        Ok(Mutated {
            id: id.0,
            revision: rev.uuid,
        })
    }
}

fn subject(r: &FolderRevision) -> Subject<'_> {
    Subject {
        created: r.created,
        updated: r.updated,
        edited: r.edited,
        cse_type: &r.cse_type,
        sse_type: &r.sse_type,
        status: 0,
        trashed: r.trashed,
        favorite: r.favorite,
        parent: Some(r.parent.to_string()),
    }
}

async fn load(
    tx: &mut dyn Tx,
    uid: &UserId,
    id: FolderId,
) -> CoreResult<(FolderModel, FolderRevision)> {
    let model = tx.get_folder(uid, id).await?.ok_or(CoreError::NotFound)?;
    let rev = tx
        .get_folder_revision(uid, model.revision)
        .await?
        .ok_or_else(|| CoreError::Crypto(format!("folder {id} has no current revision")))?;
    Ok((model, rev))
}

/// Every revision of one folder, oldest first.
async fn revisions_of(
    tx: &mut dyn Tx,
    uid: &UserId,
    id: FolderId,
) -> CoreResult<Vec<FolderRevision>> {
    Ok(tx
        .dump_folder_revisions(uid)
        .await?
        .into_iter()
        .filter(|r| r.model == id)
        .collect())
}

fn revision(
    key: &FieldKey,
    actor: &Actor,
    model: FolderId,
    rev_id: RevisionId,
    label: &str,
    edited: i64,
    now: i64,
) -> FolderRevision {
    FolderRevision {
        uuid: rev_id,
        user_id: actor.uid.clone(),
        model,
        parent: FolderId::BASE,
        label: seal_field(key, rev_id.as_uuid(), "label", label),
        cse_type: CSE_NONE.into(),
        cse_key: String::new(),
        sse_type: SSE_V1R2.into(),
        hidden: false,
        trashed: false,
        favorite: false,
        edited,
        client: actor.client.clone(),
        created: now,
        updated: now,
    }
}

/// `old` as a new revision by `actor` now.
fn copy_revision(
    key: &FieldKey,
    actor: &Actor,
    old: &FolderRevision,
    now: i64,
) -> CoreResult<FolderRevision> {
    let label = open_field(key, old.uuid.as_uuid(), "label", &old.label)?;
    let rev_id = RevisionId::new();
    Ok(FolderRevision {
        uuid: rev_id,
        label: seal_field(key, rev_id.as_uuid(), "label", &label),
        client: actor.client.clone(),
        created: now,
        updated: now,
        ..old.clone()
    })
}

/// Sets `suspended` on everything below `root` that is not trashed (trashed subtrees keep
/// the state their own trashing gave them).
async fn set_suspended(
    tx: &mut dyn Tx,
    tree: &Tree,
    root: FolderId,
    suspended: bool,
    now: i64,
) -> CoreResult<()> {
    let (folders, passwords) = tree.below(root, true);
    for i in folders {
        let mut m = tree.folders[i].0.clone();
        if m.suspended != suspended {
            m.suspended = suspended;
            m.updated = now;
            tx.update_folder(&m).await?;
        }
    }
    for i in passwords {
        let mut m = tree.passwords[i].0.clone();
        if m.suspended != suspended {
            m.suspended = suspended;
            m.updated = now;
            tx.update_password(&m).await?;
        }
    }
    Ok(())
}

/// Hiding a folder hides everything below it: each visible folder and password gets a new
/// revision with `hidden` set.
async fn hide_below(
    tx: &mut dyn Tx,
    key: &FieldKey,
    actor: &Actor,
    tree: &Tree,
    root: FolderId,
    now: i64,
) -> CoreResult<()> {
    let (folders, passwords) = tree.below(root, false);
    for i in folders {
        let (m, r) = &tree.folders[i];
        if r.hidden {
            continue;
        }
        let rev = FolderRevision {
            hidden: true,
            ..copy_revision(key, actor, r, now)?
        };
        tx.insert_folder_revision(&rev).await?;
        let mut m = m.clone();
        m.revision = rev.uuid;
        m.updated = now;
        tx.update_folder(&m).await?;
    }
    for i in passwords {
        let (m, r) = &tree.passwords[i];
        if r.hidden {
            continue;
        }
        let rev = passwords_store::PasswordRevision {
            hidden: true,
            ..super::password::copy_revision(key, actor, r, now)?
        };
        tx.insert_password_revision(&rev).await?;
        let mut m = m.clone();
        m.revision = rev.uuid;
        m.updated = now;
        tx.update_password(&m).await?;
        for rel in tx.list_relations_of_password(&actor.uid, m.uuid).await? {
            if !rel.hidden {
                tx.delete_relation(&actor.uid, rel.uuid, now).await?;
                tx.insert_relation(&passwords_store::RelationRecord {
                    uuid: uuid::Uuid::new_v4(),
                    hidden: true,
                    password_revision: rev.uuid,
                    client: actor.client.clone(),
                    created: now,
                    updated: now,
                    ..rel
                })
                .await?;
            }
        }
    }
    Ok(())
}
