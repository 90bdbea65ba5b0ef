//! `slipway`: the command line over slipway-api. This file parses the flags, starts logging,
//! hands each command to its module under `commands/` and turns the answer into an exit code;
//! `flags` holds the flags commands share and `output` how the CLI prints.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use slipway_api::WORKSPACE_ENV;

mod commands;
mod flags;
mod output;

use commands::{
    audit, board, dora, follow_ups, gates, guard, notifications, outbox, projects, promotion,
    requests, settings, sla, templates, watch,
};
use flags::{Place, Who};

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
    /// Create an empty solo workspace (a SQLite database and slipway.toml) to add your own projects to.
    Init {
        /// Where to create it [default: the workspace folder]
        #[arg(long, value_name = "DIR")]
        path: Option<PathBuf>,
        /// Print the result as JSON
        #[arg(long)]
        json: bool,
    },
    /// Your settings (who you are, the workspace in use, theme…) and the workspace's.
    #[command(subcommand)]
    Settings(settings::SettingsCommand),
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
    Deployment(projects::DeploymentCommand),
    /// Add, list or remove projects.
    #[command(subcommand)]
    Project(projects::ProjectCommand),
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
    Sla(sla::SlaCommand),
    /// Aging policies: how long a change may wait in an environment's queue.
    #[command(subcommand)]
    Aging(sla::AgingCommand),
    /// Business calendars (time zone, opening hours, holidays) that clocks count in.
    #[command(subcommand)]
    Calendar(sla::CalendarCommand),
    /// People and their roles (who may approve what; who is told).
    #[command(subcommand)]
    Person(sla::PersonCommand),
    /// Freeze windows: nothing ships, and clocks that pause in freezes pause.
    #[command(subcommand)]
    Freeze(sla::FreezeCommand),
    /// Promote, roll back, hotfix or redeploy (`slipway promote --help`).
    #[command(flatten)]
    Run(promotion::RunCommand),
    /// Put a hold on an environment: nothing is promoted into it until lifted.
    Hold {
        #[command(flatten)]
        place: Place,
        /// Why
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        who: Who,
    },
    /// Lift an environment's hold.
    Unhold {
        #[command(flatten)]
        place: Place,
        #[command(flatten)]
        who: Who,
    },
    /// Sign a queued change off for an environment (or reject it).
    Signoff {
        #[command(flatten)]
        place: Place,
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
        who: Who,
    },
    /// Gates: sign-off rules and weekly freezes.
    #[command(subcommand)]
    Gate(gates::GateCommand),
    /// The config guard: another environment's settings, denied settings and secrets in what a promotion ships.
    #[command(subcommand)]
    Guard(guard::GuardCommand),
    /// Deploy actions: what runs after an environment's ref moves.
    #[command(subcommand)]
    Action(gates::ActionCommand),
    /// Mark a change bad (or unmark it).
    #[command(subcommand)]
    Bad(gates::BadCommand),
    /// Follow-ups opened by rollbacks and emergency requests' closes: owner, due date, status,
    /// postmortem draft.
    #[command(subcommand, name = "followup")]
    FollowUp(follow_ups::FollowUpCommand),
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
        who: Who,
    },
    /// The audit log: verify its hash chain, export it.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// End promotions a crash left unfinished, from what the refs show.
    Reconcile {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Evaluate every clock headlessly against the workspace database, again and again:
    /// thresholds crossed are stored once each, even with several watchers.
    Watch {
        /// Seconds between safety passes (a pass also runs at every clock's next threshold, and when this process or — on PostgreSQL — anyone changes a request, policy, hold or freeze) [default: 30]
        #[arg(long)]
        interval: Option<u64>,
        /// One pass, then exit
        #[arg(long)]
        once: bool,
        /// With --once: evaluate and record as of this instant (RFC 3339 or "YYYY-MM-DD HH:MM" UTC), to rehearse an escalation
        #[arg(long, value_name = "TIME", requires = "once")]
        at: Option<String>,
        /// Print each pass as JSON
        #[arg(long)]
        json: bool,
        /// Serve /healthz (200 while the watcher keeps its schedule and reaches its database, 503 otherwise) and /metrics (Prometheus) on this address, e.g. 127.0.0.1:9464
        #[arg(long, value_name = "ADDR", conflicts_with = "once")]
        listen: Option<String>,
        /// Read SLIPWAY_WORKSPACE, SLIPWAY_LISTEN and SLIPWAY_INTERVAL from this file (the service's /etc/slipway/watch.env); flags given here win
        #[arg(long, value_name = "FILE", conflicts_with = "once")]
        env_file: Option<PathBuf>,
    },
    /// Stakeholders: the people who are told (add, list, remove).
    #[command(subcommand)]
    Stakeholder(notifications::StakeholderCommand),
    /// Notification channels: email, Slack, Teams, signed webhooks, desktop.
    #[command(subcommand)]
    Channel(notifications::ChannelCommand),
    /// Subscribe a stakeholder to events over a channel.
    Subscribe(notifications::SubscribeArgs),
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
    Template(templates::TemplateCommand),
    /// The notification outbox: list, retry dead letters, deliver what is due.
    #[command(subcommand)]
    Outbox(outbox::OutboxCommand),
    /// DORA's five metrics and where the time goes, for one environment (production by default).
    Dora(dora::DoraArgs),
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

impl Command {
    /// Whether the command may read a repository. Those that only read or write the
    /// workspace's database do not start the git library (and its TLS) at all; a command
    /// missing here only starts it later, on its first git call, as git2 does by itself.
    fn reads_git(&self) -> bool {
        !matches!(
            self,
            Command::Init { .. }
                | Command::Settings(_)
                | Command::Project(projects::ProjectCommand::List { .. })
                | Command::Calendar(_)
                | Command::Person(_)
                | Command::Stakeholder(_)
                | Command::Channel(_)
                | Command::Subscribe(_)
                | Command::Subscriptions { .. }
                | Command::Unsubscribe { .. }
                | Command::Template(_)
                | Command::Outbox(_)
        )
    }
}

fn main() -> ExitCode {
    // Flags first, then the git library, then threads: starting git changes the process
    // environment for a moment, which is sound only while this is the one thread.
    let cli = Cli::parse();
    if cli.command.reads_git() {
        slipway_api::start_git();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the async runtime starts");
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> ExitCode {
    let _log = slipway_api::init_logging("slipway-cli");
    slipway_api::close_stores_on_exit();
    let workspace_flag = cli.workspace.clone();
    let workspace_dir = slipway_api::resolve_workspace_dir(cli.workspace);
    let result = match cli.command {
        Command::Demo {
            path,
            anchor,
            if_missing,
            json,
        } => board::demo(path.unwrap_or(workspace_dir), anchor, if_missing, json).await,
        Command::Settings(command) => {
            settings::settings(&workspace_dir, workspace_flag, command).await
        }
        Command::Init { path, json } => projects::init(path.unwrap_or(workspace_dir), json).await,
        Command::Dora(args) => dora::dora(&workspace_dir, args).await,
        Command::Queue { project, json } => {
            board::queue(&workspace_dir, project.as_deref(), json).await
        }
        Command::Cr { command, acting } => requests::cr(&workspace_dir, command, acting).await,
        Command::Sla(command) => sla::sla(&workspace_dir, command).await,
        Command::Aging(command) => sla::aging(&workspace_dir, command).await,
        Command::Calendar(command) => sla::calendar(&workspace_dir, command).await,
        Command::Person(command) => sla::person(&workspace_dir, command).await,
        Command::Freeze(command) => sla::freeze(&workspace_dir, command).await,
        Command::Watch {
            interval,
            once,
            at,
            json,
            listen,
            env_file,
        } => {
            async {
                // The file fills in what neither a flag nor the environment said.
                let file = match &env_file {
                    Some(path) => slipway_api::read_watch_env(path)?,
                    None => slipway_api::WatchEnv::default(),
                };
                let dir = match (&workspace_flag, file.workspace) {
                    (None, Some(from_file)) => from_file,
                    _ => workspace_dir,
                };
                let listen = listen.or(file.listen).filter(|l| !l.is_empty());
                watch::watch(
                    &dir,
                    watch::WatchArgs {
                        interval: interval.or(file.interval).unwrap_or(30),
                        once,
                        at: at.as_deref(),
                        json,
                        listen: listen.as_deref(),
                    },
                )
                .await
            }
            .await
        }
        Command::Project(command) => projects::project(&workspace_dir, command).await,
        Command::Stakeholder(command) => notifications::stakeholder(&workspace_dir, command).await,
        Command::Channel(command) => notifications::channel(&workspace_dir, command).await,
        Command::Subscribe(args) => notifications::subscribe(&workspace_dir, args).await,
        Command::Subscriptions { json } => notifications::subscriptions(&workspace_dir, json).await,
        Command::Unsubscribe { id, json } => {
            notifications::unsubscribe(&workspace_dir, id, json).await
        }
        Command::Template(command) => templates::template(&workspace_dir, command).await,
        Command::Outbox(command) => outbox::outbox(&workspace_dir, command).await,
        Command::Run(command) => promotion::run(&workspace_dir, command).await,
        Command::Hold { place, reason, who } => {
            gates::hold(&workspace_dir, place, Some(reason), who).await
        }
        Command::Unhold { place, who } => gates::hold(&workspace_dir, place, None, who).await,
        Command::Signoff {
            place,
            sha,
            reject,
            comment,
            who,
        } => gates::signoff(&workspace_dir, place, sha, reject, comment, who).await,
        Command::Gate(command) => gates::gate(&workspace_dir, command).await,
        Command::Guard(command) => guard::guard(&workspace_dir, command).await,
        Command::Action(command) => gates::action(&workspace_dir, command).await,
        Command::Bad(command) => gates::bad(&workspace_dir, command).await,
        Command::FollowUp(command) => follow_ups::follow_up(&workspace_dir, command).await,
        Command::History {
            project,
            environment,
            json,
        } => promotion::history(&workspace_dir, project, environment, json).await,
        Command::Inbox { who } => gates::inbox(&workspace_dir, who).await,
        Command::Audit(command) => audit::audit(&workspace_dir, command).await,
        Command::Reconcile { json } => promotion::reconcile(&workspace_dir, json).await,
        Command::Deployment(command) => projects::deployment(&workspace_dir, command).await,
        Command::Fetch { project, json } => board::fetch(&workspace_dir, project, json).await,
        Command::Preview {
            project,
            environment,
            to,
            json,
        } => board::preview(&workspace_dir, &project, &environment, to.as_deref(), json).await,
    };
    // A clean close: the database file alone then holds every write (no -wal left behind).
    slipway_api::close_stores().await;
    result.unwrap_or_else(|e| {
        eprintln!("slipway: {}", e.message);
        ExitCode::FAILURE
    })
}
