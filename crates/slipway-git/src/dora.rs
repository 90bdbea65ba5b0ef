//! What DORA's metrics read from a repository: trunk's first-parent line back to the oldest
//! commit a deployment stood on, with each change's first-commit time, and for deployments
//! off trunk's line (hotfixes) the trunk commit they are based on and their own commits.

use std::collections::HashMap;

use chrono::{DateTime, TimeZone, Utc};
use git2::Oid;
use slipway_core::dora::{DoraChange, TrunkChange};

use crate::{GitError, Repo};

/// The most commits read down one merge's side for its first-commit time, and off trunk's
/// line for one deployment: beyond that a branch is not one change.
const SIDE_LIMIT: usize = 500;

/// Where a deployed commit stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// Its trunk position, or for a commit off trunk's line the position of the trunk commit
    /// it is based on (`None`: no common history with the trunk line read).
    pub position: Option<i64>,
    /// Its own commits off trunk's line, oldest first (indices into [`DoraHistory::off_trunk`]).
    pub off_trunk: Vec<usize>,
}

/// Trunk's line and where each asked-for commit stands on it.
#[derive(Debug, Clone, Default)]
pub struct DoraHistory {
    /// Trunk's first-parent line from its head (position 0) down.
    pub trunk: Vec<TrunkChange>,
    /// Commits off trunk's line that deployed commits carry.
    pub off_trunk: Vec<DoraChange>,
    /// Each asked-for commit (full sha) where it could be read.
    pub placed: HashMap<String, Placed>,
}

fn when(t: git2::Time) -> DateTime<Utc> {
    Utc.timestamp_opt(t.seconds(), 0)
        .single()
        .unwrap_or_default()
}

impl Repo {
    /// Reads trunk's line as far down as the oldest of `deployed` (full shas of commits that
    /// environments stood on) and places each of them on it.
    pub fn dora_history(
        &mut self,
        trunk: &str,
        deployed: &[String],
    ) -> Result<DoraHistory, GitError> {
        let (_, head) = self.resolve(trunk)?;
        let mut wanted: Vec<Oid> = Vec::new();
        for sha in deployed {
            if let Ok(oid) = Oid::from_str(sha) {
                if self.inner.find_commit(oid).is_ok() && !wanted.contains(&oid) {
                    wanted.push(oid);
                }
            }
        }
        let chain = self.walk_chain(head, &wanted, 0)?;
        let mut out = DoraHistory::default();
        for (i, &oid) in chain.oids.iter().enumerate() {
            let change = self.dora_change(oid)?;
            out.trunk.push(TrunkChange {
                position: -(i as i64),
                change,
            });
        }
        let mut off_index: HashMap<Oid, usize> = HashMap::new();
        for oid in wanted {
            let placed = match chain.position(oid) {
                Some(p) => Placed {
                    position: Some(p),
                    off_trunk: Vec::new(),
                },
                None => {
                    // Off trunk's line: its own commits are its first-parent line down to the
                    // trunk commit it is based on (a hotfix on the environment's line).
                    let mut own = Vec::new();
                    let mut base = None;
                    let mut at = Some(oid);
                    while let Some(c) = at {
                        if let Some(p) = chain.position(c) {
                            base = Some(p);
                            break;
                        }
                        if own.len() == SIDE_LIMIT {
                            break;
                        }
                        own.push(c);
                        at = self.inner.find_commit(c)?.parent_id(0).ok();
                    }
                    own.reverse();
                    let mut indices = Vec::new();
                    for c in own {
                        let i = match off_index.get(&c) {
                            Some(&i) => i,
                            None => {
                                let change = self.dora_change(c)?;
                                out.off_trunk.push(change);
                                off_index.insert(c, out.off_trunk.len() - 1);
                                out.off_trunk.len() - 1
                            }
                        };
                        indices.push(i);
                    }
                    Placed {
                        position: base,
                        off_trunk: indices,
                    }
                }
            };
            out.placed.insert(oid.to_string(), placed);
        }
        Ok(out)
    }

    /// A change with its first-commit time: a merge's earliest author time among the commits
    /// it brought, else its own author time.
    fn dora_change(&mut self, oid: Oid) -> Result<DoraChange, GitError> {
        let change = self.change(oid)?;
        let commit = self.inner.find_commit(oid)?;
        let mut first = when(commit.author().when());
        if commit.parent_count() > 1 {
            let mut walk = self.inner.revwalk()?;
            walk.push(commit.parent_id(1)?)?;
            walk.hide(commit.parent_id(0)?)?;
            for step in walk.take(SIDE_LIMIT) {
                let side = self.inner.find_commit(step?)?;
                first = first.min(when(side.author().when()));
            }
        }
        Ok(DoraChange {
            sha: change.sha.clone(),
            title: change.title.clone(),
            first_commit_at: first,
            merged_at: change.merged_at,
            reverts: change.reverts.clone(),
        })
    }
}
