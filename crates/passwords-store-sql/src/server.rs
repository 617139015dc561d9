//! The sqlx executor, for PostgreSQL and MySQL/MariaDB: a pool of `Any` connections, binding
//! [`Arg`]s to sqlx queries and reading `AnyRow`s through [`RowSource`].

use std::borrow::Cow;
use std::time::Duration;

use passwords_store::{Backend, StoreError, StoreResult};
use sqlx::any::{AnyArguments, AnyPoolOptions, AnyQueryResult, AnyRow, AnyTypeInfoKind};
use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnection;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, AnyPool, Column, Row, Transaction, ValueRef};

use crate::error::Ctx;
use crate::query::{Arg, Kind, Stmt};
use crate::rows::{corrupt, read_row, Cols, Read, RowSource, Visit};

/// Connections of a PostgreSQL or MySQL pool.
const POOL_SIZE: u32 = 10;

static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");
static MYSQL_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/mysql");

/// A pool of connections to a PostgreSQL or MySQL/MariaDB server.
pub(crate) struct ServerPool {
    pool: AnyPool,
}

impl ServerPool {
    /// Connects and applies the backend's migrations (of `migrations/<backend>/`).
    pub(crate) async fn connect(
        backend: Backend,
        url: &str,
        acquire_timeout: Duration,
    ) -> StoreResult<Self> {
        let migrator = match backend {
            Backend::Postgres => &POSTGRES_MIGRATIONS,
            Backend::Mysql => &MYSQL_MIGRATIONS,
            Backend::Sqlite => {
                return Err(StoreError::Backend("SQLite has no server pool".to_owned()))
            }
        };
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new()
            .acquire_timeout(acquire_timeout)
            .max_connections(POOL_SIZE)
            .connect(url)
            .await
            .map_err(|e| {
                StoreError::Backend(format!("cannot open the {} database: {e}", backend.name()))
            })?;
        migrator
            .run(&pool)
            .await
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        Ok(Self { pool })
    }

    pub(crate) async fn plain(&self) -> StoreResult<ServerConn> {
        let conn = self.pool.acquire().await.ctx("connection")?;
        Ok(ServerConn::Plain(conn))
    }

    pub(crate) async fn begin(&self) -> StoreResult<ServerConn> {
        let tx = self.pool.begin().await.ctx("transaction")?;
        Ok(ServerConn::Transaction(tx))
    }

    /// A transaction started with `statement` (e.g. a snapshot's isolation level).
    pub(crate) async fn begin_with(&self, statement: &'static str) -> StoreResult<ServerConn> {
        let tx = self.pool.begin_with(statement).await.ctx("transaction")?;
        Ok(ServerConn::Transaction(tx))
    }

    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }
}

/// A pooled connection, plain or inside a transaction (rolled back by sqlx when dropped).
pub(crate) enum ServerConn {
    Plain(PoolConnection<Any>),
    Transaction(Transaction<'static, Any>),
}

type Q = Query<'static, Any, AnyArguments<'static>>;

/// `sql` with `args` bound.
fn bound(sql: &'static str, args: Vec<Arg>) -> Q {
    args.into_iter().fold(sqlx::query(sql), |q, arg| match arg {
        Arg::I64(v) => q.bind(v),
        Arg::Text(v) => q.bind(v),
        Arg::Blob(v) => q.bind(v),
        Arg::Null(Kind::I64) => q.bind(None::<i64>),
        Arg::Null(Kind::Text) => q.bind(None::<String>),
    })
}

impl ServerConn {
    fn conn(&mut self) -> &mut AnyConnection {
        match self {
            ServerConn::Plain(conn) => conn,
            ServerConn::Transaction(tx) => tx,
        }
    }

    async fn run(&mut self, st: Stmt) -> StoreResult<AnyQueryResult> {
        bound(st.sql, st.args)
            .execute(self.conn())
            .await
            .ctx(st.table)
    }

    /// Runs a statement; returns the number of rows it matched.
    pub(crate) async fn execute(&mut self, st: Stmt) -> StoreResult<u64> {
        Ok(self.run(st).await?.rows_affected())
    }

    /// Runs an insert and returns the id the server generated (MySQL's `LAST_INSERT_ID()`).
    pub(crate) async fn execute_last_id(&mut self, st: Stmt) -> StoreResult<i64> {
        let table = st.table;
        self.run(st)
            .await?
            .last_insert_id()
            .ok_or_else(|| StoreError::Backend(format!("{table}: no generated id")))
    }

    pub(crate) async fn fetch_optional<T>(
        &mut self,
        st: Stmt,
        read: Read<T>,
    ) -> StoreResult<Option<T>> {
        let q = bound(st.sql, st.args);
        let row = q.fetch_optional(self.conn()).await.ctx(st.table)?;
        row.as_ref().map(|row| read_row(row, read)).transpose()
    }

    pub(crate) async fn fetch_all<T>(&mut self, st: Stmt, read: Read<T>) -> StoreResult<Vec<T>> {
        let q = bound(st.sql, st.args);
        let rows = q.fetch_all(self.conn()).await.ctx(st.table)?;
        rows.iter().map(|row| read_row(row, read)).collect()
    }

    /// Hands every row to `sink` with `each`; gives the sink back. The rows are fetched here
    /// and visited on a blocking thread: a sink may decrypt and write a thousand entries
    /// (milliseconds of CPU), which must not hold a tokio worker.
    pub(crate) async fn visit<S: ?Sized + Send + 'static>(
        &mut self,
        st: Stmt,
        mut sink: Box<S>,
        each: Visit<S>,
    ) -> StoreResult<Box<S>> {
        let q = bound(st.sql, st.args);
        let rows = q.fetch_all(self.conn()).await.ctx(st.table)?;
        let visited = tokio::task::spawn_blocking(move || {
            for row in &rows {
                each(&mut Cols::new(row), &mut sink)?;
            }
            Ok(sink)
        });
        match visited.await {
            Ok(result) => result,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => Err(StoreError::Backend(format!("{}: {e}", st.table))),
        }
    }

    /// Commits a transaction; a no-op on a plain connection.
    pub(crate) async fn commit(self) -> StoreResult<()> {
        match self {
            ServerConn::Plain(_) => Ok(()),
            ServerConn::Transaction(tx) => tx.commit().await.ctx("commit"),
        }
    }
}

impl RowSource for AnyRow {
    fn get_opt_i64(&self, index: usize) -> StoreResult<Option<i64>> {
        self.try_get::<Option<i64>, _>(index).ctx("row")
    }

    fn get_opt_text(&self, index: usize) -> StoreResult<Option<Cow<'_, str>>> {
        let raw = self.try_get_raw(index).ctx("row")?;
        if raw.is_null() {
            return Ok(None);
        }
        // MySQL reports TEXT columns as BLOB types, which sqlx `Any` hands over as bytes.
        if raw.type_info().kind() == AnyTypeInfoKind::Blob {
            let bytes = self.try_get::<&[u8], _>(index).ctx("row")?;
            return std::str::from_utf8(bytes)
                .map(|text| Some(Cow::Borrowed(text)))
                .map_err(|_| corrupt(self, index, "invalid UTF-8"));
        }
        let text = self.try_get::<&str, _>(index).ctx("row")?;
        Ok(Some(Cow::Borrowed(text)))
    }

    fn get_opt_blob(&self, index: usize) -> StoreResult<Option<Vec<u8>>> {
        self.try_get::<Option<Vec<u8>>, _>(index).ctx("row")
    }

    fn column_name(&self, index: usize) -> String {
        self.columns()
            .get(index)
            .map(|c| c.name().to_owned())
            .unwrap_or_else(|| format!("#{index}"))
    }
}
