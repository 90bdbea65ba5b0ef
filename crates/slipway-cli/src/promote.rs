//! `slipway promote|rollback|hotfix|redeploy|hold|unhold|signoff|gate|action|bad|followup|
//! history|inbox|audit|reconcile`: promotions and what gates them, from the command line.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use slipway_api::{
    ApiError, Cancel, DeployActionDto, DeploymentDto, HeaderDto, HotfixInputDto, OutcomeDto,
    PlanDto, Progress, PromoteInputDto, RollbackInputDto, SignoffInputDto, SystemClock,
    WeeklyFreezeInputDto, Workspace,
};

use crate::print_json;

/// Who acts, and how to print.
#[derive(Args, Clone)]
pub struct Who {
    /// Act as this person (email) [default: $SLIPWAY_USER, else git's user.email]
    #[arg(long = "as", value_name = "EMAIL")]
    actor: Option<String>,
    /// Print JSON instead of text
    #[arg(long)]
    pub(crate) json: bool,
}

impl Who {
    /// Who acts.
    pub(crate) fn me(&self) -> Result<String, ApiError> {
        slipway_api::identity(self.actor.as_deref())
    }
}

/// Project and environment.
#[derive(Args, Clone)]
pub struct Place {
    /// Project name
    #[arg(long)]
    project: String,
    /// Environment
    #[arg(long = "env", value_name = "ENV")]
    environment: String,
}

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
        #[command(flatten)]
        who: Who,
    },
    /// Run an earlier deployment again (its commit, action and verification).
    Redeploy {
        /// The deployment's number (see `slipway history`)
        id: i64,
        #[command(flatten)]
        who: Who,
    },
}

/// Gate settings.
#[derive(Subcommand)]
pub enum GateCommand {
    /// Require sign-offs before changes enter an environment (0 removes the rule).
    Signoffs {
        #[command(flatten)]
        place: Place,
        /// Distinct approvers needed
        #[arg(long)]
        required: u32,
        /// The role each approver must hold (such as qa)
        #[arg(long)]
        role: Option<String>,
        #[command(flatten)]
        who: Who,
    },
    /// A weekly freeze window, such as "fri 16:00 - mon 08:00" in Europe/Berlin.
    Freeze {
        /// Project name
        #[arg(long)]
        project: String,
        /// Only this environment [default: all of the project's]
        #[arg(long = "env", value_name = "ENV")]
        environment: Option<String>,
        /// The window: "DAY HH:MM - DAY HH:MM"
        #[arg(long)]
        window: String,
        /// IANA time zone
        #[arg(long)]
        zone: String,
        /// Why
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        who: Who,
    },
}

/// Deploy actions.
#[derive(Subcommand)]
pub enum ActionCommand {
    /// Show an environment's deploy action and verification.
    Show {
        #[command(flatten)]
        place: Place,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Set an environment's deploy action: none, a webhook, or a command (no shell).
    Set {
        #[command(flatten)]
        place: Place,
        /// No action: the ref push is the deployment
        #[arg(long, conflicts_with_all = ["webhook", "command"])]
        none: bool,
        /// A webhook URL (http or https; variables allowed after the host)
        #[arg(long, value_name = "URL")]
        webhook: Option<String>,
        /// The webhook's method
        #[arg(long, default_value = "POST")]
        method: String,
        /// A webhook header NAME:VALUE (repeatable)
        #[arg(long = "header", value_name = "NAME:VALUE")]
        headers: Vec<String>,
        /// The webhook's JSON body template
        #[arg(long, default_value = "")]
        body: String,
        /// Read a bearer token for the webhook from standard input into the OS keychain
        #[arg(long)]
        token_stdin: bool,
        /// A command: program and arguments after `--`, each one argument (no shell)
        #[arg(last = true, value_name = "ARG")]
        command: Vec<String>,
        /// Time limit in seconds
        #[arg(long, default_value_t = 300)]
        timeout: u32,
        /// Poll this health URL after the action until it answers healthy
        #[arg(long, value_name = "URL")]
        verify: Option<String>,
        /// Give up verifying after this many seconds
        #[arg(long, default_value_t = 120)]
        verify_timeout: u32,
        /// Seconds between health polls
        #[arg(long, default_value_t = 5)]
        verify_interval: u32,
        #[command(flatten)]
        who: Who,
    },
}

/// Bad marks.
#[derive(Subcommand)]
pub enum BadCommand {
    /// Mark a change bad: it goes no further downstream until unmarked.
    Mark {
        /// Project name
        #[arg(long)]
        project: String,
        /// The change (sha or prefix)
        sha: String,
        /// Why
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        who: Who,
    },
    /// Remove a bad mark.
    Unmark {
        /// Project name
        #[arg(long)]
        project: String,
        /// The change (sha or prefix)
        sha: String,
        #[command(flatten)]
        who: Who,
    },
}

/// Follow-ups.
#[derive(Subcommand)]
pub enum FollowUpCommand {
    /// List open follow-ups (all with --all).
    List {
        /// Closed ones too
        #[arg(long)]
        all: bool,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Close a follow-up.
    Close {
        /// Its number
        id: i64,
        #[command(flatten)]
        who: Who,
    },
}

/// The audit log.
#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain: a changed, removed or reordered entry is found (exit 1).
    Verify {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Print the log as CSV or JSON.
    Export {
        /// csv or json
        #[arg(long, default_value = "csv")]
        format: String,
    },
}

fn printer(json: bool) -> Progress {
    Arc::new(move |p| {
        if !json {
            eprintln!("  [{}] {}", p.step, p.line);
        }
    })
}

/// Ctrl-C cancels the run (its action is killed; the outcome is recorded).
fn cancel_on_ctrl_c() -> Cancel {
    let cancel = Cancel::new();
    let c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("Cancelling…");
            c.cancel();
        }
    });
    cancel
}

fn confirm(question: &str, yes: bool) -> bool {
    if yes {
        return true;
    }
    if !std::io::stdin().is_terminal() {
        eprintln!("Nothing was changed: add --yes to go ahead without a question.");
        return false;
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    matches!(answer.trim(), "y" | "Y" | "yes")
}

fn print_plan(plan: &PlanDto) {
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
    }
    for v in &plan.verdicts {
        let mark = match v.outcome {
            OutcomeDto::Block => "✗",
            OutcomeDto::Warn | OutcomeDto::Overridden => "!",
            OutcomeDto::Pass => "✓",
        };
        println!("{mark} {}", v.sentence);
    }
    println!("Moves: {}", plan.moves);
    println!("Action: {}", plan.action);
    if let Some(v) = &plan.verification {
        println!("Verification: {v}");
    }
    if let Some(r) = &plan.in_progress {
        println!("In progress: {r}");
    }
}

fn print_deployment(d: &DeploymentDto, json: bool) -> ExitCode {
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
                accept_ride_along: yes,
            };
            let plan = slipway_api::plan_promotion(&ws, &input, &SystemClock).await?;
            if !who.json {
                print_plan(&plan);
            }
            if !yes {
                if !plan.allowed {
                    if who.json {
                        print_json(&plan);
                    }
                    return Ok(ExitCode::FAILURE);
                }
                if !confirm("Promote?", false) {
                    return Ok(ExitCode::FAILURE);
                }
                input.accept_ride_along = true;
            }
            input.expected_from = input
                .expected_from
                .or_else(|| Some(plan.preview.from.sha.clone()));
            let d = slipway_api::promote(
                &ws,
                &input,
                &by,
                &SystemClock,
                printer(who.json),
                &cancel_on_ctrl_c(),
            )
            .await?;
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
            if !confirm(&format!("Roll {} back?", place.environment), yes) {
                return Ok(ExitCode::FAILURE);
            }
            let input = RollbackInputDto {
                project: place.project,
                environment: place.environment,
                to,
                reason,
                mark_bad,
                override_reason,
            };
            let d = slipway_api::rollback(
                &ws,
                &input,
                &by,
                &SystemClock,
                printer(who.json),
                &cancel_on_ctrl_c(),
            )
            .await?;
            Ok(print_deployment(&d, who.json))
        }
        RunCommand::Hotfix {
            place,
            fix,
            override_reason,
            who,
        } => {
            let by = who.me()?;
            let input = HotfixInputDto {
                project: place.project,
                environment: place.environment,
                fix,
                override_reason,
            };
            let d = slipway_api::hotfix(
                &ws,
                &input,
                &by,
                &SystemClock,
                printer(who.json),
                &cancel_on_ctrl_c(),
            )
            .await?;
            Ok(print_deployment(&d, who.json))
        }
        RunCommand::Redeploy { id, who } => {
            let by = who.me()?;
            let d = slipway_api::redeploy(
                &ws,
                id,
                &by,
                &SystemClock,
                printer(who.json),
                &cancel_on_ctrl_c(),
            )
            .await?;
            Ok(print_deployment(&d, who.json))
        }
    }
}

/// `slipway hold` / `slipway unhold`.
pub async fn hold(
    dir: &Path,
    place: Place,
    reason: Option<String>,
    who: Who,
) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    let by = who.me()?;
    match reason {
        Some(reason) => {
            slipway_api::hold(
                &ws,
                &place.project,
                &place.environment,
                &reason,
                &by,
                &SystemClock,
            )
            .await?;
            println!("{} is on hold: {reason}", place.environment);
        }
        None => {
            slipway_api::unhold(&ws, &place.project, &place.environment, &by, &SystemClock).await?;
            println!("The hold on {} is lifted.", place.environment);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `slipway signoff`.
pub async fn signoff(
    dir: &Path,
    place: Place,
    sha: String,
    reject: bool,
    comment: String,
    who: Who,
) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    let by = who.me()?;
    let input = SignoffInputDto {
        project: place.project,
        environment: place.environment,
        sha,
        verdict: if reject { "reject" } else { "approve" }.into(),
        comment,
    };
    slipway_api::signoff(&ws, &input, &by, &SystemClock).await?;
    println!(
        "{} {} for {} as {by}.",
        if reject { "Rejected" } else { "Signed off" },
        input.sha,
        input.environment
    );
    Ok(ExitCode::SUCCESS)
}

/// `slipway gate …`.
pub async fn gate(dir: &Path, command: GateCommand) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    match command {
        GateCommand::Signoffs {
            place,
            required,
            role,
            who,
        } => {
            slipway_api::set_signoff_rule(
                &ws,
                &place.project,
                &place.environment,
                required,
                role.as_deref(),
                &who.me()?,
                &SystemClock,
            )
            .await?;
            println!("Sign-off rule for {} saved.", place.environment);
        }
        GateCommand::Freeze {
            project,
            environment,
            window,
            zone,
            reason,
            who,
        } => {
            let input = WeeklyFreezeInputDto {
                project,
                environment,
                window,
                zone,
                reason,
            };
            slipway_api::add_weekly_freeze(&ws, &input, &who.me()?, &SystemClock).await?;
            println!("Weekly freeze {} ({}) added.", input.window, input.zone);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `slipway action …`.
pub async fn action(dir: &Path, command: ActionCommand) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    let (dto, json) = match command {
        ActionCommand::Show { place, json } => (
            slipway_api::deploy_action(&ws, &place.project, &place.environment).await?,
            json,
        ),
        ActionCommand::Set {
            place,
            none: _,
            webhook,
            method,
            headers,
            body,
            token_stdin,
            command,
            timeout,
            verify,
            verify_timeout,
            verify_interval,
            who,
        } => {
            let mut parsed = Vec::new();
            for h in headers {
                let (name, value) = h.split_once(':').ok_or_else(|| {
                    ApiError::new(
                        slipway_api::ErrorCode::InvalidInput,
                        format!("Header {h:?} is not NAME:VALUE."),
                    )
                })?;
                parsed.push(HeaderDto {
                    name: name.trim().to_string(),
                    value: value.trim_start().to_string(),
                });
            }
            let token = if token_stdin {
                let mut t = String::new();
                std::io::stdin().read_to_string(&mut t).map_err(|e| {
                    ApiError::new(
                        slipway_api::ErrorCode::Io,
                        format!("Reading the token from standard input failed: {e}."),
                    )
                })?;
                Some(t.trim().to_string())
            } else {
                None
            };
            let kind = match (&webhook, command.is_empty()) {
                (Some(_), _) => "webhook",
                (None, false) => "command",
                (None, true) => "none",
            };
            let input = DeployActionDto {
                project: place.project.clone(),
                environment: place.environment.clone(),
                kind: kind.into(),
                method,
                url: webhook.unwrap_or_default(),
                headers: parsed,
                body,
                argv: command,
                timeout_secs: timeout,
                verify_url: verify.unwrap_or_default(),
                verify_timeout_secs: verify_timeout,
                verify_interval_secs: verify_interval,
                has_token: token.is_none(),
                token,
                variables: Vec::new(),
            };
            (
                slipway_api::save_deploy_action(&ws, &input, &who.me()?, &SystemClock).await?,
                who.json,
            )
        }
    };
    if json {
        print_json(&dto);
    } else {
        println!("{} / {}: {}", dto.project, dto.environment, dto.kind);
        match dto.kind.as_str() {
            "webhook" => {
                println!(
                    "  {} {}{}",
                    dto.method,
                    dto.url,
                    if dto.has_token {
                        " (token in the keychain)"
                    } else {
                        ""
                    }
                );
                for h in &dto.headers {
                    println!("  {}: {}", h.name, h.value);
                }
                if !dto.body.is_empty() {
                    println!("  body: {}", dto.body);
                }
            }
            "command" => println!("  argv: {:?}", dto.argv),
            _ => println!("  the ref push is the deployment"),
        }
        if !dto.verify_url.is_empty() {
            println!(
                "  verify: {} (every {} s, up to {} s)",
                dto.verify_url, dto.verify_interval_secs, dto.verify_timeout_secs
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `slipway bad …`.
pub async fn bad(dir: &Path, command: BadCommand) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    match command {
        BadCommand::Mark {
            project,
            sha,
            reason,
            who,
        } => {
            slipway_api::mark_bad(&ws, &project, &sha, Some(&reason), &who.me()?, &SystemClock)
                .await?;
            println!("{sha} is marked bad: {reason}");
        }
        BadCommand::Unmark { project, sha, who } => {
            slipway_api::mark_bad(&ws, &project, &sha, None, &who.me()?, &SystemClock).await?;
            println!("{sha} is no longer marked bad.");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `slipway followup …`.
pub async fn follow_up(dir: &Path, command: FollowUpCommand) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    match command {
        FollowUpCommand::List { all, json } => {
            let list = slipway_api::follow_ups(&ws, all).await?;
            if json {
                print_json(&list);
            } else if list.is_empty() {
                println!("No open follow-ups.");
            } else {
                for f in list {
                    println!(
                        "#{} {}/{} {}{} (opened by {} {})",
                        f.id,
                        f.project,
                        f.environment,
                        f.title,
                        f.closed_by
                            .map(|b| format!(" — closed by {b}"))
                            .unwrap_or_default(),
                        f.opened_by,
                        f.opened_at
                    );
                }
            }
        }
        FollowUpCommand::Close { id, who } => {
            slipway_api::close_follow_up(&ws, id, &who.me()?, &SystemClock).await?;
            println!("Follow-up #{id} closed.");
        }
    }
    Ok(ExitCode::SUCCESS)
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
                if d.reason.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", d.reason)
                }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `slipway inbox`.
pub async fn inbox(dir: &Path, who: Who) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    let by = who.me()?;
    let items =
        slipway_api::inbox(&ws, &by, &SystemClock, &mut slipway_api::RepoCache::new()).await?;
    if who.json {
        print_json(&items);
    } else if items.is_empty() {
        println!("Nothing waits for your sign-off.");
    } else {
        for i in items {
            println!(
                "{}/{} {} {} — waiting {} — {}",
                i.project, i.environment, i.change.short_sha, i.change.title, i.age, i.state
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `slipway audit …`.
pub async fn audit(dir: &Path, command: AuditCommand) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    match command {
        AuditCommand::Verify { json } => {
            let result = slipway_api::audit_verify(&ws).await?;
            if json {
                print_json(&result);
            } else if result.ok {
                println!(
                    "The audit log is whole: {} entries checked.",
                    result.entries
                );
            } else {
                println!(
                    "The audit log was tampered with: {}",
                    result.problem.clone().unwrap_or_default()
                );
            }
            Ok(if result.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        AuditCommand::Export { format } => {
            print!("{}", slipway_api::audit_export(&ws, &format).await?);
            Ok(ExitCode::SUCCESS)
        }
    }
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
