//! Cross-user isolation in the legacy API, on every backend: another user's ids behave exactly
//! like ids that do not exist, for reading, updating and deleting passwords and categories,
//! and the victim's data is unchanged afterwards.

#[macro_use]
mod common;

use common::*;

/// Status and body must be identical.
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

    let ca = s.create_category(&alice, "Alice's", "ff0000").await;
    let ca_id = ca["id"].as_i64().unwrap();
    let pa = s
        .create_password(
            &alice,
            json!({"pass": "alice-secret", "loginname": "a", "category": ca_id}),
        )
        .await;
    let pa_id = pa["id"].as_i64().unwrap();
    let cb = s.create_category(&bob, "Bob's", "00ff00").await;
    let pb = s
        .create_password(&bob, json!({"pass": "bob-secret", "loginname": "b"}))
        .await;
    let pb_path = format!("/passwords/{}", pb["id"]);
    assert_eq!(pb["user_id"], "bob");
    assert_eq!(cb["user_id"], "bob");

    let missing = 999_999;
    let foreign_pw = format!("/passwords/{pa_id}");
    let missing_pw = format!("/passwords/{missing}");
    let foreign_cat = format!("/categories/{ca_id}");
    let missing_cat = format!("/categories/{missing}");

    // Passwords: read, update, trash, purge.
    let a = s.get(&bob, &foreign_pw).await;
    a.expect(404, entity_not_found());
    assert_same(&a, &s.get(&bob, &missing_pw).await, "GET password");
    let update = json!({"pass": "hijacked", "loginname": "bob", "deleted": true});
    let a = s.put(&bob, &foreign_pw, update.clone()).await;
    a.expect(404, entity_not_found());
    assert_same(
        &a,
        &s.put(&bob, &missing_pw, update.clone()).await,
        "PUT password",
    );
    let a = s.delete(&bob, &foreign_pw).await;
    a.expect(404, resource_not_found());
    assert_same(&a, &s.delete(&bob, &missing_pw).await, "DELETE password");

    // Categories: read, update, delete.
    let a = s.get(&bob, &foreign_cat).await;
    a.expect(404, entity_not_found());
    assert_same(&a, &s.get(&bob, &missing_cat).await, "GET category");
    let rename = json!({"categoryName": "hijacked"});
    let a = s.put(&bob, &foreign_cat, rename.clone()).await;
    a.expect(404, entity_not_found());
    assert_same(&a, &s.put(&bob, &missing_cat, rename).await, "PUT category");
    let a = s.delete(&bob, &foreign_cat).await;
    a.expect(404, entity_not_found());
    assert_same(&a, &s.delete(&bob, &missing_cat).await, "DELETE category");

    // Bob cannot attach Alice's category to his password.
    let r = s
        .put(
            &bob,
            &pb_path,
            json!({"pass": "bob-secret", "loginname": "b", "category": ca_id}),
        )
        .await;
    assert_eq!(props(&r.json())["category"], 0);
    let r = s
        .create_password(&bob, json!({"pass": "x", "category": ca_id}))
        .await;
    assert_eq!(props(&r)["category"], 0);
    let pb2 = r;

    // Each index holds only the user's own objects.
    let pb_now = s.get(&bob, &pb_path).await.json();
    s.get(&bob, "/passwords")
        .await
        .expect(200, json!({"1": pb_now, "2": pb2}));
    s.get(&bob, "/categories").await.expect(200, json!([cb]));

    // Alice's data is unchanged.
    s.get(&alice, &foreign_pw).await.expect(200, pa.clone());
    s.get(&alice, &foreign_cat).await.expect(200, ca.clone());
    s.get(&alice, "/passwords")
        .await
        .expect(200, json!({"1": pa}));
    s.get(&alice, "/categories").await.expect(200, json!([ca]));
    // And Alice cannot see Bob's either.
    s.get(&alice, &pb_path)
        .await
        .expect(404, entity_not_found());
});
