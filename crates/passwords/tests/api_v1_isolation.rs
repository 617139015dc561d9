//! Cross-user isolation in API v1 on every backend: another user's password, folder, tag or
//! revision id behaves exactly like an id that does not exist, on every route, and the
//! owner's data is unchanged afterwards.

#[macro_use]
mod common;
mod v1;

use common::*;
use v1::*;

/// Status and body must be identical (the session header differs by design).
#[track_caller]
fn assert_same(a: &Resp, b: &Resp, what: &str) {
    assert_eq!(
        (a.status, &a.text),
        (b.status, &b.text),
        "{what}: foreign id vs missing id"
    );
}

backend_tests!(users_cannot_touch_each_other, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let bob = User::new("bob", &s.env.add_user("bob", "bob login password"));
    let (folder, _) = create(&s, &alice, "folder", json!({"label": "A's"})).await;
    let (tag, _) = create(&s, &alice, "tag", json!({"label": "A's", "color": "#fff"})).await;
    let (pw, pw_rev) = create(
        &s,
        &alice,
        "password",
        json!({"label": "A's", "password": "secret", "folder": folder, "tags": [tag]}),
    )
    .await;
    // Trashed objects too, so that a find of trashed objects would show them if it could.
    let (_, folder_rev) = create(&s, &alice, "folder", json!({"label": "A's other"})).await;
    let (_, tag_rev) = create(
        &s,
        &alice,
        "tag",
        json!({"label": "A's other", "color": "#000"}),
    )
    .await;
    for what in ["password", "folder", "tag"] {
        let (id, _) = create(
            &s,
            &alice,
            what,
            json!({"label": "A's trashed", "password": "x", "color": "#000"}),
        )
        .await;
        ok(
            &delete(&s, &alice, &format!("/{what}/delete"), json!({"id": id})).await,
            200,
        );
    }
    let before = snapshot(&s, &alice).await;
    let missing = "0b5e3a4c-9d1f-4c2b-8a7e-123456789abc";

    for (what, foreign) in [("password", &pw), ("folder", &folder), ("tag", &tag)] {
        let body = |id: &str| {
            json!({"id": id, "label": "hijacked", "password": "x", "color": "#000",
                   "details": "model+revisions+tags+passwords+folders+parent+folder"})
        };
        for (method, action) in [
            (Method::POST, "show"),
            (Method::PATCH, "update"),
            (Method::PATCH, "restore"),
            (Method::DELETE, "delete"),
        ] {
            let path = format!("/{what}/{action}");
            let a = v1(&s, &bob, method.clone(), &path, Some(body(foreign))).await;
            a.expect(
                404,
                json!({"status": "error", "id": 404, "message": "Resource not found"}),
            );
            let b = v1(&s, &bob, method, &path, Some(body(missing))).await;
            assert_same(&a, &b, &path);
        }
        // Lists and finds never show Alice's objects to Bob.
        assert!(list(&s, &bob, what, "model").await.is_empty());
        for criteria in [
            json!({}),
            json!({"trashed": true}),
            json!({"trashed": false}),
        ] {
            let r = post(
                &s,
                &bob,
                &format!("/{what}/find"),
                json!({"criteria": criteria}),
            )
            .await;
            assert_eq!(ok(&r, 200), json!([]), "{what}/find {criteria}");
        }
    }
    // Bob cannot attach Alice's tag, put things in Alice's folder, or restore her revision.
    post(
        &s,
        &bob,
        "/password/create",
        json!({"label": "b", "password": "b", "tags": [tag]}),
    )
    .await
    .expect(400, v1_error("Tag does not exist"));
    let (bp, _) = create(
        &s,
        &bob,
        "password",
        json!({"label": "b", "password": "b", "folder": folder}),
    )
    .await;
    assert_eq!(
        show(&s, &bob, "password", &bp, "model").await["folder"],
        BASE
    );
    let (bf, _) = create(&s, &bob, "folder", json!({"label": "b", "parent": folder})).await;
    assert_eq!(show(&s, &bob, "folder", &bf, "model").await["parent"], BASE);
    patch(
        &s,
        &bob,
        "/password/restore",
        json!({"id": bp, "revision": pw_rev}),
    )
    .await
    .expect(400, v1_error("Invalid revision id"));
    // The same on update: Alice's tag is unknown, her folder is the base folder.
    patch(
        &s,
        &bob,
        "/password/update",
        json!({"id": bp, "label": "b", "password": "b", "tags": [tag]}),
    )
    .await
    .expect(400, v1_error("Tag does not exist"));
    ok(
        &patch(
            &s,
            &bob,
            "/password/update",
            json!({"id": bp, "label": "b", "password": "b", "folder": folder}),
        )
        .await,
        200,
    );
    assert_eq!(
        show(&s, &bob, "password", &bp, "model").await["folder"],
        BASE
    );
    ok(
        &patch(
            &s,
            &bob,
            "/folder/update",
            json!({"id": bf, "label": "b", "parent": folder}),
        )
        .await,
        200,
    );
    assert_eq!(show(&s, &bob, "folder", &bf, "model").await["parent"], BASE);
    // Alice's folder and tag revisions cannot be restored into Bob's objects.
    let (bt, _) = create(&s, &bob, "tag", json!({"label": "b", "color": "#fff"})).await;
    for (what, id, rev) in [("folder", &bf, &folder_rev), ("tag", &bt, &tag_rev)] {
        patch(
            &s,
            &bob,
            &format!("/{what}/restore"),
            json!({"id": id, "revision": rev}),
        )
        .await
        .expect(400, v1_error("Invalid revision id"));
        assert_eq!(show(&s, &bob, what, id, "model").await["label"], "b");
    }
    let v = show(&s, &bob, "folder", BASE, "model+password-ids+folder-ids").await;
    assert_eq!(
        (v["passwords"].clone(), v["folders"].clone()),
        (json!([bp]), json!([bf]))
    );
    // Wrong credentials: 401, nothing served.
    let r = get(&s, &User::new("alice", "wrong"), "/password/list").await;
    assert_eq!(r.status.as_u16(), 401);

    assert_eq!(
        snapshot(&s, &alice).await,
        before,
        "Alice's data is unchanged"
    );
});

/// Everything Alice has, with revisions.
async fn snapshot(s: &TestServer, alice: &User) -> Value {
    json!({
        "passwords": list(s, alice, "password", "model+tag-ids+revisions").await,
        "folders": list(s, alice, "folder", "model+revisions").await,
        "tags": list(s, alice, "tag", "model+revisions").await,
    })
}
