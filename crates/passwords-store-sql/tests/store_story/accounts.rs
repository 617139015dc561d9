//! Accounts, app passwords and user keys.

use passwords_store::*;
use passwords_testkit::{for_each_backend, TestDb};

use crate::support::*;

for_each_backend!(accounts, |db: TestDb| async move {
    let store = open(&db).await;
    let mut tx = store.conn().await.unwrap();

    let alice = account("alice");
    tx.insert_account(&alice).await.unwrap();
    assert_eq!(
        tx.get_account(&alice.uid).await.unwrap(),
        Some(alice.clone())
    );
    assert_conflict(tx.insert_account(&alice).await, "accounts");

    // Case-sensitive uids on every backend (MySQL: utf8mb4_bin).
    let upper = AccountRecord {
        password_hash: None,
        enabled: false,
        ..account("Alice")
    };
    tx.insert_account(&upper).await.unwrap();
    assert_eq!(
        tx.get_account(&uid("Alice")).await.unwrap(),
        Some(upper.clone())
    );
    assert_eq!(tx.get_account(&uid("ALICE")).await.unwrap(), None);
    tx.insert_account(&account("bob")).await.unwrap();
    let uids: Vec<String> = tx
        .list_accounts()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.uid.to_string())
        .collect();
    assert_eq!(uids, ["Alice", "alice", "bob"], "ordered by uid, byte-wise");

    let changed = AccountRecord {
        display_name: "Alice Ünïcødé 🔑".into(),
        password_hash: None,
        enabled: false,
        removed: true,
        updated: 1_500,
        created: 9_999, // not replaced
        ..alice.clone()
    };
    tx.update_account(&changed).await.unwrap();
    let stored = tx.get_account(&alice.uid).await.unwrap().unwrap();
    assert_eq!(
        stored,
        AccountRecord {
            created: alice.created,
            ..changed
        }
    );
    assert_not_found(tx.update_account(&account("nobody")).await);

    assert!(tx.delete_account(&uid("Alice")).await.unwrap());
    assert!(!tx.delete_account(&uid("Alice")).await.unwrap());
    assert_eq!(tx.get_account(&uid("Alice")).await.unwrap(), None);
    assert_eq!(tx.list_accounts().await.unwrap().len(), 2);
});

for_each_backend!(app_passwords, |db: TestDb| async move {
    let store = open(&db).await;
    let mut tx = store.conn().await.unwrap();
    let (alice, bob) = (uid("alice"), uid("bob"));
    let token = |user: &passwords_types::UserId, name: &str, hash: u8| AppPasswordRecord {
        uid: user.clone(),
        name: name.into(),
        token_hash: vec![hash; 32],
        created: 100,
        last_used: None,
    };

    tx.insert_app_password(&token(&alice, "phone", 1))
        .await
        .unwrap();
    tx.insert_app_password(&token(&alice, "laptop", 2))
        .await
        .unwrap();
    tx.insert_app_password(&token(&alice, "Phone", 3))
        .await
        .unwrap(); // case-sensitive name
    tx.insert_app_password(&token(&bob, "phone", 4))
        .await
        .unwrap(); // same name, other user
    assert_conflict(
        tx.insert_app_password(&token(&alice, "phone", 9)).await,
        "app_passwords",
    );

    let names: Vec<String> = tx
        .list_app_passwords(&alice)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["Phone", "laptop", "phone"]);

    assert_eq!(
        tx.find_app_password(&alice, &[2; 32]).await.unwrap(),
        Some(token(&alice, "laptop", 2))
    );
    assert_eq!(
        tx.find_app_password(&alice, &[4; 32]).await.unwrap(),
        None,
        "bob's token"
    );
    assert_eq!(
        tx.find_app_password(&bob, &[4; 32])
            .await
            .unwrap()
            .map(|t| t.name),
        Some("phone".into())
    );

    tx.touch_app_password(&alice, &[2; 32], 777).await.unwrap();
    let touched = tx
        .find_app_password(&alice, &[2; 32])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(touched.last_used, Some(777));
    assert_not_found(tx.touch_app_password(&alice, &[4; 32], 778).await);
    assert_eq!(
        tx.find_app_password(&bob, &[4; 32])
            .await
            .unwrap()
            .unwrap()
            .last_used,
        None
    );

    assert!(tx.delete_app_password(&alice, "laptop").await.unwrap());
    assert!(!tx.delete_app_password(&alice, "laptop").await.unwrap());
    assert_eq!(tx.delete_app_passwords_of(&alice).await.unwrap(), 2);
    assert!(tx.list_app_passwords(&alice).await.unwrap().is_empty());
    assert_eq!(tx.list_app_passwords(&bob).await.unwrap().len(), 1);
});

for_each_backend!(user_keys, |db: TestDb| async move {
    let store = open(&db).await;
    let mut tx = store.conn().await.unwrap();
    let alice = uid("alice");
    let key = UserKeyRecord {
        uid: alice.clone(),
        wrapped: (0..=255u8).rev().collect(),
        created: 42,
    };

    assert_eq!(tx.get_user_key(&alice).await.unwrap(), None);
    tx.insert_user_key(&key).await.unwrap();
    assert_conflict(tx.insert_user_key(&key).await, "user_keys");
    assert_eq!(tx.get_user_key(&alice).await.unwrap(), Some(key.clone()));
    assert_eq!(tx.get_user_key(&uid("bob")).await.unwrap(), None);
    assert!(tx.delete_user_key(&alice).await.unwrap());
    assert!(!tx.delete_user_key(&alice).await.unwrap());
    assert_eq!(tx.get_user_key(&alice).await.unwrap(), None);
});
