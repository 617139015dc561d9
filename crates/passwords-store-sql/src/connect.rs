//! Opening a database: URL scheme → backend, then the backend's own setup (pool, pragmas,
//! migrations).

use std::sync::Arc;
use std::time::Duration;

use passwords_store::{Backend, StoreError};

use crate::dialect::Dialect;
use crate::server::ServerPool;
use crate::sqlite::LitePool;
use crate::{Engine, SqlStore};

/// How long a caller waits for a free pooled connection.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

/// Opens the database at `url`, applies the backend's migrations and returns the store.
///
/// The scheme picks the backend: `sqlite:` (the file is created if missing, e.g.
/// `sqlite:///var/lib/passwords/db.sqlite` or `sqlite://data.db`; see `sqlite/url.rs` for
/// every form), `postgres:`/`postgresql:`, `mysql:`/`mariadb:`. Errors never contain the URL
/// (it may hold a password).
pub async fn connect(url: &str) -> Result<SqlStore, StoreError> {
    let (backend, url) = normalise_url(url)?;
    let dialect = Dialect::new(backend);
    let writer = (backend == Backend::Sqlite).then(|| Arc::new(tokio::sync::Mutex::new(())));
    let engine = match &writer {
        Some(writer) => {
            Engine::Sqlite(LitePool::connect(&url, ACQUIRE_TIMEOUT, writer.clone()).await?)
        }
        None => Engine::Server(ServerPool::connect(backend, &url, ACQUIRE_TIMEOUT).await?),
    };
    tracing::debug!(backend = backend.name(), "database ready");
    Ok(SqlStore {
        engine,
        dialect: Arc::new(dialect),
        writer,
    })
}

/// Picks the backend by scheme and rewrites the URL for sqlx: `mariadb:` becomes `mysql:`.
fn normalise_url(url: &str) -> Result<(Backend, String), StoreError> {
    let scheme = url
        .split_once(':')
        .map(|(s, _)| s.to_ascii_lowercase())
        .unwrap_or_default();
    let rest = &url[scheme.len().min(url.len())..];
    match scheme.as_str() {
        "sqlite" => Ok((Backend::Sqlite, url.to_owned())),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        for url in [
            "sqlite:///tmp/x.db",
            "sqlite://x.db?mode=ro",
            "SQLite::memory:",
        ] {
            assert_eq!(
                normalise_url(url).unwrap(),
                (Backend::Sqlite, url.to_owned())
            );
        }
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
}
