//! The command line: global options and the subcommand tree. Doc comments are the help text.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Passwords server: a self-hosted password manager for the Nextcloud Passwords clients.
///
/// Settings come from code defaults, then the TOML file, then PASSWORDS_* environment
/// variables, then these options. Exit codes: 0 success, 1 error, 2 usage error.
#[derive(Debug, Parser)]
#[command(name = "passwords", version, propagate_version = true)]
pub struct Cli {
    /// Data directory (database, instance key, backups) [env: PASSWORDS_DATA_DIR] [default: ./data]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Database URL: sqlite://FILE, postgres://…, mysql://… [env: PASSWORDS_DATABASE_URL]
    /// [default: sqlite://<data-dir>/passwords.db]
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,

    /// TOML configuration file [env: PASSWORDS_CONFIG] [default: <data-dir>/passwords.toml if present]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP(S) server.
    Serve(ServeArgs),
    /// Manage accounts and their app passwords.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Read and change app settings.
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port [env: PASSWORDS_LISTEN] [default: 127.0.0.1:8080]
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// PEM certificate chain for HTTPS [env: PASSWORDS_TLS_CERT]
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for HTTPS [env: PASSWORDS_TLS_KEY]
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Create an account (prompts for the password on a terminal).
    Add {
        /// The user id: letters, digits and _ . @ -, at most 64 characters.
        uid: String,
        /// The name shown to other users.
        #[arg(long, value_name = "NAME")]
        display_name: Option<String>,
        /// Read the login password from the first line of standard input.
        #[arg(long, conflicts_with = "no_password")]
        password_stdin: bool,
        /// Create the account without a login password (app passwords only).
        #[arg(long)]
        no_password: bool,
    },
    /// List accounts.
    List,
    /// Remove an account: no more logins; its data stays queued for deletion and the uid
    /// stays locked until `passwords user delete UID`.
    Remove { uid: String },
    /// Set a new login password (prompts on a terminal).
    Passwd {
        uid: String,
        /// Read the new password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Manage app passwords (tokens) of an account.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an app password and print it (only this once) on standard output.
    Add {
        uid: String,
        /// Name of the app password; it becomes the client name of what it writes.
        #[arg(long)]
        name: String,
    },
    /// List the app passwords of an account (names and dates, never the secrets).
    List { uid: String },
    /// Revoke an app password.
    Revoke { uid: String, name: String },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// List every app setting with its value.
    List,
    /// Print the value of one app setting.
    Get { key: String },
    /// Change an app setting.
    Set { key: String, value: String },
    /// Reset an app setting to its default.
    Delete { key: String },
}
