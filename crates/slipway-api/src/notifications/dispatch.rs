//! Rendering and sending: the dispatcher claims due deliveries, renders each with its
//! template, sends it over its channel and records the outcome, with retries and backoff.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::{Rng, SeedableRng};
use serde::Serialize;
use slipway_core::notify::{digest_line, render, values, Backoff, ChannelKind, Part, Severity};
use slipway_core::{escape, Clock, Escape};
use slipway_notify::{Email, Http, NotifyError, Post, Smtp, TlsMode};
use slipway_store::{ChannelRecord, Failure, OutboxRow, Person};
use ts_rs::TS;

use crate::dto::LinkDto;
use crate::error::ApiError;
use crate::time::rfc3339;
use crate::workspace::Workspace;

use super::channels::{read_secret, ChannelSecret};
use super::templates::Templates;

/// A notification for the desktop channel.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DesktopNoticeDto {
    /// The title line.
    pub title: String,
    /// The text.
    pub body: String,
    /// A `slipway://` link into the app.
    pub link: String,
    /// Where the link leads.
    pub target: Option<LinkDto>,
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

/// A message, rendered for one channel kind.
#[derive(Debug, Clone, Default)]
pub(crate) struct Message {
    pub(crate) subject: String,
    pub(crate) text: String,
    pub(crate) html: String,
    pub(crate) markdown: String,
    pub(crate) json: String,
    pub(crate) link: String,
    pub(crate) severity: String,
}

impl Message {
    pub(crate) fn render(
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
    pub(crate) fn digest(rows: &[&OutboxRow]) -> Message {
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
    pub(crate) message: String,
    pub(crate) permanent: bool,
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
pub(crate) struct Sender {
    pub(crate) http: Http,
    pub(crate) desktop: Option<DesktopSink>,
    pub(crate) timeout: Duration,
}

impl Sender {
    pub(crate) fn new(http: Http, desktop: Option<DesktopSink>) -> Sender {
        Sender {
            http,
            desktop,
            timeout: Duration::from_secs(10),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn send(
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
                    target: LinkDto::parse(&message.link),
                    severity: message.severity.clone(),
                });
            }
        }
        Ok(())
    }
}

/// A channel with its secret as read from the keychain (or why it could not be).
pub(crate) type ReadyChannel = (ChannelRecord, Result<ChannelSecret, SendError>);

/// One message to send: a delivery, or a digest of several.
pub(crate) struct Job {
    pub(crate) ids: Vec<i64>,
    pub(crate) channel: Arc<ReadyChannel>,
    pub(crate) recipient: String,
    pub(crate) message: Message,
    pub(crate) key: String,
    pub(crate) thread: String,
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

    /// Delivers everything due now, pass after pass, until a pass finds nothing (retries
    /// wait for their time and the next dispatcher): what `slipway outbox dispatch` and
    /// `slipway watch --once` do.
    pub async fn drain(&self, clock: &dyn Clock) -> Result<DispatchDto, ApiError> {
        let mut total = DispatchDto::default();
        loop {
            let pass = self.dispatch_once(clock).await?;
            if pass.delivered + pass.retrying + pass.dead == 0 {
                return Ok(total);
            }
            total.delivered += pass.delivered;
            total.retrying += pass.retrying;
            total.dead += pass.dead;
        }
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
    pub async fn run(self, clock: Arc<dyn Clock + Send + Sync>, stop: slipway_deploy::Cancel) {
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
