//! A write that read the user's key before another process replaced it (a user move or a
//! restore committed in between) is refused inside its transaction, on every backend.

use std::sync::Arc;

use passwords_core::crypto::{InstanceKey, SecretKey};
use passwords_core::keys::KeyRing;
use passwords_core::CoreError;
use passwords_store::{Store, UserKeyRecord};
use passwords_testkit::{for_each_backend, TestDb};
use passwords_types::UserId;

for_each_backend!(replaced_key_is_refused, |db: TestDb| async move {
    let store: Arc<dyn Store> = Arc::new(passwords_store_sql::connect(&db.url).await.unwrap());
    let keys = KeyRing::new(Arc::new(InstanceKey::from_key(&SecretKey::random())));
    let uid = UserId::parse("alice").unwrap();

    let before = keys.user_key(&*store, &uid).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    keys.confirm(&mut *tx, &uid, &before).await.unwrap();
    tx.commit().await.unwrap();

    // The stored key is replaced (as a move or a restore does).
    let mut tx = store.begin().await.unwrap();
    tx.delete_user_key(&uid).await.unwrap();
    tx.insert_user_key(&UserKeyRecord {
        uid: uid.clone(),
        wrapped: keys.wrap(&uid, &SecretKey::random()),
        created: 1,
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    match keys.confirm(&mut *tx, &uid, &before).await {
        Err(CoreError::Conflict(message)) => assert!(message.contains("try again"), "{message}"),
        other => panic!("a replaced key must be refused: {other:?}"),
    }
    let after = keys.user_key(&*store, &uid).await.unwrap();
    keys.confirm(&mut *tx, &uid, &after).await.unwrap();
    drop(tx);
});
