//! Slipway's secrets: tokens and passwords live only in the OS keychain. A [`Secret`] never
//! prints, logs or serialises its value; the database holds only the reference a secret is
//! stored under.
//!
//! Architecture invariant: depends on nothing of Slipway's; no plain-text fallback, ever —
//! when the keychain is unavailable, saving fails.

use std::fmt;

/// A secret value. `Debug` shows a redaction; there is no `Display` and no `Serialize`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for the one call that needs it (a credential callback).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

/// What can go wrong with the keychain. Messages never contain a secret.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// No keychain answers (no Secret Service on the session bus, locked, or refused).
    #[error("the OS keychain is not available ({0}); start or unlock it (for example gnome-keyring) and try again — nothing was stored")]
    Unavailable(String),
    /// A secret that cannot be stored (empty, or too long).
    #[error("the secret cannot be stored: {0}")]
    Invalid(&'static str),
}

/// The OS keychain, under one service name.
#[derive(Debug, Clone)]
pub struct Keychain {
    service: String,
}

impl Keychain {
    /// The keychain entries of `service` (Slipway uses `slipway`).
    pub fn new(service: &str) -> Keychain {
        Keychain {
            service: service.to_string(),
        }
    }

    fn entry(&self, reference: &str) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&self.service, reference).map_err(unavailable)
    }

    /// Stores `secret` under `reference`, replacing what was there.
    pub fn set(&self, reference: &str, secret: &Secret) -> Result<(), SecretError> {
        if secret.0.is_empty() {
            return Err(SecretError::Invalid("it is empty"));
        }
        if secret.0.len() > 4096 {
            return Err(SecretError::Invalid("it is longer than 4096 bytes"));
        }
        self.entry(reference)?
            .set_password(&secret.0)
            .map_err(unavailable)
    }

    /// The secret under `reference`, if one is stored.
    pub fn get(&self, reference: &str) -> Result<Option<Secret>, SecretError> {
        match self.entry(reference)?.get_password() {
            Ok(value) => Ok(Some(Secret(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    /// Removes the secret under `reference`; removing nothing is not an error.
    pub fn delete(&self, reference: &str) -> Result<(), SecretError> {
        match self.entry(reference)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }
}

/// keyring's errors never carry the secret; keep only their description.
fn unavailable(e: keyring::Error) -> SecretError {
    SecretError::Unavailable(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_prints_its_value() {
        let s = Secret::new("hunter2-canary");
        assert_eq!(format!("{s:?}"), "Secret(redacted)");
        assert_eq!(format!("{:?}", Some(&s)), "Some(Secret(redacted))");
        assert_eq!(s.expose(), "hunter2-canary");
    }
}
