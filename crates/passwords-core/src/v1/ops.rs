//! The v1 operations written once for every kind: show, list/find (folders and tags), delete
//! (to the trash, then for good), restore, and the steps the kinds' own creates and updates
//! share (open a write, load for an update, make a revision current).
//!
//! What differs between kinds comes from [`Stored`] and [`Listed`]; every write is one
//! transaction that holds the user's lock and has confirmed the user's key.

use std::sync::Arc;

use passwords_store::Tx;
use passwords_types::v1::{Deleted, Mutated};
use passwords_types::UserId;

use super::find::Criteria;
use super::kind::{Listed, Stored};
use super::rows::{ModelRow, RevisionRow};
use super::rules::{RevisionParam, OUTDATED};
use super::view::View;
use super::Details;
use crate::clock::now;
use crate::crypto::FieldKey;
use crate::error::{CoreError, CoreResult};
use crate::vault::{Actor, Vault};

/// show: one object, hidden and trashed ones included.
pub(super) async fn show<K: Stored>(
    vault: &Vault,
    uid: &UserId,
    id: K::Id,
    details: Details,
) -> CoreResult<K::View> {
    let key = vault.keys.user_key(&*vault.store, uid).await?;
    let mut conn = vault.store.conn().await?;
    let (m, r) = K::load(&mut *conn, uid, id).await?;
    let mut view = View::new(key, uid);
    view.load(&mut *conn, K::needs(details)).await?;
    let revisions = if details.revisions {
        Some(K::revisions(&mut *conn, uid, id).await?)
    } else {
        None
    };
    drop(conn);
    K::render(&view, &m, &r, details, revisions.as_deref())
}

/// find (and list, with no criteria): the objects that are listed and match `criteria`. An
/// object that cannot be shown is logged and left out.
pub(super) async fn find<K: Listed>(
    vault: &Vault,
    uid: &UserId,
    criteria: &Criteria,
    details: Details,
) -> CoreResult<Vec<K::View>> {
    let key = vault.keys.user_key(&*vault.store, uid).await?;
    let mut conn = vault.store.conn().await?;
    let rows = K::rows(&mut *conn, uid).await?;
    let mut view = View::new(key, uid);
    view.load(&mut *conn, K::needs(details)).await?;
    let mut revisions_of = if details.revisions {
        Some(super::by_model(
            K::all_revisions(&mut *conn, uid).await?,
            K::Revision::owner,
        ))
    } else {
        None
    };
    drop(conn);
    let mut out = Vec::with_capacity(rows.len());
    for (m, r) in &rows {
        if !K::listed(m, r) || !criteria.matches(&K::subject(r)) {
            continue;
        }
        let revisions: Option<Vec<K::Revision>> = revisions_of
            .as_mut()
            .map(|all| all.remove(&r.owner()).unwrap_or_default());
        match K::render(&view, m, r, details, revisions.as_deref()) {
            Ok(v) => out.push(v),
            Err(e) => K::skipped(m, &e),
        }
    }
    Ok(out)
}

/// Every revision of one object, oldest first, picked from all of the user's revisions of
/// the kind.
pub(super) async fn revisions_of<K: Listed>(
    tx: &mut dyn Tx,
    uid: &UserId,
    id: K::Id,
) -> CoreResult<Vec<K::Revision>> {
    Ok(K::all_revisions(tx, uid)
        .await?
        .into_iter()
        .filter(|r| r.owner() == id)
        .collect())
}

/// delete: a live object goes to the trash (`{id, revision}`), a trashed one is deleted for
/// good (`{id}`; a stale `revision` → 400).
pub(super) async fn delete<K: Stored>(
    vault: &Vault,
    actor: &Actor,
    id: K::Id,
    expected: RevisionParam,
) -> CoreResult<Deleted> {
    K::writable(id)?;
    let uid = &actor.uid;
    let key = vault.keys.user_key(&*vault.store, uid).await?;
    let mut tx = begin(vault, uid, &key).await?;
    let (mut model, old) = K::load(&mut *tx, uid, id).await?;
    let t = now();
    let scope = K::scope(&mut *tx, uid).await?;
    if !old.is_trashed() {
        let mut rev = K::copy(&key, actor, &old, t)?;
        rev.set_trashed(true);
        make_current::<K>(&mut *tx, &mut model, &rev, t).await?;
        K::trashed(&mut *tx, &scope, id, t).await?;
        tx.commit().await?;
        return Ok(Deleted {
            id: id.into(),
            revision: Some(rev.id()),
        });
    }
    if expected.is_stale(model.current()) {
        return Err(CoreError::InvalidInput(OUTDATED.into()));
    }
    K::purge(&mut *tx, uid, &scope, model, t).await?;
    tx.commit().await?;
    Ok(Deleted {
        id: id.into(),
        revision: None,
    })
}

/// restore: the current revision (or the given older one) becomes a new current revision
/// that is not trashed. Restoring the current revision of a live object changes nothing.
pub(super) async fn restore<K: Stored>(
    vault: &Vault,
    actor: &Actor,
    id: K::Id,
    revision: RevisionParam,
) -> CoreResult<Mutated> {
    K::writable(id)?;
    let uid = &actor.uid;
    let key = vault.keys.user_key(&*vault.store, uid).await?;
    let mut tx = begin(vault, uid, &key).await?;
    let (mut model, current) = K::load(&mut *tx, uid, id).await?;
    let invalid = || CoreError::InvalidInput("Invalid revision id".into());
    let source = match revision {
        RevisionParam::None => current.clone(),
        RevisionParam::Id(r) if r == current.id() => current.clone(),
        RevisionParam::Id(r) => match K::Revision::get(&mut *tx, uid, r).await? {
            Some(rev) if rev.owner() == id => rev,
            _ => return Err(invalid()),
        },
        RevisionParam::Invalid => return Err(invalid()),
    };
    if source.id() == current.id() && !current.is_trashed() {
        return Ok(Mutated {
            id: id.into(),
            revision: current.id(),
        });
    }
    let t = now();
    let scope = K::scope(&mut *tx, uid).await?;
    let mut rev = K::copy(&key, actor, &source, t)?;
    rev.set_trashed(false);
    let rev = K::replace(&mut *tx, uid, &scope, rev).await?;
    make_current::<K>(&mut *tx, &mut model, &rev, t).await?;
    K::restored(&mut *tx, actor, &scope, &current, &rev, t).await?;
    tx.commit().await?;
    Ok(Mutated {
        id: id.into(),
        revision: rev.id(),
    })
}

/// A write transaction of `uid`: the user locked and the key confirmed unchanged.
pub(super) async fn begin(
    vault: &Vault,
    uid: &UserId,
    key: &Arc<FieldKey>,
) -> CoreResult<Box<dyn Tx>> {
    let mut tx = vault.store.begin().await?;
    tx.lock_user(uid).await?;
    vault.keys.confirm(&mut *tx, uid, key).await?;
    Ok(tx)
}

/// The object an update replaces, with its current revision; a stale `revision` → 409.
pub(super) async fn load_for_update<K: Stored>(
    tx: &mut dyn Tx,
    uid: &UserId,
    id: K::Id,
    expected: RevisionParam,
) -> CoreResult<(K::Model, K::Revision)> {
    let (model, rev) = K::load(tx, uid, id).await?;
    if expected.is_stale(model.current()) {
        return Err(CoreError::Conflict(OUTDATED.into()));
    }
    Ok((model, rev))
}

/// Stores `rev` and makes it the model's current revision, changed `now`.
pub(super) async fn make_current<K: Stored>(
    tx: &mut dyn Tx,
    model: &mut K::Model,
    rev: &K::Revision,
    now: i64,
) -> CoreResult<()> {
    rev.insert(tx).await?;
    model.set_current(rev.id(), now);
    model.update(tx).await
}
