//! What the metrics make of the records: each deployment's failure, restoration and rework,
//! each change's lead time, the spreads and rates, and the weekly trend.

use chrono::{DateTime, Utc};

use super::band::{DurationBand, FrequencyBand, RateBand};
use super::{DoraChange, EnvDeployment};
use crate::DeploymentKind;

/// Which rule marked a deployment failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureRule {
    /// A Slipway run moved the ref and then failed.
    RecordedFailed,
    /// The next deployment rolled it back.
    RolledBack,
    /// A hotfix-lane deployment came next within the failure window.
    HotfixFollowed,
    /// A later deployment within the window shipped a revert of a change it shipped.
    Reverted,
}

/// Why a deployment was unplanned (rework).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unplanned {
    /// A rollback.
    Rollback,
    /// A hotfix-lane run.
    Hotfix,
    /// It shipped a change linked to this emergency request.
    Emergency(i64),
}

/// The deployment that restored service after a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// When.
    pub at: DateTime<Utc>,
    /// Its commit.
    pub sha: String,
    /// Its kind.
    pub kind: DeploymentKind,
    /// Seconds from the failed deployment.
    pub after_seconds: i64,
}

/// How a failed deployment failed and ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The rule that marked it.
    pub rule: FailureRule,
    /// What restored service (`None`: not yet).
    pub restored: Option<Restored>,
}

/// A deployment in the window, with what the metrics made of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentFacts {
    /// The deployment.
    pub deployment: EnvDeployment,
    /// The changes it deployed for the first time (shas), oldest first.
    pub brought: Vec<String>,
    /// Set when it failed.
    pub failure: Option<Failure>,
    /// Set when it was unplanned.
    pub unplanned: Option<Unplanned>,
}

/// A change first deployed in the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeLead {
    /// The change.
    pub change: DoraChange,
    /// Whether it came off trunk's line (a hotfix's commit).
    pub off_trunk: bool,
    /// When it was first deployed.
    pub deployed_at: DateTime<Utc>,
    /// The commit of that deployment.
    pub deployment_sha: String,
    /// First commit to deployment, seconds.
    pub lead_seconds: i64,
    /// Merge to deployment, seconds.
    pub from_merge_seconds: i64,
    /// Its wait before each environment up to this one, seconds (`None` where a record
    /// does not reach back): [merged → first, first → second, …].
    pub stage_waits: Vec<Option<i64>>,
}

/// A median and an 85th percentile, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spread {
    /// Median.
    pub median: i64,
    /// 85th percentile (nearest rank).
    pub p85: i64,
}

impl Spread {
    /// The spread of `values` (`None` when empty).
    pub fn of(values: &mut [i64]) -> Option<Spread> {
        if values.is_empty() {
            return None;
        }
        values.sort_unstable();
        let n = values.len();
        let median = if n % 2 == 1 {
            values[n / 2]
        } else {
            values[n / 2 - 1] + (values[n / 2] - values[n / 2 - 1]) / 2
        };
        let rank = (n * 85).div_ceil(100).max(1);
        Some(Spread {
            median,
            p85: values[rank - 1],
        })
    }
}

/// A share of deployments.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// Deployments counted.
    pub count: usize,
    /// Out of.
    pub of: usize,
    /// `count / of` (`None` when there were no deployments).
    pub rate: Option<f64>,
    /// Its band.
    pub band: Option<RateBand>,
}

impl Rate {
    pub(super) fn of(count: usize, of: usize) -> Rate {
        let rate = (of > 0).then(|| count as f64 / of as f64);
        Rate {
            count,
            of,
            rate,
            band: rate.map(RateBand::of),
        }
    }
}

/// One week (Monday 00:00 UTC) of the trend.
#[derive(Debug, Clone, PartialEq)]
pub struct Week {
    /// Its first instant inside the window.
    pub start: DateTime<Utc>,
    /// Deployments.
    pub deployments: usize,
    /// Failed deployments.
    pub failed: usize,
    /// Unplanned deployments.
    pub unplanned: usize,
    /// Changes first deployed.
    pub changes: usize,
    /// Lead time of those changes.
    pub lead: Option<Spread>,
    /// Recovery time of the failures.
    pub recovery: Option<Spread>,
    /// Per-stage wait of the trunk changes first deployed (same order as the stages).
    pub stages: Vec<Option<Spread>>,
}

/// The five metrics and the queue wait of one environment over one window.
#[derive(Debug, Clone, PartialEq)]
pub struct DoraReport {
    /// The window.
    pub from: DateTime<Utc>,
    /// Its end (exclusive).
    pub to: DateTime<Utc>,
    /// The environment.
    pub environment: String,
    /// The stages a change waits in on its way here: `(upstream, environment)` pairs,
    /// the first upstream being trunk (`None`).
    pub stages: Vec<(Option<String>, String)>,
    /// Deployments in the window, oldest first.
    pub deployments: Vec<DeploymentFacts>,
    /// Changes first deployed in the window, in deployment order.
    pub changes: Vec<ChangeLead>,
    /// Deployment frequency: deployments per week.
    pub per_week: Option<f64>,
    /// Its band (from the mean interval).
    pub frequency_band: Option<FrequencyBand>,
    /// Lead time from first commit.
    pub lead: Option<Spread>,
    /// Lead time from merge.
    pub lead_from_merge: Option<Spread>,
    /// The band of the median lead time.
    pub lead_band: Option<DurationBand>,
    /// Change fail rate.
    pub change_fail: Rate,
    /// Failed deployment recovery time (the recovered ones).
    pub recovery: Option<Spread>,
    /// Failures recovered (the count behind `recovery`).
    pub recovered: usize,
    /// Failures not (yet) recovered.
    pub unrecovered: usize,
    /// The band of the median recovery time.
    pub recovery_band: Option<DurationBand>,
    /// Deployment rework rate.
    pub rework: Rate,
    /// Per-stage queue wait of the trunk changes first deployed here.
    pub stage_waits: Vec<Option<Spread>>,
    /// Weekly trend.
    pub weeks: Vec<Week>,
}

/// Why the metrics could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DoraError {
    /// The environment index is out of range.
    #[error("there is no environment number {0}")]
    NoEnvironment(usize),
    /// The window ends before it starts.
    #[error("the window ends before it starts")]
    EmptyWindow,
}
