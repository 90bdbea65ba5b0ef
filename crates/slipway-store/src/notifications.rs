//! Notifications: channels, subscriptions, templates and the outbox. An event is written in
//! the same transaction as the act that causes it, with one outbox row per delivery; any
//! number of dispatchers claim due rows (on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so two
//! never hold the same row) and report each delivery's end.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use slipway_core::notify::{
    idempotency_key, route, ChannelKind, Delivery, Event, EventKind, Part, Severity, Subscription,
};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::{Location, Store, StoreError};

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

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxState {
    /// Waiting to be sent (or to be tried again).
    Pending,
    /// Claimed by a dispatcher.
    Sending,
    /// Delivered.
    Sent,
    /// Given up on after too many failures, or refused for good; can be retried by hand.
    Dead,
    /// No longer wanted (the clock was acknowledged, the channel removed).
    Cancelled,
}

impl OutboxState {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Sending => "sending",
            OutboxState::Sent => "sent",
            OutboxState::Dead => "dead",
            OutboxState::Cancelled => "cancelled",
        }
    }

    /// Reads the stored word.
    pub fn parse(word: &str) -> Option<OutboxState> {
        [
            OutboxState::Pending,
            OutboxState::Sending,
            OutboxState::Sent,
            OutboxState::Dead,
            OutboxState::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == word)
    }
}

/// One delivery, with the event it delivers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    /// Its number.
    pub id: i64,
    /// The event's number.
    pub event_id: i64,
    /// The event.
    pub event: Event,
    /// Who it is for.
    pub recipient: String,
    /// The channel's number.
    pub channel_id: i64,
    /// The channel's name when the delivery was made.
    pub channel_name: String,
    /// The channel's kind.
    pub channel_kind: ChannelKind,
    /// Sent with every attempt, so receivers can drop repeats.
    pub idempotency_key: String,
    /// Whether it waits for a daily digest.
    pub digest: bool,
    /// Where it stands.
    pub state: OutboxState,
    /// Attempts made so far.
    pub attempts: u32,
    /// When it may be tried (next), Unix milliseconds.
    pub next_attempt_ms: i64,
    /// The last attempt's error, or empty.
    pub last_error: String,
    /// When it was written, Unix milliseconds.
    pub created_ms: i64,
    /// When it was delivered, Unix milliseconds.
    pub sent_ms: Option<i64>,
}

/// How a failed attempt ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Try again at this time (Unix milliseconds).
    RetryAt(i64),
    /// Give up: dead-lettered.
    Dead,
}

const SEP_ENTRY: char = '\u{1e}';
const SEP_VALUE: char = '\u{1f}';

fn encode_map(map: &BTreeMap<String, String>) -> String {
    let clean = |s: &str| s.replace([SEP_ENTRY, SEP_VALUE], " ");
    map.iter()
        .map(|(k, v)| format!("{}{SEP_VALUE}{}", clean(k), clean(v)))
        .collect::<Vec<_>>()
        .join(&SEP_ENTRY.to_string())
}

fn decode_map(text: &str) -> BTreeMap<String, String> {
    text.split(SEP_ENTRY)
        .filter_map(|e| e.split_once(SEP_VALUE))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn channel_kind(word: &str) -> Result<ChannelKind, StoreError> {
    ChannelKind::parse(word).ok_or_else(|| StoreError::invalid("channel", format!("kind {word:?}")))
}

fn read_subscription(row: &AnyRow) -> Result<Subscription, StoreError> {
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

fn read_channel(row: &AnyRow) -> Result<ChannelRecord, StoreError> {
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

const OUTBOX_COLUMNS: &str = "o.id, o.event_id, o.recipient, o.channel_id, o.channel_name, \
    o.channel_kind, o.idempotency_key, o.digest, o.state, o.attempts, o.next_attempt_ms, \
    o.last_error, o.created_ms, o.sent_ms, e.kind, e.severity, e.project, e.environment, \
    e.thread, e.title, e.actor, e.at, e.escalate_to, e.vals, e.dedupe_key";

fn read_outbox(row: &AnyRow) -> Result<OutboxRow, StoreError> {
    let kind: String = row.try_get("kind")?;
    let severity: String = row.try_get("severity")?;
    let channel: String = row.try_get("channel_kind")?;
    let state: String = row.try_get("state")?;
    let at: i64 = row.try_get("at")?;
    let escalate_to: String = row.try_get("escalate_to")?;
    let vals: String = row.try_get("vals")?;
    let digest: i64 = row.try_get("digest")?;
    let attempts: i64 = row.try_get("attempts")?;
    let event = Event {
        kind: EventKind::parse(&kind)
            .ok_or_else(|| StoreError::invalid("event", format!("kind {kind:?}")))?,
        severity: Severity::parse(&severity)
            .ok_or_else(|| StoreError::invalid("event", format!("severity {severity:?}")))?,
        project: row.try_get("project")?,
        environment: row.try_get("environment")?,
        thread: row.try_get("thread")?,
        title: row.try_get("title")?,
        actor: row.try_get("actor")?,
        at: DateTime::<Utc>::from_timestamp(at, 0).unwrap_or_default(),
        escalate_to: crate::split_list(&escalate_to),
        values: decode_map(&vals),
        once: row.try_get("dedupe_key")?,
    };
    Ok(OutboxRow {
        id: row.try_get("id")?,
        event_id: row.try_get("event_id")?,
        event,
        recipient: row.try_get("recipient")?,
        channel_id: row.try_get("channel_id")?,
        channel_name: row.try_get("channel_name")?,
        channel_kind: channel_kind(&channel)?,
        idempotency_key: row.try_get("idempotency_key")?,
        digest: digest != 0,
        state: OutboxState::parse(&state)
            .ok_or_else(|| StoreError::invalid("outbox row", format!("state {state:?}")))?,
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        next_attempt_ms: row.try_get("next_attempt_ms")?,
        last_error: row.try_get("last_error")?,
        created_ms: row.try_get("created_ms")?,
        sent_ms: row.try_get("sent_ms")?,
    })
}

/// `$from, $from+1, …` for `n` values.
fn placeholders(from: usize, n: usize) -> String {
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
        for r in route(event, &subscriptions, fallback, now) {
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
        .await?;
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

    /// Claims up to `limit` due deliveries for dispatcher `by` until `now_ms + lease_ms`:
    /// pending ones whose time has come, and ones another dispatcher claimed but did not
    /// finish within its lease (it died). Immediate deliveries come oldest first; digests
    /// whose time has come follow, grouped by recipient and channel.
    /// Desktop deliveries are claimed only by a dispatcher that can show them (`desktop`).
    pub async fn claim(
        &self,
        by: &str,
        now_ms: i64,
        lease_ms: i64,
        limit: i64,
        desktop: bool,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        let lock = if self.is_postgres() {
            "FOR UPDATE SKIP LOCKED"
        } else {
            ""
        };
        let desktop_filter = if desktop {
            ""
        } else {
            "AND channel_kind <> 'desktop'"
        };
        let due = "((state = 'pending' AND next_attempt_ms <= $3) \
                   OR (state = 'sending' AND claimed_until_ms < $3))";
        let claimed: Vec<i64> = sqlx::query_scalar(&format!(
            "UPDATE outbox SET state = 'sending', claimed_by = $1, claimed_until_ms = $2 \
             WHERE id IN (SELECT id FROM outbox WHERE {due} {desktop_filter} \
             ORDER BY digest, CASE WHEN digest = 0 THEN id ELSE 0 END, recipient, channel_id, id \
             LIMIT $4 {lock}) RETURNING id"
        ))
        .bind(by)
        .bind(now_ms + lease_ms)
        .bind(now_ms)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        self.outbox_rows(&claimed).await
    }

    async fn outbox_rows(&self, ids: &[i64]) -> Result<Vec<OutboxRow>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT {OUTBOX_COLUMNS} FROM outbox o JOIN notification_events e ON e.id = o.event_id \
                 WHERE o.id IN ({}) ORDER BY o.id",
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for row in q.fetch_all(&self.pool).await? {
                out.push(read_outbox(&row)?);
            }
        }
        Ok(out)
    }

    /// Records deliveries made by dispatcher `by`. A row another dispatcher has claimed since
    /// (this one's lease ran out) is left to it. Returns how many were recorded.
    pub async fn delivered(&self, ids: &[i64], by: &str, now_ms: i64) -> Result<u64, StoreError> {
        let mut n = 0;
        for chunk in ids.chunks(500) {
            let sql = format!(
                "UPDATE outbox SET state = 'sent', sent_ms = $1, attempts = attempts + 1, \
                 last_error = '', claimed_by = NULL, claimed_until_ms = NULL \
                 WHERE claimed_by = $2 AND state = 'sending' AND id IN ({})",
                placeholders(3, chunk.len())
            );
            let mut q = sqlx::query(&sql).bind(now_ms).bind(by);
            for id in chunk {
                q = q.bind(*id);
            }
            n += q.execute(&self.pool).await?.rows_affected();
        }
        Ok(n)
    }

    /// Records a failed attempt: tried again later, or dead-lettered.
    pub async fn failed(
        &self,
        id: i64,
        by: &str,
        error: &str,
        then: &Failure,
    ) -> Result<bool, StoreError> {
        let (state, next) = match then {
            Failure::RetryAt(at) => ("pending", Some(*at)),
            Failure::Dead => ("dead", None),
        };
        let done = sqlx::query(
            "UPDATE outbox SET state = $1, next_attempt_ms = COALESCE($2, next_attempt_ms), \
             attempts = attempts + 1, last_error = $3, claimed_by = NULL, claimed_until_ms = NULL \
             WHERE id = $4 AND claimed_by = $5 AND state = 'sending'",
        )
        .bind(state)
        .bind(next)
        .bind(error)
        .bind(id)
        .bind(by)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Deliveries, newest first: all, or those in `state` (at most `limit`).
    pub async fn outbox(
        &self,
        state: Option<OutboxState>,
        limit: i64,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox o JOIN notification_events e ON e.id = o.event_id \
             WHERE $2 = '' OR o.state = $2 ORDER BY o.id DESC LIMIT $1"
        ))
        .bind(limit)
        .bind(state.map_or("", |s| s.as_str()))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(read_outbox).collect()
    }

    /// How many deliveries are in each state.
    pub async fn outbox_counts(&self) -> Result<Vec<(OutboxState, i64)>, StoreError> {
        let rows = sqlx::query("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let state: String = r.try_get("state")?;
                Ok((
                    OutboxState::parse(&state).ok_or_else(|| {
                        StoreError::invalid("outbox row", format!("state {state:?}"))
                    })?,
                    r.try_get("n")?,
                ))
            })
            .collect()
    }

    /// Puts a dead-lettered delivery back in line (attempts start again); false when `id` is
    /// not dead.
    pub async fn retry_delivery(&self, id: i64, now_ms: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_ms = $1 \
             WHERE id = $2 AND state = 'dead'",
        )
        .bind(now_ms)
        .bind(id)
        .execute(&self.pool)
        .await?;
        self.outbox_poke();
        Ok(done.rows_affected() > 0)
    }

    /// Cancels the deliveries not yet made of events whose `once` key starts with `prefix`
    /// (an acknowledged clock stops its reminders). Returns how many.
    pub async fn cancel_deliveries(&self, prefix: &str, reason: &str) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE outbox SET state = 'cancelled', last_error = $1 \
             WHERE state = 'pending' AND event_id IN (SELECT id FROM notification_events \
             WHERE substr(dedupe_key, 1, length($2)) = $2)",
        )
        .bind(reason)
        .bind(prefix)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// Waits until deliveries may have been written by this process, or `timeout` passes.
    pub async fn outbox_written(&self, timeout: std::time::Duration) {
        let _ = tokio::time::timeout(timeout, self.outbox_signal.notified()).await;
    }

    /// Tells this process's dispatchers that deliveries were written.
    pub(crate) fn outbox_poke(&self) {
        // Wake every dispatcher waiting now, and leave a permit for one that is about to.
        self.outbox_signal.notify_waiters();
        self.outbox_signal.notify_one();
    }
}
