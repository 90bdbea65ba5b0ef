//! `slipway audit verify|export`: the hash-chained audit log.

use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use slipway_api::{ApiError, Workspace};

use crate::output::*;

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
            if !json {
                println!("{}", result.checkpoints);
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
