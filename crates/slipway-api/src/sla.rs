//! SLA and aging: policies, calendars, people and freeze windows; `slipway sla check`; and the
//! watcher's pass (`slipway watch`, and the desktop while it is open) that stores each
//! threshold crossed and advances requests whose changes have shipped.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use slipway_core::{
    AgingPolicy, Alerting, ApprovalRule, Calendar, Clock, Entry, EscalationStep, Holiday, Hours,
    Request, RequestEvent, RequestKind, RequestState, Severity, SlaPolicy, Threshold,
};
use slipway_git::Repo;
use slipway_store::{ClockEvent, FreezeWindow};
use ts_rs::TS;

use crate::board::rfc3339;
use crate::clocks::{replay, ClockDto, ClockWorld, Indexes, LiveClock, Subject};
use crate::error::invalid;
use crate::requests::read_time;
use crate::{load_board_cached, ApiError, BoardDto, ErrorCode, RepoCache, Workspace};

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
}

fn event_dto(e: &ClockEvent) -> ClockEventDto {
    ClockEventDto {
        id: e.id,
        clock_key: e.clock_key.clone(),
        threshold: e.threshold.clone(),
        crossed_at: rfc3339(crate::clocks::time(e.crossed_at)),
        recorded_at: rfc3339(crate::clocks::time(e.recorded_at)),
        recorded_by: e.recorded_by.clone(),
        summary: e.summary.clone(),
        recipients: e.recipients.clone(),
        project: e.project.clone(),
        request_id: e.request_id,
    }
}

fn row(clock: &LiveClock) -> ClockRowDto {
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
async fn all_requests(workspace: &Workspace) -> Result<Vec<(i64, Request)>, ApiError> {
    workspace
        .store()
        .requests(false)
        .await?
        .into_iter()
        .map(replay)
        .collect()
}

/// Every clock (SLA clocks of `requests`, aging clocks of queued changes) at `now`.
fn all_clocks(
    requests: &[(i64, Request)],
    world: &ClockWorld,
    board: &BoardDto,
    now: DateTime<Utc>,
) -> Result<Vec<LiveClock>, ApiError> {
    let mut indexes = Indexes::default();
    let mut clocks = Vec::new();
    // Every request that existed at `now` and had not ended a day before it: `--at` reads
    // requests closed since as they stood, and a watcher still stores a threshold crossed
    // just before a request ended between two passes.
    for (id, request) in requests {
        let ended =
            request.state.is_final() && request.last_event_at() < now - chrono::Duration::days(1);
        if request.opened_at <= now && !ended {
            clocks.extend(world.request_clocks(*id, request, now, &mut indexes)?);
        }
    }
    clocks.extend(world.aging_clocks(board, now, &mut indexes)?);
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
    let board = load_board_cached(
        workspace,
        &slipway_core::FixedClock(at),
        &mut RepoCache::new(),
    )
    .await?;
    let clocks = all_clocks(&all_requests(workspace).await?, &world, &board, at)?;
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

/// One watcher pass at the clock's now: advances requests whose linked changes reached their
/// target environment, then stores every threshold crossed that no watcher stored yet.
pub async fn watch_pass(
    workspace: &Workspace,
    repos: &mut RepoCache,
    clock: &dyn Clock,
    watcher: &str,
) -> Result<WatchPassDto, ApiError> {
    let now = clock.now();
    let board = load_board_cached(workspace, clock, repos).await?;
    let problems: Vec<String> = board
        .projects
        .iter()
        .filter_map(|p| p.error.as_ref().map(|e| e.message.clone()))
        .collect();
    let mut requests = all_requests(workspace).await?;
    let deployed = advance_deployed(workspace, repos, &board, &mut requests, now, watcher).await?;
    let world = ClockWorld::load(workspace).await?;
    let clocks = all_clocks(&requests, &world, &board, now)?;
    let mut new_events = Vec::new();
    for live in &clocks {
        for crossing in &live.reading.crossed {
            let event = live.event(&world, crossing.threshold, crossing.at(), now, watcher);
            let notice = crate::notices::clock_crossed(&live.subject, crossing.threshold, &event);
            if workspace
                .store()
                .record_clock_event(&event, &[notice])
                .await?
            {
                tracing::info!(clock = %event.clock_key, threshold = %event.threshold, "clock threshold crossed");
                new_events.push(event_dto(&event));
            }
        }
    }
    // Changes waiting for sign-offs: told once each (the event's key makes a second watcher's
    // notice a no-op).
    let mut waiting = Vec::new();
    for project in &board.projects {
        for column in &project.environments {
            for queued in &column.queue {
                if let Some(b) = queued
                    .blockers
                    .iter()
                    .find(|b| b.kind == "awaiting_signoff")
                {
                    waiting.push(crate::notices::signoff_needed(
                        &project.name,
                        &column.name,
                        &queued.change.sha,
                        &queued.change.title,
                        &b.sentence,
                        now.timestamp(),
                    ));
                }
            }
        }
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
    })
}

/// Requests approved or verified whose every linked change is in the target environment
/// move to `deployed`, dated when the environment got there (or now, if that is unknown).
async fn advance_deployed(
    workspace: &Workspace,
    repos: &mut RepoCache,
    board: &BoardDto,
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
            .any(|p| p.name == request.opening.project)
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
        let recorded = crate::board::recorded(workspace, &project.name).await?;
        let links = request.links.clone();
        let cached = repos.remove(&project.repo_path);
        // The environment got the fix with the first of its moves (reflog, tags or records)
        // whose commit holds every linked change: that is when it shipped, not the time a
        // watcher noticed, nor a later move.
        let (shipped, repo) = tokio::task::spawn_blocking(move || {
            let Some(repo) = cached.or_else(|| Repo::open(&project.repo_path).ok()) else {
                return (None, None);
            };
            let stages = crate::board::stages_of(&repo, &project, &recorded);
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
    let board = load_board_cached(workspace, clock, &mut RepoCache::new()).await?;
    let clocks = all_clocks(&all_requests(workspace).await?, &world, &board, now)?;
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
            &crate::notices::clock_once(key, ""),
            &format!("acknowledged by {actor}"),
        )
        .await?;
    tracing::info!(clock = %key, cancelled, "clock acknowledged");
    Ok(())
}

/// Reads a duration: `90s`, `30m`, `4h`, `2h30m`, `3d` (24-hour days) or `1bd` (business
/// days: the longest opening day of `calendar`).
pub fn parse_duration(text: &str, calendar: &Calendar) -> Result<i64, ApiError> {
    let bad = || {
        invalid(format!(
            "“{text}” is not a duration; write 90s, 30m, 4h, 2h30m, 3d or 1bd (business days)."
        ))
    };
    let compact: String = text.split_whitespace().collect();
    if compact.is_empty() {
        return Err(bad());
    }
    let business_day = match calendar.week() {
        Some(week) => week
            .iter()
            .flatten()
            .map(|h| i64::from(h.close - h.open) * 60)
            .max()
            .unwrap_or(86_400),
        None => 86_400,
    };
    let mut total: i64 = 0;
    let mut number = String::new();
    let mut chars = compact.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().map_err(|_| bad())?;
        number.clear();
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'b' if chars.next_if_eq(&'d').is_some() => business_day,
            _ => return Err(bad()),
        };
        total = total
            .checked_add(n.checked_mul(unit).ok_or_else(bad)?)
            .ok_or_else(bad)?;
    }
    if !number.is_empty() {
        return Err(bad());
    }
    Ok(total)
}

/// A calendar as typed: hours like `Mon-Fri 09:00-17:00` (several groups separated by `;`),
/// holidays like `Christmas=2026-12-24..2026-12-26` or `2027-01-01`.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct CalendarInputDto {
    /// Its name.
    pub name: String,
    /// IANA time zone (`Europe/Berlin`); empty for 24×7.
    pub zone: Option<String>,
    /// Opening hours.
    pub hours: Option<String>,
    /// Holidays.
    pub holidays: Vec<String>,
}

/// Adds or replaces a calendar. Everything is checked first; a bad part changes nothing.
pub async fn save_calendar(
    workspace: &Workspace,
    input: &CalendarInputDto,
) -> Result<(), ApiError> {
    let name = input.name.trim();
    if name.is_empty() || name.contains(char::is_whitespace) {
        return Err(invalid(
            "A calendar needs a name without spaces (for example berlin-office).",
        ));
    }
    let calendar = match input
        .zone
        .as_deref()
        .map(str::trim)
        .filter(|z| !z.is_empty())
    {
        None => {
            if input.hours.is_some() || !input.holidays.is_empty() {
                return Err(invalid(
                    "Opening hours and holidays need a time zone (--zone Europe/Berlin).",
                ));
            }
            Calendar::Always
        }
        Some(zone) => {
            let week = parse_week(input.hours.as_deref().unwrap_or("Mon-Fri 09:00-17:00"))?;
            let holidays = input
                .holidays
                .iter()
                .map(|h| parse_holiday(h))
                .collect::<Result<Vec<_>, _>>()?;
            Calendar::business(zone, week, holidays)
                .map_err(|e| invalid(format!("{}.", crate::error::capitalise(&e.to_string()))))?
        }
    };
    workspace.store().save_calendar(name, &calendar).await?;
    Ok(())
}

const DAYS: [(&str, &str); 7] = [
    ("mon", "monday"),
    ("tue", "tuesday"),
    ("wed", "wednesday"),
    ("thu", "thursday"),
    ("fri", "friday"),
    ("sat", "saturday"),
    ("sun", "sunday"),
];

fn parse_week(text: &str) -> Result<[Option<Hours>; 7], ApiError> {
    let bad = |part: &str| {
        invalid(format!(
            "“{part}” is not opening hours; write for example Mon-Fri 09:00-17:00; Sat 10:00-14:00."
        ))
    };
    let mut week = [None; 7];
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (days, times) = part.split_once(' ').ok_or_else(|| bad(part))?;
        let (open, close) = times.trim().split_once('-').ok_or_else(|| bad(part))?;
        let minute = |t: &str| -> Result<u16, ApiError> {
            let (h, m) = t.trim().split_once(':').ok_or_else(|| bad(part))?;
            let (h, m): (u16, u16) = (
                h.parse().map_err(|_| bad(part))?,
                m.parse().map_err(|_| bad(part))?,
            );
            if m >= 60 || h > 24 || (h == 24 && m > 0) {
                return Err(bad(part));
            }
            Ok(h * 60 + m)
        };
        let hours = Hours {
            open: minute(open)?,
            close: minute(close)?,
        };
        let day = |d: &str| {
            let d = d.trim().to_ascii_lowercase();
            DAYS.iter()
                .position(|(short, long)| d == *short || d == *long)
                .ok_or_else(|| bad(part))
        };
        let (first, last) = match days.split_once('-') {
            Some((a, b)) => (day(a)?, day(b)?),
            None => (day(days)?, day(days)?),
        };
        if last < first {
            return Err(bad(part));
        }
        for slot in &mut week[first..=last] {
            *slot = Some(hours);
        }
    }
    Ok(week)
}

fn parse_holiday(text: &str) -> Result<Holiday, ApiError> {
    let bad = || {
        invalid(format!(
            "“{text}” is not a holiday; write Christmas=2026-12-24..2026-12-26 or 2027-01-01."
        ))
    };
    let (name, dates) = match text.split_once('=') {
        Some((n, d)) => (n.trim().to_string(), d.trim()),
        None => (text.trim().to_string(), text.trim()),
    };
    let date = |d: &str| d.trim().parse::<NaiveDate>().map_err(|_| bad());
    let (from, to) = match dates.split_once("..") {
        Some((a, b)) => (date(a)?, date(b)?),
        None => (date(dates)?, date(dates)?),
    };
    Ok(Holiday { name, from, to })
}

/// How a policy warns and escalates, as typed.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct AlertingInputDto {
    /// Calendar name (default `24x7`).
    pub calendar: Option<String>,
    /// Warning percentages (default 50 and 75).
    pub warnings: Option<Vec<u8>>,
    /// Escalation steps: `warn-50=assignee`, `warn-75=role:qa-lead`, `breach=role:lead,ops@x`.
    pub escalate: Vec<String>,
    /// Reminder interval after breach (a duration), none by default.
    pub repeat: Option<String>,
    /// Keep running while the request is on hold.
    pub run_on_hold: bool,
    /// Keep running during freeze windows.
    pub run_in_freeze: bool,
}

async fn alerting(
    workspace: &Workspace,
    input: &AlertingInputDto,
) -> Result<(Alerting, Calendar), ApiError> {
    let name = input.calendar.clone().unwrap_or_else(|| "24x7".into());
    let calendar = workspace
        .store()
        .calendars()
        .await?
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, c)| c)
        .ok_or_else(|| {
            invalid(format!(
                "There is no calendar named {name:?}; add it first with `slipway calendar add`."
            ))
        })?;
    let mut out = Alerting::new(&name);
    if let Some(w) = &input.warnings {
        out.warnings = w.clone();
    }
    for step in &input.escalate {
        let (at, who) = step.split_once('=').ok_or_else(|| {
            invalid(format!("“{step}” is not an escalation step; write warn-50=assignee or breach=role:lead,ops@example.com."))
        })?;
        let at = Threshold::from_key(at.trim())
            .filter(|t| !matches!(t, Threshold::Repeat(_)))
            .ok_or_else(|| {
                invalid(format!(
                    "“{at}” is not a threshold; use warn-50, warn-75 or breach."
                ))
            })?;
        out.escalation.push(EscalationStep {
            at,
            notify: who
                .split(',')
                .map(|w| w.trim().to_string())
                .filter(|w| !w.is_empty())
                .collect(),
        });
    }
    out.repeat_every = input
        .repeat
        .as_deref()
        .map(|r| parse_duration(r, &calendar))
        .transpose()?;
    out.pause_on_hold = !input.run_on_hold;
    out.pause_in_freeze = !input.run_in_freeze;
    Ok((out, calendar))
}

/// An SLA policy as typed: durations per stage.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct SlaPolicyInputDto {
    /// Request type.
    pub kind: String,
    /// Severity.
    pub severity: String,
    /// Time to approve.
    pub approve: Option<String>,
    /// Time to verify.
    pub verify: Option<String>,
    /// Time to deploy.
    pub deploy: Option<String>,
    /// Total time.
    pub total: Option<String>,
    /// Warnings, escalation, calendar.
    pub alerting: AlertingInputDto,
}

/// Adds or replaces the SLA policy for a type and severity.
pub async fn set_sla_policy(
    workspace: &Workspace,
    input: &SlaPolicyInputDto,
) -> Result<(), ApiError> {
    let kind: RequestKind = input.kind.parse()?;
    let severity: Severity = input.severity.parse()?;
    let (alerting, calendar) = alerting(workspace, &input.alerting).await?;
    let goal = |d: &Option<String>| {
        d.as_deref()
            .map(|d| parse_duration(d, &calendar))
            .transpose()
    };
    let policy = SlaPolicy::new(
        kind,
        severity,
        [
            goal(&input.approve)?,
            goal(&input.verify)?,
            goal(&input.deploy)?,
            goal(&input.total)?,
        ],
        alerting,
    )
    .map_err(|e| invalid(format!("{}.", crate::error::capitalise(&e.to_string()))))?;
    workspace.store().save_sla_policy(&policy).await?;
    Ok(())
}

/// Adds or replaces a project environment's aging policy.
pub async fn set_aging_policy(
    workspace: &Workspace,
    project: &str,
    environment: &str,
    goal: &str,
    input: &AlertingInputDto,
) -> Result<(), ApiError> {
    let p = workspace.project(project).await?;
    if !p
        .pipeline
        .environments
        .iter()
        .any(|e| e.name == environment)
    {
        return Err(invalid(format!(
            "Project {project:?} has no environment {environment:?}."
        )));
    }
    let (alerting, calendar) = alerting(workspace, input).await?;
    let policy = AgingPolicy::new(environment, parse_duration(goal, &calendar)?, alerting)
        .map_err(|e| invalid(format!("{}.", crate::error::capitalise(&e.to_string()))))?;
    workspace
        .store()
        .save_aging_policy(project, &policy)
        .await?;
    Ok(())
}

/// Adds or replaces a person (keeping the chat handle they have as a stakeholder).
pub async fn save_person(
    workspace: &Workspace,
    email: &str,
    name: &str,
    roles: &[String],
) -> Result<(), ApiError> {
    let chat_handle = workspace
        .store()
        .people()
        .await?
        .into_iter()
        .find(|p| p.email.eq_ignore_ascii_case(email.trim()))
        .map(|p| p.chat_handle)
        .unwrap_or_default();
    crate::save_stakeholder(
        workspace,
        &crate::StakeholderDto {
            email: email.to_string(),
            name: name.to_string(),
            chat_handle,
            roles: roles.to_vec(),
            subscriptions: 0,
        },
    )
    .await
}

/// Adds a one-off freeze window.
pub async fn add_freeze(
    workspace: &Workspace,
    project: &str,
    environment: Option<&str>,
    from: &str,
    to: &str,
    reason: &str,
) -> Result<i64, ApiError> {
    let p = workspace.project(project).await?;
    if let Some(env) = environment {
        if !p.pipeline.environments.iter().any(|e| e.name == env) {
            return Err(invalid(format!(
                "Project {project:?} has no environment {env:?}."
            )));
        }
    }
    let (from, to) = (read_time(from)?, read_time(to)?);
    if to <= from {
        return Err(invalid("A freeze window must end after it starts."));
    }
    if reason.trim().is_empty() {
        return Err(invalid("A freeze window needs a reason."));
    }
    Ok(workspace
        .store()
        .add_freeze(&FreezeWindow {
            id: 0,
            project: project.to_string(),
            environment: environment.map(str::to_string),
            starts_at: from.timestamp(),
            ends_at: to.timestamp(),
            reason: reason.trim().to_string(),
        })
        .await?)
}

/// Marks every queued change on `board` that has an aging policy with its aging clock.
pub(crate) async fn mark_late(
    workspace: &Workspace,
    board: &mut BoardDto,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    // Every board load comes here: without aging policies there is nothing more to read.
    if workspace.store().aging_policies().await?.is_empty() {
        return Ok(());
    }
    let world = ClockWorld::load(workspace).await?;
    let clocks = world.aging_clocks(board, now, &mut Indexes::default())?;
    for live in clocks {
        let Subject::Queued {
            project,
            environment,
            sha,
            ..
        } = &live.subject
        else {
            continue;
        };
        if let Some(queued) = board
            .projects
            .iter_mut()
            .filter(|p| &p.name == project)
            .flat_map(|p| p.environments.iter_mut())
            .filter(|e| &e.name == environment)
            .flat_map(|e| e.queue.iter_mut())
            .find(|q| &q.change.sha == sha)
        {
            queued.aging = Some(live.dto());
        }
    }
    Ok(())
}

/// A queued change in the aging view.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AgingChangeDto {
    /// The project.
    pub project: String,
    /// The environment it waits for.
    pub environment: String,
    /// The change.
    pub change: crate::QueuedChangeDto,
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
    pub requests: Vec<crate::RequestSummaryDto>,
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
    let mut board = load_board_cached(workspace, clock, repos).await?;
    mark_late(workspace, &mut board, now).await?;
    let mut requests = crate::list_requests(workspace, false, None, clock)
        .await?
        .requests;
    requests.sort_by(|a, b| a.opened_at.cmp(&b.opened_at));
    let mut changes: Vec<AgingChangeDto> = board
        .projects
        .iter()
        .flat_map(|p| {
            p.environments.iter().flat_map(move |e| {
                e.queue.iter().map(move |q| AgingChangeDto {
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
        let recorded = crate::board::recorded(workspace, &project.name).await?;
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
            let stages = crate::board::stages_of(&repo, &project, &recorded);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        let office = Calendar::weekdays("Europe/Berlin", 9 * 60, 17 * 60, Vec::new()).unwrap();
        let cases: [(&str, &Calendar, Result<i64, ()>); 10] = [
            ("90s", &Calendar::Always, Ok(90)),
            ("30m", &Calendar::Always, Ok(1800)),
            ("2h30m", &Calendar::Always, Ok(9000)),
            ("2h 30m", &Calendar::Always, Ok(9000)),
            ("3d", &Calendar::Always, Ok(3 * 86_400)),
            ("1bd", &office, Ok(8 * 3600)),
            ("1bd", &Calendar::Always, Ok(86_400)),
            ("4", &Calendar::Always, Err(())),
            ("soon", &Calendar::Always, Err(())),
            ("99999999999999999999h", &Calendar::Always, Err(())),
        ];
        for (text, calendar, want) in cases {
            assert_eq!(
                parse_duration(text, calendar).map_err(|_| ()),
                want,
                "{text}"
            );
        }
    }

    #[test]
    fn opening_hours_and_holidays_are_read_strictly() {
        let week = parse_week("Mon-Fri 09:00-17:00; Sat 10:00-14:00").unwrap();
        assert_eq!(
            week[0],
            Some(Hours {
                open: 540,
                close: 1020
            })
        );
        assert_eq!(
            week[5],
            Some(Hours {
                open: 600,
                close: 840
            })
        );
        assert_eq!(week[6], None);
        assert_eq!(
            parse_week("sunday 00:00-24:00").unwrap()[6],
            Some(Hours {
                open: 0,
                close: 1440
            })
        );
        for bad in [
            "Mon,Wed 09:00-12:00",
            "Monkey 09:00-17:00",
            "Fri-Mon 09:00-17:00",
            "Mon 9-17",
            "Mon 09:00-24:30",
        ] {
            assert!(parse_week(bad).is_err(), "{bad}");
        }
        let h = parse_holiday("Christmas=2026-12-24..2026-12-26").unwrap();
        assert_eq!(
            (h.name.as_str(), h.from.to_string(), h.to.to_string()),
            ("Christmas", "2026-12-24".into(), "2026-12-26".into())
        );
        assert_eq!(
            parse_holiday("2027-01-01").unwrap().to.to_string(),
            "2027-01-01"
        );
        assert!(parse_holiday("Christmas=24.12.2026").is_err());
    }
}
