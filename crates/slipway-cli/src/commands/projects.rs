//! `slipway project add|list|token|remove` and `slipway deployment record`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::Subcommand;
use slipway_api::{ApiError, Workspace};

use crate::flags::parse_env;
use crate::output::print_json;

#[derive(Subcommand)]
pub enum DeploymentCommand {
    /// Record that an environment tracked with `db` now stands at a commit.
    Record {
        /// Project name
        #[arg(long)]
        project: String,
        /// Environment
        #[arg(long = "env", value_name = "ENV")]
        environment: String,
        /// The deployed commit (sha or prefix)
        #[arg(long)]
        sha: String,
        /// When it was deployed (RFC 3339) [default: now]
        #[arg(long, value_name = "TIME")]
        at: Option<DateTime<Utc>>,
        /// Who deployed it [default: $SLIPWAY_USER, else git's user.email]
        #[arg(long)]
        by: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum ProjectCommand {
    /// Add a project: a local clone and its pipeline.
    Add {
        /// Project name (letters, digits, '-', '_', '.')
        name: String,
        /// The local clone
        #[arg(long, value_name = "PATH")]
        repo: PathBuf,
        /// The branch changes are merged into
        #[arg(long, value_name = "BRANCH", default_value = "main")]
        trunk: String,
        /// An environment, in pipeline order: NAME=branch:REF, NAME=tag:PATTERN or NAME=db
        #[arg(long = "env", value_name = "NAME=STRATEGY", required = true, value_parser = parse_env)]
        environments: Vec<(String, String)>,
        /// Print the result as JSON
        #[arg(long)]
        json: bool,
    },
    /// List the projects.
    List {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Store the project's HTTPS token in the OS keychain, read from standard input.
    Token {
        /// Project name
        name: String,
        /// Remove the stored token instead
        #[arg(long)]
        clear: bool,
    },
    /// Remove a project (its repository is not touched).
    Remove {
        /// Project name
        name: String,
    },
}

pub async fn project(dir: &Path, command: ProjectCommand) -> Result<ExitCode, ApiError> {
    let workspace = Workspace::open(dir).await?;
    match command {
        ProjectCommand::Add {
            name,
            repo,
            trunk,
            environments,
            json,
        } => {
            let p = slipway_api::add_project(
                &workspace,
                &name,
                &repo,
                &trunk,
                &environments,
                &slipway_api::SystemClock,
            )
            .await?;
            if json {
                print_json(&p);
            } else {
                println!(
                    "Added {} ({}): {} → {}",
                    p.name,
                    p.repo_path,
                    p.trunk,
                    p.environments
                        .iter()
                        .map(|e| e.name.as_str())
                        .collect::<Vec<_>>()
                        .join(" → ")
                );
            }
        }
        ProjectCommand::List { json } => {
            let projects = slipway_api::list_projects(&workspace).await?;
            if json {
                print_json(&projects);
            } else {
                for p in projects {
                    let envs: Vec<String> = p
                        .environments
                        .iter()
                        .map(|e| match e.strategy.as_str() {
                            "db" => format!("{}=db", e.name),
                            s => format!("{}={s}:{}", e.name, e.ref_name),
                        })
                        .collect();
                    println!(
                        "{}  {}  trunk {}  {}",
                        p.name,
                        p.repo_path,
                        p.trunk,
                        envs.join(" ")
                    );
                }
            }
        }
        ProjectCommand::Token { name, clear } => {
            let token = if clear {
                None
            } else {
                // Standard input, never an argument: arguments end up in shell history.
                let mut line = String::new();
                std::io::stdin().read_line(&mut line).map_err(|e| {
                    ApiError::new(
                        slipway_api::ErrorCode::Io,
                        format!("Cannot read the token from standard input: {e}."),
                    )
                })?;
                Some(slipway_api::Secret::new(
                    line.trim_end_matches(['\r', '\n']),
                ))
            };
            slipway_api::set_https_token(&workspace, &name, token).await?;
            println!(
                "{name}: HTTPS token {} the OS keychain.",
                if clear { "removed from" } else { "stored in" }
            );
        }
        ProjectCommand::Remove { name } => {
            slipway_api::remove_project(&workspace, &name).await?;
            println!("Removed {name} (its repository is untouched).");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `slipway deployment record`: an environment tracked with `db` now stands at a commit.
pub async fn deployment(dir: &Path, command: DeploymentCommand) -> Result<ExitCode, ApiError> {
    let DeploymentCommand::Record {
        project,
        environment,
        sha,
        at,
        by,
    } = command;
    // Who deployed it: the same identity every other command acts as.
    let by = slipway_api::identity(by.as_deref())?;
    let at = at.unwrap_or_else(Utc::now);
    let workspace = Workspace::open(dir).await?;
    let full =
        slipway_api::record_deployment(&workspace, &project, &environment, &sha, at, &by).await?;
    println!(
        "Recorded: {project}/{environment} at {} ({}), by {by}.",
        &full[..12],
        at.to_rfc3339()
    );
    Ok(ExitCode::SUCCESS)
}
