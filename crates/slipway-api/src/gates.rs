//! Gate and deploy settings, holds, sign-offs, bad marks, follow-ups, history, the QA inbox
//! and the audit log — everything around a promotion except running one.

use serde::{Deserialize, Serialize};
use slipway_core::{
    verify_chain, BadMark, Clock, CommandAction, DeployAction, GateError, Hold, SignoffRule,
    SignoffVerdict, Verification, WebhookAction, WeeklyFreeze,
};
use slipway_secrets::{Keychain, Secret, SecretError};
use slipway_store::{AuditDraft, DeploySettings, StoredWeeklyFreeze};
use ts_rs::TS;

use crate::board::rfc3339;
use crate::clocks::time;
use crate::error::{capitalise, invalid};
use crate::fetch::KEYCHAIN_SERVICE;
use crate::preview::environment_index;
use crate::promote::{load_gates, DeploymentDto, ProjectGates};
use crate::{ApiError, ChangeDto, ErrorCode, RepoCache, Workspace};

/// A header of a webhook.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct HeaderDto {
    /// Name.
    pub name: String,
    /// Value (may use variables).
    pub value: String,
}

/// An environment's deploy action and verification, as edited (a token is written, never read).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DeployActionDto {
    /// Project name.
    pub project: String,
    /// Environment name.
    pub environment: String,
    /// `none`, `webhook` or `command`.
    pub kind: String,
    /// Webhook method.
    #[serde(default)]
    pub method: String,
    /// Webhook URL (http or https; may use variables after the host).
    #[serde(default)]
    pub url: String,
    /// Webhook headers.
    #[serde(default)]
    pub headers: Vec<HeaderDto>,
    /// Webhook JSON body template.
    #[serde(default)]
    pub body: String,
    /// Command: program, then arguments (each stays one argument; no shell).
    #[serde(default)]
    pub argv: Vec<String>,
    /// Time limit in seconds.
    pub timeout_secs: u32,
    /// Health URL polled after the action (empty: none).
    #[serde(default)]
    pub verify_url: String,
    /// Give up verifying after this many seconds.
    #[serde(default)]
    pub verify_timeout_secs: u32,
    /// Seconds between health polls.
    #[serde(default)]
    pub verify_interval_secs: u32,
    /// A new bearer token for the webhook, stored in the OS keychain (never read back).
    #[serde(default)]
    pub token: Option<String>,
    /// Whether a token is stored (read-only; keep it when `token` is absent).
    #[serde(default)]
    pub has_token: bool,
    /// The variables templates may use (read-only).
    #[serde(default)]
    pub variables: Vec<String>,
}

fn token_reference(project: &str, environment: &str) -> String {
    format!("project/{project}/{environment}/deploy-token")
}

pub(crate) fn keychain_error(e: SecretError) -> ApiError {
    let code = match e {
        SecretError::Unavailable(_) => ErrorCode::KeychainUnavailable,
        SecretError::Invalid(_) => ErrorCode::InvalidInput,
    };
    ApiError::new(
        code,
        format!("{}; nothing was saved.", capitalise(&e.to_string())),
    )
}

/// Reads a deploy token from the keychain.
pub(crate) fn deploy_token(reference: &str) -> Result<Option<Secret>, ApiError> {
    Keychain::new(KEYCHAIN_SERVICE)
        .get(reference)
        .map_err(keychain_error)
}

fn audit(ws_actor: &str, at: i64, action: &str, subject: String, detail: String) -> AuditDraft {
    AuditDraft {
        at,
        actor: ws_actor.to_string(),
        action: action.to_string(),
        subject,
        detail,
        events: Vec::new(),
    }
}

fn gate_error(e: GateError) -> ApiError {
    let code = match e {
        GateError::OwnChange(_) | GateError::MissingRole { .. } | GateError::NoRule(_) => {
            ErrorCode::NotAllowed
        }
        _ => ErrorCode::InvalidInput,
    };
    ApiError::new(code, format!("{}.", capitalise(&e.to_string())))
}

/// Saves an environment's deploy action and verification, checked first: a URL that is not
/// http(s), an unknown template variable or a bad header is refused and nothing is stored.
/// A token goes to the OS keychain; without a keychain saving fails.
pub async fn save_deploy_action(
    ws: &Workspace,
    input: &DeployActionDto,
    by: &str,
    clock: &dyn Clock,
) -> Result<DeployActionDto, ApiError> {
    let project = ws.project(&input.project).await?;
    environment_index(&project, &input.environment)?;
    let bad = |e: slipway_core::ActionError| invalid(format!("{}.", capitalise(&e.to_string())));
    let reference = token_reference(&input.project, &input.environment);
    let existing = ws
        .store()
        .deploy_settings(&input.project, &input.environment)
        .await?;
    let new_token = input
        .token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let keeps_token = input.kind == "webhook"
        && (new_token.is_some() || (input.has_token && existing.token_key.is_some()));
    let action = match input.kind.as_str() {
        "none" => DeployAction::None,
        "webhook" => DeployAction::Webhook(
            WebhookAction::parse(
                &input.method,
                input.url.trim(),
                &input
                    .headers
                    .iter()
                    .filter(|h| !h.name.trim().is_empty())
                    .map(|h| (h.name.trim().to_string(), h.value.clone()))
                    .collect::<Vec<_>>(),
                Some(input.body.as_str()),
                keeps_token,
                input.timeout_secs,
            )
            .map_err(bad)?,
        ),
        "command" => DeployAction::Command(
            CommandAction::parse(&input.argv, input.timeout_secs).map_err(bad)?,
        ),
        other => {
            return Err(invalid(format!(
                "Deploy action {other:?} is not known: use none, webhook or command."
            )))
        }
    };
    let verification = match input.verify_url.trim() {
        "" => None,
        url => Some(
            Verification::parse(url, input.verify_timeout_secs, input.verify_interval_secs)
                .map_err(bad)?,
        ),
    };
    if let Some(token) = new_token {
        let secret = Secret::new(token);
        let r = reference.clone();
        tokio::task::spawn_blocking(move || Keychain::new(KEYCHAIN_SERVICE).set(&r, &secret))
            .await
            .map_err(|e| {
                ApiError::new(
                    ErrorCode::Internal,
                    format!("The keychain call stopped: {e}."),
                )
            })?
            .map_err(keychain_error)?;
    }
    let settings = DeploySettings {
        action,
        token_key: keeps_token.then_some(reference),
        verification,
    };
    ws.store()
        .save_deploy_settings(
            &input.project,
            &input.environment,
            &settings,
            &audit(
                by,
                clock.now().timestamp(),
                "configure",
                format!("{}/{}", input.project, input.environment),
                format!("deploy action set to {}", input.kind),
            ),
        )
        .await?;
    deploy_action(ws, &input.project, &input.environment).await
}

/// An environment's deploy action and verification as the settings form shows them.
pub async fn deploy_action(
    ws: &Workspace,
    project: &str,
    environment: &str,
) -> Result<DeployActionDto, ApiError> {
    let found = ws.project(project).await?;
    environment_index(&found, environment)?;
    let s = ws.store().deploy_settings(project, environment).await?;
    let mut dto = DeployActionDto {
        project: project.to_string(),
        environment: environment.to_string(),
        kind: "none".into(),
        method: "POST".into(),
        url: String::new(),
        headers: Vec::new(),
        body: String::new(),
        argv: Vec::new(),
        timeout_secs: 60,
        verify_url: String::new(),
        verify_timeout_secs: 120,
        verify_interval_secs: 5,
        token: None,
        has_token: s.token_key.is_some(),
        variables: slipway_core::DEPLOY_VARIABLES
            .iter()
            .map(|v| v.to_string())
            .collect(),
    };
    match &s.action {
        DeployAction::None => {}
        DeployAction::Webhook(w) => {
            dto.kind = "webhook".into();
            dto.method = w.method.clone();
            dto.url = w.url.source().to_string();
            dto.headers = w
                .headers
                .iter()
                .map(|(n, v)| HeaderDto {
                    name: n.clone(),
                    value: v.source().to_string(),
                })
                .collect();
            dto.body = w
                .body
                .as_ref()
                .map(|b| b.source().to_string())
                .unwrap_or_default();
            dto.timeout_secs = w.timeout_secs;
        }
        DeployAction::Command(c) => {
            dto.kind = "command".into();
            dto.argv = c.argv.iter().map(|a| a.source().to_string()).collect();
            dto.timeout_secs = c.timeout_secs;
        }
    }
    if let Some(v) = &s.verification {
        dto.verify_url = v.url.clone();
        dto.verify_timeout_secs = v.timeout_secs;
        dto.verify_interval_secs = v.interval_secs;
    }
    Ok(dto)
}

/// Sets (or with `required` 0, removes) an environment's sign-off rule.
pub async fn set_signoff_rule(
    ws: &Workspace,
    project: &str,
    environment: &str,
    required: u32,
    role: Option<&str>,
    by: &str,
    clock: &dyn Clock,
) -> Result<(), ApiError> {
    let found = ws.project(project).await?;
    environment_index(&found, environment)?;
    let rule = SignoffRule {
        required,
        role: role
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_lowercase),
    };
    let detail = if required == 0 {
        "sign-offs no longer required".to_string()
    } else {
        rule.check().map_err(gate_error)?;
        format!(
            "{required} sign-off(s){} required",
            rule.role
                .as_ref()
                .map(|r| format!(" by {r}"))
                .unwrap_or_default()
        )
    };
    ws.store()
        .set_signoff_rule(
            project,
            environment,
            (required > 0).then_some(&rule),
            &audit(
                by,
                clock.now().timestamp(),
                "configure",
                format!("{project}/{environment}"),
                detail,
            ),
        )
        .await?;
    Ok(())
}

/// A weekly freeze as entered.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct WeeklyFreezeInputDto {
    /// Project name.
    pub project: String,
    /// One environment, or every one when absent.
    #[serde(default)]
    pub environment: Option<String>,
    /// The window, such as "fri 16:00 - mon 08:00".
    pub window: String,
    /// The IANA zone its times are read in.
    pub zone: String,
    /// Why.
    pub reason: String,
}

/// Adds a weekly freeze ("fri 16:00 - mon 08:00" in an IANA zone) to one environment or all.
pub async fn add_weekly_freeze(
    ws: &Workspace,
    input: &WeeklyFreezeInputDto,
    by: &str,
    clock: &dyn Clock,
) -> Result<(), ApiError> {
    let project = input.project.as_str();
    let environment = input.environment.as_deref().filter(|e| !e.is_empty());
    let reason = input.reason.trim();
    let found = ws.project(project).await?;
    if let Some(env) = environment {
        environment_index(&found, env)?;
    }
    if reason.is_empty() {
        return Err(invalid("A freeze needs a reason people will read."));
    }
    let freeze = WeeklyFreeze::parse(&input.window, &input.zone).map_err(gate_error)?;
    ws.store()
        .add_weekly_freeze(
            &StoredWeeklyFreeze {
                project: project.to_string(),
                environment: environment.map(str::to_string),
                freeze: freeze.clone(),
                reason: reason.to_string(),
            },
            &audit(
                by,
                clock.now().timestamp(),
                "freeze",
                format!("{project}/{}", environment.unwrap_or("*")),
                format!("weekly freeze {} {}: {reason}", freeze.window(), input.zone),
            ),
        )
        .await?;
    Ok(())
}

/// Puts a hold on an environment: nothing is promoted into it until someone lifts it.
pub async fn hold(
    ws: &Workspace,
    project: &str,
    environment: &str,
    reason: &str,
    by: &str,
    clock: &dyn Clock,
) -> Result<(), ApiError> {
    let found = ws.project(project).await?;
    environment_index(&found, environment)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(invalid("A hold needs a reason people will read."));
    }
    let now = clock.now().timestamp();
    let held = ws
        .store()
        .hold(
            project,
            environment,
            &Hold {
                reason: reason.to_string(),
                owner: by.to_string(),
                since: now,
            },
            &AuditDraft {
                events: vec![crate::notices::held(project, environment, reason, by, now)],
                ..audit(
                    by,
                    now,
                    "hold",
                    format!("{project}/{environment}"),
                    format!("held: {reason}"),
                )
            },
        )
        .await?;
    if !held {
        return Err(ApiError::new(
            ErrorCode::NotAllowed,
            format!("{environment} is on hold already; lift that hold first."),
        ));
    }
    Ok(())
}

/// Lifts an environment's hold.
pub async fn unhold(
    ws: &Workspace,
    project: &str,
    environment: &str,
    by: &str,
    clock: &dyn Clock,
) -> Result<(), ApiError> {
    let found = ws.project(project).await?;
    environment_index(&found, environment)?;
    let lifted = ws
        .store()
        .lift_hold(
            project,
            environment,
            &audit(
                by,
                clock.now().timestamp(),
                "unhold",
                format!("{project}/{environment}"),
                "hold lifted".into(),
            ),
        )
        .await?;
    if !lifted {
        return Err(ApiError::new(
            ErrorCode::NotAllowed,
            format!("{environment} is not on hold."),
        ));
    }
    Ok(())
}

/// A sign-off as given.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SignoffInputDto {
    /// Project name.
    pub project: String,
    /// Environment name.
    pub environment: String,
    /// The change (sha or prefix), waiting for the environment.
    pub sha: String,
    /// `approve` or `reject`.
    pub verdict: String,
    /// Why, in the signer's words (required to reject).
    #[serde(default)]
    pub comment: String,
}

/// Signs a queued change off (or rejects it) for an environment, as `by`.
pub async fn signoff(
    ws: &Workspace,
    input: &SignoffInputDto,
    by: &str,
    clock: &dyn Clock,
) -> Result<(), ApiError> {
    let verdict = SignoffVerdict::parse(input.verdict.trim()).ok_or_else(|| {
        invalid(format!(
            "Verdict {:?} is not known: use approve or reject.",
            input.verdict
        ))
    })?;
    if verdict == SignoffVerdict::Reject && input.comment.trim().is_empty() {
        return Err(invalid("A rejection needs a comment saying what is wrong."));
    }
    let now = clock.now().timestamp();
    let gates = load_gates(ws, &input.project, &input.environment, now).await?;
    let rule = gates
        .rule
        .clone()
        .ok_or_else(|| gate_error(GateError::NoRule(input.environment.clone())))?;
    let plan = crate::preview(
        ws,
        &input.project,
        &input.environment,
        Some(input.sha.trim()),
    )
    .await?;
    let change = plan
        .to
        .ok_or_else(|| invalid("That change is not waiting for this environment."))?;
    rule.may_sign(
        &input.environment,
        &crate::promote::gated(&change),
        by,
        &gates.roles_of(by),
    )
    .map_err(gate_error)?;
    ws.store()
        .put_signoff(
            &input.project,
            &input.environment,
            &slipway_core::Signoff {
                sha: change.sha.clone(),
                by: by.to_string(),
                verdict,
                comment: input.comment.trim().to_string(),
                at: now,
            },
            &audit(
                by,
                now,
                "signoff",
                format!(
                    "{}/{}@{}",
                    input.project, input.environment, change.short_sha
                ),
                format!(
                    "{} \"{}\"{}",
                    verdict.as_str(),
                    change.title,
                    if input.comment.trim().is_empty() {
                        String::new()
                    } else {
                        format!(": {}", input.comment.trim())
                    }
                ),
            ),
        )
        .await?;
    Ok(())
}

/// Marks a change bad (it goes no further downstream) or, with `reason` None, unmarks it.
pub async fn mark_bad(
    ws: &Workspace,
    project: &str,
    sha: &str,
    reason: Option<&str>,
    by: &str,
    clock: &dyn Clock,
) -> Result<(), ApiError> {
    let found = ws.project(project).await?;
    let path = found.repo_path.clone();
    let spec = sha.trim().to_string();
    let full =
        tokio::task::spawn_blocking(move || slipway_git::Repo::open(&path)?.commit_id(&spec))
            .await
            .map_err(|e| {
                ApiError::new(
                    ErrorCode::Internal,
                    format!("Reading the commit stopped: {e}."),
                )
            })?
            .map_err(|_| invalid(format!("{sha:?} is not a commit in project {project:?}.")))?;
    let now = clock.now().timestamp();
    let subject = format!("{project}@{}", &full[..8]);
    match reason.map(str::trim) {
        Some("") => Err(invalid("Marking a change bad needs a reason.")),
        Some(reason) => {
            ws.store()
                .mark_bad(
                    project,
                    &BadMark {
                        sha: full,
                        reason: reason.to_string(),
                        by: by.to_string(),
                    },
                    &audit(
                        by,
                        now,
                        "mark_bad",
                        subject,
                        format!("marked bad: {reason}"),
                    ),
                )
                .await?;
            Ok(())
        }
        None => {
            if !ws
                .store()
                .unmark_bad(
                    project,
                    &full,
                    &audit(by, now, "unmark_bad", subject, "unmarked".into()),
                )
                .await?
            {
                return Err(ApiError::new(
                    ErrorCode::NotAllowed,
                    format!("{} is not marked bad.", &full[..8]),
                ));
            }
            Ok(())
        }
    }
}

/// A follow-up item on the board.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FollowUpDto {
    /// Its number.
    #[ts(type = "number")]
    pub id: i64,
    /// Project name.
    pub project: String,
    /// Environment name.
    pub environment: String,
    /// What is to be done.
    pub title: String,
    /// The rollback that opened it.
    #[ts(type = "number | null")]
    pub deployment: Option<i64>,
    /// Who opened it.
    pub opened_by: String,
    /// When, RFC 3339 UTC.
    pub opened_at: String,
    /// Who closed it, when closed.
    pub closed_by: Option<String>,
}

/// Follow-ups, open ones unless `all`.
pub async fn follow_ups(ws: &Workspace, all: bool) -> Result<Vec<FollowUpDto>, ApiError> {
    Ok(ws
        .store()
        .follow_ups(all)
        .await?
        .into_iter()
        .map(|f| FollowUpDto {
            id: f.id,
            project: f.project,
            environment: f.environment,
            title: f.title,
            deployment: f.promotion_id,
            opened_by: f.opened_by,
            opened_at: rfc3339(time(f.opened_at)),
            closed_by: f.closed.map(|(by, _)| by),
        })
        .collect())
}

/// Closes a follow-up.
pub async fn close_follow_up(
    ws: &Workspace,
    id: i64,
    by: &str,
    clock: &dyn Clock,
) -> Result<(), ApiError> {
    let now = clock.now().timestamp();
    if !ws
        .store()
        .close_follow_up(
            id,
            &audit(
                by,
                now,
                "close_follow_up",
                format!("follow-up #{id}"),
                "closed".into(),
            ),
        )
        .await?
    {
        return Err(invalid(format!("There is no open follow-up #{id}.")));
    }
    Ok(())
}

/// An environment's deployments and rollbacks, newest first.
pub async fn history(
    ws: &Workspace,
    project: &str,
    environment: Option<&str>,
    limit: i64,
) -> Result<Vec<DeploymentDto>, ApiError> {
    let found = ws.project(project).await?;
    if let Some(env) = environment {
        environment_index(&found, env)?;
    }
    Ok(ws
        .store()
        .promotions(project, environment, limit)
        .await?
        .iter()
        .map(crate::promote::deployment_dto)
        .collect())
}

/// What checking the audit log found.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditVerifyDto {
    /// Entries checked.
    #[ts(type = "number")]
    pub entries: i64,
    /// Whether the chain is whole.
    pub ok: bool,
    /// Where it breaks, as a sentence.
    pub problem: Option<String>,
}

/// Checks the audit log's hash chain: a changed, removed or reordered entry is found.
pub async fn audit_verify(ws: &Workspace) -> Result<AuditVerifyDto, ApiError> {
    let (entries, (count, head)) = ws.store().audit_log().await?;
    Ok(match verify_chain(&entries, Some((count, &head))) {
        Ok(n) => AuditVerifyDto {
            entries: n,
            ok: true,
            problem: None,
        },
        Err(e) => AuditVerifyDto {
            entries: entries.len() as i64,
            ok: false,
            problem: Some(format!("{}.", capitalise(&e.to_string()))),
        },
    })
}

/// One audit entry as exported.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditEntryDto {
    /// Position.
    #[ts(type = "number")]
    pub seq: i64,
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What kind of act.
    pub action: String,
    /// What it was done to.
    pub subject: String,
    /// Details.
    pub detail: String,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// The audit log as CSV (RFC 4180, with a header row) or JSON.
pub async fn audit_export(ws: &Workspace, format: &str) -> Result<String, ApiError> {
    let (entries, _) = ws.store().audit_log().await?;
    let rows: Vec<AuditEntryDto> = entries
        .into_iter()
        .map(|e| AuditEntryDto {
            seq: e.entry.seq,
            at: rfc3339(time(e.entry.at)),
            actor: e.entry.actor,
            action: e.entry.action,
            subject: e.entry.subject,
            detail: e.entry.detail,
            prev_hash: e.prev,
            hash: e.hash,
        })
        .collect();
    match format {
        "json" => serde_json::to_string_pretty(&rows)
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("Writing JSON failed: {e}."))),
        "csv" => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            let failed = |e: csv::Error| {
                ApiError::new(ErrorCode::Internal, format!("Writing CSV failed: {e}."))
            };
            for row in &rows {
                writer.serialize(row).map_err(failed)?;
            }
            let bytes = writer.into_inner().map_err(|e| {
                ApiError::new(ErrorCode::Internal, format!("Writing CSV failed: {e}."))
            })?;
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        }
        other => Err(invalid(format!(
            "Export format {other:?} is not known: use csv or json."
        ))),
    }
}

/// A change waiting for someone's sign-off.
#[derive(Debug, Clone, Serialize, TS)]
pub struct InboxItemDto {
    /// Project name.
    pub project: String,
    /// Environment name.
    pub environment: String,
    /// The change.
    pub change: ChangeDto,
    /// How long it has waited for the environment.
    pub age: String,
    /// Seconds it has waited.
    #[ts(type = "number")]
    pub age_seconds: i64,
    /// Where its sign-offs stand ("1 of 2 qa sign-offs").
    pub state: String,
}

/// The QA inbox: queued changes waiting for a sign-off `viewer` may give (their roles, not
/// their own changes, not yet signed by them), per environment, oldest first.
pub async fn inbox(
    ws: &Workspace,
    viewer: &str,
    clock: &dyn Clock,
    repos: &mut RepoCache,
) -> Result<Vec<InboxItemDto>, ApiError> {
    let board = crate::load_board_cached(ws, clock, repos).await?;
    let now = clock.now().timestamp();
    let mut items = Vec::new();
    for project in &board.projects {
        let project_gates = ProjectGates::load(ws, &project.name, now).await?;
        for column in &project.environments {
            let gates = project_gates.environment(&column.name);
            let Some(rule) = &gates.rule else { continue };
            let roles = gates.roles_of(viewer);
            for queued in &column.queue {
                let change = crate::promote::gated(&queued.change);
                if rule
                    .may_sign(&column.name, &change, viewer, &roles)
                    .is_err()
                {
                    continue;
                }
                let roles_of = |who: &str| gates.roles_of(who);
                let state = rule.state(&change, &gates.signoffs, &roles_of);
                let signed = gates
                    .signoffs
                    .iter()
                    .any(|s| s.sha == change.sha && s.by.eq_ignore_ascii_case(viewer));
                if state.satisfied() || signed {
                    continue;
                }
                items.push(InboxItemDto {
                    project: project.name.clone(),
                    environment: column.name.clone(),
                    change: queued.change.clone(),
                    age: queued.age.clone(),
                    age_seconds: queued.age_seconds,
                    state: state.describe(),
                });
            }
        }
    }
    items.sort_by_key(|i| std::cmp::Reverse(i.age_seconds));
    Ok(items)
}

/// A hold on an environment.
#[derive(Debug, Clone, Serialize, TS)]
pub struct HoldDto {
    /// Why.
    pub reason: String,
    /// Who owns lifting it.
    pub owner: String,
    /// Since when, RFC 3339 UTC.
    pub since: String,
}

fn blocker(b: slipway_core::Blocker) -> crate::BlockerDto {
    crate::BlockerDto {
        kind: b.kind().to_string(),
        sentence: b.sentence(0),
    }
}

/// Puts the gates on a project's board: each column's hold, freezes, sign-off rule, newest
/// deployment and running promotion, each queued change's gate blockers, and the project's
/// open follow-ups.
pub(crate) async fn add_gates(
    ws: &Workspace,
    board: &mut crate::ProjectBoardDto,
    now: i64,
) -> Result<(), ApiError> {
    use slipway_core::Blocker;
    let store = ws.store();
    let running = store.unfinished_promotions().await?;
    board.follow_ups = follow_ups(ws, false)
        .await?
        .into_iter()
        .filter(|f| f.project == board.name)
        .collect();
    let project_gates = ProjectGates::load(ws, &board.name, now).await?;
    for column in &mut board.environments {
        let gates = project_gates.environment(&column.name);
        column.hold = gates.hold.as_ref().map(|h| HoldDto {
            reason: h.reason.clone(),
            owner: h.owner.clone(),
            since: rfc3339(time(h.since)),
        });
        column.frozen = gates
            .freezes
            .iter()
            .map(|f| format!("{} ({})", f.reason, f.window))
            .collect();
        column.signoff_rule = gates.rule.as_ref().map(|r| {
            format!(
                "{} {}sign-off{}",
                r.required,
                r.role.as_ref().map(|x| format!("{x} ")).unwrap_or_default(),
                if r.required == 1 { "" } else { "s" }
            )
        });
        column.last_deployment = store
            .promotions(&board.name, Some(&column.name), 1)
            .await?
            .first()
            .map(crate::promote::deployment_dto);
        column.running = running
            .iter()
            .find(|p| p.spec.project == board.name && p.spec.environment == column.name)
            .map(|p| {
                format!(
                    "{} by {} since {}",
                    p.spec.kind,
                    p.spec.by,
                    rfc3339(time(p.spec.at))
                )
            });
        let roles_of = |who: &str| gates.roles_of(who);
        for queued in &mut column.queue {
            let mut first = Vec::new();
            if let Some(bad) = gates.bad.iter().find(|b| b.sha == queued.change.sha) {
                first.push(blocker(Blocker::MarkedBad {
                    by: bad.by.clone(),
                    reason: bad.reason.clone(),
                }));
            }
            if let Some(rule) = &gates.rule {
                let state = rule.state(
                    &crate::promote::gated(&queued.change),
                    &gates.signoffs,
                    &roles_of,
                );
                if state.rejected.is_some() {
                    first.push(blocker(Blocker::Rejected {
                        environment: column.name.clone(),
                        state: state.describe(),
                    }));
                } else if !state.satisfied() {
                    first.push(blocker(Blocker::AwaitingSignoff {
                        environment: column.name.clone(),
                        state: state.describe(),
                    }));
                }
            }
            if let Some(h) = &gates.hold {
                first.push(blocker(Blocker::OnHold {
                    environment: column.name.clone(),
                    owner: h.owner.clone(),
                    reason: h.reason.clone(),
                }));
            }
            for f in &gates.freezes {
                first.push(blocker(Blocker::Frozen {
                    environment: column.name.clone(),
                    reason: f.reason.clone(),
                }));
            }
            if !first.is_empty() {
                first.append(&mut queued.blockers);
                queued.blockers = first;
            }
        }
    }
    Ok(())
}
