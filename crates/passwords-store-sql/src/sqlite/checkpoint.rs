//! Checkpoints of the write-ahead log on a thread of their own, off the writers' path.
//!
//! SQLite's automatic checkpoint runs inside the commit that takes the WAL past 1,000 pages,
//! while that transaction still holds this process's writer lock: every ~80 password
//! creates, every writer waited for the checkpoint's two `fsync`s. Measured with
//! `bench/http_v1.sh`-style load on a disk-backed file, that idled the server a third of the
//! time (create ≈ 1,500 req/s at 0.7 CPU; without the checkpoints in the commit path ≈ 2,100
//! at 0.95). So the pool's connections turn it off (`wal_autocheckpoint = 0`) and the
//! [`Checkpointer`] thread checkpoints instead: after every [`COMMITS`] commits and once per
//! [`TICK`] whatever happened (cheap when there is nothing to copy).
//!
//! Its checkpoints are `PASSIVE`: they run beside readers and the writer. One that runs
//! beside a steady stream of commits never sees the whole log copied, and the log only starts
//! over from its beginning once it has been; so when a checkpoint leaves frames uncopied in
//! a WAL of more than [`LIMIT`] pages, the thread takes the writer lock and checkpoints
//! again, which then finishes (unless a reader still needs the old frames). A checkpoint
//! that fails is logged and tried again later: the data is safe in the log meanwhile.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use passwords_store::{StoreError, StoreResult};
use rusqlite::Connection;

/// Commits after which the thread is woken to checkpoint.
pub(crate) const COMMITS: u32 = 64;
/// The longest the thread sleeps between checkpoints.
pub(crate) const TICK: Duration = Duration::from_secs(1);
/// WAL pages (4 KiB each by default) above which a checkpoint waits for the writer lock.
pub(crate) const LIMIT: i64 = 16_384;

/// The checkpointing thread of one database and the handle that wakes it.
pub(crate) struct Checkpointer {
    wake: SyncSender<()>,
    /// Commits since the thread was last woken for them.
    commits: AtomicU32,
    stop: Arc<AtomicBool>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Checkpointer {
    /// Starts the thread on the connection `open` gives (opened on the new thread). `writer`
    /// is the lock this process's writers hold; `limit` is [`LIMIT`] outside tests.
    pub(crate) async fn start(
        open: impl FnOnce() -> StoreResult<Connection> + Send + 'static,
        writer: Arc<tokio::sync::Mutex<()>>,
        limit: i64,
    ) -> StoreResult<Self> {
        let (wake, woken) = mpsc::sync_channel(1);
        let (ready, opened) = tokio::sync::oneshot::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::Builder::new()
            .name("sqlite-checkpoint".to_owned())
            .spawn(move || {
                let conn = match open() {
                    Ok(conn) => {
                        let _ = ready.send(Ok(()));
                        conn
                    }
                    Err(e) => {
                        let _ = ready.send(Err(e));
                        return;
                    }
                };
                // Woken by commits or after a tick; ended by `stop` or when the handle is gone.
                while let Ok(()) | Err(RecvTimeoutError::Timeout) = woken.recv_timeout(TICK) {
                    if stopped.load(Ordering::Acquire) {
                        break;
                    }
                    checkpoint(&conn, &writer, limit);
                }
            })
            .map_err(|e| StoreError::Backend(format!("cannot start a SQLite thread: {e}")))?;
        match opened.await {
            Ok(Ok(())) => Ok(Self {
                wake,
                commits: AtomicU32::new(0),
                stop,
                thread: Mutex::new(Some(thread)),
            }),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(StoreError::Backend(
                "the SQLite checkpoint thread stopped".to_owned(),
            )),
        }
    }

    /// Counts one commit; every [`COMMITS`]th wakes the thread.
    pub(crate) fn committed(&self) {
        if self.commits.fetch_add(1, Ordering::Relaxed) + 1 >= COMMITS {
            self.commits.store(0, Ordering::Relaxed);
            // Full: a wake-up is already pending, which is all this one would ask for.
            let _ = self.wake.try_send(());
        }
    }

    /// Ends the thread (after the checkpoint it may be running) and closes its connection.
    pub(crate) async fn stop(&self) {
        self.stop.store(true, Ordering::Release);
        // If the channel is full, the pending wake-up ends it as well.
        let _ = self.wake.try_send(());
        let thread = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(thread) = thread {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }
}

/// One passive checkpoint, and a second under the writer lock if the log stayed too long.
fn checkpoint(conn: &Connection, writer: &tokio::sync::Mutex<()>, limit: i64) {
    match passive(conn) {
        Ok((log, copied)) if log > limit && copied < log => {
            let _writers_wait = writer.blocking_lock();
            if let Err(e) = passive(conn) {
                tracing::warn!(error = %e, "SQLite WAL checkpoint failed");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "SQLite WAL checkpoint failed"),
    }
}

/// `PRAGMA wal_checkpoint(PASSIVE)`: the frames in the log, and how many of them are now
/// in the database file (all of them, and the next writer starts the log over).
fn passive(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
        Ok((row.get(1)?, row.get(2)?))
    })
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    /// A fresh database path in a scratch directory of its own.
    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("passwords-ckpt-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("db.sqlite")
    }

    /// A WAL database without automatic checkpoints, and a table.
    fn wal_db(path: &Path) -> Connection {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (v BLOB);",
        )
        .unwrap();
        conn
    }

    /// Writes about `pages` pages, a commit each.
    fn write(conn: &Connection, pages: usize) {
        for _ in 0..pages {
            conn.execute("INSERT INTO t VALUES (zeroblob(4000))", [])
                .unwrap();
        }
    }

    /// Runs [`checkpoint`] on a thread of its own while the writer lock is held by someone
    /// else, and says whether it finished without that lock (within half a second; it waits
    /// for the lock forever, so a wrong "no" cannot happen).
    fn finishes_while_writers_hold_the_lock(path: &Path, limit: i64) -> bool {
        let writer = Arc::new(tokio::sync::Mutex::new(()));
        let held = writer.clone().try_lock_owned().unwrap();
        let (done, finished) = mpsc::channel();
        let path = path.to_owned();
        let thread = std::thread::spawn(move || {
            let conn = Connection::open(&path).unwrap();
            checkpoint(&conn, &writer, limit);
            done.send(()).unwrap();
        });
        let finished = finished.recv_timeout(Duration::from_millis(500)).is_ok();
        drop(held);
        thread.join().unwrap();
        finished
    }

    /// Frames in the log and frames copied, by another connection's passive checkpoint.
    fn log(path: &Path) -> (i64, i64) {
        passive(&Connection::open(path).unwrap()).unwrap()
    }

    #[test]
    fn a_log_copied_in_full_needs_no_writer_lock() {
        let path = scratch("full");
        let conn = wal_db(&path);
        write(&conn, 50);
        assert!(finishes_while_writers_hold_the_lock(&path, 10));
        let (frames, copied) = log(&path);
        assert!(frames >= 50 && copied == frames, "{frames} {copied}");
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }

    #[test]
    fn a_long_log_left_uncopied_is_checkpointed_under_the_writer_lock() {
        let path = scratch("long");
        let conn = wal_db(&path);
        // A reader's snapshot keeps the frames written after it from being copied.
        let reader = Connection::open(&path).unwrap();
        reader.execute_batch("BEGIN").unwrap();
        let _: i64 = reader
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        write(&conn, 50);
        // Under the limit, the thread leaves the log for later without waiting.
        assert!(finishes_while_writers_hold_the_lock(&path, 1_000));
        // Over it, the thread waits for the writers.
        assert!(!finishes_while_writers_hold_the_lock(&path, 10));
        // Once the reader is gone, the whole log is copied.
        reader.execute_batch("COMMIT").unwrap();
        assert!(finishes_while_writers_hold_the_lock(&path, 1_000));
        let (frames, copied) = log(&path);
        assert_eq!(copied, frames);
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }
}
