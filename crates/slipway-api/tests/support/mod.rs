//! Running the git command line in tests, isolated from the user's git config: the git
//! adapter's own helper, with a fixed identity for commits.

use std::path::Path;

#[path = "../../../slipway-git/tests/support/mod.rs"]
mod git_support;

/// Runs `git args` in `dir` as a fixed identity, asserts it worked, returns trimmed stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    git_support::git_with(
        dir,
        args,
        &[
            ("GIT_AUTHOR_NAME", "Dev"),
            ("GIT_AUTHOR_EMAIL", "d@x"),
            ("GIT_COMMITTER_NAME", "Dev"),
            ("GIT_COMMITTER_EMAIL", "d@x"),
        ],
    )
}

/// Runs `git args` in `dir` as the fixed identity, with author and committer time `at`
/// (seconds since the epoch).
pub fn git_at(dir: &Path, args: &[&str], at: i64) -> String {
    let date = format!("@{at} +0000");
    git_support::git_with(
        dir,
        args,
        &[
            ("GIT_AUTHOR_NAME", "Dev"),
            ("GIT_AUTHOR_EMAIL", "d@x"),
            ("GIT_COMMITTER_NAME", "Dev"),
            ("GIT_COMMITTER_EMAIL", "d@x"),
            ("GIT_AUTHOR_DATE", &date),
            ("GIT_COMMITTER_DATE", &date),
        ],
    )
}
