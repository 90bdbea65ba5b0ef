use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use slipway_core::Project;
use slipway_store::{Location, Store};

use crate::error::{ApiError, ErrorCode};
use crate::preferences::Preferences;

/// The environment variable that selects the workspace folder.
pub const WORKSPACE_ENV: &str = "SLIPWAY_WORKSPACE";
const CONFIG_FILE: &str = "slipway.toml";
const SQLITE_FILE: &str = "slipway.db";

/// The app's data folder: `$SLIPWAY_DATA_DIR`, else the platform's (`~/.local/share/slipway`).
/// Logs live here, and it is the default workspace.
pub fn app_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SLIPWAY_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("slipway")
}

/// Where the workspace in use was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceSourceDto {
    /// `--workspace DIR`.
    Flag,
    /// `SLIPWAY_WORKSPACE`.
    Environment,
    /// Your settings (the last one you switched to).
    Settings,
    /// The app's data folder.
    Default,
}

/// The workspace folder: the `--workspace` flag, else `$SLIPWAY_WORKSPACE`, else the one
/// your settings name, else the app's data folder.
pub fn resolve_workspace_dir(flag: Option<PathBuf>) -> PathBuf {
    resolve_workspace(flag).0
}

/// The workspace folder and where it was chosen (see [`resolve_workspace_dir`]).
pub fn resolve_workspace(flag: Option<PathBuf>) -> (PathBuf, WorkspaceSourceDto) {
    if let Some(dir) = flag.filter(|d| !d.as_os_str().is_empty()) {
        return (dir, WorkspaceSourceDto::Flag);
    }
    if let Some(dir) = std::env::var_os(WORKSPACE_ENV).filter(|d| !d.is_empty()) {
        return (PathBuf::from(dir), WorkspaceSourceDto::Environment);
    }
    match Preferences::load_or_default().workspace {
        Some(dir) => (dir, WorkspaceSourceDto::Settings),
        None => (app_data_dir(), WorkspaceSourceDto::Default),
    }
}

/// What `slipway.toml` says.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WorkspaceConfig {
    /// A team database (`postgres://user@host/db`); without it, `slipway.db` beside the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    /// Minutes between background fetches of every project (default 5; 0 turns them off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetch_interval_minutes: Option<u64>,
}

/// An open workspace: its folder and its database. Clones share the connection pool.
#[derive(Clone)]
pub struct Workspace {
    dir: PathBuf,
    store: Store,
    config: WorkspaceConfig,
}

impl Workspace {
    /// Whether `dir` holds a workspace (its `slipway.toml`).
    pub fn exists(dir: &Path) -> bool {
        dir.join(CONFIG_FILE).is_file()
    }

    /// Opens the workspace in `dir`; changes nothing when it is damaged.
    pub async fn open(dir: &Path) -> Result<Workspace, ApiError> {
        let config_path = dir.join(CONFIG_FILE);
        if !config_path.is_file() {
            return Err(ApiError::new(
                ErrorCode::WorkspaceMissing,
                format!(
                    "There is no Slipway workspace at {}. Create an empty one with `slipway init` (or look around with `slipway demo`), or choose another with --workspace DIR or {WORKSPACE_ENV}.",
                    dir.display()
                ),
            ));
        }
        let text =
            std::fs::read_to_string(&config_path).map_err(|e| config_error(&config_path, &e))?;
        let config: WorkspaceConfig =
            toml::from_str(&text).map_err(|e| config_error(&config_path, &e.message()))?;
        let location = Self::location(dir, &config)?;
        let store = Store::open(&location)
            .await?
            .with_anchor(crate::secrets::audit_anchor(&location));
        Ok(Workspace {
            dir: dir.to_path_buf(),
            store,
            config,
        })
    }

    /// Makes a new workspace in `dir` with the given configuration.
    pub(crate) async fn create(
        dir: &Path,
        config: &WorkspaceConfig,
    ) -> Result<Workspace, ApiError> {
        let location = Self::location(dir, config)?;
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
        let store = Store::create(&location)
            .await?
            .with_anchor(crate::secrets::audit_anchor(&location));
        write_config(dir, config)?;
        Ok(Workspace {
            dir: dir.to_path_buf(),
            store,
            config: config.clone(),
        })
    }

    fn location(dir: &Path, config: &WorkspaceConfig) -> Result<Location, ApiError> {
        match &config.database_url {
            Some(url) => Ok(Location::postgres(url)?),
            None => Ok(Location::Sqlite(dir.join(SQLITE_FILE))),
        }
    }

    /// The workspace folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How long to wait between background fetches; `None` when they are off.
    pub fn fetch_interval(&self) -> Option<std::time::Duration> {
        match self.config.fetch_interval_minutes.unwrap_or(5) {
            0 => None,
            m => Some(std::time::Duration::from_secs(m * 60)),
        }
    }

    /// The fetch interval in minutes as the workspace sets it (default 5).
    pub fn fetch_interval_minutes(&self) -> u64 {
        self.config.fetch_interval_minutes.unwrap_or(5)
    }

    /// Sets the fetch interval in `dir`'s `slipway.toml`, keeping the rest of it.
    pub(crate) fn set_fetch_interval(dir: &Path, minutes: u64) -> Result<(), ApiError> {
        let path = dir.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| config_error(&path, &e))?;
        let mut config: WorkspaceConfig =
            toml::from_str(&text).map_err(|e| config_error(&path, &e.message()))?;
        config.fetch_interval_minutes = Some(minutes);
        write_config(dir, &config)
    }

    /// The project named `name`, with its pipeline.
    pub async fn project(&self, name: &str) -> Result<Project, ApiError> {
        let projects = self.store.projects().await?;
        projects
            .into_iter()
            .find(|p| p.name == name)
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::ProjectMissing,
                    format!("There is no project named {name:?}."),
                )
            })
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// What `init_workspace` made.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct InitDto {
    /// The workspace folder.
    pub workspace: String,
    /// Its database file.
    pub database: String,
}

/// Creates an empty solo workspace (a SQLite database and `slipway.toml`, nothing in them) in
/// `dir`. Refuses a folder that holds anything — a workspace too, empty or not — and then
/// changes nothing.
pub async fn init_workspace(dir: &Path) -> Result<InitDto, ApiError> {
    let folder = NewFolder::check(dir)?;
    match Workspace::create(&folder.dir, &WorkspaceConfig::default()).await {
        Ok(workspace) => {
            workspace.store().close().await;
            tracing::info!(workspace = %folder.dir.display(), "empty workspace created");
            Ok(InitDto {
                workspace: folder.dir.display().to_string(),
                database: folder.dir.join(SQLITE_FILE).display().to_string(),
            })
        }
        Err(e) => {
            folder.undo();
            Err(e)
        }
    }
}

/// A folder a new workspace may be made in: new, or empty (but for the app's own `logs` and
/// `config` folders, when it is the app's data folder). What a
/// failed creation removes: the folder if it was made, else only the files added.
pub(crate) struct NewFolder {
    /// The folder, absolute (a project's stored path must not depend on where a command ran).
    pub dir: PathBuf,
    existed: bool,
}

impl NewFolder {
    /// Checks `dir`; an error names what is in the way and nothing is changed.
    pub fn check(dir: &Path) -> Result<NewFolder, ApiError> {
        let dir = std::path::absolute(dir).map_err(|e| io_error(dir, &e))?;
        if Workspace::exists(&dir) {
            return Err(ApiError::new(
                ErrorCode::WorkspaceExists,
                format!(
                    "A workspace exists already at {}. Open it, or choose a new folder with --path; Slipway changed nothing.",
                    dir.display()
                ),
            ));
        }
        if dir.exists() && !dir.is_dir() {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "{} is a file, not a folder. Choose a new or empty folder; Slipway changed nothing.",
                    dir.display()
                ),
            ));
        }
        let existed = dir.exists();
        if existed {
            let entries = std::fs::read_dir(&dir).map_err(|e| io_error(&dir, &e))?;
            if let Some(other) = entries
                .filter_map(Result::ok)
                .find(|e| e.file_name() != "logs" && e.file_name() != "config")
            {
                return Err(ApiError::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "{} is not empty (it holds {:?}). Choose an empty or new folder with --path; Slipway changed nothing in it.",
                        dir.display(),
                        other.file_name()
                    ),
                ));
            }
        }
        Ok(NewFolder { dir, existed })
    }

    /// Removes what was made in the folder (all of it when the folder is new).
    pub fn undo(&self) {
        if !self.existed {
            let _ = std::fs::remove_dir_all(&self.dir);
            return;
        }
        let _ = std::fs::remove_dir_all(self.dir.join("repos"));
        for f in [CONFIG_FILE, SQLITE_FILE, "slipway.db-wal", "slipway.db-shm"] {
            let _ = std::fs::remove_file(self.dir.join(f));
        }
    }
}

/// Writes `slipway.toml` whole: a new file renamed over the old one.
fn write_config(dir: &Path, config: &WorkspaceConfig) -> Result<(), ApiError> {
    let text =
        toml::to_string(config).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let header = "# Slipway workspace. Without database_url the database is slipway.db in this folder;\n# fetch_interval_minutes (default 5, 0 = off) sets how often projects are fetched.\n";
    let temp = dir.join(format!(".{CONFIG_FILE}.{}", std::process::id()));
    std::fs::write(&temp, format!("{header}{text}")).map_err(|e| io_error(dir, &e))?;
    std::fs::rename(&temp, dir.join(CONFIG_FILE)).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        io_error(dir, &e)
    })
}

fn config_error(path: &Path, e: &dyn std::fmt::Display) -> ApiError {
    ApiError::new(
        ErrorCode::WorkspaceConfigInvalid,
        format!("The workspace file {} cannot be read: {e}. Fix it by hand; Slipway has not changed it.", path.display()),
    )
}

pub(crate) fn io_error(path: &Path, e: &std::io::Error) -> ApiError {
    ApiError::new(
        ErrorCode::Io,
        format!("Cannot write {}: {e}.", path.display()),
    )
}

/// For the command line: every workspace store opened from now on is closed by
/// [`close_stores`].
pub fn close_stores_on_exit() {
    slipway_store::close_on_exit();
}

/// Closes every store opened since [`close_stores_on_exit`]: on SQLite the write-ahead log is
/// checkpointed into the database file and removed.
pub async fn close_stores() {
    slipway_store::close_all().await;
}
