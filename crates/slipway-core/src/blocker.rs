use crate::format_age;

/// Why a queued change has not moved on. Today a change is held only by its environment not
/// having taken it; sign-offs, freezes, holds and failed checks join as further variants
/// without reshaping the list (each has a kind, a subject and a sentence).
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
}

impl Blocker {
    /// A stable machine name (`not_promoted`, `reverted_later`).
    pub fn kind(&self) -> &'static str {
        match self {
            Blocker::NotPromoted { .. } => "not_promoted",
            Blocker::RevertedLater { .. } => "reverted_later",
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
        ];
        for (blocker, waited, kind, sentence) in cases {
            assert_eq!(blocker.kind(), kind);
            assert_eq!(blocker.sentence(waited), sentence);
        }
    }
}
