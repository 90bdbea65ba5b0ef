//! The watcher's pass (`slipway watch`, and the desktop while it is open): every clock read
//! at one instant, each threshold crossed stored once, and requests whose changes have
//! shipped advanced to deployed.

use chrono::{DateTime, Utc};
use serde::Serialize;
use slipway_core::notice;
use slipway_core::{
    ApprovalRule, Blocker, Clock, Crossing, Entry, Request, RequestEvent, RequestState,
};
use slipway_git::Repo;
use ts_rs::TS;

use crate::board::{read_board, Board};
use crate::clocks::{replay, ClockWorld};
use crate::error::ApiError;
use crate::follow_ups::follow_up_notices;
use crate::repos::{recorded, stages_of, RepoCache};
use crate::sla::{all_clocks, all_requests, event_dto, ClockEventDto};
use crate::time::rfc3339;
use crate::workspace::Workspace;

/// What one watcher pass did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct WatchPassDto {
    /// The instant evaluated.
    pub at: String,
    /// Clocks evaluated.
    pub clocks: usize,
    /// Threshold crossings this pass stored (none that another watcher stored first).
    pub new_events: Vec<ClockEventDto>,
    /// Requests this pass moved to `deployed` because their changes reached the target.
    #[ts(type = "Array<number>")]
    pub deployed: Vec<i64>,
    /// Projects whose repository could not be read this pass (their aging clocks wait).
    pub problems: Vec<String>,
    /// The earliest instant a running clock crosses its next threshold, RFC 3339 UTC: a
    /// watcher wakes then (absent when no clock has one ahead).
    pub next_threshold_at: Option<String>,
    /// Thresholds this pass told late, in one catch-up notice per clock (no watcher was
    /// running when they were crossed).
    pub caught_up: usize,
    /// The same instant as `next_threshold_at`, for the watcher's timer.
    #[serde(skip)]
    #[ts(skip)]
    pub next_wake: Option<DateTime<Utc>>,
}

/// A threshold noticed this long after its instant was missed (no watcher ran then): the
/// clock's late thresholds are stored each at its true instant, and told in one catch-up
/// notice, not a burst.
pub const CATCH_UP_AFTER_SECS: i64 = 60;

/// One watcher pass at the clock's now: advances requests whose linked changes reached their
/// target environment, then stores every threshold crossed that no watcher stored yet.
pub async fn watch_pass(
    workspace: &Workspace,
    repos: &mut RepoCache,
    clock: &dyn Clock,
    watcher: &str,
) -> Result<WatchPassDto, ApiError> {
    let now = clock.now();
    let board = read_board(workspace, clock, repos).await?;
    let problems: Vec<String> = board
        .projects
        .iter()
        .filter_map(|p| p.error.as_ref().map(|e| e.message.clone()))
        .collect();
    let mut requests = all_requests(workspace, now).await?;
    let deployed = advance_deployed(workspace, repos, &board, &mut requests, now, watcher).await?;
    let world = ClockWorld::load(workspace).await?;
    let clocks = all_clocks(&requests, &world, &board, now)?;
    let mut new_events = Vec::new();
    let mut caught_up = 0;
    let mut next_wake: Option<DateTime<Utc>> = None;
    for live in &clocks {
        if let Some((_, Some(at))) = live.reading.next {
            if at > now && next_wake.is_none_or(|w| at < w) {
                next_wake = Some(at);
            }
        }
        let is_late = |c: &Crossing| (now - c.at()).num_seconds() > CATCH_UP_AFTER_SECS;
        let newest_late = live
            .reading
            .crossed
            .iter()
            .rev()
            .find(|c| is_late(c))
            .copied();
        // Late thresholds stored before the newest late one, which tells of them.
        let mut missed = Vec::new();
        for crossing in &live.reading.crossed {
            let event = live.event(&world, crossing.threshold, crossing.at(), now, watcher);
            let (threshold, at) = (crossing.threshold, crossing.at());
            let notices = match (is_late(crossing), Some(*crossing) == newest_late) {
                (false, _) => vec![live.notice(threshold, &event)],
                (true, true) => vec![live.catch_up_notice(threshold, &event, &missed, now)],
                (true, false) => Vec::new(),
            };
            if !workspace
                .store()
                .record_clock_event(&event, &notices)
                .await?
            {
                continue;
            }
            match (is_late(crossing), Some(*crossing) == newest_late) {
                (false, _) => {
                    tracing::info!(clock = %event.clock_key, threshold = %event.threshold, "clock threshold crossed")
                }
                (true, newest) => {
                    let late = slipway_core::format_age((now - at).num_seconds());
                    tracing::warn!(clock = %event.clock_key, threshold = %event.threshold, late = %late, "clock threshold crossed while no watcher ran");
                    match newest {
                        true => caught_up += 1,
                        false => missed.push((threshold, at)),
                    }
                }
            }
            new_events.push(event_dto(&event));
        }
    }
    // Changes waiting for sign-offs: told once each (the event's key makes a second watcher's
    // notice a no-op).
    let mut waiting = Vec::new();
    for (project, environment, queued) in board.queued().filter(|(_, _, q)| q.is_waiting()) {
        if let Some(b) = queued
            .blockers
            .iter()
            .find(|b| matches!(b, Blocker::AwaitingSignoff { .. }))
        {
            waiting.push(notice::signoff_needed(
                project,
                environment,
                &queued.change.sha,
                &queued.change.title,
                &b.sentence(queued.age_seconds),
                now,
            ));
        }
    }
    // Follow-ups due today or overdue: their owners told once each.
    let (reminders, follow_up_wake) = follow_up_notices(workspace, now).await?;
    waiting.extend(reminders);
    if let Some(at) = follow_up_wake.filter(|at| *at > now) {
        next_wake = Some(next_wake.map_or(at, |w| w.min(at)));
    }
    if !waiting.is_empty() {
        workspace
            .store()
            .notify(&waiting, now.timestamp_millis())
            .await?;
    }
    Ok(WatchPassDto {
        at: rfc3339(now),
        clocks: clocks.len(),
        new_events,
        deployed,
        problems,
        next_threshold_at: next_wake.map(rfc3339),
        caught_up,
        next_wake,
    })
}

/// The commit that carried queued change `sha` into `environment` as another commit.
fn shipped_as_in(board: &Board, project: &str, environment: &str, sha: &str) -> Option<String> {
    board
        .queued()
        .filter(|(p, e, _)| *p == project && *e == environment)
        .find(|(_, _, q)| q.change.sha == sha)
        .and_then(|(_, _, q)| q.shipped_as.as_ref().map(|s| s.sha.clone()))
}

/// Requests approved or verified whose every linked change is in the target environment
/// move to `deployed`, dated when the environment got there (or now, if that is unknown).
pub(crate) async fn advance_deployed(
    workspace: &Workspace,
    repos: &mut RepoCache,
    board: &Board,
    requests: &mut [(i64, Request)],
    now: DateTime<Utc>,
    watcher: &str,
) -> Result<Vec<i64>, ApiError> {
    let store = workspace.store();
    let mut moved = Vec::new();
    for (id, request) in requests.iter_mut() {
        let id = *id;
        if !matches!(
            request.state,
            RequestState::Approved | RequestState::Verified
        ) || request.links.is_empty()
        {
            continue;
        }
        let Some(env) = request.opening.target_environment.clone() else {
            continue;
        };
        if !board
            .projects
            .iter()
            .any(|p| p.project.name == request.opening.project)
        {
            continue;
        }
        let project = workspace.project(&request.opening.project).await?;
        let Some(position) = project
            .pipeline
            .environments
            .iter()
            .position(|e| e.name == env)
        else {
            continue;
        };
        let recorded = recorded(workspace, &project.name).await?;
        // A linked change that shipped as another commit (the hotfix lane, a cherry-pick)
        // is in the environment when that commit is.
        let links: Vec<String> = request
            .links
            .iter()
            .map(|sha| shipped_as_in(board, &project.name, &env, sha).unwrap_or(sha.clone()))
            .collect();
        let cached = repos.remove(&project.repo_path);
        // The environment got the fix with the first of its moves (reflog, tags or records)
        // whose commit holds every linked change: that is when it shipped, not the time a
        // watcher noticed, nor a later move.
        let (shipped, repo) = tokio::task::spawn_blocking(move || {
            let Some(repo) = cached.or_else(|| Repo::open(&project.repo_path).ok()) else {
                return (None, None);
            };
            let stages = stages_of(&repo, &project, &recorded);
            let shipped = stages[position].as_ref().ok().and_then(|stage| {
                let has_all = |tip: String| {
                    links
                        .iter()
                        .all(|sha| repo.contains(&tip, sha).unwrap_or(false))
                };
                let first = stage
                    .moves
                    .iter()
                    .find(|(_, oid)| has_all(oid.to_string()))
                    .map(|&(at, oid)| (at, oid.to_string()));
                first.or_else(|| {
                    has_all(stage.oid.to_string()).then(|| (stage.since, stage.oid.to_string()))
                })
            });
            (shipped, Some(repo))
        })
        .await
        .unwrap_or((None, None));
        if let Some(repo) = repo {
            repos.insert(repo.path().to_path_buf(), repo);
        }
        let Some((since, tip_sha)) = shipped else {
            continue;
        };
        let at = since
            .max(request.last_event_at())
            .min(now.max(request.last_event_at()));
        let entry = Entry {
            at,
            actor: format!("slipway watch ({watcher})"),
            event: RequestEvent::Deployed {
                environment: env,
                sha: tip_sha,
            },
        };
        let seq = request.log.len() as i64;
        let rule = ApprovalRule::default_for(request.opening.kind);
        if request.apply(entry.clone(), &rule).is_ok() {
            match store
                .append_request_event(id, seq, &entry, request.state, &[])
                .await
            {
                Ok(()) => moved.push(id),
                // Another watcher (or a person) got there first: fine, it is their event;
                // the clocks of this pass read the request as it is stored.
                Err(slipway_store::StoreError::RequestMoved(_)) => {
                    *request = replay(store.request(id).await?)?.1;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(moved)
}
