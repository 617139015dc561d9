//! `GET /range/{prefix}` with the real binary on every backend: the HIBP format from the local
//! database, authentication, bad prefixes, the per-user rate limit, no database, and a
//! database installed while the server runs.

#[macro_use]
mod common;

use std::path::Path;

use common::*;
use passwords_breach::localdb::LocalDb;
use passwords_breach::testgen::{generate, Order, Spec};

fn import_list(env: &TestEnv, name: &str, seed: u64, known: &[&str]) {
    let file = env.data_dir().join(name);
    let mut spec = Spec::new(20_000, seed, Order::Hash);
    spec.known = known.iter().map(|s| s.to_string()).collect();
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
    generate(&spec, &mut out).unwrap();
    drop(out);
    env.cli_ok(&["pwned-list", "process", path(&file), "-s", "1"]);
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

async fn range(server: &TestServer, user: Option<&User>, prefix: &str) -> Resp {
    let url = server.raw_url(&format!("/range/{prefix}"));
    Resp::send(server.request(Method::GET, &url, user)).await
}

/// The lines the database itself lists for a prefix, in the endpoint's format.
fn expected_lines(env: &TestEnv, prefix: &str) -> Vec<String> {
    let db = LocalDb::open_dir(&env.data_dir().join("breached")).unwrap();
    db.range(prefix)
        .unwrap()
        .iter()
        .map(|h| {
            let hex: String = h.iter().map(|b| format!("{b:02X}")).collect();
            format!("{}:1", &hex[5..])
        })
        .collect()
}

backend_tests!(ranges_come_from_the_local_database, |backend| async move {
    let env = TestEnv::new(backend).await;
    let token = env.add_user("alice", "pw-alice");
    let server = TestServer::start_with(env, Launch::default());
    let alice = User::new("alice", &token);
    // Nothing installed yet.
    let r = range(&server, Some(&alice), "5BAA6").await;
    assert_eq!(r.status.as_u16(), 503, "{}", r.text);
    r.expect_json_error(503);

    // Installed while the server runs: noticed within a second (the file is looked at no more
    // than once a second).
    import_list(&server.env, "list.txt", 3, &["password"]);
    let installed = eventually(std::time::Duration::from_secs(10), || async {
        range(&server, Some(&alice), "5BAA6").await.status == StatusCode::OK
    })
    .await;
    assert!(installed, "the new database was not picked up");
    let r = range(&server, Some(&alice), "5BAA6").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.header("content-type"), Some("text/plain"));
    let lines: Vec<&str> = r.text.split("\r\n").collect();
    assert!(
        lines.contains(&"1E4C9B93F3F0682250B6CF8331B7EE68FD8:1"),
        "{}",
        r.text
    );
    assert_eq!(lines, expected_lines(&server.env, "5BAA6"));
    // Case does not matter; every line is a 35-digit upper-case suffix and a count.
    let lower = range(&server, Some(&alice), "5baa6").await;
    assert_eq!(lower.text, r.text);
    for prefix in ["00000", "7A3F2", "FFFFF", "C0FFE"] {
        let r = range(&server, Some(&alice), prefix).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let expected = expected_lines(&server.env, prefix);
        let got: Vec<String> = if r.text.is_empty() {
            Vec::new()
        } else {
            r.text.split("\r\n").map(str::to_owned).collect()
        };
        assert_eq!(got, expected, "{prefix}");
        for line in &got {
            let (suffix, count) = line.split_once(':').unwrap();
            assert_eq!(suffix.len(), 35);
            assert!(suffix
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)));
            assert_eq!(count, "1");
        }
    }

    for bad in ["5BAA", "5BAA61", "5BAAG", "-----"] {
        let r = range(&server, Some(&alice), bad).await;
        assert_eq!(r.expect_json_error(400), "Invalid range", "{bad}");
    }
});

backend_tests!(
    ranges_need_credentials_and_are_limited_per_user,
    |backend| async move {
        let env = TestEnv::new(backend).await;
        import_list(&env, "list.txt", 4, &["password"]);
        env.config_set("service.security.range.limit", "3");
        let alice_token = env.add_user("alice", "pw-alice");
        let bob_token = env.add_user("bob", "pw-bob");
        let server = TestServer::start_with(env, Launch::default());
        let alice = User::new("alice", &alice_token);
        let bob = User::new("bob", &bob_token);

        let r = range(&server, None, "5BAA6").await;
        r.expect(401, cors_auth());
        let r = range(&server, Some(&User::new("alice", "wrong")), "5BAA6").await;
        assert_eq!(r.status.as_u16(), 401, "{}", r.text);
        assert!(!r.text.contains("1E4C9B93"));

        for _ in 0..3 {
            let r = range(&server, Some(&alice), "5BAA6").await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        let r = range(&server, Some(&alice), "5BAA6").await;
        assert_eq!(r.status.as_u16(), 429, "{}", r.text);
        let retry: u64 = r
            .header("retry-after")
            .expect("Retry-After")
            .parse()
            .unwrap();
        assert!((1..=60).contains(&retry), "{retry}");
        r.expect_json_error(429);
        // Bob has his own allowance; the limit follows the setting.
        let r = range(&server, Some(&bob), "5BAA6").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        server.env.config_set("service.security.range.limit", "0");
        let unlimited = eventually(std::time::Duration::from_secs(10), || async {
            range(&server, Some(&alice), "5BAA6").await.status == StatusCode::OK
        })
        .await;
        assert!(unlimited);
    }
);
