//! `backup create` → changes → `backup restore` on every backend, through the real binary
//! and the legacy API: the API answers exactly as before (ids included), ids are never
//! reused afterwards, `--user` touches one user only, and a backup moves between backends.

#[macro_use]
mod common;

use common::vault::*;
use common::*;

backend_tests!(round_trip, |backend| async move {
    let server = TestServer::start(backend).await;
    let alice = User::new("alice", &server.env.add_user("alice", "alice-login-pw"));
    let bob = User::new("bob", &server.env.add_user("bob", "bob-login-pw"));
    seed(&server, &alice, 8).await;
    seed(&server, &bob, 4).await;
    server.env.config_set("backup.files.max", "7");
    let before = state(&server, &[&alice, &bob]).await;
    assert_eq!(create_backup(&server.env, "round trip!"), "roundtrip");

    // Everything changes: passwords and categories deleted, new ones made, a setting reset.
    for user in [&alice, &bob] {
        for id in ids(&before[&user.uid]["passwords"]) {
            for _ in 0..2 {
                server.delete(user, &format!("/passwords/{id}")).await;
            }
        }
        for id in ids(&before[&user.uid]["categories"]) {
            server.delete(user, &format!("/categories/{id}")).await;
        }
    }
    let late = server
        .create_password(&alice, json!({"pass": "made-after-the-backup"}))
        .await;
    server.env.config_set("backup.files.max", "3");
    assert_ne!(state(&server, &[&alice, &bob]).await, before);

    let out = restore_ok(&server.env, "roundtrip", &[]);
    assert!(
        out.contains("This backup file will be used: roundtrip"),
        "{out}"
    );
    assert_eq!(state(&server, &[&alice, &bob]).await, before);
    assert_eq!(server.env.config_get("backup.files.max"), "7");

    // Ids are never reused: a new password gets an id above every id ever handed out.
    let newest = server
        .create_password(&alice, json!({"pass": "after-the-restore"}))
        .await;
    let highest = late["id"]
        .as_i64()
        .unwrap()
        .max(max_id(&before, "passwords"));
    assert!(
        newest["id"].as_i64().unwrap() > highest,
        "{newest} vs {highest}"
    );
    let category = server.create_category(&alice, "new", "0000ff").await;
    assert!(category["id"].as_i64().unwrap() > max_id(&before, "categories"));
});

backend_tests!(restore_one_user, |backend| async move {
    let server = TestServer::start(backend).await;
    let alice = User::new("alice", &server.env.add_user("alice", "alice-login-pw"));
    let bob = User::new("bob", &server.env.add_user("bob", "bob-login-pw"));
    seed(&server, &alice, 5).await;
    seed(&server, &bob, 5).await;
    let alice_before = state(&server, &[&alice]).await;
    create_backup(&server.env, "both");

    // Both change; the app setting changes too.
    server
        .create_password(&alice, json!({"pass": "alice-later"}))
        .await;
    server
        .create_password(&bob, json!({"pass": "bob-later"}))
        .await;
    server.env.config_set("backup.files.max", "9");
    let bob_now = state(&server, &[&bob]).await;

    let out = restore_ok(&server.env, "both", &["--user", "alice"]);
    assert!(out.contains(" - Only data for 'alice'"), "{out}");
    assert!(!out.contains("Application settings"), "{out}");
    assert_eq!(state(&server, &[&alice]).await, alice_before);
    assert_eq!(state(&server, &[&bob]).await, bob_now, "bob is untouched");
    assert_eq!(
        server.env.config_get("backup.files.max"),
        "9",
        "app settings untouched"
    );

    // A user the backup does not have: refused, nothing changes.
    server.env.add_user("carol", "carol-login-pw");
    let out = server
        .env
        .cli(&["backup", "restore", "both", "-n", "--user", "carol"]);
    assert_fails_with(&out, "The user 'carol' is not in the backup");
    assert_eq!(state(&server, &[&alice]).await, alice_before);
});

/// SQLite → PostgreSQL → MariaDB → SQLite, each by export, import into a fresh data
/// directory with the same instance key, and restore. Accounts come back disabled, without
/// a password, until the admin sets one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moves_between_backends() {
    let server = TestServer::start(TestBackend::Sqlite).await;
    let alice = User::new("alice", &server.env.add_user("alice", "alice-login-pw"));
    seed(&server, &alice, 6).await;
    let expected = state(&server, &[&alice]).await;
    create_backup(&server.env, "move");
    let mut env = server.stop();

    for backend in [
        TestBackend::Postgres,
        TestBackend::Mysql,
        TestBackend::Sqlite,
    ] {
        let exported = env.data_dir().join("moving.json.gz");
        let out = env.cli_ok(&["backup", "export", "move", exported.to_str().unwrap()]);
        assert_eq!(
            out.trim(),
            format!("Exported backup to {}", exported.display())
        );

        let next = TestEnv::new(backend).await;
        std::fs::copy(
            env.data_dir().join("instance.key"),
            next.data_dir().join("instance.key"),
        )
        .unwrap();
        let out = next.cli_ok(&["backup", "import", exported.to_str().unwrap()]);
        assert!(out.starts_with("Imported backup: moving, "), "{out}");
        restore_ok(&next, "moving", &[]);

        let list = next.cli_ok(&["account", "list"]);
        assert!(
            list.lines()
                .any(|l| l.starts_with("alice") && l.contains("disabled")),
            "{list}"
        );
        let out = next.cli_stdin(
            &["account", "passwd", "alice", "--password-stdin"],
            "new-pw\n",
        );
        assert_success(&out, &["account", "passwd"]);
        let token = next.add_token("alice", "moved");
        let server = TestServer::start_with(next, Launch::default());
        let alice = User::new("alice", &token);
        assert_eq!(
            state(&server, &[&alice]).await,
            expected,
            "on {}",
            backend.name()
        );
        create_backup(&server.env, "move");
        env = server.stop();
    }
}
