//! Follow-ups: the items a rollback opens ("postmortem for …"), until someone closes them.

use sqlx::Row;

use crate::audit::AuditDraft;
use crate::bool_int;
use crate::{Store, StoreError};

/// A follow-up item after a rollback ("postmortem for …").
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
    /// Who opened it.
    pub opened_by: String,
    /// When.
    pub opened_at: i64,
    /// Who closed it and when.
    pub closed: Option<(String, i64)>,
}

impl Store {
    /// Follow-ups, open ones only unless `all`.
    pub async fn follow_ups(&self, all: bool) -> Result<Vec<FollowUp>, StoreError> {
        let rows = sqlx::query(
            "SELECT f.id, p.name, f.environment, f.title, f.promotion_id, f.opened_by, f.opened_at, f.closed_by, f.closed_at \
             FROM follow_ups f JOIN projects p ON p.id = f.project_id \
             WHERE $1 = 1 OR f.closed_at IS NULL ORDER BY f.opened_at, f.id",
        )
        .bind(bool_int(all))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let closed_by: Option<String> = row.try_get("closed_by")?;
                let closed_at: Option<i64> = row.try_get("closed_at")?;
                Ok(FollowUp {
                    id: row.try_get("id")?,
                    project: row.try_get("name")?,
                    environment: row.try_get("environment")?,
                    title: row.try_get("title")?,
                    promotion_id: row.try_get("promotion_id")?,
                    opened_by: row.try_get("opened_by")?,
                    opened_at: row.try_get("opened_at")?,
                    closed: closed_by.zip(closed_at),
                })
            })
            .collect()
    }

    /// Closes a follow-up; false when it does not exist or is closed already.
    pub async fn close_follow_up(&self, id: i64, audit: &AuditDraft) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let closed = sqlx::query(
            "UPDATE follow_ups SET closed_by = $1, closed_at = $2 WHERE id = $3 AND closed_at IS NULL",
        )
        .bind(&audit.actor)
        .bind(audit.at)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        self.end_act(tx, closed != 0, audit).await
    }
}
