//! Job leases: one holder at a time, renewal, expiry, release, and a real race.

use passwords_store::Store;
use passwords_testkit::{for_each_backend, TestDb};

use crate::support::*;

for_each_backend!(leases, |db: TestDb| async move {
    let store = open(&db).await;
    let mut a = store.conn().await.unwrap();
    let mut b = store.conn().await.unwrap();

    assert!(a
        .acquire_lease("security-check", "node-a", 100, 160)
        .await
        .unwrap());
    assert!(!b
        .acquire_lease("security-check", "node-b", 110, 170)
        .await
        .unwrap());
    // Renewal by the holder, also with identical values (MySQL "matched but unchanged").
    assert!(a
        .acquire_lease("security-check", "node-a", 120, 180)
        .await
        .unwrap());
    assert!(a
        .acquire_lease("security-check", "node-a", 120, 180)
        .await
        .unwrap());
    assert!(!b
        .acquire_lease("security-check", "node-b", 179, 240)
        .await
        .unwrap());
    // Another lease name is independent.
    assert!(b
        .acquire_lease("breach-update", "node-b", 100, 200)
        .await
        .unwrap());

    // Expired (expires <= now): the other node takes it, the first one lost it.
    assert!(b
        .acquire_lease("security-check", "node-b", 180, 240)
        .await
        .unwrap());
    assert!(!a
        .acquire_lease("security-check", "node-a", 181, 241)
        .await
        .unwrap());

    // Release only by the holder.
    a.release_lease("security-check", "node-a").await.unwrap();
    assert!(!a
        .acquire_lease("security-check", "node-a", 182, 242)
        .await
        .unwrap());
    b.release_lease("security-check", "node-b").await.unwrap();
    assert!(a
        .acquire_lease("security-check", "node-a", 183, 243)
        .await
        .unwrap());
    // Holder names compare case-sensitively.
    assert!(!b
        .acquire_lease("security-check", "NODE-A", 184, 244)
        .await
        .unwrap());
});

for_each_backend!(lease_race_has_one_winner, |db: TestDb| async move {
    let store = std::sync::Arc::new(open(&db).await);
    for round in 0..5 {
        let name = format!("race-{round}");
        let mut tasks = Vec::new();
        for node in 0..4 {
            let store = store.clone();
            let name = name.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = store.conn().await.unwrap();
                tx.acquire_lease(&name, &format!("node-{node}"), 1_000, 2_000)
                    .await
                    .unwrap()
            }));
        }
        let mut winners = 0;
        for task in tasks {
            winners += usize::from(task.await.unwrap());
        }
        assert_eq!(winners, 1, "round {round}");
    }
});
