//! The pipeline board: trunk and every environment with its queue, for every project — read
//! as domain values (queues, gates, aging clocks), then turned into wire types once. The CLI
//! and the desktop both come through [`load_board_cached`], so they show the same board.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use slipway_core::{Change, Clock, EnvironmentGates, GatedChange, Project, Queue, QueuedChange};
use slipway_git::{GitError, Repo, Standing, Tip};
use slipway_store::PromotionRecord;

use crate::clocks::{aging_key, ClockDto, ClockWorld, Indexes, LiveClock};
use crate::dto::{running_words, ChangeDto, DeploymentDto};
use crate::error::{stopped, ApiError};
use crate::fetch::{fetch_state_dto, FetchStateDto};
use crate::follow_ups::{follow_ups_of, FollowUpDto};
use crate::gates::{HoldDto, ProjectGates};
use crate::promotion::reconcile_before_read;

use crate::repos::{self, read_project, recorded, Recorded, RepoCache};
use crate::time::{rfc3339, time};
use crate::workspace::Workspace;

mod dto;
mod guarded;

pub use dto::*;

/// Computes the board of every project in the workspace, reading each repository afresh.
pub async fn load_board(workspace: &Workspace, clock: &dyn Clock) -> Result<BoardDto, ApiError> {
    load_board_cached(workspace, clock, &mut RepoCache::new()).await
}

/// Computes the board, reusing (and filling) `repos` so unchanged history is not read again.
/// Runs a crashed process left unfinished are reconciled first (so the board never shows a
/// dead run as running), and queued changes get their aging clocks. `clock` is the real time
/// for every front end: reconciling at a later instant would end other hosts' live runs.
pub async fn load_board_cached(
    workspace: &Workspace,
    clock: &dyn Clock,
    repos: &mut RepoCache,
) -> Result<BoardDto, ApiError> {
    // Late marks are extra: a policy that cannot be read must not cost the board.
    load(workspace, clock, repos, false, None).await
}

/// The board of one project (`slipway queue --project P`): what [`load_board`] says of it,
/// read without the other projects, so it costs the same in a workspace of one or of a
/// hundred.
pub async fn load_project_board(
    workspace: &Workspace,
    clock: &dyn Clock,
    project: &str,
) -> Result<BoardDto, ApiError> {
    let name = workspace.project(project).await?.name;
    load(workspace, clock, &mut RepoCache::new(), false, Some(&name)).await
}

/// The board as [`load_board_cached`] reads it, but a policy that cannot be read is an error
/// (the aging view says why its clocks are missing).
pub(crate) async fn load_board_with_clocks(
    workspace: &Workspace,
    clock: &dyn Clock,
    repos: &mut RepoCache,
) -> Result<BoardDto, ApiError> {
    load(workspace, clock, repos, true, None).await
}

async fn load(
    workspace: &Workspace,
    clock: &dyn Clock,
    repos: &mut RepoCache,
    strict: bool,
    only: Option<&str>,
) -> Result<BoardDto, ApiError> {
    reconcile_before_read(workspace, clock).await;
    let board = read_board_of(workspace, clock, repos, only).await?;
    let now = clock.now();
    let aging = match aging_marks(workspace, &board, now).await {
        Ok(aging) => aging,
        Err(e) if strict => return Err(e),
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
        // One lookup per queued change, not a scan of every clock.
        let by_key: HashMap<&str, &LiveClock> =
            aging.iter().map(|l| (l.spec.key.as_str(), l)).collect();
        let aging_of = |project: &str, environment: &str, sha: &str| {
            by_key
                .get(aging_key(project, environment, sha).as_str())
                .map(|l| l.dto())
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
    read_board_of(workspace, clock, repos, None).await
}

/// [`read_board`] of every project, or `only` one.
async fn read_board_of(
    workspace: &Workspace,
    clock: &dyn Clock,
    repos: &mut RepoCache,
    only: Option<&str>,
) -> Result<Board, ApiError> {
    let now = clock.now();
    let store = workspace.store();
    let mut projects = store.projects().await?;
    projects.retain(|p| only.is_none_or(|name| p.name == name));
    let fetches = store.fetches().await?;
    let running = store.unfinished_promotions().await?;
    let open_follow_ups = follow_ups_of(workspace, only, clock).await?;
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
                .map(running_words);
            columns.push((gates.environment(&env.name), last, running));
        }
        let fetch = fetches.get(&project.name).map(fetch_state_dto);
        let follow_ups = open_follow_ups
            .iter()
            .filter(|f| f.project == project.name)
            .cloned()
            .collect();
        let guard = store.guard_settings(&project.name).await?;
        let (read, repo) = tokio::task::spawn_blocking(move || {
            read_pipeline(project, cached, &recorded, columns, &guard, now)
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
    guard: &slipway_core::guard::GuardSettings,
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
            let mut queue = Queue::build(
                &env.name,
                read.queued,
                &read.upstream_moves,
                &read.shipped,
                now,
            );
            // A change that shipped as another commit waits for nothing, gates included.
            for queued in queue.changes.iter_mut().filter(|q| q.is_waiting()) {
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
    guarded::guard_blockers(&repo, &project, guard, &mut board.columns);
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
