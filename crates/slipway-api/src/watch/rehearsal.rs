//! `slipway watch --once --at TIME`: one pass as of a chosen instant, to rehearse an
//! escalation or reproduce a test. The instant is checked against what the workspace holds.

use chrono::{DateTime, Duration, Utc};

use crate::error::{invalid, ApiError};
use crate::time::{read_time, rfc3339};
use crate::workspace::Workspace;

/// How far ahead of now a rehearsal may look.
const REACH_DAYS: i64 = 366;

/// The instant `text` names, if a pass may be made as of it: not more than a year after
/// `now`, and not before the newest threshold the workspace has stored (a pass then would
/// record crossings older than ones it already has).
pub async fn rehearsal_instant(
    workspace: &Workspace,
    text: &str,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, ApiError> {
    let at = read_time(text)?;
    if at > now + Duration::days(REACH_DAYS) {
        return Err(invalid(format!(
            "--at {} is more than a year after now ({}); a rehearsal looks at most {REACH_DAYS} days ahead.",
            rfc3339(at),
            rfc3339(now)
        )));
    }
    let newest = workspace.store().clock_events(1).await?;
    if let Some(e) = newest.first() {
        if at.timestamp() < e.crossed_at {
            return Err(invalid(format!(
                "--at {} is before the newest threshold the workspace has stored ({} crossed {}); a pass as of then would record crossings out of order. Pick a time at or after it.",
                rfc3339(at),
                e.clock_key,
                rfc3339(DateTime::from_timestamp(e.crossed_at, 0).unwrap_or(at))
            )));
        }
    }
    Ok(at)
}
