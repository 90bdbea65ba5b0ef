//! Turning what is recorded into deployments: Slipway's runs, and the ref moves git knows
//! (reflog, tags, recorded deployments) that are not a run's own.

use chrono::{DateTime, Duration, Utc};

use super::{DeploymentSource, EnvDeployment};
use crate::DeploymentKind;

/// How far from a run's start and end its own ref move may be logged.
pub const RUN_SLACK_SECONDS: i64 = 120;

/// A move of an environment's ref, as git (or the deployments table) knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefMove {
    /// When.
    pub at: DateTime<Utc>,
    /// To which commit.
    pub sha: String,
    /// Its trunk position (for a commit off trunk's line, its base's), if known.
    pub position: Option<i64>,
    /// Its commits off trunk's line (indices into the input's `off_trunk`).
    pub off_trunk: Vec<usize>,
    /// Reflog, tag or record.
    pub source: DeploymentSource,
}

/// A Slipway run that deployed (it succeeded, or it failed after moving the ref).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRecord {
    /// Its number.
    pub run: i64,
    /// Its kind.
    pub kind: DeploymentKind,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ended.
    pub ended_at: DateTime<Utc>,
    /// The commit it deployed.
    pub sha: String,
    /// Its trunk position, if known.
    pub position: Option<i64>,
    /// Its commits off trunk's line.
    pub off_trunk: Vec<usize>,
    /// It failed after moving the ref.
    pub failed: bool,
}

/// What a ref move that no run explains was: a move to a commit off trunk's line is a hotfix,
/// a move back along trunk a rollback, a move to where it stood a redeploy, else a promotion.
pub fn kind_of_move(
    previous: Option<i64>,
    position: Option<i64>,
    off_trunk: bool,
) -> DeploymentKind {
    if off_trunk {
        return DeploymentKind::Hotfix;
    }
    match (previous, position) {
        (Some(before), Some(now)) if now < before => DeploymentKind::Rollback,
        (Some(before), Some(now)) if now == before => DeploymentKind::Redeploy,
        _ => DeploymentKind::Promote,
    }
}

/// One environment's deployments: every run, and every ref move that is not a run's own
/// (same commit, logged within [`RUN_SLACK_SECONDS`] of the run), its kind read from where
/// the ref went.
pub fn deployments_of(runs: &[RunRecord], moves: &[RefMove]) -> Vec<EnvDeployment> {
    let slack = Duration::seconds(RUN_SLACK_SECONDS);
    let mut out: Vec<EnvDeployment> = runs
        .iter()
        .map(|r| EnvDeployment {
            at: r.ended_at,
            kind: r.kind,
            source: DeploymentSource::Slipway,
            sha: r.sha.clone(),
            position: r.position,
            off_trunk: r.off_trunk.clone(),
            recorded_failed: r.failed,
            run: Some(r.run),
        })
        .collect();
    let mut sorted: Vec<&RefMove> = moves.iter().collect();
    sorted.sort_by_key(|m| m.at);
    let mut previous: Option<i64> = None;
    for m in sorted {
        let own = runs
            .iter()
            .any(|r| r.sha == m.sha && m.at >= r.started_at - slack && m.at <= r.ended_at + slack);
        if !own {
            out.push(EnvDeployment {
                at: m.at,
                kind: kind_of_move(previous, m.position, !m.off_trunk.is_empty()),
                source: m.source,
                sha: m.sha.clone(),
                position: m.position,
                off_trunk: m.off_trunk.clone(),
                recorded_failed: false,
                run: None,
            });
        }
        if m.position.is_some() {
            previous = m.position;
        }
    }
    out.sort_by_key(|d| d.at);
    out
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    fn moved(minutes: i64, sha: &str, position: Option<i64>, off: bool) -> RefMove {
        RefMove {
            at: at(minutes),
            sha: sha.into(),
            position,
            off_trunk: if off { vec![0] } else { Vec::new() },
            source: DeploymentSource::Reflog,
        }
    }

    #[test]
    fn kinds_of_moves() {
        let cases = [
            (
                "first known move",
                None,
                Some(3),
                false,
                DeploymentKind::Promote,
            ),
            ("forward", Some(3), Some(5), false, DeploymentKind::Promote),
            ("back", Some(5), Some(3), false, DeploymentKind::Rollback),
            (
                "same place",
                Some(5),
                Some(5),
                false,
                DeploymentKind::Redeploy,
            ),
            ("off trunk", Some(5), Some(5), true, DeploymentKind::Hotfix),
            (
                "unknown place",
                Some(5),
                None,
                false,
                DeploymentKind::Promote,
            ),
        ];
        for (what, before, now, off, want) in cases {
            assert_eq!(kind_of_move(before, now, off), want, "{what}");
        }
    }

    #[test]
    fn a_runs_own_move_is_not_counted_twice() {
        let run = RunRecord {
            run: 7,
            kind: DeploymentKind::Rollback,
            started_at: at(60),
            ended_at: at(63),
            sha: "b".into(),
            position: Some(1),
            off_trunk: Vec::new(),
            failed: false,
        };
        let moves = [
            moved(0, "a", Some(2), false),
            // The run's push, logged a minute into it.
            moved(61, "b", Some(1), false),
            // The same commit again, an hour later, from outside Slipway.
            moved(120, "b", Some(1), false),
            moved(180, "h", Some(1), true),
            moved(240, "c", Some(0), false),
        ];
        let got: Vec<(i64, DeploymentKind, DeploymentSource, Option<i64>)> =
            deployments_of(&[run], &moves)
                .into_iter()
                .map(|d| ((d.at - at(0)).num_minutes(), d.kind, d.source, d.run))
                .collect();
        assert_eq!(
            got,
            vec![
                (0, DeploymentKind::Promote, DeploymentSource::Reflog, None),
                (
                    63,
                    DeploymentKind::Rollback,
                    DeploymentSource::Slipway,
                    Some(7)
                ),
                (
                    120,
                    DeploymentKind::Redeploy,
                    DeploymentSource::Reflog,
                    None
                ),
                (180, DeploymentKind::Hotfix, DeploymentSource::Reflog, None),
                (
                    240,
                    DeploymentKind::Rollback,
                    DeploymentSource::Reflog,
                    None
                ),
            ]
        );
    }
}
