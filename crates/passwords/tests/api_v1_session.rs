//! API v1 `session/*`, `keychain/*`, `account/*` and the session header, black-box: what a
//! client without client-side encryption sees, the CSE-only routes' answers, the limit of
//! `session/open`, and the start-up sequences of the real clients (reference §4.2–4.4).

#[macro_use]
mod common;
#[path = "api_v1_support/mod.rs"]
mod support;

use common::*;
use support::*;

backend_tests!(
    session_routes_for_users_without_encryption,
    |backend| async move {
        let (s, alice, _bob) = server_with_users(backend).await;

        let r = v1_get(&s, &alice, "/session/request").await;
        r.expect(200, json!({}));
        assert_eq!(
            String::from_utf8_lossy(&r.body),
            "{}",
            "an object, never []"
        );

        // `open` succeeds whatever the body: none, the iOS body, a challenge, even non-JSON.
        for body in [
            None,
            Some(json!({"challenge": null})),
            Some(json!({"challenge": "ab".repeat(32), "token": {"totp": "123456"}})),
        ] {
            let r = call(&s, Some(&alice), Method::POST, "/session/open", body, &[]).await;
            r.expect(200, json!({"success": true, "keys": {}}));
        }
        let r = send(
            s.request(
                Method::POST,
                &format!("{}{V1}/session/open", s.base),
                Some(&alice),
            )
            .header("content-type", "application/json")
            .body("not json at all"),
        )
        .await;
        r.expect(200, json!({"success": true, "keys": {}}));

        v1_get(&s, &alice, "/session/keepalive")
            .await
            .expect(200, json!({"success": true}));
        v1_get(&s, &alice, "/session/close")
            .await
            .expect(200, json!({"success": true}));

        // The pretty prefix serves the same.
        let r = send(s.request(
            Method::GET,
            &format!("{}{V1_PRETTY}/session/request", s.base),
            Some(&alice),
        ))
        .await;
        r.expect(200, json!({}));

        // Wrong method on a known route, unknown route, no credentials.
        let r = call(&s, Some(&alice), Method::GET, "/session/open", None, &[]).await;
        assert_eq!(r.status.as_u16(), 405);
        let r = call(&s, Some(&alice), Method::GET, "/session/nope", None, &[]).await;
        r.expect(
            404,
            json!({"status": "error", "id": 404, "message": "Resource not found"}),
        );
        let r = call(&s, None, Method::GET, "/session/request", None, &[]).await;
        assert_eq!(r.status.as_u16(), 401);
        let r = call(
            &s,
            Some(&User::new("alice", "wrong")),
            Method::GET,
            "/session/request",
            None,
            &[],
        )
        .await;
        assert_eq!(r.status.as_u16(), 401);
    }
);

backend_tests!(the_session_header_is_echoed_or_new, |backend| async move {
    let (s, alice, _bob) = server_with_users(backend).await;
    // Without a token every answer brings a fresh one.
    let a = v1_get(&s, &alice, "/session/request").await;
    let b = v1_get(&s, &alice, "/session/request").await;
    assert_ne!(a.session(), b.session());
    // A well-formed token is sent back as it is, on every JSON route of this area.
    let token = a.session().unwrap().to_owned();
    for (method, path) in [
        (Method::GET, "/session/request"),
        (Method::POST, "/session/open"),
        (Method::GET, "/session/keepalive"),
        (Method::GET, "/session/close"),
        (Method::GET, "/keychain/get"),
        (Method::GET, "/account/challenge/get"),
        (Method::GET, "/service/coffee"),
    ] {
        let r = call(
            &s,
            Some(&alice),
            method,
            path,
            None,
            &[("X-Api-Session", &token)],
        )
        .await;
        r.assert_json_conventions();
        assert_eq!(r.session(), Some(token.as_str()), "{path}");
    }
    // A malformed token is replaced.
    let r = call(
        &s,
        Some(&alice),
        Method::GET,
        "/session/keepalive",
        None,
        &[("x-api-session", "<script>")],
    )
    .await;
    r.assert_json_conventions();
    assert_ne!(r.session(), Some("<script>"));
});

backend_tests!(
    encryption_routes_answer_as_for_a_user_without_a_master_password,
    |backend| async move {
        let (s, alice, _bob) = server_with_users(backend).await;
        v1_get(&s, &alice, "/keychain/get")
            .await
            .expect(200, json!({}));
        v1_post(
            &s,
            &alice,
            "/keychain/set",
            json!({"id": "CSEv1r1", "data": "00ff"}),
        )
        .await
        .expect_error(500, "a6bb2388", "Encryption not enabled");
        // Still nothing stored.
        v1_get(&s, &alice, "/keychain/get")
            .await
            .expect(200, json!({}));
        v1_get(&s, &alice, "/account/challenge/get")
            .await
            .expect_error(404, "135d4069", "Not found");
        let salts = json!(["a".repeat(512), "b".repeat(128), "c".repeat(32)]);
        v1_post(
            &s,
            &alice,
            "/account/challenge/set",
            json!({"secret": "d".repeat(64), "data": salts}),
        )
        .await
        .expect_error(400, "adca63f1", "Feature not enabled");
        v1_get(&s, &alice, "/account/challenge/get")
            .await
            .expect_error(404, "135d4069", "Not found");
        v1_get(&s, &alice, "/account/reset").await.expect_error(
            400,
            "adca63f1",
            "Feature not enabled",
        );
        v1_post(
            &s,
            &alice,
            "/account/reset",
            json!({"code": "abcd-efgh-ijkl-mnop"}),
        )
        .await
        .expect_error(400, "adca63f1", "Feature not enabled");
        // The user's settings still say: no client-side encryption.
        v1_post(&s, &alice, "/settings/get", json!(["user.encryption.cse"]))
            .await
            .expect(200, json!({"user.encryption.cse": 0}));
    }
);

backend_tests!(session_open_is_limited_per_user, |backend| async move {
    let (s, alice, bob) = server_with_users(backend).await;
    for _ in 0..10 {
        v1_post(&s, &alice, "/session/open", json!({}))
            .await
            .expect(200, json!({"success": true, "keys": {}}));
    }
    let r = v1_post(&s, &alice, "/session/open", json!({})).await;
    r.expect_error(429, "b89bf16c", "Too many requests");
    let wait: u64 = r
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    // Other routes and other users are not affected.
    v1_get(&s, &alice, "/session/request")
        .await
        .expect(200, json!({}));
    v1_post(&s, &bob, "/session/open", json!({}))
        .await
        .expect(200, json!({"success": true, "keys": {}}));
});
