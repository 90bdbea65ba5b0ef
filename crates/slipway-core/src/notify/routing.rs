//! Who hears of an event over which channel and when, and who in an escalation chain
//! nothing reaches.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::{next_digest, Delivery, Event, Subscription};

/// One delivery the outbox is to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Who it is for (an email address).
    pub recipient: String,
    /// Over which channel.
    pub channel: i64,
    /// When it may go out.
    pub due: DateTime<Utc>,
    /// Whether it waits for a digest.
    pub digest: bool,
}

/// Where an event's deliveries go, and who in its escalation chain nothing reaches.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Routing {
    /// The deliveries to make.
    pub routes: Vec<Route>,
    /// People the escalation chain names whom no channel reaches (no subscription, and no
    /// email channel to fall back on): each gets a visible undeliverable entry, never silence.
    pub unreachable: Vec<String>,
}

/// How an escalation reaches someone its chain names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// On every channel they subscribed to (whatever the subscriptions filter).
    Subscribed(Vec<i64>),
    /// They subscribed to nothing: by the workspace's email channel.
    Fallback(i64),
    /// No subscription and no email channel: nothing reaches them.
    Nobody,
}

/// How an escalation reaches `who` (an email address): their subscriptions' channels, else
/// the `fallback` email channel, else nothing.
pub fn reach(who: &str, subscriptions: &[Subscription], fallback: Option<i64>) -> Reach {
    let mut channels: Vec<i64> = Vec::new();
    for s in subscriptions
        .iter()
        .filter(|s| s.person.eq_ignore_ascii_case(who))
    {
        if !channels.contains(&s.channel) {
            channels.push(s.channel);
        }
    }
    match (channels.is_empty(), fallback) {
        (false, _) => Reach::Subscribed(channels),
        (true, Some(f)) => Reach::Fallback(f),
        (true, None) => Reach::Nobody,
    }
}

/// Why an escalation cannot reach `who`, as the outbox and the watcher's log say it.
pub fn undeliverable_reason(who: &str) -> String {
    format!("no channel reaches {who}: add an email channel or a subscription")
}

/// Who hears of `event`, over which channel and when. Each (recipient, channel) pair gets one
/// delivery: an immediate subscription wins over a digest, and the earliest digest over later
/// ones. People the escalation chain names are told at once on every channel they subscribed
/// to — whatever kinds and severity those subscriptions ask for — or over `fallback` (the
/// workspace's email channel) when they subscribed to none; with neither they are
/// `unreachable`.
pub fn route(
    event: &Event,
    subscriptions: &[Subscription],
    fallback: Option<i64>,
    now: DateTime<Utc>,
) -> Routing {
    let mut unreachable: Vec<String> = Vec::new();
    let mut out: BTreeMap<(String, i64), Route> = BTreeMap::new();
    let mut add = |route: Route| {
        let key = (route.recipient.clone(), route.channel);
        match out.get(&key) {
            Some(old) if (old.digest, old.due) <= (route.digest, route.due) => {}
            _ => {
                out.insert(key, route);
            }
        }
    };
    for s in subscriptions.iter().filter(|s| s.matches(event)) {
        let (due, digest) = match s.delivery {
            Delivery::Immediate => (now, false),
            Delivery::Digest { at, zone } => (next_digest(now, at, zone), true),
        };
        add(Route {
            recipient: s.person.clone(),
            channel: s.channel,
            due,
            digest,
        });
    }
    for who in &event.escalate_to {
        let who = who.trim();
        if who.is_empty() {
            continue;
        }
        let channels = match reach(who, subscriptions, fallback) {
            Reach::Subscribed(channels) => channels,
            Reach::Fallback(channel) => vec![channel],
            Reach::Nobody => {
                if !unreachable.iter().any(|u| u.eq_ignore_ascii_case(who)) {
                    unreachable.push(who.to_string());
                }
                Vec::new()
            }
        };
        for channel in channels {
            add(Route {
                recipient: who.to_string(),
                channel,
                due: now,
                digest: false,
            });
        }
    }
    Routing {
        routes: out.into_values().collect(),
        unreachable,
    }
}
