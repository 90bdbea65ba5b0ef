//! The wire types several domains share — a change, a recorded deployment — made from the
//! domain values in one direction only (`From`), never read back into a rule.

use serde::Serialize;
use slipway_core::{
    offers_rollback, Change, DeploymentKind, DeploymentStatus, Link, ShippedAs, ShippedHow,
};

use slipway_store::PromotionRecord;
use ts_rs::TS;

/// Gives wire enums `Display` as their wire word (`awaiting_signoff`, `rollback`), so front
/// ends print exactly what `--json` says.
macro_rules! wire_words {
    ($($t:ty),* $(,)?) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match serde_json::to_value(self) {
                    Ok(serde_json::Value::String(word)) => f.write_str(&word),
                    _ => Err(std::fmt::Error),
                }
            }
        }
    )*};
}

pub(crate) use wire_words;

wire_words!(DeploymentKindDto, DeploymentStatusDto);

use crate::time::{rfc3339, time};

/// One change as the UI and `--json` see it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChangeDto {
    /// Full commit sha.
    pub sha: String,
    /// First 8 characters of the sha.
    pub short_sha: String,
    /// One-line title.
    pub title: String,
    /// Author name.
    pub author: String,
    /// Author email.
    pub author_email: String,
    /// `Co-authored-by` trailers, as `Name <email>`.
    pub co_authors: Vec<String>,
    /// When it landed on trunk, RFC 3339 UTC.
    pub merged_at: String,
    /// PR/MR number, when the message names one.
    #[ts(type = "number | null")]
    pub pr: Option<u64>,
    /// Ticket keys such as `PAY-123`.
    pub tickets: Vec<String>,
    /// Sha of the change this one reverts.
    pub reverts: Option<String>,
    /// A merge commit (true) or a squash merge (false).
    pub is_merge: bool,
}

impl From<&Change> for ChangeDto {
    fn from(c: &Change) -> ChangeDto {
        ChangeDto {
            short_sha: c.sha.chars().take(8).collect(),
            sha: c.sha.clone(),
            title: c.title.clone(),
            author: c.author.clone(),
            author_email: c.author_email.clone(),
            co_authors: c.co_authors.clone(),
            merged_at: rfc3339(c.merged_at),
            pr: c.pr,
            tickets: c.tickets.clone(),
            reverts: c.reverts.clone(),
            is_merge: c.is_merge,
        }
    }
}

/// What kind of run moved an environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DeploymentKindDto {
    /// Forward to a change of the upstream.
    Promote,
    /// Back to an earlier good deployment.
    Rollback,
    /// The same commit again.
    Redeploy,
    /// A fix straight onto the environment's line.
    Hotfix,
}

impl From<DeploymentKind> for DeploymentKindDto {
    fn from(k: DeploymentKind) -> Self {
        match k {
            DeploymentKind::Promote => DeploymentKindDto::Promote,
            DeploymentKind::Rollback => DeploymentKindDto::Rollback,
            DeploymentKind::Redeploy => DeploymentKindDto::Redeploy,
            DeploymentKind::Hotfix => DeploymentKindDto::Hotfix,
        }
    }
}

/// How far a deployment got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DeploymentStatusDto {
    /// Recorded and the environment locked; the ref has not moved yet.
    Started,
    /// The ref moved (and was pushed).
    Pushed,
    /// The deploy action finished.
    Acted,
    /// Verification passed.
    Verified,
    /// Done and good.
    Succeeded,
    /// Done and not good.
    Failed,
}

impl From<DeploymentStatus> for DeploymentStatusDto {
    fn from(s: DeploymentStatus) -> Self {
        match s {
            DeploymentStatus::Started => DeploymentStatusDto::Started,
            DeploymentStatus::Pushed => DeploymentStatusDto::Pushed,
            DeploymentStatus::Acted => DeploymentStatusDto::Acted,
            DeploymentStatus::Verified => DeploymentStatusDto::Verified,
            DeploymentStatus::Succeeded => DeploymentStatusDto::Succeeded,
            DeploymentStatus::Failed => DeploymentStatusDto::Failed,
        }
    }
}

/// A promotion, rollback, redeploy or hotfix, as recorded.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DeploymentDto {
    /// Its number.
    #[ts(type = "number")]
    pub id: i64,
    /// Project name.
    pub project: String,
    /// Environment name.
    pub environment: String,
    /// What kind of run.
    pub kind: DeploymentKindDto,
    /// Where the environment stood.
    pub from_sha: String,
    /// Where it was moved.
    pub to_sha: String,
    /// The ref or tag written.
    pub ref_written: String,
    /// The changes it shipped (rolled back, for a rollback), oldest first.
    pub changes: Vec<String>,
    /// Who.
    pub by: String,
    /// Started, RFC 3339 UTC.
    pub started_at: String,
    /// Finished, RFC 3339 UTC.
    pub finished_at: Option<String>,
    /// How far it got.
    pub status: DeploymentStatusDto,
    /// Why it failed, or what reconciling found.
    pub reason: String,
    /// The run's own reason: a rollback's ("the card form fails"), a redeploy's ("again as
    /// #12"); empty for a promotion.
    pub why: String,
    /// What the deploy action and the verification said.
    pub output: String,
    /// The reason a freeze was overridden.
    pub override_reason: Option<String>,
    /// The ref moved and the deployment failed: offer a rollback.
    pub offer_rollback: bool,
}

/// A run under way, in words: "promote by ana@example.com since 2026-11-23T10:00:00Z".
pub(crate) fn running_words(p: &PromotionRecord) -> String {
    format!(
        "{} by {} since {}",
        p.spec.kind,
        p.spec.by,
        rfc3339(time(p.spec.at))
    )
}

impl From<&PromotionRecord> for DeploymentDto {
    fn from(r: &PromotionRecord) -> DeploymentDto {
        DeploymentDto {
            id: r.id,
            project: r.spec.project.clone(),
            environment: r.spec.environment.clone(),
            kind: r.spec.kind.into(),
            from_sha: r.spec.from_sha.clone(),
            to_sha: r.spec.to_sha.clone(),
            ref_written: r.spec.ref_written.clone(),
            changes: r.spec.changes.clone(),
            by: r.spec.by.clone(),
            started_at: rfc3339(time(r.spec.at)),
            finished_at: r.finished_at.map(|t| rfc3339(time(t))),
            status: r.status.into(),
            reason: r.reason.clone(),
            why: r.spec.why.clone(),
            output: r.output.clone(),
            override_reason: r.spec.override_reason.clone(),
            offer_rollback: offers_rollback(r.spec.kind, r.status, r.ref_moved),
        }
    }
}

/// A page of the app a link can lead to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PageDto {
    /// The pipeline board.
    Board,
    /// The QA sign-off inbox.
    Inbox,
    /// The change requests.
    Requests,
    /// The notifications pages.
    Notifications,
    /// The follow-ups.
    FollowUps,
}

/// Where a `slipway://` link leads in the app, read by the core (front ends never parse links).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct LinkDto {
    /// The page.
    pub page: PageDto,
    /// The request to open, for a link that names one.
    #[ts(type = "number | null")]
    pub request: Option<i64>,
    /// The follow-up to open, for a link that names one.
    #[ts(type = "number | null")]
    pub follow_up: Option<i64>,
    /// The link asks to acknowledge the request's breach: "I'm on it" is made ready on its
    /// page, never pressed.
    pub acknowledge: bool,
}

impl LinkDto {
    /// Reads a link; `None` (nothing to follow) for anything but the known forms.
    pub fn parse(link: &str) -> Option<LinkDto> {
        Link::parse(link).map(|l| {
            let (page, request, follow_up, acknowledge) = match l {
                Link::Board => (PageDto::Board, None, None, false),
                Link::Inbox => (PageDto::Inbox, None, None, false),
                Link::Requests { id, acknowledge } => (PageDto::Requests, id, None, acknowledge),
                Link::Notifications => (PageDto::Notifications, None, None, false),
                Link::FollowUps { id } => (PageDto::FollowUps, None, id, false),
            };
            LinkDto {
                page,
                request,
                follow_up,
                acknowledge,
            }
        })
    }
}

wire_words!(PageDto);

/// Where a new window opens: the `slipway://` link the app was started on (once), else the
/// page it showed last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WindowStartDto {
    /// The link the app was started on, read by the core.
    pub link: Option<LinkDto>,
    /// The route it showed last (`/requests/12`).
    pub last_page: Option<String>,
}

/// How a queued change was recognised in the environment under another commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ShippedHowDto {
    /// A `(cherry picked from commit …)` trailer names it (the hotfix lane writes one).
    CherryPicked,
    /// The same patch (same patch id, as `git cherry` decides).
    SamePatch,
}

/// The environment commit that already carries a queued change's patch.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ShippedAsDto {
    /// The environment's commit (full sha).
    pub sha: String,
    /// When the environment got it, RFC 3339 UTC.
    pub at: String,
    /// How it was recognised.
    pub how: ShippedHowDto,
    /// In words: "shipped as 1a2b3c4d (cherry-picked) — it will not ship again as new code".
    pub sentence: String,
}

impl From<&ShippedAs> for ShippedAsDto {
    fn from(s: &ShippedAs) -> Self {
        ShippedAsDto {
            sha: s.sha.clone(),
            at: rfc3339(s.at),
            how: match s.how {
                ShippedHow::CherryPicked => ShippedHowDto::CherryPicked,
                ShippedHow::SamePatch => ShippedHowDto::SamePatch,
            },
            sentence: format!(
                "shipped as {} ({}) on {} — it will not ship again as new code",
                &s.sha[..s.sha.len().min(8)],
                s.how.words(),
                s.at.format("%Y-%m-%d %H:%M UTC"),
            ),
        }
    }
}
