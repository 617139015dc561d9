//! Test data for backups: a small vault per user, the vault as the legacy API shows it, and
//! backup files as JSON.

use std::io::{Read, Write};
use std::path::Path;

use super::*;

/// Fills `user`'s vault: two categories, `n` passwords (every third changed once more, so it
/// has two revisions; every fifth trashed), spread over the categories.
pub async fn seed(server: &TestServer, user: &User, n: usize) {
    let work = server
        .create_category(user, &format!("{} work", user.uid), "ff0000")
        .await;
    let home = server
        .create_category(user, &format!("{} home", user.uid), "00ff00")
        .await;
    for i in 0..n {
        let category = if i % 2 == 0 { &work["id"] } else { &home["id"] };
        let p = server
            .create_password(
                user,
                json!({
                    "pass": format!("{}-Secret-{i}!", user.uid),
                    "loginname": format!("login{i}"),
                    "address": format!("https://site{i}.example/{}", user.uid),
                    "notes": format!("note {i}"),
                    "category": category,
                }),
            )
            .await;
        let path = format!("/passwords/{}", p["id"]);
        if i % 3 == 0 {
            let r = server
                .put(user, &path, json!({"pass": format!("changed-{i}-Xy")}))
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        if i % 5 == 4 {
            let r = server.delete(user, &path).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
    }
}

/// Everything the legacy API shows `users`: `{uid: {passwords, categories}}`.
pub async fn state(server: &TestServer, users: &[&User]) -> Value {
    let mut out = serde_json::Map::new();
    for user in users {
        let passwords = server.get(user, "/passwords").await;
        assert_eq!(passwords.status, StatusCode::OK, "{}", passwords.text);
        let categories = server.get(user, "/categories").await;
        assert_eq!(categories.status, StatusCode::OK, "{}", categories.text);
        out.insert(
            user.uid.clone(),
            json!({"passwords": passwords.json(), "categories": categories.json()}),
        );
    }
    Value::Object(out)
}

/// The `id`s of a legacy list (a JSON object `"1", "2", …` or an array).
pub fn ids(list: &Value) -> Vec<i64> {
    let items: Vec<&Value> = match list {
        Value::Object(map) => map.values().collect(),
        Value::Array(items) => items.iter().collect(),
        other => panic!("not a list: {other}"),
    };
    items
        .into_iter()
        .map(|o| o["id"].as_i64().expect("id"))
        .collect()
}

/// The highest legacy id in a [`state`] (passwords or categories).
pub fn max_id(state: &Value, list: &str) -> i64 {
    state
        .as_object()
        .expect("state")
        .values()
        .flat_map(|u| ids(&u[list]))
        .max()
        .unwrap_or(0)
}

/// A gzip JSON file as JSON.
pub fn read_gz_json(path: &Path) -> Value {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .expect("gunzip");
    serde_json::from_str(&text).expect("backup JSON")
}

/// Writes `value` as gzip JSON.
pub fn write_gz_json(path: &Path, value: &Value) {
    write_gz_bytes(path, value.to_string().as_bytes());
}

/// Writes `bytes` gzip-compressed.
pub fn write_gz_bytes(path: &Path, bytes: &[u8]) {
    let file = std::fs::File::create(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    gz.write_all(bytes).expect("gzip");
    gz.finish().expect("gzip");
}

/// `backup create NAME` and its label, asserting the message.
#[track_caller]
pub fn create_backup(env: &TestEnv, name: &str) -> String {
    let out = env.cli_ok(&["backup", "create", name]);
    let rest = out
        .trim()
        .strip_prefix("Created new backup: ")
        .unwrap_or_else(|| panic!("unexpected output: {out:?}"));
    let (label, size) = rest.split_once(", ").expect("label, size");
    assert!(size.ends_with(" compressed"), "{out:?}");
    label.to_owned()
}

/// `backup restore NAME -n ARGS…`, asserting success and the last line.
#[track_caller]
pub fn restore_ok(env: &TestEnv, name: &str, args: &[&str]) -> String {
    let mut all = vec!["backup", "restore", name, "-n"];
    all.extend_from_slice(args);
    let out = env.cli_ok(&all);
    assert!(
        out.trim_end().ends_with("Restoring backup ... done"),
        "{out}"
    );
    out
}
