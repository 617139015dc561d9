//! What is SQLite's own: the migration runner, transactions on the rusqlite pool (rollback
//! on drop, connection reuse, concurrent writers in one and in two "processes") and the forms
//! of `sqlite:` URLs.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use passwords_store::*;
use passwords_store_sql::{connect, SqlStore};
use passwords_testkit::{TestBackend, TestDb};
use passwords_types::UserId;

fn uid(text: &str) -> UserId {
    UserId::parse(text).expect("valid uid")
}

fn account(name: &str) -> AccountRecord {
    AccountRecord {
        uid: uid(name),
        display_name: format!("{name} display"),
        password_hash: None,
        enabled: true,
        removed: false,
        created: 1,
        updated: 1,
    }
}

async fn sqlite_db() -> (TestDb, PathBuf) {
    let db = TestDb::create(TestBackend::Sqlite).await;
    let path = db
        .dir()
        .expect("a SQLite test db has a dir")
        .join("passwords.sqlite");
    (db, path)
}

fn migrations(path: &Path) -> Vec<(i64, String, i64)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    rows.map(Result::unwrap).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_apply_once_and_a_newer_database_is_refused() {
    let (db, path) = sqlite_db().await;
    let store = connect(&db.url).await.unwrap();
    let applied = migrations(&path);
    assert_eq!(
        applied
            .iter()
            .map(|(v, n, _)| (*v, n.as_str()))
            .collect::<Vec<_>>(),
        vec![(1, "initial")]
    );
    assert!(applied[0].2 > 1_600_000_000, "applied_at is a unix time");
    let mut conn = store.conn().await.unwrap();
    conn.insert_account(&account("alice")).await.unwrap();
    drop(conn);

    // A second connect (while the first store is open, as the CLI beside a server) is a no-op.
    let again = connect(&db.url).await.unwrap();
    assert_eq!(migrations(&path), applied);
    let mut conn = again.conn().await.unwrap();
    assert!(conn.get_account(&uid("alice")).await.unwrap().is_some());
    drop(conn);
    again.close().await;
    store.close().await;

    // A migration of a newer binary: refused, clearly, and the database is left as it is.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)",
            [],
        )
        .unwrap();
    match connect(&db.url).await {
        Err(StoreError::Migration(msg)) => {
            assert!(msg.contains("9999") && msg.contains("newer"), "{msg}")
        }
        other => panic!("expected a migration error, got {other:?}"),
    }
    assert_eq!(migrations(&path).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_databases_use_wal_and_report_their_version() {
    let (db, path) = sqlite_db().await;
    let store = connect(&db.url).await.unwrap();
    let mode: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(store.backend(), Backend::Sqlite);
    let version = store.server_version().await.unwrap();
    assert_eq!(version, format!("SQLite {}", rusqlite::version()));
}

/// In memory there is exactly one connection, so every step below reuses it.
#[tokio::test(flavor = "current_thread")]
async fn a_dropped_transaction_rolls_back_and_its_connection_is_reused() {
    let store = connect("sqlite::memory:").await.unwrap();
    let alice = uid("alice");

    let mut tx = store.begin().await.unwrap();
    tx.insert_account(&account("alice")).await.unwrap();
    drop(tx);
    let mut conn = store.conn().await.unwrap();
    assert_eq!(conn.get_account(&alice).await.unwrap(), None);
    drop(conn);

    // A transaction abandoned while a statement is still running on the worker.
    let mut tx = store.begin().await.unwrap();
    let alice_record = account("alice");
    let pending = tx.insert_account(&alice_record);
    // Usually still running when the timeout drops it; either way the rollback must hold.
    let _ = tokio::time::timeout(Duration::ZERO, pending).await;
    drop(tx);
    let mut conn = store.conn().await.unwrap();
    assert_eq!(conn.get_account(&alice).await.unwrap(), None);
    drop(conn);

    // The connection works on, in autocommit and in new transactions.
    let mut tx = store.begin().await.unwrap();
    tx.insert_account(&account("alice")).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = store.conn().await.unwrap();
    conn.insert_account(&account("bob")).await.unwrap();
    assert_eq!(conn.list_accounts().await.unwrap().len(), 2);
    drop(conn);

    // A conflict inside a transaction leaves it usable, and its commit keeps the rest.
    let mut tx = store.begin().await.unwrap();
    assert!(matches!(
        tx.insert_account(&account("alice")).await,
        Err(StoreError::Conflict(table)) if table == "accounts"
    ));
    tx.insert_account(&account("carol")).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = store.conn().await.unwrap();
    assert_eq!(conn.list_accounts().await.unwrap().len(), 3);
}

async fn write_slowly(store: Arc<SqlStore>, name: String) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    tx.list_accounts().await?;
    tx.insert_account(&account(&name)).await?;
    tokio::time::sleep(Duration::from_millis(50)).await;
    tx.commit().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_both_succeed() {
    let (db, _) = sqlite_db().await;
    let store = Arc::new(connect(&db.url).await.unwrap());
    // Two tasks of one store queue on the writer lock.
    let a = tokio::spawn(write_slowly(store.clone(), "a".into()));
    let b = tokio::spawn(write_slowly(store.clone(), "b".into()));
    // Readers are not blocked by the open write transaction (WAL).
    tokio::time::sleep(Duration::from_millis(10)).await;
    let mut conn = store.conn().await.unwrap();
    assert!(conn.list_accounts().await.unwrap().len() <= 2);
    drop(conn);
    a.await.unwrap().unwrap();
    b.await.unwrap().unwrap();

    // Two stores on one file (like two processes) meet at SQLite's lock and busy timeout.
    let other = Arc::new(connect(&db.url).await.unwrap());
    let c = tokio::spawn(write_slowly(store.clone(), "c".into()));
    let d = tokio::spawn(write_slowly(other.clone(), "d".into()));
    c.await.unwrap().unwrap();
    d.await.unwrap().unwrap();
    let mut conn = other.conn().await.unwrap();
    assert_eq!(conn.list_accounts().await.unwrap().len(), 4);
}

/// Bytes of the database file itself (not its WAL).
fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Waits up to ten seconds for the database file to reach `len` bytes.
async fn file_reaches(path: &Path, len: u64) -> bool {
    for _ in 0..200 {
        if file_len(path) >= len {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// Commits `n` accounts of about 3,000 bytes each, one transaction each.
async fn commit_accounts(store: &SqlStore, prefix: &str, n: usize) {
    for i in 0..n {
        let mut tx = store.begin().await.unwrap();
        let big = AccountRecord {
            display_name: "x".repeat(3_000),
            ..account(&format!("{prefix}{i}"))
        };
        tx.insert_account(&big).await.unwrap();
        tx.commit().await.unwrap();
    }
}

/// Commits land in the WAL; the store's checkpoint thread (not SQLite's automatic checkpoint,
/// which the pool turns off and which would wait for 1,000 pages) copies them into the file:
/// soon after a burst of commits, and within a tick after a few.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commits_reach_the_database_file_through_the_checkpoint_thread() {
    let (db, path) = sqlite_db().await;
    let store = connect(&db.url).await.unwrap();
    // A few commits: copied by the once-a-second checkpoint.
    let before = file_len(&path);
    commit_accounts(&store, "few", 3).await;
    assert!(
        file_reaches(&path, before + 3 * 3_000).await,
        "three commits never reached the database file ({} bytes)",
        file_len(&path)
    );
    // A burst of commits (about 100 pages, far below SQLite's automatic 1,000).
    let before = file_len(&path);
    commit_accounts(&store, "burst", 100).await;
    assert!(
        file_reaches(&path, before + 64 * 3_000).await,
        "a burst of commits never reached the database file ({} bytes)",
        file_len(&path)
    );
    store.close().await;
    let mut again = connect(&db.url).await.unwrap().conn().await.unwrap();
    assert_eq!(again.list_accounts().await.unwrap().len(), 103);
}

/// `to` relative to the current directory (both absolute).
fn relative(to: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap();
    let mut out = PathBuf::new();
    for _ in cwd
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
    {
        out.push("..");
    }
    out.join(to.strip_prefix("/").unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn url_forms() {
    let (db, path) = sqlite_db().await;
    let dir = path.parent().unwrap().to_owned();
    let rel = relative(&dir);
    let forms = [
        format!("sqlite://{}", dir.join("abs.db").display()),
        format!("sqlite://{}", rel.join("rel.db").display()),
        format!("sqlite:{}", rel.join("bare.db").display()),
        format!("sqlite://{}?mode=rwc", dir.join("rwc.db").display()),
        format!("sqlite://{}", dir.join("odd%3Fname.db").display()),
        "sqlite::memory:".to_owned(),
    ];
    for url in &forms {
        let store = connect(url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
        let mut conn = store.conn().await.unwrap();
        conn.insert_account(&account("alice")).await.unwrap();
        drop(conn);
        store.close().await;
    }
    for file in ["abs.db", "rel.db", "bare.db", "rwc.db", "odd?name.db"] {
        assert!(dir.join(file).is_file(), "{file} created");
    }

    // mode=ro reads an existing database and refuses writes.
    let ro = connect(&format!("{}?mode=ro", forms[0])).await.unwrap();
    let mut conn = ro.conn().await.unwrap();
    assert!(conn.get_account(&uid("alice")).await.unwrap().is_some());
    assert!(matches!(
        conn.insert_account(&account("bob")).await,
        Err(StoreError::Backend(_))
    ));
    drop(conn);

    // mode=rw does not create; errors name neither the URL nor the path.
    let missing = format!("sqlite://{}?mode=rw", dir.join("secret-name.db").display());
    match connect(&missing).await {
        Err(StoreError::Backend(msg)) => {
            assert!(msg.contains("cannot open the sqlite database"), "{msg}");
            assert!(!msg.contains("secret-name"), "{msg}");
        }
        other => panic!("expected a backend error, got {other:?}"),
    }
    match connect("sqlite:///no-such-dir-secret/x.db").await {
        Err(StoreError::Backend(msg)) => assert!(!msg.contains("secret"), "{msg}"),
        other => panic!("expected a backend error, got {other:?}"),
    }
    match connect("sqlite://x.db?journal=wal").await {
        Err(StoreError::Backend(msg)) => assert!(msg.contains("`journal`"), "{msg}"),
        other => panic!("expected a backend error, got {other:?}"),
    }
    drop(db);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_store_refuses_connections() {
    let store = connect("sqlite::memory:").await.unwrap();
    let conn = store.conn().await.unwrap();
    store.close().await;
    assert!(store.conn().await.is_err());
    assert!(store.begin().await.is_err());
    drop(conn);
    assert!(store.conn().await.is_err());
}
