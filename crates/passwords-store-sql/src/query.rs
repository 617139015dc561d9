//! Backend-neutral statements: the SQL text (written once, with `?` placeholders), its
//! arguments as [`Arg`]s and the table that names conflicts.
//!
//! The resource modules build a [`Query`] and hand it to [`crate::tx::SqlTx`], which picks the
//! backend's text from [`crate::dialect::Dialect`] and runs it on sqlx (PostgreSQL, MySQL) or
//! on rusqlite (SQLite). Arguments are owned so that a query can move to the SQLite worker.

use crate::dialect::Special;

/// One bound argument, in the storage conventions (booleans are 0/1 integers, UUIDs text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Arg {
    I64(i64),
    Text(String),
    Blob(Vec<u8>),
    /// A NULL, typed for drivers that bind typed parameters (PostgreSQL).
    Null(Kind),
}

/// The column type of a NULL argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    I64,
    Text,
}

impl From<i64> for Arg {
    fn from(value: i64) -> Self {
        Arg::I64(value)
    }
}

/// A boolean as stored: 0 or 1.
impl From<bool> for Arg {
    fn from(flag: bool) -> Self {
        Arg::I64(i64::from(flag))
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Text(value)
    }
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Text(value.to_owned())
    }
}

impl From<&[u8]> for Arg {
    fn from(value: &[u8]) -> Self {
        Arg::Blob(value.to_vec())
    }
}

impl From<Option<i64>> for Arg {
    fn from(value: Option<i64>) -> Self {
        value.map_or(Arg::Null(Kind::I64), Arg::I64)
    }
}

impl From<Option<String>> for Arg {
    fn from(value: Option<String>) -> Self {
        value.map_or(Arg::Null(Kind::Text), Arg::Text)
    }
}

impl From<Option<&str>> for Arg {
    fn from(value: Option<&str>) -> Self {
        value.map(str::to_owned).into()
    }
}

/// Where the text of a statement comes from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Text {
    /// The same on every backend but for placeholders.
    Plain(&'static str),
    /// Differs per backend (see [`Special`]).
    Special(Special),
}

/// A statement with its arguments, ready for [`crate::tx::SqlTx`].
#[derive(Debug)]
pub(crate) struct Query {
    pub(crate) text: Text,
    pub(crate) args: Vec<Arg>,
    /// The table: the rule name of a unique violation, and the context of other errors.
    pub(crate) table: &'static str,
}

impl Query {
    /// A statement on `table` written with `?` placeholders.
    pub(crate) fn new(table: &'static str, sql: &'static str) -> Self {
        Self::with_text(table, Text::Plain(sql))
    }

    /// A statement whose text differs per backend.
    pub(crate) fn special(table: &'static str, which: Special) -> Self {
        Self::with_text(table, Text::Special(which))
    }

    fn with_text(table: &'static str, text: Text) -> Self {
        Self {
            text,
            args: Vec::with_capacity(8),
            table,
        }
    }

    /// Appends the next argument.
    pub(crate) fn bind(mut self, arg: impl Into<Arg>) -> Self {
        self.args.push(arg.into());
        self
    }
}

/// A [`Query`] with the text of its backend chosen: what an executor runs.
#[derive(Debug)]
pub(crate) struct Stmt {
    pub(crate) sql: &'static str,
    pub(crate) args: Vec<Arg>,
    pub(crate) table: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_follow_the_storage_conventions() {
        let q = Query::new("t", "SELECT ?")
            .bind(true)
            .bind(false)
            .bind(7i64)
            .bind("a")
            .bind(None::<String>)
            .bind(None::<i64>)
            .bind(Some("b"))
            .bind(&[1u8, 2][..]);
        assert_eq!(
            q.args,
            vec![
                Arg::I64(1),
                Arg::I64(0),
                Arg::I64(7),
                Arg::Text("a".into()),
                Arg::Null(Kind::Text),
                Arg::Null(Kind::I64),
                Arg::Text("b".into()),
                Arg::Blob(vec![1, 2]),
            ]
        );
        assert_eq!(q.table, "t");
    }
}
