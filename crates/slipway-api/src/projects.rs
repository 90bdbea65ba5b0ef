//! Adding, listing and removing projects.

use std::path::Path;

use serde::Serialize;
use slipway_core::{check_project_name, Clock, Environment, Pipeline, Project, TrackingRef};
use slipway_git::Repo;
use ts_rs::TS;

use crate::error::{capitalise, invalid, ApiError, ErrorCode};
use crate::workspace::Workspace;

/// An environment of a project's pipeline.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EnvironmentSpecDto {
    /// Name.
    pub name: String,
    /// `branch`, `tag` or `db`.
    pub strategy: String,
    /// Branch name or tag pattern (empty for `db`).
    pub ref_name: String,
}

/// A project and its pipeline.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ProjectDto {
    /// Name.
    pub name: String,
    /// The local clone.
    pub repo_path: String,
    /// The trunk branch.
    pub trunk: String,
    /// Environments in pipeline order.
    pub environments: Vec<EnvironmentSpecDto>,
}

fn project_dto(p: &Project) -> ProjectDto {
    ProjectDto {
        name: p.name.clone(),
        repo_path: p.repo_path.display().to_string(),
        trunk: p.pipeline.trunk.clone(),
        environments: p
            .pipeline
            .environments
            .iter()
            .map(|e| EnvironmentSpecDto {
                name: e.name.clone(),
                strategy: e.tracking.strategy().to_string(),
                ref_name: e.tracking.ref_name().to_string(),
            })
            .collect(),
    }
}

/// Adds a project: `environments` are `(name, spec)` in pipeline order, each spec
/// `branch:NAME`, `tag:PATTERN` or `db`. Everything is checked against the repository first
/// (it must be a clone, trunk and every branch or tag must exist); on any error nothing is
/// stored.
pub async fn add_project(
    workspace: &Workspace,
    name: &str,
    repo_path: &Path,
    trunk: &str,
    environments: &[(String, String)],
    clock: &dyn Clock,
) -> Result<ProjectDto, ApiError> {
    check_project_name(name).map_err(|e| invalid(format!("{}.", capitalise(&e.to_string()))))?;
    let mut envs = Vec::with_capacity(environments.len());
    for (env, spec) in environments {
        let tracking = TrackingRef::parse(spec)
            .map_err(|e| invalid(format!("Project {name:?}, environment {env:?}: {e}.")))?;
        envs.push(Environment {
            name: env.clone(),
            tracking,
        });
    }
    let pipeline = Pipeline {
        trunk: trunk.to_string(),
        environments: envs,
    };
    pipeline
        .validate()
        .map_err(|e| invalid(format!("Project {name:?}: {e}.")))?;
    let repo_path = std::path::absolute(repo_path).unwrap_or_else(|_| repo_path.to_path_buf());
    if repo_path.to_str().is_none() {
        return Err(invalid(format!(
            "Project {name:?}: the repository path {} is not valid UTF-8, and Slipway keeps paths as text; rename the folder, or give a path to it (a symbolic link) that is.",
            repo_path.to_string_lossy()
        )));
    }
    let project = Project {
        name: name.to_string(),
        repo_path,
        pipeline,
    };
    let checked = project.clone();
    tokio::task::spawn_blocking(move || check_against_repository(&checked))
        .await
        .map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("Checking the repository stopped: {e}."),
            )
        })??;
    workspace
        .store()
        .add_project(&project, clock.now().timestamp())
        .await?;
    tracing::info!(project = %project.name, "project added");
    Ok(project_dto(&project))
}

fn check_against_repository(project: &Project) -> Result<(), ApiError> {
    let in_project = |e: slipway_git::GitError| ApiError::from(e).in_project(&project.name);
    let mut repo = Repo::open(&project.repo_path).map_err(in_project)?;
    if repo.is_shallow() {
        return Err(invalid(format!(
            "Project {:?}: the clone at {} is shallow — history before some commit is missing, so queues and ages cannot be read truthfully; run `git fetch --unshallow` in it, then add it.",
            project.name,
            project.repo_path.display()
        )));
    }
    repo.tip(&project.pipeline.trunk).map_err(in_project)?;
    for env in &project.pipeline.environments {
        if env.tracking != TrackingRef::Database {
            repo.stage(&env.tracking)
                .map_err(|e| ApiError::from(e).in_environment(&project.name, &env.name))?;
        }
    }
    Ok(())
}

/// Every project, by name.
pub async fn list_projects(workspace: &Workspace) -> Result<Vec<ProjectDto>, ApiError> {
    Ok(workspace
        .store()
        .projects()
        .await?
        .iter()
        .map(project_dto)
        .collect())
}

/// Removes a project from the workspace; its repository on disk is not touched.
pub async fn remove_project(workspace: &Workspace, name: &str) -> Result<(), ApiError> {
    let secrets = workspace.store().remove_project(name).await?;
    crate::secrets::forget(secrets).await;
    tracing::info!(project = %name, "project removed");
    Ok(())
}

/// Records that `environment` of `project` now stands at `sha` (full, or ≥ 7 hex digits),
/// deployed at `at` by `by`. Only for environments tracked with `db`: branch- and tag-tracked
/// environments are read from git. The commit must be in the project's clone.
pub async fn record_deployment(
    workspace: &Workspace,
    project: &str,
    environment: &str,
    sha: &str,
    at: chrono::DateTime<chrono::Utc>,
    by: &str,
) -> Result<String, ApiError> {
    let found = workspace.project(project).await?;
    let env = found
        .pipeline
        .environments
        .iter()
        .find(|e| e.name == environment)
        .ok_or_else(|| {
            invalid(format!(
                "Project {project:?} has no environment {environment:?}."
            ))
        })?;
    if env.tracking != TrackingRef::Database {
        return Err(invalid(format!(
            "Project {project:?}, environment {environment:?} is tracked by {} {:?} in git; record deployments only for environments tracked with db.",
            env.tracking.strategy(),
            env.tracking.ref_name()
        )));
    }
    let path = found.repo_path.clone();
    let wanted = sha.to_string();
    let full = tokio::task::spawn_blocking(move || Repo::open(&path)?.commit_id(&wanted))
        .await
        .map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("Reading the repository stopped: {e}."),
            )
        })?
        .map_err(|e| crate::repos::no_such_commit(&e, sha, project))?;
    let record = slipway_store::DeploymentRecord {
        at: at.timestamp(),
        sha: full.clone(),
        by: by.to_string(),
    };
    workspace
        .store()
        .record_deployment(project, environment, &record)
        .await?;
    tracing::info!(project, environment, sha = %full, "deployment recorded");
    Ok(full)
}

/// The position of `environment` in the project's pipeline, or an error naming the ones it has.
pub(crate) fn environment_index(project: &Project, environment: &str) -> Result<usize, ApiError> {
    project.pipeline.position(environment).ok_or_else(|| {
        invalid(format!(
            "Project {:?} has no environment {environment:?}; it has {}.",
            project.name,
            project.pipeline.names()
        ))
    })
}
