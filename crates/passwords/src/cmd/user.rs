//! `passwords user delete|move`: all passwords data of a user, deleted or handed to another
//! account, with the reference's confirmations and exit codes.

use std::io::Write;

use passwords_core::admin::users::{self, DeleteUserOptions, MoveStep, MoveUserOptions};

use crate::cli::UserCommand;
use crate::cmd::account::parse_uid;
use crate::context::Context;
use crate::interact::{declined, Prompter};

/// Exit code of a declined `user delete`.
const DELETE_DECLINED: u8 = 1;
/// Exit codes of `user move`: move declined, source without data, deleting the target's
/// data declined.
const MOVE_DECLINED: u8 = 2;
const MOVE_NO_DATA: u8 = 3;
const MOVE_TARGET_KEPT: u8 = 4;

pub async fn run(ctx: &Context, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Delete {
            user,
            no_interaction,
        } => delete(ctx, &user, no_interaction).await,
        UserCommand::Move {
            source_user,
            target_user,
            no_interaction,
        } => move_data(ctx, &source_user, &target_user, no_interaction).await,
    }
}

/// Prints `text` without a line end, for ` done` to follow.
fn begin(text: &str) -> anyhow::Result<()> {
    print!("{text}");
    std::io::stdout().flush()?;
    Ok(())
}

async fn delete(ctx: &Context, user: &str, no_interaction: bool) -> anyhow::Result<()> {
    let prompter = Prompter::start(no_interaction)?;
    let store = &*ctx.store;
    let mut uid = parse_uid(user)?;
    let mut account = users::find_account(store, &uid).await?;
    if account.is_none() {
        match users::find_account_ignoring_case(store, &uid).await? {
            Some(other) => {
                println!(
                    "❗❗❗ Found user \"{}\" for user id \"{uid}\" but it has the id \"{}\" \
                     instead ❗❗❗",
                    other.display_name, other.uid
                );
                if !prompter.interactive() {
                    println!("ignoring");
                    println!();
                } else {
                    let question = format!(
                        "Type \"change\" to change the user id to \"{}\": ",
                        other.uid
                    );
                    if prompter.ask(&question)?.trim() == "change" {
                        println!("Changed user id to {}", other.uid);
                        uid = other.uid.clone();
                        account = Some(other);
                    } else {
                        println!("Continuing with {uid}");
                    }
                }
            }
            None => {
                println!(
                    "Found no user for id \"{uid}\" in database, will continue with provided \
                     user id."
                );
                println!(
                    "If you are sure that the user was not deleted and should exist, you might \
                     have the wrong id."
                );
                println!();
            }
        }
    }
    let name = account.map_or_else(|| uid.to_string(), |a| a.display_name);
    let question =
        format!("This command will delete all data for the passwords app from \"{name}\"");
    if !prompter.confirm(&question)? {
        return Err(declined(DELETE_DECLINED));
    }
    begin("Deleting passwords app data ...")?;
    users::delete_user_data(store, &ctx.keys, DeleteUserOptions { uid }).await?;
    println!(" done");
    Ok(())
}

async fn move_data(
    ctx: &Context,
    source: &str,
    target: &str,
    no_interaction: bool,
) -> anyhow::Result<()> {
    let prompter = Prompter::start(no_interaction)?;
    let store = &*ctx.store;
    let (source, target) = (parse_uid(source)?, parse_uid(target)?);
    let plan = users::plan_move(store, &source, &target).await?;
    let (from, to) = (&plan.source.display_name, &plan.target.display_name);
    if !prompter.confirm(&format!(
        "This command will move all data from \"{from}\" to \"{to}\""
    ))? {
        return Err(declined(MOVE_DECLINED));
    }
    if !plan.source_data.has_data() {
        println!("The user \"{from}\" has no data.");
        return Err(declined(MOVE_NO_DATA));
    }
    let replace = plan.target_data.has_data();
    if replace {
        if !prompter.confirm(&format!(
            "The existing data of \"{to}\" will be deleted permanently"
        ))? {
            return Err(declined(MOVE_TARGET_KEPT));
        }
        begin("Deleting data ...")?;
    } else {
        begin("Moving data ...")?;
    }
    let options = MoveUserOptions {
        source,
        target,
        replace_target_data: replace,
    };
    let progress = |step: MoveStep| match step {
        MoveStep::TargetDataDeleted => {
            println!(" done");
            print!("Moving data ...");
            let _ = std::io::stdout().flush();
        }
    };
    users::move_user_data(store, &ctx.keys, options, &progress).await?;
    println!(" done");
    Ok(())
}
