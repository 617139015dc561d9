//! `passwords account …` against every backend: add, list, remove (uid lock), passwd, and the
//! app passwords (token add/list/revoke); their effect on HTTP logins.

#[macro_use]
mod common;

use common::*;

/// The `account list` row of `uid`, split on whitespace.
fn list_row(env: &TestEnv, uid: &str) -> Vec<String> {
    let out = env.cli_ok(&["account", "list"]);
    let mut lines = out.lines();
    let header = lines.next().unwrap_or_default();
    assert!(
        header.contains("UID") && header.contains("STATE"),
        "header: {out}"
    );
    lines
        .map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .find(|cols| cols.first().is_some_and(|c| c == uid))
        .unwrap_or_else(|| panic!("{uid} missing from `account list`:\n{out}"))
}

backend_tests!(account_lifecycle, |backend| async move {
    let env = TestEnv::new(backend).await;

    // Nobody yet.
    let out = env.cli_ok(&["account", "list"]);
    assert_eq!(out.lines().count(), 1, "only the header: {out}");

    // add, with a display name, the password on stdin.
    let args = [
        "account",
        "add",
        "alice",
        "--display-name",
        "Alice Liddell",
        "--password-stdin",
    ];
    let out = env.cli_stdin(&args, "alice login password\n");
    assert_success(&out, &args);
    assert!(stdout(&out).contains("alice"), "{}", stdout(&out));
    let args = ["account", "add", "bob.b@example-1_x", "--password-stdin"];
    assert_success(&env.cli_stdin(&args, "bob pw\n"), &args);
    let today = today();
    let row = list_row(&env, "alice");
    assert_eq!(row, ["alice", "enabled", &today, "Alice", "Liddell"]);
    // Without a display name it is the uid.
    assert_eq!(
        list_row(&env, "bob.b@example-1_x"),
        ["bob.b@example-1_x", "enabled", &today, "bob.b@example-1_x"]
    );

    // A uid that exists: exit 1, one sentence, nothing changed.
    let out = env.cli_stdin(&["account", "add", "alice", "--password-stdin"], "other\n");
    assert_fails_with(&out, "already exists");
    assert_eq!(
        list_row(&env, "alice"),
        ["alice", "enabled", &today, "Alice", "Liddell"]
    );

    // Invalid uids.
    for uid in ["a b", "a/b", "", &"x".repeat(65), "ü"] {
        let out = env.cli_stdin(&["account", "add", uid, "--password-stdin"], "pw\n");
        assert!(!out.status.success(), "uid {uid:?} accepted");
        assert!(!stderr(&out).is_empty());
    }
    let out = env.cli_stdin(&["account", "add", "a b", "--password-stdin"], "pw\n");
    assert_fails_with(&out, "Invalid user id");
    // An empty password is refused.
    let out = env.cli_stdin(&["account", "add", "carol", "--password-stdin"], "\n");
    assert_fails_with(&out, "password");

    // Without --password-stdin and without a terminal: refuse, and say what to do.
    let out = env.cli(&["account", "add", "carol"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--password-stdin"),
        "{}",
        stderr(&out)
    );
    let out = env.cli(&["account", "passwd", "alice"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--password-stdin"),
        "{}",
        stderr(&out)
    );
    let out = env.cli_ok(&["account", "list"]);
    assert!(!out.contains("carol"), "{out}");

    // remove: the account stays listed as removed and its uid is locked.
    env.cli_ok(&["account", "remove", "alice"]);
    assert_eq!(
        list_row(&env, "alice"),
        ["alice", "removed", &today, "Alice", "Liddell"]
    );
    let out = env.cli_stdin(&["account", "add", "alice", "--password-stdin"], "again\n");
    assert_fails_with(&out, "The username alice is queued for deletion");
    assert_eq!(list_row(&env, "alice")[1], "removed");
    // Removing, changing the password of or adding tokens to a removed or unknown account fails.
    assert_fails_with(&env.cli(&["account", "remove", "alice"]), "alice");
    assert_fails_with(&env.cli(&["account", "remove", "zed"]), "zed");
    assert_fails_with(
        &env.cli_stdin(&["account", "passwd", "zed", "--password-stdin"], "x\n"),
        "zed",
    );
    assert_fails_with(
        &env.cli_stdin(&["account", "passwd", "alice", "--password-stdin"], "x\n"),
        "alice",
    );
    assert_fails_with(
        &env.cli(&["account", "token", "add", "alice", "--name", "t"]),
        "alice",
    );
    assert_fails_with(
        &env.cli(&["account", "token", "add", "zed", "--name", "t"]),
        "zed",
    );
    assert_eq!(list_row(&env, "bob.b@example-1_x")[1], "enabled");
});

backend_tests!(app_passwords, |backend| async move {
    let env = TestEnv::new(backend).await;
    let args = ["account", "add", "alice", "--password-stdin"];
    assert_success(&env.cli_stdin(&args, "alice login password\n"), &args);

    // token add prints exactly one line: the 29-character app password.
    let out = env.cli(&["account", "token", "add", "alice", "--name", "Phone"]);
    assert_success(&out, &["account", "token", "add"]);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text:?}");
    assert!(text.ends_with('\n'));
    let phone = text.trim_end().to_owned();
    assert!(is_token(&phone), "{phone:?}");
    let laptop = env.add_token("alice", "Laptop browser");
    assert_ne!(phone, laptop);

    // The same name twice: exit 1.
    assert_fails_with(
        &env.cli(&["account", "token", "add", "alice", "--name", "Phone"]),
        "Phone",
    );

    // token list: names, never the secrets.
    let list = env.cli_ok(&["account", "token", "list", "alice"]);
    assert!(
        list.contains("Phone") && list.contains("Laptop browser"),
        "{list}"
    );
    assert!(
        !list.contains(&phone) && !list.contains(&laptop),
        "secrets in the list: {list}"
    );
    assert_eq!(list.lines().count(), 3, "header + 2: {list}");

    // revoke: gone from the list; an unknown name fails with exit 1.
    let out = env.cli_ok(&["account", "token", "revoke", "alice", "Phone"]);
    assert!(out.contains("Phone"), "{out}");
    let list = env.cli_ok(&["account", "token", "list", "alice"]);
    assert!(
        !list.contains("Phone") && list.contains("Laptop browser"),
        "{list}"
    );
    assert_fails_with(
        &env.cli(&["account", "token", "revoke", "alice", "Phone"]),
        "Phone",
    );
    assert_fails_with(
        &env.cli(&["account", "token", "revoke", "alice", "nope"]),
        "nope",
    );
    assert_fails_with(&env.cli(&["account", "token", "list", "zed"]), "zed");

    // The remaining token works over HTTP; the revoked one doesn't.
    let s = TestServer::start_with(env, Launch::default());
    s.get(&User::new("alice", &laptop), "/version")
        .await
        .expect(200, json!(21));
    s.get(&User::new("alice", &phone), "/version")
        .await
        .expect(401, cors_auth());

    // Removing the account revokes its app passwords.
    let out = s.env.cli_ok(&["account", "remove", "alice"]);
    assert!(out.contains("alice"), "{out}");
    assert_fails_with(&s.env.cli(&["account", "token", "list", "alice"]), "alice");
});

backend_tests!(passwd_changes_the_login_password, |backend| async move {
    let launch = Launch::default().env("PASSWORDS_AUTH__CACHE_SECONDS", "0");
    let s = TestServer::start_launch(backend, launch).await;
    let token = s.env.add_user("alice", "old password");
    let old = User::new("alice", "old password");
    let new = User::new("alice", "new password");
    s.get(&old, "/version").await.expect(200, json!(21));
    s.get(&new, "/version").await.expect(401, cors_auth());

    let args = ["account", "passwd", "alice", "--password-stdin"];
    let out = s.env.cli_stdin(&args, "new password\n");
    assert_success(&out, &args);
    s.get(&old, "/version").await.expect(401, cors_auth());
    s.get(&new, "/version").await.expect(200, json!(21));
    // App passwords are not affected.
    s.get(&User::new("alice", &token), "/version")
        .await
        .expect(200, json!(21));
    // An empty new password is refused and changes nothing.
    assert_fails_with(&s.env.cli_stdin(&args, "\n"), "password");
    s.get(&new, "/version").await.expect(200, json!(21));

    // An account without a login password logs in with app passwords only.
    let out = s.env.cli(&["account", "add", "dave", "--no-password"]);
    assert_success(&out, &["account", "add", "dave", "--no-password"]);
    let dave = s.env.add_token("dave", "only");
    s.get(&User::new("dave", &dave), "/version")
        .await
        .expect(200, json!(21));
    s.get(&User::new("dave", ""), "/version")
        .await
        .expect(401, cors_auth());
});
