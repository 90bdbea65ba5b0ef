use std::path::PathBuf;

use crate::Pipeline;

/// One git repository (a local clone Slipway reads) plus its pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// Unique, human-chosen name such as `payments`.
    pub name: String,
    /// The local clone.
    pub repo_path: PathBuf,
    /// Trunk and environments.
    pub pipeline: Pipeline,
}

/// The last fetch of a project's remote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRecord {
    /// When the last fetch was tried (Unix seconds).
    pub attempted_at: i64,
    /// When a fetch last worked (Unix seconds), if ever.
    pub succeeded_at: Option<i64>,
    /// Why the last attempt failed; `None` when it worked.
    pub error: Option<String>,
}
