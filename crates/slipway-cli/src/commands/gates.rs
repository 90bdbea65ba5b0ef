//! `slipway hold|unhold|signoff|gate|action|bad|inbox`: what gates a promotion.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use slipway_api::{
    ApiError, DeployActionDto, HeaderDto, SignoffInputDto, SystemClock, WeeklyFreezeInputDto,
    Workspace,
};

use crate::flags::*;
use crate::output::*;

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
