//! Accounts, app passwords (tokens) and the users' wrapped data keys.

use passwords_store::{AccountRecord, AppPasswordRecord, StoreResult, UserKeyRecord};
use passwords_types::UserId;

use crate::query::Query;
use crate::rows::Cols;
use crate::tx::SqlTx;

/// `SELECT <account columns> FROM accounts <rest>`, in the order of [`read_account`].
macro_rules! select_accounts {
    ($rest:literal) => {
        concat!(
            "SELECT uid, display_name, password_hash, enabled, removed, created, updated \
             FROM accounts ",
            $rest
        )
    };
}

fn read_account(c: &mut Cols<'_>) -> StoreResult<AccountRecord> {
    Ok(AccountRecord {
        uid: c.uid()?,
        display_name: c.text()?,
        password_hash: c.opt_text()?,
        enabled: c.flag()?,
        removed: c.flag()?,
        created: c.i64()?,
        updated: c.i64()?,
    })
}

pub(crate) async fn get(tx: &mut SqlTx, uid: &UserId) -> StoreResult<Option<AccountRecord>> {
    const Q: &str = select_accounts!("WHERE uid = ?");
    let q = Query::new("accounts", Q).bind(uid.as_str());
    tx.fetch_optional(q, read_account).await
}

/// Serialises the writes of one user: a row lock on the account until the transaction ends.
/// SQLite's writers already run one at a time, so there is nothing to lock there.
pub(crate) async fn lock(tx: &mut SqlTx, uid: &UserId) -> StoreResult<()> {
    if tx.backend() == passwords_store::Backend::Sqlite {
        return Ok(());
    }
    const Q: &str = "SELECT uid FROM accounts WHERE uid = ? FOR UPDATE";
    let q = Query::new("accounts", Q).bind(uid.as_str());
    tx.fetch_optional(q, |c| c.text()).await?;
    Ok(())
}

pub(crate) async fn list(tx: &mut SqlTx) -> StoreResult<Vec<AccountRecord>> {
    const Q: &str = select_accounts!("ORDER BY uid");
    let q = Query::new("accounts", Q);
    tx.fetch_all(q, read_account).await
}

pub(crate) async fn insert(tx: &mut SqlTx, a: &AccountRecord) -> StoreResult<()> {
    const Q: &str = "INSERT INTO accounts \
                     (uid, display_name, password_hash, enabled, removed, created, updated) \
                     VALUES (?, ?, ?, ?, ?, ?, ?)";
    let q = Query::new("accounts", Q)
        .bind(a.uid.as_str())
        .bind(a.display_name.as_str())
        .bind(a.password_hash.as_deref())
        .bind(a.enabled)
        .bind(a.removed)
        .bind(a.created)
        .bind(a.updated);
    tx.insert(q).await
}

pub(crate) async fn update(tx: &mut SqlTx, a: &AccountRecord) -> StoreResult<()> {
    const Q: &str = "UPDATE accounts SET display_name = ?, password_hash = ?, enabled = ?, \
                     removed = ?, updated = ? WHERE uid = ?";
    let q = Query::new("accounts", Q)
        .bind(a.display_name.as_str())
        .bind(a.password_hash.as_deref())
        .bind(a.enabled)
        .bind(a.removed)
        .bind(a.updated)
        .bind(a.uid.as_str());
    tx.exec_one(q).await
}

pub(crate) async fn delete(tx: &mut SqlTx, uid: &UserId) -> StoreResult<bool> {
    const Q: &str = "DELETE FROM accounts WHERE uid = ?";
    let q = Query::new("accounts", Q).bind(uid.as_str());
    Ok(tx.exec(q).await? > 0)
}

// ---- app passwords ------------------------------------------------------------------------

fn read_app_password(c: &mut Cols<'_>) -> StoreResult<AppPasswordRecord> {
    Ok(AppPasswordRecord {
        uid: c.uid()?,
        name: c.text()?,
        token_hash: c.blob()?,
        created: c.i64()?,
        last_used: c.opt_i64()?,
    })
}

pub(crate) async fn insert_app_password(tx: &mut SqlTx, t: &AppPasswordRecord) -> StoreResult<()> {
    const Q: &str = "INSERT INTO app_passwords (uid, name, token_hash, created, last_used) \
                     VALUES (?, ?, ?, ?, ?)";
    let q = Query::new("app_passwords", Q)
        .bind(t.uid.as_str())
        .bind(t.name.as_str())
        .bind(t.token_hash.as_slice())
        .bind(t.created)
        .bind(t.last_used);
    tx.insert(q).await
}

pub(crate) async fn list_app_passwords(
    tx: &mut SqlTx,
    uid: &UserId,
) -> StoreResult<Vec<AppPasswordRecord>> {
    const Q: &str = "SELECT uid, name, token_hash, created, last_used FROM app_passwords \
                     WHERE uid = ? ORDER BY name";
    let q = Query::new("app_passwords", Q).bind(uid.as_str());
    tx.fetch_all(q, read_app_password).await
}

pub(crate) async fn find_app_password(
    tx: &mut SqlTx,
    uid: &UserId,
    token_hash: &[u8],
) -> StoreResult<Option<AppPasswordRecord>> {
    // Several rows can only match if two names got the same hash; take the first by name.
    const Q: &str = "SELECT uid, name, token_hash, created, last_used FROM app_passwords \
                     WHERE uid = ? AND token_hash = ? ORDER BY name";
    let q = Query::new("app_passwords", Q)
        .bind(uid.as_str())
        .bind(token_hash);
    let rows = tx.fetch_all(q, read_app_password).await?;
    Ok(rows.into_iter().next())
}

/// `NotFound` if the user has no app password with this hash.
pub(crate) async fn touch_app_password(
    tx: &mut SqlTx,
    uid: &UserId,
    token_hash: &[u8],
    now: i64,
) -> StoreResult<()> {
    const Q: &str = "UPDATE app_passwords SET last_used = ? WHERE uid = ? AND token_hash = ?";
    let q = Query::new("app_passwords", Q)
        .bind(now)
        .bind(uid.as_str())
        .bind(token_hash);
    tx.exec_one(q).await
}

pub(crate) async fn delete_app_password(
    tx: &mut SqlTx,
    uid: &UserId,
    name: &str,
) -> StoreResult<bool> {
    const Q: &str = "DELETE FROM app_passwords WHERE uid = ? AND name = ?";
    let q = Query::new("app_passwords", Q).bind(uid.as_str()).bind(name);
    Ok(tx.exec(q).await? > 0)
}

pub(crate) async fn delete_app_passwords_of(tx: &mut SqlTx, uid: &UserId) -> StoreResult<u64> {
    const Q: &str = "DELETE FROM app_passwords WHERE uid = ?";
    let q = Query::new("app_passwords", Q).bind(uid.as_str());
    tx.exec(q).await
}

// ---- user keys ----------------------------------------------------------------------------

pub(crate) async fn get_user_key(
    tx: &mut SqlTx,
    uid: &UserId,
) -> StoreResult<Option<UserKeyRecord>> {
    const Q: &str = "SELECT uid, wrapped, created FROM user_keys WHERE uid = ?";
    let q = Query::new("user_keys", Q).bind(uid.as_str());
    tx.fetch_optional(q, |c| {
        Ok(UserKeyRecord {
            uid: c.uid()?,
            wrapped: c.blob()?,
            created: c.i64()?,
        })
    })
    .await
}

pub(crate) async fn insert_user_key(tx: &mut SqlTx, key: &UserKeyRecord) -> StoreResult<()> {
    const Q: &str = "INSERT INTO user_keys (uid, wrapped, created) VALUES (?, ?, ?)";
    let q = Query::new("user_keys", Q)
        .bind(key.uid.as_str())
        .bind(key.wrapped.as_slice())
        .bind(key.created);
    tx.insert(q).await
}

pub(crate) async fn delete_user_key(tx: &mut SqlTx, uid: &UserId) -> StoreResult<bool> {
    const Q: &str = "DELETE FROM user_keys WHERE uid = ?";
    let q = Query::new("user_keys", Q).bind(uid.as_str());
    Ok(tx.exec(q).await? > 0)
}
