//! In-process router tests: the HTTPS rule, trusted proxies and client IPs, which need peers
//! that a black-box test on loopback cannot be.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine;
use passwords_core::auth::ThrottleLimits;
use passwords_server::{app, ServerOptions};
use support::{call, fixture, from};
use tower::ServiceExt;

const LEGACY: &str = "/index.php/apps/passwords/api/0.1";

/// A GET of the legacy API.
fn get(path: &str, auth: Option<&str>, headers: &[(&str, &str)]) -> Request<Body> {
    v1_request("GET", &format!("{LEGACY}{path}"), auth, headers)
}

#[tokio::test]
async fn plain_http_from_the_network_is_refused() {
    let f = fixture(ServerOptions::default(), ThrottleLimits::default()).await;
    let auth = format!("alice:{}", f.token);
    let (status, body) = call(
        from(app(f.state.clone()), [10, 1, 2, 3]),
        get("/version", Some(&auth), &[]),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        r#"{"status":"error","id":"6304571a","message":"HTTPS required"}"#
    );
    // The same request from loopback is served.
    let (status, body) = call(
        from(app(f.state), [127, 0, 0, 1]),
        get("/version", Some(&auth), &[]),
    )
    .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "21"));
}

#[tokio::test]
async fn https_errors_and_preflights_carry_the_cors_header() {
    let f = fixture(ServerOptions::default(), ThrottleLimits::default()).await;
    let origin = [("origin", "https://client.example")];
    let res = from(app(f.state.clone()), [10, 1, 2, 3])
        .oneshot(get("/passwords", None, &origin))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://client.example"
    );
    // A preflight from the network is refused too: the HTTPS rule comes first.
    let req = Request::builder()
        .method("OPTIONS")
        .uri(format!("{LEGACY}/passwords"))
        .header("origin", "https://client.example")
        .body(Body::empty())
        .unwrap();
    let (status, _) = call(from(app(f.state), [10, 1, 2, 3]), req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_https_check_comes_before_authentication() {
    let f = fixture(ServerOptions::default(), ThrottleLimits::default()).await;
    let (status, _) = call(
        from(app(f.state), [10, 1, 2, 3]),
        get("/passwords", None, &[]),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn tls_servers_accept_any_peer() {
    let options = ServerOptions {
        tls: true,
        ..ServerOptions::default()
    };
    let f = fixture(options, ThrottleLimits::default()).await;
    let auth = format!("alice:{}", f.token);
    let (status, _) = call(
        from(app(f.state), [10, 1, 2, 3]),
        get("/version", Some(&auth), &[]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn only_trusted_proxies_may_vouch_for_https() {
    let proxy = [10, 0, 0, 1];
    let options = ServerOptions {
        trusted_proxies: vec![std::net::IpAddr::from(proxy)],
        ..ServerOptions::default()
    };
    let f = fixture(options, ThrottleLimits::default()).await;
    let auth = format!("alice:{}", f.token);
    let https = [("x-forwarded-proto", "https")];
    let (status, _) = call(
        from(app(f.state.clone()), proxy),
        get("/version", Some(&auth), &https),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "trusted proxy with X-Forwarded-Proto: https"
    );
    let (status, _) = call(
        from(app(f.state.clone()), proxy),
        get("/version", Some(&auth), &[]),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "trusted proxy without the header"
    );
    let http = [("x-forwarded-proto", "http")];
    let (status, _) = call(
        from(app(f.state.clone()), proxy),
        get("/version", Some(&auth), &http),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "trusted proxy forwarding plain HTTP"
    );
    let (status, _) = call(
        from(app(f.state), [10, 9, 9, 9]),
        get("/version", Some(&auth), &https),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "an untrusted peer cannot claim HTTPS"
    );
}

#[tokio::test]
async fn ip_throttling_uses_the_forwarded_client_address_behind_a_trusted_proxy() {
    let proxy = [10, 0, 0, 1];
    let options = ServerOptions {
        trusted_proxies: vec![std::net::IpAddr::from(proxy)],
        ..ServerOptions::default()
    };
    let limits = ThrottleLimits {
        per_account: 100,
        per_ip: 2,
        window: std::time::Duration::from_secs(60),
    };
    let f = fixture(options, limits).await;
    let bad = format!("alice:{}", "wrong-password");
    let attacker = [
        ("x-forwarded-proto", "https"),
        ("x-forwarded-for", "203.0.113.7"),
    ];
    for _ in 0..2 {
        let (status, _) = call(
            from(app(f.state.clone()), proxy),
            get("/version", Some(&bad), &attacker),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, body) = call(
        from(app(f.state.clone()), proxy),
        get("/version", Some(&bad), &attacker),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        body,
        r#"{"status":"error","id":"b927b225","message":"Too many failed login attempts"}"#
    );
    // Another client behind the same proxy is not affected.
    let good = format!("alice:{}", f.token);
    let other = [
        ("x-forwarded-proto", "https"),
        ("x-forwarded-for", "198.51.100.2"),
    ];
    let (status, _) = call(
        from(app(f.state), proxy),
        get("/version", Some(&good), &other),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn health_needs_no_credentials() {
    let f = fixture(ServerOptions::default(), ThrottleLimits::default()).await;
    let req = Request::builder()
        .uri("/health")
        .body(Body::empty())
        .unwrap();
    let (status, body) = call(from(app(f.state), [10, 1, 2, 3]), req).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, r#"{"status":"ok"}"#)
    );
}

#[tokio::test]
async fn api_v1_errors_have_the_v1_body_and_every_json_answer_the_session_header() {
    let f = fixture(ServerOptions::default(), ThrottleLimits::default()).await;
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("alice:{}", f.token));
    let req = |session: Option<&str>| {
        let mut b = Request::builder()
            .uri("/apps/passwords/api/1.0/no/such/route")
            .header("authorization", format!("Basic {auth}"));
        if let Some(s) = session {
            b = b.header("x-api-session", s);
        }
        b.body(Body::empty()).unwrap()
    };
    let res = from(app(f.state.clone()), [127, 0, 0, 1])
        .oneshot(req(None))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let token = res.headers()["x-api-session"].to_str().unwrap().to_owned();
    assert_eq!(token.len(), 32);
    assert!(res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with(&format!("nc_passwords={token};")));
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    assert_eq!(
        &body[..],
        br#"{"status":"error","id":404,"message":"Resource not found"}"#
    );
    // A client that sends its token back keeps it.
    let res = from(app(f.state), [127, 0, 0, 1])
        .oneshot(req(Some(&token)))
        .await
        .unwrap();
    assert_eq!(res.headers()["x-api-session"], token.as_str());
}

const V1: &str = "/index.php/apps/passwords/api/1.0";
const V1_PRETTY: &str = "/apps/passwords/api/1.0";

/// A request under an API v1 prefix.
fn v1_request(
    method: &str,
    uri: &str,
    auth: Option<&str>,
    headers: &[(&str, &str)],
) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(uri);
    if let Some(a) = auth {
        let v = base64::engine::general_purpose::STANDARD.encode(a);
        b = b.header("authorization", format!("Basic {v}"));
    }
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(Body::empty()).unwrap()
}

// Reference §0.16: API v1 is HTTPS only, on both prefixes, before authentication; loopback,
// a TLS server and a trusted proxy that forwards HTTPS are served.
#[tokio::test]
async fn api_v1_is_https_only() {
    let proxy = [10, 0, 0, 1];
    let options = ServerOptions {
        trusted_proxies: vec![std::net::IpAddr::from(proxy)],
        ..ServerOptions::default()
    };
    let f = fixture(options, ThrottleLimits::default()).await;
    let auth = format!("alice:{}", f.token);
    let https_required = r#"{"status":"error","id":"6304571a","message":"HTTPS required"}"#;
    for prefix in [V1, V1_PRETTY] {
        let list = format!("{prefix}/password/list");
        for credentials in [Some(auth.as_str()), None] {
            let res = from(app(f.state.clone()), [10, 1, 2, 3])
                .oneshot(v1_request("GET", &list, credentials, &[]))
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{list}");
            // A v1 error: the session header comes with it.
            assert_eq!(res.headers()["x-api-session"].len(), 32);
            let body = axum::body::to_bytes(res.into_body(), usize::MAX)
                .await
                .unwrap();
            assert_eq!(&body[..], https_required.as_bytes());
        }
        let (status, body) = call(
            from(app(f.state.clone()), [127, 0, 0, 1]),
            v1_request("GET", &list, Some(&auth), &[]),
        )
        .await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "[]"), "{list}");
        let (status, _) = call(
            from(app(f.state.clone()), proxy),
            v1_request("GET", &list, Some(&auth), &[("x-forwarded-proto", "https")]),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "a trusted proxy vouches for HTTPS");
        let (status, _) = call(
            from(app(f.state.clone()), [10, 9, 9, 9]),
            v1_request("GET", &list, Some(&auth), &[("x-forwarded-proto", "https")]),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "an untrusted peer cannot");
    }
    let tls = ServerOptions {
        tls: true,
        ..ServerOptions::default()
    };
    let f = fixture(tls, ThrottleLimits::default()).await;
    let auth = format!("alice:{}", f.token);
    let (status, body) = call(
        from(app(f.state), [10, 1, 2, 3]),
        v1_request("GET", &format!("{V1}/folder/list"), Some(&auth), &[]),
    )
    .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "[]"));
}

// Reference §2.1: `OPTIONS` under api/1.0 is the CORS preflight, answered without
// credentials with the API's CORS headers; the HTTPS rule still comes first.
#[tokio::test]
async fn api_v1_preflight() {
    let f = fixture(ServerOptions::default(), ThrottleLimits::default()).await;
    for path in [
        format!("{V1}/password/list"),
        format!("{V1_PRETTY}/folder/create"),
        format!("{V1}/session/open"),
    ] {
        let origin = [("origin", "moz-extension://abc")];
        let res = from(app(f.state.clone()), [127, 0, 0, 1])
            .oneshot(v1_request("OPTIONS", &path, None, &origin))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let h = res.headers();
        let expected = [
            ("access-control-allow-origin", "moz-extension://abc"),
            (
                "access-control-allow-methods",
                "GET, POST, DELETE, PUT, PATCH",
            ),
            ("access-control-max-age", "1728000"),
            (
                "access-control-allow-headers",
                "Authorization, Content-Type, Accept, X-API-SESSION",
            ),
            ("access-control-allow-credentials", "false"),
        ];
        for (name, value) in expected {
            assert_eq!(h[name], value, "{path}: {name}");
        }
        // Without an Origin: any origin.
        let res = from(app(f.state.clone()), [127, 0, 0, 1])
            .oneshot(v1_request("OPTIONS", &path, None, &[]))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["access-control-allow-origin"], "*");
        // From the network over plain HTTP: refused, with the CORS origin.
        let res = from(app(f.state.clone()), [10, 1, 2, 3])
            .oneshot(v1_request("OPTIONS", &path, None, &origin))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(
            res.headers()["access-control-allow-origin"],
            "moz-extension://abc"
        );
        assert!(res.headers().get("access-control-allow-methods").is_none());
    }
    // A request that is not a preflight still needs credentials.
    let res = from(app(f.state), [127, 0, 0, 1])
        .oneshot(v1_request("GET", &format!("{V1}/password/list"), None, &[]))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}
