//! Slipway's git adapter: reads trunk history and environment refs with git2, and writes
//! the demo repository.
//!
//! Architecture invariant: depends on `slipway-core` only (never on the store or the api);
//! it reads the repository and never changes a ref except when writing a demo.

mod demo;
mod error;
mod fetch;
mod history;
mod preview;
mod read;
mod repo;
mod search;
mod synthetic;

pub use demo::{write_demo, DemoRepo, DEMO_ENVIRONMENTS};
pub use error::GitError;
pub use fetch::FetchProgress;
pub use preview::FileChange;
pub use read::{EnvironmentRead, PipelineRead, Standing};
pub use repo::{Repo, StageRef, Tip};
pub use search::configured_email;
pub use synthetic::write_synthetic;
