//! `slipway dora`: DORA's five metrics and where the time goes, for one environment.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use slipway_api::{ApiError, DoraAskDto, DoraDto, RepoCache, SystemClock, Workspace};

use crate::output::print_json;

/// What `slipway dora` takes.
#[derive(Args)]
pub struct DoraArgs {
    /// The project (needed when the workspace has several)
    #[arg(long)]
    project: Option<String>,
    /// The environment [default: production, else the pipeline's last]
    #[arg(long = "env", value_name = "ENV")]
    environment: Option<String>,
    /// Start of the window: a date (2026-11-01) or a time, up to now
    #[arg(long, value_name = "DATE", conflicts_with = "days")]
    since: Option<String>,
    /// Length of the window in days, up to now [default: 30]
    #[arg(long, value_name = "N")]
    days: Option<i64>,
    /// Hours within which a hotfix or a revert marks the deployment before it failed [default: 72]
    #[arg(long, value_name = "HOURS")]
    failure_window: Option<i64>,
    /// Print JSON instead of text
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print CSV: the window, then one row per week
    #[arg(long)]
    csv: bool,
}

/// `slipway dora …`.
pub async fn dora(dir: &Path, args: DoraArgs) -> Result<ExitCode, ApiError> {
    let workspace = Workspace::open(dir).await?;
    let ask = DoraAskDto {
        project: args.project,
        environment: args.environment,
        since: args.since,
        days: args.days,
        failure_window_hours: args.failure_window,
    };
    let mut repos = RepoCache::new();
    let dto = slipway_api::dora(&workspace, &mut repos, &ask, &SystemClock).await?;
    if args.json {
        print_json(&dto);
    } else if args.csv {
        print!("{}", slipway_api::dora_csv(&dto)?);
    } else {
        print_text(&dto);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_text(d: &DoraDto) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{} · {} · {} days ({} → {})",
        d.project,
        d.environment,
        d.days,
        &d.from[..16.min(d.from.len())],
        &d.to[..16.min(d.to.len())]
    );
    if let Some(empty) = &d.empty {
        let _ = writeln!(out, "  {empty}");
    }
    for f in &d.figures {
        let _ = writeln!(
            out,
            "  {:<34} {:<20} {:<44} {}",
            f.name,
            f.shown,
            f.band_label.as_deref().unwrap_or("—"),
            f.basis
        );
        if !f.detail.is_empty() {
            let _ = writeln!(out, "  {:<34} {}", "", f.detail);
        }
    }
    let _ = writeln!(out, "Where the time goes (median · p85):");
    for s in &d.stages {
        let shown = |v: Option<i64>| v.map_or_else(|| "—".to_string(), slipway_api::format_age);
        let _ = writeln!(
            out,
            "  {:<28} {:>10} · {}",
            s.label,
            shown(s.median_seconds),
            shown(s.p85_seconds)
        );
    }
    let failed: Vec<_> = d
        .deployments
        .iter()
        .filter(|x| x.failure.is_some())
        .collect();
    if !failed.is_empty() {
        let _ = writeln!(out, "Failed deployments:");
        for x in failed {
            let Some(f) = &x.failure else { continue };
            let restored = match (&f.restored_kind, f.recovery_seconds) {
                (Some(kind), Some(s)) => {
                    format!("restored {} later by a {kind}", slipway_api::format_age(s))
                }
                _ => "not restored yet".to_string(),
            };
            let _ = writeln!(
                out,
                "  {}  {}  {:<8}  {}; {}",
                &x.at[..16.min(x.at.len())],
                x.short_sha,
                x.kind,
                f.why,
                restored
            );
        }
    }
    let _ = writeln!(out, "{}", d.sources);
}
