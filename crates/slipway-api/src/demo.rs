//! The demo workspace: a real repository with a month of history, its bare origin, and a
//! database holding the project and its pipeline.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;
use slipway_core::{Environment, Pipeline, Project, TrackingRef};
use slipway_git::{write_demo, DEMO_ENVIRONMENTS};
use ts_rs::TS;

use crate::error::{ApiError, ErrorCode};
use crate::workspace::{io_error, NewFolder, Workspace, WorkspaceConfig};

/// What `create_demo` made.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DemoDto {
    /// The workspace folder.
    pub workspace: String,
    /// The project's name.
    pub project: String,
    /// The working clone.
    pub repository: String,
    /// Its bare origin.
    pub origin: String,
    /// First-parent changes on trunk.
    #[ts(type = "number")]
    pub changes: usize,
    /// Environments in pipeline order.
    pub environments: Vec<String>,
}

/// Creates a demo workspace in `dir`, with history ending at `anchor`.
///
/// Refuses a folder that already holds a workspace or anything else (a `logs` folder aside);
/// on failure it removes only what it made.
pub async fn create_demo(dir: &Path, anchor: DateTime<Utc>) -> Result<DemoDto, ApiError> {
    let made = NewFolder::check(dir)?;
    let dir = made.dir.as_path();
    match build(dir, anchor).await {
        Ok(demo) => Ok(demo),
        Err(e) => {
            made.undo();
            Err(e)
        }
    }
}

async fn build(dir: &Path, anchor: DateTime<Utc>) -> Result<DemoDto, ApiError> {
    let repos = dir.join("repos");
    std::fs::create_dir_all(&repos).map_err(|e| io_error(&repos, &e))?;
    let repo = tokio::task::spawn_blocking(move || write_demo(&repos, anchor))
        .await
        .map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("Writing the demo repository stopped: {e}."),
            )
        })??;
    let project = Project {
        name: "payments".into(),
        repo_path: repo.clone.clone(),
        pipeline: Pipeline {
            trunk: repo.trunk.clone(),
            environments: DEMO_ENVIRONMENTS
                .iter()
                .map(|(name, _)| Environment {
                    name: name.to_string(),
                    tracking: TrackingRef::Branch(format!("deploy/{name}")),
                })
                .collect(),
        },
    };
    let workspace = Workspace::create(dir, &WorkspaceConfig::default()).await?;
    workspace
        .store()
        .add_project(&project, anchor.timestamp())
        .await?;
    workspace.store().close().await;
    tracing::info!(workspace = %dir.display(), changes = repo.changes, "demo workspace created");
    Ok(DemoDto {
        workspace: dir.display().to_string(),
        project: project.name,
        repository: repo.clone.display().to_string(),
        origin: repo.origin.display().to_string(),
        changes: repo.changes,
        environments: project
            .pipeline
            .environments
            .into_iter()
            .map(|e| e.name)
            .collect(),
    })
}
