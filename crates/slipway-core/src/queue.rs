use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::{AgeBand, Blocker, Change, ShippedAs};

/// Where a queued change's wait is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitingSource {
    /// Its merge into trunk (the first environment, or nothing better known).
    Merged,
    /// When the upstream environment's ref moved past it (reflog, tag date or deployment).
    UpstreamArrival,
}

/// A change waiting to enter an environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedChange {
    /// The change itself (shared with the reader's cache).
    pub change: Arc<Change>,
    /// Since when it has been available upstream.
    pub waiting_since: DateTime<Utc>,
    /// What `waiting_since` was read from.
    pub source: WaitingSource,
    /// Seconds it has waited at the time the queue was computed — or, when it already
    /// shipped as another commit, until that commit reached the environment.
    pub age_seconds: i64,
    /// Why it has not moved on (nothing, once it shipped as another commit).
    pub blockers: Vec<Blocker>,
    /// The environment commit that already carries its patch (a hotfix, a cherry-pick).
    pub shipped_as: Option<ShippedAs>,
}

impl QueuedChange {
    /// How worrying the wait is; `None` once it shipped as another commit: it is not
    /// waiting any more.
    pub fn band(&self) -> Option<AgeBand> {
        self.is_waiting().then(|| AgeBand::of(self.age_seconds))
    }

    /// Whether it still waits: it has not reached the environment as another commit.
    pub fn is_waiting(&self) -> bool {
        self.shipped_as.is_none()
    }
}

/// One move of a stage's ref: at `at`, it came to stand at trunk position `position`
/// (larger is newer; positions are only compared, so they may count down from trunk's head).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrival {
    /// When the ref moved.
    pub at: DateTime<Utc>,
    /// Trunk position it moved to (`i64::MIN` when older than anything queued).
    pub position: i64,
}

/// When a stage first held the change at trunk position `position`, from its moves (any order).
///
/// `None` when the oldest known move already held it: it arrived before the record began,
/// and only its merge time is known.
pub fn arrival_of(position: i64, history: &[Arrival]) -> Option<DateTime<Utc>> {
    let mut moves: Vec<&Arrival> = history.iter().collect();
    moves.sort_by_key(|a| a.at);
    let first = moves.iter().position(|a| a.position >= position)?;
    (first > 0).then(|| moves[first].at)
}

/// The changes an environment's upstream has and it does not, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queue {
    /// Oldest first.
    pub changes: Vec<QueuedChange>,
}

impl Queue {
    /// Builds the queue of `environment` from the upstream changes it lacks, given oldest
    /// first with their trunk positions, and the upstream's known moves (empty for trunk:
    /// then every wait counts from the merge). `shipped` holds, by sha, the changes whose
    /// patch already reached the environment as another commit: their wait ends there.
    pub fn build(
        environment: &str,
        changes: Vec<(Arc<Change>, Option<i64>)>,
        upstream_moves: &[Arrival],
        shipped: &HashMap<String, ShippedAs>,
        now: DateTime<Utc>,
    ) -> Self {
        let reverted_by: Vec<(String, String)> = changes
            .iter()
            .filter_map(|(c, _)| c.reverts.clone().map(|target| (target, c.sha.clone())))
            .collect();
        let changes = changes
            .into_iter()
            .map(|(change, position)| {
                let arrival = position.and_then(|p| arrival_of(p, upstream_moves));
                let (waiting_since, source) = match arrival {
                    Some(t) if t > change.merged_at => (t, WaitingSource::UpstreamArrival),
                    _ => (change.merged_at, WaitingSource::Merged),
                };
                let shipped_as = shipped.get(&change.sha).cloned();
                let mut blockers = Vec::new();
                if shipped_as.is_none() {
                    blockers.push(Blocker::NotPromoted {
                        environment: environment.to_string(),
                    });
                    if let Some((_, by)) =
                        reverted_by.iter().find(|(target, _)| *target == change.sha)
                    {
                        blockers.push(Blocker::RevertedLater { by: by.clone() });
                    }
                }
                // Its aging clock stops when its patch reached the environment.
                let until = shipped_as.as_ref().map_or(now, |s| s.at.max(waiting_since));
                QueuedChange {
                    age_seconds: (until - waiting_since).num_seconds(),
                    waiting_since,
                    source,
                    change,
                    blockers,
                    shipped_as,
                }
            })
            .collect();
        Queue { changes }
    }

    /// The longest wait in the queue, in seconds (0 when nothing waits); a change that
    /// shipped as another commit does not wait.
    pub fn oldest_age_seconds(&self) -> i64 {
        self.changes
            .iter()
            .filter(|c| c.is_waiting())
            .map(|c| c.age_seconds)
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap()
    }

    fn change(sha: &str, merged_at: DateTime<Utc>) -> Arc<Change> {
        Arc::new(Change {
            sha: sha.into(),
            title: sha.into(),
            author: "a".into(),
            author_email: "a@x".into(),
            merged_at,
            pr: None,
            tickets: vec![],
            reverts: None,
            co_authors: vec![],
            is_merge: false,
        })
    }

    #[test]
    fn arrival_is_the_first_move_past_the_change() {
        let moves = [
            Arrival {
                at: t(9),
                position: 10,
            },
            Arrival {
                at: t(3),
                position: 4,
            },
            Arrival {
                at: t(6),
                position: 7,
            },
            Arrival {
                at: t(8),
                position: 5,
            }, // a rollback
        ];
        let cases: &[(i64, Option<DateTime<Utc>>)] = &[
            (3, None), // held by the oldest known move: unknown
            (4, None),
            (5, Some(t(6))),
            (7, Some(t(6))),
            (8, Some(t(9))),
            (10, Some(t(9))),
            (11, None), // the upstream never had it
        ];
        for (position, want) in cases {
            assert_eq!(arrival_of(*position, &moves), *want, "position {position}");
        }
        assert_eq!(arrival_of(1, &[]), None);
    }

    #[test]
    fn ages_count_from_upstream_arrival_else_the_merge() {
        let now = t(12);
        let moves = [
            Arrival {
                at: t(1),
                position: 1,
            },
            Arrival {
                at: t(10),
                position: 3,
            },
        ];
        let mut revert = Change::clone(&change("c", t(4)));
        revert.reverts = Some("b".into());
        let revert = Arc::new(revert);
        let q = Queue::build(
            "staging",
            vec![
                (change("a", t(2)), Some(1)),
                (change("b", t(3)), Some(2)),
                (revert, Some(3)),
                (change("d", t(11)), None),
            ],
            &moves,
            &HashMap::new(),
            now,
        );
        let got: Vec<(i64, WaitingSource)> = q
            .changes
            .iter()
            .map(|c| (c.age_seconds, c.source))
            .collect();
        assert_eq!(
            got,
            [
                (10 * 3600, WaitingSource::Merged),
                (2 * 3600, WaitingSource::UpstreamArrival),
                (2 * 3600, WaitingSource::UpstreamArrival),
                (3600, WaitingSource::Merged),
            ]
        );
        assert_eq!(q.oldest_age_seconds(), 10 * 3600);
        assert_eq!(
            q.changes[1].blockers[1],
            Blocker::RevertedLater { by: "c".into() }
        );
        assert_eq!(
            q.changes[0].blockers,
            [Blocker::NotPromoted {
                environment: "staging".into()
            }]
        );
        assert_eq!(q.changes[0].band(), Some(AgeBand::Waiting));
        let none = HashMap::new();
        assert_eq!(
            Queue::build("qa", vec![], &[], &none, now).oldest_age_seconds(),
            0
        );
    }

    #[test]
    fn a_change_shipped_as_another_commit_stops_waiting_there() {
        let now = t(12);
        let shipped = HashMap::from([(
            "a".to_string(),
            ShippedAs {
                sha: "h".into(),
                at: t(5),
                how: crate::ShippedHow::CherryPicked,
            },
        )]);
        let q = Queue::build(
            "production",
            vec![(change("a", t(2)), None), (change("b", t(3)), None)],
            &[],
            &shipped,
            now,
        );
        let a = &q.changes[0];
        assert_eq!(
            (a.age_seconds, a.band(), a.is_waiting()),
            (3 * 3600, None, false)
        );
        assert!(a.blockers.is_empty(), "{:?}", a.blockers);
        assert_eq!(a.shipped_as.as_ref().map(|s| s.sha.as_str()), Some("h"));
        let b = &q.changes[1];
        assert_eq!(
            (b.age_seconds, b.band()),
            (9 * 3600, Some(AgeBand::Waiting))
        );
        // The oldest wait is b's: a is not waiting.
        assert_eq!(q.oldest_age_seconds(), 9 * 3600);
    }
}
