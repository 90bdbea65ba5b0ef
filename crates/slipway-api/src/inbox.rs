//! What waits for the person using the app: the QA inbox (changes waiting for a sign-off
//! they may give) and the tray's count of sign-offs, approvals and breaches.

use serde::Serialize;
use slipway_core::{Clock, GatedChange};
use ts_rs::TS;

use crate::board::read_board;
use crate::dto::{wire_words, ChangeDto, LinkDto};
use crate::error::ApiError;
use crate::repos::RepoCache;
use crate::requests::{RequestStepDto, RequestSummaryDto};
use crate::workspace::Workspace;

/// A change waiting for someone's sign-off.
#[derive(Debug, Clone, Serialize, TS)]
pub struct InboxItemDto {
    /// Project name.
    pub project: String,
    /// Environment name.
    pub environment: String,
    /// The change.
    pub change: ChangeDto,
    /// How long it has waited for the environment.
    pub age: String,
    /// Seconds it has waited.
    #[ts(type = "number")]
    pub age_seconds: i64,
    /// Where its sign-offs stand ("1 of 2 qa sign-offs").
    pub state: String,
}

/// The QA inbox: queued changes waiting for a sign-off `viewer` may give (their roles, not
/// their own changes, not yet signed by them), per environment, oldest first.
pub async fn inbox(
    ws: &Workspace,
    viewer: &str,
    clock: &dyn Clock,
    repos: &mut RepoCache,
) -> Result<Vec<InboxItemDto>, ApiError> {
    let board = read_board(ws, clock, repos).await?;
    let mut items = Vec::new();
    for project in &board.projects {
        for column in &project.columns {
            let Ok(read) = &column.read else { continue };
            // A change that shipped as another commit waits for no sign-off.
            for queued in read.queue.changes.iter().filter(|q| q.is_waiting()) {
                let change = GatedChange::of(&queued.change);
                let Some(state) = column.gates.waits_for(&change, viewer) else {
                    continue;
                };
                items.push(InboxItemDto {
                    project: project.project.name.clone(),
                    environment: column.name.clone(),
                    change: ChangeDto::from(&*queued.change),
                    age: slipway_core::format_age(queued.age_seconds),
                    age_seconds: queued.age_seconds,
                    state: state.describe(),
                });
            }
        }
    }
    items.sort_by_key(|i| std::cmp::Reverse(i.age_seconds));
    Ok(items)
}

/// What kind of thing waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WaitingKindDto {
    /// A change waiting for a sign-off they may give.
    Signoff,
    /// A change request waiting for their approval.
    Approval,
    /// A breached clock they can acknowledge.
    Breach,
    /// An escalation no channel can carry (see the outbox).
    Undeliverable,
}

/// One thing waiting for the person using the app.
#[derive(Debug, Clone, Serialize, TS)]
pub struct WaitingItemDto {
    /// What kind.
    pub kind: WaitingKindDto,
    /// One line for a menu.
    pub label: String,
    /// Where it is in the app (`slipway://inbox`, `slipway://request/12`).
    pub link: String,
    /// Where the link leads.
    pub target: Option<LinkDto>,
}

impl WaitingItemDto {
    fn new(kind: WaitingKindDto, label: String, link: String) -> WaitingItemDto {
        WaitingItemDto {
            kind,
            label,
            target: LinkDto::parse(&link),
            link,
        }
    }
}

/// What waits for the person using the app: the tray icon's badge and menu.
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct WaitingForMeDto {
    /// Changes waiting for a sign-off they may give.
    pub signoffs: u32,
    /// Change requests waiting for their approval.
    pub approvals: u32,
    /// Breached clocks they can acknowledge.
    pub breaches: u32,
    /// Escalations no channel can carry, waiting for a channel or a subscription.
    pub undeliverable: u32,
    /// All of it (the badge).
    pub total: u32,
    /// The items, most urgent first (at most 10).
    pub items: Vec<WaitingItemDto>,
}

/// Counts what waits for `me` from their inbox and the open requests, and the escalations
/// nobody can receive (`undeliverable`: the outbox's reasons), which wait for anyone.
pub(crate) fn waiting_for_me(
    inbox: &[InboxItemDto],
    requests: &[RequestSummaryDto],
    undeliverable: &[String],
) -> WaitingForMeDto {
    let mut w = WaitingForMeDto::default();
    for reason in undeliverable {
        w.undeliverable += 1;
        w.items.push(WaitingItemDto::new(
            WaitingKindDto::Undeliverable,
            format!("Undeliverable: {reason}"),
            "slipway://notifications".into(),
        ));
    }
    for r in requests {
        if r.actions.contains(&RequestStepDto::Acknowledge) {
            w.breaches += 1;
            w.items.push(WaitingItemDto::new(
                WaitingKindDto::Breach,
                format!("Breached: CR #{} {}", r.id, r.title),
                format!("slipway://request/{}", r.id),
            ));
        }
    }
    for r in requests {
        if r.actions.contains(&RequestStepDto::Approve) {
            w.approvals += 1;
            w.items.push(WaitingItemDto::new(
                WaitingKindDto::Approval,
                format!("Approve: CR #{} {}", r.id, r.title),
                format!("slipway://request/{}", r.id),
            ));
        }
    }
    for i in inbox {
        w.signoffs += 1;
        w.items.push(WaitingItemDto::new(
            WaitingKindDto::Signoff,
            format!(
                "Sign off: {} {} — {}",
                i.project, i.environment, i.change.title
            ),
            "slipway://inbox".into(),
        ));
    }
    w.total = w.signoffs + w.approvals + w.breaches + w.undeliverable;
    w.items.truncate(10);
    w
}

wire_words!(WaitingKindDto);

#[cfg(test)]
mod tests {
    use super::*;
    use RequestStepDto::*;

    fn request(id: i64, actions: &[RequestStepDto]) -> RequestSummaryDto {
        RequestSummaryDto {
            id,
            project: "payments".into(),
            kind: "emergency".into(),
            severity: "sev1".into(),
            title: format!("CR {id}"),
            state: "submitted".into(),
            requester: "ana@x".into(),
            assignee: None,
            target_environment: None,
            opened_at: String::new(),
            approvals_needed: vec![],
            clocks: vec![],
            urgent_clock: None,
            has_policy: true,
            actions: actions.to_vec(),
        }
    }

    #[test]
    fn what_waits_for_me_counts_breaches_then_approvals_then_signoffs() {
        let requests = [
            request(1, &[Approve, Reject]),
            request(2, &[Acknowledge, Hold]),
            request(3, &[Hold]),
            request(4, &[Approve, Acknowledge]),
        ];
        let w = waiting_for_me(&[], &requests, &[]);
        assert_eq!((w.breaches, w.approvals, w.signoffs, w.total), (2, 2, 0, 4));
        let links: Vec<(WaitingKindDto, &str)> =
            w.items.iter().map(|i| (i.kind, i.link.as_str())).collect();
        assert_eq!(
            links,
            vec![
                (WaitingKindDto::Breach, "slipway://request/2"),
                (WaitingKindDto::Breach, "slipway://request/4"),
                (WaitingKindDto::Approval, "slipway://request/1"),
                (WaitingKindDto::Approval, "slipway://request/4"),
            ]
        );
        let many: Vec<_> = (0..15).map(|i| request(i, &[Approve])).collect();
        let w = waiting_for_me(&[], &many, &[]);
        assert_eq!(
            (w.total, w.items.len()),
            (15, 10),
            "the badge counts all, the menu lists 10"
        );
        assert_eq!(waiting_for_me(&[], &[], &[]).total, 0);
        // An escalation nobody can receive comes first, and counts in the badge.
        let lost = ["no channel reaches cto@x: add an email channel or a subscription".to_string()];
        let w = waiting_for_me(&[], &requests, &lost);
        assert_eq!((w.undeliverable, w.total), (1, 5));
        assert_eq!(w.items[0].kind, WaitingKindDto::Undeliverable);
        assert_eq!(w.items[0].link, "slipway://notifications");
        assert!(w.items[0]
            .label
            .starts_with("Undeliverable: no channel reaches cto@x"));
    }
}
