//! Helpers of the API v1 object tests (passwords, folders, tags): requests under the v1
//! prefix with Basic auth, and the expected key sets.

#![allow(dead_code)]

use crate::common::*;

/// The v1 prefix every real client uses.
pub const V1: &str = "/index.php/apps/passwords/api/1.0";
/// The base folder.
pub const BASE: &str = "00000000-0000-0000-0000-000000000000";

/// The 25 keys of a password with the `model` level, in the reference's order.
pub const PASSWORD_KEYS: [&str; 25] = [
    "id",
    "created",
    "updated",
    "edited",
    "share",
    "shared",
    "revision",
    "label",
    "username",
    "password",
    "notes",
    "customFields",
    "url",
    "status",
    "statusCode",
    "hash",
    "folder",
    "cseKey",
    "cseType",
    "sseType",
    "hidden",
    "trashed",
    "favorite",
    "editable",
    "client",
];
/// The 14 keys of a folder.
pub const FOLDER_KEYS: [&str; 14] = [
    "id", "created", "updated", "edited", "revision", "label", "parent", "cseKey", "cseType",
    "sseType", "hidden", "trashed", "favorite", "client",
];
/// The 14 keys of a tag.
pub const TAG_KEYS: [&str; 14] = [
    "id", "created", "updated", "edited", "revision", "label", "color", "cseKey", "cseType",
    "sseType", "hidden", "trashed", "favorite", "client",
];
/// The 21 keys of a password revision.
pub const PASSWORD_REVISION_KEYS: [&str; 21] = [
    "id",
    "created",
    "updated",
    "edited",
    "label",
    "username",
    "password",
    "notes",
    "customFields",
    "url",
    "status",
    "statusCode",
    "hash",
    "folder",
    "cseKey",
    "cseType",
    "sseType",
    "hidden",
    "trashed",
    "favorite",
    "client",
];

/// The 13 keys of a folder revision: a folder's keys without `revision`.
pub const FOLDER_REVISION_KEYS: [&str; 13] = [
    "id", "created", "updated", "edited", "label", "parent", "cseKey", "cseType", "sseType",
    "hidden", "trashed", "favorite", "client",
];
/// The 13 keys of a tag revision: a tag's keys without `revision`.
pub const TAG_REVISION_KEYS: [&str; 13] = [
    "id", "created", "updated", "edited", "label", "color", "cseKey", "cseType", "sseType",
    "hidden", "trashed", "favorite", "client",
];

/// The keys of a JSON object, in order.
#[track_caller]
pub fn keys(v: &Value) -> Vec<String> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect()
}

/// Asserts the exact key list (order included).
#[track_caller]
pub fn assert_keys(v: &Value, expected: &[&str]) {
    assert_eq!(keys(v), expected, "keys of {v}");
}

/// A v1 request with Basic auth and an optional JSON body.
pub async fn v1(
    s: &TestServer,
    user: &User,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Resp {
    let rb = s.request(method, &s.raw_url(&format!("{V1}{path}")), Some(user));
    let rb = match body {
        Some(b) => rb.json(&b),
        None => rb,
    };
    Resp::send(rb).await
}

pub async fn get(s: &TestServer, user: &User, path: &str) -> Resp {
    v1(s, user, Method::GET, path, None).await
}

pub async fn post(s: &TestServer, user: &User, path: &str, body: Value) -> Resp {
    v1(s, user, Method::POST, path, Some(body)).await
}

pub async fn patch(s: &TestServer, user: &User, path: &str, body: Value) -> Resp {
    v1(s, user, Method::PATCH, path, Some(body)).await
}

pub async fn delete(s: &TestServer, user: &User, path: &str, body: Value) -> Resp {
    v1(s, user, Method::DELETE, path, Some(body)).await
}

/// Asserts a status and returns the body as JSON.
#[track_caller]
pub fn ok(r: &Resp, status: u16) -> Value {
    assert_eq!(r.status.as_u16(), status, "status; body: {}", r.text);
    r.json()
}

/// Creates an object (`password`, `folder`, `tag`) and returns its `{id, revision}`.
pub async fn create(s: &TestServer, user: &User, what: &str, body: Value) -> (String, String) {
    let r = post(s, user, &format!("/{what}/create"), body).await;
    let v = ok(&r, 201);
    assert_keys(&v, &["id", "revision"]);
    (
        v["id"].as_str().unwrap().to_owned(),
        v["revision"].as_str().unwrap().to_owned(),
    )
}

/// Shows an object at a detail level (asserting 200).
pub async fn show(s: &TestServer, user: &User, what: &str, id: &str, details: &str) -> Value {
    let r = post(
        s,
        user,
        &format!("/{what}/show"),
        json!({"id": id, "details": details}),
    )
    .await;
    ok(&r, 200)
}

/// Lists objects at a detail level (asserting 200).
pub async fn list(s: &TestServer, user: &User, what: &str, details: &str) -> Vec<Value> {
    let r = post(
        s,
        user,
        &format!("/{what}/list"),
        json!({"details": details}),
    )
    .await;
    ok(&r, 200)
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {}", r.text))
        .clone()
}

/// The ids of a list.
pub fn ids(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The v1 error body of `message`.
pub fn v1_error(message: &str) -> Value {
    error_body(message)
}

/// A password body with the required fields.
pub fn password_body(label: &str, password: &str) -> Value {
    json!({"label": label, "password": password})
}

/// SHA-1 of `test` (the reference's example hash).
pub const SHA1_TEST: &str = "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3";
/// SHA-1 of `password`.
pub const SHA1_PASSWORD: &str = "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8";

/// Creates an account `uid` and an app password called `name`; returns the app password.
#[track_caller]
pub fn add_user_token(env: &TestEnv, uid: &str, name: &str) -> String {
    let args = ["account", "add", uid, "--password-stdin"];
    let out = env.cli_stdin(&args, &format!("{uid} login password\n"));
    assert_success(&out, &args);
    env.add_token(uid, name)
}
