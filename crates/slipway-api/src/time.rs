//! Times as Slipway writes and reads them: RFC 3339 UTC out, RFC 3339 or `YYYY-MM-DD HH:MM`
//! in, stored seconds and milliseconds to instants, short shas. Shared by every domain.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};

use crate::error::{invalid, ApiError};

/// An instant as the UI and `--json` show it (RFC 3339, UTC, whole seconds).
pub(crate) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A stored time in seconds since the epoch.
pub(crate) fn time(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

/// A stored time in milliseconds since the epoch, as RFC 3339.
pub(crate) fn ms_time(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(rfc3339)
        .unwrap_or_default()
}

/// The first 8 characters of a sha.
pub(crate) fn short(sha: &str) -> &str {
    &sha[..sha.len().min(8)]
}

/// Reads a time given by a person: RFC 3339, or `YYYY-MM-DD HH:MM` in UTC. Never in the future.
pub fn parse_time(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, ApiError> {
    let at = read_time(text)?;
    if at > now + chrono::Duration::minutes(1) {
        return Err(invalid(format!(
            "{} is in the future; events are entered when they happen or after.",
            rfc3339(at)
        )));
    }
    Ok(at)
}

/// Reads a time given by a person (RFC 3339, or `YYYY-MM-DD HH:MM` in UTC), past or future.
pub(crate) fn read_time(text: &str) -> Result<DateTime<Utc>, ApiError> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M")
                .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
                .map(|t| t.and_utc())
        })
        .map_err(|_| {
            invalid(format!(
                "“{text}” is not a time; write 2026-11-20T17:00:00+01:00 or 2026-11-20 16:00 (UTC)."
            ))
        })
}
