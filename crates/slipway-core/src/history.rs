//! How a queue looked at past instants: from trunk's merge times and each stage's known moves,
//! without any stored snapshots, so the aging chart has weeks of history on its first day.

use chrono::{DateTime, Utc};

use crate::{arrival_of, Arrival};

/// A queue at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueSample {
    /// The instant.
    pub at: DateTime<Utc>,
    /// Changes waiting.
    pub queued: usize,
    /// Seconds the oldest had waited (0 when none).
    pub oldest_seconds: i64,
    /// Median wait in seconds (0 when none).
    pub median_seconds: i64,
}

/// The queue of an environment at `at`.
///
/// `trunk` is trunk's first-parent chain as (position, merge time), newest first (positions
/// count down from 0 at the head). `moves` are the environment's ref moves; `upstream` the
/// upstream environment's (`None` when the upstream is trunk). `None` when the environment's
/// position at `at` is not known (its record begins later).
pub fn queue_at(
    at: DateTime<Utc>,
    trunk: &[(i64, DateTime<Utc>)],
    moves: &[Arrival],
    upstream: Option<&[Arrival]>,
) -> Option<QueueSample> {
    let standing = |m: &[Arrival]| {
        m.iter()
            .filter(|a| a.at <= at && a.position != i64::MIN)
            .max_by_key(|a| a.at)
            .map(|a| a.position)
    };
    let env = standing(moves)?;
    let up = match upstream {
        Some(m) => standing(m)?,
        // Trunk at `at`: its newest change merged by then.
        None => trunk.iter().find(|(_, t)| *t <= at)?.0,
    };
    let mut waits: Vec<i64> = trunk
        .iter()
        .filter(|(p, _)| *p > env && *p <= up)
        .map(|&(p, merged)| {
            let since = upstream
                .and_then(|m| {
                    arrival_of(
                        p,
                        &m.iter().filter(|a| a.at <= at).copied().collect::<Vec<_>>(),
                    )
                })
                .unwrap_or(merged);
            (at - since).num_seconds().max(0)
        })
        .collect();
    waits.sort_unstable();
    Some(QueueSample {
        at,
        queued: waits.len(),
        oldest_seconds: waits.last().copied().unwrap_or(0),
        median_seconds: waits.get(waits.len() / 2).copied().unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn day(d: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap() + Duration::days(d)
    }

    #[test]
    fn queues_are_rebuilt_from_moves() {
        // Trunk: positions 0 (merged day 9) down to -9 (merged day 0).
        let trunk: Vec<(i64, DateTime<Utc>)> = (0..10).map(|i| (-i, day(9 - i))).collect();
        // qa moved to -8 on day 2 and to -3 on day 7.
        let qa = [
            Arrival {
                at: day(2),
                position: -8,
            },
            Arrival {
                at: day(7),
                position: -3,
            },
        ];
        // staging moved to -9 on day 1 and to -8 on day 8.
        let staging = [
            Arrival {
                at: day(1),
                position: -9,
            },
            Arrival {
                at: day(8),
                position: -8,
            },
        ];
        type Case = (
            &'static str,
            DateTime<Utc>,
            &'static [Arrival],
            Option<&'static [Arrival]>,
            Option<(usize, i64, i64)>,
        );
        let qa: &'static [Arrival] = Box::leak(Box::new(qa));
        let staging: &'static [Arrival] = Box::leak(Box::new(staging));
        let cases: Vec<Case> = vec![
            ("before qa's record", day(1), qa, None, None),
            // Day 5: trunk at -4 (merged day 5), qa at -8: -7..-4 wait since merged (days 2..5).
            (
                "qa on day 5",
                day(5),
                qa,
                None,
                Some((4, 3 * 86_400, 2 * 86_400)),
            ),
            ("qa caught up on day 7", day(7), qa, None, Some((1, 0, 0))),
            // staging on day 7: qa at -3, staging at -9. -8 was in qa before its record began
            // (so it counts from its merge, day 1); -7..-3 arrived with qa's move on day 7.
            (
                "staging on day 7",
                day(7),
                staging,
                Some(qa),
                Some((6, 6 * 86_400, 0)),
            ),
            (
                "staging on day 8",
                day(8),
                staging,
                Some(qa),
                Some((5, 86_400, 86_400)),
            ),
        ];
        for (what, at, moves, upstream, want) in cases {
            let got = queue_at(at, &trunk, moves, upstream)
                .map(|s| (s.queued, s.oldest_seconds, s.median_seconds));
            assert_eq!(got, want, "{what}");
        }
    }
}
