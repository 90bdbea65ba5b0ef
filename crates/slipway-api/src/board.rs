//! The pipeline board: trunk and every environment with its queue, for every project.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use slipway_core::{format_age, AgeBand, Change, Clock, Project, Queue, QueuedChange};
use slipway_git::{Repo, Tip};
use ts_rs::TS;

use crate::{ApiError, ErrorCode, Workspace};

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

/// A change waiting to enter an environment.
#[derive(Debug, Clone, Serialize, TS)]
pub struct QueuedChangeDto {
    /// The change.
    #[serde(flatten)]
    pub change: ChangeDto,
    /// Since when it has been available upstream, RFC 3339 UTC.
    pub waiting_since: String,
    /// Seconds it has waited.
    #[ts(type = "number")]
    pub age_seconds: i64,
    /// The wait as people read it ("3 d 4 h").
    pub age: String,
    /// How worrying the wait is.
    pub band: AgeBandDto,
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

/// One environment's column.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EnvironmentColumnDto {
    /// Environment name.
    pub name: String,
    /// The tracking ref (such as `deploy/qa`).
    pub ref_name: String,
    /// The upstream stage's name (trunk branch or environment).
    pub upstream: String,
    /// Where it stands; absent when its ref cannot be read.
    pub tip: Option<TipDto>,
    /// Changes waiting to enter it, oldest first.
    pub queue: Vec<QueuedChangeDto>,
    /// How long the oldest queued change has waited, in seconds (0 when none).
    #[ts(type = "number")]
    pub oldest_age_seconds: i64,
    /// Why the column could not be read.
    pub error: Option<ApiError>,
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

/// Computes the board of every project in the workspace.
pub async fn load_board(workspace: &Workspace, clock: &dyn Clock) -> Result<BoardDto, ApiError> {
    let now = clock.now();
    let projects = workspace.store().projects().await?;
    let mut boards = Vec::with_capacity(projects.len());
    for project in projects {
        let board = tokio::task::spawn_blocking(move || project_board(&project, now))
            .await
            .map_err(|e| {
                ApiError::new(
                    ErrorCode::Internal,
                    format!("Reading the repository stopped unexpectedly: {e}."),
                )
            })?;
        boards.push(board);
    }
    Ok(BoardDto {
        workspace: workspace.dir().display().to_string(),
        generated_at: rfc3339(now),
        projects: boards,
    })
}

fn project_board(project: &Project, now: DateTime<Utc>) -> ProjectBoardDto {
    let mut board = ProjectBoardDto {
        name: project.name.clone(),
        repo_path: project.repo_path.display().to_string(),
        trunk: None,
        environments: Vec::new(),
        error: None,
    };
    let in_project = |e: slipway_git::GitError| ApiError::from(e).in_project(&project.name);
    let repo = match Repo::open(&project.repo_path) {
        Ok(repo) => repo,
        Err(e) => {
            board.error = Some(in_project(e));
            return board;
        }
    };
    let trunk = &project.pipeline.trunk;
    match repo
        .tip(trunk)
        .and_then(|tip| Ok((tip, repo.recent(trunk, RECENT_ON_TRUNK)?)))
    {
        Ok((mut tip, recent)) => {
            // Trunk's head got there when it was merged; the clone's reflog only knows when
            // it was fetched.
            tip.since = tip.change.merged_at;
            board.trunk = Some(TrunkColumnDto {
                branch: trunk.clone(),
                tip: tip_dto(tip, now),
                recent: recent.into_iter().map(change_dto).collect(),
            })
        }
        Err(e) => {
            board.error = Some(in_project(e));
            return board;
        }
    }
    for (env, upstream) in project.pipeline.stages() {
        let ref_name = env.tracking.ref_name();
        let read = repo
            .tip(ref_name)
            .and_then(|tip| Ok((tip, repo.first_parent_range(ref_name, upstream.ref_name())?)));
        let mut column = EnvironmentColumnDto {
            name: env.name.clone(),
            ref_name: ref_name.to_string(),
            upstream: upstream.label().to_string(),
            tip: None,
            queue: Vec::new(),
            oldest_age_seconds: 0,
            error: None,
        };
        match read {
            Ok((tip, changes)) => {
                let queue = Queue::from_changes(changes, now);
                column.oldest_age_seconds = queue.oldest_age_seconds();
                column.tip = Some(tip_dto(tip, now));
                column.queue = queue.changes.into_iter().map(queued_dto).collect();
            }
            Err(e) => column.error = Some(in_project(e)),
        }
        board.environments.push(column);
    }
    board
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn change_dto(c: Change) -> ChangeDto {
    ChangeDto {
        short_sha: c.sha.chars().take(8).collect(),
        sha: c.sha,
        title: c.title,
        author: c.author,
        author_email: c.author_email,
        merged_at: rfc3339(c.merged_at),
        pr: c.pr,
        tickets: c.tickets,
        reverts: c.reverts,
        is_merge: c.is_merge,
    }
}

fn tip_dto(tip: Tip, now: DateTime<Utc>) -> TipDto {
    TipDto {
        since: rfc3339(tip.since),
        since_age: format_age((now - tip.since).num_seconds()),
        change: change_dto(tip.change),
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
        age_seconds: q.age_seconds,
        age: format_age(q.age_seconds),
        band,
        change: change_dto(q.change),
    }
}
