//! Automatic backups of `passwords serve` on every backend: one at start and every
//! `backup.interval`, pruned to `backup.files.max` (manual backups never), one backup per
//! period however many servers share the database, and failures recorded for the report.

#[macro_use]
mod common;

use std::path::Path;
use std::time::Duration;

use common::*;

fn auto_backups(data_dir: &Path) -> Vec<String> {
    let dir = data_dir.join("backups/auto");
    let mut names: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".json.gz"))
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

async fn app_setting(env: &TestEnv, key: &str) -> Vec<String> {
    env.sql_strings(&format!(
        "SELECT setting_value FROM app_settings WHERE setting_key = '{key}'"
    ))
    .await
}

backend_tests!(made_and_pruned, |backend| async move {
    let env = TestEnv::new(backend).await;
    env.add_user("alice", "alice-login-pw");
    env.config_set("backup.files.max", "2");
    // Three old automatic backups and a manual one, made before the server starts.
    let label = vault::create_backup(&env, "keep-me");
    let manual = env.backups().join(format!("{label}.json.gz"));
    std::fs::create_dir_all(env.backups().join("auto")).unwrap();
    for old in [
        "2020-01-01_00-00-00",
        "2020-01-02_00-00-00",
        "2020-01-03_00-00-00",
    ] {
        std::fs::copy(&manual, env.backups().join(format!("auto/{old}.json.gz"))).unwrap();
    }

    let server = TestServer::start_with(env, Launch::default());
    let dir = server.env.data_dir().to_owned();
    assert!(
        eventually(Duration::from_secs(30), || {
            let dir = dir.clone();
            async move {
                auto_backups(&dir).len() == 2 && !auto_backups(&dir)[0].starts_with("2020-01-02")
            }
        })
        .await,
        "auto backups: {:?}",
        auto_backups(&dir)
    );
    let names = auto_backups(&dir);
    assert_eq!(names[0], "2020-01-03_00-00-00.json.gz", "{names:?}");
    assert!(names[1].starts_with(&today()[..4]), "{names:?}");
    assert!(manual.is_file(), "manual backups are never pruned");
    let listed = server.env.cli_ok(&["backup", "list", "-d"]);
    assert!(listed.contains(", automatic"), "{listed}");
    assert!(!listed.contains("Error"), "{listed}");
    let last = app_setting(&server.env, "backup.auto.last.time").await;
    assert_eq!(last.len(), 1);
    assert!(
        (last[0].parse::<i64>().unwrap() - unix_now()).abs() < 120,
        "{last:?}"
    );
    // Within the interval nothing more happens.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(auto_backups(&dir), names);
});

backend_tests!(one_node_per_period, |backend| async move {
    let first = TestServer::start(backend).await;
    // A second server on the same database, with its own data directory.
    let second_dir = tempfile::tempdir().unwrap();
    let mut cmd = clean_command();
    let mut second = cmd
        .arg("--data-dir")
        .arg(second_dir.path())
        .arg("--database-url")
        .arg(&first.env.db.url)
        .arg("serve")
        .arg("--listen")
        .arg("127.0.0.1:0")
        .env(
            "PASSWORDS_INSTANCE_KEY",
            std::fs::read_to_string(first.env.data_dir().join("instance.key"))
                .unwrap()
                .trim(),
        )
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let first_dir = first.env.data_dir().to_owned();
    let (a, b) = (first_dir.clone(), second_dir.path().to_owned());
    assert!(
        eventually(Duration::from_secs(30), || {
            let (a, b) = (a.clone(), b.clone());
            async move { auto_backups(&a).len() + auto_backups(&b).len() >= 1 }
        })
        .await
    );
    // Both servers have run their first round by now.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let total = auto_backups(&first_dir).len() + auto_backups(second_dir.path()).len();
    let _ = second.kill();
    let _ = second.wait();
    assert_eq!(total, 1, "exactly one node made the backup");
});

backend_tests!(failures_are_recorded, |backend| async move {
    let env = TestEnv::new(backend).await;
    // A file where the automatic folder should be: every automatic backup fails.
    std::fs::create_dir_all(env.backups()).unwrap();
    std::fs::write(env.backups().join("auto"), "not a folder").unwrap();
    let server = TestServer::start_with(env, Launch::default());
    let env = &server.env;
    assert!(
        eventually(Duration::from_secs(30), || async {
            !app_setting(env, "backup.auto.last.error").await.is_empty()
        })
        .await
    );
    let error = app_setting(env, "backup.auto.last.error").await;
    assert!(error[0].contains("auto"), "{error:?}");
    assert!(app_setting(env, "backup.auto.last.time").await.is_empty());
    assert!(
        eventually(Duration::from_secs(10), || async {
            server
                .log()
                .iter()
                .any(|l| l.contains("the automatic backup failed"))
        })
        .await,
        "logged"
    );
});
