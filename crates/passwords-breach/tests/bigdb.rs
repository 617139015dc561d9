//! The `bigdb` provider: lookups of full and truncated hashes, ranges, and hot reload of a
//! newly installed database while the provider is in use.

use std::path::Path;
use std::time::Duration;

use passwords_breach::bigdb::BigDb;
use passwords_breach::localdb::{install, Builder};
use passwords_breach::testgen::sha1;
use passwords_breach::{BreachError, BreachProvider};

/// Builds a database of the SHA-1s of `passwords` and installs it into `dir` atomically.
fn install_db(dir: &Path, passwords: &[&str], source: &str) {
    let staging = tempfile::tempdir_in(dir).unwrap();
    let mut b = Builder::new(staging.path()).unwrap();
    for p in passwords {
        b.push(&sha1(p)).unwrap();
    }
    let out = staging.path().join("built.db");
    b.finish(&out, source, 1_700_000_000).unwrap();
    install(&out, dir).unwrap();
}

fn hash(p: &str) -> String {
    hex::encode(sha1(p))
}

#[tokio::test]
async fn full_and_truncated_hashes_and_ranges() {
    let dir = tempfile::tempdir().unwrap();
    install_db(dir.path(), &["password", "123456", "qwerty"], "test");
    let db = BigDb::new(dir.path());
    let password = hash("password");
    assert!(db.is_breached(&password).await.unwrap());
    assert!(db
        .is_breached(&password.to_ascii_uppercase())
        .await
        .unwrap());
    assert!(db.is_breached(&password[..20]).await.unwrap());
    assert!(db.is_breached(&password[..3]).await.unwrap());
    assert!(!db.is_breached(&hash("correct horse")).await.unwrap());
    assert!(!db.is_breached("5baa6zzz").await.unwrap());
    // A truncated hash that no listed one starts with.
    let other = if password.starts_with('f') { "0" } else { "f" };
    assert!(!db.is_breached(other).await.unwrap());
    assert_eq!(
        db.hashes(&password[..5]).await.unwrap(),
        std::slice::from_ref(&password)
    );
    assert_eq!(
        db.hashes(&password[..12]).await.unwrap(),
        std::slice::from_ref(&password)
    );
    assert!(db
        .hashes(&hash("correct horse")[..5])
        .await
        .unwrap()
        .is_empty());
    assert!(db.hashes("5baa").await.unwrap().is_empty(), "too short");
    assert!(db.fingerprint().unwrap().ends_with(":test"));
}

#[tokio::test]
async fn no_database_is_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let db = BigDb::with_check_interval(dir.path(), Duration::ZERO);
    let e = db.is_breached(&hash("password")).await.unwrap_err();
    assert!(matches!(e, BreachError::Unavailable(_)));
    assert!(db.hashes("5baa6").await.is_err());
    assert!(db.fingerprint().is_none());
}

#[tokio::test]
async fn a_newly_installed_database_is_used_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    install_db(dir.path(), &["123456"], "first");
    let db = BigDb::with_check_interval(dir.path(), Duration::ZERO);
    let password = hash("password");
    assert!(!db.is_breached(&password).await.unwrap());
    let old = db.current().unwrap();
    assert_eq!(old.header().source, "first");

    install_db(dir.path(), &["123456", "password"], "second");
    assert!(db.is_breached(&password).await.unwrap());
    assert_eq!(db.current().unwrap().header().source, "second");
    // A lookup that still holds the old mapping keeps working on it.
    assert!(!old.contains_hex(&password));
    assert!(old.contains_hex(&hash("123456")));

    // Removed: nothing to check against.
    std::fs::remove_file(db.path()).unwrap();
    assert!(db.is_breached(&password).await.is_err());
    install_db(dir.path(), &["password"], "third");
    assert!(db.is_breached(&password).await.unwrap());
}

#[tokio::test]
async fn the_file_is_looked_at_once_per_interval() {
    let dir = tempfile::tempdir().unwrap();
    install_db(dir.path(), &["123456"], "first");
    let db = BigDb::with_check_interval(dir.path(), Duration::from_secs(3600));
    let password = hash("password");
    assert!(!db.is_breached(&password).await.unwrap());
    install_db(dir.path(), &["password"], "second");
    // Within the interval the old database answers; `refresh` looks at once.
    assert!(!db.is_breached(&password).await.unwrap());
    db.refresh();
    assert!(db.is_breached(&password).await.unwrap());
}

#[tokio::test]
async fn a_broken_file_keeps_the_previous_database() {
    let dir = tempfile::tempdir().unwrap();
    install_db(dir.path(), &["password"], "good");
    let db = BigDb::with_check_interval(dir.path(), Duration::ZERO);
    assert!(db.is_breached(&hash("password")).await.unwrap());
    let broken = dir.path().join("broken");
    std::fs::write(&broken, b"not a database").unwrap();
    std::fs::rename(&broken, db.path()).unwrap();
    assert!(db.is_breached(&hash("password")).await.unwrap());
    assert_eq!(db.current().unwrap().header().source, "good");
}
