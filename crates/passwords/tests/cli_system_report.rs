//! `passwords system report` on every backend: the JSON checked key by key (values that vary
//! between machines redacted), section choice as the reference, PHP-style formatting, and no
//! secret anywhere in it.

#[macro_use]
mod common;

use common::*;

/// Runs `system report ARGS` and returns its stdout (exit 0).
fn report_text(env: &TestEnv, args: &[&str]) -> String {
    let mut all = vec!["system", "report"];
    all.extend_from_slice(args);
    env.cli_ok(&all)
}

fn report(env: &TestEnv, args: &[&str]) -> Value {
    let text = report_text(env, args);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The keys of the objects at one indentation level, in the order printed.
fn keys_at(text: &str, indent: usize) -> Vec<String> {
    let prefix = " ".repeat(indent);
    text.lines()
        .filter(|l| l.starts_with(&prefix) && l.as_bytes().get(indent) == Some(&b'"'))
        .filter_map(|l| l[indent + 1..].split('"').next().map(str::to_owned))
        .collect()
}

/// Replaces `value[a][b]` with `"<redacted>"`, returning what was there.
fn redact(value: &mut Value, a: &str, b: &str) -> Value {
    std::mem::replace(&mut value[a][b], json!("<redacted>"))
}

fn database_name(backend: TestBackend) -> &'static str {
    match backend {
        TestBackend::Sqlite => "sqlite3",
        TestBackend::Postgres => "pgsql",
        TestBackend::Mysql => "mysql",
    }
}

backend_tests!(full_report_key_by_key, |backend| async move {
    let s = TestServer::start(backend).await;
    let token = s.env.add_user("alice", "alice login password");
    let alice = User::new("alice", &token);
    s.create_password(&alice, json!({"pass": "very-secret-password"}))
        .await;
    s.create_category(&alice, "Work/Home", "ff0000").await;
    s.env.config_set("backup.interval", "3600");
    // The server made its first automatic backup at start; then a known time replaces it.
    assert!(
        eventually(std::time::Duration::from_secs(30), || async {
            !s.env
                .sql_strings(
                    "SELECT setting_value FROM app_settings \
                     WHERE setting_key = 'backup.auto.last.time'",
                )
                .await
                .is_empty()
        })
        .await
    );
    // … and its first security re-check.
    assert!(
        eventually(std::time::Duration::from_secs(30), || async {
            !s.env
                .sql_strings(
                    "SELECT setting_value FROM app_settings \
                     WHERE setting_key = 'security.check.last.time'",
                )
                .await
                .is_empty()
        })
        .await
    );
    s.env
        .sql("DELETE FROM app_settings WHERE setting_key = 'backup.auto.last.time'")
        .await;
    s.env
        .sql(
            "INSERT INTO app_settings (setting_key, setting_value) \
             VALUES ('backup.auto.last.time', '1700000000')",
        )
        .await;
    let backups = s.env.data_dir().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    std::fs::write(backups.join("manual.json.gz"), b"x").unwrap();
    std::fs::write(backups.join("ignored.txt"), b"x").unwrap();

    let text = report_text(&s.env, &[]);
    let mut r: Value = serde_json::from_str(&text).unwrap();

    // Values that differ between machines and runs.
    let server = redact(&mut r, "version", "server");
    assert!(
        server
            .as_str()
            .unwrap()
            .starts_with(&format!("passwords {} (", env!("CARGO_PKG_VERSION"))),
        "{server}"
    );
    let db_version = redact(&mut r, "environment", "databaseVersion");
    let db_prefix = match backend {
        TestBackend::Sqlite => "SQLite 3.",
        TestBackend::Postgres => "PostgreSQL ",
        TestBackend::Mysql => "Ma",
    };
    assert!(
        db_version.as_str().unwrap().starts_with(db_prefix),
        "{db_version}"
    );
    assert_eq!(
        redact(&mut r, "environment", "architecture"),
        std::env::consts::ARCH
    );
    let last_backup = redact(&mut r, "status", "lastBackup").as_i64().unwrap();
    assert!((unix_now() - last_backup).abs() < 120, "{last_backup}");
    // The server's security re-check ran its first full pass at start.
    let last_check = redact(&mut r, "status", "lastSecurityCheck")
        .as_i64()
        .unwrap();
    assert!((unix_now() - last_check).abs() < 120, "{last_check}");
    let last_used = redact(&mut r, "status", "legacyApiLastUsed")
        .as_i64()
        .unwrap();
    assert!((unix_now() - last_used).abs() < 120, "{last_used}");

    let redacted = json!("<redacted>");
    assert_eq!(
        r,
        json!({
            "version": {"server": redacted, "app": env!("CARGO_PKG_VERSION"), "lsr": false},
            "environment": {
                "os": "Linux", "architecture": redacted, "bits": 64,
                "database": database_name(backend), "databaseVersion": redacted,
                "cron": "internal", "proxy": false, "sslProxy": false, "tls": false,
                "subdirectory": false
            },
            "services": {
                "security": "none",
                "localDatabase": {
                    "installed": false, "type": null, "version": null, "hashes": null,
                    "size": null, "created": null, "source": false
                }
            },
            "settings": {
                "legacy.api.enabled": true, "service.security": "none",
                "service.security.hibp.timeout": 5, "service.security.recheck.retry": 600,
                "service.security.range.limit": 600,
                "backup.interval": 3600, "backup.files.max": 28
            },
            "status": {
                "autoBackup": {
                    "state": "ok", "interval": 3600, "keep": 28,
                    "lastSuccess": 1_700_000_000, "lastError": null
                },
                "localDatabaseUpdate": {
                    "state": "never", "lastSuccess": null, "lastAttempt": null,
                    "lastError": null, "failures": 0
                },
                "lastBackup": redacted, "lastSecurityCheck": redacted,
                "lastSecurityCheckError": null, "legacyApiLastUsed": redacted
            },
            "apps": {
                "legacyApi": {"installed": true, "enabled": true},
                "apiV1": {"installed": false, "enabled": false}
            },
            "sharing": {"shares": 0},
            "encryption": {
                "sse": {
                    "SSEv1r1": false, "SSEv1r2": true, "SSEv2r1": false, "SSEv3r1": false,
                    "none": false, "default": "SSEv1r2"
                },
                "cse": {"CSEv1r1": false, "none": true, "default": "none"},
                "atRest": {"fields": "AES-256-GCM", "keys": "XChaCha20-Poly1305"}
            }
        })
    );

    // Order and format: the reference's section order, 4 spaces, a final newline.
    assert_eq!(
        keys_at(&text, 4),
        [
            "version",
            "environment",
            "services",
            "settings",
            "status",
            "apps",
            "sharing",
            "encryption"
        ]
    );
    assert_eq!(
        keys_at(&text, 8)[..3],
        ["server", "app", "lsr"],
        "fields in their order"
    );
    assert!(text.starts_with("{\n    \"version\": {\n        \"server\": "));
    assert!(text.ends_with("\n}\n"));

    // A failed automatic backup shows, escaped the reference's way.
    s.env
        .sql(
            "INSERT INTO app_settings (setting_key, setting_value) \
             VALUES ('backup.auto.last.error', 'disk full: /var/lib/pw – no space')",
        )
        .await;
    let text = report_text(&s.env, &["status"]);
    assert!(
        text.contains("\"lastError\": \"disk full: \\/var\\/lib\\/pw \\u2013 no space\""),
        "{text}"
    );
    let r: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(r["status"]["autoBackup"]["state"], "failed");

    // So does a failed security re-check.
    s.env
        .sql(
            "INSERT INTO app_settings (setting_key, setting_value) \
             VALUES ('security.recheck.last.error', 'HIBP answered 503')",
        )
        .await;
    let r = report(&s.env, &["status"]);
    assert_eq!(
        r["status"]["lastSecurityCheckError"], "HIBP answered 503",
        "{r}"
    );

    // No secret: not the instance key, a login or app password, a stored password.
    let text = report_text(&s.env, &["debug"]) + &report_text(&s.env, &[]);
    let instance_key = std::fs::read_to_string(s.env.data_dir().join("instance.key")).unwrap();
    for secret in [
        instance_key.trim(),
        "alice login password",
        token.as_str(),
        "very-secret-password",
    ] {
        assert!(!text.contains(secret), "the report shows {secret:?}");
    }
});

backend_tests!(sections_as_the_reference, |backend| async move {
    let env = TestEnv::new(backend).await;
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let basic = report_text(&env, &["--basic"]);
    assert_eq!(keys_at(&basic, 4), ["version", "environment"]);
    assert_eq!(report_text(&env, &["-b"]), basic);
    // Named sections win over --basic, keep their order, skip unknown and repeated ones.
    let text = report_text(&env, &["sharing", "nope", "version", "sharing", "-b"]);
    assert_eq!(keys_at(&text, 4), ["sharing", "version"]);
    let debug = report_text(&env, &["apps", "debug"]);
    assert_eq!(
        keys_at(&debug, 4),
        [
            "version",
            "environment",
            "services",
            "status",
            "settings",
            "encryption"
        ]
    );
    assert_eq!(report_text(&env, &["nope", "Version"]), "[]\n");
    // No revision yet: the encryption types are an empty array.
    let r = report(&env, &["encryption"]);
    assert_eq!(r["encryption"]["sse"], json!([]));
    assert_eq!(r["encryption"]["cse"], json!([]));
    assert_eq!(keys(&r["encryption"]), ["atRest", "cse", "sse"]);
    // The occ name.
    let out = env.cli(&["system:report", "sharing"]);
    assert_success(&out, &["system:report"]);
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        json!({"sharing": {"shares": 0}})
    );
    let out = env.cli(&["passwords:system:report", "-b"]);
    assert_eq!(stdout(&out), basic);
});

backend_tests!(shares_are_bucketed, |backend| async move {
    let env = TestEnv::new(backend).await;
    env.add_user("alice", "alice login password");
    let insert = |i: usize, deleted: u8| {
        format!(
            "INSERT INTO shares (uuid, user_id, receiver, share_type, source_password, \
             target_password, editable, shareable, expires, source_updated, target_updated, \
             client, deleted, created, updated) VALUES ('00000000-0000-4000-8000-{i:012}', \
             'alice', 'bob', 'user', '00000000-0000-4000-8000-000000000000', NULL, 1, 1, \
             NULL, 0, 0, 'test', {deleted}, 1, 1)"
        )
    };
    let shares = |env: &TestEnv| report(env, &["sharing"])["sharing"]["shares"].clone();
    assert_eq!(shares(&env), 0);
    env.sql(&insert(0, 1)).await;
    assert_eq!(shares(&env), 0, "deleted shares do not count");
    for i in 1..=11 {
        env.sql(&insert(i, 0)).await;
    }
    assert_eq!(shares(&env), 25);
});

/// The password of a database URL never reaches the report (PostgreSQL accepts any
/// password from the test user: trust authentication).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_password_is_not_shown() {
    let env = TestEnv::new(TestBackend::Postgres).await;
    let url = env.db.url.replacen("://root@", "://root:Db-Pa55-word@", 1);
    assert_ne!(url, env.db.url, "the test URL has the expected shape");
    let out = clean_command()
        .arg("--data-dir")
        .arg(env.data_dir())
        .args(["--database-url", &url, "system", "report", "debug"])
        .output()
        .unwrap();
    assert_success(&out, &["system", "report"]);
    let text = stdout(&out) + &stderr(&out);
    assert!(text.contains("\"database\": \"pgsql\""), "{text}");
    assert!(!text.contains("Db-Pa55-word"), "{text}");
}
