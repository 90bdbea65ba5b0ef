//! Every running clock — SLA clocks of change requests and aging clocks of queued changes —
//! read from the stored events at one instant.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use slipway_core::notice;
use slipway_core::{
    aging_clock, request_clocks, Alerting, ApprovalRule, Calendar, CalendarIndex, ClockSpec,
    QueuedChange, Reading, Request, SlaPolicy, SlaStage, Threshold,
};
use slipway_store::{ClockEvent, FreezeWindow, Person, StoredRequest};
use ts_rs::TS;

use crate::dto::wire_words;
use crate::error::{ApiError, ErrorCode};
use crate::time::{rfc3339, time};
use crate::workspace::Workspace;

/// What a clock measures: a request's stage, or a queued change's wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClockStageDto {
    /// Submitted → approved.
    Approve,
    /// Approved → verified.
    Verify,
    /// Verified → deployed.
    Deploy,
    /// Opened → deployed.
    Total,
    /// A change waiting in an environment's queue.
    Aging,
}

/// How worrying a clock is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ToneDto {
    /// No warning crossed.
    Calm,
    /// A warning crossed.
    Warning,
    /// The last warning crossed.
    Urgent,
    /// The goal is used up.
    Breached,
}

/// A clock as it stands: what the countdowns, `slipway sla check` and the board show.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ClockDto {
    /// Stable identity (`cr/12/approve`, `age/payments/staging/<sha>`).
    pub key: String,
    /// What it measures.
    pub stage: ClockStageDto,
    /// The calendar business time is counted in.
    pub calendar: String,
    /// Business seconds allowed.
    #[ts(type = "number")]
    pub goal_seconds: i64,
    /// Business seconds used.
    #[ts(type = "number")]
    pub elapsed_seconds: i64,
    /// Business seconds left (negative once breached).
    #[ts(type = "number")]
    pub remaining_seconds: i64,
    /// Share of the goal used, in percent.
    pub percent: f64,
    /// Paused (on hold, or in a freeze window).
    pub paused: bool,
    /// Stopped for good (the stage is done, or the request ended).
    pub stopped: bool,
    /// The goal is used up.
    pub breached: bool,
    /// How worrying it is; front ends colour by it.
    pub tone: ToneDto,
    /// Someone said "I'm on it" after it breached: its reminders have stopped.
    pub acknowledged: bool,
    /// Business time is running at this instant (not paused, not stopped, calendar open):
    /// a countdown ticks only then.
    pub running_now: bool,
    /// The next threshold (`warn-75`, `breach`, `repeat-2`).
    pub next_threshold: Option<String>,
    /// When it will be crossed, if the clock keeps running.
    pub next_at: Option<String>,
    /// When the goal runs out (past for a breached clock).
    pub due_at: Option<String>,
    /// Thresholds already crossed: (threshold, when).
    pub crossed: Vec<(String, String)>,
}

/// What a clock belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Subject {
    /// A change request's stage.
    Request {
        id: i64,
        stage: SlaStage,
        request: Box<Request>,
    },
    /// A change waiting in an environment's queue.
    Queued {
        project: String,
        environment: String,
        sha: String,
        title: String,
    },
}

impl Subject {
    /// What the clock concerns: (project, request, environment, waiting change).
    pub fn place(&self) -> (String, Option<i64>, Option<String>, Option<String>) {
        match self {
            Subject::Request { id, request, .. } => (
                request.opening.project.clone(),
                Some(*id),
                request.opening.target_environment.clone(),
                None,
            ),
            Subject::Queued {
                project,
                environment,
                sha,
                ..
            } => (
                project.clone(),
                None,
                Some(environment.clone()),
                Some(sha.clone()),
            ),
        }
    }
}

/// One clock with its subject, its policy's alerting and its reading.
pub(crate) struct LiveClock {
    pub subject: Subject,
    pub spec: ClockSpec,
    pub alerting: Alerting,
    pub reading: Reading,
    pub running_now: bool,
    /// When the goal runs out (`None` while paused for good, or when it stopped first).
    pub due: Option<DateTime<Utc>>,
    /// Acknowledged after its breach.
    pub acknowledged: bool,
}

/// Everything clocks are computed from, read from the store once.
pub(crate) struct ClockWorld {
    pub calendars: HashMap<String, Calendar>,
    pub sla: Vec<SlaPolicy>,
    pub aging: Vec<(String, slipway_core::AgingPolicy)>,
    pub freezes: Vec<FreezeWindow>,
    pub acks: HashMap<String, (String, i64)>,
    pub people: Vec<Person>,
}

impl ClockWorld {
    pub async fn load(workspace: &Workspace) -> Result<ClockWorld, ApiError> {
        let store = workspace.store();
        Ok(ClockWorld {
            calendars: store.calendars().await?.into_iter().collect(),
            sla: store.sla_policies().await?,
            aging: store.aging_policies().await?,
            freezes: store.freezes().await?,
            acks: store.clock_acks().await?,
            people: store.people().await?,
        })
    }

    fn calendar(&self, name: &str) -> Result<&Calendar, ApiError> {
        self.calendars.get(name).ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidInput,
                format!("A policy names the calendar {name:?}, which does not exist. Add it with `slipway calendar add`."),
            )
        })
    }

    fn freezes_of(
        &self,
        project: &str,
        environment: Option<&str>,
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        self.freezes
            .iter()
            .filter(|f| f.covers(project, environment))
            .map(FreezeWindow::period)
            .collect()
    }

    fn ack(&self, key: &str) -> Option<DateTime<Utc>> {
        self.acks.get(key).map(|(_, at)| time(*at))
    }

    /// The SLA policy for a request, if one is set for its type and severity.
    pub fn policy_for(&self, request: &Request) -> Option<&SlaPolicy> {
        self.sla
            .iter()
            .find(|p| p.kind == request.opening.kind && p.severity == request.opening.severity)
    }

    /// The clocks of one request.
    pub fn request_clocks(
        &self,
        id: i64,
        request: &Request,
        now: DateTime<Utc>,
        indexes: &mut Indexes,
    ) -> Result<Vec<LiveClock>, ApiError> {
        let Some(policy) = self.policy_for(request) else {
            return Ok(Vec::new());
        };
        let freezes = self.freezes_of(
            &request.opening.project,
            request.opening.target_environment.as_deref(),
        );
        let mut out = Vec::new();
        for (stage, mut spec) in request_clocks(id, request, policy, &freezes) {
            // The request's "I'm on it" and one for this clock alone: the later counts.
            spec.acknowledged_at = spec.acknowledged_at.max(self.ack(&spec.key));
            let calendar = self.calendar(&policy.alerting.calendar)?;
            let index = indexes.get(&policy.alerting.calendar, calendar, now);
            out.push(live(
                Subject::Request {
                    id,
                    stage,
                    request: Box::new(request.clone()),
                },
                spec,
                policy.alerting.clone(),
                calendar,
                index,
                now,
            ));
        }
        Ok(out)
    }

    /// The aging clocks of every queued change (project, environment, change) whose
    /// environment has an aging policy.
    pub fn aging_clocks<'a>(
        &self,
        queued: impl Iterator<Item = (&'a str, &'a str, &'a QueuedChange)>,
        now: DateTime<Utc>,
        indexes: &mut Indexes,
    ) -> Result<Vec<LiveClock>, ApiError> {
        let queued: Vec<(&str, &str, &QueuedChange)> = queued.collect();
        let mut out = Vec::new();
        // Policy by policy (the order clocks have always come in), each one's queue in order.
        for (project, policy) in &self.aging {
            for &(_, environment, queued) in queued
                .iter()
                .filter(|(p, e, _)| p == project && *e == policy.environment)
            {
                let calendar = self.calendar(&policy.alerting.calendar)?;
                let freezes = self.freezes_of(project, Some(environment));
                let sha = &queued.change.sha;
                let key = aging_key(project, environment, sha);
                let spec = aging_clock(
                    project,
                    sha,
                    queued.waiting_since,
                    queued.shipped_as.as_ref().map(|s| s.at),
                    policy,
                    &freezes,
                    self.ack(&key),
                );
                let index = indexes.get(&policy.alerting.calendar, calendar, now);
                out.push(live(
                    Subject::Queued {
                        project: project.to_string(),
                        environment: environment.to_string(),
                        sha: sha.clone(),
                        title: queued.change.title.clone(),
                    },
                    spec,
                    policy.alerting.clone(),
                    calendar,
                    index,
                    now,
                ));
            }
        }
        Ok(out)
    }

    /// Who is told when `threshold` of `clock` is crossed (see [`Alerting::resolve`]).
    pub fn recipients(&self, clock: &LiveClock, threshold: Threshold) -> Vec<String> {
        let request = match &clock.subject {
            Subject::Request { request, .. } => Some(&request.opening),
            Subject::Queued { .. } => None,
        };
        let people: Vec<(String, Vec<String>)> = self
            .people
            .iter()
            .map(|p| (p.email.clone(), p.roles.clone()))
            .collect();
        clock.alerting.resolve(threshold, request, &people)
    }
}

/// The stable key of a queued change's aging clock.
pub(crate) fn aging_key(project: &str, environment: &str, sha: &str) -> String {
    format!("age/{project}/{environment}/{sha}")
}

/// One [`CalendarIndex`] per calendar, built on first use around the instant evaluated, so a
/// pass over many clocks costs binary searches instead of calendar walks.
#[derive(Default)]
pub(crate) struct Indexes(HashMap<String, CalendarIndex>);

impl Indexes {
    fn get(&mut self, name: &str, calendar: &Calendar, now: DateTime<Utc>) -> &CalendarIndex {
        self.0
            .entry(name.to_string())
            .or_insert_with(|| calendar.index(now - Duration::days(400), now + Duration::days(400)))
    }
}

fn live(
    subject: Subject,
    spec: ClockSpec,
    alerting: Alerting,
    calendar: &Calendar,
    index: &CalendarIndex,
    now: DateTime<Utc>,
) -> LiveClock {
    let reading = spec.read(index, now);
    let running_now = !reading.paused && !reading.stopped && calendar.is_open(now);
    let due = spec.due(index);
    let acknowledged = spec
        .acknowledged_at
        .is_some_and(|a| a <= now && due.is_some_and(|d| d <= a));
    LiveClock {
        due,
        acknowledged,
        subject,
        spec,
        alerting,
        reading,
        running_now,
    }
}

impl LiveClock {
    /// As the UI and `--json` see it.
    pub fn dto(&self) -> ClockDto {
        let r = &self.reading;
        let warned = r
            .crossed
            .iter()
            .filter(|c| matches!(c.threshold, Threshold::Warning(_)))
            .count();
        let tone = match () {
            _ if r.breached() => ToneDto::Breached,
            _ if warned == 0 => ToneDto::Calm,
            _ if warned >= self.spec.warnings.len() => ToneDto::Urgent,
            _ => ToneDto::Warning,
        };
        ClockDto {
            key: self.spec.key.clone(),
            stage: match &self.subject {
                Subject::Request { stage, .. } => match stage {
                    SlaStage::Approve => ClockStageDto::Approve,
                    SlaStage::Verify => ClockStageDto::Verify,
                    SlaStage::Deploy => ClockStageDto::Deploy,
                    SlaStage::Total => ClockStageDto::Total,
                },
                Subject::Queued { .. } => ClockStageDto::Aging,
            },
            calendar: self.alerting.calendar.clone(),
            goal_seconds: self.spec.goal,
            elapsed_seconds: r.elapsed,
            remaining_seconds: r.remaining,
            percent: (r.percent * 10.0).round() / 10.0,
            paused: r.paused,
            stopped: r.stopped,
            breached: r.breached(),
            running_now: self.running_now,
            tone,
            acknowledged: self.acknowledged,
            next_threshold: r.next.map(|(t, _)| t.key()),
            next_at: r.next.and_then(|(_, at)| at).map(rfc3339),
            due_at: self.due.map(rfc3339),
            crossed: r
                .crossed
                .iter()
                .map(|c| (c.threshold.key(), rfc3339(c.at())))
                .collect(),
        }
    }

    /// The notification that tells `threshold`'s stored crossing (`event`) to its escalation
    /// chain and subscribers.
    pub fn notice(&self, threshold: Threshold, event: &ClockEvent) -> slipway_core::notify::Event {
        self.crossed(threshold, event, notice::clock_crossed)
    }

    /// The one catch-up notice of a threshold noticed late (at `noticed`), naming the
    /// thresholds stored before it without a notice of their own.
    pub fn catch_up_notice(
        &self,
        threshold: Threshold,
        event: &ClockEvent,
        missed: &[(Threshold, DateTime<Utc>)],
        noticed: DateTime<Utc>,
    ) -> slipway_core::notify::Event {
        self.crossed(threshold, event, |c| {
            notice::clock_caught_up(c, missed, noticed)
        })
    }

    fn crossed(
        &self,
        threshold: Threshold,
        event: &ClockEvent,
        tell: impl FnOnce(&notice::Crossed<'_>) -> slipway_core::notify::Event,
    ) -> slipway_core::notify::Event {
        let owner = match &self.subject {
            Subject::Request { id, .. } => notice::ClockOwner::Request { id: *id },
            Subject::Queued {
                environment,
                sha,
                title,
                ..
            } => notice::ClockOwner::Queued {
                environment,
                sha,
                title,
            },
        };
        tell(&notice::Crossed {
            owner,
            project: &event.project,
            environment: event.environment.as_deref(),
            clock_key: &event.clock_key,
            threshold,
            at: time(event.crossed_at),
            summary: &event.summary,
            recipients: &event.recipients,
        })
    }

    /// The stored event for one crossing.
    pub fn event(
        &self,
        world: &ClockWorld,
        threshold: Threshold,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
        by: &str,
    ) -> ClockEvent {
        let what = threshold.words();
        let summary = match &self.subject {
            Subject::Request { id, stage, request } => format!(
                "CR #{id} ({} {}) “{}”: {} — {what}",
                request.opening.kind,
                request.opening.severity.as_str().to_uppercase(),
                request.opening.title,
                stage.words(),
            ),
            Subject::Queued {
                project,
                environment,
                sha,
                title,
            } => format!(
                "{project} {environment}: “{title}” ({}) waiting — {}",
                &sha[..sha.len().min(8)],
                if threshold == Threshold::Breach {
                    "late".to_string()
                } else {
                    what
                }
            ),
        };
        let (project, request_id, environment, sha) = self.subject.place();
        ClockEvent {
            id: 0,
            clock_key: self.spec.key.clone(),
            threshold: threshold.key(),
            crossed_at: at.timestamp(),
            recorded_at: now.timestamp(),
            recorded_by: by.to_string(),
            project,
            request_id,
            environment,
            sha,
            summary,
            recipients: world.recipients(self, threshold),
            delivered_at: None,
        }
    }
}

wire_words!(ClockStageDto, ToneDto);

/// Replays stored requests with the approval rules in force.
pub(crate) fn replay(stored: StoredRequest) -> Result<(i64, Request), ApiError> {
    let id = stored.id;
    let request = Request::replay(stored.log, ApprovalRule::default_for).map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!("Change request #{id} has a log Slipway cannot read: {e}."),
        )
    })?;
    Ok((id, request))
}
