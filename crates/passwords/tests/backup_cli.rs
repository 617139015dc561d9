//! `passwords backup …` commands through the real binary on every backend: messages, exit
//! codes, names, the occ aliases, the terminal guard and declined confirmations, and
//! hostile files (each refused with one sentence, storing and changing nothing).

#[macro_use]
mod common;

use std::path::Path;

use common::vault::*;
use common::*;

fn list(env: &TestEnv) -> String {
    env.cli_ok(&["backup", "list"])
}

backend_tests!(commands, |backend| async move {
    let env = TestEnv::new(backend).await;
    env.add_user("alice", "alice-login-pw");
    assert_eq!(list(&env).trim(), "No backups found");

    // create: names are sanitised and cut to 20 characters; no name → the UTC date.
    assert_eq!(
        create_backup(&env, "abc/../def ghijklmnopqrstuvwxyz"),
        "abc..defghijklmnopqr"
    );
    let dated = create_backup(&env, "");
    assert_eq!(dated.len(), 19, "{dated}");
    assert!(dated.starts_with(&today()[..4]), "{dated}");
    // The occ names work as aliases.
    let out = env.cli_ok(&["backup:create", "second"]);
    assert!(out.starts_with("Created new backup: second, "), "{out}");
    let out = env.cli_ok(&["passwords:backup:list"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "The following backups are available:");
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[1].starts_with(&format!("  {dated}  ")), "{out}");
    assert!(lines[2].starts_with("  abc..defghijklmnopqr  "), "{out}");
    assert!(lines[3].starts_with("  second                "), "{out}");
    assert!(lines[3].ends_with(" compressed"), "{out}");

    // list -d: version and counts.
    let out = env.cli_ok(&["backup", "list", "-d"]);
    assert!(
        out.contains("    Version 106\n    1     users\n    0     passwords\n"),
        "{out}"
    );

    // delete: manual ones; unknown names are an error.
    assert_eq!(
        env.cli_ok(&["backup", "delete", "second"]).trim(),
        "Deleted: second"
    );
    assert!(!list(&env).contains("second"));
    assert_fails_with(
        &env.cli(&["backup", "delete", "second"]),
        "Could not find backup 'second'",
    );

    // export: to the current directory, to a file, into a directory (created).
    let out_dir = tempfile::tempdir().unwrap();
    let stored = env.backups().join(format!("{dated}.json.gz"));
    let out = env
        .command(&["backup", "export", &dated])
        .current_dir(out_dir.path())
        .output()
        .unwrap();
    assert_success(&out, &["backup", "export"]);
    let here = out_dir.path().join(format!("{dated}.json.gz"));
    assert_eq!(
        stdout(&out).trim(),
        format!("Exported backup to {}", here.display())
    );
    assert_eq!(
        std::fs::read(&here).unwrap(),
        std::fs::read(&stored).unwrap()
    );
    let file = out_dir.path().join("copy.json.gz");
    env.cli_ok(&["backup", "export", &dated, file.to_str().unwrap()]);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        std::fs::read(&stored).unwrap()
    );
    let sub = out_dir.path().join("a/b");
    env.cli_ok(&["backup", "export", &dated, sub.to_str().unwrap()]);
    assert!(sub.join(format!("{dated}.json.gz")).is_file());
    let plain = out_dir.path().join("plain-file");
    std::fs::write(&plain, "x").unwrap();
    assert_fails_with(
        &env.cli(&["backup", "export", &dated, plain.to_str().unwrap()]),
        "Invalid export file path",
    );
    assert_fails_with(
        &env.cli(&["backup", "export", "nope"]),
        "Could not find backup 'nope'",
    );

    // import: the label comes from the file name, sanitised; a bad name or type is refused.
    let spaced = out_dir.path().join("my copy!.json.gz");
    std::fs::copy(&stored, &spaced).unwrap();
    let out = env.cli_ok(&["backup", "import", spaced.to_str().unwrap()]);
    assert!(out.starts_with("Imported backup: mycopy, "), "{out}");
    assert_eq!(
        std::fs::read(env.backups().join("mycopy.json.gz")).unwrap(),
        std::fs::read(&stored).unwrap()
    );
    let txt = out_dir.path().join("backup.txt");
    std::fs::copy(&stored, &txt).unwrap();
    assert_fails_with(
        &env.cli(&["backup", "import", txt.to_str().unwrap()]),
        "Invalid file type",
    );
    let missing = out_dir.path().join("missing.json.gz");
    assert_fails_with(
        &env.cli(&["backup", "import", missing.to_str().unwrap()]),
        "does not exist",
    );
    // An uncompressed JSON backup is accepted and stored compressed.
    let json_file = out_dir.path().join("plain.json");
    std::fs::write(&json_file, read_gz_json(&stored).to_string()).unwrap();
    env.cli_ok(&["backup", "import", json_file.to_str().unwrap()]);
    assert_eq!(
        read_gz_json(&env.backups().join("plain.json.gz")),
        read_gz_json(&stored)
    );
});

backend_tests!(restore_rules, |backend| async move {
    let server = TestServer::start(backend).await;
    let alice = User::new("alice", &server.env.add_user("alice", "alice-login-pw"));
    seed(&server, &alice, 3).await;
    create_backup(&server.env, "base");
    server
        .create_password(&alice, json!({"pass": "later"}))
        .await;
    let now = state(&server, &[&alice]).await;
    let env = &server.env;

    // Unknown backup.
    assert_fails_with(
        &env.cli(&["backup", "restore", "nope", "-n"]),
        "Could not find backup 'nope'",
    );
    // --user needs a value: a usage error (exit 2), not a restore of everybody.
    let out = env.cli(&["backup", "restore", "base", "-n", "--user"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // No terminal and no -n: exit 107 before anything.
    let out = env.cli(&["backup", "restore", "base"]);
    assert_eq!(out.status.code(), Some(107), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Interactive command requires \"--no-interaction\""),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");
    // Nothing to restore: exit 1.
    let out = env.cli(&[
        "backup",
        "restore",
        "base",
        "-n",
        "--no-data",
        "--no-user-settings",
        "--no-app-settings",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains(" - nothing"), "{}", stdout(&out));
    assert_eq!(state(&server, &[&alice]).await, now);

    // Declined on a terminal: `aborting`, exit 2, nothing changed.
    let out = env.cli_tty(&["backup", "restore", "base"], "no\n");
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("Type \"yes\" to confirm this: "), "{text}");
    assert!(text.contains("aborting"), "{text}");
    assert_eq!(state(&server, &[&alice]).await, now);
    // Accepted on a terminal.
    let out = env.cli_tty(&["backup", "restore", "base"], "yes\n");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("Restoring backup ... done"));
    assert_ne!(state(&server, &[&alice]).await, now);
});

/// Makes a broken file at a path.
type MakeFile<'a> = Box<dyn FnOnce(&Path) + 'a>;
/// Breaks a valid backup's JSON.
type Edit = Box<dyn FnOnce(&mut Value)>;

/// A valid backup's JSON, changed by `edit`, stored as `name` in the backups folder.
fn plant(env: &TestEnv, source: &Path, name: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut value = read_gz_json(source);
    edit(&mut value);
    write_gz_json(&env.backups().join(format!("{name}.json.gz")), &value);
    name.to_owned()
}

backend_tests!(hostile_files, |backend| async move {
    let server = TestServer::start(backend).await;
    let alice = User::new("alice", &server.env.add_user("alice", "alice-login-pw"));
    seed(&server, &alice, 3).await;
    let env = &server.env;
    create_backup(env, "good");
    server
        .create_password(&alice, json!({"pass": "after"}))
        .await;
    let now = state(&server, &[&alice]).await;
    let good = env.backups().join("good.json.gz");
    let work = tempfile::tempdir().unwrap();

    // Files refused by import (and by list -d, and by restore), with their message.
    let cases: Vec<(&str, MakeFile<'_>, &str)> = vec![
        (
            "notgzip",
            Box::new(|p: &Path| std::fs::write(p, "{}").unwrap()),
            "not gzip-compressed",
        ),
        (
            "truncated",
            Box::new(|p: &Path| {
                let bytes = std::fs::read(&good).unwrap();
                std::fs::write(p, &bytes[..bytes.len() / 2]).unwrap()
            }),
            "truncated",
        ),
        (
            "badjson",
            Box::new(|p: &Path| write_gz_bytes(p, b"{\"format\": ")),
            "truncated",
        ),
        (
            "garbage",
            Box::new(|p: &Path| write_gz_bytes(p, b"{]")),
            "not valid JSON",
        ),
        (
            "notobject",
            Box::new(|p: &Path| write_gz_bytes(p, b"[1,2]")),
            "not valid",
        ),
    ];
    let edits: Vec<(&str, Edit, &str)> = vec![
        (
            "newer",
            Box::new(|v| v["formatVersion"] = json!(99)),
            "Unsupported backup version: 99",
        ),
        (
            "oldref",
            Box::new(|v| v["version"] = json!(105)),
            "Unsupported backup version: 105",
        ),
        (
            "reference",
            Box::new(|v| {
                v.as_object_mut().unwrap().shift_remove("format");
            }),
            "Nextcloud Passwords app",
        ),
        (
            "client",
            Box::new(|v| {
                v.as_object_mut().unwrap().shift_remove("format");
                v["version"] = json!(3);
            }),
            "client backup",
        ),
        (
            "nokeys",
            Box::new(|v| {
                v.as_object_mut().unwrap().shift_remove("keys");
            }),
            "does not contain a valid server backup",
        ),
        (
            "huge",
            Box::new(|v| v["passwords"][0]["created"] = json!(1e300)),
            "passwords entry 1",
        ),
        (
            "bignum",
            Box::new(|v| v["passwords"][0]["id"] = json!(u64::MAX)),
            "passwords entry 1",
        ),
        (
            "future",
            Box::new(|v| v["passwords"][0]["updated"] = json!(i64::MAX)),
            "out of range",
        ),
        (
            "wrongtype",
            Box::new(|v| v["passwords"][1]["deleted"] = json!("no")),
            "passwords entry 2",
        ),
        (
            "dupuuid",
            Box::new(|v| {
                let first = v["passwords"][0]["uuid"].clone();
                v["passwords"][1]["uuid"] = first;
            }),
            "appears twice",
        ),
        (
            "dupid",
            Box::new(|v| {
                let first = v["passwords"][0]["id"].clone();
                v["passwords"][1]["id"] = first;
            }),
            "appears twice",
        ),
        (
            "baduser",
            Box::new(|v| v["passwords"][0]["userId"] = json!("../../etc")),
            "passwords entry 1",
        ),
        (
            "orphan",
            Box::new(|v| {
                v["passwords"].as_array_mut().unwrap().remove(0);
            }),
            "not in the backup",
        ),
        (
            "keychain",
            Box::new(|v| v["keychains"] = json!([{"x": 1}])),
            "client-side encryption",
        ),
    ];
    let mut names = Vec::new();
    for (name, make, message) in cases {
        let path = work.path().join(format!("{name}.json.gz"));
        make(&path);
        names.push((name.to_string(), message.to_string(), path));
    }
    for (name, edit, message) in edits {
        let path = work.path().join(format!("{name}.json.gz"));
        let mut value = read_gz_json(&good);
        edit(&mut value);
        write_gz_json(&path, &value);
        names.push((name.to_string(), message.to_string(), path));
    }
    let listed = list(env);
    for (name, message, path) in &names {
        let out = env.cli(&["backup", "import", path.to_str().unwrap()]);
        assert_fails_with(&out, message);
        assert!(
            !env.backups().join(format!("{name}.json.gz")).exists(),
            "{name} stored"
        );
        // Stored anyway (by hand): restore refuses it and changes nothing; list -d says why.
        std::fs::copy(path, env.backups().join(format!("{name}.json.gz"))).unwrap();
        let out = env.cli(&["backup", "restore", name, "-n"]);
        assert_fails_with(&out, message);
        let details = env.cli_ok(&["backup", "list", "-d"]);
        let block = details
            .split(&format!("  {name:<20}"))
            .nth(1)
            .unwrap_or_else(|| panic!("{name} not listed: {details}"));
        assert!(
            block.lines().nth(1).unwrap().starts_with("    Error "),
            "{name}: {details}"
        );
        std::fs::remove_file(env.backups().join(format!("{name}.json.gz"))).unwrap();
    }
    assert_eq!(list(env), listed);

    // Valid structure but tampered ciphertext, or another instance key: import accepts the
    // file (it cannot know the keys), restore refuses it before changing anything.
    let tampered = plant(env, &good, "tampered", |v| {
        let label = v["passwords"][0]["revisions"][0]["label"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut chars: Vec<char> = label.chars().collect();
        chars[20] = if chars[20] == 'A' { 'B' } else { 'A' };
        v["passwords"][0]["revisions"][0]["label"] = json!(chars.into_iter().collect::<String>());
    });
    assert_fails_with(
        &env.cli(&["backup", "restore", &tampered, "-n"]),
        "cannot be decrypted",
    );
    let other_key = plant(env, &good, "otherkey", |v| {
        v["keys"]["server"]["instanceKeyCheck"] = json!("0000");
    });
    assert_fails_with(
        &env.cli(&["backup", "restore", &other_key, "-n"]),
        "another instance key",
    );
    assert_eq!(state(&server, &[&alice]).await, now, "nothing changed");
});
