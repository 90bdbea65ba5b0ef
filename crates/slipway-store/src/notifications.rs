//! Notifications: channels, subscriptions, templates, and events — each written in the same
//! transaction as the act that causes it, with one outbox row per delivery (see `outbox`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use slipway_core::notify::{
    idempotency_key, route, undeliverable_reason, ChannelKind, Delivery, Event, EventKind, Part,
    Severity, Subscription,
};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::{Location, Store, StoreError};

/// The channel kind of an outbox entry no channel can deliver (an escalation to someone with
/// no subscription and no email channel to fall back on): stored dead, with the reason.
pub const UNDELIVERABLE: &str = "none";

/// The channel dispatchers are woken on (PostgreSQL).
pub(crate) const OUTBOX_CHANNEL: &str = "slipway_outbox";

/// A channel as stored: the secret part lives in the keychain under `secret_ref`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelRecord {
    /// Its number (0 before it is stored).
    pub id: i64,
    /// Its unique name (`release-mail`, `#releases`).
    pub name: String,
    /// How it delivers.
    pub kind: ChannelKind,
    /// What is not secret (SMTP host, port, TLS mode, user, sender).
    pub settings: BTreeMap<String, String>,
    /// The keychain entry holding its secret (password, webhook URL, signing key).
    pub secret_ref: Option<String>,
    /// When it was added (Unix seconds).
    pub created_at: i64,
    /// Who added it.
    pub created_by: String,
}

/// A workspace's wording of one part of one event kind's messages on one channel kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTemplate {
    /// The event kind.
    pub kind: EventKind,
    /// The channel kind.
    pub channel: ChannelKind,
    /// The part.
    pub part: Part,
    /// The template text.
    pub body: String,
    /// When it was saved (Unix seconds).
    pub updated_at: i64,
    /// Who saved it.
    pub updated_by: String,
}

pub(crate) const SEP_ENTRY: char = '\u{1e}';
pub(crate) const SEP_VALUE: char = '\u{1f}';

pub(crate) fn encode_map(map: &BTreeMap<String, String>) -> String {
    let clean = |s: &str| s.replace([SEP_ENTRY, SEP_VALUE], " ");
    map.iter()
        .map(|(k, v)| format!("{}{SEP_VALUE}{}", clean(k), clean(v)))
        .collect::<Vec<_>>()
        .join(&SEP_ENTRY.to_string())
}

pub(crate) fn decode_map(text: &str) -> BTreeMap<String, String> {
    text.split(SEP_ENTRY)
        .filter_map(|e| e.split_once(SEP_VALUE))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub(crate) fn channel_kind(word: &str) -> Result<ChannelKind, StoreError> {
    ChannelKind::parse(word).ok_or_else(|| StoreError::invalid("channel", format!("kind {word:?}")))
}

pub(crate) fn read_subscription(row: &AnyRow) -> Result<Subscription, StoreError> {
    let kinds: String = row.try_get("kinds")?;
    let severity: String = row.try_get("min_severity")?;
    let delivery: String = row.try_get("delivery")?;
    Ok(Subscription {
        id: row.try_get("id")?,
        person: row.try_get("person")?,
        channel: row.try_get("channel_id")?,
        project: row.try_get("project")?,
        environment: row.try_get("environment")?,
        kinds: crate::split_list(&kinds)
            .iter()
            .map(|k| {
                EventKind::parse(k)
                    .ok_or_else(|| StoreError::invalid("subscription", format!("kind {k:?}")))
            })
            .collect::<Result<_, _>>()?,
        min_severity: Severity::parse(&severity)
            .ok_or_else(|| StoreError::invalid("subscription", format!("severity {severity:?}")))?,
        delivery: Delivery::parse(&delivery).map_err(|e| StoreError::invalid("subscription", e))?,
    })
}

pub(crate) fn read_channel(row: &AnyRow) -> Result<ChannelRecord, StoreError> {
    let kind: String = row.try_get("kind")?;
    let settings: String = row.try_get("settings")?;
    Ok(ChannelRecord {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        kind: channel_kind(&kind)?,
        settings: decode_map(&settings),
        secret_ref: row.try_get("secret_ref")?,
        created_at: row.try_get("created_at")?,
        created_by: row.try_get("created_by")?,
    })
}

/// `$from, $from+1, …` for `n` values.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes `events` and their deliveries inside `tx`: each event once (an event with a
/// `once` key that exists already is skipped), routed by the subscriptions as they are in
/// this transaction. Returns how many deliveries were written. On PostgreSQL dispatchers are
/// woken when the transaction commits.
pub(crate) async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    events: &[Event],
    now_ms: i64,
) -> Result<usize, StoreError> {
    if events.is_empty() {
        return Ok(0);
    }
    // The events first: a write, so on SQLite this transaction holds the write lock before
    // it reads the subscriptions (a read first could not be upgraded once another
    // connection wrote).
    let mut stored = Vec::with_capacity(events.len());
    for event in events {
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO notification_events (kind, severity, project, environment, thread, title, \
             actor, at, escalate_to, vals, dedupe_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
        )
        .bind(event.kind.as_str())
        .bind(event.severity.as_str())
        .bind(&event.project)
        .bind(event.environment.clone())
        .bind(&event.thread)
        .bind(&event.title)
        .bind(&event.actor)
        .bind(event.at.timestamp())
        .bind(event.escalate_to.join(","))
        .bind(encode_map(&event.values))
        .bind(event.once.clone())
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(id) = id {
            stored.push((id, event));
        }
    }
    if stored.is_empty() {
        return Ok(0);
    }
    let subscriptions = sqlx::query(
        "SELECT id, person, channel_id, project, environment, kinds, min_severity, delivery \
         FROM subscriptions ORDER BY id",
    )
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(read_subscription)
    .collect::<Result<Vec<_>, _>>()?;
    let channels: BTreeMap<i64, (String, String)> =
        sqlx::query("SELECT id, name, kind FROM channels ORDER BY id")
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("id")?, (r.try_get("name")?, r.try_get("kind")?))))
            .collect::<Result<_, StoreError>>()?;
    let fallback = channels
        .iter()
        .find(|(_, (_, kind))| kind == "email")
        .map(|(id, _)| *id);
    let now = DateTime::<Utc>::from_timestamp_millis(now_ms).unwrap_or_default();
    let mut written = 0;
    for (event_id, event) in stored {
        let routing = route(event, &subscriptions, fallback, now);
        for who in &routing.unreachable {
            // A dead letter no retry can send, so the escalation is seen, not lost.
            let reason = undeliverable_reason(who);
            tracing::warn!(event = event_id, recipient = %who, "{reason}");
            sqlx::query(
                "INSERT INTO outbox (event_id, recipient, channel_id, channel_name, channel_kind, \
                 idempotency_key, digest, state, attempts, next_attempt_ms, last_error, created_ms) \
                 VALUES ($1, $2, 0, '', $3, $4, 0, 'dead', 0, $5, $6, $5)",
            )
            .bind(event_id)
            .bind(who)
            .bind(UNDELIVERABLE)
            .bind(idempotency_key(event_id, who, 0))
            .bind(now_ms)
            .bind(&reason)
            .execute(&mut **tx)
            .await?;
            written += 1;
        }
        for r in routing.routes {
            let Some((name, kind)) = channels.get(&r.channel) else {
                continue;
            };
            sqlx::query(
                "INSERT INTO outbox (event_id, recipient, channel_id, channel_name, channel_kind, \
                 idempotency_key, digest, state, attempts, next_attempt_ms, created_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $9)",
            )
            .bind(event_id)
            .bind(&r.recipient)
            .bind(r.channel)
            .bind(name)
            .bind(kind)
            .bind(idempotency_key(event_id, &r.recipient, r.channel))
            .bind(i64::from(r.digest))
            .bind(r.due.timestamp_millis())
            .bind(now_ms)
            .execute(&mut **tx)
            .await?;
            written += 1;
        }
    }
    if tx.backend_name() == "PostgreSQL" && written > 0 {
        sqlx::query("SELECT pg_notify($1, '')")
            .bind(OUTBOX_CHANNEL)
            .execute(&mut **tx)
            .await?;
    }
    Ok(written)
}

impl Store {
    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self.location, Location::Postgres(_))
    }

    /// Writes `events` and their deliveries in one transaction of their own (for events that
    /// are not part of another act: a sign-off wait a watcher noticed, a test). Returns how
    /// many deliveries were written.
    pub async fn notify(&self, events: &[Event], now_ms: i64) -> Result<usize, StoreError> {
        let mut tx = self.pool.begin().await?;
        let n = enqueue(&mut tx, events, now_ms).await?;
        tx.commit().await?;
        self.outbox_poke();
        Ok(n)
    }

    /// Adds a channel; a name in use is refused.
    pub async fn add_channel(&self, channel: &ChannelRecord) -> Result<i64, StoreError> {
        if self.channel(&channel.name).await?.is_some() {
            return Err(StoreError::Exists {
                what: "channel",
                name: channel.name.clone(),
            });
        }
        // Another process may add the same name between the look and the insert: its unique
        // key refuses this one, which is the same answer as the look's.
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO channels (name, kind, settings, secret_ref, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&channel.name)
        .bind(channel.kind.as_str())
        .bind(encode_map(&channel.settings))
        .bind(channel.secret_ref.clone())
        .bind(channel.created_at)
        .bind(&channel.created_by)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| match crate::error::is_unique_violation(&e) {
            true => StoreError::Exists {
                what: "channel",
                name: channel.name.clone(),
            },
            false => e.into(),
        })?;
        Ok(id)
    }

    /// Every channel, by name.
    pub async fn channels(&self) -> Result<Vec<ChannelRecord>, StoreError> {
        sqlx::query("SELECT * FROM channels ORDER BY name")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(read_channel)
            .collect()
    }

    /// The channel named `name`.
    pub async fn channel(&self, name: &str) -> Result<Option<ChannelRecord>, StoreError> {
        sqlx::query("SELECT * FROM channels WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(read_channel)
            .transpose()
    }

    /// The channel numbered `id`.
    pub async fn channel_by_id(&self, id: i64) -> Result<Option<ChannelRecord>, StoreError> {
        sqlx::query("SELECT * FROM channels WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(read_channel)
            .transpose()
    }

    /// Removes a channel and its subscriptions; its deliveries not yet made are cancelled
    /// (kept, with the reason). Returns the removed channel.
    pub async fn remove_channel(&self, name: &str) -> Result<Option<ChannelRecord>, StoreError> {
        let Some(channel) = self.channel(name).await? else {
            return Ok(None);
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE outbox SET state = 'cancelled', last_error = 'the channel was removed' \
             WHERE channel_id = $1 AND state IN ('pending', 'sending')",
        )
        .bind(channel.id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM subscriptions WHERE channel_id = $1")
            .bind(channel.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM channels WHERE id = $1")
            .bind(channel.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(channel))
    }

    /// Adds a subscription (its channel must exist); returns its number.
    pub async fn add_subscription(
        &self,
        s: &Subscription,
        created_at: i64,
    ) -> Result<i64, StoreError> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO subscriptions (person, channel_id, project, environment, kinds, \
             min_severity, delivery, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&s.person)
        .bind(s.channel)
        .bind(s.project.clone())
        .bind(s.environment.clone())
        .bind(
            s.kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(","),
        )
        .bind(s.min_severity.as_str())
        .bind(s.delivery.describe())
        .bind(created_at)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// Every subscription, oldest first.
    pub async fn subscriptions(&self) -> Result<Vec<Subscription>, StoreError> {
        sqlx::query(
            "SELECT id, person, channel_id, project, environment, kinds, min_severity, delivery \
             FROM subscriptions ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(read_subscription)
        .collect()
    }

    /// Removes a subscription; false when there was none.
    pub async fn remove_subscription(&self, id: i64) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM subscriptions WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Saves a template (replacing the workspace's earlier one).
    pub async fn set_template(&self, t: &StoredTemplate) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "DELETE FROM notification_templates WHERE kind = $1 AND channel_kind = $2 AND part = $3",
        )
        .bind(t.kind.as_str())
        .bind(t.channel.as_str())
        .bind(t.part.as_str())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO notification_templates (kind, channel_kind, part, body, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(t.kind.as_str())
        .bind(t.channel.as_str())
        .bind(t.part.as_str())
        .bind(&t.body)
        .bind(t.updated_at)
        .bind(&t.updated_by)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Goes back to the built-in template; false when there was no own one.
    pub async fn reset_template(
        &self,
        kind: EventKind,
        channel: ChannelKind,
        part: Part,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "DELETE FROM notification_templates WHERE kind = $1 AND channel_kind = $2 AND part = $3",
        )
        .bind(kind.as_str())
        .bind(channel.as_str())
        .bind(part.as_str())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The workspace's own templates.
    pub async fn templates(&self) -> Result<Vec<StoredTemplate>, StoreError> {
        sqlx::query("SELECT * FROM notification_templates ORDER BY kind, channel_kind, part")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                let channel: String = row.try_get("channel_kind")?;
                let part: String = row.try_get("part")?;
                Ok(StoredTemplate {
                    kind: EventKind::parse(&kind)
                        .ok_or_else(|| StoreError::invalid("template", format!("kind {kind:?}")))?,
                    channel: channel_kind(&channel)?,
                    part: Part::parse(&part)
                        .ok_or_else(|| StoreError::invalid("template", format!("part {part:?}")))?,
                    body: row.try_get("body")?,
                    updated_at: row.try_get("updated_at")?,
                    updated_by: row.try_get("updated_by")?,
                })
            })
            .collect()
    }
}
