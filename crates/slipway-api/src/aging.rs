//! The aging view: every running clock, and how each environment's queue aged over the
//! last weeks.

use chrono::{DateTime, Utc};
use serde::Serialize;
use slipway_core::Clock;
use slipway_git::Repo;
use ts_rs::TS;

use crate::board::load_board_with_clocks;
use crate::error::{ApiError, ErrorCode};
use crate::repos::{recorded, stages_of, RepoCache};
use crate::time::rfc3339;
use crate::workspace::Workspace;

/// A queued change in the aging view.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AgingChangeDto {
    /// The project.
    pub project: String,
    /// The environment it waits for.
    pub environment: String,
    /// The change.
    pub change: crate::board::QueuedChangeDto,
}

/// One day of a queue's history.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AgingPointDto {
    /// The instant (end of the day, or now for today).
    pub at: String,
    /// Changes waiting.
    #[ts(type = "number")]
    pub queued: i64,
    /// The oldest wait, seconds.
    #[ts(type = "number")]
    pub oldest_seconds: i64,
    /// The median wait, seconds.
    #[ts(type = "number")]
    pub median_seconds: i64,
}

/// How one environment's queue aged over the last weeks.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AgingSeriesDto {
    /// The project.
    pub project: String,
    /// The environment.
    pub environment: String,
    /// One point a day, oldest first (days before the environment's record are left out).
    pub points: Vec<AgingPointDto>,
}

/// The project lead's aging view.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AgingDto {
    /// When it was computed.
    pub generated_at: String,
    /// Open requests, oldest first.
    pub requests: Vec<crate::requests::RequestSummaryDto>,
    /// Every queued change, oldest wait first.
    pub changes: Vec<AgingChangeDto>,
    /// Daily history per environment over the last four weeks.
    pub history: Vec<AgingSeriesDto>,
}

/// Days of history in the aging chart.
const HISTORY_DAYS: i64 = 28;

/// The aging view at the clock's now.
pub(crate) async fn aging_view(
    workspace: &Workspace,
    repos: &mut RepoCache,
    clock: &dyn Clock,
) -> Result<AgingDto, ApiError> {
    let now = clock.now();
    let board = load_board_with_clocks(workspace, clock, repos).await?;
    let mut requests = crate::requests::list_requests(workspace, false, None, clock)
        .await?
        .requests;
    requests.sort_by(|a, b| a.opened_at.cmp(&b.opened_at));
    let mut changes: Vec<AgingChangeDto> = board
        .projects
        .iter()
        .flat_map(|p| {
            p.environments.iter().flat_map(move |e| {
                // A change that shipped as another commit is not aging.
                e.queue
                    .iter()
                    .filter(|q| q.shipped_as.is_none())
                    .map(move |q| AgingChangeDto {
                        project: p.name.clone(),
                        environment: e.name.clone(),
                        change: q.clone(),
                    })
            })
        })
        .collect();
    changes.sort_by_key(|c| -c.change.age_seconds);
    let instants: Vec<DateTime<Utc>> = (0..HISTORY_DAYS)
        .rev()
        .map(|d| now - chrono::Duration::days(d))
        .collect();
    let mut history = Vec::new();
    for project in workspace.store().projects().await? {
        let recorded = recorded(workspace, &project.name).await?;
        let repo = repos.remove(&project.repo_path);
        let instants = instants.clone();
        let (series, repo) = tokio::task::spawn_blocking(move || {
            let mut repo = match repo {
                Some(r) => r,
                None => match Repo::open(&project.repo_path) {
                    Ok(r) => r,
                    Err(_) => return (Vec::new(), None),
                },
            };
            let stages = stages_of(&repo, &project, &recorded);
            let read = repo.queue_history(&project.pipeline, &stages, &instants);
            let series: Vec<AgingSeriesDto> = match read {
                Ok(per_env) => project
                    .pipeline
                    .environments
                    .iter()
                    .zip(per_env)
                    .filter_map(|(env, samples)| {
                        Some(AgingSeriesDto {
                            project: project.name.clone(),
                            environment: env.name.clone(),
                            points: samples?
                                .into_iter()
                                .map(|s| AgingPointDto {
                                    at: rfc3339(s.at),
                                    queued: s.queued as i64,
                                    oldest_seconds: s.oldest_seconds,
                                    median_seconds: s.median_seconds,
                                })
                                .collect(),
                        })
                    })
                    .collect(),
                Err(e) => {
                    tracing::info!(project = %project.name, error = %e, "no aging history");
                    Vec::new()
                }
            };
            (series, Some(repo))
        })
        .await
        .map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("Reading history stopped: {e}."),
            )
        })?;
        if let Some(repo) = repo {
            repos.insert(repo.path().to_path_buf(), repo);
        }
        history.extend(series);
    }
    Ok(AgingDto {
        generated_at: rfc3339(now),
        requests,
        changes,
        history,
    })
}
