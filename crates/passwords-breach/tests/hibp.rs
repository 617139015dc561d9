//! The `hibp` and `bigdb+hibp` providers against a stand-in for the range API on 127.0.0.1:
//! hit, miss, 404, 500, timeout, a refused connection, padding lines and truncated hashes.

use std::sync::Arc;
use std::time::Duration;

use passwords_breach::bigdb::BigDb;
use passwords_breach::combined::BigDbHibp;
use passwords_breach::hibp::{HibpClient, HibpProvider};
use passwords_breach::localdb::{install, Builder};
use passwords_breach::testgen::sha1;
use passwords_breach::{BreachError, BreachProvider};

mod mock_hibp;
use mock_hibp::{MockHibp, Reply};

/// SHA-1 of "password" and its range.
const PASSWORD: &str = "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8";

/// The real range 5BAA6 in short: "password" among two other hashes, plus padding (count 0)
/// whose suffix is that of `absent`.
fn range_body(absent: &str) -> String {
    format!(
        "0018A45C4D1DEF81644B54AB7F969B88D65:10\r\n\
         1E4C9B93F3F0682250B6CF8331B7EE68FD8:9545824\r\n\
         {}:0\r\n\
         FFF4B9D0B1A0B1F4F5D8C9F0A8E7B6C5D4E:2",
        absent[5..].to_ascii_uppercase()
    )
}

/// A range URL on a loopback port that nothing listens on.
fn dead_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}/range/:range", l.local_addr().unwrap())
}

fn provider(mock: &MockHibp, timeout: Duration) -> HibpProvider {
    HibpClient::new().unwrap().provider(&mock.url(), timeout)
}

async fn ranges() -> MockHibp {
    MockHibp::start(|path| match path {
        "/range/5BAA6" => Reply::Body(range_body("5baa6aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")),
        "/range/00000" => Reply::Status(404),
        "/range/EEEEE" => Reply::Status(500),
        "/range/DDDDD" => Reply::Hang,
        _ => Reply::Body(String::new()),
    })
    .await
}

#[tokio::test]
async fn a_listed_hash_is_breached_and_the_request_asks_for_padding() {
    let mock = ranges().await;
    let p = provider(&mock, Duration::from_secs(10));
    assert!(p.is_breached(PASSWORD).await.unwrap());
    // A truncated hash is breached if a listed one starts with it.
    assert!(p.is_breached(&PASSWORD[..20]).await.unwrap());
    assert!(p.is_breached("5BAA61E4").await.unwrap());
    let requests = mock.requests();
    assert_eq!(requests.len(), 3);
    for r in &requests {
        assert!(r.starts_with("GET /range/5BAA6 HTTP/1.1\r\n"), "{r}");
        assert!(
            r.to_ascii_lowercase().contains("\r\nadd-padding: true\r\n"),
            "{r}"
        );
    }
}

#[tokio::test]
async fn an_unlisted_hash_is_not_breached_and_padding_lines_do_not_count() {
    let mock = ranges().await;
    let p = provider(&mock, Duration::from_secs(10));
    // Listed only as padding (count 0).
    assert!(!p
        .is_breached("5baa6aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .await
        .unwrap());
    assert!(!p
        .is_breached("5baa6bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
        .await
        .unwrap());
    // An empty range, and a hash that is not hex (never sent).
    assert!(!p
        .is_breached("12345aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .await
        .unwrap());
    assert!(!p.is_breached("not-hex").await.unwrap());
    assert_eq!(mock.requests().len(), 3);
    // The range without padding, sorted, filtered by the longer prefix.
    assert_eq!(
        p.hashes("5baa6").await.unwrap(),
        [
            "5baa60018a45c4d1def81644b54ab7f969b88d65",
            PASSWORD,
            "5baa6fff4b9d0b1a0b1f4f5d8c9f0a8e7b6c5d4e"
        ]
    );
    assert_eq!(p.hashes("5baa61e").await.unwrap(), [PASSWORD]);
    assert_eq!(p.hashes(PASSWORD).await.unwrap(), [PASSWORD]);
}

#[tokio::test]
async fn not_found_is_an_empty_range() {
    let mock = ranges().await;
    let p = provider(&mock, Duration::from_secs(10));
    assert!(!p
        .is_breached("00000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .await
        .unwrap());
    assert!(p.hashes("00000").await.unwrap().is_empty());
}

#[tokio::test]
async fn a_server_error_a_timeout_and_a_dead_port_are_unavailable() {
    let mock = ranges().await;
    let p = provider(&mock, Duration::from_millis(300));
    let e = p
        .is_breached("eeeeeaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .await
        .unwrap_err();
    assert!(
        matches!(&e, BreachError::Unavailable(m) if m.contains("HTTP 500")),
        "{e}"
    );
    let e = p
        .is_breached("dddddaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .await
        .unwrap_err();
    assert!(
        matches!(&e, BreachError::Unavailable(m) if m.contains("timed out")),
        "{e}"
    );
    assert!(p.hashes("ddddd").await.is_err());

    let dead = HibpClient::new()
        .unwrap()
        .provider(&dead_url(), Duration::from_secs(5));
    let e = dead.is_breached(PASSWORD).await.unwrap_err();
    assert!(
        matches!(&e, BreachError::Unavailable(m) if m.contains("cannot connect")),
        "{e}"
    );
}

#[tokio::test]
async fn a_malformed_answer_is_unavailable_not_a_miss() {
    let mock = MockHibp::start(|_| Reply::Body("<html>maintenance</html>".into())).await;
    let p = provider(&mock, Duration::from_secs(10));
    assert!(p.is_breached(PASSWORD).await.is_err());
    let e = HibpClient::new()
        .unwrap()
        .provider("http://127.0.0.1:9/no-placeholder", Duration::from_secs(1))
        .is_breached(PASSWORD)
        .await
        .unwrap_err();
    assert!(e.to_string().contains(":range"), "{e}");
}

#[tokio::test]
async fn bigdb_and_hibp_asks_hibp_only_for_what_the_local_database_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = Builder::new(dir.path()).unwrap();
    b.push(&sha1("123456")).unwrap();
    let out = dir.path().join("staged");
    b.finish(&out, "test", 1).unwrap();
    install(&out, dir.path()).unwrap();
    let local = Arc::new(BigDb::new(dir.path()));

    let mock = ranges().await;
    let both = BigDbHibp {
        local: local.clone(),
        hibp: provider(&mock, Duration::from_secs(10)),
    };
    let local_only = hex::encode(sha1("123456"));
    assert!(both.is_breached(&local_only).await.unwrap());
    assert!(
        mock.requests().is_empty(),
        "a local hit needs no HIBP request"
    );
    assert!(both.is_breached(PASSWORD).await.unwrap());
    assert!(!both
        .is_breached("5baa6bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
        .await
        .unwrap());
    assert_eq!(mock.requests().len(), 2);
    // The range is the union.
    let range = both.hashes(&local_only[..5]).await.unwrap();
    assert_eq!(range, std::slice::from_ref(&local_only));
    assert_eq!(both.hashes("5baa6").await.unwrap().len(), 3);

    // HIBP down: local hits still count, everything else is unavailable.
    let down = BigDbHibp {
        local,
        hibp: HibpClient::new()
            .unwrap()
            .provider(&dead_url(), Duration::from_secs(2)),
    };
    assert!(down.is_breached(&local_only).await.unwrap());
    assert!(down.is_breached(PASSWORD).await.is_err());
    assert!(down.hashes("5baa6").await.is_err());
}
