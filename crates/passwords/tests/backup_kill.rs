//! A restore killed (SIGKILL) while it writes leaves the database exactly as it was: the
//! SQLite file byte for byte, PostgreSQL and MariaDB row for row (their dumps, without the
//! identity sequences, which PostgreSQL never rolls back).

#[macro_use]
mod common;

use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::vault::*;
use common::*;

/// The database's content: the SQLite file's bytes, or a data dump of a server database.
fn content(env: &TestEnv) -> Vec<u8> {
    match env.backend {
        TestBackend::Sqlite => {
            let path = env.db.url.strip_prefix("sqlite://").expect("sqlite URL");
            std::fs::read(path).expect("the database file")
        }
        TestBackend::Postgres => {
            let dump = dump_server_database(env, &["--data-only", "--inserts", "--no-owner"]);
            // Sequences are not transactional: a killed transaction may have moved them.
            // `\restrict` lines carry a random key per dump.
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

/// Starts `backup restore NAME -n`, waits until it says `Restoring backup ...`, waits
/// `delay` more and kills it. Returns whether it was still running (killed part-way).
fn kill_restore(env: &TestEnv, name: &str, delay: Duration) -> bool {
    let mut child = env
        .command(&["backup", "restore", name, "-n"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("restore starts");
    let mut stdout = child.stdout.take().unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 256];
    let started = Instant::now();
    while !String::from_utf8_lossy(&seen).contains("Restoring backup ...") {
        let n = stdout.read(&mut buf).expect("read stdout");
        assert!(
            n > 0,
            "restore ended early: {}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&buf[..n]);
        assert!(started.elapsed() < Duration::from_secs(60));
    }
    std::thread::sleep(delay);
    let running = child.try_wait().expect("try_wait").is_none();
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    let _ = stdout.read_to_end(&mut seen);
    running && !String::from_utf8_lossy(&seen).contains("done")
}

backend_tests!(killed_restore_changes_nothing, |backend| async move {
    let server = TestServer::start(backend).await;
    let alice = User::new("alice", &server.env.add_user("alice", "alice-login-pw"));
    seed(&server, &alice, 600).await;
    create_backup(&server.env, "big");
    // Changes after the backup, so that a restore would change the data.
    for i in 0..20 {
        server
            .create_password(&alice, json!({"pass": format!("later-{i}")}))
            .await;
    }
    let env = server.stop();
    let before = content(&env);

    let mut killed = 0;
    for delay_ms in [0, 5, 20, 50, 100, 200] {
        if !kill_restore(&env, "big", Duration::from_millis(delay_ms)) {
            break; // it finished before the kill: longer delays cannot land either
        }
        killed += 1;
        assert!(
            content(&env) == before,
            "changed after a kill at +{delay_ms} ms"
        );
    }
    assert!(killed > 0, "no kill landed while the restore ran");

    // The database still works and a complete restore succeeds afterwards.
    restore_ok(&env, "big", &[]);
    assert!(content(&env) != before);

    // A backup killed while it is written leaves no backup behind that `list` would show.
    let listed = env.cli_ok(&["backup", "list"]);
    for delay_ms in [10, 40, 80] {
        let mut child = env
            .command(&["backup", "create", "partial"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("create starts");
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().expect("SIGKILL");
        let out = child.wait_with_output().unwrap();
        if String::from_utf8_lossy(&out.stdout).contains("Created new backup") {
            continue; // it finished first: nothing to check
        }
        assert_eq!(
            env.cli_ok(&["backup", "list"]),
            listed,
            "after a kill at +{delay_ms} ms"
        );
        assert!(!env.backups().join("partial.json.gz").exists());
    }
});
