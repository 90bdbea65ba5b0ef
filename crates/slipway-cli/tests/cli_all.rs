//! slipway-cli's integration tests as one binary: each file is a module, so the crate's
//! dependencies are linked once instead of once per file.

#[path = "bad_input.rs"]
mod bad_input;
#[path = "cli.rs"]
mod cli;
#[path = "notify.rs"]
mod notify;
#[path = "promote.rs"]
mod promote;
#[path = "service.rs"]
mod service;
#[path = "tls.rs"]
mod tls;
