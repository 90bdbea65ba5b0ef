//! Stakeholders: the people who are told, with their roles and chat handles.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use slipway_core::notify::{check_email, ChannelKind};
use slipway_store::Person;
use ts_rs::TS;

use crate::error::{invalid, not_found, rule_error, ApiError};
use crate::workspace::Workspace;

use super::channels::ChannelSecret;

/// A stakeholder: a person who is told (and who signs off or approves by role).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct StakeholderDto {
    /// Their email address (how Slipway knows them).
    pub email: String,
    /// Their name.
    pub name: String,
    /// How chat messages mention them (`@dana`), or empty.
    pub chat_handle: String,
    /// Roles (`qa`, `release-manager`).
    pub roles: Vec<String>,
    /// How many subscriptions they have (read-only).
    #[serde(default)]
    pub subscriptions: u32,
}

/// Adds a stakeholder or replaces one with the same email.
pub async fn save_stakeholder(ws: &Workspace, input: &StakeholderDto) -> Result<(), ApiError> {
    let email = check_email(&input.email).map_err(rule_error)?;
    let roles: Vec<String> = input
        .roles
        .iter()
        .map(|r| r.trim().to_ascii_lowercase())
        .filter(|r| !r.is_empty())
        .collect();
    if let Some(bad) = roles.iter().find(|r| {
        !r.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    }) {
        return Err(invalid(format!(
            "“{bad}” is not a role name; use letters, digits and dashes (qa, release-manager)."
        )));
    }
    let handle = input.chat_handle.trim();
    if handle.contains(char::is_whitespace) {
        return Err(invalid(format!(
            "“{handle}” is not a chat handle; write it without spaces (@dana)."
        )));
    }
    ws.store()
        .save_person(&Person {
            name: if input.name.trim().is_empty() {
                email.clone()
            } else {
                input.name.trim().to_string()
            },
            email,
            roles,
            chat_handle: handle.to_string(),
        })
        .await?;
    Ok(())
}

/// Every stakeholder, by email.
pub async fn stakeholders(ws: &Workspace) -> Result<Vec<StakeholderDto>, ApiError> {
    let subs = ws.store().subscriptions().await?;
    Ok(ws
        .store()
        .people()
        .await?
        .into_iter()
        .map(|p| StakeholderDto {
            subscriptions: subs
                .iter()
                .filter(|s| s.person.eq_ignore_ascii_case(&p.email))
                .count() as u32,
            email: p.email,
            name: p.name,
            chat_handle: p.chat_handle,
            roles: p.roles,
        })
        .collect())
}

/// Removes a stakeholder and their subscriptions.
pub async fn remove_stakeholder(ws: &Workspace, email: &str) -> Result<(), ApiError> {
    if !ws.store().remove_person(email.trim()).await? {
        return Err(not_found(format!(
            "There is no stakeholder “{}”.",
            email.trim()
        )));
    }
    Ok(())
}

/// A channel split into what the database keeps and what the keychain keeps.
pub(crate) type PlannedChannel = (ChannelKind, BTreeMap<String, String>, Option<ChannelSecret>);
