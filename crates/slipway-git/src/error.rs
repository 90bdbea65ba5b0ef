use std::path::PathBuf;

/// What can go wrong reading a repository, or promoting in it.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The folder does not exist.
    #[error("the repository folder {0} does not exist")]
    RepositoryMissing(PathBuf),
    /// The path exists but is not a git repository.
    #[error("{0} is not a git repository")]
    NotARepository(PathBuf),
    /// A repository Slipway cannot read a pipeline from (bare, without a remote or commits).
    #[error("{} cannot be a project's clone: {why}", .path.display())]
    NotAClone {
        /// The folder.
        path: PathBuf,
        /// What is wrong and what to do.
        why: String,
    },
    /// A branch or ref that the pipeline names is not in the repository.
    #[error("ref {0:?} does not exist in the repository")]
    RefMissing(String),
    /// A sha prefix that names more than one commit.
    #[error("{0:?} names more than one commit; give more digits")]
    Ambiguous(String),
    /// A sha prefix too short to name a commit safely.
    #[error("{0:?} is too short to name a commit: use at least 7 hex digits")]
    ShortSha(String),
    /// A sha prefix several commits start with.
    #[error("{spec:?} is ambiguous: it matches {}; give more digits", .matches.join(" and "))]
    AmbiguousSha {
        /// The prefix given.
        spec: String,
        /// Some of the commits it matches (short shas).
        matches: Vec<String>,
    },
    /// An environment tracked only in the database has no recorded deployment yet.
    #[error("no deployment to {0:?} is recorded yet")]
    NotRecorded(String),
    /// An environment's ref shares no history with its upstream.
    #[error("ref {0:?} shares no history with its upstream: it is not reachable from trunk")]
    Unrelated(String),
    /// No tag matches an environment's tag pattern.
    #[error("no tag matches {0:?}")]
    NoTags(String),
    /// A shallow clone lacks a commit the pipeline needs.
    #[error(
        "the clone is shallow and lacks the history {0:?} needs; run `git fetch --unshallow` in it"
    )]
    Shallow(String),
    /// The project's remote is not configured in the clone.
    #[error("the clone has no remote named {0:?}")]
    RemoteMissing(String),
    /// Fetching failed (unreachable, refused, no credentials).
    #[error("fetching {remote:?} failed: {reason}")]
    Fetch {
        /// The remote's name.
        remote: String,
        /// What git said.
        reason: String,
    },
    /// A push found the remote's ref somewhere other than where the caller last saw it
    /// (force-with-lease): nothing was pushed.
    #[error(
        "{} on the remote moved since you looked (expected {}, found {}): nothing was pushed; \
         refresh and try again",
        pretty(.reference),
        short_or(.expected.as_deref(), "no such ref"),
        short_or(.actual.as_deref(), "no such ref")
    )]
    RemoteMoved {
        /// The full ref name on the remote (`refs/heads/deploy/qa`).
        reference: String,
        /// The full sha the caller expected there, `None` for "absent".
        expected: Option<String>,
        /// The full sha the remote has there, `None` for "absent".
        actual: Option<String>,
    },
    /// The remote refused to update a ref (not a fast-forward, a protected branch, a hook).
    #[error(
        "the remote refused to update {}: {reason}; refresh, check the branch's protection \
         rules and your access, and try again",
        pretty(.reference)
    )]
    PushRejected {
        /// The full ref name on the remote.
        reference: String,
        /// What the remote (or git) said.
        reason: String,
    },
    /// Pushing failed before the remote could answer (unreachable, no credentials).
    #[error(
        "pushing to {remote:?} failed: {reason}; check the connection and your credentials, \
         then try again"
    )]
    Push {
        /// The remote's name.
        remote: String,
        /// What git said.
        reason: String,
    },
    /// A local ref moved while Slipway was moving it: it was left as the other writer set it.
    #[error(
        "{} moved while Slipway was updating it (someone else moved it first): refresh and \
         try again",
        pretty(.reference)
    )]
    RefMoved {
        /// The full ref name (`refs/heads/deploy/qa`).
        reference: String,
    },
    /// Moving a ref to the commit asked for would drop commits it has.
    #[error(
        "moving {} there would drop commits it has (not a fast-forward): pick a newer \
         commit, or confirm it as a rollback",
        pretty(.reference)
    )]
    NotFastForward {
        /// The full ref name.
        reference: String,
    },
    /// A tag of that name exists already; tags are never overwritten.
    #[error("the tag {0:?} already exists and is never overwritten: choose another name")]
    TagExists(String),
    /// A cherry-pick does not apply cleanly: nothing was written.
    #[error(
        "the fix {} does not apply cleanly (conflicts in {}): nothing was changed; resolve it by \
         hand with `git cherry-pick -x {}` and promote the result",
        short(.sha),
        .paths.join(", "),
        short(.sha)
    )]
    CherryPickConflict {
        /// The full sha of the fix.
        sha: String,
        /// The conflicted paths, sorted.
        paths: Vec<String>,
    },
    /// The user cancelled.
    #[error("cancelled")]
    Cancelled,
    /// Anything else git2 reports.
    #[error("git: {0}")]
    Git(#[from] git2::Error),
}

impl GitError {
    /// A copy, for an error that concerns several environments (git2's errors are not `Clone`).
    pub fn clone_of(e: &GitError) -> GitError {
        match e {
            GitError::RepositoryMissing(p) => GitError::RepositoryMissing(p.clone()),
            GitError::NotARepository(p) => GitError::NotARepository(p.clone()),
            GitError::NotAClone { path, why } => GitError::NotAClone {
                path: path.clone(),
                why: why.clone(),
            },
            GitError::RefMissing(r) => GitError::RefMissing(r.clone()),
            GitError::Ambiguous(r) => GitError::Ambiguous(r.clone()),
            GitError::ShortSha(r) => GitError::ShortSha(r.clone()),
            GitError::AmbiguousSha { spec, matches } => GitError::AmbiguousSha {
                spec: spec.clone(),
                matches: matches.clone(),
            },
            GitError::Shallow(r) => GitError::Shallow(r.clone()),
            GitError::NoTags(p) => GitError::NoTags(p.clone()),
            GitError::Unrelated(r) => GitError::Unrelated(r.clone()),
            GitError::NotRecorded(e) => GitError::NotRecorded(e.clone()),
            GitError::RemoteMissing(r) => GitError::RemoteMissing(r.clone()),
            GitError::Fetch { remote, reason } => GitError::Fetch {
                remote: remote.clone(),
                reason: reason.clone(),
            },
            GitError::RemoteMoved {
                reference,
                expected,
                actual,
            } => GitError::RemoteMoved {
                reference: reference.clone(),
                expected: expected.clone(),
                actual: actual.clone(),
            },
            GitError::PushRejected { reference, reason } => GitError::PushRejected {
                reference: reference.clone(),
                reason: reason.clone(),
            },
            GitError::Push { remote, reason } => GitError::Push {
                remote: remote.clone(),
                reason: reason.clone(),
            },
            GitError::RefMoved { reference } => GitError::RefMoved {
                reference: reference.clone(),
            },
            GitError::NotFastForward { reference } => GitError::NotFastForward {
                reference: reference.clone(),
            },
            GitError::TagExists(t) => GitError::TagExists(t.clone()),
            GitError::CherryPickConflict { sha, paths } => GitError::CherryPickConflict {
                sha: sha.clone(),
                paths: paths.clone(),
            },
            GitError::Cancelled => GitError::Cancelled,
            GitError::Git(g) => GitError::Git(git2::Error::new(g.code(), g.class(), g.message())),
        }
    }
}

/// A sha shortened to 8 hex digits for messages.
fn short(sha: &str) -> &str {
    sha.get(..8).unwrap_or(sha)
}

/// A short sha, or `absent` for a ref that does not exist.
fn short_or<'a>(sha: Option<&'a str>, absent: &'a str) -> &'a str {
    sha.map_or(absent, short)
}

/// A ref name as a release manager says it: `deploy/qa`, `tag production/1`.
fn pretty(reference: &str) -> String {
    if let Some(branch) = reference.strip_prefix("refs/heads/") {
        format!("branch {branch}")
    } else if let Some(tag) = reference.strip_prefix("refs/tags/") {
        format!("tag {tag}")
    } else {
        reference.to_string()
    }
}
