//! Promotions: the few writes Slipway makes to a project's repository. Reading a remote ref
//! (`git ls-remote`), pushing one with a lease (`git push --force-with-lease`), moving a local
//! branch with a reflog entry, tagging, and cherry-picking a fix in memory.
//!
//! Nothing here builds a command line: every write goes through libgit2, and ref names are
//! checked by `slipway_core::check_branch` before they get here.

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use git2::{Direction, ErrorCode, Oid, PushOptions, Remote, RemoteCallbacks, Signature};

use crate::fetch::{credentials, missing_folder};
use crate::{GitError, Repo};

/// What a push expects of the remote's ref before it replaces it ("force-with-lease"): when the
/// remote's ref stands anywhere else, the push is refused with [`GitError::RemoteMoved`] and
/// nothing is pushed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lease {
    /// A forward move: the remote's ref stands at `expected`, and the new commit contains it.
    FastForward {
        /// Where the remote's ref stands (`None`: it does not exist yet).
        expected: Option<Oid>,
    },
    /// Any move, a rollback included: the remote's ref stands at `expected`.
    Force {
        /// Where the remote's ref stands (`None`: it does not exist yet).
        expected: Option<Oid>,
    },
    /// A new ref (a tag): the remote must not have it yet.
    Create,
}

impl Lease {
    fn expected(self) -> Option<Oid> {
        match self {
            Lease::FastForward { expected } | Lease::Force { expected } => expected,
            Lease::Create => None,
        }
    }
}

/// The name of a promotion tag: the `*` of a tag pattern such as `production/*` replaced by
/// `at` in UTC as `YYYYMMDD-HHMMSS` (`production/20261123-101500`), so names sort by time and
/// match the pattern the environment is tracked by. A pattern without `*` gets
/// `-YYYYMMDD-HHMMSS` appended (`release` → `release-20261123-101500`).
pub fn tag_name_for(pattern: &str, at: DateTime<Utc>) -> String {
    let stamp = at.format("%Y%m%d-%H%M%S").to_string();
    if pattern.contains('*') {
        pattern.replace('*', &stamp)
    } else {
        format!("{pattern}-{stamp}")
    }
}

impl Repo {
    /// Removes the local tag `refs/tags/<name>` (a promotion tag whose push failed), so
    /// nothing is left half-done; a tag that is not there is not an error.
    pub fn delete_tag(&self, name: &str) -> Result<(), GitError> {
        match self.inner.find_reference(&format!("refs/tags/{name}")) {
            Ok(mut r) => Ok(r.delete()?),
            Err(_) => Ok(()),
        }
    }

    /// Where a full ref name stands locally (`None` when it does not exist).
    pub fn local_ref(&self, full_ref: &str) -> Option<Oid> {
        self.inner
            .find_reference(full_ref)
            .ok()
            .and_then(|r| r.peel_to_commit().ok())
            .map(|c| c.id())
    }

    /// The first-parent commits in `from..to` (what `to` has on its first-parent line and
    /// `from` lacks), oldest first: the changes a rollback from `to` to `from` removes.
    pub fn first_parent_between(&self, from: Oid, to: Oid) -> Result<Vec<String>, GitError> {
        let mut walk = self.inner.revwalk()?;
        walk.simplify_first_parent()?;
        walk.push(to)?;
        walk.hide(from)?;
        let mut out = walk
            .map(|o| o.map(|o| o.to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        out.reverse();
        Ok(out)
    }

    /// Whether the clone has a remote named `name`.
    pub fn has_remote(&self, name: &str) -> bool {
        self.inner.find_remote(name).is_ok()
    }

    fn find_remote(&self, name: &str) -> Result<Remote<'_>, GitError> {
        self.inner
            .find_remote(name)
            .map_err(|_| GitError::RemoteMissing(name.to_string()))
    }

    /// Where `remote`'s ref `full_ref` (`refs/heads/deploy/qa`, `refs/tags/production/…`)
    /// stands now, asking the remote (`git ls-remote`); `None` when it has no such ref. An
    /// annotated tag answers the tag object's id. Failing to reach the remote is
    /// [`GitError::Fetch`].
    pub fn remote_ref(
        &self,
        remote: &str,
        full_ref: &str,
        token: Option<&str>,
    ) -> Result<Option<Oid>, GitError> {
        let failed = |reason: String| GitError::Fetch {
            remote: remote.to_string(),
            reason,
        };
        let mut found = self.find_remote(remote)?;
        if let Some(reason) = missing_folder(&found) {
            return Err(failed(reason));
        }
        let mut callbacks = RemoteCallbacks::new();
        callbacks.credentials(credentials(token));
        let connection = found
            .connect_auth(Direction::Fetch, Some(callbacks), None)
            .map_err(|e| failed(e.message().to_string()))?;
        let heads = connection
            .list()
            .map_err(|e| failed(e.message().to_string()))?;
        let oid = heads.iter().find(|h| h.name() == full_ref).map(|h| h.oid());
        Ok(oid)
    }

    /// Pushes the local object `new` (a commit, or an annotated tag's object) to `remote`'s
    /// `full_ref`, if the remote's ref stands where `lease` expects; then the local
    /// remote-tracking ref (`refs/remotes/<remote>/<branch>`) follows.
    ///
    /// The push sends the object id itself (`<sha>:<full_ref>`, `+` first only for
    /// [`Lease::Force`]): no local ref is created or moved. The lease is checked against the
    /// ref list the remote advertises on the very connection that pushes, and over SSH and
    /// HTTPS the remote applies the update only if its ref still stands there, so the check
    /// and the update are one step. Over a local folder path (libgit2's local transport) there
    /// is a small window between the check and the write in which another writer can move the
    /// ref, as with `git push --force-with-lease` itself on some transports.
    ///
    /// Errors: the ref stands elsewhere → [`GitError::RemoteMoved`] (nothing pushed); the
    /// remote or git refuses the update (not a fast-forward without force, a protected
    /// branch, a hook) → [`GitError::PushRejected`]; the remote cannot be reached →
    /// [`GitError::Push`]; `new` is not in the clone → [`GitError::RefMissing`].
    pub fn push_ref(
        &self,
        remote: &str,
        full_ref: &str,
        new: Oid,
        lease: Lease,
        token: Option<&str>,
    ) -> Result<(), GitError> {
        let failed = |reason: String| GitError::Push {
            remote: remote.to_string(),
            reason,
        };
        self.inner
            .find_object(new, None)
            .map_err(|_| GitError::RefMissing(new.to_string()))?;
        let mut found = self.find_remote(remote)?;
        if let Some(reason) = missing_folder(&found) {
            return Err(failed(reason));
        }
        let mut callbacks = RemoteCallbacks::new();
        callbacks.credentials(credentials(token));
        let mut connection = found
            .connect_auth(Direction::Push, Some(callbacks), None)
            .map_err(|e| failed(e.message().to_string()))?;
        let actual = connection
            .list()
            .map_err(|e| failed(e.message().to_string()))?
            .iter()
            .find(|h| h.name() == full_ref)
            .map(|h| h.oid());
        let expected = lease.expected();
        if actual != expected {
            return Err(GitError::RemoteMoved {
                reference: full_ref.to_string(),
                expected: expected.map(|o| o.to_string()),
                actual: actual.map(|o| o.to_string()),
            });
        }

        let rejected: RefCell<Option<String>> = RefCell::new(None);
        let mut callbacks = RemoteCallbacks::new();
        callbacks.credentials(credentials(token));
        callbacks.push_update_reference(|_name, status| {
            if let Some(reason) = status {
                *rejected.borrow_mut() = Some(reason.to_string());
            }
            Ok(())
        });
        let mut options = PushOptions::new();
        options.remote_callbacks(callbacks);
        let force = if matches!(lease, Lease::Force { .. }) {
            "+"
        } else {
            ""
        };
        let refspec = format!("{force}{new}:{full_ref}");
        let result = connection
            .remote()
            .push(&[refspec.as_str()], Some(&mut options));
        drop(options);
        let rejected_with = |reason: String| GitError::PushRejected {
            reference: full_ref.to_string(),
            reason,
        };
        match result {
            Err(e) if e.code() == ErrorCode::NotFastForward => Err(rejected_with(format!(
                "it is not a fast-forward ({})",
                e.message()
            ))),
            Err(e) => Err(failed(e.message().to_string())),
            Ok(()) => match rejected.take() {
                Some(reason) => Err(rejected_with(reason)),
                None => Ok(()),
            },
        }
    }

    /// Moves the local branch `branch` from `expected` to `new` in one step, writing `message`
    /// in its reflog with the configured signature (or `Slipway <slipway@localhost>`) and the
    /// current time, which the board reads as "deployed since". Only the ref moves: a work
    /// tree that has the branch checked out is not updated (like `git update-ref`).
    ///
    /// Errors: the branch stands elsewhere, or another writer moves it meanwhile →
    /// [`GitError::RefMoved`] (the branch is left as it is); `new` does not contain `expected`
    /// and `allow_non_ff` is false → [`GitError::NotFastForward`]; the branch or `new` is
    /// missing → [`GitError::RefMissing`].
    pub fn move_branch(
        &self,
        branch: &str,
        expected: Oid,
        new: Oid,
        allow_non_ff: bool,
        message: &str,
    ) -> Result<(), GitError> {
        let full = format!("refs/heads/{branch}");
        let current = self
            .inner
            .find_reference(&full)
            .ok()
            .and_then(|r| r.target())
            .ok_or_else(|| GitError::RefMissing(branch.to_string()))?;
        if current != expected {
            return Err(GitError::RefMoved { reference: full });
        }
        self.inner
            .find_commit(new)
            .map_err(|_| GitError::RefMissing(new.to_string()))?;
        if !allow_non_ff && !self.is_ancestor(expected, new)? {
            return Err(GitError::NotFastForward { reference: full });
        }
        // libgit2 writes the reflog entry with the configured signature, else "unknown", and
        // only where `core.logAllRefUpdates` asks for it: the entry is fixed up below.
        let message = message.replace(['\n', '\r'], " ");
        let logged_before = self.inner.reflog(&full).map(|l| l.len()).unwrap_or(0);
        self.inner
            .reference_matching(&full, new, true, expected, &message)
            .map_err(|e| match e.code() {
                ErrorCode::Modified => GitError::RefMoved {
                    reference: full.clone(),
                },
                _ => GitError::Git(e),
            })?;
        let configured = self.inner.signature().is_ok();
        let mut log = self.inner.reflog(&full)?;
        let logged = log.len() > logged_before;
        if !logged || !configured {
            if logged {
                log.remove(0, false)?;
            }
            log.append(new, &self.signature()?, Some(&message))?;
            log.write()?;
        }
        Ok(())
    }

    /// Creates the annotated tag `refs/tags/<name>` on `target`, tagged by the configured
    /// signature (or `Slipway <slipway@localhost>`) now — the tagger time is what the board
    /// reads as the tag's date — and returns the tag object's id (what to push). An existing
    /// tag is never overwritten: [`GitError::TagExists`].
    pub fn create_tag(&self, name: &str, target: Oid, message: &str) -> Result<Oid, GitError> {
        let object = self
            .inner
            .find_object(target, None)
            .map_err(|_| GitError::RefMissing(target.to_string()))?;
        if self
            .inner
            .find_reference(&format!("refs/tags/{name}"))
            .is_ok()
        {
            return Err(GitError::TagExists(name.to_string()));
        }
        self.inner
            .tag(name, &object, &self.signature()?, message, false)
            .map_err(|e| match e.code() {
                ErrorCode::Exists => GitError::TagExists(name.to_string()),
                _ => GitError::Git(e),
            })
    }

    /// Cherry-picks the commit `fix` onto the commit `onto` in memory (mainline 1 when `fix`
    /// is a merge) and writes the result as a new commit whose only parent is `onto`: the
    /// fix's author, `committer` (name, email) — else the configured committer, else
    /// `Slipway <slipway@localhost>` —, and the fix's message — or `message` when given —
    /// followed by the line `(cherry picked from commit <sha>)`, as `git cherry-pick -x`
    /// writes it.
    ///
    /// No ref, index or work tree changes: the commit is a loose object until the caller
    /// points a ref at it. A fix that does not apply cleanly is
    /// [`GitError::CherryPickConflict`] with the conflicted paths, and no commit is written
    /// (blobs merged on the way may stay in the object store, unreferenced, until `git gc`).
    /// A fix whose change `onto` already has gives a commit that changes nothing.
    pub fn cherry_pick_onto(
        &self,
        fix: Oid,
        onto: Oid,
        message: Option<&str>,
        committer: Option<(&str, &str)>,
    ) -> Result<Oid, GitError> {
        let missing = |oid: Oid| GitError::RefMissing(oid.to_string());
        let fix_commit = self.inner.find_commit(fix).map_err(|_| missing(fix))?;
        let onto_commit = self.inner.find_commit(onto).map_err(|_| missing(onto))?;
        let mainline = if fix_commit.parent_count() > 1 { 1 } else { 0 };
        let mut index = self
            .inner
            .cherrypick_commit(&fix_commit, &onto_commit, mainline, None)?;
        if index.has_conflicts() {
            let mut paths = Vec::new();
            for conflict in index.conflicts()? {
                let conflict = conflict?;
                let entry = conflict.our.or(conflict.their).or(conflict.ancestor);
                if let Some(entry) = entry {
                    paths.push(String::from_utf8_lossy(&entry.path).into_owned());
                }
            }
            paths.sort();
            paths.dedup();
            return Err(GitError::CherryPickConflict {
                sha: fix.to_string(),
                paths,
            });
        }
        let tree_id = index.write_tree_to(&self.inner)?;
        let tree = self.inner.find_tree(tree_id)?;
        let original = String::from_utf8_lossy(fix_commit.message_bytes());
        let body = message.unwrap_or(&original).trim_end();
        let message = format!("{body}\n\n(cherry picked from commit {fix})\n");
        let committer = match committer {
            Some((name, email)) => Signature::now(name, email)?,
            None => self.signature()?,
        };
        let oid = self.inner.commit(
            None,
            &fix_commit.author(),
            &committer,
            &message,
            &tree,
            &[&onto_commit],
        )?;
        Ok(oid)
    }

    /// A commit's whole message (read lossily when it is not UTF-8).
    pub fn commit_message(&self, oid: Oid) -> Result<String, GitError> {
        let commit = self
            .inner
            .find_commit(oid)
            .map_err(|_| GitError::RefMissing(oid.to_string()))?;
        Ok(String::from_utf8_lossy(commit.message_bytes()).into_owned())
    }

    /// Up to three commits whose sha starts with `prefix` (short shas), for a message: read
    /// only when a prefix turned out ambiguous.
    fn commits_starting_with(&self, prefix: &str) -> Vec<String> {
        let mut found = Vec::new();
        let lower = prefix.to_ascii_lowercase();
        if let Ok(odb) = self.inner.odb() {
            let _ = odb.foreach(|oid| {
                let hex = oid.to_string();
                if hex.starts_with(&lower)
                    && self.inner.find_commit(*oid).is_ok()
                    && !found.contains(&hex[..12].to_string())
                {
                    found.push(hex[..12].to_string());
                }
                found.len() < 3
            });
        }
        found.sort();
        found
    }

    /// Whether the commit `of` contains `ancestor` (it is `ancestor` or descends from it).
    pub fn is_ancestor(&self, ancestor: Oid, of: Oid) -> Result<bool, GitError> {
        if ancestor == of {
            return Ok(true);
        }
        self.inner
            .graph_descendant_of(of, ancestor)
            .map_err(|e| match e.code() {
                ErrorCode::NotFound => GitError::RefMissing(format!("{ancestor} or {of}")),
                _ => GitError::Git(e),
            })
    }

    /// The commit a full sha or a unique prefix of at least 7 hex digits names. A prefix that
    /// names several objects is [`GitError::Ambiguous`]; anything else that names no commit is
    /// [`GitError::RefMissing`].
    pub fn resolve_commit(&self, spec: &str) -> Result<Oid, GitError> {
        let missing = || GitError::RefMissing(spec.to_string());
        if spec.is_empty() || spec.len() > 40 || !spec.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(missing());
        }
        if spec.len() < 7 {
            return Err(GitError::ShortSha(spec.to_string()));
        }
        let object = self
            .inner
            .revparse_single(spec)
            .map_err(|e| match e.code() {
                ErrorCode::Ambiguous => GitError::AmbiguousSha {
                    spec: spec.to_string(),
                    matches: self.commits_starting_with(spec),
                },
                _ => missing(),
            })?;
        Ok(object.peel_to_commit().map_err(|_| missing())?.id())
    }

    /// The signature Slipway writes with: the configured `user.name`/`user.email`, else
    /// `Slipway <slipway@localhost>`, at the current time.
    fn signature(&self) -> Result<Signature<'static>, GitError> {
        match self.inner.signature() {
            Ok(sig) => Ok(sig),
            Err(_) => Ok(Signature::now("Slipway", "slipway@localhost")?),
        }
    }
}
