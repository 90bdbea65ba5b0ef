//! Detecting a project's pipeline from its clone: the proposal `project add --detect` prints
//! and the window's first run shows as an editable list. The rules are core's
//! (`slipway_core::environment_candidates`, `order_pipeline`); this reads the clone for them.

use std::path::Path;

use serde::Serialize;
use slipway_core::{
    check_project_name, choose_trunk, environment_candidates, looked_for, order_pipeline, RefFamily,
};
use slipway_git::{GitError, Repo};
use ts_rs::TS;

use crate::error::{ApiError, ErrorCode};

/// How an environment's ref was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RefFamilyDto {
    /// A branch `deploy/<env>`.
    DeployBranch,
    /// A branch `env/<env>`.
    EnvBranch,
    /// A branch `environment/<env>`.
    EnvironmentBranch,
    /// A branch `release/<env>`.
    ReleaseBranch,
    /// A branch named like a well-known environment.
    NamedBranch,
    /// Tags `<env>/*`.
    SlashTags,
    /// Tags `<env>-*`.
    DashTags,
    /// Tags `v*-<env>`.
    VersionTags,
}

impl From<RefFamily> for RefFamilyDto {
    fn from(f: RefFamily) -> Self {
        match f {
            RefFamily::DeployBranch => RefFamilyDto::DeployBranch,
            RefFamily::EnvBranch => RefFamilyDto::EnvBranch,
            RefFamily::EnvironmentBranch => RefFamilyDto::EnvironmentBranch,
            RefFamily::ReleaseBranch => RefFamilyDto::ReleaseBranch,
            RefFamily::NamedBranch => RefFamilyDto::NamedBranch,
            RefFamily::SlashTags => RefFamilyDto::SlashTags,
            RefFamily::DashTags => RefFamilyDto::DashTags,
            RefFamily::VersionTags => RefFamilyDto::VersionTags,
        }
    }
}

/// An environment the clone suggests.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DetectedEnvironmentDto {
    /// Its name.
    pub name: String,
    /// `branch` or `tag`.
    pub strategy: String,
    /// The branch, or the tag pattern.
    pub ref_name: String,
    /// How it was recognised.
    pub family: RefFamilyDto,
    /// Why it is here and where: "branch deploy/qa, 3 changes behind trunk (3 h)".
    pub evidence: String,
    /// Trunk's first-parent commits it does not have.
    #[ts(type = "number")]
    pub behind: usize,
    /// First-parent commits it has that trunk does not.
    #[ts(type = "number")]
    pub ahead: usize,
}

/// The pipeline Slipway proposes for a clone; nothing is stored until it is accepted.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PipelineProposalDto {
    /// The clone, as an absolute path.
    pub repo_path: String,
    /// A project name made from the folder's name.
    pub suggested_name: String,
    /// The remote it fetches from.
    pub remote: String,
    /// The trunk branch.
    pub trunk: String,
    /// Why that branch is trunk.
    pub trunk_evidence: String,
    /// The environments, nearest trunk first.
    pub environments: Vec<DetectedEnvironmentDto>,
    /// What Slipway looks for and how to declare environments (shown when none was found).
    pub looked_for: String,
}

/// Reads `repo_path` and proposes a pipeline. A folder that is not a usable clone (missing,
/// not git, bare, no remote, no commits, shallow, no trunk) is a clear error; finding no
/// environment is not: the proposal says what was looked for.
pub async fn detect_pipeline(repo_path: &Path) -> Result<PipelineProposalDto, ApiError> {
    let path = std::path::absolute(repo_path).unwrap_or_else(|_| repo_path.to_path_buf());
    tokio::task::spawn_blocking(move || detect_in(&path))
        .await
        .map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("Reading the repository stopped: {e}."),
            )
        })?
}

fn detect_in(path: &Path) -> Result<PipelineProposalDto, ApiError> {
    let mut repo = Repo::open(path).map_err(|e| match e {
        GitError::RepositoryMissing(_) => ApiError::new(
            ErrorCode::RepositoryMissing,
            format!("The folder {} does not exist. Choose your repository's clone; nothing was stored.", path.display()),
        ),
        GitError::NotARepository(_) => ApiError::new(
            ErrorCode::NotARepository,
            format!("{} is not a git repository. Choose the folder of a clone (one with a .git folder), or make one with `git clone URL`; nothing was stored.", path.display()),
        ),
        other => other.into(),
    })?;
    let refs = repo.clone_refs()?;
    let trunk = choose_trunk(&refs.branches, &refs.remote, refs.remote_head.as_deref())
        .ok_or_else(|| GitError::NotAClone {
            path: path.to_path_buf(),
            why: format!(
                "Slipway cannot tell its trunk: {}/HEAD is not set and there is no main, master or trunk branch; name it with --trunk BRANCH (or run `git remote set-head {} --auto`)",
                refs.remote, refs.remote
            ),
        })?;
    let mut measured = Vec::new();
    for candidate in environment_candidates(&refs.branches, &refs.tags, &refs.remote, &trunk.branch)
    {
        match repo.standing(&trunk.branch, &candidate.tracking) {
            Ok(standing) => measured.push((candidate, standing)),
            // A ref that cannot be read (a tag on a tree, say) is no environment.
            Err(e) => {
                tracing::info!(environment = %candidate.environment, error = %e, "detection skipped a ref")
            }
        }
    }
    let environments = order_pipeline(measured)
        .into_iter()
        .map(|p| DetectedEnvironmentDto {
            name: p.candidate.environment,
            strategy: p.candidate.tracking.strategy().to_string(),
            ref_name: p.candidate.tracking.ref_name().to_string(),
            family: p.candidate.family.into(),
            evidence: p.evidence,
            behind: p.standing.behind,
            ahead: p.standing.ahead,
        })
        .collect();
    Ok(PipelineProposalDto {
        repo_path: path.display().to_string(),
        suggested_name: suggested_name(path),
        trunk_evidence: trunk.evidence(&refs.remote),
        trunk: trunk.branch,
        remote: refs.remote,
        environments,
        looked_for: looked_for(),
    })
}

/// The folder's name as a project name: `payments`, `my-app` (characters a project name
/// cannot hold become '-').
fn suggested_name(path: &Path) -> String {
    let folder = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = folder.strip_suffix(".git").unwrap_or(&folder);
    let cleaned: String = folder
        .chars()
        .map(|c| match c {
            c if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') => c,
            _ => '-',
        })
        .collect::<String>()
        .trim_start_matches(['-', '_', '.'])
        .chars()
        .take(64)
        .collect();
    if check_project_name(&cleaned).is_ok() {
        cleaned
    } else {
        "project".to_string()
    }
}

/// The proposal's environments as `add_project` takes them: `(name, "branch:REF")`.
pub fn proposal_specs(proposal: &PipelineProposalDto) -> Vec<(String, String)> {
    proposal
        .environments
        .iter()
        .map(|e| (e.name.clone(), format!("{}:{}", e.strategy, e.ref_name)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_name_becomes_a_project_name() {
        for (folder, want) in [
            ("/src/payments", "payments"),
            ("/src/payments.git", "payments"),
            ("/src/My App", "My-App"),
            ("/src/.hidden", "hidden"),
            ("/", "project"),
        ] {
            assert_eq!(suggested_name(Path::new(folder)), want, "{folder}");
        }
    }
}
