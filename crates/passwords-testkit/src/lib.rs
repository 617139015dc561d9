//! Test support: a fresh, empty database per test on SQLite, PostgreSQL or MariaDB/MySQL.
//!
//! ```ignore
//! use passwords_testkit::{for_each_backend, TestDb};
//!
//! // Expands to `mod my_story { sqlite(), postgres(), mysql() }`, three `#[tokio::test]`s.
//! // The calling crate needs `tokio` (macros, rt-multi-thread) as a dev-dependency.
//! for_each_backend!(my_story, |db: TestDb| async move {
//!     let store = passwords_store_sql::connect(&db.url).await.unwrap();
//!     // …
//! });
//! ```
//!
//! Servers: PostgreSQL at `PASSWORDS_TEST_POSTGRES_URL` (default
//! `postgres://root@127.0.0.1:5432/postgres`) and MariaDB/MySQL at `PASSWORDS_TEST_MYSQL_URL`
//! (default `mysql://root@127.0.0.1:3306/test`), each with a role that may create databases.
//! A server that cannot be reached fails the test with a message saying so: tests are never
//! skipped silently. Each [`TestDb`] creates its own database (`pwtest_<random hex>`) and drops
//! it again, best effort, when dropped.

use std::future::Future;
use std::sync::mpsc;
use std::time::Duration;

use sqlx::{Connection, Executor};
use tempfile::TempDir;

/// Env var with the admin URL of the PostgreSQL test server.
pub const POSTGRES_URL_VAR: &str = "PASSWORDS_TEST_POSTGRES_URL";
/// Env var with the admin URL of the MariaDB/MySQL test server.
pub const MYSQL_URL_VAR: &str = "PASSWORDS_TEST_MYSQL_URL";
const DEFAULT_POSTGRES_URL: &str = "postgres://root@127.0.0.1:5432/postgres";
const DEFAULT_MYSQL_URL: &str = "mysql://root@127.0.0.1:3306/test";
/// How long [`TestDb`]'s drop waits for the database to be dropped.
const DROP_TIMEOUT: Duration = Duration::from_secs(20);

/// A database backend to test against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TestBackend {
    Sqlite,
    Postgres,
    Mysql,
}

impl TestBackend {
    /// Every backend, in a fixed order.
    pub const ALL: [TestBackend; 3] = [
        TestBackend::Sqlite,
        TestBackend::Postgres,
        TestBackend::Mysql,
    ];

    /// `sqlite`, `postgres` or `mysql`.
    pub fn name(self) -> &'static str {
        match self {
            TestBackend::Sqlite => "sqlite",
            TestBackend::Postgres => "postgres",
            TestBackend::Mysql => "mysql",
        }
    }
}

/// A fresh, empty database; dropped again (best effort) when this value is dropped.
#[derive(Debug)]
pub struct TestDb {
    /// The URL of the new database, for `passwords_store_sql::connect` or the server's config.
    pub url: String,
    pub backend: TestBackend,
    /// Keeps the SQLite file's directory alive.
    dir: Option<TempDir>,
    /// Server databases: what to drop on drop.
    server: Option<ServerDb>,
}

#[derive(Debug, Clone)]
struct ServerDb {
    backend: TestBackend,
    admin_url: String,
    name: String,
}

impl TestDb {
    /// Creates a fresh database. Panics with a clear message if the server is unreachable.
    pub async fn create(backend: TestBackend) -> TestDb {
        match backend {
            TestBackend::Sqlite => {
                let dir = tempfile::Builder::new()
                    .prefix("pwtest-")
                    .tempdir()
                    .unwrap_or_else(|e| panic!("cannot create a temporary directory: {e}"));
                let path = dir.path().join("passwords.sqlite");
                TestDb {
                    url: format!("sqlite://{}", path.display()),
                    backend,
                    dir: Some(dir),
                    server: None,
                }
            }
            TestBackend::Postgres | TestBackend::Mysql => {
                let admin_url = admin_url(backend);
                let name = unique_name("pwtest");
                create_server_db(backend, &admin_url, &name).await;
                let url = database_url(&admin_url, &name);
                let server = ServerDb {
                    backend,
                    admin_url,
                    name,
                };
                TestDb {
                    url,
                    backend,
                    dir: None,
                    server: Some(server),
                }
            }
        }
    }

    /// [`TestDb::create`] for tests that are not async; works inside or outside a runtime.
    pub fn create_blocking(backend: TestBackend) -> TestDb {
        let worker = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap_or_else(|e| panic!("cannot start a tokio runtime: {e}"));
            runtime.block_on(TestDb::create(backend))
        });
        match worker.join() {
            Ok(db) => db,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }

    /// The SQLite file's directory (SQLite only), e.g. to put other test files beside it.
    pub fn dir(&self) -> Option<&std::path::Path> {
        self.dir.as_ref().map(TempDir::path)
    }

    /// The name of the server database (PostgreSQL and MySQL only).
    pub fn database_name(&self) -> Option<&str> {
        self.server.as_ref().map(|s| s.name.as_str())
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(server) = self.server.take() else {
            return;
        };
        // Own thread and runtime: works whether or not we are inside a tokio runtime.
        let (done, wait) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("testdb-drop".into())
            .spawn(move || {
                if let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    runtime.block_on(drop_server_db(&server));
                }
                let _ = done.send(());
            });
        if spawned.is_ok() {
            let _ = wait.recv_timeout(DROP_TIMEOUT);
        }
    }
}

/// `prefix` followed by `_` and 16 random hex digits, e.g. `pwtest_3f2a8e5c1b2c4d5e`.
pub fn unique_name(prefix: &str) -> String {
    let hex = uuid::Uuid::new_v4().simple().to_string();
    format!("{prefix}_{}", &hex[..16])
}

/// Creates a [`TestDb`] on `backend` and runs `test` with it (used by [`for_each_backend!`]).
pub async fn run_on<F, Fut>(backend: TestBackend, test: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = ()>,
{
    let db = TestDb::create(backend).await;
    test(db).await;
}

/// Defines a module with one `#[tokio::test]` per backend (`sqlite`, `postgres`, `mysql`),
/// each running the body with a fresh [`TestDb`]:
///
/// ```ignore
/// passwords_testkit::for_each_backend!(accounts_story, |db: TestDb| async move {
///     let store = passwords_store_sql::connect(&db.url).await.unwrap();
/// });
/// ```
///
/// The module does `use super::*`, so helpers of the test file are in scope. The tests use a
/// two-thread runtime; the calling crate needs `tokio` with `macros` and `rt-multi-thread`.
#[macro_export]
macro_rules! for_each_backend {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::run_on($crate::TestBackend::Sqlite, $body).await;
            }

            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::run_on($crate::TestBackend::Postgres, $body).await;
            }

            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn mysql() {
                $crate::run_on($crate::TestBackend::Mysql, $body).await;
            }
        }
    };
}

fn admin_url(backend: TestBackend) -> String {
    let (var, default) = match backend {
        TestBackend::Postgres => (POSTGRES_URL_VAR, DEFAULT_POSTGRES_URL),
        TestBackend::Mysql | TestBackend::Sqlite => (MYSQL_URL_VAR, DEFAULT_MYSQL_URL),
    };
    std::env::var(var)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_owned())
}

/// The admin URL with its database (path) replaced by `name`.
fn database_url(admin_url: &str, name: &str) -> String {
    match url::Url::parse(admin_url) {
        Ok(mut url) => {
            url.set_path(&format!("/{name}"));
            url.to_string()
        }
        Err(e) => panic!("invalid test database URL {}: {e}", redact(admin_url)),
    }
}

/// The URL without its password, for messages.
fn redact(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut url) => {
            if url.password().is_some() {
                let _ = url.set_password(Some("***"));
            }
            url.to_string()
        }
        Err(_) => "(unparsable URL)".to_owned(),
    }
}

async fn create_server_db(backend: TestBackend, admin_url: &str, name: &str) {
    let unreachable = |e: sqlx::Error| -> ! {
        let var = if backend == TestBackend::Postgres {
            POSTGRES_URL_VAR
        } else {
            MYSQL_URL_VAR
        };
        panic!(
            "the {} test server is unreachable at {} ({e}); start it or point {var} at one",
            backend.name(),
            redact(admin_url),
        )
    };
    let failed = |e: sqlx::Error| -> ! {
        panic!(
            "cannot create test database {name} on {}: {e}",
            backend.name()
        )
    };
    match backend {
        TestBackend::Postgres => {
            let mut conn = sqlx::PgConnection::connect(admin_url)
                .await
                .unwrap_or_else(|e| unreachable(e));
            conn.execute(format!("CREATE DATABASE \"{name}\"").as_str())
                .await
                .unwrap_or_else(|e| failed(e));
            let _ = conn.close().await;
        }
        TestBackend::Mysql => {
            let mut conn = sqlx::MySqlConnection::connect(admin_url)
                .await
                .unwrap_or_else(|e| unreachable(e));
            conn.execute(
                format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
                    .as_str(),
            )
            .await
            .unwrap_or_else(|e| failed(e));
            let _ = conn.close().await;
        }
        TestBackend::Sqlite => {}
    }
}

/// Best effort: errors are ignored (the server may be gone, the name is random anyway).
async fn drop_server_db(server: &ServerDb) {
    let name = &server.name;
    match server.backend {
        TestBackend::Postgres => {
            if let Ok(mut conn) = sqlx::PgConnection::connect(&server.admin_url).await {
                // WITH (FORCE) (PostgreSQL 13+) ends the test's leftover connections.
                let forced = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                if conn.execute(forced.as_str()).await.is_err() {
                    let _ = conn
                        .execute(format!("DROP DATABASE IF EXISTS \"{name}\"").as_str())
                        .await;
                }
                let _ = conn.close().await;
            }
        }
        TestBackend::Mysql => {
            if let Ok(mut conn) = sqlx::MySqlConnection::connect(&server.admin_url).await {
                // A leftover open transaction would make DROP DATABASE wait on its metadata
                // locks (MySQL has no WITH (FORCE)): end the sessions using the database first.
                // ID is signed on MariaDB, unsigned on MySQL: read it as signed on both.
                let sessions: Vec<i64> = sqlx::query_scalar(
                    "SELECT CAST(ID AS SIGNED) FROM information_schema.PROCESSLIST \
                     WHERE DB = ? AND ID <> CONNECTION_ID()",
                )
                .bind(name)
                .fetch_all(&mut conn)
                .await
                .unwrap_or_default();
                for id in sessions {
                    let _ = conn.execute(format!("KILL {id}").as_str()).await;
                }
                let _ = conn
                    .execute(format!("DROP DATABASE IF EXISTS `{name}`").as_str())
                    .await;
                let _ = conn.close().await;
            }
        }
        TestBackend::Sqlite => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_safe() {
        let a = unique_name("pwtest");
        let b = unique_name("pwtest");
        assert_ne!(a, b);
        assert_eq!(a.len(), "pwtest_".len() + 16);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    }

    #[test]
    fn urls() {
        assert_eq!(
            database_url("postgres://root@127.0.0.1:5432/postgres", "pwtest_1"),
            "postgres://root@127.0.0.1:5432/pwtest_1"
        );
        assert_eq!(
            database_url(
                "mysql://root:pw@127.0.0.1:3306/test?ssl-mode=disabled",
                "pwtest_2"
            ),
            "mysql://root:pw@127.0.0.1:3306/pwtest_2?ssl-mode=disabled"
        );
        assert_eq!(redact("mysql://root:secret@h/db"), "mysql://root:***@h/db");
        assert_eq!(
            TestBackend::ALL.map(TestBackend::name),
            ["sqlite", "postgres", "mysql"]
        );
    }

    #[test]
    fn sqlite_db_lives_in_a_temp_dir() {
        let db = TestDb::create_blocking(TestBackend::Sqlite);
        assert!(db.url.starts_with("sqlite://"));
        let dir = db.dir().map(|d| d.to_path_buf());
        assert!(dir.as_ref().is_some_and(|d| d.exists()));
        drop(db);
        assert!(dir.is_some_and(|d| !d.exists()));
    }

    /// Whether the server still has a database of this name.
    async fn server_has_database(backend: TestBackend, name: &str) -> bool {
        let admin = admin_url(backend);
        let count: i64 = match backend {
            TestBackend::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
                sqlx::query_scalar("SELECT COUNT(*) FROM pg_database WHERE datname = $1")
                    .bind(name)
                    .fetch_one(&mut conn)
                    .await
                    .unwrap()
            }
            _ => {
                let mut conn = sqlx::MySqlConnection::connect(&admin).await.unwrap();
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
                )
                .bind(name)
                .fetch_one(&mut conn)
                .await
                .unwrap()
            }
        };
        count > 0
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn server_databases_are_dropped_despite_open_transactions() {
        for backend in [TestBackend::Postgres, TestBackend::Mysql] {
            let db = TestDb::create(backend).await;
            let name = db.database_name().unwrap().to_owned();
            assert!(db.url.ends_with(&name), "{}", db.url);
            assert!(server_has_database(backend, &name).await);
            // A session in the database with an open transaction that touched a table.
            let statements = [
                "CREATE TABLE t (x INT)",
                "BEGIN",
                "INSERT INTO t VALUES (1)",
            ];
            let open: Box<dyn std::any::Any + Send> = match backend {
                TestBackend::Postgres => {
                    let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
                    for sql in statements {
                        conn.execute(sql).await.unwrap();
                    }
                    Box::new(conn)
                }
                _ => {
                    let mut conn = sqlx::MySqlConnection::connect(&db.url).await.unwrap();
                    for sql in statements {
                        conn.execute(sql).await.unwrap();
                    }
                    Box::new(conn)
                }
            };
            drop(db);
            assert!(
                !server_has_database(backend, &name).await,
                "{name} still exists"
            );
            drop(open);
        }
    }
}
