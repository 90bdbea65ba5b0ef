//! Who is acting, and on which host: one place for every front end.

use serde::Serialize;
use ts_rs::TS;

use crate::error::{ApiError, ErrorCode};
use crate::preferences::Preferences;

/// Where the acting person's email came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum IdentitySourceDto {
    /// `--as EMAIL` on the command line.
    Flag,
    /// The `SLIPWAY_USER` environment variable.
    Environment,
    /// Your settings (`slipway settings set email`, the settings page).
    Settings,
    /// git's `user.email`.
    Git,
}

/// Who is acting, and why: `flag`, else `SLIPWAY_USER`, else your settings' email, else
/// git's `user.email`; `None` when none says.
pub fn identity_source(flag: Option<&str>) -> Option<(String, IdentitySourceDto)> {
    if let Some(who) = flag.map(str::trim).filter(|w| !w.is_empty()) {
        return Some((who.to_string(), IdentitySourceDto::Flag));
    }
    if let Some(who) = std::env::var("SLIPWAY_USER")
        .ok()
        .filter(|w| !w.trim().is_empty())
    {
        return Some((who.trim().to_string(), IdentitySourceDto::Environment));
    }
    if let Some(who) = Preferences::load_or_default().email {
        return Some((who, IdentitySourceDto::Settings));
    }
    // A git user.email that is no address counts as none: the app then asks who you are.
    slipway_git::configured_email()
        .filter(|who| slipway_core::notify::check_email(who).is_ok())
        .map(|who| (who, IdentitySourceDto::Git))
}

/// Who is acting (see [`identity_source`]). An address given with `--as` or `SLIPWAY_USER`
/// must be an email address (it is written into the audit log): anything else is refused,
/// quoted so that a line break in it stays visible.
pub fn identity(flag: Option<&str>) -> Result<String, ApiError> {
    let checked = |who: &str, source: &str| {
        slipway_core::notify::check_email(who).map_err(|_| {
            ApiError::new(
                ErrorCode::InvalidInput,
                format!("{source} {who:?} is not an email address; Slipway records who acted by their address."),
            )
        })
    };
    match identity_source(flag) {
        Some((who, IdentitySourceDto::Flag)) => return checked(&who, "--as"),
        Some((who, IdentitySourceDto::Environment)) => return checked(&who, "SLIPWAY_USER"),
        _ => {}
    }
    identity_source(flag).map(|(who, _)| who).ok_or_else(|| {
        ApiError::new(
            ErrorCode::UnknownPerson,
            "Slipway does not know who you are: set your email in Settings (or `slipway settings set email ADDRESS`), pass --as EMAIL, set SLIPWAY_USER, or set git's user.email.",
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
