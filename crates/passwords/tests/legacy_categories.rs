//! The legacy API's `/categories` resource, black-box, on every backend: create (camelCase
//! fields, colours, JSON and form bodies), validation, index (an array), show, update, delete.

#[macro_use]
mod common;

use common::*;

backend_tests!(category_lifecycle, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));

    // An empty index is an empty JSON array.
    let r = s.get(&alice, "/categories").await;
    r.expect(200, json!([]));
    assert_eq!(r.text, "[]");
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );

    // Create: the colour is returned without its first character.
    let r = s
        .post(
            &alice,
            "/categories",
            json!({"categoryName": "Work", "categoryColour": "ff0000"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let positions: Vec<usize> = [
        "\"id\":",
        "\"user_id\":",
        "\"category_name\":",
        "\"category_colour\":",
    ]
    .iter()
    .map(|k| {
        r.text
            .find(k)
            .unwrap_or_else(|| panic!("{k} missing in {}", r.text))
    })
    .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "key order: {}",
        r.text
    );
    let work = r.json();
    let id1 = work["id"].as_i64().expect("numeric id");
    assert_eq!(
        work,
        json!({"id": id1, "user_id": "alice", "category_name": "Work", "category_colour": "ff0000"})
    );
    // `#ff0000` is stored as `##ff0000` and comes back as `#ff0000`.
    let hash = s.create_category(&alice, "Hash", "#ff0000").await;
    assert_eq!(hash["category_colour"], "#ff0000");
    // No colour: "".
    let r = s
        .post(&alice, "/categories", json!({"categoryName": "Plain"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let plain = r.json();
    assert_eq!(plain["category_colour"], "");
    assert_eq!(plain["category_name"], "Plain");
    // "0" is a valid name; numbers are text.
    let zero = s.create_category(&alice, "0", "000000").await;
    assert_eq!(zero["category_name"], "0");
    let r = s
        .post(
            &alice,
            "/categories",
            json!({"categoryName": 42, "categoryColour": 123456}),
        )
        .await;
    let number = r.json();
    assert_eq!(
        (&number["category_name"], &number["category_colour"]),
        (&json!("42"), &json!("123456"))
    );
    // A form body.
    let r = s
        .post_form(
            &alice,
            "/categories",
            &[("categoryName", "Form"), ("categoryColour", "abcdef")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let form = r.json();
    assert_eq!(
        (&form["category_name"], &form["category_colour"]),
        (&json!("Form"), &json!("abcdef"))
    );
    // The snake_case names of the response objects are accepted as well.
    let r = s
        .post(
            &alice,
            "/categories",
            json!({"category_name": "Snake", "category_colour": "123abc"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let snake = r.json();
    assert_eq!(
        (&snake["category_name"], &snake["category_colour"]),
        (&json!("Snake"), &json!("123abc"))
    );
    let r = s
        .put(
            &alice,
            &format!("/categories/{}", snake["id"]),
            json!({"category_name": "Snake 2"}),
        )
        .await;
    assert_eq!(
        (&r.json()["category_name"], &r.json()["category_colour"]),
        (&json!("Snake 2"), &json!("123abc"))
    );
    s.delete(&alice, &format!("/categories/{}", snake["id"]))
        .await
        .expect(200, json!({"id": snake["id"]}));
    let ids: Vec<i64> = [&work, &hash, &plain, &zero, &number, &form]
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ascending ids {ids:?}");

    // Empty names are refused, and nothing is stored.
    for body in [
        json!({"categoryName": "", "categoryColour": "ff0000"}),
        json!({"categoryName": null}),
        json!({"categoryColour": "ff0000"}),
        json!({}),
    ] {
        s.post(&alice, "/categories", body)
            .await
            .expect(400, empty_label());
    }
    s.post_form(&alice, "/categories", &[("categoryName", "")])
        .await
        .expect(400, empty_label());
    s.post(&alice, "/categories", json!({"categoryName": ["x"]}))
        .await
        .expect(400, error_body("Invalid value for field \"categoryName\""));

    // The index: an array in ascending id order.
    s.get(&alice, "/categories")
        .await
        .expect(200, json!([work, hash, plain, zero, number, form]));

    // Show.
    s.get(&alice, &format!("/categories/{id1}"))
        .await
        .expect(200, work.clone());
    for id in ["999999", "abc", "3f2a8e5c-1b2c-4d5e-8f90-123456789abc"] {
        s.get(&alice, &format!("/categories/{id}"))
            .await
            .expect(404, entity_not_found());
    }

    // Update: name and colour; a missing colour keeps the old one.
    let path = format!("/categories/{id1}");
    let changed = json!({"id": id1, "user_id": "alice", "category_name": "Private", "category_colour": "00ff00"});
    s.put(
        &alice,
        &path,
        json!({"categoryName": "Private", "categoryColour": "00ff00"}),
    )
    .await
    .expect(200, changed.clone());
    s.get(&alice, &path).await.expect(200, changed.clone());
    let renamed = json!({"id": id1, "user_id": "alice", "category_name": "Renamed", "category_colour": "00ff00"});
    s.put(&alice, &path, json!({"categoryName": "Renamed"}))
        .await
        .expect(200, renamed.clone());
    let formed = json!({"id": id1, "user_id": "alice", "category_name": "Formed", "category_colour": "0000ff"});
    s.put_form(
        &alice,
        &path,
        &[("categoryName", "Formed"), ("categoryColour", "0000ff")],
    )
    .await
    .expect(200, formed.clone());
    s.put(
        &alice,
        &path,
        json!({"categoryName": "", "categoryColour": "111111"}),
    )
    .await
    .expect(400, empty_label());
    s.put(&alice, &path, json!({"categoryColour": "111111"}))
        .await
        .expect(400, empty_label());
    s.get(&alice, &path).await.expect(200, formed.clone());
    for id in ["999999", "abc"] {
        s.put(
            &alice,
            &format!("/categories/{id}"),
            json!({"categoryName": "x"}),
        )
        .await
        .expect(404, entity_not_found());
    }

    // Delete: {"id":N}, then the category is gone from show and index.
    s.delete(&alice, &path)
        .await
        .expect(200, json!({"id": id1}));
    s.get(&alice, &path).await.expect(404, entity_not_found());
    s.put(&alice, &path, json!({"categoryName": "Back"}))
        .await
        .expect(404, entity_not_found());
    s.get(&alice, "/categories")
        .await
        .expect(200, json!([hash, plain, zero, number, form]));
    // The reference's delete is repeatable (a trashed tag is still found).
    s.delete(&alice, &path)
        .await
        .expect(200, json!({"id": id1}));
    for id in ["999999", "abc"] {
        s.delete(&alice, &format!("/categories/{id}"))
            .await
            .expect(404, entity_not_found());
    }

    // Ids are never reused.
    let newest = ids[ids.len() - 1];
    s.delete(&alice, &format!("/categories/{newest}"))
        .await
        .expect(200, json!({"id": newest}));
    let again = s.create_category(&alice, "Again", "").await;
    assert!(again["id"].as_i64().unwrap() > newest);
    s.get(&alice, "/categories")
        .await
        .expect(200, json!([hash, plain, zero, number, again]));
});
