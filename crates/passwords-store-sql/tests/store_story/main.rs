//! The store story: every `Tx` method on SQLite, PostgreSQL and MariaDB/MySQL, for real.
//!
//! Each submodule (in `store_story/`) is one chapter; `for_each_backend!` turns each story in
//! it into three tests (`<story>::sqlite`, `::postgres`, `::mysql`), each on a fresh
//! database. The servers must be running (see `passwords-testkit`); an unreachable server
//! fails the test.

mod support;

mod accounts;
mod backup;
mod isolation;
mod leases;
mod models;
mod passwords;
mod settings;
mod transactions;
mod user_data;
