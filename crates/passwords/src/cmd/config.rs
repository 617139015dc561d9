//! `passwords config list|get|set|delete`: app settings.

use passwords_core::settings::{AppSettings, SettingValue};
use passwords_core::CoreError;

use crate::cli::ConfigCommand;
use crate::context::Context;

pub async fn run(ctx: &Context, command: ConfigCommand) -> anyhow::Result<()> {
    let store = &*ctx.store;
    match command {
        ConfigCommand::List => {
            for s in AppSettings::list(store).await? {
                println!("{}", line(&s));
            }
        }
        ConfigCommand::Get { key } => println!(
            "{}",
            AppSettings::get(store, &key).await.map_err(explain)?.value
        ),
        ConfigCommand::Set { key, value } => {
            println!(
                "{}",
                line(
                    &AppSettings::set(store, &key, &value)
                        .await
                        .map_err(explain)?
                )
            )
        }
        ConfigCommand::Delete { key } => {
            println!(
                "{}",
                line(&AppSettings::delete(store, &key).await.map_err(explain)?)
            )
        }
    }
    Ok(())
}

fn line(s: &SettingValue) -> String {
    let mut text = format!("{} = {}", s.key, s.value);
    if s.is_default {
        text.push_str(" (default)");
    }
    if !s.writable {
        text.push_str(" (read-only)");
    }
    text
}

/// Setting errors with the key and what is expected.
fn explain(e: CoreError) -> anyhow::Error {
    match e {
        CoreError::UnknownSetting(key) => anyhow::anyhow!("Unknown setting identifier: {key}"),
        CoreError::SettingNotWritable(key) => anyhow::anyhow!("Setting not writable: {key}"),
        CoreError::InvalidSettingValue { key, expected } => {
            anyhow::anyhow!("Invalid setting value for {key}: expected {expected}")
        }
        other => other.into(),
    }
}
