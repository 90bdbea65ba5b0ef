use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::Serialize;
use slipway_core::Clock;
use tokio::sync::Mutex;
use ts_rs::TS;

mod loops;

use crate::aging::{aging_view, AgingDto};
use crate::board::{load_board_cached, BoardDto};
use crate::clock::SystemClock;
use crate::demo::{create_demo, DemoDto};
use crate::detect::{detect_pipeline, PipelineProposalDto};
use crate::dora::{dora, DoraAskDto, DoraDto};
use crate::error::{ApiError, ErrorCode};
use crate::fetch::{fetch_project, FetchProgressDto, FetchStateDto};
use crate::identity::identity;
use crate::preview::{preview_cached, PreviewDto};
use crate::projects::ProjectDto;
use crate::promotion::{Progress, RunContext};
use crate::repos::RepoCache;
use crate::requests::{
    act_on_request, list_requests, open_request, show_request, NewRequestDto, RequestActionDto,
    RequestDetailDto, RequestListDto,
};
use crate::settings::{needs_workspace, set_setting, show_settings, Applied, SettingsDto};
use crate::watch::{OnChange, RefWatcher};
use crate::workspace::{
    app_data_dir, init_workspace, resolve_workspace, Workspace, WorkspaceSourceDto,
};

/// Facts about the running app, for its header and empty states.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfoDto {
    /// Slipway's version.
    pub version: String,
    /// Who you act as; `None` when nothing says (the header then asks).
    pub me: Option<String>,
    /// Your name, when known.
    pub my_name: String,
    /// The workspace folder in use.
    pub workspace: String,
    /// Whether a workspace exists there.
    pub workspace_exists: bool,
    /// Where logs are written.
    pub log_dir: String,
}

/// A long-lived front end's view of one workspace (the desktop app holds one): it opens the
/// workspace on first use and keeps it and its repositories open, so a refresh reads only
/// what changed; after a failure it tries again on the next call.
pub struct Session {
    /// The workspace folder in use; a switch changes it.
    dir: std::sync::RwLock<(PathBuf, WorkspaceSourceDto)>,
    /// Bumped when the workspace or its configuration changes: the background loops start over.
    generation: tokio::sync::watch::Sender<u64>,
    open: Mutex<Open>,
    watcher: std::sync::Mutex<Option<RefWatcher>>,
    /// Told after each background fetch round, so the board shows the fetch state.
    notify: std::sync::Mutex<Option<OnChange>>,
    /// Cancel flags of the fetches under way, by project.
    fetching: std::sync::Mutex<HashMap<String, Arc<AtomicBool>>>,
    /// The cancel handle of the promotion this front end runs, if one runs.
    running: std::sync::Mutex<Option<slipway_deploy::Cancel>>,
}

/// What a session keeps open between calls.
#[derive(Default)]
struct Open {
    workspace: Option<Workspace>,
    repos: RepoCache,
}

impl Open {
    /// The open workspace, opening it first if needed (a failure is not kept: the next call
    /// tries again).
    async fn workspace(&mut self, dir: &Path) -> Result<&Workspace, ApiError> {
        if self.workspace.is_none() {
            self.workspace = Some(Workspace::open(dir).await?);
        }
        self.workspace
            .as_ref()
            .ok_or_else(|| ApiError::new(ErrorCode::Internal, "The workspace closed unexpectedly."))
    }
}

impl Open {
    /// The open workspace and the repositories' caches, opening the workspace first if needed.
    async fn with_repos(&mut self, dir: &Path) -> Result<(&Workspace, &mut RepoCache), ApiError> {
        self.workspace(dir).await?;
        match self {
            Open {
                workspace: Some(workspace),
                repos,
            } => Ok((workspace, repos)),
            _ => Err(ApiError::new(
                ErrorCode::Internal,
                "The workspace closed unexpectedly.",
            )),
        }
    }
}

impl Session {
    /// A handle on the open workspace (opening it if needed) that outlives the lock, for long
    /// work such as fetches that must not hold up the board.
    async fn shared_workspace(&self) -> Result<Workspace, ApiError> {
        let mut open = self.open.lock().await;
        Ok(open.workspace(&self.dir()).await?.clone())
    }

    /// The workspace folder in use.
    pub fn dir(&self) -> PathBuf {
        self.dir.read().unwrap_or_else(|p| p.into_inner()).0.clone()
    }

    /// A session on the workspace in `dir`; nothing is opened yet.
    pub fn new(dir: &Path) -> Session {
        Session::chosen(dir.to_path_buf(), WorkspaceSourceDto::Flag)
    }

    /// A session on the workspace `--workspace DIR` (`flag`), `SLIPWAY_WORKSPACE` or your
    /// settings choose, else the app's data folder.
    pub fn resolve(flag: Option<PathBuf>) -> Session {
        let (dir, source) = resolve_workspace(flag);
        Session::chosen(dir, source)
    }

    fn chosen(dir: PathBuf, source: WorkspaceSourceDto) -> Session {
        Session {
            dir: std::sync::RwLock::new((dir, source)),
            generation: tokio::sync::watch::channel(0).0,
            open: Mutex::new(Open::default()),
            watcher: std::sync::Mutex::new(None),
            notify: std::sync::Mutex::new(None),
            fetching: std::sync::Mutex::new(HashMap::new()),
            running: std::sync::Mutex::new(None),
        }
    }

    /// Calls `on_change` whenever the refs of a project on the board change (from the next
    /// board load on) and after each background fetch round. A watcher that cannot start is
    /// logged and only the fetch rounds call it.
    pub fn on_change(&self, on_change: OnChange) {
        *self.notify.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::clone(&on_change));
        match RefWatcher::new(on_change) {
            Ok(w) => *self.watcher.lock().unwrap_or_else(|p| p.into_inner()) = Some(w),
            Err(e) => tracing::warn!(error = %e, "cannot watch repositories; refresh by hand"),
        }
    }

    /// The open workspace (opened if needed), for use cases that need nothing else kept.
    pub async fn workspace(&self) -> Result<Workspace, ApiError> {
        self.shared_workspace().await
    }

    /// A fresh cancel handle for a promotion about to run; `cancel_running` cancels it.
    pub fn begin_run(&self) -> slipway_deploy::Cancel {
        let cancel = slipway_deploy::Cancel::new();
        *self.running.lock().unwrap_or_else(|p| p.into_inner()) = Some(cancel.clone());
        cancel
    }

    /// The context of a promotion, rollback, redeploy or hotfix this front end starts: the
    /// open workspace, the person using the app, the system clock, `progress`, and a fresh
    /// cancel handle that [`Session::cancel_running`] reaches.
    pub async fn run_context(&self, progress: Progress) -> Result<RunContext, ApiError> {
        Ok(RunContext::new(
            self.shared_workspace().await?,
            identity(None)?,
            progress,
            self.begin_run(),
        ))
    }

    /// Cancels the promotion this front end runs (its deploy action is stopped; the outcome
    /// is recorded as failed with the reason).
    pub fn cancel_running(&self) {
        if let Some(c) = self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            c.cancel();
        }
    }

    /// The QA inbox of the person using the app.
    pub async fn inbox(&self) -> Result<Vec<crate::inbox::InboxItemDto>, ApiError> {
        let me = identity(None)?;
        let mut open = self.open.lock().await;
        let (workspace, repos) = open.with_repos(&self.dir()).await?;
        crate::inbox::inbox(workspace, &me, &SystemClock, repos).await
    }

    /// What waits for the person using the app (sign-offs, approvals, breaches): the tray.
    pub async fn waiting_for_me(&self) -> Result<crate::inbox::WaitingForMeDto, ApiError> {
        let inbox = self.inbox().await.unwrap_or_default();
        let requests = self.requests(false).await?;
        let workspace = self.shared_workspace().await?;
        let undeliverable: Vec<String> =
            crate::notifications::outbox(&workspace, Some("dead"), 200)
                .await?
                .entries
                .into_iter()
                .filter(|d| d.undeliverable)
                .map(|d| d.last_error)
                .collect();
        Ok(crate::inbox::waiting_for_me(
            &inbox,
            &requests.requests,
            &undeliverable,
        ))
    }

    /// Facts for the header.
    pub fn info(&self) -> AppInfoDto {
        let dir = self.dir();
        let me = identity(None).ok();
        AppInfoDto {
            version: env!("CARGO_PKG_VERSION").to_string(),
            my_name: crate::settings::my_name(me.is_some()),
            me,
            workspace: dir.display().to_string(),
            workspace_exists: Workspace::exists(&dir),
            log_dir: app_data_dir().join("logs").display().to_string(),
        }
    }

    /// The board, opening the workspace if needed.
    pub async fn board(&self) -> Result<BoardDto, ApiError> {
        let mut open = self.open.lock().await;
        let (workspace, repos) = open.with_repos(&self.dir()).await?;
        // The same board `slipway queue` shows: reconciled, gated and with aging clocks.
        let board = load_board_cached(workspace, &SystemClock, repos).await?;
        if let Some(watcher) = self
            .watcher
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_mut()
        {
            for project in &board.projects {
                if let Err(e) = watcher.watch(Path::new(&project.repo_path)) {
                    tracing::warn!(project = %project.name, error = %e, "cannot watch the repository");
                }
            }
        }
        Ok(board)
    }

    /// What promoting `environment` of `project` up to `to` (default: everything queued)
    /// would ship.
    pub async fn preview(
        &self,
        project: &str,
        environment: &str,
        to: Option<&str>,
    ) -> Result<PreviewDto, ApiError> {
        let mut open = self.open.lock().await;
        let (workspace, repos) = open.with_repos(&self.dir()).await?;
        preview_cached(workspace, repos, project, environment, to).await
    }

    /// Fetches `project`'s remote, reporting progress; [`Session::cancel_fetch`] stops it.
    pub async fn fetch(
        &self,
        project: &str,
        on_progress: impl FnMut(FetchProgressDto) + Send + 'static,
    ) -> Result<FetchStateDto, ApiError> {
        let cancel = Arc::new(AtomicBool::new(false));
        {
            let mut fetching = self.fetching.lock().unwrap_or_else(|p| p.into_inner());
            if fetching.contains_key(project) {
                return Err(ApiError::new(
                    ErrorCode::InvalidInput,
                    format!("Project {project:?} is being fetched already."),
                ));
            }
            fetching.insert(project.to_string(), Arc::clone(&cancel));
        }
        let result = async {
            let workspace = self.shared_workspace().await?;
            fetch_project(&workspace, project, &SystemClock, cancel, on_progress).await
        }
        .await;
        self.fetching
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(project);
        result
    }

    /// Adds a project (see [`crate::projects::add_project`]); the next board shows it.
    pub async fn add_project(
        &self,
        name: &str,
        repo: &str,
        trunk: &str,
        environments: &[(String, String)],
    ) -> Result<ProjectDto, ApiError> {
        let mut open = self.open.lock().await;
        crate::projects::add_project(
            open.workspace(&self.dir()).await?,
            name,
            Path::new(repo),
            trunk,
            environments,
            &SystemClock,
        )
        .await
    }

    /// Stops a fetch under way (nothing changes); does nothing when none is.
    pub fn cancel_fetch(&self, project: &str) {
        if let Some(flag) = self
            .fetching
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(project)
        {
            flag.store(true, Ordering::Relaxed);
        }
    }

    /// The change requests (open ones unless `all`), nearest breach first.
    pub async fn requests(&self, all: bool) -> Result<RequestListDto, ApiError> {
        let workspace = self.shared_workspace().await?;
        list_requests(
            &workspace,
            all,
            identity(None).ok().as_deref(),
            &SystemClock,
        )
        .await
    }

    /// One request's page.
    pub async fn request(&self, id: i64) -> Result<RequestDetailDto, ApiError> {
        let workspace = self.shared_workspace().await?;
        show_request(&workspace, id, identity(None).ok().as_deref(), &SystemClock).await
    }

    /// Opens a request as the person using the app.
    pub async fn open_request(&self, input: &NewRequestDto) -> Result<RequestDetailDto, ApiError> {
        let workspace = self.shared_workspace().await?;
        open_request(&workspace, input, &identity(None)?, &SystemClock).await
    }

    /// Takes a lifecycle step as the person using the app.
    pub async fn act_on_request(
        &self,
        id: i64,
        action: &RequestActionDto,
    ) -> Result<RequestDetailDto, ApiError> {
        let workspace = self.shared_workspace().await?;
        act_on_request(&workspace, id, action, &identity(None)?, None, &SystemClock).await
    }

    /// The aging view: every running clock, and how queues aged over the last weeks.
    pub async fn aging(&self) -> Result<AgingDto, ApiError> {
        let mut open = self.open.lock().await;
        let (workspace, repos) = open.with_repos(&self.dir()).await?;
        aging_view(workspace, repos, &SystemClock).await
    }

    /// DORA's five metrics and where the time goes, for one environment.
    pub async fn dora(&self, ask: &DoraAskDto) -> Result<DoraDto, ApiError> {
        let mut open = self.open.lock().await;
        let (workspace, repos) = open.with_repos(&self.dir()).await?;
        dora(workspace, repos, ask, &SystemClock).await
    }

    /// Creates a demo workspace in this session's folder, its history ending now.
    pub async fn create_demo(&self) -> Result<DemoDto, ApiError> {
        let mut open = self.open.lock().await;
        *open = Open::default();
        let made = create_demo(&self.dir(), SystemClock.now()).await;
        if made.is_ok() {
            crate::settings::remember_workspace(&self.dir());
        }
        self.started_over();
        made
    }

    /// The background loops start over (on the workspace in use, with its configuration).
    fn started_over(&self) {
        self.generation.send_modify(|g| *g += 1);
    }

    /// What pipeline `repo` suggests (nothing is stored).
    pub async fn detect(&self, repo: &str) -> Result<PipelineProposalDto, ApiError> {
        detect_pipeline(Path::new(repo)).await
    }

    /// First run, "Start with my repository": an empty workspace in this session's folder and
    /// the project in it, or — when anything fails — neither.
    pub async fn start_with_repository(
        &self,
        name: &str,
        repo: &str,
        trunk: &str,
        environments: &[(String, String)],
    ) -> Result<ProjectDto, ApiError> {
        let dir = self.dir();
        let mut open = self.open.lock().await;
        *open = Open::default();
        let made = init_workspace(&dir).await?;
        let added = async {
            let workspace = Workspace::open(&dir).await?;
            let added = crate::projects::add_project(
                &workspace,
                name,
                Path::new(repo),
                trunk,
                environments,
                &SystemClock,
            )
            .await;
            workspace.store().close().await;
            added
        }
        .await;
        match &added {
            Ok(_) => crate::settings::remember_workspace(&dir),
            Err(_) => remove_new_workspace(Path::new(&made.workspace)),
        }
        self.started_over();
        added
    }

    /// The settings page.
    pub async fn settings(&self) -> Result<SettingsDto, ApiError> {
        let (dir, source) = self.dir.read().unwrap_or_else(|p| p.into_inner()).clone();
        // A workspace that does not open still lets you switch away from it.
        let workspace = match Workspace::exists(&dir) {
            true => self.shared_workspace().await.ok(),
            false => None,
        };
        show_settings(workspace.as_ref(), &dir, source, None).await
    }

    /// Changes a setting (see [`crate::settings::set_setting`]); a workspace switch or a new
    /// fetch interval takes effect at once.
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<SettingsDto, ApiError> {
        let dir = self.dir();
        // Only the workspace's own settings need it open (and say why it does not open).
        let workspace = match needs_workspace(key) && Workspace::exists(&dir) {
            true => Some(self.shared_workspace().await?),
            false => None,
        };
        match set_setting(workspace.as_ref(), &dir, key, value, None).await? {
            Applied::Stored => {}
            Applied::WorkspaceConfig => {
                *self.open.lock().await = Open::default();
                self.started_over();
            }
            Applied::Workspace(folder) => {
                let mut open = self.open.lock().await;
                *open = Open::default();
                *self.dir.write().unwrap_or_else(|p| p.into_inner()) =
                    (folder.clone(), WorkspaceSourceDto::Settings);
                drop(open);
                tracing::info!(workspace = %folder.display(), "switched workspace");
                self.started_over();
            }
        }
        self.settings().await
    }
}

/// Removes an empty workspace just made (its files only: the folder may hold logs).
fn remove_new_workspace(dir: &Path) {
    for f in [
        "slipway.toml",
        "slipway.db",
        "slipway.db-wal",
        "slipway.db-shm",
    ] {
        let _ = std::fs::remove_file(dir.join(f));
    }
}
