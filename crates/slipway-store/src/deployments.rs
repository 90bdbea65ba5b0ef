use std::collections::HashMap;

use sqlx::Row;

use crate::{Store, StoreError};

/// One recorded deployment: at `at` (Unix seconds), `environment` came to stand at `sha`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentRecord {
    /// When.
    pub at: i64,
    /// The commit, full sha.
    pub sha: String,
    /// Who recorded it.
    pub by: String,
}

impl Store {
    /// Records that `environment` of `project` was deployed to `sha` at `at`.
    pub async fn record_deployment(
        &self,
        project: &str,
        environment: &str,
        record: &DeploymentRecord,
    ) -> Result<(), StoreError> {
        let id = self.project_id(project).await?;
        sqlx::query(
            "INSERT INTO deployments (project_id, environment, sha, deployed_at, recorded_by) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(environment)
        .bind(&record.sha)
        .bind(record.at)
        .bind(&record.by)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A project's recorded deployments by environment, oldest first.
    pub async fn deployments(
        &self,
        project: &str,
    ) -> Result<HashMap<String, Vec<DeploymentRecord>>, StoreError> {
        let rows = sqlx::query(
            "SELECT d.environment, d.sha, d.deployed_at, d.recorded_by FROM deployments d \
             JOIN projects p ON p.id = d.project_id WHERE p.name = $1 ORDER BY d.deployed_at, d.id",
        )
        .bind(project)
        .fetch_all(&self.pool)
        .await?;
        let mut out: HashMap<String, Vec<DeploymentRecord>> = HashMap::new();
        for row in rows {
            out.entry(row.try_get("environment")?)
                .or_default()
                .push(DeploymentRecord {
                    sha: row.try_get("sha")?,
                    at: row.try_get("deployed_at")?,
                    by: row.try_get("recorded_by")?,
                });
        }
        Ok(out)
    }
}
