//! Everything that differs between SQLite, PostgreSQL and MySQL/MariaDB in the text of SQL.
//!
//! Queries are written once with `?` placeholders; [`Dialect::sql`] rewrites them to `$1..$n`
//! for PostgreSQL and caches the result. Upserts, insert-if-absent, generated ids, the
//! transaction start statement and the version query live here too. The same dialect serves
//! both executors: sqlx for PostgreSQL and MySQL, rusqlite for SQLite.

use std::collections::HashMap;
use std::sync::Mutex;

use passwords_store::Backend;

/// The SQL flavour of one backend, with a cache of rewritten statements.
pub(crate) struct Dialect {
    backend: Backend,
    /// PostgreSQL statements (`$n`) by their `?` form. The set of statements is fixed (all are
    /// `&'static str` constants of this crate), so leaking each rewrite once is bounded.
    numbered: Mutex<HashMap<&'static str, &'static str>>,
    /// Insert variants (see [`Self::insert`], [`Self::insert_returning_id`]) by the plain
    /// `INSERT` (still with `?`).
    inserts: Mutex<HashMap<&'static str, &'static str>>,
    returning: Mutex<HashMap<&'static str, &'static str>>,
    explicit_ids: Mutex<HashMap<&'static str, &'static str>>,
}

/// Statements whose text differs per backend beyond placeholders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Special {
    UpsertAppSetting,
    UpsertUserSetting,
    InsertLeaseIfAbsent,
    LeaseHolderForUpdate,
}

impl Dialect {
    pub(crate) fn new(backend: Backend) -> Self {
        Self {
            backend,
            numbered: Mutex::default(),
            inserts: Mutex::default(),
            returning: Mutex::default(),
            explicit_ids: Mutex::default(),
        }
    }

    pub(crate) fn backend(&self) -> Backend {
        self.backend
    }

    /// The statement that starts a transaction, if not the driver's default `BEGIN`.
    ///
    /// SQLite takes the write lock up front (`BEGIN IMMEDIATE`): a deferred transaction that
    /// reads and then writes can fail with `SQLITE_BUSY` without waiting when another
    /// connection wrote in between, while `BEGIN IMMEDIATE` waits (busy_timeout) at the start.
    pub(crate) fn begin_statement(&self) -> Option<&'static str> {
        match self.backend {
            Backend::Sqlite => Some("BEGIN IMMEDIATE"),
            Backend::Postgres | Backend::Mysql => None,
        }
    }

    /// Rewrites `?` placeholders for this backend (cached).
    pub(crate) fn sql(&self, query: &'static str) -> &'static str {
        match self.backend {
            Backend::Postgres => {
                Self::cached(&self.numbered, query, || numbered_placeholders(query))
            }
            Backend::Sqlite | Backend::Mysql => query,
        }
    }

    /// A plain `INSERT` into a table with unique keys, for [`crate::tx::SqlTx::insert`].
    ///
    /// On PostgreSQL a failed statement aborts the whole transaction, while SQLite and MySQL
    /// only undo the statement. So that a `Conflict` leaves a transaction usable everywhere,
    /// PostgreSQL inserts get `ON CONFLICT DO NOTHING` and "no row inserted" means conflict.
    pub(crate) fn insert(&self, insert: &'static str) -> &'static str {
        match self.backend {
            Backend::Postgres => {
                let text = Self::cached(&self.inserts, insert, || {
                    format!("{insert} ON CONFLICT DO NOTHING")
                });
                self.sql(text)
            }
            Backend::Sqlite | Backend::Mysql => insert,
        }
    }

    /// An `INSERT` that sets an identity column explicitly (restore keeps numeric ids):
    /// PostgreSQL needs `OVERRIDING SYSTEM VALUE`; conflicts as in [`Self::insert`].
    pub(crate) fn insert_explicit_id(&self, insert: &'static str) -> &'static str {
        match self.backend {
            Backend::Postgres => {
                let text = Self::cached(&self.explicit_ids, insert, || {
                    let with = insert.replacen(" VALUES ", " OVERRIDING SYSTEM VALUE VALUES ", 1);
                    format!("{with} ON CONFLICT DO NOTHING")
                });
                self.sql(text)
            }
            Backend::Sqlite | Backend::Mysql => insert,
        }
    }

    /// The statement that starts a read-only transaction on one consistent snapshot. SQLite
    /// (WAL) takes its snapshot at the first read of a deferred transaction.
    pub(crate) fn snapshot_statement(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "BEGIN DEFERRED",
            Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
            Backend::Mysql => "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY",
        }
    }

    /// An `INSERT` that yields the generated `id`: `RETURNING id` on SQLite (3.35 and newer)
    /// and PostgreSQL, `LAST_INSERT_ID()` from the result on MySQL (see [`Self::returns_ids`]).
    /// On PostgreSQL with `ON CONFLICT DO NOTHING`, as in [`Self::insert`].
    pub(crate) fn insert_returning_id(&self, insert: &'static str) -> &'static str {
        match self.backend {
            Backend::Postgres => {
                let text = Self::cached(&self.returning, insert, || {
                    format!("{insert} ON CONFLICT DO NOTHING RETURNING id")
                });
                self.sql(text)
            }
            Backend::Sqlite => {
                Self::cached(&self.returning, insert, || format!("{insert} RETURNING id"))
            }
            Backend::Mysql => insert,
        }
    }

    /// Whether [`Self::insert_returning_id`] yields the id as a row (`RETURNING id`); MySQL
    /// reports it as the statement's `LAST_INSERT_ID()` instead.
    pub(crate) fn returns_ids(&self) -> bool {
        self.backend != Backend::Mysql
    }

    /// A statement whose text differs per backend, with placeholders rewritten.
    pub(crate) fn special(&self, which: Special) -> &'static str {
        let text = match (which, self.backend) {
            (Special::UpsertAppSetting, Backend::Mysql) => {
                "INSERT INTO app_settings (setting_key, setting_value) VALUES (?, ?) \
                 ON DUPLICATE KEY UPDATE setting_value = VALUES(setting_value)"
            }
            (Special::UpsertAppSetting, _) => {
                "INSERT INTO app_settings (setting_key, setting_value) VALUES (?, ?) \
                 ON CONFLICT (setting_key) DO UPDATE SET setting_value = excluded.setting_value"
            }
            (Special::UpsertUserSetting, Backend::Mysql) => {
                "INSERT INTO user_settings (uid, setting_key, setting_value) VALUES (?, ?, ?) \
                 ON DUPLICATE KEY UPDATE setting_value = VALUES(setting_value)"
            }
            (Special::UpsertUserSetting, _) => {
                "INSERT INTO user_settings (uid, setting_key, setting_value) VALUES (?, ?, ?) \
                 ON CONFLICT (uid, setting_key) DO UPDATE SET setting_value = excluded.setting_value"
            }
            // `name = name` keeps the row as it is; unlike INSERT IGNORE it hides no other error.
            (Special::InsertLeaseIfAbsent, Backend::Mysql) => {
                "INSERT INTO job_leases (name, holder, expires) VALUES (?, ?, ?) \
                 ON DUPLICATE KEY UPDATE name = name"
            }
            (Special::InsertLeaseIfAbsent, _) => {
                "INSERT INTO job_leases (name, holder, expires) VALUES (?, ?, ?) \
                 ON CONFLICT (name) DO NOTHING"
            }
            // SQLite has no row locks (and no FOR UPDATE): a writer holds the database lock.
            (Special::LeaseHolderForUpdate, Backend::Sqlite) => {
                "SELECT holder FROM job_leases WHERE name = ?"
            }
            (Special::LeaseHolderForUpdate, _) => {
                "SELECT holder FROM job_leases WHERE name = ? FOR UPDATE"
            }
        };
        self.sql(text)
    }

    /// The query of [`Self::version_text`]'s input: one text column.
    pub(crate) fn version_query(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "SELECT sqlite_version()",
            Backend::Postgres => "SELECT current_setting('server_version')",
            Backend::Mysql => "SELECT VERSION()",
        }
    }

    /// A human-readable server version, e.g. `PostgreSQL 15.2` or `MariaDB 10.11.6`.
    pub(crate) fn version_text(&self, raw: &str) -> String {
        match self.backend {
            Backend::Sqlite => format!("SQLite {raw}"),
            Backend::Postgres => format!("PostgreSQL {raw}"),
            Backend::Mysql if raw.contains("MariaDB") => {
                let short = raw.split('-').next().unwrap_or(raw);
                format!("MariaDB {short}")
            }
            Backend::Mysql => format!("MySQL {raw}"),
        }
    }

    /// Looks up (or builds, leaks and stores) the entry of `key` in `cache`.
    fn cached(
        cache: &Mutex<HashMap<&'static str, &'static str>>,
        key: &'static str,
        make: impl FnOnce() -> String,
    ) -> &'static str {
        // A panic cannot leave the map half-updated (one insert), so a poisoned lock is usable.
        let mut cache = cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(done) = cache.get(key) {
            return done;
        }
        let made: &'static str = Box::leak(make().into_boxed_str());
        cache.insert(key, made);
        made
    }
}

/// `?` → `$1`, `$2`, … outside of quoted text.
pub(crate) fn numbered_placeholders(query: &str) -> String {
    let mut out = String::with_capacity(query.len() + 16);
    let mut n = 0;
    let mut quote: Option<char> = None;
    for c in query.chars() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                out.push(c);
            }
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    out.push(c);
                }
                '?' => {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                }
                _ => out.push(c),
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_placeholders_outside_quotes() {
        assert_eq!(
            numbered_placeholders("SELECT a FROM t WHERE b = ? AND c = '?' AND d = ?"),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND d = $2"
        );
    }

    #[test]
    fn caches_postgres_rewrites() {
        let d = Dialect::new(Backend::Postgres);
        let a = d.sql("SELECT ? , ?");
        let b = d.sql("SELECT ? , ?");
        assert_eq!(a, "SELECT $1 , $2");
        assert!(std::ptr::eq(a, b));
        let r = d.insert_returning_id("INSERT INTO t (a) VALUES (?)");
        assert_eq!(
            r,
            "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING RETURNING id"
        );
        let i = d.insert("INSERT INTO t (a) VALUES (?)");
        assert_eq!(i, "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING");
        assert!(std::ptr::eq(
            r,
            d.insert_returning_id("INSERT INTO t (a) VALUES (?)")
        ));
        let s = Dialect::new(Backend::Sqlite);
        assert_eq!(s.sql("SELECT ?"), "SELECT ?");
        assert_eq!(
            s.insert("INSERT INTO t (a) VALUES (?)"),
            "INSERT INTO t (a) VALUES (?)"
        );
        assert_eq!(
            s.insert_returning_id("INSERT INTO t (a) VALUES (?)"),
            "INSERT INTO t (a) VALUES (?) RETURNING id"
        );
        let m = Dialect::new(Backend::Mysql);
        assert_eq!(
            m.insert_returning_id("INSERT INTO t (a) VALUES (?)"),
            "INSERT INTO t (a) VALUES (?)"
        );
    }
}
