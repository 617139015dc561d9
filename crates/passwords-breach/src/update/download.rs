//! Streaming the update file to disk: bounded memory, a size limit and timeouts.

use std::path::Path;
use std::time::Duration;

use reqwest::Url;
use tokio::io::AsyncWriteExt;

use super::UpdateError;
use crate::process::Progress;

/// Limits of a download.
#[derive(Clone, Debug)]
pub struct DownloadLimits {
    /// Largest file accepted, in bytes.
    pub max_bytes: u64,
    /// Time to open the connection.
    pub connect_timeout: Duration,
    /// Longest wait for the next piece of the body (or the response headers).
    pub idle_timeout: Duration,
    /// Time for the whole download.
    pub total_timeout: Duration,
}

impl Default for DownloadLimits {
    fn default() -> Self {
        Self {
            // The reference's 25 M file is about 0.6 GB; the whole corpus as such a zip ~45 GB.
            max_bytes: 64 * 1024 * 1024 * 1024,
            connect_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(120),
            total_timeout: Duration::from_secs(4 * 3600),
        }
    }
}

/// The URL without user name, password, query and fragment, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match Url::parse(url.trim()) {
        Ok(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.set_query(None);
            u.set_fragment(None);
            u.to_string()
        }
        Err(_) => "(invalid URL)".to_owned(),
    }
}

/// Downloads `url` (`http`, `https` or `file`) into the new file `dest`; returns its size.
/// `progress` counts bytes (the total is the announced length, or 0 if unknown). On error
/// `dest` may hold part of the file: it lives in a staging directory the caller removes.
pub async fn download(
    url: &str,
    dest: &Path,
    limits: &DownloadLimits,
    progress: &(dyn Progress + Sync),
) -> Result<u64, UpdateError> {
    let parsed = Url::parse(url.trim()).map_err(|e| UpdateError::Url(e.to_string()))?;
    let shown = redact_url(url);
    let fail = |reason: String| UpdateError::Download {
        url: shown.clone(),
        reason,
    };
    let work = async {
        match parsed.scheme() {
            "http" | "https" => fetch_http(&parsed, dest, limits, progress, &fail).await,
            "file" => copy_file(&parsed, dest, limits, progress, &fail).await,
            other => Err(UpdateError::Url(format!("unsupported scheme {other}"))),
        }
    };
    match tokio::time::timeout(limits.total_timeout, work).await {
        Ok(result) => result,
        Err(_) => Err(fail(format!(
            "timed out after {} s",
            limits.total_timeout.as_secs()
        ))),
    }
}

async fn fetch_http(
    url: &Url,
    dest: &Path,
    limits: &DownloadLimits,
    progress: &(dyn Progress + Sync),
    fail: &(dyn Fn(String) -> UpdateError + Sync),
) -> Result<u64, UpdateError> {
    let mut builder = reqwest::Client::builder()
        .connect_timeout(limits.connect_timeout)
        .user_agent(concat!("passwords-server/", env!("CARGO_PKG_VERSION")));
    let loopback = match url.host() {
        Some(url::Host::Ipv4(a)) => a.is_loopback(),
        Some(url::Host::Ipv6(a)) => a.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    if loopback {
        builder = builder.no_proxy();
    }
    let client = builder
        .build()
        .map_err(|e| fail(format!("cannot create an HTTP client: {e}")))?;
    let mut response = tokio::time::timeout(limits.idle_timeout, client.get(url.clone()).send())
        .await
        .map_err(|_| fail("no response in time".into()))?
        .map_err(|e| fail(error_chain(&e)))?;
    let status = response.status();
    if !status.is_success() {
        return Err(fail(format!("HTTP {}", status.as_u16())));
    }
    let announced = response.content_length();
    if let Some(len) = announced {
        if len > limits.max_bytes {
            return Err(UpdateError::TooLarge {
                limit: limits.max_bytes,
            });
        }
    }
    progress.start(announced.unwrap_or(0));
    let mut file = tokio::fs::File::create(dest)
        .await
        .map_err(|e| fail(format!("cannot write {}: {e}", dest.display())))?;
    let mut received = 0u64;
    loop {
        let chunk = tokio::time::timeout(limits.idle_timeout, response.chunk())
            .await
            .map_err(|_| {
                fail(format!(
                    "no data for {} s after {received} bytes",
                    limits.idle_timeout.as_secs()
                ))
            })?
            .map_err(|e| fail(format!("after {received} bytes: {}", error_chain(&e))))?;
        let Some(chunk) = chunk else { break };
        received += chunk.len() as u64;
        if received > limits.max_bytes {
            return Err(UpdateError::TooLarge {
                limit: limits.max_bytes,
            });
        }
        file.write_all(&chunk)
            .await
            .map_err(|e| fail(format!("cannot write {}: {e}", dest.display())))?;
        progress.advance(chunk.len() as u64);
    }
    if let Some(len) = announced {
        if received != len {
            return Err(fail(format!(
                "truncated: {received} of {len} bytes received"
            )));
        }
    }
    file.sync_all()
        .await
        .map_err(|e| fail(format!("cannot write {}: {e}", dest.display())))?;
    progress.finish();
    Ok(received)
}

async fn copy_file(
    url: &Url,
    dest: &Path,
    limits: &DownloadLimits,
    progress: &(dyn Progress + Sync),
    fail: &(dyn Fn(String) -> UpdateError + Sync),
) -> Result<u64, UpdateError> {
    let path = url
        .to_file_path()
        .map_err(|()| UpdateError::Url("not a local file path".into()))?;
    let len = tokio::fs::metadata(&path)
        .await
        .map_err(|e| fail(e.to_string()))?
        .len();
    if len > limits.max_bytes {
        return Err(UpdateError::TooLarge {
            limit: limits.max_bytes,
        });
    }
    progress.start(len);
    let copied = tokio::fs::copy(&path, dest)
        .await
        .map_err(|e| fail(e.to_string()))?;
    progress.advance(copied);
    progress.finish();
    Ok(copied)
}

/// An error with its causes ("error sending request: connection refused").
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}
