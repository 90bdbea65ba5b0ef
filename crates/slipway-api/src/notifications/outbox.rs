//! The outbox as people see it: deliveries, dead letters, and retrying one.

use serde::Serialize;
use slipway_core::Clock;
use slipway_store::{OutboxRow, OutboxState};
use ts_rs::TS;

use crate::error::{invalid, ApiError, ErrorCode};
use crate::time::ms_time;
use crate::workspace::Workspace;

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
    /// No channel reaches the recipient (an escalation with no subscription and no email
    /// channel): stored dead with the reason in `last_error`; no retry can send it.
    pub undeliverable: bool,
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

pub(crate) fn delivery_dto(r: &OutboxRow) -> DeliveryDto {
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
        channel_kind: r
            .channel_kind
            .map_or(slipway_store::UNDELIVERABLE, |k| k.as_str())
            .into(),
        state: r.state.as_str().into(),
        digest: r.digest,
        attempts: r.attempts,
        last_error: r.last_error.clone(),
        next_attempt_at: ms_time(r.next_attempt_ms),
        created_at: ms_time(r.created_ms),
        sent_at: r.sent_ms.map(ms_time).unwrap_or_default(),
        idempotency_key: r.idempotency_key.clone(),
        undeliverable: r.channel_kind.is_none(),
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
        let undeliverable = ws
            .store()
            .outbox(Some(slipway_store::OutboxState::Dead), 10_000)
            .await?
            .into_iter()
            .find(|r| r.id == id && r.channel_kind.is_none());
        return Err(ApiError::new(
            ErrorCode::NotAllowed,
            match undeliverable {
                Some(r) => format!(
                    "Delivery #{id} has no channel to retry: {}. Nothing was changed.",
                    r.last_error
                ),
                None => {
                    format!("Delivery #{id} is not a dead letter; only those are retried by hand.")
                }
            },
        ));
    }
    Ok(())
}
