//! The three v1 object kinds (passwords, folders, tags) behind one abstraction.
//!
//! Public, for the server: [`Kind`] (a kind's types, and its own create and update), [`Ops`]
//! (show, delete, restore) and [`Listing`] (list, find). [`Ops`] and [`Listing`] are
//! implemented once for every kind, by the shared code in `ops`, over the crate-private
//! `Stored` and `Listed`: how a kind's rows are read and written, and the steps that are the
//! kind's own. The server lists and finds passwords through [`Vault::v1_list_passwords`] and
//! [`Vault::v1_find_passwords`], which write the levels clients use most as JSON text
//! directly and fall back to [`Listing`] for the others.

use async_trait::async_trait;
use passwords_store::Tx;
use passwords_types::v1::{Deleted, Mutated};
use passwords_types::UserId;

use super::find::{Criteria, Resource, Subject};
use super::ops;
use super::rows::{ModelRow, RevisionRow};
use super::rules::RevisionParam;
use super::view::{Needs, View};
use super::Details;
use crate::crypto::FieldKey;
use crate::error::{CoreError, CoreResult};
use crate::vault::{Actor, Vault};

/// A v1 object kind: [`Passwords`](super::Passwords), [`Folders`](super::Folders) or
/// [`Tags`](super::Tags).
#[async_trait]
pub trait Kind: Send + Sync + Sized + 'static {
    /// The id clients name an object by.
    type Id: Copy + Eq + std::hash::Hash + std::str::FromStr + Into<uuid::Uuid> + Send + Sync;
    /// The fields of a create or update.
    type Input: Send;
    /// An object as `show` and `list` answer it.
    type View: serde::Serialize + Send;
    /// The fields `find` criteria may name.
    const RESOURCE: Resource;

    /// `create` → `{id, revision}`.
    async fn create(vault: &Vault, actor: &Actor, input: Self::Input) -> CoreResult<Mutated>;

    /// `update`: a new revision replacing every field (missing ones get their defaults);
    /// `trashed` stays. A stale `revision` → 409.
    async fn update(
        vault: &Vault,
        actor: &Actor,
        id: Self::Id,
        expected: RevisionParam,
        input: Self::Input,
    ) -> CoreResult<Mutated>;
}

/// The v1 operations written once for every kind.
#[async_trait]
pub trait Ops: Kind {
    /// `show`: one object, hidden and trashed ones included.
    async fn show(
        vault: &Vault,
        uid: &UserId,
        id: Self::Id,
        details: Details,
    ) -> CoreResult<Self::View>;

    /// `delete`: a live object goes to the trash (`{id, revision}`), a trashed one is deleted
    /// for good (`{id}`; a stale `revision` → 400).
    async fn delete(
        vault: &Vault,
        actor: &Actor,
        id: Self::Id,
        expected: RevisionParam,
    ) -> CoreResult<Deleted>;

    /// `restore`: the current revision (or the given older one) becomes a new current
    /// revision that is not trashed.
    async fn restore(
        vault: &Vault,
        actor: &Actor,
        id: Self::Id,
        revision: RevisionParam,
    ) -> CoreResult<Mutated>;
}

/// `list` and `find`, as objects.
#[async_trait]
pub trait Listing: Kind {
    /// `list`: every object that is not hidden, trashed or suspended.
    async fn list(vault: &Vault, uid: &UserId, details: Details) -> CoreResult<Vec<Self::View>>;

    /// `find`: the objects (not hidden, not suspended) that match `criteria`.
    async fn find(
        vault: &Vault,
        uid: &UserId,
        criteria: &Criteria,
        details: Details,
    ) -> CoreResult<Vec<Self::View>>;
}

/// How a kind is stored (a model row pointing at its current revision), shown, and the steps
/// of its writes that are its own. Defaults are "nothing of its own".
#[async_trait]
pub(super) trait Stored: Kind {
    type Model: ModelRow;
    type Revision: RevisionRow<Owner = Self::Id>;
    /// What the kind's own steps of a delete or a restore read once (the folder tree).
    type Scope: Send + Sync;

    // ---- rows -----------------------------------------------------------------------------

    /// The object `id` of `uid` with its current revision, or `NotFound`.
    async fn load(
        tx: &mut dyn Tx,
        uid: &UserId,
        id: Self::Id,
    ) -> CoreResult<(Self::Model, Self::Revision)>;

    /// Every revision of one object, oldest first.
    async fn revisions(
        tx: &mut dyn Tx,
        uid: &UserId,
        id: Self::Id,
    ) -> CoreResult<Vec<Self::Revision>>;

    /// `old` as a new revision written by `actor` now (fields sealed anew: they are bound to
    /// the revision id).
    fn copy(
        key: &FieldKey,
        actor: &Actor,
        old: &Self::Revision,
        now: i64,
    ) -> CoreResult<Self::Revision>;

    // ---- show -----------------------------------------------------------------------------

    /// What a [`View`] must load to show objects at level `details`.
    fn needs(details: Details) -> Needs;

    /// One object at level `details` (`revisions` when that level is asked for).
    fn render(
        view: &View,
        model: &Self::Model,
        rev: &Self::Revision,
        details: Details,
        revisions: Option<&[Self::Revision]>,
    ) -> CoreResult<Self::View>;

    /// `show` (the base folder has its own).
    async fn show(
        vault: &Vault,
        uid: &UserId,
        id: Self::Id,
        details: Details,
    ) -> CoreResult<Self::View> {
        ops::show::<Self>(vault, uid, id, details).await
    }

    // ---- writes ---------------------------------------------------------------------------

    /// Whether the object may be changed at all (the base folder may not).
    fn writable(_id: Self::Id) -> CoreResult<()> {
        Ok(())
    }

    /// Reads the scope, once per delete or restore.
    async fn scope(tx: &mut dyn Tx, uid: &UserId) -> CoreResult<Self::Scope>;

    /// After the object went to the trash.
    async fn trashed(
        _tx: &mut dyn Tx,
        _scope: &Self::Scope,
        _id: Self::Id,
        _now: i64,
    ) -> CoreResult<()> {
        Ok(())
    }

    /// Deletes a trashed object for good, with whatever goes with it.
    async fn purge(
        tx: &mut dyn Tx,
        uid: &UserId,
        scope: &Self::Scope,
        model: Self::Model,
        now: i64,
    ) -> CoreResult<()>;

    /// The revision a restore writes, placed anew: its folder may have gone meanwhile.
    async fn replace(
        _tx: &mut dyn Tx,
        _uid: &UserId,
        _scope: &Self::Scope,
        rev: Self::Revision,
    ) -> CoreResult<Self::Revision> {
        Ok(rev)
    }

    /// After a restore made `rev` current in place of `current`.
    async fn restored(
        _tx: &mut dyn Tx,
        _actor: &Actor,
        _scope: &Self::Scope,
        _current: &Self::Revision,
        _rev: &Self::Revision,
        _now: i64,
    ) -> CoreResult<()> {
        Ok(())
    }
}

/// What the shared `list` and `find` read of a kind.
#[async_trait]
pub(super) trait Listed: Stored {
    /// Every live object of the user with its current revision, in list order.
    async fn rows(tx: &mut dyn Tx, uid: &UserId) -> CoreResult<Vec<(Self::Model, Self::Revision)>>;
    /// Every revision of the user's objects of this kind.
    async fn all_revisions(tx: &mut dyn Tx, uid: &UserId) -> CoreResult<Vec<Self::Revision>>;
    /// Whether the object is listed at all (not hidden, not suspended).
    fn listed(model: &Self::Model, rev: &Self::Revision) -> bool;
    /// What `find` compares.
    fn subject(rev: &Self::Revision) -> Subject<'_>;
    /// Logs an object a list leaves out because it cannot be shown.
    fn skipped(model: &Self::Model, error: &CoreError);
}

#[async_trait]
impl<K: Stored> Ops for K {
    async fn show(vault: &Vault, uid: &UserId, id: K::Id, details: Details) -> CoreResult<K::View> {
        <K as Stored>::show(vault, uid, id, details).await
    }

    async fn delete(
        vault: &Vault,
        actor: &Actor,
        id: K::Id,
        expected: RevisionParam,
    ) -> CoreResult<Deleted> {
        ops::delete::<K>(vault, actor, id, expected).await
    }

    async fn restore(
        vault: &Vault,
        actor: &Actor,
        id: K::Id,
        revision: RevisionParam,
    ) -> CoreResult<Mutated> {
        ops::restore::<K>(vault, actor, id, revision).await
    }
}

#[async_trait]
impl<K: Listed> Listing for K {
    async fn list(vault: &Vault, uid: &UserId, details: Details) -> CoreResult<Vec<K::View>> {
        ops::find::<K>(vault, uid, &Criteria::default(), details).await
    }

    async fn find(
        vault: &Vault,
        uid: &UserId,
        criteria: &Criteria,
        details: Details,
    ) -> CoreResult<Vec<K::View>> {
        ops::find::<K>(vault, uid, criteria, details).await
    }
}
