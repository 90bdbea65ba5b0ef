//! Whether a watcher is doing its job: its last pass, how far it lags behind its schedule,
//! and whether it can reach its database — what `/healthz` answers a service manager or a
//! monitoring system.

use chrono::{DateTime, Utc};

/// How long a watcher may lag behind its schedule before it counts as stuck: its safety
/// interval, and never less than this.
pub const MIN_STUCK_GRACE_SECS: i64 = 30;

/// A watcher's finished pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassRecord {
    /// When it began.
    pub started: DateTime<Utc>,
    /// When it ended.
    pub ended: DateTime<Utc>,
    /// Why it failed, when it did.
    pub failed: Option<String>,
    /// When the next pass is due (the next threshold, or the safety interval).
    pub next_due: DateTime<Utc>,
}

/// What is wrong with a watcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HealthProblem {
    /// It is this many seconds behind its schedule (a pass hangs, or the loop stopped).
    Stuck {
        /// Seconds behind.
        lag_secs: i64,
    },
    /// Its last pass failed, with why.
    LastPassFailed(String),
    /// Its database does not answer, with why.
    DatabaseUnreachable(String),
}

impl std::fmt::Display for HealthProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HealthProblem::Stuck { lag_secs } => write!(
                f,
                "the watcher is {lag_secs} s behind its schedule (a pass hangs or the loop stopped)"
            ),
            HealthProblem::LastPassFailed(why) => write!(f, "the last pass failed: {why}"),
            HealthProblem::DatabaseUnreachable(why) => {
                write!(f, "the database does not answer: {why}")
            }
        }
    }
}

/// A watcher's health at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    /// Seconds behind schedule: since the next pass was due, 0 when it is not due yet.
    pub lag_secs: i64,
    /// What is wrong; empty when it is healthy.
    pub problems: Vec<HealthProblem>,
}

impl Health {
    /// Nothing is wrong.
    pub fn healthy(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The health at `now` of a watcher running since `since` with a safety interval of
/// `interval_secs`, whose last finished pass is `last` (none yet: its first pass was due at
/// `since`) and whose database answered `database`. A pass still running counts against the
/// schedule like a missing one: one that hangs makes the watcher stuck.
pub fn assess(
    since: DateTime<Utc>,
    interval_secs: i64,
    last: Option<&PassRecord>,
    database: Result<(), String>,
    now: DateTime<Utc>,
) -> Health {
    let due = last.map_or(since, |p| p.next_due);
    let lag_secs = (now - due).num_seconds().max(0);
    let grace = interval_secs.max(MIN_STUCK_GRACE_SECS);
    let mut problems = Vec::new();
    if lag_secs > grace {
        problems.push(HealthProblem::Stuck { lag_secs });
    }
    if let Some(why) = last.and_then(|p| p.failed.clone()) {
        problems.push(HealthProblem::LastPassFailed(why));
    }
    if let Err(why) = database {
        problems.push(HealthProblem::DatabaseUnreachable(why));
    }
    Health { lag_secs, problems }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    fn pass(ended: i64, next_due: i64, failed: Option<&str>) -> PassRecord {
        PassRecord {
            started: t(ended - 1),
            ended: t(ended),
            failed: failed.map(str::to_string),
            next_due: t(next_due),
        }
    }

    #[test]
    fn health_follows_the_schedule_the_last_pass_and_the_database() {
        let down = || Err::<(), _>("connection refused".to_string());
        #[allow(clippy::type_complexity)]
        let cases: Vec<(
            &str,
            Option<PassRecord>,
            Result<(), String>,
            i64,
            i64,
            Vec<HealthProblem>,
        )> = vec![
            (
                "just started, first pass due now",
                None,
                Ok(()),
                0,
                0,
                vec![],
            ),
            (
                "first pass slow but within grace",
                None,
                Ok(()),
                30,
                30,
                vec![],
            ),
            (
                "first pass never finished",
                None,
                Ok(()),
                31,
                31,
                vec![HealthProblem::Stuck { lag_secs: 31 }],
            ),
            (
                "next pass not due yet",
                Some(pass(100, 130, None)),
                Ok(()),
                120,
                0,
                vec![],
            ),
            (
                "due, within the interval's grace",
                Some(pass(100, 130, None)),
                Ok(()),
                160,
                30,
                vec![],
            ),
            (
                "behind by more than the grace",
                Some(pass(100, 130, None)),
                Ok(()),
                161,
                31,
                vec![HealthProblem::Stuck { lag_secs: 31 }],
            ),
            (
                "last pass failed",
                Some(pass(100, 130, Some("disk I/O error"))),
                Ok(()),
                110,
                0,
                vec![HealthProblem::LastPassFailed("disk I/O error".into())],
            ),
            (
                "database away",
                Some(pass(100, 130, None)),
                down(),
                110,
                0,
                vec![HealthProblem::DatabaseUnreachable(
                    "connection refused".into(),
                )],
            ),
            (
                "all at once",
                Some(pass(100, 130, Some("timed out"))),
                down(),
                200,
                70,
                vec![
                    HealthProblem::Stuck { lag_secs: 70 },
                    HealthProblem::LastPassFailed("timed out".into()),
                    HealthProblem::DatabaseUnreachable("connection refused".into()),
                ],
            ),
        ];
        for (name, last, db, now, lag, problems) in cases {
            let h = assess(t(0), 10, last.as_ref(), db, t(now));
            assert_eq!(h.lag_secs, lag, "{name}");
            assert_eq!(h.problems, problems, "{name}");
            assert_eq!(h.healthy(), h.problems.is_empty(), "{name}");
        }
        // A long interval is its own grace.
        let h = assess(t(0), 300, Some(&pass(100, 400, None)), Ok(()), t(690));
        assert!(h.healthy(), "{h:?}");
        assert!(!assess(t(0), 300, Some(&pass(100, 400, None)), Ok(()), t(701)).healthy());
    }
}
