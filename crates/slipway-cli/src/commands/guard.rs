//! `slipway guard`: the config guard's settings per project — markers learned and added by
//! hand, denied settings, file patterns, modes, the override — and how its report prints.

use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use slipway_api::{
    ApiError, GuardChangeDto, GuardModeDto, GuardReportDto, GuardSettingsDto, MarkerOriginDto,
    SystemClock, Workspace,
};

use crate::flags::*;
use crate::output::*;

/// The config guard's settings.
#[derive(Subcommand)]
pub enum GuardCommand {
    /// The config files that differ between two environments, with the diff: look before
    /// promoting.
    Drift {
        /// Project name
        #[arg(long)]
        project: String,
        /// The first environment (the one behind)
        #[arg(long)]
        from: String,
        /// The second environment
        #[arg(long)]
        to: String,
        /// Names and counts only, no diffs
        #[arg(long)]
        stat: bool,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Show a project's guard settings, with the markers learned from trunk's head and where.
    Show {
        /// Project name
        #[arg(long)]
        project: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Add a marker by hand: a string that identifies an environment (at least 4 characters).
    AddMarker {
        /// Project name
        #[arg(long)]
        project: String,
        /// Whose marker (a pipeline environment or another known one, such as perf)
        #[arg(long = "env", value_name = "ENV")]
        environment: String,
        /// The text
        text: String,
        #[command(flatten)]
        who: Who,
    },
    /// Remove a hand-added marker, or dismiss a learned one.
    RemoveMarker {
        /// Project name
        #[arg(long)]
        project: String,
        /// The text
        text: String,
        #[command(flatten)]
        who: Who,
    },
    /// Use a dismissed learned marker again.
    RestoreMarker {
        /// Project name
        #[arg(long)]
        project: String,
        /// The text
        text: String,
        #[command(flatten)]
        who: Who,
    },
    /// Deny a setting in an environment: a regular expression matched against added lines.
    Deny {
        #[command(flatten)]
        place: Place,
        /// The regular expression, such as '(?i)\bmock\b'
        pattern: String,
        /// Why (the finding says it)
        #[arg(long)]
        why: String,
        #[command(flatten)]
        who: Who,
    },
    /// Stop denying a setting (the pattern as `guard show` lists it).
    Allow {
        #[command(flatten)]
        place: Place,
        /// The pattern
        pattern: String,
        #[command(flatten)]
        who: Who,
    },
    /// Go back to the default denied settings.
    ResetDenied {
        /// Project name
        #[arg(long)]
        project: String,
        #[command(flatten)]
        who: Who,
    },
    /// Set how findings weigh for an environment: block, warn or off.
    Mode {
        #[command(flatten)]
        place: Place,
        /// block, warn or off
        #[arg(value_parser = ["block", "warn", "off"])]
        mode: String,
        #[command(flatten)]
        who: Who,
    },
    /// Set the per-environment file patterns (each with <env>); none: the defaults.
    Globs {
        /// Project name
        #[arg(long)]
        project: String,
        /// The patterns, such as 'config/<env>.*'
        globs: Vec<String>,
        #[command(flatten)]
        who: Who,
    },
    /// Set the known environments beyond the pipeline's (perf, loadtest…); none: the defaults.
    Environments {
        /// Project name
        #[arg(long)]
        project: String,
        /// Their names
        names: Vec<String>,
        #[command(flatten)]
        who: Who,
    },
    /// Lift blocks only by an approving sign-off of this role; without a role, a reason lifts them.
    OverrideRole {
        /// Project name
        #[arg(long)]
        project: String,
        /// The role, such as security
        role: Option<String>,
        #[command(flatten)]
        who: Who,
    },
}

/// Runs a `slipway guard` command.
pub async fn guard(dir: &Path, command: GuardCommand) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    let (project, change, who) = match command {
        GuardCommand::Drift {
            project,
            from,
            to,
            stat,
            json,
        } => {
            let drift = slipway_api::config_drift(&ws, &project, &from, &to).await?;
            if json {
                print_json(&drift);
            } else {
                println!(
                    "Config drift in {}: {} ({}) → {} ({}): {} config file{} differ{}",
                    drift.project,
                    drift.from,
                    &drift.from_sha[..8.min(drift.from_sha.len())],
                    drift.to,
                    &drift.to_sha[..8.min(drift.to_sha.len())],
                    drift.files.len(),
                    if drift.files.len() == 1 { "" } else { "s" },
                    if drift.files.len() == 1 { "s" } else { "" },
                );
                if drift.other_files > 0 {
                    println!("({} other files differ, not shown)", drift.other_files);
                }
                for f in &drift.files {
                    let owner = f
                        .owner
                        .as_deref()
                        .map(|o| format!(" [{o}'s]"))
                        .unwrap_or_default();
                    println!(
                        "\n{} {}{owner} +{} -{}",
                        f.status, f.path, f.additions, f.deletions
                    );
                    if !stat && !f.binary {
                        print!("{}", f.patch);
                        if f.cut {
                            println!("… (cut)");
                        }
                    }
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        GuardCommand::Show { project, json } => {
            let settings = slipway_api::guard_settings(&ws, &project).await?;
            if json {
                print_json(&settings);
            } else {
                print_settings(&settings);
            }
            return Ok(ExitCode::SUCCESS);
        }
        GuardCommand::AddMarker {
            project,
            environment,
            text,
            who,
        } => (
            project,
            GuardChangeDto::AddMarker { environment, text },
            who,
        ),
        GuardCommand::RemoveMarker { project, text, who } => {
            (project, GuardChangeDto::RemoveMarker { text }, who)
        }
        GuardCommand::RestoreMarker { project, text, who } => {
            (project, GuardChangeDto::RestoreMarker { text }, who)
        }
        GuardCommand::Deny {
            place,
            pattern,
            why,
            who,
        } => (
            place.project,
            GuardChangeDto::AddDenied {
                environment: place.environment,
                pattern,
                why,
            },
            who,
        ),
        GuardCommand::Allow {
            place,
            pattern,
            who,
        } => (
            place.project,
            GuardChangeDto::RemoveDenied {
                environment: place.environment,
                pattern,
            },
            who,
        ),
        GuardCommand::ResetDenied { project, who } => (project, GuardChangeDto::ResetDenied, who),
        GuardCommand::Mode { place, mode, who } => {
            let mode = match mode.as_str() {
                "block" => GuardModeDto::Block,
                "warn" => GuardModeDto::Warn,
                _ => GuardModeDto::Off,
            };
            (
                place.project,
                GuardChangeDto::SetMode {
                    environment: place.environment,
                    mode,
                },
                who,
            )
        }
        GuardCommand::Globs {
            project,
            globs,
            who,
        } => (
            project,
            GuardChangeDto::SetGlobs {
                globs: (!globs.is_empty()).then_some(globs),
            },
            who,
        ),
        GuardCommand::Environments {
            project,
            names,
            who,
        } => (
            project,
            GuardChangeDto::SetOtherEnvironments {
                names: (!names.is_empty()).then_some(names),
            },
            who,
        ),
        GuardCommand::OverrideRole { project, role, who } => {
            (project, GuardChangeDto::SetOverrideRole { role }, who)
        }
    };
    let by = who.me()?;
    let settings = slipway_api::edit_guard(&ws, &project, &change, &by, &SystemClock).await?;
    if who.json {
        print_json(&settings);
    } else {
        print_settings(&settings);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_settings(s: &GuardSettingsDto) {
    println!("Config guard of {}", s.project);
    for m in &s.modes {
        println!(
            "  {:<12} {}{}",
            m.environment,
            m.mode,
            if m.default { " (default)" } else { "" }
        );
    }
    let default = |d: bool| if d { " (defaults)" } else { "" };
    println!(
        "File patterns{}: {}",
        default(s.globs_default),
        s.globs.join("  ")
    );
    println!(
        "Other known environments: {}",
        s.other_environments.join(", ")
    );
    println!("Markers (learned at {}):", s.learned_at);
    if s.markers.is_empty() {
        println!("  none");
    }
    for m in &s.markers {
        let origin = match m.origin {
            MarkerOriginDto::Ignored => " — dismissed",
            _ => "",
        };
        println!(
            "  {:<12} {:<40} {}{origin}",
            m.environment, m.text, m.source
        );
    }
    println!("Denied settings{}:", default(s.denied_default));
    for d in &s.denied {
        println!("  {:<12} {:<40} {}", d.environment, d.pattern, d.why);
    }
    match &s.override_role {
        Some(role) => println!("A block is lifted only by an approving sign-off of a {role}."),
        None => println!("A block is lifted by an override with a reason (audited)."),
    }
}

/// The guard's report as lines: what was read and skipped, and who introduced each finding.
pub(crate) fn guard_lines(report: &GuardReportDto) -> Vec<String> {
    let mut out = vec![format!(
        "Config guard ({} {}): {} file(s), {} added line(s) read, {} finding(s){}",
        report.environment,
        report.mode,
        report.files_read,
        report.lines_read,
        report.findings.len(),
        if report.skipped.is_empty() {
            String::new()
        } else {
            format!(
                "; skipped {}",
                report
                    .skipped
                    .iter()
                    .map(|s| format!("{} ({})", s.path, s.why))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    )];
    for f in &report.findings {
        let by = match (&f.change, &f.change_title) {
            (Some(sha), Some(title)) => format!(" — from {} {title}", &sha[..sha.len().min(8)]),
            (Some(sha), None) => format!(" — from {}", &sha[..sha.len().min(8)]),
            _ => String::new(),
        };
        out.push(format!("  {}{by}", f.sentence));
    }
    out
}
