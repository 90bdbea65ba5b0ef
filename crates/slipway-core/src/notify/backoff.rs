//! How long to wait before trying a failed delivery again: exponential, capped, with jitter
//! passed in (never drawn here).

use chrono::Duration;

/// How a failed delivery is tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The wait after the first failure.
    pub base: Duration,
    /// The longest wait.
    pub cap: Duration,
    /// After this many failed attempts the delivery is dead-lettered.
    pub max_attempts: u32,
}

impl Default for Backoff {
    fn default() -> Backoff {
        Backoff {
            base: Duration::seconds(2),
            cap: Duration::minutes(30),
            max_attempts: 8,
        }
    }
}

impl Backoff {
    /// The wait after failed attempt number `attempt` (1 for the first): doubling from `base`
    /// up to `cap`, then "equal jitter" — half of it fixed, half scaled by `jitter` in [0, 1)
    /// — so dispatchers that failed together do not retry together.
    pub fn delay(&self, attempt: u32, jitter: f64) -> Duration {
        let doubled = self
            .base
            .num_milliseconds()
            .saturating_mul(1i64 << attempt.saturating_sub(1).min(40));
        let full = doubled.min(self.cap.num_milliseconds()).max(0);
        let jitter = jitter.clamp(0.0, 1.0);
        Duration::milliseconds(full / 2 + ((full / 2) as f64 * jitter) as i64)
    }

    /// Whether failed attempt number `attempt` is the last one.
    pub fn exhausted(&self, attempt: u32) -> bool {
        attempt >= self.max_attempts
    }
}
