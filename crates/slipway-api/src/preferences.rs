//! The person's own settings on this machine — who they are, the theme, desktop notices, the
//! workspace in use and the recent ones — in `settings.toml` in the app's config folder. What
//! belongs to the workspace (roles, the fetch interval) lives in the workspace instead.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use slipway_core::Theme;

use crate::error::{ApiError, ErrorCode};

/// The environment variable that chooses the config folder.
pub const CONFIG_ENV: &str = "SLIPWAY_CONFIG_DIR";
const FILE: &str = "settings.toml";
/// How many recent workspaces are remembered.
const RECENT: usize = 8;

/// The config folder: `$SLIPWAY_CONFIG_DIR`, else `config` in `$SLIPWAY_DATA_DIR` when that
/// is set (a test's or a portable install's one folder), else the platform's
/// (`~/.config/slipway`).
pub fn config_dir() -> PathBuf {
    let from = |var: &str| {
        std::env::var_os(var)
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
    };
    from(CONFIG_ENV)
        .or_else(|| from("SLIPWAY_DATA_DIR").map(|d| d.join("config")))
        .unwrap_or_else(|| {
            dirs::config_dir()
                .unwrap_or_else(|| PathBuf::from("."))
                .join("slipway")
        })
}

/// What `settings.toml` says.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Preferences {
    /// Your name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Who you act as (else `SLIPWAY_USER`'s, else git's user.email).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// system, light or dark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// Whether desktop notices pop up (default on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desktop_notices: Option<bool>,
    /// The workspace in use when no flag or `SLIPWAY_WORKSPACE` says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<PathBuf>,
    /// Workspaces used before, newest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recent_workspaces: Vec<PathBuf>,
    /// The page the window showed last (its route), to open on next time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_page: Option<String>,
}

impl Preferences {
    /// The file.
    pub fn path() -> PathBuf {
        config_dir().join(FILE)
    }

    /// The settings; none yet is the defaults. A file that cannot be read is an error naming it.
    pub fn load() -> Result<Preferences, ApiError> {
        let path = Self::path();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Preferences::default()),
            Err(e) => return Err(broken(&path, &e)),
        };
        toml::from_str(&text).map_err(|e| broken(&path, &e.message()))
    }

    /// The settings, or the defaults when the file cannot be read (said in the log): for
    /// reads such as who is acting, where a broken file must not stop the app.
    pub fn load_or_default() -> Preferences {
        Self::load().unwrap_or_else(|e| {
            tracing::warn!(error = %e.message, "personal settings ignored");
            Preferences::default()
        })
    }

    /// Writes the file whole (a new file renamed over the old, so a crash leaves one or the
    /// other).
    pub fn save(&self) -> Result<(), ApiError> {
        let path = Self::path();
        let dir = config_dir();
        let failed = |e: &dyn std::fmt::Display| {
            ApiError::new(
                ErrorCode::Io,
                format!(
                    "Cannot write your settings to {}: {e}. Nothing was changed.",
                    path.display()
                ),
            )
        };
        std::fs::create_dir_all(&dir).map_err(|e| failed(&e))?;
        let text = toml::to_string(self).map_err(|e| failed(&e))?;
        let header = "# Slipway's settings for you on this machine (the settings page and `slipway settings set` write it).\n";
        let temp = dir.join(format!(".{FILE}.{}", std::process::id()));
        std::fs::write(&temp, format!("{header}{text}")).map_err(|e| failed(&e))?;
        std::fs::rename(&temp, &path).map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            failed(&e)
        })
    }

    /// The theme (an unknown word in the file is the system's).
    pub fn theme(&self) -> Theme {
        match self.theme.as_deref() {
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            _ => Theme::System,
        }
    }

    /// Makes `dir` the workspace in use and the newest of the recent ones.
    pub fn use_workspace(&mut self, dir: &Path) {
        self.workspace = Some(dir.to_path_buf());
        self.remember(dir);
    }

    /// Puts `dir` first among the recent workspaces.
    pub fn remember(&mut self, dir: &Path) {
        self.recent_workspaces.retain(|d| d != dir);
        self.recent_workspaces.insert(0, dir.to_path_buf());
        self.recent_workspaces.truncate(RECENT);
    }
}

/// The longest route kept as the window's last page.
const MAX_PAGE_LEN: usize = 200;

/// The route the window showed last, if one was kept (a file that cannot be read keeps none).
pub fn last_page() -> Option<String> {
    Preferences::load_or_default().last_page
}

/// Keeps `route` (`/requests/12`) as the page the window opens on next time. Anything but
/// an app route (a leading `/`, printable, at most 200 characters) is refused and changes
/// nothing; the file is written only when the page changed.
pub fn remember_page(route: &str) -> Result<(), ApiError> {
    check_route(route)?;
    let mut prefs = Preferences::load()?;
    if prefs.last_page.as_deref() == Some(route) {
        return Ok(());
    }
    prefs.last_page = Some(route.to_string());
    prefs.save()
}

fn check_route(route: &str) -> Result<(), ApiError> {
    if !route.starts_with('/') || route.len() > MAX_PAGE_LEN || route.chars().any(char::is_control)
    {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("{route:?} is not a page of the app; nothing was kept."),
        ));
    }
    Ok(())
}

fn broken(path: &Path, e: &dyn std::fmt::Display) -> ApiError {
    ApiError::new(
        ErrorCode::WorkspaceConfigInvalid,
        format!(
            "Your settings file {} cannot be read: {e}. Fix it by hand or remove it; Slipway has not changed it.",
            path.display()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_app_routes_are_kept_as_the_last_page() {
        let long = format!("/{}", "a".repeat(MAX_PAGE_LEN));
        for (route, ok) in [
            ("/board", true),
            ("/requests/12", true),
            ("/follow-ups/3", true),
            ("board", false),
            ("https://example.com/", false),
            ("/requests\n12", false),
            ("", false),
            (long.as_str(), false),
        ] {
            assert_eq!(check_route(route).is_ok(), ok, "{route:?}");
        }
    }

    #[test]
    fn recent_workspaces_are_newest_first_without_repeats() {
        let mut p = Preferences::default();
        for d in ["/a", "/b", "/a", "/c", "/d", "/e", "/f", "/g", "/h", "/i"] {
            p.use_workspace(Path::new(d));
        }
        let recent: Vec<String> = p
            .recent_workspaces
            .iter()
            .map(|d| d.display().to_string())
            .collect();
        assert_eq!(recent, ["/i", "/h", "/g", "/f", "/e", "/d", "/c", "/a"]);
        assert_eq!(p.workspace.as_deref(), Some(Path::new("/i")));
    }
}
