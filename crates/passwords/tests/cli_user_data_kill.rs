//! A `user move` or `user delete` killed with SIGKILL at any moment leaves both users as they
//! were before or as they are after the command, never in between: row counts in every
//! table and every password decryptable with its owner's key.
//!
//! Kills land at spread-out delays over a measured uninterrupted run; whatever moment they
//! hit, the all-or-nothing invariant is checked after each one.

#[macro_use]
mod common;
mod seed;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

/// Passwords of the user whose data is moved or deleted (two revisions each).
const BIG: usize = 3_000;
/// Passwords of the other user.
const SMALL: usize = 50;
/// Kills per command.
const KILLS: u32 = 8;

/// (passwords, revisions) of `uid`, live and deleted.
async fn counts(env: &TestEnv, uid: &str) -> (i64, i64) {
    use sqlx::{Connection, Row};
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&env.db.url).await.unwrap();
    let mut n = [0i64; 2];
    for (i, table) in ["passwords", "password_revisions"].iter().enumerate() {
        let q = format!("SELECT COUNT(*) FROM {table} WHERE user_id = '{uid}'");
        n[i] = sqlx::query(&q)
            .fetch_one(&mut conn)
            .await
            .unwrap()
            .try_get(0)
            .unwrap();
    }
    let _ = conn.close().await;
    (n[0], n[1])
}

/// Starts the command, kills it after `delay`; returns whether it was still running.
fn run_and_kill(env: &TestEnv, args: &[&str], delay: Duration) -> bool {
    let mut child = env
        .command(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let running = child.try_wait().unwrap().is_none();
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    running
}

/// How long an uninterrupted run of `args` takes (the state is restored by the caller).
fn timed(env: &TestEnv, args: &[&str]) -> Duration {
    let start = Instant::now();
    let out = env.cli(args);
    assert_success(&out, args);
    start.elapsed()
}

backend_tests!(killed_move_is_all_or_nothing, |backend| async move {
    let env = TestEnv::new(backend).await;
    env.add_user("alice", "alice login password");
    env.add_user("bob", "bob login password");
    let (store, keys) = seed::open(&env.db.url, env.data_dir()).await;
    seed::seed_passwords(&*store, &keys, "alice", BIG, 2).await;
    seed::seed_passwords(&*store, &keys, "bob", SMALL, 2).await;
    let alice_secrets = seed::open_all(&*store, &keys, "alice").await;
    let big = (BIG as i64, 2 * BIG as i64);
    let small = (SMALL as i64, 2 * SMALL as i64);

    // One full move there and one back, to learn how long a run takes.
    let took = timed(&env, &["user", "move", "alice", "bob", "-n"]);
    assert_eq!(counts(&env, "bob").await, big);
    timed(&env, &["user", "move", "bob", "alice", "-n"]);
    assert_eq!(counts(&env, "alice").await, big);
    seed::seed_passwords(&*store, &keys, "bob", SMALL, 2).await;

    // (from, to): the data is with `from`; `to` has the small set or nothing.
    let (mut from, mut to) = ("alice", "bob");
    let mut to_before = small;
    let mut interrupted = 0;
    for i in 1..=KILLS {
        let delay = took.mul_f64(f64::from(i) / f64::from(KILLS + 1));
        if run_and_kill(&env, &["user", "move", from, to, "-n"], delay) {
            interrupted += 1;
        }
        let now = (counts(&env, from).await, counts(&env, to).await);
        if now == (big, to_before) {
            eprintln!("move kill {i} after {delay:?}: rolled back");
        } else if now == ((0, 0), big) {
            eprintln!("move kill {i} after {delay:?}: committed");
            // Committed: the data is with the other user now.
            std::mem::swap(&mut from, &mut to);
            to_before = (0, 0);
        } else {
            panic!("kill {i} after {delay:?} left {from}/{to} at {now:?}");
        }
        // Whoever holds the data decrypts all of it with their key.
        assert_eq!(seed::open_all(&*store, &keys, from).await, alice_secrets);
        assert!(seed::open_all(&*store, &keys, to).await.len() <= SMALL);
    }
    assert!(interrupted > 0, "no kill landed before the command ended");
    store.close().await;
});

backend_tests!(killed_delete_is_all_or_nothing, |backend| async move {
    let env = TestEnv::new(backend).await;
    env.add_user("alice", "alice login password");
    env.add_user("bob", "bob login password");
    let (store, keys) = seed::open(&env.db.url, env.data_dir()).await;
    seed::seed_passwords(&*store, &keys, "bob", SMALL, 2).await;
    let bob_secrets = seed::open_all(&*store, &keys, "bob").await;
    let big = (BIG as i64, 2 * BIG as i64);

    seed::seed_passwords(&*store, &keys, "alice", BIG, 2).await;
    let took = timed(&env, &["user", "delete", "alice", "-n"]);
    assert_eq!(counts(&env, "alice").await, (0, 0));
    seed::seed_passwords(&*store, &keys, "alice", BIG, 2).await;

    let mut interrupted = 0;
    for i in 1..=KILLS {
        let delay = took.mul_f64(f64::from(i) / f64::from(KILLS + 1));
        if run_and_kill(&env, &["user", "delete", "alice", "-n"], delay) {
            interrupted += 1;
        }
        match counts(&env, "alice").await {
            n if n == big => {
                eprintln!("delete kill {i} after {delay:?}: rolled back");
                assert_eq!(seed::open_all(&*store, &keys, "alice").await.len(), BIG)
            }
            (0, 0) => {
                eprintln!("delete kill {i} after {delay:?}: committed");
                seed::seed_passwords(&*store, &keys, "alice", BIG, 2).await
            }
            other => panic!("kill {i} after {delay:?} left alice at {other:?}"),
        }
        assert_eq!(seed::open_all(&*store, &keys, "bob").await, bob_secrets);
    }
    assert!(interrupted > 0, "no kill landed before the command ended");
    store.close().await;
});
