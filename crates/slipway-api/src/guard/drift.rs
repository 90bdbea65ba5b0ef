//! The drift view: the config files that differ between two environments' commits, with
//! their diffs, so a release manager can look before promoting.

use serde::Serialize;
use slipway_core::guard::{is_config_path, known_environments, FileOwners};
use slipway_git::Repo;
use ts_rs::TS;

use crate::error::{invalid, ApiError};
use crate::repos::{blocking, recorded, stages_of};
use crate::workspace::Workspace;

use super::{guard_error, pipeline_names};

/// One config file that differs.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DriftFileDto {
    /// Its path.
    pub path: String,
    /// `added`, `deleted`, `modified` or `renamed`, going from the first environment to the
    /// second.
    pub status: String,
    /// The environment whose own file it is (by the guard's patterns), if any.
    pub owner: Option<String>,
    /// Binary: no diff.
    pub binary: bool,
    /// Lines only the second environment has.
    #[ts(type = "number")]
    pub additions: usize,
    /// Lines only the first has.
    #[ts(type = "number")]
    pub deletions: usize,
    /// The unified diff.
    pub patch: String,
    /// The diff was longer and is cut.
    pub cut: bool,
}

/// The config drift between two environments of a project.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DriftDto {
    /// The project.
    pub project: String,
    /// The first environment (usually the one that runs the older code).
    pub from: String,
    /// Its commit.
    pub from_sha: String,
    /// The second environment.
    pub to: String,
    /// Its commit.
    pub to_sha: String,
    /// The config files that differ, by path.
    pub files: Vec<DriftFileDto>,
    /// How many other files differ (code, docs).
    #[ts(type = "number")]
    pub other_files: usize,
}

/// The config files that differ between `from`'s and `to`'s commits in `project`.
pub async fn config_drift(
    ws: &Workspace,
    project: &str,
    from: &str,
    to: &str,
) -> Result<DriftDto, ApiError> {
    let project = ws.project(project).await?;
    let names = pipeline_names(&project);
    let index = |env: &str| {
        names.iter().position(|n| n == env).ok_or_else(|| {
            invalid(format!(
                "{} has no environment {env:?}; its environments are {}.",
                project.name,
                names.join(", ")
            ))
        })
    };
    let (a, b) = (index(from)?, index(to)?);
    if a == b {
        return Err(invalid(format!(
            "Pick two different environments to compare, not {from} twice."
        )));
    }
    let settings = ws.store().guard_settings(&project.name).await?;
    let owners = FileOwners::new(&known_environments(&settings, &names), &settings.globs())
        .map_err(guard_error)?;
    let recorded = recorded(ws, &project.name).await?;
    let read = project.clone();
    let (from_sha, to_sha, files, other_files) = blocking(move || {
        let repo = Repo::open(&read.repo_path)?;
        let mut shas: Vec<Result<String, slipway_git::GitError>> =
            stages_of(&repo, &read, &recorded)
                .into_iter()
                .map(|s| s.map(|stage| stage.oid.to_string()))
                .collect();
        let from_sha = std::mem::replace(&mut shas[a], Ok(String::new()))?;
        let to_sha = std::mem::replace(&mut shas[b], Ok(String::new()))?;
        let (files, others) =
            repo.drift(&from_sha, &to_sha, &|path| is_config_path(&owners, path))?;
        let files = files
            .into_iter()
            .map(|f| DriftFileDto {
                owner: owners.owner(&f.path).map(str::to_string),
                path: f.path,
                status: f.status.to_string(),
                binary: f.binary,
                additions: f.additions,
                deletions: f.deletions,
                patch: f.patch,
                cut: f.cut,
            })
            .collect::<Vec<_>>();
        Ok((from_sha, to_sha, files, others))
    })
    .await
    .map_err(|e| e.in_project(&project.name))?;
    Ok(DriftDto {
        project: project.name.clone(),
        from: from.to_string(),
        from_sha,
        to: to.to_string(),
        to_sha,
        files,
        other_files,
    })
}
