//! Follow-ups: the items a rollback opens, until someone closes them.

use serde::Serialize;
use slipway_core::Clock;
use ts_rs::TS;

use crate::error::{invalid, ApiError};
use crate::time::{rfc3339, time};
use crate::workspace::Workspace;

use super::audit;

/// A follow-up item on the board.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FollowUpDto {
    /// Its number.
    #[ts(type = "number")]
    pub id: i64,
    /// Project name.
    pub project: String,
    /// Environment name.
    pub environment: String,
    /// What is to be done.
    pub title: String,
    /// The rollback that opened it.
    #[ts(type = "number | null")]
    pub deployment: Option<i64>,
    /// Who opened it.
    pub opened_by: String,
    /// When, RFC 3339 UTC.
    pub opened_at: String,
    /// Who closed it, when closed.
    pub closed_by: Option<String>,
}

/// Follow-ups, open ones unless `all`.
pub async fn follow_ups(ws: &Workspace, all: bool) -> Result<Vec<FollowUpDto>, ApiError> {
    Ok(ws
        .store()
        .follow_ups(all)
        .await?
        .into_iter()
        .map(|f| FollowUpDto {
            id: f.id,
            project: f.project,
            environment: f.environment,
            title: f.title,
            deployment: f.promotion_id,
            opened_by: f.opened_by,
            opened_at: rfc3339(time(f.opened_at)),
            closed_by: f.closed.map(|(by, _)| by),
        })
        .collect())
}

/// Closes a follow-up.
pub async fn close_follow_up(
    ws: &Workspace,
    id: i64,
    by: &str,
    clock: &dyn Clock,
) -> Result<(), ApiError> {
    let now = clock.now().timestamp();
    if !ws
        .store()
        .close_follow_up(
            id,
            &audit(
                by,
                now,
                "close_follow_up",
                format!("follow-up #{id}"),
                "closed".into(),
            ),
        )
        .await?
    {
        return Err(invalid(format!("There is no open follow-up #{id}.")));
    }
    Ok(())
}
