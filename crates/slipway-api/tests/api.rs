//! slipway-api's integration tests as one binary: each file is a module, so the crate's
//! dependencies are linked once instead of once per file.

#[path = "detect.rs"]
mod detect;
#[path = "dora.rs"]
mod dora;
#[path = "follow_ups.rs"]
mod follow_ups;
#[path = "guard.rs"]
mod guard;
#[path = "notify.rs"]
mod notify;
#[path = "notify_team.rs"]
mod notify_team;
#[path = "../../slipway-store/tests/support/pg.rs"]
mod pg;
#[path = "projects_and_preview.rs"]
mod projects_and_preview;
#[path = "promotions.rs"]
mod promotions;
#[path = "requests.rs"]
mod requests;
#[path = "shipped.rs"]
mod shipped;
mod support;
#[path = "team.rs"]
mod team;
#[path = "watcher.rs"]
mod watcher;
#[path = "workspace.rs"]
mod workspace;
