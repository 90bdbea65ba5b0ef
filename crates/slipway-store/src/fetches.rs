use std::collections::HashMap;

use slipway_core::FetchRecord;
use sqlx::Row;

use crate::{Store, StoreError};

impl Store {
    /// Records a fetch of `project` tried at `at`: `Ok` when it worked, else the reason.
    pub async fn record_fetch(
        &self,
        project: &str,
        at: i64,
        outcome: Result<(), &str>,
    ) -> Result<(), StoreError> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE name = $1")
            .bind(project)
            .fetch_optional(&self.pool)
            .await?;
        let id = id.ok_or_else(|| StoreError::ProjectMissing(project.to_string()))?;
        let (succeeded, error) = match outcome {
            Ok(()) => (Some(at), None),
            Err(reason) => (None, Some(reason.to_string())),
        };
        sqlx::query(
            "INSERT INTO fetches (project_id, attempted_at, succeeded_at, error) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (project_id) DO UPDATE SET attempted_at = excluded.attempted_at, \
             succeeded_at = COALESCE(excluded.succeeded_at, fetches.succeeded_at), error = excluded.error",
        )
        .bind(id)
        .bind(at)
        .bind(succeeded)
        .bind(error)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The last fetch of every project that has been fetched, by project name.
    pub async fn fetches(&self) -> Result<HashMap<String, FetchRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.name, f.attempted_at, f.succeeded_at, f.error FROM fetches f JOIN projects p ON p.id = f.project_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok((
                    row.try_get::<String, _>("name")?,
                    FetchRecord {
                        attempted_at: row.try_get("attempted_at")?,
                        succeeded_at: row.try_get("succeeded_at")?,
                        error: row.try_get("error")?,
                    },
                ))
            })
            .collect()
    }
}
