//! What each API sees of the other's writes, on every backend (docs/api-v1.md "With the
//! legacy API", docs/legacy-api.md): hidden v1 passwords are unknown to the legacy API, the
//! trash is shared (`trashed` in v1 is `deleted` in legacy, both ways), and only visible,
//! untrashed v1 tags become legacy categories.

#[macro_use]
mod common;
mod v1;

use common::*;
use v1::*;

backend_tests!(
    legacy_does_not_show_hidden_v1_passwords,
    |backend| async move {
        let s = TestServer::start(backend).await;
        let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
        let (hidden, _) = create(
            &s,
            &alice,
            "password",
            json!({"label": "H", "password": "x", "hidden": true}),
        )
        .await;
        let (visible, _) = create(&s, &alice, "password", password_body("V", "y")).await;
        s.get(&alice, &format!("/passwords/{hidden}"))
            .await
            .expect(404, entity_not_found());
        let r = s.get(&alice, &format!("/passwords/{visible}")).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.text);
        assert_eq!(r.json()["pass"], "y");
        // Hidden later through v1: unknown to the legacy API from then on.
        let r = patch(
            &s,
            &alice,
            "/password/update",
            json!({"id": visible, "label": "V", "password": "y", "hidden": true}),
        )
        .await;
        ok(&r, 200);
        s.get(&alice, &format!("/passwords/{visible}"))
            .await
            .expect(404, entity_not_found());
        s.get(&alice, "/passwords").await.expect(200, json!({}));
    }
);

backend_tests!(the_trash_is_shared, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    // v1 → legacy: a password trashed in v1 is `deleted: true`, in the index too.
    let (p, _) = create(&s, &alice, "password", password_body("P", "x")).await;
    let path = format!("/passwords/{p}");
    assert_eq!(s.get(&alice, &path).await.json()["deleted"], false);
    ok(
        &delete(&s, &alice, "/password/delete", json!({"id": p})).await,
        200,
    );
    let legacy = s.get(&alice, &path).await.json();
    assert_eq!(legacy["deleted"], true);
    let index = s.get(&alice, "/passwords").await.json();
    assert_eq!(index, json!({"1": legacy}));
    // Restored in v1: not deleted any more.
    ok(
        &patch(&s, &alice, "/password/restore", json!({"id": p})).await,
        200,
    );
    assert_eq!(s.get(&alice, &path).await.json()["deleted"], false);

    // legacy → v1: a legacy DELETE trashes; v1 shows it trashed, lists it no more, finds it
    // in the trash.
    let r = s.delete(&alice, &path).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(r.json()["deleted"], true);
    let v = show(&s, &alice, "password", &p, "model").await;
    assert_eq!(v["trashed"], true);
    assert!(list(&s, &alice, "password", "model").await.is_empty());
    let r = post(
        &s,
        &alice,
        "/password/find",
        json!({"criteria": {"trashed": true}}),
    )
    .await;
    assert_eq!(
        ids(ok(&r, 200).as_array().unwrap()),
        std::slice::from_ref(&p)
    );
    // A legacy PUT with `deleted: false` restores it for v1.
    let r = s
        .put(&alice, &path, json!({"pass": "x", "deleted": false}))
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(
        show(&s, &alice, "password", &p, "model").await["trashed"],
        false
    );
    assert_eq!(ids(&list(&s, &alice, "password", "model").await), [p]);
});

backend_tests!(
    trashed_and_hidden_v1_tags_are_no_categories,
    |backend| async move {
        let s = TestServer::start(backend).await;
        let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
        let (trashed, _) = create(&s, &alice, "tag", json!({"label": "Tr", "color": "#f00"})).await;
        let (hidden, _) = create(
            &s,
            &alice,
            "tag",
            json!({"label": "Hi", "color": "#0f0", "hidden": true}),
        )
        .await;
        let (work, _) = create(&s, &alice, "tag", json!({"label": "Work", "color": "#00f"})).await;
        let (a, _) = create(
            &s,
            &alice,
            "password",
            json!({"label": "A", "password": "a", "tags": [trashed]}),
        )
        .await;
        let (b, _) = create(
            &s,
            &alice,
            "password",
            json!({"label": "B", "password": "b", "tags": [hidden]}),
        )
        .await;
        let (c, _) = create(
            &s,
            &alice,
            "password",
            json!({"label": "C", "password": "c", "tags": [trashed, hidden, work]}),
        )
        .await;
        let category = |id: String| {
            let s = &s;
            let alice = &alice;
            async move {
                let r = s.get(alice, &format!("/passwords/{id}")).await;
                assert_eq!(r.status.as_u16(), 200, "{}", r.text);
                props(&r.json())["category"].clone()
            }
        };
        // Before the trash, the first tag is the category.
        let cats = s.get(&alice, "/categories").await.json();
        let names: Vec<&str> = cats
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["category_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Tr", "Work"], "a hidden tag is no category");
        let tr_id = cats[0]["id"].clone();
        let work_id = cats[1]["id"].clone();
        assert_eq!(category(a.clone()).await, tr_id);
        assert_eq!(category(b.clone()).await, 0);
        assert_eq!(category(c.clone()).await, tr_id);

        ok(
            &delete(&s, &alice, "/tag/delete", json!({"id": trashed})).await,
            200,
        );
        assert_eq!(category(a).await, 0, "a trashed tag is no category");
        assert_eq!(category(b).await, 0);
        assert_eq!(
            category(c).await,
            work_id,
            "the first visible tag is the category"
        );
        let cats = s.get(&alice, "/categories").await.json();
        assert_eq!(cats.as_array().unwrap().len(), 1, "{cats}");
        assert_eq!(cats[0]["category_name"], "Work");
    }
);
