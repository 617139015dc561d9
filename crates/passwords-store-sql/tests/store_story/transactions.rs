//! Transactions, plain connections, concurrent writers, reconnecting and the store itself.

use std::sync::Arc;
use std::time::Duration;

use passwords_store::*;
use passwords_testkit::{for_each_backend, TestBackend, TestDb};
use passwords_types::ObjectRef;

use crate::support::*;

for_each_backend!(
    dropped_transaction_leaves_nothing,
    |db: TestDb| async move {
        let store = open(&db).await;
        let alice = uid("alice");

        let mut tx = store.begin().await.unwrap();
        tx.insert_account(&account("alice")).await.unwrap();
        let (pw, _) = add_password(&mut *tx, &alice, "h").await;
        tx.set_app_setting("k", "v").await.unwrap();
        tx.set_user_setting(&alice, "k", "v").await.unwrap();
        assert!(tx.acquire_lease("job", "me", 1, 2).await.unwrap());
        // Visible inside the transaction, not outside.
        assert!(tx
            .get_password(&alice, ObjectRef::Numeric(pw.id))
            .await
            .unwrap()
            .is_some());
        let mut outside = store.conn().await.unwrap();
        assert_eq!(outside.get_account(&alice).await.unwrap(), None);
        drop(outside);
        drop(tx);

        let mut conn = store.conn().await.unwrap();
        assert_eq!(conn.get_account(&alice).await.unwrap(), None);
        assert!(conn.list_passwords(&alice).await.unwrap().is_empty());
        assert!(conn
            .list_password_revisions(&alice, pw.uuid)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(conn.get_app_setting("k").await.unwrap(), None);
        assert_eq!(conn.get_user_setting(&alice, "k").await.unwrap(), None);
        assert!(
            conn.acquire_lease("job", "other", 1, 2).await.unwrap(),
            "lease row rolled back"
        );
        conn.commit().await.unwrap(); // a no-op on a plain connection

        // Committed work stays, and a conflict inside a transaction leaves it usable (on
        // PostgreSQL a failed statement would otherwise abort the whole transaction).
        let mut tx = store.begin().await.unwrap();
        tx.insert_account(&account("alice")).await.unwrap();
        assert_conflict(tx.insert_account(&account("alice")).await, "accounts");
        let (pw, rev) = add_password(&mut *tx, &alice, "h").await;
        assert_conflict(tx.insert_password(&pw).await, "passwords");
        assert_conflict(
            tx.insert_password_revision(&rev).await,
            "password_revisions",
        );
        let key = UserKeyRecord {
            uid: alice.clone(),
            wrapped: vec![1],
            created: 1,
        };
        tx.insert_user_key(&key).await.unwrap();
        tx.commit().await.unwrap();
        let mut conn = store.conn().await.unwrap();
        assert_eq!(
            conn.get_account(&alice).await.unwrap(),
            Some(account("alice"))
        );
        assert_eq!(conn.get_user_key(&alice).await.unwrap(), Some(key));
        assert_eq!(conn.list_passwords(&alice).await.unwrap(), vec![(pw, rev)]);
    }
);

for_each_backend!(
    concurrent_writers_wait_for_each_other,
    |db: TestDb| async move {
        let store = Arc::new(open(&db).await);
        let mut tasks = Vec::new();
        for n in 0..3 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let user = uid(&format!("user{n}"));
                let mut tx = store.begin().await.unwrap();
                // Read, then write, then hold the transaction a little: the classic SQLite
                // deadlock-upgrade pattern that BEGIN IMMEDIATE avoids.
                assert!(tx.list_accounts().await.unwrap().len() <= 3);
                tx.insert_account(&account(user.as_str())).await.unwrap();
                let (pw, _) = add_password(&mut *tx, &user, "h").await;
                tokio::time::sleep(Duration::from_millis(100)).await;
                tx.commit().await.unwrap();
                pw.id
            }));
        }
        let mut ids = Vec::new();
        for task in tasks {
            ids.push(task.await.unwrap());
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 3, "three distinct ids");
        let mut conn = store.conn().await.unwrap();
        assert_eq!(conn.list_accounts().await.unwrap().len(), 3);
    }
);

for_each_backend!(store_reopens_and_reports, |db: TestDb| async move {
    let store = open(&db).await;
    let expected = match db.backend {
        TestBackend::Sqlite => (Backend::Sqlite, "SQLite "),
        TestBackend::Postgres => (Backend::Postgres, "PostgreSQL "),
        TestBackend::Mysql => (Backend::Mysql, "M"), // MySQL or MariaDB
    };
    assert_eq!(store.backend(), expected.0);
    let version = store.server_version().await.unwrap();
    assert!(
        version.starts_with(expected.1) && version.len() > 7,
        "{version}"
    );

    let mut conn = store.conn().await.unwrap();
    conn.insert_account(&account("alice")).await.unwrap();
    drop(conn);
    store.close().await;
    assert!(store.conn().await.is_err(), "closed pool");

    // Migrations are applied once; connecting again finds the data.
    let again = open(&db).await;
    let mut conn = again.conn().await.unwrap();
    assert_eq!(
        conn.get_account(&uid("alice")).await.unwrap(),
        Some(account("alice"))
    );
    if db.backend == TestBackend::Mysql {
        // mariadb: is an alias of mysql:.
        let alias = db.url.replacen("mysql:", "mariadb:", 1);
        let store = passwords_store_sql::connect(&alias).await.unwrap();
        assert_eq!(store.backend(), Backend::Mysql);
    }
});

#[tokio::test]
async fn unsupported_scheme_is_a_clear_error_without_the_password() {
    let err = passwords_store_sql::connect("oracle://scott:tiger@db.example/orcl")
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, StoreError::Backend(_)), "{err:?}");
    assert!(text.contains("unsupported database URL scheme"), "{text}");
    assert!(!text.contains("tiger"), "{text}");
}

#[test]
fn blocking_test_databases_work_outside_a_runtime() {
    let db = TestDb::create_blocking(TestBackend::Postgres);
    assert!(db.url.starts_with("postgres://"));
    let name = db.database_name().map(str::to_owned);
    assert!(name.as_deref().is_some_and(|n| db.url.ends_with(n)));
}

for_each_backend!(
    lock_user_serialises_writers_of_one_user,
    |db: TestDb| async move {
        let store = Arc::new(open(&db).await);
        let alice = uid("alice");
        let bob = uid("bob");
        {
            let mut conn = store.conn().await.unwrap();
            conn.insert_account(&account("alice")).await.unwrap();
            conn.insert_account(&account("bob")).await.unwrap();
        }
        let mut first = store.begin().await.unwrap();
        first.lock_user(&alice).await.unwrap();
        first
            .set_user_setting(&alice, "order", "first")
            .await
            .unwrap();

        if db.backend == TestBackend::Sqlite {
            // One writer at a time already: a second transaction waits for the first.
            let s = store.clone();
            let waiting = tokio::spawn(async move { s.begin().await.map(|_| ()) });
            tokio::time::sleep(Duration::from_millis(200)).await;
            assert!(!waiting.is_finished(), "a second SQLite writer must wait");
            first.commit().await.unwrap();
            waiting.await.unwrap().unwrap();
            return;
        }

        // Another user's writer is not held up.
        let mut other = store.begin().await.unwrap();
        tokio::time::timeout(Duration::from_secs(5), other.lock_user(&bob))
            .await
            .expect("locking another user must not wait")
            .unwrap();
        other.commit().await.unwrap();

        // The same user's second writer waits until the first commits, then sees its write.
        let s = store.clone();
        let a = alice.clone();
        let second = tokio::spawn(async move {
            let mut tx = s.begin().await.unwrap();
            tx.lock_user(&a).await.unwrap();
            let seen = tx.get_user_setting(&a, "order").await.unwrap();
            tx.set_user_setting(&a, "order", "second").await.unwrap();
            tx.commit().await.unwrap();
            seen
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            !second.is_finished(),
            "the second writer of alice must wait for the lock"
        );
        first.commit().await.unwrap();
        let seen = tokio::time::timeout(Duration::from_secs(10), second)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(seen.as_deref(), Some("first"));
        let mut conn = store.conn().await.unwrap();
        assert_eq!(
            conn.get_user_setting(&alice, "order")
                .await
                .unwrap()
                .as_deref(),
            Some("second")
        );
    }
);

for_each_backend!(empty_transactions_end_cleanly, |db: TestDb| async move {
    // SQLite sends a transaction's BEGIN with its first statement: one that runs none must
    // still commit or roll back, and release the writer for the next one.
    let store = open(&db).await;
    let alice = uid("alice");
    store.begin().await.unwrap().commit().await.unwrap();
    drop(store.begin().await.unwrap());
    let mut tx = store.begin().await.unwrap();
    let (model, _) = add_password(&mut *tx, &alice, "h1").await;
    tx.commit().await.unwrap();
    drop(store.begin().await.unwrap());
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.get_password(&alice, ObjectRef::Numeric(model.id))
            .await
            .unwrap(),
        Some(model)
    );
    tx.commit().await.unwrap();
});
