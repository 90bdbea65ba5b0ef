//! `slipway followup …`: follow-ups, owned and due, closed as done or won't do, and the
//! postmortem draft.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use slipway_api::{
    ApiError, FollowUpCloseDto, FollowUpDto, FollowUpEditDto, FollowUpSettingsDto,
    FollowUpStatusDto, NewFollowUpDto, PriorityDto, SystemClock, Workspace,
};

use crate::flags::*;
use crate::output::*;

/// Follow-ups.
#[derive(Subcommand)]
pub enum FollowUpCommand {
    /// List open follow-ups, soonest due first (all with --all).
    List {
        /// Closed ones too
        #[arg(long)]
        all: bool,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// One follow-up, whole.
    Show {
        /// Its number
        id: i64,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Open a follow-up by hand.
    Add {
        /// Project name
        #[arg(long)]
        project: String,
        /// Environment name
        #[arg(long = "env")]
        environment: String,
        /// What is to be done
        #[arg(long)]
        title: String,
        /// Who owns it (an email address) [default: you]
        #[arg(long)]
        owner: Option<String>,
        /// Due date: 2026-12-18 (that day's close on the project's calendar), or a time
        /// [default: the project's business days from now]
        #[arg(long)]
        due: Option<String>,
        /// A change request it belongs to
        #[arg(long)]
        request: Option<i64>,
        #[command(flatten)]
        who: Who,
    },
    /// Change an open follow-up's owner, priority, due date, link or request.
    Edit {
        /// Its number
        id: i64,
        /// A new owner (an email address)
        #[arg(long)]
        owner: Option<String>,
        /// high, normal or low
        #[arg(long)]
        priority: Option<String>,
        /// A new due date (as for add)
        #[arg(long)]
        due: Option<String>,
        /// The ticket or document where the postmortem lives (http/https; "" removes it)
        #[arg(long)]
        link: Option<String>,
        /// A change request to link
        #[arg(long)]
        request: Option<i64>,
        #[command(flatten)]
        who: Who,
    },
    /// Close a follow-up as done (its reminders stop).
    Done {
        /// Its number
        id: i64,
        /// A note
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        who: Who,
    },
    /// Close a follow-up as won't do, with a reason.
    WontDo {
        /// Its number
        id: i64,
        /// Why it will not be done
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        who: Who,
    },
    /// Close a follow-up as done (the same as done).
    Close {
        /// Its number
        id: i64,
        #[command(flatten)]
        who: Who,
    },
    /// The postmortem draft in Markdown, prefilled from the record.
    Draft {
        /// Its number
        id: i64,
        /// Save it to this file instead of printing it
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// A project's follow-up due dates: the calendar and business days.
    Settings {
        /// Project name
        #[arg(long)]
        project: String,
        /// The calendar due dates count on (24x7 for none)
        #[arg(long)]
        calendar: Option<String>,
        /// Business days from the rollback or the request's close
        #[arg(long)]
        days: Option<u32>,
        #[command(flatten)]
        who: Who,
    },
}

fn print_one(f: &FollowUpDto) {
    println!("#{} {}/{}: {}", f.id, f.project, f.environment, f.title);
    println!(
        "  {} · {} priority · owner {} · due {} on {} ({})",
        status_word(f.status),
        priority_word(f.priority),
        f.owner.as_deref().unwrap_or("nobody"),
        f.due_at,
        f.calendar,
        f.standing
    );
    let mut links = Vec::new();
    if let Some(d) = f.rolled_back {
        links.push(format!("deployment #{d}"));
    }
    if let Some(d) = f.deployment {
        links.push(format!("rollback #{d}"));
    }
    if let Some(r) = f.request {
        links.push(format!("request #{r}"));
    }
    if let Some(l) = &f.external_link {
        links.push(l.clone());
    }
    if !links.is_empty() {
        println!("  links: {}", links.join(" · "));
    }
    println!("  opened by {} {}", f.opened_by, f.opened_at);
    if let (Some(by), Some(at)) = (&f.closed_by, &f.closed_at) {
        match &f.reason {
            Some(r) => println!("  closed by {by} {at}: {r}"),
            None => println!("  closed by {by} {at}"),
        }
    }
}

fn status_word(s: FollowUpStatusDto) -> &'static str {
    match s {
        FollowUpStatusDto::Open => "open",
        FollowUpStatusDto::Done => "done",
        FollowUpStatusDto::WontDo => "won't do",
    }
}

fn priority_word(p: PriorityDto) -> &'static str {
    match p {
        PriorityDto::High => "high",
        PriorityDto::Normal => "normal",
        PriorityDto::Low => "low",
    }
}

fn priority(word: &str) -> Result<PriorityDto, ApiError> {
    serde_json::from_value(serde_json::Value::String(word.trim().to_ascii_lowercase())).map_err(
        |_| {
            ApiError::new(
                slipway_api::ErrorCode::InvalidInput,
                format!("{word:?} is not a priority; use one of: high, normal, low."),
            )
        },
    )
}

fn print_result(f: &FollowUpDto, json: bool, said: &str) {
    if json {
        print_json(f);
    } else {
        println!("{said}");
        print_one(f);
    }
}

/// `slipway followup …`.
pub async fn follow_up(dir: &Path, command: FollowUpCommand) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    let clock = SystemClock;
    match command {
        FollowUpCommand::List { all, json } => {
            let list = slipway_api::follow_ups(&ws, all, &clock).await?;
            if json {
                print_json(&list);
            } else if list.is_empty() {
                println!("No open follow-ups.");
            } else {
                for f in &list {
                    print_one(f);
                }
            }
        }
        FollowUpCommand::Show { id, json } => {
            let f = slipway_api::follow_up(&ws, id, &clock).await?;
            print_result(&f, json, &format!("Follow-up #{id}"));
        }
        FollowUpCommand::Add {
            project,
            environment,
            title,
            owner,
            due,
            request,
            who,
        } => {
            let new = NewFollowUpDto {
                project,
                environment,
                title,
                owner,
                due,
                request,
            };
            let f = slipway_api::open_follow_up(&ws, &new, &who.me()?, &clock).await?;
            print_result(&f, who.json, &format!("Follow-up #{} opened.", f.id));
        }
        FollowUpCommand::Edit {
            id,
            owner,
            priority: word,
            due,
            link,
            request,
            who,
        } => {
            let edit = FollowUpEditDto {
                owner,
                priority: word.as_deref().map(priority).transpose()?,
                due,
                external_link: link,
                request,
            };
            let f = slipway_api::edit_follow_up(&ws, id, &edit, &who.me()?, &clock).await?;
            print_result(&f, who.json, &format!("Follow-up #{id} changed."));
        }
        FollowUpCommand::Done { id, note, who } => {
            let close = FollowUpCloseDto {
                status: FollowUpStatusDto::Done,
                reason: note,
            };
            let f = slipway_api::close_follow_up(&ws, id, &close, &who.me()?, &clock).await?;
            print_result(
                &f,
                who.json,
                &format!("Follow-up #{id} done; its reminders stop."),
            );
        }
        FollowUpCommand::Close { id, who } => {
            let close = FollowUpCloseDto {
                status: FollowUpStatusDto::Done,
                reason: String::new(),
            };
            let f = slipway_api::close_follow_up(&ws, id, &close, &who.me()?, &clock).await?;
            print_result(&f, who.json, &format!("Follow-up #{id} closed."));
        }
        FollowUpCommand::WontDo { id, reason, who } => {
            let close = FollowUpCloseDto {
                status: FollowUpStatusDto::WontDo,
                reason,
            };
            let f = slipway_api::close_follow_up(&ws, id, &close, &who.me()?, &clock).await?;
            print_result(
                &f,
                who.json,
                &format!("Follow-up #{id} closed as won't do."),
            );
        }
        FollowUpCommand::Draft { id, out } => {
            let draft = slipway_api::postmortem_draft(&ws, id, &clock).await?;
            match out {
                Some(path) => {
                    slipway_api::save_postmortem(&path, &draft.markdown)?;
                    println!(
                        "Saved the postmortem draft of follow-up #{id} to {}.",
                        path.display()
                    );
                }
                None => print!("{}", draft.markdown),
            }
        }
        FollowUpCommand::Settings {
            project,
            calendar,
            days,
            who,
        } => {
            let mut settings = slipway_api::follow_up_settings(&ws, &project).await?;
            if calendar.is_some() || days.is_some() {
                if let Some(c) = calendar {
                    settings.calendar = Some(c);
                }
                if let Some(d) = days {
                    settings.due_days = d;
                }
                settings = slipway_api::edit_follow_up_settings(
                    &ws,
                    &project,
                    &FollowUpSettingsDto { ..settings },
                    &who.me()?,
                    &clock,
                )
                .await?;
            }
            if who.json {
                print_json(&settings);
            } else {
                println!(
                    "Follow-ups of {project} are due {} business days after the rollback or the request's close, on {}.",
                    settings.due_days,
                    settings.calendar.as_deref().unwrap_or("24x7")
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
