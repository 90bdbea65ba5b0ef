use chrono::{DateTime, TimeZone, Utc};
use slipway_core::{Entry, Opening, RequestEvent, RequestState};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::{Store, StoreError};

/// A stored change request: its id, the number of events in its log, and the log itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRequest {
    /// Its number.
    pub id: i64,
    /// Its event log, oldest first; the first entry is the opening.
    pub log: Vec<Entry>,
}

/// Which requests a read wants.
#[derive(Clone, Copy)]
enum Only {
    /// This one.
    Id(i64),
    /// Those not closed, rejected or cancelled.
    Open,
    /// Those open, or ended at or after this Unix second.
    EndedSince(i64),
    /// Every one.
    All,
}

pub(crate) fn to_time(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(seconds, 0).single().unwrap_or_default()
}

fn invalid(reason: String) -> StoreError {
    StoreError::Invalid {
        what: "change request event",
        reason,
    }
}

impl Store {
    /// Stores a new request from its log (the opening, and what came with it, such as its
    /// linked changes), standing in `state`, in one transaction; returns its number.
    ///
    /// `notify` gives the events to tell of, given the request's number; they are written to
    /// the outbox in the same transaction.
    pub async fn open_request(
        &self,
        log: &[Entry],
        state: RequestState,
        notify: &(dyn Fn(i64) -> Vec<slipway_core::notify::Event> + Sync),
    ) -> Result<i64, StoreError> {
        let Some(entry) = log.first() else {
            return Err(invalid("a request starts with its opening".into()));
        };
        let RequestEvent::Opened(o) = &entry.event else {
            return Err(invalid("a request starts with its opening".into()));
        };
        let mut tx = self.pool.begin().await?;
        let project: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE name = $1")
            .bind(&o.project)
            .fetch_optional(&mut *tx)
            .await?;
        let project = project.ok_or_else(|| StoreError::ProjectMissing(o.project.clone()))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO change_requests (project_id, kind, severity, title, description, requester, \
             assignee, target_environment, opened_at, opened_by, state, events) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1) RETURNING id",
        )
        .bind(project)
        .bind(o.kind.as_str())
        .bind(o.severity.as_str())
        .bind(&o.title)
        .bind(&o.description)
        .bind(&o.requester)
        .bind(o.assignee.clone())
        .bind(o.target_environment.clone())
        .bind(entry.at.timestamp())
        .bind(&entry.actor)
        .bind(RequestState::Draft.as_str())
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO request_events (request_id, seq, at, actor, kind) VALUES ($1, 0, $2, $3, 'opened')",
        )
        .bind(id)
        .bind(entry.at.timestamp())
        .bind(&entry.actor)
        .execute(&mut *tx)
        .await?;
        for (seq, entry) in log.iter().enumerate().skip(1) {
            let last = seq + 1 == log.len();
            let now = if last { state } else { RequestState::Draft };
            append(&mut tx, id, seq as i64, entry, now).await?;
        }
        crate::listen::announce(&mut tx, &format!("request {id}")).await?;
        let events = notify(id);
        let now_ms = entry.at.timestamp_millis();
        crate::notifications::enqueue(&mut tx, &events, now_ms).await?;
        tx.commit().await?;
        self.outbox_poke();
        self.changes_poke();
        Ok(id)
    }

    /// Appends `entry` as event number `seq` of request `id`, which then stands in `state`.
    ///
    /// `seq` is the length of the log the caller checked the entry against: if someone else
    /// appended in the meantime, nothing is written and [`StoreError::RequestMoved`] says so.
    /// `events` are written to the outbox in the same transaction.
    pub async fn append_request_event(
        &self,
        id: i64,
        seq: i64,
        entry: &Entry,
        state: RequestState,
        events: &[slipway_core::notify::Event],
    ) -> Result<(), StoreError> {
        self.append_request_event_opening(id, seq, entry, state, events, None)
            .await
            .map(|_| ())
    }

    /// [`Store::append_request_event`], opening `follow_up` (project, environment, what) in
    /// the same transaction: an emergency request's close opens its postmortem. Returns the
    /// follow-up's number.
    pub async fn append_request_event_opening(
        &self,
        id: i64,
        seq: i64,
        entry: &Entry,
        state: RequestState,
        events: &[slipway_core::notify::Event],
        follow_up: Option<(&str, &str, &crate::NewFollowUp)>,
    ) -> Result<Option<i64>, StoreError> {
        let project_id = match follow_up {
            Some((project, _, _)) => Some(self.project_id(project).await?),
            None => None,
        };
        let mut tx = self.pool.begin().await?;
        append(&mut tx, id, seq, entry, state).await?;
        crate::notifications::enqueue(&mut tx, events, entry.at.timestamp_millis()).await?;
        let mut opened = None;
        if let (Some((_, environment, new)), Some(project_id)) = (follow_up, project_id) {
            opened = Some(
                crate::follow_ups::insert_follow_up(
                    &mut tx,
                    project_id,
                    environment,
                    None,
                    new,
                    &entry.actor,
                    entry.at.timestamp(),
                )
                .await?,
            );
        }
        tx.commit().await?;
        self.outbox_poke();
        self.changes_poke();
        Ok(opened)
    }

    /// One request's log.
    pub async fn request(&self, id: i64) -> Result<StoredRequest, StoreError> {
        self.load_requests(Only::Id(id))
            .await?
            .pop()
            .ok_or(StoreError::RequestMissing(id))
    }

    /// Every request (or only those not closed, rejected or cancelled), by number.
    pub async fn requests(&self, open_only: bool) -> Result<Vec<StoredRequest>, StoreError> {
        let only = match open_only {
            true => Only::Open,
            false => Only::All,
        };
        self.load_requests(only).await
    }

    /// The requests open now or ended at or after `since` (a watcher's look-back), by
    /// number: what a clock pass needs, read through an index, so closed history is never
    /// read again however long it grows.
    pub async fn live_requests(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<StoredRequest>, StoreError> {
        self.load_requests(Only::EndedSince(since.timestamp()))
            .await
    }

    async fn load_requests(&self, only: Only) -> Result<Vec<StoredRequest>, StoreError> {
        let filter = match only {
            Only::Id(_) => "WHERE r.id = $1",
            Only::Open => "WHERE r.state NOT IN ('closed', 'rejected', 'cancelled')",
            // Two index searches: an `OR` here made SQLite scan every request.
            Only::EndedSince(_) => {
                "WHERE r.id IN (SELECT id FROM change_requests WHERE ended_at IS NULL \
                 UNION ALL SELECT id FROM change_requests WHERE ended_at >= $1)"
            }
            Only::All => "",
        };
        let sql = format!(
            "SELECT r.id, p.name AS project, r.kind, r.severity, r.title, r.description, r.requester, \
             r.assignee, r.target_environment FROM change_requests r \
             JOIN projects p ON p.id = r.project_id {filter} ORDER BY r.id"
        );
        let mut heads = sqlx::query(&sql);
        if let Only::Id(n) | Only::EndedSince(n) = only {
            heads = heads.bind(n);
        }
        let heads = heads.fetch_all(&self.pool).await?;
        if heads.is_empty() {
            return Ok(Vec::new());
        }
        // Events by the ids just read, not by state: a request closed between the two reads
        // comes back whole (and closed) instead of without its log.
        let ids: Vec<String> = heads
            .iter()
            .map(|h| h.try_get::<i64, _>("id").map(|id| id.to_string()))
            .collect::<Result<_, _>>()?;
        let events = sqlx::query(&format!(
            "SELECT request_id, at, actor, kind, role, reason, environment, sha \
             FROM request_events WHERE request_id IN ({}) ORDER BY request_id, seq",
            ids.join(",")
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<StoredRequest> = Vec::with_capacity(heads.len());
        let mut openings = std::collections::HashMap::new();
        for head in heads {
            let id: i64 = head.try_get("id")?;
            openings.insert(id, opening(&head)?);
            out.push(StoredRequest {
                id,
                log: Vec::new(),
            });
        }
        let mut at = 0;
        for row in events {
            let id: i64 = row.try_get("request_id")?;
            while out.get(at).is_some_and(|r| r.id != id) {
                at += 1;
            }
            let Some(request) = out.get_mut(at) else {
                break;
            };
            let event = event(&row, || openings.remove(&id))?;
            request.log.push(Entry {
                at: to_time(row.try_get("at")?),
                actor: row.try_get("actor")?,
                event,
            });
        }
        Ok(out)
    }
}

/// Appends `entry` as event `seq` of request `id` inside `tx`; refuses when the log is no
/// longer `seq` long (someone else appended).
async fn append(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    seq: i64,
    entry: &Entry,
    state: RequestState,
) -> Result<(), StoreError> {
    let (role, reason, environment, sha) = match &entry.event {
        RequestEvent::Opened(_) => return Err(invalid("a request is opened only once".into())),
        RequestEvent::Approved { role } => (Some(role), None, None, None),
        RequestEvent::Rejected { reason }
        | RequestEvent::Cancelled { reason }
        | RequestEvent::Held { reason } => (None, Some(reason), None, None),
        RequestEvent::Deployed { environment, sha } => (None, None, Some(environment), Some(sha)),
        RequestEvent::Linked { sha } => (None, None, None, Some(sha)),
        RequestEvent::Submitted
        | RequestEvent::Verified
        | RequestEvent::Closed
        | RequestEvent::Resumed
        | RequestEvent::Acknowledged => (None, None, None, None),
    };
    // Team mode: watchers elsewhere re-arm their timers when the transaction commits.
    crate::listen::announce(tx, &format!("request {id}")).await?;
    let moved = sqlx::query(
        "UPDATE change_requests SET state = $1, events = events + 1, ended_at = $4 \
         WHERE id = $2 AND events = $3",
    )
    .bind(state.as_str())
    .bind(id)
    .bind(seq)
    .bind(state.is_final().then(|| entry.at.timestamp()))
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 0;
    if moved {
        return Err(StoreError::RequestMoved(id));
    }
    sqlx::query(
        "INSERT INTO request_events (request_id, seq, at, actor, kind, role, reason, environment, sha) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(seq)
    .bind(entry.at.timestamp())
    .bind(&entry.actor)
    .bind(entry.event.kind())
    .bind(role.cloned())
    .bind(reason.cloned())
    .bind(environment.cloned())
    .bind(sha.cloned())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn opening(row: &AnyRow) -> Result<Opening, StoreError> {
    let word = |column: &str| -> Result<String, StoreError> { Ok(row.try_get(column)?) };
    Ok(Opening {
        project: word("project")?,
        kind: word("kind")?.parse().map_err(|e| invalid(format!("{e}")))?,
        severity: word("severity")?
            .parse()
            .map_err(|e| invalid(format!("{e}")))?,
        title: word("title")?,
        description: word("description")?,
        requester: word("requester")?,
        assignee: row.try_get("assignee")?,
        target_environment: row.try_get("target_environment")?,
    })
}

fn event(
    row: &AnyRow,
    opening: impl FnOnce() -> Option<Opening>,
) -> Result<RequestEvent, StoreError> {
    let kind: String = row.try_get("kind")?;
    let text = |column: &str| -> Result<String, StoreError> {
        let value: Option<String> = row.try_get(column)?;
        value.ok_or_else(|| invalid(format!("a {kind} event without its {column}")))
    };
    Ok(match kind.as_str() {
        "opened" => {
            RequestEvent::Opened(opening().ok_or_else(|| invalid("a request opened twice".into()))?)
        }
        "submitted" => RequestEvent::Submitted,
        "approved" => RequestEvent::Approved {
            role: text("role")?,
        },
        "rejected" => RequestEvent::Rejected {
            reason: text("reason")?,
        },
        "verified" => RequestEvent::Verified,
        "deployed" => RequestEvent::Deployed {
            environment: text("environment")?,
            sha: text("sha")?,
        },
        "closed" => RequestEvent::Closed,
        "cancelled" => RequestEvent::Cancelled {
            reason: text("reason")?,
        },
        "held" => RequestEvent::Held {
            reason: text("reason")?,
        },
        "resumed" => RequestEvent::Resumed,
        "linked" => RequestEvent::Linked { sha: text("sha")? },
        "acknowledged" => RequestEvent::Acknowledged,
        other => return Err(invalid(format!("unknown event kind {other:?}"))),
    })
}
