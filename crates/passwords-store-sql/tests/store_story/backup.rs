//! The backup methods: who has data, whole-user dumps (deleted rows included), the
//! snapshot, wiping vault rows, explicit ids and the id generators.

use passwords_store::*;
use passwords_testkit::{for_each_backend, TestDb};

use crate::support::*;

for_each_backend!(dumps_and_wipes, |db: TestDb| async move {
    let store = open(&db).await;
    let (alice, bob, carol) = (uid("alice"), uid("bob"), uid("carol"));
    let mut tx = store.begin().await.unwrap();
    tx.insert_account(&account("alice")).await.unwrap();
    tx.set_user_setting(&carol, "k", "v").await.unwrap();
    let (p1, r1) = add_password(&mut *tx, &alice, "h1").await;
    let (p2, _) = add_password(&mut *tx, &alice, "h2").await;
    let r1b = PasswordRevision {
        uuid: passwords_types::RevisionId::new(),
        created: 3_500,
        ..password_revision(&alice, p1.uuid, "h1b", 3_500)
    };
    tx.insert_password_revision(&r1b).await.unwrap();
    // A tombstone: deleted, no revisions left.
    tx.update_password(&PasswordModel {
        deleted: true,
        ..p2.clone()
    })
    .await
    .unwrap();
    tx.delete_password_revisions(&alice, p2.uuid).await.unwrap();
    let (t1, tr1) = add_tag(&mut *tx, &alice).await;
    let rel = relation(&alice, &p1, &t1, 5_000);
    tx.insert_relation(&rel).await.unwrap();
    tx.delete_relation(&alice, rel.uuid, 5_500).await.unwrap();
    let mut f1 = folder_model(&alice);
    let fr1 = folder_revision(&alice, f1.uuid);
    f1.revision = fr1.uuid;
    f1.id = tx.insert_folder(&f1).await.unwrap();
    tx.insert_folder_revision(&fr1).await.unwrap();
    let s1 = share(&alice, &bob, p1.uuid);
    tx.insert_share(&s1).await.unwrap();
    let (b1, _) = add_password(&mut *tx, &bob, "hb").await;
    tx.commit().await.unwrap();

    // The snapshot sees what was committed, deleted rows included.
    let mut snap = store.snapshot().await.unwrap();
    assert_eq!(
        snap.backup_uids().await.unwrap(),
        vec![alice.clone(), bob.clone(), carol.clone()]
    );
    let tomb = PasswordModel {
        deleted: true,
        ..p2.clone()
    };
    assert_eq!(
        snap.dump_passwords(&alice).await.unwrap(),
        vec![p1.clone(), tomb.clone()]
    );
    let revisions = snap.dump_password_revisions(&alice).await.unwrap();
    assert_eq!(revisions, vec![r1.clone(), r1b.clone()]);
    assert_eq!(snap.dump_folders(&alice).await.unwrap(), vec![f1.clone()]);
    assert_eq!(
        snap.dump_folder_revisions(&alice).await.unwrap(),
        vec![fr1.clone()]
    );
    assert_eq!(snap.dump_tags(&alice).await.unwrap(), vec![t1.clone()]);
    assert_eq!(
        snap.dump_tag_revisions(&alice).await.unwrap(),
        vec![tr1.clone()]
    );
    let dumped = snap.dump_relations(&alice).await.unwrap();
    assert_eq!(dumped.len(), 1);
    assert!(dumped[0].deleted, "deleted relations are dumped");
    assert_eq!(snap.dump_shares(&alice).await.unwrap(), vec![s1.clone()]);
    assert!(
        snap.dump_shares(&bob).await.unwrap().is_empty(),
        "only owned shares"
    );

    // A write after the snapshot began is not seen by it.
    let mut w = store.begin().await.unwrap();
    add_password(&mut *w, &alice, "h3").await;
    w.commit().await.unwrap();
    assert_eq!(snap.dump_passwords(&alice).await.unwrap().len(), 2);
    drop(snap);
    assert_eq!(
        store
            .conn()
            .await
            .unwrap()
            .dump_passwords(&alice)
            .await
            .unwrap()
            .len(),
        3
    );

    // Other users' model ids; wiping one user; explicit ids; generators moved past them.
    let mut tx = store.begin().await.unwrap();
    let others = tx.model_ids_of_others(&alice).await.unwrap();
    assert_eq!(others.passwords, vec![b1.id]);
    assert!(others.folders.is_empty() && others.tags.is_empty());
    let wiped = tx.wipe_vault(Some(&alice)).await.unwrap();
    assert_eq!(wiped, 3 + 3 + 1 + 1 + 1 + 1 + 1 + 1, "rows of alice");
    assert!(tx.dump_passwords(&alice).await.unwrap().is_empty());
    assert_eq!(
        tx.dump_passwords(&bob).await.unwrap().len(),
        1,
        "bob untouched"
    );
    assert_eq!(
        tx.get_user_setting(&carol, "k").await.unwrap().as_deref(),
        Some("v")
    );

    let high = PasswordModel {
        id: 1_000,
        ..p1.clone()
    };
    tx.insert_password_with_id(&high).await.unwrap();
    assert_conflict(tx.insert_password_with_id(&high).await, "passwords");
    let folder = FolderModel {
        id: 500,
        ..f1.clone()
    };
    tx.insert_folder_with_id(&folder).await.unwrap();
    let tag = TagModel {
        id: 700,
        ..t1.clone()
    };
    tx.insert_tag_with_id(&tag).await.unwrap();
    tx.sync_id_generators().await.unwrap();
    let (next, _) = add_password(&mut *tx, &alice, "h4").await;
    assert!(next.id > 1_000, "{}", next.id);
    let (next_tag, _) = add_tag(&mut *tx, &alice).await;
    assert!(next_tag.id > 700, "{}", next_tag.id);
    tx.commit().await.unwrap();

    // Wiping everybody.
    let mut tx = store.begin().await.unwrap();
    tx.wipe_vault(None).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = store.conn().await.unwrap();
    for u in [&alice, &bob] {
        assert!(conn.dump_passwords(u).await.unwrap().is_empty());
        assert!(conn.dump_tags(u).await.unwrap().is_empty());
    }
    assert_eq!(
        conn.list_accounts().await.unwrap().len(),
        1,
        "accounts are not vault rows"
    );
});
