//! `slipway outbox list|retry|dispatch`: the notification outbox.

use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use slipway_api::{ApiError, Dispatcher, OutboxDto, SystemClock, Workspace};

use crate::output::*;

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

pub(crate) fn print_outbox(o: &OutboxDto) {
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
            let total = dispatcher.drain(&SystemClock).await?;
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
