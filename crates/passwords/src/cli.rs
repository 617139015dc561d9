//! The command line: global options and the subcommand tree. Doc comments are the help text.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Passwords server: a self-hosted password manager for the Nextcloud Passwords clients.
///
/// Settings come from code defaults, then the TOML file, then PASSWORDS_* environment
/// variables, then these options. Exit codes: 0 success, 1 error, 2 usage error (commands
/// that ask for confirmation document theirs).
///
/// The reference's occ names work too: `passwords user:delete alice` is
/// `passwords user delete alice` (a leading `passwords:` is accepted as well).
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
    /// Create, list, export, import and restore backups (in <data-dir>/backups).
    #[command(subcommand)]
    Backup(BackupCommand),
    /// Delete or move the passwords data of a user (occ: `user:delete`, `user:move`).
    #[command(subcommand)]
    User(UserCommand),
    /// Information about this server (occ: `system:report`).
    #[command(subcommand)]
    System(SystemCommand),
    /// Breached-password lists and the local database (occ: `pwned-list:process`,
    /// `pwned-list:update`).
    #[command(subcommand)]
    PwnedList(PwnedListCommand),
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

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// Back up every user's data, the user and app settings (never the instance key, login
    /// passwords or app passwords). NAME keeps only A-Z a-z 0-9 _ . - and at most 20
    /// characters; without one, the UTC date. A backup of the same name is replaced.
    Create { name: Option<String> },
    /// List the manual and automatic backups.
    List {
        /// Also read each backup and show its version and contents.
        #[arg(short, long)]
        details: bool,
    },
    /// Delete a manual backup (automatic ones are pruned by their schedule).
    Delete { name: String },
    /// Copy a backup to FILE (ending in .json.gz) or into the directory FILE (default: the
    /// current directory).
    Export { name: String, file: Option<PathBuf> },
    /// Check a backup file completely (gzip, JSON, structure, version) and store it as a
    /// manual backup named after the file.
    ///
    /// A server backup of the Nextcloud Passwords app (versions 100-106, .json or .json.gz) is
    /// recognised and converted: every SSEv1 field is decrypted with the backup's keys and
    /// sealed under this server's keys; `backup restore NAME` then brings it in. See
    /// docs/migrating-from-nextcloud.md.
    Import {
        file: PathBuf,
        /// Nextcloud backups: a file holding the instance secret ('passwords.secret', else
        /// 'secret', of the Nextcloud config.php). Needed before backup version 105; wins over
        /// the secret in the backup.
        #[arg(long, value_name = "FILE")]
        instance_secret_file: Option<PathBuf>,
        /// Nextcloud backups: give the Nextcloud user OLD the user id NEW here (repeatable).
        #[arg(long, value_name = "OLD=NEW", value_parser = parse_mapping)]
        map_user: Vec<(String, String)>,
    },
    /// Restore a backup: first checks all of it, then replaces the data in one transaction.
    ///
    /// Exit codes: 0 restored, 1 error or nothing to restore, 2 declined,
    /// 107 no terminal and no --no-interaction.
    Restore {
        name: String,
        /// Restore only this user's data and settings (never the app settings).
        #[arg(short, long, value_name = "USER")]
        user: Option<String>,
        /// Do not restore passwords, folders, tags, shares and keys.
        #[arg(long)]
        no_data: bool,
        /// Do not restore user settings.
        #[arg(long)]
        no_user_settings: bool,
        /// Do not restore app settings.
        #[arg(long)]
        no_app_settings: bool,
        /// The instance key the backup was made with (a file with its 64 hex digits), when it
        /// is not this server's.
        #[arg(long, value_name = "FILE")]
        instance_key_file: Option<PathBuf>,
        /// Assume "yes" for every question (needed without a terminal).
        #[arg(short = 'n', long)]
        no_interaction: bool,
    },
}

/// `OLD=NEW` of `--map-user`.
fn parse_mapping(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((old, new)) if !old.is_empty() && !new.is_empty() => {
            Ok((old.to_owned(), new.to_owned()))
        }
        _ => Err(format!("expected OLD=NEW, got {text:?}")),
    }
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Delete all passwords data of a user: passwords and their revisions, folders, tags,
    /// shares owned and received, settings and keys, in one transaction.
    ///
    /// Works for a removed account (its data is queued for deletion) and for a user id with
    /// no account left; a removed account is deleted with its data, which frees the user id
    /// for `account add`. A live account stays, with an empty vault.
    ///
    /// Exit codes: 0 deleted; 1 error or confirmation declined; 107 standard input is not a
    /// terminal and --no-interaction is not set.
    Delete {
        /// The user id.
        user: String,
        /// Assume "yes" for every confirmation (needed when standard input is not a terminal).
        #[arg(short = 'n', long)]
        no_interaction: bool,
    },
    /// Move all passwords data of SOURCE_USER to TARGET_USER, in one transaction.
    ///
    /// Both accounts must exist and differ (the source may be a removed account, whose uid
    /// stays locked until `user delete`). If the
    /// target has data, a second confirmation deletes it first, else the move is aborted.
    /// Everything of the source (data, shares as owner and receiver, settings, its data key)
    /// becomes the target's; the source keeps its account with an empty vault.
    ///
    /// Exit codes: 0 moved; 1 error (a user does not exist, both are the same); 2 move
    /// declined; 3 the source has no data; 4 deleting the target's data declined; 107
    /// standard input is not a terminal and --no-interaction is not set.
    Move {
        /// The user whose data is moved.
        source_user: String,
        /// The user who receives it.
        target_user: String,
        /// Assume "yes" for every confirmation (needed when standard input is not a terminal).
        #[arg(short = 'n', long)]
        no_interaction: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SystemCommand {
    /// Print what this server is and how it is set up, as JSON (for bug reports). Nothing is
    /// sent anywhere and the report holds no secret.
    ///
    /// Sections: version, environment, services, settings, status, apps, sharing,
    /// encryption; `debug` stands for version, environment, services, status, settings,
    /// encryption. Unknown names are ignored.
    Report {
        /// Sections to print, in this order (all by default).
        sections: Vec<String>,
        /// Only version and environment (ignored when sections are named).
        #[arg(short, long)]
        basic: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PwnedListCommand {
    /// Select the SIZE million most common hashes of a Pwned Passwords SHA-1 list
    /// (`HASH:COUNT` lines, ordered by hash or by count, LF or CRLF; ties at the threshold
    /// count in file order) and install them as the local breached-password database
    /// (<data-dir>/breached/pwned.db), replacing the old one atomically, or export them as the
    /// reference's zip (--mode json|gzip|file).
    ///
    /// The whole file is checked first: a malformed line, a short hash, an empty or missing
    /// file is an error (exit 1) and nothing is written. Memory stays bounded (under 64 MiB)
    /// whatever the size of the file.
    Process {
        /// The list [default: pwnedpasswords.txt]
        file: Option<PathBuf>,
        /// Millions of hashes to keep (an integer; the reference reads "abc" as 0).
        #[arg(short, long, default_value = "25", value_name = "SIZE")]
        size: String,
        /// import: the local database. json, gzip: write `<SIZE>m-v16-<MODE>.zip` in the
        /// current directory, the reference's database file (one entry per 3-hex prefix, a
        /// JSON list of hashes, zlib-compressed in gzip mode). file: gzip.
        #[arg(short, long, default_value = "import", value_name = "MODE")]
        mode: String,
    },
    /// Download the update file from service.security.local.url (occ: passwords/localdb/source;
    /// `:version` becomes 16, `:format` gzip; http, https or file URLs) and install it as the
    /// local breached-password database, if the installed version
    /// (service.security.local.version) is not 16 or no database is installed.
    ///
    /// Every entry of the zip is checked (names `abc.json` or `abc.json.gz`, JSON lists or
    /// objects of 40-hex hashes of that prefix, plain, zlib or gzip) and converted in a
    /// staging directory, then swapped in atomically; any error leaves the old database and
    /// settings as they were (exit 1). `passwords serve` does the same by itself when
    /// service.security is bigdb or bigdb+hibp, retrying failures with growing delays.
    Update {
        /// Download and install even if the current version is installed (as setting the
        /// version to 0 does).
        #[arg(short, long)]
        force: bool,
    },
}
