//! `slipway promote|rollback|hotfix|redeploy|history|reconcile`: runs, from the command line.

use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use slipway_api::{
    ApiError, DeploymentDto, DeploymentKindDto, HotfixInputDto, OutcomeDto, PlanDto,
    PromoteInputDto, RollbackInputDto, RunContext, RunPlanDto, SystemClock, VerdictDto, Workspace,
};

use crate::flags::*;
use crate::output::*;

/// The run commands.
#[derive(Subcommand)]
pub enum RunCommand {
    /// Promote an environment up to a queued change (default: everything queued).
    Promote {
        #[command(flatten)]
        place: Place,
        /// Promote up to this change (sha or prefix)
        #[arg(long, value_name = "SHA")]
        to: Option<String>,
        /// Refuse if the environment no longer stands at this commit
        #[arg(long, value_name = "SHA")]
        expect: Option<String>,
        /// Promote through a freeze window, for this reason (audited)
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
        /// Promote past the config guard's block, for this reason (audited)
        #[arg(long = "override-guard", value_name = "REASON")]
        guard_override_reason: Option<String>,
        /// Do it without asking (and ship changes that lack their sign-off along)
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        who: Who,
    },
    /// Roll an environment back to an earlier deployment; puts a hold on it and opens a follow-up.
    Rollback {
        #[command(flatten)]
        place: Place,
        /// Go back to this earlier commit [default: where it stood before]
        #[arg(long, value_name = "SHA")]
        to: Option<String>,
        /// Why (the hold and the follow-up carry it)
        #[arg(long)]
        reason: String,
        /// Mark a change the rollback removes as bad (repeatable)
        #[arg(long = "mark-bad", value_name = "SHA")]
        mark_bad: Vec<String>,
        /// Roll back through a freeze window, for this reason
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
        /// Do it without asking
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        who: Who,
    },
    /// Ship one fix to an environment without the changes queued before it (cherry-picked).
    Hotfix {
        #[command(flatten)]
        place: Place,
        /// The fix (sha or prefix), queued for the environment
        #[arg(long, value_name = "SHA")]
        fix: String,
        /// Go through a freeze window, for this reason
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
        /// Ship past the config guard's block on the fix's own lines, for this reason
        /// (audited)
        #[arg(long = "override-guard", value_name = "REASON")]
        guard_override_reason: Option<String>,
        /// Do it without asking
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        who: Who,
    },
    /// Run an earlier deployment again (its commit, action and verification).
    Redeploy {
        /// The deployment's number (see `slipway history`)
        id: i64,
        /// Do it without asking
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        who: Who,
    },
}

/// A run by `by`, printing its progress (JSON lines with `json`), stopped by Ctrl-C.
fn run_context(ws: &Workspace, by: String, json: bool) -> RunContext {
    RunContext::new(ws.clone(), by, printer(json), cancel_on_ctrl_c())
}

/// Without `--yes`, the plan is the answer: printed whole (as JSON with `--json`) with whether
/// it could run — exit 1 and why when blocked; with `--json`, exit 0 and how to run it; at a
/// terminal, the person is asked. With `--yes` it is printed (as text) and the run goes on.
/// `Some(code)` ends the command; `None` goes on to run.
fn answer_with_plan(plan: &RunPlanDto, yes: bool, json: bool, verb: &str) -> Option<ExitCode> {
    if yes {
        // The run checks its gates again as it starts, and says why it is refused.
        if !json {
            print_run_plan(plan);
        }
        return None;
    }
    if json {
        print_json(plan);
    } else {
        print_run_plan(plan);
    }
    if !plan.allowed {
        eprintln!("{}", run_blocked_line(plan));
        return Some(ExitCode::FAILURE);
    }
    if json {
        eprintln!("The plan can run: run it again with --yes to {verb}.");
        return Some(ExitCode::SUCCESS);
    }
    let question = format!("{} {}?", capitalised(verb), plan.environment);
    (!confirm(&question, false)).then_some(ExitCode::FAILURE)
}

fn capitalised(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Why a run plan cannot run, in one line.
fn run_blocked_line(plan: &RunPlanDto) -> String {
    blocked_because(&plan.verdicts, None, plan.in_progress.as_deref())
}

/// "Blocked, nothing was done: …" — the first blocking verdict, else `empty` (nothing to
/// ship), else the run under way.
fn blocked_because(
    verdicts: &[VerdictDto],
    empty: Option<String>,
    running: Option<&str>,
) -> String {
    let why = verdicts
        .iter()
        .find(|v| v.outcome == OutcomeDto::Block)
        .map(|v| v.sentence.clone())
        .or(empty)
        .or_else(|| running.map(|r| format!("a run is under way: {r}")))
        .unwrap_or_else(|| "a gate blocks it".to_string());
    format!("Blocked, nothing was done: {why}")
}

/// Every verdict with its mark, then what moves, runs and verifies.
fn print_steps(
    verdicts: &[VerdictDto],
    moves: &str,
    action: &str,
    verification: Option<&str>,
    running: Option<&str>,
) {
    for v in verdicts {
        let mark = match v.outcome {
            OutcomeDto::Block => "✗",
            OutcomeDto::Warn | OutcomeDto::Overridden => "!",
            OutcomeDto::Pass => "✓",
        };
        println!("{mark} {}", v.sentence);
    }
    println!("Moves: {moves}");
    println!("Action: {action}");
    if let Some(v) = verification {
        println!("Verification: {v}");
    }
    if let Some(r) = running {
        println!("In progress: {r}");
    }
}

fn print_run_plan(plan: &RunPlanDto) {
    println!(
        "{} {}: {} → {}",
        plan.kind, plan.environment, plan.from.short_sha, plan.to.short_sha
    );
    let carried = match plan.kind {
        DeploymentKindDto::Rollback => "removes",
        _ => "ships",
    };
    println!("  {carried} {} change(s):", plan.changes.len());
    for c in &plan.changes {
        println!("    {} {}", c.short_sha, c.title);
    }
    print_steps(
        &plan.verdicts,
        &plan.moves,
        &plan.action,
        plan.verification.as_deref(),
        plan.in_progress.as_deref(),
    );
}

/// Why a plan cannot run, in one line: its first blocking verdict, or the run under way.
fn blocked_line(plan: &PlanDto) -> String {
    let empty = plan
        .preview
        .shipping
        .is_empty()
        .then(|| format!("nothing is queued for {}", plan.preview.environment));
    blocked_because(&plan.verdicts, empty, plan.in_progress.as_deref())
}

pub(crate) fn print_plan(plan: &PlanDto) {
    let p = &plan.preview;
    println!(
        "{} → {}: {} change(s), {} → {}",
        p.upstream,
        p.environment,
        p.shipping.len(),
        p.from.short_sha,
        p.to.as_ref().map_or("(nothing)", |t| t.short_sha.as_str())
    );
    for c in &p.shipping {
        println!("  {} {}", c.short_sha, c.title);
        if let Some(s) = p.already_shipped.iter().find(|s| s.change.sha == c.sha) {
            println!("      {}", s.shipped_as.sentence);
        }
    }
    if p.guard.files_read > 0 || !p.guard.findings.is_empty() || !p.guard.skipped.is_empty() {
        for line in super::guard::guard_lines(&p.guard) {
            println!("{line}");
        }
    }
    print_steps(
        &plan.verdicts,
        &plan.moves,
        &plan.action,
        plan.verification.as_deref(),
        plan.in_progress.as_deref(),
    );
}

pub(crate) fn print_deployment(d: &DeploymentDto, json: bool) -> ExitCode {
    if json {
        print_json(d);
    } else {
        println!(
            "#{} {} {} {} → {}: {}{}",
            d.id,
            d.kind,
            d.environment,
            &d.from_sha[..d.from_sha.len().min(8)],
            &d.to_sha[..d.to_sha.len().min(8)],
            d.status,
            if d.reason.is_empty() {
                String::new()
            } else {
                format!(" — {}", d.reason)
            }
        );
        if d.offer_rollback {
            println!(
                "Roll back with: slipway rollback --project {} --env {} --reason \"…\"",
                d.project, d.environment
            );
        }
    }
    if d.status == slipway_api::DeploymentStatusDto::Succeeded {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Runs promote, rollback, hotfix or redeploy.
pub async fn run(dir: &Path, command: RunCommand) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    match command {
        RunCommand::Promote {
            place,
            to,
            expect,
            override_reason,
            guard_override_reason,
            yes,
            who,
        } => {
            let by = who.me()?;
            let mut input = PromoteInputDto {
                project: place.project,
                environment: place.environment,
                to,
                expected_from: expect,
                override_reason,
                guard_override_reason,
                accept_ride_along: yes,
            };
            let plan = slipway_api::plan_promotion(&ws, &input, &SystemClock).await?;
            if !yes {
                // Without --yes the plan is the answer: printed whole (JSON too), and said
                // whether it could run; only a person at a terminal is asked to go on.
                if who.json {
                    print_json(&plan);
                } else {
                    print_plan(&plan);
                }
                if !plan.allowed {
                    eprintln!("{}", blocked_line(&plan));
                    return Ok(ExitCode::FAILURE);
                }
                if who.json {
                    eprintln!("The plan can run: run it again with --yes to promote.");
                    return Ok(ExitCode::SUCCESS);
                }
                if !confirm("Promote?", false) {
                    return Ok(ExitCode::FAILURE);
                }
                input.accept_ride_along = true;
            } else if !who.json {
                print_plan(&plan);
            }
            input.expected_from = input
                .expected_from
                .or_else(|| Some(plan.preview.from.sha.clone()));
            let d = slipway_api::promote(&run_context(&ws, by, who.json), &input).await?;
            Ok(print_deployment(&d, who.json))
        }
        RunCommand::Rollback {
            place,
            to,
            reason,
            mark_bad,
            override_reason,
            yes,
            who,
        } => {
            let by = who.me()?;
            let input = RollbackInputDto {
                project: place.project,
                environment: place.environment,
                to,
                reason,
                mark_bad,
                override_reason,
            };
            let plan = slipway_api::plan_rollback(&ws, &input, &SystemClock).await?;
            if let Some(code) = answer_with_plan(&plan, yes, who.json, "roll back") {
                return Ok(code);
            }
            let d = slipway_api::rollback(&run_context(&ws, by, who.json), &input).await?;
            Ok(print_deployment(&d, who.json))
        }
        RunCommand::Hotfix {
            place,
            fix,
            override_reason,
            guard_override_reason,
            yes,
            who,
        } => {
            let by = who.me()?;
            let input = HotfixInputDto {
                project: place.project,
                environment: place.environment,
                fix,
                override_reason,
                guard_override_reason,
            };
            let plan = slipway_api::plan_hotfix_run(&ws, &input, &SystemClock).await?;
            if let Some(code) = answer_with_plan(&plan, yes, who.json, "hotfix") {
                return Ok(code);
            }
            let d = slipway_api::hotfix(&run_context(&ws, by, who.json), &input).await?;
            Ok(print_deployment(&d, who.json))
        }
        RunCommand::Redeploy { id, yes, who } => {
            let by = who.me()?;
            let plan = slipway_api::plan_redeploy(&ws, id, &SystemClock).await?;
            if let Some(code) = answer_with_plan(&plan, yes, who.json, "redeploy") {
                return Ok(code);
            }
            let d = slipway_api::redeploy(&run_context(&ws, by, who.json), id).await?;
            Ok(print_deployment(&d, who.json))
        }
    }
}

/// `slipway history`.
pub async fn history(
    dir: &Path,
    project: String,
    environment: Option<String>,
    json: bool,
) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    let list =
        slipway_api::history(&ws, &project, environment.as_deref(), 200, &SystemClock).await?;
    if json {
        print_json(&list);
    } else if list.is_empty() {
        println!("Nothing promoted through Slipway yet.");
    } else {
        for d in &list {
            // Every reason the run has: its own (a rollback's), the override's, the failure's.
            let mut why = Vec::new();
            if !d.why.is_empty() {
                why.push(d.why.clone());
            }
            if let Some(o) = &d.override_reason {
                why.push(format!("freeze overridden: {o}"));
            }
            if !d.reason.is_empty() {
                why.push(d.reason.clone());
            }
            println!(
                "#{} {} {} {} {} → {} {} by {}{}",
                d.id,
                d.started_at,
                d.environment,
                d.kind,
                &d.from_sha[..8.min(d.from_sha.len())],
                &d.to_sha[..8.min(d.to_sha.len())],
                d.status,
                d.by,
                if why.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", why.join("; "))
                }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `slipway reconcile`: ends promotions a crash left unfinished.
pub async fn reconcile(dir: &Path, json: bool) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    let ended = slipway_api::reconcile_interrupted(&ws, &SystemClock).await?;
    if json {
        print_json(&ended);
    } else if ended.is_empty() {
        println!("No interrupted promotions.");
    } else {
        for d in &ended {
            print_deployment(d, false);
        }
    }
    Ok(ExitCode::SUCCESS)
}
