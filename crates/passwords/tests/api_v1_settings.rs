//! API v1 `settings/*`, black-box on every backend: the three scopes with their types and
//! defaults, validation (nothing changes on a bad request), per-user storage and isolation,
//! and the effect of `user.password.security.hash` on stored hashes. The real clients'
//! request sequences are in `api_v1_settings_clients.rs`.

#[macro_use]
mod common;
#[path = "api_v1_support/mod.rs"]
mod support;

use common::*;
use support::*;

/// Every `user.*` setting with its default.
fn user_defaults() -> Value {
    json!({
        "user.password.generator.strength": 1,
        "user.password.generator.numbers": false,
        "user.password.generator.special": false,
        "user.password.security.duplicates": true,
        "user.password.security.age": 0,
        "user.password.security.hash": 40,
        "user.mail.security": true,
        "user.mail.shares": false,
        "user.notification.security": true,
        "user.notification.shares": true,
        "user.notification.errors": true,
        "user.notification.admin": true,
        "user.sharing.editable": true,
        "user.sharing.resharing": true,
        "user.session.lifetime": 600,
        "user.encryption.sse": 0,
        "user.encryption.cse": 0,
    })
}

const SERVER_KEYS: &[&str] = &[
    "server.app.version",
    "server.baseUrl",
    "server.baseUrl.webdav",
    "server.handbook.url",
    "server.handbook.url.web",
    "server.performance",
    "server.sharing.autocomplete",
    "server.sharing.enabled",
    "server.sharing.groups.enabled",
    "server.sharing.resharing",
    "server.sharing.types",
    "server.theme.app.icon",
    "server.theme.background",
    "server.theme.color.background",
    "server.theme.color.primary",
    "server.theme.color.text",
    "server.theme.folder.icon",
    "server.theme.label",
    "server.theme.logo",
    "server.version",
];

backend_tests!(list_get_and_types, |backend| async move {
    let (s, alice, _bob) = server_with_users(backend).await;

    // settings/list without scopes: server and user settings, no client settings yet.
    let r = v1_post(&s, &alice, "/settings/list", json!({})).await;
    assert_eq!(r.status, StatusCode::OK);
    r.assert_json_conventions();
    let all = r.json();
    let mut expected: Vec<String> = SERVER_KEYS.iter().map(|k| k.to_string()).collect();
    expected.extend(keys_of(&user_defaults()));
    expected.sort();
    assert_eq!(keys_of(&all), expected);
    for (k, v) in user_defaults().as_object().unwrap() {
        assert_eq!(&all[k], v, "{k}");
    }
    // Types of the server settings.
    for k in SERVER_KEYS {
        let v = &all[*k];
        match *k {
            "server.performance" => assert!(v.as_i64().is_some_and(|n| (0..=6).contains(&n))),
            "server.sharing.types" => assert_eq!(v, &json!(["user"])),
            k if k.starts_with("server.sharing.") => assert!(v.is_boolean(), "{k}"),
            k => assert!(v.is_string(), "{k}: {v}"),
        }
    }
    assert_eq!(all["server.app.version"], "2026.7");
    assert_eq!(all["server.baseUrl"], format!("http://{}/", s.addr));
    assert!(all["server.theme.color.primary"]
        .as_str()
        .is_some_and(|c| c.len() == 7 && c.starts_with('#')));

    // GET works too, and scopes choose.
    let r = v1_get(&s, &alice, "/settings/list").await;
    assert_eq!(r.json(), all);
    let r = v1_post(&s, &alice, "/settings/list", json!({"scopes": ["user"]})).await;
    r.expect(200, user_defaults());
    let r = v1_get(&s, &alice, "/settings/list?scopes[]=client").await;
    r.expect(200, json!({}));
    let r = v1_post(
        &s,
        &alice,
        "/settings/list",
        json!({"scopes": ["server", "nope"]}),
    )
    .await;
    r.expect_error(400, "f3f398e5", "Invalid scope");

    // settings/get: exactly the keys asked, null for unknown ones; an empty body gives {}.
    let r = v1_post(
        &s,
        &alice,
        "/settings/get",
        json!([
            "user.session.lifetime",
            "server.nope",
            "user.nope",
            "client.ext.folder.private",
            "nonsense",
            "server.theme.color"
        ]),
    )
    .await;
    r.expect(
        200,
        json!({
            "user.session.lifetime": 600,
            "server.nope": null,
            "user.nope": null,
            "client.ext.folder.private": null,
            "nonsense": null,
            "server.theme.color": all["server.theme.color.primary"],
        }),
    );
    call(&s, Some(&alice), Method::POST, "/settings/get", None, &[])
        .await
        .expect(200, json!({}));
    v1_post(&s, &alice, "/settings/get", json!([]))
        .await
        .expect(200, json!({}));
    v1_post(&s, &alice, "/settings/get", json!("user.session.lifetime"))
        .await
        .expect_error(
            400,
            "d80b6a89",
            "The request body must be a JSON array of setting keys",
        );
    v1_post(&s, &alice, "/settings/get", json!([1, 2]))
        .await
        .expect_error(
            400,
            "d80b6a89",
            "The request body must be a JSON array of setting keys",
        );
    let r = send(
        s.request(
            Method::POST,
            &format!("{}{V1}/settings/get", s.base),
            Some(&alice),
        )
        .header("content-type", "application/json")
        .body("[\"user.session.lifetime\""),
    )
    .await;
    r.expect_error(400, "6494f826", "Invalid JSON in the request body");
    // settings/get only by POST (the JS client turns a GET with a body into a POST).
    assert_eq!(
        v1_get(&s, &alice, "/settings/get").await.status.as_u16(),
        405
    );
});

backend_tests!(
    set_and_reset_user_and_client_settings,
    |backend| async move {
        let (s, alice, bob) = server_with_users(backend).await;

        // Values are converted to the setting's type and returned as stored.
        let r = v1_post(
            &s,
            &alice,
            "/settings/set",
            json!({
                "user.session.lifetime": "900",
                "user.password.generator.strength": 3.7,
                "user.password.generator.numbers": "true",
                "user.mail.shares": 1,
                "client.ext.folder.private": "7d3a2c1e-2f1a-4b52-8a7e-0c6f5e1c9d10",
                "client.ext.password.autosubmit": true,
                "client.ios.count": 12,
            }),
        )
        .await;
        let stored = json!({
            "user.session.lifetime": 900,
            "user.password.generator.strength": 3,
            "user.password.generator.numbers": true,
            "user.mail.shares": true,
            "client.ext.folder.private": "7d3a2c1e-2f1a-4b52-8a7e-0c6f5e1c9d10",
            "client.ext.password.autosubmit": true,
            "client.ios.count": 12,
        });
        r.expect(200, stored.clone());
        let keys: Vec<String> = keys_of(&stored);
        v1_post(&s, &alice, "/settings/get", json!(keys))
            .await
            .expect(200, stored.clone());
        // The client scope lists exactly what was set.
        v1_post(&s, &alice, "/settings/list", json!({"scopes": ["client"]}))
            .await
            .expect(
                200,
                json!({
                    "client.ext.folder.private": "7d3a2c1e-2f1a-4b52-8a7e-0c6f5e1c9d10",
                    "client.ext.password.autosubmit": true,
                    "client.ios.count": 12,
                }),
            );

        // Bob sees none of it.
        v1_post(&s, &bob, "/settings/get", json!(keys))
            .await
            .expect(
                200,
                json!({
                    "user.session.lifetime": 600,
                    "user.password.generator.strength": 1,
                    "user.password.generator.numbers": false,
                    "user.mail.shares": false,
                    "client.ext.folder.private": null,
                    "client.ext.password.autosubmit": null,
                    "client.ios.count": null,
                }),
            );
        v1_post(
            &s,
            &bob,
            "/settings/list",
            json!({"scopes": ["user", "client"]}),
        )
        .await
        .expect(200, user_defaults());

        // Bad requests change nothing, even when other pairs in them are fine.
        let long_key = format!("client.{}", "k".repeat(49));
        let ok_key = format!("client.{}", "k".repeat(48));
        for (body, status, id, message) in [
            (
                json!({"user.session.lifetime": 29, "client.a": "x"}),
                400,
                "08315f80",
                "Invalid setting value",
            ),
            (
                json!({"user.session.lifetime": "soon"}),
                400,
                "08315f80",
                "Invalid setting value",
            ),
            (
                json!({"user.password.generator.strength": 5}),
                400,
                "08315f80",
                "Invalid setting value",
            ),
            (
                json!({"user.password.security.hash": 41}),
                400,
                "08315f80",
                "Invalid setting value",
            ),
            (
                json!({"user.mail.shares": "maybe"}),
                400,
                "08315f80",
                "Invalid setting value",
            ),
            (
                json!({"client.a": "x", "client.obj": {"a": 1}}),
                400,
                "08315f80",
                "Invalid setting value",
            ),
            (
                json!({"client.a": "x", "server.version": "32"}),
                400,
                "b6804ba8",
                "Setting not writable",
            ),
            (
                json!({"client.a": "x", "user.nope": 1}),
                400,
                "3f26a0c0",
                "Unknown setting identifier",
            ),
            (
                json!({"client.a": "x", "other.thing": 1}),
                400,
                "3f26a0c0",
                "Unknown setting identifier",
            ),
            (
                json!({"client.a": "x", long_key.clone(): 1}),
                400,
                "9b106704",
                "Key too long",
            ),
            (
                json!({"client.a": "x", ok_key.clone(): "v".repeat(129)}),
                400,
                "e5eeb777",
                "Value too long",
            ),
            (
                json!(["client.a"]),
                400,
                "91a42626",
                "The request body must be a JSON object of settings",
            ),
        ] {
            v1_post(&s, &alice, "/settings/set", body.clone())
                .await
                .expect_error(status, id, message);
        }
        v1_post(&s, &alice, "/settings/get", json!(keys))
            .await
            .expect(200, stored.clone());
        v1_post(&s, &alice, "/settings/get", json!(["client.a", ok_key]))
            .await
            .expect(200, json!({"client.a": null, ok_key.clone(): null}));
        // The longest allowed pair is stored.
        v1_post(
            &s,
            &alice,
            "/settings/set",
            json!({ok_key.clone(): "v".repeat(128)}),
        )
        .await
        .expect(200, json!({ok_key.clone(): "v".repeat(128)}));

        // Reset: user settings back to their defaults, client settings removed; bad keys refused.
        v1_post(
            &s,
            &alice,
            "/settings/reset",
            json!(["user.session.lifetime", "server.version"]),
        )
        .await
        .expect_error(400, "b6804ba8", "Setting not writable");
        v1_post(
            &s,
            &alice,
            "/settings/reset",
            json!(["user.session.lifetime", "user.nope"]),
        )
        .await
        .expect_error(400, "3f26a0c0", "Unknown setting identifier");
        v1_post(
            &s,
            &alice,
            "/settings/get",
            json!(["user.session.lifetime"]),
        )
        .await
        .expect(200, json!({"user.session.lifetime": 900}));
        v1_post(
        &s,
        &alice,
        "/settings/reset",
        json!(["user.session.lifetime", "client.ext.folder.private", ok_key.clone()]),
    )
    .await
    .expect(
        200,
        json!({"user.session.lifetime": 600, "client.ext.folder.private": null, ok_key.clone(): null}),
    );
        v1_post(&s, &alice, "/settings/list", json!({"scopes": ["client"]}))
            .await
            .expect(
                200,
                json!({"client.ext.password.autosubmit": true, "client.ios.count": 12}),
            );
        // Setting a client value to null removes it too.
        v1_post(
            &s,
            &alice,
            "/settings/set",
            json!({"client.ios.count": null}),
        )
        .await
        .expect(200, json!({"client.ios.count": null}));
        v1_post(&s, &alice, "/settings/list", json!({"scopes": ["client"]}))
            .await
            .expect(200, json!({"client.ext.password.autosubmit": true}));
        let r = v1_post(&s, &alice, "/settings/list", json!({"scopes": ["user"]})).await;
        assert_eq!(r.json()["user.session.lifetime"], 600);
        assert_eq!(r.json()["user.password.generator.strength"], 3);
    }
);

backend_tests!(
    the_hash_length_setting_shapes_stored_hashes,
    |backend| async move {
        let (s, alice, bob) = server_with_users(backend).await;
        v1_post(
            &s,
            &alice,
            "/settings/set",
            json!({"user.password.security.hash": 20}),
        )
        .await
        .expect(200, json!({"user.password.security.hash": 20}));
        // Android reads the setting to cut its own hashes.
        v1_post(
            &s,
            &alice,
            "/settings/get",
            json!(["user.password.security.hash"]),
        )
        .await
        .expect(200, json!({"user.password.security.hash": 20}));
        for user in [&alice, &bob] {
            s.create_password(user, json!({"pass": "hunter2", "loginname": user.uid}))
                .await;
        }
        let sha1 = "f3bbbd66a63d4bf1747940578ec3d0103530e21d"; // SHA-1 of "hunter2"
        let hash =
            |uid: &str| format!("SELECT hash FROM password_revisions WHERE user_id = '{uid}'");
        assert_eq!(
            s.env.sql_strings(&hash("alice")).await,
            vec![sha1[..20].to_string()]
        );
        assert_eq!(
            s.env.sql_strings(&hash("bob")).await,
            vec![sha1.to_string()]
        );
    }
);
