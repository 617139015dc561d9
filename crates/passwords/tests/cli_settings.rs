//! Configuration layering, secrets from files and the data directory, through the real binary:
//! code default → TOML → PASSWORDS_* environment → command line.

use std::path::Path;
use std::process::{Command, Output};

fn passwords(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_passwords"));
    c.current_dir(dir);
    for (k, _) in std::env::vars() {
        if k.starts_with("PASSWORDS_") || k == "RUST_LOG" {
            c.env_remove(k);
        }
    }
    c
}

fn run(c: &mut Command) -> Output {
    c.output().expect("the passwords binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn defaults_create_a_private_data_dir_with_sqlite_and_a_key() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(passwords(tmp.path()).args(["config", "list"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let data = tmp.path().join("data");
    assert!(data.join("passwords.db").is_file());
    assert!(data.join("instance.key").is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join("instance.key")), 0o600);
    }
}

#[test]
fn toml_then_environment_then_flags() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    std::fs::create_dir(&data).unwrap();
    let db = |name: &str| tmp.path().join(name);
    std::fs::write(
        data.join("passwords.toml"),
        format!("database_url = \"sqlite://{}\"\n", db("toml.db").display()),
    )
    .unwrap();
    let base = || {
        let mut c = passwords(tmp.path());
        c.args(["--data-dir", data.to_str().unwrap()]);
        c
    };

    let out = run(base().args(["config", "list"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        db("toml.db").is_file(),
        "the TOML file's database_url is used"
    );
    assert!(!data.join("passwords.db").exists());

    let env_url = format!("sqlite://{}", db("env.db").display());
    let out = run(base()
        .env("PASSWORDS_DATABASE_URL", &env_url)
        .args(["config", "list"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(db("env.db").is_file(), "the environment wins over TOML");

    let flag_url = format!("sqlite://{}", db("flag.db").display());
    let out = run(base().env("PASSWORDS_DATABASE_URL", &env_url).args([
        "--database-url",
        &flag_url,
        "config",
        "list",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        db("flag.db").is_file(),
        "the command line wins over the environment"
    );
}

#[test]
fn explicit_config_file_must_exist_and_parse() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(passwords(tmp.path()).args(["--config", "nope.toml", "config", "list"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
    assert!(
        !tmp.path().join("data").exists(),
        "nothing is created on a configuration error"
    );

    std::fs::write(tmp.path().join("bad.toml"), "listen = [not toml").unwrap();
    let out = run(passwords(tmp.path()).args(["--config", "bad.toml", "config", "list"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("invalid configuration"),
        "{}",
        stderr(&out)
    );

    std::fs::write(tmp.path().join("typo.toml"), "body_limit = \"lots\"\n").unwrap();
    let out = run(passwords(tmp.path()).args(["--config", "typo.toml", "config", "list"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("body_limit"), "{}", stderr(&out));
}

#[test]
fn instance_key_from_a_file_and_a_wrong_key_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let key_file = tmp.path().join("key.hex");
    std::fs::write(&key_file, format!("{}\n", "ab".repeat(32))).unwrap();
    let out = run(passwords(tmp.path())
        .env("PASSWORDS_INSTANCE_KEY_FILE", &key_file)
        .args(["config", "list"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !tmp.path().join("data/instance.key").exists(),
        "no key file is made when one is given"
    );

    // The same database with another key: a clear error, exit 1.
    let out = run(passwords(tmp.path())
        .env("PASSWORDS_INSTANCE_KEY", "cd".repeat(32))
        .args(["config", "list"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("instance key does not match"),
        "{}",
        stderr(&out)
    );

    let out = run(passwords(tmp.path())
        .env("PASSWORDS_INSTANCE_KEY", "not hex")
        .args(["config", "list"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("64 hexadecimal digits"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn database_url_from_a_file_and_bad_urls() {
    let tmp = tempfile::tempdir().unwrap();
    let url_file = tmp.path().join("url");
    std::fs::write(
        &url_file,
        format!("sqlite://{}\n", tmp.path().join("secret.db").display()),
    )
    .unwrap();
    let out = run(passwords(tmp.path())
        .env("PASSWORDS_DATABASE_URL_FILE", &url_file)
        .args(["config", "list"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tmp.path().join("secret.db").is_file());

    let out = run(passwords(tmp.path()).args([
        "--database-url",
        "redis://user:hunter2@localhost/0",
        "config",
        "list",
    ]));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("cannot open the database"), "{err}");
    assert!(
        !err.contains("hunter2"),
        "the password of a database URL never reaches an error: {err}"
    );
}
