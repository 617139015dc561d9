//! API v1 tags over real HTTP on every backend: the 14 keys, validation, the tags of
//! passwords (hidden and trashed tags filtered), the tag detail levels, trash, final delete
//! (relations gone) and restore, and what the legacy API sees of v1 tags.

#[macro_use]
mod common;
mod v1;

use common::*;
use v1::*;

backend_tests!(tag_objects_and_levels, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    post(&s, &alice, "/tag/create", json!({"color": "#fff"}))
        .await
        .expect(400, v1_error("Field \"label\" can not be empty"));
    post(&s, &alice, "/tag/create", json!({"label": "x"}))
        .await
        .expect(400, v1_error("Field \"color\" can not be empty"));
    post(
        &s,
        &alice,
        "/tag/create",
        json!({"label": "x", "color": "#fff", "cseType": "x"}),
    )
    .await
    .expect(400, v1_error("Invalid client side encryption type"));

    let (work, rev) = create(
        &s,
        &alice,
        "tag",
        json!({"label": "Work", "color": "#ff0000"}),
    )
    .await;
    let (secret, _) = create(
        &s,
        &alice,
        "tag",
        json!({"label": "Secret", "color": "#000000", "hidden": true}),
    )
    .await;
    let (old, _) = create(
        &s,
        &alice,
        "tag",
        json!({"label": "Old", "color": "#00ff00"}),
    )
    .await;
    let t = show(&s, &alice, "tag", &work, "model").await;
    assert_keys(&t, &TAG_KEYS);
    assert_eq!(
        (t["label"].as_str(), t["color"].as_str()),
        (Some("Work"), Some("#ff0000"))
    );
    assert_eq!(
        (t["revision"].as_str(), t["client"].as_str()),
        (Some(rev.as_str()), Some("test"))
    );
    // iOS: GET tag/list.
    let r = get(&s, &alice, "/tag/list").await;
    let all = ok(&r, 200);
    assert_eq!(
        ids(all.as_array().unwrap()),
        [work.clone(), old.clone()],
        "hidden tags are not listed"
    );

    let (p, _) = create(
        &s,
        &alice,
        "password",
        json!({"label": "P", "password": "x", "tags": [work, secret, old, work]}),
    )
    .await;
    let r = delete(&s, &alice, "/tag/delete", json!({"id": old})).await;
    ok(&r, 200);
    // The visible password shows neither the hidden nor the trashed tag.
    let v = show(&s, &alice, "password", &p, "model+tag-ids").await;
    assert_eq!(v["tags"], json!([work]));
    let v = show(&s, &alice, "password", &p, "model+tags").await;
    assert_eq!(v["tags"].as_array().unwrap().len(), 1);
    assert_keys(&v["tags"][0], &TAG_KEYS);
    // A hidden password shows its hidden tag.
    let (hp, _) = create(
        &s,
        &alice,
        "password",
        json!({"label": "H", "password": "y", "hidden": true, "tags": [secret]}),
    )
    .await;
    assert_eq!(
        show(&s, &alice, "password", &hp, "tag-ids").await["tags"],
        json!([secret])
    );

    let v = show(&s, &alice, "tag", &work, "model+password-ids").await;
    assert_keys(&v, &[&TAG_KEYS[..], &["passwords"]].concat());
    assert_eq!(v["passwords"], json!([p]));
    let v = show(&s, &alice, "tag", &work, "passwords+password-tags").await;
    assert_keys(&v, &["id", "passwords"]);
    assert_keys(
        &v["passwords"][0],
        &[&PASSWORD_KEYS[..], &["tags"]].concat(),
    );
    let v = show(&s, &alice, "tag", &secret, "model+password-ids").await;
    assert_eq!(
        v["passwords"],
        json!([p, hp]),
        "a hidden tag shows hidden passwords too"
    );
    let v = show(&s, &alice, "tag", &work, "model+revisions").await;
    assert_eq!(v["revisions"].as_array().unwrap().len(), 1);
    assert_eq!(v["revisions"][0]["color"], "#ff0000");

    // find.
    let r = post(
        &s,
        &alice,
        "/tag/find",
        json!({"criteria": {"trashed": true}}),
    )
    .await;
    assert_eq!(ids(ok(&r, 200).as_array().unwrap()), [old.as_str()]);
    post(
        &s,
        &alice,
        "/tag/find",
        json!({"criteria": {"parent": "x"}}),
    )
    .await
    .expect(400, v1_error("Illegal field in search criteria"));

    // Restore, update with a revision check, delete for good: the relations go.
    let r = patch(&s, &alice, "/tag/restore", json!({"id": old})).await;
    ok(&r, 200);
    assert_eq!(
        show(&s, &alice, "password", &p, "tag-ids").await["tags"],
        json!([work, old])
    );
    patch(&s, &alice, "/tag/update", json!({"id": work, "label": "W", "color": "#1", "revision": "0b5e3a4c-9d1f-4c2b-8a7e-123456789abc"}))
        .await
        .expect(409, v1_error("Outdated revision id"));
    let r = patch(
        &s,
        &alice,
        "/tag/update",
        json!({"id": work, "label": "W", "color": "#111111", "revision": rev}),
    )
    .await;
    ok(&r, 200);
    let t = show(&s, &alice, "tag", &work, "model").await;
    assert_eq!(
        (t["label"].as_str(), t["color"].as_str()),
        (Some("W"), Some("#111111"))
    );
    let r = delete(&s, &alice, "/tag/delete", json!({"id": work})).await;
    ok(&r, 200);
    let r = delete(&s, &alice, "/tag/delete", json!({"id": work})).await;
    r.expect(200, json!({"id": work}));
    post(&s, &alice, "/tag/show", json!({"id": work}))
        .await
        .expect(
            404,
            json!({"status": "error", "id": 404, "message": "Resource not found"}),
        );
    assert_eq!(
        show(&s, &alice, "password", &p, "tag-ids").await["tags"],
        json!([old])
    );
});

backend_tests!(legacy_and_v1_see_each_other, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    // v1 → legacy: visible tags are categories, visible passwords are listed with their tag.
    let (tag, _) = create(
        &s,
        &alice,
        "tag",
        json!({"label": "Work", "color": "#ff0000"}),
    )
    .await;
    let (_hidden_tag, _) = create(
        &s,
        &alice,
        "tag",
        json!({"label": "H", "color": "#000000", "hidden": true}),
    )
    .await;
    let (p, _) = create(&s, &alice, "password", json!({"label": "P", "username": "u", "password": "pw", "url": "https://a.example/x", "tags": [tag]})).await;
    let (_hp, _) = create(
        &s,
        &alice,
        "password",
        json!({"label": "H", "password": "pw2", "hidden": true}),
    )
    .await;
    let cats = s.get(&alice, "/categories").await.json();
    assert_eq!(cats.as_array().unwrap().len(), 1, "{cats}");
    assert_eq!(cats[0]["category_name"], "Work");
    let legacy_list = s.get(&alice, "/passwords").await.json();
    let legacy_list = legacy_list.as_object().unwrap();
    assert_eq!(legacy_list.len(), 1, "{legacy_list:?}");
    let legacy = legacy_list.values().next().unwrap();
    assert_eq!(
        (legacy["pass"].as_str(), legacy["loginname"].as_str()),
        (Some("pw"), Some("u"))
    );
    assert_eq!(props(legacy)["category"], cats[0]["id"]);

    // legacy → v1: a legacy password and category appear, with the legacy client recorded.
    let cat = s.create_category(&alice, "Legacy", "00ff00").await;
    let lp = s
        .create_password(
            &alice,
            json!({"pass": "lpw", "loginname": "l", "category": cat["id"]}),
        )
        .await;
    let all = list_v1(&s, &alice).await;
    assert_eq!(all.len(), 2);
    let from_legacy = all.iter().find(|v| v["id"] != p.as_str()).unwrap();
    assert_keys(from_legacy, &[&PASSWORD_KEYS[..], &["tags"]].concat());
    assert_eq!(
        (
            from_legacy["password"].as_str(),
            from_legacy["username"].as_str()
        ),
        (Some("lpw"), Some("l"))
    );
    assert_eq!(from_legacy["client"], "test");
    assert_eq!(from_legacy["tags"].as_array().unwrap().len(), 1);
    let tags = list(&s, &alice, "tag", "model").await;
    assert!(tags
        .iter()
        .any(|t| t["label"] == "Legacy" && t["color"] == "#00ff00"));
    let _ = lp;
});

async fn list_v1(s: &TestServer, user: &User) -> Vec<Value> {
    list(s, user, "password", "model+tag-ids").await
}
