//! Stakeholder notifications: people, channels (email, Slack, Teams, signed webhooks,
//! desktop), subscriptions, templates, the outbox, and the dispatcher that drains it.
//!
//! Every secret part of a channel (an SMTP password, a webhook URL that carries a key, a
//! signing key) is stored in the OS keychain under `channel/<name>`; the database holds only
//! that reference. When the keychain is unavailable, adding the channel fails and nothing is
//! stored.

mod channels;
mod dispatch;
mod outbox;
mod people;
mod subscriptions;
mod templates;
mod words;

pub use channels::*;
pub use dispatch::*;
pub use outbox::*;
pub use people::*;
pub use subscriptions::*;
pub use templates::*;
