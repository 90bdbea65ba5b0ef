//! Slipway's one surface: every use case the desktop shell and the `slipway` CLI call.
//!
//! Architecture invariant: the DTOs here are the only serialisable types and the only shapes
//! the UI knows; errors leave this crate as [`ApiError`] (a stable code and a sentence).
//! This is the one crate that reads the system clock ([`SystemClock`]).

mod board;
mod clock;
mod clocks;
mod demo;
mod error;
mod fetch;
mod gates;
mod logging;
mod notices;
mod notify;
mod preview;
mod projects;
mod promote;
mod requests;
mod session;
mod sla;
mod watch;
mod workspace;

pub use board::{
    load_board, load_board_cached, AgeBandDto, BlockerDto, BoardDto, ChangeDto,
    EnvironmentColumnDto, ProjectBoardDto, QueuedChangeDto, RepoCache, StandingDto, TipDto,
    TrunkColumnDto, WaitingSourceDto,
};
pub use clock::SystemClock;
pub use clocks::ClockDto;
pub use demo::{create_demo, DemoDto};
pub use error::{ApiError, ErrorCode};
pub use fetch::{fetch_project, set_https_token, FetchProgressDto, FetchStateDto};
pub use gates::{
    add_weekly_freeze, audit_export, audit_verify, close_follow_up, deploy_action, follow_ups,
    history, hold, inbox, mark_bad, save_deploy_action, set_signoff_rule, signoff, unhold,
    AuditEntryDto, AuditVerifyDto, DeployActionDto, FollowUpDto, HeaderDto, HoldDto, InboxItemDto,
    SignoffInputDto, WeeklyFreezeInputDto,
};
pub use logging::init_logging;
pub use notify::{
    add_channel, channels, dispatcher_name, outbox, remove_channel, remove_stakeholder,
    reset_template, retry_delivery, save_stakeholder, save_template, stakeholders, subscribe,
    subscriptions, templates, test_channel, unsubscribe, ChannelDto, ChannelInputDto, DeliveryDto,
    DesktopNoticeDto, DesktopSink, DispatchDto, Dispatcher, OutboxDto, StakeholderDto,
    SubscriptionDto, SubscriptionInputDto, TemplateDto, TemplateInputDto, WaitingForMeDto,
    WaitingItemDto,
};
pub use preview::{preview, FileChangeDto, PreviewDto};
pub use projects::{
    add_project, list_projects, record_deployment, remove_project, EnvironmentSpecDto, ProjectDto,
};
pub use promote::{
    hotfix, plan_promotion, promote, reconcile_interrupted, redeploy, rollback, rollback_options,
    DeploymentDto, HotfixInputDto, PlanDto, Progress, ProgressDto, PromoteInputDto,
    RollbackInputDto, RollbackOptionsDto, RollbackTargetDto, VerdictDto,
};
pub use requests::{
    act_on_request, identity, list_requests, open_request, parse_time, show_request, NewRequestDto,
    RequestActionDto, RequestDetailDto, RequestListDto, RequestSummaryDto, TimelineEntryDto,
};
pub use session::{AppInfoDto, Session};
pub use sla::{
    acknowledge_clock, add_freeze, clock_events, parse_duration, save_calendar, save_person,
    set_aging_policy, set_sla_policy, sla_check, watch_pass, AgingChangeDto, AgingDto,
    AgingPointDto, AgingSeriesDto, AlertingInputDto, CalendarInputDto, ClockEventDto, ClockRowDto,
    SlaCheckDto, SlaPolicyInputDto, WatchPassDto,
};
pub use slipway_core::format_age;
pub use slipway_deploy::Cancel;
pub use slipway_secrets::Secret;
pub use watch::{OnChange, RefWatcher};
pub use workspace::{app_data_dir, resolve_workspace_dir, Workspace, WORKSPACE_ENV};

#[cfg(test)]
mod bindings;
