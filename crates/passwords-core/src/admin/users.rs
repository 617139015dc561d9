//! User data: delete all of a user's vault data (`user delete`), hand it to another account
//! (`user move`). Each operation is one transaction: a crash at any point leaves every user
//! as before or as after, never in between.

use passwords_store::{AccountRecord, Store, Tx, UserDataCounts, UserKeyRecord};
use passwords_types::UserId;

use crate::error::{CoreError, CoreResult};
use crate::keys::KeyRing;

/// Options of `user delete`.
#[derive(Clone, Debug)]
pub struct DeleteUserOptions {
    pub uid: UserId,
}

/// What `user delete` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteUserSummary {
    pub uid: UserId,
    /// The rows deleted.
    pub deleted: UserDataCounts,
    /// A removed account's row was deleted: the uid is free for `account add` again.
    pub lock_lifted: bool,
}

/// The account of `uid` as stored (live or removed), if any.
pub async fn find_account(store: &dyn Store, uid: &UserId) -> CoreResult<Option<AccountRecord>> {
    Ok(store.conn().await?.get_account(uid).await?)
}

/// An account whose uid equals `uid` but for ASCII case, if there is no exact match.
/// (Uids compare case-sensitively here; this catches a mistyped case.)
pub async fn find_account_ignoring_case(
    store: &dyn Store,
    uid: &UserId,
) -> CoreResult<Option<AccountRecord>> {
    let accounts = store.conn().await?.list_accounts().await?;
    if accounts.iter().any(|a| a.uid == *uid) {
        return Ok(None);
    }
    Ok(accounts
        .into_iter()
        .find(|a| a.uid.as_str().eq_ignore_ascii_case(uid.as_str())))
}

/// How much vault data `uid` has.
pub async fn user_data_counts(store: &dyn Store, uid: &UserId) -> CoreResult<UserDataCounts> {
    Ok(store.conn().await?.count_user_data(uid).await?)
}

/// Deletes every piece of the user's vault data (passwords and all revisions, folders, tags,
/// relations, shares owned and received, user settings, the data key) in one transaction.
///
/// The uid need not have an account (data left behind by a deleted account). A removed
/// account's row is deleted too, with any app passwords left, which lifts the uid lock. A
/// live account stays and gets a fresh, empty data key, so it starts over like a new one.
pub async fn delete_user_data(
    store: &dyn Store,
    keys: &KeyRing,
    options: DeleteUserOptions,
) -> CoreResult<DeleteUserSummary> {
    let uid = options.uid;
    let mut tx = store.begin().await?;
    tx.lock_user(&uid).await?;
    let deleted = tx.delete_user_data(&uid).await?;
    let lock_lifted = match tx.get_account(&uid).await? {
        Some(account) if account.removed => {
            tx.delete_app_passwords_of(&uid).await?;
            tx.delete_account(&uid).await?
        }
        Some(_) => {
            keys.create(&mut *tx, &uid).await?;
            false
        }
        None => false,
    };
    tx.commit().await?;
    keys.forget(&uid);
    Ok(DeleteUserSummary {
        uid,
        deleted,
        lock_lifted,
    })
}

/// Options of `user move`.
#[derive(Clone, Debug)]
pub struct MoveUserOptions {
    pub source: UserId,
    pub target: UserId,
    /// Delete the target's existing data first; without it a target with data is refused.
    pub replace_target_data: bool,
}

/// The two accounts of a move and how much data each has, checked as `user move` needs them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MovePlan {
    pub source: AccountRecord,
    pub target: AccountRecord,
    pub source_data: UserDataCounts,
    pub target_data: UserDataCounts,
}

/// What `user move` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoveUserSummary {
    pub source: UserId,
    pub target: UserId,
    /// The target's rows deleted before the move.
    pub target_deleted: UserDataCounts,
    /// The rows handed from source to target.
    pub moved: UserDataCounts,
}

/// Steps of a move, reported while its transaction is still open (nothing is permanent
/// before the operation returns).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoveStep {
    /// The target's data is deleted (in the transaction); moving starts.
    TargetDataDeleted,
}

/// Checks a move without changing anything: both accounts exist (the source may be a
/// removed account, whose data is still there; the target must be live), they differ, and
/// how much data each has. The errors carry the command's messages.
pub async fn plan_move(
    store: &dyn Store,
    source: &UserId,
    target: &UserId,
) -> CoreResult<MovePlan> {
    plan(&mut *store.conn().await?, source, target).await
}

async fn plan(tx: &mut dyn Tx, source: &UserId, target: &UserId) -> CoreResult<MovePlan> {
    let Some(source_account) = tx.get_account(source).await? else {
        return Err(CoreError::UnknownAccount(
            "The source user does not exist".into(),
        ));
    };
    let Some(target_account) = tx.get_account(target).await?.filter(|a| !a.removed) else {
        return Err(CoreError::UnknownAccount(
            "The target user does not exist".into(),
        ));
    };
    if source == target {
        return Err(CoreError::InvalidInput(
            "The source user and the target user are the same".into(),
        ));
    }
    Ok(MovePlan {
        source_data: tx.count_user_data(source).await?,
        target_data: tx.count_user_data(target).await?,
        source: source_account,
        target: target_account,
    })
}

/// Moves every piece of SOURCE's vault data (passwords with all revisions, folders, tags,
/// relations, shares as owner and as receiver, user settings, the data key) to TARGET, in
/// one transaction, after deleting TARGET's data if `replace_target_data` allows it.
///
/// Sealed fields are bound to their revision, not to the user, so the rows move as they
/// are; the data key is unwrapped with SOURCE's uid and wrapped again for TARGET's, so
/// TARGET decrypts everything. A live SOURCE keeps its account with a fresh, empty key.
pub async fn move_user_data(
    store: &dyn Store,
    keys: &KeyRing,
    options: MoveUserOptions,
    progress: &(dyn Fn(MoveStep) + Sync),
) -> CoreResult<MoveUserSummary> {
    let MoveUserOptions {
        source,
        target,
        replace_target_data,
    } = options;
    let mut tx = store.begin().await?;
    // One order for every pair, so that two moves cannot deadlock.
    let (first, second) = if source < target {
        (&source, &target)
    } else {
        (&target, &source)
    };
    tx.lock_user(first).await?;
    tx.lock_user(second).await?;
    let plan = plan(&mut *tx, &source, &target).await?;
    if !plan.source_data.has_data() {
        return Err(CoreError::Conflict(format!(
            "The user \"{}\" has no data.",
            plan.source.display_name
        )));
    }
    let mut target_deleted = UserDataCounts::default();
    if plan.target_data.has_data() {
        if !replace_target_data {
            return Err(CoreError::Conflict(format!(
                "The user \"{}\" has data of its own",
                plan.target.display_name
            )));
        }
        target_deleted = tx.delete_user_data(&target).await?;
        progress(MoveStep::TargetDataDeleted);
    }

    let record = tx.get_user_key(&source).await?.ok_or_else(|| {
        CoreError::Crypto(format!("The user \"{source}\" has data but no data key"))
    })?;
    let key = keys.unwrap_key(&source, &record.wrapped)?;
    let mut moved = tx.move_user_data(&source, &target).await?;
    // The target's own key (made with its account) seals nothing now.
    tx.delete_user_key(&target).await?;
    tx.delete_user_key(&source).await?;
    tx.insert_user_key(&UserKeyRecord {
        uid: target.clone(),
        wrapped: keys.wrap(&target, &key),
        created: record.created,
    })
    .await?;
    moved.keys = 1;
    if !plan.source.removed {
        keys.create(&mut *tx, &source).await?;
    }
    tx.commit().await?;
    keys.forget(&source);
    keys.forget(&target);
    Ok(MoveUserSummary {
        source,
        target,
        target_deleted,
        moved,
    })
}
