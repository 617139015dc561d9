//! The legacy API's `/passwords` resource, black-box, on every backend: create (JSON and form
//! bodies), every field of the object, index, show, update, trash/restore, DELETE (trash then
//! purge), ids never reused, validation errors, categories on passwords, security status.

#[macro_use]
mod common;

use common::*;

/// A server with the account `alice`, authenticated by her app password.
async fn server_with_alice(backend: TestBackend) -> (TestServer, User) {
    let s = TestServer::start(backend).await;
    let token = s.env.add_user("alice", "alice login password");
    (s, User::new("alice", &token))
}

/// Asserts that the keys of the top-level object in `raw` come in this order.
#[track_caller]
fn assert_key_order(raw: &str, keys: &[&str]) {
    let positions: Vec<usize> = keys
        .iter()
        .map(|k| {
            raw.find(&format!("\"{k}\":"))
                .unwrap_or_else(|| panic!("no key {k} in {raw}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "key order {keys:?} in {raw}"
    );
}

const PASSWORD_KEYS: [&str; 11] = [
    "id",
    "name",
    "user_id",
    "loginname",
    "pass",
    "website",
    "address",
    "notes",
    "deleted",
    "creation_date",
    "properties",
];

const PROPERTY_KEYS: [&str; 11] = [
    "loginname",
    "address",
    "strength",
    "length",
    "lower",
    "upper",
    "number",
    "special",
    "category",
    "datechanged",
    "notes",
];

backend_tests!(create_show_and_index, |backend| async move {
    let (s, alice) = server_with_alice(backend).await;

    // An empty index is an empty JSON object, never an array.
    let r = s.get(&alice, "/passwords").await;
    r.expect(200, json!({}));
    assert_eq!(r.text, "{}");
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );

    // Create with a JSON body: every field of the answer.
    let r = s
        .post(
            &alice,
            "/passwords",
            json!({
                "loginname": "alice",
                "pass": "S3cret!pw",
                "address": "https://github.com/login",
                "notes": "Line1\nLine2 <b>",
                "website": "ignored.example",
                "name": "ignored"
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_key_order(&r.text, &PASSWORD_KEYS);
    let first = r.json();
    let id1 = first["id"].as_i64().expect("numeric id");
    assert!(id1 > 0);
    assert_today(&first["creation_date"]);
    let properties_text = first["properties"]
        .as_str()
        .expect("properties is a string");
    assert_key_order(properties_text, &PROPERTY_KEYS);
    let p = props(&first);
    assert_today(&p["datechanged"]);
    assert_eq!(
        p,
        json!({
            "loginname": "alice",
            "address": "https://github.com/login",
            "strength": 20,
            "length": 9,
            "lower": 1,
            "upper": 1,
            "number": 1,
            "special": 1,
            "category": 0,
            "datechanged": p["datechanged"],
            "notes": "Line1\nLine2 <b>"
        })
    );
    assert_eq!(
        first,
        json!({
            "id": id1,
            "name": "github.com \u{2013} alice",
            "user_id": "alice",
            "loginname": "alice",
            "pass": "S3cret!pw",
            "website": "github.com",
            "address": "https://github.com/login",
            "notes": "Line1\nLine2 <b>",
            "deleted": false,
            "creation_date": first["creation_date"],
            "properties": first["properties"]
        })
    );

    // Create with a form body; an address without a host gives `website: null` and a label
    // without a host.
    let r = s
        .post_form(
            &alice,
            "/passwords",
            &[
                ("loginname", "bob@x"),
                ("pass", "abc def"),
                ("address", "example.com"),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let second = r.json();
    let id2 = second["id"].as_i64().unwrap();
    assert!(id2 > id1);
    assert_eq!(second["name"], " \u{2013} bob@x");
    assert_eq!(second["website"], Value::Null);
    assert_eq!(second["address"], "example.com");
    assert_eq!(second["loginname"], "bob@x");
    assert_eq!(second["pass"], "abc def");
    assert_eq!(second["notes"], "");
    assert_eq!(second["deleted"], false);
    let p = props(&second);
    assert_eq!(
        [
            &p["length"],
            &p["lower"],
            &p["upper"],
            &p["number"],
            &p["special"],
            &p["strength"]
        ],
        [
            &json!(7),
            &json!(1),
            &json!(0),
            &json!(0),
            &json!(1),
            &json!(20)
        ]
    );

    // Lengths are UTF-8 bytes; non-ASCII characters count as special. A host with a port.
    let third = s
        .create_password(
            &alice,
            json!({"pass": "pässwörd1", "loginname": "ü", "address": "http://user:pw@Host.Example:8443/x?y"}),
        )
        .await;
    assert_eq!(third["website"], "Host.Example");
    assert_eq!(third["name"], "Host.Example \u{2013} ü");
    let p = props(&third);
    assert_eq!(
        [
            &p["length"],
            &p["lower"],
            &p["upper"],
            &p["number"],
            &p["special"]
        ],
        [&json!(11), &json!(1), &json!(0), &json!(1), &json!(1)]
    );

    // "0" is a valid password; JSON numbers become their decimal text. Missing fields are "".
    let zero = s.create_password(&alice, json!({"pass": "0"})).await;
    assert_eq!(zero["pass"], "0");
    assert_eq!(zero["loginname"], "");
    assert_eq!(zero["address"], "");
    assert_eq!(zero["notes"], "");
    assert_eq!(zero["website"], Value::Null);
    assert_eq!(zero["name"], " \u{2013} ");
    let p = props(&zero);
    assert_eq!(
        [
            &p["length"],
            &p["lower"],
            &p["upper"],
            &p["number"],
            &p["special"]
        ],
        [&json!(1), &json!(0), &json!(0), &json!(1), &json!(0)]
    );
    let number = s
        .create_password(
            &alice,
            json!({"pass": 1234, "loginname": 5, "deleted": true}),
        )
        .await;
    assert_eq!(number["pass"], "1234");
    assert_eq!(number["loginname"], "5");
    assert_eq!(number["deleted"], false, "`deleted` is not read on create");

    // Quotes, backslashes, slashes, markup, emoji and large values survive, also inside
    // `properties`.
    let notes = format!(
        "He said \"hi\" \\ / <b>&'</b> \u{1F600}\t{}",
        "x".repeat(200_000)
    );
    let special = s
        .create_password(
            &alice,
            json!({"pass": "\"quoted\" \\ \u{1F600}", "loginname": "<user>", "address": "https://[::1]:8080/a?b=\"c\"", "notes": notes}),
        )
        .await;
    assert_eq!(special["notes"], json!(notes));
    assert_eq!(special["pass"], "\"quoted\" \\ \u{1F600}");
    assert_eq!(special["website"], "[::1]");
    assert_eq!(special["name"], "[::1] \u{2013} <user>");
    let p = props(&special);
    assert_eq!(p["notes"], json!(notes));
    assert_eq!(p["address"], "https://[::1]:8080/a?b=\"c\"");
    assert_eq!(p["loginname"], "<user>");
    assert_eq!(p["length"], 15, "UTF-8 bytes of the password");
    let r = s
        .get(&alice, &format!("/passwords/{}", special["id"]))
        .await;
    r.expect(200, special.clone());

    // Empty, missing or null passwords are refused, and nothing is stored.
    for body in [
        json!({"pass": ""}),
        json!({"pass": null, "loginname": "x"}),
        json!({"loginname": "x"}),
        json!({}),
    ] {
        s.post(&alice, "/passwords", body)
            .await
            .expect(400, empty_password());
    }
    s.post_form(&alice, "/passwords", &[("pass", ""), ("loginname", "x")])
        .await
        .expect(400, empty_password());
    // Arrays and objects are not text.
    s.post(&alice, "/passwords", json!({"pass": ["a"]}))
        .await
        .expect(400, error_body("Invalid value for field \"pass\""));
    s.post(
        &alice,
        "/passwords",
        json!({"pass": "x", "notes": {"a": 1}}),
    )
    .await
    .expect(400, error_body("Invalid value for field \"notes\""));

    // Show by numeric id: the same object as the create answer.
    s.get(&alice, &format!("/passwords/{id1}"))
        .await
        .expect(200, first.clone());
    s.get(&alice, &format!("/passwords/{id2}"))
        .await
        .expect(200, second.clone());
    // Unknown ids: numbers, text, a UUID, a number with a suffix.
    for id in [
        "999999",
        "abc",
        "0",
        "-1",
        "99999999999999999999999",
        "3f2a8e5c-1b2c-4d5e-8f90-123456789abc",
        &format!("{id1}abc"),
        &format!("{id1}.0"),
    ] {
        s.get(&alice, &format!("/passwords/{id}"))
            .await
            .expect(404, entity_not_found());
    }

    // The index: an object keyed "1", "2", … in ascending id order.
    let r = s.get(&alice, "/passwords").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.starts_with("{\"1\":{"), "{}", r.text);
    assert_eq!(
        r.json(),
        json!({"1": first, "2": second, "3": third, "4": zero, "5": number, "6": special})
    );
});

backend_tests!(
    update_replaces_fields_and_trash_state,
    |backend| async move {
        let (s, alice) = server_with_alice(backend).await;
        let created = s
        .create_password(
            &alice,
            json!({"pass": "first-Pass1", "loginname": "u1", "address": "https://a.example/x", "notes": "n1"}),
        )
        .await;
        let id = created["id"].as_i64().unwrap();
        let path = format!("/passwords/{id}");

        // `datechanged` is the revision's edited date. Back-date it to check when it changes.
        s.env
            .sql("UPDATE password_revisions SET edited = 1609459200")
            .await;
        let r = s.get(&alice, &path).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(props(&r.json())["datechanged"], "2021-01-01");

        // Same password: loginname, address and notes replaced, the auto label regenerated, the
        // edited date kept.
        let r = s
        .put(
            &alice,
            &path,
            json!({"pass": "first-Pass1", "loginname": "u2", "address": "https://b.example/y", "notes": "n2"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let updated = r.json();
        assert_eq!(
            updated,
            json!({
                "id": id,
                "name": "b.example \u{2013} u2",
                "user_id": "alice",
                "loginname": "u2",
                "pass": "first-Pass1",
                "website": "b.example",
                "address": "https://b.example/y",
                "notes": "n2",
                "deleted": false,
                "creation_date": created["creation_date"],
                "properties": updated["properties"]
            })
        );
        let p = props(&updated);
        assert_eq!(
            p["datechanged"], "2021-01-01",
            "same password keeps the edited date"
        );
        assert_eq!(p["loginname"], "u2");
        assert_eq!(p["address"], "https://b.example/y");
        assert_eq!(p["notes"], "n2");
        s.get(&alice, &path).await.expect(200, updated.clone());

        // A new password: edited becomes now. Missing fields are replaced by "".
        let r = s.put(&alice, &path, json!({"pass": "second-Pass2"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let updated = r.json();
        assert_eq!(updated["pass"], "second-Pass2");
        assert_eq!(updated["loginname"], "");
        assert_eq!(updated["address"], "");
        assert_eq!(updated["notes"], "");
        assert_eq!(updated["website"], Value::Null);
        assert_eq!(updated["name"], " \u{2013} ");
        assert_today(&props(&updated)["datechanged"]);
        assert_eq!(props(&updated)["length"], 12);

        // A body `id` never overrides the URL id.
        let other = s.create_password(&alice, json!({"pass": "other"})).await;
        let r = s
            .put(
                &alice,
                &path,
                json!({"id": other["id"], "pass": "second-Pass2", "notes": "by url"}),
            )
            .await;
        assert_eq!(
            (&r.json()["id"], &r.json()["notes"]),
            (&json!(id), &json!("by url"))
        );
        s.get(&alice, &format!("/passwords/{}", other["id"]))
            .await
            .expect(200, other.clone());

        // Malformed addresses have no host: `website` is null, never false.
        for address in ["http://", "http:///x", "mailto:a@b", "www.x.y/login"] {
            let r = s
                .put(
                    &alice,
                    &path,
                    json!({"pass": "second-Pass2", "loginname": "u", "address": address}),
                )
                .await;
            let v = r.json();
            assert_eq!(
                (&v["website"], &v["name"], &v["address"]),
                (&Value::Null, &json!(" \u{2013} u"), &json!(address))
            );
        }

        // A form body works for updates too.
        let r = s
            .put_form(
                &alice,
                &path,
                &[
                    ("pass", "third"),
                    ("loginname", "form"),
                    ("address", "//c.example/"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let updated = r.json();
        assert_eq!(updated["pass"], "third");
        assert_eq!(updated["loginname"], "form");
        assert_eq!(updated["website"], "c.example");
        assert_eq!(updated["name"], "c.example \u{2013} form");

        // An update without a password is refused and changes nothing.
        for body in [
            json!({"pass": "", "loginname": "x"}),
            json!({"loginname": "x"}),
            json!({"pass": null}),
        ] {
            s.put(&alice, &path, body)
                .await
                .expect(400, empty_password());
        }
        s.put(&alice, &path, json!({"pass": ["x"]}))
            .await
            .expect(400, error_body("Invalid value for field \"pass\""));
        s.get(&alice, &path).await.expect(200, updated.clone());

        // Unknown ids.
        for id in ["999999", "abc", "3f2a8e5c-1b2c-4d5e-8f90-123456789abc"] {
            s.put(&alice, &format!("/passwords/{id}"), json!({"pass": "x"}))
                .await
                .expect(404, entity_not_found());
        }

        // `deleted`: true-ish values trash, false-ish values restore, a missing one keeps.
        let trues = [json!(true), json!("1"), json!("true"), json!(1)];
        let falses = [
            json!(false),
            json!("0"),
            json!("false"),
            json!(""),
            json!(0),
        ];
        for (i, f) in falses.iter().enumerate() {
            let t = &trues[i % trues.len()];
            let r = s
                .put(&alice, &path, json!({"pass": "third", "deleted": t}))
                .await;
            assert_eq!(r.status, StatusCode::OK, "deleted {t}: {}", r.text);
            assert_eq!(r.json()["deleted"], true, "deleted {t} trashes");
            let r = s.put(&alice, &path, json!({"pass": "third"})).await;
            assert_eq!(
                r.json()["deleted"],
                true,
                "a missing `deleted` keeps the trash state"
            );
            assert_eq!(s.get(&alice, &path).await.json()["deleted"], true);
            // The index lists trashed passwords.
            assert_eq!(
                s.get(&alice, "/passwords").await.json()["1"]["deleted"],
                true
            );
            let r = s
                .put(&alice, &path, json!({"pass": "third", "deleted": f}))
                .await;
            assert_eq!(r.status, StatusCode::OK, "deleted {f}: {}", r.text);
            assert_eq!(r.json()["deleted"], false, "deleted {f} restores");
            let r = s
                .put(&alice, &path, json!({"pass": "third", "deleted": null}))
                .await;
            assert_eq!(
                r.json()["deleted"],
                false,
                "a null `deleted` keeps the state"
            );
        }
        let r = s
            .put_form(&alice, &path, &[("pass", "third"), ("deleted", "true")])
            .await;
        assert_eq!(r.json()["deleted"], true);
        let r = s
            .put_form(&alice, &path, &[("pass", "third"), ("deleted", "0")])
            .await;
        assert_eq!(r.json()["deleted"], false);

        // Anything else is not a boolean, and changes nothing.
        for bad in [json!("yes"), json!(2), json!([true]), json!({"a": 1})] {
            s.put(&alice, &path, json!({"pass": "other", "deleted": bad}))
                .await
                .expect(400, error_body("Invalid value for field \"deleted\""));
        }
        assert_eq!(s.get(&alice, &path).await.json()["pass"], "third");

        // The creation date and id never change.
        let last = s.get(&alice, &path).await.json();
        assert_eq!(last["id"], id);
        assert_eq!(last["creation_date"], created["creation_date"]);
    }
);

backend_tests!(delete_trashes_then_purges, |backend| async move {
    let (s, alice) = server_with_alice(backend).await;
    let p1 = s
        .create_password(&alice, json!({"pass": "one", "loginname": "l1"}))
        .await;
    let p2 = s
        .create_password(&alice, json!({"pass": "two", "loginname": "l2"}))
        .await;
    let (id1, id2) = (p1["id"].as_i64().unwrap(), p2["id"].as_i64().unwrap());
    let path1 = format!("/passwords/{id1}");

    // DELETE of a live password trashes it and answers the full object; the edited date
    // stays.
    s.env
        .sql("UPDATE password_revisions SET edited = 1609459200")
        .await;
    let p1 = s.get(&alice, &path1).await.json();
    let p2 = s.get(&alice, &format!("/passwords/{id2}")).await.json();
    assert_eq!(props(&p1)["datechanged"], "2021-01-01");
    let r = s.delete(&alice, &path1).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let trashed = r.json();
    let mut expected = p1.clone();
    expected["deleted"] = json!(true);
    assert_eq!(trashed, expected);
    s.get(&alice, &path1).await.expect(200, trashed.clone());
    s.get(&alice, "/passwords")
        .await
        .expect(200, json!({"1": trashed, "2": p2}));

    // DELETE of a trashed password purges it.
    s.delete(&alice, &path1)
        .await
        .expect(200, json!({"id": id1}));
    s.get(&alice, &path1).await.expect(404, entity_not_found());
    s.put(&alice, &path1, json!({"pass": "x"}))
        .await
        .expect(404, entity_not_found());
    s.delete(&alice, &path1)
        .await
        .expect(404, resource_not_found());
    s.get(&alice, "/passwords")
        .await
        .expect(200, json!({"1": p2}));

    // Unknown ids.
    for id in ["999999", "abc", "3f2a8e5c-1b2c-4d5e-8f90-123456789abc"] {
        s.delete(&alice, &format!("/passwords/{id}"))
            .await
            .expect(404, resource_not_found());
    }

    // A restored password can be trashed again by DELETE.
    let path2 = format!("/passwords/{id2}");
    assert_eq!(s.delete(&alice, &path2).await.json()["deleted"], true);
    assert_eq!(
        s.put(&alice, &path2, json!({"pass": "two", "deleted": false}))
            .await
            .json()["deleted"],
        false
    );
    assert_eq!(s.delete(&alice, &path2).await.json()["deleted"], true);

    // Numeric ids are never reused, not even after purging the newest password.
    s.delete(&alice, &path2)
        .await
        .expect(200, json!({"id": id2}));
    s.get(&alice, "/passwords").await.expect(200, json!({}));
    let p3 = s.create_password(&alice, json!({"pass": "three"})).await;
    let id3 = p3["id"].as_i64().unwrap();
    assert!(id3 > id2, "id {id3} reused after purging {id2}");
    s.get(&alice, &path2).await.expect(404, entity_not_found());
    s.get(&alice, "/passwords")
        .await
        .expect(200, json!({"1": p3}));
});

backend_tests!(categories_of_passwords, |backend| async move {
    let (s, alice) = server_with_alice(backend).await;
    let c1 = s.create_category(&alice, "One", "ff0000").await["id"]
        .as_i64()
        .unwrap();
    let c2 = s.create_category(&alice, "Two", "00ff00").await["id"]
        .as_i64()
        .unwrap();
    let category_of = |v: &Value| props(v)["category"].clone();

    // On create: attaches the category (number or numeric text); unknown ids change nothing.
    let p = s
        .create_password(&alice, json!({"pass": "a", "category": c1}))
        .await;
    assert_eq!(category_of(&p), json!(c1));
    let q = s
        .create_password(&alice, json!({"pass": "b", "category": c2.to_string()}))
        .await;
    assert_eq!(category_of(&q), json!(c2));
    let r = s
        .create_password(&alice, json!({"pass": "c", "category": 999_999}))
        .await;
    assert_eq!(category_of(&r), json!(0));
    let r = s
        .post_form(
            &alice,
            "/passwords",
            &[("pass", "d"), ("category", &c1.to_string())],
        )
        .await;
    assert_eq!(category_of(&r.json()), json!(c1));
    let id = p["id"].as_i64().unwrap();
    let path = format!("/passwords/{id}");
    assert_eq!(category_of(&s.get(&alice, &path).await.json()), json!(c1));
    assert_eq!(
        category_of(&s.get(&alice, "/passwords").await.json()["1"]),
        json!(c1)
    );

    let put = |category: Value| {
        let body = if category.is_null() {
            json!({"pass": "a"})
        } else {
            json!({"pass": "a", "category": category})
        };
        let s = &s;
        let alice = &alice;
        let path = path.clone();
        async move {
            let r = s.put(alice, &path, body).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            props(&r.json())["category"].clone()
        }
    };

    // On update: sets the category (attach if needed), again is a no-op.
    assert_eq!(put(json!(c2)).await, json!(c2));
    assert_eq!(put(json!(c2)).await, json!(c2));
    assert_eq!(category_of(&s.get(&alice, &path).await.json()), json!(c2));
    // Missing removes it.
    assert_eq!(put(Value::Null).await, json!(0));
    assert_eq!(category_of(&s.get(&alice, &path).await.json()), json!(0));
    // 0, "0", "" and null remove it.
    for none in [json!(0), json!("0"), json!(""), json!(false)] {
        assert_eq!(put(json!(c1)).await, json!(c1));
        assert_eq!(put(none.clone()).await, json!(0), "category {none}");
    }
    let r = s
        .put(&alice, &path, json!({"pass": "a", "category": c1}))
        .await;
    assert_eq!(category_of(&r.json()), json!(c1));
    let r = s
        .put(&alice, &path, json!({"pass": "a", "category": null}))
        .await;
    assert_eq!(category_of(&r.json()), json!(0), "null removes");
    // Unknown ids change nothing.
    assert_eq!(put(json!(c1)).await, json!(c1));
    for unknown in [
        json!(999_999),
        json!("999999"),
        json!("abc"),
        json!("3f2a8e5c-1b2c-4d5e-8f90-123456789abc"),
    ] {
        assert_eq!(put(unknown.clone()).await, json!(c1), "category {unknown}");
    }
    // Form bodies.
    let r = s
        .put_form(
            &alice,
            &path,
            &[("pass", "a"), ("category", &c2.to_string())],
        )
        .await;
    assert_eq!(category_of(&r.json()), json!(c2));
    // An array is not an id.
    s.put(&alice, &path, json!({"pass": "a", "category": [1]}))
        .await
        .expect(400, error_body("Invalid value for field \"category\""));
    assert_eq!(category_of(&s.get(&alice, &path).await.json()), json!(c2));

    // Deleting a category: the passwords using it report 0, and it cannot be set any more.
    s.delete(&alice, &format!("/categories/{c2}"))
        .await
        .expect(200, json!({"id": c2}));
    assert_eq!(category_of(&s.get(&alice, &path).await.json()), json!(0));
    let index = s.get(&alice, "/passwords").await.json();
    assert_eq!(category_of(&index["1"]), json!(0));
    assert_eq!(
        category_of(&index["2"]),
        json!(0),
        "the second password used the deleted category"
    );
    assert_eq!(put(json!(c2)).await, json!(0));
    let r = s
        .create_password(&alice, json!({"pass": "e", "category": c2}))
        .await;
    assert_eq!(category_of(&r), json!(0));
    // The other category is still fine.
    assert_eq!(put(json!(c1)).await, json!(c1));

    // Purging a password keeps the category.
    s.delete(&alice, &path).await;
    s.delete(&alice, &path).await.expect(200, json!({"id": id}));
    assert_eq!(
        s.get(&alice, &format!("/categories/{c1}")).await.json()["id"],
        c1
    );
});

backend_tests!(security_status_duplicates, |backend| async move {
    let (s, alice) = server_with_alice(backend).await;
    let strength = |v: &Value| props(v)["strength"].clone();
    let p1 = s
        .create_password(&alice, json!({"pass": "Same-pass-1"}))
        .await;
    assert_eq!(strength(&p1), json!(20), "a unique password is GOOD");
    let path1 = format!("/passwords/{}", p1["id"]);

    // A second password with the same value: both are DUPLICATE.
    let p2 = s
        .create_password(&alice, json!({"pass": "Same-pass-1"}))
        .await;
    assert_eq!(strength(&p2), json!(10));
    assert_eq!(strength(&s.get(&alice, &path1).await.json()), json!(10));
    let path2 = format!("/passwords/{}", p2["id"]);
    // A third, different one is GOOD and changes nothing.
    let p3 = s
        .create_password(&alice, json!({"pass": "Other-pass-2"}))
        .await;
    assert_eq!(strength(&p3), json!(20));
    let index = s.get(&alice, "/passwords").await.json();
    assert_eq!(
        [
            strength(&index["1"]),
            strength(&index["2"]),
            strength(&index["3"])
        ],
        [json!(10), json!(10), json!(20)]
    );
    // Another user's identical password is not a duplicate.
    let bob = User::new("bob", &s.env.add_user("bob", "bob login password"));
    let b = s
        .create_password(&bob, json!({"pass": "Same-pass-1"}))
        .await;
    assert_eq!(strength(&b), json!(20));
    // An update that keeps the password keeps the status.
    let r = s
        .put(&alice, &path1, json!({"pass": "Same-pass-1", "notes": "x"}))
        .await;
    assert_eq!(strength(&r.json()), json!(10));

    // Changing one of the two to another password clears the warning of both; changing it
    // back makes both duplicates again.
    let r = s
        .put(&alice, &path2, json!({"pass": "Changed-pass-3"}))
        .await;
    assert_eq!(strength(&r.json()), json!(20));
    assert_eq!(strength(&s.get(&alice, &path1).await.json()), json!(20));
    let r = s.put(&alice, &path2, json!({"pass": "Same-pass-1"})).await;
    assert_eq!(strength(&r.json()), json!(10));
    assert_eq!(strength(&s.get(&alice, &path1).await.json()), json!(10));

    // Purging one of the two makes the other GOOD again.
    assert_eq!(s.delete(&alice, &path2).await.json()["deleted"], true);
    s.delete(&alice, &path2)
        .await
        .expect(200, json!({"id": p2["id"]}));
    assert_eq!(strength(&s.get(&alice, &path1).await.json()), json!(20));
    assert_eq!(
        strength(
            &s.get(&alice, &format!("/passwords/{}", p3["id"]))
                .await
                .json()
        ),
        json!(20)
    );
});
