//! `slipway`: the command line over slipway-api — flags and printing, no logic of its own.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use slipway_api::{ApiError, BoardDto, Workspace, WORKSPACE_ENV};

mod notify;
mod promote;
mod requests;

/// Slipway: every environment's queue of merged changes, with ages.
#[derive(Parser)]
#[command(name = "slipway", version, about)]
struct Cli {
    /// Workspace folder [default: the app's data folder]
    #[arg(long, global = true, value_name = "DIR", env = WORKSPACE_ENV)]
    workspace: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a demo workspace: a repository with a month of history, three environments.
    Demo {
        /// Where to create it [default: the workspace folder]
        #[arg(long, value_name = "DIR")]
        path: Option<PathBuf>,
        /// When the demo history ends (RFC 3339) [default: now]; the same instant gives the same commits
        #[arg(long, value_name = "TIME")]
        anchor: Option<DateTime<Utc>>,
        /// Do nothing (and succeed) when a workspace exists there already
        #[arg(long)]
        if_missing: bool,
        /// Print the result as JSON
        #[arg(long)]
        json: bool,
    },
    /// Fetch projects' remotes (every project, or one).
    Fetch {
        /// Only this project
        #[arg(long)]
        project: Option<String>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Record deployments of environments tracked with `db`.
    #[command(subcommand)]
    Deployment(DeploymentCommand),
    /// Add, list or remove projects.
    #[command(subcommand)]
    Project(ProjectCommand),
    /// Show exactly what promoting an environment would ship (read-only).
    Preview {
        /// Project name
        #[arg(long)]
        project: String,
        /// Environment to promote
        #[arg(long = "env", value_name = "ENV")]
        environment: String,
        /// Promote up to this queued change (sha or prefix) [default: everything queued]
        #[arg(long, value_name = "SHA")]
        to: Option<String>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Change requests: open, approve, hold, close… (`slipway cr --help`).
    Cr {
        #[command(subcommand)]
        command: requests::CrCommand,
        #[command(flatten)]
        acting: requests::Acting,
    },
    /// SLA clocks: check them, set policies, list crossed thresholds, acknowledge.
    #[command(subcommand)]
    Sla(requests::SlaCommand),
    /// Aging policies: how long a change may wait in an environment's queue.
    #[command(subcommand)]
    Aging(requests::AgingCommand),
    /// Business calendars (time zone, opening hours, holidays) that clocks count in.
    #[command(subcommand)]
    Calendar(requests::CalendarCommand),
    /// People and their roles (who may approve what; who is told).
    #[command(subcommand)]
    Person(requests::PersonCommand),
    /// Freeze windows: nothing ships, and clocks that pause in freezes pause.
    #[command(subcommand)]
    Freeze(requests::FreezeCommand),
    /// Promote, roll back, hotfix or redeploy (`slipway promote --help`).
    #[command(flatten)]
    Run(promote::RunCommand),
    /// Put a hold on an environment: nothing is promoted into it until lifted.
    Hold {
        #[command(flatten)]
        place: promote::Place,
        /// Why
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        who: promote::Who,
    },
    /// Lift an environment's hold.
    Unhold {
        #[command(flatten)]
        place: promote::Place,
        #[command(flatten)]
        who: promote::Who,
    },
    /// Sign a queued change off for an environment (or reject it).
    Signoff {
        #[command(flatten)]
        place: promote::Place,
        /// The change (sha or prefix)
        #[arg(long)]
        sha: String,
        /// Reject instead of approving (needs --comment)
        #[arg(long)]
        reject: bool,
        /// Why
        #[arg(long, default_value = "")]
        comment: String,
        #[command(flatten)]
        who: promote::Who,
    },
    /// Gates: sign-off rules and weekly freezes.
    #[command(subcommand)]
    Gate(promote::GateCommand),
    /// Deploy actions: what runs after an environment's ref moves.
    #[command(subcommand)]
    Action(promote::ActionCommand),
    /// Mark a change bad (or unmark it).
    #[command(subcommand)]
    Bad(promote::BadCommand),
    /// Follow-up items opened by rollbacks.
    #[command(subcommand, name = "followup")]
    FollowUp(promote::FollowUpCommand),
    /// Promotions, rollbacks, redeploys and hotfixes, newest first.
    History {
        /// Project name
        #[arg(long)]
        project: String,
        /// Only this environment
        #[arg(long = "env", value_name = "ENV")]
        environment: Option<String>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Changes waiting for your sign-off, oldest first.
    Inbox {
        #[command(flatten)]
        who: promote::Who,
    },
    /// The audit log: verify its hash chain, export it.
    #[command(subcommand)]
    Audit(promote::AuditCommand),
    /// End promotions a crash left unfinished, from what the refs show.
    Reconcile {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Evaluate every clock headlessly against the workspace database, again and again:
    /// thresholds crossed are stored once each, even with several watchers.
    Watch {
        /// Seconds between passes
        #[arg(long, default_value_t = 30)]
        interval: u64,
        /// One pass, then exit
        #[arg(long)]
        once: bool,
        /// Print each pass as JSON
        #[arg(long)]
        json: bool,
    },
    /// Stakeholders: the people who are told (add, list, remove).
    #[command(subcommand)]
    Stakeholder(notify::StakeholderCommand),
    /// Notification channels: email, Slack, Teams, signed webhooks, desktop.
    #[command(subcommand)]
    Channel(notify::ChannelCommand),
    /// Subscribe a stakeholder to events over a channel.
    Subscribe(notify::SubscribeArgs),
    /// List the subscriptions.
    Subscriptions {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Remove a subscription.
    Unsubscribe {
        /// The subscription's number (see `slipway subscriptions`)
        id: i64,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Message templates per event kind, channel kind and part.
    #[command(subcommand)]
    Template(notify::TemplateCommand),
    /// The notification outbox: list, retry dead letters, deliver what is due.
    #[command(subcommand)]
    Outbox(notify::OutboxCommand),
    /// Print the board: every environment with the changes queued for it, oldest first.
    Queue {
        /// Only this project
        #[arg(long)]
        project: Option<String>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum DeploymentCommand {
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
        /// Who deployed it [default: $USER]
        #[arg(long)]
        by: Option<String>,
    },
}

#[derive(Subcommand)]
enum ProjectCommand {
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

fn parse_env(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(n, spec)| (n.to_string(), spec.to_string()))
        .ok_or_else(|| format!("{s:?} is not NAME=STRATEGY (for example qa=branch:deploy/qa)"))
}

async fn project(dir: &std::path::Path, command: ProjectCommand) -> Result<ExitCode, ApiError> {
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

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let _log = slipway_api::init_logging("slipway-cli");
    let workspace_dir = slipway_api::resolve_workspace_dir(cli.workspace);
    let result = match cli.command {
        Command::Demo {
            path,
            anchor,
            if_missing,
            json,
        } => {
            let dir = path.unwrap_or(workspace_dir);
            if if_missing && Workspace::exists(&dir) {
                println!(
                    "A workspace exists already in {}; leaving it as it is.",
                    dir.display()
                );
                return ExitCode::SUCCESS;
            }
            slipway_api::create_demo(&dir, anchor.unwrap_or_else(Utc::now)).await.map(|demo| {
                if json {
                    print_json(&demo);
                } else {
                    println!(
                        "Created a demo workspace in {}\n  project {}: {} changes on trunk, environments {}\n  repository {} (origin {})",
                        demo.workspace,
                        demo.project,
                        demo.changes,
                        demo.environments.join(" → "),
                        demo.repository,
                        demo.origin
                    );
                }
                ExitCode::SUCCESS
            })
        }
        Command::Queue { project, json } => queue(&workspace_dir, project.as_deref(), json).await,
        Command::Cr { command, acting } => requests::cr(&workspace_dir, command, acting).await,
        Command::Sla(command) => requests::sla(&workspace_dir, command).await,
        Command::Aging(command) => requests::aging(&workspace_dir, command).await,
        Command::Calendar(command) => requests::calendar(&workspace_dir, command).await,
        Command::Person(command) => requests::person(&workspace_dir, command).await,
        Command::Freeze(command) => requests::freeze(&workspace_dir, command).await,
        Command::Watch {
            interval,
            once,
            json,
        } => requests::watch(&workspace_dir, interval, once, json).await,
        Command::Project(command) => project(&workspace_dir, command).await,
        Command::Stakeholder(command) => notify::stakeholder(&workspace_dir, command).await,
        Command::Channel(command) => notify::channel(&workspace_dir, command).await,
        Command::Subscribe(args) => notify::subscribe(&workspace_dir, args).await,
        Command::Subscriptions { json } => notify::subscriptions(&workspace_dir, json).await,
        Command::Unsubscribe { id, json } => notify::unsubscribe(&workspace_dir, id, json).await,
        Command::Template(command) => notify::template(&workspace_dir, command).await,
        Command::Outbox(command) => notify::outbox(&workspace_dir, command).await,
        Command::Run(command) => promote::run(&workspace_dir, command).await,
        Command::Hold { place, reason, who } => {
            promote::hold(&workspace_dir, place, Some(reason), who).await
        }
        Command::Unhold { place, who } => promote::hold(&workspace_dir, place, None, who).await,
        Command::Signoff {
            place,
            sha,
            reject,
            comment,
            who,
        } => promote::signoff(&workspace_dir, place, sha, reject, comment, who).await,
        Command::Gate(command) => promote::gate(&workspace_dir, command).await,
        Command::Action(command) => promote::action(&workspace_dir, command).await,
        Command::Bad(command) => promote::bad(&workspace_dir, command).await,
        Command::FollowUp(command) => promote::follow_up(&workspace_dir, command).await,
        Command::History {
            project,
            environment,
            json,
        } => promote::history(&workspace_dir, project, environment, json).await,
        Command::Inbox { who } => promote::inbox(&workspace_dir, who).await,
        Command::Audit(command) => promote::audit(&workspace_dir, command).await,
        Command::Reconcile { json } => promote::reconcile(&workspace_dir, json).await,
        Command::Deployment(DeploymentCommand::Record {
            project,
            environment,
            sha,
            at,
            by,
        }) => {
            let by = by
                .or_else(|| std::env::var("USER").ok())
                .unwrap_or_else(|| "unknown".into());
            let at = at.unwrap_or_else(Utc::now);
            async {
                let workspace = Workspace::open(&workspace_dir).await?;
                let full = slipway_api::record_deployment(
                    &workspace,
                    &project,
                    &environment,
                    &sha,
                    at,
                    &by,
                )
                .await?;
                println!(
                    "Recorded: {project}/{environment} at {} ({}), by {by}.",
                    &full[..12],
                    at.to_rfc3339()
                );
                Ok(ExitCode::SUCCESS)
            }
            .await
        }
        Command::Fetch { project, json } => fetch(&workspace_dir, project, json).await,
        Command::Preview {
            project,
            environment,
            to,
            json,
        } => preview(&workspace_dir, &project, &environment, to.as_deref(), json).await,
    };
    result.unwrap_or_else(|e| {
        eprintln!("slipway: {}", e.message);
        ExitCode::FAILURE
    })
}

async fn queue(
    dir: &std::path::Path,
    only: Option<&str>,
    json: bool,
) -> Result<ExitCode, ApiError> {
    let workspace = Workspace::open(dir).await?;
    if let Some(name) = only {
        workspace.project(name).await?;
    }
    let mut board = slipway_api::load_board(&workspace, &slipway_api::SystemClock).await?;
    board
        .projects
        .retain(|p| only.is_none_or(|name| p.name == name));
    if json {
        print_json(&board);
    } else {
        print_board(&board);
    }
    Ok(match board.first_error() {
        Some(e) => {
            eprintln!("slipway: {}", e.message);
            ExitCode::FAILURE
        }
        None => ExitCode::SUCCESS,
    })
}

async fn preview(
    dir: &std::path::Path,
    project: &str,
    environment: &str,
    to: Option<&str>,
    json: bool,
) -> Result<ExitCode, ApiError> {
    let workspace = Workspace::open(dir).await?;
    let preview = slipway_api::preview(&workspace, project, environment, to).await?;
    if json {
        print_json(&preview);
    } else {
        let mut out = std::io::stdout().lock();
        let _ = write!(out, "{}", preview.release_notes);
        let _ = writeln!(out, "\n### Files ({})\n", preview.files.len());
        for f in &preview.files {
            let _ = writeln!(
                out,
                "  {:>6} {:>6}  {:<9} {}",
                format!("+{}", f.additions),
                format!("-{}", f.deletions),
                f.status,
                f.path
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn fetch(
    dir: &std::path::Path,
    only: Option<String>,
    json: bool,
) -> Result<ExitCode, ApiError> {
    let workspace = Workspace::open(dir).await?;
    let names: Vec<String> = match only {
        Some(name) => vec![name],
        None => slipway_api::list_projects(&workspace)
            .await?
            .into_iter()
            .map(|p| p.name)
            .collect(),
    };
    let mut results = serde_json::Map::new();
    let mut failed = false;
    for name in names {
        let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let quiet = json;
        let outcome = slipway_api::fetch_project(
            &workspace,
            &name,
            &slipway_api::SystemClock,
            cancel,
            move |p| {
                if !quiet && p.total_objects > 0 {
                    eprint!(
                        "\r{}: {}/{} objects",
                        p.project, p.received_objects, p.total_objects
                    );
                }
            },
        )
        .await;
        if !json {
            eprint!("\r");
        }
        match outcome {
            Ok(state) => {
                if !json {
                    println!("{name}: fetched");
                }
                results.insert(name, serde_json::to_value(state).unwrap_or_default());
            }
            Err(e) => {
                failed = true;
                eprintln!("slipway: {}", e.message);
                results.insert(name, serde_json::to_value(e).unwrap_or_default());
            }
        }
    }
    if json {
        print_json(&results);
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn print_json<T: serde::Serialize>(value: &T) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is the reader's choice, not an error.
    if serde_json::to_writer_pretty(&mut out, value).is_ok() {
        let _ = writeln!(out);
    }
}

fn print_board(board: &BoardDto) {
    let _ = write_board(&mut std::io::stdout().lock(), board);
}

fn write_board(out: &mut impl Write, board: &BoardDto) -> std::io::Result<()> {
    if board.projects.is_empty() {
        writeln!(out, "No projects in {}.", board.workspace)?;
    }
    for project in &board.projects {
        writeln!(out, "{}  ({})", project.name, project.repo_path)?;
        if let Some(e) = &project.error {
            writeln!(out, "  ! {}", e.message)?;
            continue;
        }
        if let Some(trunk) = &project.trunk {
            writeln!(
                out,
                "  {:<12} at {}  {}",
                trunk.branch, trunk.tip.change.short_sha, trunk.tip.change.title
            )?;
        }
        for env in &project.environments {
            let Some(tip) = &env.tip else {
                writeln!(
                    out,
                    "  {:<12} ! {}",
                    env.name,
                    env.error.as_ref().map_or("", |e| e.message.as_str())
                )?;
                continue;
            };
            writeln!(
                out,
                "  {:<12} at {}  since {} ago — {} queued from {}",
                env.name,
                tip.change.short_sha,
                tip.since_age,
                env.queue.len(),
                env.upstream
            )?;
            if !env.only_here.is_empty() {
                writeln!(
                    out,
                    "    {} commit(s) only in {} (not in {}):",
                    env.only_here.len(),
                    env.name,
                    env.upstream
                )?;
                for c in &env.only_here {
                    writeln!(out, "      {}  {}  — {}", c.short_sha, c.title, c.author)?;
                }
            }
            for c in &env.queue {
                let pr = c.change.pr.map(|n| format!("#{n}")).unwrap_or_default();
                writeln!(
                    out,
                    "    {:>9}  {}  {:<7} {}  — {}",
                    c.age, c.change.short_sha, pr, c.change.title, c.change.author
                )?;
            }
        }
    }
    Ok(())
}
