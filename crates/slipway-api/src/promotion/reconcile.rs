//! Runs a crashed process left unfinished, ended truthfully from the remote ref on the
//! next start.

use slipway_core::{reconcile, Clock, DeploymentStatus, Interrupted, TrackingRef};
use slipway_git::Repo;
use slipway_store::{AuditDraft, PromotionEnd};

use crate::dto::DeploymentDto;
use crate::error::ApiError;
use crate::identity::host_name;
use crate::repos::blocking;
use crate::time::short;
use crate::workspace::Workspace;

use super::action::action_marker_of;
use super::run::oid;
use slipway_deploy::Stopped;

/// How long after its start (beyond its action's and check's time limits) an unfinished
/// promotion of a process that cannot be asked counts as abandoned.
pub(crate) const LEASE_MARGIN_SECS: i64 = 300;

pub(crate) fn process_alive(pid: i64) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name in parentheses; Z is a zombie, X dead.
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

/// [`reconcile_interrupted`] before a read that must not fail for it (the board, a history):
/// a run that cannot be reconciled now (a remote that does not answer) is logged and left
/// for the next read.
pub(crate) async fn reconcile_before_read(ws: &Workspace, clock: &dyn Clock) {
    if let Err(e) = reconcile_interrupted(ws, clock).await {
        tracing::warn!(error = %e.message, "could not reconcile interrupted promotions");
    }
}

/// Ends every promotion a crashed or killed process left unfinished, from what the
/// environment's ref and the last recorded step show. Running promotions of live processes
/// are left alone. Returns the ones it ended.
pub async fn reconcile_interrupted(
    ws: &Workspace,
    clock: &dyn Clock,
) -> Result<Vec<DeploymentDto>, ApiError> {
    let now = clock.now().timestamp();
    let here = host_name();
    let mut ended = Vec::new();
    for p in ws.store().unfinished_promotions().await? {
        let abandoned = if p.spec.host == here {
            !process_alive(p.spec.pid)
        } else {
            now > p.spec.lease_until
        };
        if !abandoned {
            continue;
        }
        // A deploy command the dead run left running is stopped first: the environment stays
        // locked while it cannot be.
        let mut stopped_note = String::new();
        if p.spec.host == here && p.spec.has_action {
            let marker = action_marker_of(p.id, p.spec.at, p.spec.pid);
            let pgid = p.action_pgid;
            match blocking(move || Ok(slipway_deploy::stop_left_running(&marker))).await? {
                Stopped::NothingRunning => {}
                Stopped::Killed(n) => {
                    tracing::warn!(
                        promotion = p.id,
                        pgid,
                        processes = n,
                        "stopped a deploy command its killed run left running"
                    );
                    stopped_note = format!(
                        "its deploy command was still running ({n} process{}) and was stopped; ",
                        if n == 1 { "" } else { "es" }
                    );
                }
                Stopped::StillRunning(n) => {
                    tracing::warn!(
                        promotion = p.id,
                        pgid,
                        processes = n,
                        "the deploy command of an interrupted run is still running and could not be stopped; the environment stays locked"
                    );
                    continue;
                }
            }
        }
        let project = ws.project(&p.spec.project).await?;
        let tracking = project
            .pipeline
            .environments
            .iter()
            .find(|e| e.name == p.spec.environment)
            .map(|e| e.tracking.clone())
            .unwrap_or(TrackingRef::Database);
        let path = project.repo_path.clone();
        let trunk = project.pipeline.trunk.clone();
        let ref_written = p.spec.ref_written.clone();
        let (from, to) = (p.spec.from_sha.clone(), p.spec.to_sha.clone());
        let token = crate::secrets::https_token(ws.store(), &project.name).await;
        let tracking2 = tracking.clone();
        // Where the ref stands now: the remote's, when there is one.
        let now_at: Option<String> = blocking(move || {
            let token = token.as_ref().map(|t| t.expose());
            let repo = Repo::open(&path)?;
            let remote = repo.remote_for(&trunk);
            let at = match (&tracking2, repo.has_remote(&remote)) {
                (TrackingRef::Database, _) => Some(oid(&from)?),
                (TrackingRef::Tags(_), true) => repo
                    .remote_ref(&remote, &ref_written, token)?
                    .map(|_| oid(&to))
                    .transpose()?
                    .or(Some(oid(&from)?)),
                (TrackingRef::Tags(_), false) => repo
                    .local_ref(&ref_written)
                    .map(|_| oid(&to))
                    .transpose()?
                    .or(Some(oid(&from)?)),
                (TrackingRef::Branch(_), true) => repo.remote_ref(&remote, &ref_written, token)?,
                (TrackingRef::Branch(_), false) => repo.local_ref(&ref_written),
            };
            Ok(at.map(|o| o.to_string()))
        })
        .await?;
        let mut found = reconcile(&Interrupted {
            status: p.status,
            from: &p.spec.from_sha,
            to: &p.spec.to_sha,
            now_at: now_at.as_deref(),
            has_action: p.spec.has_action,
            has_verification: p.spec.has_verification,
        });
        found.reason.insert_str(0, &stopped_note);
        // The push happened and the local move did not: bring the local branch along.
        if found.moved {
            if let TrackingRef::Branch(branch) = &tracking {
                let path = project.repo_path.clone();
                let (branch, refname, to) = (
                    branch.clone(),
                    p.spec.ref_written.clone(),
                    p.spec.to_sha.clone(),
                );
                let message = format!("slipway: reconciled {} #{}", p.spec.kind, p.id);
                blocking(move || {
                    let repo = Repo::open(&path)?;
                    match repo.local_ref(&refname) {
                        Some(local) if local.to_string() != to => {
                            repo.move_branch(&branch, local, oid(&to)?, true, &message)
                        }
                        _ => Ok(()),
                    }
                })
                .await?;
            }
        }
        let end = PromotionEnd {
            status: found.status,
            reason: found.reason.clone(),
            output: p.output.clone(),
            at: now,
            ref_moved: found.moved || p.status != DeploymentStatus::Started,
            record_deployment: found.status == DeploymentStatus::Succeeded
                && matches!(tracking, TrackingRef::Database),
        };
        let audit = AuditDraft {
            at: now,
            actor: "slipway".into(),
            action: p.spec.kind.to_string(),
            subject: format!("{}/{}", p.spec.project, p.spec.environment),
            detail: format!(
                "{} {} from {} to {} by {} ended on reconcile: {} ({})",
                p.spec.kind,
                p.spec.environment,
                short(&p.spec.from_sha),
                short(&p.spec.to_sha),
                p.spec.by,
                found.status.as_str(),
                found.reason
            ),
            events: Vec::new(),
        };
        if ws.store().finish_promotion(p.id, &end, &audit).await? {
            tracing::warn!(
                promotion = p.id,
                status = found.status.as_str(),
                "reconciled an interrupted promotion"
            );
            if let Some(r) = ws.store().promotion(p.id).await? {
                ended.push(DeploymentDto::from(&r));
            }
        }
    }
    Ok(ended)
}
