//! The queue engine: one walk down trunk's first-parent chain, as far as the lowest
//! environment, gives every queue as a slice of that chain. Commits once read stay in the
//! repository's cache, so a refresh after a new merge reads one commit.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use git2::Oid;
use slipway_core::{Arrival, Change, Pipeline, ShippedAs, Stage};

use crate::repo::StageRef;
use crate::{GitError, Repo, Tip};

/// Where an environment stands relative to its upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// It has everything its upstream has.
    UpToDate,
    /// Its upstream has changes it lacks.
    Behind,
    /// It has commits its upstream lacks (a hotfix on its line), and lacks none.
    Ahead,
    /// Both: it lacks upstream changes and has commits of its own.
    Diverged,
}

/// One environment as read from git.
#[derive(Debug, Clone)]
pub struct EnvironmentRead {
    /// Where it stands.
    pub tip: Tip,
    /// Upstream changes it lacks, oldest first, with their trunk positions (when on trunk).
    pub queued: Vec<(Arc<Change>, Option<i64>)>,
    /// Commits it has that its upstream lacks, oldest first.
    pub only_here: Vec<Arc<Change>>,
    /// Queued changes whose patch it already has through one of `only_here`, by sha.
    pub shipped: HashMap<String, ShippedAs>,
    /// The upstream's known moves, for ages (empty when the upstream is trunk).
    pub upstream_moves: Vec<Arrival>,
    /// Ahead, behind, both or neither.
    pub standing: Standing,
}

/// A whole pipeline as read from git.
#[derive(Debug)]
pub struct PipelineRead {
    /// Trunk's head (since = its merge time) and its newest changes, newest first.
    pub trunk: (Tip, Vec<Change>),
    /// Each environment in pipeline order, or why it could not be read.
    pub environments: Vec<Result<EnvironmentRead, GitError>>,
}

/// Position of each trunk commit read so far: 0 at trunk's head, -1 below it, and so on.
pub(crate) struct Chain {
    pub oids: Vec<Oid>,
    index: HashMap<Oid, i64>,
}

impl Chain {
    pub fn position(&self, oid: Oid) -> Option<i64> {
        self.index.get(&oid).copied()
    }

    /// Oids strictly above `low` up to and including `high`, oldest first.
    fn between(&self, low: i64, high: i64) -> Vec<Oid> {
        let (from, to) = ((-high) as usize, (-low) as usize);
        self.oids[from..to.min(self.oids.len())]
            .iter()
            .rev()
            .copied()
            .collect()
    }
}

impl Repo {
    /// Reads trunk and every environment. `stages` holds each environment's ref (a branch or
    /// tags from git, or the database's record) in pipeline order; a stage that failed to
    /// resolve keeps its error.
    pub fn read_pipeline(
        &mut self,
        pipeline: &Pipeline,
        stages: Vec<Result<StageRef, GitError>>,
        recent: usize,
    ) -> Result<PipelineRead, GitError> {
        let (_, head) = self.resolve(&pipeline.trunk)?;
        let wanted: Vec<Oid> = stages
            .iter()
            .filter_map(|s| s.as_ref().ok().map(|s| s.oid))
            .collect();
        let chain = self.walk_chain(head, &wanted, recent)?;

        let trunk_tip = self.change(head)?;
        let trunk_recent = chain
            .oids
            .iter()
            .take(recent)
            .map(|&o| self.change(o).map(|c| (*c).clone()))
            .collect::<Result<Vec<_>, _>>()?;
        let trunk = (
            Tip {
                since: trunk_tip.merged_at,
                change: Change::clone(&trunk_tip),
            },
            trunk_recent,
        );

        let mut environments = Vec::with_capacity(stages.len());
        for (i, (env, upstream)) in pipeline.stages().enumerate() {
            let env = match &stages[i] {
                Err(e) => Err(GitError::clone_of(e)),
                Ok(stage) => {
                    let up = match upstream {
                        Stage::Trunk(_) => Ok((head, Vec::new())),
                        Stage::Environment(_) => match &stages[i - 1] {
                            Ok(s) => Ok((s.oid, s.moves.clone())),
                            Err(e) => Err(GitError::clone_of(e)),
                        },
                    };
                    up.and_then(|(up_oid, up_moves)| {
                        self.read_environment(
                            &chain,
                            stage,
                            env.tracking.ref_name(),
                            up_oid,
                            &up_moves,
                        )
                    })
                }
            };
            environments.push(env);
        }
        Ok(PipelineRead {
            trunk,
            environments,
        })
    }

    fn read_environment(
        &mut self,
        chain: &Chain,
        stage: &StageRef,
        name: &str,
        upstream: Oid,
        upstream_moves: &[(DateTime<Utc>, Oid)],
    ) -> Result<EnvironmentRead, GitError> {
        let tip = Tip {
            change: (*self.change(stage.oid)?).clone(),
            since: stage.since,
        };
        let (queued, only_here) = match (chain.position(stage.oid), chain.position(upstream)) {
            (Some(env), Some(up)) if env <= up => (chain.between(env, up), Vec::new()),
            (Some(env), Some(up)) => (Vec::new(), chain.between(up, env)),
            // In a shallow clone, history below the boundary is missing: no honest answer.
            _ if self.inner.is_shallow() => return Err(GitError::Shallow(name.to_string())),
            // A ref with no history in common with its upstream has no queue to speak of.
            _ if self.inner.merge_base(stage.oid, upstream).is_err() => {
                return Err(GitError::Unrelated(name.to_string()))
            }
            // Off trunk's line (a hotfix, or a ref Slipway cannot place): ask git the long way.
            _ => (
                self.range_oids(stage.oid, upstream)?,
                self.range_oids(upstream, stage.oid)?,
            ),
        };
        let standing = match (queued.is_empty(), only_here.is_empty()) {
            (true, true) => Standing::UpToDate,
            (false, true) => Standing::Behind,
            (true, false) => Standing::Ahead,
            (false, false) => Standing::Diverged,
        };
        let shipped = self.shipped_in(&queued, &only_here, &stage.moves)?;
        let queued = queued
            .into_iter()
            .map(|oid| Ok((self.change(oid)?, chain.position(oid))))
            .collect::<Result<Vec<_>, GitError>>()?;
        let only_here = only_here
            .into_iter()
            .map(|oid| self.change(oid))
            .collect::<Result<Vec<_>, _>>()?;
        let upstream_moves = upstream_moves
            .iter()
            .map(|&(at, oid)| Arrival {
                at,
                position: chain.position(oid).unwrap_or(i64::MIN),
            })
            .collect();
        Ok(EnvironmentRead {
            tip,
            queued,
            only_here,
            shipped,
            upstream_moves,
            standing,
        })
    }

    /// Walks trunk's first parents from `head` until every wanted commit is found, or the
    /// commits are a day older than the oldest wanted one (what remains is off trunk's line),
    /// or the history ends (a root, or a shallow clone's boundary).
    pub(crate) fn walk_chain(
        &mut self,
        head: Oid,
        wanted: &[Oid],
        at_least: usize,
    ) -> Result<Chain, GitError> {
        let mut oldest_wanted: Option<DateTime<Utc>> = None;
        for &w in wanted {
            let t = self.node(w)?.change.merged_at;
            oldest_wanted = Some(oldest_wanted.map_or(t, |o: DateTime<Utc>| o.min(t)));
        }
        let horizon = oldest_wanted.map(|t| t - Duration::days(1));
        let mut missing: Vec<Oid> = wanted.to_vec();
        let mut chain = Chain {
            oids: Vec::new(),
            index: HashMap::new(),
        };
        let mut at = Some(head);
        while let Some(oid) = at {
            let looked = self.node(oid).map(|n| (n.first_parent, n.change.merged_at));
            let (first_parent, merged_at) = match looked {
                Ok(found) => found,
                // The parent is not in a shallow clone: the history stops here.
                Err(_) if !chain.oids.is_empty() && self.inner.is_shallow() => break,
                Err(e) => return Err(e),
            };
            chain.index.insert(oid, -(chain.oids.len() as i64));
            chain.oids.push(oid);
            missing.retain(|w| *w != oid);
            let past_horizon = horizon.is_none_or(|h| merged_at < h);
            if chain.oids.len() >= at_least && (missing.is_empty() || past_horizon) {
                break;
            }
            at = first_parent;
        }
        Ok(chain)
    }
}
