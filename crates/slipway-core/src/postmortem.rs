//! The postmortem draft of a follow-up: Markdown prefilled from the record (what shipped,
//! when it was promoted and rolled back, who was told and when, the request's timeline),
//! rendered through the Jinja template below.

use serde::Serialize;

use crate::template::{Escape, MessageTemplate, TemplateError};

/// A deployment as the draft tells it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DraftRun {
    /// Its number.
    pub id: i64,
    /// What kind of run (promote, rollback, hotfix, redeploy).
    pub kind: String,
    /// Who ran it.
    pub by: String,
    /// When it started (UTC, minutes).
    pub at: String,
    /// Where the environment stood.
    pub from: String,
    /// Where it went.
    pub to: String,
    /// How it ended.
    pub status: String,
    /// The changes it shipped (or removed): short sha and title.
    pub changes: Vec<String>,
    /// Its own reason: a rollback's, a redeploy's (empty for a promotion).
    pub reason: String,
}

/// One line of a timeline.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DraftEvent {
    /// When (UTC, minutes).
    pub at: String,
    /// Who.
    pub actor: String,
    /// What happened.
    pub text: String,
}

/// The request a follow-up belongs to.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DraftRequest {
    /// Its number.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Emergency, normal or standard.
    pub kind: String,
    /// Where it stands.
    pub state: String,
    /// Its timeline, oldest first.
    pub timeline: Vec<DraftEvent>,
}

/// Everything the draft is filled with.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PostmortemFacts {
    /// The follow-up's number.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// The project.
    pub project: String,
    /// The environment.
    pub environment: String,
    /// Who owns it.
    pub owner: String,
    /// When it is due.
    pub due: String,
    /// Where the postmortem lives, if a link is set.
    pub external_link: Option<String>,
    /// The deployment that was rolled back.
    pub deployment: Option<DraftRun>,
    /// The rollback.
    pub rollback: Option<DraftRun>,
    /// The change request.
    pub request: Option<DraftRequest>,
    /// Who was told, oldest first ("12:04 UTC · dana@x by email · delivered").
    pub told: Vec<DraftEvent>,
    /// When the draft was made.
    pub drafted_at: String,
}

/// The variables the draft's template offers.
pub const POSTMORTEM_VARIABLES: &[&str] = &[
    "id",
    "title",
    "project",
    "environment",
    "owner",
    "due",
    "external_link",
    "deployment",
    "rollback",
    "request",
    "told",
    "drafted_at",
];

/// The built-in draft.
pub const POSTMORTEM_TEMPLATE: &str = r#"# Postmortem: {{ title }}

- **Project / environment:** {{ project }} / {{ environment }}
- **Follow-up:** #{{ id }}, owned by {{ owner }}, due {{ due }}
{%- if external_link %}
- **Written up at:** {{ external_link }}
{%- endif %}
- **Drafted:** {{ drafted_at }} from Slipway's record

## Summary

_What happened, who was affected, for how long — in two or three sentences._

## What shipped
{% if deployment %}
Deployment #{{ deployment.id }} ({{ deployment.kind }}) by {{ deployment.by }} at {{ deployment.at }} moved {{ environment }} from `{{ deployment.from }}` to `{{ deployment.to }}` ({{ deployment.status }}).
{% if deployment.changes %}
{% for change in deployment.changes %}- {{ change }}
{% endfor %}{% endif %}{% if deployment.reason %}
Its reason: {{ deployment.reason }}
{% endif %}{% else %}
_No deployment is linked to this follow-up._
{% endif %}
## Timeline (UTC)
{% if deployment %}
- {{ deployment.at }} — {{ deployment.by }} promoted {{ environment }} to `{{ deployment.to }}`
{%- endif %}
{%- if rollback %}
- {{ rollback.at }} — {{ rollback.by }} rolled {{ environment }} back from `{{ rollback.from }}` to `{{ rollback.to }}`: {{ rollback.reason }}
{%- endif %}
{%- if request %}{% for event in request.timeline %}
- {{ event.at }} — {{ event.actor }}: {{ event.text }}
{%- endfor %}{% endif %}

## Who was told
{% if told %}{% for t in told %}
- {{ t.at }} — {{ t.actor }}: {{ t.text }}
{%- endfor %}{% else %}
_Slipway's outbox holds no notices about this._
{%- endif %}
{% if request %}
## Change request #{{ request.id }}: {{ request.title }}

{{ request.kind }} request, {{ request.state }}.
{% endif %}
## Root cause

_Why it happened; why it was not caught before {{ environment }}._

## What we change

- [ ] _Action, owner, due date_
"#;

/// The draft, filled in from `facts`.
pub fn postmortem_draft(facts: &PostmortemFacts) -> Result<String, TemplateError> {
    MessageTemplate::parse(POSTMORTEM_TEMPLATE, POSTMORTEM_VARIABLES)?
        .render_with(facts, Escape::None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: i64, kind: &str, from: &str, to: &str) -> DraftRun {
        DraftRun {
            id,
            kind: kind.into(),
            by: "rm@example.com".into(),
            at: "2026-12-04 10:00".into(),
            from: from.into(),
            to: to.into(),
            status: "succeeded".into(),
            changes: vec!["abc12345 PAY-512: Point order intake at the new orders source".into()],
            reason: "bogus orders".into(),
        }
    }

    #[test]
    fn the_draft_tells_the_record() {
        let mut facts = PostmortemFacts {
            id: 3,
            title: "Postmortem for the rollback of production".into(),
            project: "payments".into(),
            environment: "production".into(),
            owner: "rm@example.com".into(),
            due: "2026-12-18 16:00 UTC".into(),
            external_link: Some("https://wiki.example.com/pm/3".into()),
            deployment: Some(run(7, "promote", "1111111", "2222222")),
            rollback: Some(run(8, "rollback", "2222222", "1111111")),
            request: None,
            told: vec![DraftEvent {
                at: "2026-12-04 10:01".into(),
                actor: "oncall@example.com".into(),
                text: "rolled-back by email: delivered".into(),
            }],
            drafted_at: "2026-12-04 11:00 UTC".into(),
        };
        let draft = postmortem_draft(&facts).unwrap();
        for line in [
            "# Postmortem: Postmortem for the rollback of production",
            "- **Written up at:** https://wiki.example.com/pm/3",
            "Deployment #7 (promote) by rm@example.com at 2026-12-04 10:00 moved production from `1111111` to `2222222` (succeeded).",
            "- abc12345 PAY-512: Point order intake at the new orders source",
            "- 2026-12-04 10:00 — rm@example.com rolled production back from `2222222` to `1111111`: bogus orders",
            "- 2026-12-04 10:01 — oncall@example.com: rolled-back by email: delivered",
        ] {
            assert!(draft.contains(line), "missing {line:?} in\n{draft}");
        }
        facts.deployment = None;
        facts.told.clear();
        facts.external_link = None;
        let draft = postmortem_draft(&facts).unwrap();
        assert!(draft.contains("_No deployment is linked to this follow-up._"));
        assert!(draft.contains("_Slipway's outbox holds no notices about this._"));
        assert!(!draft.contains("Written up at"));
    }
}
