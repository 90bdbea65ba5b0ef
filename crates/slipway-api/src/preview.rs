//! The promotion preview: exactly what would ship to an environment, read-only.

use serde::Serialize;
use slipway_core::{release_notes, Change, DiffTotals, GatedChange, Project};
use slipway_git::{GitError, Repo};
use ts_rs::TS;

use crate::dto::{ChangeDto, ShippedAsDto};
use crate::error::{stopped, ApiError, ErrorCode};
use crate::guard::dto::GuardReportDto;
use crate::guard::scan::scan_promotion;
use crate::projects::environment_index;
use crate::repos::{self, read_project, recorded, Recorded, RepoCache};
use crate::workspace::Workspace;
use slipway_core::guard::{GuardReport, GuardSettings};

/// One file a promotion changes.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FileChangeDto {
    /// Path.
    pub path: String,
    /// `added`, `deleted`, `modified`, `renamed`, …
    pub status: String,
    /// Lines added.
    #[ts(type = "number")]
    pub additions: usize,
    /// Lines removed.
    #[ts(type = "number")]
    pub deletions: usize,
    /// Binary (no line counts).
    pub binary: bool,
}

/// A change in the range that the environment already has as another commit.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AlreadyShippedDto {
    /// The queued change.
    pub change: ChangeDto,
    /// The environment commit that carries its patch.
    pub shipped_as: ShippedAsDto,
}

/// What promoting an environment up to a change would ship.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PreviewDto {
    /// Project name.
    pub project: String,
    /// The environment that would move.
    pub environment: String,
    /// Where its changes come from.
    pub upstream: String,
    /// Where it stands now.
    pub from: ChangeDto,
    /// Where it would stand (absent when nothing waits).
    pub to: Option<ChangeDto>,
    /// The changes that would ship, oldest first.
    pub shipping: Vec<ChangeDto>,
    /// Queued changes after `to` that would stay behind, oldest first.
    pub left_behind: Vec<ChangeDto>,
    /// Changes in `shipping` the environment already has as another commit (a hotfix, a
    /// cherry-pick): they will not ship again as new code.
    pub already_shipped: Vec<AlreadyShippedDto>,
    /// PR numbers that would ship.
    #[ts(type = "Array<number>")]
    pub prs: Vec<u64>,
    /// Ticket keys that would ship, sorted.
    pub tickets: Vec<String>,
    /// Authors and co-authors, in order of first change.
    pub authors: Vec<String>,
    /// Files that would change, by path.
    pub files: Vec<FileChangeDto>,
    /// Total lines added.
    #[ts(type = "number")]
    pub additions: usize,
    /// Total lines removed.
    #[ts(type = "number")]
    pub deletions: usize,
    /// Release notes, Markdown.
    pub release_notes: String,
    /// What the config guard found in the lines that would ship.
    pub guard: GuardReportDto,
}

/// Previews promoting `environment` of `project` up to `to` (a queued change's sha or a
/// prefix of at least 7 hex digits; default: everything queued). Changes nothing.
pub async fn preview(
    workspace: &Workspace,
    project: &str,
    environment: &str,
    to: Option<&str>,
) -> Result<PreviewDto, ApiError> {
    preview_cached(workspace, &mut RepoCache::new(), project, environment, to).await
}

/// [`preview`] reading through `repos`, the repositories a long-lived front end keeps open.
pub async fn preview_cached(
    workspace: &Workspace,
    repos: &mut RepoCache,
    project: &str,
    environment: &str,
    to: Option<&str>,
) -> Result<PreviewDto, ApiError> {
    Ok(previewed(workspace, repos, project, environment, to)
        .await?
        .dto)
}

/// A preview, with the changes that would ship as the gates see them.
pub(crate) struct Previewed {
    /// What the UI shows.
    pub dto: PreviewDto,
    /// The changes that would ship, oldest first, for the gates.
    pub shipping: Vec<GatedChange>,
    /// What the config guard found.
    pub guard: GuardReport,
    /// The guard's settings it read with.
    pub guard_settings: GuardSettings,
}

/// [`preview`], keeping the domain view of what ships for the gates.
pub(crate) async fn previewed(
    workspace: &Workspace,
    repos: &mut RepoCache,
    project: &str,
    environment: &str,
    to: Option<&str>,
) -> Result<Previewed, ApiError> {
    let project = workspace.project(project).await?;
    let recorded = recorded(workspace, &project.name).await?;
    let settings = workspace.store().guard_settings(&project.name).await?;
    let environment = environment.to_string();
    let to = to.map(str::to_string);
    let cached = repos::take(repos, &project);
    let (previewed, repo) = tokio::task::spawn_blocking(move || {
        compute(
            &project,
            cached,
            &recorded,
            &settings,
            &environment,
            to.as_deref(),
        )
    })
    .await
    .map_err(|e| stopped("The preview", e))?;
    repos::keep(repos, repo);
    previewed
}

/// The preview, and the repository it read (kept for the next read).
fn compute(
    project: &Project,
    cached: Option<Repo>,
    recorded: &Recorded,
    settings: &GuardSettings,
    environment: &str,
    to: Option<&str>,
) -> (Result<Previewed, ApiError>, Option<Repo>) {
    let mut repo = match cached {
        Some(repo) => repo,
        None => match Repo::open(&project.repo_path) {
            Ok(repo) => repo,
            Err(e) => return (Err(ApiError::from(e).in_project(&project.name)), None),
        },
    };
    let previewed = read_preview(project, &mut repo, recorded, settings, environment, to);
    (previewed, Some(repo))
}

fn read_preview(
    project: &Project,
    repo: &mut Repo,
    recorded: &Recorded,
    settings: &GuardSettings,
    environment: &str,
    to: Option<&str>,
) -> Result<Previewed, ApiError> {
    let in_project = |e: GitError| ApiError::from(e).in_project(&project.name);
    let index = environment_index(project, environment)?;
    let upstream = project
        .pipeline
        .stages()
        .nth(index)
        .map(|(_, up)| up.label().to_string())
        .unwrap_or_default();
    let mut read = read_project(repo, project, recorded).map_err(in_project)?;
    // Markers are learned from what the last environment (production) runs: the known-good
    // reference, which a leak travelling down the pipeline has not reached yet.
    let reference = read
        .environments
        .last()
        .and_then(|e| e.as_ref().ok())
        .map(|e| e.tip.change.sha.clone());
    let env = read.environments.swap_remove(index).map_err(in_project)?;
    let queued: Vec<Change> = env.queued.iter().map(|(c, _)| Change::clone(c)).collect();
    let cut = match to {
        None => queued.len(),
        Some(sha) => {
            let id = repo
                .commit_id(sha)
                .map_err(|e| crate::repos::no_such_commit(&e, sha, &project.name))?;
            let at = queued.iter().position(|c| c.sha == id).ok_or_else(|| {
                ApiError::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "Commit {} is not waiting for {environment} in project {:?}: it is there already, or {upstream} does not have it.",
                        &id[..8],
                        project.name
                    ),
                )
            })?;
            at + 1
        }
    };
    let (shipping, left_behind) = queued.split_at(cut);
    let files = match shipping.last() {
        Some(last) => repo
            .file_changes(&env.tip.change.sha, &last.sha)
            .map_err(in_project)?,
        None => Vec::new(),
    };
    let totals = DiffTotals {
        files: files.len(),
        additions: files.iter().map(|f| f.additions).sum(),
        deletions: files.iter().map(|f| f.deletions).sum(),
    };
    let mut tickets: Vec<String> = shipping.iter().flat_map(|c| c.tickets.clone()).collect();
    tickets.sort();
    tickets.dedup();
    let mut authors: Vec<String> = Vec::new();
    for name in shipping
        .iter()
        .flat_map(|c| std::iter::once(c.author.clone()).chain(c.co_authors.clone()))
    {
        if !authors.contains(&name) {
            authors.push(name);
        }
    }
    let guard = scan_promotion(
        repo,
        project,
        settings,
        environment,
        &env.tip.change.sha,
        reference.as_deref().unwrap_or(&env.tip.change.sha),
        shipping,
    )?;
    let notes = release_notes(&project.name, environment, shipping, left_behind, totals);
    let dto = PreviewDto {
        project: project.name.clone(),
        environment: environment.to_string(),
        upstream,
        from: ChangeDto::from(&env.tip.change),
        to: shipping.last().map(ChangeDto::from),
        prs: shipping.iter().filter_map(|c| c.pr).collect(),
        tickets,
        authors,
        files: files
            .into_iter()
            .map(|f| FileChangeDto {
                path: f.path,
                status: f.status.to_string(),
                additions: f.additions,
                deletions: f.deletions,
                binary: f.binary,
            })
            .collect(),
        additions: totals.additions,
        deletions: totals.deletions,
        release_notes: notes,
        guard: GuardReportDto::of(
            &guard,
            |sha| {
                shipping
                    .iter()
                    .find(|c| c.sha == sha)
                    .map(|c| c.title.clone())
            },
            settings.override_role.clone(),
        ),
        already_shipped: shipping
            .iter()
            .filter_map(|c| {
                env.shipped.get(&c.sha).map(|s| AlreadyShippedDto {
                    change: ChangeDto::from(c),
                    shipped_as: ShippedAsDto::from(s),
                })
            })
            .collect(),
        shipping: shipping.iter().map(ChangeDto::from).collect(),
        left_behind: left_behind.iter().map(ChangeDto::from).collect(),
    };
    Ok(Previewed {
        dto,
        shipping: shipping.iter().map(GatedChange::of).collect(),
        guard,
        guard_settings: settings.clone(),
    })
}
