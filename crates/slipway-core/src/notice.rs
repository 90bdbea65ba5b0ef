//! The notification events Slipway's acts produce, built from the facts of each act. The
//! API hands them to the store with the act itself, so they reach the outbox in the same
//! transaction (or not at all).

use chrono::{DateTime, Utc};

use crate::deploy::DeploymentKind;
use crate::notify::{Event, EventKind, Severity};
use crate::request::{Entry, Request, RequestState, Severity as RequestSeverity};
use crate::sla::Threshold;

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(8)]
}

/// What one promotion, rollback, redeploy or hotfix did, as its notices tell it.
#[derive(Debug, Clone, Copy)]
pub struct RunFacts<'a> {
    /// The project.
    pub project: &'a str,
    /// The environment moved.
    pub environment: &'a str,
    /// What kind of run.
    pub kind: DeploymentKind,
    /// Where it stood.
    pub from: &'a str,
    /// Where it went.
    pub to: &'a str,
    /// How many changes shipped (or were rolled back).
    pub changes: usize,
    /// Who ran it.
    pub by: &'a str,
    /// Release notes (forward) or the reason (rollback).
    pub notes: &'a str,
}

impl RunFacts<'_> {
    fn finish(&self, mut e: Event, at: DateTime<Utc>) -> Event {
        e.environment = Some(self.environment.to_string());
        e.actor = self.by.to_string();
        e.at = at;
        e
    }
}

/// A promotion, hotfix or redeploy that succeeded; or a rollback.
pub fn succeeded(run: &RunFacts<'_>, id: i64, at: DateTime<Utc>) -> Event {
    let rollback = run.kind == DeploymentKind::Rollback;
    let changes = match run.changes {
        1 => "1 change".to_string(),
        n => format!("{n} changes"),
    };
    let title = if rollback {
        format!(
            "{} {} rolled back to {} by {}",
            run.project,
            run.environment,
            short(run.to),
            run.by
        )
    } else {
        format!(
            "{}: {changes} reached {} ({} → {})",
            run.project,
            run.environment,
            short(run.from),
            short(run.to)
        )
    };
    let kind = if rollback {
        EventKind::RolledBack
    } else {
        EventKind::Promoted
    };
    let mut e = Event::new(kind, run.project, format!("promotion/{id}"), title)
        .with("from_sha", run.from)
        .with("to_sha", run.to)
        .with("changes", changes);
    e = if rollback {
        e.with("reason", run.notes)
    } else {
        e.with("release_notes", run.notes)
    };
    run.finish(e, at)
}

/// A run whose deployment failed.
pub fn deployment_failed(run: &RunFacts<'_>, id: i64, error: &str, at: DateTime<Utc>) -> Event {
    let title = format!("{} {} to {} failed", run.project, run.kind, run.environment);
    let e = Event::new(
        EventKind::DeploymentFailed,
        run.project,
        format!("promotion/{id}"),
        title,
    )
    .with("to_sha", run.to)
    .with("error", error);
    run.finish(e, at)
}

/// An environment put on hold.
pub fn held(project: &str, environment: &str, reason: &str, by: &str, at: DateTime<Utc>) -> Event {
    let mut e = Event::new(
        EventKind::Held,
        project,
        format!("board/{project}/{environment}"),
        format!("{project} {environment} is on hold: {reason}"),
    )
    .with("reason", reason);
    e.environment = Some(environment.to_string());
    e.actor = by.to_string();
    e.at = at;
    e
}

/// A change that waits for sign-offs on an environment (noticed by a watcher: stored once).
pub fn signoff_needed(
    project: &str,
    environment: &str,
    sha: &str,
    change: &str,
    required: &str,
    at: DateTime<Utc>,
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
    e.at = at;
    e.once = Some(format!("signoff-needed/{project}/{environment}/{sha}"));
    e
}

/// How loud a request's notices are: SEV1 critical, SEV2 a warning, the rest information.
pub fn request_severity(request: &Request) -> Severity {
    match request.opening.severity {
        RequestSeverity::Sev1 => Severity::Critical,
        RequestSeverity::Sev2 => Severity::Warning,
        _ => Severity::Info,
    }
}

/// What a change request's new entry is worth telling: raised (it reached submitted) or
/// approved (it reached approved).
pub fn request_events(
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

/// What a clock belongs to, as its notices need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockOwner<'a> {
    /// A change request.
    Request {
        /// Its number.
        id: i64,
    },
    /// A change waiting in an environment's queue.
    Queued {
        /// The environment.
        environment: &'a str,
        /// The change's sha.
        sha: &'a str,
        /// The change's title.
        title: &'a str,
    },
}

/// One threshold of one clock, crossed.
#[derive(Debug, Clone, Copy)]
pub struct Crossed<'a> {
    /// Whose clock.
    pub owner: ClockOwner<'a>,
    /// The project.
    pub project: &'a str,
    /// The environment, when there is one.
    pub environment: Option<&'a str>,
    /// The clock's key.
    pub clock_key: &'a str,
    /// The threshold.
    pub threshold: Threshold,
    /// When it was crossed.
    pub at: DateTime<Utc>,
    /// The line that says what happened.
    pub summary: &'a str,
    /// The escalation step's people, resolved to addresses.
    pub recipients: &'a [String],
}

/// A clock's threshold, told to its escalation chain (and to subscribers).
pub fn clock_crossed(c: &Crossed<'_>) -> Event {
    let kind = match (c.owner, c.threshold) {
        (_, Threshold::Warning(_)) => EventKind::BreachWarning,
        (ClockOwner::Queued { .. }, _) => EventKind::ChangeLate,
        (ClockOwner::Request { .. }, _) => EventKind::Breached,
    };
    let thread = match (c.owner, c.environment) {
        (ClockOwner::Request { id }, _) => format!("request/{id}"),
        (ClockOwner::Queued { environment, .. }, _) => {
            format!("board/{}/{environment}", c.project)
        }
    };
    let mut e = Event::new(kind, c.project, thread, c.summary)
        .with("threshold", c.threshold.words())
        .with("clock", c.clock_key)
        .with("ack_link", format!("slipway://ack/{}", c.clock_key));
    match c.owner {
        ClockOwner::Request { id } => e = e.with("request", id.to_string()),
        ClockOwner::Queued { sha, title, .. } => e = e.with("sha", sha).with("change", title),
    }
    e.environment = c.environment.map(str::to_string);
    e.actor = "slipway".into();
    e.at = c.at;
    e.escalate_to = c.recipients.to_vec();
    e.once = Some(clock_once(c.clock_key, &c.threshold.key()));
    e
}

/// A clock's newest threshold told late, because no watcher ran when it (and possibly
/// others: `missed`, each with its true instant) was crossed: one catch-up notice per clock
/// instead of a burst, saying how late it is. `noticed` is when the watcher saw it.
pub fn clock_caught_up(
    c: &Crossed<'_>,
    missed: &[(Threshold, DateTime<Utc>)],
    noticed: DateTime<Utc>,
) -> Event {
    let mut e = clock_crossed(c);
    let late = crate::format_age((noticed - c.at).num_seconds());
    e.title = format!(
        "{} — told {late} late: no watcher was running at {}",
        e.title,
        c.at.format("%Y-%m-%d %H:%M UTC")
    );
    if !missed.is_empty() {
        let list: Vec<String> = missed
            .iter()
            .map(|(t, at)| format!("{} at {}", t.words(), at.format("%Y-%m-%d %H:%M UTC")))
            .collect();
        e.title
            .push_str(&format!("; missed before it: {}", list.join(", ")));
    }
    e
}

/// The `once` key of a clock's threshold event; an acknowledgement cancels by its prefix.
pub fn clock_once(clock_key: &str, threshold: &str) -> String {
    format!("clock/{clock_key}/{threshold}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap()
    }

    fn run(kind: DeploymentKind, changes: usize) -> RunFacts<'static> {
        RunFacts {
            project: "payments",
            environment: "staging",
            kind,
            from: "aaaaaaaaaaaa",
            to: "bbbbbbbbbbbb",
            changes,
            by: "rm@example.com",
            notes: "notes",
        }
    }

    #[test]
    fn runs_are_told_by_kind() {
        let cases = [
            (
                DeploymentKind::Promote,
                1,
                EventKind::Promoted,
                "payments: 1 change reached staging (aaaaaaaa → bbbbbbbb)",
                "release_notes",
            ),
            (
                DeploymentKind::Hotfix,
                3,
                EventKind::Promoted,
                "payments: 3 changes reached staging (aaaaaaaa → bbbbbbbb)",
                "release_notes",
            ),
            (
                DeploymentKind::Rollback,
                2,
                EventKind::RolledBack,
                "payments staging rolled back to bbbbbbbb by rm@example.com",
                "reason",
            ),
        ];
        for (kind, n, want, title, notes) in cases {
            let e = succeeded(&run(kind, n), 7, at());
            assert_eq!((e.kind, e.title.as_str()), (want, title), "{kind}");
            assert_eq!(e.values.get(notes).map(String::as_str), Some("notes"));
            assert_eq!(e.thread, "promotion/7");
            assert_eq!(e.environment.as_deref(), Some("staging"));
        }
        let failed = deployment_failed(&run(DeploymentKind::Redeploy, 1), 8, "boom", at());
        assert_eq!(failed.title, "payments redeploy to staging failed");
        assert_eq!(failed.values.get("error").map(String::as_str), Some("boom"));
    }

    #[test]
    fn clock_crossings_pick_their_kind_and_thread() {
        let queued = ClockOwner::Queued {
            environment: "qa",
            sha: "abc",
            title: "Fix",
        };
        let cases = [
            (
                ClockOwner::Request { id: 4 },
                Threshold::Warning(50),
                EventKind::BreachWarning,
                "request/4",
            ),
            (
                ClockOwner::Request { id: 4 },
                Threshold::Breach,
                EventKind::Breached,
                "request/4",
            ),
            (
                ClockOwner::Request { id: 4 },
                Threshold::Repeat(2),
                EventKind::Breached,
                "request/4",
            ),
            (
                queued,
                Threshold::Warning(75),
                EventKind::BreachWarning,
                "board/payments/qa",
            ),
            (
                queued,
                Threshold::Breach,
                EventKind::ChangeLate,
                "board/payments/qa",
            ),
        ];
        for (owner, threshold, kind, thread) in cases {
            let e = clock_crossed(&Crossed {
                owner,
                project: "payments",
                environment: Some("qa"),
                clock_key: "k",
                threshold,
                at: at(),
                summary: "s",
                recipients: &["lead@example.com".to_string()],
            });
            assert_eq!((e.kind, e.thread.as_str()), (kind, thread), "{threshold:?}");
            assert_eq!(
                e.once.as_deref(),
                Some(format!("clock/k/{}", threshold.key()).as_str())
            );
            assert_eq!(e.escalate_to, vec!["lead@example.com".to_string()]);
        }
    }

    #[test]
    fn a_late_threshold_is_told_once_with_how_late_and_what_else_was_missed() {
        let crossed = Crossed {
            owner: ClockOwner::Request { id: 7 },
            project: "payments",
            environment: None,
            clock_key: "cr/7/total",
            threshold: Threshold::Breach,
            at: at(),
            summary: "CR #7 total time breached",
            recipients: &["cto@example.com".to_string()],
        };
        let monday = at() + chrono::Duration::hours(50);
        let warn = at() - chrono::Duration::hours(2);
        type Missed<'a> = &'a [(Threshold, DateTime<Utc>)];
        let cases: &[(Missed, &str)] = &[
            (
                &[],
                "CR #7 total time breached — told 2 d 2 h late: no watcher was running at 2023-11-14 22:13 UTC",
            ),
            (
                &[(Threshold::Warning(50), warn)],
                "CR #7 total time breached — told 2 d 2 h late: no watcher was running at 2023-11-14 22:13 UTC; missed before it: 50 % of the goal used at 2023-11-14 20:13 UTC",
            ),
        ];
        for (missed, title) in cases {
            let e = clock_caught_up(&crossed, missed, monday);
            assert_eq!(e.title, *title);
            // Still the breach's event: its kind, chain and once key.
            assert_eq!(e.kind, EventKind::Breached);
            assert_eq!(e.once.as_deref(), Some("clock/cr/7/total/breach"));
            assert_eq!(e.escalate_to, ["cto@example.com".to_string()]);
            assert_eq!(e.at, at());
        }
    }

    #[test]
    fn thresholds_and_stages_in_words() {
        let cases = [
            (Threshold::Warning(50), "50 % of the goal used"),
            (Threshold::Breach, "goal breached"),
            (Threshold::Repeat(3), "still breached (reminder 3)"),
        ];
        for (t, words) in cases {
            assert_eq!(t.words(), words);
        }
        assert_eq!(crate::SlaStage::Approve.words(), "time to approve");
        assert_eq!(crate::SlaStage::Total.words(), "total time");
    }
}

/// A follow-up whose clock has something to tell its owner.
#[derive(Debug, Clone, Copy)]
pub struct FollowUpFacts<'a> {
    /// Its number.
    pub id: i64,
    /// The project.
    pub project: &'a str,
    /// The environment.
    pub environment: &'a str,
    /// What is to be done.
    pub title: &'a str,
    /// Who owns it (an email address).
    pub owner: &'a str,
    /// When it is due.
    pub due: DateTime<Utc>,
}

/// The reminder (due today) or the overdue notice of a follow-up, to its owner, stored once
/// per follow-up, notice and due date (a new due date reminds again).
pub fn follow_up_reminder(
    f: &FollowUpFacts<'_>,
    reminder: crate::followup::Reminder,
    reading: &crate::followup::DueReading,
    at: DateTime<Utc>,
) -> Event {
    use crate::followup::{FollowUpStatus, Reminder};
    let (kind, word, title) = match reminder {
        Reminder::Due => (
            EventKind::FollowUpDue,
            "due",
            format!(
                "{} {}: follow-up #{} is due today",
                f.project, f.environment, f.id
            ),
        ),
        Reminder::Overdue => (
            EventKind::FollowUpOverdue,
            "overdue",
            format!(
                "{} {}: follow-up #{} is overdue",
                f.project, f.environment, f.id
            ),
        ),
    };
    let due_at = f.due.format("%Y-%m-%d %H:%M UTC").to_string();
    let mut e = Event::new(kind, f.project, format!("follow-up/{}", f.id), title)
        .with("follow_up", f.id.to_string())
        .with("follow_up_title", f.title)
        .with("owner", f.owner)
        .with("due_at", due_at)
        .with("standing", reading.sentence(FollowUpStatus::Open));
    e.environment = Some(f.environment.to_string());
    e.actor = "slipway".into();
    e.at = at;
    e.escalate_to = vec![f.owner.to_string()];
    e.once = Some(format!("follow-up/{}/{word}/{}", f.id, f.due.timestamp()));
    e
}
