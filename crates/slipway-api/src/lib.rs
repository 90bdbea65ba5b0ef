//! Slipway's one surface: every use case the desktop shell and the `slipway` CLI call.
//!
//! Architecture invariant: the DTOs here are the only serialisable types and the only shapes
//! the UI knows; errors leave this crate as [`ApiError`] (a stable code and a sentence).
//! This is the one crate that reads the system clock ([`SystemClock`]).
//!
//! Modules point one way, bottom-up: shared modules (errors, times, identity, keychain names,
//! the workspace, repositories, shared DTOs), then one module per domain noun with its DTOs
//! beside it, then the views that combine domains (`board`, `inbox`, `sla`, `aging`,
//! `watch`), then `demo` and `session`. `layers.rs` holds the order and a test that reads
//! `src/` and fails on an arrow that points up.

// Shared: errors, times, identity, keychain names, the workspace, repositories, shared DTOs.
mod clock;
mod dto;
mod error;
mod identity;
mod logging;
mod preferences;
mod repos;
mod secrets;
mod time;
mod workspace;
// Domains.
mod audit;
mod clocks;
mod detect;
mod fetch;
mod follow_ups;
mod gates;
mod guard;
mod notifications;
mod policies;
mod preview;
mod projects;
mod promotion;
mod requests;
// Views over several domains.
mod aging;
mod board;
mod dora;
mod escalations;
mod inbox;
mod postmortem;
mod sla;
mod watch;
// Front-end helpers.
mod demo;
mod session;
mod settings;

pub use aging::{AgingChangeDto, AgingDto, AgingPointDto, AgingSeriesDto};
pub use audit::{audit_export, audit_verify, AuditEntryDto, AuditVerifyDto};
pub use board::{
    load_board, load_board_cached, load_project_board, AgeBandDto, BlockerDto, BlockerKindDto,
    BoardDto, EnvironmentColumnDto, ProjectBoardDto, QueuedChangeDto, StandingDto, TipDto,
    TrunkColumnDto, WaitingSourceDto,
};
pub use clock::SystemClock;
pub use clocks::{ClockDto, ClockStageDto, ToneDto};
pub use demo::{create_demo, DemoDto};
pub use detect::{
    detect_pipeline, proposal_specs, DetectedEnvironmentDto, PipelineProposalDto, RefFamilyDto,
};
pub use dora::{
    dora, dora_csv, DeploymentSourceDto, DoraAskDto, DoraBandDto, DoraChangeDto, DoraDeploymentDto,
    DoraDto, DoraFailureDto, DoraFigureDto, DoraMetricDto, DoraStageDto, DoraWeekDto,
    FailureRuleDto, UnplannedDto,
};
pub use dto::{
    ChangeDto, DeploymentDto, DeploymentKindDto, DeploymentStatusDto, LinkDto, PageDto,
    ShippedAsDto, ShippedHowDto, WindowStartDto,
};
pub use error::{ApiError, ErrorCode};
pub use escalations::{escalation_routes, ChainMemberDto, ReachDto};
pub use fetch::{fetch_project, set_https_token, FetchProgressDto, FetchStateDto};
pub use follow_ups::{
    close_follow_up, edit_follow_up, edit_follow_up_settings, follow_up, follow_up_settings,
    follow_ups, open_follow_up, FollowUpCloseDto, FollowUpDto, FollowUpEditDto,
    FollowUpSettingsDto, FollowUpStatusDto, NewFollowUpDto, PriorityDto,
};
pub use gates::{
    add_weekly_freeze, deploy_action, hold, mark_bad, save_deploy_action, set_signoff_rule,
    signoff, unhold, DeployActionDto, HeaderDto, HoldDto, SignoffInputDto, WeeklyFreezeInputDto,
};
pub use guard::{
    config_drift, edit_guard, guard_settings, DeniedDto, DriftDto, DriftFileDto, FindingDto,
    FindingKindDto, GuardChangeDto, GuardEnvironmentDto, GuardModeDto, GuardReportDto,
    GuardSettingsDto, MarkerDto, MarkerOriginDto, SkippedDto,
};
pub use identity::{dispatcher_name, identity, identity_source, IdentitySourceDto};
pub use inbox::{inbox, InboxItemDto, WaitingForMeDto, WaitingItemDto, WaitingKindDto};
pub use logging::init_logging;
pub use notifications::{
    add_channel, channels, outbox, remove_channel, remove_stakeholder, reset_template,
    retry_delivery, save_stakeholder, save_template, stakeholders, subscribe, subscriptions,
    template, templates, templates_of, test_channel, unsubscribe, ChannelDto, ChannelInputDto,
    DeliveryDto, DesktopNoticeDto, DesktopSink, DispatchDto, Dispatcher, OutboxDto, StakeholderDto,
    SubscriptionDto, SubscriptionInputDto, TemplateDto, TemplateInputDto,
};
pub use policies::{
    add_freeze, save_calendar, save_person, set_aging_policy, set_sla_policy, AlertingInputDto,
    CalendarInputDto, SlaPolicyInputDto,
};
pub use postmortem::{postmortem_draft, save_postmortem, PostmortemDto};
pub use preferences::{config_dir, last_page, remember_page, CONFIG_ENV};
pub use preview::{preview, preview_cached, AlreadyShippedDto, FileChangeDto, PreviewDto};
pub use projects::{
    add_project, list_projects, record_deployment, remove_project, EnvironmentSpecDto, ProjectDto,
};
pub use promotion::{
    history, hotfix, plan_hotfix, plan_hotfix_run, plan_promotion, plan_redeploy, plan_rollback,
    promote, reconcile_interrupted, redeploy, rollback, rollback_options, GateKindDto,
    HotfixInputDto, OutcomeDto, PlanDto, Progress, ProgressDto, PromoteInputDto, RollbackInputDto,
    RollbackOptionsDto, RollbackTargetDto, RunContext, RunPlanDto, VerdictDto,
};
pub use repos::{start_git, RepoCache};
pub use requests::{
    act_on_request, list_requests, open_request, show_request, NewRequestDto, RequestActionDto,
    RequestDetailDto, RequestListDto, RequestStepDto, RequestSummaryDto, TimelineEntryDto,
};
pub use session::{AppInfoDto, Session};
pub use settings::{
    desktop_notices_on, needs_workspace, set_setting, show_settings, Applied, SettingsDto, ThemeDto,
};
pub use sla::{
    acknowledge_clock, clock_events, sla_check, ClockEventDto, ClockRowDto, SlaCheckDto,
};
pub use slipway_core::LINK_SCHEME;
pub use slipway_core::{format_age, Clock, FixedClock};
pub use slipway_deploy::Cancel;
pub use slipway_secrets::Secret;
pub use time::parse_time;
pub use watch::{
    read_watch_env, rehearsal_instant, watch_pass, Alarm, OnChange, RefWatcher, WatchEnv,
    WatchHealthDto, WatchMonitor, WatchPassDto, CATCH_UP_AFTER_SECS, METRICS_CONTENT_TYPE,
};
pub use workspace::{
    app_data_dir, close_stores, close_stores_on_exit, init_workspace, resolve_workspace,
    resolve_workspace_dir, InitDto, Workspace, WorkspaceSourceDto, WORKSPACE_ENV,
};

#[cfg(test)]
mod bindings;
#[cfg(test)]
mod layers;
