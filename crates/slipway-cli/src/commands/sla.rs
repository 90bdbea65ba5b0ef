//! `slipway sla|calendar|person|freeze|aging …`: what clocks are measured against, and the clocks.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use slipway_api::{
    AlertingInputDto, ApiError, CalendarInputDto, SlaPolicyInputDto, SystemClock, Workspace,
};

use crate::output::*;

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
        /// Instead: every escalation chain's members and how a notice would reach each
        #[arg(long, conflicts_with = "at")]
        routes: bool,
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

/// After a policy is saved: each member of its chain no notice can reach, on stderr.
async fn warn_unreached(workspace: &Workspace, policy: &str) -> Result<(), ApiError> {
    for m in slipway_api::escalation_routes(workspace).await? {
        let lost = matches!(
            m.reach,
            slipway_api::ReachDto::Unreachable | slipway_api::ReachDto::NobodyHoldsRole
        );
        if lost && m.policy == policy {
            eprintln!("warning: at {} of {policy}, {}", m.threshold, m.sentence);
        }
    }
    Ok(())
}

pub async fn sla(dir: &Path, command: SlaCommand) -> Result<ExitCode, ApiError> {
    let workspace = Workspace::open(dir).await?;
    match command {
        SlaCommand::Check {
            routes: true, json, ..
        } => {
            let members = slipway_api::escalation_routes(&workspace).await?;
            if json {
                print_json(&members);
            } else if members.is_empty() {
                println!("No escalation chain is set (slipway sla policy / aging set --escalate).");
            } else {
                for m in &members {
                    let who = if m.person.is_empty() || m.person == m.named {
                        m.named.clone()
                    } else {
                        format!("{} ({})", m.person, m.named)
                    };
                    println!(
                        "  {:<22} {:<9} {:<36} {}",
                        m.policy, m.threshold, who, m.sentence
                    );
                }
            }
        }
        SlaCommand::Check { at, json, .. } => {
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
            warn_unreached(&workspace, &format!("{kind} {severity}")).await?;
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
    warn_unreached(&workspace, &format!("aging {project}/{environment}")).await?;
    Ok(ExitCode::SUCCESS)
}
