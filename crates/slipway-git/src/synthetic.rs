//! Large synthetic histories for benchmarks and load tests: `merges` first-parent merge
//! commits on `main`, each with a second parent that touches one file, written by
//! `git fast-import` (one pack, seconds for 100,000 merges).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::GitError;

fn git(dir: &Path, args: &[&str]) -> Result<(), GitError> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .map_err(|e| GitError::Git(git2::Error::from_str(&format!("git: {e}"))))?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        return Err(GitError::Git(git2::Error::from_str(&format!(
            "git {args:?}: {why}"
        ))));
    }
    Ok(())
}

/// Writes the repository in `dir` (created), then a branch per `(name, behind)` standing
/// `behind` merges below `main`.
pub fn write_synthetic(
    dir: &Path,
    merges: usize,
    branches: &[(String, usize)],
) -> Result<(), GitError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| GitError::Git(git2::Error::from_str(&e.to_string())))?;
    git(dir, &["init", "-q", "-b", "main"])?;
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| GitError::Git(git2::Error::from_str(&format!("git fast-import: {e}"))))?;
    let stdin = child
        .stdin
        .take()
        .ok_or_else(|| GitError::Git(git2::Error::from_str("no stdin")))?;
    let written = write_stream(stdin, merges);
    let status = child
        .wait()
        .map_err(|e| GitError::Git(git2::Error::from_str(&e.to_string())))?;
    written.map_err(|e| GitError::Git(git2::Error::from_str(&e.to_string())))?;
    if !status.success() {
        return Err(GitError::Git(git2::Error::from_str(
            "git fast-import failed",
        )));
    }
    git(dir, &["branch", "-D", "side"])?;
    for (name, behind) in branches {
        git(dir, &["branch", name, &format!("main~{behind}")])?;
    }
    Ok(())
}

fn write_stream(stdin: std::process::ChildStdin, merges: usize) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(stdin);
    let mut t = 1_700_000_000u64;
    let mut stamp = || {
        t += 30;
        t
    };
    writeln!(w, "commit refs/heads/main\nmark :1\ncommitter Bench <b@x> {} +0000\ndata 4\nroot\nM 644 inline README\ndata 6\nhello\n", stamp())?;
    for i in 0..merges {
        let (side, merge, prev) = (2 * i + 2, 2 * i + 3, if i == 0 { 1 } else { 2 * i + 1 });
        let file = format!("src/module_{}.rs", i % 400);
        writeln!(w, "commit refs/heads/side\nmark :{side}\ncommitter Dev <d@x> {} +0000\ndata <<EOM\nwork {i}\nEOM\nfrom :{prev}\nM 644 inline {file}\ndata <<EOD\nfn f{i}() {{}}\nEOD\n", stamp())?;
        // fast-import does not merge trees: the merge commit carries the side's file too.
        writeln!(w, "commit refs/heads/main\nmark :{merge}\ncommitter GitHub <g@x> {} +0000\ndata <<EOM\nMerge pull request #{i} from dev/b{i}\n\nPAY-{}: Change {i}\nEOM\nfrom :{prev}\nmerge :{side}\nM 644 inline {file}\ndata <<EOD\nfn f{i}() {{}}\nEOD\n", stamp(), i % 9000 + 1)?;
    }
    w.flush()
}
