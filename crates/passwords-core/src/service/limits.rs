//! Per-user request limits of API v1's expensive routes (the reference's `UserRateThrottle`)
//! and of `/range`: at most `limit` requests of one user within a sliding window of `period`.
//!
//! In memory, per server process, like the login throttle. Over the limit the caller answers
//! 429 with the seconds until the oldest request leaves the window.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::{CoreError, CoreResult};

/// Users tracked before idle entries are pruned.
const PRUNE_AT: usize = 10_000;

/// One limit: `limit` requests per `period`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub limit: usize,
    pub period: Duration,
}

impl Rate {
    pub const fn per_seconds(limit: usize, seconds: u64) -> Self {
        Self {
            limit,
            period: Duration::from_secs(seconds),
        }
    }
}

/// The request times of each user for one route. Cheap to clone; clones share the counts.
#[derive(Clone)]
pub struct RateLimiter {
    rate: Rate,
    seen: Arc<Mutex<HashMap<String, VecDeque<Instant>>>>,
}

impl RateLimiter {
    pub fn new(rate: Rate) -> Self {
        Self {
            rate,
            seen: Arc::default(),
        }
    }

    /// Counts one request of `uid`, or refuses it ([`CoreError::RateLimited`]) when the user
    /// already made `limit` requests within the period. Refused requests are not counted.
    pub fn check(&self, uid: &str) -> CoreResult<()> {
        self.check_at(uid, self.rate.limit, Instant::now())
    }

    /// [`check`](Self::check) against `limit` instead of the limiter's own, for a limit that
    /// is a setting and may change while the server runs. 0 refuses every request.
    pub fn check_limit(&self, uid: &str, limit: usize) -> CoreResult<()> {
        self.check_at(uid, limit, Instant::now())
    }

    fn check_at(&self, uid: &str, limit: usize, now: Instant) -> CoreResult<()> {
        let period = self.rate.period;
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() >= PRUNE_AT && !seen.contains_key(uid) {
            seen.retain(|_, times| {
                prune(times, now, period);
                !times.is_empty()
            });
        }
        let times = seen.entry(uid.to_owned()).or_default();
        prune(times, now, period);
        if times.len() >= limit {
            let oldest = times.front().copied().unwrap_or(now);
            let wait = period.saturating_sub(now.duration_since(oldest));
            return Err(CoreError::RateLimited {
                retry_after: wait.as_secs().max(1),
            });
        }
        times.push_back(now);
        Ok(())
    }
}

fn prune(times: &mut VecDeque<Instant>, now: Instant, period: Duration) {
    while times
        .front()
        .is_some_and(|t| now.duration_since(*t) >= period)
    {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_holds_per_user_within_the_window() {
        let limiter = RateLimiter::new(Rate::per_seconds(3, 10));
        let start = Instant::now();
        for i in 0..3 {
            limiter
                .check_at("alice", 3, start + Duration::from_secs(i))
                .unwrap();
        }
        let refused = limiter.check_at("alice", 3, start + Duration::from_secs(4));
        assert!(
            matches!(refused, Err(CoreError::RateLimited { retry_after: 6 })),
            "{refused:?}"
        );
        // Another user has their own count.
        limiter
            .check_at("bob", 3, start + Duration::from_secs(4))
            .unwrap();
        // Once the first request leaves the window, one more is allowed.
        limiter
            .check_at("alice", 3, start + Duration::from_secs(10))
            .unwrap();
        assert!(limiter
            .check_at("alice", 3, start + Duration::from_secs(10))
            .is_err());
    }

    #[test]
    fn a_limit_given_per_call_replaces_the_limiters_own() {
        let limiter = RateLimiter::new(Rate::per_seconds(1, 60));
        let start = Instant::now();
        for _ in 0..5 {
            limiter.check_at("alice", 5, start).unwrap();
        }
        assert!(limiter.check_at("alice", 5, start).is_err());
        // Raised while the server runs: the requests already counted still count.
        limiter.check_at("alice", 6, start).unwrap();
        assert!(limiter.check_at("alice", 6, start).is_err());
        // Lowered: refused until enough requests leave the window.
        assert!(limiter.check_at("alice", 2, start).is_err());
        limiter
            .check_at("alice", 2, start + Duration::from_secs(60))
            .unwrap();
    }

    #[test]
    fn idle_users_are_pruned() {
        let limiter = RateLimiter::new(Rate::per_seconds(1, 1));
        let start = Instant::now();
        for i in 0..PRUNE_AT {
            limiter.check_at(&format!("u{i}"), 1, start).unwrap();
        }
        limiter
            .check_at("late", 1, start + Duration::from_secs(2))
            .unwrap();
        assert_eq!(limiter.seen.lock().unwrap().len(), 1);
    }
}
