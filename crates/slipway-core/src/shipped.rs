//! Patch-equivalent changes: a queued change whose patch already reached the environment
//! through another commit — the hotfix lane, or a fix cherry-picked by hand. It stays in the
//! queue (git's first-parent range still lists it) but it is not waiting any more.
//!
//! Decided like `git cherry`: by the `(cherry picked from commit …)` trailer of one of the
//! environment's own commits, else by equal patch ids (the git adapter computes them; this
//! module only compares).

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use regex::Regex;

/// How a queued change was recognised in the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShippedHow {
    /// An environment commit names it in a `(cherry picked from commit …)` trailer (the
    /// hotfix lane writes one, so does `git cherry-pick -x`).
    CherryPicked,
    /// An environment commit carries the same patch (same patch id, as `git cherry` decides).
    SamePatch,
}

impl ShippedHow {
    /// How people read it: "cherry-picked", "same patch".
    pub fn words(self) -> &'static str {
        match self {
            ShippedHow::CherryPicked => "cherry-picked",
            ShippedHow::SamePatch => "same patch",
        }
    }
}

/// The commit that carried a queued change into the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippedAs {
    /// The environment's commit (full sha).
    pub sha: String,
    /// When the environment got it.
    pub at: DateTime<Utc>,
    /// How it was recognised.
    pub how: ShippedHow,
}

/// One of the environment's own commits (those its upstream lacks), as the match needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LandedCommit {
    /// Full sha.
    pub sha: String,
    /// Its patch id, when it was computed (only for commits whose files could match).
    pub patch_id: Option<String>,
    /// Shas named by its `(cherry picked from commit …)` trailers.
    pub picked_from: Vec<String>,
    /// When the environment got it.
    pub at: DateTime<Utc>,
}

static PICKED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\(cherry picked from commit ([0-9a-f]{7,40})\)\s*$").expect("valid regex")
});

/// The shas a commit message names in `(cherry picked from commit …)` trailers, in order.
pub fn cherry_picked_from(message: &str) -> Vec<String> {
    if !message.contains("(cherry picked from commit ") {
        return Vec::new();
    }
    PICKED
        .captures_iter(message)
        .map(|c| c[1].to_string())
        .collect()
}

/// Where the queued change `sha` (with its patch id, when known) already reached the
/// environment: the first of `landed` naming it in a trailer, else the first with the same
/// patch id. A change with no patch id (nothing computed, or an empty change) only matches by
/// trailer: two empty patches are not the same fix.
pub fn shipped_as(sha: &str, patch_id: Option<&str>, landed: &[LandedCommit]) -> Option<ShippedAs> {
    let names = |picked: &String| picked.len() >= 7 && sha.starts_with(picked.as_str());
    let found = |c: &LandedCommit, how| ShippedAs {
        sha: c.sha.clone(),
        at: c.at,
        how,
    };
    if let Some(c) = landed.iter().find(|c| c.picked_from.iter().any(names)) {
        return Some(found(c, ShippedHow::CherryPicked));
    }
    let patch_id = patch_id?;
    landed
        .iter()
        .find(|c| c.sha != sha && c.patch_id.as_deref() == Some(patch_id))
        .map(|c| found(c, ShippedHow::SamePatch))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn landed(sha: &str, patch: Option<&str>, picked: &[&str], h: u32) -> LandedCommit {
        LandedCommit {
            sha: sha.into(),
            patch_id: patch.map(str::to_string),
            picked_from: picked.iter().map(|s| s.to_string()).collect(),
            at: Utc.with_ymd_and_hms(2026, 12, 1, h, 0, 0).unwrap(),
        }
    }

    #[test]
    fn trailers_are_read_from_the_message() {
        let full = "a".repeat(40);
        let cases: &[(String, Vec<String>)] = &[
            ("Fix it\n\nbody".into(), vec![]),
            (
                format!("Fix it\n\n(cherry picked from commit {full})\n"),
                vec![full.clone()],
            ),
            (
                "Fix\n\n(cherry picked from commit abc1234)\n(cherry picked from commit def5678)"
                    .into(),
                vec!["abc1234".into(), "def5678".into()],
            ),
            // Not a trailer line, or not a sha: ignored.
            ("Fix (cherry picked from commit abc1234)".into(), vec![]),
            ("Fix\n\n(cherry picked from commit xyz)".into(), vec![]),
            ("Fix\n\n(cherry picked from commit abc12)".into(), vec![]),
        ];
        for (message, want) in cases {
            assert_eq!(&cherry_picked_from(message), want, "{message:?}");
        }
    }

    #[test]
    fn a_change_is_shipped_by_trailer_else_by_equal_patch() {
        let sha = format!("f1{}", "0".repeat(38));
        let env = [
            landed("h1", Some("p-other"), &[], 1),
            landed("h2", Some("p-fix"), &[], 2),
            landed("h3", None, &[&sha[..10]], 3),
        ];
        type Case<'a> = (
            &'a str,
            Option<&'a str>,
            &'a [LandedCommit],
            Option<(&'a str, ShippedHow)>,
        );
        let cases: &[Case] = &[
            // The trailer wins over a patch match, and is found with a short sha.
            (
                &sha,
                Some("p-fix"),
                &env,
                Some(("h3", ShippedHow::CherryPicked)),
            ),
            // Same patch, no trailer.
            (
                &sha,
                Some("p-fix"),
                &env[..2],
                Some(("h2", ShippedHow::SamePatch)),
            ),
            // Same title elsewhere but a different patch: still waiting.
            (&sha, Some("p-mine"), &env[..2], None),
            // No patch id computed: only a trailer can match.
            (&sha, None, &env[..2], None),
            // Nothing landed.
            (&sha, Some("p-fix"), &[], None),
        ];
        for (sha, patch, landed, want) in cases {
            let got = shipped_as(sha, *patch, landed).map(|s| (s.sha, s.how));
            let want = want.map(|(s, h)| (s.to_string(), h));
            assert_eq!(got, want, "{patch:?} against {} commits", landed.len());
        }
        // A prefix shorter than 7 digits names nothing.
        let short = [landed("h4", None, &["f1000"], 4)];
        assert_eq!(shipped_as(&sha, None, &short), None);
        let at = shipped_as(&sha, Some("p-fix"), &env[..2]).unwrap().at;
        assert_eq!(at, env[1].at);
    }
}
