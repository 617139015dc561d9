//! Request extractors and the checks that run before handlers: the peer, HTTPS, credentials,
//! and the legacy parameter bag.

pub mod auth;
pub mod params;
pub mod peer;
