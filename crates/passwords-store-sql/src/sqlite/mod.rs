//! SQLite on rusqlite: opening a `sqlite:` URL (pragmas, WAL), the migration runner, a pool
//! of connections on dedicated threads and the executor that runs statements on them.

mod checkpoint;
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
use checkpoint::Checkpointer;
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
    /// Checkpoints the WAL of a file opened for writing; `None` for other databases.
    checkpointer: Option<Arc<Checkpointer>>,
}

impl LitePool {
    /// Opens the database at a `sqlite:` URL (creating the file unless the URL sets a `mode`),
    /// switches it to WAL and applies the migrations of `migrations/sqlite/`. `writer` is the
    /// lock this process's write transactions hold.
    pub(crate) async fn connect(
        url: &str,
        acquire_timeout: Duration,
        writer: Arc<tokio::sync::Mutex<()>>,
    ) -> StoreResult<Self> {
        let target = Arc::new(Target::parse(url)?);
        // Every connection to an in-memory database would be a database of its own.
        let size = if target.memory { 1 } else { POOL_SIZE };
        let wal = !target.memory && target.mode != Mode::Ro;
        let opener: Opener = {
            let target = target.clone();
            Arc::new(move || open(&target, wal))
        };
        let pool = Pool::new(size, acquire_timeout, opener);
        let mut first = pool.acquire().await?;
        first
            .run(move |c| {
                if wal {
                    enable_wal(c)?;
                }
                migrate::run(c, migrate::MIGRATIONS).map(drop)
            })
            .await?;
        // Started once the database is in WAL mode.
        let checkpointer = if wal {
            let open = move || {
                let conn = open(&target, false)?;
                // A first read makes the connection see the WAL (its checkpoints are no-ops
                // until then).
                conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
                    .map_err(sqlite_open)?;
                Ok(conn)
            };
            let started = Checkpointer::start(open, writer, checkpoint::LIMIT).await?;
            Some(Arc::new(started))
        } else {
            None
        };
        Ok(Self { pool, checkpointer })
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
        // Only write transactions count towards the next checkpoint.
        let checkpointer = writer.as_ref().and(self.checkpointer.clone());
        Ok(LiteConn::begin(
            self.pool.acquire().await?,
            begin,
            writer,
            checkpointer,
        ))
    }

    pub(crate) async fn close(&self) {
        self.pool.close().await;
        if let Some(checkpointer) = &self.checkpointer {
            checkpointer.stop().await;
        }
    }
}

/// Opens one connection and sets it up (on its worker thread). With `manual_checkpoints`, it
/// leaves checkpoints to the [`Checkpointer`].
fn open(target: &Target, manual_checkpoints: bool) -> StoreResult<Connection> {
    let conn = target.open().map_err(sqlite_open)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sqlite_open)?;
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
        .map_err(sqlite_open)?;
    if manual_checkpoints {
        conn.execute_batch("PRAGMA wal_autocheckpoint = 0;")
            .map_err(sqlite_open)?;
    }
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
