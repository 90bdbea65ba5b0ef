//! The hotfix lane: a fix straight onto the broken environment's line.

use serde::Deserialize;
use slipway_core::{cherry_pick_message, Clock, DeploymentKind, GateAsk, TrackingRef};
use slipway_git::Repo;
use ts_rs::TS;

use crate::dto::DeploymentDto;
use crate::error::{invalid, ApiError, ErrorCode};
use crate::gates::load_gates;
use crate::guard::scan::{guard_verdicts, used_guard_override};
use crate::preview::{previewed, Previewed};
use crate::projects::environment_index;
use crate::repos::{blocking, RepoCache};
use crate::time::short;
use crate::workspace::Workspace;

use super::plan::{check, used_override, verdict_dtos, VerdictDto};
use super::reconcile::reconcile_interrupted;
use super::run::{oid, say, Run, RunContext};

/// A hotfix as asked for: bring one fix to an environment without what waits before it.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct HotfixInputDto {
    /// Project name.
    pub project: String,
    /// Environment name.
    pub environment: String,
    /// The fix (sha or prefix), queued for the environment.
    pub fix: String,
    /// A reason, to go through a freeze window.
    #[serde(default)]
    pub override_reason: Option<String>,
    /// A reason, to ship past the config guard's block (audited).
    #[serde(default)]
    pub guard_override_reason: Option<String>,
}

/// The fix as it would ship, and its gates' verdicts: only the fix is gated, what waits
/// before it stays behind. The config guard reads the lines the fix itself brings (its
/// findings whose introducing change is the fix); the third value is the guard override's
/// audit words, when one was used.
pub(crate) async fn gate_fix(
    ws: &Workspace,
    input: &HotfixInputDto,
    clock: &dyn Clock,
) -> Result<(Previewed, slipway_core::Evaluation, Option<String>), ApiError> {
    let plan = previewed(
        ws,
        &mut RepoCache::new(),
        &input.project,
        &input.environment,
        Some(&input.fix),
    )
    .await?;
    let fix = plan
        .shipping
        .last()
        .ok_or_else(|| invalid("Nothing to hotfix."))?;
    let gates = load_gates(
        ws,
        &input.project,
        &input.environment,
        clock.now().timestamp(),
    )
    .await?;
    let mut evaluation = gates.evaluate(GateAsk::Ship {
        shipping: std::slice::from_ref(fix),
        override_reason: input.override_reason.as_deref(),
    });
    let mut report = plan.guard.clone();
    let fix_sha = plan
        .dto
        .to
        .as_ref()
        .map(|c| c.sha.clone())
        .unwrap_or_default();
    report
        .findings
        .retain(|f| f.change.as_deref().is_none_or(|c| c == fix_sha));
    let verdicts = guard_verdicts(
        &report,
        &plan.guard_settings,
        &gates,
        Some(&fix_sha),
        input
            .guard_override_reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty()),
    );
    let guard_override = used_guard_override(&verdicts, &report);
    evaluation.verdicts.extend(verdicts);
    Ok((plan, evaluation, guard_override))
}

/// What the hotfix lane's gates say about one fix (only the fix is gated), without running
/// it: every verdict, blocking ones first.
pub async fn plan_hotfix(
    ws: &Workspace,
    input: &HotfixInputDto,
    clock: &dyn Clock,
) -> Result<Vec<VerdictDto>, ApiError> {
    Ok(verdict_dtos(&gate_fix(ws, input, clock).await?.1))
}

/// Brings one fix to an environment without the unverified changes queued before it: the
/// fix is cherry-picked onto the environment's line and that commit is promoted. A fix that
/// does not apply cleanly is reported and nothing is changed.
pub async fn hotfix(ctx: &RunContext, input: &HotfixInputDto) -> Result<DeploymentDto, ApiError> {
    let (ws, by, clock, progress, cancel) = ctx.parts();
    reconcile_interrupted(ws, clock).await?;
    let project = ws.project(&input.project).await?;
    let index = environment_index(&project, &input.environment)?;
    if !matches!(
        project.pipeline.environments[index].tracking,
        TrackingRef::Branch(_)
    ) {
        return Err(ApiError::new(
            ErrorCode::NotAllowed,
            format!(
                "The hotfix lane needs {} tracked by a branch; promote up to the fix instead.",
                input.environment
            ),
        ));
    }
    let (plan, evaluation, guard_override) = gate_fix(ws, input, clock).await?;
    let evaluation = check(evaluation)?;
    let fix = plan
        .dto
        .to
        .clone()
        .ok_or_else(|| invalid("Nothing to hotfix."))?;
    let from = plan.dto.from.sha.clone();
    let path = project.repo_path.clone();
    let (fix_sha, onto) = (fix.sha.clone(), from.clone());
    // The person is the committer of the cherry-pick: their name as the workspace knows it.
    let name = ws
        .store()
        .people()
        .await?
        .into_iter()
        .find(|p| p.email.eq_ignore_ascii_case(by) && !p.name.trim().is_empty())
        .map_or_else(
            || by.split('@').next().unwrap_or(by).to_string(),
            |p| p.name,
        );
    let email = by.to_string();
    let picked = if plan.dto.shipping.len() == 1 {
        // Nothing waits before the fix: promote up to it.
        fix.sha.clone()
    } else {
        say(
            &progress,
            "push",
            format!("cherry-picking {} onto {}", short(&fix_sha), short(&onto)),
        );
        blocking(move || {
            let repo = Repo::open(&path)?;
            let fix = oid(&fix_sha)?;
            let message = cherry_pick_message(&repo.commit_message(fix)?);
            Ok(repo
                .cherry_pick_onto(fix, oid(&onto)?, Some(&message), Some((&name, &email)))?
                .to_string())
        })
        .await?
    };
    Run {
        ws,
        project,
        environment: input.environment.clone(),
        kind: DeploymentKind::Hotfix,
        notes: String::new(),
        why: String::new(),
        from,
        to: picked.clone(),
        changes: vec![fix.sha.clone()],
        by: by.to_string(),
        override_reason: used_override(&evaluation, input.override_reason.as_ref()),
        guard_override,
        hold: None,
        follow_up: None,
        backwards: false,
        audit_detail: if picked == fix.sha {
            String::new()
        } else {
            format!("; {} cherry-picked as {}", short(&fix.sha), short(&picked))
        },
    }
    .execute(clock, progress, cancel)
    .await
}
