//! v1 passwords: list and find (a path of their own), and how passwords are stored and shown
//! and what their delete and restore do besides the shared steps (duplicates re-checked, the
//! folder resolved again). Create and update are in `password_write`, tags in `password_tags`.

use async_trait::async_trait;
use passwords_store::{PasswordModel, PasswordRevision, Tx};
use passwords_types::v1::PasswordView;
use passwords_types::{PasswordId, UserId};

use super::find::{Criteria, Subject};
use super::kind::Stored;
use super::password_write::copy_revision;
use super::rules::{folder_relation, purge_password};
use super::view::{Needs, View};
use super::Details;
use crate::crypto::FieldKey;
use crate::error::{CoreError, CoreResult};
use crate::settings::UserSettings;
use crate::vault::security::refresh_duplicates;
use crate::vault::{Actor, Vault};

impl Vault {
    /// password/list: every password that is not hidden, trashed or suspended.
    pub async fn v1_list_passwords(
        &self,
        uid: &UserId,
        details: Details,
    ) -> CoreResult<Vec<PasswordView>> {
        self.v1_find_passwords(uid, &Criteria::default(), details)
            .await
    }

    /// password/find: the passwords (not hidden, not suspended) that match `criteria`.
    pub async fn v1_find_passwords(
        &self,
        uid: &UserId,
        criteria: &Criteria,
        details: Details,
    ) -> CoreResult<Vec<PasswordView>> {
        let key = self.keys.user_key(&*self.store, uid).await?;
        let mut conn = self.store.conn().await?;
        let rows = conn.list_passwords(uid).await?;
        let mut view = View::new(key, uid);
        view.load(&mut *conn, Needs::of_password(details)).await?;
        let mut revisions_of = if details.revisions {
            Some(super::by_model(
                conn.dump_password_revisions(uid).await?,
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
            let revisions: Option<Vec<PasswordRevision>> = revisions_of
                .as_mut()
                .map(|all| all.remove(&m.uuid).unwrap_or_default());
            match view.password(m, r, details, revisions.as_deref()) {
                Ok(p) => out.push(p),
                Err(e) => tracing::error!(password = %m.uuid, error = %e, "skipping a password"),
            }
        }
        Ok(out)
    }
}

/// What `find` compares for a password revision.
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
