//! Who is on the other end: the client IP (through trusted proxies) and whether the request
//! came over HTTPS.

use std::net::{IpAddr, SocketAddr};

use axum::extract::connect_info::MockConnectInfo;
use axum::extract::ConnectInfo;
use axum::http::request::Parts;

use crate::state::ServerOptions;

/// The network facts of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Peer {
    /// The client's address: the TCP peer, or the last `X-Forwarded-For` hop behind a trusted
    /// proxy.
    pub ip: IpAddr,
    /// The request is allowed to use the API: HTTPS, loopback, or a trusted HTTPS proxy.
    pub secure: bool,
    /// The client reached this server over HTTPS (here, or at a trusted proxy).
    pub https: bool,
    /// The request came through a trusted proxy (its `X-Forwarded-*` headers are believed).
    pub proxied: bool,
}

impl Peer {
    pub fn from_parts(parts: &Parts, options: &ServerOptions) -> Self {
        // `MockConnectInfo` stands in for the connection in in-process tests.
        let tcp = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .or_else(|| {
                parts
                    .extensions
                    .get::<MockConnectInfo<SocketAddr>>()
                    .map(|c| c.0.ip())
            })
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        let tcp = canonical(tcp);
        let trusted = options.trusted_proxies.iter().any(|p| canonical(*p) == tcp);
        let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let forwarded_https = trusted
            && header("x-forwarded-proto").is_some_and(|p| {
                p.split(',')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .eq_ignore_ascii_case("https")
            });
        let ip = if trusted {
            header("x-forwarded-for")
                .and_then(|v| v.rsplit(',').next())
                .and_then(|s| s.trim().parse::<IpAddr>().ok())
                .map(canonical)
                .unwrap_or(tcp)
        } else {
            tcp
        };
        let https = options.tls || forwarded_https;
        Peer {
            ip,
            secure: https || tcp.is_loopback(),
            https,
            proxied: trusted,
        }
    }
}

/// IPv4-mapped IPv6 addresses as plain IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}
