//! Everything around a promotion except running one: an environment's settings (deploy
//! action, sign-off rule, weekly freezes), holds, sign-offs and bad marks, follow-ups, and
//! the gates one project's board, inbox and plans read.

mod holds;
mod settings;
mod signoffs;

pub use holds::*;
pub use settings::*;
pub use signoffs::*;

use crate::time::{rfc3339, time};
use std::collections::HashMap;
use std::sync::Arc;

use slipway_core::{ActiveFreeze, BadMark, EnvironmentGates, Hold, Signoff, SignoffRule};
use slipway_store::AuditDraft;

use crate::error::ApiError;

use crate::workspace::Workspace;

/// An audit entry for a gate act.
pub(crate) fn audit(
    actor: &str,
    at: i64,
    action: &str,
    subject: String,
    detail: String,
) -> AuditDraft {
    AuditDraft {
        at,
        actor: actor.to_string(),
        action: action.to_string(),
        subject,
        detail,
        events: Vec::new(),
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
    pub(crate) fn environment(&self, environment: &str) -> EnvironmentGates {
        EnvironmentGates {
            environment: environment.to_string(),
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
) -> Result<EnvironmentGates, ApiError> {
    Ok(ProjectGates::load(ws, project, now)
        .await?
        .environment(environment))
}
