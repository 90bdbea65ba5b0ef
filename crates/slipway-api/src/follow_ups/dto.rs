//! Follow-ups as the UI and `--json` see them, and what a person asks to change.

use serde::{Deserialize, Serialize};
use slipway_core::{FollowUpStatus, Priority};
use ts_rs::TS;

/// Where a follow-up stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum FollowUpStatusDto {
    /// Still to do.
    Open,
    /// Done.
    Done,
    /// Not going to be done, with a reason.
    WontDo,
}

impl From<FollowUpStatus> for FollowUpStatusDto {
    fn from(s: FollowUpStatus) -> Self {
        match s {
            FollowUpStatus::Open => FollowUpStatusDto::Open,
            FollowUpStatus::Done => FollowUpStatusDto::Done,
            FollowUpStatus::WontDo => FollowUpStatusDto::WontDo,
        }
    }
}

impl FollowUpStatusDto {
    pub(crate) fn domain(self) -> FollowUpStatus {
        match self {
            FollowUpStatusDto::Open => FollowUpStatus::Open,
            FollowUpStatusDto::Done => FollowUpStatus::Done,
            FollowUpStatusDto::WontDo => FollowUpStatus::WontDo,
        }
    }
}

/// How urgent a follow-up is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum PriorityDto {
    /// Before anything else.
    High,
    /// The default.
    Normal,
    /// When there is time.
    Low,
}

impl From<Priority> for PriorityDto {
    fn from(p: Priority) -> Self {
        match p {
            Priority::High => PriorityDto::High,
            Priority::Normal => PriorityDto::Normal,
            Priority::Low => PriorityDto::Low,
        }
    }
}

impl PriorityDto {
    pub(crate) fn domain(self) -> Priority {
        match self {
            PriorityDto::High => Priority::High,
            PriorityDto::Normal => Priority::Normal,
            PriorityDto::Low => Priority::Low,
        }
    }
}

/// A follow-up item.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FollowUpDto {
    /// Its number.
    #[ts(type = "number")]
    pub id: i64,
    /// Project name.
    pub project: String,
    /// Environment name.
    pub environment: String,
    /// What is to be done.
    pub title: String,
    /// The rollback that opened it.
    #[ts(type = "number | null")]
    pub deployment: Option<i64>,
    /// The deployment that rollback undid.
    #[ts(type = "number | null")]
    pub rolled_back: Option<i64>,
    /// The change request it came from or is linked to.
    #[ts(type = "number | null")]
    pub request: Option<i64>,
    /// Who opened it.
    pub opened_by: String,
    /// When, RFC 3339 UTC.
    pub opened_at: String,
    /// Who owns it.
    pub owner: Option<String>,
    /// How urgent.
    pub priority: PriorityDto,
    /// When it is due, RFC 3339 UTC.
    pub due_at: String,
    /// The calendar its due date counts on ("24x7" when the project names none).
    pub calendar: String,
    /// "due in 3 d 4 h", "overdue by 2 d", "done", "won't do".
    pub standing: String,
    /// Open and past its due date.
    pub overdue: bool,
    /// Where it stands.
    pub status: FollowUpStatusDto,
    /// Why it was closed so (won't do), or the note it was closed with.
    pub reason: Option<String>,
    /// The ticket or document where the postmortem lives.
    pub external_link: Option<String>,
    /// Who closed it, when closed.
    pub closed_by: Option<String>,
    /// When it was closed, RFC 3339 UTC.
    pub closed_at: Option<String>,
}

/// A follow-up opened by hand.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct NewFollowUpDto {
    /// Project name.
    pub project: String,
    /// Environment name.
    pub environment: String,
    /// What is to be done.
    pub title: String,
    /// Who owns it (the person opening it when absent).
    #[serde(default)]
    pub owner: Option<String>,
    /// When it is due (RFC 3339, `YYYY-MM-DD HH:MM` UTC or `YYYY-MM-DD`: that day's close on
    /// the project's calendar); the project's default when absent.
    #[serde(default)]
    pub due: Option<String>,
    /// A change request it belongs to.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub request: Option<i64>,
}

/// Changes to an open follow-up; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct FollowUpEditDto {
    /// A new owner (an email address).
    #[serde(default)]
    pub owner: Option<String>,
    /// A new priority.
    #[serde(default)]
    pub priority: Option<PriorityDto>,
    /// A new due date (as [`NewFollowUpDto::due`]).
    #[serde(default)]
    pub due: Option<String>,
    /// The ticket or document where the postmortem lives; empty removes it.
    #[serde(default)]
    pub external_link: Option<String>,
    /// A change request to link.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub request: Option<i64>,
}

/// How a follow-up is closed.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct FollowUpCloseDto {
    /// Done or won't do.
    pub status: FollowUpStatusDto,
    /// Why (needed for won't do), or a note.
    #[serde(default)]
    pub reason: String,
}

/// A project's follow-up settings.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct FollowUpSettingsDto {
    /// The calendar due dates count on (`null`: 24×7).
    pub calendar: Option<String>,
    /// Business days from the rollback or the request's close to the due date.
    pub due_days: u32,
}
