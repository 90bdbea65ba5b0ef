//! Notifications, as rules: which events exist and how bad each is, who is to hear of an event
//! over which channel and when (immediately, or in a daily digest at a local time), the message
//! templates for each channel, the idempotency key of a delivery and how long to wait before
//! trying a failed one again. The store writes the outbox; the notify adapter sends.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, LocalResult, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use sha2::{Digest, Sha256};

use crate::template::{Escape, TemplateError};

mod backoff;
mod messages;
mod routing;

pub use backoff::*;
pub use messages::*;
pub use routing::*;

/// Words for enums that are stored, typed and shown.
macro_rules! words {
    ($ty:ident { $($variant:ident => $word:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];
            /// The stable lower-case name (stored, printed, typed).
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $word),+ }
            }
            /// Reads the name back (`None` for a word that is not one).
            pub fn parse(word: &str) -> Option<$ty> {
                match word.trim().to_ascii_lowercase().as_str() {
                    $($word => Some($ty::$variant),)+
                    _ => None,
                }
            }
            /// The names, comma-separated, for error messages.
            pub fn names() -> String {
                [$($word),+].join(", ")
            }
        }
    };
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    /// Changes reached an environment.
    Promoted,
    /// An environment was rolled back.
    RolledBack,
    /// An environment was put on hold.
    Held,
    /// A promotion's deployment failed.
    DeploymentFailed,
    /// A change waits for someone's sign-off.
    SignoffNeeded,
    /// A change request was submitted.
    RequestRaised,
    /// A change request was approved.
    Approved,
    /// An SLA clock crossed a warning threshold.
    BreachWarning,
    /// An SLA clock breached its goal (or is still breached: a repeat).
    Breached,
    /// A change has waited in a queue longer than the aging policy allows.
    ChangeLate,
    /// A follow-up is due today: its owner is reminded.
    FollowUpDue,
    /// A follow-up's due date passed and it is still open.
    FollowUpOverdue,
}

words!(EventKind {
    Promoted => "promoted",
    RolledBack => "rolled-back",
    Held => "held",
    DeploymentFailed => "deployment-failed",
    SignoffNeeded => "signoff-needed",
    RequestRaised => "request-raised",
    Approved => "approved",
    BreachWarning => "breach-warning",
    Breached => "breached",
    ChangeLate => "change-late",
    FollowUpDue => "follow-up-due",
    FollowUpOverdue => "follow-up-overdue",
});

/// How much an event matters; subscriptions set a minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Good to know.
    Info,
    /// Someone should look.
    Warning,
    /// Someone must act now.
    Critical,
}

words!(Severity {
    Info => "info",
    Warning => "warning",
    Critical => "critical",
});

/// How a message travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChannelKind {
    /// SMTP email: a subject, a plain-text and an HTML body.
    Email,
    /// A Slack incoming webhook: Markdown (mrkdwn).
    Slack,
    /// A Microsoft Teams workflow webhook: Markdown in an Adaptive Card.
    Teams,
    /// A generic JSON webhook, signed with HMAC-SHA256.
    Webhook,
    /// A notification on the desktop where Slipway runs.
    Desktop,
}

words!(ChannelKind {
    Email => "email",
    Slack => "slack",
    Teams => "teams",
    Webhook => "webhook",
    Desktop => "desktop",
});

/// One part of a message; each has its own template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// A one-line title (email subject, desktop notification title).
    Subject,
    /// Plain text (email, desktop notification body).
    Text,
    /// HTML (email).
    Html,
    /// Markdown (Slack, Teams).
    Markdown,
    /// A JSON document (webhooks).
    Json,
}

words!(Part {
    Subject => "subject",
    Text => "text",
    Html => "html",
    Markdown => "markdown",
    Json => "json",
});

impl Part {
    /// How values are escaped into this part.
    pub fn escape(self) -> Escape {
        match self {
            Part::Subject | Part::Text => Escape::None,
            Part::Html | Part::Markdown => Escape::Html,
            Part::Json => Escape::Json,
        }
    }
}

impl ChannelKind {
    /// Whether a channel of this kind is reached at a URL (which carries its key).
    pub fn takes_url(self) -> bool {
        matches!(
            self,
            ChannelKind::Slack | ChannelKind::Teams | ChannelKind::Webhook
        )
    }

    /// Whether a channel of this kind has a secret besides its URL (an SMTP password, a
    /// webhook's signing key).
    pub fn takes_secret(self) -> bool {
        matches!(self, ChannelKind::Email | ChannelKind::Webhook)
    }

    /// The parts a message on this channel is made of.
    pub fn parts(self) -> &'static [Part] {
        match self {
            ChannelKind::Email => &[Part::Subject, Part::Text, Part::Html],
            ChannelKind::Slack | ChannelKind::Teams => &[Part::Markdown],
            ChannelKind::Webhook => &[Part::Json],
            ChannelKind::Desktop => &[Part::Subject, Part::Text],
        }
    }

    /// Whether messages on this channel are addressed to a person (email, desktop) rather
    /// than posted to one shared place (a chat channel, a webhook).
    pub fn personal(self) -> bool {
        matches!(self, ChannelKind::Email | ChannelKind::Desktop)
    }
}

/// Variables every event offers.
pub const COMMON_VARIABLES: &[&str] = &[
    "kind",
    "severity",
    "title",
    "project",
    "environment",
    "actor",
    "at",
    "link",
    "recipient",
    "recipient_name",
    "chat_handle",
    "event_id",
    "thread",
];

impl EventKind {
    /// How bad it is unless the event says otherwise.
    pub fn default_severity(self) -> Severity {
        match self {
            EventKind::Promoted | EventKind::RequestRaised | EventKind::Approved => Severity::Info,
            EventKind::Held
            | EventKind::SignoffNeeded
            | EventKind::BreachWarning
            | EventKind::ChangeLate
            | EventKind::FollowUpDue
            | EventKind::FollowUpOverdue
            | EventKind::RolledBack => Severity::Warning,
            EventKind::DeploymentFailed | EventKind::Breached => Severity::Critical,
        }
    }

    /// The variables of this kind beyond [`COMMON_VARIABLES`].
    pub fn own_variables(self) -> &'static [&'static str] {
        match self {
            EventKind::Promoted => &["from_sha", "to_sha", "changes", "release_notes"],
            EventKind::RolledBack => &["from_sha", "to_sha", "reason", "changes"],
            EventKind::Held => &["reason"],
            EventKind::DeploymentFailed => &["to_sha", "error"],
            EventKind::SignoffNeeded => &["sha", "change", "required"],
            EventKind::RequestRaised => &["request", "request_title", "requester"],
            EventKind::Approved => &["request", "request_title", "approver"],
            EventKind::BreachWarning | EventKind::Breached => {
                &["request", "threshold", "clock", "ack_link"]
            }
            EventKind::ChangeLate => &["sha", "change", "threshold", "clock", "ack_link"],
            EventKind::FollowUpDue | EventKind::FollowUpOverdue => &[
                "follow_up",
                "follow_up_title",
                "owner",
                "due_at",
                "standing",
            ],
        }
    }

    /// Every variable a template for this kind may use.
    pub fn variables(self) -> Vec<&'static str> {
        COMMON_VARIABLES
            .iter()
            .chain(self.own_variables())
            .copied()
            .collect()
    }
}

/// An event as the outbox keeps it: what happened, where, and the values its templates use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// How bad it is.
    pub severity: Severity,
    /// The project.
    pub project: String,
    /// The environment, when there is one.
    pub environment: Option<String>,
    /// Messages about the same thing (one promotion, one request, one clock) share a thread.
    pub thread: String,
    /// One line saying what happened.
    pub title: String,
    /// Who did it (a person, or `slipway` for a clock).
    pub actor: String,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Addresses the escalation chain names: told whatever their subscriptions say.
    pub escalate_to: Vec<String>,
    /// The kind's own variables ([`EventKind::own_variables`]).
    pub values: BTreeMap<String, String>,
    /// For events several watchers may notice (a sign-off wait): stored once under this key.
    pub once: Option<String>,
}

impl Event {
    /// An event with the kind's default severity and no values yet.
    pub fn new(
        kind: EventKind,
        project: &str,
        thread: impl Into<String>,
        title: impl Into<String>,
    ) -> Event {
        Event {
            kind,
            severity: kind.default_severity(),
            project: project.to_string(),
            environment: None,
            thread: thread.into(),
            title: title.into(),
            actor: String::new(),
            at: DateTime::<Utc>::UNIX_EPOCH,
            escalate_to: Vec::new(),
            values: BTreeMap::new(),
            once: None,
        }
    }

    /// Sets a value (builder style).
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Event {
        self.values.insert(name.to_string(), value.into());
        self
    }
}

/// When a subscription's messages go out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// As soon as the event is committed.
    Immediate,
    /// Once a day at a local time, all events since the last digest in one message.
    Digest {
        /// The local time of day.
        at: NaiveTime,
        /// The zone that time is in.
        zone: Tz,
    },
}

impl Delivery {
    /// The word for immediate delivery.
    pub const IMMEDIATE_WORD: &'static str = "immediate";
    /// The word that starts a daily digest (`digest HH:MM Area/City`).
    pub const DIGEST_WORD: &'static str = "digest";

    /// Reads `immediate` or `digest HH:MM Area/City`.
    pub fn parse(text: &str) -> Result<Delivery, NotifyRuleError> {
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            [word] if *word == Delivery::IMMEDIATE_WORD => Ok(Delivery::Immediate),
            [word, time, zone] if *word == Delivery::DIGEST_WORD => Ok(Delivery::Digest {
                at: NaiveTime::parse_from_str(time, "%H:%M")
                    .map_err(|_| NotifyRuleError::Delivery(text.to_string()))?,
                zone: zone
                    .parse()
                    .map_err(|_| NotifyRuleError::Zone(zone.to_string()))?,
            }),
            _ => Err(NotifyRuleError::Delivery(text.to_string())),
        }
    }

    /// Written back the way `parse` reads it.
    pub fn describe(&self) -> String {
        match self {
            Delivery::Immediate => Delivery::IMMEDIATE_WORD.to_string(),
            Delivery::Digest { at, zone } => {
                format!("{} {} {}", Delivery::DIGEST_WORD, at.format("%H:%M"), zone)
            }
        }
    }
}

/// The first instant strictly after `now` whose local time in `zone` is `at`. A time that
/// does not exist that day (the spring-forward gap) is taken at the gap's end; a time that
/// happens twice (fall back) the first time.
pub fn next_digest(now: DateTime<Utc>, at: NaiveTime, zone: Tz) -> DateTime<Utc> {
    let today = now.with_timezone(&zone).date_naive();
    for offset in 0..3 {
        let day = today + Duration::days(offset);
        let local = day.and_time(at);
        let instant = match zone.from_local_datetime(&local) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
            // In a gap: the first instant after it (gaps are at most a few hours).
            LocalResult::None => {
                let mut probe = local;
                loop {
                    probe += Duration::minutes(1);
                    if let LocalResult::Single(t) | LocalResult::Ambiguous(t, _) =
                        zone.from_local_datetime(&probe)
                    {
                        break t.with_timezone(&Utc);
                    }
                }
            }
        };
        if instant > now {
            return instant;
        }
    }
    now + Duration::days(1)
}

/// A subscription: a person hears of matching events over a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Its number.
    pub id: i64,
    /// The person's email (people are known by it).
    pub person: String,
    /// The channel's number.
    pub channel: i64,
    /// Only this project (`None`: every project).
    pub project: Option<String>,
    /// Only this environment (`None`: every environment).
    pub environment: Option<String>,
    /// Only these kinds (empty: every kind).
    pub kinds: Vec<EventKind>,
    /// Only events at least this bad.
    pub min_severity: Severity,
    /// When messages go out.
    pub delivery: Delivery,
}

impl Subscription {
    /// Whether `event` is one this subscription asks for.
    pub fn matches(&self, event: &Event) -> bool {
        let project = self.project.as_ref().is_none_or(|p| *p == event.project);
        let environment = self
            .environment
            .as_ref()
            .is_none_or(|e| event.environment.as_ref() == Some(e));
        let kind = self.kinds.is_empty() || self.kinds.contains(&event.kind);
        project && environment && kind && event.severity >= self.min_severity
    }
}

/// The key a receiver uses to drop a repeated delivery: the same for every attempt at one
/// (event, recipient, channel), different for anything else.
pub fn idempotency_key(event_id: i64, recipient: &str, channel: i64) -> String {
    let mut h = Sha256::new();
    for part in [
        event_id.to_string().as_bytes(),
        recipient.to_ascii_lowercase().as_bytes(),
        channel.to_string().as_bytes(),
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part);
    }
    let hex: String = h.finalize()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("slipway-{event_id}-{hex}")
}

/// Why a notification rule cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotifyRuleError {
    /// Not an email address.
    #[error("“{}” is not an email address", .0.escape_debug())]
    Email(String),
    /// A delivery that is neither `immediate` nor `digest HH:MM Zone`.
    #[error("“{0}” is not a delivery; use immediate or digest HH:MM Area/City (digest 09:00 Europe/Berlin)")]
    Delivery(String),
    /// An unknown time zone.
    #[error("“{0}” is not an IANA time zone (Europe/Berlin, America/New_York, UTC)")]
    Zone(String),
    /// A template that cannot be used.
    #[error("the {kind} {part} template cannot be used: {error}")]
    Template {
        /// The event kind.
        kind: &'static str,
        /// The part.
        part: &'static str,
        /// Why.
        error: TemplateError,
    },
    /// A part the channel kind does not have.
    #[error("{channel} messages have no {part} part; they have: {have}")]
    Part {
        /// The channel kind.
        channel: &'static str,
        /// The part asked for.
        part: &'static str,
        /// The parts it has.
        have: String,
    },
}

/// Checks an email address the way mail servers read one: `local@domain`, a dot-atom local
/// part (no quoted forms), a domain of letters, digits and dashes in dot-separated labels.
pub fn check_email(address: &str) -> Result<String, NotifyRuleError> {
    let trimmed = address.trim();
    let bad = || NotifyRuleError::Email(trimmed.to_string());
    let (local, domain) = trimmed.rsplit_once('@').ok_or_else(bad)?;
    let atom = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .split('.')
            .all(|w| !w.is_empty() && w.chars().all(atom));
    let domain_ok = !domain.is_empty()
        && domain.len() <= 253
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if local_ok && domain_ok {
        Ok(trimmed.to_string())
    } else {
        Err(bad())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_channels_take_a_url_and_a_secret() {
        let cases = [
            (ChannelKind::Email, false, true),
            (ChannelKind::Slack, true, false),
            (ChannelKind::Teams, true, false),
            (ChannelKind::Webhook, true, true),
            (ChannelKind::Desktop, false, false),
        ];
        for (kind, url, secret) in cases {
            assert_eq!(
                (kind.takes_url(), kind.takes_secret()),
                (url, secret),
                "{kind:?}"
            );
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn sub(id: i64, person: &str, channel: i64) -> Subscription {
        Subscription {
            id,
            person: person.into(),
            channel,
            project: None,
            environment: None,
            kinds: vec![],
            min_severity: Severity::Info,
            delivery: Delivery::Immediate,
        }
    }

    fn event() -> Event {
        let mut e = Event::new(
            EventKind::Promoted,
            "payments",
            "promotion/7",
            "payments: 3 changes reached staging",
        );
        e.environment = Some("staging".into());
        e
    }

    #[test]
    fn words_round_trip() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(*k));
        }
        for s in Severity::ALL {
            assert_eq!(Severity::parse(s.as_str()), Some(*s));
        }
        for c in ChannelKind::ALL {
            assert_eq!(ChannelKind::parse(c.as_str()), Some(*c));
        }
        assert_eq!(
            EventKind::parse(" Rolled-Back "),
            Some(EventKind::RolledBack)
        );
        assert_eq!(EventKind::parse("deployed"), None);
        assert!(Severity::Critical > Severity::Warning && Severity::Warning > Severity::Info);
    }

    #[test]
    fn subscriptions_match_project_environment_kind_and_severity() {
        let e = event(); // promoted, info, payments/staging
        let cases: [(&str, Subscription, bool); 8] = [
            ("everything", sub(1, "a@x", 1), true),
            (
                "this project",
                Subscription {
                    project: Some("payments".into()),
                    ..sub(1, "a@x", 1)
                },
                true,
            ),
            (
                "other project",
                Subscription {
                    project: Some("ledger".into()),
                    ..sub(1, "a@x", 1)
                },
                false,
            ),
            (
                "this environment",
                Subscription {
                    environment: Some("staging".into()),
                    ..sub(1, "a@x", 1)
                },
                true,
            ),
            (
                "other environment",
                Subscription {
                    environment: Some("production".into()),
                    ..sub(1, "a@x", 1)
                },
                false,
            ),
            (
                "kind listed",
                Subscription {
                    kinds: vec![EventKind::Held, EventKind::Promoted],
                    ..sub(1, "a@x", 1)
                },
                true,
            ),
            (
                "kind not listed",
                Subscription {
                    kinds: vec![EventKind::Breached],
                    ..sub(1, "a@x", 1)
                },
                false,
            ),
            (
                "too mild",
                Subscription {
                    min_severity: Severity::Warning,
                    ..sub(1, "a@x", 1)
                },
                false,
            ),
        ];
        for (name, s, want) in cases {
            assert_eq!(s.matches(&e), want, "{name}");
        }
        let mut bare = event();
        bare.environment = None;
        let env_only = Subscription {
            environment: Some("staging".into()),
            ..sub(1, "a@x", 1)
        };
        assert!(!env_only.matches(&bare), "an environment filter needs one");
    }

    #[test]
    fn routes_deduplicate_and_escalations_override_filters() {
        let now = at("2026-11-23T10:00:00Z");
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let digest = Delivery::Digest {
            at: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            zone: berlin,
        };
        let subs = vec![
            Subscription {
                delivery: digest,
                ..sub(1, "qa@x", 10)
            },
            sub(2, "qa@x", 10), // immediate wins over the digest on the same channel
            Subscription {
                delivery: digest,
                ..sub(3, "lead@x", 10)
            },
            Subscription {
                kinds: vec![EventKind::Held],
                ..sub(4, "rm@x", 11)
            },
        ];
        let mut e = event();
        e.escalate_to = vec!["rm@x".into(), "nobody@x".into(), " ".into()];
        let routes = route(&e, &subs, Some(99), now).routes;
        let got: Vec<(&str, i64, bool)> = routes
            .iter()
            .map(|r| (r.recipient.as_str(), r.channel, r.digest))
            .collect();
        assert_eq!(
            got,
            vec![
                ("lead@x", 10, true),
                ("nobody@x", 99, false),
                ("qa@x", 10, false),
                ("rm@x", 11, false),
            ]
        );
        assert_eq!(routes[0].due, at("2026-11-24T08:00:00Z"));
        assert!(route(&e, &subs, Some(99), now).unreachable.is_empty());
        // Without an email channel, someone the chain names who subscribed to nothing is
        // unreachable — said, never dropped — and the others are routed as before.
        let without = route(&e, &subs, None, now);
        assert!(without.routes.iter().all(|r| r.recipient != "nobody@x"));
        assert_eq!(without.unreachable, vec!["nobody@x".to_string()]);
        assert_eq!(without.routes.len(), 3);
        assert_eq!(
            undeliverable_reason("cto@example.com"),
            "no channel reaches cto@example.com: add an email channel or a subscription"
        );
    }

    #[test]
    fn digests_are_due_at_the_next_local_time_across_dst() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let cases = [
            // before today's time: today; after: tomorrow (CET = UTC+1)
            ("2026-11-23T07:00:00Z", t(9, 0), "2026-11-23T08:00:00Z"),
            ("2026-11-23T08:00:00Z", t(9, 0), "2026-11-24T08:00:00Z"),
            // spring forward 2026-03-29: 02:30 does not exist → 03:00 CEST (01:00Z)
            ("2026-03-28T12:00:00Z", t(2, 30), "2026-03-29T01:00:00Z"),
            // fall back 2026-10-25: 02:30 happens twice → the first (00:30Z)
            ("2026-10-24T12:00:00Z", t(2, 30), "2026-10-25T00:30:00Z"),
            // a summer day: CEST = UTC+2
            ("2026-07-01T00:00:00Z", t(9, 0), "2026-07-01T07:00:00Z"),
        ];
        for (now, time, want) in cases {
            assert_eq!(next_digest(at(now), time, berlin), at(want), "{now} {time}");
        }
    }

    #[test]
    fn backoff_doubles_to_a_cap_with_jitter() {
        let b = Backoff::default();
        let ms = |attempt, jitter| b.delay(attempt, jitter).num_milliseconds();
        let cases = [
            (1, 0.0, 1_000),
            (1, 0.999_999, 1_999),
            (2, 0.0, 2_000),
            (3, 0.5, 6_000),
            (11, 0.0, 900_000), // 2 s × 1024 > 30 min: capped
            (60, 1.0, 1_800_000),
        ];
        for (attempt, jitter, want) in cases {
            assert_eq!(
                ms(attempt, jitter),
                want,
                "attempt {attempt} jitter {jitter}"
            );
        }
        assert!(!b.exhausted(7) && b.exhausted(8));
    }

    #[test]
    fn idempotency_keys_differ_per_event_recipient_and_channel() {
        let k = idempotency_key(7, "qa@x", 1);
        assert_eq!(k, idempotency_key(7, "QA@x", 1));
        assert!(k.starts_with("slipway-7-") && k.len() == "slipway-7-".len() + 24);
        for other in [
            idempotency_key(8, "qa@x", 1),
            idempotency_key(7, "lead@x", 1),
            idempotency_key(7, "qa@x", 2),
            idempotency_key(71, "qa@x", 1),
        ] {
            assert_ne!(k, other);
        }
    }

    #[test]
    fn email_addresses() {
        let cases = [
            ("qa@example.com", true),
            ("  first.last+tag@sub.example.co ", true),
            ("o'brien@example.com", true),
            ("rm@localhost", true),
            ("no-at-sign", false),
            ("@example.com", false),
            ("qa@", false),
            ("two@@example.com", false),
            ("a b@example.com", false),
            ("dot.@example.com", false),
            ("qa@-bad.com", false),
            ("qa@exa_mple.com", false),
            ("qa@example..com", false),
            ("\"quoted\"@example.com", false),
        ];
        for (address, ok) in cases {
            assert_eq!(check_email(address).is_ok(), ok, "{address}");
        }
        assert_eq!(
            check_email("no-at-sign").unwrap_err().to_string(),
            "“no-at-sign” is not an email address"
        );
    }

    #[test]
    fn deliveries_parse() {
        assert_eq!(Delivery::parse("immediate"), Ok(Delivery::Immediate));
        let d = Delivery::parse("digest 09:30 Europe/Berlin").unwrap();
        assert_eq!(d.describe(), "digest 09:30 Europe/Berlin");
        for bad in [
            "",
            "daily",
            "digest 25:00 UTC",
            "digest 09:00",
            "digest 09:00 Mars/Base",
        ] {
            assert!(Delivery::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_default_template_uses_only_its_kinds_variables() {
        for kind in EventKind::ALL {
            for channel in ChannelKind::ALL {
                for part in channel.parts() {
                    check_template(*kind, *channel, *part, default_template(*kind, *part))
                        .unwrap_or_else(|e| panic!("{e}"));
                }
            }
        }
    }

    #[test]
    fn templates_are_checked_when_saved() {
        let held_notes = check_template(
            EventKind::Held,
            ChannelKind::Email,
            Part::Text,
            "{{release_notes}}",
        );
        assert!(matches!(held_notes, Err(NotifyRuleError::Template { .. })));
        assert!(check_template(
            EventKind::Promoted,
            ChannelKind::Email,
            Part::Text,
            "{{release_notes}}"
        )
        .is_ok());
        let slack_html = check_template(EventKind::Held, ChannelKind::Slack, Part::Html, "x");
        assert_eq!(
            slack_html.unwrap_err().to_string(),
            "slack messages have no html part; they have: markdown"
        );
    }

    #[test]
    fn rendering_escapes_per_part() {
        let e = event().with("release_notes", "fix <script> & \"quotes\"");
        let v = values(&e, 7, "qa@x", "QA", "@qa");
        let html = check_template(
            EventKind::Promoted,
            ChannelKind::Email,
            Part::Html,
            "<p>{{release_notes}}</p><a href=\"{{link}}\">",
        )
        .unwrap();
        assert_eq!(
            render(&html, &v, Part::Html),
            "<p>fix &lt;script&gt; &amp; &quot;quotes&quot;</p><a href=\"slipway://promotion/7\">"
        );
        let json = check_template(
            EventKind::Promoted,
            ChannelKind::Webhook,
            Part::Json,
            default_template(EventKind::Promoted, Part::Json),
        )
        .unwrap();
        let body = render(&json, &v, Part::Json);
        assert!(body.contains(r#""event":"promoted""#) && body.contains(r#""id":"7""#));
        let text = check_template(
            EventKind::Promoted,
            ChannelKind::Email,
            Part::Text,
            "{{release_notes}}",
        )
        .unwrap();
        assert_eq!(render(&text, &v, Part::Text), "fix <script> & \"quotes\"");
    }

    #[test]
    fn templates_have_conditionals_loops_and_filters() {
        let e = event().with("release_notes", "a <b>\nsecond");
        let v = values(&e, 7, "qa@x", "QA", "@qa");
        let cases: [(&str, Part, Result<&str, &str>); 6] = [
            (
                "{% if release_notes %}Notes: {{ release_notes | upper }}{% else %}none{% endif %}",
                Part::Html,
                Ok("Notes: A &lt;B&gt;\nSECOND"),
            ),
            (
                "{% for part in [project, environment] %}[{{ part }}]{% if not loop.last %} {% endif %}{% endfor %}",
                Part::Text,
                Ok("[payments] [staging]"),
            ),
            ("{{ title }}", Part::Subject, Ok("payments: 3 changes reached staging")),
            ("{% if %}", Part::Text, Err("is not a valid template")),
            ("{{ nope }}", Part::Text, Err("unknown variable {{nope}}")),
            ("{% for x in nope %}{{ x }}{% endfor %}", Part::Text, Err("unknown variable {{nope}}")),
        ];
        for (source, part, want) in cases {
            let channel = match part {
                Part::Markdown => ChannelKind::Slack,
                _ => ChannelKind::Email,
            };
            match (
                check_template(EventKind::Promoted, channel, part, source),
                want,
            ) {
                (Ok(t), Ok(text)) => assert_eq!(render(&t, &v, part), text, "{source}"),
                (Err(e), Err(words)) => assert!(e.to_string().contains(words), "{source}: {e}"),
                (got, want) => panic!("{source}: {got:?}, wanted {want:?}"),
            }
        }
    }
}
