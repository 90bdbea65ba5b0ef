//! One-click promotion and rollback: the plan with its gates' verdicts, then the steps —
//! lock, move and push the ref, run the deploy action, verify, record — each written down
//! before the next begins, so that a crash can be reconciled on the next start.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use slipway_core::{
    evaluate, reconcile, ActiveFreeze, BadMark, Clock, DeployAction, DeploymentStatus, Escape,
    GateInput, GatedChange, Hold, Interrupted, Project, Signoff, SignoffRule, TrackingRef,
};
use slipway_deploy::{Cancel, DeployError};
use slipway_git::{tag_name_for, GitError, Lease, Oid, Repo};
use slipway_store::{
    AuditDraft, Began, DeploySettings, NewPromotion, PromotionEnd, PromotionRecord,
};
use ts_rs::TS;

use crate::board::rfc3339;
use crate::clocks::time;
use crate::error::invalid;
use crate::preview::{environment_index, PreviewDto};
use crate::{preview, ApiError, ChangeDto, ErrorCode, Workspace};

/// How long after its start (beyond its action's and check's time limits) an unfinished
/// promotion of a process that cannot be asked counts as abandoned.
const LEASE_MARGIN_SECS: i64 = 300;
/// The most of an action's output kept with its record.
const OUTPUT_CAP: usize = 64 * 1024;

/// What a gate says about a promotion.
#[derive(Debug, Clone, Serialize, TS)]
pub struct VerdictDto {
    /// `hold`, `freeze`, `signoff`, `ride_along` or `bad`.
    pub kind: String,
    /// `pass`, `warn`, `block` or `overridden`.
    pub outcome: String,
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
    /// Ship changes that lack their sign-off along with the target.
    #[serde(default)]
    pub accept_ride_along: bool,
}

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
}

/// One step of a running promotion, for the progress pane.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ProgressDto {
    /// `lock`, `push`, `action`, `verify` or `record`.
    pub step: String,
    /// What happened, one line.
    pub line: String,
}

/// A promotion, rollback, redeploy or hotfix, as recorded.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DeploymentDto {
    /// Its number.
    #[ts(type = "number")]
    pub id: i64,
    /// Project name.
    pub project: String,
    /// Environment name.
    pub environment: String,
    /// `promote`, `rollback`, `redeploy` or `hotfix`.
    pub kind: String,
    /// Where the environment stood.
    pub from_sha: String,
    /// Where it was moved.
    pub to_sha: String,
    /// The ref or tag written.
    pub ref_written: String,
    /// The changes it shipped (rolled back, for a rollback), oldest first.
    pub changes: Vec<String>,
    /// Who.
    pub by: String,
    /// Started, RFC 3339 UTC.
    pub started_at: String,
    /// Finished, RFC 3339 UTC.
    pub finished_at: Option<String>,
    /// `started`, `pushed`, `acted`, `verified`, `succeeded` or `failed`.
    pub status: String,
    /// Why it failed, or what reconciling found.
    pub reason: String,
    /// What the deploy action and the verification said.
    pub output: String,
    /// The reason a freeze was overridden.
    pub override_reason: Option<String>,
    /// The ref moved and the deployment failed: offer a rollback.
    pub offer_rollback: bool,
}

/// How a failure that left the ref where it was begins its reason.
const NOT_MOVED: &str = "the ref did not move: ";

pub(crate) fn deployment_dto(r: &PromotionRecord) -> DeploymentDto {
    let moved_and_failed = r.status == DeploymentStatus::Failed
        && !r.reason.starts_with(NOT_MOVED)
        && !r.reason.contains("before the ref moved");
    DeploymentDto {
        id: r.id,
        project: r.spec.project.clone(),
        environment: r.spec.environment.clone(),
        kind: r.spec.kind.clone(),
        from_sha: r.spec.from_sha.clone(),
        to_sha: r.spec.to_sha.clone(),
        ref_written: r.spec.ref_written.clone(),
        changes: r.spec.changes.clone(),
        by: r.spec.by.clone(),
        started_at: rfc3339(time(r.spec.at)),
        finished_at: r.finished_at.map(|t| rfc3339(time(t))),
        status: r.status.as_str().to_string(),
        reason: r.reason.clone(),
        output: r.output.clone(),
        override_reason: r.spec.override_reason.clone(),
        offer_rollback: moved_and_failed && r.spec.kind != "rollback",
    }
}

fn email_of(person: &str) -> String {
    match (person.find('<'), person.rfind('>')) {
        (Some(a), Some(b)) if a < b => person[a + 1..b].trim().to_string(),
        _ => person.trim().to_string(),
    }
}

pub(crate) fn gated(change: &ChangeDto) -> GatedChange {
    GatedChange {
        sha: change.sha.clone(),
        title: change.title.clone(),
        authors: std::iter::once(change.author_email.clone())
            .chain(change.co_authors.iter().map(|c| email_of(c)))
            .collect(),
    }
}

/// Everything the gates read for one environment.
pub(crate) struct Gates {
    pub rule: Option<SignoffRule>,
    pub signoffs: Vec<Signoff>,
    pub hold: Option<Hold>,
    pub freezes: Vec<ActiveFreeze>,
    pub bad: Vec<BadMark>,
    pub roles: Arc<HashMap<String, Vec<String>>>,
}

impl Gates {
    pub(crate) fn roles_of(&self, who: &str) -> Vec<String> {
        self.roles
            .get(&who.to_lowercase())
            .cloned()
            .unwrap_or_default()
    }
}

/// Everything the gates read for one project, read once (the board and the inbox look at
/// every environment; one read per project, not per environment).
pub(crate) struct ProjectGates {
    rules: Vec<(String, SignoffRule)>,
    signoffs: Vec<(String, Signoff)>,
    holds: Vec<(String, Hold)>,
    /// Freeze windows on now: (environment or every one, the freeze).
    freezes: Vec<(Option<String>, ActiveFreeze)>,
    bad: Vec<BadMark>,
    roles: Arc<HashMap<String, Vec<String>>>,
}

impl ProjectGates {
    pub(crate) async fn load(
        ws: &Workspace,
        project: &str,
        now: i64,
    ) -> Result<ProjectGates, ApiError> {
        let store = ws.store();
        let mut freezes: Vec<(Option<String>, ActiveFreeze)> = store
            .freezes()
            .await?
            .into_iter()
            .filter(|f| f.project == project && f.starts_at <= now && now < f.ends_at)
            .map(|f| {
                let window = format!(
                    "{} to {}",
                    rfc3339(time(f.starts_at)),
                    rfc3339(time(f.ends_at))
                );
                (
                    f.environment,
                    ActiveFreeze {
                        reason: f.reason,
                        window,
                    },
                )
            })
            .collect();
        freezes.extend(
            store
                .weekly_freezes()
                .await?
                .into_iter()
                .filter(|f| f.project == project && f.freeze.active_at(now))
                .map(|f| {
                    let window = format!("{} {}", f.freeze.window(), f.freeze.zone.name());
                    (
                        f.environment,
                        ActiveFreeze {
                            reason: f.reason,
                            window,
                        },
                    )
                }),
        );
        Ok(ProjectGates {
            rules: store.signoff_rules(project).await?,
            signoffs: store.signoffs(project).await?,
            holds: store
                .holds()
                .await?
                .into_iter()
                .filter(|(p, _, _)| p == project)
                .map(|(_, e, h)| (e, h))
                .collect(),
            freezes,
            bad: store.bad_changes(project).await?,
            roles: Arc::new(
                store
                    .people()
                    .await?
                    .into_iter()
                    .map(|p| (p.email.to_lowercase(), p.roles))
                    .collect(),
            ),
        })
    }

    /// The gates of one environment.
    pub(crate) fn environment(&self, environment: &str) -> Gates {
        Gates {
            rule: self
                .rules
                .iter()
                .find(|(e, _)| e == environment)
                .map(|(_, r)| r.clone()),
            signoffs: self
                .signoffs
                .iter()
                .filter(|(e, _)| e == environment)
                .map(|(_, s)| s.clone())
                .collect(),
            hold: self
                .holds
                .iter()
                .find(|(e, _)| e == environment)
                .map(|(_, h)| h.clone()),
            freezes: self
                .freezes
                .iter()
                .filter(|(e, _)| e.as_deref().is_none_or(|e| e == environment))
                .map(|(_, f)| f.clone())
                .collect(),
            bad: self.bad.clone(),
            roles: Arc::clone(&self.roles),
        }
    }
}

pub(crate) async fn load_gates(
    ws: &Workspace,
    project: &str,
    environment: &str,
    now: i64,
) -> Result<Gates, ApiError> {
    Ok(ProjectGates::load(ws, project, now)
        .await?
        .environment(environment))
}

/// Runs the gates and turns the first blocking verdict into an error.
fn check(input: &GateInput<'_>) -> Result<slipway_core::Evaluation, ApiError> {
    let evaluation = evaluate(input);
    match evaluation.first_block() {
        Some(v) => Err(ApiError::new(
            ErrorCode::GateBlocked,
            format!("{}.", v.sentence),
        )),
        None => Ok(evaluation),
    }
}

/// The freeze override worth recording: the reason, when a freeze verdict was overridden.
fn used_override(evaluation: &slipway_core::Evaluation, reason: Option<&String>) -> Option<String> {
    evaluation
        .verdicts
        .iter()
        .any(|v| v.outcome == slipway_core::Outcome::Overridden)
        .then(|| reason.cloned())
        .flatten()
}

fn verdict_dtos(evaluation: &slipway_core::Evaluation) -> Vec<VerdictDto> {
    evaluation
        .verdicts
        .iter()
        .map(|v| VerdictDto {
            kind: v.kind.as_str().to_string(),
            outcome: v.outcome.as_str().to_string(),
            sentence: v.sentence.clone(),
            sha: v.sha.clone(),
        })
        .collect()
}

fn describe_action(settings: &DeploySettings) -> (String, Option<String>) {
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

fn describe_moves(
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

async fn remote_of(project: &Project) -> Result<Option<String>, ApiError> {
    let path = project.repo_path.clone();
    let trunk = project.pipeline.trunk.clone();
    blocking(move || {
        let repo = Repo::open(&path)?;
        let remote = repo.remote_for(&trunk);
        Ok(repo.has_remote(&remote).then_some(remote))
    })
    .await
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, GitError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("A git step stopped unexpectedly: {e}."),
            )
        })?
        .map_err(ApiError::from)
}

/// What promoting `environment` up to `to` would do and what its gates say. Changes nothing.
pub async fn plan_promotion(
    ws: &Workspace,
    input: &PromoteInputDto,
    clock: &dyn Clock,
) -> Result<PlanDto, ApiError> {
    let project = ws.project(&input.project).await?;
    environment_index(&project, &input.environment)?;
    let preview = preview(ws, &input.project, &input.environment, input.to.as_deref()).await?;
    let now = clock.now().timestamp();
    let gates = load_gates(ws, &input.project, &input.environment, now).await?;
    let shipping: Vec<GatedChange> = preview.shipping.iter().map(gated).collect();
    let roles_of = |who: &str| gates.roles_of(who);
    let evaluation = evaluate(&GateInput {
        environment: &input.environment,
        shipping: &shipping,
        rule: gates.rule.as_ref(),
        signoffs: &gates.signoffs,
        roles_of: &roles_of,
        hold: gates.hold.as_ref(),
        freezes: &gates.freezes,
        bad: &gates.bad,
        override_reason: input.override_reason.as_deref(),
        rollback: false,
    });
    let settings = ws
        .store()
        .deploy_settings(&input.project, &input.environment)
        .await?;
    let (action, verification) = describe_action(&settings);
    let remote = remote_of(&project).await?;
    let in_progress = ws
        .store()
        .unfinished_promotions()
        .await?
        .into_iter()
        .find(|p| p.spec.project == input.project && p.spec.environment == input.environment)
        .map(|p| {
            format!(
                "{} by {} since {}",
                p.spec.kind,
                p.spec.by,
                rfc3339(time(p.spec.at))
            )
        });
    Ok(PlanDto {
        allowed: evaluation.allowed() && !preview.shipping.is_empty(),
        verdicts: verdict_dtos(&evaluation),
        ride_along: evaluation.ride_along.clone(),
        moves: describe_moves(&project, &input.environment, remote.as_deref(), clock.now()),
        action,
        verification,
        in_progress,
        preview,
    })
}

/// The parts of one run, shared by promote, rollback, redeploy and hotfix.
pub(crate) struct Run<'a> {
    pub(crate) ws: &'a Workspace,
    pub(crate) project: Project,
    pub(crate) environment: String,
    pub(crate) kind: &'static str,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) changes: Vec<String>,
    pub(crate) by: String,
    pub(crate) override_reason: Option<String>,
    pub(crate) hold: Option<Hold>,
    pub(crate) follow_up: Option<String>,
    /// A rollback or a redeploy to an older commit: force with a lease.
    pub(crate) backwards: bool,
    /// The new commit was made here (a cherry-pick): it must reach the remote.
    pub(crate) audit_detail: String,
    /// Release notes (promotions) or the reason (rollbacks), for the notifications.
    pub(crate) notes: String,
}

/// Reports progress lines; cheap to clone into tasks.
pub type Progress = Arc<dyn Fn(ProgressDto) + Send + Sync>;

fn say(progress: &Progress, step: &str, line: impl Into<String>) {
    progress(ProgressDto {
        step: step.to_string(),
        line: line.into(),
    });
}

/// A test hook: `SLIPWAY_FAILPOINT=after-push|after-action|before-record` kills the process
/// at that step (as a crash or `kill -9` would), so the recovery on the next start is tested
/// against the real binary. Unset in normal use.
fn failpoint(name: &str) {
    if std::env::var("SLIPWAY_FAILPOINT").as_deref() == Ok(name) {
        tracing::warn!("failpoint {name}: stopping the process");
        std::process::abort();
    }
}

pub(crate) fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "localhost".to_string())
}

fn process_alive(pid: i64) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name in parentheses; Z is a zombie, X dead.
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

fn cap(output: &mut String) {
    if output.len() > OUTPUT_CAP {
        let mut cut = output.len() - OUTPUT_CAP;
        while !output.is_char_boundary(cut) {
            cut += 1;
        }
        output.replace_range(..cut, "[earlier output cut]\n");
    }
}

impl Run<'_> {
    fn tracking(&self) -> TrackingRef {
        self.project
            .pipeline
            .environments
            .iter()
            .find(|e| e.name == self.environment)
            .map(|e| e.tracking.clone())
            .unwrap_or(TrackingRef::Database)
    }

    fn subject(&self) -> String {
        format!("{}/{}", self.project.name, self.environment)
    }

    fn audit(&self, at: i64, action: &str, detail: String) -> AuditDraft {
        AuditDraft {
            at,
            actor: self.by.clone(),
            action: action.to_string(),
            subject: self.subject(),
            detail,
            events: Vec::new(),
        }
    }

    async fn execute(
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
            Some(key) => Some(crate::gates::deploy_token(key)?.ok_or_else(|| {
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
            kind: self.kind.to_string(),
            from_sha: self.from.clone(),
            to_sha: self.to.clone(),
            ref_written: ref_written.clone(),
            changes: self.changes.clone(),
            by: self.by.clone(),
            at: now.timestamp(),
            override_reason: self.override_reason.clone(),
            has_action,
            has_verification: settings.verification.is_some(),
            host: host_name(),
            pid: i64::from(std::process::id()),
            lease_until: now.timestamp() + action_secs + verify_secs + LEASE_MARGIN_SECS,
            hold: self.hold.clone(),
            follow_up: self.follow_up.clone(),
        };
        let override_audit = self.override_reason.as_ref().map(|reason| {
            self.audit(
                now.timestamp(),
                "override",
                format!(
                    "overrode a freeze to {} {}: {reason}",
                    self.kind, self.environment
                ),
            )
        });
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
        let mut output = String::new();
        let fail = |reason: String, output: &str| {
            let end = PromotionEnd {
                status: DeploymentStatus::Failed,
                reason: reason.clone(),
                output: output.to_string(),
                at: clock.now().timestamp(),
                record_deployment: false,
            };
            let audit = self.audit(
                end.at,
                self.kind,
                format!(
                    "{} {} from {} to {} failed: {reason}",
                    self.kind,
                    self.environment,
                    short(&self.from),
                    short(&self.to)
                ),
            );
            let audit = AuditDraft {
                events: vec![crate::notices::deployment_failed(
                    &self, id, &reason, end.at,
                )],
                ..audit
            };
            (end, audit)
        };
        if cancel.is_cancelled() {
            let (end, audit) = fail(
                "cancelled before the ref moved; nothing was deployed".into(),
                "",
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
            let (end, audit) = fail(format!("{NOT_MOVED}{}", e.message), "");
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
        let value = |name: &str| vars.get(name).cloned().unwrap_or_default();
        let step_progress = progress.clone();
        let mut on_line = move |line: String| say(&step_progress, "action", line);
        let acted = match &settings.action {
            DeployAction::None => Ok(None),
            DeployAction::Webhook(w) => {
                let hook = slipway_deploy::Webhook {
                    method: w.method.clone(),
                    url: w.url.render(&value, Escape::None),
                    headers: w
                        .headers
                        .iter()
                        .map(|(n, v)| (n.clone(), v.render(&value, Escape::None)))
                        .collect(),
                    body: w.body.as_ref().map(|b| b.render(&value, Escape::Json)),
                    token: token.as_ref().map(|t| t.expose().to_string()),
                    idempotency_key: format!("slipway-deployment-{id}"),
                    timeout: std::time::Duration::from_secs(u64::from(w.timeout_secs)),
                };
                say(&progress, "action", format!("{} {}", hook.method, hook.url));
                slipway_deploy::run_webhook(&hook, cancel, &mut on_line)
                    .await
                    .map(Some)
            }
            DeployAction::Command(c) => {
                let command = slipway_deploy::Command {
                    argv: c
                        .argv
                        .iter()
                        .map(|a| a.render(&value, Escape::None))
                        .collect(),
                    dir: Some(self.project.repo_path.clone()),
                    env: vec![("SLIPWAY_DEPLOYMENT_ID".into(), id.to_string())],
                    timeout: std::time::Duration::from_secs(u64::from(c.timeout_secs)),
                };
                say(
                    &progress,
                    "action",
                    format!("running {}", command.argv.join(" ")),
                );
                slipway_deploy::run_command(&command, cancel, &mut on_line)
                    .await
                    .map(Some)
            }
        };
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
                let (end, audit) = fail(reason, &output);
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
                    let (end, audit) = fail(reason, &output);
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
            record_deployment: matches!(tracking, TrackingRef::Database),
        };
        let audit = self.audit(
            end.at,
            self.kind,
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
            events: vec![crate::notices::succeeded(&self, id, end.at)],
            ..audit
        };
        store.finish_promotion(id, &end, &audit).await?;
        say(&progress, "record", format!("{} succeeded", self.kind));
        self.record(id).await
    }

    async fn record(&self, id: i64) -> Result<DeploymentDto, ApiError> {
        let record = self.ws.store().promotion(id).await?.ok_or_else(|| {
            ApiError::new(
                ErrorCode::Internal,
                format!("Promotion #{id} vanished from the database."),
            )
        })?;
        Ok(deployment_dto(&record))
    }

    fn variables(&self, id: i64) -> HashMap<&'static str, String> {
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
    async fn move_ref(&self, tracking: &TrackingRef, ref_written: &str) -> Result<(), ApiError> {
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
        let token = crate::fetch::https_token(&self.project.name);
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

pub(crate) fn short(sha: &str) -> &str {
    &sha[..sha.len().min(8)]
}

fn oid(sha: &str) -> Result<Oid, GitError> {
    Oid::from_str(sha).map_err(|_| GitError::RefMissing(sha.to_string()))
}

fn blocked(plan_verdict: &VerdictDto) -> ApiError {
    ApiError::new(
        ErrorCode::GateBlocked,
        format!("{}.", plan_verdict.sentence),
    )
}

/// Promotes an environment up to a change: checks the gates, then runs every step. A
/// failure after the lock is recorded as a failed deployment (returned, not an error).
pub async fn promote(
    ws: &Workspace,
    input: &PromoteInputDto,
    by: &str,
    clock: &dyn Clock,
    progress: Progress,
    cancel: &Cancel,
) -> Result<DeploymentDto, ApiError> {
    reconcile_interrupted(ws, clock).await?;
    let plan = plan_promotion(ws, input, clock).await?;
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
    if let Some(v) = plan.verdicts.iter().find(|v| v.outcome == "block") {
        return Err(blocked(v));
    }
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
        kind: "promote",
        notes: plan.preview.release_notes.clone(),
        from: plan.preview.from.sha.clone(),
        to: to.sha,
        changes: plan
            .preview
            .shipping
            .iter()
            .map(|c| c.sha.clone())
            .collect(),
        by: by.to_string(),
        override_reason: input
            .override_reason
            .clone()
            .filter(|_| plan.verdicts.iter().any(|v| v.outcome == "overridden")),
        hold: None,
        follow_up: None,
        backwards: false,
        audit_detail: ride,
    }
    .execute(clock, progress, cancel)
    .await
}

/// Where an environment stands now and the earlier positions it can go back to.
async fn positions(
    ws: &Workspace,
    project: &Project,
    environment: &str,
) -> Result<(String, Vec<String>), ApiError> {
    let recorded = crate::board::recorded(ws, &project.name).await?;
    let project2 = project.clone();
    let index = environment_index(project, environment)?;
    let (now, moves) = blocking(move || {
        let repo = Repo::open(&project2.repo_path)?;
        let stages = crate::board::stages_of(&repo, &project2, &recorded);
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
    // Earlier successful deployments, newest first, then earlier ref positions.
    let mut earlier: Vec<String> = ws
        .store()
        .promotions(&project.name, Some(environment), 200)
        .await?
        .into_iter()
        .filter(|p| p.status == DeploymentStatus::Succeeded)
        .map(|p| p.spec.from_sha)
        .collect();
    earlier.extend(moves);
    let mut seen = vec![now.clone()];
    earlier.retain(|s| {
        let fresh = !seen.contains(s);
        seen.push(s.clone());
        fresh
    });
    Ok((now, earlier))
}

/// Rolls an environment back to an earlier deployment (default: where it stood before),
/// puts a hold on it, opens a follow-up, and marks the changes the person picked as bad.
pub async fn rollback(
    ws: &Workspace,
    input: &RollbackInputDto,
    by: &str,
    clock: &dyn Clock,
    progress: Progress,
    cancel: &Cancel,
) -> Result<DeploymentDto, ApiError> {
    reconcile_interrupted(ws, clock).await?;
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(invalid(
            "A rollback needs a reason: the hold and the follow-up carry it.",
        ));
    }
    let project = ws.project(&input.project).await?;
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
    let now = clock.now().timestamp();
    let gates = load_gates(ws, &input.project, &input.environment, now).await?;
    let roles_of = |who: &str| gates.roles_of(who);
    let evaluation = check(&GateInput {
        environment: &input.environment,
        shipping: &[],
        rule: None,
        signoffs: &[],
        roles_of: &roles_of,
        hold: gates.hold.as_ref(),
        freezes: &gates.freezes,
        bad: &[],
        override_reason: input.override_reason.as_deref(),
        rollback: true,
    })?;
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
    Run {
        ws,
        project,
        environment: input.environment.clone(),
        kind: "rollback",
        notes: reason.to_string(),
        from: current.clone(),
        to: target.clone(),
        changes: removed,
        by: by.to_string(),
        override_reason: used_override(&evaluation, input.override_reason.as_ref()),
        hold: Some(Hold {
            reason: format!("rolled back: {reason}"),
            owner: by.to_string(),
            since: now,
        }),
        follow_up: Some(format!(
            "Postmortem for the rollback of {} from {} to {}: {reason}",
            input.environment,
            short(&current),
            short(&target)
        )),
        backwards: true,
        audit_detail: format!("; reason: {reason}"),
    }
    .execute(clock, progress, cancel)
    .await
}

/// Runs an earlier deployment again: the same commit, through the deploy action and
/// verification (moving the ref back or forward to it with a lease when it stands elsewhere).
pub async fn redeploy(
    ws: &Workspace,
    deployment: i64,
    by: &str,
    clock: &dyn Clock,
    progress: Progress,
    cancel: &Cancel,
) -> Result<DeploymentDto, ApiError> {
    reconcile_interrupted(ws, clock).await?;
    let record = ws
        .store()
        .promotion(deployment)
        .await?
        .ok_or_else(|| invalid(format!("There is no deployment #{deployment}.")))?;
    let project = ws.project(&record.spec.project).await?;
    let now = clock.now().timestamp();
    let gates = load_gates(ws, &project.name, &record.spec.environment, now).await?;
    // A redeploy ships nothing new: holds and freezes apply, sign-offs do not.
    let roles_of = |who: &str| gates.roles_of(who);
    check(&GateInput {
        environment: &record.spec.environment,
        shipping: &[],
        rule: None,
        signoffs: &[],
        roles_of: &roles_of,
        hold: gates.hold.as_ref(),
        freezes: &gates.freezes,
        bad: &[],
        override_reason: None,
        rollback: false,
    })?;
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
        kind: "redeploy",
        notes: String::new(),
        from: current.clone(),
        to: target,
        changes: record.spec.changes.clone(),
        by: by.to_string(),
        override_reason: None,
        hold: None,
        follow_up: None,
        backwards: !forward,
        audit_detail: format!("; again as #{deployment}"),
    }
    .execute(clock, progress, cancel)
    .await
}

/// Brings one fix to an environment without the unverified changes queued before it: the
/// fix is cherry-picked onto the environment's line and that commit is promoted. A fix that
/// does not apply cleanly is reported and nothing is changed.
pub async fn hotfix(
    ws: &Workspace,
    input: &HotfixInputDto,
    by: &str,
    clock: &dyn Clock,
    progress: Progress,
    cancel: &Cancel,
) -> Result<DeploymentDto, ApiError> {
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
    let plan = preview(ws, &input.project, &input.environment, Some(&input.fix)).await?;
    let fix = plan
        .to
        .clone()
        .ok_or_else(|| invalid("Nothing to hotfix."))?;
    // Only the fix is gated: what waits before it stays behind.
    let now = clock.now().timestamp();
    let gates = load_gates(ws, &input.project, &input.environment, now).await?;
    let roles_of = |who: &str| gates.roles_of(who);
    let shipping = [gated(&fix)];
    let evaluation = check(&GateInput {
        environment: &input.environment,
        shipping: &shipping,
        rule: gates.rule.as_ref(),
        signoffs: &gates.signoffs,
        roles_of: &roles_of,
        hold: gates.hold.as_ref(),
        freezes: &gates.freezes,
        bad: &gates.bad,
        override_reason: input.override_reason.as_deref(),
        rollback: false,
    })?;
    let from = plan.from.sha.clone();
    let path = project.repo_path.clone();
    let (fix_sha, onto) = (fix.sha.clone(), from.clone());
    let picked = if plan.shipping.len() == 1 {
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
            Ok(repo
                .cherry_pick_onto(oid(&fix_sha)?, oid(&onto)?, None)?
                .to_string())
        })
        .await?
    };
    Run {
        ws,
        project,
        environment: input.environment.clone(),
        kind: "hotfix",
        notes: String::new(),
        from,
        to: picked.clone(),
        changes: vec![fix.sha.clone()],
        by: by.to_string(),
        override_reason: used_override(&evaluation, input.override_reason.as_ref()),
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
        let token = crate::fetch::https_token(&project.name);
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
        let found = reconcile(&Interrupted {
            status: p.status,
            from: &p.spec.from_sha,
            to: &p.spec.to_sha,
            now_at: now_at.as_deref(),
            has_action: p.spec.has_action,
            has_verification: p.spec.has_verification,
        });
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
            record_deployment: found.status == DeploymentStatus::Succeeded
                && matches!(tracking, TrackingRef::Database),
        };
        let audit = AuditDraft {
            at: now,
            actor: "slipway".into(),
            action: p.spec.kind.clone(),
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
                ended.push(deployment_dto(&r));
            }
        }
    }
    Ok(ended)
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
        let current_dto = crate::board::change_dto(&*repo.change(now)?);
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
                .map(|c| crate::board::change_dto(&c))
                .collect();
            targets.push(RollbackTargetDto {
                change: crate::board::change_dto(&change),
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
