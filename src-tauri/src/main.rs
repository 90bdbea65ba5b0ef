//! Slipway's desktop shell. Every command delegates to slipway-api in one line; the only
//! other work here is window set-up and reading `--workspace DIR`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Arc;

use slipway_api::{
    AgingDto, ApiError, AppInfoDto, BoardDto, DemoDto, DeployActionDto, DeploymentDto,
    FetchStateDto, HotfixInputDto, InboxItemDto, NewRequestDto, PlanDto, PreviewDto, Progress,
    ProgressDto, ProjectDto, PromoteInputDto, RequestActionDto, RequestDetailDto, RequestListDto,
    RollbackInputDto, RollbackOptionsDto, Session, SignoffInputDto, SystemClock,
};
use tauri::ipc::Channel;
use tauri::{Emitter, Manager, State};

type Shared<'a> = State<'a, Arc<Session>>;

fn progress_to(channel: Channel<ProgressDto>) -> Progress {
    Arc::new(move |p| drop(channel.send(p)))
}

fn me() -> Result<String, ApiError> {
    slipway_api::identity(None)
}

#[tauri::command]
async fn app_info(session: State<'_, Arc<Session>>) -> Result<AppInfoDto, ApiError> {
    Ok(session.info())
}

#[tauri::command]
async fn load_board(session: State<'_, Arc<Session>>) -> Result<BoardDto, ApiError> {
    session.board().await
}

#[tauri::command]
async fn preview(
    session: State<'_, Arc<Session>>,
    project: String,
    environment: String,
    to: Option<String>,
) -> Result<PreviewDto, ApiError> {
    session.preview(&project, &environment, to.as_deref()).await
}

#[tauri::command]
async fn fetch_project(
    app: tauri::AppHandle,
    session: State<'_, Arc<Session>>,
    project: String,
) -> Result<FetchStateDto, ApiError> {
    session
        .fetch(&project, move |progress| {
            drop(app.emit("fetch-progress", progress))
        })
        .await
}

#[tauri::command]
async fn cancel_fetch(session: State<'_, Arc<Session>>, project: String) -> Result<(), ApiError> {
    session.cancel_fetch(&project);
    Ok(())
}

#[tauri::command]
async fn add_project(
    session: State<'_, Arc<Session>>,
    name: String,
    repo: String,
    trunk: String,
    environments: Vec<(String, String)>,
) -> Result<ProjectDto, ApiError> {
    session
        .add_project(&name, &repo, &trunk, &environments)
        .await
}

#[tauri::command]
async fn create_demo(session: State<'_, Arc<Session>>) -> Result<DemoDto, ApiError> {
    session.create_demo().await
}

#[tauri::command]
async fn list_requests(
    session: State<'_, Arc<Session>>,
    all: bool,
) -> Result<RequestListDto, ApiError> {
    session.requests(all).await
}

#[tauri::command]
async fn show_request(
    session: State<'_, Arc<Session>>,
    id: i64,
) -> Result<RequestDetailDto, ApiError> {
    session.request(id).await
}

#[tauri::command]
async fn open_request(
    session: State<'_, Arc<Session>>,
    input: NewRequestDto,
) -> Result<RequestDetailDto, ApiError> {
    session.open_request(&input).await
}

#[tauri::command]
async fn act_on_request(
    session: State<'_, Arc<Session>>,
    id: i64,
    action: RequestActionDto,
) -> Result<RequestDetailDto, ApiError> {
    session.act_on_request(id, &action).await
}

#[tauri::command]
async fn aging(session: State<'_, Arc<Session>>) -> Result<AgingDto, ApiError> {
    session.aging().await
}

#[tauri::command]
async fn plan_promotion(session: Shared<'_>, input: PromoteInputDto) -> Result<PlanDto, ApiError> {
    slipway_api::plan_promotion(&session.workspace().await?, &input, &SystemClock).await
}

#[tauri::command]
async fn promote(
    session: Shared<'_>,
    input: PromoteInputDto,
    on_progress: Channel<ProgressDto>,
) -> Result<DeploymentDto, ApiError> {
    let (ws, cancel) = (session.workspace().await?, session.begin_run());
    slipway_api::promote(
        &ws,
        &input,
        &me()?,
        &SystemClock,
        progress_to(on_progress),
        &cancel,
    )
    .await
}

#[tauri::command]
async fn rollback(
    session: Shared<'_>,
    input: RollbackInputDto,
    on_progress: Channel<ProgressDto>,
) -> Result<DeploymentDto, ApiError> {
    let (ws, cancel) = (session.workspace().await?, session.begin_run());
    slipway_api::rollback(
        &ws,
        &input,
        &me()?,
        &SystemClock,
        progress_to(on_progress),
        &cancel,
    )
    .await
}

#[tauri::command]
async fn hotfix(
    session: Shared<'_>,
    input: HotfixInputDto,
    on_progress: Channel<ProgressDto>,
) -> Result<DeploymentDto, ApiError> {
    let (ws, cancel) = (session.workspace().await?, session.begin_run());
    slipway_api::hotfix(
        &ws,
        &input,
        &me()?,
        &SystemClock,
        progress_to(on_progress),
        &cancel,
    )
    .await
}

#[tauri::command]
async fn redeploy(
    session: Shared<'_>,
    deployment: i64,
    on_progress: Channel<ProgressDto>,
) -> Result<DeploymentDto, ApiError> {
    let (ws, cancel) = (session.workspace().await?, session.begin_run());
    slipway_api::redeploy(
        &ws,
        deployment,
        &me()?,
        &SystemClock,
        progress_to(on_progress),
        &cancel,
    )
    .await
}

#[tauri::command]
async fn cancel_promotion(session: Shared<'_>) -> Result<(), ApiError> {
    session.cancel_running();
    Ok(())
}

#[tauri::command]
async fn rollback_options(
    session: Shared<'_>,
    project: String,
    environment: String,
) -> Result<RollbackOptionsDto, ApiError> {
    slipway_api::rollback_options(&session.workspace().await?, &project, &environment).await
}

#[tauri::command]
async fn history(
    session: Shared<'_>,
    project: String,
    environment: String,
) -> Result<Vec<DeploymentDto>, ApiError> {
    slipway_api::history(
        &session.workspace().await?,
        &project,
        Some(&environment),
        100,
    )
    .await
}

#[tauri::command]
async fn hold(
    session: Shared<'_>,
    project: String,
    environment: String,
    reason: String,
) -> Result<(), ApiError> {
    slipway_api::hold(
        &session.workspace().await?,
        &project,
        &environment,
        &reason,
        &me()?,
        &SystemClock,
    )
    .await
}

#[tauri::command]
async fn unhold(session: Shared<'_>, project: String, environment: String) -> Result<(), ApiError> {
    slipway_api::unhold(
        &session.workspace().await?,
        &project,
        &environment,
        &me()?,
        &SystemClock,
    )
    .await
}

#[tauri::command]
async fn signoff(session: Shared<'_>, input: SignoffInputDto) -> Result<(), ApiError> {
    slipway_api::signoff(&session.workspace().await?, &input, &me()?, &SystemClock).await
}

#[tauri::command]
async fn inbox(session: Shared<'_>) -> Result<Vec<InboxItemDto>, ApiError> {
    session.inbox().await
}

#[tauri::command]
async fn mark_bad(
    session: Shared<'_>,
    project: String,
    sha: String,
    reason: Option<String>,
) -> Result<(), ApiError> {
    slipway_api::mark_bad(
        &session.workspace().await?,
        &project,
        &sha,
        reason.as_deref(),
        &me()?,
        &SystemClock,
    )
    .await
}

#[tauri::command]
async fn close_follow_up(session: Shared<'_>, id: i64) -> Result<(), ApiError> {
    slipway_api::close_follow_up(&session.workspace().await?, id, &me()?, &SystemClock).await
}

#[tauri::command]
async fn deploy_action(
    session: Shared<'_>,
    project: String,
    environment: String,
) -> Result<DeployActionDto, ApiError> {
    slipway_api::deploy_action(&session.workspace().await?, &project, &environment).await
}

#[tauri::command]
async fn save_deploy_action(
    session: Shared<'_>,
    input: DeployActionDto,
) -> Result<DeployActionDto, ApiError> {
    slipway_api::save_deploy_action(&session.workspace().await?, &input, &me()?, &SystemClock).await
}

/// `--workspace DIR` or `--workspace=DIR`; the rest of the arguments are the platform's.
fn workspace_flag() -> Option<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--workspace" {
            return args.next().map(PathBuf::from);
        }
        if let Some(value) = arg.to_str().and_then(|a| a.strip_prefix("--workspace=")) {
            return Some(PathBuf::from(value));
        }
    }
    None
}

fn main() {
    let _log = slipway_api::init_logging("slipway-desktop");
    let workspace = slipway_api::resolve_workspace_dir(workspace_flag());
    tracing::info!(workspace = %workspace.display(), "starting");
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(Arc::new(Session::new(&workspace)))
        .setup(|app| {
            // When a project's refs change, tell the window; it reloads the board.
            let handle = app.handle().clone();
            let session = Arc::clone(app.state::<Arc<Session>>().inner());
            session.on_change(Arc::new(move || {
                let _ = handle.emit("board-changed", ());
            }));
            // Fetch every project now and then on the workspace's interval.
            tauri::async_runtime::spawn(Arc::clone(&session).keep_fetching());
            // Team mode: other desktops' promotions, holds and sign-offs arrive pushed.
            tauri::async_runtime::spawn(Arc::clone(&session).keep_listening());
            // Evaluate SLA and aging clocks while the app is open (safe beside `slipway watch`).
            tauri::async_runtime::spawn(session.keep_watching(std::time::Duration::from_secs(30)));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            app_info,
            load_board,
            preview,
            fetch_project,
            cancel_fetch,
            add_project,
            create_demo,
            list_requests,
            show_request,
            open_request,
            act_on_request,
            aging,
            plan_promotion,
            promote,
            rollback,
            hotfix,
            redeploy,
            cancel_promotion,
            rollback_options,
            history,
            hold,
            unhold,
            signoff,
            inbox,
            mark_bad,
            close_follow_up,
            deploy_action,
            save_deploy_action
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!(error = %e, "the window could not start");
        eprintln!("slipway: the window could not start: {e}");
        std::process::exit(1);
    }
}
