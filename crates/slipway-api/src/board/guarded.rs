//! The config guard on the board: in an environment whose guard blocks, each blocking
//! finding of what its Promote would ship marks the queued change that brought the line —
//! the same scan the promotion's plan runs, read once per (tips, settings) and kept.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::{LazyLock, Mutex};

use slipway_core::guard::{GuardMode, GuardSettings};
use slipway_core::{Blocker, Change, Project};
use slipway_git::Repo;

use crate::guard::scan::scan_promotion;

use super::ColumnRead;

/// (repository, environment, its tip, the newest queued change, the reference, the settings).
type Key = (PathBuf, String, String, String, String, u64);

/// One blocking finding: the change that brought the line, and the sentence.
type Found = Vec<(Option<String>, String)>;

/// Blocking findings per key.
static SCANNED: LazyLock<Mutex<HashMap<Key, Found>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// Enough for every environment of a large organisation's board; past it the memo starts over.
const KEPT: usize = 1024;

fn fingerprint(settings: &GuardSettings) -> u64 {
    let mut h = DefaultHasher::new();
    format!("{settings:?}").hash(&mut h);
    h.finish()
}

/// Adds the guard's blockers to `columns` (read on a blocking thread).
pub(crate) fn guard_blockers(
    repo: &Repo,
    project: &Project,
    settings: &GuardSettings,
    columns: &mut [ColumnRead],
) {
    let Some(last) = project.pipeline.environments.last().map(|e| e.name.clone()) else {
        return;
    };
    let Some(reference) = columns
        .last()
        .and_then(|c| c.read.as_ref().ok())
        .map(|s| s.tip.change.sha.clone())
    else {
        return;
    };
    let print = fingerprint(settings);
    for column in columns.iter_mut() {
        if settings.mode(&column.name, &last) != GuardMode::Block {
            continue;
        }
        let Ok(state) = column.read.as_mut() else {
            continue;
        };
        let Some(newest) = state.queue.changes.last().map(|q| q.change.sha.clone()) else {
            continue;
        };
        let key: Key = (
            repo.path().to_path_buf(),
            column.name.clone(),
            state.tip.change.sha.clone(),
            newest.clone(),
            reference.clone(),
            print,
        );
        let known = SCANNED.lock().ok().and_then(|m| m.get(&key).cloned());
        let found = match known {
            Some(found) => found,
            None => {
                let from = state.tip.change.sha.clone();
                let shipping: Vec<Change> = state
                    .queue
                    .changes
                    .iter()
                    .map(|q| Change::clone(&q.change))
                    .collect();
                match scan_promotion(
                    repo,
                    project,
                    settings,
                    &column.name,
                    &from,
                    &reference,
                    &shipping,
                ) {
                    Ok(report) => {
                        let found: Found = report
                            .findings
                            .iter()
                            .filter(|f| f.blocks)
                            .map(|f| (f.change.clone(), f.sentence()))
                            .collect();
                        if let Ok(mut m) = SCANNED.lock() {
                            if m.len() >= KEPT {
                                m.clear();
                            }
                            m.insert(key, found.clone());
                        }
                        found
                    }
                    Err(e) => {
                        tracing::warn!(project = %project.name, environment = %column.name, error = %e.message, "the config guard could not read the queue");
                        continue;
                    }
                }
            }
        };
        for (change, sentence) in found {
            let sha = change.unwrap_or_else(|| newest.clone());
            if let Some(queued) = state
                .queue
                .changes
                .iter_mut()
                .find(|q| q.change.sha == sha && q.is_waiting())
            {
                queued.blockers.push(Blocker::ConfigGuard {
                    environment: column.name.clone(),
                    finding: sentence,
                });
            }
        }
    }
}
