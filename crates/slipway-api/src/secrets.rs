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

/// A new keychain reference under `prefix`, never used before: each stored secret gets its
/// own, kept in its owner's row, so an owner removed and added again under the same name —
/// or one of the same name in another workspace, or a second writer racing the first — never
/// reads, overwrites or deletes another's secret.
fn fresh_reference(prefix: &str) -> String {
    use rand::TryRngCore;
    let mut bytes = [0u8; 12];
    if rand::rngs::OsRng.try_fill_bytes(&mut bytes).is_err() {
        // No system randomness: the clock and the process still make it unique here.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        bytes[..8].copy_from_slice(&(now as u64).to_le_bytes());
        bytes[8..].copy_from_slice(&std::process::id().to_le_bytes());
    }
    let nonce: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}/{nonce}")
}

/// A new reference for a project's HTTPS token.
pub(crate) fn https_token_reference(project: &str) -> String {
    fresh_reference(&format!("project/{project}/https-token"))
}

/// A new reference for an environment's deploy-webhook token.
pub(crate) fn deploy_token_reference(project: &str, environment: &str) -> String {
    fresh_reference(&format!("project/{project}/{environment}/deploy-token"))
}

/// A new reference for a notification channel's secret parts.
pub(crate) fn channel_reference(channel: &str) -> String {
    fresh_reference(&format!("channel/{channel}"))
}

/// The project's HTTPS token, if one is stored and the keychain answers.
pub(crate) async fn https_token(store: &slipway_store::Store, project: &str) -> Option<Secret> {
    let reference = store.https_token_ref(project).await.ok().flatten()?;
    tokio::task::spawn_blocking(move || keychain().get(&reference).ok().flatten())
        .await
        .ok()
        .flatten()
}

/// Removes secrets whose owner is gone; one that cannot be removed is logged, not fatal (the
/// owner is gone and nothing refers to the entry any more).
pub(crate) async fn forget(references: Vec<String>) {
    if references.is_empty() {
        return;
    }
    let _ = tokio::task::spawn_blocking(move || {
        let keychain = keychain();
        for reference in references {
            if let Err(e) = keychain.delete(&reference) {
                tracing::warn!(%reference, error = %e, "a keychain entry could not be removed");
            }
        }
    })
    .await;
}

/// Reads a deploy token from the keychain.
pub(crate) fn deploy_token(reference: &str) -> Result<Option<Secret>, ApiError> {
    keychain().get(reference).map_err(keychain_error)
}
