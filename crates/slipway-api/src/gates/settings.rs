//! An environment's settings: its deploy action and verification (a webhook token in the
//! keychain), its sign-off rule, and weekly freezes.

use serde::{Deserialize, Serialize};
use slipway_core::{
    Clock, CommandAction, DeployAction, SignoffRule, Verification, WebhookAction, WeeklyFreeze,
};
use slipway_secrets::{Keychain, Secret};
use slipway_store::{DeploySettings, StoredWeeklyFreeze};
use ts_rs::TS;

use crate::error::{capitalise, gate_error, invalid, keychain_error, ApiError, ErrorCode};
use crate::projects::environment_index;
use crate::secrets::{deploy_token_reference, KEYCHAIN_SERVICE};
use crate::workspace::Workspace;

use super::audit;

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
                    // A row left wholly empty (the form's spare line) is no header; a value
                    // without a name is refused by the check.
                    .filter(|h| !(h.name.trim().is_empty() && h.value.trim().is_empty()))
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
    // A new token gets a reference of its own; a kept one keeps its entry.
    let reference = match (new_token, &existing.token_key) {
        (Some(_), _) => Some(deploy_token_reference(&input.project, &input.environment)),
        (None, Some(old)) if keeps_token => Some(old.clone()),
        _ => None,
    };
    if let (Some(token), Some(r)) = (new_token, reference.clone()) {
        let secret = Secret::new(token);
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
        token_key: reference.clone(),
        verification,
    };
    let saved = ws
        .store()
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
        .await;
    // The entry the row no longer names goes: the old one once saved, the new one if not.
    let (saved, unused) = match saved {
        Ok(()) => (
            Ok(()),
            existing
                .token_key
                .filter(|old| Some(old) != reference.as_ref()),
        ),
        Err(e) => (Err(e), reference.filter(|_| new_token.is_some())),
    };
    crate::secrets::forget(unused.into_iter().collect()).await;
    saved?;
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
        format!("{} required", rule.describe())
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
