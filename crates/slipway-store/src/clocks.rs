use std::collections::HashMap;

use sqlx::Row;

use crate::{Store, StoreError};

/// A threshold a clock crossed, stored exactly once per clock and threshold for the
/// notification system to deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockEvent {
    /// Its number (0 before it is stored).
    pub id: i64,
    /// The clock (`cr/12/approve`, `age/payments/staging/<sha>`).
    pub clock_key: String,
    /// The threshold (`warn-50`, `breach`, `repeat-2`).
    pub threshold: String,
    /// When the clock reached it (Unix seconds; may be before it was noticed).
    pub crossed_at: i64,
    /// When a watcher noticed it.
    pub recorded_at: i64,
    /// Which watcher (host and process) noticed it.
    pub recorded_by: String,
    /// The project.
    pub project: String,
    /// The change request, for SLA clocks.
    pub request_id: Option<i64>,
    /// The environment, for aging clocks.
    pub environment: Option<String>,
    /// The waiting change, for aging clocks.
    pub sha: Option<String>,
    /// One line saying what happened.
    pub summary: String,
    /// Who is to be told (escalation chain, resolved).
    pub recipients: Vec<String>,
    /// When it was delivered (by the notification dispatcher).
    pub delivered_at: Option<i64>,
}

impl Store {
    /// Stores `event` unless this clock's threshold is stored already (by this or any other
    /// watcher). Returns whether it was new.
    /// `notify` is written to the outbox in the same transaction, only when it was new.
    pub async fn record_clock_event(
        &self,
        event: &ClockEvent,
        notify: &[slipway_core::notify::Event],
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO clock_events (clock_key, threshold, crossed_at, recorded_at, recorded_by, project, \
             request_id, environment, sha, summary, recipients) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (clock_key, threshold) DO NOTHING RETURNING id",
        )
        .bind(&event.clock_key)
        .bind(&event.threshold)
        .bind(event.crossed_at)
        .bind(event.recorded_at)
        .bind(&event.recorded_by)
        .bind(&event.project)
        .bind(event.request_id)
        .bind(event.environment.clone())
        .bind(event.sha.clone())
        .bind(&event.summary)
        .bind(event.recipients.join(","))
        .fetch_optional(&mut *tx)
        .await?;
        if id.is_some() {
            crate::notifications::enqueue(&mut tx, notify, event.recorded_at.saturating_mul(1000))
                .await?;
        }
        tx.commit().await?;
        self.outbox_poke();
        Ok(id.is_some())
    }

    /// Stored clock events, newest first (at most `limit`).
    pub async fn clock_events(&self, limit: i64) -> Result<Vec<ClockEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, clock_key, threshold, crossed_at, recorded_at, recorded_by, project, request_id, \
             environment, sha, summary, recipients, delivered_at FROM clock_events \
             ORDER BY crossed_at DESC, id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let recipients: String = row.try_get("recipients")?;
                Ok(ClockEvent {
                    id: row.try_get("id")?,
                    clock_key: row.try_get("clock_key")?,
                    threshold: row.try_get("threshold")?,
                    crossed_at: row.try_get("crossed_at")?,
                    recorded_at: row.try_get("recorded_at")?,
                    recorded_by: row.try_get("recorded_by")?,
                    project: row.try_get("project")?,
                    request_id: row.try_get("request_id")?,
                    environment: row.try_get("environment")?,
                    sha: row.try_get("sha")?,
                    summary: row.try_get("summary")?,
                    recipients: crate::split_list(&recipients),
                    delivered_at: row.try_get("delivered_at")?,
                })
            })
            .collect()
    }

    /// Records that `by` acknowledged the clock `key` at `at` (the first acknowledgement counts).
    pub async fn acknowledge_clock(&self, key: &str, by: &str, at: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO clock_acks (clock_key, by_whom, at) VALUES ($1, $2, $3) \
             ON CONFLICT (clock_key) DO NOTHING",
        )
        .bind(key)
        .bind(by)
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every acknowledged clock: key → (by whom, when).
    pub async fn clock_acks(&self) -> Result<HashMap<String, (String, i64)>, StoreError> {
        let rows = sqlx::query("SELECT clock_key, by_whom, at FROM clock_acks")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get("clock_key")?,
                    (row.try_get("by_whom")?, row.try_get("at")?),
                ))
            })
            .collect()
    }
}
