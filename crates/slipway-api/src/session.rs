use std::path::{Path, PathBuf};

use serde::Serialize;
use slipway_core::Clock;
use tokio::sync::Mutex;
use ts_rs::TS;

use crate::{
    app_data_dir, create_demo, load_board, ApiError, BoardDto, DemoDto, SystemClock, Workspace,
};

/// Facts about the running app, for its header and empty states.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfoDto {
    /// Slipway's version.
    pub version: String,
    /// The workspace folder in use.
    pub workspace: String,
    /// Whether a workspace exists there.
    pub workspace_exists: bool,
    /// Where logs are written.
    pub log_dir: String,
}

/// A long-lived front end's view of one workspace (the desktop app holds one): it opens the
/// workspace on first use, keeps it open, and retries after a failure.
pub struct Session {
    dir: PathBuf,
    workspace: Mutex<Option<Workspace>>,
}

impl Session {
    /// A session on the workspace in `dir`; nothing is opened yet.
    pub fn new(dir: &Path) -> Session {
        Session {
            dir: dir.to_path_buf(),
            workspace: Mutex::new(None),
        }
    }

    /// Facts for the header.
    pub fn info(&self) -> AppInfoDto {
        AppInfoDto {
            version: env!("CARGO_PKG_VERSION").to_string(),
            workspace: self.dir.display().to_string(),
            workspace_exists: Workspace::exists(&self.dir),
            log_dir: app_data_dir().join("logs").display().to_string(),
        }
    }

    /// The board, opening the workspace if needed.
    pub async fn board(&self) -> Result<BoardDto, ApiError> {
        let mut slot = self.workspace.lock().await;
        if slot.is_none() {
            *slot = Some(Workspace::open(&self.dir).await?);
        }
        let workspace = slot
            .as_ref()
            .ok_or_else(|| ApiError::new(crate::ErrorCode::Internal, "workspace not open"))?;
        load_board(workspace, &SystemClock).await
    }

    /// Creates a demo workspace in this session's folder, its history ending now.
    pub async fn create_demo(&self) -> Result<DemoDto, ApiError> {
        let mut slot = self.workspace.lock().await;
        *slot = None;
        create_demo(&self.dir, SystemClock.now()).await
    }
}
