//! Deployment history: an environment's runs, newest first, after reconciling any a crashed
//! process left unfinished (so the window and the CLI show the same history).

use crate::dto::DeploymentDto;
use crate::projects::environment_index;
use slipway_core::Clock;

use crate::error::ApiError;

use crate::workspace::Workspace;

use super::reconcile_interrupted;

/// An environment's deployments and rollbacks, newest first.
pub async fn history(
    ws: &Workspace,
    project: &str,
    environment: Option<&str>,
    limit: i64,
    clock: &dyn Clock,
) -> Result<Vec<DeploymentDto>, ApiError> {
    let found = ws.project(project).await?;
    if let Some(env) = environment {
        environment_index(&found, env)?;
    }
    // The same history in every front end; a run that cannot be reconciled now (a remote
    // that does not answer) must not cost the history.
    if let Err(e) = reconcile_interrupted(ws, clock).await {
        tracing::warn!(error = %e.message, "could not reconcile interrupted promotions");
    }
    Ok(ws
        .store()
        .promotions(project, environment, limit)
        .await?
        .iter()
        .map(DeploymentDto::from)
        .collect())
}
