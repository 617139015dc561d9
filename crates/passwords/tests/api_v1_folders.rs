//! API v1 folders over real HTTP on every backend: the 14 keys, the base folder, parents,
//! hidden folders, the trash with suspension of the subtree, restore, the final delete of a
//! subtree, and the folder detail levels.

#[macro_use]
mod common;
mod v1;

use common::*;
use v1::*;

backend_tests!(folder_objects_and_base_folder, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let (a, rev) = create(
        &s,
        &alice,
        "folder",
        json!({"label": "A", "favorite": "true"}),
    )
    .await;
    let f = show(&s, &alice, "folder", &a, "model").await;
    assert_keys(&f, &FOLDER_KEYS);
    assert_eq!(
        (f["label"].as_str(), f["parent"].as_str()),
        (Some("A"), Some(BASE))
    );
    assert_eq!(
        (f["revision"].as_str(), f["client"].as_str()),
        (Some(rev.as_str()), Some("test"))
    );
    assert_eq!(
        (f["favorite"].as_bool(), f["hidden"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(
        (f["cseType"].as_str(), f["sseType"].as_str()),
        (Some("none"), Some("SSEv1r2"))
    );

    // Android: GET folder/list, strict 14 keys; the base folder is not listed.
    let r = get(&s, &alice, "/folder/list").await;
    let all = ok(&r, 200);
    assert_eq!(all, json!([f]));

    // The base folder can be shown, not changed.
    let base = show(&s, &alice, "folder", BASE, "model").await;
    assert_keys(&base, &FOLDER_KEYS);
    assert_eq!(
        (base["id"].as_str(), base["parent"].as_str()),
        (Some(BASE), Some(BASE))
    );
    assert_eq!(
        (base["label"].as_str(), base["client"].as_str()),
        (Some("Home"), Some("CLIENT::SYSTEM"))
    );
    let base_error = v1_error("Can not edit base folder");
    patch(
        &s,
        &alice,
        "/folder/update",
        json!({"id": BASE, "label": "X"}),
    )
    .await
    .expect(422, base_error.clone());
    delete(&s, &alice, "/folder/delete", json!({"id": BASE}))
        .await
        .expect(422, base_error);

    // Parents: a folder inside A; an unknown or invalid parent means the base folder; a
    // folder cannot become its own descendant.
    let (b, _) = create(&s, &alice, "folder", json!({"label": "B", "parent": a})).await;
    assert_eq!(
        show(&s, &alice, "folder", &b, "model").await["parent"],
        a.as_str()
    );
    for parent in [
        json!("0b5e3a4c-9d1f-4c2b-8a7e-123456789abc"),
        json!("garbage"),
        json!(null),
    ] {
        let (c, _) = create(
            &s,
            &alice,
            "folder",
            json!({"label": "C", "parent": parent}),
        )
        .await;
        assert_eq!(
            show(&s, &alice, "folder", &c, "model").await["parent"],
            BASE
        );
    }
    let r = patch(
        &s,
        &alice,
        "/folder/update",
        json!({"id": a, "label": "A", "parent": b}),
    )
    .await;
    ok(&r, 200);
    assert_eq!(
        show(&s, &alice, "folder", &a, "model").await["parent"],
        BASE
    );

    // Detail levels: parent, folders, folder-ids, passwords, password-ids, password-tags.
    let (tag, _) = create(&s, &alice, "tag", json!({"label": "T", "color": "#00ff00"})).await;
    let (p, _) = create(
        &s,
        &alice,
        "password",
        json!({"label": "P", "password": "x", "folder": b, "tags": [tag]}),
    )
    .await;
    let v = show(&s, &alice, "folder", &b, "model+parent").await;
    assert_keys(&v, &FOLDER_KEYS);
    assert_eq!(v["parent"]["id"], a.as_str());
    assert_keys(&v["parent"], &FOLDER_KEYS);
    let v = show(&s, &alice, "folder", &a, "model+folder-ids+password-ids").await;
    let mut expected = FOLDER_KEYS.to_vec();
    expected.extend(["folders", "passwords"]);
    assert_keys(&v, &expected);
    assert_eq!(
        (v["folders"].clone(), v["passwords"].clone()),
        (json!([b]), json!([]))
    );
    let v = show(&s, &alice, "folder", &a, "folders").await;
    assert_keys(&v, &["id", "folders"]);
    assert_keys(&v["folders"][0], &FOLDER_KEYS);
    let v = show(&s, &alice, "folder", &b, "model+passwords+password-tags").await;
    assert_keys(
        &v["passwords"][0],
        &[&PASSWORD_KEYS[..], &["tags"]].concat(),
    );
    assert_eq!(v["passwords"][0]["tags"][0]["id"], tag.as_str());
    assert_keys(&v["passwords"][0]["tags"][0], &TAG_KEYS);
    let v = show(&s, &alice, "folder", &b, "model+passwords").await;
    assert_keys(&v["passwords"][0], &PASSWORD_KEYS);
    let v = show(&s, &alice, "password", &p, "model+folder").await;
    assert_keys(&v, &PASSWORD_KEYS);
    assert_eq!(v["folder"]["id"], b.as_str());
    assert_keys(&v["folder"], &FOLDER_KEYS);
    let v = show(&s, &alice, "folder", &b, "model+revisions").await;
    assert_eq!(v["revisions"].as_array().unwrap().len(), 1);
    assert_eq!(v["revisions"][0]["label"], "B");
    let v = show(&s, &alice, "folder", BASE, "model+folder-ids").await;
    assert!(v["folders"].as_array().unwrap().contains(&json!(a)));
    assert!(!v["folders"].as_array().unwrap().contains(&json!(b)));
});

backend_tests!(hidden_folders, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let (h, _) = create(
        &s,
        &alice,
        "folder",
        json!({"label": "private", "hidden": true}),
    )
    .await;
    assert!(
        list(&s, &alice, "folder", "model").await.is_empty(),
        "hidden folders are not listed"
    );
    assert_eq!(
        show(&s, &alice, "folder", &h, "model").await["hidden"],
        true
    );
    // A visible password cannot live in a hidden folder: it goes to the base folder.
    let (p, _) = create(
        &s,
        &alice,
        "password",
        json!({"label": "P", "password": "x", "folder": h}),
    )
    .await;
    assert_eq!(
        show(&s, &alice, "password", &p, "model").await["folder"],
        BASE
    );
    let (q, _) = create(
        &s,
        &alice,
        "password",
        json!({"label": "Q", "password": "x", "folder": h, "hidden": true}),
    )
    .await;
    assert_eq!(
        show(&s, &alice, "password", &q, "model").await["folder"],
        h.as_str()
    );
    let v = show(&s, &alice, "folder", &h, "model+password-ids").await;
    assert_eq!(v["passwords"], json!([q]));

    // Hiding a folder hides what is inside.
    let (f, _) = create(&s, &alice, "folder", json!({"label": "F"})).await;
    let (inner, _) = create(
        &s,
        &alice,
        "password",
        json!({"label": "I", "password": "x", "folder": f}),
    )
    .await;
    let r = patch(
        &s,
        &alice,
        "/folder/update",
        json!({"id": f, "label": "F", "hidden": true}),
    )
    .await;
    ok(&r, 200);
    assert_eq!(
        show(&s, &alice, "password", &inner, "model").await["hidden"],
        true
    );
    assert_eq!(ids(&list(&s, &alice, "password", "model").await), [p]);
});

backend_tests!(
    trash_suspends_and_restore_unsuspends,
    |backend| async move {
        let s = TestServer::start(backend).await;
        let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
        let (a, _) = create(&s, &alice, "folder", json!({"label": "A"})).await;
        let (b, _) = create(&s, &alice, "folder", json!({"label": "B", "parent": a})).await;
        let (pa, _) = create(
            &s,
            &alice,
            "password",
            json!({"label": "pa", "password": "1", "folder": a}),
        )
        .await;
        let (pb, _) = create(
            &s,
            &alice,
            "password",
            json!({"label": "pb", "password": "2", "folder": b}),
        )
        .await;
        let (outside, _) = create(&s, &alice, "password", password_body("o", "3")).await;

        let r = delete(&s, &alice, "/folder/delete", json!({"id": a})).await;
        let v = ok(&r, 200);
        assert_keys(&v, &["id", "revision"]);
        assert!(list(&s, &alice, "folder", "model").await.is_empty());
        assert_eq!(
            ids(&list(&s, &alice, "password", "model").await),
            [outside.as_str()]
        );
        // The children themselves are not trashed, only suspended.
        assert_eq!(
            show(&s, &alice, "password", &pb, "model").await["trashed"],
            false
        );
        assert_eq!(
            show(&s, &alice, "folder", &b, "model").await["trashed"],
            false
        );
        let suspended = s
            .env
            .sql_strings("SELECT uuid FROM passwords WHERE suspended = 1 ORDER BY uuid")
            .await;
        let mut expected = vec![pa.clone(), pb.clone()];
        expected.sort();
        assert_eq!(suspended, expected);

        let r = patch(&s, &alice, "/folder/restore", json!({"id": a})).await;
        ok(&r, 200);
        let mut listed = ids(&list(&s, &alice, "password", "model").await);
        listed.sort();
        let mut all = vec![pa.clone(), pb.clone(), outside.clone()];
        all.sort();
        assert_eq!(listed, all);
        assert_eq!(list(&s, &alice, "folder", "model").await.len(), 2);

        // Trash again, then delete for good: the subtree goes with it.
        let r = delete(&s, &alice, "/folder/delete", json!({"id": a})).await;
        let rev = ok(&r, 200)["revision"].as_str().unwrap().to_owned();
        let r = delete(
            &s,
            &alice,
            "/folder/delete",
            json!({"id": a, "revision": rev}),
        )
        .await;
        r.expect(200, json!({"id": a}));
        let nf = json!({"status": "error", "id": 404, "message": "Resource not found"});
        for (what, id) in [
            ("folder", &a),
            ("folder", &b),
            ("password", &pa),
            ("password", &pb),
        ] {
            post(&s, &alice, &format!("/{what}/show"), json!({"id": id}))
                .await
                .expect(404, nf.clone());
        }
        assert_eq!(ids(&list(&s, &alice, "password", "model").await), [outside]);
    }
);

backend_tests!(folder_update_and_validation, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    post(&s, &alice, "/folder/create", json!({}))
        .await
        .expect(400, v1_error("Field \"label\" can not be empty"));
    post(
        &s,
        &alice,
        "/folder/create",
        json!({"label": "x", "cseType": "CSEv1r1"}),
    )
    .await
    .expect(400, v1_error("Invalid client side encryption type"));
    let (a, rev) = create(
        &s,
        &alice,
        "folder",
        json!({"label": "A", "favorite": true, "edited": 1_500_000_000}),
    )
    .await;
    patch(
        &s,
        &alice,
        "/folder/update",
        json!({"id": a, "label": "B", "revision": "0b5e3a4c-9d1f-4c2b-8a7e-123456789abc"}),
    )
    .await
    .expect(409, v1_error("Outdated revision id"));
    let r = patch(
        &s,
        &alice,
        "/folder/update",
        json!({"id": a, "label": "B", "revision": rev}),
    )
    .await;
    ok(&r, 200);
    let f = show(&s, &alice, "folder", &a, "model+revisions").await;
    assert_eq!(
        (f["label"].as_str(), f["favorite"].as_bool()),
        (Some("B"), Some(false))
    );
    assert!((f["edited"].as_i64().unwrap() - unix_now()).abs() <= 5);
    assert_eq!(f["revisions"].as_array().unwrap().len(), 2);
    assert_eq!(f["revisions"][0]["edited"], 1_500_000_000);
    // Restore an older revision.
    let r = patch(
        &s,
        &alice,
        "/folder/restore",
        json!({"id": a, "revision": rev}),
    )
    .await;
    ok(&r, 200);
    assert_eq!(show(&s, &alice, "folder", &a, "model").await["label"], "A");
    // find with parent.
    let (c, _) = create(&s, &alice, "folder", json!({"label": "C", "parent": a})).await;
    let r = post(
        &s,
        &alice,
        "/folder/find",
        json!({"criteria": {"parent": a}}),
    )
    .await;
    assert_eq!(ids(ok(&r, 200).as_array().unwrap()), [c]);
    post(
        &s,
        &alice,
        "/folder/find",
        json!({"criteria": {"status": 0}}),
    )
    .await
    .expect(400, v1_error("Illegal field in search criteria"));
});
