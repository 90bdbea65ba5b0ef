//! Change requests: a request is the fold of its event log. Every transition is checked here,
//! so the CLI, the desktop and the watcher all refuse the same things with the same words.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

/// How a change request is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RequestKind {
    /// Something is broken now: fastest path, tightest SLA.
    Emergency,
    /// Planned change that needs approval.
    Normal,
    /// Pre-approved, low-risk routine change.
    Standard,
}

/// How bad the problem behind a request is (SEV1 is the worst).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Outage or data loss.
    Sev1,
    /// Major degradation.
    Sev2,
    /// Minor problem.
    Sev3,
    /// Cosmetic or routine.
    Sev4,
}

/// Where a request stands in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestState {
    /// Being written; nobody is asked anything yet.
    Draft,
    /// Waiting for approval.
    Submitted,
    /// Approved; waiting for verification.
    Approved,
    /// Verified; waiting to be deployed.
    Verified,
    /// Its changes have shipped to the target environment.
    Deployed,
    /// Done.
    Closed,
    /// An approver said no.
    Rejected,
    /// Withdrawn.
    Cancelled,
    /// Paused on purpose; resumes to where it was.
    OnHold,
}

/// Words the CLI, the store and the UI share for the enums above.
macro_rules! words {
    ($ty:ident { $($variant:ident => $word:literal),+ $(,)? }, $what:literal, $hint:literal) => {
        impl $ty {
            /// The stable lower-case name (stored, printed, typed).
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $word),+ }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $ty {
            type Err = RequestError;
            fn from_str(s: &str) -> Result<Self, RequestError> {
                let wanted = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
                match wanted.as_str() {
                    $($word => Ok($ty::$variant),)+
                    _ => Err(RequestError::Unknown { what: $what, value: s.to_string(), hint: $hint }),
                }
            }
        }
    };
}

words!(RequestKind { Emergency => "emergency", Normal => "normal", Standard => "standard" },
    "request type", "emergency, normal or standard");
words!(Severity { Sev1 => "sev1", Sev2 => "sev2", Sev3 => "sev3", Sev4 => "sev4" },
    "severity", "sev1, sev2, sev3 or sev4");
words!(RequestState {
    Draft => "draft", Submitted => "submitted", Approved => "approved", Verified => "verified",
    Deployed => "deployed", Closed => "closed", Rejected => "rejected", Cancelled => "cancelled",
    OnHold => "on-hold",
}, "state", "draft, submitted, approved, verified, deployed, closed, rejected, cancelled or on-hold");

impl RequestState {
    /// Whether the request is finished (no clock runs, nothing more can happen but closing).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            RequestState::Closed | RequestState::Rejected | RequestState::Cancelled
        )
    }
}

/// What happened to a request. The first event of every log is `Opened`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestEvent {
    /// The request was written (possibly after the fact: `at` may lie in the past).
    Opened(Opening),
    /// Sent for approval.
    Submitted,
    /// One approver said yes (in the role they approve for).
    Approved {
        /// The role the approval counts for.
        role: String,
    },
    /// An approver said no: the request stops.
    Rejected {
        /// Why.
        reason: String,
    },
    /// The fix was checked (in a lower environment or by QA).
    Verified,
    /// A deployment shipped the linked changes.
    Deployed {
        /// The environment it shipped to.
        environment: String,
        /// The commit the environment moved to.
        sha: String,
    },
    /// Finished.
    Closed,
    /// Withdrawn.
    Cancelled {
        /// Why.
        reason: String,
    },
    /// Paused.
    Held {
        /// Why.
        reason: String,
    },
    /// Un-paused.
    Resumed,
    /// A change was linked.
    Linked {
        /// Full sha of the change.
        sha: String,
    },
    /// Someone acknowledged an escalation ("I'm on it"): its repeats stop.
    Acknowledged,
}

impl RequestEvent {
    /// The stable machine name of the event (stored beside its details).
    pub fn kind(&self) -> &'static str {
        match self {
            RequestEvent::Opened(_) => "opened",
            RequestEvent::Submitted => "submitted",
            RequestEvent::Approved { .. } => "approved",
            RequestEvent::Rejected { .. } => "rejected",
            RequestEvent::Verified => "verified",
            RequestEvent::Deployed { .. } => "deployed",
            RequestEvent::Closed => "closed",
            RequestEvent::Cancelled { .. } => "cancelled",
            RequestEvent::Held { .. } => "held",
            RequestEvent::Resumed => "resumed",
            RequestEvent::Linked { .. } => "linked",
            RequestEvent::Acknowledged => "acknowledged",
        }
    }
}

/// What a request is about, as written when it was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    /// The project it concerns.
    pub project: String,
    /// Emergency, normal or standard.
    pub kind: RequestKind,
    /// SEV1–SEV4.
    pub severity: Severity,
    /// One line.
    pub title: String,
    /// Free text.
    pub description: String,
    /// Who asks (an email or a name).
    pub requester: String,
    /// Who does the work.
    pub assignee: Option<String>,
    /// Where the fix must go.
    pub target_environment: Option<String>,
}

/// One entry of a request's log: who did what, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// When it happened (may be entered after the fact, never before the previous entry).
    pub at: DateTime<Utc>,
    /// Who did it.
    pub actor: String,
    /// What happened.
    pub event: RequestEvent,
}

/// Who must approve a kind of request: each listed role once, by distinct people, never the
/// requester.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalRule {
    /// Roles that must each approve once (may repeat a role to need two of it).
    pub roles: Vec<String>,
}

impl ApprovalRule {
    /// The rule Slipway applies when none is configured: an emergency needs a release manager
    /// and QA; a normal change a release manager; a standard change is pre-approved.
    pub fn default_for(kind: RequestKind) -> ApprovalRule {
        let roles: &[&str] = match kind {
            RequestKind::Emergency => &["release-manager", "qa"],
            RequestKind::Normal => &["release-manager"],
            RequestKind::Standard => &[],
        };
        ApprovalRule {
            roles: roles.iter().map(|r| r.to_string()).collect(),
        }
    }
}

/// A request as its log makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// What it is about.
    pub opening: Opening,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
    /// Where it stands.
    pub state: RequestState,
    /// When it entered each state, in order (a state entered twice appears twice).
    pub transitions: Vec<(RequestState, DateTime<Utc>)>,
    /// Approvals so far: (who, role, when).
    pub approvals: Vec<(String, String, DateTime<Utc>)>,
    /// Hold periods: (from, until; `None` while still on hold).
    pub holds: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    /// Linked changes (full shas), in the order they were linked.
    pub links: Vec<String>,
    /// When someone last acknowledged an escalation.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// The whole log.
    pub log: Vec<Entry>,
    held_from: Option<RequestState>,
}

/// Why a request cannot take an event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// A word that is not one of the allowed ones.
    #[error("“{value}” is not a {what}; use {hint}")]
    Unknown {
        /// Which word.
        what: &'static str,
        /// What was given.
        value: String,
        /// The allowed words.
        hint: &'static str,
    },
    /// The lifecycle does not allow this step from here.
    #[error("a request that is {from} cannot be {step}")]
    Transition {
        /// Current state.
        from: RequestState,
        /// The attempted step, as a past participle ("approved").
        step: &'static str,
    },
    /// The requester tried to approve their own request.
    #[error("{who} asked for this change and cannot approve it")]
    OwnRequest {
        /// The requester.
        who: String,
    },
    /// The approver already approved.
    #[error("{who} has already approved this request")]
    ApprovedTwice {
        /// The approver.
        who: String,
    },
    /// The approver has none of the roles still needed.
    #[error("this request still needs approval from {needed}; {who} has none of those roles")]
    RoleNotNeeded {
        /// Who tried.
        who: String,
        /// The roles still missing.
        needed: String,
    },
    /// An event dated before the previous one (or before the opening).
    #[error("{at} is before the request's last event ({last}); events are entered in order")]
    OutOfOrder {
        /// The event's time.
        at: DateTime<Utc>,
        /// The previous event's time.
        last: DateTime<Utc>,
    },
    /// A log that does not start with `Opened`, or opens twice.
    #[error("a request's log starts with one opening")]
    BadOpening,
    /// A required text is empty.
    #[error("{0} must not be empty")]
    Empty(&'static str),
}

impl Request {
    /// Opens a request from its first log entry.
    pub fn open(at: DateTime<Utc>, actor: &str, opening: Opening) -> Result<Request, RequestError> {
        if opening.title.trim().is_empty() {
            return Err(RequestError::Empty("the title"));
        }
        if opening.requester.trim().is_empty() {
            return Err(RequestError::Empty("the requester"));
        }
        Ok(Request {
            opened_at: at,
            state: RequestState::Draft,
            transitions: vec![(RequestState::Draft, at)],
            approvals: Vec::new(),
            holds: Vec::new(),
            links: Vec::new(),
            acknowledged_at: None,
            log: vec![Entry {
                at,
                actor: actor.to_string(),
                event: RequestEvent::Opened(opening.clone()),
            }],
            opening,
            held_from: None,
        })
    }

    /// Rebuilds a request from its stored log.
    pub fn replay(
        log: impl IntoIterator<Item = Entry>,
        rule: impl Fn(RequestKind) -> ApprovalRule,
    ) -> Result<Request, RequestError> {
        let mut entries = log.into_iter();
        let first = entries.next().ok_or(RequestError::BadOpening)?;
        let RequestEvent::Opened(opening) = first.event else {
            return Err(RequestError::BadOpening);
        };
        let mut request = Request::open(first.at, &first.actor, opening)?;
        let rule = rule(request.opening.kind);
        for entry in entries {
            request.apply(entry, &rule)?;
        }
        Ok(request)
    }

    /// The time of the newest entry.
    pub fn last_event_at(&self) -> DateTime<Utc> {
        self.log.last().map_or(self.opened_at, |e| e.at)
    }

    /// The roles that still have to approve under `rule`.
    pub fn missing_roles(&self, rule: &ApprovalRule) -> Vec<String> {
        let mut missing = rule.roles.clone();
        for (_, role, _) in &self.approvals {
            if let Some(i) = missing.iter().position(|r| r == role) {
                missing.remove(i);
            }
        }
        missing
    }

    /// When the request last entered `state`.
    pub fn entered(&self, state: RequestState) -> Option<DateTime<Utc>> {
        self.transitions
            .iter()
            .rev()
            .find(|(s, _)| *s == state)
            .map(|(_, at)| *at)
    }

    /// Checks `entry` against the lifecycle and, when allowed, appends it. On error the
    /// request is unchanged.
    pub fn apply(&mut self, entry: Entry, rule: &ApprovalRule) -> Result<(), RequestError> {
        use RequestState as S;
        let last = self.last_event_at();
        if entry.at < last {
            return Err(RequestError::OutOfOrder { at: entry.at, last });
        }
        let refuse = |step| RequestError::Transition {
            from: self.state,
            step,
        };
        let mut next = self.state;
        match &entry.event {
            RequestEvent::Opened(_) => return Err(RequestError::BadOpening),
            RequestEvent::Submitted => {
                if self.state != S::Draft {
                    return Err(refuse("submitted"));
                }
                next = if rule.roles.is_empty() {
                    S::Approved
                } else {
                    S::Submitted
                };
            }
            RequestEvent::Approved { role } => {
                if self.state != S::Submitted {
                    return Err(refuse("approved"));
                }
                if same_person(&entry.actor, &self.opening.requester) {
                    return Err(RequestError::OwnRequest {
                        who: entry.actor.clone(),
                    });
                }
                if self
                    .approvals
                    .iter()
                    .any(|(who, _, _)| same_person(who, &entry.actor))
                {
                    return Err(RequestError::ApprovedTwice {
                        who: entry.actor.clone(),
                    });
                }
                let missing = self.missing_roles(rule);
                if !missing.contains(role) {
                    return Err(RequestError::RoleNotNeeded {
                        who: entry.actor.clone(),
                        needed: missing.join(" and "),
                    });
                }
                if missing.len() == 1 {
                    next = S::Approved;
                }
            }
            RequestEvent::Rejected { reason } => {
                if !matches!(self.state, S::Submitted | S::Approved | S::Verified) {
                    return Err(refuse("rejected"));
                }
                if reason.trim().is_empty() {
                    return Err(RequestError::Empty("the reason for rejecting"));
                }
                next = S::Rejected;
            }
            RequestEvent::Verified => {
                if self.state != S::Approved {
                    return Err(refuse("verified"));
                }
                next = S::Verified;
            }
            RequestEvent::Deployed { .. } => {
                if !matches!(self.state, S::Approved | S::Verified) {
                    return Err(refuse("deployed"));
                }
                next = S::Deployed;
            }
            RequestEvent::Closed => {
                if !matches!(self.state, S::Deployed | S::Rejected | S::Cancelled) {
                    return Err(refuse("closed"));
                }
                next = S::Closed;
            }
            RequestEvent::Cancelled { reason } => {
                if self.state.is_final() || self.state == S::Deployed {
                    return Err(refuse("cancelled"));
                }
                if reason.trim().is_empty() {
                    return Err(RequestError::Empty("the reason for cancelling"));
                }
                next = S::Cancelled;
            }
            RequestEvent::Held { reason } => {
                if !matches!(
                    self.state,
                    S::Draft | S::Submitted | S::Approved | S::Verified
                ) {
                    return Err(refuse("put on hold"));
                }
                if reason.trim().is_empty() {
                    return Err(RequestError::Empty("the reason for the hold"));
                }
                next = S::OnHold;
            }
            RequestEvent::Resumed => {
                if self.state != S::OnHold {
                    return Err(refuse("resumed"));
                }
                next = self.held_from.unwrap_or(S::Submitted);
            }
            RequestEvent::Linked { sha } => {
                if self.state.is_final() {
                    return Err(refuse("linked to a change"));
                }
                if self.links.contains(sha) {
                    return Ok(());
                }
            }
            RequestEvent::Acknowledged => {
                if self.state.is_final() {
                    return Err(refuse("acknowledged"));
                }
            }
        }
        // Allowed: record it.
        match &entry.event {
            RequestEvent::Approved { role } => {
                self.approvals
                    .push((entry.actor.clone(), role.clone(), entry.at));
            }
            RequestEvent::Held { .. } => {
                self.held_from = Some(self.state);
                self.holds.push((entry.at, None));
            }
            RequestEvent::Resumed => {
                if let Some(hold) = self.holds.last_mut() {
                    hold.1 = Some(entry.at);
                }
                self.held_from = None;
            }
            // Cancelling is allowed on hold (rejecting is not): the hold ends with it.
            RequestEvent::Cancelled { .. } => {
                if let Some(hold) = self.holds.last_mut().filter(|h| h.1.is_none()) {
                    hold.1 = Some(entry.at);
                }
            }
            RequestEvent::Linked { sha } => self.links.push(sha.clone()),
            RequestEvent::Acknowledged => self.acknowledged_at = Some(entry.at),
            _ => {}
        }
        if next != self.state {
            self.state = next;
            self.transitions.push((next, entry.at));
        }
        self.log.push(entry);
        Ok(())
    }
}

/// People are named by email or name; compare them without case.
fn same_person(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RequestStep;
    use chrono::TimeZone;

    fn t(minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 16, 0, 0).unwrap() + chrono::Duration::minutes(minute)
    }

    fn opened(kind: RequestKind) -> Request {
        Request::open(
            t(0),
            "ana@x",
            Opening {
                project: "payments".into(),
                kind,
                severity: Severity::Sev1,
                title: "Card payments fail".into(),
                description: String::new(),
                requester: "ana@x".into(),
                assignee: Some("bo@x".into()),
                target_environment: Some("production".into()),
            },
        )
        .unwrap()
    }

    fn entry(minute: i64, actor: &str, event: RequestEvent) -> Entry {
        Entry {
            at: t(minute),
            actor: actor.into(),
            event,
        }
    }

    fn approve(role: &str) -> RequestEvent {
        RequestEvent::Approved { role: role.into() }
    }

    /// Applies `steps` in order to a fresh request of `kind`; returns the state after the
    /// last step, or the first error's message.
    fn run(kind: RequestKind, steps: &[(&str, RequestEvent)]) -> Result<RequestState, String> {
        let mut r = opened(kind);
        let rule = ApprovalRule::default_for(kind);
        for (i, (actor, event)) in steps.iter().enumerate() {
            let before = r.clone();
            if let Err(e) = r.apply(entry(i as i64 + 1, actor, event.clone()), &rule) {
                assert_eq!(r, before, "a refused event changes nothing");
                return Err(e.to_string());
            }
        }
        Ok(r.state)
    }

    #[test]
    fn lifecycle_table() {
        use RequestEvent as E;
        use RequestKind::*;
        use RequestState as S;
        let hold = || E::Held {
            reason: "waiting for vendor".into(),
        };
        let deployed = || E::Deployed {
            environment: "production".into(),
            sha: "abc".into(),
        };
        type Case<'a> = (
            RequestKind,
            Vec<(&'a str, RequestEvent)>,
            Result<RequestState, &'a str>,
        );
        let cases: Vec<Case> = vec![
            (Emergency, vec![("ana@x", E::Submitted)], Ok(S::Submitted)),
            (Standard, vec![("ana@x", E::Submitted)], Ok(S::Approved)),
            (
                Emergency,
                vec![
                    ("ana@x", E::Submitted),
                    ("rm@x", approve("release-manager")),
                ],
                Ok(S::Submitted),
            ),
            (
                Emergency,
                vec![
                    ("ana@x", E::Submitted),
                    ("rm@x", approve("release-manager")),
                    ("qa@x", approve("qa")),
                    ("qa@x", E::Verified),
                    ("rm@x", deployed()),
                    ("rm@x", E::Closed),
                ],
                Ok(S::Closed),
            ),
            (
                Emergency,
                vec![("ana@x", E::Submitted), ("ANA@x", approve("qa"))],
                Err("ANA@x asked for this change and cannot approve it"),
            ),
            (
                Emergency,
                vec![
                    ("ana@x", E::Submitted),
                    ("rm@x", approve("release-manager")),
                    ("rm@x", approve("qa")),
                ],
                Err("rm@x has already approved this request"),
            ),
            (
                Emergency,
                vec![
                    ("ana@x", E::Submitted),
                    ("rm@x", approve("release-manager")),
                    ("rm2@x", approve("release-manager")),
                ],
                Err("this request still needs approval from qa; rm2@x has none of those roles"),
            ),
            (
                Emergency,
                vec![("rm@x", approve("release-manager"))],
                Err("a request that is draft cannot be approved"),
            ),
            (
                Normal,
                vec![("ana@x", E::Submitted), ("ana@x", E::Verified)],
                Err("a request that is submitted cannot be verified"),
            ),
            (
                Normal,
                vec![
                    ("ana@x", E::Submitted),
                    ("ana@x", hold()),
                    ("ana@x", E::Resumed),
                ],
                Ok(S::Submitted),
            ),
            (
                Normal,
                vec![("ana@x", hold()), ("ana@x", hold())],
                Err("a request that is on-hold cannot be put on hold"),
            ),
            (
                Normal,
                vec![
                    ("ana@x", E::Submitted),
                    (
                        "rm@x",
                        E::Rejected {
                            reason: "no".into(),
                        },
                    ),
                    ("ana@x", E::Submitted),
                ],
                Err("a request that is rejected cannot be submitted"),
            ),
            (
                Normal,
                vec![("ana@x", E::Cancelled { reason: " ".into() })],
                Err("the reason for cancelling must not be empty"),
            ),
            (
                Normal,
                vec![("ana@x", E::Closed)],
                Err("a request that is draft cannot be closed"),
            ),
            (
                Standard,
                vec![("ana@x", E::Submitted), ("ci", deployed())],
                Ok(S::Deployed),
            ),
        ];
        for (kind, steps, want) in cases {
            let got = run(kind, &steps);
            assert_eq!(got, want.map_err(str::to_string), "{kind} {steps:?}");
        }
    }

    #[test]
    fn a_viewer_is_offered_approve_only_with_a_missing_role_and_ack_only_on_a_breach() {
        use RequestEvent as E;
        let rule = ApprovalRule::default_for(RequestKind::Emergency);
        let mut r = opened(RequestKind::Emergency);
        r.apply(entry(1, "ana@x", E::Submitted), &rule).unwrap();
        let missing = r.missing_roles(&rule);
        let role = missing[0].clone();
        let cases: [(&[String], bool, bool, bool); 4] = [
            (&[], false, false, false),
            (std::slice::from_ref(&role), false, true, false),
            (&[], true, false, true),
            (std::slice::from_ref(&role), true, true, true),
        ];
        for (roles, breach, approve, ack) in cases {
            let offered = r.offered_steps(&rule, "rm@x", roles, breach);
            assert_eq!(
                offered.contains(&RequestStep::Approve),
                approve,
                "{roles:?} {breach}"
            );
            assert_eq!(
                offered.contains(&RequestStep::Acknowledge),
                ack,
                "{roles:?} {breach}"
            );
            assert!(offered.contains(&RequestStep::Reject));
        }
    }

    #[test]
    fn the_steps_offered_are_the_steps_the_lifecycle_takes() {
        use RequestEvent as E;
        let rule = ApprovalRule::default_for(RequestKind::Emergency);
        let mut r = opened(RequestKind::Emergency);
        let check = |r: &Request, actor: &str, want: &[&str]| {
            let got: Vec<&str> = r
                .steps(&rule, actor)
                .into_iter()
                .map(RequestStep::as_str)
                .collect();
            assert_eq!(got, want, "{} as {actor}", r.state);
        };
        check(
            &r,
            "ana@x",
            &["submit", "hold", "cancel", "link", "acknowledge"],
        );
        r.apply(entry(1, "ana@x", E::Submitted), &rule).unwrap();
        check(
            &r,
            "ana@x",
            &["reject", "hold", "cancel", "link", "acknowledge"],
        );
        check(
            &r,
            "rm@x",
            &["approve", "reject", "hold", "cancel", "link", "acknowledge"],
        );
        r.apply(
            entry(
                2,
                "rm@x",
                E::Cancelled {
                    reason: "dup".into(),
                },
            ),
            &rule,
        )
        .unwrap();
        check(&r, "rm@x", &["close"]);
    }

    #[test]
    fn events_must_be_entered_in_order_but_may_be_retroactive() {
        let rule = ApprovalRule::default_for(RequestKind::Normal);
        let mut r = opened(RequestKind::Normal);
        r.apply(entry(10, "ana@x", RequestEvent::Submitted), &rule)
            .unwrap();
        let err = r
            .apply(entry(5, "rm@x", approve("release-manager")), &rule)
            .unwrap_err();
        assert!(matches!(err, RequestError::OutOfOrder { .. }));
        assert_eq!(r.state, RequestState::Submitted);
    }

    #[test]
    fn holds_are_periods_and_replay_rebuilds_the_same_request() {
        let rule = ApprovalRule::default_for(RequestKind::Normal);
        let mut r = opened(RequestKind::Normal);
        let steps = [
            entry(1, "ana@x", RequestEvent::Submitted),
            entry(2, "ana@x", RequestEvent::Held { reason: "x".into() }),
            entry(30, "ana@x", RequestEvent::Resumed),
            entry(31, "ana@x", RequestEvent::Linked { sha: "abc".into() }),
            entry(32, "ana@x", RequestEvent::Linked { sha: "abc".into() }),
        ];
        for e in steps {
            r.apply(e, &rule).unwrap();
        }
        assert_eq!(r.holds, vec![(t(2), Some(t(30)))]);
        assert_eq!(r.links, vec!["abc".to_string()]);
        assert_eq!(r.entered(RequestState::Submitted), Some(t(30)));
        let again = Request::replay(r.log.clone(), ApprovalRule::default_for).unwrap();
        assert_eq!(again, r);
    }

    #[test]
    fn words_parse_forgivingly_and_refuse_clearly() {
        assert_eq!("SEV1".parse::<Severity>().unwrap(), Severity::Sev1);
        assert_eq!(
            "On hold".parse::<RequestState>().unwrap(),
            RequestState::OnHold
        );
        assert_eq!(
            "urgent".parse::<RequestKind>().unwrap_err().to_string(),
            "“urgent” is not a request type; use emergency, normal or standard"
        );
    }
}
