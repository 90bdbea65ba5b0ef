//! DORA's five software-delivery metrics, and where a change's lead time goes, computed from
//! an environment's deployments and the changes they brought. Pure: the API gathers the
//! records (Slipway's runs, the ref's reflog or tags, recorded deployments, emergency requests)
//! and hands them here once per call.
//!
//! The operational definitions (the README's "Metrics" section says the same):
//! - A **deployment** is a successful move of the environment's tracking ref: a Slipway
//!   promotion, rollback, redeploy or hotfix run, or — for history before Slipway and moves
//!   made outside it — a move read from the reflog, from tag dates or from recorded
//!   deployments. A Slipway run that failed after it moved the ref is a deployment *recorded
//!   failed*; a run that failed before moving anything deployed nothing and is not counted.
//! - A change's **lead time** runs from its first commit (the author time of the earliest
//!   commit it brought; for a squash merge, its own author time) to its first deployment in
//!   the environment; beside it, from its merge to that deployment. A change the environment
//!   already held when its record began has no known first deployment and is left out.
//! - A deployment **fails** when it needed immediate intervention, by the first of these
//!   rules that holds: it was recorded failed; it was rolled back (the next deployment is a
//!   rollback, however late); a hotfix-lane deployment came next within the failure window
//!   (default 72 h); a later deployment within the window shipped a revert of a change it
//!   shipped. [`FailureRule`] says which.
//! - **Recovery time** runs from the failed deployment to the one that restored service: the
//!   rollback, the hotfix, the deployment that shipped the revert, or — for one recorded
//!   failed — the next deployment not itself recorded failed.
//! - **Rework rate**: unplanned deployments (rollbacks, hotfix-lane runs, deployments that
//!   shipped a change linked to an emergency change request — moved the environment over it,
//!   the first time or again after a rollback) over all deployments.
//! - Medians of an even count are the mean of the middle two (rounded down to the second);
//!   p85 is the nearest-rank value (the ⌈0.85·n⌉-th smallest).
//!
//! Every figure comes with the count it is computed from; a window without deployments has
//! no rate and no median (`None`), never 0 % or NaN.

mod band;
mod records;
mod report;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, Utc};

use crate::DeploymentKind;

pub use band::{DurationBand, FrequencyBand, RateBand};
pub use records::{deployments_of, kind_of_move, RefMove, RunRecord, RUN_SLACK_SECONDS};
pub use report::{
    ChangeLead, DeploymentFacts, DoraError, DoraReport, Failure, FailureRule, Rate, Restored,
    Spread, Unplanned, Week,
};

/// The default failure window: a hotfix or revert this soon after a deployment marks it failed.
pub const DEFAULT_FAILURE_WINDOW_HOURS: i64 = 72;

/// Where Slipway learned of a deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeploymentSource {
    /// One of Slipway's own runs.
    Slipway,
    /// A move of the tracking branch, from its reflog.
    Reflog,
    /// A tag matching the environment's pattern, by its date.
    Tag,
    /// A deployment recorded in the database (environments tracked with `db`).
    Record,
}

/// A change as the metrics need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoraChange {
    /// Full sha.
    pub sha: String,
    /// One-line title.
    pub title: String,
    /// Author time of the earliest commit it brought.
    pub first_commit_at: DateTime<Utc>,
    /// When it landed (committer time; for a commit off trunk's line, its own).
    pub merged_at: DateTime<Utc>,
    /// The sha it reverts, if it is a revert.
    pub reverts: Option<String>,
}

/// A change on trunk's first-parent line at `position` (larger is newer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrunkChange {
    /// Position on trunk's line.
    pub position: i64,
    /// The change.
    pub change: DoraChange,
}

/// One deployment of an environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvDeployment {
    /// When the ref moved (or the run ended, for a redeploy).
    pub at: DateTime<Utc>,
    /// Its kind (for moves read from git: backwards is a rollback, off trunk's line a hotfix).
    pub kind: DeploymentKind,
    /// Where it was learned.
    pub source: DeploymentSource,
    /// The commit deployed.
    pub sha: String,
    /// The trunk position the environment stood on after it (for a commit off trunk's line,
    /// the trunk commit it is based on); `None` when not known.
    pub position: Option<i64>,
    /// Commits off trunk's line it brought (a hotfix's), indices into [`DoraInput::off_trunk`].
    pub off_trunk: Vec<usize>,
    /// A Slipway run that moved the ref and then failed.
    pub recorded_failed: bool,
    /// The Slipway run, when it was one.
    pub run: Option<i64>,
}

/// An environment and every deployment known of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentRecord {
    /// Its name.
    pub name: String,
    /// Its deployments, in any order.
    pub deployments: Vec<EnvDeployment>,
}

/// An emergency change request and the changes linked to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencyLink {
    /// The request's number.
    pub request: i64,
    /// Linked change shas (full or abbreviated, at least 7 digits).
    pub changes: Vec<String>,
}

/// Everything the metrics read for one project.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DoraInput {
    /// Trunk's first-parent line, in any order.
    pub trunk: Vec<TrunkChange>,
    /// Commits off trunk's line that deployments brought.
    pub off_trunk: Vec<DoraChange>,
    /// The pipeline's environments, in order (each one's upstream is the one before).
    pub environments: Vec<EnvironmentRecord>,
    /// Emergency requests with linked changes.
    pub emergency: Vec<EmergencyLink>,
}

/// What to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoraAsk {
    /// Index of the environment in [`DoraInput::environments`].
    pub environment: usize,
    /// Window start (inclusive).
    pub from: DateTime<Utc>,
    /// Window end (exclusive).
    pub to: DateTime<Utc>,
    /// A hotfix or revert this soon after a deployment marks it failed.
    pub failure_window: Duration,
}

/// The per-environment reading of its deployments: time order, what each brought first, and
/// when each trunk position arrived.
struct EnvRead<'a> {
    deployments: Vec<&'a EnvDeployment>,
    /// Indices into trunk (sorted by position) each deployment brought first.
    brought: Vec<Vec<usize>>,
    /// `(highest position reached, when)`, rising; the first entry is the record's start.
    steps: Vec<(i64, DateTime<Utc>)>,
    /// The trunk positions each deployment moved the environment over: `(from, to]`.
    moved: Vec<Option<(i64, i64)>>,
}

impl<'a> EnvRead<'a> {
    fn new(record: &'a EnvironmentRecord, positions: &[i64]) -> EnvRead<'a> {
        let mut deployments: Vec<&EnvDeployment> = record.deployments.iter().collect();
        deployments.sort_by_key(|d| d.at);
        let mut brought = Vec::with_capacity(deployments.len());
        let mut steps: Vec<(i64, DateTime<Utc>)> = Vec::new();
        let mut moved = Vec::with_capacity(deployments.len());
        let mut standing: Option<i64> = None;
        for d in &deployments {
            let mut got = Vec::new();
            moved.push(match (standing, d.position) {
                (Some(before), Some(p)) if p > before => Some((before, p)),
                _ => None,
            });
            if d.position.is_some() {
                standing = d.position;
            }
            if let Some(p) = d.position {
                match steps.last() {
                    None => steps.push((p, d.at)),
                    Some(&(high, _)) if p > high => {
                        let lo = positions.partition_point(|&q| q <= high);
                        let hi = positions.partition_point(|&q| q <= p);
                        got.extend(lo..hi);
                        steps.push((p, d.at));
                    }
                    Some(_) => {}
                }
            }
            brought.push(got);
        }
        EnvRead {
            deployments,
            brought,
            steps,
            moved,
        }
    }

    /// When the environment first held trunk position `p` (`None`: before its record, or not yet).
    fn arrival(&self, p: i64) -> Option<DateTime<Utc>> {
        let (&(start, _), rest) = self.steps.split_first()?;
        if p <= start {
            return None;
        }
        let i = rest.partition_point(|&(high, _)| high < p);
        rest.get(i).map(|&(_, at)| at)
    }
}

/// Computes the metrics of `ask.environment` over `[ask.from, ask.to)`.
pub fn compute(input: &DoraInput, ask: DoraAsk) -> Result<DoraReport, DoraError> {
    let target = input
        .environments
        .get(ask.environment)
        .ok_or(DoraError::NoEnvironment(ask.environment))?;
    if ask.to < ask.from {
        return Err(DoraError::EmptyWindow);
    }
    let mut trunk: Vec<&TrunkChange> = input.trunk.iter().collect();
    trunk.sort_by_key(|c| c.position);
    let positions: Vec<i64> = trunk.iter().map(|c| c.position).collect();
    let reads: Vec<EnvRead> = input.environments[..=ask.environment]
        .iter()
        .map(|r| EnvRead::new(r, &positions))
        .collect();
    let read = &reads[ask.environment];
    let all = &read.deployments;

    // Which deployment first brought each reverted change, for the revert rule.
    let reverted: HashSet<&str> = trunk
        .iter()
        .map(|c| &c.change)
        .chain(&input.off_trunk)
        .filter_map(|c| c.reverts.as_deref())
        .collect();
    let mut brought_by: HashMap<&str, usize> = HashMap::new();
    for (i, (d, got)) in all.iter().zip(&read.brought).enumerate() {
        let shas = got.iter().map(|&t| trunk[t].change.sha.as_str()).chain(
            d.off_trunk
                .iter()
                .filter_map(|&o| Some(input.off_trunk.get(o)?.sha.as_str())),
        );
        for sha in shas.filter(|s| reverted.contains(s)) {
            brought_by.entry(sha).or_insert(i);
        }
    }
    let failures = mark_failures(input, &trunk, read, &brought_by, ask.failure_window);
    // Where each emergency request's linked changes stand on trunk.
    let by_sha: HashMap<&str, i64> = if input.emergency.is_empty() {
        HashMap::new()
    } else {
        trunk
            .iter()
            .map(|c| (c.change.sha.as_str(), c.position))
            .collect()
    };
    let linked: Vec<(i64, Vec<i64>, &[String])> = input
        .emergency
        .iter()
        .map(|e| {
            let positions = e
                .changes
                .iter()
                .flat_map(|l| match by_sha.get(l.as_str()) {
                    Some(&p) => vec![p],
                    // An abbreviated sha: every change it names.
                    None => trunk
                        .iter()
                        .filter(|c| same_sha(&c.change.sha, l))
                        .map(|c| c.position)
                        .collect(),
                })
                .collect();
            (e.request, positions, e.changes.as_slice())
        })
        .collect();

    let in_window = |at: DateTime<Utc>| at >= ask.from && at < ask.to;
    let mut deployments = Vec::new();
    let mut changes = Vec::new();
    for (i, d) in all.iter().enumerate() {
        if !in_window(d.at) {
            continue;
        }
        let mut shas: Vec<String> = Vec::new();
        for &t in &read.brought[i] {
            let c = &trunk[t];
            shas.push(c.change.sha.clone());
            let stage_waits = stage_waits(&reads, c, d.at);
            changes.push(lead(&c.change, false, d, stage_waits));
        }
        for c in d.off_trunk.iter().filter_map(|&o| input.off_trunk.get(o)) {
            shas.push(c.sha.clone());
            changes.push(lead(c, true, d, Vec::new()));
        }
        let unplanned = match d.kind {
            DeploymentKind::Rollback => Some(Unplanned::Rollback),
            DeploymentKind::Hotfix => Some(Unplanned::Hotfix),
            // It shipped a linked change: moved the environment over it, or carried it off
            // trunk's line — the first time or again after a rollback.
            _ => linked
                .iter()
                .find(|(_, positions, links)| {
                    read.moved[i]
                        .is_some_and(|(from, to)| positions.iter().any(|&p| p > from && p <= to))
                        || d.off_trunk
                            .iter()
                            .filter_map(|&o| input.off_trunk.get(o))
                            .any(|c| links.iter().any(|l| same_sha(&c.sha, l)))
                })
                .map(|&(request, _, _)| Unplanned::Emergency(request)),
        };
        deployments.push(DeploymentFacts {
            deployment: (*d).clone(),
            brought: shas,
            failure: failures[i].clone(),
            unplanned,
        });
    }

    let stage_count = ask.environment + 1;
    let summary = Summary::of(&deployments, &changes, stage_count);
    let span = (ask.to - ask.from).num_seconds();
    let count = deployments.len();
    let weeks = weeks_of(ask.from, ask.to)
        .into_iter()
        .map(|(start, end)| {
            // Both lists are in time order: a week is a slice of each.
            let ds = &deployments[deployments.partition_point(|d| d.deployment.at < start)
                ..deployments.partition_point(|d| d.deployment.at < end)];
            let cs = &changes[changes.partition_point(|c| c.deployed_at < start)
                ..changes.partition_point(|c| c.deployed_at < end)];
            let s = Summary::of(ds, cs, stage_count);
            Week {
                start,
                deployments: ds.len(),
                failed: s.failed,
                unplanned: s.unplanned,
                changes: cs.len(),
                lead: s.lead,
                recovery: s.recovery,
                stages: s.stages,
            }
        })
        .collect();
    let stages = input.environments[..=ask.environment]
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let up = (k > 0).then(|| input.environments[k - 1].name.clone());
            (up, e.name.clone())
        })
        .collect();
    Ok(DoraReport {
        from: ask.from,
        to: ask.to,
        environment: target.name.clone(),
        stages,
        per_week: (count > 0 && span > 0).then(|| count as f64 * 604_800.0 / span as f64),
        frequency_band: (count > 0).then(|| FrequencyBand::of(span / count as i64)),
        lead: summary.lead,
        lead_from_merge: summary.lead_from_merge,
        lead_band: summary.lead.map(|s| DurationBand::of(s.median)),
        change_fail: Rate::of(summary.failed, count),
        recovery: summary.recovery,
        recovered: summary.recovered,
        unrecovered: summary.failed - summary.recovered,
        recovery_band: summary.recovery.map(|s| DurationBand::of(s.median)),
        rework: Rate::of(summary.unplanned, count),
        stage_waits: summary.stages,
        weeks,
        deployments,
        changes,
    })
}

/// The figures of a set of deployments and changes (the window's, or a week's).
struct Summary {
    failed: usize,
    recovered: usize,
    unplanned: usize,
    lead: Option<Spread>,
    lead_from_merge: Option<Spread>,
    recovery: Option<Spread>,
    stages: Vec<Option<Spread>>,
}

impl Summary {
    fn of(deployments: &[DeploymentFacts], changes: &[ChangeLead], stages: usize) -> Summary {
        let mut recovery: Vec<i64> = deployments
            .iter()
            .filter_map(|d| Some(d.failure.as_ref()?.restored.as_ref()?.after_seconds))
            .collect();
        let mut leads: Vec<i64> = changes.iter().map(|c| c.lead_seconds).collect();
        let mut merges: Vec<i64> = changes.iter().map(|c| c.from_merge_seconds).collect();
        Summary {
            failed: deployments.iter().filter(|d| d.failure.is_some()).count(),
            recovered: recovery.len(),
            unplanned: deployments.iter().filter(|d| d.unplanned.is_some()).count(),
            lead: Spread::of(&mut leads),
            lead_from_merge: Spread::of(&mut merges),
            recovery: Spread::of(&mut recovery),
            stages: (0..stages)
                .map(|k| {
                    let mut waits: Vec<i64> = changes
                        .iter()
                        .filter_map(|c| c.stage_waits.get(k).copied().flatten())
                        .collect();
                    Spread::of(&mut waits)
                })
                .collect(),
        }
    }
}

/// Marks each deployment (time order) failed by the first rule that holds.
fn mark_failures(
    input: &DoraInput,
    trunk: &[&TrunkChange],
    read: &EnvRead,
    brought_by: &HashMap<&str, usize>,
    window: Duration,
) -> Vec<Option<Failure>> {
    let all = &read.deployments;
    let restored = |i: usize, by: usize| {
        let (d, r) = (all[i], all[by]);
        Restored {
            at: r.at,
            sha: r.sha.clone(),
            kind: r.kind,
            after_seconds: (r.at - d.at).num_seconds().max(0),
        }
    };
    // The earliest revert of something each deployment shipped, within the window.
    let mut reverted: Vec<Option<usize>> = vec![None; all.len()];
    for (j, d) in all.iter().enumerate() {
        let reverts = read.brought[j]
            .iter()
            .map(|&t| &trunk[t].change)
            .chain(d.off_trunk.iter().filter_map(|&o| input.off_trunk.get(o)))
            .filter_map(|c| c.reverts.as_deref());
        for target in reverts {
            let Some(&i) = brought_by.get(target) else {
                continue;
            };
            if i < j && all[j].at - all[i].at <= window && reverted[i].is_none() {
                reverted[i] = Some(j);
            }
        }
    }
    (0..all.len())
        .map(|i| {
            let d = all[i];
            let next = all.get(i + 1);
            let (rule, by) = if d.recorded_failed {
                let by = (i + 1..all.len()).find(|&j| !all[j].recorded_failed);
                (FailureRule::RecordedFailed, by)
            } else if next.is_some_and(|n| n.kind == DeploymentKind::Rollback) {
                (FailureRule::RolledBack, Some(i + 1))
            } else if next
                .is_some_and(|n| n.kind == DeploymentKind::Hotfix && n.at - d.at <= window)
            {
                (FailureRule::HotfixFollowed, Some(i + 1))
            } else if let Some(j) = reverted[i] {
                (FailureRule::Reverted, Some(j))
            } else {
                return None;
            };
            Some(Failure {
                rule,
                restored: by.map(|j| restored(i, j)),
            })
        })
        .collect()
}

/// A trunk change's wait before each environment up to the target, ending at its deployment.
fn stage_waits(reads: &[EnvRead], c: &TrunkChange, deployed: DateTime<Utc>) -> Vec<Option<i64>> {
    let last = reads.len() - 1;
    let arrivals: Vec<Option<DateTime<Utc>>> = reads
        .iter()
        .enumerate()
        .map(|(k, r)| {
            if k == last {
                Some(deployed)
            } else {
                r.arrival(c.position)
            }
        })
        .collect();
    (0..reads.len())
        .map(|k| {
            let since = if k == 0 {
                Some(c.change.merged_at)
            } else {
                arrivals[k - 1]
            };
            Some((arrivals[k]? - since?).num_seconds().max(0))
        })
        .collect()
}

fn lead(
    c: &DoraChange,
    off_trunk: bool,
    d: &EnvDeployment,
    stage_waits: Vec<Option<i64>>,
) -> ChangeLead {
    ChangeLead {
        change: c.clone(),
        off_trunk,
        deployed_at: d.at,
        deployment_sha: d.sha.clone(),
        lead_seconds: (d.at - c.first_commit_at).num_seconds().max(0),
        from_merge_seconds: (d.at - c.merged_at).num_seconds().max(0),
        stage_waits,
    }
}

/// Whether a linked sha (possibly abbreviated) names `full`.
fn same_sha(full: &str, linked: &str) -> bool {
    linked.len() >= 7
        && full.len() >= linked.len()
        && full[..linked.len()].eq_ignore_ascii_case(linked)
}

/// The window cut at each Monday 00:00 UTC: `[start, end)` pieces, oldest first.
pub fn weeks_of(from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut out = Vec::new();
    let mut start = from;
    while start < to {
        let day = start.date_naive();
        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        let next = (monday + Duration::days(7))
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc())
            .unwrap_or(to);
        let end = next.min(to);
        out.push((start, end));
        start = end;
    }
    out
}
