//! Helpers of the API v1 service tests (session, settings, service): requests under the v1
//! prefix with the headers the real clients send, and checks of the v1 answer conventions.

#![allow(dead_code)]

use crate::common::*;

/// The API v1 prefix every client uses.
pub const V1: &str = "/index.php/apps/passwords/api/1.0";
/// The "pretty URL" prefix.
pub const V1_PRETTY: &str = "/apps/passwords/api/1.0";

/// A response with its raw body (icons are binary).
pub struct Raw {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// Asserts the status and the JSON body, and that the answer is JSON with a session
    /// header (as every JSON answer of API v1 is).
    #[track_caller]
    pub fn expect(&self, status: u16, body: Value) -> &Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(self.json(), body);
        self.assert_json_conventions();
        self
    }

    /// JSON content type and an opaque 32-hex `X-API-SESSION` header plus cookie.
    #[track_caller]
    pub fn assert_json_conventions(&self) {
        assert_eq!(
            self.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        let token = self.session().expect("an X-API-SESSION header");
        assert!(
            token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()),
            "session token {token:?}"
        );
        let cookie = self.header("set-cookie").expect("a session cookie");
        assert!(
            cookie.starts_with(&format!("nc_passwords={token};")),
            "{cookie}"
        );
    }

    pub fn session(&self) -> Option<&str> {
        self.header("x-api-session")
    }

    /// Asserts an error answer: status, message and the message's CRC id.
    #[track_caller]
    pub fn expect_error(&self, status: u16, id: &str, message: &str) {
        self.expect(
            status,
            json!({"status": "error", "id": id, "message": message}),
        );
    }
}

/// One request under the v1 prefix: Basic auth for `user`, optional JSON body, extra headers.
pub async fn call(
    server: &TestServer,
    user: Option<&User>,
    method: Method,
    path: &str,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Raw {
    let url = format!("{}{V1}{path}", server.base);
    let mut rb = server.request(method, &url, user);
    for (k, v) in headers {
        rb = rb.header(*k, *v);
    }
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    send(rb).await
}

pub async fn send(rb: reqwest::RequestBuilder) -> Raw {
    let r = rb.send().await.expect("the request is answered");
    let status = r.status();
    let headers = r.headers().clone();
    let body = r.bytes().await.expect("a body").to_vec();
    Raw {
        status,
        headers,
        body,
    }
}

pub async fn v1_get(server: &TestServer, user: &User, path: &str) -> Raw {
    call(server, Some(user), Method::GET, path, None, &[]).await
}

pub async fn v1_post(server: &TestServer, user: &User, path: &str, body: Value) -> Raw {
    call(server, Some(user), Method::POST, path, Some(body), &[]).await
}

/// The sorted keys of a JSON object.
#[track_caller]
pub fn keys_of(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

/// A server with users `alice` and `bob` (app passwords).
pub async fn server_with_users(backend: TestBackend) -> (TestServer, User, User) {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let bob = User::new("bob", &s.env.add_user("bob", "bob login password"));
    (s, alice, bob)
}
