//! slipway-notify's integration tests as one binary: each file is a module, so the crate's
//! dependencies are linked once instead of once per file.

#[path = "email.rs"]
mod email;
#[path = "webhook.rs"]
mod webhook;
