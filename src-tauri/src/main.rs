//! Slipway's desktop shell. Every command delegates to slipway-api in one line; the only
//! other work here is window set-up and reading `--workspace DIR`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Arc;

use slipway_api::{
    AgingDto, ApiError, AppInfoDto, BoardDto, ChannelDto, ChannelInputDto, DemoDto,
    DeployActionDto, DeploymentDto, DesktopNoticeDto, FetchStateDto, HotfixInputDto, InboxItemDto,
    NewRequestDto, OutboxDto, PlanDto, PreviewDto, Progress, ProgressDto, ProjectDto,
    PromoteInputDto, RequestActionDto, RequestDetailDto, RequestListDto, RollbackInputDto,
    RollbackOptionsDto, Session, SignoffInputDto, StakeholderDto, SubscriptionDto,
    SubscriptionInputDto, SystemClock, TemplateDto, TemplateInputDto, WaitingForMeDto,
};
use tauri::ipc::Channel;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{Emitter, Listener, Manager, State};
use tauri_plugin_notification::NotificationExt;

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
        &slipway_api::SystemClock,
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

#[tauri::command]
async fn stakeholders(session: Shared<'_>) -> Result<Vec<StakeholderDto>, ApiError> {
    slipway_api::stakeholders(&session.workspace().await?).await
}

#[tauri::command]
async fn save_stakeholder(session: Shared<'_>, input: StakeholderDto) -> Result<(), ApiError> {
    slipway_api::save_stakeholder(&session.workspace().await?, &input).await
}

#[tauri::command]
async fn remove_stakeholder(session: Shared<'_>, email: String) -> Result<(), ApiError> {
    slipway_api::remove_stakeholder(&session.workspace().await?, &email).await
}

#[tauri::command]
async fn channels(session: Shared<'_>) -> Result<Vec<ChannelDto>, ApiError> {
    slipway_api::channels(&session.workspace().await?).await
}

#[tauri::command]
async fn add_channel(session: Shared<'_>, input: ChannelInputDto) -> Result<ChannelDto, ApiError> {
    slipway_api::add_channel(&session.workspace().await?, &input, &me()?, &SystemClock).await
}

#[tauri::command]
async fn remove_channel(session: Shared<'_>, name: String) -> Result<(), ApiError> {
    slipway_api::remove_channel(&session.workspace().await?, &name).await
}

#[tauri::command]
async fn test_channel(
    app: tauri::AppHandle,
    session: Shared<'_>,
    name: String,
    to: Option<String>,
) -> Result<String, ApiError> {
    let desktop = desktop_sink(&app);
    let ws = session.workspace().await?;
    slipway_api::test_channel(
        &ws,
        &name,
        to.as_deref(),
        &me()?,
        &SystemClock,
        Some(&desktop),
    )
    .await
}

#[tauri::command]
async fn subscriptions(session: Shared<'_>) -> Result<Vec<SubscriptionDto>, ApiError> {
    slipway_api::subscriptions(&session.workspace().await?).await
}

#[tauri::command]
async fn subscribe(
    session: Shared<'_>,
    input: SubscriptionInputDto,
) -> Result<SubscriptionDto, ApiError> {
    slipway_api::subscribe(&session.workspace().await?, &input, &SystemClock).await
}

#[tauri::command]
async fn unsubscribe(session: Shared<'_>, id: i64) -> Result<(), ApiError> {
    slipway_api::unsubscribe(&session.workspace().await?, id).await
}

#[tauri::command]
async fn templates(session: Shared<'_>) -> Result<Vec<TemplateDto>, ApiError> {
    slipway_api::templates(&session.workspace().await?).await
}

#[tauri::command]
async fn save_template(
    session: Shared<'_>,
    input: TemplateInputDto,
) -> Result<TemplateDto, ApiError> {
    slipway_api::save_template(&session.workspace().await?, &input, &me()?, &SystemClock).await
}

#[tauri::command]
async fn reset_template(
    session: Shared<'_>,
    kind: String,
    channel_kind: String,
    part: String,
) -> Result<(), ApiError> {
    slipway_api::reset_template(&session.workspace().await?, &kind, &channel_kind, &part).await
}

#[tauri::command]
async fn outbox(
    session: Shared<'_>,
    state: Option<String>,
    limit: u32,
) -> Result<OutboxDto, ApiError> {
    slipway_api::outbox(&session.workspace().await?, state.as_deref(), limit).await
}

#[tauri::command]
async fn retry_delivery(session: Shared<'_>, id: i64) -> Result<(), ApiError> {
    slipway_api::retry_delivery(&session.workspace().await?, id, &SystemClock).await
}

#[tauri::command]
async fn waiting_for_me(session: Shared<'_>) -> Result<WaitingForMeDto, ApiError> {
    session.waiting_for_me().await
}

/// Desktop-channel notifications: the OS's notification service, and an in-app toast (the
/// window hears `desktop-notice`). A missing notification service only loses the former.
fn desktop_sink(app: &tauri::AppHandle) -> slipway_api::DesktopSink {
    let app = app.clone();
    Arc::new(move |notice: DesktopNoticeDto| {
        if let Err(e) = app
            .notification()
            .builder()
            .title(&notice.title)
            .body(&notice.body)
            .show()
        {
            tracing::debug!(error = %e, "no desktop notification service");
        }
        let _ = app.emit("desktop-notice", notice);
    })
}

/// The tray icon: its title counts what waits for you; its menu lists it and opens it in
/// the window (which hears `open-link`).
fn build_tray(app: &tauri::App) -> tauri::Result<(TrayIcon, Menu<tauri::Wry>)> {
    let menu = Menu::with_items(
        app,
        &[&MenuItem::with_id(
            app,
            "0|slipway://board",
            "Open Slipway",
            true,
            None::<&str>,
        )?],
    )?;
    let mut builder = TrayIconBuilder::with_id("slipway")
        .menu(&menu)
        .tooltip("Slipway")
        .on_menu_event(|app, event| {
            let id = event.id().as_ref();
            let link = id.split_once('|').map_or(id, |(_, link)| link).to_string();
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.show();
                let _ = window.set_focus();
            }
            let _ = app.emit("open-link", link);
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    Ok((builder.build(app)?, menu))
}

fn show_waiting(
    app: &tauri::AppHandle,
    tray: &TrayIcon,
    menu: &Menu<tauri::Wry>,
    waiting: &WaitingForMeDto,
) -> tauri::Result<()> {
    for item in menu.items()? {
        menu.remove(&item)?;
    }
    let header = if waiting.total == 0 {
        "Nothing waits for you".to_string()
    } else {
        format!(
            "{} waiting for you: {} sign-off(s), {} approval(s), {} breach(es)",
            waiting.total, waiting.signoffs, waiting.approvals, waiting.breaches
        )
    };
    menu.append(&MenuItem::with_id(
        app,
        "0|slipway://board",
        header,
        true,
        None::<&str>,
    )?)?;
    if !waiting.items.is_empty() {
        menu.append(&PredefinedMenuItem::separator(app)?)?;
    }
    for (i, item) in waiting.items.iter().enumerate() {
        let id = format!("{}|{}", i + 1, item.link);
        menu.append(&MenuItem::with_id(
            app,
            id,
            &item.label,
            true,
            None::<&str>,
        )?)?;
    }
    let title = (waiting.total > 0).then(|| waiting.total.to_string());
    tray.set_title(title.as_deref())?;
    tray.set_tooltip(Some(if waiting.total == 0 {
        "Slipway".to_string()
    } else {
        format!("Slipway — {} waiting for you", waiting.total)
    }))?;
    if let Some(window) = app.get_webview_window("main") {
        window.set_title(&match waiting.total {
            0 => "Slipway".to_string(),
            n => format!("Slipway ({n})"),
        })?;
    }
    Ok(())
}

/// Keeps the tray current: now, every 30 seconds, and whenever the board changes.
fn keep_tray_current(
    app: tauri::AppHandle,
    session: Arc<Session>,
    tray: TrayIcon,
    menu: Menu<tauri::Wry>,
) {
    let wake = Arc::new(tokio::sync::Notify::new());
    {
        let wake = Arc::clone(&wake);
        app.listen("board-changed", move |_| wake.notify_one());
    }
    tauri::async_runtime::spawn(async move {
        loop {
            match session.waiting_for_me().await {
                Ok(waiting) => {
                    if let Err(e) = show_waiting(&app, &tray, &menu, &waiting) {
                        tracing::debug!(error = %e, "the tray could not be updated");
                    }
                }
                Err(e) => tracing::debug!(error = %e.message, "what waits for you is unknown"),
            }
            let _ = tokio::time::timeout(std::time::Duration::from_secs(30), wake.notified()).await;
        }
    });
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
        .plugin(tauri_plugin_notification::init())
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
            tauri::async_runtime::spawn(
                Arc::clone(&session).keep_watching(std::time::Duration::from_secs(30)),
            );
            // Deliver notifications while the app is open (beside any `slipway watch`).
            tauri::async_runtime::spawn(
                Arc::clone(&session).keep_dispatching(desktop_sink(app.handle())),
            );
            // The tray: what waits for you. A desktop without a tray area still runs the app.
            match build_tray(app) {
                Ok((tray, menu)) => keep_tray_current(app.handle().clone(), session, tray, menu),
                Err(e) => tracing::warn!(error = %e, "no tray icon"),
            }
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
            save_deploy_action,
            stakeholders,
            save_stakeholder,
            remove_stakeholder,
            channels,
            add_channel,
            remove_channel,
            test_channel,
            subscriptions,
            subscribe,
            unsubscribe,
            templates,
            save_template,
            reset_template,
            outbox,
            retry_delivery,
            waiting_for_me
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!(error = %e, "the window could not start");
        eprintln!("slipway: the window could not start: {e}");
        std::process::exit(1);
    }
}
