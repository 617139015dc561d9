//! The rusqlite executor: statements of a [`LiteConn`] run on its worker thread with cached
//! prepared statements, and rows are decoded there, straight from SQLite's buffers.
//!
//! A transaction (`BEGIN IMMEDIATE`) holds the in-process writer lock until it ends; its
//! `BEGIN` goes to the worker with its first statement, one hand-off fewer per transaction.
//! Dropped without a commit, it queues a rollback on its worker before the worker goes back
//! to the pool, and only then releases the writer lock: a connection never returns to the
//! pool with an open transaction, and the next writer of this process never waits on
//! SQLite's lock.

use std::borrow::Cow;
use std::sync::Arc;

use passwords_store::StoreResult;
use rusqlite::types::{ToSql, ToSqlOutput, ValueRef};
use rusqlite::{params_from_iter, Connection, Row};
use tokio::sync::OwnedMutexGuard;

use crate::error::Ctx;
use crate::query::{Arg, Stmt};
use crate::rows::{corrupt, read_row, Cols, Read, RowSource, Visit};
use crate::sqlite::checkpoint::Checkpointer;
use crate::sqlite::pool::Lease;

/// A SQLite connection of the pool, plain (autocommit) or inside a transaction.
pub(crate) struct LiteConn {
    lease: Lease,
    /// `Some` while a transaction may be open: the writer lock it holds.
    open: Option<Option<OwnedMutexGuard<()>>>,
    /// The `BEGIN` of the transaction until it has run (see [`LiteConn::begin`]).
    begin: Option<&'static str>,
    /// Told of each commit of a write transaction.
    checkpointer: Option<Arc<Checkpointer>>,
}

impl LiteConn {
    pub(crate) fn plain(lease: Lease) -> Self {
        Self {
            lease,
            open: None,
            begin: None,
            checkpointer: None,
        }
    }

    /// Starts a transaction with `begin` (`BEGIN IMMEDIATE`), holding `writer` until it ends,
    /// and counting its commit with `checkpointer`.
    ///
    /// The `BEGIN` runs on the worker together with the first statement, saving one hand-off
    /// to the worker thread per transaction; until a `BEGIN` has succeeded, every statement
    /// tries it first, so no statement of a transaction ever runs outside it.
    pub(crate) fn begin(
        lease: Lease,
        begin: &'static str,
        writer: Option<OwnedMutexGuard<()>>,
        checkpointer: Option<Arc<Checkpointer>>,
    ) -> Self {
        Self {
            lease,
            open: Some(writer),
            begin: Some(begin),
            checkpointer,
        }
    }

    /// Runs `work` on the worker, after the pending `BEGIN` if there is one.
    async fn run<R: Send + 'static>(
        &mut self,
        work: impl FnOnce(&mut Connection) -> StoreResult<R> + Send + 'static,
    ) -> StoreResult<R> {
        let Some(begin) = self.begin.take() else {
            return self.lease.run(work).await;
        };
        let (begun, result) = self
            .lease
            .run(move |c| match run_plain(c, begin).ctx("transaction") {
                Ok(()) => Ok((true, work(c))),
                Err(e) => Ok((false, Err(e))),
            })
            .await
            // The job never ran: neither did the BEGIN.
            .unwrap_or_else(|e| (false, Err(e)));
        if !begun {
            self.begin = Some(begin);
        }
        result
    }

    /// Commits a transaction; a no-op on a plain connection.
    pub(crate) async fn commit(mut self) -> StoreResult<()> {
        if self.open.is_none() {
            return Ok(());
        }
        if self.begin.is_some() {
            // Nothing ran: there is nothing to commit. Release the writer lock.
            self.open = None;
            return Ok(());
        }
        self.lease
            .run(|c| {
                let done = run_plain(c, "COMMIT");
                if done.is_err() {
                    // A failed COMMIT (e.g. SQLITE_BUSY) can leave the transaction open.
                    roll_back(c);
                }
                done.ctx("commit")
            })
            .await?;
        // Committed: release the writer lock now, with nothing left to roll back.
        self.open = None;
        if let Some(checkpointer) = &self.checkpointer {
            checkpointer.committed();
        }
        Ok(())
    }

    /// Runs a statement; returns the number of rows it changed.
    pub(crate) async fn execute(&mut self, st: Stmt) -> StoreResult<u64> {
        self.run(move |c| {
            let changed = c
                .prepare_cached(st.sql)
                .and_then(|mut stmt| stmt.execute(params_from_iter(&st.args)))
                .ctx(st.table)?;
            Ok(changed as u64)
        })
        .await
    }

    pub(crate) async fn fetch_optional<T: Send + 'static>(
        &mut self,
        st: Stmt,
        read: Read<T>,
    ) -> StoreResult<Option<T>> {
        Ok(self.fetch(st, read, 1).await?.pop())
    }

    pub(crate) async fn fetch_all<T: Send + 'static>(
        &mut self,
        st: Stmt,
        read: Read<T>,
    ) -> StoreResult<Vec<T>> {
        self.fetch(st, read, usize::MAX).await
    }

    /// The first `max` rows, decoded on the worker.
    async fn fetch<T: Send + 'static>(
        &mut self,
        st: Stmt,
        read: Read<T>,
        max: usize,
    ) -> StoreResult<Vec<T>> {
        self.run(move |c| {
            let mut stmt = c.prepare_cached(st.sql).ctx(st.table)?;
            let mut rows = stmt.query(params_from_iter(&st.args)).ctx(st.table)?;
            let mut out = Vec::new();
            while out.len() < max {
                match rows.next().ctx(st.table)? {
                    Some(row) => out.push(read_row(row, read)?),
                    None => break,
                }
            }
            Ok(out)
        })
        .await
    }
}

impl LiteConn {
    /// Runs an `INSERT … RETURNING id` and then a plain `INSERT`, in one hand-off to the
    /// worker; the second runs only if the first inserted its row. Returns the first's id
    /// (`None` if it inserted nothing) and the second's count of changed rows.
    pub(crate) async fn insert_pair(
        &mut self,
        first: Stmt,
        then: Stmt,
    ) -> StoreResult<(Option<i64>, u64)> {
        self.run(move |c| {
            let id = {
                let mut stmt = c.prepare_cached(first.sql).ctx(first.table)?;
                let mut rows = stmt.query(params_from_iter(&first.args)).ctx(first.table)?;
                match rows.next().ctx(first.table)? {
                    Some(row) => Some(read_row(row, |c| c.i64())?),
                    None => None,
                }
            };
            if id.is_none() {
                return Ok((None, 0));
            }
            let changed = c
                .prepare_cached(then.sql)
                .and_then(|mut stmt| stmt.execute(params_from_iter(&then.args)))
                .ctx(then.table)?;
            Ok((id, changed as u64))
        })
        .await
    }

    /// Hands every row to `sink` with `each`, on the worker, straight from SQLite's buffers;
    /// gives the sink back.
    pub(crate) async fn visit<S: ?Sized + Send + 'static>(
        &mut self,
        st: Stmt,
        mut sink: Box<S>,
        each: Visit<S>,
    ) -> StoreResult<Box<S>> {
        self.run(move |c| {
            let mut stmt = c.prepare_cached(st.sql).ctx(st.table)?;
            let mut rows = stmt.query(params_from_iter(&st.args)).ctx(st.table)?;
            while let Some(row) = rows.next().ctx(st.table)? {
                each(&mut Cols::new(row), &mut sink)?;
            }
            Ok(sink)
        })
        .await
    }
}

impl Drop for LiteConn {
    fn drop(&mut self) {
        if let Some(writer) = self.open.take() {
            // Runs after any job still in flight and before the next holder's first one.
            let _ = self.lease.post(Box::new(move |c| {
                roll_back(c);
                drop(writer);
            }));
        }
    }
}

/// Runs a statement without arguments (from the statement cache).
fn run_plain(c: &mut Connection, sql: &str) -> rusqlite::Result<()> {
    c.prepare_cached(sql)?.execute([]).map(drop)
}

/// Rolls back the open transaction, if any.
fn roll_back(c: &mut Connection) {
    if !c.is_autocommit() {
        if let Err(e) = c.execute_batch("ROLLBACK") {
            tracing::error!("cannot roll back a SQLite transaction: {e}");
        }
    }
}

impl ToSql for Arg {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Arg::I64(v) => ValueRef::Integer(*v),
            Arg::Text(v) => ValueRef::Text(v.as_bytes()),
            Arg::Blob(v) => ValueRef::Blob(v),
            Arg::Null(_) => ValueRef::Null,
        }))
    }
}

impl RowSource for Row<'_> {
    fn get_opt_i64(&self, index: usize) -> StoreResult<Option<i64>> {
        match self.get_ref(index).ctx("row")? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(v) => Ok(Some(v)),
            other => Err(corrupt(
                self,
                index,
                format!("{} is no integer", other.data_type()),
            )),
        }
    }

    fn get_opt_text(&self, index: usize) -> StoreResult<Option<Cow<'_, str>>> {
        match self.get_ref(index).ctx("row")? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(bytes) | ValueRef::Blob(bytes) => std::str::from_utf8(bytes)
                .map(|text| Some(Cow::Borrowed(text)))
                .map_err(|_| corrupt(self, index, "invalid UTF-8")),
            other => Err(corrupt(
                self,
                index,
                format!("{} is no text", other.data_type()),
            )),
        }
    }

    fn get_opt_blob(&self, index: usize) -> StoreResult<Option<Vec<u8>>> {
        match self.get_ref(index).ctx("row")? {
            ValueRef::Null => Ok(None),
            ValueRef::Blob(bytes) | ValueRef::Text(bytes) => Ok(Some(bytes.to_vec())),
            other => Err(corrupt(
                self,
                index,
                format!("{} is no blob", other.data_type()),
            )),
        }
    }

    fn get_opt_bytes(&self, index: usize) -> StoreResult<Option<Cow<'_, [u8]>>> {
        match self.get_ref(index).ctx("row")? {
            ValueRef::Null => Ok(None),
            ValueRef::Blob(bytes) | ValueRef::Text(bytes) => Ok(Some(Cow::Borrowed(bytes))),
            other => Err(corrupt(
                self,
                index,
                format!("{} is no blob", other.data_type()),
            )),
        }
    }

    fn column_name(&self, index: usize) -> String {
        AsRef::<rusqlite::Statement<'_>>::as_ref(self)
            .column_name(index)
            .map_or_else(|_| format!("#{index}"), str::to_owned)
    }
}
