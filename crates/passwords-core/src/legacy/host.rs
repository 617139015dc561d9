//! The host part of an address, the way the reference app extracts it (PHP `parse_url`),
//! and the auto-generated label `host – loginname`.

/// The host of `address`: `scheme://[user[:pw]@]host[:port]/…`, `//host/…` or `host:port[/…]`
/// (numeric port, no scheme). Anything else, including malformed input, has no host.
pub fn host_of(address: &str) -> Option<String> {
    host_str(address).map(str::to_owned)
}

/// [`host_of`], borrowed from `address`.
pub fn host_str(address: &str) -> Option<&str> {
    let a = address.trim();
    let rest = if let Some(r) = a.strip_prefix("//") {
        r
    } else if let Some(pos) = a.find("://") {
        let scheme = &a[..pos];
        let valid_scheme = !scheme.is_empty()
            && scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if !valid_scheme {
            return None;
        }
        &a[pos + 3..]
    } else {
        // `host:1234` or `host:1234/path`: a numeric port makes the part before it a host.
        let (head, _) = a.split_once('/').unwrap_or((a, ""));
        let (host, port) = head.split_once(':')?;
        if host.is_empty() || port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return valid_host(host).then_some(host);
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        let end = host_port.find(']')?;
        &host_port[..=end]
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    (!host.is_empty() && valid_host(host)).then_some(host)
}

fn valid_host(host: &str) -> bool {
    !host.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The label the reference generates: host, a space, an EN DASH, a space, the login name.
pub fn auto_label(address: &str, loginname: &str) -> String {
    format!(
        "{} \u{2013} {}",
        host_of(address).unwrap_or_default(),
        loginname
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        let h = |s: &str| host_of(s);
        assert_eq!(h("https://github.com/login"), Some("github.com".into()));
        assert_eq!(
            h("https://user:pw@Example.COM:8443/x?y"),
            Some("Example.COM".into())
        );
        assert_eq!(h("http://[::1]:80/"), Some("[::1]".into()));
        assert_eq!(h("//host.example/path"), Some("host.example".into()));
        assert_eq!(h("host:1234"), Some("host".into()));
        assert_eq!(h("host:1234/path"), Some("host".into()));
        assert_eq!(h("example.com"), None);
        assert_eq!(h("www.x.y/login"), None);
        assert_eq!(h(""), None);
        assert_eq!(h("mailto:a@b"), None);
        assert_eq!(h("http://"), None);
        assert_eq!(h("http:///x"), None);
    }

    #[test]
    fn labels() {
        assert_eq!(
            auto_label("https://github.com/login", "alice"),
            "github.com \u{2013} alice"
        );
        assert_eq!(auto_label("", "alice"), " \u{2013} alice");
        assert_eq!(auto_label("", ""), " \u{2013} ");
    }
}
