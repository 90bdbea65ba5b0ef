//! The notification events Slipway's acts produce: each is handed to the store with the act
//! itself, so it is written to the outbox in the same transaction (or not at all).

use slipway_core::notify::{Event, EventKind, Severity};
use slipway_core::{Entry, Request, RequestState, Threshold};
use slipway_store::ClockEvent;

use crate::clocks::{time, Subject};
use crate::promote::{short, Run};

/// A promotion, hotfix or redeploy that succeeded; or a rollback.
pub(crate) fn succeeded(run: &Run<'_>, id: i64, at: i64) -> Event {
    let rollback = run.kind == "rollback";
    let n = run.changes.len();
    let changes = match n {
        1 => "1 change".to_string(),
        n => format!("{n} changes"),
    };
    let title = if rollback {
        format!(
            "{} {} rolled back to {} by {}",
            run.project.name,
            run.environment,
            short(&run.to),
            run.by
        )
    } else {
        format!(
            "{}: {changes} reached {} ({} → {})",
            run.project.name,
            run.environment,
            short(&run.from),
            short(&run.to)
        )
    };
    let kind = if rollback {
        EventKind::RolledBack
    } else {
        EventKind::Promoted
    };
    let mut e = Event::new(kind, &run.project.name, format!("promotion/{id}"), title)
        .with("from_sha", &run.from)
        .with("to_sha", &run.to)
        .with("changes", changes);
    e = if rollback {
        e.with("reason", &run.notes)
    } else {
        e.with("release_notes", &run.notes)
    };
    finish(e, run, at)
}

/// A promotion whose deployment failed.
pub(crate) fn deployment_failed(run: &Run<'_>, id: i64, error: &str, at: i64) -> Event {
    let title = format!(
        "{} {} to {} failed",
        run.project.name, run.kind, run.environment
    );
    let e = Event::new(
        EventKind::DeploymentFailed,
        &run.project.name,
        format!("promotion/{id}"),
        title,
    )
    .with("to_sha", &run.to)
    .with("error", error);
    finish(e, run, at)
}

fn finish(mut e: Event, run: &Run<'_>, at: i64) -> Event {
    e.environment = Some(run.environment.clone());
    e.actor = run.by.clone();
    e.at = time(at);
    e
}

/// An environment put on hold.
pub(crate) fn held(project: &str, environment: &str, reason: &str, by: &str, at: i64) -> Event {
    let mut e = Event::new(
        EventKind::Held,
        project,
        format!("board/{project}/{environment}"),
        format!("{project} {environment} is on hold: {reason}"),
    )
    .with("reason", reason);
    e.environment = Some(environment.to_string());
    e.actor = by.to_string();
    e.at = time(at);
    e
}

/// A change that waits for sign-offs on an environment (noticed by a watcher: stored once).
pub(crate) fn signoff_needed(
    project: &str,
    environment: &str,
    sha: &str,
    change: &str,
    required: &str,
    at: i64,
) -> Event {
    let mut e = Event::new(
        EventKind::SignoffNeeded,
        project,
        format!("board/{project}/{environment}"),
        format!(
            "{project} {environment}: “{change}” ({}) waits for sign-off",
            short(sha)
        ),
    )
    .with("sha", sha)
    .with("change", change)
    .with("required", required);
    e.environment = Some(environment.to_string());
    e.actor = "slipway".into();
    e.at = time(at);
    e.once = Some(format!("signoff-needed/{project}/{environment}/{sha}"));
    e
}

fn request_severity(request: &Request) -> Severity {
    match request.opening.severity {
        slipway_core::Severity::Sev1 => Severity::Critical,
        slipway_core::Severity::Sev2 => Severity::Warning,
        _ => Severity::Info,
    }
}

/// What a change request's new entry is worth telling: raised (it reached submitted) or
/// approved (it reached approved).
pub(crate) fn request_events(
    id: i64,
    before: RequestState,
    request: &Request,
    entry: &Entry,
) -> Vec<Event> {
    let o = &request.opening;
    let (kind, title, who) = match (before, request.state) {
        (RequestState::Draft, RequestState::Submitted) => (
            EventKind::RequestRaised,
            format!("Change request #{id} raised: {}", o.title),
            ("requester", o.requester.clone()),
        ),
        (b, RequestState::Approved) if b != RequestState::Approved => (
            EventKind::Approved,
            format!("Change request #{id} approved: {}", o.title),
            ("approver", entry.actor.clone()),
        ),
        _ => return Vec::new(),
    };
    let mut e = Event::new(kind, &o.project, format!("request/{id}"), title)
        .with("request", id.to_string())
        .with("request_title", &o.title)
        .with(who.0, who.1);
    e.severity = request_severity(request).max(kind.default_severity());
    e.environment = o.target_environment.clone();
    e.actor = entry.actor.clone();
    e.at = entry.at;
    vec![e]
}

/// A clock's threshold, told to its escalation chain (and to subscribers).
pub(crate) fn clock_crossed(subject: &Subject, threshold: Threshold, event: &ClockEvent) -> Event {
    let kind = match (subject, threshold) {
        (_, Threshold::Warning(_)) => EventKind::BreachWarning,
        (Subject::Queued { .. }, _) => EventKind::ChangeLate,
        (Subject::Request { .. }, _) => EventKind::Breached,
    };
    let mut e = Event::new(
        kind,
        &event.project,
        thread_of(subject),
        event.summary.clone(),
    )
    .with("threshold", crate::clocks::threshold_words(threshold))
    .with("clock", &event.clock_key)
    .with("ack_link", format!("slipway://ack/{}", event.clock_key));
    if let Some(id) = event.request_id {
        e = e.with("request", id.to_string());
    }
    if let (Some(sha), Subject::Queued { title, .. }) = (&event.sha, subject) {
        e = e.with("sha", sha).with("change", title);
    }
    e.environment = event.environment.clone();
    e.actor = "slipway".into();
    e.at = time(event.crossed_at);
    e.escalate_to = event.recipients.clone();
    e.once = Some(clock_once(&event.clock_key, &event.threshold));
    e
}

/// The `once` key of a clock's threshold event; an acknowledgement cancels by its prefix.
pub(crate) fn clock_once(clock_key: &str, threshold: &str) -> String {
    format!("clock/{clock_key}/{threshold}")
}

fn thread_of(subject: &Subject) -> String {
    match subject {
        Subject::Request { id, .. } => format!("request/{id}"),
        Subject::Queued {
            project,
            environment,
            ..
        } => format!("board/{project}/{environment}"),
    }
}
