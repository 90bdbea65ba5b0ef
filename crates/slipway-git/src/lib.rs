//! Slipway's git adapter: reads trunk history and environment refs with git2, writes the
//! demo repository, and makes a promotion's writes (push, branch move, tag, cherry-pick).
//!
//! Architecture invariant: depends on `slipway-core` only (never on the store or the api);
//! it changes refs only in `promote` (each write checks where the ref stands first), when
//! writing a demo, and in fetch's remote-tracking refs.

mod demo;
mod detect;
mod dora;
mod error;
mod fetch;
mod guard;
pub use guard::{DriftFile, MAX_DRIFT_PATCH};
mod history;
mod patches;
mod preview;
mod promote;
mod read;
mod repo;
mod search;
mod start;
mod synthetic;

pub use demo::{write_demo, DemoRepo, DEMO_ENVIRONMENTS, LEAK_TITLE};
pub use detect::CloneRefs;
pub use dora::{DoraHistory, Placed};
pub use error::GitError;
pub use fetch::FetchProgress;
pub use git2::Oid;
pub use preview::FileChange;
pub use promote::{tag_name_for, Lease};
pub use read::{EnvironmentRead, PipelineRead, Standing};
pub use repo::{Repo, StageRef, Tip};
pub use search::{configured_email, configured_name};
pub use start::{start, trust, Trust};
pub use synthetic::write_synthetic;
