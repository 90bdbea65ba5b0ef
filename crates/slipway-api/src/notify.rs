//! Stakeholder notifications: people, channels (email, Slack, Teams, signed webhooks,
//! desktop), subscriptions, templates, the outbox, and the dispatcher that drains it.
//!
//! Every secret part of a channel (an SMTP password, a webhook URL that carries a key, a
//! signing key) is stored in the OS keychain under `channel/<name>`; the database holds only
//! that reference. When the keychain is unavailable, adding the channel fails and nothing is
//! stored.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use slipway_core::notify::{
    check_email, check_template, default_template, digest_line, render, values, Backoff,
    ChannelKind, Delivery, EventKind, Part, Severity, Subscription,
};
use slipway_core::{escape, Clock, Escape, Template};
use slipway_notify::{Email, Http, NotifyError, Post, Smtp, TlsMode};
use slipway_secrets::{Keychain, Secret};
use slipway_store::{ChannelRecord, Failure, OutboxRow, OutboxState, Person, StoredTemplate};
use ts_rs::TS;

use crate::board::rfc3339;
use crate::error::{capitalise, invalid};
use crate::fetch::KEYCHAIN_SERVICE;
use crate::gates::keychain_error;
use crate::{ApiError, ErrorCode, Workspace};

// ---------------------------------------------------------------------------------------
// DTOs

/// A stakeholder: a person who is told (and who signs off or approves by role).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct StakeholderDto {
    /// Their email address (how Slipway knows them).
    pub email: String,
    /// Their name.
    pub name: String,
    /// How chat messages mention them (`@dana`), or empty.
    pub chat_handle: String,
    /// Roles (`qa`, `release-manager`).
    pub roles: Vec<String>,
    /// How many subscriptions they have (read-only).
    #[serde(default)]
    pub subscriptions: u32,
}

/// A channel to add. Which fields count depends on `kind`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct ChannelInputDto {
    /// A unique name (`release-mail`, `#releases`).
    pub name: String,
    /// `email`, `slack`, `teams`, `webhook` or `desktop`.
    pub kind: String,
    /// Email: the SMTP server's host.
    #[serde(default)]
    pub host: String,
    /// Email: the SMTP port (587 for STARTTLS, 465 for TLS, 25 for none).
    #[serde(default)]
    pub port: u16,
    /// Email: `starttls`, `tls` or `none`.
    #[serde(default)]
    pub tls: String,
    /// Email: the SMTP user, or empty for none.
    #[serde(default)]
    pub username: String,
    /// Email: the sender address.
    #[serde(default)]
    pub from: String,
    /// Slack, Teams, webhook: the URL to post to (kept in the keychain: it may carry a key).
    #[serde(default)]
    pub url: String,
    /// Email: the SMTP password; webhook: the HMAC signing key. Kept in the keychain.
    #[serde(default)]
    pub secret: String,
}

/// A channel as shown: never its secrets.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChannelDto {
    /// Its name.
    pub name: String,
    /// `email`, `slack`, `teams`, `webhook` or `desktop`.
    pub kind: String,
    /// Where it delivers, without secrets ("smtp.example.com:587 (starttls) from rm@x",
    /// "https://hooks.slack.com — URL in the keychain").
    pub summary: String,
    /// Whether a secret is kept in the keychain for it.
    pub has_secret: bool,
    /// Who added it, and when (RFC 3339).
    pub created_by: String,
    /// When it was added.
    pub created_at: String,
    /// How many subscriptions use it.
    pub subscriptions: u32,
}

/// A subscription to add.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct SubscriptionInputDto {
    /// The stakeholder's email.
    pub person: String,
    /// The channel's name.
    pub channel: String,
    /// Only this project (empty: all).
    #[serde(default)]
    pub project: String,
    /// Only this environment (empty: all).
    #[serde(default)]
    pub environment: String,
    /// Only these event kinds (empty: all).
    #[serde(default)]
    pub kinds: Vec<String>,
    /// `info`, `warning` or `critical` (empty: info).
    #[serde(default)]
    pub min_severity: String,
    /// `immediate` or `digest HH:MM Area/City` (empty: immediate).
    #[serde(default)]
    pub delivery: String,
}

/// A subscription.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SubscriptionDto {
    /// Its number.
    #[ts(type = "number")]
    pub id: i64,
    /// The stakeholder's email.
    pub person: String,
    /// The channel's name.
    pub channel: String,
    /// The channel's kind.
    pub channel_kind: String,
    /// Only this project (empty: all).
    pub project: String,
    /// Only this environment (empty: all).
    pub environment: String,
    /// Only these kinds (empty: all).
    pub kinds: Vec<String>,
    /// The minimum severity.
    pub min_severity: String,
    /// `immediate` or `digest HH:MM Zone`.
    pub delivery: String,
}

/// One template: the workspace's own, or the built-in one.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TemplateDto {
    /// The event kind.
    pub kind: String,
    /// The channel kind.
    pub channel_kind: String,
    /// The part (`subject`, `text`, `html`, `markdown`, `json`).
    pub part: String,
    /// The text.
    pub body: String,
    /// Whether the workspace changed it.
    pub custom: bool,
    /// The variables it may use.
    pub variables: Vec<String>,
}

/// A template to save.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct TemplateInputDto {
    /// The event kind.
    pub kind: String,
    /// The channel kind.
    pub channel_kind: String,
    /// The part.
    pub part: String,
    /// The text; `{{variable}}` placeholders must be the kind's.
    pub body: String,
}

/// One delivery in the outbox.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DeliveryDto {
    /// Its number (what `outbox retry` takes).
    #[ts(type = "number")]
    pub id: i64,
    /// The event's number.
    #[ts(type = "number")]
    pub event_id: i64,
    /// The event kind.
    pub kind: String,
    /// The event's severity.
    pub severity: String,
    /// What happened.
    pub title: String,
    /// The project.
    pub project: String,
    /// The environment, or empty.
    pub environment: String,
    /// Who it is for.
    pub recipient: String,
    /// The channel's name.
    pub channel: String,
    /// The channel's kind.
    pub channel_kind: String,
    /// `pending`, `sending`, `sent`, `dead` or `cancelled`.
    pub state: String,
    /// Whether it waits for a daily digest.
    pub digest: bool,
    /// Attempts made.
    pub attempts: u32,
    /// The last attempt's error, or empty.
    pub last_error: String,
    /// When it is (next) due, RFC 3339.
    pub next_attempt_at: String,
    /// When it was written, RFC 3339.
    pub created_at: String,
    /// When it was delivered, RFC 3339, or empty.
    pub sent_at: String,
    /// The idempotency key every attempt carries.
    pub idempotency_key: String,
}

/// The outbox: counts per state and the newest deliveries.
#[derive(Debug, Clone, Serialize, TS)]
pub struct OutboxDto {
    /// Waiting to be sent or retried.
    pub pending: u32,
    /// Being sent.
    pub sending: u32,
    /// Delivered.
    pub sent: u32,
    /// Dead letters: given up on; retry them by hand.
    pub dead: u32,
    /// No longer wanted.
    pub cancelled: u32,
    /// The deliveries asked for, newest first.
    pub entries: Vec<DeliveryDto>,
}

/// A notification for the desktop channel.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DesktopNoticeDto {
    /// The title line.
    pub title: String,
    /// The text.
    pub body: String,
    /// A `slipway://` link into the app.
    pub link: String,
    /// The severity.
    pub severity: String,
}

/// What a dispatcher pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct DispatchDto {
    /// Deliveries made.
    pub delivered: u32,
    /// Attempts that failed and will be tried again.
    pub retrying: u32,
    /// Deliveries given up on (dead letters).
    pub dead: u32,
}

// ---------------------------------------------------------------------------------------
// Helpers

fn rule_error(e: impl std::fmt::Display) -> ApiError {
    invalid(format!("{}.", capitalise(&e.to_string())))
}

fn not_found(message: String) -> ApiError {
    ApiError::new(ErrorCode::NotFound, message)
}

fn secret_reference(channel: &str) -> String {
    format!("channel/{channel}")
}

/// Reads one of an enum's words, or says which words there are.
fn word<T>(
    word: &str,
    parse: fn(&str) -> Option<T>,
    names: fn() -> String,
    what: &str,
) -> Result<T, ApiError> {
    parse(word).ok_or_else(|| invalid(format!("“{word}” is not {what}; use one of: {}.", names())))
}

fn channel_kind(w: &str) -> Result<ChannelKind, ApiError> {
    word(w, ChannelKind::parse, ChannelKind::names, "a channel kind")
}

fn event_kind(w: &str) -> Result<EventKind, ApiError> {
    word(w, EventKind::parse, EventKind::names, "an event kind")
}

fn part(w: &str) -> Result<Part, ApiError> {
    word(w, Part::parse, Part::names, "a message part")
}

fn ms_time(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(rfc3339)
        .unwrap_or_default()
}

/// The secret parts of a channel, kept together in one keychain entry.
#[derive(Default, Clone, Serialize, Deserialize)]
struct ChannelSecret {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    secret: String,
}

fn read_secret(channel: &ChannelRecord) -> Result<ChannelSecret, ApiError> {
    let Some(reference) = &channel.secret_ref else {
        return Ok(ChannelSecret::default());
    };
    let stored = Keychain::new(KEYCHAIN_SERVICE)
        .get(reference)
        .map_err(|e| {
            ApiError::new(
                ErrorCode::KeychainUnavailable,
                format!(
                    "The secret of channel “{}” cannot be read: {}.",
                    channel.name, e
                ),
            )
        })?
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::KeychainUnavailable,
                format!(
                    "The keychain has no secret for channel “{}”; remove the channel and add it again.",
                    channel.name
                ),
            )
        })?;
    serde_json::from_str(stored.expose()).map_err(|_| {
        ApiError::new(
            ErrorCode::KeychainUnavailable,
            format!(
                "The keychain entry of channel “{}” is not Slipway's; remove the channel and add it again.",
                channel.name
            ),
        )
    })
}

// ---------------------------------------------------------------------------------------
// Stakeholders

/// Adds a stakeholder or replaces one with the same email.
pub async fn save_stakeholder(ws: &Workspace, input: &StakeholderDto) -> Result<(), ApiError> {
    let email = check_email(&input.email).map_err(rule_error)?;
    let roles: Vec<String> = input
        .roles
        .iter()
        .map(|r| r.trim().to_ascii_lowercase())
        .filter(|r| !r.is_empty())
        .collect();
    if let Some(bad) = roles.iter().find(|r| {
        !r.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    }) {
        return Err(invalid(format!(
            "“{bad}” is not a role name; use letters, digits and dashes (qa, release-manager)."
        )));
    }
    let handle = input.chat_handle.trim();
    if handle.contains(char::is_whitespace) {
        return Err(invalid(format!(
            "“{handle}” is not a chat handle; write it without spaces (@dana)."
        )));
    }
    ws.store()
        .save_person(&Person {
            name: if input.name.trim().is_empty() {
                email.clone()
            } else {
                input.name.trim().to_string()
            },
            email,
            roles,
            chat_handle: handle.to_string(),
        })
        .await?;
    Ok(())
}

/// Every stakeholder, by email.
pub async fn stakeholders(ws: &Workspace) -> Result<Vec<StakeholderDto>, ApiError> {
    let subs = ws.store().subscriptions().await?;
    Ok(ws
        .store()
        .people()
        .await?
        .into_iter()
        .map(|p| StakeholderDto {
            subscriptions: subs
                .iter()
                .filter(|s| s.person.eq_ignore_ascii_case(&p.email))
                .count() as u32,
            email: p.email,
            name: p.name,
            chat_handle: p.chat_handle,
            roles: p.roles,
        })
        .collect())
}

/// Removes a stakeholder and their subscriptions.
pub async fn remove_stakeholder(ws: &Workspace, email: &str) -> Result<(), ApiError> {
    if !ws.store().remove_person(email.trim()).await? {
        return Err(not_found(format!(
            "There is no stakeholder “{}”.",
            email.trim()
        )));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Channels

/// A channel split into what the database keeps and what the keychain keeps.
type PlannedChannel = (ChannelKind, BTreeMap<String, String>, Option<ChannelSecret>);

/// Checks a channel and splits it into what the database keeps and what the keychain keeps.
fn plan_channel(input: &ChannelInputDto) -> Result<PlannedChannel, ApiError> {
    let name = input.name.trim();
    if name.is_empty() || name.len() > 64 || name.chars().any(char::is_control) {
        return Err(invalid(
            "A channel needs a name of 1 to 64 characters (release-mail, #releases).",
        ));
    }
    let kind = channel_kind(&input.kind)?;
    let mut settings = BTreeMap::new();
    let check_url = |url: &str| -> Result<String, ApiError> {
        let url = url.trim();
        slipway_notify::check_webhook_url(url)
            .map_err(|e| invalid(format!("{}.", capitalise(&e.to_string()))))?;
        Ok(url.to_string())
    };
    let secret = match kind {
        ChannelKind::Email => {
            let host = input.host.trim();
            if host.is_empty() || host.contains(['/', ' ', ':']) {
                return Err(invalid(
                    "An email channel needs the SMTP server's host name (smtp.example.com).",
                ));
            }
            let tls = if input.tls.trim().is_empty() {
                TlsMode::StartTls
            } else {
                TlsMode::parse(&input.tls).ok_or_else(|| {
                    invalid(format!(
                        "“{}” is not a TLS mode; use starttls, tls or none.",
                        input.tls
                    ))
                })?
            };
            let port = if input.port == 0 {
                match tls {
                    TlsMode::Tls => 465,
                    TlsMode::StartTls => 587,
                    TlsMode::None => 25,
                }
            } else {
                input.port
            };
            let from = check_email(&input.from)
                .map_err(|e| invalid(format!("The sender address is not valid: {e}.")))?;
            settings.insert("host".into(), host.to_string());
            settings.insert("port".into(), port.to_string());
            settings.insert("tls".into(), tls.as_str().to_string());
            settings.insert("from".into(), from);
            if !input.username.trim().is_empty() {
                settings.insert("username".into(), input.username.trim().to_string());
            }
            (!input.secret.is_empty()).then(|| ChannelSecret {
                url: String::new(),
                secret: input.secret.clone(),
            })
        }
        ChannelKind::Slack | ChannelKind::Teams => {
            let url = check_url(&input.url)?;
            settings.insert("origin".into(), slipway_notify::url_origin(&url));
            Some(ChannelSecret {
                url,
                secret: String::new(),
            })
        }
        ChannelKind::Webhook => {
            let url = check_url(&input.url)?;
            if input.secret.len() < 16 {
                return Err(invalid(
                    "A webhook channel needs a signing key of at least 16 characters; receivers check the X-Slipway-Signature header with it.",
                ));
            }
            settings.insert("origin".into(), slipway_notify::url_origin(&url));
            Some(ChannelSecret {
                url,
                secret: input.secret.clone(),
            })
        }
        ChannelKind::Desktop => None,
    };
    Ok((kind, settings, secret))
}

/// Adds a channel: its secrets to the keychain first (a keychain that is not there means
/// nothing is stored at all), then the rest to the database.
pub async fn add_channel(
    ws: &Workspace,
    input: &ChannelInputDto,
    by: &str,
    clock: &dyn Clock,
) -> Result<ChannelDto, ApiError> {
    let (kind, settings, secret) = plan_channel(input)?;
    let name = input.name.trim().to_string();
    if ws.store().channel(&name).await?.is_some() {
        return Err(ApiError::new(
            ErrorCode::AlreadyExists,
            format!(
                "A channel named “{name}” exists already; remove it first or pick another name."
            ),
        ));
    }
    let reference = secret.as_ref().map(|_| secret_reference(&name));
    let keychain = Keychain::new(KEYCHAIN_SERVICE);
    if let (Some(secret), Some(reference)) = (&secret, &reference) {
        let json = serde_json::to_string(secret)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        keychain
            .set(reference, &Secret::new(json))
            .map_err(keychain_error)?;
    }
    let record = ChannelRecord {
        id: 0,
        name: name.clone(),
        kind,
        settings,
        secret_ref: reference.clone(),
        created_at: clock.now().timestamp(),
        created_by: by.to_string(),
    };
    if let Err(e) = ws.store().add_channel(&record).await {
        if let Some(reference) = &reference {
            let _ = keychain.delete(reference);
        }
        return Err(e.into());
    }
    tracing::info!(channel = %name, kind = kind.as_str(), "channel added");
    Ok(channel_dto(&record, 0))
}

fn channel_dto(c: &ChannelRecord, subscriptions: u32) -> ChannelDto {
    let get = |k: &str| c.settings.get(k).cloned().unwrap_or_default();
    let summary = match c.kind {
        ChannelKind::Email => format!(
            "{}:{} ({}) from {}{}",
            get("host"),
            get("port"),
            get("tls"),
            get("from"),
            if get("username").is_empty() {
                String::new()
            } else {
                format!(", as {}", get("username"))
            }
        ),
        ChannelKind::Slack | ChannelKind::Teams => {
            format!("{} — URL in the keychain", get("origin"))
        }
        ChannelKind::Webhook => format!("{} — URL and signing key in the keychain", get("origin")),
        ChannelKind::Desktop => "notifications on this computer".to_string(),
    };
    ChannelDto {
        name: c.name.clone(),
        kind: c.kind.as_str().to_string(),
        summary,
        has_secret: c.secret_ref.is_some(),
        created_by: c.created_by.clone(),
        created_at: DateTime::<Utc>::from_timestamp(c.created_at, 0)
            .map(rfc3339)
            .unwrap_or_default(),
        subscriptions,
    }
}

/// Every channel, by name.
pub async fn channels(ws: &Workspace) -> Result<Vec<ChannelDto>, ApiError> {
    let subs = ws.store().subscriptions().await?;
    Ok(ws
        .store()
        .channels()
        .await?
        .iter()
        .map(|c| channel_dto(c, subs.iter().filter(|s| s.channel == c.id).count() as u32))
        .collect())
}

/// Removes a channel, its subscriptions and its keychain entry; deliveries not yet made
/// through it are cancelled (and stay in the outbox, with the reason).
pub async fn remove_channel(ws: &Workspace, name: &str) -> Result<(), ApiError> {
    let removed = ws
        .store()
        .remove_channel(name.trim())
        .await?
        .ok_or_else(|| not_found(format!("There is no channel “{}”.", name.trim())))?;
    if let Some(reference) = &removed.secret_ref {
        if let Err(e) = Keychain::new(KEYCHAIN_SERVICE).delete(reference) {
            tracing::warn!(channel = %removed.name, error = %e, "the channel's keychain entry could not be removed");
        }
    }
    Ok(())
}

/// Sends a test message through channel `name` (to `to`, or the channel's sender for
/// email) right now, past the outbox. Returns what happened; a failure is an error whose
/// message is the exact reason.
pub async fn test_channel(
    ws: &Workspace,
    name: &str,
    to: Option<&str>,
    by: &str,
    clock: &dyn Clock,
    desktop: Option<&DesktopSink>,
) -> Result<String, ApiError> {
    let channel = ws
        .store()
        .channel(name.trim())
        .await?
        .ok_or_else(|| not_found(format!("There is no channel “{}”.", name.trim())))?;
    let to = match to.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => check_email(t).map_err(rule_error)?,
        None => match channel.kind {
            ChannelKind::Email => channel.settings.get("from").cloned().unwrap_or_default(),
            _ => by.to_string(),
        },
    };
    let now = clock.now();
    let mut event = slipway_core::notify::Event::new(
        EventKind::Promoted,
        "slipway",
        "board",
        format!("Test message from Slipway ({by})"),
    )
    .with("changes", "0 changes")
    .with(
        "release_notes",
        "This is a test message: the channel works.",
    );
    event.actor = by.to_string();
    event.at = now;
    let key = format!("slipway-test-{}", now.timestamp_millis());
    let message = Message::render(&event, 0, &to, by, "", &Templates::default(), channel.kind);
    let secret = read_secret(&channel)?;
    let sender = Sender::new(Http::new(), desktop.cloned());
    sender
        .send(&channel, &secret, &to, &message, &key, &event.thread, now)
        .await
        .map_err(|e| {
            ApiError::new(
                ErrorCode::DeliveryFailed,
                format!(
                    "The test message through “{}” failed: {}",
                    channel.name, e.message
                ),
            )
        })?;
    Ok(format!(
        "A test message went out through “{}” ({}){}.",
        channel.name,
        channel.kind.as_str(),
        if channel.kind.personal() {
            format!(" to {to}")
        } else {
            String::new()
        }
    ))
}

// ---------------------------------------------------------------------------------------
// Subscriptions

/// Subscribes a stakeholder to events over a channel.
pub async fn subscribe(
    ws: &Workspace,
    input: &SubscriptionInputDto,
    clock: &dyn Clock,
) -> Result<SubscriptionDto, ApiError> {
    let person = check_email(&input.person).map_err(rule_error)?;
    let store = ws.store();
    if !store
        .people()
        .await?
        .iter()
        .any(|p| p.email.eq_ignore_ascii_case(&person))
    {
        return Err(ApiError::new(
            ErrorCode::UnknownPerson,
            format!("“{person}” is not a stakeholder; add them first (slipway stakeholder add)."),
        ));
    }
    let channel = store
        .channel(input.channel.trim())
        .await?
        .ok_or_else(|| not_found(format!("There is no channel “{}”.", input.channel.trim())))?;
    let project = Some(input.project.trim().to_string()).filter(|p| !p.is_empty());
    let environment = Some(input.environment.trim().to_string()).filter(|e| !e.is_empty());
    if let Some(p) = &project {
        let found = ws.project(p).await?;
        if let Some(e) = &environment {
            crate::preview::environment_index(&found, e)?;
        }
    }
    let kinds = input
        .kinds
        .iter()
        .filter(|k| !k.trim().is_empty())
        .map(|k| event_kind(k))
        .collect::<Result<Vec<_>, _>>()?;
    let min_severity = if input.min_severity.trim().is_empty() {
        Severity::Info
    } else {
        word(
            &input.min_severity,
            Severity::parse,
            Severity::names,
            "a severity",
        )?
    };
    let delivery = if input.delivery.trim().is_empty() {
        Delivery::Immediate
    } else {
        Delivery::parse(&input.delivery).map_err(rule_error)?
    };
    let mut s = Subscription {
        id: 0,
        person,
        channel: channel.id,
        project,
        environment,
        kinds,
        min_severity,
        delivery,
    };
    s.id = store.add_subscription(&s, clock.now().timestamp()).await?;
    Ok(subscription_dto(&s, &[channel]))
}

fn subscription_dto(s: &Subscription, channels: &[ChannelRecord]) -> SubscriptionDto {
    let channel = channels.iter().find(|c| c.id == s.channel);
    SubscriptionDto {
        id: s.id,
        person: s.person.clone(),
        channel: channel.map(|c| c.name.clone()).unwrap_or_default(),
        channel_kind: channel
            .map(|c| c.kind.as_str().to_string())
            .unwrap_or_default(),
        project: s.project.clone().unwrap_or_default(),
        environment: s.environment.clone().unwrap_or_default(),
        kinds: s.kinds.iter().map(|k| k.as_str().to_string()).collect(),
        min_severity: s.min_severity.as_str().to_string(),
        delivery: s.delivery.describe(),
    }
}

/// Every subscription.
pub async fn subscriptions(ws: &Workspace) -> Result<Vec<SubscriptionDto>, ApiError> {
    let channels = ws.store().channels().await?;
    Ok(ws
        .store()
        .subscriptions()
        .await?
        .iter()
        .map(|s| subscription_dto(s, &channels))
        .collect())
}

/// Removes a subscription.
pub async fn unsubscribe(ws: &Workspace, id: i64) -> Result<(), ApiError> {
    if !ws.store().remove_subscription(id).await? {
        return Err(not_found(format!("There is no subscription #{id}.")));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Templates

/// Every built-in template, parsed once.
static BUILT_IN: LazyLock<HashMap<(EventKind, Part), Template>> = LazyLock::new(|| {
    let mut all = HashMap::new();
    for kind in EventKind::ALL {
        for part in Part::ALL {
            let parsed = Template::parse(default_template(*kind, *part), &kind.variables())
                .expect("built-in templates are tested");
            all.insert((*kind, *part), parsed);
        }
    }
    all
});

/// The templates in force: the workspace's own (checked when they were saved), else the
/// built-in ones.
#[derive(Default, Clone)]
pub(crate) struct Templates {
    own: HashMap<(EventKind, ChannelKind, Part), Template>,
}

impl Templates {
    async fn load(ws: &Workspace) -> Result<Templates, ApiError> {
        let mut own = HashMap::new();
        for t in ws.store().templates().await? {
            // Saved templates were checked; one that no longer checks (a variable was
            // renamed) falls back to the built-in one rather than failing every delivery.
            match check_template(t.kind, t.channel, t.part, &t.body) {
                Ok(parsed) => {
                    own.insert((t.kind, t.channel, t.part), parsed);
                }
                Err(e) => tracing::warn!(error = %e, "a saved template no longer checks"),
            }
        }
        Ok(Templates { own })
    }

    fn get(&self, kind: EventKind, channel: ChannelKind, part: Part) -> &Template {
        self.own
            .get(&(kind, channel, part))
            .unwrap_or_else(|| &BUILT_IN[&(kind, part)])
    }
}

/// Saves a template, checking it first: an unknown variable is refused now, not at send time.
pub async fn save_template(
    ws: &Workspace,
    input: &TemplateInputDto,
    by: &str,
    clock: &dyn Clock,
) -> Result<TemplateDto, ApiError> {
    let kind = event_kind(&input.kind)?;
    let channel = channel_kind(&input.channel_kind)?;
    let part = part(&input.part)?;
    let parsed = check_template(kind, channel, part, &input.body).map_err(rule_error)?;
    if part == Part::Json {
        // A JSON template must stay JSON whatever the values are.
        let sample: BTreeMap<String, String> = kind
            .variables()
            .iter()
            .map(|v| (v.to_string(), "sample \"quoted\" \\ value".to_string()))
            .collect();
        let rendered = render(&parsed, &sample, part);
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&rendered) {
            return Err(invalid(format!(
                "The json template does not produce JSON: {e}; put variables inside strings (\"{{{{title}}}}\")."
            )));
        }
    }
    ws.store()
        .set_template(&StoredTemplate {
            kind,
            channel,
            part,
            body: input.body.clone(),
            updated_at: clock.now().timestamp(),
            updated_by: by.to_string(),
        })
        .await?;
    Ok(TemplateDto {
        kind: kind.as_str().into(),
        channel_kind: channel.as_str().into(),
        part: part.as_str().into(),
        body: input.body.clone(),
        custom: true,
        variables: kind.variables().iter().map(|v| v.to_string()).collect(),
    })
}

/// Goes back to the built-in template.
pub async fn reset_template(
    ws: &Workspace,
    kind: &str,
    channel_kind_word: &str,
    part_word: &str,
) -> Result<(), ApiError> {
    ws.store()
        .reset_template(
            event_kind(kind)?,
            channel_kind(channel_kind_word)?,
            part(part_word)?,
        )
        .await?;
    Ok(())
}

/// Every template in force, for every event kind, channel kind and part.
pub async fn templates(ws: &Workspace) -> Result<Vec<TemplateDto>, ApiError> {
    let own: HashMap<(EventKind, ChannelKind, Part), String> = ws
        .store()
        .templates()
        .await?
        .into_iter()
        .map(|t| ((t.kind, t.channel, t.part), t.body))
        .collect();
    let mut out = Vec::new();
    for kind in EventKind::ALL {
        for channel in ChannelKind::ALL {
            for part in channel.parts() {
                let custom = own.get(&(*kind, *channel, *part));
                out.push(TemplateDto {
                    kind: kind.as_str().into(),
                    channel_kind: channel.as_str().into(),
                    part: part.as_str().into(),
                    body: custom
                        .cloned()
                        .unwrap_or_else(|| default_template(*kind, *part).to_string()),
                    custom: custom.is_some(),
                    variables: kind.variables().iter().map(|v| v.to_string()).collect(),
                });
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Outbox

fn delivery_dto(r: &OutboxRow) -> DeliveryDto {
    DeliveryDto {
        id: r.id,
        event_id: r.event_id,
        kind: r.event.kind.as_str().into(),
        severity: r.event.severity.as_str().into(),
        title: r.event.title.clone(),
        project: r.event.project.clone(),
        environment: r.event.environment.clone().unwrap_or_default(),
        recipient: r.recipient.clone(),
        channel: r.channel_name.clone(),
        channel_kind: r.channel_kind.as_str().into(),
        state: r.state.as_str().into(),
        digest: r.digest,
        attempts: r.attempts,
        last_error: r.last_error.clone(),
        next_attempt_at: ms_time(r.next_attempt_ms),
        created_at: ms_time(r.created_ms),
        sent_at: r.sent_ms.map(ms_time).unwrap_or_default(),
        idempotency_key: r.idempotency_key.clone(),
    }
}

/// The outbox: counts, and the newest deliveries (in `state` when given).
pub async fn outbox(
    ws: &Workspace,
    state: Option<&str>,
    limit: u32,
) -> Result<OutboxDto, ApiError> {
    let state = match state.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(OutboxState::parse(s).ok_or_else(|| {
            invalid(format!(
                "“{s}” is not a delivery state; use pending, sending, sent, dead or cancelled."
            ))
        })?),
        None => None,
    };
    let store = ws.store();
    let mut dto = OutboxDto {
        pending: 0,
        sending: 0,
        sent: 0,
        dead: 0,
        cancelled: 0,
        entries: store
            .outbox(state, i64::from(limit.clamp(1, 10_000)))
            .await?
            .iter()
            .map(delivery_dto)
            .collect(),
    };
    for (s, n) in store.outbox_counts().await? {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        match s {
            OutboxState::Pending => dto.pending = n,
            OutboxState::Sending => dto.sending = n,
            OutboxState::Sent => dto.sent = n,
            OutboxState::Dead => dto.dead = n,
            OutboxState::Cancelled => dto.cancelled = n,
        }
    }
    Ok(dto)
}

/// Puts a dead letter back in line: it is tried again at once, with its attempts reset.
pub async fn retry_delivery(ws: &Workspace, id: i64, clock: &dyn Clock) -> Result<(), ApiError> {
    if !ws
        .store()
        .retry_delivery(id, clock.now().timestamp_millis())
        .await?
    {
        return Err(ApiError::new(
            ErrorCode::NotAllowed,
            format!("Delivery #{id} is not a dead letter; only those are retried by hand."),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Rendering and sending

/// A message, rendered for one channel kind.
#[derive(Debug, Clone, Default)]
struct Message {
    subject: String,
    text: String,
    html: String,
    markdown: String,
    json: String,
    link: String,
    severity: String,
}

impl Message {
    fn render(
        event: &slipway_core::notify::Event,
        event_id: i64,
        recipient: &str,
        recipient_name: &str,
        chat_handle: &str,
        templates: &Templates,
        channel: ChannelKind,
    ) -> Message {
        let v = values(event, event_id, recipient, recipient_name, chat_handle);
        let mut m = Message {
            link: slipway_core::notify::link(event),
            severity: event.severity.as_str().to_string(),
            ..Message::default()
        };
        for part in channel.parts() {
            let text = render(templates.get(event.kind, channel, *part), &v, *part);
            match part {
                Part::Subject => m.subject = text,
                Part::Text => m.text = text,
                Part::Html => m.html = text,
                Part::Markdown => m.markdown = text,
                Part::Json => m.json = text,
            }
        }
        m
    }

    /// One message for a day's events (digests are not templated: a list of titles).
    fn digest(rows: &[&OutboxRow]) -> Message {
        let lines: Vec<String> = rows.iter().map(|r| digest_line(&r.event)).collect();
        let subject = format!("[Slipway] Daily digest: {} event(s)", rows.len());
        let html_list: String = rows
            .iter()
            .map(|r| {
                format!(
                    "<li>{} · {} · <a href=\"{}\">{}</a></li>",
                    r.event.at.format("%H:%M UTC"),
                    r.event.kind.as_str(),
                    slipway_core::notify::link(&r.event),
                    escape(&r.event.title, Escape::Html)
                )
            })
            .collect();
        let json_items: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                serde_json::json!({
                    "event": r.event.kind.as_str(),
                    "id": r.event_id.to_string(),
                    "severity": r.event.severity.as_str(),
                    "project": r.event.project,
                    "title": r.event.title,
                    "at": rfc3339(r.event.at),
                    "link": slipway_core::notify::link(&r.event),
                })
            })
            .collect();
        Message {
            subject: subject.clone(),
            text: format!("{subject}\n\n{}\n", lines.join("\n")),
            html: format!("<p><strong>{subject}</strong></p><ul>{html_list}</ul>"),
            markdown: format!(
                "*{subject}*\n{}",
                lines
                    .iter()
                    .map(|l| format!("• {}", escape(l, Escape::Html)))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
            json: serde_json::json!({ "event": "digest", "items": json_items }).to_string(),
            link: "slipway://board".into(),
            severity: rows
                .iter()
                .map(|r| r.event.severity)
                .max()
                .unwrap_or(Severity::Info)
                .as_str()
                .to_string(),
        }
    }
}

/// Shows desktop notifications (the desktop shell gives one; headless dispatchers do not
/// claim desktop deliveries).
pub type DesktopSink = Arc<dyn Fn(DesktopNoticeDto) + Send + Sync>;

/// Why one attempt failed, and whether trying again can help.
#[derive(Debug, Clone)]
pub(crate) struct SendError {
    message: String,
    permanent: bool,
}

impl From<NotifyError> for SendError {
    fn from(e: NotifyError) -> SendError {
        SendError {
            permanent: e.permanent(),
            message: e.to_string(),
        }
    }
}

impl From<ApiError> for SendError {
    fn from(e: ApiError) -> SendError {
        SendError {
            permanent: false,
            message: e.message,
        }
    }
}

#[derive(Clone)]
struct Sender {
    http: Http,
    desktop: Option<DesktopSink>,
    timeout: Duration,
}

impl Sender {
    fn new(http: Http, desktop: Option<DesktopSink>) -> Sender {
        Sender {
            http,
            desktop,
            timeout: Duration::from_secs(10),
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn send(
        &self,
        channel: &ChannelRecord,
        secret: &ChannelSecret,
        recipient: &str,
        message: &Message,
        key: &str,
        thread: &str,
        now: DateTime<Utc>,
    ) -> Result<(), SendError> {
        let timeout = self.timeout;
        match channel.kind {
            ChannelKind::Email => {
                let get = |k: &str| channel.settings.get(k).cloned().unwrap_or_default();
                let smtp = Smtp {
                    host: get("host"),
                    port: get("port").parse().unwrap_or(587),
                    tls: TlsMode::parse(&get("tls")).unwrap_or(TlsMode::StartTls),
                    username: Some(get("username")).filter(|u| !u.is_empty()),
                    password: Some(secret.secret.clone()).filter(|p| !p.is_empty()),
                    from: get("from"),
                    timeout,
                };
                let email = Email {
                    to: recipient.to_string(),
                    to_name: None,
                    subject: message.subject.clone(),
                    text: message.text.clone(),
                    html: message.html.clone(),
                    idempotency_key: key.to_string(),
                    thread: thread.to_string(),
                };
                slipway_notify::send_email(&smtp, &email).await?;
            }
            ChannelKind::Slack | ChannelKind::Teams | ChannelKind::Webhook => {
                let body = match channel.kind {
                    ChannelKind::Slack => slipway_notify::slack_body(&message.markdown),
                    ChannelKind::Teams => slipway_notify::teams_body(&message.markdown),
                    _ => message.json.clone(),
                };
                let post = Post {
                    url: secret.url.clone(),
                    body,
                    idempotency_key: key.to_string(),
                    signing_secret: (channel.kind == ChannelKind::Webhook)
                        .then(|| secret.secret.clone())
                        .filter(|s| !s.is_empty()),
                    timeout,
                    now_unix: now.timestamp(),
                };
                self.http.post(&post).await?;
            }
            ChannelKind::Desktop => {
                let Some(show) = &self.desktop else {
                    return Err(SendError {
                        message: "desktop notifications are shown by the desktop app, which is not running here".into(),
                        permanent: false,
                    });
                };
                show(DesktopNoticeDto {
                    title: message.subject.clone(),
                    body: message.text.clone(),
                    link: message.link.clone(),
                    severity: message.severity.clone(),
                });
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// The dispatcher

/// A channel with its secret as read from the keychain (or why it could not be).
type ReadyChannel = (ChannelRecord, Result<ChannelSecret, SendError>);

/// One message to send: a delivery, or a digest of several.
struct Job {
    ids: Vec<i64>,
    channel: Arc<ReadyChannel>,
    recipient: String,
    message: Message,
    key: String,
    thread: String,
}

/// Drains the outbox: claims due deliveries (several dispatchers may share one database),
/// sends them concurrently, and records each end — delivered, retried later with exponential
/// backoff and jitter, or dead-lettered after the last attempt or a permanent refusal.
#[derive(Clone)]
pub struct Dispatcher {
    ws: Workspace,
    name: String,
    sender: Sender,
    backoff: Backoff,
    batch: i64,
    lease_ms: i64,
}

impl Dispatcher {
    /// A dispatcher named `name` (host and process, for the claims it writes).
    pub fn new(ws: &Workspace, name: &str, desktop: Option<DesktopSink>) -> Dispatcher {
        Dispatcher {
            ws: ws.clone(),
            name: name.to_string(),
            sender: Sender::new(Http::new(), desktop),
            backoff: Backoff::default(),
            batch: 200,
            lease_ms: 60_000,
        }
    }

    /// The same dispatcher with another backoff (tests use short waits).
    pub fn with_backoff(mut self, base: Duration, cap: Duration, max_attempts: u32) -> Dispatcher {
        self.backoff = Backoff {
            base: chrono::Duration::from_std(base).unwrap_or(self.backoff.base),
            cap: chrono::Duration::from_std(cap).unwrap_or(self.backoff.cap),
            max_attempts,
        };
        self
    }

    /// The same dispatcher with another time limit per attempt (default 10 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Dispatcher {
        self.sender.timeout = timeout;
        self
    }

    /// Claims and sends what is due now, once. Returns what happened.
    pub async fn dispatch_once(&self, clock: &dyn Clock) -> Result<DispatchDto, ApiError> {
        let now = clock.now();
        let store = self.ws.store();
        let rows = store
            .claim(
                &self.name,
                now.timestamp_millis(),
                self.lease_ms,
                self.batch,
                self.sender.desktop.is_some(),
            )
            .await?;
        if rows.is_empty() {
            return Ok(DispatchDto::default());
        }
        let templates = Templates::load(&self.ws).await?;
        let people: HashMap<String, Person> = store
            .people()
            .await?
            .into_iter()
            .map(|p| (p.email.to_ascii_lowercase(), p))
            .collect();
        // Each channel's secret is read from the keychain once per pass, not per delivery.
        let mut channels: HashMap<i64, Arc<ReadyChannel>> = HashMap::new();
        for c in store.channels().await? {
            if rows.iter().any(|r| r.channel_id == c.id) {
                let secret = read_secret(&c).map_err(SendError::from);
                channels.insert(c.id, Arc::new((c, secret)));
            }
        }
        // Immediate deliveries one by one; digests one message per recipient and channel.
        let mut jobs: Vec<Job> = Vec::new();
        let mut digests: BTreeMap<(String, i64), Vec<&OutboxRow>> = BTreeMap::new();
        for r in &rows {
            let Some(channel) = channels.get(&r.channel_id) else {
                store
                    .failed(r.id, &self.name, "the channel was removed", &Failure::Dead)
                    .await?;
                continue;
            };
            if r.digest {
                digests
                    .entry((r.recipient.clone(), r.channel_id))
                    .or_default()
                    .push(r);
                continue;
            }
            let person = people.get(&r.recipient.to_ascii_lowercase());
            jobs.push(Job {
                ids: vec![r.id],
                channel: Arc::clone(channel),
                recipient: r.recipient.clone(),
                message: Message::render(
                    &r.event,
                    r.event_id,
                    &r.recipient,
                    person.map_or(r.recipient.as_str(), |p| p.name.as_str()),
                    person.map_or("", |p| p.chat_handle.as_str()),
                    &templates,
                    channel.0.kind,
                ),
                key: r.idempotency_key.clone(),
                thread: r.event.thread.clone(),
            });
        }
        for ((recipient, channel_id), group) in &digests {
            jobs.push(Job {
                ids: group.iter().map(|r| r.id).collect(),
                channel: Arc::clone(&channels[channel_id]),
                recipient: recipient.clone(),
                message: Message::digest(group),
                key: format!("{}-digest", group[0].idempotency_key),
                thread: format!("digest/{recipient}"),
            });
        }
        let mut tasks = tokio::task::JoinSet::new();
        for job in jobs {
            let sender = self.sender.clone();
            tasks.spawn(async move {
                let (channel, secret) = &*job.channel;
                let result = match secret {
                    Ok(secret) => {
                        sender
                            .send(
                                channel,
                                secret,
                                &job.recipient,
                                &job.message,
                                &job.key,
                                &job.thread,
                                now,
                            )
                            .await
                    }
                    Err(e) => Err(e.clone()),
                };
                (job.ids, result)
            });
        }
        let mut ok = Vec::new();
        let mut report = DispatchDto::default();
        let attempts: HashMap<i64, u32> = rows.iter().map(|r| (r.id, r.attempts)).collect();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(
            now.timestamp_nanos_opt().unwrap_or_default() as u64 ^ rows[0].id as u64,
        );
        while let Some(joined) = tasks.join_next().await {
            let Ok((ids, result)) = joined else { continue };
            match result {
                Ok(()) => {
                    report.delivered += ids.len() as u32;
                    ok.extend(ids);
                }
                Err(e) => {
                    for id in ids {
                        let attempt = attempts.get(&id).copied().unwrap_or(0) + 1;
                        let then = if e.permanent || self.backoff.exhausted(attempt) {
                            report.dead += 1;
                            Failure::Dead
                        } else {
                            report.retrying += 1;
                            let wait = self.backoff.delay(attempt, rng.random::<f64>());
                            Failure::RetryAt(now.timestamp_millis() + wait.num_milliseconds())
                        };
                        tracing::warn!(delivery = id, attempt, error = %e.message, dead = then == Failure::Dead, "delivery failed");
                        store.failed(id, &self.name, &e.message, &then).await?;
                    }
                }
            }
        }
        store
            .delivered(&ok, &self.name, clock.now().timestamp_millis())
            .await?;
        Ok(report)
    }

    /// Dispatches until `stop` is cancelled: drains what is due, then waits for new
    /// deliveries (written by this process, or announced by PostgreSQL) or the next retry.
    pub async fn run(self, clock: Arc<dyn Clock + Send + Sync>, stop: crate::Cancel) {
        let wake = Arc::new(tokio::sync::Notify::new());
        let listener = {
            let wake = Arc::clone(&wake);
            self.ws
                .store()
                .listen_outbox(move |_| wake.notify_one())
                .await
                .ok()
                .flatten()
        };
        while !stop.is_cancelled() {
            match self.dispatch_once(clock.as_ref()).await {
                Ok(r) if r.delivered + r.retrying + r.dead > 0 => continue,
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e.message, "the dispatcher could not read the outbox")
                }
            }
            let idle = Duration::from_millis(500);
            tokio::select! {
                _ = self.ws.store().outbox_written(idle) => {}
                _ = wake.notified() => {}
                _ = stop.cancelled() => {}
            }
        }
        if let Some(l) = listener {
            l.abort();
        }
    }
}

/// `host:pid`, naming this process's dispatcher in its claims.
pub fn dispatcher_name() -> String {
    format!("{}:{}", crate::promote::host_name(), std::process::id())
}

// ---------------------------------------------------------------------------------------
// What waits for me (the tray badge)

/// One thing waiting for the person using the app.
#[derive(Debug, Clone, Serialize, TS)]
pub struct WaitingItemDto {
    /// `signoff`, `approval` or `breach`.
    pub kind: String,
    /// One line for a menu.
    pub label: String,
    /// Where it is in the app (`slipway://inbox`, `slipway://request/12`).
    pub link: String,
}

/// What waits for the person using the app: the tray icon's badge and menu.
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct WaitingForMeDto {
    /// Changes waiting for a sign-off they may give.
    pub signoffs: u32,
    /// Change requests waiting for their approval.
    pub approvals: u32,
    /// Breached clocks they can acknowledge.
    pub breaches: u32,
    /// All of it (the badge).
    pub total: u32,
    /// The items, most urgent first (at most 10).
    pub items: Vec<WaitingItemDto>,
}

/// Counts what waits for `me` from their inbox and the open requests.
pub(crate) fn waiting_for_me(
    inbox: &[crate::InboxItemDto],
    requests: &[crate::RequestSummaryDto],
) -> WaitingForMeDto {
    let mut w = WaitingForMeDto::default();
    for r in requests {
        if r.actions.iter().any(|a| a == "acknowledge") {
            w.breaches += 1;
            w.items.push(WaitingItemDto {
                kind: "breach".into(),
                label: format!("Breached: CR #{} {}", r.id, r.title),
                link: format!("slipway://request/{}", r.id),
            });
        }
    }
    for r in requests {
        if r.actions.iter().any(|a| a == "approve") {
            w.approvals += 1;
            w.items.push(WaitingItemDto {
                kind: "approval".into(),
                label: format!("Approve: CR #{} {}", r.id, r.title),
                link: format!("slipway://request/{}", r.id),
            });
        }
    }
    for i in inbox {
        w.signoffs += 1;
        w.items.push(WaitingItemDto {
            kind: "signoff".into(),
            label: format!(
                "Sign off: {} {} — {}",
                i.project, i.environment, i.change.title
            ),
            link: "slipway://inbox".into(),
        });
    }
    w.total = w.signoffs + w.approvals + w.breaches;
    w.items.truncate(10);
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(id: i64, actions: &[&str]) -> crate::RequestSummaryDto {
        crate::RequestSummaryDto {
            id,
            project: "payments".into(),
            kind: "emergency".into(),
            severity: "sev1".into(),
            title: format!("CR {id}"),
            state: "submitted".into(),
            requester: "ana@x".into(),
            assignee: None,
            target_environment: None,
            opened_at: String::new(),
            approvals_needed: vec![],
            clocks: vec![],
            urgent_clock: None,
            has_policy: true,
            actions: actions.iter().map(|a| a.to_string()).collect(),
        }
    }

    #[test]
    fn what_waits_for_me_counts_breaches_then_approvals_then_signoffs() {
        let requests = [
            request(1, &["approve", "reject"]),
            request(2, &["acknowledge", "hold"]),
            request(3, &["hold"]),
            request(4, &["approve", "acknowledge"]),
        ];
        let w = waiting_for_me(&[], &requests);
        assert_eq!((w.breaches, w.approvals, w.signoffs, w.total), (2, 2, 0, 4));
        let links: Vec<(&str, &str)> = w
            .items
            .iter()
            .map(|i| (i.kind.as_str(), i.link.as_str()))
            .collect();
        assert_eq!(
            links,
            vec![
                ("breach", "slipway://request/2"),
                ("breach", "slipway://request/4"),
                ("approval", "slipway://request/1"),
                ("approval", "slipway://request/4"),
            ]
        );
        let many: Vec<_> = (0..15).map(|i| request(i, &["approve"])).collect();
        let w = waiting_for_me(&[], &many);
        assert_eq!(
            (w.total, w.items.len()),
            (15, 10),
            "the badge counts all, the menu lists 10"
        );
        assert_eq!(waiting_for_me(&[], &[]).total, 0);
    }
}
