//! App settings and user settings.

use passwords_store::Store;
use passwords_testkit::{for_each_backend, TestDb};

use crate::support::*;

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

for_each_backend!(settings, |db: TestDb| async move {
    let store = open(&db).await;
    let mut tx = store.conn().await.unwrap();

    assert_eq!(tx.get_app_setting("server.name").await.unwrap(), None);
    tx.set_app_setting("server.name", "Passwords")
        .await
        .unwrap();
    tx.set_app_setting("a.first", "1").await.unwrap();
    tx.set_app_setting("server.name", "Renamed ✓")
        .await
        .unwrap(); // upsert
    let long = "x".repeat(70_000); // beyond any VARCHAR
    tx.set_app_setting("z.long", &long).await.unwrap();
    assert_eq!(
        tx.get_app_setting("server.name").await.unwrap().as_deref(),
        Some("Renamed ✓")
    );
    assert_eq!(
        tx.get_app_setting("z.long").await.unwrap(),
        Some(long.clone())
    );
    assert_eq!(
        tx.list_app_settings().await.unwrap(),
        pairs(&[
            ("a.first", "1"),
            ("server.name", "Renamed ✓"),
            ("z.long", &long)
        ])
    );
    assert!(tx.delete_app_setting("a.first").await.unwrap());
    assert!(!tx.delete_app_setting("a.first").await.unwrap());
    assert_eq!(tx.list_app_settings().await.unwrap().len(), 2);

    let (alice, bob) = (uid("alice"), uid("bob"));
    tx.set_user_setting(&alice, "session.lifetime", "600")
        .await
        .unwrap();
    tx.set_user_setting(&alice, "password.security.hash", "40")
        .await
        .unwrap();
    tx.set_user_setting(&alice, "session.lifetime", "900")
        .await
        .unwrap(); // upsert
    tx.set_user_setting(&bob, "session.lifetime", "30")
        .await
        .unwrap();
    tx.set_user_setting(&bob, "Session.lifetime", "31")
        .await
        .unwrap(); // case-sensitive key
    assert_eq!(
        tx.get_user_setting(&alice, "session.lifetime")
            .await
            .unwrap()
            .as_deref(),
        Some("900")
    );
    assert_eq!(
        tx.get_user_setting(&alice, "Session.lifetime")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        tx.get_user_setting(&bob, "session.lifetime")
            .await
            .unwrap()
            .as_deref(),
        Some("30")
    );
    assert_eq!(
        tx.list_user_settings(&alice).await.unwrap(),
        pairs(&[
            ("password.security.hash", "40"),
            ("session.lifetime", "900")
        ])
    );
    assert_eq!(
        tx.list_user_settings(&bob).await.unwrap(),
        pairs(&[("Session.lifetime", "31"), ("session.lifetime", "30")])
    );
    assert!(tx
        .delete_user_setting(&alice, "session.lifetime")
        .await
        .unwrap());
    assert!(!tx
        .delete_user_setting(&alice, "session.lifetime")
        .await
        .unwrap());
    assert_eq!(
        tx.get_user_setting(&bob, "session.lifetime")
            .await
            .unwrap()
            .as_deref(),
        Some("30")
    );
    assert_eq!(tx.list_user_settings(&uid("carol")).await.unwrap(), vec![]);
});
