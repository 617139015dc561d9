//! Counting failed logins per account and per client IP within a sliding window.
//!
//! In memory, per server process. Past the limit every attempt from that IP or for that
//! account is refused with the seconds until the oldest failure leaves the window.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::{CoreError, CoreResult};

const MAX_KEYS: usize = 200_000;

/// Limits of the failure throttle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThrottleLimits {
    pub per_account: usize,
    pub per_ip: usize,
    pub window: Duration,
}

impl Default for ThrottleLimits {
    fn default() -> Self {
        Self {
            per_account: 10,
            per_ip: 100,
            window: Duration::from_secs(15 * 60),
        }
    }
}

#[derive(Default)]
struct Failures {
    accounts: HashMap<String, VecDeque<Instant>>,
    ips: HashMap<IpAddr, VecDeque<Instant>>,
}

/// The failure counters. Cheap to clone; clones share the counters.
#[derive(Clone)]
pub struct Throttle {
    limits: ThrottleLimits,
    state: Arc<Mutex<Failures>>,
}

impl Throttle {
    pub fn new(limits: ThrottleLimits) -> Self {
        Self {
            limits,
            state: Arc::default(),
        }
    }

    /// Refuses if the IP is over its limit.
    pub fn check_ip(&self, ip: IpAddr) -> CoreResult<()> {
        let mut s = self.lock();
        check(s.ips.get_mut(&ip), self.limits.per_ip, self.limits.window)
    }

    /// Refuses if the account is over its limit.
    pub fn check_account(&self, login: &str) -> CoreResult<()> {
        let mut s = self.lock();
        check(
            s.accounts.get_mut(login),
            self.limits.per_account,
            self.limits.window,
        )
    }

    /// Counts one failure against both.
    pub fn record_failure(&self, login: &str, ip: IpAddr) {
        let now = Instant::now();
        let window = self.limits.window;
        let mut s = self.lock();
        if s.accounts.len() + s.ips.len() >= MAX_KEYS {
            s.accounts.retain(|_, q| prune(q, window));
            s.ips.retain(|_, q| prune(q, window));
        }
        let login: String = login.chars().take(128).collect();
        push(
            s.accounts.entry(login).or_default(),
            now,
            self.limits.per_account,
        );
        push(s.ips.entry(ip).or_default(), now, self.limits.per_ip);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Failures> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn push(q: &mut VecDeque<Instant>, now: Instant, limit: usize) {
    q.push_back(now);
    while q.len() > limit.max(1) {
        q.pop_front();
    }
}

/// Drops failures older than the window; returns whether any remain.
fn prune(q: &mut VecDeque<Instant>, window: Duration) -> bool {
    while q.front().is_some_and(|t| t.elapsed() >= window) {
        q.pop_front();
    }
    !q.is_empty()
}

fn check(q: Option<&mut VecDeque<Instant>>, limit: usize, window: Duration) -> CoreResult<()> {
    let Some(q) = q else { return Ok(()) };
    prune(q, window);
    if limit == 0 || q.len() < limit {
        return Ok(());
    }
    let oldest = q.front().map(|t| t.elapsed()).unwrap_or_default();
    let wait = window.saturating_sub(oldest).as_secs().max(1);
    Err(CoreError::Throttled { retry_after: wait })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(n: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, n])
    }

    #[test]
    fn account_limit_then_window_expiry() {
        let t = Throttle::new(ThrottleLimits {
            per_account: 3,
            per_ip: 100,
            window: Duration::from_millis(200),
        });
        for i in 0..3 {
            assert!(t.check_account("alice").is_ok());
            t.record_failure("alice", ip(i));
        }
        match t.check_account("alice") {
            Err(CoreError::Throttled { retry_after }) => assert!(retry_after >= 1),
            other => panic!("expected throttling, got {other:?}"),
        }
        assert!(t.check_account("bob").is_ok());
        std::thread::sleep(Duration::from_millis(250));
        assert!(t.check_account("alice").is_ok());
    }

    #[test]
    fn ip_limit_counts_across_accounts() {
        let t = Throttle::new(ThrottleLimits {
            per_account: 100,
            per_ip: 2,
            window: Duration::from_secs(60),
        });
        t.record_failure("a", ip(1));
        t.record_failure("b", ip(1));
        assert!(t.check_ip(ip(1)).is_err());
        assert!(t.check_ip(ip(2)).is_ok());
    }
}
