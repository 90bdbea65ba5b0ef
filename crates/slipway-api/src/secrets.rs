//! Where Slipway's secrets live in the OS keychain: the service name and every entry's
//! reference. Nothing else in the crate spells a keychain name.

use slipway_secrets::{Keychain, Secret};

use crate::error::{keychain_error, ApiError};

/// The keychain service Slipway's secrets are stored under.
pub(crate) const KEYCHAIN_SERVICE: &str = "slipway";

/// The keychain Slipway's secrets are stored in.
pub(crate) fn keychain() -> Keychain {
    Keychain::new(KEYCHAIN_SERVICE)
}

/// Where a project's HTTPS token lives.
pub(crate) fn https_token_reference(project: &str) -> String {
    format!("project/{project}/https-token")
}

/// Where an environment's deploy-webhook token lives.
pub(crate) fn deploy_token_reference(project: &str, environment: &str) -> String {
    format!("project/{project}/{environment}/deploy-token")
}

/// Where a notification channel's secret parts live.
pub(crate) fn channel_reference(channel: &str) -> String {
    format!("channel/{channel}")
}

/// The project's HTTPS token, if one is stored and the keychain answers.
pub(crate) fn https_token(project: &str) -> Option<Secret> {
    keychain()
        .get(&https_token_reference(project))
        .ok()
        .flatten()
}

/// Reads a deploy token from the keychain.
pub(crate) fn deploy_token(reference: &str) -> Result<Option<Secret>, ApiError> {
    keychain().get(reference).map_err(keychain_error)
}
