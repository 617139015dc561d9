//! Migrating off Nextcloud through the real binary on every backend: `backup import` of
//! reference-app backups (versions 106, 105, 100) built from the SSEv1 vectors, then `backup
//! restore`; every field compared through the legacy API, API v1 and the database. Refusals (wrong
//! secret, truncated file, tampered ciphertext, duplicate uuids, uuids of another user here)
//! leave the backups folder and the database exactly as they were.

#[macro_use]
mod common;
mod reference_fixture;
mod v1;

use common::*;
use reference_fixture::*;

/// The database's content: the SQLite file's bytes, or a data dump of a server database.
fn content(env: &TestEnv) -> Vec<u8> {
    match env.backend {
        TestBackend::Sqlite => {
            let path = env.db.url.strip_prefix("sqlite://").expect("sqlite URL");
            std::fs::read(path).expect("the database file")
        }
        TestBackend::Postgres => {
            let dump = dump_server_database(env, &["--data-only", "--inserts", "--no-owner"]);
            String::from_utf8(dump)
                .unwrap()
                .lines()
                .filter(|l| !l.contains("setval") && !l.contains("restrict "))
                .collect::<Vec<_>>()
                .join("\n")
                .into_bytes()
        }
        TestBackend::Mysql => dump_server_database(
            env,
            &["--no-create-info", "--skip-dump-date", "--order-by-primary"],
        ),
    }
}

/// Rows of `query` as JSON arrays (integers as numbers, everything else as text).
async fn rows(env: &TestEnv, query: &str) -> Vec<Value> {
    use sqlx::{Connection, Row};
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&env.db.url).await.unwrap();
    let found = sqlx::query(query).fetch_all(&mut conn).await.unwrap();
    let _ = conn.close().await;
    found
        .iter()
        .map(|r| {
            Value::Array(
                (0..r.columns().len())
                    .map(|i| {
                        if let Ok(n) = r.try_get::<i64, _>(i) {
                            json!(n)
                        } else if let Ok(s) = r.try_get::<String, _>(i) {
                            json!(s)
                        } else if let Ok(b) = r.try_get::<Vec<u8>, _>(i) {
                            json!(String::from_utf8(b).unwrap())
                        } else {
                            Value::Null
                        }
                    })
                    .collect(),
            )
        })
        .collect()
}

fn write_json(env: &TestEnv, name: &str, value: &Value) -> String {
    let path = env.data_dir().join(name);
    if name.ends_with(".gz") {
        common::vault::write_gz_json(&path, value);
    } else {
        std::fs::write(&path, value.to_string()).unwrap();
    }
    path.to_str().unwrap().to_owned()
}

/// The legacy list of `user` as a map id → password object.
async fn passwords(server: &TestServer, user: &User) -> serde_json::Map<String, Value> {
    let r = server.get(user, "/passwords").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()
        .as_object()
        .unwrap()
        .values()
        .map(|p| (p["id"].to_string(), p.clone()))
        .collect()
}

/// What the legacy API must show for a password of the fixture.
#[allow(clippy::too_many_arguments)]
fn legacy(
    v: &Vectors,
    id: i64,
    user: &str,
    label: &str,
    username: Option<&str>,
    password: &str,
    url: Option<&str>,
    notes: Option<&str>,
    trashed: bool,
) -> Value {
    let text = |id: Option<&str>| id.map(|i| v.plain(i)).unwrap_or_default();
    let (name, login, pass, address, notes) = (
        v.plain(label),
        text(username),
        v.plain(password),
        text(url),
        text(notes),
    );
    json!({"id": id, "user_id": user, "name": name, "loginname": login, "pass": pass,
           "address": address, "notes": notes, "deleted": trashed})
}

/// The listed object has every field of `want` with that value.
#[track_caller]
fn assert_shows(list: &serde_json::Map<String, Value>, want: &Value) {
    let got = list
        .get(&want["id"].to_string())
        .unwrap_or_else(|| panic!("password {} not listed: {list:?}", want["id"]));
    for (k, v) in want.as_object().unwrap() {
        assert_eq!(&got[k], v, "password {} field {k}", want["id"]);
    }
    let props: Value = serde_json::from_str(got["properties"].as_str().unwrap()).unwrap();
    assert_eq!(props["loginname"], got["loginname"]);
    assert_eq!(props["notes"], got["notes"]);
}

/// Through API v1, every object of `user` in the backup `json` (`uid` there) that the
/// migration keeps — hidden and trashed ones too — shows its current revision, every revision
/// with the plaintext the reference had encrypted (`expected`), and the revision's flags and
/// times. Client-side encrypted models are left out by the migration: 404 like any unknown id.
async fn assert_v1_shows(
    server: &TestServer,
    user: &User,
    uid: &str,
    json: &Value,
    expected: &std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
) -> usize {
    let mut seen = 0;
    for (list, what) in [
        ("passwords", "password"),
        ("folders", "folder"),
        ("tags", "tag"),
    ] {
        for m in json[list].as_array().unwrap() {
            if m["userId"] != uid {
                continue;
            }
            let id = m["uuid"].as_str().unwrap();
            let revisions = m["revisions"].as_array().unwrap();
            if revisions.iter().any(|r| r["cseType"] != "none") {
                let r = v1::post(server, user, &format!("/{what}/show"), json!({"id": id})).await;
                assert_eq!(r.status.as_u16(), 404, "left-out {what} {id}: {}", r.text);
                continue;
            }
            let shown = v1::show(server, user, what, id, "model+revisions").await;
            assert_eq!(shown["revision"], m["revision"], "{what} {id}");
            let got = shown["revisions"].as_array().unwrap();
            assert_eq!(got.len(), revisions.len(), "{what} {id}: {shown}");
            for r in revisions {
                let rid = r["uuid"].as_str().unwrap();
                let g = got
                    .iter()
                    .find(|g| g["id"] == rid)
                    .unwrap_or_else(|| panic!("{what} {id} lacks revision {rid}: {shown}"));
                for (field, plain) in &expected[rid] {
                    assert_eq!(
                        g[field.as_str()],
                        json!(plain),
                        "{what} revision {rid} {field}"
                    );
                }
                // `updated` and the status are left out: the server's security re-check may
                // rightly re-evaluate a migrated status (and then sets `updated`); the
                // database checks above compare them as restored.
                for flag in ["hidden", "trashed", "favorite", "edited", "created"] {
                    assert_eq!(g[flag], r[flag], "{what} revision {rid} {flag}");
                }
                // Before version 102 the reference dropped the client (its migration step).
                let client = if json["version"].as_u64().unwrap() < 102 {
                    json!("CLIENT::UNKNOWN")
                } else {
                    r["client"].clone()
                };
                assert_eq!(g["client"], client, "{what} revision {rid} client");
            }
            seen += 1;
        }
    }
    seen
}

backend_tests!(migrates_version_106, |backend| async move {
    let v = Vectors::load();
    let built = v106(&v);
    let env = TestEnv::new(backend).await;
    // bob has an account here already: it keeps its credentials and receives the data.
    let bob_token = env.add_user("bob", "bob-login-pw");
    let file = write_json(&env, "nextcloud.json.gz", &built.json);
    let out = env.cli(&["backup", "import", &file]);
    assert_success(&out, &["backup", "import"]);
    let text = stdout(&out);
    assert!(
        text.starts_with("Imported backup: nextcloud, ")
            && text.contains("converted from a Nextcloud Passwords backup, version 106"),
        "{text}"
    );
    assert!(
        text.contains(
            "  alice: 3 passwords (4 revisions), 1 folders (1 revisions), 1 tags (1 \
             revisions), 1 shares, 1 tag links, 4 settings"
        ),
        "{text}"
    );
    assert!(text.contains("  bob: 2 passwords (2 revisions)"), "{text}");
    let warnings = stderr(&out);
    assert!(
        warnings.contains("Warning: 'alice': 1 passwords") && warnings.contains("CSEv1r1"),
        "{warnings}"
    );
    // No secret in any output.
    assert!(!text.contains(&v.key("instanceSecret")) && !warnings.contains(&v.key("userKey")));

    common::vault::restore_ok(&env, "nextcloud", &[]);
    let accounts = env.cli_ok(&["account", "list"]);
    assert!(
        accounts
            .lines()
            .any(|l| l.starts_with("alice") && l.contains("disabled")),
        "{accounts}"
    );
    assert!(
        accounts
            .lines()
            .any(|l| l.starts_with("bob") && !l.contains("disabled")),
        "{accounts}"
    );
    let out = env.cli_stdin(
        &["account", "passwd", "alice", "--password-stdin"],
        "alice-new-pw\n",
    );
    assert_success(&out, &["account", "passwd"]);
    let alice_token = env.add_token("alice", "migrated");
    assert_eq!(
        env.config_get("backup.interval"),
        "3600",
        "app settings carried over"
    );
    assert_eq!(env.config_get("backup.files.max"), "14");

    // The database: ids, times, flags, encryption types, clients, relations, shares.
    let revs = rows(
        &env,
        "SELECT uuid, user_id, model, folder, hash, cse_type, cse_key, sse_type, status, \
         status_code, hidden, trashed, favorite, edited, client, created, updated \
         FROM password_revisions ORDER BY uuid",
    )
    .await;
    let base = "00000000-0000-0000-0000-000000000000";
    let row = |uuid: &str| {
        revs.iter()
            .find(|r| r[0] == uuid)
            .unwrap_or_else(|| panic!("revision {uuid}"))
            .clone()
    };
    assert_eq!(revs.len(), 6, "{revs:?}");
    assert_eq!(
        row(&u(0x302)),
        json!([
            u(0x302),
            "alice",
            u(0x301),
            base,
            "",
            "none",
            "",
            "SSEv1r1",
            0,
            "GOOD",
            0,
            0,
            0,
            1_550_000_000,
            "CLIENT::UNKNOWN",
            1_550_000_000,
            1_550_000_000
        ])
    );
    assert_eq!(
        row(&u(0x303)),
        json!([
            u(0x303),
            "alice",
            u(0x301),
            u(0x101),
            "6b3a55e0261b0304143f805a24924d0c1c44524d",
            "none",
            "",
            "SSEv1r2",
            1,
            "DUPLICATE",
            0,
            0,
            1,
            1_650_000_000,
            "Firefox",
            1_600_000_000,
            1_600_000_100
        ])
    );
    assert_eq!(row(&u(0x402))[11], 1, "trashed");
    assert_eq!(row(&u(0x502))[10], 1, "hidden");
    assert_eq!(row(&u(0x902))[14], "CLIENT::SHARE");
    let models = rows(
        &env,
        "SELECT id, uuid, user_id, revision, share_id, has_shares, editable, suspended, deleted, \
         created, updated FROM passwords ORDER BY id",
    )
    .await;
    assert_eq!(
        models
            .iter()
            .map(|m| m[0].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [12, 13, 14, 20, 21]
    );
    assert_eq!(
        models[0],
        json!([
            12,
            u(0x301),
            "alice",
            u(0x303),
            null,
            1,
            1,
            0,
            0,
            1_500_000_000,
            1_600_000_200
        ])
    );
    assert_eq!(models[4][4], u(0xa01));
    assert_eq!(models[4][6], 0, "read-only share copy");
    assert_eq!(
        rows(&env, "SELECT id, uuid, user_id, revision FROM folders").await,
        [json!([5, u(0x101), "alice", u(0x102)])]
    );
    assert_eq!(
        rows(&env, "SELECT parent, favorite FROM folder_revisions").await,
        [json!([base, 1])]
    );
    assert_eq!(
        rows(&env, "SELECT id, uuid, user_id, revision FROM tags").await,
        [json!([7, u(0x201), "alice", u(0x202)])]
    );
    assert_eq!(
        rows(
            &env,
            "SELECT uuid, user_id, password, tag, password_revision, tag_revision \
             FROM password_tag_relations"
        )
        .await,
        [json!([
            u(0x701),
            "alice",
            u(0x301),
            u(0x201),
            u(0x303),
            u(0x202)
        ])]
    );
    assert_eq!(
        rows(
            &env,
            "SELECT uuid, user_id, receiver, share_type, source_password, target_password, \
             editable, shareable, created, updated FROM shares"
        )
        .await,
        [json!([
            u(0xa01),
            "alice",
            "bob",
            "user",
            u(0x301),
            u(0x901),
            0,
            1,
            1_600_000_300,
            1_600_000_400
        ])]
    );
    assert_eq!(
        rows(
            &env,
            "SELECT uid, setting_key, setting_value FROM user_settings ORDER BY uid, setting_key"
        )
        .await,
        [
            json!(["alice", "client.ext.folder.private", "\"x\""]),
            json!(["alice", "client.ext.password.autosubmit", "true"]),
            json!(["alice", "password.security.age", "90"]),
            json!(["alice", "password.security.hash", "40"]),
            json!(["bob", "password.security.duplicates", "0"]),
        ]
    );

    // The legacy API shows what the reference showed: every field of every visible
    // password (hidden and client-side encrypted ones are not listed), the category.
    let server = TestServer::start_with(env, Launch::default());
    let alice = User::new("alice", &alice_token);
    let bob = User::new("bob", &bob_token);
    // API v1 shows every kept object, hidden and trashed ones too, with all revisions.
    let (json, expected) = (&built.json, &built.expected);
    assert_eq!(
        assert_v1_shows(&server, &alice, "alice", json, expected).await,
        5
    );
    assert_eq!(
        assert_v1_shows(&server, &bob, "bob", json, expected).await,
        2
    );
    let list = passwords(&server, &alice).await;
    assert_eq!(list.len(), 2, "{list:?}");
    assert_shows(
        &list,
        &legacy(
            &v,
            12,
            "alice",
            "r2-main/ascii-sentence",
            Some("r2-main/ascii-16-bytes"),
            "r2-main/utf8-emoji",
            Some("r2-main/url"),
            Some("r2-main/notes-1k"),
            false,
        ),
    );
    assert_eq!(list["12"]["website"], "login.example.com");
    assert_eq!(list["12"]["creation_date"], date_of(1_500_000_000));
    let props: Value = serde_json::from_str(list["12"]["properties"].as_str().unwrap()).unwrap();
    assert_eq!(
        (props["category"].as_i64(), props["datechanged"].as_str()),
        (Some(7), Some(date_of(1_650_000_000).as_str()))
    );
    assert_shows(
        &list,
        &legacy(
            &v,
            13,
            "alice",
            "r2-format-v2/ascii-short",
            None,
            "r2-format-v2/utf8-emoji",
            None,
            Some("r2-format-v2/empty"),
            true,
        ),
    );
    let categories = server.get(&alice, "/categories").await.json();
    assert_eq!(
        categories,
        json!([{"id": 7, "user_id": "alice", "category_name": v.plain("r2-main/utf8-only-emoji"),
                "category_colour": "unter2"}])
    );
    let hidden = server.get(&alice, "/passwords/14").await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{}", hidden.text);
    let list = passwords(&server, &bob).await;
    assert_eq!(list.len(), 2, "{list:?}");
    assert_shows(
        &list,
        &legacy(
            &v,
            20,
            "bob",
            "r2-passwords/password-len-05",
            Some("r2-passwords/password-len-10"),
            "r2-passwords/password-len-64",
            None,
            None,
            false,
        ),
    );
    assert_shows(
        &list,
        &legacy(
            &v,
            21,
            "bob",
            "r2-main/ascii-sentence",
            None,
            "r2-main/pipe-and-hex-like",
            None,
            Some("r2-main/whitespace-controls"),
            false,
        ),
    );
    // The migrated vault works: a new password gets an id above the migrated ones.
    let created = server
        .create_password(&bob, json!({"pass": "after-the-migration"}))
        .await;
    assert!(created["id"].as_i64().unwrap() > 21, "{created}");
});

backend_tests!(migrates_versions_105_and_100, |backend| async move {
    let v = Vectors::load();
    let env = TestEnv::new(backend).await;
    let (b105, b100) = (v105(&v), v100(&v));
    let f105 = write_json(&env, "nc-105.json", &b105.json);
    let f100 = write_json(&env, "nc-100.json.gz", &b100.json);
    let out = env.cli_ok(&["backup", "import", &f105, "--map-user", "alice=alicia"]);
    assert!(
        out.contains("  alicia: 1 passwords (1 revisions), 1 folders"),
        "{out}"
    );
    let secret = env.data_dir().join("nextcloud-secret");
    std::fs::write(&secret, format!("{}\n", v.key("instanceSecret"))).unwrap();
    // Version 100 has no secret in the file: without one it is refused, with it converted.
    let out = env.cli(&["backup", "import", &f100]);
    assert_fails_with(&out, "--instance-secret-file");
    let out = env.cli_ok(&[
        "backup",
        "import",
        &f100,
        "--instance-secret-file",
        secret.to_str().unwrap(),
    ]);
    assert!(out.contains("version 100"), "{out}");

    common::vault::restore_ok(&env, "nc-105", &[]);
    common::vault::restore_ok(&env, "nc-100", &["--user", "alice"]);
    assert_eq!(
        env.config_get("backup.files.max"),
        "5",
        "from 105; --user keeps app settings"
    );
    // Created disabled by the restore: a password enables them.
    for uid in ["alicia", "alice"] {
        let out = env.cli_stdin(
            &["account", "passwd", uid, "--password-stdin"],
            "pw-123456\n",
        );
        assert_success(&out, &["account", "passwd"]);
    }
    let alicia = User::new("alicia", &env.add_token("alicia", "t"));
    let alice = User::new("alice", &env.add_token("alice", "t"));
    let server = TestServer::start_with(env, Launch::default());
    // API v1: alice of version 105 arrived as alicia.
    let seen = assert_v1_shows(&server, &alicia, "alice", &b105.json, &b105.expected).await;
    assert!(seen > 0);
    let seen = assert_v1_shows(&server, &alice, "alice", &b100.json, &b100.expected).await;
    assert!(seen > 0);

    let list = passwords(&server, &alicia).await;
    assert_shows(
        &list,
        &legacy(
            &v,
            3,
            "alicia",
            "r2-empty-server-key/utf8-emoji",
            None,
            "r2-empty-server-key/ascii-short",
            None,
            Some("r2-empty-server-key/empty"),
            false,
        ),
    );
    let categories = server.get(&alicia, "/categories").await.json();
    assert_eq!(
        categories,
        json!([{"id": 4, "user_id": "alicia", "category_name": "Wichtig",
                "category_colour": "3e8ed0"}])
    );
    let list = passwords(&server, &alice).await;
    assert_shows(
        &list,
        &legacy(
            &v,
            7,
            "alice",
            "r2-main/ascii-sentence",
            None,
            "r2-main/ascii-short",
            None,
            None,
            false,
        ),
    );
    let props: Value = serde_json::from_str(list["7"]["properties"].as_str().unwrap()).unwrap();
    assert_eq!(props["category"], 2, "the relation of version 100 survives");
    let env = server.stop();
    let revs = rows(
        &env,
        "SELECT client, cse_key, favorite FROM password_revisions WHERE user_id = 'alice'",
    )
    .await;
    assert_eq!(revs, [json!(["CLIENT::UNKNOWN", "", 1])]);
});

backend_tests!(refusals_change_nothing, |backend| async move {
    let v = Vectors::load();
    let env = TestEnv::new(backend).await;
    env.add_user("carol", "carol-login-pw");
    let good = v106(&v).json;
    let file = write_json(&env, "first.json.gz", &good);
    env.cli_ok(&["backup", "import", &file]);
    common::vault::restore_ok(&env, "first", &[]);
    let before = content(&env);
    let stored = || {
        let mut names: Vec<String> = std::fs::read_dir(env.backups())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let backups = stored();

    let mut cases: Vec<(&str, Value, &str)> = Vec::new();
    let mut wrong = good.clone();
    wrong["keys"]["server"]["secret"] = json!("z".repeat(48));
    cases.push(("wrongsecret", wrong, "Wrong instance secret"));
    let mut tampered = good.clone();
    let token = tampered["passwords"][4]["revisions"][0]["password"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = if token.starts_with('a') { "b" } else { "a" };
    tampered["passwords"][4]["revisions"][0]["password"] = json!(format!("{first}{}", &token[1..]));
    cases.push(("tampered", tampered, "The backup is damaged"));
    let mut duplicate = good.clone();
    let mut copy = duplicate["passwords"][3].clone();
    copy["id"] = json!(99);
    duplicate["passwords"].as_array_mut().unwrap().push(copy);
    cases.push(("duplicate", duplicate, "appears twice"));
    for (name, value, message) in &cases {
        let path = write_json(&env, &format!("{name}.json.gz"), value);
        let out = env.cli(&["backup", "import", &path]);
        assert_fails_with(&out, message);
        assert!(!stderr(&out).contains(&v.key("instanceSecret")));
    }
    // Truncated.
    let path = write_json(&env, "truncated.json.gz", &good);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() * 2 / 3]).unwrap();
    assert_fails_with(&env.cli(&["backup", "import", &path]), "truncated");
    // The same data for other users: the uuids belong to alice and bob here, so carol's
    // restore is refused as a whole.
    let again = write_json(&env, "again.json.gz", &good);
    env.cli_ok(&[
        "backup",
        "import",
        &again,
        "--map-user",
        "alice=carol",
        "--map-user",
        "bob=dave",
    ]);
    let out = env.cli(&["backup", "restore", "again", "-n", "--user", "carol"]);
    assert_fails_with(&out, "exists for another user here; nothing was restored");
    // Options of Nextcloud backups on one of ours.
    let ours = env.backups().join("first.json.gz");
    let out = env.cli(&[
        "backup",
        "import",
        ours.to_str().unwrap(),
        "--map-user",
        "a=b",
    ]);
    assert_fails_with(&out, "apply only to backups of the Nextcloud Passwords app");

    let mut expected = backups.clone();
    expected.push("again.json.gz".into());
    expected.sort();
    assert_eq!(stored(), expected, "only the good import is stored");
    assert!(content(&env) == before, "the database is unchanged");
});
