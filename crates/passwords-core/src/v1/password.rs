//! v1 passwords: how they are stored and shown, and what their delete and restore do besides
//! the shared steps (duplicates re-checked, the folder resolved again). List and find are in
//! `password_list`, create and update in `password_write`, tags in `password_tags`.

use async_trait::async_trait;
use passwords_store::{PasswordModel, PasswordRevision, Tx};
use passwords_types::v1::PasswordView;
use passwords_types::{PasswordId, UserId};

use super::find::Subject;
use super::kind::{Listed, Stored};
use super::password_write::copy_revision;
use super::rules::{folder_relation, purge_password};
use super::view::{Needs, View};
use super::Details;
use crate::crypto::FieldKey;
use crate::error::{CoreError, CoreResult};
use crate::settings::UserSettings;
use crate::vault::security::refresh_duplicates;
use crate::vault::Actor;

/// The password kind.
pub struct Passwords;

#[async_trait]
impl Stored for Passwords {
    type Model = PasswordModel;
    type Revision = PasswordRevision;
    type Scope = ();

    /// In one query.
    async fn load(
        tx: &mut dyn Tx,
        uid: &UserId,
        id: PasswordId,
    ) -> CoreResult<(PasswordModel, PasswordRevision)> {
        tx.get_password_with_revision(uid, passwords_types::ObjectRef::Uuid(id.0))
            .await?
            .ok_or(CoreError::NotFound)
    }

    async fn revisions(
        tx: &mut dyn Tx,
        uid: &UserId,
        id: PasswordId,
    ) -> CoreResult<Vec<PasswordRevision>> {
        Ok(tx.list_password_revisions(uid, id).await?)
    }

    fn copy(
        key: &FieldKey,
        actor: &Actor,
        old: &PasswordRevision,
        now: i64,
    ) -> CoreResult<PasswordRevision> {
        copy_revision(key, actor, old, now)
    }

    fn needs(details: Details) -> Needs {
        Needs::of_password(details)
    }

    fn render(
        view: &View,
        model: &PasswordModel,
        rev: &PasswordRevision,
        details: Details,
        revisions: Option<&[PasswordRevision]>,
    ) -> CoreResult<PasswordView> {
        view.password(model, rev, details, revisions)
    }

    async fn scope(_tx: &mut dyn Tx, _uid: &UserId) -> CoreResult<()> {
        Ok(())
    }

    /// Revisions, relations and shares go; duplicates of its hashes are re-checked.
    async fn purge(
        tx: &mut dyn Tx,
        uid: &UserId,
        _scope: &(),
        model: PasswordModel,
        now: i64,
    ) -> CoreResult<()> {
        let settings = UserSettings::load(tx, uid).await?;
        purge_password(tx, uid, model, &settings, now).await
    }

    /// The folder is checked again: it may be gone or hidden by now.
    async fn replace(
        tx: &mut dyn Tx,
        uid: &UserId,
        _scope: &(),
        rev: PasswordRevision,
    ) -> CoreResult<PasswordRevision> {
        let folder = folder_relation(tx, uid, Some(&rev.folder.to_string()), rev.hidden).await?;
        Ok(PasswordRevision { folder, ..rev })
    }

    /// A restored hash changes which passwords are duplicates.
    async fn restored(
        tx: &mut dyn Tx,
        actor: &Actor,
        _scope: &(),
        current: &PasswordRevision,
        rev: &PasswordRevision,
        now: i64,
    ) -> CoreResult<()> {
        if rev.hash != current.hash {
            let uid = &actor.uid;
            let settings = UserSettings::load(tx, uid).await?;
            refresh_duplicates(tx, &settings, uid, &current.hash, now).await?;
            refresh_duplicates(tx, &settings, uid, &rev.hash, now).await?;
        }
        Ok(())
    }
}

#[async_trait]
impl Listed for Passwords {
    async fn rows(
        tx: &mut dyn Tx,
        uid: &UserId,
    ) -> CoreResult<Vec<(PasswordModel, PasswordRevision)>> {
        Ok(tx.list_passwords(uid).await?)
    }

    async fn all_revisions(tx: &mut dyn Tx, uid: &UserId) -> CoreResult<Vec<PasswordRevision>> {
        Ok(tx.dump_password_revisions(uid).await?)
    }

    fn listed(model: &PasswordModel, rev: &PasswordRevision) -> bool {
        !model.suspended && !rev.hidden
    }

    fn subject(r: &PasswordRevision) -> Subject<'_> {
        Subject {
            created: r.created,
            updated: r.updated,
            edited: r.edited,
            cse_type: &r.cse_type,
            sse_type: &r.sse_type,
            status: r.status.level(),
            trashed: r.trashed,
            favorite: r.favorite,
            parent: None,
        }
    }

    fn skipped(model: &PasswordModel, error: &CoreError) {
        tracing::error!(password = %model.uuid, error = %error, "skipping a password");
    }
}
