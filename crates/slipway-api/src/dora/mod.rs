//! Delivery metrics: DORA's five and where the time goes, for one environment of one project.
//! The records are gathered once per call — Slipway's runs from the store, ref moves and
//! changes from the repository, emergency requests' links — and core's `dora::compute` does
//! the rest.

mod dto;
mod present;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use slipway_core::dora::{
    compute, deployments_of, DeploymentSource, DoraAsk, DoraInput, EmergencyLink,
    EnvironmentRecord, RefMove, RunRecord, DEFAULT_FAILURE_WINDOW_HOURS,
};
use slipway_core::{
    ApprovalRule, Clock, DeploymentStatus, Project, Request, RequestKind, TrackingRef,
};
use slipway_git::{DoraHistory, Repo};
use slipway_store::PromotionRecord;

pub use dto::*;
pub use present::dora_csv;

use present::to_dto;

use crate::error::{invalid, ApiError, ErrorCode};
use crate::repos::{blocking, keep, recorded, stages_of, take, RepoCache};
use crate::time::{read_time, rfc3339, time};
use crate::workspace::Workspace;

/// How far before the window records are read: the environment's standing when it began,
/// and when the upstream environments received what the window deployed.
const LOOKBACK_DAYS: i64 = 60;
/// The longest window.
const MAX_DAYS: i64 = 3_650;

/// The metrics `ask` names, at the clock's now.
pub async fn dora(
    workspace: &Workspace,
    repos: &mut RepoCache,
    ask: &DoraAskDto,
    clock: &dyn Clock,
) -> Result<DoraDto, ApiError> {
    let now = clock.now();
    let projects = workspace.store().projects().await?;
    let project = choose_project(&projects, ask.project.as_deref())?;
    let environment = choose_environment(project, ask.environment.as_deref())?;
    let (from, to) = window(ask, now)?;
    let failure_hours = ask
        .failure_window_hours
        .unwrap_or(DEFAULT_FAILURE_WINDOW_HOURS);
    if !(1..=8_760).contains(&failure_hours) {
        return Err(invalid(format!(
            "A failure window of {failure_hours} h is out of range; give 1 to 8760 hours."
        )));
    }
    let read_from = from - Duration::days(LOOKBACK_DAYS);
    let runs = workspace
        .store()
        .runs_since(&project.name, read_from.timestamp())
        .await?;
    let emergency = emergency_links(workspace, &project.name).await?;
    let recorded = recorded(workspace, &project.name).await?;
    let repo = take(repos, project);
    let owned = project.clone();
    let (records, history, repo) = blocking(move || {
        let mut repo = match repo {
            Some(r) => r,
            None => Repo::open(&owned.repo_path)?,
        };
        let stages = stages_of(&repo, &owned, &recorded);
        // Each environment's moves from the lookback on, with the one before it (its standing).
        let moves: Vec<Vec<(DateTime<Utc>, String)>> = stages
            .iter()
            .map(|s| match s {
                Ok(stage) => {
                    let start = stage.moves.partition_point(|(at, _)| *at < read_from);
                    stage.moves[start.saturating_sub(1)..]
                        .iter()
                        .map(|(at, oid)| (*at, oid.to_string()))
                        .collect()
                }
                Err(_) => Vec::new(),
            })
            .collect();
        let mut shas: Vec<String> = moves.iter().flatten().map(|(_, s)| s.clone()).collect();
        shas.extend(runs.iter().map(|r| r.spec.to_sha.clone()));
        let history = repo.dora_history(&owned.pipeline.trunk, &shas)?;
        let records = environment_records(&owned, &moves, &runs, &history);
        Ok((records, history, repo))
    })
    .await?;
    keep(repos, Some(repo));
    let input = DoraInput {
        trunk: history.trunk,
        off_trunk: history.off_trunk,
        environments: records,
        emergency,
    };
    let report = compute(
        &input,
        DoraAsk {
            environment,
            from,
            to,
            failure_window: Duration::hours(failure_hours),
        },
    )
    .map_err(|e| ApiError::new(ErrorCode::Internal, format!("The metrics stopped: {e}.")))?;
    Ok(to_dto(&report, project, &projects, failure_hours))
}

fn choose_project<'a>(
    projects: &'a [Project],
    name: Option<&str>,
) -> Result<&'a Project, ApiError> {
    match name {
        Some(name) => projects.iter().find(|p| p.name == name).ok_or_else(|| {
            ApiError::new(
                ErrorCode::ProjectMissing,
                format!("There is no project named {name:?}."),
            )
        }),
        None => match projects {
            [] => Err(invalid(
                "The workspace has no project yet; add one with slipway project add.",
            )),
            [only] => Ok(only),
            _ => Err(invalid(format!(
                "Say which project: {}.",
                projects
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        },
    }
}

fn choose_environment(project: &Project, name: Option<&str>) -> Result<usize, ApiError> {
    let envs = &project.pipeline.environments;
    match name {
        Some(name) => envs.iter().position(|e| e.name == name).ok_or_else(|| {
            invalid(format!(
                "Project {:?} has no environment {name:?}; it has {}.",
                project.name,
                envs.iter()
                    .map(|e| e.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }),
        None => envs
            .iter()
            .position(|e| e.name == "production")
            .or_else(|| envs.len().checked_sub(1))
            .ok_or_else(|| invalid(format!("Project {:?} has no environment.", project.name))),
    }
}

/// `[from, now)`: from `since` (a date or a time), else `days` (default 30) back.
fn window(
    ask: &DoraAskDto,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
    let from = match (&ask.since, ask.days) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                "Give either a start date or a number of days, not both.",
            ))
        }
        (Some(since), None) => match NaiveDate::parse_from_str(since.trim(), "%Y-%m-%d") {
            Ok(day) => day.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or(now),
            Err(_) => read_time(since)?,
        },
        (None, days) => {
            let days = days.unwrap_or(30);
            if !(1..=MAX_DAYS).contains(&days) {
                return Err(invalid(format!(
                    "{days} days is out of range; give 1 to {MAX_DAYS} days."
                )));
            }
            now - Duration::days(days)
        }
    };
    if from >= now {
        return Err(invalid(format!(
            "The window would start at {}, which is not in the past.",
            rfc3339(from)
        )));
    }
    if now - from > Duration::days(MAX_DAYS) {
        return Err(invalid(format!(
            "The window would be longer than {MAX_DAYS} days; start it later."
        )));
    }
    Ok((from, now))
}

/// The project's emergency requests and their linked changes.
async fn emergency_links(
    workspace: &Workspace,
    project: &str,
) -> Result<Vec<EmergencyLink>, ApiError> {
    let mut out = Vec::new();
    for stored in workspace.store().requests(false).await? {
        let Ok(request) = Request::replay(stored.log, ApprovalRule::default_for) else {
            tracing::warn!(
                request = stored.id,
                "a request's log does not replay; left out of the metrics"
            );
            continue;
        };
        if request.opening.project == project
            && request.opening.kind == RequestKind::Emergency
            && !request.links.is_empty()
        {
            out.push(EmergencyLink {
                request: stored.id,
                changes: request.links,
            });
        }
    }
    Ok(out)
}

/// Each environment's deployments: its runs, and the moves that are not a run's own.
fn environment_records(
    project: &Project,
    moves: &[Vec<(DateTime<Utc>, String)>],
    runs: &[PromotionRecord],
    history: &DoraHistory,
) -> Vec<EnvironmentRecord> {
    let placed = |sha: &str| {
        history
            .placed
            .get(sha)
            .map(|p| (p.position, p.off_trunk.clone()))
            .unwrap_or((None, Vec::new()))
    };
    project
        .pipeline
        .environments
        .iter()
        .zip(moves)
        .map(|(env, moves)| {
            let source = match env.tracking {
                TrackingRef::Branch(_) => DeploymentSource::Reflog,
                TrackingRef::Tags(_) => DeploymentSource::Tag,
                TrackingRef::Database => DeploymentSource::Record,
            };
            let ref_moves: Vec<RefMove> = moves
                .iter()
                .map(|(at, sha)| {
                    let (position, off_trunk) = placed(sha);
                    RefMove {
                        at: *at,
                        sha: sha.clone(),
                        position,
                        off_trunk,
                        source,
                    }
                })
                .collect();
            let run_records: Vec<RunRecord> = runs
                .iter()
                .filter(|r| r.spec.environment == env.name)
                .filter(|r| {
                    r.status == DeploymentStatus::Succeeded
                        || (r.status == DeploymentStatus::Failed && r.ref_moved)
                })
                .map(|r| {
                    let (position, off_trunk) = placed(&r.spec.to_sha);
                    RunRecord {
                        run: r.id,
                        kind: r.spec.kind,
                        started_at: time(r.spec.at),
                        ended_at: time(r.finished_at.unwrap_or(r.spec.at)),
                        sha: r.spec.to_sha.clone(),
                        position,
                        off_trunk,
                        failed: r.status == DeploymentStatus::Failed,
                    }
                })
                .collect();
            EnvironmentRecord {
                name: env.name.clone(),
                deployments: deployments_of(&run_records, &ref_moves),
            }
        })
        .collect()
}
