//! Slipway's one surface: every use case the desktop shell and the `slipway` CLI call.
//!
//! Architecture invariant: the DTOs here are the only serialisable types and the only shapes
//! the UI knows; errors leave this crate as [`ApiError`] (a stable code and a sentence).
//! This is the one crate that reads the system clock ([`SystemClock`]).

mod board;
mod clock;
mod demo;
mod error;
mod fetch;
mod logging;
mod preview;
mod projects;
mod session;
mod watch;
mod workspace;

pub use board::{
    load_board, load_board_cached, AgeBandDto, BlockerDto, BoardDto, ChangeDto,
    EnvironmentColumnDto, ProjectBoardDto, QueuedChangeDto, RepoCache, StandingDto, TipDto,
    TrunkColumnDto, WaitingSourceDto,
};
pub use clock::SystemClock;
pub use demo::{create_demo, DemoDto};
pub use error::{ApiError, ErrorCode};
pub use fetch::{fetch_project, set_https_token, FetchProgressDto, FetchStateDto};
pub use logging::init_logging;
pub use preview::{preview, FileChangeDto, PreviewDto};
pub use projects::{
    add_project, list_projects, record_deployment, remove_project, EnvironmentSpecDto, ProjectDto,
};
pub use session::{AppInfoDto, Session};
pub use slipway_secrets::Secret;
pub use watch::{OnChange, RefWatcher};
pub use workspace::{app_data_dir, resolve_workspace_dir, Workspace, WORKSPACE_ENV};

#[cfg(test)]
mod bindings;
