//! The SQL backends of the Passwords server: SQLite, PostgreSQL and MySQL/MariaDB.
//!
//! One implementation of [`passwords_store::Store`]; the URL scheme picks the backend.
//! PostgreSQL and MySQL run on sqlx's `Any` driver (`server.rs`), SQLite on rusqlite with a
//! pool of connections on dedicated threads (`sqlite/`). Each resource module states its SQL,
//! its arguments ([`query::Query`]) and its row decoding ([`rows::Cols`]) once, for both
//! executors. What differs between backends in SQL text (placeholders, upserts, generated
//! ids) is isolated in `dialect.rs`; each backend has its own migration tree under
//! `migrations/<backend>/`, applied at connect time.
//!
//! Storage conventions (the same on every backend): integers and booleans are 64-bit integer
//! columns (booleans 0/1), UUIDs are 36-character text, sealed fields are binary blobs, and
//! text compares byte-exact and case-sensitive. Unique violations are reported as
//! [`StoreError::Conflict`] carrying the *table name* (e.g. `accounts`, `app_passwords`), so
//! the domain sees the same rule name on every backend.
//!
//! [`StoreError::Conflict`]: passwords_store::StoreError::Conflict

mod accounts;
mod backup;
mod connect;
mod dialect;
mod error;
mod folders;
mod leases;
mod passwords;
mod query;
mod relations;
mod rows;
mod security;
mod server;
mod settings;
mod shares;
mod sqlite;
mod tags;
mod tx;
mod user_data;

use std::sync::Arc;

use async_trait::async_trait;
use passwords_store::{Backend, Store, StoreResult, Tx};

pub use connect::connect;

use dialect::Dialect;
use query::Query;
use server::ServerPool;
use sqlite::LitePool;
use tx::SqlTx;

/// A pool of connections to one SQLite, PostgreSQL or MySQL/MariaDB database.
///
/// Made by [`connect`]; cheap to share behind an `Arc<dyn Store>`.
pub struct SqlStore {
    engine: Engine,
    dialect: Arc<Dialect>,
    /// SQLite has one writer: transactions of this process queue here, in order and without
    /// polling, instead of spinning in SQLite's busy handler. Other processes (the CLI next to
    /// a running server) still meet at SQLite's lock with its busy timeout.
    writer: Option<Arc<tokio::sync::Mutex<()>>>,
}

/// The executor behind a [`SqlStore`].
enum Engine {
    Server(ServerPool),
    Sqlite(LitePool),
}

impl SqlStore {
    async fn plain(&self) -> StoreResult<SqlTx> {
        let dialect = self.dialect.clone();
        Ok(match &self.engine {
            Engine::Server(pool) => SqlTx::server(pool.plain().await?, dialect),
            Engine::Sqlite(pool) => SqlTx::sqlite(pool.plain().await?, dialect),
        })
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn conn(&self) -> StoreResult<Box<dyn Tx>> {
        Ok(Box::new(self.plain().await?))
    }

    async fn begin(&self) -> StoreResult<Box<dyn Tx>> {
        let writer = match &self.writer {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        let dialect = self.dialect.clone();
        let tx = match &self.engine {
            Engine::Sqlite(pool) => {
                let begin = self.dialect.begin_statement().unwrap_or("BEGIN");
                SqlTx::sqlite(pool.begin(begin, writer).await?, dialect)
            }
            Engine::Server(pool) => SqlTx::server(pool.begin().await?, dialect),
        };
        Ok(Box::new(tx))
    }

    async fn snapshot(&self) -> StoreResult<Box<dyn Tx>> {
        let dialect = self.dialect.clone();
        let begin = self.dialect.snapshot_statement();
        let tx = match &self.engine {
            // No writer lock: a deferred transaction that only reads never blocks writers.
            Engine::Sqlite(pool) => SqlTx::sqlite(pool.begin(begin, None).await?, dialect),
            Engine::Server(pool) => SqlTx::server(pool.begin_with(begin).await?, dialect),
        };
        Ok(Box::new(tx))
    }

    fn backend(&self) -> Backend {
        self.dialect.backend()
    }

    async fn server_version(&self) -> StoreResult<String> {
        let query = Query::new("version", self.dialect.version_query());
        let version = self
            .plain()
            .await?
            .fetch_optional(query, |c| c.text())
            .await?;
        Ok(self.dialect.version_text(&version.unwrap_or_default()))
    }

    async fn close(&self) {
        match &self.engine {
            Engine::Server(pool) => pool.close().await,
            Engine::Sqlite(pool) => pool.close().await,
        }
    }
}

impl std::fmt::Debug for SqlStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlStore")
            .field("backend", &self.dialect.backend())
            .finish_non_exhaustive()
    }
}
