//! Breached passwords end to end with the real binary on every backend: the legacy API's
//! `strength` with the local database, saving while HIBP is unreachable (NOT_CHECKED) and the
//! job's retry once it answers, and the job's full pass after a new database is installed
//! into a running server.

#[macro_use]
mod common;
#[path = "breach_mock/mod.rs"]
mod breach_mock;

use std::path::Path;
use std::time::Duration;

use breach_mock::{MockHibp, Reply};
use common::*;
use passwords_breach::testgen::{generate, Order, Spec};

/// Writes a generated Pwned Passwords list (with or without the well-known passwords) and
/// imports it with `pwned-list process`, as an admin would.
fn import_list(env: &TestEnv, name: &str, seed: u64, known: &[&str]) {
    let file = env.data_dir().join(name);
    let mut spec = Spec::new(2_000, seed, Order::Hash);
    spec.known = known.iter().map(|s| s.to_string()).collect();
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
    generate(&spec, &mut out).unwrap();
    drop(out);
    env.cli_ok(&["pwned-list", "process", path(&file), "-s", "1"]);
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// The stored status code of the current revision of the password with legacy id `id`.
async fn status_code(env: &TestEnv, id: &Value) -> String {
    let q = format!(
        "SELECT r.status_code FROM password_revisions r JOIN passwords p \
         ON p.revision = r.uuid WHERE p.id = {id}"
    );
    env.sql_strings(&q).await.pop().expect("one revision")
}

async fn strength(server: &TestServer, user: &User, id: &Value) -> i64 {
    let r = server.get(user, &format!("/passwords/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    props(&r.json())["strength"].as_i64().expect("strength")
}

backend_tests!(a_listed_password_has_strength_0, |backend| async move {
    let env = TestEnv::new(backend).await;
    import_list(&env, "list.txt", 7, &["password", "123456"]);
    env.config_set("service.security", "bigdb");
    let token = env.add_user("alice", "pw-alice");
    let server = TestServer::start_with(env, Launch::default());
    let alice = User::new("alice", &token);

    let breached = server
        .create_password(
            &alice,
            json!({"pass": "password", "address": "https://a.example"}),
        )
        .await;
    assert_eq!(props(&breached)["strength"], 0, "{breached}");
    assert_eq!(status_code(&server.env, &breached["id"]).await, "BREACHED");
    let fine = server
        .create_password(
            &alice,
            json!({"pass": "not-in-any-list-Xq9!", "address": "https://b.example"}),
        )
        .await;
    assert_eq!(props(&fine)["strength"], 20, "{fine}");
    assert_eq!(status_code(&server.env, &fine["id"]).await, "GOOD");
    // Changing a password to a listed one flags the new revision.
    let r = server
        .put(
            &alice,
            &format!("/passwords/{}", fine["id"]),
            json!({"pass": "123456"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(strength(&server, &alice, &fine["id"]).await, 0);
});

backend_tests!(
    hibp_down_saves_not_checked_and_a_retry_flips_it,
    |backend| async move {
        let env = TestEnv::new(backend).await;
        let dead = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("http://{}/range/:range", l.local_addr().unwrap())
        };
        env.config_set("service.security", "hibp");
        env.config_set("service.security.hibp.url", &dead);
        env.config_set("service.security.hibp.timeout", "2");
        env.config_set("service.security.recheck.retry", "1");
        let token = env.add_user("alice", "pw-alice");
        let server = TestServer::start_with(env, Launch::default());
        let alice = User::new("alice", &token);

        // Saving works while HIBP is unreachable; the passwords are NOT_CHECKED (strength 10).
        let breached = server
            .create_password(&alice, json!({"pass": "password"}))
            .await;
        let fine = server
            .create_password(&alice, json!({"pass": "not-in-any-list-Xq9!"}))
            .await;
        for p in [&breached, &fine] {
            assert_eq!(props(p)["strength"], 10, "{p}");
            assert_eq!(status_code(&server.env, &p["id"]).await, "NOT_CHECKED");
        }

        // HIBP comes back: the job's retry checks both.
        let mock = MockHibp::start(|path| match path {
        "/range/5BAA6" => Reply::Body(
            "0018A45C4D1DEF81644B54AB7F969B88D65:10\r\n1E4C9B93F3F0682250B6CF8331B7EE68FD8:9545824".into(),
        ),
        _ => Reply::Body(String::new()),
    })
    .await;
        server
            .env
            .config_set("service.security.hibp.url", &mock.url());
        let flipped = eventually(Duration::from_secs(60), || async {
            status_code(&server.env, &breached["id"]).await == "BREACHED"
                && status_code(&server.env, &fine["id"]).await == "GOOD"
        })
        .await;
        assert!(flipped, "the retry did not re-check: {:?}", mock.requests());
        assert_eq!(strength(&server, &alice, &breached["id"]).await, 0);
        assert_eq!(strength(&server, &alice, &fine["id"]).await, 20);
    }
);

backend_tests!(
    a_database_installed_while_the_server_runs_is_applied_to_stored_passwords,
    |backend| async move {
        let env = TestEnv::new(backend).await;
        import_list(&env, "old.txt", 1, &["123456"]);
        env.config_set("service.security", "bigdb");
        let token = env.add_user("alice", "pw-alice");
        let server = TestServer::start_with(env, Launch::default());
        let alice = User::new("alice", &token);
        let p = server
            .create_password(&alice, json!({"pass": "password"}))
            .await;
        assert_eq!(props(&p)["strength"], 20, "not listed yet: {p}");

        // A new list with "password" in it, imported next to the running server.
        import_list(&server.env, "new.txt", 2, &["password", "123456"]);
        let applied = eventually(Duration::from_secs(60), || async {
            status_code(&server.env, &p["id"]).await == "BREACHED"
        })
        .await;
        assert!(applied, "the job did not re-check after the new database");
        assert_eq!(strength(&server, &alice, &p["id"]).await, 0);
        // New saves use the new database too.
        let q = server
            .create_password(&alice, json!({"pass": "password"}))
            .await;
        assert_eq!(props(&q)["strength"], 0);
    }
);
