//! `passwords config list|get|set|delete` against every backend: every setting listed,
//! normalisation, occ aliases, defaults, and the errors (unknown key, invalid value,
//! read-only setting).

#[macro_use]
mod common;

use common::*;

const DEFAULTS: [(&str, &str); 12] = [
    ("legacy.api.enabled", "true"),
    ("legacy.api.last.used", "0"),
    ("service.security", "none"),
    (
        "service.security.hibp.url",
        "https://api.pwnedpasswords.com/range/:range",
    ),
    ("service.security.hibp.timeout", "5"),
    ("service.security.recheck.retry", "600"),
    ("service.security.range.limit", "600"),
    ("service.security.local.url", ""),
    ("service.security.local.version", ""),
    ("service.security.local.type", ""),
    ("backup.interval", "86400"),
    ("backup.files.max", "28"),
];

/// `KEY = VALUE[ (default)][ (read-only)]` lines of `config list`, by key.
fn listed(env: &TestEnv) -> Vec<(String, String)> {
    env.cli_ok(&["config", "list"])
        .lines()
        .map(|l| {
            let (k, v) = l
                .split_once(" = ")
                .unwrap_or_else(|| panic!("not `KEY = VALUE`: {l:?}"));
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

backend_tests!(config_commands, |backend| async move {
    let env = TestEnv::new(backend).await;

    // list: every setting, with its default.
    let list = listed(&env);
    let keys: Vec<&str> = list.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, DEFAULTS.map(|(k, _)| k), "every setting, in order");
    for ((key, shown), (_, default)) in list.iter().zip(DEFAULTS) {
        let expected = if key == "legacy.api.last.used" || key == "service.security.local.type" {
            format!("{default} (default) (read-only)")
        } else if default.is_empty() {
            " (default)".to_owned()
        } else {
            format!("{default} (default)")
        };
        assert_eq!(shown.trim_start(), expected.trim_start(), "{key}");
    }

    // get: the value alone.
    for (key, default) in DEFAULTS {
        assert_eq!(env.config_get(key), default, "{key}");
    }

    // set: booleans are normalised; the answer shows the stored value.
    let out = env.cli_ok(&["config", "set", "legacy.api.enabled", "0"]);
    assert_eq!(out.trim(), "legacy.api.enabled = false");
    assert_eq!(env.config_get("legacy.api.enabled"), "false");
    for (input, stored) in [
        ("1", "true"),
        ("FALSE", "false"),
        ("true", "true"),
        ("off", "false"),
        ("yes", "true"),
    ] {
        let out = env.cli_ok(&["config", "set", "legacy.api.enabled", input]);
        assert_eq!(
            out.trim(),
            format!("legacy.api.enabled = {stored}"),
            "input {input}"
        );
        assert_eq!(env.config_get("legacy.api.enabled"), stored);
    }
    // The occ names are aliases.
    let out = env.cli_ok(&["config", "set", "passwords/legacy_api_enabled", "0"]);
    assert_eq!(out.trim(), "legacy.api.enabled = false");
    assert_eq!(env.config_get("passwords/legacy_api_enabled"), "false");
    assert_eq!(env.config_get("legacy.api.enabled"), "false");
    env.config_set(
        "passwords/localdb/source",
        "https://x.example/:version.:format",
    );
    assert_eq!(
        env.config_get("service.security.local.url"),
        "https://x.example/:version.:format"
    );
    // Other types.
    assert_eq!(
        env.cli_ok(&["config", "set", "service.security", "HIBP"])
            .trim(),
        "service.security = hibp"
    );
    assert_eq!(
        env.cli_ok(&["config", "set", "backup.files.max", " 5 "])
            .trim(),
        "backup.files.max = 5"
    );
    let list = listed(&env);
    let value = |k: &str| {
        list.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(value("legacy.api.enabled"), "false");
    assert_eq!(value("service.security"), "hibp");
    assert_eq!(value("backup.files.max"), "5");
    assert_eq!(
        value("service.security.local.url"),
        "https://x.example/:version.:format"
    );
    assert_eq!(value("backup.interval"), "86400 (default)");

    // Invalid values: exit 1, nothing stored.
    for (key, bad) in [
        ("legacy.api.enabled", "maybe"),
        ("legacy.api.enabled", ""),
        ("backup.files.max", "many"),
        ("backup.interval", "59"),
        ("service.security", "local"),
    ] {
        let out = env.cli(&["config", "set", key, bad]);
        assert_fails_with(&out, "Invalid setting value");
        assert!(stderr(&out).contains(key), "{}", stderr(&out));
    }
    assert_eq!(env.config_get("legacy.api.enabled"), "false");
    assert_eq!(env.config_get("backup.files.max"), "5");
    assert_eq!(env.config_get("service.security"), "hibp");

    // Unknown keys.
    for args in [
        &["config", "get", "nope"][..],
        &["config", "set", "nope", "1"],
        &["config", "delete", "nope"],
        &["config", "get", "passwords/nope"],
    ] {
        assert_fails_with(&env.cli(args), "Unknown setting identifier");
    }

    // The read-only setting.
    for args in [
        &["config", "set", "legacy.api.last.used", "5"][..],
        &["config", "delete", "legacy.api.last.used"],
        &["config", "set", "passwords/legacy_last_used", "5"],
    ] {
        assert_fails_with(&env.cli(args), "Setting not writable");
    }
    assert_eq!(env.config_get("legacy.api.last.used"), "0");

    // delete: back to the default.
    let out = env.cli_ok(&["config", "delete", "legacy.api.enabled"]);
    assert_eq!(out.trim(), "legacy.api.enabled = true (default)");
    assert_eq!(env.config_get("legacy.api.enabled"), "true");
    env.cli_ok(&["config", "delete", "passwords/localdb/source"]);
    assert_eq!(env.config_get("service.security.local.url"), "");
    // Deleting what is not set is fine.
    env.cli_ok(&["config", "delete", "backup.interval"]);
    assert_eq!(env.config_get("backup.interval"), "86400");
    let list = listed(&env);
    let value = |k: &str| {
        list.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(value("legacy.api.enabled"), "true (default)");
    assert_eq!(value("backup.files.max"), "5");
});
