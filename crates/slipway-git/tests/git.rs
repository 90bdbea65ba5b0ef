//! slipway-git's integration tests as one binary: each file is a module, so the crate's
//! dependencies are linked once instead of once per file.

#[path = "engine.rs"]
mod engine;
#[path = "promote.rs"]
mod promote;
#[path = "queue.rs"]
mod queue;
mod support;
