//! `slipway sla check --routes`: every person an escalation chain names — SLA policies' and
//! aging policies' — with how a notice would reach them, so a chain that reaches nobody is
//! seen before a breach. How someone is reached is core's (`notify::reach`).

use serde::Serialize;
use slipway_core::notify::{reach, undeliverable_reason, ChannelKind, Reach};
use slipway_core::Alerting;
use ts_rs::TS;

use crate::error::ApiError;
use crate::workspace::Workspace;

/// How an escalation would reach a chain member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReachDto {
    /// On the channels they subscribed to.
    Subscribed,
    /// By the workspace's email channel (they subscribed to nothing).
    EmailFallback,
    /// Nothing reaches them: the notice would be an undeliverable entry.
    Unreachable,
    /// A request's assignee or requester: known per request, reached like anyone else then.
    PerRequest,
    /// A role nobody in the workspace holds.
    NobodyHoldsRole,
}

/// One chain member, at one threshold of one policy.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChainMemberDto {
    /// The policy: `emergency sev1`, or `aging payments/staging`.
    pub policy: String,
    /// The threshold (`warn-50`, `breach`).
    pub threshold: String,
    /// As the chain names them: an address, `role:lead`, `assignee`, `requester`.
    pub named: String,
    /// The person's address (empty for `assignee`, `requester`, a role nobody holds).
    pub person: String,
    /// How they would be reached.
    pub reach: ReachDto,
    /// The channels, by name.
    pub channels: Vec<String>,
    /// In words: "by email (release-mail), no subscription", "no channel reaches …".
    pub sentence: String,
}

/// Every member of every escalation chain with how they would be reached.
pub async fn escalation_routes(workspace: &Workspace) -> Result<Vec<ChainMemberDto>, ApiError> {
    let store = workspace.store();
    let people: Vec<(String, Vec<String>)> = store
        .people()
        .await?
        .into_iter()
        .map(|p| (p.email, p.roles))
        .collect();
    let subscriptions = store.subscriptions().await?;
    let channels = store.channels().await?;
    let fallback = channels
        .iter()
        .find(|c| c.kind == ChannelKind::Email)
        .map(|c| c.id);
    let name_of = |id: i64| {
        channels
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| format!("#{id}"), |c| c.name.clone())
    };
    let mut chains: Vec<(String, Alerting)> = store
        .sla_policies()
        .await?
        .into_iter()
        .map(|p| {
            (
                format!("{} {}", p.kind.as_str(), p.severity.as_str()),
                p.alerting,
            )
        })
        .collect();
    chains.extend(
        store
            .aging_policies()
            .await?
            .into_iter()
            .map(|(project, p)| (format!("aging {project}/{}", p.environment), p.alerting)),
    );
    let mut out = Vec::new();
    for (policy, alerting) in &chains {
        for step in &alerting.escalation {
            for named in &step.notify {
                let member =
                    |person: &str, reach: ReachDto, channels: Vec<String>, sentence: String| {
                        ChainMemberDto {
                            policy: policy.clone(),
                            threshold: step.at.key(),
                            named: named.clone(),
                            person: person.to_string(),
                            reach,
                            channels,
                            sentence,
                        }
                    };
                if named == "assignee" || named == "requester" {
                    out.push(member(
                        "",
                        ReachDto::PerRequest,
                        Vec::new(),
                        format!("the request's {named}, reached like anyone else once known"),
                    ));
                    continue;
                }
                let people_named: Vec<String> = match named.strip_prefix("role:") {
                    Some(role) => people
                        .iter()
                        .filter(|(_, roles)| roles.iter().any(|r| r.eq_ignore_ascii_case(role)))
                        .map(|(email, _)| email.clone())
                        .collect(),
                    None => vec![named.clone()],
                };
                if people_named.is_empty() {
                    out.push(member(
                        "",
                        ReachDto::NobodyHoldsRole,
                        Vec::new(),
                        format!(
                            "nobody in the workspace holds {named}: add a person with that role"
                        ),
                    ));
                }
                for person in people_named {
                    let row = match reach(&person, &subscriptions, fallback) {
                        Reach::Subscribed(ids) => {
                            let names: Vec<String> = ids.into_iter().map(name_of).collect();
                            let sentence = format!("on {}", names.join(", "));
                            member(&person, ReachDto::Subscribed, names, sentence)
                        }
                        Reach::Fallback(id) => {
                            let name = name_of(id);
                            let sentence = format!("by email ({name}), no subscription");
                            member(&person, ReachDto::EmailFallback, vec![name], sentence)
                        }
                        Reach::Nobody => {
                            let sentence = undeliverable_reason(&person);
                            member(&person, ReachDto::Unreachable, Vec::new(), sentence)
                        }
                    };
                    out.push(row);
                }
            }
        }
    }
    Ok(out)
}
