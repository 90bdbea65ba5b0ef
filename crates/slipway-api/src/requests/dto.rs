//! Change requests' wire types: what a new request says, the steps, the list and a page.

use serde::{Deserialize, Serialize};
use slipway_core::RequestStep;
use ts_rs::TS;

use crate::clocks::ClockDto;
use crate::dto::{wire_words, ChangeDto};

/// What a new change request says.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct NewRequestDto {
    /// The project.
    pub project: String,
    /// `emergency`, `normal` or `standard`.
    pub kind: String,
    /// `sev1` … `sev4`.
    pub severity: String,
    /// One line.
    pub title: String,
    /// Free text.
    pub description: String,
    /// Who asks (default: the person acting).
    pub requester: Option<String>,
    /// Who does the work.
    pub assignee: Option<String>,
    /// Where the fix must go.
    pub target_environment: Option<String>,
    /// Changes to link: shas, `#PR` numbers, or words from a title (each must name one change).
    pub links: Vec<String>,
    /// When it really began (RFC 3339 or `YYYY-MM-DD HH:MM` UTC), for requests written after
    /// the fact.
    pub opened_at: Option<String>,
}

/// A step in a request's lifecycle.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum RequestActionDto {
    /// Send for approval.
    Submit,
    /// Approve (in `role`, or the first role of yours still needed).
    Approve {
        /// The role to approve in.
        role: Option<String>,
    },
    /// Say no.
    Reject {
        /// Why.
        reason: String,
    },
    /// The fix was checked.
    Verify,
    /// Pause.
    Hold {
        /// Why.
        reason: String,
    },
    /// Un-pause.
    Resume,
    /// Finish.
    Close,
    /// Withdraw.
    Cancel {
        /// Why.
        reason: String,
    },
    /// Link another change (sha, `#PR` or title words).
    Link {
        /// What names the change.
        change: String,
    },
    /// "I'm on it": stops the reminders of the request's breached clocks.
    Acknowledge,
}

/// A step the person using Slipway can take on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RequestStepDto {
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

impl From<RequestStep> for RequestStepDto {
    fn from(s: RequestStep) -> Self {
        match s {
            RequestStep::Submit => RequestStepDto::Submit,
            RequestStep::Approve => RequestStepDto::Approve,
            RequestStep::Reject => RequestStepDto::Reject,
            RequestStep::Verify => RequestStepDto::Verify,
            RequestStep::Hold => RequestStepDto::Hold,
            RequestStep::Resume => RequestStepDto::Resume,
            RequestStep::Close => RequestStepDto::Close,
            RequestStep::Cancel => RequestStepDto::Cancel,
            RequestStep::Link => RequestStepDto::Link,
            RequestStep::Acknowledge => RequestStepDto::Acknowledge,
        }
    }
}

/// A request in the list.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RequestSummaryDto {
    /// Its number.
    #[ts(type = "number")]
    pub id: i64,
    /// The project.
    pub project: String,
    /// `emergency`, `normal`, `standard`.
    pub kind: String,
    /// `sev1` … `sev4`.
    pub severity: String,
    /// One line.
    pub title: String,
    /// Lifecycle state (`on-hold` etc.).
    pub state: String,
    /// Who asked.
    pub requester: String,
    /// Who works on it.
    pub assignee: Option<String>,
    /// Where the fix goes.
    pub target_environment: Option<String>,
    /// When it was opened.
    pub opened_at: String,
    /// Roles whose approval is still missing.
    pub approvals_needed: Vec<String>,
    /// Its clocks (none without an SLA policy for its type and severity).
    pub clocks: Vec<ClockDto>,
    /// The clock closest to breaching, if any runs: the list is sorted by it.
    pub urgent_clock: Option<ClockDto>,
    /// Whether an SLA policy covers it.
    pub has_policy: bool,
    /// The steps the person using Slipway can take now, as the lifecycle allows them: front
    /// ends offer exactly these.
    pub actions: Vec<RequestStepDto>,
}

/// One line of a request's timeline.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TimelineEntryDto {
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// The event's machine name (`approved`, `held`…).
    pub kind: String,
    /// As a person says it.
    pub text: String,
}

/// One request's page.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RequestDetailDto {
    /// What the list shows.
    pub summary: RequestSummaryDto,
    /// Free text.
    pub description: String,
    /// Every event, oldest first, plus the clock thresholds crossed.
    pub timeline: Vec<TimelineEntryDto>,
    /// Linked changes (those the clone knows).
    pub links: Vec<ChangeDto>,
    /// Linked shas the clone does not know.
    pub unknown_links: Vec<String>,
}

/// The request list, sorted by time to breach (nearest first; requests without a running
/// clock last, newest first).
#[derive(Debug, Clone, Serialize, TS)]
pub struct RequestListDto {
    /// When the clocks were read.
    pub generated_at: String,
    /// The requests.
    pub requests: Vec<RequestSummaryDto>,
}

wire_words!(RequestStepDto);
