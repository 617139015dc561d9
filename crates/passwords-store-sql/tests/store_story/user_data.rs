//! A user's data as a whole: counted, deleted and handed to another user, leaving every other
//! user's rows as they were; and the database-wide counts of the system report.

use passwords_store::*;
use passwords_testkit::{for_each_backend, TestDb};
use passwords_types::UserId;

use crate::support::*;

/// Gives `user` a bit of everything: two passwords (one with a second revision, one purged
/// to a tombstone), a folder, a tag with a relation, a setting, a key and a share to `peer`.
async fn seed(tx: &mut dyn Tx, user: &UserId, peer: &UserId) -> PasswordModel {
    let (pw, _) = add_password(tx, user, "aaaa").await;
    let rev2 = password_revision(user, pw.uuid, "bbbb", 3_001);
    tx.insert_password_revision(&rev2).await.unwrap();
    let (mut gone, _) = add_password(tx, user, "cccc").await;
    tx.delete_password_revisions(user, gone.uuid).await.unwrap();
    gone.deleted = true;
    tx.update_password(&gone).await.unwrap();
    let mut folder = folder_model(user);
    let folder_rev = folder_revision(user, folder.uuid);
    folder.revision = folder_rev.uuid;
    tx.insert_folder(&folder).await.unwrap();
    tx.insert_folder_revision(&folder_rev).await.unwrap();
    let (tag, _) = add_tag(tx, user).await;
    tx.insert_relation(&relation(user, &pw, &tag, 1))
        .await
        .unwrap();
    tx.set_user_setting(user, "password.security.hash", "20")
        .await
        .unwrap();
    tx.insert_user_key(&UserKeyRecord {
        uid: user.clone(),
        wrapped: vec![1, 2, 3],
        created: 1,
    })
    .await
    .unwrap();
    tx.insert_share(&share(user, peer, pw.uuid)).await.unwrap();
    pw
}

const SEEDED: UserDataCounts = UserDataCounts {
    passwords: 2,
    password_revisions: 2,
    folders: 1,
    folder_revisions: 1,
    tags: 1,
    tag_revisions: 1,
    relations: 1,
    shares: 1,
    settings: 1,
    keys: 1,
};

for_each_backend!(
    delete_user_data_removes_every_row,
    |db: TestDb| async move {
        let store = open(&db).await;
        let (alice, bob, carol) = (uid("alice"), uid("bob"), uid("carol"));
        let mut tx = store.begin().await.unwrap();
        tx.insert_account(&account("alice")).await.unwrap();
        let alice_pw = seed(&mut *tx, &alice, &bob).await;
        let bob_pw = seed(&mut *tx, &bob, &carol).await;
        // Bob's password is shared with Alice too; Alice holds a copy of it.
        tx.insert_share(&share(&bob, &alice, bob_pw.uuid))
            .await
            .unwrap();
        let mut flagged = bob_pw.clone();
        flagged.has_shares = true;
        tx.update_password(&flagged).await.unwrap();
        // Carol shares only with Alice: her flag goes with the share.
        let (carol_pw, _) = add_password(&mut *tx, &carol, "dddd").await;
        tx.insert_share(&share(&carol, &alice, carol_pw.uuid))
            .await
            .unwrap();
        let carol_flagged = PasswordModel {
            has_shares: true,
            ..carol_pw.clone()
        };
        tx.update_password(&carol_flagged).await.unwrap();
        // Bob holds a copy of Alice's password, received through her share.
        let alice_share = tx.list_shares(&alice).await.unwrap()[0].clone();
        assert_eq!(alice_share.user_id, alice);
        let (mut copy, _) = add_password(&mut *tx, &bob, "eeee").await;
        copy.share_id = Some(alice_share.uuid);
        tx.update_password(&copy).await.unwrap();
        tx.commit().await.unwrap();

        let mut tx = store.begin().await.unwrap();
        let before = tx.count_user_data(&alice).await.unwrap();
        assert_eq!(
            before,
            UserDataCounts {
                shares: 3,
                ..SEEDED
            }
        );
        assert!(before.has_data());
        let bob_before = tx.count_user_data(&bob).await.unwrap();

        let deleted = tx.delete_user_data(&alice).await.unwrap();
        assert_eq!(deleted, before);
        assert_eq!(
            tx.count_user_data(&alice).await.unwrap(),
            UserDataCounts::default()
        );
        assert!(!UserDataCounts::default().has_data());
        // The account is not vault data.
        assert!(tx.get_account(&alice).await.unwrap().is_some());
        assert_eq!(tx.get_user_key(&alice).await.unwrap(), None);
        assert!(tx.list_passwords(&alice).await.unwrap().is_empty());
        assert_eq!(
            tx.get_password(&alice, passwords_types::ObjectRef::Numeric(alice_pw.id))
                .await
                .unwrap(),
            None
        );
        // Bob lost the two shares with Alice, nothing else.
        assert_eq!(
            tx.count_user_data(&bob).await.unwrap(),
            UserDataCounts {
                shares: bob_before.shares - 2,
                ..bob_before
            }
        );
        let copy_now = tx
            .get_password(&bob, passwords_types::ObjectRef::Uuid(copy.uuid.0))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(copy_now.share_id, None, "the copy is Bob's own now");
        let bob_now = tx
            .get_password(&bob, passwords_types::ObjectRef::Uuid(bob_pw.uuid.0))
            .await
            .unwrap()
            .unwrap();
        assert!(bob_now.has_shares, "still shared with Carol");
        let carol_now = tx
            .get_password(&carol, passwords_types::ObjectRef::Uuid(carol_pw.uuid.0))
            .await
            .unwrap()
            .unwrap();
        assert!(!carol_now.has_shares, "shared with Alice only");
        // Deleting again finds nothing.
        assert_eq!(
            tx.delete_user_data(&alice).await.unwrap(),
            UserDataCounts::default()
        );
        tx.commit().await.unwrap();
    }
);

for_each_backend!(delete_user_data_rolls_back, |db: TestDb| async move {
    let store = open(&db).await;
    let (alice, bob) = (uid("alice"), uid("bob"));
    let mut tx = store.begin().await.unwrap();
    seed(&mut *tx, &alice, &bob).await;
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    tx.delete_user_data(&alice).await.unwrap();
    drop(tx);
    let counts = store
        .conn()
        .await
        .unwrap()
        .count_user_data(&alice)
        .await
        .unwrap();
    assert_eq!(counts, SEEDED);
});

for_each_backend!(
    move_user_data_hands_every_row_over,
    |db: TestDb| async move {
        let store = open(&db).await;
        let (alice, bob, carol) = (uid("alice"), uid("bob"), uid("carol"));
        let mut tx = store.begin().await.unwrap();
        let alice_pw = seed(&mut *tx, &alice, &carol).await;
        seed(&mut *tx, &carol, &alice).await;
        let (dave_pw, _) = add_password(&mut *tx, &uid("dave"), "ffff").await;
        tx.commit().await.unwrap();

        let mut tx = store.begin().await.unwrap();
        let alice_before = tx.count_user_data(&alice).await.unwrap();
        let carol_before = tx.count_user_data(&carol).await.unwrap();
        let revisions = tx
            .list_password_revisions(&alice, alice_pw.uuid)
            .await
            .unwrap();
        let moved = tx.move_user_data(&alice, &bob).await.unwrap();
        assert_eq!(
            moved,
            UserDataCounts {
                keys: 0,
                ..alice_before
            }
        );
        assert_eq!(
            tx.count_user_data(&alice).await.unwrap(),
            UserDataCounts {
                keys: 1,
                ..UserDataCounts::default()
            },
            "only the key stays (the caller re-wraps it)"
        );
        assert_eq!(
            tx.count_user_data(&bob).await.unwrap(),
            UserDataCounts {
                keys: 0,
                ..alice_before
            }
        );
        // Same ids, same revisions, same sealed bytes, now Bob's.
        let pw = tx
            .get_password(&bob, passwords_types::ObjectRef::Numeric(alice_pw.id))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(pw.uuid, alice_pw.uuid);
        assert_eq!(pw.user_id, bob);
        let bob_revisions = tx.list_password_revisions(&bob, pw.uuid).await.unwrap();
        assert_eq!(bob_revisions.len(), revisions.len());
        for (a, b) in revisions.iter().zip(&bob_revisions) {
            assert_eq!(
                PasswordRevision {
                    user_id: bob.clone(),
                    ..a.clone()
                },
                *b
            );
        }
        assert_eq!(
            tx.get_user_setting(&bob, "password.security.hash")
                .await
                .unwrap(),
            Some("20".into())
        );
        // Shares: the one Bob owns now and the one he receives now.
        let shares = tx.list_shares(&bob).await.unwrap();
        assert_eq!(shares.len(), 2);
        assert!(shares
            .iter()
            .any(|s| s.user_id == bob && s.receiver == carol));
        assert!(shares
            .iter()
            .any(|s| s.user_id == carol && s.receiver == bob));
        assert!(tx.list_shares(&alice).await.unwrap().is_empty());
        // Carol's own rows and Dave's are as they were.
        assert_eq!(tx.count_user_data(&carol).await.unwrap(), carol_before);
        assert!(tx
            .get_password(
                &uid("dave"),
                passwords_types::ObjectRef::Numeric(dave_pw.id)
            )
            .await
            .unwrap()
            .is_some());
        tx.commit().await.unwrap();
    }
);

for_each_backend!(move_user_data_rolls_back, |db: TestDb| async move {
    let store = open(&db).await;
    let (alice, bob) = (uid("alice"), uid("bob"));
    let mut tx = store.begin().await.unwrap();
    seed(&mut *tx, &alice, &uid("carol")).await;
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    tx.move_user_data(&alice, &bob).await.unwrap();
    drop(tx);
    let mut conn = store.conn().await.unwrap();
    assert_eq!(conn.count_user_data(&alice).await.unwrap(), SEEDED);
    assert_eq!(
        conn.count_user_data(&bob).await.unwrap(),
        UserDataCounts::default()
    );
});

for_each_backend!(report_counts, |db: TestDb| async move {
    let store = open(&db).await;
    let mut tx = store.conn().await.unwrap();
    assert_eq!(tx.count_live_shares().await.unwrap(), 0);
    assert!(tx.count_revisions_by_encryption().await.unwrap().is_empty());
    let (alice, bob) = (uid("alice"), uid("bob"));
    seed(&mut *tx, &alice, &bob).await;
    let (pw, _) = add_password(&mut *tx, &bob, "1234").await;
    let mut plain = password_revision(&bob, pw.uuid, "5678", 9);
    plain.sse_type = "none".into();
    plain.cse_type = "CSEv1r1".into();
    tx.insert_password_revision(&plain).await.unwrap();
    let mut dead = share(&bob, &alice, pw.uuid);
    dead.deleted = true;
    tx.insert_share(&dead).await.unwrap();
    assert_eq!(tx.count_live_shares().await.unwrap(), 1);
    let uses = tx.count_revisions_by_encryption().await.unwrap();
    let row = |sse: &str, cse: &str, revisions: u64| EncryptionUse {
        sse_type: sse.into(),
        cse_type: cse.into(),
        revisions,
    };
    // Alice: 2 password, 1 folder, 1 tag revision; Bob: 1 more password revision.
    assert_eq!(
        uses,
        vec![row("SSEv1r2", "none", 5), row("none", "CSEv1r1", 1)]
    );
});
