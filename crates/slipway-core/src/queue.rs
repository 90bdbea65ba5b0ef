use chrono::{DateTime, Utc};

use crate::{AgeBand, Change};

/// A change waiting to enter an environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedChange {
    /// The change itself.
    pub change: Change,
    /// Since when it has been available upstream.
    pub waiting_since: DateTime<Utc>,
    /// Seconds it has waited at the time the queue was computed.
    pub age_seconds: i64,
}

impl QueuedChange {
    /// How worrying the wait is.
    pub fn band(&self) -> AgeBand {
        AgeBand::of(self.age_seconds)
    }
}

/// The changes an environment's upstream has and it does not, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queue {
    /// Oldest first.
    pub changes: Vec<QueuedChange>,
}

impl Queue {
    /// Builds a queue from upstream changes the environment lacks, given oldest first.
    ///
    /// Until deployment records exist, a change counts as available upstream from the
    /// moment it was merged.
    pub fn from_changes(changes: Vec<Change>, now: DateTime<Utc>) -> Self {
        let changes = changes
            .into_iter()
            .map(|change| {
                let waiting_since = change.merged_at;
                QueuedChange {
                    age_seconds: (now - waiting_since).num_seconds(),
                    waiting_since,
                    change,
                }
            })
            .collect();
        Queue { changes }
    }

    /// The longest wait in the queue, in seconds (0 when empty).
    pub fn oldest_age_seconds(&self) -> i64 {
        self.changes.first().map_or(0, |c| c.age_seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn change(sha: &str, merged_at: DateTime<Utc>) -> Change {
        Change {
            sha: sha.into(),
            title: sha.into(),
            author: "a".into(),
            author_email: "a@x".into(),
            merged_at,
            pr: None,
            tickets: vec![],
            reverts: None,
            is_merge: false,
        }
    }

    #[test]
    fn ages_count_from_the_merge() {
        let t = |h| Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap();
        let now = t(12);
        let q = Queue::from_changes(vec![change("a", t(2)), change("b", t(10))], now);
        let ages: Vec<i64> = q.changes.iter().map(|c| c.age_seconds).collect();
        assert_eq!(ages, [10 * 3600, 2 * 3600]);
        assert_eq!(q.oldest_age_seconds(), 10 * 3600);
        assert_eq!(q.changes[0].band(), AgeBand::Waiting);
        assert_eq!(Queue::from_changes(vec![], now).oldest_age_seconds(), 0);
    }
}
