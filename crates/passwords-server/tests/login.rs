//! In-process tests of the Login Flow pages for peers a black-box test on loopback cannot be:
//! the HTTPS rule, and the server address behind a trusted proxy and with TLS.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use passwords_core::auth::ThrottleLimits;
use passwords_server::{app, ServerOptions};
use serde_json::Value;
use support::{call, fixture, from};

const PROXY: [u8; 4] = [10, 0, 0, 1];

fn request(method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "vault.example.org");
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(Body::from(body.to_owned())).unwrap()
}

#[tokio::test]
async fn login_pages_refuse_plain_http_from_the_network() {
    let options = ServerOptions {
        trusted_proxies: vec![std::net::IpAddr::from(PROXY)],
        ..ServerOptions::default()
    };
    let f = fixture(options, ThrottleLimits::default()).await;
    for (method, path, body) in [
        ("GET", "/index.php/login/flow", ""),
        ("POST", "/index.php/login/flow", "user=alice&password=pw"),
        ("POST", "/login/v2", ""),
        ("GET", "/login/v2/flow/abc", ""),
        (
            "POST",
            "/index.php/login/v2/grant",
            "token=a&user=alice&password=pw",
        ),
        ("POST", "/index.php/login/v2/poll", "token=abc"),
        ("DELETE", "/ocs/v2.php/core/apppassword", ""),
        ("GET", "/app-password", ""),
        ("POST", "/app-password", "user=alice&password=pw&name=x"),
    ] {
        let (status, text) = call(
            from(app(f.state.clone()), [10, 1, 2, 3]),
            request(method, path, &[], body),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {path}");
        assert!(text.contains("HTTPS required"), "{path}: {text}");
        // An untrusted peer cannot vouch for HTTPS.
        let (status, _) = call(
            from(app(f.state.clone()), [10, 9, 9, 9]),
            request(method, path, &[("x-forwarded-proto", "https")], body),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {path}");
    }
    // Not even a valid app password is revoked over plain HTTP.
    let basic = format!(
        "Basic {}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            format!("alice:{}", f.token)
        )
    );
    let (status, _) = call(
        from(app(f.state.clone()), [10, 1, 2, 3]),
        request(
            "DELETE",
            "/ocs/v2.php/core/apppassword",
            &[("authorization", &basic)],
            "",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // The plain-HTTP sign-in minted nothing, and nothing was revoked.
    let mut conn = f.state.store().conn().await.unwrap();
    let uid = passwords_types::UserId::parse("alice").unwrap();
    assert_eq!(conn.list_app_passwords(&uid).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_server_address_is_what_the_client_sees() {
    let options = ServerOptions {
        trusted_proxies: vec![std::net::IpAddr::from(PROXY)],
        ..ServerOptions::default()
    };
    let f = fixture(options, ThrottleLimits::default()).await;
    // Behind the trusted proxy: its forwarded host and scheme.
    let (status, body) = call(
        from(app(f.state.clone()), PROXY),
        request(
            "POST",
            "/index.php/login/v2",
            &[
                ("x-forwarded-proto", "https"),
                ("x-forwarded-host", "passwords.example.com"),
            ],
            "",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v["poll"]["endpoint"],
        "https://passwords.example.com/index.php/login/v2/poll"
    );
    assert!(v["login"]
        .as_str()
        .unwrap()
        .starts_with("https://passwords.example.com/index.php/login/v2/flow/"));

    // v1 through the proxy: the address in the `nc:` redirect.
    let res = tower::ServiceExt::oneshot(
        from(app(f.state.clone()), PROXY),
        request(
            "POST",
            "/login/flow",
            &[
                ("x-forwarded-proto", "https"),
                ("x-forwarded-host", "passwords.example.com"),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            "user=alice&password=pw",
        ),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let location = res.headers()["location"].to_str().unwrap();
    assert!(
        location
            .starts_with("nc://login/server:https://passwords.example.com&user:alice&password:"),
        "{location}"
    );

    // A forwarded host from a peer that is no trusted proxy is ignored: loopback, own Host.
    let (_, body) = call(
        from(app(f.state.clone()), [127, 0, 0, 1]),
        request(
            "POST",
            "/login/v2",
            &[("x-forwarded-host", "evil.example.net")],
            "",
        ),
    )
    .await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v["poll"]["endpoint"],
        "http://vault.example.org/login/v2/poll"
    );

    // A host that could break out of the address is refused.
    let (status, _) = call(
        from(app(f.state.clone()), [127, 0, 0, 1]),
        Request::builder()
            .method("POST")
            .uri("/login/v2")
            .header("host", "a.example/x?y")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // A server with its own certificate: https, from any peer.
    let tls = fixture(
        ServerOptions {
            tls: true,
            ..ServerOptions::default()
        },
        ThrottleLimits::default(),
    )
    .await;
    let (status, body) = call(
        from(app(tls.state.clone()), [10, 1, 2, 3]),
        request("POST", "/login/v2", &[], ""),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v["poll"]["endpoint"],
        "https://vault.example.org/login/v2/poll"
    );
}

#[tokio::test]
async fn an_oversized_form_is_refused_and_mints_nothing() {
    let f = fixture(ServerOptions::default(), ThrottleLimits::default()).await;
    let body = format!("user=alice&password=pw&name={}", "x".repeat(20_000));
    let (status, text) = call(
        from(app(f.state.clone()), [127, 0, 0, 1]),
        request("POST", "/app-password", &[], &body),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    assert!(text.contains("The form is too large."), "{text}");
    let mut conn = f.state.store().conn().await.unwrap();
    let uid = passwords_types::UserId::parse("alice").unwrap();
    assert_eq!(conn.list_app_passwords(&uid).await.unwrap().len(), 1);
}

#[tokio::test]
async fn flow_starts_are_limited_per_address() {
    let f = fixture(ServerOptions::default(), ThrottleLimits::default()).await;
    let router = from(app(f.state.clone()), [127, 0, 0, 1]);
    for _ in 0..30 {
        let (status, _) = call(router.clone(), request("POST", "/login/v2", &[], "")).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _) = call(router.clone(), request("POST", "/login/v2", &[], "")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}
