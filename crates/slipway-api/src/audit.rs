//! The audit log: verifying its hash chain and exporting it.

use serde::Serialize;
use slipway_core::{verify_chain, verify_checkpoints, Anchored};
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
    /// The newest entry a valid signed checkpoint covers (0: none).
    #[ts(type = "number")]
    pub covered_through: i64,
    /// What the checkpoints cover, as a sentence.
    pub checkpoints: String,
}

/// Checks the audit log's hash chain: a changed, removed or reordered entry is found.
///
/// Then against its signed checkpoints (see [`slipway_core::Checkpoint`]): a log rewritten
/// and rehashed whole — which the chain alone cannot tell — no longer matches them.
pub async fn audit_verify(ws: &Workspace) -> Result<AuditVerifyDto, ApiError> {
    let (entries, (count, head)) = ws.store().audit_log().await?;
    let checkpoints = ws.store().audit_checkpoints().await?;
    let reference = crate::secrets::audit_key_reference(ws.store().location());
    let key = tokio::task::spawn_blocking(move || crate::secrets::audit_key(&reference, false))
        .await
        .ok()
        .flatten();
    let total = entries.len() as i64;
    let mut dto = AuditVerifyDto {
        entries: total,
        ok: true,
        problem: None,
        covered_through: 0,
        checkpoints: String::new(),
    };
    if let Err(e) = verify_chain(&entries, Some((count, &head))) {
        dto.ok = false;
        dto.problem = Some(format!("{}.", capitalise(&e.to_string())));
    }
    dto.checkpoints = match (&key, checkpoints.is_empty()) {
        (_, true) => "No entry is covered by a signed checkpoint (they are written when the OS keychain holds this workspace's key).".into(),
        (None, false) => format!(
            "{} signed checkpoints could not be checked: this workspace's key is not in this keychain.",
            checkpoints.len()
        ),
        (Some(key), false) => match verify_checkpoints(&entries, &checkpoints, key) {
            Anchored::Broken { seq } => {
                dto.ok = false;
                dto.problem.get_or_insert_with(|| format!(
                    "Audit entries up to {seq} no longer match the checkpoint signed when entry {seq} was written: the log was rewritten after it."
                ));
                format!("The checkpoint of entry {seq} does not match the log.")
            }
            Anchored::Covered { through, of } => {
                dto.covered_through = through;
                if through == of {
                    format!("Entries 1–{through} are covered by signed checkpoints.")
                } else {
                    format!(
                        "Entries 1–{through} are covered by signed checkpoints; entries {}–{of} are not (written without the keychain's key).",
                        through + 1
                    )
                }
            }
        },
    };
    Ok(dto)
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
