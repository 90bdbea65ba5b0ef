//! Fetching projects' remotes, on demand (with progress and cancel) and on an interval.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use slipway_core::{Clock, FetchRecord};
use slipway_git::{GitError, Repo};
use slipway_secrets::Secret;
use ts_rs::TS;

use crate::error::{ApiError, ErrorCode};
use crate::secrets::{https_token, https_token_reference, keychain};
use crate::time::rfc3339;
use crate::workspace::Workspace;

/// How far a fetch has got.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FetchProgressDto {
    /// The project being fetched.
    pub project: String,
    /// Objects received so far.
    #[ts(type = "number")]
    pub received_objects: usize,
    /// Objects the remote is sending (0 until it says).
    #[ts(type = "number")]
    pub total_objects: usize,
    /// Bytes received so far.
    #[ts(type = "number")]
    pub received_bytes: usize,
}

/// A project's last fetch, for the board.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FetchStateDto {
    /// When a fetch was last tried, RFC 3339 UTC.
    pub last_attempt: String,
    /// When a fetch last worked, RFC 3339 UTC.
    pub last_success: Option<String>,
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// The board shows what was known at `last_success`: the last attempt failed.
    pub stale: bool,
}

pub(crate) fn fetch_state_dto(r: &FetchRecord) -> FetchStateDto {
    let at = |t: i64| {
        DateTime::<Utc>::from_timestamp(t, 0)
            .map(rfc3339)
            .unwrap_or_default()
    };
    FetchStateDto {
        last_attempt: at(r.attempted_at),
        last_success: r.succeeded_at.map(at),
        error: r.error.clone(),
        stale: r.error.is_some(),
    }
}

/// Fetches `project`'s remote (trunk's remote, else `origin`), reporting progress; setting
/// `cancel` stops it with nothing changed. Success or failure is recorded for the board (a
/// cancel is not). The error names the project and the remote.
pub async fn fetch_project(
    workspace: &Workspace,
    project: &str,
    clock: &dyn Clock,
    cancel: Arc<AtomicBool>,
    mut on_progress: impl FnMut(FetchProgressDto) + Send + 'static,
) -> Result<FetchStateDto, ApiError> {
    let found = workspace.project(project).await?;
    let started = clock.now().timestamp();
    // An HTTPS token, if one is stored; without a keychain the fetch goes on without one
    // (SSH agent or public remotes still work).
    let token = https_token(workspace.store(), project).await;
    let name = found.name.clone();
    let result = tokio::task::spawn_blocking(move || {
        if cancel.load(Ordering::Relaxed) {
            return Err(GitError::Cancelled);
        }
        let repo = Repo::open(&found.repo_path)?;
        let remote = repo.remote_for(&found.pipeline.trunk);
        repo.fetch(&remote, token.as_ref().map(Secret::expose), &mut |p| {
            on_progress(FetchProgressDto {
                project: name.clone(),
                received_objects: p.received_objects,
                total_objects: p.total_objects,
                received_bytes: p.received_bytes,
            });
            !cancel.load(Ordering::Relaxed)
        })
    })
    .await
    .map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!("The fetch stopped unexpectedly: {e}."),
        )
    })?;
    match result {
        Err(GitError::Cancelled) => Err(ApiError::from(GitError::Cancelled).in_project(project)),
        Ok(()) => {
            workspace
                .store()
                .record_fetch(project, started, Ok(()))
                .await?;
            tracing::info!(project, "fetched");
            last_fetch(workspace, project).await
        }
        Err(e) => {
            let reason = crate::error::capitalise(&e.to_string());
            let error = ApiError::from(e).in_project(project);
            workspace
                .store()
                .record_fetch(project, started, Err(&reason))
                .await?;
            tracing::warn!(project, error = %error.message, "fetch failed");
            Err(error)
        }
    }
}

async fn last_fetch(workspace: &Workspace, project: &str) -> Result<FetchStateDto, ApiError> {
    let fetches = workspace.store().fetches().await?;
    fetches
        .get(project)
        .map(fetch_state_dto)
        .ok_or_else(|| ApiError::new(ErrorCode::Internal, "The fetch was not recorded."))
}

/// Stores `project`'s HTTPS token in the OS keychain (never in the database); `None` removes
/// it. Fails, storing nothing, when the keychain is unavailable.
pub async fn set_https_token(
    workspace: &Workspace,
    project: &str,
    token: Option<Secret>,
) -> Result<(), ApiError> {
    workspace.project(project).await?;
    let keychain = keychain();
    // A new token gets a reference of its own; the old entry goes once the row points away.
    let reference = token.as_ref().map(|_| https_token_reference(project));
    let to_store = reference.clone();
    let result = tokio::task::spawn_blocking(move || match (token, to_store) {
        (Some(t), Some(r)) => keychain.set(&r, &t),
        _ => Ok(()),
    })
    .await
    .map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!("The keychain call stopped: {e}."),
        )
    })?;
    result.map_err(|e| {
        let code = match e {
            slipway_secrets::SecretError::Unavailable(_) => ErrorCode::KeychainUnavailable,
            slipway_secrets::SecretError::Invalid(_) => ErrorCode::InvalidInput,
        };
        ApiError::new(
            code,
            format!(
                "Project {project:?}: {}.",
                crate::error::capitalise(&e.to_string())
            ),
        )
    })?;
    match workspace
        .store()
        .set_https_token_ref(project, reference.as_deref())
        .await
    {
        Ok(old) => crate::secrets::forget(old.into_iter().collect()).await,
        Err(e) => {
            crate::secrets::forget(reference.into_iter().collect()).await;
            return Err(e.into());
        }
    }
    tracing::info!(project, "HTTPS token updated in the keychain");
    Ok(())
}
