//! Fetching a project's remote: progress as it goes, cancel at any point, credentials from
//! the SSH agent or an HTTPS token the caller read from the keychain.

use git2::{Cred, CredentialType, FetchOptions, Remote, RemoteCallbacks};

use crate::{GitError, Repo};

/// How far a fetch has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FetchProgress {
    /// Objects received so far.
    pub received_objects: usize,
    /// Objects the remote is sending.
    pub total_objects: usize,
    /// Bytes received so far.
    pub received_bytes: usize,
}

impl Repo {
    /// The remote a project fetches from: trunk's configured remote, else `origin`.
    pub fn remote_for(&self, trunk: &str) -> String {
        self.inner
            .config()
            .and_then(|c| c.get_string(&format!("branch.{trunk}.remote")))
            .unwrap_or_else(|_| "origin".to_string())
    }

    /// Fetches `remote` with its configured refspecs (updating its remote-tracking refs and
    /// tags), calling `progress` as objects arrive; `progress` returning `false` cancels, and
    /// then no ref has moved. `token` is an HTTPS token (never logged or stored here).
    pub fn fetch(
        &self,
        remote: &str,
        token: Option<&str>,
        progress: &mut dyn FnMut(FetchProgress) -> bool,
    ) -> Result<(), GitError> {
        let mut found = self
            .inner
            .find_remote(remote)
            .map_err(|_| GitError::RemoteMissing(remote.to_string()))?;
        if let Some(reason) = missing_folder(&found) {
            return Err(GitError::Fetch {
                remote: remote.to_string(),
                reason,
            });
        }
        let mut callbacks = RemoteCallbacks::new();
        callbacks.credentials(credentials(token));
        let cancelled = std::cell::Cell::new(false);
        callbacks.transfer_progress(|p| {
            let go_on = progress(FetchProgress {
                received_objects: p.received_objects(),
                total_objects: p.total_objects(),
                received_bytes: p.received_bytes(),
            });
            cancelled.set(!go_on);
            go_on
        });
        let mut options = FetchOptions::new();
        options
            .remote_callbacks(callbacks)
            .download_tags(git2::AutotagOption::All);
        let result = found.fetch::<&str>(&[], Some(&mut options), Some("slipway: fetch"));
        match result {
            Ok(()) => Ok(()),
            Err(_) if cancelled.get() => Err(GitError::Cancelled),
            Err(e) => Err(GitError::Fetch {
                remote: remote.to_string(),
                reason: e.message().to_string(),
            }),
        }
    }
}

/// The credentials callback that fetch and push share: the SSH agent first (once), else the
/// HTTPS `token` as user `x-access-token` — only over https, or plain http on loopback.
pub(crate) fn credentials(
    token: Option<&str>,
) -> impl FnMut(&str, Option<&str>, CredentialType) -> Result<Cred, git2::Error> + '_ {
    let mut tried_agent = false;
    move |url, username, allowed| {
        if allowed.contains(CredentialType::SSH_KEY) && !tried_agent {
            tried_agent = true;
            return Cred::ssh_key_from_agent(username.unwrap_or("git"));
        }
        match token {
            Some(t) if allowed.contains(CredentialType::USER_PASS_PLAINTEXT) => {
                // Never in clear text over the network (loopback is allowed).
                if let Err(e) = slipway_core::secret_may_go_to(url) {
                    return Err(git2::Error::from_str(&format!(
                        "the remote asks for the HTTPS token, and {e}"
                    )));
                }
                Cred::userpass_plaintext("x-access-token", t)
            }
            _ => Err(git2::Error::from_str(
                "no credentials: start an SSH agent, or store an HTTPS token",
            )),
        }
    }
}

/// Why a remote whose URL is a local folder path cannot be reached, when that folder does not
/// exist (libgit2 would call it an "unsupported URL protocol").
pub(crate) fn missing_folder(remote: &Remote<'_>) -> Option<String> {
    let url = remote.url()?;
    let local = !url.contains("://") && !url.contains(':');
    (local && !std::path::Path::new(url).exists())
        .then(|| format!("the remote folder {url} does not exist"))
}
