//! One user never reaches another user's rows, by numeric id or by UUID.

use passwords_store::*;
use passwords_testkit::{for_each_backend, TestDb};
use passwords_types::{ObjectRef, SecurityStatus};

use crate::support::*;

for_each_backend!(cross_user_isolation, |db: TestDb| async move {
    let store = open(&db).await;
    let mut tx = store.conn().await.unwrap();
    let (alice, bob) = (uid("alice"), uid("bob"));
    let hash = "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8";

    let (pw, rev) = add_password(&mut *tx, &alice, hash).await;
    let (tag, tag_rev) = add_tag(&mut *tx, &alice).await;
    let mut folder = folder_model(&alice);
    let folder_rev = folder_revision(&alice, folder.uuid);
    folder.revision = folder_rev.uuid;
    folder.id = tx.insert_folder(&folder).await.unwrap();
    tx.insert_folder_revision(&folder_rev).await.unwrap();
    let rel = relation(&alice, &pw, &tag, 1);
    tx.insert_relation(&rel).await.unwrap();
    // Bob has data of his own, so "empty" answers are not an accident of an empty table.
    let (bob_pw, _) = add_password(&mut *tx, &bob, hash).await;

    // Passwords and their revisions.
    assert_eq!(
        tx.get_password(&bob, ObjectRef::Numeric(pw.id))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        tx.get_password(&bob, ObjectRef::Uuid(pw.uuid.0))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        tx.get_password(&alice, ObjectRef::Numeric(bob_pw.id))
            .await
            .unwrap(),
        None
    );
    let list: Vec<_> = tx
        .list_passwords(&bob)
        .await
        .unwrap()
        .into_iter()
        .map(|(m, _)| m.uuid)
        .collect();
    assert_eq!(list, vec![bob_pw.uuid]);
    let hijack = PasswordModel {
        user_id: bob.clone(),
        deleted: true,
        ..pw.clone()
    };
    assert_not_found(tx.update_password(&hijack).await);
    assert_eq!(
        tx.get_password_revision(&bob, rev.uuid).await.unwrap(),
        None
    );
    assert!(tx
        .list_password_revisions(&bob, pw.uuid)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        tx.delete_password_revisions(&bob, pw.uuid).await.unwrap(),
        0
    );
    let bob_hashes = tx.list_revisions_with_hash(&bob, hash).await.unwrap();
    assert!(bob_hashes.iter().all(|r| r.user_id == bob) && bob_hashes.len() == 1);
    assert_not_found(
        tx.set_revision_status(&bob, rev.uuid, SecurityStatus::Breached, 9)
            .await,
    );

    // Tags and folders.
    assert_eq!(
        tx.get_tag(&bob, ObjectRef::Numeric(tag.id)).await.unwrap(),
        None
    );
    assert_eq!(
        tx.get_tag(&bob, ObjectRef::Uuid(tag.uuid.0)).await.unwrap(),
        None
    );
    assert!(tx.list_tags(&bob).await.unwrap().is_empty());
    assert_eq!(tx.get_tag_revision(&bob, tag_rev.uuid).await.unwrap(), None);
    assert_not_found(
        tx.update_tag(&TagModel {
            user_id: bob.clone(),
            deleted: true,
            ..tag.clone()
        })
        .await,
    );
    assert_eq!(tx.get_folder(&bob, folder.uuid).await.unwrap(), None);
    assert!(tx.list_folders(&bob).await.unwrap().is_empty());
    assert_eq!(
        tx.get_folder_revision(&bob, folder_rev.uuid).await.unwrap(),
        None
    );
    assert_not_found(
        tx.update_folder(&FolderModel {
            user_id: bob.clone(),
            deleted: true,
            ..folder.clone()
        })
        .await,
    );

    // Relations.
    assert!(tx
        .list_relations_of_password(&bob, pw.uuid)
        .await
        .unwrap()
        .is_empty());
    assert!(tx.list_relations(&bob).await.unwrap().is_empty());
    assert_not_found(tx.delete_relation(&bob, rel.uuid, 9).await);
    assert_eq!(
        tx.delete_relations_of_password(&bob, pw.uuid, 9)
            .await
            .unwrap(),
        0
    );

    // Alice still has everything, unchanged.
    assert_eq!(
        tx.get_password(&alice, ObjectRef::Numeric(pw.id))
            .await
            .unwrap(),
        Some(pw.clone())
    );
    assert_eq!(
        tx.list_password_revisions(&alice, pw.uuid).await.unwrap(),
        vec![rev.clone()]
    );
    assert_eq!(
        tx.get_password_revision(&alice, rev.uuid)
            .await
            .unwrap()
            .map(|r| r.status),
        Some(rev.status)
    );
    assert_eq!(tx.list_tags(&alice).await.unwrap(), vec![(tag, tag_rev)]);
    assert_eq!(
        tx.list_folders(&alice).await.unwrap(),
        vec![(folder, folder_rev)]
    );
    assert_eq!(tx.list_relations(&alice).await.unwrap(), vec![rel]);
    assert_eq!(
        tx.list_revisions_with_hash(&alice, hash).await.unwrap(),
        vec![rev]
    );
});
