//! Per-key, per-model rate limiting: requests and input tokens in a sliding 60 s
//! window, requests per day in a fixed 24 h window counted from the clock's origin
//! (the real daily reset is midnight Pacific; a fixed window keeps tests simple).
//! Rejected requests consume nothing.

use super::catalogue::RateLimits;
use super::errors::{self, QuotaHit, QuotaKind};
use super::prng::hash;
use crate::gemini::ApiErrorBody;
use std::collections::{HashMap, VecDeque};
use std::time::Duration;

const MINUTE: Duration = Duration::from_secs(60);
const DAY_SECS: u64 = 86_400;

#[derive(Debug, Default)]
struct Window {
    /// (time, input tokens) of each accepted request in the last minute.
    minute: VecDeque<(Duration, u64)>,
    day: u64,
    day_count: u64,
}

/// The limiter's state.
#[derive(Debug, Default)]
pub struct Limiter {
    // Keyed by a hash of the API key so raw keys are not kept around.
    windows: HashMap<(u64, String), Window>,
}

impl Limiter {
    /// Forgets every window.
    pub fn reset(&mut self) {
        self.windows.clear();
    }

    /// Admits one request of `tokens` input tokens at `now`, or returns the 429 body.
    pub fn admit(
        &mut self,
        key: &str,
        model: &str,
        limits: RateLimits,
        tokens: u64,
        now: Duration,
    ) -> Result<(), ApiErrorBody> {
        let w = self
            .windows
            .entry((hash(&[key.as_bytes()]), model.to_string()))
            .or_default();
        while w.minute.front().is_some_and(|(t, _)| *t + MINUTE <= now) {
            w.minute.pop_front();
        }
        let day = now.as_secs() / DAY_SECS;
        if day != w.day {
            w.day = day;
            w.day_count = 0;
        }
        let mut hits = Vec::new();
        let mut wait = Duration::ZERO;
        let hit = |kind, limit| QuotaHit {
            kind,
            limit,
            model: model.to_string(),
        };
        if w.minute.len() as u64 >= limits.rpm {
            hits.push(hit(QuotaKind::RequestsPerMinute, limits.rpm));
            let until = w.minute.front().map(|(t, _)| *t + MINUTE - now);
            wait = wait.max(until.unwrap_or(MINUTE));
        }
        let used: u64 = w.minute.iter().map(|(_, n)| n).sum();
        if used + tokens > limits.tpm {
            hits.push(hit(QuotaKind::InputTokensPerMinute, limits.tpm));
            wait = wait.max(tokens_free_at(&w.minute, used, tokens, limits.tpm, now));
        }
        let daily = w.day_count >= limits.rpd;
        if daily {
            hits.push(hit(QuotaKind::RequestsPerDay, limits.rpd));
        }
        if hits.is_empty() {
            w.minute.push_back((now, tokens));
            w.day_count += 1;
            return Ok(());
        }
        // RetryInfo is whole seconds, rounded up so waiting it always suffices.
        let retry = (!daily).then(|| wait.as_secs() + u64::from(wait.subsec_nanos() > 0));
        Err(errors::quota_exceeded(&hits, retry.map(|s| s.max(1))))
    }
}

/// How long until enough old requests leave the window for `tokens` more to fit.
fn tokens_free_at(
    minute: &VecDeque<(Duration, u64)>,
    used: u64,
    tokens: u64,
    tpm: u64,
    now: Duration,
) -> Duration {
    if tokens > tpm {
        return MINUTE; // Never fits; the real service keeps answering 429.
    }
    let mut left = used;
    for (t, n) in minute {
        left -= n;
        if left + tokens <= tpm {
            return *t + MINUTE - now;
        }
    }
    MINUTE
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: RateLimits = RateLimits {
        rpm: 2,
        tpm: 100,
        rpd: 5,
    };

    fn at(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn rpm_window_slides_and_retry_delay_is_exact() {
        let mut l = Limiter::default();
        l.admit("k", "m", L, 1, at(0)).unwrap();
        l.admit("k", "m", L, 1, at(10)).unwrap();
        let e = l.admit("k", "m", L, 1, at(20)).unwrap_err();
        assert_eq!(e.retry_delay(), Some(at(40)));
        assert!(
            e.message
                .ends_with("limit: 2, model: m\nPlease retry in 40s.")
        );
        assert!(l.admit("k", "m", L, 1, at(59)).is_err());
        l.admit("k", "m", L, 1, at(60)).unwrap();
        // Other keys and models have their own windows.
        l.admit("k2", "m", L, 1, at(60)).unwrap();
        l.admit("k", "m2", L, 1, at(60)).unwrap();
    }

    #[test]
    fn token_window_and_daily_limit() {
        let mut l = Limiter::default();
        l.admit("k", "m", L, 70, at(0)).unwrap();
        let e = l.admit("k", "m", L, 40, at(30)).unwrap_err();
        let v = e.quota_violations().next().unwrap();
        assert_eq!(
            v.quota_id,
            "GenerateContentInputTokensPerModelPerMinute-FreeTier"
        );
        assert_eq!(e.retry_delay(), Some(at(30)));
        let lim = RateLimits {
            rpm: 100,
            tpm: 1000,
            rpd: 2,
        };
        l.admit("d", "m", lim, 1, at(0)).unwrap();
        l.admit("d", "m", lim, 1, at(100)).unwrap();
        let e = l.admit("d", "m", lim, 1, at(200)).unwrap_err();
        assert_eq!(e.retry_delay(), None, "daily exhaustion has no RetryInfo");
        assert_eq!(
            e.quota_violations().next().unwrap().quota_id,
            "GenerateRequestsPerDayPerProjectPerModel-FreeTier"
        );
        l.admit("d", "m", lim, 1, at(DAY_SECS)).unwrap();
    }

    #[test]
    fn zero_limit_always_refuses() {
        let mut l = Limiter::default();
        let zero = RateLimits::default();
        let e = l.admit("k", "m", zero, 1, at(0)).unwrap_err();
        assert!(e.message.contains("limit: 0, model: m"));
    }
}
