//! The SQL backends of the Passwords server: SQLite, PostgreSQL and MySQL/MariaDB.
//!
//! One implementation of [`passwords_store::Store`] on sqlx's `Any` driver; the URL scheme
//! picks the backend. What differs between backends (placeholders, upserts, generated ids,
//! DDL) is isolated in `dialect.rs`; each backend has its own migration tree under
//! `migrations/<backend>/`, applied at connect time.
//!
//! Storage conventions (the same on every backend): integers and booleans are 64-bit integer
//! columns (booleans 0/1), UUIDs are 36-character text, sealed fields are binary blobs, and
//! text compares byte-exact and case-sensitive. Unique violations are reported as
//! [`StoreError::Conflict`] carrying the *table name* (e.g. `accounts`, `app_passwords`), so
//! the domain sees the same rule name on every backend.

mod accounts;
mod connect;
mod dialect;
mod error;
mod folders;
mod leases;
mod passwords;
mod relations;
mod rows;
mod settings;
mod shares;
mod tags;
mod tx;

use std::sync::Arc;

use async_trait::async_trait;
use passwords_store::{Backend, Store, StoreResult, Tx};
use sqlx::AnyPool;

pub use connect::connect;

use dialect::Dialect;
use error::Ctx;
use tx::SqlTx;

/// A pool of connections to one SQLite, PostgreSQL or MySQL/MariaDB database.
///
/// Made by [`connect`]; cheap to share behind an `Arc<dyn Store>`.
pub struct SqlStore {
    pool: AnyPool,
    dialect: Arc<Dialect>,
    /// SQLite has one writer: transactions of this process queue here, in order and without
    /// polling, instead of spinning in SQLite's busy handler. Other processes (the CLI next to
    /// a running server) still meet at SQLite's lock with its busy timeout.
    writer: Option<Arc<tokio::sync::Mutex<()>>>,
}

impl SqlStore {
    /// The underlying sqlx pool (for diagnostics and tests).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn conn(&self) -> StoreResult<Box<dyn Tx>> {
        let conn = self.pool.acquire().await.ctx("connection")?;
        Ok(Box::new(SqlTx::plain(conn, self.dialect.clone())))
    }

    async fn begin(&self) -> StoreResult<Box<dyn Tx>> {
        let writer = match &self.writer {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        let tx = match self.dialect.begin_statement() {
            Some(statement) => self.pool.begin_with(statement).await,
            None => self.pool.begin().await,
        }
        .ctx("transaction")?;
        Ok(Box::new(SqlTx::transaction(
            tx,
            self.dialect.clone(),
            writer,
        )))
    }

    fn backend(&self) -> Backend {
        self.dialect.backend()
    }

    async fn server_version(&self) -> StoreResult<String> {
        let row = sqlx::query(self.dialect.version_query())
            .fetch_one(&self.pool)
            .await
            .ctx("version")?;
        let version = rows::Cols::new(&row).text()?;
        Ok(self.dialect.version_text(&version))
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}

impl std::fmt::Debug for SqlStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlStore")
            .field("backend", &self.dialect.backend())
            .finish_non_exhaustive()
    }
}
