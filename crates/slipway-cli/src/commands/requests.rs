//! `slipway cr …`: change requests, from opening to closing.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use slipway_api::{
    ApiError, ClockDto, NewRequestDto, RequestActionDto, RequestDetailDto, SystemClock, Workspace,
};

use crate::flags::*;
use crate::output::*;

/// Who acts (the shared [`Who`]), and when (for steps written down after the fact).
#[derive(Args)]
pub struct Acting {
    #[command(flatten)]
    who: Who,
    /// When it happened (RFC 3339, or "YYYY-MM-DD HH:MM" UTC) [default: now]
    #[arg(long, value_name = "TIME", global = true)]
    at: Option<String>,
}

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
    let actor = || acting.who.me();
    let at = acting.at.as_deref();
    // --at dates a step written down after the fact; a listing reads the clocks now.
    if at.is_some() && matches!(command, CrCommand::List { .. } | CrCommand::Show { .. }) {
        return Err(ApiError::new(
            slipway_api::ErrorCode::InvalidInput,
            "--at dates a step written down after the fact; `cr list` and `cr show` read the clocks now. To read them at another time, use `slipway sla check --at TIME`.",
        ));
    }
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
            print_detail(&detail, acting.who.json);
            return Ok(ExitCode::SUCCESS);
        }
        CrCommand::List { all } => {
            let list = slipway_api::list_requests(&workspace, all, actor().ok().as_deref(), &clock)
                .await?;
            if acting.who.json {
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
            print_detail(&detail, acting.who.json);
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
    print_detail(&detail, acting.who.json);
    Ok(ExitCode::SUCCESS)
}

/// "2 h 10 m left (45 %)", "breached 20 m ago", "paused — 1 h left".
pub(crate) fn clock_words(c: &ClockDto) -> String {
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

pub(crate) fn print_detail(d: &RequestDetailDto, json: bool) {
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
