//! The config guard: a project's settings (markers learned from the repository and added by
//! hand, denied settings, file patterns, modes, the override), and its look at every
//! promotion (the plan and the preview carry its report; its blocks are gate verdicts).

mod drift;
pub(crate) mod dto;
pub(crate) mod scan;

pub use drift::{config_drift, DriftDto, DriftFileDto};
pub use dto::*;

use slipway_core::guard::{
    check_glob, check_marker, check_pattern, default_denied, known_environments, learn_markers,
    DeniedSetting, FileOwners, GuardSettings, ManualMarker,
};
use slipway_core::{check_environment_name, Clock, Project};
use slipway_git::Repo;

use crate::error::{capitalise, invalid, ApiError};
use crate::repos::blocking;
use crate::workspace::Workspace;

fn guard_error(e: slipway_core::guard::GuardError) -> ApiError {
    invalid(format!(
        "{}. Nothing was saved.",
        capitalise(&e.to_string())
    ))
}

fn pipeline_names(project: &Project) -> Vec<String> {
    project
        .pipeline
        .environments
        .iter()
        .map(|e| e.name.clone())
        .collect()
}

fn last_environment(project: &Project) -> String {
    project
        .pipeline
        .environments
        .last()
        .map(|e| e.name.clone())
        .unwrap_or_default()
}

/// A project's guard settings, with the markers learned from what its last environment
/// (production) runs — the files a promotion is compared against.
pub async fn guard_settings(ws: &Workspace, project: &str) -> Result<GuardSettingsDto, ApiError> {
    let project = ws.project(project).await?;
    let settings = ws.store().guard_settings(&project.name).await?;
    let environments = known_environments(&settings, &pipeline_names(&project));
    let owners = FileOwners::new(&environments, &settings.globs()).map_err(guard_error)?;
    let recorded = crate::repos::recorded(ws, &project.name).await?;
    let read = project.clone();
    let (head, files) = blocking(move || {
        let repo = Repo::open(&read.repo_path)?;
        let last = read.pipeline.environments.len().saturating_sub(1);
        let stage = crate::repos::stages_of(&repo, &read, &recorded)
            .into_iter()
            .nth(last)
            .ok_or_else(|| slipway_git::GitError::RefMissing("environment".into()))??;
        let head = stage.oid.to_string();
        let files = repo.environment_files(&head, &owners)?;
        Ok((head, files))
    })
    .await
    .map_err(|e| e.in_project(&project.name))?;
    let learned = learn_markers(&files);
    let mut markers: Vec<MarkerDto> = learned
        .iter()
        .map(|m| MarkerDto {
            environment: m.environment.clone(),
            text: m.text.clone(),
            origin: if settings
                .ignored
                .iter()
                .any(|i| i.eq_ignore_ascii_case(&m.text))
            {
                MarkerOriginDto::Ignored
            } else {
                MarkerOriginDto::Learned
            },
            source: m.provenance(),
        })
        .collect();
    markers.extend(settings.markers.iter().map(|m| MarkerDto {
        environment: m.environment.clone(),
        text: m.text.clone(),
        origin: MarkerOriginDto::Manual,
        source: "added by hand".into(),
    }));
    let last = last_environment(&project);
    Ok(GuardSettingsDto {
        project: project.name.clone(),
        globs: settings.globs(),
        globs_default: settings.globs.is_none(),
        other_environments: settings.other_environments(),
        markers,
        denied: settings
            .denied(&last)
            .into_iter()
            .map(|d| DeniedDto {
                environment: d.environment,
                pattern: d.pattern,
                why: d.why,
            })
            .collect(),
        denied_default: settings.denied.is_none(),
        modes: pipeline_names(&project)
            .into_iter()
            .map(|env| GuardEnvironmentDto {
                mode: settings.mode(&env, &last).into(),
                default: !settings.modes.iter().any(|(e, _)| *e == env),
                environment: env,
            })
            .collect(),
        override_role: settings.override_role.clone(),
        learned_at: head[..head.len().min(8)].to_string(),
    })
}

/// Changes a project's guard settings (checked first: a bad glob, marker or pattern is
/// refused and nothing is saved), with an audit entry.
pub async fn edit_guard(
    ws: &Workspace,
    project: &str,
    change: &GuardChangeDto,
    by: &str,
    clock: &dyn Clock,
) -> Result<GuardSettingsDto, ApiError> {
    let found = ws.project(project).await?;
    let mut settings = ws.store().guard_settings(&found.name).await?;
    let detail = apply(&found, &mut settings, change)?;
    settings.check().map_err(guard_error)?;
    ws.store()
        .save_guard_settings(
            &found.name,
            &settings,
            &slipway_store::AuditDraft {
                at: clock.now().timestamp(),
                actor: by.to_string(),
                action: "configure".to_string(),
                subject: format!("{}/config-guard", found.name),
                detail,
                events: Vec::new(),
            },
        )
        .await?;
    guard_settings(ws, &found.name).await
}

/// Whose markers a project knows: its pipeline's environments and the other known ones.
fn check_owner(project: &Project, settings: &GuardSettings, env: &str) -> Result<(), ApiError> {
    if known_environments(settings, &pipeline_names(project))
        .iter()
        .any(|e| e == env)
    {
        Ok(())
    } else {
        Err(invalid(format!(
            "Project {:?} has no environment {env:?} (its pipeline: {}; other known environments: {}). Nothing was saved.",
            project.name,
            project.pipeline.names(),
            settings.other_environments().join(", ")
        )))
    }
}

fn check_pipeline_env(project: &Project, env: &str) -> Result<(), ApiError> {
    crate::projects::environment_index(project, env).map(|_| ())
}

/// Applies one change to the settings; returns the audit's words.
fn apply(
    project: &Project,
    settings: &mut GuardSettings,
    change: &GuardChangeDto,
) -> Result<String, ApiError> {
    let last = last_environment(project);
    Ok(match change {
        GuardChangeDto::AddMarker { environment, text } => {
            check_owner(project, settings, environment)?;
            check_marker(text).map_err(guard_error)?;
            let text = text.trim().to_string();
            if settings
                .markers
                .iter()
                .any(|m| m.text.eq_ignore_ascii_case(&text))
            {
                return Err(invalid(format!(
                    "“{text}” is a marker already. Nothing was saved."
                )));
            }
            settings.ignored.retain(|i| !i.eq_ignore_ascii_case(&text));
            settings.markers.push(ManualMarker {
                environment: environment.clone(),
                text: text.clone(),
            });
            format!("marker “{text}” added for {environment}")
        }
        GuardChangeDto::RemoveMarker { text } => {
            let text = text.trim();
            let before = settings.markers.len();
            settings
                .markers
                .retain(|m| !m.text.eq_ignore_ascii_case(text));
            if settings.markers.len() < before {
                format!("marker “{text}” removed")
            } else {
                check_marker(text).map_err(guard_error)?;
                if settings
                    .ignored
                    .iter()
                    .any(|i| i.eq_ignore_ascii_case(text))
                {
                    return Err(invalid(format!(
                        "“{text}” is dismissed already. Nothing was saved."
                    )));
                }
                settings.ignored.push(text.to_string());
                format!("learned marker “{text}” dismissed")
            }
        }
        GuardChangeDto::RestoreMarker { text } => {
            let before = settings.ignored.len();
            settings
                .ignored
                .retain(|i| !i.eq_ignore_ascii_case(text.trim()));
            if settings.ignored.len() == before {
                return Err(invalid(format!(
                    "“{}” is not a dismissed marker. Nothing was saved.",
                    text.trim()
                )));
            }
            format!("learned marker “{}” used again", text.trim())
        }
        GuardChangeDto::AddDenied {
            environment,
            pattern,
            why,
        } => {
            check_pipeline_env(project, environment)?;
            check_pattern(pattern).map_err(guard_error)?;
            if why.trim().is_empty() {
                return Err(invalid(
                    "Say why the setting is denied (it is the finding's words). Nothing was saved.",
                ));
            }
            settings
                .denied
                .get_or_insert_with(|| default_denied(&last))
                .push(DeniedSetting {
                    environment: environment.clone(),
                    pattern: pattern.clone(),
                    why: why.trim().to_string(),
                });
            format!("denied in {environment}: {pattern} ({})", why.trim())
        }
        GuardChangeDto::RemoveDenied {
            environment,
            pattern,
        } => {
            let list = settings.denied.get_or_insert_with(|| default_denied(&last));
            let before = list.len();
            list.retain(|d| !(d.environment == *environment && d.pattern == *pattern));
            if list.len() == before {
                return Err(invalid(format!(
                    "{environment} has no denied setting {pattern:?} (see slipway guard show). Nothing was saved."
                )));
            }
            format!("no longer denied in {environment}: {pattern}")
        }
        GuardChangeDto::ResetDenied => {
            settings.denied = None;
            "denied settings back to the defaults".to_string()
        }
        GuardChangeDto::SetMode { environment, mode } => {
            check_pipeline_env(project, environment)?;
            settings.modes.retain(|(e, _)| e != environment);
            settings.modes.push((environment.clone(), mode.domain()));
            format!(
                "the guard {} promotions to {environment}",
                match mode {
                    GuardModeDto::Block => "blocks",
                    GuardModeDto::Warn => "warns on",
                    GuardModeDto::Off => "no longer looks at",
                }
            )
        }
        GuardChangeDto::SetGlobs { globs } => {
            for glob in globs.iter().flatten() {
                check_glob(glob).map_err(guard_error)?;
            }
            settings.globs = globs.clone();
            match globs {
                Some(g) => format!("file patterns: {}", g.join(", ")),
                None => "file patterns back to the defaults".to_string(),
            }
        }
        GuardChangeDto::SetOtherEnvironments { names } => {
            for name in names.iter().flatten() {
                check_environment_name(name).map_err(|_| {
                    guard_error(slipway_core::guard::GuardError::BadEnvironment(
                        name.clone(),
                    ))
                })?;
            }
            settings.other_environments = names.clone();
            match names {
                Some(n) => format!("other known environments: {}", n.join(", ")),
                None => "other known environments back to the defaults".to_string(),
            }
        }
        GuardChangeDto::SetOverrideRole { role } => {
            let role = role
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_lowercase);
            settings.override_role = role.clone();
            match role {
                Some(r) => format!("a block is lifted only by a sign-off of a {r}"),
                None => "a block is lifted by an override with a reason".to_string(),
            }
        }
    })
}
