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

/// Where the key that signs `location`'s audit checkpoints lives. Named by the database, so a
/// workspace whose database moves has its checkpoints checked against no key (and says so).
pub(crate) fn audit_key_reference(location: &slipway_store::Location) -> String {
    format!("audit-key/{location}")
}

/// Signs audit checkpoints with this workspace's key from the OS keychain, made on first use.
/// The key is read once per process, on the first act, from a thread of its own (the keychain
/// client runs its own event loop). Without a keychain no checkpoint is written, and
/// `audit verify` says the newest entries are not covered.
pub(crate) fn audit_anchor(location: &slipway_store::Location) -> slipway_store::Anchor {
    let reference = audit_key_reference(location);
    let key: std::sync::Arc<std::sync::OnceLock<Option<Vec<u8>>>> = std::sync::Arc::default();
    std::sync::Arc::new(move |seq: i64, hash: &str| {
        let key = key.get_or_init(|| {
            let reference = reference.clone();
            std::thread::spawn(move || audit_key(&reference, true))
                .join()
                .ok()
                .flatten()
        });
        key.as_ref()
            .map(|k| slipway_core::checkpoint_mac(k, seq, hash))
    })
}

/// The audit key under `reference`; with `make`, a new random one is stored when there is none.
pub(crate) fn audit_key(reference: &str, make: bool) -> Option<Vec<u8>> {
    let keychain = keychain();
    match keychain.get(reference) {
        Ok(Some(secret)) => return hex_bytes(secret.expose()),
        Ok(None) if make => {}
        Ok(None) => return None,
        Err(e) => {
            tracing::warn!(error = %e, "no keychain: audit checkpoints are not signed");
            return None;
        }
    }
    use rand::TryRngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.try_fill_bytes(&mut bytes).ok()?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    match keychain.set(reference, &Secret::new(hex)) {
        Ok(()) => Some(bytes.to_vec()),
        Err(e) => {
            tracing::warn!(error = %e, "the audit key could not be stored: checkpoints are not signed");
            None
        }
    }
}

fn hex_bytes(hex: &str) -> Option<Vec<u8>> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}
