//! Every running clock — SLA clocks of change requests and aging clocks of queued changes —
//! read from the stored events at one instant; and the watcher's pass that stores each
//! threshold crossed, once.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use slipway_core::{
    aging_clock, request_clocks, Alerting, ApprovalRule, Calendar, CalendarIndex, ClockSpec,
    Reading, Request, SlaPolicy, SlaStage, Threshold,
};
use slipway_store::{ClockEvent, FreezeWindow, Person, StoredRequest};
use ts_rs::TS;

use crate::board::rfc3339;
use crate::{ApiError, BoardDto, ErrorCode, Workspace};

/// A clock as it stands: what the countdowns, `slipway sla check` and the board show.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ClockDto {
    /// Stable identity (`cr/12/approve`, `age/payments/staging/<sha>`).
    pub key: String,
    /// `approve`, `verify`, `deploy`, `total` or `aging`.
    pub stage: String,
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
    /// How worrying it is: `calm` (no warning crossed), `warning` (a warning crossed),
    /// `urgent` (the last warning crossed), `breached`. Front ends colour by it.
    pub tone: String,
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
        self.acks.get(key).map(|(_, at)| crate::clocks::time(*at))
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

    /// The aging clocks of every queued change in an environment with an aging policy.
    pub fn aging_clocks(
        &self,
        board: &BoardDto,
        now: DateTime<Utc>,
        indexes: &mut Indexes,
    ) -> Result<Vec<LiveClock>, ApiError> {
        let mut out = Vec::new();
        for (project, policy) in &self.aging {
            let Some(column) = board
                .projects
                .iter()
                .filter(|p| &p.name == project)
                .flat_map(|p| p.environments.iter())
                .find(|e| e.name == policy.environment)
            else {
                continue;
            };
            let calendar = self.calendar(&policy.alerting.calendar)?;
            let freezes = self.freezes_of(project, Some(&policy.environment));
            for queued in &column.queue {
                let Ok(since) = DateTime::parse_from_rfc3339(&queued.waiting_since) else {
                    continue;
                };
                let key = format!("age/{project}/{}/{}", policy.environment, queued.change.sha);
                let spec = aging_clock(
                    project,
                    &queued.change.sha,
                    since.with_timezone(&Utc),
                    policy,
                    &freezes,
                    self.ack(&key),
                );
                let index = indexes.get(&policy.alerting.calendar, calendar, now);
                out.push(live(
                    Subject::Queued {
                        project: project.clone(),
                        environment: policy.environment.clone(),
                        sha: queued.change.sha.clone(),
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

    /// Who is told when `threshold` of `clock` is crossed: the escalation step's entries, with
    /// `assignee`, `requester` and `role:NAME` resolved to addresses.
    pub fn recipients(&self, clock: &LiveClock, threshold: Threshold) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for who in clock.alerting.recipients(threshold) {
            let resolved: Vec<String> = match (who.as_str(), &clock.subject) {
                ("assignee", Subject::Request { request, .. }) => {
                    request.opening.assignee.iter().cloned().collect()
                }
                ("requester", Subject::Request { request, .. }) => {
                    vec![request.opening.requester.clone()]
                }
                (role, _) if role.starts_with("role:") => self
                    .people
                    .iter()
                    .filter(|p| {
                        p.roles.iter().any(|r| {
                            role.strip_prefix("role:")
                                .is_some_and(|want| r.eq_ignore_ascii_case(want))
                        })
                    })
                    .map(|p| p.email.clone())
                    .collect(),
                ("assignee" | "requester", Subject::Queued { .. }) => Vec::new(),
                (address, _) => vec![address.to_string()],
            };
            for r in resolved {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
        out
    }
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

pub(crate) fn time(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
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
            _ if r.breached() => "breached",
            _ if warned == 0 => "calm",
            _ if warned >= self.spec.warnings.len() => "urgent",
            _ => "warning",
        };
        ClockDto {
            key: self.spec.key.clone(),
            stage: match &self.subject {
                Subject::Request { stage, .. } => stage.as_str().to_string(),
                Subject::Queued { .. } => "aging".to_string(),
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
            tone: tone.to_string(),
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

    /// The stored event for one crossing.
    pub fn event(
        &self,
        world: &ClockWorld,
        threshold: Threshold,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
        by: &str,
    ) -> ClockEvent {
        let what = threshold_words(threshold);
        let summary = match &self.subject {
            Subject::Request { id, stage, request } => format!(
                "CR #{id} ({} {}) “{}”: {} — {what}",
                request.opening.kind,
                request.opening.severity.as_str().to_uppercase(),
                request.opening.title,
                stage_words(*stage),
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

/// A threshold as people say it ("75 % of the goal used").
pub(crate) fn threshold_words(threshold: Threshold) -> String {
    match threshold {
        Threshold::Warning(p) => format!("{p} % of the goal used"),
        Threshold::Breach => "goal breached".to_string(),
        Threshold::Repeat(n) => format!("still breached (reminder {n})"),
    }
}

fn stage_words(stage: SlaStage) -> &'static str {
    match stage {
        SlaStage::Approve => "time to approve",
        SlaStage::Verify => "time to verify",
        SlaStage::Deploy => "time to deploy",
        SlaStage::Total => "total time",
    }
}

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
