//! What the config guard reads from a repository: the added lines a promotion would ship,
//! each environment's own files to learn its markers from, and which shipping change
//! introduced a line.

use std::collections::HashMap;

use git2::{Delta, DiffOptions, ObjectType, Oid, Patch, TreeWalkMode, TreeWalkResult};
use slipway_core::guard::{AddedLine, EnvFile, FileOwners, ShippedFile, MAX_FILE_BYTES};

use crate::{GitError, Repo};

fn oid(sha: &str) -> Result<Oid, GitError> {
    Oid::from_str(sha).map_err(|_| GitError::RefMissing(sha.to_string()))
}

impl Repo {
    /// The files that differ between commits `from` and `to` (full shas) with their added
    /// and changed lines; deleted files are left out (nothing of them ships). A binary file
    /// or one over [`MAX_FILE_BYTES`] comes without its lines.
    pub fn shipped_lines(&self, from: &str, to: &str) -> Result<Vec<ShippedFile>, GitError> {
        let old = self.inner.find_commit(oid(from)?)?.tree()?;
        let new = self.inner.find_commit(oid(to)?)?.tree()?;
        self.added_between(Some(&old), &new, None)
    }

    fn added_between(
        &self,
        old: Option<&git2::Tree<'_>>,
        new: &git2::Tree<'_>,
        only: Option<&str>,
    ) -> Result<Vec<ShippedFile>, GitError> {
        let mut opts = DiffOptions::new();
        opts.context_lines(0);
        if let Some(path) = only {
            opts.pathspec(path).disable_pathspec_match(true);
        }
        let diff = self
            .inner
            .diff_tree_to_tree(old, Some(new), Some(&mut opts))?;
        let mut files = Vec::with_capacity(diff.deltas().len());
        for i in 0..diff.deltas().len() {
            let delta = diff.get_delta(i).expect("delta in range");
            if delta.status() == Delta::Deleted {
                continue;
            }
            let file = delta.new_file();
            let path = file
                .path()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            let size = file.size();
            let mut shipped = ShippedFile {
                path,
                binary: delta.flags().is_binary(),
                size,
                added: Vec::new(),
            };
            if !shipped.binary && size <= MAX_FILE_BYTES {
                match Patch::from_diff(&diff, i)? {
                    Some(patch) => shipped.added = added_lines(&patch)?,
                    None => shipped.binary = true,
                }
            }
            files.push(shipped);
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// Every file of commit `sha`'s tree that `owners` gives to an environment, with its
    /// text (binary files and files over [`MAX_FILE_BYTES`] are left out).
    pub fn environment_files(
        &self,
        sha: &str,
        owners: &FileOwners,
    ) -> Result<Vec<EnvFile>, GitError> {
        let tree = self.inner.find_commit(oid(sha)?)?.tree()?;
        let mut found: Vec<(String, String, Oid)> = Vec::new();
        tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
            if entry.kind() == Some(ObjectType::Blob) {
                let path = format!("{dir}{}", String::from_utf8_lossy(entry.name_bytes()));
                if let Some(env) = owners.owner(&path) {
                    found.push((env.to_string(), path, entry.id()));
                }
            }
            TreeWalkResult::Ok
        })?;
        let mut files = Vec::with_capacity(found.len());
        for (environment, path, id) in found {
            let blob = self.inner.find_blob(id)?;
            if blob.is_binary() || blob.size() as u64 > MAX_FILE_BYTES {
                continue;
            }
            files.push(EnvFile {
                environment,
                path,
                text: String::from_utf8_lossy(blob.content()).into_owned(),
            });
        }
        Ok(files)
    }

    /// For each `(path, line text)`, the newest of `shipping` (full shas, oldest first)
    /// whose own diff — against its first parent — adds that line to that file. A change
    /// that leaves the file's blob as it was is passed over by comparing blob ids (a tree
    /// lookup, no diff); only changes that touch the file have their diff read, once each.
    pub fn introducers(
        &self,
        lines: &[(String, String)],
        shipping: &[String],
    ) -> Result<Vec<Option<String>>, GitError> {
        // Each shipping commit and its first parent's tree, read once.
        let mut trees: Vec<Option<(git2::Tree<'_>, Option<git2::Tree<'_>>)>> =
            (0..shipping.len()).map(|_| None).collect();
        let mut touched: HashMap<(usize, String), bool> = HashMap::new();
        let mut added: HashMap<(usize, String), Vec<String>> = HashMap::new();
        let blob = |tree: Option<&git2::Tree<'_>>, path: &str| {
            tree.and_then(|t| t.get_path(std::path::Path::new(path)).ok())
                .map(|e| e.id())
        };
        let mut out = Vec::with_capacity(lines.len());
        for (path, text) in lines {
            let mut who = None;
            for (i, sha) in shipping.iter().enumerate().rev() {
                if trees[i].is_none() {
                    let commit = self.inner.find_commit(oid(sha)?)?;
                    let parent = match commit.parent(0) {
                        Ok(p) => Some(p.tree()?),
                        Err(_) => None,
                    };
                    trees[i] = Some((commit.tree()?, parent));
                }
                let (tree, parent) = trees[i].as_ref().expect("read above");
                let key = (i, path.clone());
                let changes_file = *touched
                    .entry(key.clone())
                    .or_insert_with(|| blob(Some(tree), path) != blob(parent.as_ref(), path));
                if !changes_file {
                    continue;
                }
                if !added.contains_key(&key) {
                    let lines = self
                        .added_between(parent.as_ref(), tree, Some(path))?
                        .into_iter()
                        .flat_map(|f| f.added.into_iter().map(|l| l.text))
                        .collect();
                    added.insert(key.clone(), lines);
                }
                if added[&key].iter().any(|l| l == text) {
                    who = Some(sha.clone());
                    break;
                }
            }
            out.push(who);
        }
        Ok(out)
    }
}

fn added_lines(patch: &Patch<'_>) -> Result<Vec<AddedLine>, GitError> {
    let mut out = Vec::new();
    for h in 0..patch.num_hunks() {
        for l in 0..patch.num_lines_in_hunk(h)? {
            let line = patch.line_in_hunk(h, l)?;
            if line.origin() != '+' {
                continue;
            }
            let text = String::from_utf8_lossy(line.content());
            out.push(AddedLine {
                line: line.new_lineno().unwrap_or(0),
                text: text.trim_end_matches(['\n', '\r']).to_string(),
            });
        }
    }
    Ok(out)
}

/// How a file differs between two environments' commits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriftFile {
    /// Its path (the new one, for a rename).
    pub path: String,
    /// `added`, `deleted`, `modified`, `renamed` (from the first commit to the second).
    pub status: &'static str,
    /// Binary: no lines.
    pub binary: bool,
    /// Lines only the second has.
    pub additions: usize,
    /// Lines only the first has.
    pub deletions: usize,
    /// The unified diff (3 lines of context), cut at [`MAX_DRIFT_PATCH`] bytes.
    pub patch: String,
    /// The diff was longer and is cut.
    pub cut: bool,
}

/// The most of one file's diff a drift view shows.
pub const MAX_DRIFT_PATCH: usize = 64 * 1024;

impl Repo {
    /// The files that differ between commits `from` and `to` for which `wanted(path)` holds
    /// (the config files), each with its diff; and how many other files differ.
    pub fn drift(
        &self,
        from: &str,
        to: &str,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Result<(Vec<DriftFile>, usize), GitError> {
        let old = self.inner.find_commit(oid(from)?)?.tree()?;
        let new = self.inner.find_commit(oid(to)?)?.tree()?;
        let mut opts = DiffOptions::new();
        opts.context_lines(3);
        let mut diff = self
            .inner
            .diff_tree_to_tree(Some(&old), Some(&new), Some(&mut opts))?;
        diff.find_similar(None)?;
        let mut files = Vec::new();
        let mut others = 0;
        for i in 0..diff.deltas().len() {
            let delta = diff.get_delta(i).expect("delta in range");
            let path = delta
                .new_file()
                .path()
                .or_else(|| delta.old_file().path())
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !wanted(&path) {
                others += 1;
                continue;
            }
            let status = match delta.status() {
                Delta::Added => "added",
                Delta::Deleted => "deleted",
                Delta::Renamed => "renamed",
                _ => "modified",
            };
            let mut file = DriftFile {
                path,
                status,
                binary: delta.flags().is_binary(),
                additions: 0,
                deletions: 0,
                patch: String::new(),
                cut: false,
            };
            if let Some(mut patch) = Patch::from_diff(&diff, i)? {
                let (_, added, removed) = patch.line_stats()?;
                file.additions = added;
                file.deletions = removed;
                let text = patch.to_buf()?;
                let text = String::from_utf8_lossy(&text);
                file.binary |= text.contains("Binary files");
                if text.len() > MAX_DRIFT_PATCH {
                    let mut end = MAX_DRIFT_PATCH;
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                    file.patch = text[..end].to_string();
                    file.cut = true;
                } else {
                    file.patch = text.into_owned();
                }
            }
            files.push(file);
        }
        Ok((files, others))
    }
}
