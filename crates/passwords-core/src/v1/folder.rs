//! v1 folders: what is a folder's own. Create and update; the base folder (shown, never
//! changed); trashing suspends the subtree, restoring unsuspends it, deleting for good takes
//! the subtree along; hiding a folder hides everything below it. The rest is shared (`ops`).

use async_trait::async_trait;
use passwords_store::{FolderModel, FolderRevision, Tx};
use passwords_types::v1::{FolderView, Mutated};
use passwords_types::{FolderId, RevisionId, UserId};

use super::find::{Resource, Subject};
use super::kind::{Kind, Listed, Stored};
use super::ops::{self, begin, load_for_update, make_current, revisions_of};
use super::rules::{
    check_encryption, edited, folder_relation, purge_password, required, RevisionParam, Tree,
    FOLDER_HORIZON,
};
use super::view::{Needs, View};
use super::{Details, FolderInput, Passwords};
use crate::clock::now;
use crate::crypto::{open_field, seal_field, FieldKey};
use crate::error::{CoreError, CoreResult};
use crate::settings::UserSettings;
use crate::vault::{Actor, Vault, CSE_NONE, SSE_V1R2};

/// The base folder cannot change.
const BASE_FOLDER: &str = "Can not edit base folder";

/// The folder kind.
pub struct Folders;

#[async_trait]
impl Kind for Folders {
    type Id = FolderId;
    type Input = FolderInput;
    type View = FolderView;
    const RESOURCE: Resource = Resource::Folder;

    /// folder/create.
    async fn create(vault: &Vault, actor: &Actor, input: FolderInput) -> CoreResult<Mutated> {
        let uid = &actor.uid;
        check_encryption(input.cse_type.as_deref(), input.cse_key.as_deref())?;
        let label = required(&input.label, "label")?;
        let key = vault.keys.user_key(&*vault.store, uid).await?;
        let t = now();
        let hidden = input.hidden.unwrap_or(false);
        let model_id = FolderId::new();
        let rev_id = RevisionId::new();
        let mut tx = begin(vault, uid, &key).await?;
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

    /// folder/update: a parent that is the folder itself or lies below it becomes the base
    /// folder; hiding the folder hides what is below it.
    async fn update(
        vault: &Vault,
        actor: &Actor,
        id: FolderId,
        expected: RevisionParam,
        input: FolderInput,
    ) -> CoreResult<Mutated> {
        let uid = &actor.uid;
        Self::writable(id)?;
        let key = vault.keys.user_key(&*vault.store, uid).await?;
        let mut tx = begin(vault, uid, &key).await?;
        let (mut model, old) = load_for_update::<Self>(&mut *tx, uid, id, expected).await?;
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
        make_current::<Self>(&mut *tx, &mut model, &rev, t).await?;
        if hidden && !old.hidden {
            hide_below(&mut *tx, &key, actor, &tree, id, t).await?;
        }
        tx.commit().await?;
        Ok(Mutated {
            id: id.0,
            revision: rev_id,
        })
    }
}

#[async_trait]
impl Stored for Folders {
    type Model = FolderModel;
    type Revision = FolderRevision;
    type Scope = Tree;

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

    async fn revisions(
        tx: &mut dyn Tx,
        uid: &UserId,
        id: FolderId,
    ) -> CoreResult<Vec<FolderRevision>> {
        revisions_of::<Self>(tx, uid, id).await
    }

    fn copy(
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

    fn needs(details: Details) -> Needs {
        Needs::of_folder(details)
    }

    fn render(
        view: &View,
        model: &FolderModel,
        rev: &FolderRevision,
        details: Details,
        revisions: Option<&[FolderRevision]>,
    ) -> CoreResult<FolderView> {
        view.folder(Some((model, rev)), details, revisions)
    }

    /// folder/show: one folder (hidden and trashed included), or the base folder.
    async fn show(
        vault: &Vault,
        uid: &UserId,
        id: FolderId,
        details: Details,
    ) -> CoreResult<FolderView> {
        if id != FolderId::BASE {
            return ops::show::<Self>(vault, uid, id, details).await;
        }
        let key = vault.keys.user_key(&*vault.store, uid).await?;
        let mut conn = vault.store.conn().await?;
        let mut view = View::new(key, uid);
        view.load(&mut *conn, Needs::of_folder(details)).await?;
        drop(conn);
        let revisions = details.revisions.then(Vec::new);
        view.folder(None, details, revisions.as_deref())
    }

    fn writable(id: FolderId) -> CoreResult<()> {
        if id == FolderId::BASE {
            return Err(CoreError::Unprocessable(BASE_FOLDER.into()));
        }
        Ok(())
    }

    async fn scope(tx: &mut dyn Tx, uid: &UserId) -> CoreResult<Tree> {
        Tree::load(tx, uid).await
    }

    /// Everything below a trashed folder that is not trashed itself is suspended.
    async fn trashed(tx: &mut dyn Tx, tree: &Tree, id: FolderId, now: i64) -> CoreResult<()> {
        set_suspended(tx, tree, id, true, now).await
    }

    /// The folder for good, with its whole subtree.
    async fn purge(
        tx: &mut dyn Tx,
        uid: &UserId,
        tree: &Tree,
        mut model: FolderModel,
        now: i64,
    ) -> CoreResult<()> {
        let settings = UserSettings::load(tx, uid).await?;
        let (folders, passwords) = tree.below(model.uuid, false);
        for i in passwords {
            let (m, _) = &tree.passwords[i];
            purge_password(tx, uid, m.clone(), &settings, now).await?;
        }
        for i in folders {
            let mut m = tree.folders[i].0.clone();
            m.deleted = true;
            m.updated = now;
            tx.update_folder(&m).await?;
            tx.delete_folder_revisions(uid, m.uuid).await?;
        }
        model.deleted = true;
        model.updated = now;
        tx.update_folder(&model).await?;
        tx.delete_folder_revisions(uid, model.uuid).await?;
        Ok(())
    }

    /// The parent is checked again: it may be gone, hidden, or below the folder by now.
    async fn replace(
        tx: &mut dyn Tx,
        uid: &UserId,
        tree: &Tree,
        rev: FolderRevision,
    ) -> CoreResult<FolderRevision> {
        let mut parent =
            folder_relation(tx, uid, Some(&rev.parent.to_string()), rev.hidden).await?;
        if parent != FolderId::BASE && tree.is_within(parent, rev.model) {
            parent = FolderId::BASE;
        }
        Ok(FolderRevision { parent, ..rev })
    }

    /// What the trashing suspended is unsuspended.
    async fn restored(
        tx: &mut dyn Tx,
        _actor: &Actor,
        tree: &Tree,
        current: &FolderRevision,
        rev: &FolderRevision,
        now: i64,
    ) -> CoreResult<()> {
        if current.trashed {
            set_suspended(tx, tree, rev.model, false, now).await?;
        }
        Ok(())
    }
}

#[async_trait]
impl Listed for Folders {
    /// The base folder is not part of them.
    async fn rows(tx: &mut dyn Tx, uid: &UserId) -> CoreResult<Vec<(FolderModel, FolderRevision)>> {
        Ok(tx.list_folders(uid).await?)
    }

    async fn all_revisions(tx: &mut dyn Tx, uid: &UserId) -> CoreResult<Vec<FolderRevision>> {
        Ok(tx.dump_folder_revisions(uid).await?)
    }

    fn listed(model: &FolderModel, rev: &FolderRevision) -> bool {
        !model.suspended && !rev.hidden
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

    fn skipped(model: &FolderModel, error: &CoreError) {
        tracing::error!(folder = %model.uuid, error = %error, "skipping a folder");
    }
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
            ..Folders::copy(key, actor, r, now)?
        };
        make_current::<Folders>(tx, &mut m.clone(), &rev, now).await?;
    }
    for i in passwords {
        let (m, r) = &tree.passwords[i];
        if r.hidden {
            continue;
        }
        let rev = passwords_store::PasswordRevision {
            hidden: true,
            ..Passwords::copy(key, actor, r, now)?
        };
        make_current::<Passwords>(tx, &mut m.clone(), &rev, now).await?;
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
