//! `slipway settings show|set`: who you are, the workspace in use, the fetch interval, the
//! theme and desktop notices — the settings page's, from the command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use slipway_api::{
    ApiError, IdentitySourceDto, SettingsDto, ThemeDto, Workspace, WorkspaceSourceDto,
};

use crate::output::print_json;

#[derive(Subcommand)]
pub enum SettingsCommand {
    /// Show every setting and where it came from.
    Show {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Change a setting: name, email, roles (comma-separated), fetch-interval (minutes,
    /// 0-1440), theme (system, light, dark), desktop-notices (on, off) or workspace (a folder).
    Set {
        /// The setting
        key: String,
        /// Its new value (empty clears name and email)
        value: String,
    },
}

pub async fn settings(
    dir: &Path,
    flag: Option<PathBuf>,
    command: SettingsCommand,
) -> Result<ExitCode, ApiError> {
    let (_, source) = slipway_api::resolve_workspace(flag);
    // Showing settings, or setting your own, works beside a workspace that does not open.
    let needed = match &command {
        SettingsCommand::Show { .. } => false,
        SettingsCommand::Set { key, .. } => slipway_api::needs_workspace(key),
    };
    let workspace = match Workspace::exists(dir) {
        true if needed => Some(Workspace::open(dir).await?),
        true => Workspace::open(dir).await.ok(),
        false => None,
    };
    let result = match command {
        SettingsCommand::Show { json } => {
            slipway_api::show_settings(workspace.as_ref(), dir, source, None)
                .await
                .map(|shown| match json {
                    true => print_json(&shown),
                    false => print_settings(&shown),
                })
        }
        SettingsCommand::Set { key, value } => {
            slipway_api::set_setting(workspace.as_ref(), dir, &key, &value, None)
                .await
                .map(|applied| match applied {
                    slipway_api::Applied::Workspace(folder) => {
                        println!("Workspace in use: {}.", folder.display());
                        if matches!(
                            source,
                            WorkspaceSourceDto::Flag | WorkspaceSourceDto::Environment
                        ) {
                            println!(
                                "(--workspace or SLIPWAY_WORKSPACE still wins where it is given.)"
                            );
                        }
                    }
                    _ => println!("{key} saved."),
                })
        }
    };
    if let Some(w) = workspace {
        w.store().close().await;
    }
    result.map(|()| ExitCode::SUCCESS)
}

fn print_settings(s: &SettingsDto) {
    let source = |s: Option<IdentitySourceDto>| match s {
        Some(IdentitySourceDto::Flag) => "from --as",
        Some(IdentitySourceDto::Environment) => "from SLIPWAY_USER",
        Some(IdentitySourceDto::Settings) => "from your settings",
        Some(IdentitySourceDto::Git) => "from git's user.email",
        None => "not set",
    };
    let workspace_source = match s.workspace_source {
        WorkspaceSourceDto::Flag => "from --workspace",
        WorkspaceSourceDto::Environment => "from SLIPWAY_WORKSPACE",
        WorkspaceSourceDto::Settings => "from your settings",
        WorkspaceSourceDto::Default => "the app's data folder",
    };
    let or_none = |v: &str| {
        if v.is_empty() {
            "—".to_string()
        } else {
            v.to_string()
        }
    };
    println!(
        "email            {}  ({})",
        s.email.as_deref().unwrap_or("—"),
        source(s.email_source)
    );
    println!("name             {}", or_none(&s.name));
    println!("roles            {}", or_none(&s.roles.join(", ")));
    println!(
        "workspace        {}  ({workspace_source}{})",
        s.workspace,
        if s.workspace_exists {
            ""
        } else {
            "; no workspace there yet"
        }
    );
    match s.fetch_interval_minutes {
        Some(0) => println!("fetch-interval   off"),
        Some(m) => println!("fetch-interval   {m} min"),
        None => println!("fetch-interval   —"),
    }
    let theme = match s.theme {
        ThemeDto::System => "system",
        ThemeDto::Light => "light",
        ThemeDto::Dark => "dark",
    };
    println!("theme            {theme}");
    println!(
        "desktop-notices  {}",
        if s.desktop_notices { "on" } else { "off" }
    );
    for (i, recent) in s.recent_workspaces.iter().enumerate() {
        println!(
            "{}{recent}",
            if i == 0 {
                "recent           "
            } else {
                "                 "
            }
        );
    }
    println!("settings file    {}", s.settings_file);
    println!("logs             {}", s.log_dir);
    println!("version          {}", s.version);
}
