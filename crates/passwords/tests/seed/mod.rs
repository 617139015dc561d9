//! Seeding many passwords fast, through the library instead of thousands of HTTP calls: the
//! rows are made and sealed exactly as the legacy API makes them (the same key, the same
//! field sealing), in large transactions. For the kill tests and the benchmarks.

#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;

use passwords_core::crypto::{InstanceKey, InstanceKeySource};
use passwords_core::keys::KeyRing;
use passwords_core::vault::content::PasswordContent;
use passwords_store::{PasswordModel, PasswordRevision, Store};
use passwords_types::{FolderId, PasswordId, RevisionId, SecurityStatus, UserId};

/// Passwords inserted per transaction.
const BATCH: usize = 2_000;

/// The store and key ring of a data directory whose instance key exists (any CLI call
/// creates it).
pub async fn open(url: &str, data_dir: &Path) -> (Arc<dyn Store>, KeyRing) {
    let store = passwords_store_sql::connect(url)
        .await
        .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    let source = InstanceKeySource::File {
        path: data_dir.join("instance.key"),
        create: false,
    };
    let instance = InstanceKey::load(&source).expect("instance key");
    (Arc::new(store), KeyRing::new(Arc::new(instance)))
}

/// Gives `uid` `count` passwords with `revisions` revisions each (the last is current), whose
/// password field is `"{uid}-{i}-{r}"`.
pub async fn seed_passwords(
    store: &dyn Store,
    keys: &KeyRing,
    uid: &str,
    count: usize,
    revisions: usize,
) {
    let uid = UserId::parse(uid).expect("uid");
    let key = keys.user_key(store, &uid).await.expect("user key");
    let mut done = 0;
    while done < count {
        let mut tx = store.begin().await.expect("begin");
        for i in done..(done + BATCH).min(count) {
            let model_id = PasswordId::new();
            let mut current = RevisionId::new();
            let mut revs = Vec::with_capacity(revisions);
            for r in 0..revisions {
                current = RevisionId::new();
                let content = PasswordContent {
                    label: format!("site {i}"),
                    username: format!("user{i}"),
                    password: format!("{uid}-{i}-{r}"),
                    url: format!("https://site{i}.example"),
                    notes: String::new(),
                    custom_fields: "[]".into(),
                };
                let sealed = content.seal(&key, current);
                let t = 1_700_000_000 + r as i64;
                revs.push(PasswordRevision {
                    uuid: current,
                    user_id: uid.clone(),
                    model: model_id,
                    folder: FolderId::BASE,
                    label: sealed.label,
                    username: sealed.username,
                    password: sealed.password,
                    url: sealed.url,
                    notes: sealed.notes,
                    custom_fields: sealed.custom_fields,
                    hash: String::new(),
                    cse_type: "none".into(),
                    cse_key: String::new(),
                    sse_type: "SSEv1r2".into(),
                    status: SecurityStatus::NotChecked,
                    hidden: false,
                    trashed: false,
                    favorite: false,
                    edited: t,
                    client: "seed".into(),
                    created: t,
                    updated: t,
                });
            }
            let model = PasswordModel {
                id: 0,
                uuid: model_id,
                user_id: uid.clone(),
                revision: current,
                share_id: None,
                has_shares: false,
                editable: true,
                suspended: false,
                deleted: false,
                created: 1_700_000_000,
                updated: 1_700_000_000,
            };
            tx.insert_password(&model).await.expect("insert password");
            for rev in &revs {
                tx.insert_password_revision(rev)
                    .await
                    .expect("insert revision");
            }
        }
        tx.commit().await.expect("commit");
        done = (done + BATCH).min(count);
    }
}

/// Every live password of `uid`, opened with the user's current key: (label, password) by
/// numeric id. Panics if one cannot be decrypted.
pub async fn open_all(store: &dyn Store, keys: &KeyRing, uid: &str) -> Vec<(String, String)> {
    let uid = UserId::parse(uid).expect("uid");
    let mut conn = store.conn().await.expect("conn");
    let rows = conn.list_passwords(&uid).await.expect("list");
    drop(conn);
    if rows.is_empty() {
        return Vec::new();
    }
    let key = keys.user_key(store, &uid).await.expect("user key");
    rows.iter()
        .map(|(_, rev)| {
            let c = PasswordContent::open(&key, rev)
                .unwrap_or_else(|e| panic!("a password of {uid} cannot be decrypted: {e}"));
            (c.label.clone(), c.password.clone())
        })
        .collect()
}
