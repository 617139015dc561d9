//! `passwords pwned-list process`: the reference's checks and messages (occ
//! `passwords:pwned-list:process`), then an import into `<data-dir>/breached/` (or an export).
//! `passwords pwned-list update`: the update file from `service.security.local.url`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::bail;
use passwords_breach::export;
use passwords_breach::process::{self, Progress};
use passwords_core::backup::Progress as _;
use passwords_core::breach_update::{self, UpdateOptions, UpdateOutcome};

use crate::cli::PwnedListCommand;
use crate::config::Settings;
use crate::context::Context;
use crate::progress::Bar;

/// The local database's directory inside the data directory.
pub fn breach_dir(settings: &Settings) -> PathBuf {
    breach_update::breach_dir(&settings.data_dir)
}

pub async fn run(settings: &Settings, command: PwnedListCommand) -> anyhow::Result<ExitCode> {
    match command {
        PwnedListCommand::Process { file, size, mode } => {
            let file = file.unwrap_or_else(|| PathBuf::from("pwnedpasswords.txt"));
            let Some(path) = readable(&file) else {
                bail!("File not found or not readable: {}", file.display());
            };
            let size = php_intval(&size);
            if size < 1 {
                bail!("Invalid size specified: {size}");
            }
            if !matches!(mode.as_str(), "import" | "json" | "gzip" | "file") {
                bail!("Invalid mode specified: {mode}");
            }
            // `file` is the best format available, which is always gzip (zlib) here.
            let mode = if mode == "file" {
                "gzip".to_owned()
            } else {
                mode
            };
            if mode != "import" {
                return export_zip(&path, size as u64, &mode).await;
            }
            // The type and version are recorded in the settings database: open it first, so
            // that an unreachable database stops the command before any work.
            let ctx = Context::open(settings.clone()).await?;
            println!(
                "Importing {size} million entries from {} in import mode.",
                path.display()
            );
            let dir = breach_dir(settings);
            let n = (size as u64).saturating_mul(1_000_000);
            let summary = tokio::task::spawn_blocking(move || {
                let bar = BreachBar(Bar::with_message("Processing"));
                process::import(&path, n, &dir, &bar)
            })
            .await?;
            let summary = match summary {
                Ok(s) => s,
                Err(e) => {
                    ctx.store.close().await;
                    return Err(e.into());
                }
            };
            let recorded = breach_update::record_import(&*ctx.store).await;
            ctx.store.close().await;
            recorded?;
            println!(
                "Stored {} hashes ({} of {} lines taken) in {}",
                summary.stored,
                summary.taken,
                summary.lines,
                summary.path.display()
            );
            println!("Password database updated to v16");
        }
        PwnedListCommand::Update { force } => return update(settings, force).await,
    }
    Ok(ExitCode::SUCCESS)
}

/// `pwned-list update [--force]`: downloads and installs the update file now.
async fn update(settings: &Settings, force: bool) -> anyhow::Result<ExitCode> {
    let ctx = Context::open(settings.clone()).await?;
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default();
    let mut options = UpdateOptions::new(
        breach_dir(settings),
        format!("{host}:{}:cli", std::process::id()),
    );
    options.force = force;
    options.download_progress = Arc::new(BreachBar(Bar::with_message("Downloading")));
    options.install_progress = Arc::new(BreachBar(Bar::with_message("Installing")));
    let result = tokio::select! {
        r = breach_update::update_now(&*ctx.store, &options) => Some(r),
        _ = tokio::signal::ctrl_c() => None,
    };
    let Some(result) = result else {
        // The staging directory is gone with the dropped update; free the lease.
        let _ = breach_update::release(&*ctx.store, &options).await;
        ctx.store.close().await;
        bail!("Interrupted: the breached passwords database was not changed");
    };
    ctx.store.close().await;
    match result? {
        UpdateOutcome::Installed(s) => {
            println!("Downloaded {} ({} bytes)", s.url, s.bytes);
            println!(
                "Installed {} hashes ({} read from {} entries) in {}",
                s.stored,
                s.hashes,
                s.entries,
                s.path.display()
            );
            println!("Password database updated to v{}", s.version);
        }
        UpdateOutcome::UpToDate { version } => {
            println!(
                "The breached passwords database is up to date (v{version}); --force downloads it again"
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `--mode json|gzip`: `<size>m-v16-<mode>.zip` in the current directory.
async fn export_zip(path: &Path, size: u64, mode: &str) -> anyhow::Result<ExitCode> {
    println!(
        "Processing {size} million entries from {} in {mode} mode.",
        path.display()
    );
    let format = if mode == "gzip" {
        export::Format::Gzip
    } else {
        export::Format::Json
    };
    let name = export::file_name(size, format);
    println!("Creating export file…");
    let path = path.to_path_buf();
    let out = name.clone();
    tokio::task::spawn_blocking(move || {
        let bar = BreachBar(Bar::with_message("Processing"));
        export::export(
            &path,
            size.saturating_mul(1_000_000),
            Path::new("."),
            &out,
            format,
            &bar,
        )
    })
    .await??;
    println!("Created {name}");
    Ok(ExitCode::SUCCESS)
}

/// The canonical path of a readable regular file.
fn readable(file: &Path) -> Option<PathBuf> {
    let path = std::fs::canonicalize(file).ok()?;
    (path.is_file() && std::fs::File::open(&path).is_ok()).then_some(path)
}

/// PHP's `(int)` of a string: optional sign and leading digits after leading whitespace,
/// anything else 0 (so `abc` is 0 and `12abc` is 12).
fn php_intval(s: &str) -> i64 {
    let t = s.trim_start();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let mut v: i64 = 0;
    for d in digits.bytes().take_while(u8::is_ascii_digit) {
        v = v.saturating_mul(10).saturating_add(i64::from(d - b'0'));
    }
    if neg {
        -v
    } else {
        v
    }
}

/// The terminal bar, counting bytes of both passes.
struct BreachBar(Bar);

impl Progress for BreachBar {
    fn start(&self, total: u64) {
        self.0.start(total);
    }
    fn advance(&self, bytes: u64) {
        self.0.advance(bytes);
    }
    fn finish(&self) {
        self.0.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::php_intval;

    #[test]
    fn intval_reads_like_php() {
        assert_eq!(php_intval("25"), 25);
        assert_eq!(php_intval("abc"), 0);
        assert_eq!(php_intval("12abc"), 12);
        assert_eq!(php_intval(" -3"), -3);
        assert_eq!(php_intval(""), 0);
    }
}
