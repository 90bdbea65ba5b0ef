//! The board's wire types, made from the domain values once.

use chrono::{DateTime, Utc};
use serde::Serialize;
use slipway_core::{format_age, AgeBand, Blocker, QueuedChange, WaitingSource};
use slipway_git::Tip;
use ts_rs::TS;

use crate::clocks::ClockDto;
use crate::dto::{wire_words, ChangeDto, DeploymentDto, ShippedAsDto};
use crate::error::ApiError;
use crate::fetch::FetchStateDto;
use crate::follow_ups::FollowUpDto;
use crate::gates::HoldDto;
use crate::time::rfc3339;

/// How worrying a wait is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AgeBandDto {
    /// Under 4 hours.
    Fresh,
    /// 4 hours to a day.
    Waiting,
    /// 1 to 3 days.
    Aging,
    /// 3 days or more.
    Late,
}

/// Where a wait is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WaitingSourceDto {
    /// The merge into trunk.
    Merged,
    /// When the upstream environment got the change.
    UpstreamArrival,
}

/// What keeps a queued change out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BlockerKindDto {
    /// Nobody has promoted it yet.
    NotPromoted,
    /// A later change in the same queue reverts it.
    RevertedLater,
    /// The sign-off rule is not met yet.
    AwaitingSignoff,
    /// Someone rejected it.
    Rejected,
    /// The environment is on hold.
    Hold,
    /// A freeze window is on.
    Freeze,
    /// It is marked bad.
    Bad,
    /// The config guard blocks the environment for a line it brought.
    ConfigGuard,
}

impl From<&Blocker> for BlockerKindDto {
    fn from(b: &Blocker) -> Self {
        match b {
            Blocker::NotPromoted { .. } => BlockerKindDto::NotPromoted,
            Blocker::RevertedLater { .. } => BlockerKindDto::RevertedLater,
            Blocker::AwaitingSignoff { .. } => BlockerKindDto::AwaitingSignoff,
            Blocker::Rejected { .. } => BlockerKindDto::Rejected,
            Blocker::OnHold { .. } => BlockerKindDto::Hold,
            Blocker::Frozen { .. } => BlockerKindDto::Freeze,
            Blocker::MarkedBad { .. } => BlockerKindDto::Bad,
            Blocker::ConfigGuard { .. } => BlockerKindDto::ConfigGuard,
        }
    }
}

/// Why a queued change has not moved on.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BlockerDto {
    /// What kind of blocker.
    pub kind: BlockerKindDto,
    /// The blocker as a sentence ("waiting 2 d 4 h — staging has not taken it yet").
    pub sentence: String,
}

/// A change waiting to enter an environment.
#[derive(Debug, Clone, Serialize, TS)]
pub struct QueuedChangeDto {
    /// The change.
    #[serde(flatten)]
    pub change: ChangeDto,
    /// Since when it has been available upstream, RFC 3339 UTC.
    pub waiting_since: String,
    /// What `waiting_since` was read from.
    pub waiting_source: WaitingSourceDto,
    /// Seconds it has waited (until it shipped as another commit, when it did).
    #[ts(type = "number")]
    pub age_seconds: i64,
    /// The wait as people read it ("3 d 4 h").
    pub age: String,
    /// How worrying the wait is; absent once it shipped as another commit.
    pub band: Option<AgeBandDto>,
    /// Why it has not moved on, most important first (none once shipped as another commit).
    pub blockers: Vec<BlockerDto>,
    /// The environment commit that already carries its patch (a hotfix, a cherry-pick): it
    /// stays listed, as git's range does, but it is not waiting.
    pub shipped_as: Option<ShippedAsDto>,
    /// Its aging clock, where the environment has an aging policy (late = breached).
    pub aging: Option<ClockDto>,
}

/// Where a stage stands.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TipDto {
    /// The commit it stands at.
    pub change: ChangeDto,
    /// When it got there, RFC 3339 UTC.
    pub since: String,
    /// How long ago that was, as people read it.
    pub since_age: String,
}

/// The trunk column.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TrunkColumnDto {
    /// Trunk branch name.
    pub branch: String,
    /// Trunk's head.
    pub tip: TipDto,
    /// The newest changes on trunk, newest first.
    pub recent: Vec<ChangeDto>,
}

/// An environment relative to its upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StandingDto {
    /// Has everything upstream has.
    UpToDate,
    /// Upstream has changes it lacks.
    Behind,
    /// Has commits upstream lacks (a hotfix on its line), lacks none.
    Ahead,
    /// Both.
    Diverged,
}

/// One environment's column.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EnvironmentColumnDto {
    /// Environment name.
    pub name: String,
    /// Tracking strategy: `branch`, `tag` or `db`.
    pub strategy: String,
    /// The tracking ref or tag pattern (such as `deploy/qa`).
    pub ref_name: String,
    /// The upstream stage's name (trunk branch or environment).
    pub upstream: String,
    /// Where it stands; absent when its ref cannot be read.
    pub tip: Option<TipDto>,
    /// Relative to its upstream; absent when its ref cannot be read.
    pub standing: Option<StandingDto>,
    /// Changes waiting to enter it, oldest first.
    pub queue: Vec<QueuedChangeDto>,
    /// Commits only it has (hotfixes), oldest first.
    pub only_here: Vec<ChangeDto>,
    /// How long the oldest queued change has waited, in seconds (0 when none).
    #[ts(type = "number")]
    pub oldest_age_seconds: i64,
    /// Why the column could not be read.
    pub error: Option<ApiError>,
    /// The hold on it, if one is on.
    pub hold: Option<HoldDto>,
    /// Freeze windows on now, as sentences.
    pub frozen: Vec<String>,
    /// Its sign-off rule in words ("2 qa sign-offs"), if it has one.
    pub signoff_rule: Option<String>,
    /// Its newest promotion, rollback, redeploy or hotfix.
    pub last_deployment: Option<DeploymentDto>,
    /// A promotion running now: what, who and since when.
    pub running: Option<String>,
}

/// One project's board.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ProjectBoardDto {
    /// Project name.
    pub name: String,
    /// The local clone.
    pub repo_path: String,
    /// The trunk column; absent when the repository cannot be read.
    pub trunk: Option<TrunkColumnDto>,
    /// Environment columns in pipeline order.
    pub environments: Vec<EnvironmentColumnDto>,
    /// Why the project could not be read, with how to fix it.
    pub error: Option<ApiError>,
    /// Its last fetch; `stale` when the last attempt failed.
    pub fetch: Option<FetchStateDto>,
    /// Open follow-ups (postmortems after rollbacks); they stay until closed.
    pub follow_ups: Vec<FollowUpDto>,
}

/// The whole board.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BoardDto {
    /// The workspace folder.
    pub workspace: String,
    /// When the board was computed, RFC 3339 UTC.
    pub generated_at: String,
    /// Every project, by name.
    pub projects: Vec<ProjectBoardDto>,
}

impl BoardDto {
    /// The first error on the board, if any (the CLI exits non-zero on it).
    pub fn first_error(&self) -> Option<&ApiError> {
        self.projects
            .iter()
            .flat_map(|p| {
                p.error
                    .iter()
                    .chain(p.environments.iter().filter_map(|e| e.error.as_ref()))
            })
            .next()
    }
}

pub(crate) fn tip_dto(tip: &Tip, now: DateTime<Utc>) -> TipDto {
    TipDto {
        since: rfc3339(tip.since),
        since_age: format_age((now - tip.since).num_seconds()),
        change: ChangeDto::from(&tip.change),
    }
}

pub(crate) fn queued_dto(q: &QueuedChange) -> QueuedChangeDto {
    let band = q.band().map(|b| match b {
        AgeBand::Fresh => AgeBandDto::Fresh,
        AgeBand::Waiting => AgeBandDto::Waiting,
        AgeBand::Aging => AgeBandDto::Aging,
        AgeBand::Late => AgeBandDto::Late,
    });
    QueuedChangeDto {
        waiting_since: rfc3339(q.waiting_since),
        waiting_source: match q.source {
            WaitingSource::Merged => WaitingSourceDto::Merged,
            WaitingSource::UpstreamArrival => WaitingSourceDto::UpstreamArrival,
        },
        age_seconds: q.age_seconds,
        age: format_age(q.age_seconds),
        band,
        aging: None,
        shipped_as: q.shipped_as.as_ref().map(ShippedAsDto::from),
        blockers: q
            .blockers
            .iter()
            .map(|b| BlockerDto {
                kind: b.into(),
                sentence: b.sentence(q.age_seconds),
            })
            .collect(),
        change: ChangeDto::from(&*q.change),
    }
}

wire_words!(BlockerKindDto);
