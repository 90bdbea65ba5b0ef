//! Holds: an environment that automation must not promote, with a reason and an owner.

use serde::Serialize;
use slipway_core::{Clock, Hold};
use slipway_store::AuditDraft;
use ts_rs::TS;

use crate::error::{invalid, ApiError, ErrorCode};
use crate::projects::environment_index;
use crate::time::time;
use crate::workspace::Workspace;

use super::audit;

/// Puts a hold on an environment: nothing is promoted into it until someone lifts it.
pub async fn hold(
    ws: &Workspace,
    project: &str,
    environment: &str,
    reason: &str,
    by: &str,
    clock: &dyn Clock,
) -> Result<(), ApiError> {
    let found = ws.project(project).await?;
    environment_index(&found, environment)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(invalid("A hold needs a reason people will read."));
    }
    let now = clock.now().timestamp();
    let held = ws
        .store()
        .hold(
            project,
            environment,
            &Hold {
                reason: reason.to_string(),
                owner: by.to_string(),
                since: now,
            },
            &AuditDraft {
                events: vec![slipway_core::notice::held(
                    project,
                    environment,
                    reason,
                    by,
                    time(now),
                )],
                ..audit(
                    by,
                    now,
                    "hold",
                    format!("{project}/{environment}"),
                    format!("held: {reason}"),
                )
            },
        )
        .await?;
    if !held {
        return Err(ApiError::new(
            ErrorCode::NotAllowed,
            format!("{environment} is on hold already; lift that hold first."),
        ));
    }
    Ok(())
}

/// Lifts an environment's hold.
pub async fn unhold(
    ws: &Workspace,
    project: &str,
    environment: &str,
    by: &str,
    clock: &dyn Clock,
) -> Result<(), ApiError> {
    let found = ws.project(project).await?;
    environment_index(&found, environment)?;
    let lifted = ws
        .store()
        .lift_hold(
            project,
            environment,
            &audit(
                by,
                clock.now().timestamp(),
                "unhold",
                format!("{project}/{environment}"),
                "hold lifted".into(),
            ),
        )
        .await?;
    if !lifted {
        return Err(ApiError::new(
            ErrorCode::NotAllowed,
            format!("{environment} is not on hold."),
        ));
    }
    Ok(())
}

/// A hold on an environment.
#[derive(Debug, Clone, Serialize, TS)]
pub struct HoldDto {
    /// Why.
    pub reason: String,
    /// Who owns lifting it.
    pub owner: String,
    /// Since when, RFC 3339 UTC.
    pub since: String,
}
