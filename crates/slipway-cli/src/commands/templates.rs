//! `slipway template list|show|set|reset`: message templates.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgGroup, Args, Subcommand};
use slipway_api::{ApiError, SystemClock, TemplateDto, TemplateInputDto, Workspace};

use crate::flags::*;
use crate::output::*;

/// Templates: what messages say.
#[derive(Subcommand)]
pub enum TemplateCommand {
    /// List the templates in force (built-in or the workspace's own).
    List {
        /// Only this event kind
        #[arg(long)]
        kind: Option<String>,
        /// Only this channel kind
        #[arg(long)]
        channel: Option<String>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Print a template and the variables it may use.
    Show {
        #[command(flatten)]
        which: TemplateKey,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Replace a template; an unknown {{variable}} is refused now, not at send time.
    #[command(group(ArgGroup::new("text").required(true).args(["file", "body"])))]
    Set {
        #[command(flatten)]
        which: TemplateKey,
        /// Read the text from this file ("-": standard input)
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
        /// The text
        #[arg(long, value_name = "TEXT")]
        body: Option<String>,
        #[command(flatten)]
        acting: Who,
    },
    /// Go back to the built-in template.
    Reset {
        #[command(flatten)]
        which: TemplateKey,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

/// Which template: event kind, channel kind, part.
#[derive(Args)]
pub struct TemplateKey {
    /// The event kind (promoted, held, breached…)
    kind: String,
    /// The channel kind (email, slack, teams, webhook, desktop)
    channel: String,
    /// The part (subject, text, html, markdown, json)
    part: String,
}

pub(crate) fn print_template(t: &TemplateDto) {
    println!(
        "{} · {} · {} ({})",
        t.kind,
        t.channel_kind,
        t.part,
        if t.custom { "custom" } else { "built-in" }
    );
    println!();
    println!("{}", t.body.trim_end_matches('\n'));
    println!();
    println!(
        "Variables: {}",
        t.variables
            .iter()
            .map(|v| format!("{{{{{v}}}}}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
}

/// `slipway template …`.
pub async fn template(dir: &Path, command: TemplateCommand) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    match command {
        TemplateCommand::List {
            kind,
            channel,
            json,
        } => {
            let list = slipway_api::templates_of(&ws, kind.as_deref(), channel.as_deref()).await?;
            if json {
                print_json(&list);
            } else {
                let mut rows = vec![vec![
                    "KIND".into(),
                    "CHANNEL".into(),
                    "PART".into(),
                    "SOURCE".into(),
                    "FIRST LINE".into(),
                ]];
                rows.extend(list.iter().map(|t| {
                    vec![
                        t.kind.clone(),
                        t.channel_kind.clone(),
                        t.part.clone(),
                        if t.custom { "custom" } else { "built-in" }.into(),
                        first_line(&t.body, 60),
                    ]
                }));
                print_table(&rows);
            }
        }
        TemplateCommand::Show { which, json } => {
            let t = slipway_api::template(&ws, &which.kind, &which.channel, &which.part).await?;
            if json {
                print_json(&t);
            } else {
                print_template(&t);
            }
        }
        TemplateCommand::Set {
            which,
            file,
            body,
            acting,
        } => {
            let body = match (file, body) {
                (_, Some(body)) => body,
                (Some(path), None) if path.as_os_str() == "-" => {
                    let mut text = String::new();
                    std::io::stdin()
                        .read_to_string(&mut text)
                        .map_err(|e| io_error("the template from standard input", e))?;
                    text
                }
                (Some(path), None) => std::fs::read_to_string(&path)
                    .map_err(|e| io_error(&path.display().to_string(), e))?,
                (None, None) => {
                    return Err(invalid("Give the text with --file PATH or --body TEXT."))
                }
            };
            let by = acting.me()?;
            let input = TemplateInputDto {
                kind: which.kind,
                channel_kind: which.channel,
                part: which.part,
                body,
            };
            let saved = slipway_api::save_template(&ws, &input, &by, &SystemClock).await?;
            if acting.json {
                print_json(&saved);
            } else {
                println!(
                    "Saved the {} {} {} template.",
                    saved.kind, saved.channel_kind, saved.part
                );
            }
        }
        TemplateCommand::Reset { which, json } => {
            slipway_api::reset_template(&ws, &which.kind, &which.channel, &which.part).await?;
            let t = slipway_api::template(&ws, &which.kind, &which.channel, &which.part).await?;
            if json {
                print_json(&t);
            } else {
                println!(
                    "The {} {} {} template is the built-in one again.",
                    t.kind, t.channel_kind, t.part
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
