//! How often a link may send: a token bucket per link (by reporter id, so a new link for the
//! same reporter does not start afresh), refilled at the per-minute rate and holding at most a
//! burst's worth.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// How many reports a link may send at once before the rate applies.
const BURST: f64 = 10.0;

pub(super) struct Limits {
    per_second: f64,
    buckets: Mutex<HashMap<i64, Bucket>>,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Limits {
    /// At most `per_minute` sends a minute per link, in bursts of up to ten.
    pub(super) fn new(per_minute: u32) -> Limits {
        Limits {
            per_second: f64::from(per_minute.max(1)) / 60.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one send from the link's bucket; false when it is empty (answer 429).
    pub(super) fn allow(&self, link: i64) -> bool {
        self.allow_at(link, Instant::now())
    }

    fn allow_at(&self, link: i64, now: Instant) -> bool {
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        let bucket = buckets.entry(link).or_insert(Bucket {
            tokens: BURST,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.per_second).min(BURST);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Seconds until the link may send again, for `Retry-After`.
    pub(super) fn retry_after(&self) -> u64 {
        (1.0 / self.per_second).ceil().max(1.0) as u64
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_link_sends_a_burst_then_at_the_rate_and_links_are_apart() {
        let limits = Limits::new(60);
        let start = Instant::now();
        for _ in 0..10 {
            assert!(limits.allow_at(1, start));
        }
        assert!(!limits.allow_at(1, start));
        assert!(limits.allow_at(2, start), "another link has its own bucket");
        assert!(!limits.allow_at(1, start + Duration::from_millis(500)));
        assert!(limits.allow_at(1, start + Duration::from_millis(1100)));
        assert!(!limits.allow_at(1, start + Duration::from_millis(1200)));
        // A long pause refills no more than a burst.
        let later = start + Duration::from_secs(3600);
        for _ in 0..10 {
            assert!(limits.allow_at(1, later));
        }
        assert!(!limits.allow_at(1, later));
    }
}
