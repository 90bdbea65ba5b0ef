//! What gates a promotion, stored: deploy settings, sign-off rules and sign-offs, weekly
//! freezes, holds, bad marks and follow-ups — every act with its audit entry in one
//! transaction.

use slipway_core::{
    BadMark, CommandAction, DeployAction, Hold, Signoff, SignoffRule, SignoffVerdict, Verification,
    WebhookAction, WeeklyFreeze,
};
use sqlx::{Any, Row, Transaction};

use crate::audit::AuditDraft;
use crate::{Store, StoreError};

/// An environment's deploy action and verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploySettings {
    /// What runs after the ref moves.
    pub action: DeployAction,
    /// The keychain entry holding a webhook's token, if it has one.
    pub token_key: Option<String>,
    /// The health check after the action, if any.
    pub verification: Option<Verification>,
}

/// A weekly freeze of one environment (or of all of a project's when `environment` is None).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredWeeklyFreeze {
    /// Project name.
    pub project: String,
    /// The environment, or every one.
    pub environment: Option<String>,
    /// The window.
    pub freeze: WeeklyFreeze,
    /// Why.
    pub reason: String,
}

/// Arguments are kept in one column, separated by the ASCII unit separator (which a person
/// cannot type into an argument).
const ARG_SEPARATOR: char = '\u{1f}';

impl Store {
    /// Saves an environment's deploy settings (replacing what was there), with an audit entry.
    pub async fn save_deploy_settings(
        &self,
        project: &str,
        environment: &str,
        settings: &DeploySettings,
        audit: &AuditDraft,
    ) -> Result<(), StoreError> {
        let project_id = self.project_id(project).await?;
        let (kind, method, url, headers, body, argv, timeout) = match &settings.action {
            DeployAction::None => ("none", None, None, String::new(), None, String::new(), 0),
            DeployAction::Webhook(w) => (
                "webhook",
                Some(w.method.clone()),
                Some(w.url.source().to_string()),
                w.headers
                    .iter()
                    .map(|(n, v)| format!("{n}: {}", v.source()))
                    .collect::<Vec<_>>()
                    .join("\n"),
                w.body.as_ref().map(|b| b.source().to_string()),
                String::new(),
                w.timeout_secs,
            ),
            DeployAction::Command(c) => (
                "command",
                None,
                None,
                String::new(),
                None,
                c.argv
                    .iter()
                    .map(|a| a.source())
                    .collect::<Vec<_>>()
                    .join(&ARG_SEPARATOR.to_string()),
                c.timeout_secs,
            ),
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM deploy_settings WHERE project_id = $1 AND environment = $2")
            .bind(project_id)
            .bind(environment)
            .execute(&mut *tx)
            .await?;
        let verification = settings.verification.as_ref();
        sqlx::query(
            "INSERT INTO deploy_settings (project_id, environment, action_kind, method, url, headers, body, \
             token_key, argv, timeout_secs, verify_url, verify_timeout_secs, verify_interval_secs) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(project_id)
        .bind(environment)
        .bind(kind)
        .bind(method)
        .bind(url)
        .bind(headers)
        .bind(body)
        .bind(settings.token_key.clone())
        .bind(argv)
        .bind(i64::from(timeout))
        .bind(verification.map(|v| v.url.clone()))
        .bind(verification.map(|v| i64::from(v.timeout_secs)))
        .bind(verification.map(|v| i64::from(v.interval_secs)))
        .execute(&mut *tx)
        .await?;
        self.end_act(tx, true, audit).await?;
        Ok(())
    }

    /// An environment's deploy settings (none configured: `DeployAction::None`, no check).
    pub async fn deploy_settings(
        &self,
        project: &str,
        environment: &str,
    ) -> Result<DeploySettings, StoreError> {
        let row = sqlx::query(
            "SELECT d.action_kind, d.method, d.url, d.headers, d.body, d.token_key, d.argv, d.timeout_secs, \
             d.verify_url, d.verify_timeout_secs, d.verify_interval_secs FROM deploy_settings d \
             JOIN projects p ON p.id = d.project_id WHERE p.name = $1 AND d.environment = $2",
        )
        .bind(project)
        .bind(environment)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(DeploySettings {
                action: DeployAction::None,
                token_key: None,
                verification: None,
            });
        };
        let bad = |e: &dyn std::fmt::Display| StoreError::invalid("deploy setting", e.to_string());
        let kind: String = row.try_get("action_kind")?;
        let timeout = u32::try_from(row.try_get::<i64, _>("timeout_secs")?).unwrap_or(0);
        let token_key: Option<String> = row.try_get("token_key")?;
        let action = match kind.as_str() {
            "none" => DeployAction::None,
            "webhook" => {
                let headers: String = row.try_get("headers")?;
                let headers: Vec<(String, String)> = headers
                    .lines()
                    .filter_map(|l| l.split_once(": "))
                    .map(|(n, v)| (n.to_string(), v.to_string()))
                    .collect();
                let method: Option<String> = row.try_get("method")?;
                let url: Option<String> = row.try_get("url")?;
                let body: Option<String> = row.try_get("body")?;
                DeployAction::Webhook(
                    WebhookAction::parse(
                        &method.unwrap_or_default(),
                        &url.unwrap_or_default(),
                        &headers,
                        body.as_deref(),
                        token_key.is_some(),
                        timeout,
                    )
                    .map_err(|e| bad(&e))?,
                )
            }
            "command" => {
                let argv: String = row.try_get("argv")?;
                let argv: Vec<String> = argv.split(ARG_SEPARATOR).map(str::to_string).collect();
                DeployAction::Command(CommandAction::parse(&argv, timeout).map_err(|e| bad(&e))?)
            }
            other => {
                return Err(StoreError::invalid(
                    "deploy setting",
                    format!("action {other:?}"),
                ))
            }
        };
        let verify_url: Option<String> = row.try_get("verify_url")?;
        let verification = match verify_url {
            Some(url) => {
                let t: Option<i64> = row.try_get("verify_timeout_secs")?;
                let i: Option<i64> = row.try_get("verify_interval_secs")?;
                let secs = |v: Option<i64>| u32::try_from(v.unwrap_or(0)).unwrap_or(0);
                Some(Verification::parse(&url, secs(t), secs(i)).map_err(|e| bad(&e))?)
            }
            None => None,
        };
        Ok(DeploySettings {
            action,
            token_key,
            verification,
        })
    }

    /// Sets (or with `None`, removes) an environment's sign-off rule.
    pub async fn set_signoff_rule(
        &self,
        project: &str,
        environment: &str,
        rule: Option<&SignoffRule>,
        audit: &AuditDraft,
    ) -> Result<(), StoreError> {
        let project_id = self.project_id(project).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM signoff_rules WHERE project_id = $1 AND environment = $2")
            .bind(project_id)
            .bind(environment)
            .execute(&mut *tx)
            .await?;
        if let Some(rule) = rule {
            sqlx::query(
                "INSERT INTO signoff_rules (project_id, environment, required, role) VALUES ($1, $2, $3, $4)",
            )
            .bind(project_id)
            .bind(environment)
            .bind(i64::from(rule.required))
            .bind(rule.role.clone())
            .execute(&mut *tx)
            .await?;
        }
        self.end_act(tx, true, audit).await?;
        Ok(())
    }

    /// A project's sign-off rules by environment.
    pub async fn signoff_rules(
        &self,
        project: &str,
    ) -> Result<Vec<(String, SignoffRule)>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.environment, r.required, r.role FROM signoff_rules r \
             JOIN projects p ON p.id = r.project_id WHERE p.name = $1 ORDER BY r.environment",
        )
        .bind(project)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get("environment")?,
                    SignoffRule {
                        required: u32::try_from(row.try_get::<i64, _>("required")?).unwrap_or(1),
                        role: row.try_get("role")?,
                    },
                ))
            })
            .collect()
    }

    /// Stores a sign-off (replacing the signer's earlier verdict on the change), with its
    /// audit entry, in one transaction.
    pub async fn put_signoff(
        &self,
        project: &str,
        environment: &str,
        signoff: &Signoff,
        audit: &AuditDraft,
    ) -> Result<(), StoreError> {
        let project_id = self.project_id(project).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "DELETE FROM signoffs WHERE project_id = $1 AND environment = $2 AND sha = $3 AND signer = $4",
        )
        .bind(project_id)
        .bind(environment)
        .bind(&signoff.sha)
        .bind(signoff.by.to_lowercase())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO signoffs (project_id, environment, sha, signer, verdict, comment, signed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(project_id)
        .bind(environment)
        .bind(&signoff.sha)
        .bind(signoff.by.to_lowercase())
        .bind(signoff.verdict.as_str())
        .bind(&signoff.comment)
        .bind(signoff.at)
        .execute(&mut *tx)
        .await?;
        self.end_act(tx, true, audit).await?;
        Ok(())
    }

    /// A project's sign-offs, as (environment, sign-off), oldest first.
    pub async fn signoffs(&self, project: &str) -> Result<Vec<(String, Signoff)>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.environment, s.sha, s.signer, s.verdict, s.comment, s.signed_at FROM signoffs s \
             JOIN projects p ON p.id = s.project_id WHERE p.name = $1 ORDER BY s.signed_at",
        )
        .bind(project)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let verdict: String = row.try_get("verdict")?;
                Ok((
                    row.try_get("environment")?,
                    Signoff {
                        sha: row.try_get("sha")?,
                        by: row.try_get("signer")?,
                        verdict: SignoffVerdict::parse(&verdict)
                            .ok_or_else(|| StoreError::invalid("sign-off", verdict.clone()))?,
                        comment: row.try_get("comment")?,
                        at: row.try_get("signed_at")?,
                    },
                ))
            })
            .collect()
    }

    /// Adds a weekly freeze.
    pub async fn add_weekly_freeze(
        &self,
        freeze: &StoredWeeklyFreeze,
        audit: &AuditDraft,
    ) -> Result<i64, StoreError> {
        let project_id = self.project_id(&freeze.project).await?;
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO weekly_freezes (project_id, environment, zone, week_window, reason) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(project_id)
        .bind(freeze.environment.clone())
        .bind(freeze.freeze.zone.name())
        .bind(freeze.freeze.window())
        .bind(&freeze.reason)
        .fetch_one(&mut *tx)
        .await?;
        self.end_act(tx, true, audit).await?;
        Ok(id)
    }

    /// Every weekly freeze.
    pub async fn weekly_freezes(&self) -> Result<Vec<StoredWeeklyFreeze>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.name, f.environment, f.zone, f.week_window, f.reason FROM weekly_freezes f \
             JOIN projects p ON p.id = f.project_id ORDER BY f.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let zone: String = row.try_get("zone")?;
                let window: String = row.try_get("week_window")?;
                Ok(StoredWeeklyFreeze {
                    project: row.try_get("name")?,
                    environment: row.try_get("environment")?,
                    freeze: WeeklyFreeze::parse(&window, &zone)
                        .map_err(|e| StoreError::invalid("weekly freeze", e.to_string()))?,
                    reason: row.try_get("reason")?,
                })
            })
            .collect()
    }

    /// Puts a hold on an environment; false when one is on already (nothing written).
    pub async fn hold(
        &self,
        project: &str,
        environment: &str,
        hold: &Hold,
        audit: &AuditDraft,
    ) -> Result<bool, StoreError> {
        let project_id = self.project_id(project).await?;
        let mut tx = self.pool.begin().await?;
        let held = put_hold(&mut tx, project_id, environment, hold, None).await?;
        self.end_act(tx, held, audit).await
    }

    /// Lifts an environment's hold; false when none was on (nothing written).
    pub async fn lift_hold(
        &self,
        project: &str,
        environment: &str,
        audit: &AuditDraft,
    ) -> Result<bool, StoreError> {
        let project_id = self.project_id(project).await?;
        let mut tx = self.pool.begin().await?;
        let lifted = sqlx::query(
            "UPDATE holds SET lifted_at = $1, lifted_by = $2 \
             WHERE project_id = $3 AND environment = $4 AND lifted_at IS NULL",
        )
        .bind(audit.at)
        .bind(&audit.actor)
        .bind(project_id)
        .bind(environment)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        self.end_act(tx, lifted != 0, audit).await
    }

    /// Holds on now, as (project, environment, hold).
    pub async fn holds(&self) -> Result<Vec<(String, String, Hold)>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.name, h.environment, h.reason, h.owner, h.since FROM holds h \
             JOIN projects p ON p.id = h.project_id WHERE h.lifted_at IS NULL ORDER BY h.since",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get("name")?,
                    row.try_get("environment")?,
                    Hold {
                        reason: row.try_get("reason")?,
                        owner: row.try_get("owner")?,
                        since: row.try_get("since")?,
                    },
                ))
            })
            .collect()
    }

    /// Marks a change bad (replacing an earlier mark's reason).
    pub async fn mark_bad(
        &self,
        project: &str,
        mark: &BadMark,
        audit: &AuditDraft,
    ) -> Result<(), StoreError> {
        let project_id = self.project_id(project).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM bad_changes WHERE project_id = $1 AND sha = $2")
            .bind(project_id)
            .bind(&mark.sha)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO bad_changes (project_id, sha, reason, marked_by, marked_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(project_id)
        .bind(&mark.sha)
        .bind(&mark.reason)
        .bind(&mark.by)
        .bind(audit.at)
        .execute(&mut *tx)
        .await?;
        self.end_act(tx, true, audit).await?;
        Ok(())
    }

    /// Removes a bad mark; false when the change was not marked (nothing written).
    pub async fn unmark_bad(
        &self,
        project: &str,
        sha: &str,
        audit: &AuditDraft,
    ) -> Result<bool, StoreError> {
        let project_id = self.project_id(project).await?;
        let mut tx = self.pool.begin().await?;
        let removed = sqlx::query("DELETE FROM bad_changes WHERE project_id = $1 AND sha = $2")
            .bind(project_id)
            .bind(sha)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        self.end_act(tx, removed != 0, audit).await
    }

    /// A project's changes marked bad.
    pub async fn bad_changes(&self, project: &str) -> Result<Vec<BadMark>, StoreError> {
        let rows = sqlx::query(
            "SELECT b.sha, b.reason, b.marked_by FROM bad_changes b JOIN projects p ON p.id = b.project_id \
             WHERE p.name = $1 ORDER BY b.marked_at",
        )
        .bind(project)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(BadMark {
                    sha: row.try_get("sha")?,
                    reason: row.try_get("reason")?,
                    by: row.try_get("marked_by")?,
                })
            })
            .collect()
    }
}

pub(crate) async fn put_hold(
    tx: &mut Transaction<'_, Any>,
    project_id: i64,
    environment: &str,
    hold: &Hold,
    promotion_id: Option<i64>,
) -> Result<bool, StoreError> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO holds (project_id, environment, reason, owner, since, promotion_id) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (project_id, environment) WHERE lifted_at IS NULL DO NOTHING RETURNING id",
    )
    .bind(project_id)
    .bind(environment)
    .bind(&hold.reason)
    .bind(&hold.owner)
    .bind(hold.since)
    .bind(promotion_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(id.is_some())
}
