//! Rolling an environment back to an earlier good deployment: a hold, bad marks and a
//! follow-up come with it.

use serde::{Deserialize, Serialize};
use slipway_core::{BadMark, DeploymentKind, GateAsk, Hold};
use slipway_git::Repo;
use slipway_store::AuditDraft;
use ts_rs::TS;

use crate::dto::{ChangeDto, DeploymentDto};
use crate::error::{invalid, ApiError, ErrorCode};
use crate::follow_ups::new_follow_up;
use crate::gates::load_gates;
use crate::projects::environment_index;
use crate::repos::blocking;
use crate::time::short;
use crate::workspace::Workspace;

use super::plan::{check, used_override};
use super::promote::positions;
use super::reconcile::reconcile_interrupted;
use super::run::{oid, Run, RunContext};

/// A rollback as asked for.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct RollbackInputDto {
    /// Project name.
    pub project: String,
    /// Environment name.
    pub environment: String,
    /// The earlier deployment's commit to go back to (default: where it stood before).
    #[serde(default)]
    pub to: Option<String>,
    /// Why: the hold and follow-up carry it.
    pub reason: String,
    /// Changes to mark bad (they go no further downstream until unmarked).
    #[serde(default)]
    pub mark_bad: Vec<String>,
    /// A reason, to roll back through a freeze window.
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// Rolls an environment back to an earlier deployment (default: where it stood before),
/// puts a hold on it, opens a follow-up, and marks the changes the person picked as bad.
pub async fn rollback(
    ctx: &RunContext,
    input: &RollbackInputDto,
) -> Result<DeploymentDto, ApiError> {
    let (ws, by, clock, progress, cancel) = ctx.parts();
    reconcile_interrupted(ws, clock).await?;
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(invalid(
            "A rollback needs a reason: the hold and the follow-up carry it.",
        ));
    }
    let project = ws.project(&input.project).await?;
    let (current, target, removed) = rollback_range(ws, &project, input).await?;
    let now = clock.now().timestamp();
    let gates = load_gates(ws, &input.project, &input.environment, now).await?;
    let evaluation = check(gates.evaluate(GateAsk::Rollback {
        override_reason: input.override_reason.as_deref(),
    }))?;
    for sha in &input.mark_bad {
        let full = removed
            .iter()
            .find(|r| r.starts_with(sha.as_str()))
            .cloned()
            .unwrap_or_default();
        ws.store()
            .mark_bad(
                &input.project,
                &BadMark {
                    sha: full.clone(),
                    reason: reason.to_string(),
                    by: by.to_string(),
                },
                &AuditDraft {
                    at: now,
                    actor: by.to_string(),
                    action: "mark_bad".into(),
                    subject: format!("{}@{}", input.project, short(&full)),
                    detail: format!(
                        "marked bad while rolling back {}: {reason}",
                        input.environment
                    ),
                    events: Vec::new(),
                },
            )
            .await?;
    }
    let follow_up = new_follow_up(
        ws,
        &project.name,
        format!(
            "Postmortem for the rollback of {} from {} to {}: {reason}",
            input.environment,
            short(&current),
            short(&target)
        ),
        by,
        clock.now(),
        None,
    )
    .await?;
    Run {
        ws,
        project,
        environment: input.environment.clone(),
        kind: DeploymentKind::Rollback,
        notes: reason.to_string(),
        why: reason.to_string(),
        from: current.clone(),
        to: target.clone(),
        changes: removed,
        by: by.to_string(),
        override_reason: used_override(&evaluation, input.override_reason.as_ref()),
        guard_override: None,
        hold: Some(Hold {
            reason: format!("rolled back: {reason}"),
            owner: by.to_string(),
            since: now,
        }),
        follow_up: Some(follow_up),
        backwards: true,
        audit_detail: format!("; reason: {reason}"),
    }
    .execute(clock, progress, cancel)
    .await
}

/// Where a rollback would go and what it removes (first-parent changes, newest last), after
/// checking the target is an earlier deployment and every change to mark bad is removed.
pub(crate) async fn rollback_range(
    ws: &Workspace,
    project: &slipway_core::Project,
    input: &RollbackInputDto,
) -> Result<(String, String, Vec<String>), ApiError> {
    let project = project.clone();
    environment_index(&project, &input.environment)?;
    let (current, earlier) = positions(ws, &project, &input.environment).await?;
    let target = match input.to.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(want) => earlier
            .iter()
            .find(|s| s.starts_with(want.trim()))
            .cloned()
            .ok_or_else(|| {
                invalid(format!(
                    "{want:?} is not an earlier deployment of {}; pick one from its history.",
                    input.environment
                ))
            })?,
        None => earlier.first().cloned().ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotAllowed,
                format!(
                    "{} has no earlier deployment to go back to.",
                    input.environment
                ),
            )
        })?,
    };
    // What goes away: the first-parent changes between the target and now.
    let path = project.repo_path.clone();
    let (cur, tgt) = (current.clone(), target.clone());
    let removed: Vec<String> = blocking(move || {
        let repo = Repo::open(&path)?;
        repo.first_parent_between(oid(&tgt)?, oid(&cur)?)
    })
    .await?;
    for sha in &input.mark_bad {
        if !removed.iter().any(|r| r.starts_with(sha.as_str())) {
            return Err(invalid(format!(
                "{sha:?} is not among the changes this rollback removes; only those can be marked bad here."
            )));
        }
    }
    Ok((current, target, removed))
}

/// An earlier position an environment can be rolled back to.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RollbackTargetDto {
    /// The commit it would go back to.
    pub change: ChangeDto,
    /// The changes going back there removes, oldest first (candidates to mark bad).
    pub removes: Vec<ChangeDto>,
}

/// Where an environment stands and where it can go back to, newest first (at most 10).
#[derive(Debug, Clone, Serialize, TS)]
pub struct RollbackOptionsDto {
    /// Project name.
    pub project: String,
    /// Environment name.
    pub environment: String,
    /// Where it stands.
    pub current: ChangeDto,
    /// Earlier positions, the previous one first (the default).
    pub targets: Vec<RollbackTargetDto>,
}

/// The rollback dialog's choices.
pub async fn rollback_options(
    ws: &Workspace,
    project: &str,
    environment: &str,
) -> Result<RollbackOptionsDto, ApiError> {
    let found = ws.project(project).await?;
    environment_index(&found, environment)?;
    let (current, earlier) = positions(ws, &found, environment).await?;
    let path = found.repo_path.clone();
    let (current_dto, targets) = blocking(move || {
        let mut repo = Repo::open(&path)?;
        let now = oid(&current)?;
        let current_dto = ChangeDto::from(&*repo.change(now)?);
        let mut targets = Vec::new();
        for sha in earlier.iter().take(10) {
            let Ok(target) = oid(sha) else { continue };
            let Ok(change) = repo.change(target) else {
                continue;
            };
            let removes = repo
                .first_parent_between(target, now)?
                .iter()
                .filter_map(|s| oid(s).ok())
                .filter_map(|o| repo.change(o).ok())
                .map(|c| ChangeDto::from(&*c))
                .collect();
            targets.push(RollbackTargetDto {
                change: ChangeDto::from(&*change),
                removes,
            });
        }
        Ok((current_dto, targets))
    })
    .await?;
    Ok(RollbackOptionsDto {
        project: project.to_string(),
        environment: environment.to_string(),
        current: current_dto,
        targets,
    })
}
