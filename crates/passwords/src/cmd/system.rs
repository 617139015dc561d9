//! `passwords system report`: the system report as JSON on stdout.

use passwords_core::admin::report::{self, HostFacts, ReportOptions};

use crate::cli::SystemCommand;
use crate::context::Context;

pub async fn run(ctx: &Context, command: SystemCommand) -> anyhow::Result<()> {
    match command {
        SystemCommand::Report { sections, basic } => {
            let options = ReportOptions {
                sections,
                basic,
                host: host_facts(ctx),
            };
            let report = report::system_report(&*ctx.store, options).await?;
            println!("{}", report.to_json()?);
        }
    }
    Ok(())
}

/// This build and the parts of the configuration the report shows (never a secret).
fn host_facts(ctx: &Context) -> HostFacts {
    let s = &ctx.settings;
    let version = env!("CARGO_PKG_VERSION");
    HostFacts {
        app_version: version.to_owned(),
        build: format!(
            "passwords {version} ({}, {}, {})",
            env!("PASSWORDS_BUILD_TARGET"),
            env!("PASSWORDS_BUILD_PROFILE"),
            env!("PASSWORDS_BUILD_RUSTC")
        ),
        tls: s.tls_cert.is_some() && s.tls_key.is_some(),
        trusted_proxies: !s.trusted_proxies.is_empty(),
        data_dir: Some(s.data_dir.clone()),
    }
}
