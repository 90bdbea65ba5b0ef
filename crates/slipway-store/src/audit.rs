//! The hash-chained audit log: appended in the same transaction as the act it records, and
//! read back for verifying and exporting.

use slipway_core::{AuditEntry, Checkpoint, StoredEntry};
use sqlx::{Any, Row, Transaction};

use crate::{Store, StoreError};

/// An act for the audit log (its position and hash are the store's to give).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditDraft {
    /// When (Unix seconds).
    pub at: i64,
    /// Who.
    pub actor: String,
    /// `promote`, `rollback`, `hold`, `unhold`, `override`, `signoff`, `mark_bad`, …
    pub action: String,
    /// `project/environment` or `project@sha`.
    pub subject: String,
    /// What happened, as a sentence.
    pub detail: String,
    /// Whom to tell: written to the outbox in the same transaction.
    pub events: Vec<slipway_core::notify::Event>,
}

/// Appends one entry to the audit log inside `tx`. The head row's update comes first: it is
/// the write that orders concurrent appenders (a row lock on PostgreSQL, the write lock on
/// SQLite), so every entry gets the next position and the previous hash.
pub(crate) async fn append_audit(
    tx: &mut Transaction<'_, Any>,
    draft: &AuditDraft,
    anchor: Option<&crate::Anchor>,
) -> Result<i64, StoreError> {
    let row =
        sqlx::query("UPDATE audit_head SET count = count + 1 WHERE id = 1 RETURNING count, hash")
            .fetch_one(&mut **tx)
            .await?;
    let seq: i64 = row.try_get("count")?;
    let prev: String = row.try_get("hash")?;
    let entry = AuditEntry {
        seq,
        at: draft.at,
        actor: draft.actor.clone(),
        action: draft.action.clone(),
        subject: draft.subject.clone(),
        detail: draft.detail.clone(),
    };
    let hash = entry.hash(&prev);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(seq)
    .bind(entry.at)
    .bind(&entry.actor)
    .bind(&entry.action)
    .bind(&entry.subject)
    .bind(&entry.detail)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    // Signed with a key the database does not hold, in the same transaction as the entry.
    if let Some(mac) = anchor.and_then(|sign| sign(seq, &hash)) {
        sqlx::query("INSERT INTO audit_checkpoints (seq, hash, mac) VALUES ($1, $2, $3)")
            .bind(seq)
            .bind(&hash)
            .bind(mac)
            .execute(&mut **tx)
            .await?;
    }
    // Team mode: listeners hear of the act when the transaction commits.
    crate::listen::announce(tx, &format!("{} {}", draft.action, draft.subject)).await?;
    crate::notifications::enqueue(tx, &draft.events, draft.at.saturating_mul(1000)).await?;
    Ok(seq)
}

impl Store {
    /// Appends one act to the audit log on its own.
    pub async fn audit(&self, draft: &AuditDraft) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let seq = append_audit(&mut tx, draft, self.anchor.as_ref()).await?;
        tx.commit().await?;
        self.outbox_poke();
        self.changes_poke();
        Ok(seq)
    }

    /// The whole audit log, oldest first, and its head (count and newest hash).
    pub async fn audit_log(&self) -> Result<(Vec<StoredEntry>, (i64, String)), StoreError> {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ORDER BY seq",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            entries.push(StoredEntry {
                entry: AuditEntry {
                    seq: row.try_get("seq")?,
                    at: row.try_get("at")?,
                    actor: row.try_get("actor")?,
                    action: row.try_get("action")?,
                    subject: row.try_get("subject")?,
                    detail: row.try_get("detail")?,
                },
                prev: row.try_get("prev_hash")?,
                hash: row.try_get("hash")?,
            });
        }
        let head = sqlx::query("SELECT count, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok((entries, (head.try_get("count")?, head.try_get("hash")?)))
    }

    /// The audit chain's signed checkpoints, oldest first.
    pub async fn audit_checkpoints(&self) -> Result<Vec<Checkpoint>, StoreError> {
        let rows = sqlx::query("SELECT seq, hash, mac FROM audit_checkpoints ORDER BY seq")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Checkpoint {
                    seq: row.try_get("seq")?,
                    hash: row.try_get("hash")?,
                    mac: row.try_get("mac")?,
                })
            })
            .collect()
    }

    /// Ends an act's transaction: with its audit entry when the act `changed` something
    /// (true), rolled back with nothing written when it did not (false).
    pub(crate) async fn end_act(
        &self,
        mut tx: Transaction<'_, Any>,
        changed: bool,
        audit: &AuditDraft,
    ) -> Result<bool, StoreError> {
        if !changed {
            tx.rollback().await?;
            return Ok(false);
        }
        append_audit(&mut tx, audit, self.anchor.as_ref()).await?;
        tx.commit().await?;
        self.outbox_poke();
        self.changes_poke();
        Ok(true)
    }
}
