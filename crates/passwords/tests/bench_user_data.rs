//! Benchmarks of `user move`, `user delete` and `system report` on large data, skipped unless
//! `PASSWORDS_BENCH` is set (docs/benchmarks.md has the command and the numbers). Seeds
//! through the library, then times the real binary: run it with `--release`.

#[macro_use]
mod common;
mod seed;

use std::time::{Duration, Instant};

use common::*;

/// Passwords of the user that is moved and deleted, and revisions of each.
const PASSWORDS: usize = 10_000;
const REVISIONS: usize = 3;
/// The report's database: users × passwords (one revision each).
const USERS: usize = 100;
const PER_USER: usize = 1_000;

/// Runs the CLI and returns how long it took (it must succeed).
fn time(env: &TestEnv, args: &[&str]) -> Duration {
    let start = Instant::now();
    let out = env.cli(args);
    let took = start.elapsed();
    assert_success(&out, args);
    took
}

backend_tests!(move_and_delete_10k, |backend| async move {
    if std::env::var_os("PASSWORDS_BENCH").is_none() {
        eprintln!("set PASSWORDS_BENCH=1 to run the benchmarks");
        return;
    }
    let env = TestEnv::new(backend).await;
    env.add_user("alice", "alice login password");
    env.add_user("bob", "bob login password");
    let (store, keys) = seed::open(&env.db.url, env.data_dir()).await;
    let start = Instant::now();
    seed::seed_passwords(&*store, &keys, "alice", PASSWORDS, REVISIONS).await;
    seed::seed_passwords(&*store, &keys, "bob", 100, 1).await;
    let seeding = start.elapsed();
    let moved = time(&env, &["user", "move", "alice", "bob", "-n"]);
    assert_eq!(seed::open_all(&*store, &keys, "bob").await.len(), PASSWORDS);
    let back = time(&env, &["user", "move", "bob", "alice", "-n"]);
    let deleted = time(&env, &["user", "delete", "alice", "-n"]);
    let noop = time(&env, &["user", "delete", "alice", "-n"]);
    eprintln!(
        "BENCH {}: {PASSWORDS} passwords x {REVISIONS} revisions (seeded in {seeding:.2?}): \
         user move {moved:.2?}, move back {back:.2?}, user delete {deleted:.2?}, \
         delete of an empty user (process start) {noop:.2?}",
        backend.name()
    );
    store.close().await;
});

backend_tests!(report_100_users, |backend| async move {
    if std::env::var_os("PASSWORDS_BENCH").is_none() {
        eprintln!("set PASSWORDS_BENCH=1 to run the benchmarks");
        return;
    }
    let env = TestEnv::new(backend).await;
    env.cli_ok(&["config", "list"]);
    let (store, keys) = seed::open(&env.db.url, env.data_dir()).await;
    let start = Instant::now();
    for u in 0..USERS {
        seed::seed_passwords(&*store, &keys, &format!("user{u}"), PER_USER, 1).await;
    }
    let seeding = start.elapsed();
    let basic = time(&env, &["system", "report", "--basic"]);
    let full = time(&env, &["system", "report"]);
    let full2 = time(&env, &["system", "report"]);
    eprintln!(
        "BENCH {}: {USERS} users x {PER_USER} passwords (seeded in {seeding:.2?}): \
         system report {full:.2?} / {full2:.2?}, --basic {basic:.2?}",
        backend.name()
    );
    store.close().await;
});
