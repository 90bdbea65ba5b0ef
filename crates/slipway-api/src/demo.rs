//! The demo workspace: a real repository with a month of history, its bare origin, and a
//! database holding the project and its pipeline.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;
use slipway_core::{Environment, Pipeline, Project, TrackingRef};
use slipway_git::{write_demo, DEMO_ENVIRONMENTS};
use ts_rs::TS;

use crate::error::{ApiError, ErrorCode};
use crate::workspace::{io_error, Workspace, WorkspaceConfig};

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
    // The project's stored repository path must not depend on where the command ran.
    let absolute = std::path::absolute(dir).map_err(|e| io_error(dir, &e))?;
    let dir = absolute.as_path();
    if Workspace::exists(dir) {
        return Err(ApiError::new(
            ErrorCode::WorkspaceExists,
            format!(
                "A workspace exists already at {}. Choose a new folder with --path.",
                dir.display()
            ),
        ));
    }
    if dir.is_file() {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("{} is a file, not a folder.", dir.display()),
        ));
    }
    let existed = dir.exists();
    if existed {
        let entries = std::fs::read_dir(dir).map_err(|e| io_error(dir, &e))?;
        if let Some(other) = entries
            .filter_map(Result::ok)
            .find(|e| e.file_name() != "logs")
        {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "{} is not empty (it holds {:?}). Choose an empty or new folder with --path; Slipway changes nothing in it.",
                    dir.display(),
                    other.file_name()
                ),
            ));
        }
    }
    let made = Made {
        dir: dir.to_path_buf(),
        existed,
    };
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

/// What a failed demo removes: the folder if it made it, else only the files it adds.
struct Made {
    dir: PathBuf,
    existed: bool,
}

impl Made {
    fn undo(&self) {
        if !self.existed {
            let _ = std::fs::remove_dir_all(&self.dir);
            return;
        }
        let _ = std::fs::remove_dir_all(self.dir.join("repos"));
        for f in [
            "slipway.toml",
            "slipway.db",
            "slipway.db-wal",
            "slipway.db-shm",
        ] {
            let _ = std::fs::remove_file(self.dir.join(f));
        }
    }
}
