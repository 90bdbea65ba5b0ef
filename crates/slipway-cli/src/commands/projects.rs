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
        /// The branch changes are merged into [default: detected with --detect, else main]
        #[arg(long, value_name = "BRANCH")]
        trunk: Option<String>,
        /// An environment, in pipeline order: NAME=branch:REF, NAME=tag:PATTERN or NAME=db (these win over --detect's)
        #[arg(long = "env", value_name = "NAME=STRATEGY", required_unless_present = "detect", value_parser = parse_env)]
        environments: Vec<(String, String)>,
        /// Read trunk and environments from the clone's branches and tags, and print the proposal
        #[arg(long)]
        detect: bool,
        /// With --detect: add the project as proposed (without it nothing is stored)
        #[arg(long, requires = "detect")]
        yes: bool,
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

/// `slipway init`: an empty solo workspace in `dir`.
pub async fn init(dir: PathBuf, json: bool) -> Result<ExitCode, ApiError> {
    let made = slipway_api::init_workspace(&dir).await?;
    if json {
        print_json(&made);
    } else {
        println!(
            "Created an empty workspace in {} (database {}).\nAdd your repository with `slipway project add NAME --repo PATH --detect`.",
            made.workspace, made.database
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// What `project add --detect` would store: the proposal, with the flags that win over it.
fn print_proposal(
    name: &str,
    proposal: &slipway_api::PipelineProposalDto,
    trunk: Option<&str>,
    environments: &[(String, String)],
    json: bool,
) {
    if json {
        print_json(proposal);
        return;
    }
    let trunk = trunk.unwrap_or(&proposal.trunk);
    println!("Proposed pipeline for {name} ({}):", proposal.repo_path);
    if trunk == proposal.trunk {
        println!("  trunk        {trunk}  ({})", proposal.trunk_evidence);
    } else {
        println!("  trunk        {trunk}  (from --trunk)");
    }
    for (env, spec) in environments {
        let why = proposal
            .environments
            .iter()
            .find(|d| &d.name == env && format!("{}:{}", d.strategy, d.ref_name) == *spec)
            .map_or("from --env", |d| d.evidence.as_str());
        println!("  {env:<12} {spec}  ({why})");
    }
    println!("Nothing is stored yet: run it again with --yes to add the project.");
}

pub async fn project(dir: &Path, command: ProjectCommand) -> Result<ExitCode, ApiError> {
    // A proposal reads only the clone: the workspace is opened once there is something to store.
    if !Workspace::exists(dir) {
        Workspace::open(dir).await?;
    }
    match command {
        ProjectCommand::Add {
            name,
            repo,
            trunk,
            mut environments,
            detect,
            yes,
            json,
        } => {
            let mut trunk = trunk;
            if detect {
                let proposal = slipway_api::detect_pipeline(&repo).await?;
                trunk = trunk.or_else(|| Some(proposal.trunk.clone()));
                if environments.is_empty() {
                    environments = slipway_api::proposal_specs(&proposal);
                }
                if environments.is_empty() {
                    return Err(ApiError::new(
                        slipway_api::ErrorCode::InvalidInput,
                        format!(
                            "No environment found in {}. {} Declare them with --env NAME=branch:REF, NAME=tag:PATTERN or NAME=db.",
                            proposal.repo_path, proposal.looked_for
                        ),
                    ));
                }
                if !yes {
                    print_proposal(&name, &proposal, trunk.as_deref(), &environments, json);
                    return Ok(ExitCode::SUCCESS);
                }
            }
            let trunk = trunk.unwrap_or_else(|| "main".to_string());
            let workspace = Workspace::open(dir).await?;
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
            let workspace = Workspace::open(dir).await?;
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
            let workspace = Workspace::open(dir).await?;
            slipway_api::set_https_token(&workspace, &name, token).await?;
            println!(
                "{name}: HTTPS token {} the OS keychain.",
                if clear { "removed from" } else { "stored in" }
            );
        }
        ProjectCommand::Remove { name } => {
            let workspace = Workspace::open(dir).await?;
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
