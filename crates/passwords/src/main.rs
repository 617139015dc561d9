//! `passwords`: the one binary. Parses the command line, loads the configuration, sets up
//! logging and runs one subcommand. Everything it does is a library call.

mod cli;
mod cmd;
mod config;
mod context;
mod interact;
mod occ;
mod progress;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse_from(occ::expand(std::env::args_os()));
    let settings = match config::Settings::load(&cli) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    init_logging(&settings, &cli);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return fail(&anyhow::anyhow!("cannot start the async runtime: {e}")),
    };
    match runtime.block_on(cmd::run(cli, settings)) {
        Ok(code) => code,
        Err(e) => fail(&e),
    }
}

/// Prints the error (with its causes) as one line on stderr; exit 1, or the code of an
/// [`interact::Exit`].
fn fail(e: &anyhow::Error) -> ExitCode {
    if let Some(exit) = e.downcast_ref::<interact::Exit>() {
        if let Some(message) = &exit.message {
            eprintln!("Error: {message}");
        }
        return ExitCode::from(exit.code);
    }
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        text.push_str(": ");
        text.push_str(&cause.to_string());
    }
    eprintln!("Error: {text}");
    ExitCode::FAILURE
}

fn init_logging(settings: &config::Settings, cli: &cli::Cli) {
    // Commands other than `serve` print only their own result; sqlx's "slow statement"
    // warnings (a first migration on MariaDB) would read like errors there.
    let default = if matches!(cli.command, cli::Command::Serve(_)) {
        settings.log.as_str()
    } else {
        "warn,sqlx=error"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}
