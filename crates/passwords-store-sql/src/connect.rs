//! Opening a database: URL scheme → backend, pool settings, SQLite pragmas, migrations.

use std::sync::Arc;
use std::time::Duration;

use passwords_store::{Backend, StoreError};
use sqlx::any::AnyPoolOptions;
use sqlx::Executor;

use crate::dialect::Dialect;
use crate::SqlStore;

/// Connections of a PostgreSQL or MySQL pool.
const SERVER_POOL_SIZE: u32 = 10;
/// Connections of a SQLite file pool: WAL lets readers run beside the single writer; writers
/// queue on the database lock (busy_timeout), so more connections would only queue longer.
const SQLITE_POOL_SIZE: u32 = 4;
/// How long a writer waits for SQLite's database lock before failing with SQLITE_BUSY.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;
/// How long a caller waits for a free pooled connection.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

/// Opens the database at `url`, applies the backend's migrations and returns the store.
///
/// The scheme picks the backend: `sqlite:` (the file is created if missing, e.g.
/// `sqlite:///var/lib/passwords/db.sqlite` or `sqlite://data.db`), `postgres:`/`postgresql:`,
/// `mysql:`/`mariadb:`. Errors never contain the URL (it may hold a password).
pub async fn connect(url: &str) -> Result<SqlStore, StoreError> {
    sqlx::any::install_default_drivers();
    let (backend, url) = normalise_url(url)?;
    let memory = backend == Backend::Sqlite && is_sqlite_memory(&url);

    let pool = pool_options(backend, memory)
        .connect(&url)
        .await
        .map_err(|e| {
            StoreError::Backend(format!("cannot open the {} database: {e}", backend.name()))
        })?;

    if backend == Backend::Sqlite && !memory {
        // Persistent in the file; set once, while this is the pool's only connection.
        pool.execute("PRAGMA journal_mode = WAL")
            .await
            .map_err(|e| StoreError::Backend(format!("cannot enable SQLite WAL mode: {e}")))?;
    }

    let dialect = Dialect::new(backend);
    dialect
        .migrator()
        .run(&pool)
        .await
        .map_err(|e| StoreError::Migration(e.to_string()))?;
    tracing::debug!(backend = backend.name(), "database ready");

    let writer = (backend == Backend::Sqlite).then(|| Arc::new(tokio::sync::Mutex::new(())));
    Ok(SqlStore {
        pool,
        dialect: Arc::new(dialect),
        writer,
    })
}

fn pool_options(backend: Backend, sqlite_memory: bool) -> AnyPoolOptions {
    let options = AnyPoolOptions::new().acquire_timeout(ACQUIRE_TIMEOUT);
    match backend {
        // Every connection to `:memory:` would be a database of its own: keep exactly one.
        Backend::Sqlite if sqlite_memory => options
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None),
        Backend::Sqlite => options
            .max_connections(SQLITE_POOL_SIZE)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                    conn.execute(
                        format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}").as_str(),
                    )
                    .await?;
                    Ok(())
                })
            }),
        Backend::Postgres | Backend::Mysql => options.max_connections(SERVER_POOL_SIZE),
    }
}

/// Picks the backend by scheme and rewrites the URL for sqlx: `mariadb:` becomes `mysql:`,
/// and SQLite files are created if missing (`mode=rwc`) unless the URL sets a mode.
fn normalise_url(url: &str) -> Result<(Backend, String), StoreError> {
    let scheme = url
        .split_once(':')
        .map(|(s, _)| s.to_ascii_lowercase())
        .unwrap_or_default();
    let rest = &url[scheme.len().min(url.len())..];
    match scheme.as_str() {
        "sqlite" => {
            let mut url = url.to_owned();
            if !url.contains("mode=") && !is_sqlite_memory(&url) {
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str("mode=rwc");
            }
            Ok((Backend::Sqlite, url))
        }
        "postgres" | "postgresql" => Ok((Backend::Postgres, url.to_owned())),
        "mysql" => Ok((Backend::Mysql, url.to_owned())),
        "mariadb" => Ok((Backend::Mysql, format!("mysql{rest}"))),
        _ => {
            // Name the scheme only if it looks like one: never echo credentials.
            let plausible = !scheme.is_empty()
                && scheme.len() <= 16
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
            let shown = if plausible {
                format!(" `{scheme}:`")
            } else {
                String::new()
            };
            Err(StoreError::Backend(format!(
                "unsupported database URL scheme{shown} (expected sqlite:, postgres:, \
                 postgresql:, mysql: or mariadb:)"
            )))
        }
    }
}

fn is_sqlite_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        let (b, u) = normalise_url("sqlite:///tmp/x.db").unwrap();
        assert_eq!(
            (b, u.as_str()),
            (Backend::Sqlite, "sqlite:///tmp/x.db?mode=rwc")
        );
        let (_, u) = normalise_url("sqlite://x.db?cache=shared").unwrap();
        assert_eq!(u, "sqlite://x.db?cache=shared&mode=rwc");
        let (_, u) = normalise_url("sqlite://x.db?mode=ro").unwrap();
        assert_eq!(u, "sqlite://x.db?mode=ro");
        assert_eq!(
            normalise_url("postgres://a@h/db").unwrap().0,
            Backend::Postgres
        );
        assert_eq!(
            normalise_url("postgresql://a@h/db").unwrap().0,
            Backend::Postgres
        );
        assert_eq!(normalise_url("mysql://a@h/db").unwrap().0, Backend::Mysql);
        let (b, u) = normalise_url("MariaDB://a:b@h/db").unwrap();
        assert_eq!((b, u.as_str()), (Backend::Mysql, "mysql://a:b@h/db"));
    }

    #[test]
    fn unknown_scheme_hides_the_url() {
        let err = normalise_url("oracle://scott:tiger@h/db")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("unsupported database URL scheme `oracle:`"),
            "{err}"
        );
        assert!(!err.contains("tiger"), "{err}");
        let err = normalise_url("scott:tiger@h/db with spaces")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("tiger"), "{err}");
        let err = normalise_url("no scheme at all").unwrap_err().to_string();
        assert!(err.contains("unsupported database URL scheme ("), "{err}");
    }

    #[test]
    fn memory_urls() {
        assert!(is_sqlite_memory("sqlite::memory:"));
        assert_eq!(
            normalise_url("sqlite::memory:").unwrap().1,
            "sqlite::memory:"
        );
        assert!(is_sqlite_memory("sqlite://x?mode=memory"));
        assert!(!is_sqlite_memory("sqlite:///tmp/x.db?mode=rwc"));
    }
}
