//! `passwords backup …`: create, list, delete, export, import and restore backups, with the
//! reference's messages (occ `passwords:backup:*`).

use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use passwords_core::backup::create::{create_backup, CreateOptions};
use passwords_core::backup::files::human_size;
use passwords_core::backup::manage::{
    delete_backup, describe, export_backup, import_backup, list_backups,
};
use passwords_core::backup::reference::{
    import_reference, is_reference_backup, ReferenceOptions, ReferenceSummary,
};
use passwords_core::backup::restore::{prepare_restore, RestoreOptions};
use passwords_core::backup::{BackupDir, Kind};
use passwords_core::clock::now;
use passwords_core::crypto::{InstanceKey, InstanceKeySource};
use passwords_types::UserId;
use zeroize::Zeroizing;

use crate::cli::BackupCommand;
use crate::context::Context;
use crate::interact::{declined, Exit, Prompter};
use crate::progress::Bar;

/// Exit code of a declined restore (the reference's).
const EXIT_DECLINED: u8 = 2;

pub async fn run(ctx: &Context, command: BackupCommand) -> anyhow::Result<()> {
    let dir = BackupDir::new(&ctx.settings.data_dir);
    match command {
        BackupCommand::Create { name } => {
            let options = CreateOptions {
                name,
                kind: Kind::Manual,
                now: now(),
            };
            let s = create_backup(&*ctx.store, &ctx.keys, &dir, options, &Bar::new()).await?;
            println!(
                "Created new backup: {}, {} compressed",
                s.label,
                human_size(s.size)
            );
        }
        BackupCommand::List { details } => list(&dir, details)?,
        BackupCommand::Delete { name } => {
            let file = delete_backup(&dir, &name)?;
            println!("Deleted: {}", file.label);
        }
        BackupCommand::Export { name, file } => {
            let cwd = std::env::current_dir().context("cannot read the current directory")?;
            let path = export_backup(&dir, &name, file.as_deref(), &cwd)?;
            println!("Exported backup to {}", path.display());
        }
        BackupCommand::Import {
            file,
            instance_secret_file,
            map_user,
        } => {
            if is_reference_backup(&file) {
                let options = ReferenceOptions {
                    instance_secret: match instance_secret_file {
                        Some(path) => Some(read_secret(&path)?),
                        None => None,
                    },
                    map_users: map_user,
                    now: now(),
                };
                let bar = Bar::with_message("Converting the Nextcloud backup ...");
                let s = tokio::task::block_in_place(|| {
                    import_reference(&dir, &ctx.keys, &file, &options, &bar)
                })?;
                print_reference(&s);
            } else {
                if instance_secret_file.is_some() || !map_user.is_empty() {
                    anyhow::bail!(
                        "--instance-secret-file and --map-user apply only to backups of the \
                         Nextcloud Passwords app, and {} is not one",
                        file.display()
                    );
                }
                let s = import_backup(&dir, &file)?;
                println!(
                    "Imported backup: {}, {} compressed",
                    s.label,
                    human_size(s.size)
                );
            }
        }
        BackupCommand::Restore {
            name,
            user,
            no_data,
            no_user_settings,
            no_app_settings,
            instance_key_file,
            no_interaction,
        } => {
            let prompter = Prompter::start(no_interaction)?;
            let user = match user {
                Some(u) => Some(
                    UserId::parse(&u)
                        .map_err(|e| anyhow::anyhow!("Invalid user id \"{u}\": {e}"))?,
                ),
                None => None,
            };
            let source_instance = match instance_key_file {
                Some(path) => Some(Arc::new(load_key(&path)?)),
                None => None,
            };
            let options = RestoreOptions {
                label: name,
                user,
                data: !no_data,
                user_settings: !no_user_settings,
                app_settings: !no_app_settings,
                source_instance,
            };
            restore(ctx, &dir, &prompter, options).await?;
        }
    }
    Ok(())
}

fn list(dir: &BackupDir, details: bool) -> anyhow::Result<()> {
    let files = list_backups(dir)?;
    if files.is_empty() {
        println!("No backups found");
        return Ok(());
    }
    println!("The following backups are available:");
    for file in files {
        let kind = match file.kind {
            Kind::Manual => "",
            Kind::Automatic => ", automatic",
        };
        println!(
            "  {:<20}  {} compressed{kind}",
            file.label,
            human_size(file.size)
        );
        if details {
            match describe(file).content {
                Ok((header, counts)) => {
                    println!("    Version {}", header.version);
                    for (n, what) in [
                        (counts.users, "users"),
                        (counts.passwords, "passwords"),
                        (counts.folders, "folders"),
                        (counts.tags, "tags"),
                        (counts.shares, "shares"),
                        (0, "keychains"),
                        (0, "challenges"),
                    ] {
                        println!("    {:<5} {what}", n);
                    }
                }
                Err(e) => println!("    Error {e}"),
            }
        }
    }
    Ok(())
}

/// The Nextcloud instance secret from a file (surrounding white space removed).
fn read_secret(path: &Path) -> anyhow::Result<Zeroizing<String>> {
    let text = Zeroizing::new(
        std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the instance secret file {}", path.display()))?,
    );
    let secret = Zeroizing::new(text.trim().to_owned());
    if secret.is_empty() {
        anyhow::bail!("The instance secret file {} is empty", path.display());
    }
    Ok(secret)
}

/// The import of a Nextcloud backup: what each user gets, then what is left out.
fn print_reference(s: &ReferenceSummary) {
    println!(
        "Imported backup: {}, {} compressed (converted from a Nextcloud Passwords backup, \
         version {})",
        s.label,
        human_size(s.size),
        s.version
    );
    for (uid, c) in &s.users {
        println!(
            "  {uid}: {} passwords ({} revisions), {} folders ({} revisions), {} tags ({} \
             revisions), {} shares, {} tag links, {} settings",
            c.passwords,
            c.password_revisions,
            c.folders,
            c.folder_revisions,
            c.tags,
            c.tag_revisions,
            c.shares,
            c.relations,
            c.settings
        );
    }
    for w in &s.warnings {
        eprintln!("Warning: {w}");
    }
    println!(
        "Bring it in with: passwords backup restore {} (accounts that do not exist here are \
         created disabled)",
        s.label
    );
}

fn load_key(path: &Path) -> anyhow::Result<InstanceKey> {
    InstanceKey::load(&InstanceKeySource::File {
        path: path.to_owned(),
        create: false,
    })
    .with_context(|| format!("cannot read the instance key {}", path.display()))
}

async fn restore(
    ctx: &Context,
    dir: &BackupDir,
    prompter: &Prompter,
    options: RestoreOptions,
) -> anyhow::Result<()> {
    // The backup must exist before anything else is said.
    let label = dir.find(&options.label)?.label;
    println!("This backup file will be used: {label}");
    println!();
    println!("The following will be restored:");
    if let Some(user) = &options.user {
        println!(" - Only data for '{user}'");
    }
    if options.data {
        println!(" - User encryption keys");
        println!(" - User passwords, folder, tags and shares");
    }
    if options.restores_app_settings() {
        println!(" - Application settings");
    }
    if options.user_settings {
        println!(" - User settings");
    }
    if !options.restores_anything() {
        println!(" - nothing");
        return Err(Exit::silent(1).into());
    }
    println!();
    if options.data {
        println!("Restoring user data means that the current user data will be wiped.");
    }
    // Everything is checked before the question: a doomed restore is never offered.
    let prepared = prepare_restore(dir, &ctx.keys, options).await?;
    if !prompter.confirm(&format!("The backup \"{label}\" will now be restored"))? {
        return Err(declined(EXIT_DECLINED));
    }
    // On a terminal the bar carries the message, and the finished line replaces it.
    let bar = Bar::with_message("Restoring backup ...");
    if !bar.visible() {
        print!("Restoring backup ...");
        std::io::Write::flush(&mut std::io::stdout())?;
    }
    prepared.apply(&*ctx.store, &ctx.keys, &bar).await?;
    if bar.visible() {
        println!("Restoring backup ... done");
    } else {
        println!(" done");
    }
    Ok(())
}
