//! Folders, tags, password-tag relations and shares.

use passwords_store::*;
use passwords_testkit::{for_each_backend, TestDb};
use passwords_types::{FolderId, ObjectRef, RevisionId, ShareId};

use crate::support::*;

for_each_backend!(folders, |db: TestDb| async move {
    let store = open(&db).await;
    let mut tx = store.conn().await.unwrap();
    let alice = uid("alice");

    let mut f1 = folder_model(&alice);
    let r1 = folder_revision(&alice, f1.uuid);
    f1.revision = r1.uuid;
    f1.id = tx.insert_folder(&f1).await.unwrap();
    tx.insert_folder_revision(&r1).await.unwrap();
    let mut f2 = folder_model(&alice);
    let r2 = FolderRevision {
        parent: f1.uuid,
        ..folder_revision(&alice, f2.uuid)
    };
    f2.revision = r2.uuid;
    f2.id = tx.insert_folder(&f2).await.unwrap();
    tx.insert_folder_revision(&r2).await.unwrap();
    assert!(f2.id > f1.id);
    assert_conflict(tx.insert_folder(&f1).await, "folders");
    assert_conflict(tx.insert_folder_revision(&r1).await, "folder_revisions");

    assert_eq!(
        tx.get_folder(&alice, f1.uuid).await.unwrap(),
        Some(f1.clone())
    );
    assert_eq!(tx.get_folder(&alice, FolderId::new()).await.unwrap(), None);
    assert_eq!(
        tx.get_folder_revision(&alice, r2.uuid).await.unwrap(),
        Some(r2.clone())
    );
    assert_eq!(
        tx.list_folders(&alice).await.unwrap(),
        vec![(f1.clone(), r1.clone()), (f2.clone(), r2.clone())]
    );

    // A new current revision; then the first folder is deleted.
    let r2b = FolderRevision {
        uuid: RevisionId::new(),
        trashed: false,
        created: 4_100,
        ..r2.clone()
    };
    tx.insert_folder_revision(&r2b).await.unwrap();
    let f2b = FolderModel {
        revision: r2b.uuid,
        suspended: true,
        updated: 4_100,
        ..f2.clone()
    };
    tx.update_folder(&f2b).await.unwrap();
    tx.update_folder(&FolderModel {
        deleted: true,
        ..f1.clone()
    })
    .await
    .unwrap();
    assert_eq!(tx.get_folder(&alice, f1.uuid).await.unwrap(), None);
    assert_eq!(
        tx.list_folders(&alice).await.unwrap(),
        vec![(f2b.clone(), r2b)]
    );
    assert_not_found(
        tx.update_folder(&FolderModel {
            user_id: uid("bob"),
            ..f2b
        })
        .await,
    );

    // The final delete's revision purge: one folder's revisions, of its owner only.
    assert_eq!(
        tx.delete_folder_revisions(&uid("bob"), f2.uuid)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        tx.delete_folder_revisions(&alice, f1.uuid).await.unwrap(),
        1
    );
    assert_eq!(tx.get_folder_revision(&alice, r1.uuid).await.unwrap(), None);
    assert_eq!(
        tx.get_folder_revision(&alice, r2.uuid).await.unwrap(),
        Some(r2.clone()),
        "another folder's revisions stay"
    );
    assert_eq!(
        tx.delete_folder_revisions(&alice, f1.uuid).await.unwrap(),
        0
    );

    let mut f3 = folder_model(&alice);
    f3.id = tx.insert_folder(&f3).await.unwrap();
    assert!(f3.id > f2.id, "folder ids are never reused");
});

for_each_backend!(tags, |db: TestDb| async move {
    let store = open(&db).await;
    let mut tx = store.conn().await.unwrap();
    let alice = uid("alice");

    let (t1, r1) = add_tag(&mut *tx, &alice).await;
    let (t2, r2) = add_tag(&mut *tx, &alice).await;
    assert!(t2.id > t1.id);
    assert_conflict(tx.insert_tag(&t1).await, "tags");
    assert_conflict(tx.insert_tag_revision(&r1).await, "tag_revisions");

    assert_eq!(
        tx.get_tag(&alice, ObjectRef::Numeric(t1.id)).await.unwrap(),
        Some(t1.clone())
    );
    assert_eq!(
        tx.get_tag(&alice, ObjectRef::Uuid(t2.uuid.0))
            .await
            .unwrap(),
        Some(t2.clone())
    );
    assert_eq!(
        tx.get_tag(&alice, ObjectRef::Numeric(t2.id + 99))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        tx.get_tag_revision(&alice, r2.uuid).await.unwrap(),
        Some(r2.clone())
    );
    assert_eq!(
        tx.get_tag_revision(&alice, RevisionId::new())
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        tx.list_tags(&alice).await.unwrap(),
        vec![(t1.clone(), r1.clone()), (t2.clone(), r2.clone())]
    );

    let r1b = TagRevision {
        uuid: RevisionId::new(),
        color: vec![],
        created: 5_100,
        ..r1.clone()
    };
    tx.insert_tag_revision(&r1b).await.unwrap();
    let t1b = TagModel {
        revision: r1b.uuid,
        updated: 5_100,
        ..t1.clone()
    };
    tx.update_tag(&t1b).await.unwrap();
    tx.update_tag(&TagModel {
        deleted: true,
        ..t2.clone()
    })
    .await
    .unwrap();
    assert_eq!(
        tx.get_tag(&alice, ObjectRef::Uuid(t2.uuid.0))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        tx.list_tags(&alice).await.unwrap(),
        vec![(t1b.clone(), r1b.clone())]
    );
    // The final delete's revision purge: one tag's revisions, of its owner only.
    assert_eq!(
        tx.delete_tag_revisions(&uid("bob"), t2.uuid).await.unwrap(),
        0
    );
    assert_eq!(tx.delete_tag_revisions(&alice, t2.uuid).await.unwrap(), 1);
    assert_eq!(tx.get_tag_revision(&alice, r2.uuid).await.unwrap(), None);
    assert_eq!(
        tx.get_tag_revision(&alice, r1b.uuid).await.unwrap(),
        Some(r1b.clone()),
        "another tag's revisions stay"
    );
    assert_not_found(
        tx.update_tag(&TagModel {
            id: t2.id + 99,
            ..t1b
        })
        .await,
    );

    let (t3, _) = add_tag(&mut *tx, &alice).await;
    assert!(t3.id > t2.id, "tag ids are never reused");
});

for_each_backend!(relations, |db: TestDb| async move {
    let store = open(&db).await;
    let mut tx = store.conn().await.unwrap();
    let alice = uid("alice");
    let (p1, _) = add_password(&mut *tx, &alice, "h1").await;
    let (p2, _) = add_password(&mut *tx, &alice, "h2").await;
    let (ta, _) = add_tag(&mut *tx, &alice).await;
    let (tb, _) = add_tag(&mut *tx, &alice).await;

    // Insertion order wins over `created` (the legacy "first category").
    let rel_b = relation(&alice, &p1, &tb, 900);
    let rel_a = RelationRecord {
        hidden: true,
        ..relation(&alice, &p1, &ta, 100)
    };
    let rel_other = relation(&alice, &p2, &ta, 50);
    for rel in [&rel_b, &rel_a, &rel_other] {
        tx.insert_relation(rel).await.unwrap();
    }
    assert_conflict(tx.insert_relation(&rel_a).await, "password_tag_relations");
    assert_eq!(
        tx.list_relations_of_password(&alice, p1.uuid)
            .await
            .unwrap(),
        vec![rel_b.clone(), rel_a.clone()]
    );
    assert_eq!(
        tx.list_relations(&alice).await.unwrap(),
        vec![rel_b.clone(), rel_a.clone(), rel_other.clone()]
    );

    tx.delete_relation(&alice, rel_b.uuid, 7_000).await.unwrap();
    tx.delete_relation(&alice, rel_b.uuid, 7_001).await.unwrap(); // idempotent
    assert_not_found(
        tx.delete_relation(&alice, uuid::Uuid::new_v4(), 7_000)
            .await,
    );
    assert_not_found(tx.delete_relation(&uid("bob"), rel_a.uuid, 7_000).await);
    assert_eq!(
        tx.list_relations_of_password(&alice, p1.uuid)
            .await
            .unwrap(),
        vec![rel_a.clone()]
    );

    assert_eq!(
        tx.delete_relations_of_password(&alice, p1.uuid, 7_100)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        tx.delete_relations_of_password(&alice, p1.uuid, 7_200)
            .await
            .unwrap(),
        0
    );
    assert!(tx
        .list_relations_of_password(&alice, p1.uuid)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(tx.list_relations(&alice).await.unwrap(), vec![rel_other]);
});

for_each_backend!(shares, |db: TestDb| async move {
    let store = open(&db).await;
    let mut tx = store.conn().await.unwrap();
    let (alice, bob, carol) = (uid("alice"), uid("bob"), uid("carol"));
    let (p1, _) = add_password(&mut *tx, &alice, "h1").await;
    let (p2, _) = add_password(&mut *tx, &alice, "h2").await;

    let s1 = share(&alice, &bob, p1.uuid);
    let s2 = ShareRecord {
        target_password: Some(passwords_types::PasswordId::new()),
        expires: None,
        ..share(&alice, &carol, p1.uuid)
    };
    let s3 = share(&alice, &bob, p2.uuid);
    let s4 = share(&carol, &alice, passwords_types::PasswordId::new());
    for s in [&s1, &s2, &s3, &s4] {
        tx.insert_share(s).await.unwrap();
    }
    assert_conflict(tx.insert_share(&s1).await, "shares");

    assert_eq!(
        tx.list_shares(&alice).await.unwrap(),
        vec![s1.clone(), s2.clone(), s3.clone(), s4.clone()]
    );
    assert_eq!(
        tx.list_shares(&bob).await.unwrap(),
        vec![s1.clone(), s3.clone()]
    );
    assert_eq!(tx.get_share(s2.uuid).await.unwrap(), Some(s2.clone()));
    assert_eq!(tx.get_share(ShareId::new()).await.unwrap(), None);

    assert_eq!(
        tx.delete_shares_of_password(&bob, p1.uuid, 9_000)
            .await
            .unwrap(),
        0,
        "not the owner"
    );
    assert_eq!(
        tx.delete_shares_of_password(&alice, p1.uuid, 9_000)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        tx.delete_shares_of_password(&alice, p1.uuid, 9_001)
            .await
            .unwrap(),
        0
    );
    assert_eq!(tx.get_share(s1.uuid).await.unwrap(), None);
    assert_eq!(tx.list_shares(&bob).await.unwrap(), vec![s3]);
    assert_eq!(tx.list_shares(&carol).await.unwrap(), vec![s4]);
});
