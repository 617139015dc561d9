//! The start-up requests of the real clients against API v1's session and settings routes,
//! replayed exactly on every backend (reference §4.2 browser extension, §4.3 Android,
//! §4.4 iOS): paths, methods, bodies, headers, statuses and the types they decode.

#[macro_use]
mod common;
#[path = "api_v1_support/mod.rs"]
mod support;

use common::*;
use support::*;

backend_tests!(browser_extension_start_up, |backend| async move {
    // Reference §4.2: settings/get ["server.app.version"] → session/request → session/open
    // (empty body) → settings/get ["user.session.lifetime"] → keepalive → the private folder
    // setting → settings/set → theme colours; headers of the passwords-client.
    let (s, alice, _bob) = server_with_users(backend).await;
    let step = |method: Method, path: &'static str, body: Option<Value>, token: Option<String>| {
        let s = &s;
        let alice = &alice;
        async move {
            let mut headers = vec![("accept", "application/json".to_string())];
            if let Some(t) = token {
                headers.push(("x-api-session", t));
            }
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            call(s, Some(alice), method, path, body, &headers).await
        }
    };

    let r = step(
        Method::POST,
        "/settings/get",
        Some(json!(["server.app.version"])),
        None,
    )
    .await;
    r.expect(200, json!({"server.app.version": "2026.7"}));
    // The extension's requirement: YYYY.M ≥ 2024.12.
    let v = r.json()["server.app.version"].as_str().unwrap().to_owned();
    let (y, m) = v.split_once('.').unwrap();
    assert!((y.parse::<u32>().unwrap(), m.parse::<u32>().unwrap()) >= (2024, 12));

    let r = step(Method::GET, "/session/request", None, None).await;
    r.expect(200, json!({}));
    let r = step(Method::POST, "/session/open", None, None).await;
    r.expect(200, json!({"success": true, "keys": {}}));
    let token: Option<String> = r.session().map(str::to_owned);
    assert!(token.is_some());

    let r = step(
        Method::POST,
        "/settings/get",
        Some(json!(["user.session.lifetime"])),
        token.clone(),
    )
    .await;
    r.expect(200, json!({"user.session.lifetime": 600}));
    assert_eq!(r.session(), token.as_deref());
    let r = step(Method::GET, "/session/keepalive", None, token.clone()).await;
    r.expect(200, json!({"success": true}));
    assert_eq!(r.session(), token.as_deref());

    let r = step(
        Method::POST,
        "/settings/get",
        Some(json!(["client.ext.folder.private"])),
        token.clone(),
    )
    .await;
    r.expect(200, json!({"client.ext.folder.private": null}));
    let folder = "0b6a4a3e-9a55-4d5e-8a57-4b1ad2c3e4f5";
    let r = step(
        Method::POST,
        "/settings/set",
        Some(json!({"client.ext.folder.private": folder})),
        token.clone(),
    )
    .await;
    r.expect(200, json!({"client.ext.folder.private": folder}));
    let r = step(
        Method::POST,
        "/settings/get",
        Some(json!(["client.ext.folder.private"])),
        token.clone(),
    )
    .await;
    r.expect(200, json!({"client.ext.folder.private": folder}));

    let r = step(
        Method::POST,
        "/settings/get",
        Some(json!([
            "server.theme.color.primary",
            "server.theme.color.text",
            "server.theme.color.background",
            "server.version"
        ])),
        token.clone(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let theme = r.json();
    assert_eq!(keys_of(&theme).len(), 4);
    assert!(
        theme.as_object().unwrap().values().all(Value::is_string),
        "{theme}"
    );

    // Its master settings: set, get, reset of client.ext.* keys.
    let r = step(
        Method::POST,
        "/settings/set",
        Some(json!({"client.ext.password.autosubmit": false})),
        token.clone(),
    )
    .await;
    r.expect(200, json!({"client.ext.password.autosubmit": false}));
    let r = step(
        Method::POST,
        "/settings/reset",
        Some(json!(["client.ext.password.autosubmit"])),
        token.clone(),
    )
    .await;
    r.expect(200, json!({"client.ext.password.autosubmit": null}));
    let r = step(Method::GET, "/session/close", None, token.clone()).await;
    r.expect(200, json!({"success": true}));
});

backend_tests!(android_start_up, |backend| async move {
    // Reference §4.3: POST settings/get with the four keys, decoded strictly (ints and a
    // string, never null); GET session/request without CSE → no open call; every request
    // carries `OCS-APIRequest: true` and no session header.
    let (s, alice, _bob) = server_with_users(backend).await;
    let ocs = [("OCS-APIRequest", "true")];
    let r = call(
        &s,
        Some(&alice),
        Method::POST,
        "/settings/get",
        Some(json!([
            "user.password.security.hash",
            "user.encryption.cse",
            "user.session.lifetime",
            "server.theme.color.primary"
        ])),
        &ocs,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    r.assert_json_conventions();
    let v = r.json();
    assert_eq!(
        keys_of(&v),
        [
            "server.theme.color.primary",
            "user.encryption.cse",
            "user.password.security.hash",
            "user.session.lifetime"
        ]
    );
    assert_eq!(v["user.password.security.hash"], 40);
    assert_eq!(v["user.encryption.cse"], 0);
    assert_eq!(v["user.session.lifetime"], 600);
    assert!(v["server.theme.color.primary"].is_string());
    let r = call(
        &s,
        Some(&alice),
        Method::GET,
        "/session/request",
        None,
        &ocs,
    )
    .await;
    r.expect(200, json!({}));
    assert!(
        r.json().get("challenge").is_none(),
        "no challenge: Android skips session/open"
    );
    // After the user changes the hash length elsewhere, Android reads the new value.
    v1_post(
        &s,
        &alice,
        "/settings/set",
        json!({"user.password.security.hash": 30}),
    )
    .await;
    let r = call(
        &s,
        Some(&alice),
        Method::POST,
        "/settings/get",
        Some(json!(["user.password.security.hash"])),
        &ocs,
    )
    .await;
    r.expect(200, json!({"user.password.security.hash": 30}));
});

backend_tests!(ios_start_up, |backend| async move {
    // Reference §4.4: GET session/request → POST session/open {"challenge":null} (needs
    // success and an X-Api-Session header) → POST settings/list with the last header value;
    // User-Agent "<app> (iOS)", JSON content type, cookies off (reqwest keeps none).
    let (s, alice, _bob) = server_with_users(backend).await;
    v1_post(
        &s,
        &alice,
        "/settings/set",
        json!({"user.session.lifetime": 1800}),
    )
    .await;
    let ua = ("user-agent", "Passwords (iOS)");
    let r = call(
        &s,
        Some(&alice),
        Method::GET,
        "/session/request",
        None,
        &[ua],
    )
    .await;
    r.expect(200, json!({}));
    let r = call(
        &s,
        Some(&alice),
        Method::POST,
        "/session/open",
        Some(json!({"challenge": null})),
        &[ua],
    )
    .await;
    r.expect(200, json!({"success": true, "keys": {}}));
    let token = r.session().expect("the header iOS waits for").to_owned();
    let r = call(
        &s,
        Some(&alice),
        Method::POST,
        "/settings/list",
        None,
        &[ua, ("x-api-session", &token)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.session(), Some(token.as_str()));
    let v = r.json();
    assert_eq!(v["user.password.security.hash"], 40);
    assert_eq!(v["user.session.lifetime"], 1800);
    let r = call(
        &s,
        Some(&alice),
        Method::GET,
        "/session/keepalive",
        None,
        &[ua, ("x-api-session", &token)],
    )
    .await;
    r.expect(200, json!({"success": true}));
    assert_eq!(r.session(), Some(token.as_str()));
});

/// The width and height of a PNG answer (from its IHDR chunk), after checking that it is one.
#[track_caller]
fn png_size(r: &Raw) -> (u32, u32) {
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.header("content-type"), Some("image/png"));
    assert!(r.session().is_none(), "no session header on images");
    assert_eq!(&r.body[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&r.body[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&r.body[16..20]), be(&r.body[20..24]))
}

backend_tests!(android_services, |backend| async move {
    // Reference §4.3: POST service/password {strength, numbers, special} decoded strictly as
    // {password, words, strength, numbers, special}; GET service/favicon/{host}/256 and
    // service/avatar/{user}/256 through the image loader with Basic auth; every request
    // carries `OCS-APIRequest: true`.
    let (s, alice, _bob) = server_with_users(backend).await;
    let ocs = [("OCS-APIRequest", "true")];
    let with_body = [
        ("OCS-APIRequest", "true"),
        ("Content-Type", "application/json"),
    ];
    let r = call(
        &s,
        Some(&alice),
        Method::POST,
        "/service/password",
        Some(json!({"strength": 2, "numbers": true, "special": false})),
        &with_body,
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    r.assert_json_conventions();
    let v = r.json();
    assert_eq!(
        keys_of(&v),
        ["numbers", "password", "special", "strength", "words"]
    );
    assert_eq!(
        (
            v["strength"].as_u64(),
            v["numbers"].as_bool(),
            v["special"].as_bool()
        ),
        (Some(2), Some(true), Some(false))
    );
    let password = v["password"].as_str().expect("a string");
    assert!(password.chars().any(|c| c.is_ascii_digit()), "{password}");
    let words = v["words"].as_array().expect("words");
    assert!(!words.is_empty());
    assert!(words
        .iter()
        .all(|w| w.as_str().is_some_and(|w| !w.is_empty())));

    let r = call(
        &s,
        Some(&alice),
        Method::GET,
        "/service/favicon/mail.example.com/256",
        None,
        &ocs,
    )
    .await;
    assert_eq!(png_size(&r), (256, 256));
    let r = call(
        &s,
        Some(&alice),
        Method::GET,
        "/service/avatar/alice/256",
        None,
        &ocs,
    )
    .await;
    assert_eq!(png_size(&r), (256, 256));
});
