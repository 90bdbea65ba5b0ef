use crate::format_age;

/// Why a queued change has not moved on: not promoted yet, reverted later, or held by a gate
/// (sign-offs, holds, freezes, a bad mark). Each has a kind and a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocker {
    /// Nobody has promoted it to the environment yet.
    NotPromoted {
        /// The environment that has not taken it.
        environment: String,
    },
    /// A later change in the same queue reverts it: shipping the queue ships both.
    RevertedLater {
        /// The reverting change's sha.
        by: String,
    },
    /// The environment's sign-off rule is not met yet ("1 of 2 qa sign-offs").
    AwaitingSignoff {
        /// The environment.
        environment: String,
        /// Where it stands, in words.
        state: String,
    },
    /// Someone rejected it for the environment.
    Rejected {
        /// The environment.
        environment: String,
        /// Who rejected it, and why.
        state: String,
    },
    /// The environment is on hold.
    OnHold {
        /// The environment.
        environment: String,
        /// Who holds it.
        owner: String,
        /// Why.
        reason: String,
    },
    /// A freeze window is on.
    Frozen {
        /// The environment.
        environment: String,
        /// Why.
        reason: String,
    },
    /// It is marked bad and goes no further.
    MarkedBad {
        /// Who marked it.
        by: String,
        /// Why.
        reason: String,
    },
    /// The config guard blocks the environment for a line this change brought.
    ConfigGuard {
        /// The environment the guard blocks.
        environment: String,
        /// The finding, as a sentence (file:line, what matched, whose it is).
        finding: String,
    },
}

impl Blocker {
    /// A stable machine name (`not_promoted`, `reverted_later`).
    pub fn kind(&self) -> &'static str {
        match self {
            Blocker::NotPromoted { .. } => "not_promoted",
            Blocker::RevertedLater { .. } => "reverted_later",
            Blocker::AwaitingSignoff { .. } => "awaiting_signoff",
            Blocker::Rejected { .. } => "rejected",
            Blocker::OnHold { .. } => "hold",
            Blocker::Frozen { .. } => "freeze",
            Blocker::MarkedBad { .. } => "bad",
            Blocker::ConfigGuard { .. } => "config_guard",
        }
    }

    /// The blocker as a person says it, given how long the change has waited.
    pub fn sentence(&self, waited_seconds: i64) -> String {
        match self {
            Blocker::NotPromoted { environment } => {
                format!(
                    "waiting {} — {environment} has not taken it yet",
                    format_age(waited_seconds)
                )
            }
            Blocker::RevertedLater { by } => {
                format!("reverted by {} later in this queue", &by[..by.len().min(8)])
            }
            Blocker::AwaitingSignoff { environment, state } => {
                format!("waiting for sign-off to enter {environment}: {state}")
            }
            Blocker::Rejected { environment, state } => format!("{state} for {environment}"),
            Blocker::OnHold {
                environment,
                owner,
                reason,
            } => format!("{environment} is on hold by {owner}: {reason}"),
            Blocker::Frozen {
                environment,
                reason,
            } => format!("{environment} is frozen: {reason}"),
            Blocker::MarkedBad { by, reason } => format!("marked bad by {by}: {reason}"),
            Blocker::ConfigGuard {
                environment,
                finding,
            } => format!("the config guard blocks it for {environment}: {finding}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blockers_read_as_sentences() {
        let cases = [
            (
                Blocker::NotPromoted {
                    environment: "staging".into(),
                },
                2 * 86_400 + 4 * 3600,
                "not_promoted",
                "waiting 2 d 4 h — staging has not taken it yet",
            ),
            (
                Blocker::RevertedLater {
                    by: "0123456789abcdef".into(),
                },
                0,
                "reverted_later",
                "reverted by 01234567 later in this queue",
            ),
            (
                Blocker::AwaitingSignoff {
                    environment: "production".into(),
                    state: "1 of 2 qa sign-offs".into(),
                },
                0,
                "awaiting_signoff",
                "waiting for sign-off to enter production: 1 of 2 qa sign-offs",
            ),
            (
                Blocker::Rejected {
                    environment: "production".into(),
                    state: "rejected by qa@x: flaky".into(),
                },
                0,
                "rejected",
                "rejected by qa@x: flaky for production",
            ),
            (
                Blocker::OnHold {
                    environment: "staging".into(),
                    owner: "rm@x".into(),
                    reason: "rolled back".into(),
                },
                0,
                "hold",
                "staging is on hold by rm@x: rolled back",
            ),
            (
                Blocker::Frozen {
                    environment: "production".into(),
                    reason: "weekend".into(),
                },
                0,
                "freeze",
                "production is frozen: weekend",
            ),
            (
                Blocker::MarkedBad {
                    by: "rm@x".into(),
                    reason: "corrupts carts".into(),
                },
                0,
                "bad",
                "marked bad by rm@x: corrupts carts",
            ),
            (
                Blocker::ConfigGuard {
                    environment: "production".into(),
                    finding: "config/production.toml:3 carries perf's “orders.perf.example”".into(),
                },
                0,
                "config_guard",
                "the config guard blocks it for production: config/production.toml:3 carries perf's “orders.perf.example”",
            ),
        ];
        for (blocker, waited, kind, sentence) in cases {
            assert_eq!(blocker.kind(), kind);
            assert_eq!(blocker.sentence(waited), sentence);
        }
    }
}
