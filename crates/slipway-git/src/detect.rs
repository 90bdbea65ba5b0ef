//! What pipeline detection needs from a clone: its branches, tags and remote HEAD, and where
//! a candidate environment's ref stands against trunk. The rules that read them are core's.

use git2::{BranchType, Oid};
use slipway_core::{BranchName, Standing, TrackingRef};

use crate::repo::to_utc;
use crate::{GitError, Repo};

/// The refs of a clone, as detection reads them.
#[derive(Debug, Clone)]
pub struct CloneRefs {
    /// The remote the project fetches from (`origin`, else the only one).
    pub remote: String,
    /// What the remote's HEAD points at, without the remote's prefix (`main`).
    pub remote_head: Option<String>,
    /// Local and remote-tracking branches.
    pub branches: Vec<BranchName>,
    /// Every tag's name.
    pub tags: Vec<String>,
}

impl Repo {
    /// The clone's refs, refusing what cannot be a project's clone: a bare repository, one
    /// without a remote, one without commits, a shallow one.
    pub fn clone_refs(&self) -> Result<CloneRefs, GitError> {
        let refuse = |why: &str| GitError::NotAClone {
            path: self.path().to_path_buf(),
            why: why.to_string(),
        };
        if self.inner.is_bare() {
            return Err(refuse(
                "it is a bare repository; point Slipway at a clone with a work tree (git clone URL)",
            ));
        }
        let remotes = self.inner.remotes()?;
        let remotes: Vec<String> = remotes.iter().flatten().map(str::to_string).collect();
        let remote = if remotes.iter().any(|r| r == "origin") {
            "origin".to_string()
        } else {
            match remotes.as_slice() {
                [only] => only.clone(),
                [] => return Err(refuse(
                    "it has no remote, so there is nothing to fetch environments from; add one with `git remote add origin URL`",
                )),
                _ => return Err(refuse(
                    "it has several remotes and none is called origin; rename the one to follow with `git remote rename NAME origin`",
                )),
            }
        };
        if self.is_shallow() {
            return Err(refuse(
                "it is a shallow clone and lacks the history queues are read from; run `git fetch --unshallow` in it",
            ));
        }
        let mut branches = Vec::new();
        for entry in self.inner.branches(None)? {
            let (branch, kind) = entry?;
            let Some(name) = branch.name()?.map(str::to_string) else {
                continue;
            };
            match kind {
                BranchType::Local => branches.push(BranchName::local(&name)),
                BranchType::Remote => {
                    // Remote names may hold '/': split on the longest remote that prefixes it.
                    if let Some(r) = remotes
                        .iter()
                        .filter(|r| name.starts_with(&format!("{r}/")))
                        .max_by_key(|r| r.len())
                    {
                        branches.push(BranchName::remote(r, &name[r.len() + 1..]));
                    }
                }
            }
        }
        if branches.is_empty() {
            return Err(refuse(
                "it has no commits yet (its trunk is unborn); commit or fetch, then add it",
            ));
        }
        let remote_head = self
            .inner
            .find_reference(&format!("refs/remotes/{remote}/HEAD"))
            .ok()
            .and_then(|r| r.symbolic_target().map(str::to_string))
            .and_then(|t| {
                t.strip_prefix(&format!("refs/remotes/{remote}/"))
                    .map(str::to_string)
            });
        let tags = self
            .inner
            .tag_names(None)?
            .iter()
            .flatten()
            .map(str::to_string)
            .collect();
        Ok(CloneRefs {
            remote,
            remote_head,
            branches,
            tags,
        })
    }

    /// Where `tracking` stands against `trunk`: trunk's first-parent commits it lacks, how
    /// long ago the newest trunk commit it has was merged (counted from trunk's tip), and its
    /// own first-parent commits trunk lacks.
    pub fn standing(&mut self, trunk: &str, tracking: &TrackingRef) -> Result<Standing, GitError> {
        let (_, head) = self.resolve(trunk)?;
        let at = self.stage(tracking)?.oid;
        let missing = self.range_oids(at, head)?;
        let ahead = self.range_oids(head, at)?.len();
        let behind_seconds = match missing.first() {
            None => 0,
            Some(&oldest) => {
                let tip = self.commit_seconds(head)?;
                let commit = self.inner.find_commit(oldest)?;
                // The newest trunk commit it has is the oldest missing one's first parent.
                let base: Oid = commit.parent_id(0).unwrap_or(oldest);
                tip - self.commit_seconds(base)?
            }
        };
        Ok(Standing {
            behind: missing.len(),
            behind_seconds: behind_seconds.max(0),
            ahead,
        })
    }

    fn commit_seconds(&self, oid: Oid) -> Result<i64, GitError> {
        Ok(to_utc(self.inner.find_commit(oid)?.committer().when()).timestamp())
    }
}
