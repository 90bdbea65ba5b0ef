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
