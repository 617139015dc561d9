//! Password models and revisions: ids, joins, hashes, statuses, exact blobs, corrupt data.

use passwords_store::*;
use passwords_testkit::{for_each_backend, TestDb};
use passwords_types::{ObjectRef, PasswordId, RevisionId, SecurityStatus};

use crate::support::*;

for_each_backend!(password_ids_are_never_reused, |db: TestDb| async move {
    let store = open(&db).await;
    let mut tx = store.conn().await.unwrap();
    let alice = uid("alice");

    let (first, _) = add_password(&mut *tx, &alice, "h1").await;
    let (second, _) = add_password(&mut *tx, &alice, "h2").await;
    assert!(
        second.id > first.id,
        "ids increase: {} then {}",
        first.id,
        second.id
    );

    // The newest password is soft-deleted; the next one must not get its id again.
    let deleted = PasswordModel {
        deleted: true,
        updated: 2_100,
        ..second.clone()
    };
    tx.update_password(&deleted).await.unwrap();
    assert_eq!(
        tx.get_password(&alice, ObjectRef::Numeric(second.id))
            .await
            .unwrap(),
        None
    );
    let (third, _) = add_password(&mut *tx, &alice, "h3").await;
    assert!(
        third.id > second.id,
        "id {} reused after {}",
        third.id,
        second.id
    );

    // Even a model inserted in a rolled-back transaction does not give its id away later.
    let mut rolled = store.begin().await.unwrap();
    let (lost, _) = add_password(&mut *rolled, &alice, "h4").await;
    drop(rolled);
    let (fourth, _) = add_password(&mut *tx, &alice, "h5").await;
    assert!(
        fourth.id > third.id && fourth.id >= lost.id,
        "ids {third:?} {lost:?} {fourth:?}"
    );

    assert_conflict(tx.insert_password(&first).await, "passwords"); // same uuid
});

for_each_backend!(password_models_and_revisions, |db: TestDb| async move {
    let store = open(&db).await;
    let mut tx = store.conn().await.unwrap();
    let alice = uid("alice");

    let (model, rev1) = add_password(&mut *tx, &alice, "aaaa").await;
    assert_eq!(
        tx.get_password(&alice, ObjectRef::Numeric(model.id))
            .await
            .unwrap(),
        Some(model.clone())
    );
    assert_eq!(
        tx.get_password(&alice, ObjectRef::Uuid(model.uuid.0))
            .await
            .unwrap(),
        Some(model.clone())
    );
    assert_eq!(
        tx.get_password(&alice, ObjectRef::Numeric(model.id + 1000))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        tx.get_password(&alice, ObjectRef::Uuid(uuid::Uuid::new_v4()))
            .await
            .unwrap(),
        None
    );

    // The model with its current revision in one query; other users see nothing.
    for id in [ObjectRef::Numeric(model.id), ObjectRef::Uuid(model.uuid.0)] {
        assert_eq!(
            tx.get_password_with_revision(&alice, id).await.unwrap(),
            Some((model.clone(), rev1.clone()))
        );
        assert_eq!(
            tx.get_password_with_revision(&uid("bob"), id)
                .await
                .unwrap(),
            None
        );
    }

    // A second revision becomes current; every mutable column of the model is replaced.
    let rev2 = PasswordRevision {
        uuid: RevisionId::new(),
        hash: "bbbb".into(),
        status: SecurityStatus::Good,
        trashed: true,
        created: 3_100,
        updated: 3_100,
        ..rev1.clone()
    };
    tx.insert_password_revision(&rev2).await.unwrap();
    assert_conflict(
        tx.insert_password_revision(&rev2).await,
        "password_revisions",
    );
    let share_id = passwords_types::ShareId::new();
    let current = PasswordModel {
        revision: rev2.uuid,
        share_id: Some(share_id),
        has_shares: true,
        editable: false,
        suspended: true,
        updated: 3_100,
        ..model.clone()
    };
    tx.update_password(&current).await.unwrap();
    tx.update_password(&current).await.unwrap(); // unchanged values still "found" (MySQL)
    assert_eq!(
        tx.get_password(&alice, ObjectRef::Numeric(model.id))
            .await
            .unwrap(),
        Some(current.clone())
    );
    assert_not_found(
        tx.update_password(&PasswordModel {
            id: model.id + 1000,
            ..current.clone()
        })
        .await,
    );

    assert_eq!(
        tx.get_password_revision(&alice, rev1.uuid).await.unwrap(),
        Some(rev1.clone())
    );
    assert_eq!(
        tx.get_password_revision(&alice, RevisionId::new())
            .await
            .unwrap(),
        None
    );
    // Oldest first, by `created` even when inserted later.
    let older = PasswordRevision {
        uuid: RevisionId::new(),
        created: 10,
        updated: 10,
        ..rev1.clone()
    };
    tx.insert_password_revision(&older).await.unwrap();
    let listed = tx
        .list_password_revisions(&alice, model.uuid)
        .await
        .unwrap();
    assert_eq!(listed, vec![older.clone(), rev1.clone(), rev2.clone()]);

    // list_passwords joins the current revision and skips deleted models, by numeric id.
    let (other, other_rev) = add_password(&mut *tx, &alice, "cccc").await;
    let (gone, _) = add_password(&mut *tx, &alice, "dddd").await;
    tx.update_password(&PasswordModel {
        deleted: true,
        ..gone.clone()
    })
    .await
    .unwrap();
    let list = tx.list_passwords(&alice).await.unwrap();
    assert_eq!(
        list,
        vec![
            (current.clone(), rev2.clone()),
            (other.clone(), other_rev.clone())
        ]
    );
    assert!(tx.list_passwords(&uid("bob")).await.unwrap().is_empty());
    // The summaries are the same list, narrowed.
    assert_eq!(
        tx.list_password_summaries(&alice).await.unwrap(),
        list.iter().map(|(m, r)| summary(m, r)).collect::<Vec<_>>()
    );
    assert!(tx
        .list_password_summaries(&uid("bob"))
        .await
        .unwrap()
        .is_empty());

    assert_eq!(
        tx.delete_password_revisions(&alice, model.uuid)
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        tx.delete_password_revisions(&alice, model.uuid)
            .await
            .unwrap(),
        0
    );
    assert!(tx
        .list_password_revisions(&alice, model.uuid)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        tx.list_passwords(&alice).await.unwrap(),
        vec![(other, other_rev)]
    );
});

for_each_backend!(hashes_and_statuses, |db: TestDb| async move {
    let store = open(&db).await;
    let mut tx = store.conn().await.unwrap();
    let (alice, bob) = (uid("alice"), uid("bob"));
    let hash = "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3";

    let (p1, r1) = add_password(&mut *tx, &alice, hash).await;
    let (_p2, r2) = add_password(&mut *tx, &alice, hash).await;
    let (_p3, _r3) = add_password(&mut *tx, &alice, "0000").await;
    let (p4, _r4) = add_password(&mut *tx, &alice, hash).await;
    tx.update_password(&PasswordModel {
        deleted: true,
        ..p4
    })
    .await
    .unwrap();
    let (_b1, _) = add_password(&mut *tx, &bob, hash).await;
    // An older revision of p1 with the same hash is live too (revisions have no soft delete).
    let r1_old = PasswordRevision {
        uuid: RevisionId::new(),
        created: 1,
        updated: 1,
        ..r1.clone()
    };
    tx.insert_password_revision(&r1_old).await.unwrap();

    let found = tx.list_revisions_with_hash(&alice, hash).await.unwrap();
    assert_eq!(found, vec![r1.clone(), r2.clone(), r1_old.clone()]);
    assert_eq!(
        tx.list_revisions_with_hash(&alice, &hash.to_uppercase())
            .await
            .unwrap(),
        vec![]
    );
    assert_eq!(
        tx.list_revisions_with_hash(&alice, "").await.unwrap(),
        vec![]
    );
    assert_eq!(
        tx.list_revisions_with_hash(&bob, hash).await.unwrap().len(),
        1
    );

    for status in [
        SecurityStatus::Duplicate,
        SecurityStatus::Breached,
        SecurityStatus::Good,
        SecurityStatus::Outdated,
    ] {
        tx.set_revision_status(&alice, r1.uuid, status, 8_000)
            .await
            .unwrap();
        let stored = tx
            .get_password_revision(&alice, r1.uuid)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((stored.status, stored.updated), (status, 8_000));
    }
    assert_not_found(
        tx.set_revision_status(&bob, r1.uuid, SecurityStatus::Good, 1)
            .await,
    );
    assert_not_found(
        tx.set_revision_status(&alice, RevisionId::new(), SecurityStatus::Good, 1)
            .await,
    );
    assert_eq!(
        tx.get_password(&alice, passwords_types::ObjectRef::Numeric(p1.id))
            .await
            .unwrap(),
        Some(p1)
    );
});

for_each_backend!(sealed_bytes_round_trip_exactly, |db: TestDb| async move {
    let store = open(&db).await;
    let mut tx = store.conn().await.unwrap();
    let alice = uid("alice");
    let all: Vec<u8> = (0..=255u8).collect();
    let model_id = PasswordId::new();

    let rev = PasswordRevision {
        label: all.clone(),
        username: all.iter().rev().copied().collect(),
        password: vec![0; 4096],
        url: Vec::new(),
        notes: (0..70_000u32).map(|i| (i % 251) as u8).collect(),
        custom_fields: vec![0xff],
        client: "Ünïcødé client 🔐".into(),
        cse_key: "äöü".into(),
        ..password_revision(&alice, model_id, "", 1)
    };
    tx.insert_password_revision(&rev).await.unwrap();
    let back = tx
        .get_password_revision(&alice, rev.uuid)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back.label, all);
    assert_eq!(back, rev);
});

for_each_backend!(corrupt_rows_are_reported, |db: TestDb| async move {
    let store = open(&db).await;
    let mut tx = store.conn().await.unwrap();
    let alice = uid("alice");
    let (model, rev) = add_password(&mut *tx, &alice, "h").await;
    drop(tx);

    raw_sql(&db, "UPDATE password_revisions SET status_code = 'BOGUS'").await;
    let mut tx = store.conn().await.unwrap();
    match tx.get_password_revision(&alice, rev.uuid).await {
        Err(StoreError::Corrupt(msg)) => assert!(msg.contains("BOGUS"), "{msg}"),
        other => panic!("expected Corrupt, got {other:?}"),
    }
    drop(tx);

    raw_sql(&db, "UPDATE passwords SET revision = 'not-a-uuid'").await;
    let mut tx = store.conn().await.unwrap();
    match tx
        .get_password(&alice, passwords_types::ObjectRef::Numeric(model.id))
        .await
    {
        Err(StoreError::Corrupt(msg)) => assert!(msg.contains("revision"), "{msg}"),
        other => panic!("expected Corrupt, got {other:?}"),
    }
});

fn summary(m: &PasswordModel, r: &PasswordRevision) -> PasswordSummary {
    PasswordSummary {
        id: m.id,
        uuid: m.uuid,
        created: m.created,
        revision: r.uuid,
        label: r.label.clone(),
        username: r.username.clone(),
        password: r.password.clone(),
        url: r.url.clone(),
        notes: r.notes.clone(),
        cse_type: r.cse_type.clone(),
        sse_type: r.sse_type.clone(),
        status: r.status,
        hidden: r.hidden,
        trashed: r.trashed,
        edited: r.edited,
    }
}

for_each_backend!(
    a_password_goes_in_with_its_first_revision,
    |db: TestDb| async move {
        let store = open(&db).await;
        let alice = uid("alice");
        let mut tx = store.begin().await.unwrap();
        let mut model = password_model(&alice, RevisionId::new());
        let rev = password_revision(&alice, model.uuid, "h1", 3_000);
        model.revision = rev.uuid;
        model.id = tx
            .insert_password_with_revision(&model, &rev)
            .await
            .unwrap();
        assert!(model.id > 0);
        assert_eq!(
            tx.get_password_with_revision(&alice, ObjectRef::Numeric(model.id))
                .await
                .unwrap(),
            Some((model.clone(), rev.clone()))
        );
        // The same model again: refused by its uuid, before its revision is tried.
        assert_conflict(
            tx.insert_password_with_revision(&model, &rev).await,
            "passwords",
        );
        tx.commit().await.unwrap();

        // A new model whose revision exists: refused by the revision, and a transaction that
        // is dropped on that error leaves nothing behind.
        let mut tx = store.begin().await.unwrap();
        let other = PasswordModel {
            uuid: PasswordId::new(),
            ..model.clone()
        };
        assert_conflict(
            tx.insert_password_with_revision(&other, &rev).await,
            "password_revisions",
        );
        drop(tx);
        let mut conn = store.conn().await.unwrap();
        assert_eq!(
            conn.get_password(&alice, ObjectRef::Uuid(other.uuid.0))
                .await
                .unwrap(),
            None
        );
        assert_eq!(conn.list_passwords(&alice).await.unwrap().len(), 1);
    }
);

/// Collects what `visit_password_listings` hands over, one line per listing.
struct Lines(Vec<String>);

impl ListingSink for Lines {
    fn listing(&mut self, l: &PasswordListing<'_>) {
        self.0.push(format!(
            "{} {} {} {} {:?} {:?} {} {} {} {}",
            l.uuid,
            l.revision,
            l.hash,
            l.client,
            l.label,
            l.custom_fields,
            l.status.code(),
            l.favorite,
            l.revision_created,
            l.suspended,
        ));
    }
    fn finish(self: Box<Self>) -> Vec<u8> {
        self.0.join("\n").into_bytes()
    }
}

/// The line [`Lines`] writes for a stored model and revision.
fn line(m: &PasswordModel, r: &PasswordRevision) -> String {
    format!(
        "{} {} {} {} {:?} {:?} {} {} {} {}",
        m.uuid,
        r.uuid,
        r.hash,
        r.client,
        r.label.as_slice(),
        r.custom_fields.as_slice(),
        r.status.code(),
        r.favorite,
        r.created,
        m.suspended,
    )
}

for_each_backend!(
    listings_reach_the_sink_in_id_order,
    |db: TestDb| async move {
        let store = open(&db).await;
        let mut tx = store.conn().await.unwrap();
        let (alice, bob) = (uid("alice"), uid("bob"));
        let first = add_password(&mut *tx, &alice, "h1").await;
        let gone = add_password(&mut *tx, &alice, "h2").await;
        add_password(&mut *tx, &bob, "h3").await;
        let last = add_password(&mut *tx, &alice, "h4").await;
        tx.update_password(&PasswordModel {
            deleted: true,
            ..gone.0.clone()
        })
        .await
        .unwrap();

        let sink = tx
            .visit_password_listings(&alice, Box::new(Lines(Vec::new())))
            .await
            .unwrap();
        let expected = [line(&first.0, &first.1), line(&last.0, &last.1)].join("\n");
        assert_eq!(String::from_utf8(sink.finish()).unwrap(), expected);

        let none = tx
            .visit_password_listings(&uid("carol"), Box::new(Lines(Vec::new())))
            .await
            .unwrap();
        assert!(none.finish().is_empty());
    }
);
