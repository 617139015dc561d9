//! Admin operations as library functions: the CLI, the server's jobs and the tests call these.
//!
//! Each takes the store (and what else it needs) plus an options struct and returns a summary
//! that the caller renders. None of them prints or prompts.

pub mod accounts;
pub mod report;
pub mod tokens;
pub mod users;
