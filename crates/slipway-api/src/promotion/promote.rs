//! Promoting an environment to a change of its upstream, and redeploying what it runs.

use slipway_core::{DeploymentKind, DeploymentStatus, GateAsk, Project};
use slipway_git::{GitError, Repo};

use crate::dto::DeploymentDto;
use crate::error::{invalid, ApiError, ErrorCode};
use crate::gates::load_gates;
use crate::projects::environment_index;
use crate::repos::{blocking, recorded, stages_of};
use crate::time::short;
use crate::workspace::Workspace;

use super::plan::{check, used_override, Plan, PromoteInputDto};
use super::reconcile::reconcile_interrupted;
use super::run::{oid, Run, RunContext};

/// Promotes an environment up to a change: checks the gates, then runs every step. A
/// failure after the lock is recorded as a failed deployment (returned, not an error).
pub async fn promote(ctx: &RunContext, input: &PromoteInputDto) -> Result<DeploymentDto, ApiError> {
    let (ws, by, clock, progress, cancel) = ctx.parts();
    reconcile_interrupted(ws, clock).await?;
    let Plan {
        dto: plan,
        evaluation,
        guard_override,
    } = super::plan(ws, input, clock).await?;
    if let Some(running) = &plan.in_progress {
        return Err(ApiError::new(
            ErrorCode::PromotionInProgress,
            format!(
                "A promotion of {}/{} is in progress: {running}; wait for it to finish, then refresh.",
                input.project, input.environment
            ),
        ));
    }
    if let Some(expected) = input.expected_from.as_deref().filter(|e| !e.is_empty()) {
        if !plan.preview.from.sha.starts_with(expected) {
            return Err(ApiError::new(
                ErrorCode::EnvironmentMoved,
                format!(
                    "{} moved to {} since you looked (you saw {}); refresh and look again.",
                    input.environment,
                    plan.preview.from.short_sha,
                    short(expected)
                ),
            ));
        }
    }
    let Some(to) = plan.preview.to.clone() else {
        return Err(ApiError::new(
            ErrorCode::NotAllowed,
            format!(
                "Nothing waits for {}: it has everything {} has.",
                input.environment, plan.preview.upstream
            ),
        ));
    };
    let evaluation = check(evaluation)?;
    if !plan.ride_along.is_empty() && !input.accept_ride_along {
        return Err(ApiError::new(
            ErrorCode::GateBlocked,
            format!(
                "{} change(s) would ride along without their sign-off ({}); confirm to ship them anyway.",
                plan.ride_along.len(),
                plan.ride_along.iter().map(|s| short(s)).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let project = ws.project(&input.project).await?;
    let ride = if plan.ride_along.is_empty() {
        String::new()
    } else {
        format!(
            "; rode along without sign-off: {}",
            plan.ride_along
                .iter()
                .map(|s| short(s))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Run {
        ws,
        project,
        environment: input.environment.clone(),
        kind: DeploymentKind::Promote,
        notes: plan.preview.release_notes.clone(),
        why: String::new(),
        from: plan.preview.from.sha.clone(),
        to: to.sha,
        changes: plan
            .preview
            .shipping
            .iter()
            .map(|c| c.sha.clone())
            .collect(),
        by: by.to_string(),
        override_reason: used_override(&evaluation, input.override_reason.as_ref()),
        guard_override,
        hold: None,
        follow_up: None,
        backwards: false,
        audit_detail: ride,
    }
    .execute(clock, progress, cancel)
    .await
}

/// Where an environment stands now and the earlier positions it can go back to.
pub(crate) async fn positions(
    ws: &Workspace,
    project: &Project,
    environment: &str,
) -> Result<(String, Vec<String>), ApiError> {
    let recorded = recorded(ws, &project.name).await?;
    let project2 = project.clone();
    let index = environment_index(project, environment)?;
    let (now, moves) = blocking(move || {
        let repo = Repo::open(&project2.repo_path)?;
        let stages = stages_of(&repo, &project2, &recorded);
        let stage = stages
            .into_iter()
            .nth(index)
            .ok_or_else(|| GitError::RefMissing("environment".into()))??;
        Ok((
            stage.oid.to_string(),
            stage
                .moves
                .iter()
                .rev()
                .map(|(_, o)| o.to_string())
                .collect::<Vec<_>>(),
        ))
    })
    .await?;
    let succeeded_from: Vec<String> = ws
        .store()
        .promotions(&project.name, Some(environment), 200)
        .await?
        .into_iter()
        .filter(|p| p.status == DeploymentStatus::Succeeded)
        .map(|p| p.spec.from_sha)
        .collect();
    let earlier = slipway_core::rollback_targets(&now, succeeded_from, moves);
    Ok((now, earlier))
}

/// Deployment `id` as recorded, or a clear "there is none".
pub(crate) async fn deployment_record(
    ws: &Workspace,
    id: i64,
) -> Result<slipway_store::PromotionRecord, ApiError> {
    ws.store()
        .promotion(id)
        .await?
        .ok_or_else(|| invalid(format!("There is no deployment #{id}.")))
}

/// Runs an earlier deployment again: the same commit, through the deploy action and
/// verification (moving the ref back or forward to it with a lease when it stands elsewhere).
pub async fn redeploy(ctx: &RunContext, deployment: i64) -> Result<DeploymentDto, ApiError> {
    let (ws, by, clock, progress, cancel) = ctx.parts();
    reconcile_interrupted(ws, clock).await?;
    let record = deployment_record(ws, deployment).await?;
    let project = ws.project(&record.spec.project).await?;
    let now = clock.now().timestamp();
    let gates = load_gates(ws, &project.name, &record.spec.environment, now).await?;
    check(gates.evaluate(GateAsk::Redeploy))?;
    let (current, _) = positions(ws, &project, &record.spec.environment).await?;
    let target = record.spec.to_sha.clone();
    let path = project.repo_path.clone();
    let (cur, tgt) = (current.clone(), target.clone());
    let forward = blocking(move || {
        let repo = Repo::open(&path)?;
        repo.is_ancestor(oid(&cur)?, oid(&tgt)?)
    })
    .await?;
    Run {
        ws,
        project,
        environment: record.spec.environment.clone(),
        kind: DeploymentKind::Redeploy,
        notes: String::new(),
        why: format!("again as #{deployment}"),
        from: current.clone(),
        to: target,
        changes: record.spec.changes.clone(),
        by: by.to_string(),
        override_reason: None,
        guard_override: None,
        hold: None,
        follow_up: None,
        backwards: !forward,
        audit_detail: format!("; again as #{deployment}"),
    }
    .execute(clock, progress, cancel)
    .await
}
