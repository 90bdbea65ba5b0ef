//! `slipway stakeholder|channel|subscribe|subscriptions|unsubscribe`: who is told, over what.
//! Secrets never come as arguments (they would land in shell history and the process list):
//! they are read from standard input.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use slipway_api::{
    ApiError, ChannelInputDto, SubscriptionDto, SubscriptionInputDto, SystemClock, Workspace,
};

use crate::flags::*;
use crate::output::*;

/// Stakeholders: the people who are told.
#[derive(Subcommand)]
pub enum StakeholderCommand {
    /// Add a stakeholder, or replace the one with the same email.
    Add {
        /// Email address
        email: String,
        /// Name [default: the email address]
        #[arg(long)]
        name: Option<String>,
        /// How chat messages mention them (@dana)
        #[arg(long, value_name = "@HANDLE")]
        chat: Option<String>,
        /// A role: qa, release-manager… (repeatable)
        #[arg(long = "role", value_name = "ROLE")]
        roles: Vec<String>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// List the stakeholders.
    List {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Remove a stakeholder and their subscriptions.
    Remove {
        /// Email address
        email: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

/// Channels: how messages travel.
#[derive(Subcommand)]
pub enum ChannelCommand {
    /// Add a channel. Secrets come from standard input, never from arguments.
    #[command(after_help = "\
Examples:
  printf '%s\\n' \"$SMTP_PASSWORD\" | slipway channel add release-mail --kind email \\
      --host smtp.example.com --username rm --from rm@example.com --secret-stdin
  printf '%s\\n' \"$SLACK_URL\" | slipway channel add releases --kind slack --url-stdin
  printf '%s\\n%s\\n' \"$HOOK_URL\" \"$HOOK_KEY\" | slipway channel add hook --kind webhook \\
      --url-stdin --secret-stdin
  slipway channel add desk --kind desktop")]
    Add {
        /// A unique name (release-mail, #releases)
        name: String,
        /// How it delivers
        #[arg(long, value_parser = ["email", "slack", "teams", "webhook", "desktop"])]
        kind: String,
        /// Email: the SMTP server's host
        #[arg(long, value_name = "HOST")]
        host: Option<String>,
        /// Email: the SMTP port [default: 587 for starttls, 465 for tls, 25 for none]
        #[arg(long)]
        port: Option<u16>,
        /// Email: how the connection is encrypted [default: starttls]
        #[arg(long, value_parser = ["starttls", "tls", "none"])]
        tls: Option<String>,
        /// Email: the SMTP user [default: none]
        #[arg(long, value_name = "USER")]
        username: Option<String>,
        /// Email: the sender address
        #[arg(long, value_name = "ADDR")]
        from: Option<String>,
        /// Slack, Teams, webhook: the URL to post to (it carries a key: prefer --url-stdin)
        #[arg(long, conflicts_with = "url_stdin")]
        url: Option<String>,
        /// Read the URL from standard input (the first line when --secret-stdin is given too)
        #[arg(long)]
        url_stdin: bool,
        /// Read the SMTP password or the webhook signing key from standard input
        #[arg(long)]
        secret_stdin: bool,
        #[command(flatten)]
        acting: Who,
    },
    /// List the channels (never their secrets).
    List {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Remove a channel, its subscriptions and its keychain entry.
    Remove {
        /// The channel's name
        name: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Send a test message through a channel now; a failure says exactly why.
    Test {
        /// The channel's name
        name: String,
        /// Send it to this address [default: email: the sender address; others: you]
        #[arg(long, value_name = "EMAIL")]
        to: Option<String>,
        #[command(flatten)]
        acting: Who,
    },
}

/// `slipway subscribe`.
#[derive(Args)]
pub struct SubscribeArgs {
    /// The stakeholder's email
    person: String,
    /// The channel's name
    channel: String,
    /// Only this project [default: all]
    #[arg(long)]
    project: Option<String>,
    /// Only this environment [default: all]
    #[arg(long, visible_alias = "env", value_name = "ENV")]
    environment: Option<String>,
    /// Only this event kind (repeatable) [default: all]: promoted, rolled-back, held,
    /// deployment-failed, signoff-needed, request-raised, approved, breach-warning, breached,
    /// change-late
    #[arg(long = "kind", value_name = "KIND")]
    kinds: Vec<String>,
    /// The least severe events to hear of [default: info]
    #[arg(long, value_parser = ["info", "warning", "critical"])]
    min_severity: Option<String>,
    /// One message a day at a local time ("09:00 Europe/Berlin") [default: each at once]
    #[arg(long, value_name = "HH:MM Area/City")]
    digest: Option<String>,
    /// Print JSON instead of text
    #[arg(long)]
    json: bool,
}

/// `slipway stakeholder …`.
pub async fn stakeholder(dir: &Path, command: StakeholderCommand) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    match command {
        StakeholderCommand::Add {
            email,
            name,
            chat,
            roles,
            json,
        } => {
            let input = slipway_api::StakeholderDto {
                email: email.trim().to_string(),
                name: name.unwrap_or_default(),
                chat_handle: chat.unwrap_or_default(),
                roles,
                subscriptions: 0,
            };
            slipway_api::save_stakeholder(&ws, &input).await?;
            let saved = slipway_api::stakeholders(&ws)
                .await?
                .into_iter()
                .find(|s| s.email.eq_ignore_ascii_case(&input.email))
                .unwrap_or(input);
            if json {
                print_json(&saved);
            } else {
                let mut about = vec![saved.name.clone()];
                if !saved.chat_handle.is_empty() {
                    about.push(saved.chat_handle.clone());
                }
                if !saved.roles.is_empty() {
                    about.push(format!("roles {}", saved.roles.join(", ")));
                }
                println!("Saved stakeholder {} ({}).", saved.email, about.join("; "));
            }
        }
        StakeholderCommand::List { json } => {
            let list = slipway_api::stakeholders(&ws).await?;
            if json {
                print_json(&list);
            } else if list.is_empty() {
                println!("No stakeholders yet; add one with `slipway stakeholder add EMAIL`.");
            } else {
                let mut rows = vec![vec![
                    "EMAIL".into(),
                    "NAME".into(),
                    "CHAT".into(),
                    "ROLES".into(),
                    "SUBSCRIPTIONS".into(),
                ]];
                rows.extend(list.iter().map(|s| {
                    vec![
                        s.email.clone(),
                        s.name.clone(),
                        or_dash(&s.chat_handle),
                        or_dash(&s.roles.join(",")),
                        s.subscriptions.to_string(),
                    ]
                }));
                print_table(&rows);
            }
        }
        StakeholderCommand::Remove { email, json } => {
            slipway_api::remove_stakeholder(&ws, &email).await?;
            if json {
                print_json(&serde_json::json!({ "removed": email.trim() }));
            } else {
                println!(
                    "Removed stakeholder {} and their subscriptions.",
                    email.trim()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `slipway channel …`.
pub async fn channel(dir: &Path, command: ChannelCommand) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    match command {
        ChannelCommand::Add {
            name,
            kind,
            host,
            port,
            tls,
            username,
            from,
            url,
            url_stdin,
            secret_stdin,
            acting,
        } => {
            // Warned once the channel is added: a refusal is the only line then.
            let warn_url = url.is_some().then(|| kind.clone());
            let by = acting.me()?;
            let (stdin_url, secret) = read_stdin_parts(url_stdin, secret_stdin)?;
            if secret.as_deref() == Some("") {
                return Err(invalid(
                    "--secret-stdin was given but standard input held no secret; nothing was saved.",
                ));
            }
            if stdin_url.as_deref() == Some("") {
                return Err(invalid(
                    "--url-stdin was given but standard input held no URL; nothing was saved.",
                ));
            }
            let input = ChannelInputDto {
                name,
                kind,
                host: host.unwrap_or_default(),
                port: port.unwrap_or(0),
                tls: tls.unwrap_or_default(),
                username: username.unwrap_or_default(),
                from: from.unwrap_or_default(),
                url: stdin_url.or(url).unwrap_or_default(),
                secret: secret.unwrap_or_default(),
            };
            let added = slipway_api::add_channel(&ws, &input, &by, &SystemClock).await?;
            if let Some(kind) = warn_url {
                eprintln!(
                    "slipway: warning: a {kind} URL carries a key, and --url leaves it in your \
                     shell history and the process list; use --url-stdin next time."
                );
            }
            if acting.json {
                print_json(&added);
            } else {
                println!(
                    "Added channel {} ({}): {}",
                    added.name, added.kind, added.summary
                );
            }
        }
        ChannelCommand::List { json } => {
            let list = slipway_api::channels(&ws).await?;
            if json {
                print_json(&list);
            } else if list.is_empty() {
                println!("No channels yet; add one with `slipway channel add NAME --kind KIND`.");
            } else {
                let mut rows = vec![vec![
                    "NAME".into(),
                    "KIND".into(),
                    "SUBSCRIPTIONS".into(),
                    "WHERE".into(),
                ]];
                rows.extend(list.iter().map(|c| {
                    vec![
                        c.name.clone(),
                        c.kind.clone(),
                        c.subscriptions.to_string(),
                        c.summary.clone(),
                    ]
                }));
                print_table(&rows);
            }
        }
        ChannelCommand::Remove { name, json } => {
            slipway_api::remove_channel(&ws, &name).await?;
            if json {
                print_json(&serde_json::json!({ "removed": name.trim() }));
            } else {
                println!(
                    "Removed channel {} and its subscriptions; messages not yet sent through it are cancelled.",
                    name.trim()
                );
            }
        }
        ChannelCommand::Test { name, to, acting } => {
            let by = acting.me()?;
            let sentence =
                slipway_api::test_channel(&ws, &name, to.as_deref(), &by, &SystemClock, None)
                    .await?;
            if acting.json {
                print_json(&serde_json::json!({
                    "channel": name.trim(),
                    "ok": true,
                    "message": sentence,
                }));
            } else {
                println!("{sentence}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn describe_subscription(s: &SubscriptionDto) -> Vec<String> {
    let scope = match (s.project.as_str(), s.environment.as_str()) {
        ("", "") => "all projects".to_string(),
        (p, "") => p.to_string(),
        ("", e) => format!("*/{e}"),
        (p, e) => format!("{p}/{e}"),
    };
    vec![
        format!("#{}", s.id),
        s.person.clone(),
        format!("{} ({})", s.channel, s.channel_kind),
        scope,
        if s.kinds.is_empty() {
            "all events".into()
        } else {
            s.kinds.join(",")
        },
        format!("{}+", s.min_severity),
        s.delivery.clone(),
    ]
}

/// `slipway subscribe`.
pub async fn subscribe(dir: &Path, args: SubscribeArgs) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    let input = SubscriptionInputDto {
        person: args.person,
        channel: args.channel,
        project: args.project.unwrap_or_default(),
        environment: args.environment.unwrap_or_default(),
        kinds: args.kinds,
        min_severity: args.min_severity.unwrap_or_default(),
        delivery: args
            .digest
            .map(|d| format!("digest {}", d.trim()))
            .unwrap_or_default(),
    };
    let s = slipway_api::subscribe(&ws, &input, &SystemClock).await?;
    if args.json {
        print_json(&s);
    } else {
        let d = describe_subscription(&s);
        println!(
            "Subscribed {}: {} over {}, {}, {}, {}, {}.",
            d[0], d[1], d[2], d[3], d[4], d[5], d[6]
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `slipway subscriptions`.
pub async fn subscriptions(dir: &Path, json: bool) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    let list = slipway_api::subscriptions(&ws).await?;
    if json {
        print_json(&list);
    } else if list.is_empty() {
        println!("No subscriptions yet; add one with `slipway subscribe PERSON CHANNEL`.");
    } else {
        let mut rows = vec![vec![
            "ID".into(),
            "PERSON".into(),
            "CHANNEL".into(),
            "WHERE".into(),
            "EVENTS".into(),
            "SEVERITY".into(),
            "DELIVERY".into(),
        ]];
        rows.extend(list.iter().map(describe_subscription));
        print_table(&rows);
    }
    Ok(ExitCode::SUCCESS)
}

/// `slipway unsubscribe`.
pub async fn unsubscribe(dir: &Path, id: i64, json: bool) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    slipway_api::unsubscribe(&ws, id).await?;
    if json {
        print_json(&serde_json::json!({ "removed": id }));
    } else {
        println!("Removed subscription #{id}.");
    }
    Ok(ExitCode::SUCCESS)
}
