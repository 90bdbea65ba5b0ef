use chrono::{DateTime, Utc};
use git2::Oid;
use slipway_core::{queue_at, Arrival, Pipeline, QueueSample, Stage};

use crate::repo::StageRef;
use crate::{GitError, Repo};

impl Repo {
    /// Each environment's queue at each of `instants`, rebuilt from trunk's merge times and
    /// the stages' known moves (reflog, tags or deployment records). An environment whose
    /// stage could not be read has `None`; an instant before its record began is left out.
    pub fn queue_history(
        &mut self,
        pipeline: &Pipeline,
        stages: &[Result<StageRef, GitError>],
        instants: &[DateTime<Utc>],
    ) -> Result<Vec<Option<Vec<QueueSample>>>, GitError> {
        let (_, head) = self.resolve(&pipeline.trunk)?;
        let wanted: Vec<Oid> = stages
            .iter()
            .flatten()
            .flat_map(|s| s.moves.iter().map(|&(_, oid)| oid).chain([s.oid]))
            .collect();
        let chain = self.walk_chain(head, &wanted, 0)?;
        let mut trunk = Vec::with_capacity(chain.oids.len());
        for (i, &oid) in chain.oids.iter().enumerate() {
            trunk.push((-(i as i64), self.node(oid)?.change.merged_at));
        }
        let arrivals = |stage: &StageRef| -> Vec<Arrival> {
            stage
                .moves
                .iter()
                .map(|&(at, oid)| Arrival {
                    at,
                    position: chain.position(oid).unwrap_or(i64::MIN),
                })
                .collect()
        };
        let mut out = Vec::with_capacity(stages.len());
        for (i, (_, upstream)) in pipeline.stages().enumerate() {
            let Ok(stage) = &stages[i] else {
                out.push(None);
                continue;
            };
            let moves = arrivals(stage);
            let up = match upstream {
                Stage::Trunk(_) => None,
                Stage::Environment(_) => match &stages[i - 1] {
                    Ok(s) => Some(arrivals(s)),
                    Err(_) => {
                        out.push(None);
                        continue;
                    }
                },
            };
            out.push(Some(
                instants
                    .iter()
                    .filter_map(|&at| queue_at(at, &trunk, &moves, up.as_deref()))
                    .collect(),
            ));
        }
        Ok(out)
    }
}
