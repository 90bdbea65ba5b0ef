//! The steps a person can take on a request now, tried against the lifecycle itself so front
//! ends never restate it.

use crate::request::{ApprovalRule, Entry, Request, RequestEvent};

/// A step a person can take on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestStep {
    /// Send for approval.
    Submit,
    /// Approve in a role still needed.
    Approve,
    /// Say no.
    Reject,
    /// The fix was checked.
    Verify,
    /// Pause.
    Hold,
    /// Un-pause.
    Resume,
    /// Finish.
    Close,
    /// Withdraw.
    Cancel,
    /// Link another change.
    Link,
    /// "I'm on it".
    Acknowledge,
}

impl RequestStep {
    /// The step's event name (`submit`, `approve`, … `acknowledge`).
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStep::Submit => "submit",
            RequestStep::Approve => "approve",
            RequestStep::Reject => "reject",
            RequestStep::Verify => "verify",
            RequestStep::Hold => "hold",
            RequestStep::Resume => "resume",
            RequestStep::Close => "close",
            RequestStep::Cancel => "cancel",
            RequestStep::Link => "link",
            RequestStep::Acknowledge => "acknowledge",
        }
    }
}

impl Request {
    /// The steps `actor` could take now: each is tried against [`Request::apply`], so front
    /// ends never restate the lifecycle. `approve` assumes the actor holds a role still
    /// needed; [`Request::offered_steps`] checks that too.
    pub fn steps(&self, rule: &ApprovalRule, actor: &str) -> Vec<RequestStep> {
        let why = || "-".to_string();
        let role = self
            .missing_roles(rule)
            .into_iter()
            .next()
            .unwrap_or_default();
        let candidates = [
            (RequestStep::Submit, RequestEvent::Submitted),
            (RequestStep::Approve, RequestEvent::Approved { role }),
            (
                RequestStep::Reject,
                RequestEvent::Rejected { reason: why() },
            ),
            (RequestStep::Verify, RequestEvent::Verified),
            (RequestStep::Hold, RequestEvent::Held { reason: why() }),
            (RequestStep::Resume, RequestEvent::Resumed),
            (RequestStep::Close, RequestEvent::Closed),
            (
                RequestStep::Cancel,
                RequestEvent::Cancelled { reason: why() },
            ),
            (
                RequestStep::Link,
                RequestEvent::Linked { sha: String::new() },
            ),
            (RequestStep::Acknowledge, RequestEvent::Acknowledged),
        ];
        candidates
            .into_iter()
            .filter(|(_, event)| {
                let entry = Entry {
                    at: self.last_event_at(),
                    actor: actor.to_string(),
                    event: event.clone(),
                };
                self.clone().apply(entry, rule).is_ok()
            })
            .map(|(step, _)| step)
            .collect()
    }

    /// The steps offered to `viewer` (holding `roles`): those the lifecycle allows, approve
    /// only with a role still needed, and "I'm on it" only while a breach is unanswered.
    pub fn offered_steps(
        &self,
        rule: &ApprovalRule,
        viewer: &str,
        roles: &[String],
        unanswered_breach: bool,
    ) -> Vec<RequestStep> {
        let missing = self.missing_roles(rule);
        self.steps(rule, viewer)
            .into_iter()
            .filter(|step| match step {
                RequestStep::Approve => roles.iter().any(|r| missing.contains(r)),
                RequestStep::Acknowledge => unanswered_breach,
                _ => true,
            })
            .collect()
    }
}
