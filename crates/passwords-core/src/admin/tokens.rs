//! App passwords (tokens): add, list, revoke.

use passwords_store::{AppPasswordRecord, Store, StoreError};
use passwords_types::UserId;
use zeroize::Zeroizing;

use super::accounts::live_account;
use crate::auth::token;
use crate::clock::now;
use crate::crypto::InstanceKey;
use crate::error::{CoreError, CoreResult};

/// Options of `account token add`.
#[derive(Debug, Clone)]
pub struct AddTokenOptions {
    pub uid: UserId,
    /// Becomes the `client` of everything written with this token.
    pub name: String,
}

/// A new app password. The token text exists only in this result.
pub struct NewToken {
    pub record: AppPasswordRecord,
    pub token: Zeroizing<String>,
}

/// Creates an app password for an existing account.
pub async fn add_token(
    store: &dyn Store,
    instance: &InstanceKey,
    options: AddTokenOptions,
) -> CoreResult<NewToken> {
    let name = options.name.trim().to_owned();
    if name.is_empty() || name.len() > 256 || name.chars().any(char::is_control) {
        return Err(CoreError::InvalidInput(
            "The token name must be 1 to 256 bytes without control characters".into(),
        ));
    }
    let mut tx = store.begin().await?;
    live_account(&mut *tx, &options.uid).await?;
    let text = Zeroizing::new(token::generate());
    let record = AppPasswordRecord {
        uid: options.uid.clone(),
        name: name.clone(),
        token_hash: token::token_hash(instance.token_key(), &text),
        created: now(),
        last_used: None,
    };
    match tx.insert_app_password(&record).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            return Err(CoreError::Conflict(format!(
                "The user \"{}\" already has an app password named \"{name}\"",
                options.uid
            )))
        }
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    Ok(NewToken {
        record,
        token: text,
    })
}

/// The app passwords of an existing account (names and times, never the tokens).
pub async fn list_tokens(store: &dyn Store, uid: &UserId) -> CoreResult<Vec<AppPasswordRecord>> {
    let mut conn = store.conn().await?;
    live_account(&mut *conn, uid).await?;
    Ok(conn.list_app_passwords(uid).await?)
}

/// Revokes the app password `name` of `uid`.
pub async fn revoke_token(store: &dyn Store, uid: &UserId, name: &str) -> CoreResult<()> {
    let mut tx = store.begin().await?;
    live_account(&mut *tx, uid).await?;
    if !tx.delete_app_password(uid, name.trim()).await? {
        return Err(CoreError::UnknownAccount(format!(
            "The user \"{uid}\" has no app password named \"{}\"",
            name.trim()
        )));
    }
    tx.commit().await?;
    Ok(())
}
