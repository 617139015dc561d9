//! API v1 passwords over real HTTP on every backend: create, show, list (GET and POST),
//! update, delete, restore, with the exact key sets, the validation errors, the `edited` and
//! `hash` rules, hidden passwords, the `tags` rules and revisions.

#[macro_use]
mod common;
mod v1;

use common::*;
use v1::*;

backend_tests!(create_show_list_exact_keys, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let before = unix_now();
    let custom = r#"[{"label":"PIN","type":"secret","value":"1234"}]"#;
    let (id, rev) = create(
        &s,
        &alice,
        "password",
        json!({
            "label": "Nextcloud", "username": "alice", "password": "test",
            "url": "https://cloud.example.com", "notes": "n", "customFields": custom,
            "favorite": true, "hash": "ignored", "cseType": "none", "cseKey": "",
        }),
    )
    .await;

    let p = show(&s, &alice, "password", &id, "model").await;
    assert_keys(&p, &PASSWORD_KEYS);
    assert_eq!(p["id"], id.as_str());
    assert_eq!(p["revision"], rev.as_str());
    assert_eq!(p["label"], "Nextcloud");
    assert_eq!(p["username"], "alice");
    assert_eq!(p["password"], "test");
    assert_eq!(p["url"], "https://cloud.example.com");
    assert_eq!(p["notes"], "n");
    assert_eq!(
        p["customFields"], custom,
        "kept as the string the client sent"
    );
    assert_eq!(
        p["hash"], SHA1_TEST,
        "computed by the server, the client's is ignored"
    );
    assert_eq!(p["status"], 0);
    assert_eq!(p["statusCode"], "GOOD");
    assert_eq!(p["folder"], BASE);
    assert_eq!(p["share"], Value::Null);
    assert_eq!(p["shared"], false);
    assert_eq!(
        (p["cseType"].as_str(), p["cseKey"].as_str()),
        (Some("none"), Some(""))
    );
    assert_eq!(p["sseType"], "SSEv1r2");
    assert_eq!(
        (p["hidden"].as_bool(), p["trashed"].as_bool()),
        (Some(false), Some(false))
    );
    assert_eq!(
        (p["favorite"].as_bool(), p["editable"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(p["client"], "test", "the app password's name");
    for k in ["created", "updated", "edited"] {
        let t = p[k]
            .as_i64()
            .unwrap_or_else(|| panic!("{k} is an integer: {p}"));
        assert!(t >= before && t <= unix_now() + 1, "{k} = {t}");
        assert!(t <= i64::from(i32::MAX), "{k} fits Int32");
    }

    // Android: GET password/list, strict 25 keys.
    let r = get(&s, &alice, "/password/list").await;
    let all = ok(&r, 200);
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert_keys(&all[0], &PASSWORD_KEYS);
    assert_eq!(all[0], p);
    assert!(r.header("x-api-session").is_some_and(|h| !h.is_empty()));
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));

    // iOS: POST password/list {details:"model+tag-ids"} → the 25 keys plus `tags`.
    let l = list(&s, &alice, "password", "model+tag-ids").await;
    let mut expected: Vec<&str> = PASSWORD_KEYS.to_vec();
    expected.push("tags");
    assert_keys(&l[0], &expected);
    assert_eq!(l[0]["tags"], json!([]));

    // Without `model`: {id, revision}.
    let p = show(&s, &alice, "password", &id, "tag-ids").await;
    assert_eq!(p, json!({"id": id, "revision": rev, "tags": []}));

    // Query parameters work for GET: `+` in a query string arrives as a space.
    let r = get(&s, &alice, "/password/list?details=model+tag-ids").await;
    assert_eq!(ok(&r, 200), json!(l));
    let r = get(
        &s,
        &alice,
        &format!("/password/show?id={id}&details=tag-ids"),
    )
    .await;
    assert_eq!(ok(&r, 200), json!({"id": id, "revision": rev, "tags": []}));

    // The pretty prefix serves the same.
    let r = Resp::send(s.request(
        Method::GET,
        &s.raw_url("/apps/passwords/api/1.0/password/list"),
        Some(&alice),
    ))
    .await;
    assert_eq!(ok(&r, 200), all);
});

backend_tests!(
    bad_input_is_refused_and_changes_nothing,
    |backend| async move {
        let s = TestServer::start(backend).await;
        let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
        let cases = [
            (json!({"password": "x"}), "Field \"label\" can not be empty"),
            (
                json!({"label": "", "password": "x"}),
                "Field \"label\" can not be empty",
            ),
            (json!({"label": "L"}), "Field \"password\" can not be empty"),
            (
                json!({"label": "L", "password": ""}),
                "Field \"password\" can not be empty",
            ),
            (
                json!({"label": "L", "password": "x", "cseType": "CSEv1r1", "cseKey": "k"}),
                "Invalid client side encryption type",
            ),
            (
                json!({"label": "L", "password": "x", "cseType": "none", "cseKey": "k"}),
                "Invalid client side encryption type",
            ),
            (
                json!({"label": "L", "password": "x", "tags": ["0b5e3a4c-9d1f-4c2b-8a7e-123456789abc"]}),
                "Tag does not exist",
            ),
            (
                json!({"label": "L", "password": "x", "tags": ["nope"]}),
                "Tag does not exist",
            ),
        ];
        for (body, message) in cases {
            let r = post(&s, &alice, "/password/create", body.clone()).await;
            r.expect(400, v1_error(message));
        }
        let r = post(
            &s,
            &alice,
            "/password/create",
            json!({"label": "L", "password": "x", "hidden": "maybe"}),
        )
        .await;
        assert_eq!(r.status.as_u16(), 400, "{}", r.text);
        assert_eq!(
            list(&s, &alice, "password", "model").await,
            Vec::<Value>::new()
        );
        assert_eq!(
            s.env.sql_strings("SELECT uuid FROM passwords").await.len(),
            0
        );
        assert_eq!(
            s.env
                .sql_strings("SELECT uuid FROM password_revisions")
                .await
                .len(),
            0
        );

        // Malformed JSON, wrong method, unknown route.
        let r = Resp::send(
            s.request(
                Method::POST,
                &s.raw_url(&format!("{V1}/password/create")),
                Some(&alice),
            )
            .header("content-type", "application/json")
            .body("{nope"),
        )
        .await;
        assert_eq!(r.status.as_u16(), 400);
        let r = v1(&s, &alice, Method::GET, "/password/create", None).await;
        assert_eq!(r.status.as_u16(), 405, "{}", r.text);
        let r = get(&s, &alice, "/password/nothing").await;
        r.expect(
            404,
            json!({"status": "error", "id": 404, "message": "Resource not found"}),
        );

        // Unknown and unknowable ids.
        let not_found = json!({"status": "error", "id": 404, "message": "Resource not found"});
        for id in [
            json!("0b5e3a4c-9d1f-4c2b-8a7e-123456789abc"),
            json!("x"),
            json!(12),
            Value::Null,
        ] {
            let r = post(&s, &alice, "/password/show", json!({"id": id})).await;
            r.expect(404, not_found.clone());
        }
    }
);

backend_tests!(type_juggling_and_unknown_params, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    // iOS sends the whole object on create, with fractional seconds and `revision: ""`.
    let (id, _) = create(
        &s,
        &alice,
        "password",
        json!({
            "id": "", "revision": "", "label": 12, "password": "password", "status": 3,
            "statusCode": "BAD", "client": "spoofed", "created": 5, "updated": 6,
            "edited": 1_700_000_000.9, "hidden": "false", "favorite": 1, "share": null,
            "shared": true, "editable": false, "sseType": "none", "tags": [],
        }),
    )
    .await;
    let p = show(&s, &alice, "password", &id, "model").await;
    assert_eq!(p["label"], "12");
    assert_eq!(p["edited"], 1_700_000_000, "fractional seconds are cut");
    assert_eq!(p["hidden"], false);
    assert_eq!(p["favorite"], true);
    assert_eq!(p["client"], "test");
    assert_eq!(p["statusCode"], "GOOD");
    assert_eq!(p["sseType"], "SSEv1r2");
    assert_eq!(p["editable"], true);
    assert_eq!(p["hash"], SHA1_PASSWORD);
    assert!(p["created"].as_i64().unwrap() > 6);

    // Numeric strings for `edited`; `0` and far future become now.
    let (id2, _) = create(
        &s,
        &alice,
        "password",
        json!({"label": "a", "password": "b", "edited": "1600000000"}),
    )
    .await;
    assert_eq!(
        show(&s, &alice, "password", &id2, "model").await["edited"],
        1_600_000_000
    );
    for edited in [json!(0), json!(unix_now() + 3 * 3600)] {
        let (id3, _) = create(
            &s,
            &alice,
            "password",
            json!({"label": "a", "password": "b", "edited": edited}),
        )
        .await;
        let e = show(&s, &alice, "password", &id3, "model").await["edited"]
            .as_i64()
            .unwrap();
        assert!((e - unix_now()).abs() <= 5, "edited {e} is now");
    }
    // Form bodies work too.
    let r = Resp::send(
        s.request(
            Method::POST,
            &s.raw_url(&format!("{V1}/password/create")),
            Some(&alice),
        )
        .form(&[("label", "form"), ("password", "pw"), ("favorite", "true")]),
    )
    .await;
    let v = ok(&r, 201);
    let p = show(&s, &alice, "password", v["id"].as_str().unwrap(), "model").await;
    assert_eq!(
        (p["label"].as_str(), p["favorite"].as_bool()),
        (Some("form"), Some(true))
    );
});

backend_tests!(update_replaces_the_object, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let (tag, _) = create(&s, &alice, "tag", json!({"label": "T", "color": "#ff0000"})).await;
    let (id, rev1) = create(
        &s,
        &alice,
        "password",
        json!({"label": "L", "username": "u", "password": "test", "notes": "n",
               "favorite": true, "edited": 1_600_000_000, "tags": [tag]}),
    )
    .await;

    // Stale revision → 409, nothing changes.
    let stale = "0b5e3a4c-9d1f-4c2b-8a7e-123456789abc";
    let r = patch(
        &s,
        &alice,
        "/password/update",
        json!({"id": id, "revision": stale, "label": "X", "password": "y"}),
    )
    .await;
    r.expect(409, v1_error("Outdated revision id"));
    assert_eq!(
        show(&s, &alice, "password", &id, "model").await["revision"],
        rev1.as_str()
    );

    // Same password, whole-object replace: left-out fields get their defaults, tags stay.
    let r = patch(
        &s,
        &alice,
        "/password/update",
        json!({"id": id, "revision": rev1, "label": "L2", "password": "test", "tags": []}),
    )
    .await;
    let v = ok(&r, 200);
    assert_keys(&v, &["id", "revision"]);
    let rev2 = v["revision"].as_str().unwrap().to_owned();
    assert_ne!(rev2, rev1);
    let p = show(&s, &alice, "password", &id, "model+tag-ids").await;
    assert_eq!(p["revision"], rev2.as_str());
    assert_eq!(
        (p["label"].as_str(), p["username"].as_str()),
        (Some("L2"), Some(""))
    );
    assert_eq!(
        (p["notes"].as_str(), p["favorite"].as_bool()),
        (Some(""), Some(false))
    );
    assert_eq!(
        p["edited"], 1_600_000_000,
        "hash unchanged and edited 0: the old edited stays"
    );
    assert_eq!(p["tags"], json!([tag]));

    // A new password moves `edited` to now when the client did not move it forward.
    let r = patch(
        &s,
        &alice,
        "/password/update",
        json!({"id": id, "label": "L2", "password": "password", "edited": 1_600_000_000}),
    )
    .await;
    ok(&r, 200);
    let p = show(&s, &alice, "password", &id, "model+tag-ids").await;
    assert_eq!(p["hash"], SHA1_PASSWORD);
    assert!((p["edited"].as_i64().unwrap() - unix_now()).abs() <= 5);
    assert_eq!(p["tags"], json!([tag]), "missing tags leave the tags");

    // `tags: [""]` removes them all; the trash state survives an update.
    let r = delete(&s, &alice, "/password/delete", json!({"id": id})).await;
    ok(&r, 200);
    let r = patch(
        &s,
        &alice,
        "/password/update",
        json!({"id": id, "label": "L3", "password": "password", "tags": [""]}),
    )
    .await;
    ok(&r, 200);
    let p = show(&s, &alice, "password", &id, "model+tag-ids").await;
    assert_eq!(p["tags"], json!([]));
    assert_eq!(p["trashed"], true);
    assert_eq!(p["label"], "L3");

    // Validation on update: nothing changes.
    let before = show(&s, &alice, "password", &id, "model").await;
    let r = patch(
        &s,
        &alice,
        "/password/update",
        json!({"id": id, "label": "L"}),
    )
    .await;
    r.expect(400, v1_error("Field \"password\" can not be empty"));
    let r = patch(
        &s,
        &alice,
        "/password/update",
        json!({"id": id, "label": "L", "password": "p", "cseType": "CSEv1r1"}),
    )
    .await;
    r.expect(400, v1_error("Invalid client side encryption type"));
    assert_eq!(show(&s, &alice, "password", &id, "model").await, before);

    // Every revision records its client: a login-password client is named by its User-Agent.
    let login = User::new("alice", "alice login password");
    let r = Resp::send(
        s.request(
            Method::PATCH,
            &s.raw_url(&format!("{V1}/password/update")),
            Some(&login),
        )
        .header("user-agent", "Passwords Tester (iOS)")
        .json(&json!({"id": id, "label": "L4", "password": "password"})),
    )
    .await;
    ok(&r, 200);
    let p = show(&s, &alice, "password", &id, "model+revisions").await;
    assert_eq!(p["client"], "Passwords Tester (iOS)");
    let revisions = p["revisions"].as_array().unwrap();
    assert_eq!(
        revisions.len(),
        6,
        "create, update, update, trash, update, update"
    );
    for r in revisions {
        assert_keys(r, &PASSWORD_REVISION_KEYS);
    }
    assert_eq!(revisions[0]["id"], rev1.as_str());
    assert_eq!(revisions[0]["client"], "test");
    assert_eq!(revisions[0]["label"], "L");
});

// `list` at level `revisions` hands every object exactly its own revisions, oldest first.
backend_tests!(list_with_revisions, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let (a, a1) = create(&s, &alice, "password", password_body("A", "pa")).await;
    let (b, b1) = create(&s, &alice, "password", password_body("B", "pb")).await;
    let r = patch(
        &s,
        &alice,
        "/password/update",
        json!({"id": a, "label": "A2", "password": "pa2"}),
    )
    .await;
    let a2 = ok(&r, 200)["revision"].as_str().unwrap().to_owned();
    let listed = list(&s, &alice, "password", "model+revisions").await;
    assert_eq!(listed.len(), 2);
    for p in &listed {
        let ids: Vec<&str> = p["revisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        let labels: Vec<&str> = p["revisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["label"].as_str().unwrap())
            .collect();
        if p["id"] == a.as_str() {
            assert_eq!(
                (ids, labels),
                (vec![a1.as_str(), a2.as_str()], vec!["A", "A2"])
            );
        } else {
            assert_eq!(p["id"], b.as_str());
            assert_eq!((ids, labels), (vec![b1.as_str()], vec!["B"]));
        }
    }
});

backend_tests!(delete_trash_purge_restore, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let (id, rev1) = create(&s, &alice, "password", password_body("L", "one")).await;
    let r = patch(
        &s,
        &alice,
        "/password/update",
        json!({"id": id, "label": "L", "password": "two"}),
    )
    .await;
    let rev2 = ok(&r, 200)["revision"].as_str().unwrap().to_owned();

    // Restore of a live current revision changes nothing.
    let r = patch(&s, &alice, "/password/restore", json!({"id": id})).await;
    assert_eq!(ok(&r, 200), json!({"id": id, "revision": rev2}));

    // Trash: {id, revision}; the password leaves the list, show still has it.
    let r = delete(
        &s,
        &alice,
        "/password/delete",
        json!({"id": id, "revision": rev2}),
    )
    .await;
    let v = ok(&r, 200);
    assert_keys(&v, &["id", "revision"]);
    let rev3 = v["revision"].as_str().unwrap().to_owned();
    assert_eq!(list(&s, &alice, "password", "model").await.len(), 0);
    let p = show(&s, &alice, "password", &id, "model").await;
    assert_eq!(
        (p["trashed"].as_bool(), p["revision"].as_str()),
        (Some(true), Some(rev3.as_str()))
    );
    // The web UI's trash view.
    let r = post(
        &s,
        &alice,
        "/password/find",
        json!({"criteria": {"trashed": true}}),
    )
    .await;
    assert_eq!(ids(ok(&r, 200).as_array().unwrap()), [id.as_str()]);

    // Restore the first revision: its content comes back, not trashed.
    let r = patch(
        &s,
        &alice,
        "/password/restore",
        json!({"id": id, "revision": rev1}),
    )
    .await;
    let v = ok(&r, 200);
    let rev4 = v["revision"].as_str().unwrap().to_owned();
    assert!(![&rev1, &rev2, &rev3].contains(&&rev4));
    let p = show(&s, &alice, "password", &id, "model").await;
    assert_eq!(
        (p["password"].as_str(), p["trashed"].as_bool()),
        (Some("one"), Some(false))
    );
    assert_eq!(list(&s, &alice, "password", "model").await.len(), 1);
    // Restoring a revision of another password or no revision at all: 400.
    let (other, other_rev) = create(&s, &alice, "password", password_body("O", "o")).await;
    for bad in [json!(other_rev), json!("nope")] {
        let r = patch(
            &s,
            &alice,
            "/password/restore",
            json!({"id": id, "revision": bad}),
        )
        .await;
        r.expect(400, v1_error("Invalid revision id"));
    }

    // Delete twice: trash, then for good ({id}); a stale revision on the second → 400.
    let r = delete(&s, &alice, "/password/delete", json!({"id": id})).await;
    let trashed_rev = ok(&r, 200)["revision"].as_str().unwrap().to_owned();
    let r = delete(
        &s,
        &alice,
        "/password/delete",
        json!({"id": id, "revision": rev1}),
    )
    .await;
    r.expect(400, v1_error("Outdated revision id"));
    let r = delete(
        &s,
        &alice,
        "/password/delete",
        json!({"id": id, "revision": trashed_rev}),
    )
    .await;
    r.expect(200, json!({"id": id}));
    let not_found = json!({"status": "error", "id": 404, "message": "Resource not found"});
    post(&s, &alice, "/password/show", json!({"id": id}))
        .await
        .expect(404, not_found.clone());
    delete(&s, &alice, "/password/delete", json!({"id": id}))
        .await
        .expect(404, not_found.clone());
    patch(&s, &alice, "/password/restore", json!({"id": id}))
        .await
        .expect(404, not_found);
    let left = s
        .env
        .sql_strings(&format!(
            "SELECT uuid FROM password_revisions WHERE model = '{id}'"
        ))
        .await;
    assert!(left.is_empty(), "revisions are gone: {left:?}");
    assert_eq!(ids(&list(&s, &alice, "password", "model").await), [other]);
});

backend_tests!(hidden_passwords_and_duplicates, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let (hidden, _) = create(
        &s,
        &alice,
        "password",
        json!({"label": "private", "password": "test", "hidden": true}),
    )
    .await;
    let (visible, _) = create(&s, &alice, "password", password_body("public", "test")).await;
    assert_eq!(
        ids(&list(&s, &alice, "password", "model").await),
        [visible.as_str()]
    );
    let r = post(&s, &alice, "/password/find", json!({"criteria": {}})).await;
    assert_eq!(ids(ok(&r, 200).as_array().unwrap()), [visible.as_str()]);
    let p = show(&s, &alice, "password", &hidden, "model").await;
    assert_eq!(p["hidden"], true);
    // Both have the same hash: DUPLICATE, status 1.
    assert_eq!(p["statusCode"], "DUPLICATE");
    assert_eq!(p["status"], 1);
    let v = show(&s, &alice, "password", &visible, "model").await;
    assert_eq!(v["statusCode"], "DUPLICATE");
    // Changing one clears both.
    let r = patch(
        &s,
        &alice,
        "/password/update",
        json!({"id": visible, "label": "public", "password": "other"}),
    )
    .await;
    ok(&r, 200);
    assert_eq!(
        show(&s, &alice, "password", &hidden, "model").await["statusCode"],
        "GOOD"
    );
    assert_eq!(
        show(&s, &alice, "password", &visible, "model").await["statusCode"],
        "GOOD"
    );
    // A hidden password cannot be seen by the legacy API; the visible one can.
    let legacy = s.get(&alice, "/passwords").await;
    let all = legacy.json();
    assert_eq!(all.as_object().unwrap().len(), 1, "{all}");
});

backend_tests!(find_criteria_and_detail_levels, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let (old, _) = create(
        &s,
        &alice,
        "password",
        json!({"label": "old", "password": "1", "edited": 1_500_000_000, "favorite": true}),
    )
    .await;
    let (new, _) = create(&s, &alice, "password", password_body("new", "2")).await;
    let (trashed, _) = create(&s, &alice, "password", password_body("trashed", "3")).await;
    ok(
        &delete(&s, &alice, "/password/delete", json!({"id": trashed})).await,
        200,
    );
    let find = |criteria: Value| {
        let s = &s;
        let alice = &alice;
        async move {
            let r = post(s, alice, "/password/find", json!({"criteria": criteria})).await;
            let mut found = ids(ok(&r, 200).as_array().unwrap());
            found.sort();
            found
        }
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let now = unix_now();
    assert_eq!(find(json!({"favorite": true})).await, [old.as_str()]);
    assert_eq!(find(json!({"favorite": "false"})).await, [new.as_str()]);
    assert_eq!(
        find(json!({"edited": ["lt", 1_600_000_000]})).await,
        [old.as_str()]
    );
    assert_eq!(
        find(json!({"edited": ["ge", now - 60]})).await,
        [new.as_str()]
    );
    assert_eq!(
        find(json!({"edited": ["gt", 1_500_000_000]})).await,
        [new.as_str()]
    );
    assert_eq!(
        find(json!({"edited": ["le", 1_500_000_000]})).await,
        [old.as_str()]
    );
    assert_eq!(
        find(json!({"favorite": ["ne", true]})).await,
        [new.as_str()]
    );
    assert_eq!(
        find(json!({"status": ["eq", 0], "cseType": "none", "sseType": "SSEv1r2"})).await,
        sorted(vec![old.clone(), new.clone()])
    );
    assert_eq!(find(json!({"trashed": true})).await, [trashed.as_str()]);
    assert_eq!(
        find(json!({"created": ["gt", 0], "updated": ["gt", 0]})).await,
        sorted(vec![old.clone(), new.clone()])
    );
    let illegal_field = v1_error("Illegal field in search criteria");
    for bad in [
        json!({"label": "old"}),
        json!({"hidden": true}),
        json!({"parent": BASE}),
    ] {
        post(&s, &alice, "/password/find", json!({"criteria": bad}))
            .await
            .expect(400, illegal_field.clone());
    }
    post(
        &s,
        &alice,
        "/password/find",
        json!({"criteria": {"edited": ["like", 1]}}),
    )
    .await
    .expect(400, v1_error("Illegal operator in search criteria"));
    // find takes detail levels too.
    let r = post(
        &s,
        &alice,
        "/password/find",
        json!({"criteria": {"favorite": true}, "details": "model+tag-ids+revisions"}),
    )
    .await;
    let found = ok(&r, 200);
    assert_keys(
        &found[0],
        &[&PASSWORD_KEYS[..], &["revisions", "tags"]].concat(),
    );

    // `folder` detail: the folder object, or the base folder when it is hidden and the
    // password is not; without `model` the object is {id, revision, …}.
    let (hidden_folder, _) =
        create(&s, &alice, "folder", json!({"label": "H", "hidden": true})).await;
    let (in_hidden, _) = create(
        &s,
        &alice,
        "password",
        json!({"label": "x", "password": "y", "hidden": true, "folder": hidden_folder}),
    )
    .await;
    let v = show(&s, &alice, "password", &in_hidden, "model+folder").await;
    assert_eq!(v["folder"]["id"], hidden_folder.as_str());
    let v = show(&s, &alice, "password", &old, "folder+revisions").await;
    assert_keys(&v, &["id", "revision", "revisions", "folder"]);
    assert_eq!(v["folder"]["id"], BASE);
    assert_eq!(v["folder"]["label"], "Home");
    assert_keys(&v["folder"], &FOLDER_KEYS);
    assert_eq!(v["revisions"].as_array().unwrap().len(), 1);
    assert_keys(&v["revisions"][0], &PASSWORD_REVISION_KEYS);
    // A suspended password (its folder is trashed) is neither listed nor found.
    let (f, _) = create(&s, &alice, "folder", json!({"label": "F"})).await;
    let (inside, _) = create(
        &s,
        &alice,
        "password",
        json!({"label": "in", "password": "4", "folder": f}),
    )
    .await;
    assert!(find(json!({})).await.contains(&inside));
    ok(
        &delete(&s, &alice, "/folder/delete", json!({"id": f})).await,
        200,
    );
    assert!(!find(json!({})).await.contains(&inside));
    assert!(!ids(&list(&s, &alice, "password", "model").await).contains(&inside));
    assert_eq!(
        show(&s, &alice, "password", &inside, "model").await["trashed"],
        false
    );
});
