//! The legacy API's protocol, black-box, on every backend: version, both URL prefixes, HEAD,
//! /health, unknown routes, wrong methods, malformed bodies, the body limit, CORS and the
//! preflight, authentication and throttling, the on/off switch and `legacy.api.last.used`,
//! HTTPS (rustls) and the HTTPS rule for non-loopback peers, graceful shutdown.

#[macro_use]
mod common;

use std::time::Duration;

use common::*;

const ORIGIN: &str = "https://x.example";
const JSON_UTF8: &str = "application/json; charset=utf-8";

/// A server with the account `alice` (login password `alice login password`) and her app
/// password.
fn alice_on(s: &TestServer) -> (User, User) {
    let token = s.env.add_user("alice", "alice login password");
    (
        User::new("alice", &token),
        User::new("alice", "alice login password"),
    )
}

/// Sends `REQUEST_LINE` (e.g. `HEAD /path`) over a fresh connection with `Connection: close`
/// and returns everything the server wrote.
fn raw_http(s: &TestServer, request_line: &str, user: &User) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(s.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let auth = basic(&user.uid, &user.secret);
    let request = format!(
        "{request_line} HTTP/1.1\r\nHost: {}\r\nAuthorization: Basic {auth}\r\nConnection: close\r\n\r\n",
        s.addr
    );
    stream.write_all(request.as_bytes()).expect("write");
    let mut out = Vec::new();
    stream.read_to_end(&mut out).expect("read");
    String::from_utf8_lossy(&out).into_owned()
}

/// Base64 of `login:secret`.
fn basic(login: &str, secret: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let data = format!("{login}:{secret}").into_bytes();
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

async fn call(s: &TestServer, method: Method, url: &str, user: Option<&User>) -> Resp {
    Resp::send(s.request(method, url, user)).await
}

#[test]
fn error_ids_are_the_reference_crc() {
    assert_eq!(error_id(""), "00000000");
    assert_eq!(error_id("a"), "6b9b9319");
    assert_eq!(error_id("abc"), "73bb8c64");
    assert_eq!(error_id("HTTPS required"), "6304571a");
    assert_eq!(error_id("Field \"password\" can not be empty"), "2cf30fe7");
    assert_eq!(error_id("Field \"label\" can not be empty"), "7c31eb4d");
    assert_eq!(error_id("Too many failed login attempts"), "b927b225");
    assert_eq!(error_id("Setting not writable"), "b6804ba8");
    assert_eq!(date_of(0), "1970-01-01");
    assert_eq!(date_of(1_614_902_399), "2021-03-04");
    assert_eq!(date_of(951_782_400), "2000-02-29");
}

backend_tests!(routes_methods_and_bodies, |backend| async move {
    let s = TestServer::start(backend).await;
    let (alice, _) = alice_on(&s);

    // version: the number 21, under both prefixes.
    for prefix in [API, API_PRETTY] {
        let r = call(
            &s,
            Method::GET,
            &s.raw_url(&format!("{prefix}/version")),
            Some(&alice),
        )
        .await;
        r.expect(200, json!(21));
        assert_eq!(r.text, "21");
        assert_eq!(r.header("content-type"), Some(JSON_UTF8));
    }

    // The pretty prefix reaches the same data.
    let created = {
        let url = s.raw_url(&format!("{API_PRETTY}/passwords"));
        let r = Resp::send(
            s.request(Method::POST, &url, Some(&alice))
                .json(&json!({"pass": "p"})),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.json()
    };
    let id = created["id"].as_i64().unwrap();
    let pretty = s.raw_url(&format!("{API_PRETTY}/passwords/{id}"));
    call(&s, Method::GET, &pretty, Some(&alice))
        .await
        .expect(200, created.clone());
    s.get(&alice, &format!("/passwords/{id}"))
        .await
        .expect(200, created.clone());
    call(
        &s,
        Method::GET,
        &s.raw_url(&format!("{API_PRETTY}/passwords")),
        Some(&alice),
    )
    .await
    .expect(200, json!({"1": created}));
    call(
        &s,
        Method::GET,
        &s.raw_url(&format!("{API_PRETTY}/categories")),
        Some(&alice),
    )
    .await
    .expect(200, json!([]));

    // HEAD on GET routes: same status and headers, empty body.
    for (path, status) in [
        ("/version", 200),
        ("/passwords", 200),
        (&*format!("/passwords/{id}"), 200),
        ("/passwords/999999", 404),
        ("/categories", 200),
        ("/categories/999999", 404),
    ] {
        let get = call(&s, Method::GET, &s.url(path), Some(&alice)).await;
        let head = call(&s, Method::HEAD, &s.url(path), Some(&alice)).await;
        assert_eq!(head.status.as_u16(), status, "HEAD {path}");
        assert_eq!(get.status, head.status, "HEAD {path}");
        assert_eq!(head.text, "", "HEAD {path} has no body");
        assert_eq!(
            head.header("content-type"),
            get.header("content-type"),
            "HEAD {path}"
        );
        assert_eq!(head.header("content-type"), Some(JSON_UTF8), "HEAD {path}");
    }
    let head = call(&s, Method::HEAD, &s.url("/version"), None).await;
    assert_eq!((head.status.as_u16(), head.text.as_str()), (401, ""));
    // On the wire: the headers announce the GET body's length, and no body follows.
    let raw = raw_http(&s, &format!("HEAD {API}/version"), &alice);
    assert!(raw.starts_with("HTTP/1.1 200 OK\r\n"), "{raw:?}");
    assert!(
        raw.to_ascii_lowercase()
            .contains("\r\ncontent-length: 2\r\n"),
        "{raw:?}"
    );
    assert!(
        raw.ends_with("\r\n\r\n"),
        "no body after the headers: {raw:?}"
    );

    // /health: no credentials needed.
    let r = call(&s, Method::GET, &s.raw_url("/health"), None).await;
    r.expect(200, json!({"status": "ok"}));

    // Unknown paths: 404 with a JSON body, inside and outside the API.
    for path in [
        format!("{API}/nope"),
        format!("{API}/passwords/{id}/extra"),
        format!("{API}/passwords/"),
        format!("{API_PRETTY}/version/1"),
        API.to_owned(),
        "/index.php/apps/passwords/api/1.0/passwords".to_owned(),
        "/nope".to_owned(),
    ] {
        let r = call(&s, Method::GET, &s.raw_url(&path), Some(&alice)).await;
        r.expect(404, resource_not_found());
        r.assert_json_type();
    }

    // Wrong methods on known paths: 405 with a JSON body.
    for (method, path) in [
        (Method::PATCH, format!("/passwords/{id}")),
        (Method::POST, format!("/passwords/{id}")),
        (Method::DELETE, "/passwords".to_owned()),
        (Method::PUT, "/categories".to_owned()),
        (Method::POST, "/version".to_owned()),
        (Method::DELETE, "/version".to_owned()),
    ] {
        let r = call(&s, method.clone(), &s.url(&path), Some(&alice)).await;
        r.expect(405, error_body("Method not allowed"));
        r.assert_json_type();
    }
    s.get(&alice, &format!("/passwords/{id}"))
        .await
        .expect(200, created.clone());

    // Malformed JSON, and JSON that is not an object: 400 with a JSON body; nothing stored.
    let raw = |method: Method, path: &str, body: &'static str| {
        s.request(method, &s.url(path), Some(&alice))
            .header("content-type", "application/json")
            .body(body)
    };
    Resp::send(raw(Method::POST, "/passwords", "{\"pass\":"))
        .await
        .expect(400, error_body("Invalid JSON in the request body"));
    Resp::send(raw(Method::PUT, &format!("/passwords/{id}"), "{pass: x}"))
        .await
        .expect(400, error_body("Invalid JSON in the request body"));
    Resp::send(raw(Method::POST, "/categories", "not json"))
        .await
        .expect(400, error_body("Invalid JSON in the request body"));
    for body in ["[\"x\"]", "[]", "\"x\"", "12"] {
        Resp::send(raw(Method::POST, "/passwords", body))
            .await
            .expect(400, error_body("The request body must be a JSON object"));
    }
    // A charset in the content type is fine, for JSON and for forms.
    let r = Resp::send(
        s.request(Method::POST, &s.url("/categories"), Some(&alice))
            .header("content-type", "application/json; charset=UTF-8")
            .body("{\"categoryName\":\"charset\"}"),
    )
    .await;
    assert_eq!(
        (r.status, &r.json()["category_name"]),
        (StatusCode::OK, &json!("charset"))
    );
    let r = Resp::send(
        s.request(Method::POST, &s.url("/categories"), Some(&alice))
            .header(
                "content-type",
                "application/x-www-form-urlencoded; charset=UTF-8",
            )
            .body("categoryName=form%20charset&categoryColour=%23abc"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (&r.json()["category_name"], &r.json()["category_colour"]),
        (&json!("form charset"), &json!("#abc"))
    );
    // An empty JSON body means no fields.
    Resp::send(raw(Method::POST, "/passwords", ""))
        .await
        .expect(400, empty_password());
    // A body of another type is ignored.
    let r = Resp::send(
        s.request(
            Method::PUT,
            &s.url(&format!("/passwords/{id}")),
            Some(&alice),
        )
        .header("content-type", "text/plain")
        .body("pass=x"),
    )
    .await;
    r.expect(400, empty_password());
    s.get(&alice, "/passwords")
        .await
        .expect(200, json!({"1": created}));

    // Parameters may come in the query string.
    let r = Resp::send(s.request(
        Method::POST,
        &s.url("/passwords?pass=from%20query&loginname=q"),
        Some(&alice),
    ))
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (&r.json()["pass"], &r.json()["loginname"]),
        (&json!("from query"), &json!("q"))
    );
    // The JSON body wins over the query string.
    let r = Resp::send(
        s.request(Method::POST, &s.url("/passwords?pass=query"), Some(&alice))
            .json(&json!({"pass": "body"})),
    )
    .await;
    assert_eq!(r.json()["pass"], "body");
});

backend_tests!(cors_and_preflight, |backend| async move {
    let s = TestServer::start(backend).await;
    let (alice, _) = alice_on(&s);
    let with_origin = |method: Method, path: &str, user: Option<&User>| {
        Resp::send(
            s.request(method, &s.url(path), user)
                .header("origin", ORIGIN),
        )
    };

    // Ordinary responses carry Access-Control-Allow-Origin only when there is an Origin.
    let r = with_origin(Method::GET, "/version", Some(&alice)).await;
    r.expect(200, json!(21));
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    for name in [
        "access-control-allow-methods",
        "access-control-max-age",
        "access-control-allow-headers",
    ] {
        assert_eq!(r.header(name), None, "{name} on an ordinary response");
    }
    let r = s.get(&alice, "/version").await;
    assert_eq!(r.header("access-control-allow-origin"), None);
    // Errors too.
    let r = with_origin(Method::GET, "/passwords/999999", Some(&alice)).await;
    r.expect(404, entity_not_found());
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    let r = with_origin(Method::GET, "/passwords", None).await;
    r.expect(401, cors_auth());
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    let r = with_origin(Method::POST, "/passwords", Some(&alice)).await;
    r.expect(400, empty_password());
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));

    // The preflight: no credentials needed, 200, empty body, the reference's headers.
    let all = "GET, POST, DELETE, PUT, PATCH";
    let cases = [
        (format!("{API}/passwords"), all),
        (format!("{API}/passwords/1"), all),
        (format!("{API}/passwords/999999"), all),
        (format!("{API}/categories"), all),
        (format!("{API}/categories/1"), all),
        (format!("{API}/version"), "GET"),
        // The reference's only preflight route under api/0.1 is `version/{path}`.
        (format!("{API}/version/anything"), "GET"),
        (format!("{API}/version/a/b"), "GET"),
        (format!("{API_PRETTY}/passwords"), all),
        (format!("{API_PRETTY}/version"), "GET"),
    ];
    for (path, methods) in &cases {
        for origin in [Some(ORIGIN), None] {
            let mut rb = s
                .request(Method::OPTIONS, &s.raw_url(path), None)
                .header("access-control-request-method", "PUT")
                .header(
                    "access-control-request-headers",
                    "authorization, content-type",
                );
            if let Some(o) = origin {
                rb = rb.header("origin", o);
            }
            let r = Resp::send(rb).await;
            assert_eq!(r.status, StatusCode::OK, "OPTIONS {path}: {}", r.text);
            assert_eq!(r.text, "", "OPTIONS {path} has an empty body");
            assert_eq!(
                r.header("access-control-allow-origin"),
                Some(origin.unwrap_or("*")),
                "{path}"
            );
            assert_eq!(
                r.header("access-control-allow-methods"),
                Some(*methods),
                "{path}"
            );
            assert_eq!(
                r.header("access-control-max-age"),
                Some("1728000"),
                "{path}"
            );
            assert_eq!(
                r.header("access-control-allow-headers"),
                Some("Authorization, Content-Type, Accept"),
                "{path}"
            );
            assert_eq!(
                r.header("access-control-allow-credentials"),
                Some("false"),
                "{path}"
            );
        }
    }
    // With (even wrong) credentials the preflight still answers.
    let r = Resp::send(
        s.request(
            Method::OPTIONS,
            &s.url("/passwords"),
            Some(&User::new("alice", "wrong")),
        )
        .header("origin", ORIGIN),
    )
    .await;
    assert_eq!((r.status.as_u16(), r.text.as_str()), (200, ""));
});

backend_tests!(authentication, |backend| async move {
    let launch = Launch::default().env("PASSWORDS_AUTH__CACHE_SECONDS", "0");
    let s = TestServer::start_launch(backend, launch).await;
    let (app, login) = alice_on(&s);
    let second = User::new("alice", &s.env.add_token("alice", "second device"));

    // Both the login password and app passwords work.
    for user in [&app, &login, &second] {
        s.get(user, "/version").await.expect(200, json!(21));
    }
    s.get(&login, "/passwords").await.expect(200, json!({}));

    // Missing, malformed or wrong credentials: 401 with the reference's body.
    call(&s, Method::GET, &s.url("/passwords"), None)
        .await
        .expect(401, cors_auth());
    for user in [
        User::new("alice", "wrong password"),
        User::new("alice", "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"),
        User::new("nobody", "alice login password"),
        User::new("", "x"),
        User::new("bad login", "x"),
    ] {
        s.get(&user, "/passwords").await.expect(401, cors_auth());
    }
    for header in [
        format!("Bearer {}", app.secret),
        "Basic !!!".to_owned(),
        "Basic".to_owned(),
        "Digest username=\"alice\"".to_owned(),
    ] {
        let r = Resp::send(
            s.http
                .get(s.url("/version"))
                .header("authorization", header.clone()),
        )
        .await;
        r.expect(401, cors_auth());
    }
    // Logins are case-sensitive on every backend.
    s.get(&User::new("Alice", "alice login password"), "/version")
        .await
        .expect(401, cors_auth());
    s.get(&User::new("ALICE", &app.secret), "/version")
        .await
        .expect(401, cors_auth());
    s.get(&User::new("alice", &app.secret.to_lowercase()), "/version")
        .await
        .expect(401, cors_auth());
    // Passwords with colons, spaces at the ends and non-ASCII characters.
    let odd = " pä:ss wörd: ";
    let args = ["account", "add", "carol", "--password-stdin"];
    assert_success(&s.env.cli_stdin(&args, &format!("{odd}\n")), &args);
    s.get(&User::new("carol", odd), "/version")
        .await
        .expect(200, json!(21));
    s.get(&User::new("carol", odd.trim()), "/version")
        .await
        .expect(401, cors_auth());
    // Another user's app password with this login fails.
    let bob = User::new("bob", &s.env.add_user("bob", "bob login password"));
    s.get(&User::new("alice", &bob.secret), "/version")
        .await
        .expect(401, cors_auth());
    s.get(&bob, "/version").await.expect(200, json!(21));

    // A revoked app password stops working at once (the cache is off); the others still work.
    s.env
        .cli_ok(&["account", "token", "revoke", "alice", "second device"]);
    s.get(&second, "/version").await.expect(401, cors_auth());
    s.get(&app, "/version").await.expect(200, json!(21));

    // A new login password: the old one fails, the new one works.
    let args = ["account", "passwd", "alice", "--password-stdin"];
    assert_success(&s.env.cli_stdin(&args, "new login password\n"), &args);
    s.get(&login, "/version").await.expect(401, cors_auth());
    s.get(&User::new("alice", "new login password"), "/version")
        .await
        .expect(200, json!(21));

    // A removed account cannot log in at all.
    s.env.cli_ok(&["account", "remove", "alice"]);
    for user in [&app, &User::new("alice", "new login password")] {
        s.get(user, "/version").await.expect(401, cors_auth());
    }
    s.get(&bob, "/passwords").await.expect(200, json!({}));
});

backend_tests!(throttling_per_account, |backend| async move {
    let launch = Launch::default()
        .env("PASSWORDS_AUTH__FAILURES_PER_ACCOUNT", "3")
        .env("PASSWORDS_AUTH__FAILURE_WINDOW_SECONDS", "60")
        .env("PASSWORDS_AUTH__CACHE_SECONDS", "0");
    let s = TestServer::start_launch(backend, launch).await;
    let (app, login) = alice_on(&s);
    let bob = User::new("bob", "bob login password");
    s.env.add_user("bob", "bob login password");

    let wrong = User::new("alice", "wrong password");
    for _ in 0..3 {
        s.get(&wrong, "/version").await.expect(401, cors_auth());
    }
    let throttled =
        json!({"status": "error", "id": "b927b225", "message": "Too many failed login attempts"});
    for user in [&wrong, &login] {
        let r = s.get(user, "/version").await;
        r.expect(429, throttled.clone());
        let retry: u64 = r
            .header("retry-after")
            .unwrap_or_else(|| panic!("no Retry-After: {:?}", r.headers))
            .parse()
            .expect("Retry-After in seconds");
        assert!(
            (1..=60).contains(&retry),
            "Retry-After {retry} within the 60 s window"
        );
    }
    // Only this account: others log in as usual; the high-entropy app password still works.
    s.get(&bob, "/version").await.expect(200, json!(21));
    s.get(&app, "/version").await.expect(200, json!(21));
    // Still refused while the window lasts.
    s.get(&login, "/version").await.expect(429, throttled);
});

backend_tests!(throttling_per_ip, |backend| async move {
    let launch = Launch::default()
        .env("PASSWORDS_AUTH__FAILURES_PER_IP", "3")
        .env("PASSWORDS_AUTH__CACHE_SECONDS", "0");
    let s = TestServer::start_launch(backend, launch).await;
    let (app, login) = alice_on(&s);
    s.env.add_user("bob", "bob login password");

    // Failures for different accounts from one IP add up.
    for user in ["alice", "bob", "nobody"] {
        s.get(&User::new(user, "wrong password"), "/version")
            .await
            .expect(401, cors_auth());
    }
    let throttled =
        json!({"status": "error", "id": "b927b225", "message": "Too many failed login attempts"});
    for user in [&login, &app, &User::new("bob", "bob login password")] {
        let r = s.get(user, "/version").await;
        r.expect(429, throttled.clone());
        assert!(r
            .header("retry-after")
            .is_some_and(|v| v.parse::<u64>().is_ok_and(|n| n >= 1)));
    }
    // Requests without credentials are still simply unauthorised.
    call(&s, Method::GET, &s.url("/version"), None)
        .await
        .expect(401, cors_auth());
});

backend_tests!(body_limit, |backend| async move {
    let launch = Launch::default().env("PASSWORDS_BODY_LIMIT", "1024");
    let s = TestServer::start_launch(backend, launch).await;
    let (alice, _) = alice_on(&s);

    let r = s
        .post(
            &alice,
            "/passwords",
            json!({"pass": "p", "notes": "n".repeat(900)}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "a body under the limit: {}",
        r.text
    );
    let id = r.json()["id"].clone();
    let big = json!({"pass": "p", "notes": "n".repeat(2000)});
    let r = s.post(&alice, "/passwords", big.clone()).await;
    r.expect(413, error_body("Request body too large"));
    r.assert_json_type();
    s.put(&alice, &format!("/passwords/{id}"), big)
        .await
        .expect(413, error_body("Request body too large"));
    let notes = "n".repeat(2000);
    s.post_form(&alice, "/categories", &[("categoryName", &notes)])
        .await
        .expect(413, error_body("Request body too large"));
    assert_eq!(
        s.get(&alice, "/passwords")
            .await
            .json()
            .as_object()
            .map(|o| o.len()),
        Some(1)
    );
    assert_eq!(
        s.get(&alice, &format!("/passwords/{id}")).await.json()["notes"],
        "n".repeat(900)
    );
});

backend_tests!(switch_and_last_used, |backend| async move {
    let s = TestServer::start(backend).await;
    let (alice, _) = alice_on(&s);
    // Requests that fail authentication do not count as use.
    call(&s, Method::GET, &s.url("/version"), None)
        .await
        .expect(401, cors_auth());
    s.get(&User::new("alice", "wrong"), "/version")
        .await
        .expect(401, cors_auth());
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(s.env.config_get("legacy.api.last.used"), "0");
    let before = unix_now();
    s.get(&alice, "/version").await.expect(200, json!(21));
    let id = s.create_password(&alice, json!({"pass": "p"})).await["id"]
        .as_i64()
        .unwrap();

    // legacy.api.last.used becomes a recent unix time.
    let recorded = eventually(Duration::from_secs(5), || async {
        s.env
            .config_get("legacy.api.last.used")
            .parse::<i64>()
            .is_ok_and(|t| t >= before)
    })
    .await;
    let last: i64 = s.env.config_get("legacy.api.last.used").parse().unwrap();
    assert!(
        recorded,
        "legacy.api.last.used = {last}, expected at least {before}"
    );
    assert!(last <= unix_now());

    // Switched off from the CLI: every legacy route answers 404 within a moment.
    s.env.config_set("legacy.api.enabled", "false");
    let off = eventually(Duration::from_secs(5), || async {
        s.get(&alice, "/version").await.status == StatusCode::NOT_FOUND
    })
    .await;
    assert!(
        off,
        "the legacy API is still on 5 s after `config set legacy.api.enabled false`"
    );
    let routes = [
        (Method::GET, format!("{API}/version")),
        (Method::GET, format!("{API}/passwords")),
        (Method::GET, format!("{API}/passwords/{id}")),
        (Method::POST, format!("{API}/passwords")),
        (Method::PUT, format!("{API}/passwords/{id}")),
        (Method::DELETE, format!("{API}/passwords/{id}")),
        (Method::GET, format!("{API}/categories")),
        (Method::POST, format!("{API}/categories")),
        (Method::GET, format!("{API}/categories/1")),
        (Method::OPTIONS, format!("{API}/passwords")),
        (Method::GET, format!("{API_PRETTY}/passwords")),
        (Method::GET, format!("{API_PRETTY}/version")),
    ];
    for (method, path) in &routes {
        for user in [Some(&alice), None] {
            let r = call(&s, method.clone(), &s.raw_url(path), user).await;
            r.expect(404, resource_not_found());
            r.assert_json_type();
        }
    }
    // /health is not part of the legacy API.
    call(&s, Method::GET, &s.raw_url("/health"), None)
        .await
        .expect(200, json!({"status": "ok"}));

    // Back on: everything works again, nothing was changed meanwhile.
    s.env.config_set("legacy.api.enabled", "true");
    let on = eventually(Duration::from_secs(5), || async {
        s.get(&alice, "/version").await.status == StatusCode::OK
    })
    .await;
    assert!(
        on,
        "the legacy API is still off 5 s after `config set legacy.api.enabled true`"
    );
    let r = s.get(&alice, &format!("/passwords/{id}")).await;
    assert_eq!(
        (r.status, &r.json()["deleted"]),
        (StatusCode::OK, &json!(false))
    );
});

backend_tests!(https_with_rustls, |backend| async move {
    let env = TestEnv::new(backend).await;
    let (cert, key) = self_signed_cert(env.data_dir());
    let launch = Launch::default()
        .arg("--tls-cert")
        .arg(cert.display().to_string())
        .arg("--tls-key")
        .arg(key.display().to_string());
    let s = TestServer::start_with(env, launch);
    assert!(s.base.starts_with("https://"), "{}", s.base);
    let (alice, login) = alice_on(&s);
    s.get(&alice, "/version").await.expect(200, json!(21));
    s.post(&login, "/passwords", json!({"pass": "over tls"}))
        .await;
    assert_eq!(
        s.get(&alice, "/passwords").await.json()["1"]["pass"],
        "over tls"
    );
    call(&s, Method::GET, &s.raw_url("/health"), None)
        .await
        .expect(200, json!({"status": "ok"}));
    // Plain HTTP on the TLS port gets no API answer.
    let plain = format!("http://{}{API}/version", s.addr);
    let answer = s
        .http
        .get(plain)
        .basic_auth("alice", Some(&alice.secret))
        .send()
        .await;
    assert!(answer.map(|r| r.status() != StatusCode::OK).unwrap_or(true));
});

// The HTTPS rule for non-loopback peers and trusted proxies is tested in process
// (`crates/passwords-server/tests/router.rs`): a black-box test would have to reach this
// machine on an address other than loopback, which tests here must not do.

backend_tests!(graceful_shutdown, |backend| async move {
    let mut s = TestServer::start(backend).await;
    let (alice, _) = alice_on(&s);
    s.get(&alice, "/version").await.expect(200, json!(21));
    s.create_password(&alice, json!({"pass": "kept"})).await;
    let (status, took) = s.terminate(Duration::from_secs(10));
    let status =
        status.unwrap_or_else(|| panic!("no exit within 10 s of SIGTERM; log: {:?}", s.log()));
    assert!(status.success(), "exit status {status}; log: {:?}", s.log());
    assert!(took < Duration::from_secs(5), "shutdown took {took:?}");
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        s.log().iter().any(|l| l.contains("stopped")),
        "log: {:?}",
        s.log()
    );
    // The data survived: a new server on the same database and data directory sees it.
    let env = std::mem::replace(&mut s.env, TestEnv::new(backend).await);
    drop(s);
    let s = TestServer::start_with(env, Launch::default());
    s.get(&alice, "/passwords").await;
    assert_eq!(
        s.get(&alice, "/passwords").await.json()["1"]["pass"],
        "kept"
    );
});

backend_tests!(concurrent_writes, |backend| async move {
    let s = TestServer::start(backend).await;
    let (alice, login) = alice_on(&s);
    let bob = User::new("bob", &s.env.add_user("bob", "bob login password"));
    s.get(&login, "/version").await.expect(200, json!(21));

    // Rounds of simultaneous creates from two users (some with the login password), the same
    // password within a round: every write succeeds with its own id, and every copy ends up
    // DUPLICATE even though the transactions ran side by side.
    const ROUNDS: usize = 3;
    const PER_ROUND: usize = 12;
    let mut ids = Vec::new();
    for round in 0..ROUNDS {
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..PER_ROUND {
            let user = match i % 4 {
                0 | 1 => alice.clone(),
                2 => login.clone(),
                _ => bob.clone(),
            };
            let rb = s
                .request(Method::POST, &s.url("/passwords"), Some(&user))
                .json(&json!({"pass": format!("shared {round}"), "notes": i}));
            tasks.spawn(async move { (user.uid, Resp::send(rb).await) });
        }
        while let Some(done) = tasks.join_next().await {
            let (uid, r) = done.expect("task");
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            assert_eq!(r.json()["user_id"], json!(uid));
            ids.push(r.json()["id"].as_i64().unwrap());
        }
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), ROUNDS * PER_ROUND, "distinct ids");

    for (user, n) in [
        (&alice, ROUNDS * PER_ROUND * 3 / 4),
        (&bob, ROUNDS * PER_ROUND / 4),
    ] {
        let index = s.get(user, "/passwords").await.json();
        let list = index.as_object().expect("object");
        assert_eq!(list.len(), n);
        let good: Vec<&Value> = list
            .values()
            .filter(|p| props(p)["strength"] != 10)
            .collect();
        assert!(
            good.is_empty(),
            "{} of {n} copies of {} are not DUPLICATE: {good:?}",
            good.len(),
            user.uid
        );
    }
});
