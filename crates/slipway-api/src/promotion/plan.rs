//! The plan of a promotion: what ships, every gate's verdict, the ride-alongs, what moves
//! and what runs. Planning changes nothing.

use serde::{Deserialize, Serialize};
use slipway_core::{Clock, DeployAction, GateAsk, Project, TrackingRef};
use slipway_git::{tag_name_for, Repo};
use slipway_store::DeploySettings;
use ts_rs::TS;

use crate::dto::{running_words, wire_words};
use crate::error::{ApiError, ErrorCode};
use crate::gates::load_gates;
use crate::guard::scan::{guard_verdicts, used_guard_override};
use crate::preview::{previewed, PreviewDto, Previewed};
use crate::projects::environment_index;
use crate::repos::{blocking, RepoCache};
use crate::workspace::Workspace;

/// Which gate spoke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum GateKindDto {
    /// A hold on the environment.
    Hold,
    /// A freeze window.
    Freeze,
    /// The sign-off rule for the target change.
    Signoff,
    /// A change shipping without its sign-off.
    RideAlong,
    /// A change marked bad.
    Bad,
    /// The config guard: another environment's settings, a denied setting, path scope.
    Config,
    /// Text in what ships that looks like a secret.
    Secret,
}

impl From<slipway_core::GateKind> for GateKindDto {
    fn from(k: slipway_core::GateKind) -> Self {
        use slipway_core::GateKind as K;
        match k {
            K::Hold => GateKindDto::Hold,
            K::Freeze => GateKindDto::Freeze,
            K::Signoff => GateKindDto::Signoff,
            K::RideAlong => GateKindDto::RideAlong,
            K::Bad => GateKindDto::Bad,
            K::Config => GateKindDto::Config,
            K::Secret => GateKindDto::Secret,
        }
    }
}

/// What a gate says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeDto {
    /// Nothing in the way.
    Pass,
    /// Worth a look; does not stop the promotion.
    Warn,
    /// Stops the promotion.
    Block,
    /// Would block, but was overridden with a reason.
    Overridden,
}

impl From<slipway_core::Outcome> for OutcomeDto {
    fn from(o: slipway_core::Outcome) -> Self {
        use slipway_core::Outcome as O;
        match o {
            O::Pass => OutcomeDto::Pass,
            O::Warn => OutcomeDto::Warn,
            O::Block => OutcomeDto::Block,
            O::Overridden => OutcomeDto::Overridden,
        }
    }
}

/// What a gate says about a promotion.
#[derive(Debug, Clone, Serialize, TS)]
pub struct VerdictDto {
    /// Which gate.
    pub kind: GateKindDto,
    /// What it says.
    pub outcome: OutcomeDto,
    /// The verdict as a sentence.
    pub sentence: String,
    /// The change it is about, if one.
    pub sha: Option<String>,
}

/// What promoting (or rolling back) would do, before anything is done.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PlanDto {
    /// What would ship.
    pub preview: PreviewDto,
    /// Every gate's verdict, blocking ones first.
    pub verdicts: Vec<VerdictDto>,
    /// Shas that would ship without their sign-off (confirm to ship them anyway).
    pub ride_along: Vec<String>,
    /// Whether nothing blocks.
    pub allowed: bool,
    /// What moves: "push deploy/staging to origin", "tag production/…", "record in Slipway".
    pub moves: String,
    /// The deploy action, in words.
    pub action: String,
    /// The verification, in words, if any.
    pub verification: Option<String>,
    /// A promotion of this environment already running: who and since when.
    pub in_progress: Option<String>,
}

/// A promotion as asked for.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct PromoteInputDto {
    /// Project name.
    pub project: String,
    /// Environment name.
    pub environment: String,
    /// Promote up to this change (sha or prefix); default everything queued.
    #[serde(default)]
    pub to: Option<String>,
    /// Where the person saw the environment stand (refused if it moved since).
    #[serde(default)]
    pub expected_from: Option<String>,
    /// A reason, to promote through a freeze window.
    #[serde(default)]
    pub override_reason: Option<String>,
    /// A reason, to promote past the config guard's block (audited).
    #[serde(default)]
    pub guard_override_reason: Option<String>,
    /// Ship changes that lack their sign-off along with the target.
    #[serde(default)]
    pub accept_ride_along: bool,
}

/// Runs the gates and turns the first blocking verdict into an error.
pub(crate) fn check(
    evaluation: slipway_core::Evaluation,
) -> Result<slipway_core::Evaluation, ApiError> {
    match evaluation.first_block() {
        Some(v) => Err(blocked(v)),
        None => Ok(evaluation),
    }
}

/// The freeze override worth recording: the reason, when a freeze verdict was overridden.
pub(crate) fn used_override(
    evaluation: &slipway_core::Evaluation,
    reason: Option<&String>,
) -> Option<String> {
    evaluation
        .verdicts
        .iter()
        .any(|v| {
            v.outcome == slipway_core::Outcome::Overridden
                && v.kind == slipway_core::GateKind::Freeze
        })
        .then(|| reason.cloned())
        .flatten()
}

pub(crate) fn verdict_dtos(evaluation: &slipway_core::Evaluation) -> Vec<VerdictDto> {
    evaluation
        .verdicts
        .iter()
        .map(|v| VerdictDto {
            kind: v.kind.into(),
            outcome: v.outcome.into(),
            sentence: v.sentence.clone(),
            sha: v.sha.clone(),
        })
        .collect()
}

pub(crate) fn describe_action(settings: &DeploySettings) -> (String, Option<String>) {
    let action = match &settings.action {
        DeployAction::None => "none: moving the ref is the deployment".to_string(),
        DeployAction::Webhook(w) => format!(
            "{} {}{} (gives up after {} s)",
            w.method,
            w.url.source(),
            if w.token {
                " with its keychain token"
            } else {
                ""
            },
            w.timeout_secs
        ),
        DeployAction::Command(c) => format!(
            "runs {} (no shell; killed after {} s)",
            c.argv
                .iter()
                .map(|a| format!("{:?}", a.source()))
                .collect::<Vec<_>>()
                .join(" "),
            c.timeout_secs
        ),
    };
    let verification = settings.verification.as_ref().map(|v| {
        format!(
            "polls {} every {} s until healthy, for up to {} s",
            v.url, v.interval_secs, v.timeout_secs
        )
    });
    (action, verification)
}

pub(crate) fn describe_moves(
    project: &Project,
    environment: &str,
    has_remote: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> String {
    let env = project
        .pipeline
        .environments
        .iter()
        .find(|e| e.name == environment);
    match env.map(|e| &e.tracking) {
        Some(TrackingRef::Branch(b)) => match has_remote {
            Some(remote) => {
                format!("pushes {b} to {remote} (only if it still stands where you saw it)")
            }
            None => format!("moves the local branch {b}"),
        },
        Some(TrackingRef::Tags(p)) => match has_remote {
            Some(remote) => format!(
                "tags it {} and pushes the tag to {remote}",
                tag_name_for(p, now)
            ),
            None => format!("tags it {}", tag_name_for(p, now)),
        },
        _ => "records the deployment in Slipway (no ref to move)".to_string(),
    }
}

pub(crate) async fn remote_of(project: &Project) -> Result<Option<String>, ApiError> {
    let path = project.repo_path.clone();
    let trunk = project.pipeline.trunk.clone();
    blocking(move || {
        let repo = Repo::open(&path)?;
        let remote = repo.remote_for(&trunk);
        Ok(repo.has_remote(&remote).then_some(remote))
    })
    .await
}

/// What any run of an environment would do besides its changes, in words.
pub(crate) struct RunSteps {
    /// What moves.
    pub moves: String,
    /// The deploy action.
    pub action: String,
    /// The verification, if any.
    pub verification: Option<String>,
    /// A run of the environment under way: who and since when.
    pub in_progress: Option<String>,
}

/// The steps a run of `environment` would take, shared by every plan.
pub(crate) async fn run_steps(
    ws: &Workspace,
    project: &Project,
    environment: &str,
    clock: &dyn Clock,
) -> Result<RunSteps, ApiError> {
    let settings = ws
        .store()
        .deploy_settings(&project.name, environment)
        .await?;
    let (action, verification) = describe_action(&settings);
    let remote = remote_of(project).await?;
    let in_progress = ws
        .store()
        .unfinished_promotions()
        .await?
        .into_iter()
        .find(|p| p.spec.project == project.name && p.spec.environment == environment)
        .map(|p| running_words(&p));
    Ok(RunSteps {
        moves: describe_moves(project, environment, remote.as_deref(), clock.now()),
        action,
        verification,
        in_progress,
    })
}

/// What promoting `environment` up to `to` would do and what its gates say. Changes nothing.
pub async fn plan_promotion(
    ws: &Workspace,
    input: &PromoteInputDto,
    clock: &dyn Clock,
) -> Result<PlanDto, ApiError> {
    Ok(plan(ws, input, clock).await?.dto)
}

/// A plan: what the UI shows, and the gates' evaluation the promotion decides from.
pub(crate) struct Plan {
    /// The wire form.
    pub dto: PlanDto,
    /// Every gate's verdict.
    pub evaluation: slipway_core::Evaluation,
    /// The config guard's override, in the audit's words, when one was used.
    pub guard_override: Option<String>,
}

/// [`plan_promotion`], keeping the evaluation.
pub(crate) async fn plan(
    ws: &Workspace,
    input: &PromoteInputDto,
    clock: &dyn Clock,
) -> Result<Plan, ApiError> {
    let project = ws.project(&input.project).await?;
    environment_index(&project, &input.environment)?;
    let Previewed {
        dto: preview,
        shipping,
        guard,
        guard_settings,
    } = previewed(
        ws,
        &mut RepoCache::new(),
        &input.project,
        &input.environment,
        input.to.as_deref(),
    )
    .await?;
    let now = clock.now().timestamp();
    let gates = load_gates(ws, &input.project, &input.environment, now).await?;
    let mut evaluation = gates.evaluate(GateAsk::Ship {
        shipping: &shipping,
        override_reason: input.override_reason.as_deref(),
    });
    let guard_verdicts = guard_verdicts(
        &guard,
        &guard_settings,
        &gates,
        shipping.last().map(|c| c.sha.as_str()),
        input
            .guard_override_reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty()),
    );
    let guard_override = used_guard_override(&guard_verdicts, &guard);
    evaluation.verdicts.extend(guard_verdicts);
    evaluation
        .verdicts
        .sort_by_key(|v| v.outcome != slipway_core::Outcome::Block);
    let RunSteps {
        moves,
        action,
        verification,
        in_progress,
    } = run_steps(ws, &project, &input.environment, clock).await?;
    let dto = PlanDto {
        allowed: evaluation.allowed() && !preview.shipping.is_empty(),
        verdicts: verdict_dtos(&evaluation),
        ride_along: evaluation.ride_along.clone(),
        moves,
        action,
        verification,
        in_progress,
        preview,
    };
    Ok(Plan {
        dto,
        evaluation,
        guard_override,
    })
}

pub(crate) fn blocked(verdict: &slipway_core::GateVerdict) -> ApiError {
    ApiError::new(ErrorCode::GateBlocked, format!("{}.", verdict.sentence))
}

wire_words!(GateKindDto, OutcomeDto);
