//! `passwords account …`: accounts and app passwords.

use std::io::{BufRead, IsTerminal};

use anyhow::{bail, Context as _};
use passwords_core::admin::accounts::{self, AddAccountOptions};
use passwords_core::admin::tokens::{self, AddTokenOptions};
use passwords_core::auth::PasswordHasher;
use passwords_core::clock::date;
use passwords_types::UserId;
use zeroize::Zeroizing;

use crate::cli::{AccountCommand, TokenCommand};
use crate::context::Context;

pub async fn run(ctx: &Context, command: AccountCommand) -> anyhow::Result<()> {
    let store = &*ctx.store;
    match command {
        AccountCommand::Add {
            uid,
            display_name,
            password_stdin,
            no_password,
        } => {
            let uid = parse_uid(&uid)?;
            let password = if no_password {
                None
            } else {
                Some(read_password(password_stdin, true)?)
            };
            let hasher = PasswordHasher::new();
            let options = AddAccountOptions {
                uid,
                display_name,
                password,
            };
            let account = accounts::add_account(store, &ctx.keys, &hasher, options).await?;
            println!("The user \"{}\" was created", account.uid);
        }
        AccountCommand::List => {
            let list = accounts::list_accounts(store).await?;
            println!(
                "{:<24} {:<10} {:<10} DISPLAY NAME",
                "UID", "STATE", "CREATED"
            );
            for a in list {
                let state = if a.removed {
                    "removed"
                } else if a.enabled {
                    "enabled"
                } else {
                    "disabled"
                };
                println!(
                    "{:<24} {:<10} {:<10} {}",
                    a.uid,
                    state,
                    date(a.created),
                    a.display_name
                );
            }
        }
        AccountCommand::Remove { uid } => {
            let uid = parse_uid(&uid)?;
            let s = accounts::remove_account(store, &uid).await?;
            println!(
                "The user \"{}\" was removed ({} app passwords revoked); its data is queued for \
                 deletion: run `passwords user delete {}` to delete it and free the user id",
                s.uid, s.app_passwords_revoked, s.uid
            );
        }
        AccountCommand::Passwd {
            uid,
            password_stdin,
        } => {
            let uid = parse_uid(&uid)?;
            let password = read_password(password_stdin, true)?;
            accounts::set_password(store, &PasswordHasher::new(), &uid, &password).await?;
            println!("The password of \"{uid}\" was changed");
        }
        AccountCommand::Token(t) => token(ctx, t).await?,
    }
    Ok(())
}

async fn token(ctx: &Context, command: TokenCommand) -> anyhow::Result<()> {
    let store = &*ctx.store;
    match command {
        TokenCommand::Add { uid, name } => {
            let uid = parse_uid(&uid)?;
            let t = tokens::add_token(store, &ctx.instance, AddTokenOptions { uid, name }).await?;
            println!("{}", t.token.as_str());
        }
        TokenCommand::List { uid } => {
            let uid = parse_uid(&uid)?;
            println!("{:<32} {:<10} LAST USED", "NAME", "CREATED");
            for t in tokens::list_tokens(store, &uid).await? {
                let used = t.last_used.map(date).unwrap_or_else(|| "never".into());
                println!("{:<32} {:<10} {}", t.name, date(t.created), used);
            }
        }
        TokenCommand::Revoke { uid, name } => {
            let uid = parse_uid(&uid)?;
            tokens::revoke_token(store, &uid, &name).await?;
            println!("The app password \"{name}\" of \"{uid}\" was revoked");
        }
    }
    Ok(())
}

pub(crate) fn parse_uid(text: &str) -> anyhow::Result<UserId> {
    UserId::parse(text).map_err(|e| anyhow::anyhow!("Invalid user id \"{text}\": {e}"))
}

/// The password from stdin's first line, or asked twice on the terminal.
fn read_password(from_stdin: bool, confirm: bool) -> anyhow::Result<Zeroizing<String>> {
    if from_stdin {
        let mut line = Zeroizing::new(String::new());
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        let trimmed = line.trim_end_matches(['\r', '\n']);
        return Ok(Zeroizing::new(trimmed.to_owned()));
    }
    if !std::io::stdin().is_terminal() {
        bail!("No terminal to ask for the password: pass --password-stdin and write it to standard input");
    }
    let first = Zeroizing::new(
        rpassword::prompt_password("Password: ").context("cannot read the password")?,
    );
    if confirm {
        let second = Zeroizing::new(
            rpassword::prompt_password("Repeat password: ").context("cannot read the password")?,
        );
        if first != second {
            bail!("The passwords do not match");
        }
    }
    Ok(first)
}
