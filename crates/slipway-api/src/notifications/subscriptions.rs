//! Subscriptions: who hears of which events, over which channel, now or in a daily digest.

use serde::{Deserialize, Serialize};
use slipway_core::notify::{check_email, Delivery, Severity, Subscription};
use slipway_core::Clock;
use slipway_store::ChannelRecord;
use ts_rs::TS;

use crate::error::{not_found, rule_error, ApiError, ErrorCode};
use crate::workspace::Workspace;

use super::words::{event_kind, word};

/// A subscription to add.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct SubscriptionInputDto {
    /// The stakeholder's email.
    pub person: String,
    /// The channel's name.
    pub channel: String,
    /// Only this project (empty: all).
    #[serde(default)]
    pub project: String,
    /// Only this environment (empty: all).
    #[serde(default)]
    pub environment: String,
    /// Only these event kinds (empty: all).
    #[serde(default)]
    pub kinds: Vec<String>,
    /// `info`, `warning` or `critical` (empty: info).
    #[serde(default)]
    pub min_severity: String,
    /// `immediate` or `digest HH:MM Area/City` (empty: immediate).
    #[serde(default)]
    pub delivery: String,
}

/// A subscription.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SubscriptionDto {
    /// Its number.
    #[ts(type = "number")]
    pub id: i64,
    /// The stakeholder's email.
    pub person: String,
    /// The channel's name.
    pub channel: String,
    /// The channel's kind.
    pub channel_kind: String,
    /// Only this project (empty: all).
    pub project: String,
    /// Only this environment (empty: all).
    pub environment: String,
    /// Only these kinds (empty: all).
    pub kinds: Vec<String>,
    /// The minimum severity.
    pub min_severity: String,
    /// `immediate` or `digest HH:MM Zone`.
    pub delivery: String,
}

/// Subscribes a stakeholder to events over a channel.
pub async fn subscribe(
    ws: &Workspace,
    input: &SubscriptionInputDto,
    clock: &dyn Clock,
) -> Result<SubscriptionDto, ApiError> {
    let person = check_email(&input.person).map_err(rule_error)?;
    let store = ws.store();
    if !store
        .people()
        .await?
        .iter()
        .any(|p| p.email.eq_ignore_ascii_case(&person))
    {
        return Err(ApiError::new(
            ErrorCode::UnknownPerson,
            format!("“{person}” is not a stakeholder; add them first (slipway stakeholder add)."),
        ));
    }
    let channel = store
        .channel(input.channel.trim())
        .await?
        .ok_or_else(|| not_found(format!("There is no channel “{}”.", input.channel.trim())))?;
    let project = Some(input.project.trim().to_string()).filter(|p| !p.is_empty());
    let environment = Some(input.environment.trim().to_string()).filter(|e| !e.is_empty());
    if let Some(p) = &project {
        let found = ws.project(p).await?;
        if let Some(e) = &environment {
            crate::projects::environment_index(&found, e)?;
        }
    }
    let kinds = input
        .kinds
        .iter()
        .filter(|k| !k.trim().is_empty())
        .map(|k| event_kind(k))
        .collect::<Result<Vec<_>, _>>()?;
    let min_severity = if input.min_severity.trim().is_empty() {
        Severity::Info
    } else {
        word(
            &input.min_severity,
            Severity::parse,
            Severity::names,
            "a severity",
        )?
    };
    let delivery = if input.delivery.trim().is_empty() {
        Delivery::Immediate
    } else {
        Delivery::parse(&input.delivery).map_err(rule_error)?
    };
    let mut s = Subscription {
        id: 0,
        person,
        channel: channel.id,
        project,
        environment,
        kinds,
        min_severity,
        delivery,
    };
    s.id = store.add_subscription(&s, clock.now().timestamp()).await?;
    Ok(subscription_dto(&s, &[channel]))
}

pub(crate) fn subscription_dto(s: &Subscription, channels: &[ChannelRecord]) -> SubscriptionDto {
    let channel = channels.iter().find(|c| c.id == s.channel);
    SubscriptionDto {
        id: s.id,
        person: s.person.clone(),
        channel: channel.map(|c| c.name.clone()).unwrap_or_default(),
        channel_kind: channel
            .map(|c| c.kind.as_str().to_string())
            .unwrap_or_default(),
        project: s.project.clone().unwrap_or_default(),
        environment: s.environment.clone().unwrap_or_default(),
        kinds: s.kinds.iter().map(|k| k.as_str().to_string()).collect(),
        min_severity: s.min_severity.as_str().to_string(),
        delivery: s.delivery.describe(),
    }
}

/// Every subscription.
pub async fn subscriptions(ws: &Workspace) -> Result<Vec<SubscriptionDto>, ApiError> {
    let channels = ws.store().channels().await?;
    Ok(ws
        .store()
        .subscriptions()
        .await?
        .iter()
        .map(|s| subscription_dto(s, &channels))
        .collect())
}

/// Removes a subscription.
pub async fn unsubscribe(ws: &Workspace, id: i64) -> Result<(), ApiError> {
    if !ws.store().remove_subscription(id).await? {
        return Err(not_found(format!("There is no subscription #{id}.")));
    }
    Ok(())
}
