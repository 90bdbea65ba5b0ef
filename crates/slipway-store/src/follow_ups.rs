//! Follow-ups: the items a rollback or a closed emergency request opens ("postmortem for
//! …"), owned, due, and closed as done or won't do; and each project's follow-up settings.

use slipway_core::{FollowUpStatus, Priority};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::AuditDraft;
use crate::{Store, StoreError};

/// A follow-up item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    /// Its number.
    pub id: i64,
    /// Project name.
    pub project: String,
    /// Environment name.
    pub environment: String,
    /// What is to be done.
    pub title: String,
    /// The rollback that opened it.
    pub promotion_id: Option<i64>,
    /// The change request it came from or was linked to.
    pub request_id: Option<i64>,
    /// Who opened it.
    pub opened_by: String,
    /// When (Unix seconds).
    pub opened_at: i64,
    /// Who owns it.
    pub owner: Option<String>,
    /// How urgent.
    pub priority: Priority,
    /// When it is due (Unix seconds); `None`: the project's default from `opened_at`.
    pub due_at: Option<i64>,
    /// Where it stands.
    pub status: FollowUpStatus,
    /// Why it was closed so (won't do), or a note.
    pub reason: Option<String>,
    /// The ticket or document where the postmortem lives.
    pub external_link: Option<String>,
    /// Who closed it and when.
    pub closed: Option<(String, i64)>,
}

/// A follow-up to open (with a rollback, a request's close, or by hand).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFollowUp {
    /// What is to be done.
    pub title: String,
    /// Who owns it.
    pub owner: String,
    /// When it is due (Unix seconds).
    pub due_at: i64,
    /// The change request it comes from.
    pub request_id: Option<i64>,
}

/// What an edit changes (each `None` leaves the field as it is).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUpEdit {
    /// A new owner.
    pub owner: Option<String>,
    /// A new priority.
    pub priority: Option<Priority>,
    /// A new due date (Unix seconds).
    pub due_at: Option<i64>,
    /// A new external link (`Some("")` removes it).
    pub external_link: Option<String>,
    /// A change request to link.
    pub request_id: Option<i64>,
}

/// A project's follow-up settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpSettings {
    /// The calendar due dates count on (`None`: 24×7).
    pub calendar: Option<String>,
    /// Business days from opening to due.
    pub due_days: u32,
}

impl Default for FollowUpSettings {
    fn default() -> Self {
        FollowUpSettings {
            calendar: None,
            due_days: slipway_core::DEFAULT_DUE_BUSINESS_DAYS,
        }
    }
}

const COLUMNS: &str = "f.id, p.name, f.environment, f.title, f.promotion_id, f.request_id, f.opened_by, \
     f.opened_at, f.owner, f.priority, f.due_at, f.status, f.reason, f.external_link, f.closed_by, f.closed_at";

fn read(row: &AnyRow) -> Result<FollowUp, StoreError> {
    let closed_by: Option<String> = row.try_get("closed_by")?;
    let closed_at: Option<i64> = row.try_get("closed_at")?;
    let priority: String = row.try_get("priority")?;
    let status: String = row.try_get("status")?;
    Ok(FollowUp {
        id: row.try_get("id")?,
        project: row.try_get("name")?,
        environment: row.try_get("environment")?,
        title: row.try_get("title")?,
        promotion_id: row.try_get("promotion_id")?,
        request_id: row.try_get("request_id")?,
        opened_by: row.try_get("opened_by")?,
        opened_at: row.try_get("opened_at")?,
        owner: row.try_get("owner")?,
        priority: Priority::parse(&priority).map_err(|e| StoreError::invalid("follow-up", e))?,
        due_at: row.try_get("due_at")?,
        status: FollowUpStatus::parse(&status).map_err(|e| StoreError::invalid("follow-up", e))?,
        reason: row.try_get("reason")?,
        external_link: row.try_get("external_link")?,
        closed: closed_by.zip(closed_at),
    })
}

/// Opens a follow-up inside `tx` (the act that opens it commits it).
pub(crate) async fn insert_follow_up(
    tx: &mut Transaction<'_, Any>,
    project_id: i64,
    environment: &str,
    promotion_id: Option<i64>,
    new: &NewFollowUp,
    by: &str,
    at: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO follow_ups (project_id, environment, title, promotion_id, request_id, opened_by, \
         opened_at, owner, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(project_id)
    .bind(environment)
    .bind(&new.title)
    .bind(promotion_id)
    .bind(new.request_id)
    .bind(by)
    .bind(at)
    .bind(&new.owner)
    .bind(new.due_at)
    .fetch_one(&mut **tx)
    .await?)
}

impl Store {
    /// Follow-ups, open ones only unless `all`, oldest first.
    pub async fn follow_ups(&self, all: bool) -> Result<Vec<FollowUp>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM follow_ups f JOIN projects p ON p.id = f.project_id \
             WHERE $1 = 1 OR f.status = 'open' ORDER BY f.opened_at, f.id"
        ))
        .bind(crate::bool_int(all))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(read)
        .collect()
    }

    /// One follow-up.
    pub async fn follow_up(&self, id: i64) -> Result<Option<FollowUp>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM follow_ups f JOIN projects p ON p.id = f.project_id WHERE f.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(read)
        .transpose()
    }

    /// Opens a follow-up by hand (audited); returns its number.
    pub async fn open_follow_up(
        &self,
        project: &str,
        environment: &str,
        new: &NewFollowUp,
        audit: &AuditDraft,
    ) -> Result<i64, StoreError> {
        let project_id = self.project_id(project).await?;
        let mut tx = self.pool.begin().await?;
        let id = insert_follow_up(
            &mut tx,
            project_id,
            environment,
            None,
            new,
            &audit.actor,
            audit.at,
        )
        .await?;
        self.end_act(tx, true, audit).await?;
        Ok(id)
    }

    /// Changes an open follow-up's owner, priority, due date, link or request; false when it
    /// does not exist or is closed.
    pub async fn edit_follow_up(
        &self,
        id: i64,
        edit: &FollowUpEdit,
        audit: &AuditDraft,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let changed = sqlx::query(
            "UPDATE follow_ups SET owner = COALESCE($1, owner), priority = COALESCE($2, priority), \
             due_at = COALESCE($3, due_at), \
             external_link = CASE WHEN $4 IS NULL THEN external_link WHEN $4 = '' THEN NULL ELSE $4 END, \
             request_id = COALESCE($5, request_id) WHERE id = $6 AND status = 'open'",
        )
        .bind(edit.owner.clone())
        .bind(edit.priority.map(|p| p.as_str().to_string()))
        .bind(edit.due_at)
        .bind(edit.external_link.clone())
        .bind(edit.request_id)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        self.end_act(tx, changed != 0, audit).await
    }

    /// Closes an open follow-up as done or won't do; false when it does not exist or is
    /// closed already.
    pub async fn close_follow_up(
        &self,
        id: i64,
        status: FollowUpStatus,
        reason: Option<&str>,
        audit: &AuditDraft,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let closed = sqlx::query(
            "UPDATE follow_ups SET status = $1, reason = $2, closed_by = $3, closed_at = $4 \
             WHERE id = $5 AND status = 'open'",
        )
        .bind(status.as_str())
        .bind(reason.map(str::to_string))
        .bind(&audit.actor)
        .bind(audit.at)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        self.end_act(tx, closed != 0, audit).await
    }

    /// A project's follow-up settings (the defaults when it never saved any).
    pub async fn follow_up_settings(&self, project: &str) -> Result<FollowUpSettings, StoreError> {
        let project_id = self.project_id(project).await?;
        let row =
            sqlx::query("SELECT calendar, due_days FROM follow_up_settings WHERE project_id = $1")
                .bind(project_id)
                .fetch_optional(&self.pool)
                .await?;
        let Some(row) = row else {
            return Ok(FollowUpSettings::default());
        };
        let days: i64 = row.try_get("due_days")?;
        Ok(FollowUpSettings {
            calendar: row.try_get("calendar")?,
            due_days: u32::try_from(days).unwrap_or(slipway_core::DEFAULT_DUE_BUSINESS_DAYS),
        })
    }

    /// Saves a project's follow-up settings whole (audited).
    pub async fn save_follow_up_settings(
        &self,
        project: &str,
        settings: &FollowUpSettings,
        audit: &AuditDraft,
    ) -> Result<(), StoreError> {
        let project_id = self.project_id(project).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM follow_up_settings WHERE project_id = $1")
            .bind(project_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO follow_up_settings (project_id, calendar, due_days) VALUES ($1, $2, $3)",
        )
        .bind(project_id)
        .bind(settings.calendar.clone())
        .bind(i64::from(settings.due_days))
        .execute(&mut *tx)
        .await?;
        self.end_act(tx, true, audit).await?;
        Ok(())
    }
}
