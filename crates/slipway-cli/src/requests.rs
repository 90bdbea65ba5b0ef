//! `slipway cr …`, `slipway sla …`, `slipway calendar|person|freeze|aging …` and `slipway watch`.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use slipway_api::{
    AlertingInputDto, ApiError, CalendarInputDto, ClockDto, NewRequestDto, RequestActionDto,
    RequestDetailDto, SlaPolicyInputDto, SystemClock, Workspace,
};

use crate::print_json;

/// Who acts, and when (for steps written down after the fact).
#[derive(Args)]
pub struct Acting {
    /// Act as this person (email) [default: $SLIPWAY_USER, else git's user.email]
    #[arg(long = "as", value_name = "EMAIL", global = true)]
    actor: Option<String>,
    /// When it happened (RFC 3339, or "YYYY-MM-DD HH:MM" UTC) [default: now]
    #[arg(long, value_name = "TIME", global = true)]
    at: Option<String>,
    /// Print JSON instead of text
    #[arg(long, global = true)]
    json: bool,
}

// Parsed once per run: the size of the biggest variant costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum CrCommand {
    /// Open a change request (a draft; `submit` sends it for approval).
    New {
        /// Project
        #[arg(long)]
        project: String,
        /// emergency, normal or standard
        #[arg(long = "type", value_name = "TYPE")]
        kind: String,
        /// sev1 … sev4
        #[arg(long)]
        severity: String,
        /// One line
        #[arg(long)]
        title: String,
        /// Free text
        #[arg(long, default_value = "")]
        description: String,
        /// Who asks [default: you]
        #[arg(long)]
        requester: Option<String>,
        /// Who does the work
        #[arg(long)]
        assignee: Option<String>,
        /// Where the fix must go
        #[arg(long = "env", value_name = "ENV")]
        environment: Option<String>,
        /// A change to link: sha, #PR, or words from its title (repeatable)
        #[arg(long = "link", value_name = "CHANGE")]
        links: Vec<String>,
        /// When it really began, for requests written after the fact
        #[arg(long, value_name = "TIME")]
        opened_at: Option<String>,
    },
    /// The requests with their clocks, nearest breach first.
    List {
        /// Closed, rejected and cancelled ones too
        #[arg(long)]
        all: bool,
    },
    /// One request: clocks, timeline, linked changes.
    Show {
        /// Its number
        id: i64,
    },
    /// Send a draft for approval.
    Submit {
        /// Its number
        id: i64,
    },
    /// Approve (in your role that is still needed, or --role).
    Approve {
        /// Its number
        id: i64,
        /// Approve in this role
        #[arg(long)]
        role: Option<String>,
    },
    /// Reject.
    Reject {
        /// Its number
        id: i64,
        /// Why
        #[arg(long)]
        reason: String,
    },
    /// Mark the fix verified.
    Verify {
        /// Its number
        id: i64,
    },
    /// Put on hold (clocks that pause on hold pause).
    Hold {
        /// Its number
        id: i64,
        /// Why
        #[arg(long)]
        reason: String,
    },
    /// Resume after a hold.
    Resume {
        /// Its number
        id: i64,
    },
    /// Close.
    Close {
        /// Its number
        id: i64,
    },
    /// Cancel.
    Cancel {
        /// Its number
        id: i64,
        /// Why
        #[arg(long)]
        reason: String,
    },
    /// Link a change: sha, #PR, or words from its title.
    Link {
        /// Its number
        id: i64,
        /// The change
        change: String,
    },
    /// "I'm on it": stop the request's escalation reminders.
    Ack {
        /// Its number
        id: i64,
    },
}

pub async fn cr(dir: &Path, command: CrCommand, acting: Acting) -> Result<ExitCode, ApiError> {
    let workspace = Workspace::open(dir).await?;
    let clock = SystemClock;
    let actor = || slipway_api::identity(acting.actor.as_deref());
    let at = acting.at.as_deref();
    let (id, action) = match command {
        CrCommand::New {
            project,
            kind,
            severity,
            title,
            description,
            requester,
            assignee,
            environment,
            links,
            opened_at,
        } => {
            let input = NewRequestDto {
                project,
                kind,
                severity,
                title,
                description,
                requester,
                assignee,
                target_environment: environment,
                links,
                opened_at: opened_at.or(acting.at.clone()),
            };
            let detail = slipway_api::open_request(&workspace, &input, &actor()?, &clock).await?;
            print_detail(&detail, acting.json);
            return Ok(ExitCode::SUCCESS);
        }
        CrCommand::List { all } => {
            let list = slipway_api::list_requests(&workspace, all, actor().ok().as_deref(), &clock)
                .await?;
            if acting.json {
                print_json(&list);
            } else if list.requests.is_empty() {
                println!("No {}change requests.", if all { "" } else { "open " });
            } else {
                println!(
                    "{:>5}  {:<9} {:<4} {:<10} {:<26} TITLE",
                    "#", "TYPE", "SEV", "STATE", "CLOCK"
                );
                for r in &list.requests {
                    println!(
                        "{:>5}  {:<9} {:<4} {:<10} {:<26} {}",
                        r.id,
                        r.kind,
                        r.severity.to_uppercase(),
                        r.state,
                        r.urgent_clock.as_ref().map_or_else(
                            || if r.has_policy {
                                "—".into()
                            } else {
                                "no SLA policy".into()
                            },
                            clock_words
                        ),
                        r.title
                    );
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        CrCommand::Show { id } => {
            let detail =
                slipway_api::show_request(&workspace, id, actor().ok().as_deref(), &clock).await?;
            print_detail(&detail, acting.json);
            return Ok(ExitCode::SUCCESS);
        }
        CrCommand::Submit { id } => (id, RequestActionDto::Submit),
        CrCommand::Approve { id, role } => (id, RequestActionDto::Approve { role }),
        CrCommand::Reject { id, reason } => (id, RequestActionDto::Reject { reason }),
        CrCommand::Verify { id } => (id, RequestActionDto::Verify),
        CrCommand::Hold { id, reason } => (id, RequestActionDto::Hold { reason }),
        CrCommand::Resume { id } => (id, RequestActionDto::Resume),
        CrCommand::Close { id } => (id, RequestActionDto::Close),
        CrCommand::Cancel { id, reason } => (id, RequestActionDto::Cancel { reason }),
        CrCommand::Link { id, change } => (id, RequestActionDto::Link { change }),
        CrCommand::Ack { id } => (id, RequestActionDto::Acknowledge),
    };
    let detail =
        slipway_api::act_on_request(&workspace, id, &action, &actor()?, at, &clock).await?;
    print_detail(&detail, acting.json);
    Ok(ExitCode::SUCCESS)
}

/// "2 h 10 m left (45 %)", "breached 20 m ago", "paused — 1 h left".
fn clock_words(c: &ClockDto) -> String {
    let left = slipway_api::format_age(c.remaining_seconds.abs());
    let state = if c.breached {
        format!("{} breached +{left}", c.stage)
    } else {
        format!("{} {left} left", c.stage)
    };
    match (c.paused, c.stopped) {
        (_, true) => format!("{state} (stopped)"),
        (true, _) => format!("{state} (paused)"),
        _ => format!("{state} ({:.0} %)", c.percent),
    }
}

fn print_detail(d: &RequestDetailDto, json: bool) {
    if json {
        print_json(d);
        return;
    }
    let s = &d.summary;
    println!(
        "CR #{}  {} {}  {}  [{}]",
        s.id,
        s.kind,
        s.severity.to_uppercase(),
        s.title,
        s.state
    );
    println!(
        "  project {}{}  requester {}{}",
        s.project,
        s.target_environment
            .as_ref()
            .map(|e| format!(" → {e}"))
            .unwrap_or_default(),
        s.requester,
        s.assignee
            .as_ref()
            .map(|a| format!("  assignee {a}"))
            .unwrap_or_default()
    );
    if !s.approvals_needed.is_empty() {
        println!("  needs approval from: {}", s.approvals_needed.join(", "));
    }
    if !d.description.is_empty() {
        println!("  {}", d.description);
    }
    if !s.has_policy {
        println!("  no SLA policy for {} {}", s.kind, s.severity);
    }
    for c in &s.clocks {
        println!(
            "  clock {:<8} {}{}",
            c.stage,
            clock_words(c),
            c.due_at
                .as_ref()
                .map(|d| format!(", due {d}"))
                .unwrap_or_default()
        );
    }
    for l in &d.links {
        println!("  linked {}  {}", l.short_sha, l.title);
    }
    for sha in &d.unknown_links {
        println!("  linked {} (not in the clone)", &sha[..sha.len().min(12)]);
    }
    println!("  timeline:");
    for t in &d.timeline {
        println!("    {}  {:<24} {}", t.at, t.actor, t.text);
    }
}

#[derive(Args, Default)]
pub struct AlertingArgs {
    /// Calendar business time is counted in
    #[arg(long, default_value = "24x7")]
    calendar: String,
    /// Warning percentages, comma-separated
    #[arg(long, value_delimiter = ',', default_value = "50,75")]
    warn: Vec<u8>,
    /// Escalation step: THRESHOLD=WHO[,WHO] (warn-50=assignee, breach=role:lead,ops@x) (repeatable)
    #[arg(long = "escalate", value_name = "STEP")]
    escalate: Vec<String>,
    /// Remind every so long after a breach until acknowledged (30m, 1h, 1bd)
    #[arg(long, value_name = "DURATION")]
    repeat: Option<String>,
    /// Keep the clock running while on hold
    #[arg(long)]
    run_on_hold: bool,
    /// Keep the clock running during freeze windows
    #[arg(long)]
    run_in_freeze: bool,
}

impl AlertingArgs {
    fn dto(self) -> AlertingInputDto {
        AlertingInputDto {
            calendar: Some(self.calendar),
            warnings: Some(self.warn),
            escalate: self.escalate,
            repeat: self.repeat,
            run_on_hold: self.run_on_hold,
            run_in_freeze: self.run_in_freeze,
        }
    }
}

#[derive(Subcommand)]
pub enum SlaCommand {
    /// Every running clock as it stands now (or at --at): elapsed, remaining, next threshold.
    Check {
        /// Read the clocks as they stand (or would stand) at this time
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Set the SLA policy of a request type and severity. Goals are business time.
    Policy {
        /// emergency, normal or standard
        #[arg(long = "type", value_name = "TYPE")]
        kind: String,
        /// sev1 … sev4
        #[arg(long)]
        severity: String,
        /// Time to approve (30m, 4h, 1bd…)
        #[arg(long)]
        approve: Option<String>,
        /// Time to verify
        #[arg(long)]
        verify: Option<String>,
        /// Time to deploy
        #[arg(long)]
        deploy: Option<String>,
        /// Total time, opened to deployed
        #[arg(long)]
        total: Option<String>,
        #[command(flatten)]
        alerting: AlertingArgs,
    },
    /// Thresholds crossed so far (stored once each), newest first.
    Events {
        /// How many
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// "I'm on it" for one clock: its reminders stop.
    Ack {
        /// The clock key (cr/12/total, age/payments/staging/<sha>)
        key: String,
        /// As this person
        #[arg(long = "as", value_name = "EMAIL")]
        actor: Option<String>,
    },
}

pub async fn sla(dir: &Path, command: SlaCommand) -> Result<ExitCode, ApiError> {
    let workspace = Workspace::open(dir).await?;
    match command {
        SlaCommand::Check { at, json } => {
            let check = slipway_api::sla_check(&workspace, at.as_deref(), &SystemClock).await?;
            if json {
                print_json(&check);
            } else if check.clocks.is_empty() {
                println!("No running clocks at {}.", check.at);
            } else {
                println!("Clocks at {}:", check.at);
                for row in &check.clocks {
                    let c = &row.clock;
                    println!(
                        "  {:<44} {:>5.1} %  used {:<9} left {:<10} {}{}",
                        clip(&row.subject, 44),
                        c.percent,
                        slipway_api::format_age(c.elapsed_seconds),
                        if c.breached {
                            format!("-{}", slipway_api::format_age(-c.remaining_seconds))
                        } else {
                            slipway_api::format_age(c.remaining_seconds)
                        },
                        if c.paused { "paused; " } else { "" },
                        match (&c.next_threshold, &c.next_at) {
                            (Some(t), Some(at)) => format!("next {t} at {at}"),
                            (Some(t), None) => format!("next {t} when it runs again"),
                            _ => String::new(),
                        }
                    );
                }
            }
        }
        SlaCommand::Policy {
            kind,
            severity,
            approve,
            verify,
            deploy,
            total,
            alerting,
        } => {
            slipway_api::set_sla_policy(
                &workspace,
                &SlaPolicyInputDto {
                    kind: kind.clone(),
                    severity: severity.clone(),
                    approve,
                    verify,
                    deploy,
                    total,
                    alerting: alerting.dto(),
                },
            )
            .await?;
            println!("SLA policy for {kind} {severity} saved.");
        }
        SlaCommand::Events { limit, json } => {
            let events = slipway_api::clock_events(&workspace, limit).await?;
            if json {
                print_json(&events);
            } else {
                for e in &events {
                    println!(
                        "{}  {:<9} {}  → {}",
                        e.crossed_at,
                        e.threshold,
                        e.summary,
                        if e.recipients.is_empty() {
                            "(nobody)".to_string()
                        } else {
                            e.recipients.join(", ")
                        }
                    );
                }
            }
        }
        SlaCommand::Ack { key, actor } => {
            let who = slipway_api::identity(actor.as_deref())?;
            slipway_api::acknowledge_clock(&workspace, &key, &who, &SystemClock).await?;
            println!("{key}: acknowledged by {who}; its reminders stop.");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn clip(s: &str, n: usize) -> String {
    match s.char_indices().nth(n - 1) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Add or replace a business calendar.
    Add {
        /// Its name (no spaces)
        name: String,
        /// IANA time zone (Europe/Berlin); leave out for 24×7
        #[arg(long)]
        zone: Option<String>,
        /// Opening hours: "Mon-Fri 09:00-17:00; Sat 10:00-14:00" [default: Mon-Fri 09:00-17:00]
        #[arg(long)]
        hours: Option<String>,
        /// A holiday: NAME=YYYY-MM-DD[..YYYY-MM-DD] (repeatable)
        #[arg(long = "holiday", value_name = "HOLIDAY")]
        holidays: Vec<String>,
    },
}

pub async fn calendar(dir: &Path, command: CalendarCommand) -> Result<ExitCode, ApiError> {
    let workspace = Workspace::open(dir).await?;
    let CalendarCommand::Add {
        name,
        zone,
        hours,
        holidays,
    } = command;
    slipway_api::save_calendar(
        &workspace,
        &CalendarInputDto {
            name: name.clone(),
            zone,
            hours,
            holidays,
        },
    )
    .await?;
    println!("Calendar {name} saved.");
    Ok(ExitCode::SUCCESS)
}

#[derive(Subcommand)]
pub enum PersonCommand {
    /// Add or replace a person and their roles.
    Add {
        /// Email address
        email: String,
        /// Name
        #[arg(long, default_value = "")]
        name: String,
        /// A role: qa, release-manager, lead… (repeatable)
        #[arg(long = "role", value_name = "ROLE")]
        roles: Vec<String>,
    },
}

pub async fn person(dir: &Path, command: PersonCommand) -> Result<ExitCode, ApiError> {
    let workspace = Workspace::open(dir).await?;
    let PersonCommand::Add { email, name, roles } = command;
    slipway_api::save_person(&workspace, &email, &name, &roles).await?;
    println!("{email} saved.");
    Ok(ExitCode::SUCCESS)
}

#[derive(Subcommand)]
pub enum FreezeCommand {
    /// Add a freeze window.
    Add {
        /// Project
        #[arg(long)]
        project: String,
        /// Only this environment [default: all of the project's]
        #[arg(long = "env", value_name = "ENV")]
        environment: Option<String>,
        /// From (RFC 3339 or "YYYY-MM-DD HH:MM" UTC)
        #[arg(long)]
        from: String,
        /// Until
        #[arg(long)]
        to: String,
        /// Why
        #[arg(long)]
        reason: String,
    },
}

pub async fn freeze(dir: &Path, command: FreezeCommand) -> Result<ExitCode, ApiError> {
    let workspace = Workspace::open(dir).await?;
    let FreezeCommand::Add {
        project,
        environment,
        from,
        to,
        reason,
    } = command;
    let id = slipway_api::add_freeze(
        &workspace,
        &project,
        environment.as_deref(),
        &from,
        &to,
        &reason,
    )
    .await?;
    println!("Freeze window {id} added.");
    Ok(ExitCode::SUCCESS)
}

#[derive(Subcommand)]
pub enum AgingCommand {
    /// Set how long a change may wait in an environment's queue before it is late.
    Set {
        /// Project
        #[arg(long)]
        project: String,
        /// Environment
        #[arg(long = "env", value_name = "ENV")]
        environment: String,
        /// Business time a change may wait (4h, 1bd…)
        #[arg(long)]
        goal: String,
        #[command(flatten)]
        alerting: AlertingArgs,
    },
}

pub async fn aging(dir: &Path, command: AgingCommand) -> Result<ExitCode, ApiError> {
    let workspace = Workspace::open(dir).await?;
    let AgingCommand::Set {
        project,
        environment,
        goal,
        alerting,
    } = command;
    slipway_api::set_aging_policy(&workspace, &project, &environment, &goal, &alerting.dto())
        .await?;
    println!("Aging policy for {project}/{environment} saved: late after {goal}.");
    Ok(ExitCode::SUCCESS)
}

/// `slipway watch`: evaluates every clock against the workspace database, over and over.
pub async fn watch(
    dir: &Path,
    interval: u64,
    once: bool,
    json: bool,
) -> Result<ExitCode, ApiError> {
    let workspace = Workspace::open(dir).await?;
    let name = slipway_api::dispatcher_name();
    let mut repos = slipway_api::RepoCache::new();
    // Notifications go out from here too, with no desktop open: a dispatcher drains the
    // outbox alongside the clocks (several watchers share the work without duplicates).
    let dispatcher = slipway_api::Dispatcher::new(&workspace, &name, None);
    let stop = slipway_api::Cancel::new();
    if !once {
        eprintln!(
            "slipway watch: evaluating every clock in {} every {interval} s and delivering notifications (Ctrl-C stops)",
            workspace.dir().display()
        );
        tokio::spawn(
            dispatcher
                .clone()
                .run(std::sync::Arc::new(SystemClock), stop.clone()),
        );
    }
    loop {
        match slipway_api::watch_pass(&workspace, &mut repos, &SystemClock, &name).await {
            Ok(pass) => {
                if json {
                    print_json(&pass);
                } else {
                    for id in &pass.deployed {
                        println!(
                            "{}  CR #{id} deployed (its changes reached the target)",
                            pass.at
                        );
                    }
                    for e in &pass.new_events {
                        println!("{}  {:<9} {}", e.crossed_at, e.threshold, e.summary);
                    }
                    for p in &pass.problems {
                        eprintln!("slipway watch: {p}");
                    }
                }
            }
            // A watcher outlives a database that is briefly away: say so, try again.
            Err(e) if !once => eprintln!("slipway watch: {}", e.message),
            Err(e) => return Err(e),
        }
        if once {
            // Deliver what is due now, then stop (retries wait for the next watcher).
            loop {
                let sent = dispatcher.dispatch_once(&SystemClock).await?;
                if sent.delivered + sent.retrying + sent.dead == 0 {
                    break;
                }
                if !json {
                    println!(
                        "notifications: {} delivered, {} to retry, {} dead",
                        sent.delivered, sent.retrying, sent.dead
                    );
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(interval.max(1))) => {}
            _ = tokio::signal::ctrl_c() => {
                stop.cancel();
                return Ok(ExitCode::SUCCESS);
            }
        }
    }
}
