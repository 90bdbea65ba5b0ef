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
    /// Anything else git2 reports.
    #[error("git: {0}")]
    Git(#[from] git2::Error),
}
