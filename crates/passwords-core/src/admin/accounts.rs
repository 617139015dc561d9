//! Accounts: add, list, remove, change password.

use passwords_store::{AccountRecord, Store, StoreError};
use passwords_types::UserId;
use zeroize::Zeroizing;

use crate::auth::PasswordHasher;
use crate::clock::now;
use crate::error::{CoreError, CoreResult};
use crate::keys::KeyRing;

/// Options of `account add`.
#[derive(Debug)]
pub struct AddAccountOptions {
    pub uid: UserId,
    pub display_name: Option<String>,
    /// The login password; `None` creates an account that can only use app passwords.
    pub password: Option<Zeroizing<String>>,
}

/// A new account and its data key, in one transaction.
pub async fn add_account(
    store: &dyn Store,
    keys: &KeyRing,
    hasher: &PasswordHasher,
    options: AddAccountOptions,
) -> CoreResult<AccountRecord> {
    let display_name = clean_display_name(options.display_name.as_deref(), &options.uid)?;
    let password_hash = match &options.password {
        Some(p) => {
            check_password(p)?;
            Some(hasher.hash(p).await?)
        }
        None => None,
    };
    let mut tx = store.begin().await?;
    if let Some(existing) = tx.get_account(&options.uid).await? {
        return Err(if existing.removed {
            CoreError::Conflict(format!(
                "The username {} is queued for deletion",
                options.uid
            ))
        } else {
            CoreError::Conflict(format!("The user \"{}\" already exists", options.uid))
        });
    }
    let t = now();
    let account = AccountRecord {
        uid: options.uid.clone(),
        display_name,
        password_hash,
        enabled: true,
        removed: false,
        created: t,
        updated: t,
    };
    match tx.insert_account(&account).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            return Err(CoreError::Conflict(format!(
                "The user \"{}\" already exists",
                options.uid
            )))
        }
        Err(e) => return Err(e.into()),
    }
    // Data left by an earlier account of this uid (a restore, say) keeps its key.
    if tx.get_user_key(&options.uid).await?.is_none() {
        keys.create(&mut *tx, &options.uid).await?;
    }
    tx.commit().await?;
    Ok(account)
}

/// Every account, ordered by uid.
pub async fn list_accounts(store: &dyn Store) -> CoreResult<Vec<AccountRecord>> {
    Ok(store.conn().await?.list_accounts().await?)
}

/// What `account remove` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoveSummary {
    pub uid: UserId,
    pub app_passwords_revoked: u64,
}

/// Removes an account: no more logins, its app passwords revoked, its data kept and queued
/// for deletion, the uid locked until `user delete` removes the data.
pub async fn remove_account(store: &dyn Store, uid: &UserId) -> CoreResult<RemoveSummary> {
    let mut tx = store.begin().await?;
    let mut account = live_account(&mut *tx, uid).await?;
    account.removed = true;
    account.enabled = false;
    account.password_hash = None;
    account.updated = now();
    tx.update_account(&account).await?;
    let revoked = tx.delete_app_passwords_of(uid).await?;
    tx.commit().await?;
    Ok(RemoveSummary {
        uid: uid.clone(),
        app_passwords_revoked: revoked,
    })
}

/// Sets a new login password. It also enables the account: accounts that a restore created
/// start disabled, without a password, until the admin gives them one.
pub async fn set_password(
    store: &dyn Store,
    hasher: &PasswordHasher,
    uid: &UserId,
    password: &Zeroizing<String>,
) -> CoreResult<()> {
    check_password(password)?;
    // Fail on an unknown uid before spending the hash.
    live_account(&mut *store.conn().await?, uid).await?;
    let phc = hasher.hash(password).await?;
    let mut tx = store.begin().await?;
    let mut account = live_account(&mut *tx, uid).await?;
    account.password_hash = Some(phc);
    account.enabled = true;
    account.updated = now();
    tx.update_account(&account).await?;
    tx.commit().await?;
    Ok(())
}

/// The account of `uid` unless it does not exist or was removed.
pub(crate) async fn live_account(
    tx: &mut dyn passwords_store::Tx,
    uid: &UserId,
) -> CoreResult<AccountRecord> {
    match tx.get_account(uid).await? {
        Some(a) if !a.removed => Ok(a),
        Some(_) => Err(CoreError::UnknownAccount(format!(
            "The user \"{uid}\" was removed and is queued for deletion"
        ))),
        None => Err(CoreError::UnknownAccount(format!(
            "The user \"{uid}\" does not exist"
        ))),
    }
}

fn clean_display_name(name: Option<&str>, uid: &UserId) -> CoreResult<String> {
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or(uid.as_str());
    if name.chars().count() > 255 || name.chars().any(char::is_control) {
        return Err(CoreError::InvalidInput(
            "The display name must be at most 255 characters without control characters".into(),
        ));
    }
    Ok(name.to_owned())
}

fn check_password(p: &str) -> CoreResult<()> {
    if p.is_empty() {
        return Err(CoreError::InvalidInput(
            "The password must not be empty".into(),
        ));
    }
    if p.len() > 4096 {
        return Err(CoreError::InvalidInput(
            "The password must be at most 4096 bytes".into(),
        ));
    }
    Ok(())
}
