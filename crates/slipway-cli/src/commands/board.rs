//! `slipway queue|preview|fetch|demo`: the board, what a promotion would ship, fetching.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use slipway_api::{ApiError, BoardDto, Workspace};

use crate::output::print_json;

/// `slipway demo`: a demo workspace in `dir` (nothing, and success, with `if_missing` when one
/// is there already).
pub async fn demo(
    dir: PathBuf,
    anchor: Option<DateTime<Utc>>,
    if_missing: bool,
    json: bool,
) -> Result<ExitCode, ApiError> {
    if if_missing && Workspace::exists(&dir) {
        println!(
            "A workspace exists already in {}; leaving it as it is.",
            dir.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let demo = slipway_api::create_demo(&dir, anchor.unwrap_or_else(Utc::now)).await?;
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
    Ok(ExitCode::SUCCESS)
}

pub async fn queue(dir: &Path, only: Option<&str>, json: bool) -> Result<ExitCode, ApiError> {
    let workspace = Workspace::open(dir).await?;
    let clock = slipway_api::SystemClock;
    let board = match only {
        Some(name) => slipway_api::load_project_board(&workspace, &clock, name).await?,
        None => slipway_api::load_board(&workspace, &clock).await?,
    };
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

pub async fn preview(
    dir: &Path,
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
        if !preview.already_shipped.is_empty() {
            let _ = writeln!(out, "\n### Already in {}\n", preview.environment);
            for s in &preview.already_shipped {
                let _ = writeln!(
                    out,
                    "  {}  {} — {}",
                    s.change.short_sha, s.change.title, s.shipped_as.sentence
                );
            }
        }
        let _ = writeln!(out, "\n### Config guard\n");
        for line in super::guard::guard_lines(&preview.guard) {
            let _ = writeln!(out, "  {line}");
        }
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

pub async fn fetch(dir: &Path, only: Option<String>, json: bool) -> Result<ExitCode, ApiError> {
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

pub(crate) fn print_board(board: &BoardDto) {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let _ = write_board(&mut out, board);
    let _ = out.flush();
}

pub(crate) fn write_board(out: &mut impl Write, board: &BoardDto) -> std::io::Result<()> {
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
                if let Some(shipped) = &c.shipped_as {
                    writeln!(out, "               {}", shipped.sentence)?;
                }
            }
        }
    }
    Ok(())
}
