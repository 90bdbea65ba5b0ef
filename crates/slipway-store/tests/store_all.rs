//! slipway-store's integration tests as one binary: each file is a module, so the crate's
//! dependencies are linked once instead of once per file.

mod support {
    pub mod pg;
}
#[path = "promotions.rs"]
mod promotions;
#[path = "requests.rs"]
mod requests;
#[path = "store.rs"]
mod store;
