//! A run's deploy action: its webhook or command rendered from the templates with the run's
//! variables, the token checked for the transport, and a command's process group put on the
//! record as it starts.

use std::collections::HashMap;
use std::path::Path;

use slipway_core::{DeployAction, Escape};
use slipway_deploy::{Cancel, DeployError, Outcome};
use slipway_secrets::Secret;
use slipway_store::Store;

use super::run::{say, Progress};

/// What the action of run `id` runs with.
pub(crate) struct ActionRun<'a> {
    pub(crate) id: i64,
    /// When the run began (part of the marker its command carries).
    pub(crate) began: i64,
    pub(crate) store: &'a Store,
    pub(crate) vars: &'a HashMap<&'static str, String>,
    /// The project's clone: a command runs in it.
    pub(crate) repo: &'a Path,
    /// The webhook's bearer token, from the keychain.
    pub(crate) token: Option<&'a Secret>,
    pub(crate) cancel: &'a Cancel,
    pub(crate) progress: &'a Progress,
}

/// Runs the action (`None` output for no action), streaming its lines to the progress.
pub(crate) async fn run_action(
    action: &DeployAction,
    run: ActionRun<'_>,
) -> Result<Option<Outcome>, DeployError> {
    let value = |name: &str| run.vars.get(name).cloned().unwrap_or_default();
    let step_progress = run.progress.clone();
    let mut on_line = move |line: String| say(&step_progress, "action", line);
    match action {
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
                token: run.token.map(|t| t.expose().to_string()),
                idempotency_key: format!("slipway-deployment-{}", run.id),
                timeout: std::time::Duration::from_secs(u64::from(w.timeout_secs)),
            };
            say(
                run.progress,
                "action",
                format!("{} {}", hook.method, hook.url),
            );
            // Checked when saved; checked again here for settings saved before the rule.
            let plain = hook
                .token
                .as_ref()
                .and_then(|_| slipway_core::secret_may_go_to(&hook.url).err());
            if let Some(e) = plain {
                Err(DeployError::Invalid {
                    what: "deploy webhook".into(),
                    reason: e.to_string(),
                })
            } else {
                slipway_deploy::run_webhook(&hook, run.cancel, &mut on_line)
                    .await
                    .map(Some)
            }
        }
        DeployAction::Command(c) => {
            let command = slipway_deploy::Command {
                argv: c
                    .argv
                    .iter()
                    .map(|a| a.render(&value, Escape::None))
                    .collect(),
                dir: Some(run.repo.to_path_buf()),
                env: action_marker(run.id, run.began),
                timeout: std::time::Duration::from_secs(u64::from(c.timeout_secs)),
            };
            say(
                run.progress,
                "action",
                format!("running {}", command.argv.join(" ")),
            );
            // The command's process group goes on the record as it starts (for the log of
            // a reconcile that finds it left running; finding it needs only the marker).
            let (started, group) = tokio::sync::oneshot::channel::<u32>();
            let mut started = Some(started);
            let mut on_spawn = move |pgid: u32| {
                if let Some(tx) = started.take() {
                    let _ = tx.send(pgid);
                }
            };
            let record = async {
                if let Ok(pgid) = group.await {
                    super::run::failpoint_wait("before-record-group").await;
                    if let Err(e) = run.store.record_action_process(run.id, pgid).await {
                        tracing::warn!(error = %e, "could not record the deploy command's process group");
                    }
                }
            };
            let (ran, ()) = tokio::join!(
                slipway_deploy::run_command_reporting(
                    &command,
                    run.cancel,
                    &mut on_spawn,
                    &mut on_line
                ),
                record
            );
            ran.map(Some)
        }
    }
}

/// The variables that mark a deploy command (and every process it starts) as run `id`'s,
/// begun at `began` by this process: what reconcile looks for before it stops a
/// left-running one. Together they name one run on this machine, in whatever workspace.
pub(crate) fn action_marker(id: i64, began: i64) -> Vec<(String, String)> {
    action_marker_of(id, began, i64::from(std::process::id()))
}

/// [`action_marker`] of run `id` begun at `began` by process `pid`.
pub(crate) fn action_marker_of(id: i64, began: i64, pid: i64) -> Vec<(String, String)> {
    vec![
        ("SLIPWAY_DEPLOYMENT_ID".into(), id.to_string()),
        ("SLIPWAY_RUN_PID".into(), pid.to_string()),
        ("SLIPWAY_RUN_BEGAN".into(), began.to_string()),
    ]
}
