//! SQLite on rusqlite: opening a `sqlite:` URL (pragmas, WAL), the migration runner, a pool
//! of connections on dedicated threads and the executor that runs statements on them.

mod conn;
mod migrate;
mod pool;
mod url;

use std::sync::Arc;
use std::time::Duration;

use passwords_store::{StoreError, StoreResult};
use rusqlite::Connection;
use tokio::sync::OwnedMutexGuard;

pub(crate) use conn::LiteConn;

use crate::error::sqlite_open;
use pool::{Opener, Pool};
use url::{Mode, Target};

/// Connections of a SQLite file pool: WAL lets readers run beside the single writer; writers
/// queue on the writer lock of [`crate::SqlStore`], so more connections would only idle.
const POOL_SIZE: usize = 4;
/// How long a writer waits for SQLite's database lock (held by another process) before
/// failing with SQLITE_BUSY.
const BUSY_TIMEOUT: Duration = Duration::from_millis(5_000);
/// Prepared statements kept per connection: more than this crate has.
const STATEMENT_CACHE: usize = 128;

/// The connections to one SQLite database.
pub(crate) struct LitePool {
    pool: Pool,
}

impl LitePool {
    /// Opens the database at a `sqlite:` URL (creating the file unless the URL sets a `mode`),
    /// switches it to WAL and applies the migrations of `migrations/sqlite/`.
    pub(crate) async fn connect(url: &str, acquire_timeout: Duration) -> StoreResult<Self> {
        let target = Target::parse(url)?;
        // Every connection to an in-memory database would be a database of its own.
        let size = if target.memory { 1 } else { POOL_SIZE };
        let wal = !target.memory && target.mode != Mode::Ro;
        let open: Opener = Arc::new(move || open(&target));
        let pool = Pool::new(size, acquire_timeout, open);
        let mut first = pool.acquire().await?;
        first
            .run(move |c| {
                if wal {
                    enable_wal(c)?;
                }
                migrate::run(c, migrate::MIGRATIONS).map(drop)
            })
            .await?;
        Ok(Self { pool })
    }

    /// A connection without a transaction.
    pub(crate) async fn plain(&self) -> StoreResult<LiteConn> {
        Ok(LiteConn::plain(self.pool.acquire().await?))
    }

    /// A connection inside a new transaction started with `begin`, holding `writer`.
    pub(crate) async fn begin(
        &self,
        begin: &'static str,
        writer: Option<OwnedMutexGuard<()>>,
    ) -> StoreResult<LiteConn> {
        Ok(LiteConn::begin(self.pool.acquire().await?, begin, writer))
    }

    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }
}

/// Opens one connection and sets it up (on its worker thread).
fn open(target: &Target) -> StoreResult<Connection> {
    let conn = target.open().map_err(sqlite_open)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sqlite_open)?;
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
        .map_err(sqlite_open)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(conn)
}

/// Write-ahead logging: readers do not block the writer. Persistent in the file.
fn enable_wal(conn: &Connection) -> StoreResult<()> {
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
        .map_err(|e| StoreError::Backend(format!("cannot enable SQLite WAL mode: {e}")))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode, "SQLite kept its journal mode instead of WAL");
    }
    Ok(())
}
