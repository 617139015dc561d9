//! The requests the real clients send for passwords, folders and tags (reference §4.1–4.4),
//! replayed with their headers and bodies on every backend: iOS, Android and the browser
//! extension (through the passwords-client library).

#[macro_use]
mod common;
mod v1;

use common::*;
use v1::*;

/// A request as a client sends it: its own headers, the session header it last saw.
async fn send(
    s: &TestServer,
    user: &User,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    session: &mut Option<String>,
    body: Option<Value>,
) -> Resp {
    let mut rb = s.request(method, &s.raw_url(&format!("{V1}{path}")), Some(user));
    for (k, v) in headers {
        rb = rb.header(*k, *v);
    }
    if let Some(token) = session.as_deref() {
        rb = rb.header("X-Api-Session", token);
    }
    if let Some(b) = body {
        rb = rb.body(b.to_string());
    }
    let r = Resp::send(rb).await;
    let token = r
        .header("x-api-session")
        .expect("every JSON answer has X-API-SESSION");
    *session = Some(token.to_owned());
    r
}

const IOS: [(&str, &str); 2] = [
    ("Content-Type", "application/json"),
    ("User-Agent", "Passwords (iOS)"),
];

backend_tests!(ios_sequence, |backend| async move {
    let s = TestServer::start(backend).await;
    let token = add_user_token(&s.env, "ios-user", "Nextcloud Passwords (iOS)");
    let u = User::new("ios-user", &token);
    let mut session = None;
    let (tag, _) = create(&s, &u, "tag", json!({"label": "T", "color": "#ff0000"})).await;
    // Startup: folders, passwords with tag ids, tags.
    let r = send(
        &s,
        &u,
        Method::GET,
        "/folder/list",
        &IOS,
        &mut session,
        None,
    )
    .await;
    assert_eq!(ok(&r, 200), json!([]));
    let r = send(
        &s,
        &u,
        Method::POST,
        "/password/list",
        &IOS,
        &mut session,
        Some(json!({"details": "model+tag-ids"})),
    )
    .await;
    assert_eq!(ok(&r, 200), json!([]));
    let r = send(&s, &u, Method::GET, "/tag/list", &IOS, &mut session, None).await;
    assert_eq!(ok(&r, 200).as_array().unwrap().len(), 1);

    // Create: the whole object, `revision: ""`, dates as fractional seconds.
    let object = json!({
        "id": "", "created": 0, "updated": 0, "edited": 1_700_000_123.456, "share": null,
        "shared": false, "revision": "", "label": "Bank", "username": "me", "password": "test",
        "notes": "", "customFields": "[{\"label\":\"client.ios.otp\",\"type\":\"data\",\"value\":\"{}\"}]",
        "url": "https://bank.example", "status": 0, "statusCode": "GOOD", "hash": SHA1_TEST,
        "folder": BASE, "cseKey": "", "cseType": "none", "sseType": "none", "hidden": false,
        "trashed": false, "favorite": false, "editable": true, "client": "", "tags": [tag],
    });
    let r = send(
        &s,
        &u,
        Method::POST,
        "/password/create",
        &IOS,
        &mut session,
        Some(object.clone()),
    )
    .await;
    let created = ok(&r, 201);
    assert_keys(&created, &["id", "revision"]);
    let id = created["id"].as_str().unwrap().to_owned();
    let r = send(
        &s,
        &u,
        Method::POST,
        "/password/show",
        &IOS,
        &mut session,
        Some(json!({"id": id, "details": "model+tag-ids"})),
    )
    .await;
    let shown = ok(&r, 200);
    assert_keys(&shown, &[&PASSWORD_KEYS[..], &["tags"]].concat());
    assert_eq!(shown["edited"], 1_700_000_123);
    assert_eq!(shown["client"], "Nextcloud Passwords (iOS)");
    assert_eq!(shown["customFields"], object["customFields"]);
    assert_eq!(shown["tags"], json!([tag]));

    // Update: the whole object with its revision; `tags: [""]` clears the tags.
    let mut update = shown.clone();
    update["label"] = json!("Bank 2");
    update["tags"] = json!([""]);
    let r = send(
        &s,
        &u,
        Method::PATCH,
        "/password/update",
        &IOS,
        &mut session,
        Some(update.clone()),
    )
    .await;
    let updated = ok(&r, 200);
    assert_keys(&updated, &["id", "revision"]);
    let r = send(
        &s,
        &u,
        Method::POST,
        "/password/show",
        &IOS,
        &mut session,
        Some(json!({"id": id, "details": "model+tag-ids"})),
    )
    .await;
    let shown = ok(&r, 200);
    assert_eq!(
        (shown["label"].as_str(), shown["tags"].clone()),
        (Some("Bank 2"), json!([]))
    );
    assert_eq!(shown["revision"], updated["revision"]);
    // The same update again carries a stale revision now.
    let r = send(
        &s,
        &u,
        Method::PATCH,
        "/password/update",
        &IOS,
        &mut session,
        Some(update),
    )
    .await;
    r.expect(409, v1_error("Outdated revision id"));
    assert_eq!(v1_error("Outdated revision id")["id"], "9c5d2ad8");

    // Delete: the whole object; the answer must have id and revision.
    let r = send(
        &s,
        &u,
        Method::DELETE,
        "/password/delete",
        &IOS,
        &mut session,
        Some(shown),
    )
    .await;
    let deleted = ok(&r, 200);
    assert_keys(&deleted, &["id", "revision"]);

    // Folders and tags the same way.
    let r = send(&s, &u, Method::POST, "/folder/create", &IOS, &mut session, Some(json!({"id": "", "label": "F", "parent": BASE, "revision": "", "cseType": "none", "cseKey": "", "sseType": "none", "hidden": false, "trashed": false, "favorite": false, "edited": 1_700_000_000.5, "created": 0, "updated": 0, "client": ""}))).await;
    let folder = ok(&r, 201);
    let r = send(
        &s,
        &u,
        Method::POST,
        "/folder/show",
        &IOS,
        &mut session,
        Some(json!({"id": folder["id"]})),
    )
    .await;
    assert_keys(&ok(&r, 200), &FOLDER_KEYS);
    let r = send(
        &s,
        &u,
        Method::POST,
        "/tag/show",
        &IOS,
        &mut session,
        Some(json!({"id": tag})),
    )
    .await;
    assert_keys(&ok(&r, 200), &TAG_KEYS);

    // Tag create: the whole object, then show.
    let r = send(&s, &u, Method::POST, "/tag/create", &IOS, &mut session, Some(json!({"id": "", "label": "Bills", "color": "#3366ff", "revision": "", "cseType": "none", "cseKey": "", "sseType": "none", "hidden": false, "trashed": false, "favorite": true, "edited": 1_700_000_200.25, "created": 0, "updated": 0, "client": ""}))).await;
    let new_tag = ok(&r, 201);
    assert_keys(&new_tag, &["id", "revision"]);
    let r = send(
        &s,
        &u,
        Method::POST,
        "/tag/show",
        &IOS,
        &mut session,
        Some(json!({"id": new_tag["id"]})),
    )
    .await;
    let t = ok(&r, 200);
    assert_keys(&t, &TAG_KEYS);
    assert_eq!(
        (
            t["label"].as_str(),
            t["color"].as_str(),
            t["favorite"].as_bool()
        ),
        (Some("Bills"), Some("#3366ff"), Some(true))
    );
    assert_eq!(
        (t["edited"].as_i64(), t["client"].as_str()),
        (Some(1_700_000_200), Some("Nextcloud Passwords (iOS)"))
    );
    assert_eq!(t["revision"], new_tag["revision"]);

    // Folder and tag update: the whole shown object with its revision, then show.
    let r = send(
        &s,
        &u,
        Method::POST,
        "/folder/show",
        &IOS,
        &mut session,
        Some(json!({"id": folder["id"]})),
    )
    .await;
    let mut f = ok(&r, 200);
    for (what, object, label) in [("folder", &mut f, "F2"), ("tag", &mut t.clone(), "Bills 2")] {
        object["label"] = json!(label);
        let r = send(
            &s,
            &u,
            Method::PATCH,
            &format!("/{what}/update"),
            &IOS,
            &mut session,
            Some(object.clone()),
        )
        .await;
        let updated = ok(&r, 200);
        assert_keys(&updated, &["id", "revision"]);
        assert_eq!(updated["id"], object["id"]);
        let r = send(
            &s,
            &u,
            Method::POST,
            &format!("/{what}/show"),
            &IOS,
            &mut session,
            Some(json!({"id": object["id"]})),
        )
        .await;
        let shown = ok(&r, 200);
        assert_eq!(
            (shown["label"].as_str(), shown["revision"].clone()),
            (Some(label), updated["revision"].clone()),
            "{what}"
        );
        assert_eq!(shown["edited"], object["edited"], "{what}: edited as sent");
        // The same update again carries a stale revision now.
        let r = send(
            &s,
            &u,
            Method::PATCH,
            &format!("/{what}/update"),
            &IOS,
            &mut session,
            Some(object.clone()),
        )
        .await;
        r.expect(409, v1_error("Outdated revision id"));
        // Delete: the whole (shown) object; the answer must have id and revision.
        let r = send(
            &s,
            &u,
            Method::DELETE,
            &format!("/{what}/delete"),
            &IOS,
            &mut session,
            Some(shown.clone()),
        )
        .await;
        let deleted = ok(&r, 200);
        assert_keys(&deleted, &["id", "revision"]);
        assert_eq!(deleted["id"], object["id"]);
        let r = send(
            &s,
            &u,
            Method::POST,
            &format!("/{what}/show"),
            &IOS,
            &mut session,
            Some(json!({"id": object["id"]})),
        )
        .await;
        let trashed = ok(&r, 200);
        assert_eq!(
            (trashed["trashed"].as_bool(), trashed["revision"].clone()),
            (Some(true), deleted["revision"].clone()),
            "{what}"
        );
    }
});

const ANDROID: [(&str, &str); 2] = [
    ("OCS-APIRequest", "true"),
    ("Content-Type", "application/json"),
];

backend_tests!(android_sequence, |backend| async move {
    let s = TestServer::start(backend).await;
    let token = add_user_token(&s.env, "droid", "Android phone");
    let u = User::new("droid", &token);
    let mut session = None;
    let r = send(
        &s,
        &u,
        Method::GET,
        "/password/list",
        &ANDROID[..1],
        &mut session,
        None,
    )
    .await;
    assert_eq!(ok(&r, 200), json!([]));
    let r = send(
        &s,
        &u,
        Method::GET,
        "/folder/list",
        &ANDROID[..1],
        &mut session,
        None,
    )
    .await;
    assert_eq!(ok(&r, 200), json!([]));
    // NewFolder, NewPassword: 201.
    let r = send(&s, &u, Method::POST, "/folder/create", &ANDROID, &mut session, Some(json!({"label": "Work", "parent": BASE, "cseType": "none", "cseKey": "", "edited": 0, "hidden": false, "favorite": false}))).await;
    let folder = ok(&r, 201)["id"].as_str().unwrap().to_owned();
    let new_password = json!({
        "password": "password", "label": "Mail", "username": "droid", "url": "https://mail.example",
        "notes": "", "customFields": "[]", "hash": SHA1_PASSWORD, "cseType": "none", "cseKey": "",
        "folder": folder, "edited": 0, "hidden": false, "favorite": true,
    });
    let r = send(
        &s,
        &u,
        Method::POST,
        "/password/create",
        &ANDROID,
        &mut session,
        Some(new_password.clone()),
    )
    .await;
    let created = ok(&r, 201);
    let r = send(
        &s,
        &u,
        Method::GET,
        "/password/list",
        &ANDROID[..1],
        &mut session,
        None,
    )
    .await;
    let all = ok(&r, 200);
    assert_keys(&all[0], &PASSWORD_KEYS);
    assert_eq!(all[0]["folder"], folder.as_str());
    assert_eq!(all[0]["client"], "Android phone");
    for k in ["created", "updated", "edited", "status"] {
        assert!(all[0][k].is_i64(), "{k} is an Int: {}", all[0]);
    }
    // UpdatedPassword: id, revision and the full object.
    let mut updated = new_password.clone();
    updated["id"] = created["id"].clone();
    updated["revision"] = created["revision"].clone();
    updated["notes"] = json!("changed");
    let r = send(
        &s,
        &u,
        Method::PATCH,
        "/password/update",
        &ANDROID,
        &mut session,
        Some(updated),
    )
    .await;
    let rev = ok(&r, 200)["revision"].clone();
    // DeletedPassword: {id, revision}.
    let r = send(
        &s,
        &u,
        Method::DELETE,
        "/password/delete",
        &ANDROID,
        &mut session,
        Some(json!({"id": created["id"], "revision": rev})),
    )
    .await;
    assert_keys(&ok(&r, 200), &["id", "revision"]);
    let r = send(&s, &u, Method::PATCH, "/folder/update", &ANDROID, &mut session, Some(json!({"id": folder, "label": "Work 2", "parent": BASE, "cseType": "none", "cseKey": "", "edited": 0, "hidden": false, "favorite": false}))).await;
    let frev = ok(&r, 200)["revision"].clone();
    let r = send(
        &s,
        &u,
        Method::DELETE,
        "/folder/delete",
        &ANDROID,
        &mut session,
        Some(json!({"id": folder, "revision": frev})),
    )
    .await;
    assert_keys(&ok(&r, 200), &["id", "revision"]);
});

const EXTENSION: [(&str, &str); 2] = [
    ("Accept", "application/json"),
    ("Content-Type", "application/json"),
];

backend_tests!(extension_hidden_folder, |backend| async move {
    let s = TestServer::start(backend).await;
    let token = add_user_token(&s.env, "ext", "Firefox");
    let u = User::new("ext", &token);
    let mut session = None;
    for what in ["password", "folder", "tag"] {
        let r = send(
            &s,
            &u,
            Method::POST,
            &format!("/{what}/list"),
            &EXTENSION,
            &mut session,
            Some(json!({"details": "model"})),
        )
        .await;
        assert_eq!(ok(&r, 200), json!([]));
    }
    // The private folder's id from a setting that points nowhere: 404, so it creates one.
    let r = send(
        &s,
        &u,
        Method::POST,
        "/folder/show",
        &EXTENSION,
        &mut session,
        Some(json!({"id": "6ec7d2a5-3c5a-4d5f-9c1f-2a8b7c6d5e4f", "details": "model+passwords"})),
    )
    .await;
    r.expect(
        404,
        json!({"status": "error", "id": 404, "message": "Resource not found"}),
    );
    let r = send(&s, &u, Method::POST, "/folder/create", &EXTENSION, &mut session, Some(json!({"label": "Private Passwords", "hidden": true, "parent": BASE, "cseType": "none", "cseKey": "", "favorite": false, "edited": unix_now()}))).await;
    let folder = ok(&r, 201)["id"].as_str().unwrap().to_owned();
    let r = send(
        &s,
        &u,
        Method::POST,
        "/folder/show",
        &EXTENSION,
        &mut session,
        Some(json!({"id": folder, "details": "model+passwords"})),
    )
    .await;
    let f = ok(&r, 200);
    assert_keys(&f, &[&FOLDER_KEYS[..], &["passwords"]].concat());
    assert_eq!(
        (f["hidden"].as_bool(), f["passwords"].clone()),
        (Some(true), json!([]))
    );
    // Incognito save: a hidden password in the hidden folder; create, then show.
    let r = send(&s, &u, Method::POST, "/password/create", &EXTENSION, &mut session, Some(json!({"label": "site", "username": "me", "password": "pw", "url": "https://site.example", "hidden": true, "folder": folder, "customFields": "[]", "notes": "", "hash": "x", "cseType": "none", "cseKey": "", "favorite": false, "edited": unix_now()}))).await;
    let id = ok(&r, 201)["id"].clone();
    let r = send(
        &s,
        &u,
        Method::POST,
        "/password/show",
        &EXTENSION,
        &mut session,
        Some(json!({"id": id, "details": "model"})),
    )
    .await;
    let saved = ok(&r, 200);
    assert_eq!(saved["folder"], folder.as_str());
    // Save of a changed login (reference §4.2, MiningManager): password/update with the
    // writeable fields and `id` but no `revision`, then password/show.
    let edited = unix_now() + 30;
    let r = send(&s, &u, Method::PATCH, "/password/update", &EXTENSION, &mut session, Some(json!({"id": id, "label": "site", "username": "me too", "password": "pw2", "url": "https://site.example", "hidden": true, "folder": folder, "customFields": "[]", "notes": "", "hash": "x", "cseType": "none", "cseKey": "", "favorite": false, "edited": edited}))).await;
    let updated = ok(&r, 200);
    assert_keys(&updated, &["id", "revision"]);
    assert_ne!(updated["revision"], saved["revision"]);
    let r = send(
        &s,
        &u,
        Method::POST,
        "/password/show",
        &EXTENSION,
        &mut session,
        Some(json!({"id": id, "details": "model"})),
    )
    .await;
    let shown = ok(&r, 200);
    assert_keys(&shown, &PASSWORD_KEYS);
    assert_eq!(shown["revision"], updated["revision"]);
    assert_eq!(
        (shown["username"].as_str(), shown["password"].as_str()),
        (Some("me too"), Some("pw2"))
    );
    assert_eq!(
        (shown["folder"].as_str(), shown["hidden"].as_bool()),
        (Some(folder.as_str()), Some(true))
    );
    assert_eq!(
        shown["edited"], edited,
        "a new password, edited moved forward: kept"
    );
    assert_eq!(shown["client"], "Firefox");
    let r = send(
        &s,
        &u,
        Method::POST,
        "/folder/show",
        &EXTENSION,
        &mut session,
        Some(json!({"id": folder, "details": "model+passwords"})),
    )
    .await;
    assert_eq!(
        ids(ok(&r, 200)["passwords"].as_array().unwrap()),
        [id.as_str().unwrap().to_owned()]
    );
    // Rename the folder (folder/update with its label); the folder stays hidden and unlisted.
    let r = send(
        &s,
        &u,
        Method::PATCH,
        "/folder/update",
        &EXTENSION,
        &mut session,
        Some(json!({"id": folder, "label": "Private", "hidden": true})),
    )
    .await;
    ok(&r, 200);
    let r = send(
        &s,
        &u,
        Method::POST,
        "/folder/list",
        &EXTENSION,
        &mut session,
        Some(json!({"details": "model"})),
    )
    .await;
    assert_eq!(ok(&r, 200), json!([]));
    let r = send(
        &s,
        &u,
        Method::POST,
        "/password/list",
        &EXTENSION,
        &mut session,
        Some(json!({"details": "model"})),
    )
    .await;
    assert_eq!(ok(&r, 200), json!([]));
    // The JS client restores from the trash with PATCH …/restore.
    let r = send(
        &s,
        &u,
        Method::DELETE,
        "/password/delete",
        &EXTENSION,
        &mut session,
        Some(json!({"id": id})),
    )
    .await;
    ok(&r, 200);
    let r = send(
        &s,
        &u,
        Method::PATCH,
        "/password/restore",
        &EXTENSION,
        &mut session,
        Some(json!({"id": id})),
    )
    .await;
    assert_keys(&ok(&r, 200), &["id", "revision"]);
});
