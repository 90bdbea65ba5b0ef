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
