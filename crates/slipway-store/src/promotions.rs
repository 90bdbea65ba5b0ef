//! Promotions: one lock per environment, each run written before its first step and moved on
//! step by step, ended in one transaction with its audit entry, and read back.
//!
//! Every transaction here starts with a write, so on SQLite it takes the write lock first
//! (waiting out the busy timeout) instead of failing when another writer got there between
//! its read and its write.

use slipway_core::{DeploymentKind, DeploymentStatus, Hold};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{append_audit, AuditDraft};
use crate::bool_int;
use crate::gates::put_hold;
use crate::{Store, StoreError};

/// A promotion to be started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPromotion {
    /// Project name.
    pub project: String,
    /// Environment name.
    pub environment: String,
    /// `promote`, `rollback`, `redeploy` or `hotfix`.
    pub kind: DeploymentKind,
    /// Where the environment stood when it was checked.
    pub from_sha: String,
    /// Where it is being moved.
    pub to_sha: String,
    /// The ref or tag written (empty for database-tracked environments).
    pub ref_written: String,
    /// The changes it ships, oldest first.
    pub changes: Vec<String>,
    /// Who started it.
    pub by: String,
    /// When.
    pub at: i64,
    /// The reason a freeze was overridden, if one was.
    pub override_reason: Option<String>,
    /// The run's own reason: a rollback's, a redeploy's (empty for a promotion).
    pub why: String,
    /// Whether a deploy action is configured.
    pub has_action: bool,
    /// Whether verification is configured.
    pub has_verification: bool,
    /// The machine that runs it.
    pub host: String,
    /// Its process.
    pub pid: i64,
    /// After this instant (Unix seconds) an unfinished promotion counts as abandoned.
    pub lease_until: i64,
    /// A hold to put on the environment as it starts (a rollback's; kept if one is on).
    pub hold: Option<Hold>,
    /// A follow-up item to open as it starts (a rollback's).
    pub follow_up: Option<crate::follow_ups::NewFollowUp>,
}

/// A stored promotion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionRecord {
    /// Its number.
    pub id: i64,
    /// What was asked.
    pub spec: NewPromotion,
    /// How far it got.
    pub status: DeploymentStatus,
    /// When it ended.
    pub finished_at: Option<i64>,
    /// Why it failed, or what reconciling found.
    pub reason: String,
    /// What the deploy action and verification said.
    pub output: String,
    /// The run moved the environment's ref (a failure after that offers a rollback).
    pub ref_moved: bool,
    /// The process group of its deploy command, once one was started (on the run's host).
    pub action_pgid: Option<i64>,
}

/// Whether a promotion could start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Began {
    /// It holds the environment's lock; its number.
    Started(i64),
    /// Another promotion holds the environment.
    Busy {
        /// Its number.
        promotion_id: i64,
        /// Who runs it.
        holder: String,
        /// Since when.
        since: i64,
    },
}

/// How a promotion ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionEnd {
    /// Succeeded or failed.
    pub status: DeploymentStatus,
    /// Why it failed (or what reconciling found).
    pub reason: String,
    /// What the action and verification said.
    pub output: String,
    /// When it ended.
    pub at: i64,
    /// The ref moved during the run.
    pub ref_moved: bool,
    /// Record a deployment row (database-tracked environments, on success).
    pub record_deployment: bool,
}

const PROMOTION_COLUMNS: &str = "p.id, pr.name AS project, p.environment, p.kind, p.from_sha, p.to_sha, \
    p.ref_written, p.changes, p.started_by, p.started_at, p.finished_at, p.status, p.reason, p.output, p.ref_moved, \
    p.override_reason, p.why, p.has_action, p.has_verification, p.host, p.pid, p.lease_until, p.action_pgid";

pub(crate) fn promotion_from(row: &AnyRow) -> Result<PromotionRecord, StoreError> {
    let status: String = row.try_get("status")?;
    let changes: String = row.try_get("changes")?;
    Ok(PromotionRecord {
        id: row.try_get("id")?,
        status: DeploymentStatus::parse(&status)
            .ok_or_else(|| StoreError::invalid("promotion", format!("status {status:?}")))?,
        finished_at: row.try_get("finished_at")?,
        reason: row.try_get("reason")?,
        output: row.try_get("output")?,
        ref_moved: row.try_get::<i64, _>("ref_moved")? != 0,
        action_pgid: row.try_get("action_pgid")?,
        spec: NewPromotion {
            project: row.try_get("project")?,
            environment: row.try_get("environment")?,
            kind: {
                let kind: String = row.try_get("kind")?;
                DeploymentKind::parse(&kind)
                    .ok_or_else(|| StoreError::invalid("promotion", format!("kind {kind:?}")))?
            },
            from_sha: row.try_get("from_sha")?,
            to_sha: row.try_get("to_sha")?,
            ref_written: row.try_get("ref_written")?,
            changes: crate::split_list(&changes),
            by: row.try_get("started_by")?,
            at: row.try_get("started_at")?,
            override_reason: row.try_get("override_reason")?,
            why: row.try_get("why")?,
            has_action: row.try_get::<i64, _>("has_action")? != 0,
            has_verification: row.try_get::<i64, _>("has_verification")? != 0,
            host: row.try_get("host")?,
            pid: row.try_get("pid")?,
            lease_until: row.try_get("lease_until")?,
            hold: None,
            follow_up: None,
        },
    })
}

impl Store {
    pub(crate) async fn project_id(&self, project: &str) -> Result<i64, StoreError> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE name = $1")
            .bind(project)
            .fetch_optional(&self.pool)
            .await?;
        id.ok_or_else(|| StoreError::ProjectMissing(project.to_string()))
    }

    /// Starts a promotion: takes the environment's lock, records the promotion as started,
    /// and puts on its hold and follow-up (a rollback's), in one transaction. Another promotion holding the lock is reported, and
    /// nothing is written.
    pub async fn begin_promotion(
        &self,
        new: &NewPromotion,
        audit: Option<&AuditDraft>,
    ) -> Result<Began, StoreError> {
        let project_id = self.project_id(&new.project).await?;
        let mut tx = self.pool.begin().await?;
        let taken: Option<i64> = sqlx::query_scalar(
            "INSERT INTO environment_locks (project_id, environment, promotion_id, holder, since) \
             VALUES ($1, $2, 0, $3, $4) ON CONFLICT (project_id, environment) DO NOTHING RETURNING project_id",
        )
        .bind(project_id)
        .bind(&new.environment)
        .bind(&new.by)
        .bind(new.at)
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_none() {
            let row = sqlx::query(
                "SELECT promotion_id, holder, since FROM environment_locks WHERE project_id = $1 AND environment = $2",
            )
            .bind(project_id)
            .bind(&new.environment)
            .fetch_one(&mut *tx)
            .await?;
            let busy = Began::Busy {
                promotion_id: row.try_get("promotion_id")?,
                holder: row.try_get("holder")?,
                since: row.try_get("since")?,
            };
            tx.rollback().await?;
            return Ok(busy);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO promotions (project_id, environment, kind, from_sha, to_sha, ref_written, changes, \
             started_by, started_at, status, override_reason, has_action, has_verification, host, pid, lease_until, why) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'started', $10, $11, $12, $13, $14, $15, $16) RETURNING id",
        )
        .bind(project_id)
        .bind(&new.environment)
        .bind(new.kind.as_str())
        .bind(&new.from_sha)
        .bind(&new.to_sha)
        .bind(&new.ref_written)
        .bind(new.changes.join(","))
        .bind(&new.by)
        .bind(new.at)
        .bind(new.override_reason.clone())
        .bind(bool_int(new.has_action))
        .bind(bool_int(new.has_verification))
        .bind(&new.host)
        .bind(new.pid)
        .bind(new.lease_until)
        .bind(&new.why)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE environment_locks SET promotion_id = $1 WHERE project_id = $2 AND environment = $3",
        )
        .bind(id)
        .bind(project_id)
        .bind(&new.environment)
        .execute(&mut *tx)
        .await?;
        if let Some(hold) = &new.hold {
            put_hold(&mut tx, project_id, &new.environment, hold, Some(id)).await?;
        }
        if let Some(follow_up) = &new.follow_up {
            crate::follow_ups::insert_follow_up(
                &mut tx,
                project_id,
                &new.environment,
                Some(id),
                follow_up,
                &new.by,
                new.at,
            )
            .await?;
        }
        if let Some(audit) = audit {
            append_audit(&mut tx, audit, self.anchor.as_ref()).await?;
        }
        tx.commit().await?;
        self.outbox_poke();
        Ok(Began::Started(id))
    }

    /// Records that a running promotion finished a step (and what it said so far).
    pub async fn advance_promotion(
        &self,
        id: i64,
        status: DeploymentStatus,
        output: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE promotions SET status = $1, output = $2 WHERE id = $3 AND finished_at IS NULL",
        )
        .bind(status.as_str())
        .bind(output)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records the process group of a run's deploy command as it starts, so that a run
    /// whose process dies can have its command found and stopped by reconcile.
    pub async fn record_action_process(&self, id: i64, pgid: u32) -> Result<(), StoreError> {
        sqlx::query("UPDATE promotions SET action_pgid = $1 WHERE id = $2 AND finished_at IS NULL")
            .bind(i64::from(pgid))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends a promotion: its final status, reason and output, the environment's lock
    /// released, the deployment record for a database-tracked environment, and the audit
    /// entry — in one transaction.
    /// Returns false (and changes nothing) when it had ended already.
    pub async fn finish_promotion(
        &self,
        id: i64,
        end: &PromotionEnd,
        audit: &AuditDraft,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "UPDATE promotions SET status = $1, reason = $2, output = $3, finished_at = $4, ref_moved = $6 \
             WHERE id = $5 AND finished_at IS NULL RETURNING project_id, environment, to_sha, started_by",
        )
        .bind(end.status.as_str())
        .bind(&end.reason)
        .bind(&end.output)
        .bind(end.at)
        .bind(id)
        .bind(bool_int(end.ref_moved))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Ok(false);
        };
        let project_id: i64 = row.try_get("project_id")?;
        let environment: String = row.try_get("environment")?;
        let to_sha: String = row.try_get("to_sha")?;
        let by: String = row.try_get("started_by")?;
        sqlx::query("DELETE FROM environment_locks WHERE promotion_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if end.record_deployment {
            sqlx::query(
                "INSERT INTO deployments (project_id, environment, sha, deployed_at, recorded_by) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(project_id)
            .bind(&environment)
            .bind(&to_sha)
            .bind(end.at)
            .bind(&by)
            .execute(&mut *tx)
            .await?;
        }
        self.end_act(tx, true, audit).await?;
        Ok(true)
    }

    /// Takes back a promotion that did nothing — it found, once it held the lock, that the
    /// environment had moved since it was planned: the row, the lock, and the hold and
    /// follow-up it came with are removed in one transaction, so the history shows no run
    /// and nobody is told of one. Returns false (and changes nothing) once it went further
    /// than `started`.
    pub async fn abandon_promotion(&self, id: i64) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let gone = sqlx::query("DELETE FROM promotions WHERE id = $1 AND status = 'started'")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if gone == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        for sql in [
            "DELETE FROM environment_locks WHERE promotion_id = $1",
            "DELETE FROM holds WHERE promotion_id = $1",
            "DELETE FROM follow_ups WHERE promotion_id = $1",
        ] {
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// One promotion.
    pub async fn promotion(&self, id: i64) -> Result<Option<PromotionRecord>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {PROMOTION_COLUMNS} FROM promotions p JOIN projects pr ON pr.id = p.project_id WHERE p.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(promotion_from).transpose()
    }

    /// A project's promotions, newest first (one environment's, when given), at most `limit`.
    pub async fn promotions(
        &self,
        project: &str,
        environment: Option<&str>,
        limit: i64,
    ) -> Result<Vec<PromotionRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {PROMOTION_COLUMNS} FROM promotions p JOIN projects pr ON pr.id = p.project_id \
             WHERE pr.name = $1 AND ($2 = '' OR p.environment = $2) ORDER BY p.started_at DESC, p.id DESC LIMIT $3"
        ))
        .bind(project)
        .bind(environment.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(promotion_from).collect()
    }

    /// A project's runs started at or after `since` (Unix seconds), oldest first — what the
    /// delivery metrics read.
    pub async fn runs_since(
        &self,
        project: &str,
        since: i64,
    ) -> Result<Vec<PromotionRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {PROMOTION_COLUMNS} FROM promotions p JOIN projects pr ON pr.id = p.project_id \
             WHERE pr.name = $1 AND p.started_at >= $2 ORDER BY p.started_at, p.id"
        ))
        .bind(project)
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(promotion_from).collect()
    }

    /// Promotions that have not ended (running, or left by a crash), oldest first.
    pub async fn unfinished_promotions(&self) -> Result<Vec<PromotionRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {PROMOTION_COLUMNS} FROM promotions p JOIN projects pr ON pr.id = p.project_id \
             WHERE p.finished_at IS NULL ORDER BY p.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(promotion_from).collect()
    }
}
