//! Change requests: opening, every lifecycle step, the list with its clocks, one request's page.

use chrono::{DateTime, Utc};
use slipway_core::{
    ApprovalRule, Clock, Entry, Opening, Request, RequestEvent, RequestKind, RequestState,
    Severity, Threshold,
};
use slipway_git::Repo;

use crate::clocks::{replay, ClockDto, ClockWorld, Indexes};
use crate::dto::ChangeDto;
use crate::error::{invalid, ApiError, ErrorCode};
use crate::follow_ups::new_follow_up;
use crate::time::{parse_time, rfc3339};
use crate::workspace::Workspace;

mod dto;

pub use dto::*;

/// Opens a request (and links its changes), as `actor`.
pub async fn open_request(
    workspace: &Workspace,
    input: &NewRequestDto,
    actor: &str,
    clock: &dyn Clock,
) -> Result<RequestDetailDto, ApiError> {
    let now = clock.now();
    let project = workspace.project(&input.project).await?;
    let kind: RequestKind = input.kind.parse()?;
    let severity: Severity = input.severity.parse()?;
    if let Some(env) = input.target_environment.as_deref() {
        if !project.pipeline.environments.iter().any(|e| e.name == env) {
            return Err(invalid(format!(
                "Project {:?} has no environment {env:?}; it has {}.",
                project.name,
                project
                    .pipeline
                    .environments
                    .iter()
                    .map(|e| e.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let opened_at = match input.opened_at.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => parse_time(t, now)?,
        None => now,
    };
    let request = Request::open(
        opened_at,
        actor,
        Opening {
            project: project.name.clone(),
            kind,
            severity,
            title: input.title.trim().to_string(),
            description: input.description.trim().to_string(),
            requester: input
                .requester
                .clone()
                .filter(|r| !r.trim().is_empty())
                .unwrap_or_else(|| actor.to_string()),
            assignee: input.assignee.clone().filter(|a| !a.trim().is_empty()),
            target_environment: input.target_environment.clone().filter(|e| !e.is_empty()),
        },
    )?;
    // Resolve every link before anything is stored: a bad one changes nothing.
    let mut shas = Vec::new();
    for query in input.links.iter().filter(|l| !l.trim().is_empty()) {
        let sha = resolve_change(&project, query).await?;
        if !shas.contains(&sha) {
            shas.push(sha);
        }
    }
    // The opening and its links are stored together, or not at all.
    let mut request = request;
    let rule = ApprovalRule::default_for(kind);
    for sha in shas {
        let entry = Entry {
            at: opened_at,
            actor: actor.to_string(),
            event: RequestEvent::Linked { sha },
        };
        request.apply(entry, &rule)?;
    }
    let entry = request.log.last().cloned();
    let id = workspace
        .store()
        .open_request(&request.log, request.state, &|id| match &entry {
            Some(entry) => {
                slipway_core::notice::request_events(id, RequestState::Draft, &request, entry)
            }
            None => Vec::new(),
        })
        .await?;
    show_request(workspace, id, Some(actor), clock).await
}

async fn resolve_change(project: &slipway_core::Project, query: &str) -> Result<String, ApiError> {
    let path = project.repo_path.clone();
    let trunk = project.pipeline.trunk.clone();
    let q = query.to_string();
    let found = tokio::task::spawn_blocking(move || {
        Repo::open(&path).and_then(|mut repo| repo.find_changes(&trunk, &q))
    })
    .await
    .map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!("Searching the repository stopped: {e}."),
        )
    })?
    .map_err(|e| ApiError::from(e).in_project(&project.name))?;
    match found.as_slice() {
        [one] => Ok(one.sha.clone()),
        [] => Err(invalid(format!(
            "No change on {} of project {:?} matches “{query}”. Give a sha, a #PR number or words from its title.",
            project.pipeline.trunk, project.name
        ))),
        many => Err(invalid(format!(
            "“{query}” matches {} changes ({}{}); give a sha or a #PR number.",
            many.len(),
            many.iter()
                .take(3)
                .map(|c| format!("{} “{}”", &c.sha[..8], c.title))
                .collect::<Vec<_>>()
                .join(", "),
            if many.len() > 3 { ", …" } else { "" }
        ))),
    }
}

/// Takes one lifecycle step on request `id` as `actor` (at `at`, or now).
pub async fn act_on_request(
    workspace: &Workspace,
    id: i64,
    action: &RequestActionDto,
    actor: &str,
    at: Option<&str>,
    clock: &dyn Clock,
) -> Result<RequestDetailDto, ApiError> {
    let now = clock.now();
    let at = match at.filter(|t| !t.trim().is_empty()) {
        Some(t) => parse_time(t, now)?,
        None => now,
    };
    let store = workspace.store();
    let (_, mut request) = replay(store.request(id).await?)?;
    let rule = ApprovalRule::default_for(request.opening.kind);
    let event = match action {
        RequestActionDto::Submit => RequestEvent::Submitted,
        RequestActionDto::Approve { role } => RequestEvent::Approved {
            role: approval_role(workspace, &request, &rule, actor, role.as_deref()).await?,
        },
        RequestActionDto::Reject { reason } => RequestEvent::Rejected {
            reason: reason.trim().to_string(),
        },
        RequestActionDto::Verify => RequestEvent::Verified,
        RequestActionDto::Hold { reason } => RequestEvent::Held {
            reason: reason.trim().to_string(),
        },
        RequestActionDto::Resume => RequestEvent::Resumed,
        RequestActionDto::Close => RequestEvent::Closed,
        RequestActionDto::Cancel { reason } => RequestEvent::Cancelled {
            reason: reason.trim().to_string(),
        },
        RequestActionDto::Link { change } => {
            let project = workspace.project(&request.opening.project).await?;
            RequestEvent::Linked {
                sha: resolve_change(&project, change).await?,
            }
        }
        RequestActionDto::Acknowledge => RequestEvent::Acknowledged,
    };
    let seq = request.log.len() as i64;
    let entry = Entry {
        at,
        actor: actor.to_string(),
        event,
    };
    let before = request.state;
    request.apply(entry.clone(), &rule)?;
    if request.log.len() as i64 > seq {
        let events = slipway_core::notice::request_events(id, before, &request, &entry);
        let postmortem = postmortem_of(workspace, id, &request, &entry).await?;
        store
            .append_request_event_opening(
                id,
                seq,
                &entry,
                request.state,
                &events,
                postmortem
                    .as_ref()
                    .map(|(env, f)| (request.opening.project.as_str(), env.as_str(), f)),
            )
            .await?;
    }
    show_request(workspace, id, Some(actor), clock).await
}

/// The follow-up an emergency request's close opens (its postmortem, owned by whoever
/// closed it), in the request's target environment or the project's last.
async fn postmortem_of(
    workspace: &Workspace,
    id: i64,
    request: &Request,
    entry: &Entry,
) -> Result<Option<(String, slipway_store::NewFollowUp)>, ApiError> {
    if !slipway_core::opens_postmortem(request.opening.kind, &entry.event) {
        return Ok(None);
    }
    let project = workspace.project(&request.opening.project).await?;
    let Some(environment) = request
        .opening
        .target_environment
        .clone()
        .or_else(|| project.pipeline.environments.last().map(|e| e.name.clone()))
    else {
        return Ok(None);
    };
    let title = format!(
        "Postmortem for emergency request #{id}: {}",
        request.opening.title
    );
    let new = new_follow_up(
        workspace,
        &project.name,
        title,
        &entry.actor,
        entry.at,
        Some(id),
    )
    .await?;
    Ok(Some((environment, new)))
}

/// The role `actor` approves in: `wanted` if given (and theirs), else the first of their
/// roles the request still needs.
async fn approval_role(
    workspace: &Workspace,
    request: &Request,
    rule: &ApprovalRule,
    actor: &str,
    wanted: Option<&str>,
) -> Result<String, ApiError> {
    let people = workspace.store().people().await?;
    let person = people
        .iter()
        .find(|p| p.email.eq_ignore_ascii_case(actor.trim()))
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::UnknownPerson,
                format!(
                    "{actor} is not in Slipway's people list, so their approval roles are unknown. \
                     Add them: slipway person add {actor} --name NAME --role ROLE."
                ),
            )
        })?;
    if let Some(role) = wanted.map(str::trim).filter(|r| !r.is_empty()) {
        let role = role.to_ascii_lowercase();
        if !person.roles.contains(&role) {
            return Err(ApiError::new(
                ErrorCode::NotAllowed,
                format!(
                    "{actor} does not have the role {role:?} (their roles: {}).",
                    roles(&person.roles)
                ),
            ));
        }
        return Ok(role);
    }
    let missing = request.missing_roles(rule);
    Ok(person
        .roles
        .iter()
        .find(|r| missing.contains(r))
        .or(person.roles.first())
        .cloned()
        .unwrap_or_default())
}

fn roles(list: &[String]) -> String {
    if list.is_empty() {
        "none".into()
    } else {
        list.join(", ")
    }
}

/// Every request (open ones only unless `all`), with its clocks, nearest breach first;
/// `viewer` (the person using Slipway) decides which steps each offers.
pub async fn list_requests(
    workspace: &Workspace,
    all: bool,
    viewer: Option<&str>,
    clock: &dyn Clock,
) -> Result<RequestListDto, ApiError> {
    let now = clock.now();
    let world = ClockWorld::load(workspace).await?;
    let mut indexes = Indexes::default();
    let mut out = Vec::new();
    for stored in workspace.store().requests(!all).await? {
        let (id, request) = replay(stored)?;
        out.push(summary(&world, id, &request, viewer, now, &mut indexes)?);
    }
    out.sort_by_key(urgency);
    Ok(RequestListDto {
        generated_at: rfc3339(now),
        requests: out,
    })
}

/// Sort key: running clocks by remaining time, then the rest, newest first.
fn urgency(r: &RequestSummaryDto) -> (bool, i64, i64) {
    match &r.urgent_clock {
        Some(c) => (false, c.remaining_seconds, -r.id),
        None => (true, 0, -r.id),
    }
}

fn summary(
    world: &ClockWorld,
    id: i64,
    request: &Request,
    viewer: Option<&str>,
    now: DateTime<Utc>,
    indexes: &mut Indexes,
) -> Result<RequestSummaryDto, ApiError> {
    let clocks: Vec<ClockDto> = world
        .request_clocks(id, request, now, indexes)?
        .iter()
        .map(|c| c.dto())
        .collect();
    let urgent_clock = clocks
        .iter()
        .filter(|c| !c.stopped)
        .min_by_key(|c| c.remaining_seconds)
        .cloned();
    let o = &request.opening;
    let rule = ApprovalRule::default_for(o.kind);
    let viewer_roles = viewer
        .and_then(|v| {
            world
                .people
                .iter()
                .find(|p| p.email.eq_ignore_ascii_case(v.trim()))
        })
        .map(|p| p.roles.as_slice())
        .unwrap_or_default();
    let unanswered_breach = clocks
        .iter()
        .any(|c| c.breached && !c.stopped && !c.acknowledged);
    let actions = request
        .offered_steps(
            &rule,
            viewer.unwrap_or_default(),
            viewer_roles,
            unanswered_breach,
        )
        .into_iter()
        .map(RequestStepDto::from)
        .collect();
    Ok(RequestSummaryDto {
        actions,
        id,
        project: o.project.clone(),
        kind: o.kind.to_string(),
        severity: o.severity.to_string(),
        title: o.title.clone(),
        state: request.state.to_string(),
        requester: o.requester.clone(),
        assignee: o.assignee.clone(),
        target_environment: o.target_environment.clone(),
        opened_at: rfc3339(request.opened_at),
        approvals_needed: if matches!(request.state, RequestState::Draft | RequestState::Submitted)
        {
            request.missing_roles(&ApprovalRule::default_for(o.kind))
        } else {
            Vec::new()
        },
        has_policy: world.policy_for(request).is_some(),
        clocks,
        urgent_clock,
    })
}

/// One request's page: its clocks, timeline and linked changes.
pub async fn show_request(
    workspace: &Workspace,
    id: i64,
    viewer: Option<&str>,
    clock: &dyn Clock,
) -> Result<RequestDetailDto, ApiError> {
    let now = clock.now();
    let world = ClockWorld::load(workspace).await?;
    let (id, request) = replay(workspace.store().request(id).await?)?;
    let summary = summary(&world, id, &request, viewer, now, &mut Indexes::default())?;
    let mut timeline: Vec<TimelineEntryDto> = request
        .log
        .iter()
        .map(|e| TimelineEntryDto {
            at: rfc3339(e.at),
            actor: e.actor.clone(),
            kind: e.event.kind().to_string(),
            text: event_text(&e.event),
        })
        .collect();
    for c in &summary.clocks {
        for (threshold, at) in &c.crossed {
            timeline.push(TimelineEntryDto {
                at: at.clone(),
                actor: "SLA".into(),
                kind: threshold.clone(),
                text: format!(
                    "{} clock: {}",
                    c.stage,
                    slipway_core::Threshold::from_key(threshold)
                        .map_or_else(|| threshold.clone(), Threshold::words)
                ),
            });
        }
    }
    timeline.sort_by(|a, b| a.at.cmp(&b.at));
    let project = workspace.project(&request.opening.project).await?;
    let shas = request.links.clone();
    let path = project.repo_path.clone();
    let trunk = project.pipeline.trunk.clone();
    let (links, unknown_links) = tokio::task::spawn_blocking(move || {
        let mut known = Vec::new();
        let mut unknown = Vec::new();
        let mut repo = Repo::open(&path).ok();
        for sha in shas {
            match repo
                .as_mut()
                .and_then(|r| r.find_changes(&trunk, &sha).ok())
                .and_then(|mut f| f.pop())
            {
                Some(change) => known.push(ChangeDto::from(&change)),
                None => unknown.push(sha),
            }
        }
        (known, unknown)
    })
    .await
    .map_err(|e| {
        ApiError::new(
            ErrorCode::Internal,
            format!("Reading linked changes stopped: {e}."),
        )
    })?;
    Ok(RequestDetailDto {
        description: request.opening.description.clone(),
        summary,
        timeline,
        links,
        unknown_links,
    })
}

fn event_text(event: &RequestEvent) -> String {
    match event {
        RequestEvent::Opened(o) => format!(
            "opened a {} {} request",
            o.severity.as_str().to_uppercase(),
            o.kind
        ),
        RequestEvent::Submitted => "submitted it for approval".into(),
        RequestEvent::Approved { role } => format!("approved as {role}"),
        RequestEvent::Rejected { reason } => format!("rejected it: {reason}"),
        RequestEvent::Verified => "verified the fix".into(),
        RequestEvent::Deployed { environment, sha } => {
            format!("deployed to {environment} ({})", &sha[..sha.len().min(8)])
        }
        RequestEvent::Closed => "closed it".into(),
        RequestEvent::Cancelled { reason } => format!("cancelled it: {reason}"),
        RequestEvent::Held { reason } => format!("put it on hold: {reason}"),
        RequestEvent::Resumed => "resumed it".into(),
        RequestEvent::Linked { sha } => format!("linked change {}", &sha[..sha.len().min(8)]),
        RequestEvent::Acknowledged => "acknowledged the escalation (“I'm on it”)".into(),
    }
}
