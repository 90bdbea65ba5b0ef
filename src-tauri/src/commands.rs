//! The window's commands: each delegates to `Session` or a slipway-api use case in a line or
//! two, as the person using the app.

use std::sync::Arc;

use slipway_api::{
    AgingDto, ApiError, AppInfoDto, BoardDto, ChannelDto, ChannelInputDto, DemoDto,
    DeployActionDto, DeploymentDto, DoraAskDto, DoraDto, DriftDto, FetchStateDto, FollowUpCloseDto,
    FollowUpDto, FollowUpEditDto, GuardChangeDto, GuardSettingsDto, HotfixInputDto, InboxItemDto,
    NewRequestDto, OutboxDto, PipelineProposalDto, PlanDto, PostmortemDto, PreviewDto, Progress,
    ProgressDto, ProjectDto, PromoteInputDto, RequestActionDto, RequestDetailDto, RequestListDto,
    RollbackInputDto, RollbackOptionsDto, Session, SettingsDto, SignoffInputDto, StakeholderDto,
    SubscriptionDto, SubscriptionInputDto, SystemClock, TemplateDto, TemplateInputDto, VerdictDto,
    WindowStartDto,
};
use tauri::ipc::Channel;
use tauri::{Emitter, State};

pub(crate) type Shared<'a> = State<'a, Arc<Session>>;

pub(crate) fn progress_to(channel: Channel<ProgressDto>) -> Progress {
    Arc::new(move |p| drop(channel.send(p)))
}

pub(crate) fn me() -> Result<String, ApiError> {
    slipway_api::identity(None)
}

#[tauri::command]
pub async fn app_info(session: State<'_, Arc<Session>>) -> Result<AppInfoDto, ApiError> {
    Ok(session.info())
}

/// Where the window opens: the `slipway://` link the app was started on (once), else the
/// page it showed last.
#[tauri::command]
pub async fn window_start(
    start: State<'_, crate::links::StartLink>,
) -> Result<WindowStartDto, ApiError> {
    Ok(WindowStartDto {
        link: start.take(),
        last_page: slipway_api::last_page(),
    })
}

/// Keeps the page the window shows, to open on next time.
#[tauri::command]
pub async fn remember_page(route: String) -> Result<(), ApiError> {
    slipway_api::remember_page(&route)
}

#[tauri::command]
pub async fn load_board(session: State<'_, Arc<Session>>) -> Result<BoardDto, ApiError> {
    session.board().await
}

#[tauri::command]
pub async fn preview(
    session: State<'_, Arc<Session>>,
    project: String,
    environment: String,
    to: Option<String>,
) -> Result<PreviewDto, ApiError> {
    session.preview(&project, &environment, to.as_deref()).await
}

#[tauri::command]
pub async fn fetch_project(
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
pub async fn cancel_fetch(
    session: State<'_, Arc<Session>>,
    project: String,
) -> Result<(), ApiError> {
    session.cancel_fetch(&project);
    Ok(())
}

#[tauri::command]
pub async fn add_project(
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
pub async fn detect_pipeline(
    session: Shared<'_>,
    repo: String,
) -> Result<PipelineProposalDto, ApiError> {
    session.detect(&repo).await
}

#[tauri::command]
pub async fn start_with_repository(
    session: Shared<'_>,
    name: String,
    repo: String,
    trunk: String,
    environments: Vec<(String, String)>,
) -> Result<ProjectDto, ApiError> {
    session
        .start_with_repository(&name, &repo, &trunk, &environments)
        .await
}

#[tauri::command]
pub async fn settings(session: Shared<'_>) -> Result<SettingsDto, ApiError> {
    session.settings().await
}

#[tauri::command]
pub async fn set_setting(
    session: Shared<'_>,
    key: String,
    value: String,
) -> Result<SettingsDto, ApiError> {
    session.set_setting(&key, &value).await
}

#[tauri::command]
pub async fn create_demo(session: State<'_, Arc<Session>>) -> Result<DemoDto, ApiError> {
    session.create_demo().await
}

#[tauri::command]
pub async fn list_requests(
    session: State<'_, Arc<Session>>,
    all: bool,
) -> Result<RequestListDto, ApiError> {
    session.requests(all).await
}

#[tauri::command]
pub async fn show_request(
    session: State<'_, Arc<Session>>,
    id: i64,
) -> Result<RequestDetailDto, ApiError> {
    session.request(id).await
}

#[tauri::command]
pub async fn open_request(
    session: State<'_, Arc<Session>>,
    input: NewRequestDto,
) -> Result<RequestDetailDto, ApiError> {
    session.open_request(&input).await
}

#[tauri::command]
pub async fn act_on_request(
    session: State<'_, Arc<Session>>,
    id: i64,
    action: RequestActionDto,
) -> Result<RequestDetailDto, ApiError> {
    session.act_on_request(id, &action).await
}

#[tauri::command]
pub async fn aging(session: State<'_, Arc<Session>>) -> Result<AgingDto, ApiError> {
    session.aging().await
}

#[tauri::command]
pub async fn dora(session: State<'_, Arc<Session>>, ask: DoraAskDto) -> Result<DoraDto, ApiError> {
    session.dora(&ask).await
}

#[tauri::command]
pub async fn plan_promotion(
    session: Shared<'_>,
    input: PromoteInputDto,
) -> Result<PlanDto, ApiError> {
    slipway_api::plan_promotion(&session.workspace().await?, &input, &SystemClock).await
}

#[tauri::command]
pub async fn promote(
    session: Shared<'_>,
    input: PromoteInputDto,
    on_progress: Channel<ProgressDto>,
) -> Result<DeploymentDto, ApiError> {
    let run = session.run_context(progress_to(on_progress)).await?;
    slipway_api::promote(&run, &input).await
}

#[tauri::command]
pub async fn rollback(
    session: Shared<'_>,
    input: RollbackInputDto,
    on_progress: Channel<ProgressDto>,
) -> Result<DeploymentDto, ApiError> {
    let run = session.run_context(progress_to(on_progress)).await?;
    slipway_api::rollback(&run, &input).await
}

#[tauri::command]
pub async fn plan_hotfix(
    session: Shared<'_>,
    input: HotfixInputDto,
) -> Result<Vec<VerdictDto>, ApiError> {
    slipway_api::plan_hotfix(&session.workspace().await?, &input, &SystemClock).await
}

#[tauri::command]
pub async fn hotfix(
    session: Shared<'_>,
    input: HotfixInputDto,
    on_progress: Channel<ProgressDto>,
) -> Result<DeploymentDto, ApiError> {
    let run = session.run_context(progress_to(on_progress)).await?;
    slipway_api::hotfix(&run, &input).await
}

#[tauri::command]
pub async fn redeploy(
    session: Shared<'_>,
    deployment: i64,
    on_progress: Channel<ProgressDto>,
) -> Result<DeploymentDto, ApiError> {
    let run = session.run_context(progress_to(on_progress)).await?;
    slipway_api::redeploy(&run, deployment).await
}

#[tauri::command]
pub async fn cancel_promotion(session: Shared<'_>) -> Result<(), ApiError> {
    session.cancel_running();
    Ok(())
}

#[tauri::command]
pub async fn rollback_options(
    session: Shared<'_>,
    project: String,
    environment: String,
) -> Result<RollbackOptionsDto, ApiError> {
    slipway_api::rollback_options(&session.workspace().await?, &project, &environment).await
}

#[tauri::command]
pub async fn history(
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
pub async fn hold(
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
pub async fn unhold(
    session: Shared<'_>,
    project: String,
    environment: String,
) -> Result<(), ApiError> {
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
pub async fn signoff(session: Shared<'_>, input: SignoffInputDto) -> Result<(), ApiError> {
    slipway_api::signoff(&session.workspace().await?, &input, &me()?, &SystemClock).await
}

#[tauri::command]
pub async fn inbox(session: Shared<'_>) -> Result<Vec<InboxItemDto>, ApiError> {
    session.inbox().await
}

#[tauri::command]
pub async fn mark_bad(
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
pub async fn guard_settings(
    session: Shared<'_>,
    project: String,
) -> Result<GuardSettingsDto, ApiError> {
    slipway_api::guard_settings(&session.workspace().await?, &project).await
}

#[tauri::command]
pub async fn edit_guard(
    session: Shared<'_>,
    project: String,
    change: GuardChangeDto,
) -> Result<GuardSettingsDto, ApiError> {
    slipway_api::edit_guard(
        &session.workspace().await?,
        &project,
        &change,
        &me()?,
        &SystemClock,
    )
    .await
}

#[tauri::command]
pub async fn config_drift(
    session: Shared<'_>,
    project: String,
    from: String,
    to: String,
) -> Result<DriftDto, ApiError> {
    slipway_api::config_drift(&session.workspace().await?, &project, &from, &to).await
}

#[tauri::command]
pub async fn follow_ups(session: Shared<'_>, all: bool) -> Result<Vec<FollowUpDto>, ApiError> {
    slipway_api::follow_ups(&session.workspace().await?, all, &SystemClock).await
}

#[tauri::command]
pub async fn edit_follow_up(
    session: Shared<'_>,
    id: i64,
    edit: FollowUpEditDto,
) -> Result<FollowUpDto, ApiError> {
    slipway_api::edit_follow_up(&session.workspace().await?, id, &edit, &me()?, &SystemClock).await
}

#[tauri::command]
pub async fn close_follow_up(
    session: Shared<'_>,
    id: i64,
    close: FollowUpCloseDto,
) -> Result<FollowUpDto, ApiError> {
    slipway_api::close_follow_up(
        &session.workspace().await?,
        id,
        &close,
        &me()?,
        &SystemClock,
    )
    .await
}

#[tauri::command]
pub async fn postmortem_draft(session: Shared<'_>, id: i64) -> Result<PostmortemDto, ApiError> {
    slipway_api::postmortem_draft(&session.workspace().await?, id, &SystemClock).await
}

/// Saves follow-up `id`'s postmortem draft where the person picks in the save dialog, which
/// the shell opens itself: the page names the follow-up, never a path to write. Returns the
/// file written, or nothing when the dialog was cancelled.
#[tauri::command]
pub async fn save_postmortem(
    app: tauri::AppHandle,
    session: Shared<'_>,
    id: i64,
) -> Result<Option<String>, ApiError> {
    use tauri_plugin_dialog::DialogExt;
    let draft =
        slipway_api::postmortem_draft(&session.workspace().await?, id, &SystemClock).await?;
    let dialog = app
        .dialog()
        .file()
        .set_title("Save the postmortem draft")
        .set_file_name(&draft.file_name)
        .add_filter("Markdown", &["md"]);
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .ok()
        .flatten()
        .and_then(|p| p.into_path().ok());
    let Some(path) = picked else {
        return Ok(None);
    };
    slipway_api::save_postmortem(&path, &draft.markdown)?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command]
pub async fn deploy_action(
    session: Shared<'_>,
    project: String,
    environment: String,
) -> Result<DeployActionDto, ApiError> {
    slipway_api::deploy_action(&session.workspace().await?, &project, &environment).await
}

#[tauri::command]
pub async fn save_deploy_action(
    session: Shared<'_>,
    input: DeployActionDto,
) -> Result<DeployActionDto, ApiError> {
    slipway_api::save_deploy_action(&session.workspace().await?, &input, &me()?, &SystemClock).await
}

#[tauri::command]
pub async fn stakeholders(session: Shared<'_>) -> Result<Vec<StakeholderDto>, ApiError> {
    slipway_api::stakeholders(&session.workspace().await?).await
}

#[tauri::command]
pub async fn save_stakeholder(session: Shared<'_>, input: StakeholderDto) -> Result<(), ApiError> {
    slipway_api::save_stakeholder(&session.workspace().await?, &input).await
}

#[tauri::command]
pub async fn remove_stakeholder(session: Shared<'_>, email: String) -> Result<(), ApiError> {
    slipway_api::remove_stakeholder(&session.workspace().await?, &email).await
}

#[tauri::command]
pub async fn channels(session: Shared<'_>) -> Result<Vec<ChannelDto>, ApiError> {
    slipway_api::channels(&session.workspace().await?).await
}

#[tauri::command]
pub async fn add_channel(
    session: Shared<'_>,
    input: ChannelInputDto,
) -> Result<ChannelDto, ApiError> {
    slipway_api::add_channel(&session.workspace().await?, &input, &me()?, &SystemClock).await
}

#[tauri::command]
pub async fn remove_channel(session: Shared<'_>, name: String) -> Result<(), ApiError> {
    slipway_api::remove_channel(&session.workspace().await?, &name).await
}

#[tauri::command]
pub async fn test_channel(
    app: tauri::AppHandle,
    session: Shared<'_>,
    name: String,
    to: Option<String>,
) -> Result<String, ApiError> {
    let desktop = crate::tray::desktop_sink(&app);
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
pub async fn subscriptions(session: Shared<'_>) -> Result<Vec<SubscriptionDto>, ApiError> {
    slipway_api::subscriptions(&session.workspace().await?).await
}

#[tauri::command]
pub async fn subscribe(
    session: Shared<'_>,
    input: SubscriptionInputDto,
) -> Result<SubscriptionDto, ApiError> {
    slipway_api::subscribe(&session.workspace().await?, &input, &SystemClock).await
}

#[tauri::command]
pub async fn unsubscribe(session: Shared<'_>, id: i64) -> Result<(), ApiError> {
    slipway_api::unsubscribe(&session.workspace().await?, id).await
}

#[tauri::command]
pub async fn templates(session: Shared<'_>) -> Result<Vec<TemplateDto>, ApiError> {
    slipway_api::templates(&session.workspace().await?).await
}

#[tauri::command]
pub async fn save_template(
    session: Shared<'_>,
    input: TemplateInputDto,
) -> Result<TemplateDto, ApiError> {
    slipway_api::save_template(&session.workspace().await?, &input, &me()?, &SystemClock).await
}

#[tauri::command]
pub async fn reset_template(
    session: Shared<'_>,
    kind: String,
    channel_kind: String,
    part: String,
) -> Result<(), ApiError> {
    slipway_api::reset_template(&session.workspace().await?, &kind, &channel_kind, &part).await
}

#[tauri::command]
pub async fn outbox(
    session: Shared<'_>,
    state: Option<String>,
    limit: u32,
) -> Result<OutboxDto, ApiError> {
    slipway_api::outbox(&session.workspace().await?, state.as_deref(), limit).await
}

#[tauri::command]
pub async fn retry_delivery(session: Shared<'_>, id: i64) -> Result<(), ApiError> {
    slipway_api::retry_delivery(&session.workspace().await?, id, &SystemClock).await
}
