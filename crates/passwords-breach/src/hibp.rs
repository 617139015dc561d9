//! The `hibp` provider: the Have I Been Pwned k-anonymity range API.
//!
//! Only the first five hex digits of a hash leave the server: `GET <url with :range replaced>`
//! answers `SUFFIX:COUNT` lines for every listed hash with that prefix. Requests carry
//! `Add-Padding: true`, so the answer is padded with fake suffixes whose count is 0; those are
//! dropped. 404 is an empty range. Everything else that is not a 200 with a well-formed body
//! (a 5xx, a refused connection, a timeout, a malformed line) is [`BreachError::Unavailable`]:
//! the password is saved as `NOT_CHECKED` and checked again later, never refused.

use std::time::Duration;

use async_trait::async_trait;

use crate::{is_hex, BreachError, BreachProvider};

/// The reference's default URL.
pub const DEFAULT_URL: &str = "https://api.pwnedpasswords.com/range/:range";
/// The placeholder in the URL that becomes the 5-hex prefix.
pub const PLACEHOLDER: &str = ":range";
/// How long a range request may take by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// Largest accepted response body: the real API answers about 100 KB per range.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// An HTTP client for range requests. Cheap to clone (clones share the connection pool).
#[derive(Clone, Debug)]
pub struct HibpClient {
    http: reqwest::Client,
}

impl HibpClient {
    pub fn new() -> Result<Self, BreachError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("passwords-server/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| BreachError::Unavailable(format!("cannot create an HTTP client: {e}")))?;
        Ok(Self { http })
    }

    /// A provider asking `url` (with [`PLACEHOLDER`]) with this client.
    pub fn provider(&self, url: &str, timeout: Duration) -> HibpProvider {
        HibpProvider {
            client: self.clone(),
            url: url.to_owned(),
            timeout,
        }
    }
}

/// The `hibp` provider for one URL and timeout.
#[derive(Clone, Debug)]
pub struct HibpProvider {
    client: HibpClient,
    url: String,
    timeout: Duration,
}

impl HibpProvider {
    /// Every listed hash (40 lower-case hex digits) starting with the 5 hex digits `prefix`,
    /// padding removed, sorted.
    pub async fn range(&self, prefix: &str) -> Result<Vec<String>, BreachError> {
        if prefix.len() != 5 || !is_hex(prefix) {
            return Err(BreachError::Unavailable(format!(
                "not a 5-hex range: {prefix:?}"
            )));
        }
        if !self.url.contains(PLACEHOLDER) {
            return Err(BreachError::Unavailable(
                "the HIBP URL has no :range placeholder".into(),
            ));
        }
        let upper = prefix.to_ascii_uppercase();
        let url = self.url.replace(PLACEHOLDER, &upper);
        // Not the prefix: it is part of a user's password hash, and this message reaches
        // logs and the system report (`lastSecurityCheckError`).
        let unavailable = |what: String| BreachError::Unavailable(format!("HIBP range: {what}"));
        let mut response = self
            .client
            .http
            .get(&url)
            .header("Add-Padding", "true")
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| unavailable(describe(e)))?;
        match response.status().as_u16() {
            200 => {}
            404 => return Ok(Vec::new()),
            code => return Err(unavailable(format!("HTTP {code}"))),
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| unavailable(describe(e)))?
        {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(unavailable("response too large".into()));
            }
            body.extend_from_slice(&chunk);
        }
        let mut hashes = parse_range(prefix, &body).map_err(unavailable)?;
        hashes.sort_unstable();
        hashes.dedup();
        Ok(hashes)
    }
}

/// The cause of a failed request, without the URL (it may carry credentials).
fn describe(e: reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "cannot connect".into()
    } else {
        e.without_url().to_string()
    }
}

/// `SUFFIX:COUNT` lines (LF or CRLF) → full lower-case hashes; count 0 (padding) dropped.
pub fn parse_range(prefix: &str, body: &[u8]) -> Result<Vec<String>, String> {
    let text = std::str::from_utf8(body).map_err(|_| "the response is not text".to_owned())?;
    let prefix = prefix.to_ascii_lowercase();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let bad = || format!("malformed line {}", n + 1);
        let (suffix, count) = line.split_once(':').ok_or_else(bad)?;
        if suffix.len() != 35 || !is_hex(suffix) {
            return Err(bad());
        }
        let count: u64 = count.trim().parse().map_err(|_| bad())?;
        if count == 0 {
            continue;
        }
        let mut hash = String::with_capacity(40);
        hash.push_str(&prefix);
        hash.push_str(&suffix.to_ascii_lowercase());
        out.push(hash);
    }
    Ok(out)
}

#[async_trait]
impl BreachProvider for HibpProvider {
    fn name(&self) -> &'static str {
        "hibp"
    }

    /// A hash of fewer than 5 digits (a very short user hash length) is looked up in its first
    /// range only (`abc` → range `abc00`); the real list has entries in every range, so it is
    /// breached either way.
    async fn is_breached(&self, hash: &str) -> Result<bool, BreachError> {
        if hash.is_empty() || hash.len() > 40 || !is_hex(hash) {
            return Ok(false);
        }
        let hash = hash.to_ascii_lowercase();
        let mut prefix = hash.chars().take(5).collect::<String>();
        while prefix.len() < 5 {
            prefix.push('0');
        }
        let range = self.range(&prefix).await?;
        Ok(range.iter().any(|h| h.starts_with(&hash)))
    }

    async fn hashes(&self, prefix: &str) -> Result<Vec<String>, BreachError> {
        if !(5..=40).contains(&prefix.len()) || !is_hex(prefix) {
            return Ok(Vec::new());
        }
        let prefix = prefix.to_ascii_lowercase();
        let mut range = self.range(&prefix[..5]).await?;
        range.retain(|h| h.starts_with(&prefix));
        Ok(range)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_and_drops_padding() {
        let body = b"1E4C9B93F3F0682250B6CF8331B7EE68FD8:3861493\r\n\
                     00000000000000000000000000000000000:0\r\n\
                     0018A45C4D1DEF81644B54AB7F969B88D65:10\n";
        let hashes = parse_range("5BAA6", body).unwrap();
        assert_eq!(
            hashes,
            [
                "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8",
                "5baa60018a45c4d1def81644b54ab7f969b88d65"
            ]
        );
        assert!(parse_range("5baa6", b"nonsense\n").is_err());
        assert!(parse_range("5baa6", b"1E4C9B93F3F0682250B6CF8331B7EE68FD8:x\n").is_err());
        assert!(parse_range("5baa6", b"1E4C:3\n").is_err());
        assert!(parse_range("5baa6", b"").unwrap().is_empty());
    }
}
