//! Encryption at rest, black-box, on every backend: after passwords and categories were written
//! and changed through the API, no password, username, url, notes, label or category name is
//! anywhere in the database, neither in the SQLite files nor in a full dump of PostgreSQL or
//! MariaDB. The dump must contain the non-secret data (uid, SHA-1 hash), so the check cannot
//! pass by looking at nothing.

#[macro_use]
mod common;

use std::process::Command;

use common::*;

/// Secret texts written through the API; none may reach the database in the clear.
const SECRETS: &[&str] = &[
    "Pw-Plaintext-7f3a",
    "Pw-Changed-7f3a",
    "login-name-7f3a",
    "url-host-7f3a.example",
    "note-text-7f3a",
    "category-name-7f3a",
    "c0ffee7f3a",
];

/// Everything the database holds, as bytes.
fn database_bytes(env: &TestEnv) -> Vec<u8> {
    match env.backend {
        TestBackend::Sqlite => {
            let dir = env
                .db
                .dir()
                .expect("a SQLite test database has a directory");
            let mut all = Vec::new();
            for entry in std::fs::read_dir(dir).unwrap() {
                all.extend(std::fs::read(entry.unwrap().path()).unwrap());
            }
            all
        }
        TestBackend::Postgres | TestBackend::Mysql => dump_server_database(env, &[]),
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

backend_tests!(no_secret_reaches_the_database, |backend| async move {
    let mut s = TestServer::start(backend).await;
    let alice = User::new(
        "alice-enc",
        &s.env.add_user("alice-enc", "login password 7f3a"),
    );
    let cat = s
        .create_category(&alice, "category-name-7f3a", "c0ffee7f3a")
        .await;
    let p = s
        .create_password(
            &alice,
            json!({
                "pass": "Pw-Plaintext-7f3a",
                "loginname": "login-name-7f3a",
                "address": "https://url-host-7f3a.example/login",
                "notes": "note-text-7f3a",
                "category": cat["id"],
            }),
        )
        .await;
    let id = p["id"].as_i64().unwrap();
    let r = s
        .put(
            &alice,
            &format!("/passwords/{id}"),
            json!({
                "pass": "Pw-Changed-7f3a",
                "loginname": "login-name-7f3a",
                "address": "https://url-host-7f3a.example/login",
                "notes": "note-text-7f3a",
                "category": cat["id"],
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Everything reads back in the clear through the API.
    let shown = s.get(&alice, &format!("/passwords/{id}")).await.json();
    assert_eq!(shown["pass"], "Pw-Changed-7f3a");
    assert_eq!(
        shown["name"],
        "url-host-7f3a.example \u{2013} login-name-7f3a"
    );

    // Stop the server so SQLite's WAL is checkpointed (both files are read anyway).
    let (status, _) = s.terminate(std::time::Duration::from_secs(15));
    assert!(status.is_some_and(|st| st.success()));
    let bytes = database_bytes(&s.env);

    // The dump holds the data: the uid and the (non-secret) SHA-1 of the current password.
    assert!(
        contains(&bytes, "alice-enc"),
        "the dump does not contain the user's rows"
    );
    let hash = hex_sha1("Pw-Changed-7f3a");
    assert!(
        contains(&bytes, &hash),
        "the dump does not contain the revision's hash"
    );
    for secret in SECRETS {
        assert!(
            !contains(&bytes, secret),
            "{secret:?} is stored in the clear ({})",
            backend.name()
        );
    }
});

/// Lower-case hex SHA-1, computed by the system's `sha1sum` to stay independent of the code
/// under test.
fn hex_sha1(text: &str) -> String {
    use std::io::Write;
    let mut child = Command::new("sha1sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sha1sum runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}
