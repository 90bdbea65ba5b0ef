//! Running the git command line in test fixtures, isolated from the user's git config.

use std::path::Path;
use std::process::Command;

/// Runs `git args` in `dir` with `env` set, asserts it worked, and returns its trimmed stdout.
pub fn git_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .envs(env.iter().copied())
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string()
}

/// Runs `git args` in `dir`.
#[allow(dead_code)] // not every test binary uses both helpers
pub fn git(dir: &Path, args: &[&str]) -> String {
    git_with(dir, args, &[])
}

/// First-parent commits of `range`, oldest first, as git prints them.
#[allow(dead_code)]
pub fn rev_list(dir: &Path, range: &str) -> Vec<String> {
    git(dir, &["rev-list", "--first-parent", "--reverse", range])
        .lines()
        .map(str::to_string)
        .collect()
}
