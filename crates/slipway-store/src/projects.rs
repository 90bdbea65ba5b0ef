use std::path::PathBuf;

use slipway_core::{Environment, Pipeline, Project, TrackingRef};
use sqlx::Row;

use crate::{Store, StoreError};

impl Store {
    /// Stores a new project and its pipeline in one transaction.
    pub async fn add_project(&self, project: &Project, created_at: i64) -> Result<(), StoreError> {
        project
            .pipeline
            .validate()
            .map_err(|e| StoreError::Invalid {
                what: "pipeline",
                reason: e.to_string(),
            })?;
        let mut tx = self.pool.begin().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE name = $1")
            .bind(&project.name)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(StoreError::ProjectExists(project.name.clone()));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO projects (name, repo_path, trunk, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(&project.name)
        .bind(project.repo_path.to_string_lossy().into_owned())
        .bind(&project.pipeline.trunk)
        .bind(created_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match crate::error::is_unique_violation(&e) {
            // Added by another process since the look above.
            true => StoreError::ProjectExists(project.name.clone()),
            false => e.into(),
        })?;
        for (position, env) in project.pipeline.environments.iter().enumerate() {
            sqlx::query(
                "INSERT INTO environments (project_id, position, name, strategy, ref_name) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(&env.name)
            .bind(env.tracking.strategy())
            .bind(env.tracking.ref_name())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every project with its pipeline, by name.
    pub async fn projects(&self) -> Result<Vec<Project>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.name, p.repo_path, p.trunk, e.name AS env, e.strategy, e.ref_name \
             FROM projects p LEFT JOIN environments e ON e.project_id = p.id \
             ORDER BY p.name, e.position",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut projects: Vec<Project> = Vec::new();
        for row in rows {
            let name: String = row.try_get("name")?;
            if projects.last().is_none_or(|p| p.name != name) {
                projects.push(Project {
                    name,
                    repo_path: PathBuf::from(row.try_get::<String, _>("repo_path")?),
                    pipeline: Pipeline {
                        trunk: row.try_get("trunk")?,
                        environments: Vec::new(),
                    },
                });
            }
            let Some(env) = row.try_get::<Option<String>, _>("env")? else {
                continue;
            };
            let strategy: String = row.try_get("strategy")?;
            let ref_name: String = row.try_get("ref_name")?;
            let tracking =
                TrackingRef::from_parts(&strategy, &ref_name).map_err(|e| StoreError::Invalid {
                    what: "tracking ref",
                    reason: e.to_string(),
                })?;
            if let Some(p) = projects.last_mut() {
                p.pipeline.environments.push(Environment {
                    name: env,
                    tracking,
                });
            }
        }
        Ok(projects)
    }

    /// Where `project`'s HTTPS token lives in the keychain, when one was stored.
    pub async fn https_token_ref(&self, project: &str) -> Result<Option<String>, StoreError> {
        let found: Option<Option<String>> =
            sqlx::query_scalar("SELECT https_token_ref FROM projects WHERE name = $1")
                .bind(project)
                .fetch_optional(&self.pool)
                .await?;
        found.ok_or_else(|| StoreError::ProjectMissing(project.to_string()))
    }

    /// Points `project`'s HTTPS token at `reference` (`None`: it has none). Returns the
    /// reference it had, for the caller to remove from the keychain.
    pub async fn set_https_token_ref(
        &self,
        project: &str,
        reference: Option<&str>,
    ) -> Result<Option<String>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let old: Option<Option<String>> =
            sqlx::query_scalar("SELECT https_token_ref FROM projects WHERE name = $1")
                .bind(project)
                .fetch_optional(&mut *tx)
                .await?;
        let old = old.ok_or_else(|| StoreError::ProjectMissing(project.to_string()))?;
        sqlx::query("UPDATE projects SET https_token_ref = $1 WHERE name = $2")
            .bind(reference)
            .bind(project)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(old)
    }

    /// Removes a project and its pipeline (the repository on disk is not touched). Returns
    /// the keychain references of the secrets it owned (its HTTPS token, its deploy
    /// webhooks' tokens), for the caller to remove with it.
    pub async fn remove_project(&self, name: &str) -> Result<Vec<String>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
        let id = id.ok_or_else(|| StoreError::ProjectMissing(name.to_string()))?;
        let requests: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM change_requests WHERE project_id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        if requests > 0 {
            return Err(StoreError::ProjectHasRequests {
                project: name.to_string(),
                requests,
            });
        }
        // Its aging policies go with it (their rows cascade; their alerting is keyed by name).
        let prefix = format!("age/{name}/");
        sqlx::query("DELETE FROM alerting WHERE substr(policy, 1, CAST($2 AS INTEGER)) = $1")
            .bind(&prefix)
            .bind(prefix.chars().count() as i64)
            .execute(&mut *tx)
            .await?;
        let mut secrets: Vec<String> = sqlx::query_scalar(
            "SELECT token_key FROM deploy_settings WHERE project_id = $1 AND token_key IS NOT NULL",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let https: Option<String> =
            sqlx::query_scalar("SELECT https_token_ref FROM projects WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        secrets.extend(https);
        sqlx::query("DELETE FROM deployments WHERE project_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM fetches WHERE project_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM environments WHERE project_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM projects WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(secrets)
    }
}
