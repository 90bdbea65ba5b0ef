//! The outbox: one row per delivery, claimed by any number of dispatchers (on PostgreSQL
//! with `FOR UPDATE SKIP LOCKED`, so two never hold the same row), each delivery's end
//! recorded, dead letters retried, and counts for the outbox page.

use chrono::{DateTime, Utc};
use slipway_core::notify::{ChannelKind, Event, EventKind, Severity};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::notifications::{channel_kind, decode_map, placeholders};
use crate::{Store, StoreError};

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
    /// The channel's kind; `None` for an undeliverable entry (no channel reaches its
    /// recipient: it is stored dead with the reason, and no retry sends it).
    pub channel_kind: Option<ChannelKind>,
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

/// Deliveries of one channel kind in one state (see [`Store::delivery_counts`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryCount {
    /// The channel kind; `None` for undeliverable entries.
    pub channel_kind: Option<ChannelKind>,
    /// Where they stand.
    pub state: OutboxState,
    /// How many.
    pub deliveries: i64,
    /// Their attempts that failed.
    pub failed_attempts: i64,
}

/// How a failed attempt ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Try again at this time (Unix milliseconds).
    RetryAt(i64),
    /// Give up: dead-lettered.
    Dead,
}

pub(crate) const OUTBOX_COLUMNS: &str =
    "o.id, o.event_id, o.recipient, o.channel_id, o.channel_name, \
    o.channel_kind, o.idempotency_key, o.digest, o.state, o.attempts, o.next_attempt_ms, \
    o.last_error, o.created_ms, o.sent_ms, e.kind, e.severity, e.project, e.environment, \
    e.thread, e.title, e.actor, e.at, e.escalate_to, e.vals, e.dedupe_key";

pub(crate) fn read_outbox(row: &AnyRow) -> Result<OutboxRow, StoreError> {
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
        channel_kind: match channel.as_str() {
            crate::notifications::UNDELIVERABLE => None,
            other => Some(channel_kind(other)?),
        },
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

impl Store {
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

    /// The deliveries of the events in `thread` (one promotion, one request), oldest first:
    /// who was told what, when.
    pub async fn outbox_of_thread(&self, thread: &str) -> Result<Vec<OutboxRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox o JOIN notification_events e ON e.id = o.event_id \
             WHERE e.thread = $1 ORDER BY o.id LIMIT 500"
        ))
        .bind(thread)
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

    /// Every delivery ever written, counted by channel kind (`None`: undeliverable, no
    /// channel reaches its recipient) and state, with the attempts that failed: all of a
    /// row's attempts but the one that delivered it, or the one a dispatcher is making.
    pub async fn delivery_counts(&self) -> Result<Vec<DeliveryCount>, StoreError> {
        let rows = sqlx::query(
            "SELECT channel_kind, state, COUNT(*) AS n, \
             CAST(COALESCE(SUM(CASE WHEN state IN ('sent', 'sending') AND attempts > 0 THEN attempts - 1 ELSE attempts END), 0) AS BIGINT) AS failed \
             FROM outbox GROUP BY channel_kind, state ORDER BY channel_kind, state",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("channel_kind")?;
                let state: String = r.try_get("state")?;
                Ok(DeliveryCount {
                    channel_kind: match kind.as_str() {
                        crate::notifications::UNDELIVERABLE => None,
                        other => Some(channel_kind(other)?),
                    },
                    state: OutboxState::parse(&state).ok_or_else(|| {
                        StoreError::invalid("outbox row", format!("state {state:?}"))
                    })?,
                    deliveries: r.try_get("n")?,
                    failed_attempts: r.try_get("failed")?,
                })
            })
            .collect()
    }

    /// Puts a dead-lettered delivery back in line (attempts start again); false when `id` is
    /// not dead.
    pub async fn retry_delivery(&self, id: i64, now_ms: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_ms = $1 \
             WHERE id = $2 AND state = 'dead' AND channel_kind <> $3",
        )
        .bind(now_ms)
        .bind(id)
        .bind(crate::notifications::UNDELIVERABLE)
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

    /// Waits until this process changed a request or made an audited act, or `timeout`
    /// passes (on PostgreSQL, [`Store::listen`] hears other processes' too).
    pub async fn changed(&self, timeout: std::time::Duration) {
        let _ = tokio::time::timeout(timeout, self.changes_signal.notified()).await;
    }

    /// Tells this process's watchers that requests or settings changed.
    pub(crate) fn changes_poke(&self) {
        self.changes_signal.notify_waiters();
        self.changes_signal.notify_one();
    }

    /// Tells this process's dispatchers that deliveries were written.
    pub(crate) fn outbox_poke(&self) {
        // Wake every dispatcher waiting now, and leave a permit for one that is about to.
        self.outbox_signal.notify_waiters();
        self.outbox_signal.notify_one();
    }
}
