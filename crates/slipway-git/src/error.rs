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
    /// No tag matches an environment's tag pattern.
    #[error("no tag matches {0:?}")]
    NoTags(String),
    /// A shallow clone lacks a commit the pipeline needs.
    #[error(
        "the clone is shallow and lacks the history {0:?} needs; run `git fetch --unshallow` in it"
    )]
    Shallow(String),
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
            GitError::Shallow(r) => GitError::Shallow(r.clone()),
            GitError::NoTags(p) => GitError::NoTags(p.clone()),
            GitError::Git(g) => GitError::Git(git2::Error::new(g.code(), g.class(), g.message())),
        }
    }
}
