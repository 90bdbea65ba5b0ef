//! The flags several commands share: who acts (one `Who` for every command), and which
//! project and environment.

use clap::Args;
use slipway_api::ApiError;

/// Who acts, and how to print.
#[derive(Args, Clone)]
pub struct Who {
    /// Act as this person (email) [default: $SLIPWAY_USER, else git's user.email]
    #[arg(long = "as", value_name = "EMAIL", global = true)]
    actor: Option<String>,
    /// Print JSON instead of text
    #[arg(long, global = true)]
    pub(crate) json: bool,
}

impl Who {
    /// Who acts.
    pub(crate) fn me(&self) -> Result<String, ApiError> {
        slipway_api::identity(self.actor.as_deref())
    }
}

/// Project and environment.
#[derive(Args, Clone)]
pub struct Place {
    /// Project name
    #[arg(long)]
    pub(crate) project: String,
    /// Environment
    #[arg(long = "env", value_name = "ENV")]
    pub(crate) environment: String,
}

pub(crate) fn parse_env(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(n, spec)| (n.to_string(), spec.to_string()))
        .ok_or_else(|| format!("{s:?} is not NAME=STRATEGY (for example qa=branch:deploy/qa)"))
}
