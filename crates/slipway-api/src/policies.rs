//! What clocks are measured against: business calendars, SLA and aging policies with their
//! escalation chains, people and their roles, and freeze windows.

use serde::Deserialize;
use slipway_core::{
    AgingPolicy, Alerting, Calendar, EscalationStep, RequestKind, Severity, SlaPolicy, Threshold,
};
use slipway_store::FreezeWindow;
use ts_rs::TS;

use crate::error::{invalid, ApiError};
use crate::time::read_time;
use crate::workspace::Workspace;

/// A calendar as typed: hours like `Mon-Fri 09:00-17:00` (several groups separated by `;`),
/// holidays like `Christmas=2026-12-24..2026-12-26` or `2027-01-01`.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct CalendarInputDto {
    /// Its name.
    pub name: String,
    /// IANA time zone (`Europe/Berlin`); empty for 24×7.
    pub zone: Option<String>,
    /// Opening hours.
    pub hours: Option<String>,
    /// Holidays.
    pub holidays: Vec<String>,
}

/// Adds or replaces a calendar. Everything is checked first; a bad part changes nothing.
pub async fn save_calendar(
    workspace: &Workspace,
    input: &CalendarInputDto,
) -> Result<(), ApiError> {
    let name = input.name.trim();
    if name.is_empty() || name.contains(char::is_whitespace) {
        return Err(invalid(
            "A calendar needs a name without spaces (for example berlin-office).",
        ));
    }
    // No zone is a 24×7 calendar; a zone given empty is a mistake, not a way to say that.
    if input.zone.as_deref().is_some_and(|z| z.trim().is_empty()) {
        return Err(invalid(
            "The time zone is empty: give an IANA zone (--zone Europe/Berlin), or leave --zone out for a 24×7 calendar.",
        ));
    }
    let calendar = match input.zone.as_deref().map(str::trim) {
        None => {
            if input.hours.is_some() || !input.holidays.is_empty() {
                return Err(invalid(
                    "Opening hours and holidays need a time zone (--zone Europe/Berlin).",
                ));
            }
            Calendar::Always
        }
        Some(zone) => {
            let week =
                slipway_core::parse_week(input.hours.as_deref().unwrap_or("Mon-Fri 09:00-17:00"))?;
            let holidays = input
                .holidays
                .iter()
                .map(|h| slipway_core::parse_holiday(h))
                .collect::<Result<Vec<_>, _>>()?;
            Calendar::business(zone, week, holidays)
                .map_err(|e| invalid(format!("{}.", crate::error::capitalise(&e.to_string()))))?
        }
    };
    workspace.store().save_calendar(name, &calendar).await?;
    Ok(())
}

/// How a policy warns and escalates, as typed.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct AlertingInputDto {
    /// Calendar name (default `24x7`).
    pub calendar: Option<String>,
    /// Warning percentages (default 50 and 75).
    pub warnings: Option<Vec<u8>>,
    /// Escalation steps: `warn-50=assignee`, `warn-75=role:qa-lead`, `breach=role:lead,ops@x`.
    pub escalate: Vec<String>,
    /// Reminder interval after breach (a duration), none by default.
    pub repeat: Option<String>,
    /// Keep running while the request is on hold.
    pub run_on_hold: bool,
    /// Keep running during freeze windows.
    pub run_in_freeze: bool,
}

async fn alerting(
    workspace: &Workspace,
    input: &AlertingInputDto,
) -> Result<(Alerting, Calendar), ApiError> {
    let name = input.calendar.clone().unwrap_or_else(|| "24x7".into());
    let calendar = workspace
        .store()
        .calendars()
        .await?
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, c)| c)
        .ok_or_else(|| {
            invalid(format!(
                "There is no calendar named {name:?}; add it first with `slipway calendar add`."
            ))
        })?;
    let mut out = Alerting::new(&name);
    if let Some(w) = &input.warnings {
        out.warnings = w.clone();
    }
    for step in &input.escalate {
        let (at, who) = step.split_once('=').ok_or_else(|| {
            invalid(format!("“{step}” is not an escalation step; write warn-50=assignee or breach=role:lead,ops@example.com."))
        })?;
        let at = Threshold::from_key(at.trim())
            .filter(|t| !matches!(t, Threshold::Repeat(_)))
            .ok_or_else(|| {
                invalid(format!(
                    "“{at}” is not a threshold; use warn-50, warn-75 or breach."
                ))
            })?;
        out.escalation.push(EscalationStep {
            at,
            notify: who
                .split(',')
                .map(|w| w.trim().to_string())
                .filter(|w| !w.is_empty())
                .collect(),
        });
    }
    out.repeat_every = input
        .repeat
        .as_deref()
        .map(|r| slipway_core::parse_duration(r, &calendar))
        .transpose()?;
    out.pause_on_hold = !input.run_on_hold;
    out.pause_in_freeze = !input.run_in_freeze;
    Ok((out, calendar))
}

/// An SLA policy as typed: durations per stage.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct SlaPolicyInputDto {
    /// Request type.
    pub kind: String,
    /// Severity.
    pub severity: String,
    /// Time to approve.
    pub approve: Option<String>,
    /// Time to verify.
    pub verify: Option<String>,
    /// Time to deploy.
    pub deploy: Option<String>,
    /// Total time.
    pub total: Option<String>,
    /// Warnings, escalation, calendar.
    pub alerting: AlertingInputDto,
}

/// Adds or replaces the SLA policy for a type and severity.
pub async fn set_sla_policy(
    workspace: &Workspace,
    input: &SlaPolicyInputDto,
) -> Result<(), ApiError> {
    let kind: RequestKind = input.kind.parse()?;
    let severity: Severity = input.severity.parse()?;
    let (alerting, calendar) = alerting(workspace, &input.alerting).await?;
    let goal = |d: &Option<String>| {
        d.as_deref()
            .map(|d| slipway_core::parse_duration(d, &calendar))
            .transpose()
    };
    let policy = SlaPolicy::new(
        kind,
        severity,
        [
            goal(&input.approve)?,
            goal(&input.verify)?,
            goal(&input.deploy)?,
            goal(&input.total)?,
        ],
        alerting,
    )
    .map_err(|e| invalid(format!("{}.", crate::error::capitalise(&e.to_string()))))?;
    workspace.store().save_sla_policy(&policy).await?;
    Ok(())
}

/// Adds or replaces a project environment's aging policy.
pub async fn set_aging_policy(
    workspace: &Workspace,
    project: &str,
    environment: &str,
    goal: &str,
    input: &AlertingInputDto,
) -> Result<(), ApiError> {
    let p = workspace.project(project).await?;
    if !p
        .pipeline
        .environments
        .iter()
        .any(|e| e.name == environment)
    {
        return Err(invalid(format!(
            "Project {project:?} has no environment {environment:?}."
        )));
    }
    let (alerting, calendar) = alerting(workspace, input).await?;
    let policy = AgingPolicy::new(
        environment,
        slipway_core::parse_duration(goal, &calendar)?,
        alerting,
    )
    .map_err(|e| invalid(format!("{}.", crate::error::capitalise(&e.to_string()))))?;
    workspace
        .store()
        .save_aging_policy(project, &policy)
        .await?;
    Ok(())
}

/// Adds or replaces a person (keeping the chat handle they have as a stakeholder).
pub async fn save_person(
    workspace: &Workspace,
    email: &str,
    name: &str,
    roles: &[String],
) -> Result<(), ApiError> {
    let chat_handle = workspace
        .store()
        .people()
        .await?
        .into_iter()
        .find(|p| p.email.eq_ignore_ascii_case(email.trim()))
        .map(|p| p.chat_handle)
        .unwrap_or_default();
    crate::notifications::save_stakeholder(
        workspace,
        &crate::notifications::StakeholderDto {
            email: email.to_string(),
            name: name.to_string(),
            chat_handle,
            roles: roles.to_vec(),
            subscriptions: 0,
        },
    )
    .await
}

/// Adds a one-off freeze window.
pub async fn add_freeze(
    workspace: &Workspace,
    project: &str,
    environment: Option<&str>,
    from: &str,
    to: &str,
    reason: &str,
) -> Result<i64, ApiError> {
    let p = workspace.project(project).await?;
    if let Some(env) = environment {
        if !p.pipeline.environments.iter().any(|e| e.name == env) {
            return Err(invalid(format!(
                "Project {project:?} has no environment {env:?}."
            )));
        }
    }
    let (from, to) = (read_time(from)?, read_time(to)?);
    if to <= from {
        return Err(invalid("A freeze window must end after it starts."));
    }
    if reason.trim().is_empty() {
        return Err(invalid("A freeze window needs a reason."));
    }
    Ok(workspace
        .store()
        .add_freeze(&FreezeWindow {
            id: 0,
            project: project.to_string(),
            environment: environment.map(str::to_string),
            starts_at: from.timestamp(),
            ends_at: to.timestamp(),
            reason: reason.trim().to_string(),
        })
        .await?)
}
