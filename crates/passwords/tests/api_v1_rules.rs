//! API v1 write and search rules over real HTTP on every backend that the per-kind files do
//! not reach: `find` on revision times, hiding a folder's subtree, the parent rule for
//! folders, the `edited` horizons and update rules, trash rules of folders and tags, and the
//! `client` of every kind of revision.

#[macro_use]
mod common;
mod v1;

use common::*;
use v1::*;

/// The ids `find` answers, sorted; `details` is sent only when given.
async fn find(
    s: &TestServer,
    user: &User,
    what: &str,
    criteria: Value,
    details: Option<&str>,
) -> Vec<String> {
    let mut body = json!({ "criteria": criteria });
    if let Some(d) = details {
        body["details"] = json!(d);
    }
    let r = post(s, user, &format!("/{what}/find"), body).await;
    let mut found = ids(ok(&r, 200).as_array().unwrap());
    found.sort();
    found
}

/// A request signed in with alice's login password: the client is named by `agent`.
async fn as_agent(s: &TestServer, agent: &str, method: Method, path: &str, body: Value) -> Resp {
    let login = User::new("alice", "alice login password");
    let rb = s
        .request(method, &s.raw_url(&format!("{V1}{path}")), Some(&login))
        .header("user-agent", agent)
        .json(&body);
    Resp::send(rb).await
}

/// The `edited` of an object.
async fn edited_of(s: &TestServer, user: &User, what: &str, id: &str) -> i64 {
    show(s, user, what, id, "model").await["edited"]
        .as_i64()
        .unwrap()
}

#[track_caller]
fn assert_now(t: i64, what: &str) {
    assert!((t - unix_now()).abs() <= 5, "{what}: {t} is not now");
}

// Reference §2.4: criteria compare with the current revision, so `created`/`updated` are
// the revision's times, not the model's that the objects show (§1.2). The two are set apart
// in the database; both answer paths of password/find (the fast `model` one and the generic
// one of other levels) and folder/tag find are checked.
backend_tests!(find_compares_revision_times, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let (p, _) = create(&s, &alice, "password", password_body("P", "x")).await;
    let (f, _) = create(&s, &alice, "folder", json!({"label": "F"})).await;
    let (t, _) = create(&s, &alice, "tag", json!({"label": "T", "color": "#fff"})).await;
    // Others of each kind, left at now: the criteria must single out the changed ones.
    create(&s, &alice, "password", password_body("Q", "y")).await;
    create(&s, &alice, "folder", json!({"label": "G"})).await;
    create(&s, &alice, "tag", json!({"label": "U", "color": "#000"})).await;
    for (what, models, revisions, id) in [
        ("password", "passwords", "password_revisions", &p),
        ("folder", "folders", "folder_revisions", &f),
        ("tag", "tags", "tag_revisions", &t),
    ] {
        s.env
            .sql(&format!(
                "UPDATE {models} SET created = 1000000000, updated = 1000000100 WHERE uuid = '{id}'"
            ))
            .await;
        s.env
            .sql(&format!(
                "UPDATE {revisions} SET created = 1300000000, updated = 1300000100 WHERE model = '{id}'"
            ))
            .await;
        let v = show(&s, &alice, what, id, "model").await;
        assert_eq!(
            (v["created"].as_i64(), v["updated"].as_i64()),
            (Some(1_000_000_000), Some(1_000_000_100)),
            "objects show the model's times"
        );
        let details: &[Option<&str>] = match what {
            "password" => &[None, Some("model+revisions")],
            _ => &[None],
        };
        for &d in details {
            let only = vec![id.clone()];
            let none: Vec<String> = Vec::new();
            assert_eq!(
                find(&s, &alice, what, json!({"created": 1_300_000_000}), d).await,
                only
            );
            assert_eq!(
                find(
                    &s,
                    &alice,
                    what,
                    json!({"updated": ["eq", 1_300_000_100]}),
                    d
                )
                .await,
                only
            );
            assert_eq!(
                find(
                    &s,
                    &alice,
                    what,
                    json!({"created": ["lt", 1_200_000_000]}),
                    d
                )
                .await,
                none,
                "the model's created is not searched"
            );
            assert_eq!(
                find(
                    &s,
                    &alice,
                    what,
                    json!({"updated": ["le", 1_000_000_100]}),
                    d
                )
                .await,
                none,
                "the model's updated is not searched"
            );
            assert_eq!(
                find(
                    &s,
                    &alice,
                    what,
                    json!({"created": ["lt", 1_400_000_000]}),
                    d
                )
                .await,
                only
            );
        }
    }
});

// Reference §1.4: hiding a folder hides all its subfolders and passwords, at every depth,
// each with a new hidden revision.
backend_tests!(hiding_a_folder_hides_its_subfolders, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let (a, _) = create(&s, &alice, "folder", json!({"label": "A"})).await;
    let (b, b1) = create(&s, &alice, "folder", json!({"label": "B", "parent": a})).await;
    let (c, _) = create(&s, &alice, "folder", json!({"label": "C", "parent": b})).await;
    let (outside, _) = create(&s, &alice, "folder", json!({"label": "O"})).await;
    let (deep, _) = create(
        &s,
        &alice,
        "password",
        json!({"label": "deep", "password": "x", "folder": c}),
    )
    .await;
    let r = patch(
        &s,
        &alice,
        "/folder/update",
        json!({"id": a, "label": "A", "hidden": true}),
    )
    .await;
    ok(&r, 200);
    for (id, parent) in [(&b, &a), (&c, &b)] {
        let v = show(&s, &alice, "folder", id, "model+revisions").await;
        assert_eq!(
            (v["hidden"].as_bool(), v["parent"].as_str()),
            (Some(true), Some(parent.as_str())),
            "a subfolder is hidden and stays where it is"
        );
        let revisions = v["revisions"].as_array().unwrap();
        assert_eq!(revisions.len(), 2, "one new revision: {v}");
        assert_eq!(revisions[1]["id"], v["revision"]);
        assert_eq!(revisions[0]["hidden"], false);
    }
    assert_ne!(
        show(&s, &alice, "folder", &b, "model").await["revision"],
        b1.as_str()
    );
    assert_eq!(
        show(&s, &alice, "password", &deep, "model").await["hidden"],
        true
    );
    assert_eq!(
        show(&s, &alice, "folder", &outside, "model").await["hidden"],
        false
    );
    assert_eq!(
        ids(&list(&s, &alice, "folder", "model").await),
        std::slice::from_ref(&outside)
    );
    assert_eq!(
        find(&s, &alice, "folder", json!({}), None).await,
        std::slice::from_ref(&outside)
    );
});

// Reference §1.4: a visible folder cannot live in a hidden folder; it goes to the base
// folder, on create and on update. A hidden one may.
backend_tests!(
    a_visible_folder_under_a_hidden_parent_goes_to_the_base,
    |backend| async move {
        let s = TestServer::start(backend).await;
        let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
        let (h, _) = create(&s, &alice, "folder", json!({"label": "H", "hidden": true})).await;
        let parent_of = |id: String| {
            let s = &s;
            let alice = &alice;
            async move {
                show(s, alice, "folder", &id, "model").await["parent"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            }
        };
        let (v, _) = create(&s, &alice, "folder", json!({"label": "V", "parent": h})).await;
        assert_eq!(parent_of(v.clone()).await, BASE);
        let (hv, _) = create(
            &s,
            &alice,
            "folder",
            json!({"label": "HV", "parent": h, "hidden": true}),
        )
        .await;
        assert_eq!(parent_of(hv).await, h);
        // Update: moving the visible folder into the hidden one lands it in the base folder;
        // moving it as a hidden folder keeps the parent.
        let r = patch(
            &s,
            &alice,
            "/folder/update",
            json!({"id": v, "label": "V", "parent": h}),
        )
        .await;
        ok(&r, 200);
        assert_eq!(parent_of(v.clone()).await, BASE);
        let r = patch(
            &s,
            &alice,
            "/folder/update",
            json!({"id": v, "label": "V", "parent": h, "hidden": true}),
        )
        .await;
        ok(&r, 200);
        assert_eq!(parent_of(v.clone()).await, h);
        // Made visible again in place: back to the base folder.
        let r = patch(
            &s,
            &alice,
            "/folder/update",
            json!({"id": v, "label": "V", "parent": h, "hidden": false}),
        )
        .await;
        ok(&r, 200);
        assert_eq!(parent_of(v).await, BASE);
    }
);

// Reference §1.7: `edited` more than 1 h in the future becomes now for folders and tags
// (2 h for passwords), on create and on update; within the horizon it is kept.
backend_tests!(folder_and_tag_edited_horizon, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let soon = unix_now() + 3_000;
    let later = unix_now() + 5_400;
    for (what, extra) in [("folder", json!({})), ("tag", json!({"color": "#abcdef"}))] {
        let body = |edited: i64| {
            let mut b = extra.clone();
            b["label"] = json!("L");
            b["edited"] = json!(edited);
            b
        };
        let (kept, _) = create(&s, &alice, what, body(soon)).await;
        assert_eq!(edited_of(&s, &alice, what, &kept).await, soon, "{what}");
        let (now_id, _) = create(&s, &alice, what, body(later)).await;
        assert_now(edited_of(&s, &alice, what, &now_id).await, what);
        let (zero, _) = create(&s, &alice, what, body(0)).await;
        assert_now(edited_of(&s, &alice, what, &zero).await, what);

        let mut update = body(1_500_000_000);
        update["id"] = json!(kept);
        ok(
            &patch(&s, &alice, &format!("/{what}/update"), update.clone()).await,
            200,
        );
        assert_eq!(edited_of(&s, &alice, what, &kept).await, 1_500_000_000);
        update["edited"] = json!(soon);
        ok(
            &patch(&s, &alice, &format!("/{what}/update"), update.clone()).await,
            200,
        );
        assert_eq!(edited_of(&s, &alice, what, &kept).await, soon);
        update["edited"] = json!(later);
        ok(
            &patch(&s, &alice, &format!("/{what}/update"), update).await,
            200,
        );
        assert_now(edited_of(&s, &alice, what, &kept).await, what);
    }
    // The same 1.5 h ahead is within a password's 2 h.
    let (p, _) = create(
        &s,
        &alice,
        "password",
        json!({"label": "P", "password": "x", "edited": later}),
    )
    .await;
    assert_eq!(edited_of(&s, &alice, "password", &p).await, later);
});

// Reference §1.7 and password_write.rs: on update with a changed hash a client that moved
// `edited` forward keeps its value (within the horizon); with the hash unchanged any
// non-zero `edited` the client sends is kept, earlier ones too.
backend_tests!(password_update_edited_rules, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let (id, _) = create(
        &s,
        &alice,
        "password",
        json!({"label": "L", "password": "one", "edited": 1_600_000_000}),
    )
    .await;
    let update = |password: &str, edited: i64| {
        let s = &s;
        let alice = &alice;
        let id = id.clone();
        let body = json!({"id": id, "label": "L", "password": password, "edited": edited});
        async move {
            ok(&patch(s, alice, "/password/update", body).await, 200);
            edited_of(s, alice, "password", &id).await
        }
    };
    // (a) hash changed, edited moved forward: the client's value.
    assert_eq!(update("two", 1_650_000_000).await, 1_650_000_000);
    // Hash changed, edited moved forward but beyond the 2 h horizon: now.
    let e = update("three", unix_now() + 3 * 3600).await;
    assert_now(e, "beyond the horizon");
    // (b) hash unchanged, a non-zero edited: kept, though it is earlier than the old one.
    assert_eq!(update("three", 1_550_000_000).await, 1_550_000_000);
    assert_eq!(update("three", 1_560_000_000).await, 1_560_000_000);
    // Hash unchanged and 0: the old value.
    assert_eq!(update("three", 0).await, 1_560_000_000);
    // Hash changed, edited moved back: now.
    assert_now(update("four", 1_500_000_000).await, "moved back");
});

// Reference §1.2, §1.4, §2.3: for folders and tags as for passwords, an update keeps
// `trashed`, a second delete with a stale revision is a 400 that deletes nothing, and find
// takes detail levels.
backend_tests!(
    folder_and_tag_trash_rules_and_find_details,
    |backend| async move {
        let s = TestServer::start(backend).await;
        let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
        let (p, _) = create(&s, &alice, "password", password_body("P", "x")).await;
        for (what, extra) in [("folder", json!({})), ("tag", json!({"color": "#123456"}))] {
            let mut body = extra.clone();
            body["label"] = json!("L");
            let (id, first) = create(&s, &alice, what, body.clone()).await;
            let r = delete(&s, &alice, &format!("/{what}/delete"), json!({"id": id})).await;
            ok(&r, 200);
            body["id"] = json!(id);
            body["label"] = json!("L2");
            ok(
                &patch(&s, &alice, &format!("/{what}/update"), body.clone()).await,
                200,
            );
            let v = show(&s, &alice, what, &id, "model").await;
            assert_eq!(
                (v["label"].as_str(), v["trashed"].as_bool()),
                (Some("L2"), Some(true)),
                "{what}: update keeps trashed"
            );
            let current = v["revision"].as_str().unwrap().to_owned();
            delete(
                &s,
                &alice,
                &format!("/{what}/delete"),
                json!({"id": id, "revision": first}),
            )
            .await
            .expect(400, v1_error("Outdated revision id"));
            assert_eq!(
                show(&s, &alice, what, &id, "model").await["revision"],
                current.as_str(),
                "{what}: nothing deleted"
            );
            delete(
                &s,
                &alice,
                &format!("/{what}/delete"),
                json!({"id": id, "revision": current}),
            )
            .await
            .expect(200, json!({"id": id}));
        }

        // find with details.
        let (f, _) = create(
            &s,
            &alice,
            "folder",
            json!({"label": "F", "favorite": true}),
        )
        .await;
        let (child, _) = create(&s, &alice, "folder", json!({"label": "C", "parent": f})).await;
        let r = post(
            &s,
            &alice,
            "/folder/find",
            json!({"criteria": {"favorite": true}, "details": "model+folder-ids+revisions"}),
        )
        .await;
        let found = ok(&r, 200);
        assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
        assert_keys(
            &found[0],
            &[&FOLDER_KEYS[..], &["revisions", "folders"]].concat(),
        );
        assert_eq!(
            (found[0]["id"].clone(), found[0]["folders"].clone()),
            (json!(f), json!([child]))
        );
        assert_keys(&found[0]["revisions"][0], &FOLDER_REVISION_KEYS);
        let (t, _) = create(
            &s,
            &alice,
            "tag",
            json!({"label": "T", "color": "#fff", "favorite": true}),
        )
        .await;
        let r = patch(
            &s,
            &alice,
            "/password/update",
            json!({"id": p, "label": "P", "password": "x", "tags": [t]}),
        )
        .await;
        ok(&r, 200);
        let r = post(
            &s,
            &alice,
            "/tag/find",
            json!({"criteria": {"favorite": true}, "details": "password-ids"}),
        )
        .await;
        assert_eq!(ok(&r, 200), json!([{"id": t, "passwords": [p]}]));
    }
);

// Every revision records who wrote it (reference §1.2): trash and restore revisions of a
// password name their own client, not the one of the revision they copy; folder and tag
// writes with a login password are named by the User-Agent.
backend_tests!(revision_clients, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let (p, _) = create(&s, &alice, "password", password_body("P", "x")).await;
    ok(
        &as_agent(
            &s,
            "Trasher/1.0",
            Method::DELETE,
            "/password/delete",
            json!({"id": p}),
        )
        .await,
        200,
    );
    let v = show(&s, &alice, "password", &p, "model").await;
    assert_eq!(
        (v["trashed"].as_bool(), v["client"].as_str()),
        (Some(true), Some("Trasher/1.0"))
    );
    ok(
        &as_agent(
            &s,
            "Restorer/2.0",
            Method::PATCH,
            "/password/restore",
            json!({"id": p}),
        )
        .await,
        200,
    );
    let v = show(&s, &alice, "password", &p, "model+revisions").await;
    assert_eq!(v["client"], "Restorer/2.0");
    let clients: Vec<(&str, bool)> = v["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["client"].as_str().unwrap(),
                r["trashed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        clients,
        [
            ("test", false),
            ("Trasher/1.0", true),
            ("Restorer/2.0", false)
        ]
    );

    for (what, body) in [
        ("folder", json!({"label": "F"})),
        ("tag", json!({"label": "T", "color": "#fff"})),
    ] {
        let r = as_agent(
            &s,
            "Folder and Tag Agent",
            Method::POST,
            &format!("/{what}/create"),
            body.clone(),
        )
        .await;
        let id = ok(&r, 201)["id"].as_str().unwrap().to_owned();
        let mut update = body.clone();
        update["id"] = json!(id);
        ok(
            &patch(&s, &alice, &format!("/{what}/update"), update.clone()).await,
            200,
        );
        ok(
            &as_agent(
                &s,
                "Second Agent",
                Method::DELETE,
                &format!("/{what}/delete"),
                json!({"id": id}),
            )
            .await,
            200,
        );
        let v = show(&s, &alice, what, &id, "model+revisions").await;
        assert_eq!(v["client"], "Second Agent", "{what}");
        let clients: Vec<&str> = v["revisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["client"].as_str().unwrap())
            .collect();
        assert_eq!(
            clients,
            ["Folder and Tag Agent", "test", "Second Agent"],
            "{what}"
        );
    }
});
