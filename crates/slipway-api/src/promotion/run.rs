//! One run — promote, rollback, redeploy or hotfix — as steps each recorded before the next:
//! lock, move and push the ref, run the deploy action, verify, record.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use slipway_core::notice;
use slipway_core::{
    Clock, DeployAction, DeploymentKind, DeploymentStatus, Hold, Project, TrackingRef,
};
use slipway_deploy::{Cancel, DeployError};
use slipway_git::{tag_name_for, GitError, Lease, Oid, Repo};
use slipway_store::{AuditDraft, Began, NewPromotion, PromotionEnd};
use ts_rs::TS;

use crate::clock::SystemClock;
use crate::dto::DeploymentDto;
use crate::error::{ApiError, ErrorCode};
use crate::identity::host_name;
use crate::repos::blocking;
use crate::secrets::deploy_token;
use crate::time::{rfc3339, short, time};
use crate::workspace::Workspace;

use super::promote::positions;
use super::reconcile::LEASE_MARGIN_SECS;

/// The most of an action's output kept with its record.
pub(crate) const OUTPUT_CAP: usize = 64 * 1024;

/// One step of a running promotion, for the progress pane.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ProgressDto {
    /// `lock`, `push`, `action`, `verify` or `record`.
    pub step: String,
    /// What happened, one line.
    pub line: String,
}

/// The parts of one run, shared by promote, rollback, redeploy and hotfix.
pub(crate) struct Run<'a> {
    pub(crate) ws: &'a Workspace,
    pub(crate) project: Project,
    pub(crate) environment: String,
    pub(crate) kind: DeploymentKind,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) changes: Vec<String>,
    pub(crate) by: String,
    pub(crate) override_reason: Option<String>,
    /// The config guard's override, in the audit's words, when one was used.
    pub(crate) guard_override: Option<String>,
    pub(crate) hold: Option<Hold>,
    pub(crate) follow_up: Option<slipway_store::NewFollowUp>,
    /// A rollback or a redeploy to an older commit: force with a lease.
    pub(crate) backwards: bool,
    /// The new commit was made here (a cherry-pick): it must reach the remote.
    pub(crate) audit_detail: String,
    /// Release notes (promotions) or the reason (rollbacks), for the notifications.
    pub(crate) notes: String,
    /// The run's own reason, kept with it for the history (a rollback's, a redeploy's).
    pub(crate) why: String,
}

/// Reports progress lines; cheap to clone into tasks.
pub type Progress = Arc<dyn Fn(ProgressDto) + Send + Sync>;

/// What every promotion, rollback, redeploy and hotfix runs with: the workspace, who runs it,
/// the clock, where its progress lines go, and the handle that cancels it.
pub struct RunContext {
    ws: Workspace,
    by: String,
    clock: Arc<dyn Clock>,
    progress: Progress,
    cancel: Cancel,
}

impl RunContext {
    /// A run by `by` on the system clock, its progress lines to `progress`, stopped by
    /// `cancel` (its deploy action is stopped; it is recorded as failed).
    pub fn new(ws: Workspace, by: impl Into<String>, progress: Progress, cancel: Cancel) -> Self {
        RunContext {
            ws,
            by: by.into(),
            clock: Arc::new(SystemClock),
            progress,
            cancel,
        }
    }

    /// The same run on another clock (tests, reproducible demos).
    pub fn with_clock(self, clock: impl Clock + 'static) -> Self {
        RunContext {
            clock: Arc::new(clock),
            ..self
        }
    }

    /// The workspace, who, the clock, the progress sink and the cancel handle.
    pub(crate) fn parts(&self) -> (&Workspace, &str, &dyn Clock, Progress, &Cancel) {
        (
            &self.ws,
            &self.by,
            self.clock.as_ref(),
            self.progress.clone(),
            &self.cancel,
        )
    }
}

pub(crate) fn say(progress: &Progress, step: &str, line: impl Into<String>) {
    progress(ProgressDto {
        step: step.to_string(),
        line: line.into(),
    });
}

/// A test hook: `SLIPWAY_FAILPOINT=after-push|after-action|before-record` kills the process
/// at that step (as a crash or `kill -9` would), so the recovery on the next start is tested
/// against the real binary. Unset in normal use.
pub(crate) fn failpoint(name: &str) {
    if std::env::var("SLIPWAY_FAILPOINT").as_deref() == Ok(name) {
        tracing::warn!("failpoint {name}: stopping the process");
        std::process::abort();
    }
}

/// For the race tests: with `SLIPWAY_FAILPOINT=name`, writes `<gate>.waiting` and waits (at
/// most a minute) until the file `SLIPWAY_FAILPOINT_GATE` names exists, so another run can
/// go first.
pub(crate) async fn failpoint_wait(name: &str) {
    if std::env::var("SLIPWAY_FAILPOINT").as_deref() != Ok(name) {
        return;
    }
    let Ok(gate) = std::env::var("SLIPWAY_FAILPOINT_GATE") else {
        return;
    };
    tracing::warn!("failpoint {name}: waiting for {gate}");
    let _ = std::fs::write(format!("{gate}.waiting"), "");
    for _ in 0..3_000 {
        if std::path::Path::new(&gate).exists() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

pub(crate) fn cap(output: &mut String) {
    if output.len() > OUTPUT_CAP {
        let mut cut = output.len() - OUTPUT_CAP;
        while !output.is_char_boundary(cut) {
            cut += 1;
        }
        output.replace_range(..cut, "[earlier output cut]\n");
    }
}

impl Run<'_> {
    pub(crate) fn tracking(&self) -> TrackingRef {
        self.project
            .pipeline
            .environments
            .iter()
            .find(|e| e.name == self.environment)
            .map(|e| e.tracking.clone())
            .unwrap_or(TrackingRef::Database)
    }

    /// What the run's notices tell.
    pub(crate) fn facts(&self) -> notice::RunFacts<'_> {
        notice::RunFacts {
            project: &self.project.name,
            environment: &self.environment,
            kind: self.kind,
            from: &self.from,
            to: &self.to,
            changes: self.changes.len(),
            by: &self.by,
            notes: &self.notes,
        }
    }

    pub(crate) fn subject(&self) -> String {
        format!("{}/{}", self.project.name, self.environment)
    }

    pub(crate) fn audit(&self, at: i64, action: &str, detail: String) -> AuditDraft {
        AuditDraft {
            at,
            actor: self.by.clone(),
            action: action.to_string(),
            subject: self.subject(),
            detail,
            events: Vec::new(),
        }
    }

    pub(crate) async fn execute(
        self,
        clock: &dyn Clock,
        progress: Progress,
        cancel: &Cancel,
    ) -> Result<DeploymentDto, ApiError> {
        let store = self.ws.store();
        let settings = store
            .deploy_settings(&self.project.name, &self.environment)
            .await?;
        let has_action = !matches!(settings.action, DeployAction::None);
        let action_secs = match &settings.action {
            DeployAction::None => 0,
            DeployAction::Webhook(w) => i64::from(w.timeout_secs),
            DeployAction::Command(c) => i64::from(c.timeout_secs),
        };
        let verify_secs = settings
            .verification
            .as_ref()
            .map_or(0, |v| i64::from(v.timeout_secs));
        let tracking = self.tracking();
        let now = clock.now();
        let ref_written = match &tracking {
            TrackingRef::Branch(b) => format!("refs/heads/{b}"),
            TrackingRef::Tags(p) => format!("refs/tags/{}", tag_name_for(p, now)),
            TrackingRef::Database => String::new(),
        };
        let token = match &settings.token_key {
            Some(key) => Some(deploy_token(key)?.ok_or_else(|| {
                ApiError::new(
                    ErrorCode::KeychainUnavailable,
                    format!(
                        "The deploy token for {} is not in the keychain any more; save the deploy action again with its token.",
                        self.subject()
                    ),
                )
            })?),
            None => None,
        };
        let new = NewPromotion {
            project: self.project.name.clone(),
            environment: self.environment.clone(),
            kind: self.kind,
            from_sha: self.from.clone(),
            to_sha: self.to.clone(),
            ref_written: ref_written.clone(),
            changes: self.changes.clone(),
            by: self.by.clone(),
            at: now.timestamp(),
            override_reason: self.override_reason.clone(),
            why: self.why.clone(),
            has_action,
            has_verification: settings.verification.is_some(),
            host: host_name(),
            pid: i64::from(std::process::id()),
            lease_until: now.timestamp() + action_secs + verify_secs + LEASE_MARGIN_SECS,
            hold: self.hold.clone(),
            follow_up: self.follow_up.clone(),
        };
        let overrides: Vec<String> = self
            .override_reason
            .iter()
            .map(|reason| {
                format!(
                    "overrode a freeze to {} {}: {reason}",
                    self.kind, self.environment
                )
            })
            .chain(self.guard_override.iter().map(|guard| {
                format!(
                    "overrode the config guard to {} {}: {guard}",
                    self.kind, self.environment
                )
            }))
            .collect();
        let override_audit = (!overrides.is_empty())
            .then(|| self.audit(now.timestamp(), "override", overrides.join("; ")));
        failpoint_wait("before-lock").await;
        say(&progress, "lock", format!("locking {}", self.subject()));
        let id = match store.begin_promotion(&new, override_audit.as_ref()).await? {
            Began::Started(id) => id,
            Began::Busy { promotion_id, holder, since } => {
                return Err(ApiError::new(
                    ErrorCode::PromotionInProgress,
                    format!(
                        "A promotion of {} is in progress by {holder} since {} (#{promotion_id}); wait for it to finish, then refresh.",
                        self.subject(),
                        rfc3339(time(since))
                    ),
                ))
            }
        };
        // Holding the lock now, look again: a run that won a race just before may have moved
        // the environment since this one was planned. Then nothing is done and nothing is
        // recorded — it was refused, not a failed deployment — and nobody is told.
        match positions(self.ws, &self.project, &self.environment).await {
            Ok((standing, _)) if standing == self.from => {}
            looked => {
                store.abandon_promotion(id).await?;
                return Err(match looked {
                    Ok((standing, _)) => ApiError::new(
                        ErrorCode::EnvironmentMoved,
                        format!(
                            "Refused, nothing was done: {} moved from {} to {} since this {} was planned (another run got there first); refresh and look again.",
                            self.subject(),
                            short(&self.from),
                            short(&standing),
                            self.kind
                        ),
                    ),
                    Err(e) => e,
                });
            }
        }
        let mut output = String::new();
        let fail = |reason: String, output: &str, ref_moved: bool| {
            let end = PromotionEnd {
                status: DeploymentStatus::Failed,
                reason: reason.clone(),
                output: output.to_string(),
                at: clock.now().timestamp(),
                ref_moved,
                record_deployment: false,
            };
            let audit = self.audit(
                end.at,
                self.kind.as_str(),
                format!(
                    "{} {} from {} to {} failed: {reason}",
                    self.kind,
                    self.environment,
                    short(&self.from),
                    short(&self.to)
                ),
            );
            let audit = AuditDraft {
                events: vec![notice::deployment_failed(
                    &self.facts(),
                    id,
                    &reason,
                    time(end.at),
                )],
                ..audit
            };
            (end, audit)
        };
        if cancel.is_cancelled() {
            let (end, audit) = fail(
                "cancelled before the ref moved; nothing was deployed".into(),
                "",
                false,
            );
            store.finish_promotion(id, &end, &audit).await?;
            return self.record(id).await;
        }

        // 1. Move the ref (push first: the remote is what others see).
        say(
            &progress,
            "push",
            match &tracking {
                TrackingRef::Database => {
                    "no ref to move: the deployment is recorded in Slipway".to_string()
                }
                _ => format!(
                    "moving {ref_written} from {} to {}",
                    short(&self.from),
                    short(&self.to)
                ),
            },
        );
        if let Err(e) = self.move_ref(&tracking, &ref_written).await {
            let (end, audit) = fail(format!("the ref did not move: {}", e.message), "", false);
            store.finish_promotion(id, &end, &audit).await?;
            say(&progress, "push", e.message.clone());
            return self.record(id).await;
        }
        store
            .advance_promotion(id, DeploymentStatus::Pushed, "")
            .await?;
        failpoint("after-push");

        // 2. The deploy action.
        let vars = self.variables(id);
        let acted = super::action::run_action(
            &settings.action,
            super::action::ActionRun {
                id,
                began: new.at,
                store,
                vars: &vars,
                repo: &self.project.repo_path,
                token: token.as_ref(),
                cancel,
                progress: &progress,
            },
        )
        .await;
        match acted {
            Ok(outcome) => {
                if let Some(o) = outcome {
                    output.push_str(&o.output);
                    cap(&mut output);
                }
                store
                    .advance_promotion(id, DeploymentStatus::Acted, &output)
                    .await?;
            }
            Err(e) => {
                let reason = format!("the deploy action failed after the ref moved: {}", e);
                if let DeployError::Exited { output: o, .. } = &e {
                    output.push_str(o);
                }
                cap(&mut output);
                say(&progress, "action", reason.clone());
                let (end, audit) = fail(reason, &output, true);
                store.finish_promotion(id, &end, &audit).await?;
                return self.record(id).await;
            }
        }
        failpoint("after-action");

        // 3. Verification.
        if let Some(v) = &settings.verification {
            let check = slipway_deploy::HealthCheck {
                url: v.url.clone(),
                timeout: std::time::Duration::from_secs(u64::from(v.timeout_secs)),
                interval: std::time::Duration::from_secs(u64::from(v.interval_secs)),
                healthy_status: None,
            };
            let step_progress = progress.clone();
            let mut on_line = move |line: String| say(&step_progress, "verify", line);
            say(&progress, "verify", format!("checking {}", v.url));
            match slipway_deploy::verify(&check, cancel, &mut on_line).await {
                Ok(o) => {
                    output.push_str(&o.output);
                    cap(&mut output);
                    store
                        .advance_promotion(id, DeploymentStatus::Verified, &output)
                        .await?;
                }
                Err(e) => {
                    let reason = format!("verification failed: {}", e);
                    say(&progress, "verify", reason.clone());
                    let (end, audit) = fail(reason, &output, true);
                    store.finish_promotion(id, &end, &audit).await?;
                    return self.record(id).await;
                }
            }
        }
        failpoint("before-record");

        // 4. The record.
        let end = PromotionEnd {
            status: DeploymentStatus::Succeeded,
            reason: String::new(),
            output: output.clone(),
            at: clock.now().timestamp(),
            ref_moved: true,
            record_deployment: matches!(tracking, TrackingRef::Database),
        };
        let audit = self.audit(
            end.at,
            self.kind.as_str(),
            format!(
                "{} {} from {} to {} ({} change(s)){}",
                self.kind,
                self.environment,
                short(&self.from),
                short(&self.to),
                self.changes.len(),
                self.audit_detail
            ),
        );
        let audit = AuditDraft {
            events: vec![notice::succeeded(&self.facts(), id, time(end.at))],
            ..audit
        };
        store.finish_promotion(id, &end, &audit).await?;
        say(&progress, "record", format!("{} succeeded", self.kind));
        self.record(id).await
    }

    pub(crate) async fn record(&self, id: i64) -> Result<DeploymentDto, ApiError> {
        let record = self.ws.store().promotion(id).await?.ok_or_else(|| {
            ApiError::new(
                ErrorCode::Internal,
                format!("Promotion #{id} vanished from the database."),
            )
        })?;
        Ok(DeploymentDto::from(&record))
    }

    pub(crate) fn variables(&self, id: i64) -> HashMap<&'static str, String> {
        HashMap::from([
            ("project", self.project.name.clone()),
            ("environment", self.environment.clone()),
            ("from_sha", self.from.clone()),
            ("to_sha", self.to.clone()),
            ("to_short", short(&self.to).to_string()),
            ("deployment_id", id.to_string()),
            ("by", self.by.clone()),
            ("kind", self.kind.to_string()),
            ("changes", self.changes.join(",")),
            ("prs", String::new()),
            ("tickets", String::new()),
        ])
    }

    /// Moves the environment's ref: the remote first (with a lease on where it stood), then
    /// the local ref. A failed push leaves both where they were.
    pub(crate) async fn move_ref(
        &self,
        tracking: &TrackingRef,
        ref_written: &str,
    ) -> Result<(), ApiError> {
        let path = self.project.repo_path.clone();
        let trunk = self.project.pipeline.trunk.clone();
        let tracking = tracking.clone();
        let ref_written = ref_written.to_string();
        let from = self.from.clone();
        let to = self.to.clone();
        let backwards = self.backwards;
        let message = format!(
            "slipway: {} {} to {} by {}",
            self.kind,
            self.environment,
            short(&self.to),
            self.by
        );
        let token = crate::secrets::https_token(self.ws.store(), &self.project.name).await;
        blocking(move || {
            let token = token.as_ref().map(|t| t.expose());
            let repo = Repo::open(&path)?;
            let remote = repo.remote_for(&trunk);
            let remote = repo.has_remote(&remote).then_some(remote);
            let from_oid = oid(&from)?;
            let to_oid = oid(&to)?;
            match tracking {
                TrackingRef::Branch(branch) => {
                    if let Some(remote) = &remote {
                        let lease = if backwards {
                            Lease::Force {
                                expected: Some(from_oid),
                            }
                        } else {
                            Lease::FastForward {
                                expected: Some(from_oid),
                            }
                        };
                        repo.push_ref(remote, &ref_written, to_oid, lease, token)?;
                    }
                    match repo.local_ref(&ref_written) {
                        Some(local) if local == to_oid => Ok(()),
                        Some(local) => repo.move_branch(&branch, local, to_oid, true, &message),
                        None => Err(GitError::RefMissing(branch)),
                    }
                }
                TrackingRef::Tags(_) => {
                    let name = ref_written.trim_start_matches("refs/tags/").to_string();
                    let tag = repo.create_tag(&name, to_oid, &message)?;
                    if let Some(remote) = &remote {
                        if let Err(e) =
                            repo.push_ref(remote, &ref_written, tag, Lease::Create, token)
                        {
                            repo.delete_tag(&name)?;
                            return Err(e);
                        }
                    }
                    Ok(())
                }
                TrackingRef::Database => Ok(()),
            }
        })
        .await
    }
}

pub(crate) fn oid(sha: &str) -> Result<Oid, GitError> {
    Oid::from_str(sha).map_err(|_| GitError::RefMissing(sha.to_string()))
}
