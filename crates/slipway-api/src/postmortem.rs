//! A follow-up's postmortem draft: Markdown prefilled from what Slipway recorded — the
//! deployment rolled back and what it shipped, the rollback, who was told and when, and the
//! change request's timeline.

use chrono::{DateTime, Utc};
use serde::Serialize;
use slipway_core::postmortem::{
    postmortem_draft as render, DraftEvent, DraftRequest, DraftRun, PostmortemFacts,
};
use slipway_core::Clock;
use slipway_git::{Oid, Repo};
use slipway_store::PromotionRecord;
use ts_rs::TS;

use crate::error::{rule_error, ApiError};
use crate::follow_ups::follow_up;
use crate::requests::show_request;
use crate::time::{read_time, short, time};
use crate::workspace::Workspace;

/// A postmortem draft.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PostmortemDto {
    /// The draft, Markdown.
    pub markdown: String,
    /// A file name to save it under.
    pub file_name: String,
}

fn minutes(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn iso_minutes(text: &str) -> String {
    read_time(text)
        .map(minutes)
        .unwrap_or_else(|_| text.to_string())
}

async fn run(ws: &Workspace, p: &PromotionRecord) -> DraftRun {
    let path = ws
        .project(&p.spec.project)
        .await
        .map(|project| project.repo_path)
        .ok();
    let shas = p.spec.changes.clone();
    // Each change with its title when the repository still has it.
    let changes = tokio::task::spawn_blocking(move || {
        let mut repo = path.and_then(|path| Repo::open(&path).ok());
        shas.iter()
            .map(|sha| {
                let title = match (repo.as_mut(), Oid::from_str(sha)) {
                    (Some(r), Ok(oid)) => r.change(oid).ok().map(|c| c.title.clone()),
                    _ => None,
                };
                match title {
                    Some(t) => format!("{} {t}", short(sha)),
                    None => short(sha).to_string(),
                }
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    DraftRun {
        id: p.id,
        kind: p.spec.kind.as_str().to_string(),
        by: p.spec.by.clone(),
        at: minutes(time(p.spec.at)),
        from: short(&p.spec.from_sha).to_string(),
        to: short(&p.spec.to_sha).to_string(),
        status: p.status.as_str().to_string(),
        changes,
        reason: p.spec.why.clone(),
    }
}

/// The postmortem draft of follow-up `id`.
pub async fn postmortem_draft(
    ws: &Workspace,
    id: i64,
    clock: &dyn Clock,
) -> Result<PostmortemDto, ApiError> {
    let f = follow_up(ws, id, clock).await?;
    let store = ws.store();
    let rollback = match f.deployment {
        Some(id) => store.promotion(id).await?,
        None => None,
    };
    let deployment = match f.rolled_back {
        Some(id) => store.promotion(id).await?,
        None => None,
    };
    let mut told = Vec::new();
    let mut threads: Vec<String> = [&deployment, &rollback]
        .into_iter()
        .flatten()
        .map(|p| format!("promotion/{}", p.id))
        .collect();
    threads.extend(f.request.map(|r| format!("request/{r}")));
    threads.push(format!("follow-up/{id}"));
    for thread in &threads {
        for row in store.outbox_of_thread(thread).await? {
            let at = row.sent_ms.unwrap_or(row.created_ms);
            told.push((
                at,
                DraftEvent {
                    at: minutes(DateTime::from_timestamp_millis(at).unwrap_or_default()),
                    actor: row.recipient.clone(),
                    text: format!(
                        "{} by {}: {}",
                        row.event.kind.as_str(),
                        row.channel_kind
                            .map_or("nothing (undeliverable)", |k| k.as_str()),
                        row.state.as_str()
                    ),
                },
            ));
        }
    }
    told.sort_by_key(|(at, _)| *at);
    let request = match f.request {
        Some(r) => {
            let detail = show_request(ws, r, None, clock).await?;
            Some(DraftRequest {
                id: r,
                title: detail.summary.title,
                kind: detail.summary.kind,
                state: detail.summary.state,
                timeline: detail
                    .timeline
                    .into_iter()
                    .map(|e| DraftEvent {
                        at: iso_minutes(&e.at),
                        actor: e.actor,
                        text: e.text,
                    })
                    .collect(),
            })
        }
        None => None,
    };
    let facts = PostmortemFacts {
        id,
        title: f.title.clone(),
        project: f.project.clone(),
        environment: f.environment.clone(),
        owner: f.owner.clone().unwrap_or_else(|| "nobody yet".into()),
        due: format!("{} UTC", iso_minutes(&f.due_at)),
        external_link: f.external_link.clone(),
        deployment: match &deployment {
            Some(p) => Some(run(ws, p).await),
            None => None,
        },
        rollback: match &rollback {
            Some(p) => Some(run(ws, p).await),
            None => None,
        },
        request,
        told: told.into_iter().map(|(_, e)| e).collect(),
        drafted_at: format!("{} UTC", minutes(clock.now())),
    };
    Ok(PostmortemDto {
        markdown: render(&facts).map_err(rule_error)?,
        file_name: format!("postmortem-{}-{}-{id}.md", f.project, f.environment),
    })
}

/// Saves a draft where the person chose (the CLI's `--out`, the window's save dialog).
pub fn save_postmortem(path: &std::path::Path, markdown: &str) -> Result<(), ApiError> {
    std::fs::write(path, markdown).map_err(|e| {
        crate::error::invalid(format!(
            "The draft could not be saved to {}: {e}.",
            path.display()
        ))
    })
}
