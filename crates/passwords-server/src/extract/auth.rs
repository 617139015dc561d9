//! HTTP Basic credentials → the acting user and the client name recorded in revisions.

use axum::http::{header, HeaderMap};
use base64::Engine;
use passwords_core::auth::{LoginKind, Principal};
use passwords_core::vault::Actor;

use super::peer::Peer;
use crate::error::ApiError;
use crate::state::AppState;

/// Checks the request's Basic credentials and names the client.
pub async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    peer: Peer,
) -> Result<Actor, ApiError> {
    let (login, secret) = basic_credentials(headers).ok_or(ApiError::MissingCredentials)?;
    let principal = state
        .auth
        .authenticate(state.store(), &login, &secret, peer.ip)
        .await?;
    let client = client_name(&principal, &login, headers, peer);
    Ok(Actor {
        uid: principal.uid,
        client,
    })
}

/// `login` and `secret` of an `Authorization: Basic …` header.
pub fn basic_credentials(headers: &HeaderMap) -> Option<(String, zeroize::Zeroizing<String>)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = zeroize::Zeroizing::new(String::from_utf8(decoded).ok()?);
    let (login, secret) = text.split_once(':')?;
    Some((login.to_owned(), zeroize::Zeroizing::new(secret.to_owned())))
}

/// The reference's client string: the app password's name, or the cleaned `User-Agent` for
/// password logins, or `<login> via <ip>` when neither says anything.
fn client_name(p: &Principal, login: &str, headers: &HeaderMap, peer: Peer) -> String {
    match &p.kind {
        LoginKind::AppPassword(name) => {
            let name = cut(name.trim(), 256);
            if name.is_empty() || name.starts_with("CLIENT::") {
                format!("{} via Token", p.uid)
            } else {
                name
            }
        }
        LoginKind::Password => {
            let ua = headers
                .get(header::USER_AGENT)
                .map(|v| clean_user_agent(v.as_bytes()))
                .unwrap_or_default();
            if ua.is_empty() || ua.starts_with("CLIENT::") || ua.contains("Passwords Session") {
                format!("{login} via {}", peer.ip)
            } else {
                ua
            }
        }
    }
}

/// Strips `<tags>` and non-ASCII bytes, trims, and cuts to 256 bytes.
pub(crate) fn clean_user_agent(raw: &[u8]) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for &b in raw {
        match b {
            b'<' => in_tag = true,
            b'>' if in_tag => in_tag = false,
            _ if in_tag => {}
            0x20..=0x7e => out.push(b as char),
            _ => {}
        }
    }
    cut(out.trim(), 256)
}

fn cut(s: &str, max: usize) -> String {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_basic() {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            "Basic YWxpY2U6cHc6d2l0aDpjb2xvbnM=".parse().unwrap(),
        );
        let (l, s) = basic_credentials(&h).unwrap();
        assert_eq!(l, "alice");
        assert_eq!(s.as_str(), "pw:with:colons");
        h.insert(header::AUTHORIZATION, "Bearer abc".parse().unwrap());
        assert!(basic_credentials(&h).is_none());
        h.insert(header::AUTHORIZATION, "Basic !!!".parse().unwrap());
        assert!(basic_credentials(&h).is_none());
    }

    #[test]
    fn user_agents_are_cleaned() {
        assert_eq!(
            clean_user_agent(b" Firefox <b>x</b>/1 \xff "),
            "Firefox x/1"
        );
        assert_eq!(clean_user_agent(&[b'a'; 300]).len(), 256);
    }
}
