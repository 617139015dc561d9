//! The `server.*` settings of API v1: read-only facts about this server.

use serde_json::Value;

/// The reference app's version whose API this server speaks (`server.app.version`).
pub const APP_VERSION: &str = "2026.7";
/// The Nextcloud major version reported as `server.version`.
pub const SERVER_VERSION: &str = "31";

const HANDBOOK_URL: &str =
    "https://raw.githubusercontent.com/wiki/marius-wieschollek/passwords/Users/";
const HANDBOOK_URL_WEB: &str = "https://git.mdns.eu/nextcloud/passwords/-/wikis/Users/";

/// What `server.*` needs from the request.
#[derive(Clone, Debug)]
pub struct ServerFacts {
    /// The address clients reach this server at, without a trailing slash
    /// (`https://passwords.example.com`).
    pub base_url: String,
}

/// `server.*` as a list of (key, value), in the reference's order.
pub(super) fn server_settings(facts: &ServerFacts) -> Vec<(&'static str, Value)> {
    let base = facts.base_url.trim_end_matches('/');
    vec![
        ("server.baseUrl", Value::from(format!("{base}/"))),
        (
            "server.baseUrl.webdav",
            Value::from(format!("{base}/remote.php/webdav")),
        ),
        ("server.version", Value::from(SERVER_VERSION)),
        ("server.app.version", Value::from(APP_VERSION)),
        ("server.handbook.url", Value::from(HANDBOOK_URL)),
        ("server.handbook.url.web", Value::from(HANDBOOK_URL_WEB)),
        ("server.performance", Value::from(5)),
        ("server.theme.color.primary", Value::from("#0082c9")),
        ("server.theme.color.text", Value::from("#ffffff")),
        ("server.theme.color.background", Value::from("#ffffff")),
        ("server.theme.background", Value::from("")),
        ("server.theme.logo", Value::from("")),
        ("server.theme.label", Value::from("Passwords")),
        ("server.theme.app.icon", Value::from("")),
        ("server.theme.folder.icon", Value::from("")),
        // Sharing is not offered by this server yet.
        ("server.sharing.enabled", Value::Bool(false)),
        ("server.sharing.groups.enabled", Value::Bool(false)),
        ("server.sharing.resharing", Value::Bool(false)),
        ("server.sharing.autocomplete", Value::Bool(false)),
        ("server.sharing.types", Value::from(vec!["user"])),
    ]
}

pub(super) fn server_setting(facts: &ServerFacts, key: &str) -> Value {
    // The reference's aliases of two theme keys.
    let key = match key {
        "server.theme.color" => "server.theme.color.primary",
        "server.theme.text.color" => "server.theme.color.text",
        k => k,
    };
    server_settings(facts)
        .into_iter()
        .find(|(k, _)| *k == key)
        .map_or(Value::Null, |(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_settings_satisfy_the_clients() {
        let facts = ServerFacts {
            base_url: "https://pw.example".into(),
        };
        // The browser extension refuses servers below 2024.12 (YYYY.M compared numerically).
        let version = server_setting(&facts, "server.app.version");
        let (year, month) = version.as_str().unwrap().split_once('.').unwrap();
        let (year, month): (u32, u32) = (year.parse().unwrap(), month.parse().unwrap());
        assert!(year > 2024 || (year == 2024 && month >= 12));
        assert!(server_setting(&facts, "server.theme.color.primary").is_string());
        assert_eq!(
            server_setting(&facts, "server.theme.color"),
            server_setting(&facts, "server.theme.color.primary")
        );
        assert_eq!(server_setting(&facts, "server.nope"), Value::Null);
        assert_eq!(
            server_setting(&facts, "server.baseUrl"),
            Value::from("https://pw.example/")
        );
    }
}
