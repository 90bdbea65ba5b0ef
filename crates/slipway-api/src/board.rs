//! The pipeline board: trunk and every environment with its queue, for every project — read
//! as domain values (queues, gates, aging clocks), then turned into wire types once. The CLI
//! and the desktop both come through [`load_board_cached`], so they show the same board.

use crate::dto::wire_words;
use crate::dto::{ChangeDto, DeploymentDto};
use crate::error::stopped;
use crate::repos::{read_project, recorded, Recorded, RepoCache};
use crate::time::{rfc3339, time};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use slipway_core::{
    format_age, AgeBand, Blocker, Change, Clock, EnvironmentGates, GatedChange, Project, Queue,
    QueuedChange, WaitingSource,
};
use slipway_git::{GitError, Repo, Standing, Tip};
use slipway_store::PromotionRecord;
use ts_rs::TS;

use crate::clocks::ClockDto;
use crate::clocks::ClockWorld;
use crate::clocks::Indexes;
use crate::clocks::LiveClock;
use crate::clocks::Subject;

use crate::error::ApiError;
use crate::fetch::fetch_state_dto;
use crate::fetch::FetchStateDto;
use crate::gates::follow_ups;
use crate::gates::FollowUpDto;
use crate::gates::HoldDto;
use crate::gates::ProjectGates;
use crate::promotion::reconcile_interrupted;
use crate::repos;

use crate::workspace::Workspace;

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
    /// Seconds it has waited.
    #[ts(type = "number")]
    pub age_seconds: i64,
    /// The wait as people read it ("3 d 4 h").
    pub age: String,
    /// How worrying the wait is.
    pub band: AgeBandDto,
    /// Why it has not moved on, most important first.
    pub blockers: Vec<BlockerDto>,
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

/// Computes the board of every project in the workspace, reading each repository afresh.
pub async fn load_board(workspace: &Workspace, clock: &dyn Clock) -> Result<BoardDto, ApiError> {
    load_board_cached(workspace, clock, &mut RepoCache::new()).await
}

/// Computes the board, reusing (and filling) `repos` so unchanged history is not read again.
/// Runs a crashed process left unfinished are reconciled first (so the board never shows a
/// dead run as running), and queued changes get their aging clocks.
pub async fn load_board_cached(
    workspace: &Workspace,
    clock: &dyn Clock,
    repos: &mut RepoCache,
) -> Result<BoardDto, ApiError> {
    if let Err(e) = reconcile_interrupted(workspace, clock).await {
        tracing::warn!(error = %e.message, "could not reconcile interrupted promotions");
    }
    let board = read_board(workspace, clock, repos).await?;
    let now = clock.now();
    // Late marks are extra: a policy that cannot be read must not cost the board.
    let aging = match aging_marks(workspace, &board, now).await {
        Ok(aging) => aging,
        Err(e) => {
            tracing::warn!(error = %e.message, "cannot mark late changes");
            Vec::new()
        }
    };
    Ok(board.dto(workspace, now, &aging))
}

/// Every project's pipeline as read, with its gates on: domain values, before wire types.
pub(crate) struct Board {
    /// Each project, in the store's order.
    pub projects: Vec<ProjectRead>,
}

/// One project as read.
pub(crate) struct ProjectRead {
    /// The project.
    pub project: Project,
    /// Trunk's head and its newest changes, when the repository could be read.
    pub trunk: Option<(Tip, Vec<Change>)>,
    /// Each environment, in pipeline order.
    pub columns: Vec<ColumnRead>,
    /// Why the repository could not be read.
    pub error: Option<ApiError>,
    /// The last fetch.
    pub fetch: Option<FetchStateDto>,
    /// Open follow-ups.
    pub follow_ups: Vec<FollowUpDto>,
}

/// One environment as read.
pub(crate) struct ColumnRead {
    /// Environment name.
    pub name: String,
    /// Tracking strategy and ref.
    pub strategy: String,
    /// The tracking ref or tag pattern.
    pub ref_name: String,
    /// The upstream stage's name.
    pub upstream: String,
    /// Where it stands and what waits, or why it could not be read.
    pub read: Result<ColumnState, ApiError>,
    /// Its gates.
    pub gates: EnvironmentGates,
    /// Its newest run.
    pub last: Option<PromotionRecord>,
    /// A run under way: what, who and since when.
    pub running: Option<String>,
}

/// Where an environment stands.
pub(crate) struct ColumnState {
    /// Its tip.
    pub tip: Tip,
    /// Relative to its upstream.
    pub standing: Standing,
    /// What waits to enter it, with every blocker.
    pub queue: Queue,
    /// Commits only it has.
    pub only_here: Vec<Arc<Change>>,
}

impl Board {
    /// Every queued change with its project and environment.
    pub(crate) fn queued(&self) -> impl Iterator<Item = (&str, &str, &QueuedChange)> {
        self.projects.iter().flat_map(|p| {
            p.columns.iter().flat_map(move |c| {
                c.read.iter().flat_map(move |r| {
                    r.queue
                        .changes
                        .iter()
                        .map(move |q| (p.project.name.as_str(), c.name.as_str(), q))
                })
            })
        })
    }

    /// The wire form, with `aging` clocks on the changes they belong to.
    fn dto(self, workspace: &Workspace, now: DateTime<Utc>, aging: &[LiveClock]) -> BoardDto {
        let aging_of = |project: &str, environment: &str, sha: &str| {
            aging.iter().find_map(|live| match &live.subject {
                Subject::Queued {
                    project: p,
                    environment: e,
                    sha: s,
                    ..
                } if p == project && e == environment && s == sha => Some(live.dto()),
                _ => None,
            })
        };
        BoardDto {
            workspace: workspace.dir().display().to_string(),
            generated_at: rfc3339(now),
            projects: self
                .projects
                .into_iter()
                .map(|p| p.dto(now, &aging_of))
                .collect(),
        }
    }
}

impl ProjectRead {
    fn dto(
        self,
        now: DateTime<Utc>,
        aging_of: &dyn Fn(&str, &str, &str) -> Option<ClockDto>,
    ) -> ProjectBoardDto {
        let name = self.project.name.clone();
        ProjectBoardDto {
            repo_path: self.project.repo_path.display().to_string(),
            trunk: self.trunk.map(|(tip, recent)| TrunkColumnDto {
                branch: self.project.pipeline.trunk.clone(),
                tip: tip_dto(&tip, now),
                recent: recent.iter().map(ChangeDto::from).collect(),
            }),
            environments: self
                .columns
                .into_iter()
                .map(|c| c.dto(&name, now, aging_of))
                .collect(),
            error: self.error,
            fetch: self.fetch,
            follow_ups: self.follow_ups,
            name,
        }
    }
}

impl ColumnRead {
    fn dto(
        self,
        project: &str,
        now: DateTime<Utc>,
        aging_of: &dyn Fn(&str, &str, &str) -> Option<ClockDto>,
    ) -> EnvironmentColumnDto {
        let gates = &self.gates;
        let mut column = EnvironmentColumnDto {
            strategy: self.strategy,
            ref_name: self.ref_name,
            upstream: self.upstream,
            tip: None,
            standing: None,
            queue: Vec::new(),
            only_here: Vec::new(),
            oldest_age_seconds: 0,
            error: None,
            hold: gates.hold.as_ref().map(|h| HoldDto {
                reason: h.reason.clone(),
                owner: h.owner.clone(),
                since: rfc3339(time(h.since)),
            }),
            frozen: gates
                .freezes
                .iter()
                .map(|f| format!("{} ({})", f.reason, f.window))
                .collect(),
            signoff_rule: gates.rule.as_ref().map(|r| r.describe()),
            last_deployment: self.last.as_ref().map(DeploymentDto::from),
            running: self.running,
            name: self.name,
        };
        match self.read {
            Ok(read) => {
                column.oldest_age_seconds = read.queue.oldest_age_seconds();
                column.tip = Some(tip_dto(&read.tip, now));
                column.standing = Some(match read.standing {
                    Standing::UpToDate => StandingDto::UpToDate,
                    Standing::Behind => StandingDto::Behind,
                    Standing::Ahead => StandingDto::Ahead,
                    Standing::Diverged => StandingDto::Diverged,
                });
                column.queue = read
                    .queue
                    .changes
                    .iter()
                    .map(|q| {
                        let mut dto = queued_dto(q);
                        dto.aging = aging_of(project, &column.name, &q.change.sha);
                        dto
                    })
                    .collect();
                column.only_here = read
                    .only_here
                    .iter()
                    .map(|c| ChangeDto::from(&**c))
                    .collect();
            }
            Err(e) => column.error = Some(e),
        }
        column
    }
}

/// Reads every project's pipeline and puts its gates on: each queued change's gate blockers
/// go before the queue's own (not promoted yet, reverted later).
pub(crate) async fn read_board(
    workspace: &Workspace,
    clock: &dyn Clock,
    repos: &mut RepoCache,
) -> Result<Board, ApiError> {
    let now = clock.now();
    let store = workspace.store();
    let projects = store.projects().await?;
    let fetches = store.fetches().await?;
    let running = store.unfinished_promotions().await?;
    let open_follow_ups = follow_ups(workspace, false).await?;
    let mut out = Vec::with_capacity(projects.len());
    for project in projects {
        let recorded = recorded(workspace, &project.name).await?;
        let cached = repos::take(repos, &project);
        let gates = ProjectGates::load(workspace, &project.name, now.timestamp()).await?;
        let mut columns = Vec::new();
        for env in &project.pipeline.environments {
            let last = store
                .promotions(&project.name, Some(&env.name), 1)
                .await?
                .into_iter()
                .next();
            let running = running
                .iter()
                .find(|p| p.spec.project == project.name && p.spec.environment == env.name)
                .map(|p| {
                    format!(
                        "{} by {} since {}",
                        p.spec.kind,
                        p.spec.by,
                        rfc3339(time(p.spec.at))
                    )
                });
            columns.push((gates.environment(&env.name), last, running));
        }
        let fetch = fetches.get(&project.name).map(fetch_state_dto);
        let follow_ups = open_follow_ups
            .iter()
            .filter(|f| f.project == project.name)
            .cloned()
            .collect();
        let (read, repo) = tokio::task::spawn_blocking(move || {
            read_pipeline(project, cached, &recorded, columns, now)
        })
        .await
        .map_err(|e| stopped("Reading the repository", e))?;
        repos::keep(repos, repo);
        out.push(ProjectRead {
            fetch,
            follow_ups,
            ..read
        });
    }
    Ok(Board { projects: out })
}

type ColumnGates = (EnvironmentGates, Option<PromotionRecord>, Option<String>);

fn read_pipeline(
    project: Project,
    cached: Option<Repo>,
    recorded: &Recorded,
    gates: Vec<ColumnGates>,
    now: DateTime<Utc>,
) -> (ProjectRead, Option<Repo>) {
    let in_project = |e: GitError| ApiError::from(e).in_project(&project.name);
    let mut board = ProjectRead {
        project: project.clone(),
        trunk: None,
        columns: Vec::new(),
        error: None,
        fetch: None,
        follow_ups: Vec::new(),
    };
    let opened = match cached {
        Some(repo) => Ok(repo),
        None => Repo::open(&project.repo_path),
    };
    let mut repo = match opened {
        Ok(repo) => repo,
        Err(e) => {
            board.error = Some(in_project(e));
            return (board, None);
        }
    };
    let read = match read_project(&mut repo, &project, recorded) {
        Ok(read) => read,
        Err(e) => {
            board.error = Some(in_project(e));
            return (board, Some(repo));
        }
    };
    board.trunk = Some(read.trunk);
    for (((env, upstream), result), (gates, last, running)) in
        project.pipeline.stages().zip(read.environments).zip(gates)
    {
        let read = result.map_err(in_project).map(|read| {
            let mut queue = Queue::build(&env.name, read.queued, &read.upstream_moves, now);
            for queued in &mut queue.changes {
                let mut blockers = gates.blockers(&GatedChange::of(&queued.change));
                blockers.append(&mut queued.blockers);
                queued.blockers = blockers;
            }
            ColumnState {
                tip: read.tip,
                standing: read.standing,
                queue,
                only_here: read.only_here,
            }
        });
        board.columns.push(ColumnRead {
            name: env.name.clone(),
            strategy: env.tracking.strategy().to_string(),
            ref_name: env.tracking.ref_name().to_string(),
            upstream: upstream.label().to_string(),
            read,
            gates,
            last,
            running,
        });
    }
    (board, Some(repo))
}

/// The aging clocks of every queued change whose environment has an aging policy.
pub(crate) async fn aging_marks(
    workspace: &Workspace,
    board: &Board,
    now: DateTime<Utc>,
) -> Result<Vec<LiveClock>, ApiError> {
    // Every board load comes here: without aging policies there is nothing more to read.
    if workspace.store().aging_policies().await?.is_empty() {
        return Ok(Vec::new());
    }
    let world = ClockWorld::load(workspace).await?;
    world.aging_clocks(board.queued(), now, &mut Indexes::default())
}

fn tip_dto(tip: &Tip, now: DateTime<Utc>) -> TipDto {
    TipDto {
        since: rfc3339(tip.since),
        since_age: format_age((now - tip.since).num_seconds()),
        change: ChangeDto::from(&tip.change),
    }
}

fn queued_dto(q: &QueuedChange) -> QueuedChangeDto {
    let band = match q.band() {
        AgeBand::Fresh => AgeBandDto::Fresh,
        AgeBand::Waiting => AgeBandDto::Waiting,
        AgeBand::Aging => AgeBandDto::Aging,
        AgeBand::Late => AgeBandDto::Late,
    };
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
