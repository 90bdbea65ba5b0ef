//! The settings page and `slipway settings show|set`: who you are (name, email, roles) and
//! where that came from, the workspace in use and the recent ones, the fetch interval, the
//! theme, desktop notices, the log folder and the version. What each setting accepts is
//! core's (`slipway_core::parse_setting`); where it is kept is decided here: yours on this
//! machine in `settings.toml`, the workspace's in its database or `slipway.toml`.

use std::path::{Path, PathBuf};

use serde::Serialize;
use slipway_core::{parse_setting, SettingKey, SettingValue, Theme};
use ts_rs::TS;

use crate::error::{invalid, ApiError, ErrorCode};
use crate::identity::{identity_source, IdentitySourceDto};
use crate::preferences::Preferences;
use crate::workspace::{app_data_dir, Workspace, WorkspaceSourceDto};

/// The window's colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ThemeDto {
    /// Follow the system.
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

impl From<Theme> for ThemeDto {
    fn from(t: Theme) -> Self {
        match t {
            Theme::System => ThemeDto::System,
            Theme::Light => ThemeDto::Light,
            Theme::Dark => ThemeDto::Dark,
        }
    }
}

/// Every setting, with where each came from.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SettingsDto {
    /// Who you act as; `None` when nothing says.
    pub email: Option<String>,
    /// Where that email came from.
    pub email_source: Option<IdentitySourceDto>,
    /// The email your settings hold (another source may win over it).
    pub email_in_settings: Option<String>,
    /// Your name: your settings', else the workspace's record of you, else git's user.name.
    pub name: String,
    /// Your roles in this workspace (qa, release-manager…), from its people.
    pub roles: Vec<String>,
    /// The workspace folder in use.
    pub workspace: String,
    /// Whether a workspace exists there.
    pub workspace_exists: bool,
    /// Where the workspace was chosen.
    pub workspace_source: WorkspaceSourceDto,
    /// Workspaces used before, newest first (the one in use among them).
    pub recent_workspaces: Vec<String>,
    /// Minutes between background fetches (0 = off); `None` without a workspace.
    #[ts(type = "number | null")]
    pub fetch_interval_minutes: Option<u64>,
    /// The theme.
    pub theme: ThemeDto,
    /// Whether desktop notices pop up.
    pub desktop_notices: bool,
    /// Your settings file.
    pub settings_file: String,
    /// Where logs are written.
    pub log_dir: String,
    /// Slipway's version.
    pub version: String,
}

/// The settings as seen from the workspace in `dir` (`workspace`, when one is there and
/// open), acting as `flag` (`--as`) if given.
pub async fn show_settings(
    workspace: Option<&Workspace>,
    dir: &Path,
    source: WorkspaceSourceDto,
    flag: Option<&str>,
) -> Result<SettingsDto, ApiError> {
    let prefs = Preferences::load()?;
    let who = identity_source(flag);
    let email = who.as_ref().map(|(e, _)| e.clone());
    let mut name = prefs.name.clone().unwrap_or_default();
    let mut roles = Vec::new();
    let mut fetch_interval_minutes = None;
    let workspace_exists = Workspace::exists(dir);
    if let Some(workspace) = workspace {
        fetch_interval_minutes = Some(workspace.fetch_interval_minutes());
        if let Some(email) = &email {
            if let Some(me) = workspace
                .store()
                .people()
                .await?
                .into_iter()
                .find(|p| p.email.eq_ignore_ascii_case(email))
            {
                roles = me.roles;
                if name.is_empty() {
                    name = me.name;
                }
            }
        }
    }
    if name.is_empty() {
        name = slipway_git::configured_name().unwrap_or_default();
    }
    Ok(SettingsDto {
        email,
        email_source: who.map(|(_, s)| s),
        email_in_settings: prefs.email.clone(),
        name,
        roles,
        workspace: dir.display().to_string(),
        workspace_exists,
        workspace_source: source,
        recent_workspaces: prefs
            .recent_workspaces
            .iter()
            .map(|d| d.display().to_string())
            .collect(),
        fetch_interval_minutes,
        theme: prefs.theme().into(),
        desktop_notices: prefs.desktop_notices.unwrap_or(true),
        settings_file: Preferences::path().display().to_string(),
        log_dir: app_data_dir().join("logs").display().to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    })
}

/// Whether setting `key` needs the workspace open (its roles and fetch interval do); an
/// unknown key does not (setting it fails before anything is opened).
pub fn needs_workspace(key: &str) -> bool {
    SettingKey::parse(key).is_ok_and(SettingKey::belongs_to_workspace)
}

/// What a changed setting asks of a long-lived front end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Nothing more: the next read sees it.
    Stored,
    /// The workspace's configuration changed: reopen it.
    WorkspaceConfig,
    /// Switch to this workspace folder.
    Workspace(PathBuf),
}

/// Sets `key` to `value` for the workspace in `dir` (`workspace`, when one is there and
/// open), acting as `flag` if given. The value is checked before anything is written; a bad
/// one changes nothing.
pub async fn set_setting(
    workspace: Option<&Workspace>,
    dir: &Path,
    key: &str,
    value: &str,
    flag: Option<&str>,
) -> Result<Applied, ApiError> {
    let key = SettingKey::parse(key).map_err(|e| invalid(sentence(&e)))?;
    let value = parse_setting(key, value).map_err(|e| invalid(sentence(&e)))?;
    let mut prefs = Preferences::load()?;
    match value {
        SettingValue::Name(name) => {
            prefs.name = Some(name).filter(|n| !n.is_empty());
            prefs.save()?;
        }
        SettingValue::Email(email) => {
            prefs.email = email;
            prefs.save()?;
        }
        SettingValue::Theme(theme) => {
            prefs.theme = Some(theme.as_str().to_string());
            prefs.save()?;
        }
        SettingValue::DesktopNotices(on) => {
            prefs.desktop_notices = Some(on);
            prefs.save()?;
        }
        SettingValue::Roles(roles) => {
            let workspace = workspace.ok_or_else(|| no_workspace(dir))?;
            let (email, _) = identity_source(flag).ok_or_else(|| {
                ApiError::new(
                    ErrorCode::UnknownPerson,
                    "Set your email first: roles belong to a person of the workspace.",
                )
            })?;
            let name = prefs.name.clone().unwrap_or_default();
            crate::policies::save_person(workspace, &email, &name, &roles).await?;
        }
        SettingValue::FetchInterval(minutes) => {
            workspace.ok_or_else(|| no_workspace(dir))?;
            Workspace::set_fetch_interval(dir, minutes)?;
            return Ok(Applied::WorkspaceConfig);
        }
        SettingValue::Workspace(folder) => {
            let folder = workspace_folder(&folder)?;
            // The one left stays a click away.
            if Workspace::exists(dir) {
                prefs.remember(&std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()));
            }
            prefs.use_workspace(&folder);
            prefs.save()?;
            return Ok(Applied::Workspace(folder));
        }
    }
    Ok(Applied::Stored)
}

/// A workspace folder as typed: `~/` is the home folder, a relative path is from here. It
/// must be a folder, or a new one in a folder that exists (`slipway init` makes it).
fn workspace_folder(typed: &str) -> Result<PathBuf, ApiError> {
    let expanded = match typed.strip_prefix("~/") {
        Some(rest) => dirs::home_dir().unwrap_or_default().join(rest),
        None => PathBuf::from(typed),
    };
    let folder = std::path::absolute(&expanded).unwrap_or(expanded);
    if folder.exists() && !folder.is_dir() {
        return Err(invalid(format!(
            "Workspace cannot be {}: it is a file, not a folder.",
            folder.display()
        )));
    }
    if !folder.exists() && !folder.parent().is_some_and(Path::is_dir) {
        return Err(invalid(format!(
            "Workspace cannot be {}: neither it nor the folder it would be in exists.",
            folder.display()
        )));
    }
    Ok(folder)
}

fn no_workspace(dir: &Path) -> ApiError {
    ApiError::new(
        ErrorCode::WorkspaceMissing,
        format!(
            "There is no workspace at {} to keep that setting: create one first (`slipway init`).",
            dir.display()
        ),
    )
}

/// A core error as a sentence: capitalised, with a full stop.
fn sentence(e: &dyn std::fmt::Display) -> String {
    format!("{}.", crate::error::capitalise(&e.to_string()))
}

/// Whether desktop notices pop up (your settings; on unless turned off).
pub fn desktop_notices_on() -> bool {
    Preferences::load_or_default()
        .desktop_notices
        .unwrap_or(true)
}

/// Your name for the header: your settings', else git's user.name (when anyone is known).
pub(crate) fn my_name(known: bool) -> String {
    if !known {
        return String::new();
    }
    Preferences::load_or_default()
        .name
        .or_else(slipway_git::configured_name)
        .unwrap_or_default()
}

/// Puts a workspace just made among the recent ones (a settings file that cannot be written is
/// only logged: the workspace is there all the same).
pub(crate) fn remember_workspace(dir: &Path) {
    let mut prefs = Preferences::load_or_default();
    prefs.remember(&std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()));
    if let Err(e) = prefs.save() {
        tracing::warn!(error = %e.message, "the new workspace is not among the recent ones");
    }
}
