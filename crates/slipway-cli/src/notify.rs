//! `slipway stakeholder|channel|subscribe|subscriptions|unsubscribe|template|outbox`:
//! stakeholder notifications from the command line. Secrets never come as arguments (they
//! would land in shell history and the process list): they are read from standard input.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgGroup, Args, Subcommand};
use slipway_api::{
    ApiError, ChannelInputDto, DispatchDto, Dispatcher, ErrorCode, OutboxDto, SubscriptionDto,
    SubscriptionInputDto, SystemClock, TemplateDto, TemplateInputDto, Workspace,
};

use crate::print_json;
use crate::promote::Who;

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

/// The outbox: every delivery, made or waiting.
#[derive(Subcommand)]
pub enum OutboxCommand {
    /// Counts per state, then the newest deliveries.
    List {
        /// Only deliveries in this state
        #[arg(long, value_parser = ["pending", "sending", "sent", "dead", "cancelled"])]
        state: Option<String>,
        /// How many deliveries to show
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Put a dead letter back in line (its attempts start over).
    Retry {
        /// The delivery's number (see `slipway outbox list`)
        id: i64,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Deliver what is due now, then exit (`slipway watch` keeps delivering).
    Dispatch {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

// ---------------------------------------------------------------------------------------
// Printing

/// Prints rows as columns padded to their widest cell (the last column is not padded).
fn print_table(rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = std::io::stdout().lock();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(
                    ' ',
                    widths[i] - cell.chars().count() + 2,
                ));
            }
        }
        // A closed pipe (`| head`) is the reader's choice, not an error.
        if writeln!(out, "{}", line.trim_end()).is_err() {
            return;
        }
    }
}

fn or_dash(s: &str) -> String {
    if s.is_empty() {
        "-".into()
    } else {
        s.to_string()
    }
}

/// The first line of `text`, at most `max` characters.
fn first_line(text: &str, max: usize) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let line = line.trim();
    if line.chars().count() > max {
        format!("{}…", line.chars().take(max - 1).collect::<String>())
    } else {
        line.to_string()
    }
}

fn io_error(what: &str, e: std::io::Error) -> ApiError {
    ApiError::new(ErrorCode::Io, format!("Cannot read {what}: {e}."))
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidInput, message)
}

// ---------------------------------------------------------------------------------------
// Stakeholders

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

// ---------------------------------------------------------------------------------------
// Channels

/// Removes one trailing line end (`\n` or `\r\n`).
fn trim_newline(s: &str) -> &str {
    let s = s.strip_suffix('\n').unwrap_or(s);
    s.strip_suffix('\r').unwrap_or(s)
}

/// Reads the URL and/or the secret from standard input: one line each from a terminal; from
/// a pipe, the URL is the first line and the secret the rest (one trailing newline trimmed).
fn read_stdin_parts(url: bool, secret: bool) -> Result<(Option<String>, Option<String>), ApiError> {
    if !url && !secret {
        return Ok((None, None));
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let ask = |prompt: &str| -> Result<String, ApiError> {
            eprint!("{prompt}: ");
            let _ = std::io::stderr().flush();
            let mut line = String::new();
            stdin
                .lock()
                .read_line(&mut line)
                .map_err(|e| io_error("standard input", e))?;
            Ok(trim_newline(&line).to_string())
        };
        let u = if url { Some(ask("URL")?) } else { None };
        let s = if secret { Some(ask("Secret")?) } else { None };
        return Ok((u, s));
    }
    let mut all = String::new();
    stdin
        .lock()
        .read_to_string(&mut all)
        .map_err(|e| io_error("standard input", e))?;
    Ok(match (url, secret) {
        (true, true) => {
            let (first, rest) = all.split_once('\n').unwrap_or((all.as_str(), ""));
            (
                Some(trim_newline(first).trim().to_string()),
                Some(trim_newline(rest).to_string()),
            )
        }
        (true, false) => (Some(trim_newline(&all).trim().to_string()), None),
        _ => (None, Some(trim_newline(&all).to_string())),
    })
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
            let takes_url = matches!(kind.as_str(), "slack" | "teams" | "webhook");
            let takes_secret = matches!(kind.as_str(), "email" | "webhook");
            if (url.is_some() || url_stdin) && !takes_url {
                return Err(invalid(format!(
                    "{kind} channels have no URL; drop --url/--url-stdin."
                )));
            }
            if secret_stdin && !takes_secret {
                return Err(invalid(format!(
                    "{kind} channels have no secret; drop --secret-stdin."
                )));
            }
            if url.is_some() {
                eprintln!(
                    "slipway: warning: a {kind} URL carries a key, and --url leaves it in your \
                     shell history and the process list; use --url-stdin next time."
                );
            }
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

// ---------------------------------------------------------------------------------------
// Subscriptions

fn describe_subscription(s: &SubscriptionDto) -> Vec<String> {
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

// ---------------------------------------------------------------------------------------
// Templates

/// Refuses a word that is none of `known` (the values the workspace's templates use).
fn check_word<'a>(
    word: &str,
    what: &str,
    known: impl Iterator<Item = &'a str>,
) -> Result<(), ApiError> {
    let mut names: Vec<&str> = Vec::new();
    for k in known {
        if !names.contains(&k) {
            names.push(k);
        }
    }
    if names.iter().any(|k| k.eq_ignore_ascii_case(word.trim())) {
        Ok(())
    } else {
        Err(invalid(format!(
            "“{word}” is not {what}; use one of: {}.",
            names.join(", ")
        )))
    }
}

/// The template in force for `which`, with a clear error for a word that names none.
fn find_template(all: Vec<TemplateDto>, which: &TemplateKey) -> Result<TemplateDto, ApiError> {
    check_word(
        &which.kind,
        "an event kind",
        all.iter().map(|t| t.kind.as_str()),
    )?;
    check_word(
        &which.channel,
        "a channel kind",
        all.iter().map(|t| t.channel_kind.as_str()),
    )?;
    let parts: Vec<&str> = all
        .iter()
        .filter(|t| t.channel_kind.eq_ignore_ascii_case(which.channel.trim()))
        .map(|t| t.part.as_str())
        .collect();
    check_word(
        &which.part,
        &format!("a part of {} messages", which.channel.trim()),
        parts.into_iter(),
    )?;
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b.trim());
    all.into_iter()
        .find(|t| {
            same(&t.kind, &which.kind)
                && same(&t.channel_kind, &which.channel)
                && same(&t.part, &which.part)
        })
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!(
                    "There is no {} {} {} template.",
                    which.kind, which.channel, which.part
                ),
            )
        })
}

fn print_template(t: &TemplateDto) {
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
            let all = slipway_api::templates(&ws).await?;
            if let Some(k) = &kind {
                check_word(k, "an event kind", all.iter().map(|t| t.kind.as_str()))?;
            }
            if let Some(c) = &channel {
                check_word(
                    c,
                    "a channel kind",
                    all.iter().map(|t| t.channel_kind.as_str()),
                )?;
            }
            let list: Vec<TemplateDto> = all
                .into_iter()
                .filter(|t| {
                    kind.as_deref()
                        .is_none_or(|k| t.kind.eq_ignore_ascii_case(k.trim()))
                        && channel
                            .as_deref()
                            .is_none_or(|c| t.channel_kind.eq_ignore_ascii_case(c.trim()))
                })
                .collect();
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
            let t = find_template(slipway_api::templates(&ws).await?, &which)?;
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
            let t = find_template(slipway_api::templates(&ws).await?, &which)?;
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

// ---------------------------------------------------------------------------------------
// The outbox

fn print_outbox(o: &OutboxDto) {
    println!(
        "pending {} · sending {} · sent {} · dead {} · cancelled {}",
        o.pending, o.sending, o.sent, o.dead, o.cancelled
    );
    if o.entries.is_empty() {
        return;
    }
    println!();
    let mut rows = vec![vec![
        "ID".into(),
        "STATE".into(),
        "ATTEMPTS".into(),
        "CHANNEL".into(),
        "RECIPIENT".into(),
        "TITLE".into(),
    ]];
    for d in &o.entries {
        let state = if d.digest {
            format!("{} (digest)", d.state)
        } else {
            d.state.clone()
        };
        rows.push(vec![
            format!("#{}", d.id),
            state,
            d.attempts.to_string(),
            d.channel.clone(),
            d.recipient.clone(),
            d.title.clone(),
        ]);
        if d.state == "dead" && !d.last_error.is_empty() {
            rows.push(vec![format!("  ↳ {}", d.last_error)]);
        }
    }
    print_table(&rows);
}

/// `slipway outbox …`.
pub async fn outbox(dir: &Path, command: OutboxCommand) -> Result<ExitCode, ApiError> {
    let ws = Workspace::open(dir).await?;
    match command {
        OutboxCommand::List { state, limit, json } => {
            let o = slipway_api::outbox(&ws, state.as_deref(), limit).await?;
            if json {
                print_json(&o);
            } else {
                print_outbox(&o);
            }
        }
        OutboxCommand::Retry { id, json } => {
            slipway_api::retry_delivery(&ws, id, &SystemClock).await?;
            if json {
                print_json(&serde_json::json!({ "retried": id }));
            } else {
                println!(
                    "Delivery #{id} is back in line; it goes out with the next dispatch \
                     (`slipway outbox dispatch`, or a running `slipway watch`)."
                );
            }
        }
        OutboxCommand::Dispatch { json } => {
            let dispatcher = Dispatcher::new(&ws, &slipway_api::dispatcher_name(), None);
            let mut total = DispatchDto::default();
            loop {
                let pass = dispatcher.dispatch_once(&SystemClock).await?;
                if pass.delivered + pass.retrying + pass.dead == 0 {
                    break;
                }
                total.delivered += pass.delivered;
                total.retrying += pass.retrying;
                total.dead += pass.dead;
            }
            if json {
                print_json(&total);
            } else {
                println!(
                    "Delivered {}, {} to be retried later, {} given up on (dead letters).",
                    total.delivered, total.retrying, total.dead
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
