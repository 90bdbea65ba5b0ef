//! One module per command group; each parses nothing itself (the flags are clap's) and calls
//! slipway-api, then prints through `output`.

pub mod audit;
pub mod board;
pub mod dora;
pub mod follow_ups;
pub mod gates;
pub mod guard;
pub mod notifications;
pub mod outbox;
pub mod projects;
pub mod promotion;
pub mod requests;
pub mod serve;
pub mod settings;
pub mod sla;
pub mod templates;
pub mod watch;
