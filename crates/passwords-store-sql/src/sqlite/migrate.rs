//! The SQLite migration runner: the files of `migrations/sqlite/`, applied in order, each
//! recorded in `schema_migrations` (version, name, applied_at).
//!
//! A database that records a migration this binary does not know (written by a newer
//! version) is refused, as is one whose migration of a known version has another name.
//! Pending migrations run in one `BEGIN IMMEDIATE` transaction, so two processes starting
//! together apply each migration once and a failing migration leaves nothing behind.

use std::time::{SystemTime, UNIX_EPOCH};

use passwords_store::{StoreError, StoreResult};
use rusqlite::{Connection, TransactionBehavior};

/// One migration file: `NNNN_name.sql` is version `NNNN`, name `name`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Migration {
    pub(crate) version: i64,
    pub(crate) name: &'static str,
    pub(crate) sql: &'static str,
}

/// The migrations of this binary, in version order.
pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "initial",
    sql: include_str!("../../migrations/sqlite/0001_initial.sql"),
}];

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (\
                            version INTEGER PRIMARY KEY, \
                            name TEXT NOT NULL, \
                            applied_at INTEGER NOT NULL)";

/// Applies the migrations of `known` that `conn`'s database lacks; returns how many.
///
/// An up-to-date database is only read, so this also works on a read-only connection.
pub(crate) fn run(conn: &mut Connection, known: &[Migration]) -> StoreResult<usize> {
    if pending(&applied(conn)?, known)?.is_empty() {
        return Ok(0);
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(failed)?;
    tx.execute_batch(CREATE_TABLE).map_err(failed)?;
    // Read again under the write lock: another process may have migrated meanwhile.
    let todo = pending(&applied(&tx)?, known)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    for migration in &todo {
        tx.execute_batch(migration.sql).map_err(|e| {
            StoreError::Migration(format!(
                "migration {} ({}) failed: {e}",
                migration.version, migration.name
            ))
        })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            (migration.version, migration.name, now),
        )
        .map_err(failed)?;
        tracing::info!(
            version = migration.version,
            name = migration.name,
            "applied SQLite migration"
        );
    }
    tx.commit().map_err(failed)?;
    Ok(todo.len())
}

/// The recorded migrations (version, name); none if the table does not exist yet.
fn applied(conn: &Connection) -> StoreResult<Vec<(i64, String)>> {
    let exists: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master \
             WHERE type = 'table' AND name = 'schema_migrations')",
            [],
            |row| row.get(0),
        )
        .map_err(failed)?;
    if !exists {
        return Ok(Vec::new());
    }
    let mut stmt = conn
        .prepare("SELECT version, name FROM schema_migrations ORDER BY version")
        .map_err(failed)?;
    let rows = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .map_err(failed)?;
    rows.collect::<Result<_, _>>().map_err(failed)
}

/// The migrations of `known` not in `applied`, in order; an error if `applied` has one that
/// `known` lacks or names differently.
fn pending(applied: &[(i64, String)], known: &[Migration]) -> StoreResult<Vec<Migration>> {
    for (version, name) in applied {
        match known.iter().find(|m| m.version == *version) {
            None => {
                return Err(StoreError::Migration(format!(
                    "the database has migration {version} ({name}), which this version of the \
                     Passwords server does not know: it was written by a newer version"
                )))
            }
            Some(m) if m.name != name => {
                return Err(StoreError::Migration(format!(
                    "the database's migration {version} is {name:?}, but this version of the \
                     Passwords server knows it as {:?}",
                    m.name
                )))
            }
            Some(_) => {}
        }
    }
    Ok(known
        .iter()
        .filter(|m| !applied.iter().any(|(version, _)| *version == m.version))
        .copied()
        .collect())
}

fn failed(err: rusqlite::Error) -> StoreError {
    StoreError::Migration(err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CREATE_A: Migration = migration(1, "one", "CREATE TABLE a (x INTEGER);");

    const fn migration(version: i64, name: &'static str, sql: &'static str) -> Migration {
        Migration { version, name, sql }
    }

    fn count(conn: &Connection, sql: &str) -> i64 {
        conn.query_row(sql, [], |row| row.get(0)).unwrap()
    }

    #[test]
    fn the_list_matches_the_directory() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS
            .iter()
            .map(|m| format!("{:04}_{}.sql", m.version, m.name))
            .collect();
        assert_eq!(files, listed, "MIGRATIONS must list every file, in order");
        for (m, file) in MIGRATIONS.iter().zip(&files) {
            let text = std::fs::read_to_string(format!("{dir}/{file}")).unwrap();
            assert_eq!(m.sql, text);
        }
    }

    #[test]
    fn applies_once_in_order_and_refuses_unknown_ones() {
        let known = [CREATE_A, migration(2, "two", "INSERT INTO a VALUES (1);")];
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(run(&mut conn, &known[..1]).unwrap(), 1);
        assert_eq!(run(&mut conn, &known).unwrap(), 1);
        assert_eq!(run(&mut conn, &known).unwrap(), 0);
        assert_eq!(count(&conn, "SELECT COUNT(*) FROM a"), 1);
        assert_eq!(count(&conn, "SELECT COUNT(*) FROM schema_migrations"), 2);

        match run(&mut conn, &known[..1]) {
            Err(StoreError::Migration(msg)) => assert!(msg.contains("migration 2 (two)"), "{msg}"),
            other => panic!("{other:?}"),
        }
        let renamed = [
            known[0],
            Migration {
                name: "deux",
                ..known[1]
            },
        ];
        match run(&mut conn, &renamed) {
            Err(StoreError::Migration(msg)) => assert!(msg.contains("\"deux\""), "{msg}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_failing_migration_leaves_nothing() {
        let known = [
            CREATE_A,
            migration(2, "broken", "INSERT INTO nowhere VALUES (1);"),
        ];
        let mut conn = Connection::open_in_memory().unwrap();
        match run(&mut conn, &known) {
            Err(StoreError::Migration(msg)) => assert!(msg.contains("2 (broken)"), "{msg}"),
            other => panic!("{other:?}"),
        }
        assert!(conn.is_autocommit());
        assert_eq!(
            count(&conn, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'a'"),
            0
        );
    }
}
