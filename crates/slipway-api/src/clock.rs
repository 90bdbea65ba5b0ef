use chrono::{DateTime, Utc};
use slipway_core::Clock;

/// The real clock: the only place Slipway reads the time of day.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}
