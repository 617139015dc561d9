//! `passwords user delete` and `user move` on every backend, next to a running server: the
//! rows left in the database, what each user sees through the legacy API, the messages,
//! prompts and exit codes of the reference (with its bugs fixed), and the uid lock.

#[macro_use]
mod common;
mod seed;

use common::*;

/// The vault tables and their user column.
const TABLES: [(&str, &str); 10] = [
    ("passwords", "user_id"),
    ("password_revisions", "user_id"),
    ("folders", "user_id"),
    ("folder_revisions", "user_id"),
    ("tags", "user_id"),
    ("tag_revisions", "user_id"),
    ("password_tag_relations", "user_id"),
    ("shares", "user_id"),
    ("user_settings", "uid"),
    ("user_keys", "uid"),
];

/// Rows of `uid` in each vault table, straight from the database.
async fn rows_of(env: &TestEnv, uid: &str) -> Vec<(&'static str, i64)> {
    let mut out = Vec::new();
    for (table, column) in TABLES {
        let n = count(
            env,
            &format!("SELECT COUNT(*) FROM {table} WHERE {column} = '{uid}'"),
        )
        .await;
        out.push((table, n));
    }
    out.push((
        "shares received",
        count(
            env,
            &format!("SELECT COUNT(*) FROM shares WHERE receiver = '{uid}'"),
        )
        .await,
    ));
    out
}

/// `rows_of` expected: everything zero but the data key.
fn only_a_key() -> Vec<(&'static str, i64)> {
    TABLES
        .iter()
        .map(|(t, _)| (*t, i64::from(*t == "user_keys")))
        .chain([("shares received", 0)])
        .collect()
}

async fn count(env: &TestEnv, query: &str) -> i64 {
    use sqlx::{Connection, Row};
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&env.db.url).await.unwrap();
    let row = sqlx::query(query).fetch_one(&mut conn).await.unwrap();
    let n: i64 = row.try_get(0).unwrap();
    let _ = conn.close().await;
    n
}

/// A user with two categories and three passwords (one in a category, one updated once, so
/// with two revisions) and a user setting.
async fn give_data(s: &TestServer, user: &User) {
    let c = s
        .create_category(user, &format!("{} work", user.uid), "ff0000")
        .await;
    s.create_category(user, &format!("{} home", user.uid), "00ff00")
        .await;
    let p = s
        .create_password(
            user,
            json!({"pass": format!("{}-secret-1", user.uid), "loginname": "me",
                   "category": c["id"]}),
        )
        .await;
    s.create_password(user, json!({"pass": format!("{}-secret-2", user.uid)}))
        .await;
    let r = s
        .put(
            user,
            &format!("/passwords/{}", p["id"]),
            json!({"pass": format!("{}-secret-1b", user.uid), "loginname": "me",
                   "category": c["id"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    s.create_password(user, json!({"pass": format!("{}-secret-3", user.uid)}))
        .await;
    s.env
        .sql(&format!(
            "INSERT INTO user_settings (uid, setting_key, setting_value) \
             VALUES ('{}', 'password.security.hash', '40')",
            user.uid
        ))
        .await;
}

/// What `user` sees: passwords and categories.
async fn view(s: &TestServer, user: &User) -> (Value, Value) {
    let p = s.get(user, "/passwords").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    let c = s.get(user, "/categories").await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text);
    (p.json(), c.json())
}

/// The `pass` of every password of a legacy list (an object by id), by ascending id.
fn pass_fields(list: &Value) -> Vec<String> {
    let mut items: Vec<&Value> = list.as_object().expect("a list object").values().collect();
    items.sort_by_key(|p| p["id"].as_i64());
    items
        .iter()
        .map(|p| p["pass"].as_str().unwrap().to_owned())
        .collect()
}

/// `value` with every `"user_id": from` replaced by `to`.
fn owned_by(mut value: Value, from: &str, to: &str) -> Value {
    fn walk(v: &mut Value, from: &str, to: &str) {
        match v {
            Value::Object(map) => {
                for (k, x) in map.iter_mut() {
                    if k == "user_id" && x == from {
                        *x = Value::from(to);
                    } else {
                        walk(x, from, to);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|x| walk(x, from, to)),
            _ => {}
        }
    }
    walk(&mut value, from, to);
    value
}

const GUARD_YES: &str = "\"--no-interaction\" is set, will assume yes for all questions.\n\n";

#[track_caller]
fn assert_exit(out: &std::process::Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        stdout(out),
        stderr(out)
    );
}

backend_tests!(delete_removes_every_row_of_one_user, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let bob = User::new("bob", &s.env.add_user("bob", "bob login password"));
    give_data(&s, &alice).await;
    give_data(&s, &bob).await;
    let bob_rows = rows_of(&s.env, "bob").await;
    let bob_view = view(&s, &bob).await;
    assert_eq!(pass_fields(&bob_view.0).len(), 3);
    assert!(rows_of(&s.env, "alice")
        .await
        .iter()
        .all(|(t, n)| *n > 0 || t.starts_with("folder") || t.starts_with("share")));

    let out = s.env.cli(&["user", "delete", "alice", "-n"]);
    assert_exit(&out, 0);
    assert_eq!(
        stdout(&out),
        format!(
            "{GUARD_YES}❗❗❗ This command will delete all data for the passwords app from \
             \"alice\" ❗❗❗\n\nDeleting passwords app data ... done\n"
        )
    );
    // In the database: nothing of Alice but a fresh key; Bob's rows all there.
    assert_eq!(rows_of(&s.env, "alice").await, only_a_key());
    assert_eq!(rows_of(&s.env, "bob").await, bob_rows);
    // Through the API: Alice's vault is empty, Bob's unchanged.
    assert_eq!(view(&s, &alice).await, (json!({}), json!([])));
    assert_eq!(view(&s, &bob).await, bob_view);
    // Alice's account lives on, and her new data is sealed with her new key, which the
    // running server picks up although it had her old key cached.
    let p = s
        .create_password(&alice, json!({"pass": "after the delete"}))
        .await;
    let again = s.get(&alice, &format!("/passwords/{}", p["id"])).await;
    assert_eq!(again.json()["pass"], "after the delete");
    // Sealed with the key the database holds: another process (no cache) opens it.
    let (store, keys) = seed::open(&s.env.db.url, s.env.data_dir()).await;
    let opened = seed::open_all(&*store, &keys, "alice").await;
    assert_eq!(
        opened.iter().map(|(_, p)| p.as_str()).collect::<Vec<_>>(),
        ["after the delete"]
    );
    store.close().await;
    assert_eq!(
        stdout(&s.env.cli(&["account", "list"]))
            .matches("enabled")
            .count(),
        2
    );
});

backend_tests!(
    delete_frees_the_uid_of_a_removed_account,
    |backend| async move {
        let s = TestServer::start(backend).await;
        let carol = User::new("carol", &s.env.add_user("carol", "carol login password"));
        give_data(&s, &carol).await;
        s.env.cli_ok(&["account", "remove", "carol"]);
        let args = ["account", "add", "carol", "--no-password"];
        assert_fails_with(
            &s.env.cli(&args),
            "The username carol is queued for deletion",
        );

        let out = s.env.cli(&["user:delete", "carol", "--no-interaction"]);
        assert_exit(&out, 0);
        assert!(stdout(&out).ends_with("Deleting passwords app data ... done\n"));
        let mut none = only_a_key();
        none.iter_mut().for_each(|(_, n)| *n = 0);
        assert_eq!(rows_of(&s.env, "carol").await, none, "no key either");
        assert_eq!(
            count(&s.env, "SELECT COUNT(*) FROM accounts WHERE uid = 'carol'").await,
            0
        );

        // The uid is free: a new Carol starts empty.
        let carol = User::new("carol", &s.env.add_user("carol", "new carol password"));
        assert_eq!(view(&s, &carol).await, (json!({}), json!([])));
    }
);

backend_tests!(delete_data_without_an_account, |backend| async move {
    let s = TestServer::start(backend).await;
    let dave = User::new("dave", &s.env.add_user("dave", "dave login password"));
    give_data(&s, &dave).await;
    s.env.sql("DELETE FROM accounts WHERE uid = 'dave'").await;
    let out = s.env.cli(&["user", "delete", "dave", "-n"]);
    assert_exit(&out, 0);
    assert_eq!(
        stdout(&out),
        format!(
            "{GUARD_YES}Found no user for id \"dave\" in database, will continue with provided \
             user id.\nIf you are sure that the user was not deleted and should exist, you \
             might have the wrong id.\n\n❗❗❗ This command will delete all data for the \
             passwords app from \"dave\" ❗❗❗\n\nDeleting passwords app data ... done\n"
        )
    );
    let mut none = only_a_key();
    none.iter_mut().for_each(|(_, n)| *n = 0);
    assert_eq!(rows_of(&s.env, "dave").await, none);
});

backend_tests!(move_hands_everything_to_the_target, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let bob = User::new("bob", &s.env.add_user("bob", "bob login password"));
    let carol = User::new("carol", &s.env.add_user("carol", "carol login password"));
    give_data(&s, &alice).await;
    give_data(&s, &bob).await;
    give_data(&s, &carol).await;
    let alice_rows = rows_of(&s.env, "alice").await;
    let carol_rows = rows_of(&s.env, "carol").await;
    let alice_view = view(&s, &alice).await;
    let carol_view = view(&s, &carol).await;
    // The server has Bob's current key cached now.
    view(&s, &bob).await;

    let out = s.env.cli(&["user", "move", "alice", "bob", "-n"]);
    assert_exit(&out, 0);
    assert_eq!(
        stdout(&out),
        format!(
            "{GUARD_YES}❗❗❗ This command will move all data from \"alice\" to \"bob\" ❗❗❗\n\n\
             ❗❗❗ The existing data of \"bob\" will be deleted permanently ❗❗❗\n\n\
             Deleting data ... done\nMoving data ... done\n"
        )
    );
    // Bob has exactly Alice's rows, she has an empty vault with a fresh key.
    assert_eq!(rows_of(&s.env, "bob").await, alice_rows);
    assert_eq!(rows_of(&s.env, "alice").await, only_a_key());
    assert_eq!(rows_of(&s.env, "carol").await, carol_rows);
    // Bob reads (decrypts) all of Alice's passwords and categories, same ids and contents.
    let bob_view = view(&s, &bob).await;
    assert_eq!(
        bob_view,
        (
            owned_by(alice_view.0.clone(), "alice", "bob"),
            owned_by(alice_view.1.clone(), "alice", "bob")
        )
    );
    assert_eq!(
        pass_fields(&bob_view.0),
        ["alice-secret-1b", "alice-secret-2", "alice-secret-3"]
    );
    assert_eq!(view(&s, &alice).await, (json!({}), json!([])));
    assert_eq!(view(&s, &carol).await, carol_view);
    // Bob writes on with the moved key; Alice with her new one.
    let p = s.create_password(&bob, json!({"pass": "bob after"})).await;
    assert_eq!(
        s.get(&bob, &format!("/passwords/{}", p["id"])).await.json()["pass"],
        "bob after"
    );
    let p = s
        .create_password(&alice, json!({"pass": "alice after"}))
        .await;
    assert_eq!(
        s.get(&alice, &format!("/passwords/{}", p["id"]))
            .await
            .json()["pass"],
        "alice after"
    );

    // Into an empty vault: no second question. And the occ name.
    let out = s.env.cli(&["passwords:user:move", "bob", "carol", "-n"]);
    assert_eq!(
        count(
            &s.env,
            "SELECT COUNT(*) FROM passwords WHERE user_id = 'carol'"
        )
        .await,
        4
    );
    assert_exit(&out, 0);
    let out = s.env.cli(&["user:move", "alice", "dave", "-n"]);
    assert_fails_with(&out, "The target user does not exist");
    s.env.add_user("dave", "dave login password");
    let out = s.env.cli(&["user:move", "alice", "dave", "-n"]);
    assert_exit(&out, 0);
    assert_eq!(
        stdout(&out),
        format!(
            "{GUARD_YES}❗❗❗ This command will move all data from \"alice\" to \"dave\" ❗❗❗\n\n\
             Moving data ... done\n"
        )
    );
});

backend_tests!(errors_and_exit_codes, |backend| async move {
    let env = TestEnv::new(backend).await;
    env.add_user("alice", "alice login password");
    env.add_user("bob", "bob login password");
    env.cli_ok(&["account", "add", "gone", "--no-password"]);
    env.cli_ok(&["account", "remove", "gone"]);

    // The terminal guard comes first, before any lookup.
    for args in [
        vec!["user", "delete", "alice"],
        vec!["user", "move", "alice", "bob"],
        vec!["user", "move", "nobody", "nobody"],
    ] {
        let out = env.cli(&args);
        assert_exit(&out, 107);
        assert_eq!(
            stderr(&out).trim(),
            "Error: Interactive command requires \"--no-interaction\" to be set to run in \
             non-interactive shell"
        );
        assert_eq!(stdout(&out), "");
    }
    // Both users must exist (a removed target does not), and differ.
    for (source, target, message) in [
        ("nobody", "bob", "The source user does not exist"),
        ("alice", "nobody", "The target user does not exist"),
        ("alice", "gone", "The target user does not exist"),
        (
            "alice",
            "alice",
            "The source user and the target user are the same",
        ),
        ("al ice", "bob", "Invalid user id"),
    ] {
        let out = env.cli(&["user", "move", source, target, "-n"]);
        assert_fails_with(&out, message);
    }
    // A source without data: exit 3.
    let out = env.cli(&["user", "move", "alice", "bob", "-n"]);
    assert_exit(&out, 3);
    assert!(
        stdout(&out).ends_with("\n\nThe user \"alice\" has no data.\naborting\n"),
        "{}",
        stdout(&out)
    );
    assert_fails_with(&env.cli(&["user", "delete", "", "-n"]), "Invalid user id");
    // Usage errors.
    assert_exit(&env.cli(&["user", "move", "alice"]), 2);
    assert_exit(&env.cli(&["user:nope", "alice"]), 2);
});

/// Runs the CLI on a terminal, typing `input`; returns (exit code, output with `\n` ends).
fn on_tty(env: &TestEnv, args: &[&str], input: &str) -> (Option<i32>, String) {
    let out = env.cli_tty(args, input);
    (out.status.code(), stdout(&out).replace("\r\n", "\n"))
}

backend_tests!(prompts_on_a_terminal, |backend| async move {
    let s = TestServer::start(backend).await;
    let alice = User::new("alice", &s.env.add_user("alice", "alice login password"));
    let bob = User::new("bob", &s.env.add_user("bob", "bob login password"));
    give_data(&s, &alice).await;
    give_data(&s, &bob).await;
    let alice_rows = rows_of(&s.env, "alice").await;
    let bob_rows = rows_of(&s.env, "bob").await;
    let env = &s.env;

    // Declined: only "yes" counts.
    let (code, text) = on_tty(env, &["user", "delete", "alice"], "y\n");
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("❗❗❗ This command will delete all data for the passwords app from \"alice\" ❗❗❗\nType \"yes\" to confirm this: "), "{text}");
    assert!(text.ends_with("aborting\n"), "{text}");
    let (code, text) = on_tty(env, &["user", "move", "alice", "bob"], "no\n");
    assert_eq!(code, Some(2), "{text}");
    assert!(text.ends_with("aborting\n"), "{text}");
    let (code, text) = on_tty(env, &["user", "move", "alice", "bob"], "yes\nnope\n");
    assert_eq!(code, Some(4), "{text}");
    assert!(
        text.contains("❗❗❗ The existing data of \"bob\" will be deleted permanently ❗❗❗"),
        "{text}"
    );
    assert!(text.ends_with("aborting\n"), "{text}");
    assert_eq!(rows_of(env, "alice").await, alice_rows);
    assert_eq!(rows_of(env, "bob").await, bob_rows);

    // A user id of another case: switched only on "change" (the reference inverts this).
    let (code, text) = on_tty(env, &["user", "delete", "ALICE"], "yes please\nyes\n");
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("❗❗❗ Found user \"alice\" for user id \"ALICE\" but it has the id \"alice\" instead ❗❗❗\nType \"change\" to change the user id to \"alice\": "), "{text}");
    assert!(text.contains("Continuing with ALICE\n"), "{text}");
    assert_eq!(rows_of(env, "alice").await, alice_rows, "ALICE had nothing");
    let (code, text) = on_tty(env, &["user", "delete", "ALICE"], "change\nyes\n");
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("Changed user id to alice\n"), "{text}");
    assert!(
        text.ends_with("Deleting passwords app data ... done\n"),
        "{text}"
    );
    assert_eq!(rows_of(env, "alice").await, only_a_key());

    // Accepted on a terminal.
    give_data(&s, &alice).await;
    let (code, text) = on_tty(env, &["user", "move", "bob", "alice"], "yes\nyes\n");
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.ends_with("Deleting data ... done\nMoving data ... done\n"),
        "{text}"
    );
    assert_eq!(rows_of(env, "alice").await, bob_rows);
    assert_eq!(
        pass_fields(&view(&s, &alice).await.0),
        ["bob-secret-1b", "bob-secret-2", "bob-secret-3"]
    );
    let _ = bob;
});

backend_tests!(move_out_of_a_removed_account, |backend| async move {
    let s = TestServer::start(backend).await;
    let old = User::new("old", &s.env.add_user("old", "old login password"));
    give_data(&s, &old).await;
    let old_rows = rows_of(&s.env, "old").await;
    s.env.cli_ok(&["account", "remove", "old"]);
    let new = User::new("new", &s.env.add_user("new", "new login password"));

    let out = s.env.cli(&["user", "move", "old", "new", "-n"]);
    assert_exit(&out, 0);
    assert_eq!(rows_of(&s.env, "new").await, old_rows);
    let mut none = only_a_key();
    none.iter_mut().for_each(|(_, n)| *n = 0);
    assert_eq!(
        rows_of(&s.env, "old").await,
        none,
        "a removed account gets no new key"
    );
    assert_eq!(
        pass_fields(&view(&s, &new).await.0),
        ["old-secret-1b", "old-secret-2", "old-secret-3"]
    );
    // The old uid stays locked until its (now empty) data is deleted.
    let args = ["account", "add", "old", "--no-password"];
    assert_fails_with(&s.env.cli(&args), "queued for deletion");
    s.env.cli_ok(&["user", "delete", "old", "-n"]);
    s.env.cli_ok(&args);
});
