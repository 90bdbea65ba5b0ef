//! Who is acting, and on which host: one place for every front end.

use crate::error::{ApiError, ErrorCode};

/// Who is acting: `flag`, else `SLIPWAY_USER`, else git's `user.email`.
pub fn identity(flag: Option<&str>) -> Result<String, ApiError> {
    if let Some(who) = flag.map(str::trim).filter(|w| !w.is_empty()) {
        return Ok(who.to_string());
    }
    if let Some(who) = std::env::var("SLIPWAY_USER")
        .ok()
        .filter(|w| !w.trim().is_empty())
    {
        return Ok(who.trim().to_string());
    }
    slipway_git::configured_email().ok_or_else(|| {
        ApiError::new(
            ErrorCode::UnknownPerson,
            "Slipway does not know who you are: pass --as EMAIL, set SLIPWAY_USER, or set git's user.email.",
        )
    })
}

/// This machine's host name (it names promotion locks' owners and dispatchers).
pub(crate) fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "localhost".to_string())
}

/// The name this process's dispatcher claims deliveries under: host and process id.
pub fn dispatcher_name() -> String {
    format!("{}:{}", host_name(), std::process::id())
}
