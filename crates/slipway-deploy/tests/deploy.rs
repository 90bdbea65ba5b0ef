//! slipway-deploy's integration tests as one binary: each file is a module, so the crate's
//! dependencies are linked once instead of once per file.

#[path = "command.rs"]
mod command;
#[path = "http.rs"]
mod http;
