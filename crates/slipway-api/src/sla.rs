//! `slipway sla check`: every clock — change requests' SLA clocks and queued changes' aging
//! clocks — read at one instant; the thresholds stored so far; and "I'm on it".

use chrono::{DateTime, Utc};
use serde::Serialize;
use slipway_core::{Clock, Request};
use slipway_store::ClockEvent;
use ts_rs::TS;

use crate::board::{read_board, Board};
use crate::clocks::{replay, ClockDto, ClockWorld, Indexes, LiveClock, Subject};
use crate::error::{invalid, ApiError, ErrorCode};
use crate::repos::RepoCache;
use crate::time::{read_time, rfc3339, time};
use crate::workspace::Workspace;

/// One clock in `slipway sla check` and the aging view.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ClockRowDto {
    /// What it measures, in words.
    pub subject: String,
    /// The project.
    pub project: String,
    /// The change request, for SLA clocks.
    #[ts(type = "number | null")]
    pub request_id: Option<i64>,
    /// The environment (aging clocks; the target of a request).
    pub environment: Option<String>,
    /// The waiting change (aging clocks).
    pub sha: Option<String>,
    /// The clock.
    pub clock: ClockDto,
}

/// Every running clock at one instant.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SlaCheckDto {
    /// The instant read.
    pub at: String,
    /// Clocks, nearest breach first.
    pub clocks: Vec<ClockRowDto>,
}

/// A stored threshold crossing.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ClockEventDto {
    /// Its number.
    #[ts(type = "number")]
    pub id: i64,
    /// The clock.
    pub clock_key: String,
    /// `warn-50`, `breach`, `repeat-2`.
    pub threshold: String,
    /// When the clock crossed it.
    pub crossed_at: String,
    /// When a watcher stored it, and which.
    pub recorded_at: String,
    /// The watcher.
    pub recorded_by: String,
    /// One line.
    pub summary: String,
    /// Who is to be told.
    pub recipients: Vec<String>,
    /// The project.
    pub project: String,
    /// The request, for SLA clocks.
    #[ts(type = "number | null")]
    pub request_id: Option<i64>,
}

pub(crate) fn event_dto(e: &ClockEvent) -> ClockEventDto {
    ClockEventDto {
        id: e.id,
        clock_key: e.clock_key.clone(),
        threshold: e.threshold.clone(),
        crossed_at: rfc3339(time(e.crossed_at)),
        recorded_at: rfc3339(time(e.recorded_at)),
        recorded_by: e.recorded_by.clone(),
        summary: e.summary.clone(),
        recipients: e.recipients.clone(),
        project: e.project.clone(),
        request_id: e.request_id,
    }
}

pub(crate) fn row(clock: &LiveClock) -> ClockRowDto {
    let subject = match &clock.subject {
        Subject::Request { id, stage, request } => {
            format!("CR #{id} {}: {}", stage.as_str(), request.opening.title)
        }
        Subject::Queued {
            environment, title, ..
        } => format!("{environment} queue: {title}"),
    };
    let (project, request_id, environment, sha) = clock.subject.place();
    ClockRowDto {
        subject,
        project,
        request_id,
        environment,
        sha,
        clock: clock.dto(),
    }
}

/// Every request, replayed from its log.
/// The requests whose clocks can still say something at `now`: open ones, and those that
/// ended less than a day before it (closed history is not read).
pub(crate) async fn all_requests(
    workspace: &Workspace,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, Request)>, ApiError> {
    workspace
        .store()
        .live_requests(now - chrono::Duration::days(LOOK_BACK_DAYS))
        .await?
        .into_iter()
        .map(replay)
        .collect()
}

/// How long after a request ended its clocks are still read: a watcher stores a threshold
/// crossed just before a request ended between two passes.
const LOOK_BACK_DAYS: i64 = 1;

/// Every clock (SLA clocks of `requests`, aging clocks of queued changes) at `now`.
pub(crate) fn all_clocks(
    requests: &[(i64, Request)],
    world: &ClockWorld,
    board: &Board,
    now: DateTime<Utc>,
) -> Result<Vec<LiveClock>, ApiError> {
    let mut indexes = Indexes::default();
    let mut clocks = Vec::new();
    // Every request that existed at `now` and had not ended a day before it: `--at` reads
    // requests closed since as they stood, and a watcher still stores a threshold crossed
    // just before a request ended between two passes.
    for (id, request) in requests {
        let ended = request.state.is_final()
            && request.last_event_at() < now - chrono::Duration::days(LOOK_BACK_DAYS);
        if request.opened_at <= now && !ended {
            clocks.extend(world.request_clocks(*id, request, now, &mut indexes)?);
        }
    }
    clocks.extend(world.aging_clocks(board.queued(), now, &mut indexes)?);
    Ok(clocks)
}

/// Every running clock as it stands now, or as it stood (or will stand) at `at`.
pub async fn sla_check(
    workspace: &Workspace,
    at: Option<&str>,
    clock: &dyn Clock,
) -> Result<SlaCheckDto, ApiError> {
    let now = clock.now();
    let at = match at {
        Some(text) => read_time(text)?,
        None => now,
    };
    let world = ClockWorld::load(workspace).await?;
    let board = read_board(
        workspace,
        &slipway_core::FixedClock(at),
        &mut RepoCache::new(),
    )
    .await?;
    let clocks = all_clocks(&all_requests(workspace, at).await?, &world, &board, at)?;
    let mut rows: Vec<ClockRowDto> = clocks
        .iter()
        .filter(|c| !c.reading.stopped)
        .map(row)
        .collect();
    rows.sort_by_key(|r| r.clock.remaining_seconds);
    Ok(SlaCheckDto {
        at: rfc3339(at),
        clocks: rows,
    })
}

/// Stored threshold crossings, newest first.
pub async fn clock_events(
    workspace: &Workspace,
    limit: i64,
) -> Result<Vec<ClockEventDto>, ApiError> {
    Ok(workspace
        .store()
        .clock_events(limit)
        .await?
        .iter()
        .map(event_dto)
        .collect())
}

/// "I'm on it" for one clock (an aging clock, or one stage of a request): its reminders stop.
pub async fn acknowledge_clock(
    workspace: &Workspace,
    key: &str,
    actor: &str,
    clock: &dyn Clock,
) -> Result<(), ApiError> {
    // Only a clock that runs now: a mistyped key must not look like a success.
    let now = clock.now();
    let world = ClockWorld::load(workspace).await?;
    let board = read_board(workspace, clock, &mut RepoCache::new()).await?;
    let clocks = all_clocks(&all_requests(workspace, now).await?, &world, &board, now)?;
    let Some(found) = clocks
        .iter()
        .find(|c| c.spec.key == key && !c.reading.stopped)
    else {
        return Err(invalid(format!(
            "No running clock has the key “{key}”; `slipway sla check` lists them (cr/12/approve, age/payments/staging/<sha>)."
        )));
    };
    // "I'm on it" answers a breach; before one there is nothing to stop.
    if !found.reading.breached() {
        return Err(ApiError::new(
            ErrorCode::NotAllowed,
            format!("“{key}” has not breached; there are no reminders to stop yet."),
        ));
    }
    workspace
        .store()
        .acknowledge_clock(key, actor, clock.now().timestamp())
        .await?;
    // Reminders already written but not yet sent are not wanted any more either.
    let cancelled = workspace
        .store()
        .cancel_deliveries(
            &slipway_core::notice::clock_once(key, ""),
            &format!("acknowledged by {actor}"),
        )
        .await?;
    tracing::info!(clock = %key, cancelled, "clock acknowledged");
    Ok(())
}
