//! Sign-offs (approve or reject a change for an environment) and bad marks.

use serde::Deserialize;
use slipway_core::{BadMark, Clock, GateError, SignoffVerdict};
use ts_rs::TS;

use crate::error::{gate_error, invalid, ApiError, ErrorCode};
use crate::gates::load_gates;
use crate::repos::RepoCache;
use crate::time::short;
use crate::workspace::Workspace;

use super::audit;

/// A sign-off as given.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SignoffInputDto {
    /// Project name.
    pub project: String,
    /// Environment name.
    pub environment: String,
    /// The change (sha or prefix), waiting for the environment.
    pub sha: String,
    /// `approve` or `reject`.
    pub verdict: String,
    /// Why, in the signer's words (required to reject).
    #[serde(default)]
    pub comment: String,
}

/// Signs a queued change off (or rejects it) for an environment, as `by`.
pub async fn signoff(
    ws: &Workspace,
    input: &SignoffInputDto,
    by: &str,
    clock: &dyn Clock,
) -> Result<(), ApiError> {
    let verdict = SignoffVerdict::parse(input.verdict.trim()).ok_or_else(|| {
        invalid(format!(
            "Verdict {:?} is not known: use approve or reject.",
            input.verdict
        ))
    })?;
    if verdict == SignoffVerdict::Reject && input.comment.trim().is_empty() {
        return Err(invalid("A rejection needs a comment saying what is wrong."));
    }
    let now = clock.now().timestamp();
    let gates = load_gates(ws, &input.project, &input.environment, now).await?;
    let rule = gates
        .rule
        .clone()
        .ok_or_else(|| gate_error(GateError::NoRule(input.environment.clone())))?;
    let plan = crate::preview::previewed(
        ws,
        &mut RepoCache::new(),
        &input.project,
        &input.environment,
        Some(input.sha.trim()),
    )
    .await?;
    let change = plan
        .shipping
        .last()
        .cloned()
        .ok_or_else(|| invalid("That change is not waiting for this environment."))?;
    rule.may_sign(&input.environment, &change, by, &gates.roles_of(by))
        .map_err(gate_error)?;
    ws.store()
        .put_signoff(
            &input.project,
            &input.environment,
            &slipway_core::Signoff {
                sha: change.sha.clone(),
                by: by.to_string(),
                verdict,
                comment: input.comment.trim().to_string(),
                at: now,
            },
            &audit(
                by,
                now,
                "signoff",
                format!(
                    "{}/{}@{}",
                    input.project,
                    input.environment,
                    short(&change.sha)
                ),
                format!(
                    "{} \"{}\"{}",
                    verdict.as_str(),
                    change.title,
                    if input.comment.trim().is_empty() {
                        String::new()
                    } else {
                        format!(": {}", input.comment.trim())
                    }
                ),
            ),
        )
        .await?;
    Ok(())
}

/// Marks a change bad (it goes no further downstream) or, with `reason` None, unmarks it.
pub async fn mark_bad(
    ws: &Workspace,
    project: &str,
    sha: &str,
    reason: Option<&str>,
    by: &str,
    clock: &dyn Clock,
) -> Result<(), ApiError> {
    let found = ws.project(project).await?;
    let path = found.repo_path.clone();
    let spec = sha.trim().to_string();
    let full =
        tokio::task::spawn_blocking(move || slipway_git::Repo::open(&path)?.commit_id(&spec))
            .await
            .map_err(|e| {
                ApiError::new(
                    ErrorCode::Internal,
                    format!("Reading the commit stopped: {e}."),
                )
            })?
            .map_err(|e| crate::repos::no_such_commit(&e, sha, project))?;
    let now = clock.now().timestamp();
    let subject = format!("{project}@{}", &full[..8]);
    match reason.map(str::trim) {
        Some("") => Err(invalid("Marking a change bad needs a reason.")),
        Some(reason) => {
            ws.store()
                .mark_bad(
                    project,
                    &BadMark {
                        sha: full,
                        reason: reason.to_string(),
                        by: by.to_string(),
                    },
                    &audit(
                        by,
                        now,
                        "mark_bad",
                        subject,
                        format!("marked bad: {reason}"),
                    ),
                )
                .await?;
            Ok(())
        }
        None => {
            if !ws
                .store()
                .unmark_bad(
                    project,
                    &full,
                    &audit(by, now, "unmark_bad", subject, "unmarked".into()),
                )
                .await?
            {
                return Err(ApiError::new(
                    ErrorCode::NotAllowed,
                    format!("{} is not marked bad.", &full[..8]),
                ));
            }
            Ok(())
        }
    }
}
