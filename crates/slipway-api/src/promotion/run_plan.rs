//! The plan of a rollback, a hotfix or a redeploy: what the run would move and carry, every
//! gate's verdict, what moves and what runs — the same answer `promote` gives before it acts,
//! so `--json` without `--yes` always prints what would happen. Planning changes nothing.

use serde::Serialize;
use slipway_core::{Clock, DeploymentKind, Evaluation, GateAsk, Project};
use slipway_git::Repo;
use ts_rs::TS;

use crate::dto::{ChangeDto, DeploymentKindDto};
use crate::error::{invalid, ApiError};
use crate::gates::load_gates;
use crate::projects::environment_index;
use crate::repos::blocking;
use crate::workspace::Workspace;

use super::hotfix::{gate_fix, HotfixInputDto};
use super::plan::{run_steps, verdict_dtos, RunSteps, VerdictDto};
use super::promote::{deployment_record, positions};
use super::rollback::{rollback_range, RollbackInputDto};
use super::run::oid;

/// What a rollback, hotfix or redeploy would do, before anything is done.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RunPlanDto {
    /// Rollback, hotfix or redeploy.
    pub kind: DeploymentKindDto,
    /// Project name.
    pub project: String,
    /// Environment name.
    pub environment: String,
    /// Where the environment stands now.
    pub from: ChangeDto,
    /// Where it would stand: the earlier deployment, the deployment run again, or the fix
    /// (cherry-picked onto `from` when changes wait before it).
    pub to: ChangeDto,
    /// What the run carries: the changes a rollback removes, the one fix a hotfix ships, what
    /// the redeployed run shipped; oldest first.
    pub changes: Vec<ChangeDto>,
    /// Every gate's verdict, blocking ones first.
    pub verdicts: Vec<VerdictDto>,
    /// Whether nothing blocks it.
    pub allowed: bool,
    /// What moves, in words.
    pub moves: String,
    /// The deploy action, in words.
    pub action: String,
    /// The verification, in words, if any.
    pub verification: Option<String>,
    /// A run of this environment already under way: who and since when.
    pub in_progress: Option<String>,
}

/// What rolling back would do: where to, what it removes, and what the gates say.
pub async fn plan_rollback(
    ws: &Workspace,
    input: &RollbackInputDto,
    clock: &dyn Clock,
) -> Result<RunPlanDto, ApiError> {
    let project = ws.project(&input.project).await?;
    let (current, target, removed) = rollback_range(ws, &project, input).await?;
    let gates = load_gates(
        ws,
        &project.name,
        &input.environment,
        clock.now().timestamp(),
    )
    .await?;
    let evaluation = gates.evaluate(GateAsk::Rollback {
        override_reason: input.override_reason.as_deref(),
    });
    let facts = RunFacts {
        kind: DeploymentKind::Rollback,
        environment: &input.environment,
        from: current,
        to: target,
        changes: removed,
    };
    facts.plan(ws, &project, &evaluation, clock).await
}

/// What the hotfix lane would do with one fix: the fix alone, and what the gates say.
pub async fn plan_hotfix_run(
    ws: &Workspace,
    input: &HotfixInputDto,
    clock: &dyn Clock,
) -> Result<RunPlanDto, ApiError> {
    let project = ws.project(&input.project).await?;
    environment_index(&project, &input.environment)?;
    let (previewed, evaluation, _) = gate_fix(ws, input, clock).await?;
    let fix = previewed
        .dto
        .to
        .clone()
        .ok_or_else(|| invalid("Nothing to hotfix."))?;
    let facts = RunFacts {
        kind: DeploymentKind::Hotfix,
        environment: &input.environment,
        from: previewed.dto.from.sha.clone(),
        to: fix.sha.clone(),
        changes: vec![fix.sha],
    };
    facts.plan(ws, &project, &evaluation, clock).await
}

/// What running deployment `deployment` again would do, and what the gates say.
pub async fn plan_redeploy(
    ws: &Workspace,
    deployment: i64,
    clock: &dyn Clock,
) -> Result<RunPlanDto, ApiError> {
    let record = deployment_record(ws, deployment).await?;
    let project = ws.project(&record.spec.project).await?;
    let environment = record.spec.environment.clone();
    let gates = load_gates(ws, &project.name, &environment, clock.now().timestamp()).await?;
    let evaluation = gates.evaluate(GateAsk::Redeploy);
    let (current, _) = positions(ws, &project, &environment).await?;
    let facts = RunFacts {
        kind: DeploymentKind::Redeploy,
        environment: &environment,
        from: current,
        to: record.spec.to_sha.clone(),
        changes: record.spec.changes.clone(),
    };
    facts.plan(ws, &project, &evaluation, clock).await
}

/// What every run plan is made of.
struct RunFacts<'a> {
    kind: DeploymentKind,
    environment: &'a str,
    from: String,
    to: String,
    changes: Vec<String>,
}

impl RunFacts<'_> {
    async fn plan(
        self,
        ws: &Workspace,
        project: &Project,
        evaluation: &Evaluation,
        clock: &dyn Clock,
    ) -> Result<RunPlanDto, ApiError> {
        let RunSteps {
            moves,
            action,
            verification,
            in_progress,
        } = run_steps(ws, project, self.environment, clock).await?;
        let path = project.repo_path.clone();
        let (from, to, shas) = (self.from.clone(), self.to.clone(), self.changes.clone());
        let (from, to, changes) = blocking(move || {
            let mut repo = Repo::open(&path)?;
            let mut read = |sha: &str| -> Result<ChangeDto, slipway_git::GitError> {
                Ok(ChangeDto::from(&*repo.change(oid(sha)?)?))
            };
            let changes = shas
                .iter()
                .map(|s| read(s))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((read(&from)?, read(&to)?, changes))
        })
        .await?;
        Ok(RunPlanDto {
            kind: self.kind.into(),
            project: project.name.clone(),
            environment: self.environment.to_string(),
            allowed: evaluation.allowed() && in_progress.is_none(),
            verdicts: verdict_dtos(evaluation),
            moves,
            action,
            verification,
            in_progress,
            from,
            to,
            changes,
        })
    }
}
