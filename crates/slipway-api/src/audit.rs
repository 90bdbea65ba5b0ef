//! The audit log: verifying its hash chain and exporting it.

use serde::Serialize;
use slipway_core::verify_chain;
use ts_rs::TS;

use crate::error::{capitalise, invalid, ApiError, ErrorCode};
use crate::time::{rfc3339, time};
use crate::workspace::Workspace;

/// What checking the audit log found.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditVerifyDto {
    /// Entries checked.
    #[ts(type = "number")]
    pub entries: i64,
    /// Whether the chain is whole.
    pub ok: bool,
    /// Where it breaks, as a sentence.
    pub problem: Option<String>,
}

/// Checks the audit log's hash chain: a changed, removed or reordered entry is found.
pub async fn audit_verify(ws: &Workspace) -> Result<AuditVerifyDto, ApiError> {
    let (entries, (count, head)) = ws.store().audit_log().await?;
    Ok(match verify_chain(&entries, Some((count, &head))) {
        Ok(n) => AuditVerifyDto {
            entries: n,
            ok: true,
            problem: None,
        },
        Err(e) => AuditVerifyDto {
            entries: entries.len() as i64,
            ok: false,
            problem: Some(format!("{}.", capitalise(&e.to_string()))),
        },
    })
}

/// One audit entry as exported.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditEntryDto {
    /// Position.
    #[ts(type = "number")]
    pub seq: i64,
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What kind of act.
    pub action: String,
    /// What it was done to.
    pub subject: String,
    /// Details.
    pub detail: String,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// The audit log as CSV (RFC 4180, with a header row) or JSON.
pub async fn audit_export(ws: &Workspace, format: &str) -> Result<String, ApiError> {
    let (entries, _) = ws.store().audit_log().await?;
    let rows: Vec<AuditEntryDto> = entries
        .into_iter()
        .map(|e| AuditEntryDto {
            seq: e.entry.seq,
            at: rfc3339(time(e.entry.at)),
            actor: e.entry.actor,
            action: e.entry.action,
            subject: e.entry.subject,
            detail: e.entry.detail,
            prev_hash: e.prev,
            hash: e.hash,
        })
        .collect();
    match format {
        "json" => serde_json::to_string_pretty(&rows)
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("Writing JSON failed: {e}."))),
        "csv" => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            let failed = |e: csv::Error| {
                ApiError::new(ErrorCode::Internal, format!("Writing CSV failed: {e}."))
            };
            for row in &rows {
                writer.serialize(row).map_err(failed)?;
            }
            let bytes = writer.into_inner().map_err(|e| {
                ApiError::new(ErrorCode::Internal, format!("Writing CSV failed: {e}."))
            })?;
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        }
        other => Err(invalid(format!(
            "Export format {other:?} is not known: use csv or json."
        ))),
    }
}
