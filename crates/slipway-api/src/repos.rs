//! Opening repositories and reading a project's pipeline from one: the cache a long-lived
//! front end keeps between reads, the blocking-thread hop every git step takes, and the
//! deployments recorded for environments tracked only in the database.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use slipway_core::{Project, TrackingRef};
use slipway_git::{GitError, PipelineRead, Repo, StageRef};

use crate::error::{capitalise, invalid, stopped, ApiError};
use crate::time::time;
use crate::workspace::Workspace;

/// Open repositories by path, kept between refreshes so a new merge costs one commit read.
pub type RepoCache = HashMap<PathBuf, Repo>;

/// Starts the git library: a front end's first call in `main`, before any other thread
/// exists (no async runtime yet). Trust for HTTPS remotes is then read when a fetch connects,
/// not at start (see `slipway_git::start`), so a command that makes no network call does not
/// read the system's certificate bundle.
pub fn start_git() {
    slipway_git::start();
}

/// How many recent trunk changes the trunk column shows.
const RECENT_ON_TRUNK: usize = 12;

/// Runs a git step on a blocking thread.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, GitError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| stopped("A git step", e))?
        .map_err(ApiError::from)
}

/// Takes `project`'s repository out of `repos`, unless its folder went away (the caller then
/// opens it afresh); the caller puts it back with [`keep`].
pub(crate) fn take(repos: &mut RepoCache, project: &Project) -> Option<Repo> {
    repos
        .remove(&project.repo_path)
        .filter(|_| project.repo_path.exists())
}

/// Puts a repository back in the cache.
pub(crate) fn keep(repos: &mut RepoCache, repo: Option<Repo>) {
    if let Some(repo) = repo {
        repos.insert(repo.path().to_path_buf(), repo);
    }
}

/// Deployments recorded in the database, by environment: (when, full sha), oldest first.
pub(crate) type Recorded = HashMap<String, Vec<(DateTime<Utc>, String)>>;

/// A project's recorded deployments, read before the blocking git work.
pub(crate) async fn recorded(workspace: &Workspace, project: &str) -> Result<Recorded, ApiError> {
    let records = workspace.store().deployments(project).await?;
    Ok(records
        .into_iter()
        .map(|(env, list)| {
            let list = list.into_iter().map(|d| (time(d.at), d.sha)).collect();
            (env, list)
        })
        .collect())
}

/// Reads a project's whole pipeline from its repository (and, for environments tracked
/// only in the database, from their recorded deployments).
pub(crate) fn read_project(
    repo: &mut Repo,
    project: &Project,
    recorded: &Recorded,
) -> Result<PipelineRead, GitError> {
    let stages = stages_of(repo, project, recorded);
    repo.read_pipeline(&project.pipeline, stages, RECENT_ON_TRUNK)
}

/// Where each environment's ref stands, with its known moves: from git, or for environments
/// tracked only in the database, from their recorded deployments.
pub(crate) fn stages_of(
    repo: &Repo,
    project: &Project,
    recorded: &Recorded,
) -> Vec<Result<StageRef, GitError>> {
    project
        .pipeline
        .environments
        .iter()
        .map(|env| match &env.tracking {
            TrackingRef::Database => match recorded.get(&env.name) {
                Some(records) if !records.is_empty() => repo.stage_from_records(records),
                _ => Err(GitError::NotRecorded(env.name.clone())),
            },
            tracking => repo.stage(tracking),
        })
        .collect()
}

/// A sha that names no commit of `project`, said as precisely as git can: too short,
/// ambiguous (with what it matches), or not there at all.
pub(crate) fn no_such_commit(e: &GitError, sha: &str, project: &str) -> ApiError {
    match e {
        GitError::ShortSha(_) | GitError::AmbiguousSha { .. } => {
            invalid(format!("{}.", capitalise(&e.to_string())))
        }
        _ => invalid(format!("{sha:?} is not a commit in project {project:?}.")),
    }
}
