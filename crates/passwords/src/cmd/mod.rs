//! One module per subcommand; each turns its arguments into a library call and renders the
//! result.

mod account;
mod backup;
mod config;
mod pwned_list;
mod serve;
mod system;
mod user;

use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::config::Settings;
use crate::context::Context;

pub async fn run(cli: Cli, settings: Settings) -> anyhow::Result<ExitCode> {
    // List processing needs no database.
    if let Command::PwnedList(c) = cli.command {
        return pwned_list::run(&settings, c).await;
    }
    let ctx = Context::open(settings).await?;
    let result = match cli.command {
        Command::Serve(_) => serve::run(&ctx).await,
        Command::Account(c) => account::run(&ctx, c).await,
        Command::Config(c) => config::run(&ctx, c).await,
        Command::Backup(c) => backup::run(&ctx, c).await,
        Command::User(c) => user::run(&ctx, c).await,
        Command::System(c) => system::run(&ctx, c).await,
        Command::PwnedList(_) => unreachable!("handled above"),
    };
    ctx.store.close().await;
    result.map(|()| ExitCode::SUCCESS)
}
