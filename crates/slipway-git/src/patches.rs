//! Patch equivalence, the way `git cherry` decides it: which queued changes already reached
//! an environment through one of its own commits (a hotfix, a hand cherry-pick). The rule is
//! core's ([`slipway_core::shipped_as`]); this reads what it compares — trailers, and patch
//! ids only for commits whose changed files match — and caches both per commit.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use git2::{Diff, Oid, Repository};
use slipway_core::{arrival_of, cherry_picked_from, shipped_as, Arrival, LandedCommit, ShippedAs};

use crate::repo::to_utc;
use crate::{GitError, Repo};

impl Repo {
    /// The queued changes (`queued`, oldest first) whose patch the environment already has
    /// through one of `only_here` (its own commits, oldest first), by sha; `moves` are the
    /// environment's known ref moves, which date when it got each of its commits.
    pub(crate) fn shipped_in(
        &mut self,
        queued: &[Oid],
        only_here: &[Oid],
        moves: &[(DateTime<Utc>, Oid)],
    ) -> Result<HashMap<String, ShippedAs>, GitError> {
        let mut out = HashMap::new();
        if queued.is_empty() || only_here.is_empty() {
            return Ok(out);
        }
        let index: HashMap<Oid, i64> = only_here
            .iter()
            .enumerate()
            .map(|(i, &oid)| (oid, i as i64))
            .collect();
        let arrivals: Vec<Arrival> = moves
            .iter()
            .map(|&(at, oid)| Arrival {
                at,
                position: index.get(&oid).copied().unwrap_or(i64::MIN),
            })
            .collect();
        let mut landed = Vec::with_capacity(only_here.len());
        let mut landed_paths = Vec::with_capacity(only_here.len());
        for (i, &oid) in only_here.iter().enumerate() {
            let (message, time) = {
                let commit = self.inner.find_commit(oid)?;
                let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
                (message, to_utc(commit.time()))
            };
            // Known from the ref's moves; before the record began, the commit's own time.
            let at = arrival_of(i as i64, &arrivals).unwrap_or(time);
            landed.push(LandedCommit {
                sha: oid.to_string(),
                patch_id: None,
                picked_from: cherry_picked_from(&message),
                at,
            });
            landed_paths.push(self.changed_paths(oid)?);
        }
        for &oid in queued {
            let sha = oid.to_string();
            // A trailer decides without reading any patch.
            if let Some(found) = shipped_as(&sha, None, &landed) {
                out.insert(sha, found);
                continue;
            }
            // Patch ids only where the changed files are the same: anything else differs.
            let paths = self.changed_paths(oid)?;
            let alike: Vec<usize> = (0..landed.len())
                .filter(|&i| !paths.is_empty() && landed_paths[i] == paths)
                .collect();
            if alike.is_empty() {
                continue;
            }
            for &i in &alike {
                if landed[i].patch_id.is_none() {
                    landed[i].patch_id = self.patch_id(only_here[i])?.map(|p| p.to_string());
                }
            }
            let mine = self.patch_id(oid)?.map(|p| p.to_string());
            if let Some(found) = shipped_as(&sha, mine.as_deref(), &landed) {
                out.insert(sha, found);
            }
        }
        Ok(out)
    }

    /// The files `oid` changes against its first parent, sorted (cached per commit).
    fn changed_paths(&mut self, oid: Oid) -> Result<Vec<String>, GitError> {
        if let Some(paths) = self.patches.get(&oid).and_then(|f| f.paths.clone()) {
            return Ok(paths);
        }
        let diff = first_parent_diff(&self.inner, oid)?;
        let mut paths: Vec<String> = diff
            .deltas()
            .filter_map(|d| d.new_file().path().or(d.old_file().path()))
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        paths.sort();
        self.patches.entry(oid).or_default().paths = Some(paths.clone());
        Ok(paths)
    }

    /// `git patch-id --stable` of `oid` against its first parent; `None` for an empty change
    /// (cached per commit).
    fn patch_id(&mut self, oid: Oid) -> Result<Option<Oid>, GitError> {
        if let Some(id) = self.patches.get(&oid).and_then(|f| f.id) {
            return Ok(id);
        }
        let diff = first_parent_diff(&self.inner, oid)?;
        let id = match diff.deltas().len() {
            0 => None,
            _ => Some(diff.patchid(None)?),
        };
        self.patches.entry(oid).or_default().id = Some(id);
        Ok(id)
    }
}

fn first_parent_diff(repo: &Repository, oid: Oid) -> Result<Diff<'_>, GitError> {
    let commit = repo.find_commit(oid)?;
    let tree = commit.tree()?;
    let parent = match commit.parent(0) {
        Ok(p) => Some(p.tree()?),
        Err(_) => None,
    };
    Ok(repo.diff_tree_to_tree(parent.as_ref(), Some(&tree), None)?)
}
