use std::path::PathBuf;

/// What can go wrong reading a repository.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The folder does not exist.
    #[error("the repository folder {0} does not exist")]
    RepositoryMissing(PathBuf),
    /// The path exists but is not a git repository.
    #[error("{0} is not a git repository")]
    NotARepository(PathBuf),
    /// A branch or ref that the pipeline names is not in the repository.
    #[error("ref {0:?} does not exist in the repository")]
    RefMissing(String),
    /// A sha prefix that names more than one commit.
    #[error("{0:?} names more than one commit; give more digits")]
    Ambiguous(String),
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
            GitError::RefMissing(r) => GitError::RefMissing(r.clone()),
            GitError::Ambiguous(r) => GitError::Ambiguous(r.clone()),
            GitError::Shallow(r) => GitError::Shallow(r.clone()),
            GitError::NoTags(p) => GitError::NoTags(p.clone()),
            GitError::Unrelated(r) => GitError::Unrelated(r.clone()),
            GitError::NotRecorded(e) => GitError::NotRecorded(e.clone()),
            GitError::RemoteMissing(r) => GitError::RemoteMissing(r.clone()),
            GitError::Fetch { remote, reason } => GitError::Fetch {
                remote: remote.clone(),
                reason: reason.clone(),
            },
            GitError::Cancelled => GitError::Cancelled,
            GitError::Git(g) => GitError::Git(git2::Error::new(g.code(), g.class(), g.message())),
        }
    }
}
