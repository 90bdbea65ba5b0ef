//! What a promotion would ship: the file changes between an environment's commit and the
//! chosen upstream commit.

use git2::{Delta, DiffOptions, Oid, Patch};

use crate::{GitError, Repo};

/// One file's change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path after the change (before it, for a deletion).
    pub path: String,
    /// `added`, `deleted`, `modified`, `renamed`, …
    pub status: &'static str,
    /// Lines added.
    pub additions: usize,
    /// Lines removed.
    pub deletions: usize,
    /// A binary file (no line counts).
    pub binary: bool,
}

impl Repo {
    /// The files that differ between commits `from` and `to` (full shas), by path, with
    /// line counts.
    pub fn file_changes(&self, from: &str, to: &str) -> Result<Vec<FileChange>, GitError> {
        let id = |sha: &str| Oid::from_str(sha).map_err(|_| GitError::RefMissing(sha.to_string()));
        let old = self.inner.find_commit(id(from)?)?.tree()?;
        let new = self.inner.find_commit(id(to)?)?.tree()?;
        let mut opts = DiffOptions::new();
        opts.context_lines(0);
        let diff = self
            .inner
            .diff_tree_to_tree(Some(&old), Some(&new), Some(&mut opts))?;
        let mut files = Vec::with_capacity(diff.deltas().len());
        for i in 0..diff.deltas().len() {
            let delta = diff.get_delta(i).expect("delta in range");
            let file = if delta.status() == Delta::Deleted {
                delta.old_file()
            } else {
                delta.new_file()
            };
            let path = file
                .path()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (additions, deletions, binary) = match Patch::from_diff(&diff, i)? {
                Some(patch) => {
                    let (_, adds, dels) = patch.line_stats()?;
                    (adds, dels, false)
                }
                None => (0, 0, true),
            };
            let status = match delta.status() {
                Delta::Added => "added",
                Delta::Deleted => "deleted",
                Delta::Renamed => "renamed",
                Delta::Copied => "copied",
                Delta::Typechange => "type changed",
                _ => "modified",
            };
            files.push(FileChange {
                path,
                status,
                additions,
                deletions,
                binary: binary || delta.flags().is_binary(),
            });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// Resolves a full sha (or a unique prefix of at least 7 hex digits) to a commit's full sha.
    /// A prefix that names several objects is [`GitError::Ambiguous`].
    pub fn commit_id(&self, sha: &str) -> Result<String, GitError> {
        Ok(self.resolve_commit(sha)?.to_string())
    }
}
