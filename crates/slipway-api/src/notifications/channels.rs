//! Channels (email, Slack, Teams, signed webhooks, desktop): checked at save time, their
//! secret parts in the OS keychain under `channel/<name>`, and a test message on demand.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use slipway_core::notify::{check_email, ChannelKind, EventKind};
use slipway_core::Clock;
use slipway_notify::{Http, TlsMode};
use slipway_secrets::{Keychain, Secret};
use slipway_store::ChannelRecord;
use ts_rs::TS;

use crate::error::{
    capitalise, invalid, keychain_error, not_found, rule_error, ApiError, ErrorCode,
};
use crate::secrets::{channel_reference, KEYCHAIN_SERVICE};
use crate::time::rfc3339;
use crate::workspace::Workspace;

use super::dispatch::{DesktopSink, Message, Sender};
use super::people::PlannedChannel;
use super::templates::Templates;
use super::words::channel_kind;

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

/// The secret parts of a channel, kept together in one keychain entry.
#[derive(Default, Clone, Serialize, Deserialize)]
pub(crate) struct ChannelSecret {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) secret: String,
}

pub(crate) fn read_secret(channel: &ChannelRecord) -> Result<ChannelSecret, ApiError> {
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

/// Checks a channel and splits it into what the database keeps and what the keychain keeps.
pub(crate) fn plan_channel(input: &ChannelInputDto) -> Result<PlannedChannel, ApiError> {
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
            if host.chars().any(char::is_control) || host.len() > 253 {
                return Err(invalid(format!(
                    "“{}” is not a host name: it has a line break or another control character, or is longer than 253 characters. Nothing was saved.",
                    host.escape_debug()
                )));
            }
            if host.is_empty()
                || host.contains(['/', ' ', ':'])
                || host.chars().any(char::is_control)
            {
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
            // A password over a connection without TLS crosses the network in clear text:
            // only a relay on this machine may be spoken to that way.
            let loopback = host.eq_ignore_ascii_case("localhost")
                || host
                    .parse::<std::net::Ipv4Addr>()
                    .is_ok_and(|ip| ip.is_loopback());
            if tls == TlsMode::None && !input.secret.is_empty() && !loopback {
                return Err(invalid(format!(
                    "With --tls none the password would cross the network to {host} in clear text; use --tls starttls or --tls tls (or no password for a relay that needs none). Nothing was saved."
                )));
            }
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
    // What the kind's own checks left: fields it has no use for are refused, not dropped.
    if !kind.takes_url() && !input.url.trim().is_empty() {
        return Err(invalid(format!(
            "{} channels have no URL; nothing was saved.",
            kind.as_str()
        )));
    }
    if !kind.takes_secret() && !input.secret.is_empty() {
        return Err(invalid(format!(
            "{} channels have no secret; nothing was saved.",
            kind.as_str()
        )));
    }
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
    let reference = secret.as_ref().map(|_| channel_reference(&name));
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

pub(crate) fn channel_dto(c: &ChannelRecord, subscriptions: u32) -> ChannelDto {
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
