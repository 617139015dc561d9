//! App-wide settings and per-user settings (key/value text, upserted).

use passwords_store::StoreResult;
use passwords_types::UserId;

use crate::dialect::Special;
use crate::query::Query;
use crate::rows::Cols;
use crate::tx::SqlTx;

fn read_pair(c: &mut Cols<'_>) -> StoreResult<(String, String)> {
    Ok((c.text()?, c.text()?))
}

pub(crate) async fn get_app(tx: &mut SqlTx, key: &str) -> StoreResult<Option<String>> {
    const Q: &str = "SELECT setting_value FROM app_settings WHERE setting_key = ?";
    let q = Query::new("app_settings", Q).bind(key);
    tx.fetch_optional(q, |c| c.text()).await
}

pub(crate) async fn list_app(tx: &mut SqlTx) -> StoreResult<Vec<(String, String)>> {
    const Q: &str = "SELECT setting_key, setting_value FROM app_settings ORDER BY setting_key";
    let q = Query::new("app_settings", Q);
    tx.fetch_all(q, read_pair).await
}

pub(crate) async fn set_app(tx: &mut SqlTx, key: &str, value: &str) -> StoreResult<()> {
    let q = Query::special("app_settings", Special::UpsertAppSetting)
        .bind(key)
        .bind(value);
    tx.exec(q).await.map(drop)
}

pub(crate) async fn delete_app(tx: &mut SqlTx, key: &str) -> StoreResult<bool> {
    const Q: &str = "DELETE FROM app_settings WHERE setting_key = ?";
    let q = Query::new("app_settings", Q).bind(key);
    Ok(tx.exec(q).await? > 0)
}

pub(crate) async fn get_user(
    tx: &mut SqlTx,
    uid: &UserId,
    key: &str,
) -> StoreResult<Option<String>> {
    const Q: &str = "SELECT setting_value FROM user_settings WHERE uid = ? AND setting_key = ?";
    let q = Query::new("user_settings", Q).bind(uid.as_str()).bind(key);
    tx.fetch_optional(q, |c| c.text()).await
}

pub(crate) async fn list_user(tx: &mut SqlTx, uid: &UserId) -> StoreResult<Vec<(String, String)>> {
    const Q: &str = "SELECT setting_key, setting_value FROM user_settings WHERE uid = ? \
                     ORDER BY setting_key";
    let q = Query::new("user_settings", Q).bind(uid.as_str());
    tx.fetch_all(q, read_pair).await
}

pub(crate) async fn set_user(
    tx: &mut SqlTx,
    uid: &UserId,
    key: &str,
    value: &str,
) -> StoreResult<()> {
    let q = Query::special("user_settings", Special::UpsertUserSetting)
        .bind(uid.as_str())
        .bind(key)
        .bind(value);
    tx.exec(q).await.map(drop)
}

pub(crate) async fn delete_user(tx: &mut SqlTx, uid: &UserId, key: &str) -> StoreResult<bool> {
    const Q: &str = "DELETE FROM user_settings WHERE uid = ? AND setting_key = ?";
    let q = Query::new("user_settings", Q).bind(uid.as_str()).bind(key);
    Ok(tx.exec(q).await? > 0)
}
