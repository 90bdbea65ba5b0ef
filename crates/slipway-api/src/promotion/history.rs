//! Deployment history: an environment's runs, newest first, after reconciling any a crashed
//! process left unfinished (so the window and the CLI show the same history).

use slipway_core::Clock;

use crate::dto::DeploymentDto;
use crate::error::ApiError;
use crate::projects::environment_index;
use crate::workspace::Workspace;

use super::reconcile_before_read;

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
    // The same history in every front end.
    reconcile_before_read(ws, clock).await;
    Ok(ws
        .store()
        .promotions(project, environment, limit)
        .await?
        .iter()
        .map(DeploymentDto::from)
        .collect())
}
