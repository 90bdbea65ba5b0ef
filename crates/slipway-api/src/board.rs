//! The pipeline board: trunk and every environment with its queue, for every project.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use slipway_core::{
    format_age, AgeBand, Change, Clock, Project, Queue, QueuedChange, TrackingRef, WaitingSource,
};
use slipway_git::{GitError, PipelineRead, Repo, StageRef, Standing, Tip};
use ts_rs::TS;

use crate::clocks::ClockDto;
use crate::fetch::fetch_state_dto;
use crate::{ApiError, ErrorCode, FetchStateDto, Workspace};

/// Open repositories by path, kept between refreshes so a new merge costs one commit read.
pub type RepoCache = HashMap<PathBuf, Repo>;

/// How many recent trunk changes the trunk column shows.
const RECENT_ON_TRUNK: usize = 12;

/// One change as the UI and `--json` see it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChangeDto {
    /// Full commit sha.
    pub sha: String,
    /// First 8 characters of the sha.
    pub short_sha: String,
    /// One-line title.
    pub title: String,
    /// Author name.
    pub author: String,
    /// Author email.
    pub author_email: String,
    /// `Co-authored-by` trailers, as `Name <email>`.
    pub co_authors: Vec<String>,
    /// When it landed on trunk, RFC 3339 UTC.
    pub merged_at: String,
    /// PR/MR number, when the message names one.
    #[ts(type = "number | null")]
    pub pr: Option<u64>,
    /// Ticket keys such as `PAY-123`.
    pub tickets: Vec<String>,
    /// Sha of the change this one reverts.
    pub reverts: Option<String>,
    /// A merge commit (true) or a squash merge (false).
    pub is_merge: bool,
}

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

/// Why a queued change has not moved on.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BlockerDto {
    /// Stable kind: `not_promoted`, `reverted_later` (sign-offs, freezes and holds will join).
    pub kind: String,
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
    pub hold: Option<crate::HoldDto>,
    /// Freeze windows on now, as sentences.
    pub frozen: Vec<String>,
    /// Its sign-off rule in words ("2 qa sign-offs"), if it has one.
    pub signoff_rule: Option<String>,
    /// Its newest promotion, rollback, redeploy or hotfix.
    pub last_deployment: Option<crate::DeploymentDto>,
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
    pub follow_ups: Vec<crate::FollowUpDto>,
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
pub async fn load_board_cached(
    workspace: &Workspace,
    clock: &dyn Clock,
    repos: &mut RepoCache,
) -> Result<BoardDto, ApiError> {
    let now = clock.now();
    let projects = workspace.store().projects().await?;
    let fetches = workspace.store().fetches().await?;
    let mut boards = Vec::with_capacity(projects.len());
    for project in projects {
        let fetch = fetches.get(&project.name).map(fetch_state_dto);
        let recorded = recorded(workspace, &project.name).await?;
        let repo = repos.remove(&project.repo_path);
        let (board, repo) =
            tokio::task::spawn_blocking(move || project_board(&project, repo, &recorded, now))
                .await
                .map_err(|e| {
                    ApiError::new(
                        ErrorCode::Internal,
                        format!("Reading the repository stopped unexpectedly: {e}."),
                    )
                })?;
        if let Some(repo) = repo {
            repos.insert(repo.path().to_path_buf(), repo);
        }
        let mut board = ProjectBoardDto { fetch, ..board };
        crate::gates::add_gates(workspace, &mut board, now.timestamp()).await?;
        boards.push(board);
    }
    Ok(BoardDto {
        workspace: workspace.dir().display().to_string(),
        generated_at: rfc3339(now),
        projects: boards,
    })
}

fn project_board(
    project: &Project,
    cached: Option<Repo>,
    recorded: &Recorded,
    now: DateTime<Utc>,
) -> (ProjectBoardDto, Option<Repo>) {
    let mut board = ProjectBoardDto {
        name: project.name.clone(),
        repo_path: project.repo_path.display().to_string(),
        trunk: None,
        environments: Vec::new(),
        error: None,
        fetch: None,
        follow_ups: Vec::new(),
    };
    let in_project = |e: GitError| ApiError::from(e).in_project(&project.name);
    let opened = match cached {
        Some(repo) if project.repo_path.exists() => Ok(repo),
        _ => Repo::open(&project.repo_path),
    };
    let mut repo = match opened {
        Ok(repo) => repo,
        Err(e) => {
            board.error = Some(in_project(e));
            return (board, None);
        }
    };
    let read = match read_project(&mut repo, project, recorded) {
        Ok(read) => read,
        Err(e) => {
            board.error = Some(in_project(e));
            return (board, Some(repo));
        }
    };
    let (tip, recent) = read.trunk;
    board.trunk = Some(TrunkColumnDto {
        branch: project.pipeline.trunk.clone(),
        tip: tip_dto(tip, now),
        recent: recent.iter().map(change_dto).collect(),
    });
    for ((env, upstream), result) in project.pipeline.stages().zip(read.environments) {
        let mut column = EnvironmentColumnDto {
            name: env.name.clone(),
            strategy: env.tracking.strategy().to_string(),
            ref_name: env.tracking.ref_name().to_string(),
            upstream: upstream.label().to_string(),
            tip: None,
            standing: None,
            queue: Vec::new(),
            only_here: Vec::new(),
            oldest_age_seconds: 0,
            error: None,
            hold: None,
            frozen: Vec::new(),
            signoff_rule: None,
            last_deployment: None,
            running: None,
        };
        match result {
            Ok(read) => {
                let queue = Queue::build(&env.name, read.queued, &read.upstream_moves, now);
                column.oldest_age_seconds = queue.oldest_age_seconds();
                column.tip = Some(tip_dto(read.tip, now));
                column.standing = Some(match read.standing {
                    Standing::UpToDate => StandingDto::UpToDate,
                    Standing::Behind => StandingDto::Behind,
                    Standing::Ahead => StandingDto::Ahead,
                    Standing::Diverged => StandingDto::Diverged,
                });
                column.queue = queue.changes.into_iter().map(queued_dto).collect();
                column.only_here = read.only_here.iter().map(|c| change_dto(c)).collect();
            }
            Err(e) => column.error = Some(in_project(e)),
        }
        board.environments.push(column);
    }
    (board, Some(repo))
}

/// Deployments recorded in the database, by environment: (when, full sha), oldest first.
pub(crate) type Recorded = HashMap<String, Vec<(DateTime<Utc>, String)>>;

/// A project's recorded deployments, read before the blocking git work.
pub(crate) async fn recorded(workspace: &Workspace, project: &str) -> Result<Recorded, ApiError> {
    let records = workspace.store().deployments(project).await?;
    Ok(records
        .into_iter()
        .map(|(env, list)| {
            let list = list
                .into_iter()
                .map(|d| (crate::clocks::time(d.at), d.sha))
                .collect();
            (env, list)
        })
        .collect())
}

/// Reads a project's whole pipeline from its repository (and, for environments tracked
/// only in the database, from their recorded deployments).
pub(crate) fn read_project(
    repo: &mut Repo,
    project: &Project,
    recorded: &Recorded,
) -> Result<PipelineRead, GitError> {
    let stages = stages_of(repo, project, recorded);
    repo.read_pipeline(&project.pipeline, stages, RECENT_ON_TRUNK)
}

/// Where each environment's ref stands, with its known moves: from git, or for environments
/// tracked only in the database, from their recorded deployments.
pub(crate) fn stages_of(
    repo: &Repo,
    project: &Project,
    recorded: &Recorded,
) -> Vec<Result<StageRef, GitError>> {
    project
        .pipeline
        .environments
        .iter()
        .map(|env| match &env.tracking {
            TrackingRef::Database => match recorded.get(&env.name) {
                Some(records) if !records.is_empty() => repo.stage_from_records(records),
                _ => Err(GitError::NotRecorded(env.name.clone())),
            },
            tracking => repo.stage(tracking),
        })
        .collect()
}

pub(crate) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(crate) fn change_dto(c: &Change) -> ChangeDto {
    ChangeDto {
        short_sha: c.sha.chars().take(8).collect(),
        sha: c.sha.clone(),
        title: c.title.clone(),
        author: c.author.clone(),
        author_email: c.author_email.clone(),
        co_authors: c.co_authors.clone(),
        merged_at: rfc3339(c.merged_at),
        pr: c.pr,
        tickets: c.tickets.clone(),
        reverts: c.reverts.clone(),
        is_merge: c.is_merge,
    }
}

fn tip_dto(tip: Tip, now: DateTime<Utc>) -> TipDto {
    TipDto {
        since: rfc3339(tip.since),
        since_age: format_age((now - tip.since).num_seconds()),
        change: change_dto(&tip.change),
    }
}

fn queued_dto(q: QueuedChange) -> QueuedChangeDto {
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
                kind: b.kind().to_string(),
                sentence: b.sentence(q.age_seconds),
            })
            .collect(),
        change: change_dto(&q.change),
    }
}
