use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use git2::{Commit, ErrorCode, Oid, Repository, Sort};
use slipway_core::{parse_message, Change, TrackingRef};

use crate::GitError;

/// An open project repository, with a cache of the trunk commits it has read, so that a
/// refresh after a new merge reads only the new commits.
pub struct Repo {
    pub(crate) inner: Repository,
    path: PathBuf,
    cache: HashMap<Oid, Node>,
    /// Changed files and patch ids, read only for patch-equivalence checks.
    pub(crate) patches: HashMap<Oid, PatchFacts>,
}

/// What a commit changes against its first parent, read once (see `patches.rs`).
#[derive(Default)]
pub(crate) struct PatchFacts {
    /// The files it changes, sorted (`None` until read).
    pub paths: Option<Vec<String>>,
    /// Its patch id (`Some(None)` for an empty change; `None` until computed).
    pub id: Option<Option<Oid>>,
}

/// A commit as the queue engine needs it: its first parent and its change.
#[derive(Clone)]
pub(crate) struct Node {
    pub first_parent: Option<Oid>,
    pub change: Arc<Change>,
}

/// Where a stage stands: its commit and since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tip {
    /// The commit the ref points at.
    pub change: Change,
    /// When the ref last moved to this commit (reflog or tag date), else the commit time.
    pub since: DateTime<Utc>,
}

/// A stage's ref: where it stands now and every move Slipway can see (reflog entries or
/// tags), oldest first.
#[derive(Debug, Clone)]
pub struct StageRef {
    /// The commit it stands at.
    pub oid: Oid,
    /// When it got there.
    pub since: DateTime<Utc>,
    /// Its known moves: (when, to which commit), oldest first.
    pub moves: Vec<(DateTime<Utc>, Oid)>,
}

impl Repo {
    /// Opens the repository at `path` (a work tree or a bare repository), without searching
    /// parent folders.
    pub fn open(path: &Path) -> Result<Repo, GitError> {
        if !path.exists() {
            return Err(GitError::RepositoryMissing(path.to_path_buf()));
        }
        // Like git, trust the object store's names for what it reads (`git fsck` is the place
        // to check them): re-hashing every commit read cost a cold read 40 % of its time.
        static READ_WITHOUT_REHASHING: std::sync::Once = std::sync::Once::new();
        READ_WITHOUT_REHASHING.call_once(|| git2::opts::strict_hash_verification(false));
        let inner = Repository::open_ext(
            path,
            git2::RepositoryOpenFlags::NO_SEARCH,
            std::iter::empty::<&std::ffi::OsStr>(),
        )
        .map_err(|e| match e.code() {
            ErrorCode::NotFound => GitError::NotARepository(path.to_path_buf()),
            _ => GitError::Git(e),
        })?;
        Ok(Repo {
            inner,
            path: path.to_path_buf(),
            cache: HashMap::new(),
            patches: HashMap::new(),
        })
    }

    /// The folder it was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the clone is shallow (history before some point is missing).
    pub fn is_shallow(&self) -> bool {
        self.inner.is_shallow()
    }

    /// Resolves a short ref name the way git does (`main`, `deploy/qa`, `origin/main`).
    pub(crate) fn resolve(&self, name: &str) -> Result<(String, Oid), GitError> {
        let missing = || GitError::RefMissing(name.to_string());
        let reference = self
            .inner
            .resolve_reference_from_short_name(name)
            .map_err(|e| match e.code() {
                ErrorCode::NotFound | ErrorCode::InvalidSpec => missing(),
                _ => GitError::Git(e),
            })?;
        let full = reference.name().map(str::to_string).ok_or_else(missing)?;
        let commit = reference
            .peel_to_commit()
            .map_err(|_| match self.is_shallow() {
                true => GitError::Shallow(name.to_string()),
                false => missing(),
            })?;
        Ok((full, commit.id()))
    }

    /// Where a branch or tag-tracked stage stands, with its known moves. `Database` stages
    /// are not in git: the caller supplies them.
    pub fn stage(&self, tracking: &TrackingRef) -> Result<StageRef, GitError> {
        match tracking {
            TrackingRef::Branch(name) => {
                let (full, oid) = self.resolve(name)?;
                let mut moves: Vec<(DateTime<Utc>, Oid)> = match self.inner.reflog(&full) {
                    Ok(log) => log
                        .iter()
                        .map(|e| (to_utc(e.committer().when()), e.id_new()))
                        .collect(),
                    Err(_) => Vec::new(),
                };
                moves.reverse();
                let since = match moves.last() {
                    Some((at, to)) if *to == oid => *at,
                    _ => self.commit_time(oid)?,
                };
                Ok(StageRef { oid, since, moves })
            }
            TrackingRef::Tags(pattern) => {
                let names = self.inner.tag_names(Some(pattern))?;
                let mut moves = Vec::new();
                for name in names.iter().flatten() {
                    let reference = self.inner.find_reference(&format!("refs/tags/{name}"))?;
                    let Ok(commit) = reference.peel_to_commit() else {
                        continue;
                    };
                    let tagged = reference
                        .peel_to_tag()
                        .ok()
                        .and_then(|t| t.tagger().map(|s| to_utc(s.when())))
                        .unwrap_or_else(|| to_utc(commit.committer().when()));
                    moves.push(((tagged, to_utc(commit.committer().when())), commit.id()));
                }
                // Newest by tag date, then by commit date.
                moves.sort();
                let &((since, _), oid) = moves
                    .last()
                    .ok_or_else(|| GitError::NoTags(pattern.clone()))?;
                Ok(StageRef {
                    oid,
                    since,
                    moves: moves.into_iter().map(|((at, _), oid)| (at, oid)).collect(),
                })
            }
            TrackingRef::Database => Err(GitError::RefMissing("(database)".into())),
        }
    }

    /// Where a stage tracked only in the database stands: its newest record, with every record
    /// as a move. `records` are (when, full sha), oldest first; a sha the clone does not have
    /// is named.
    pub fn stage_from_records(
        &self,
        records: &[(DateTime<Utc>, String)],
    ) -> Result<StageRef, GitError> {
        let mut moves = Vec::with_capacity(records.len());
        for (at, sha) in records {
            let oid = Oid::from_str(sha).map_err(|_| GitError::RefMissing(sha.clone()))?;
            self.inner
                .find_commit(oid)
                .map_err(|_| GitError::RefMissing(sha.clone()))?;
            moves.push((*at, oid));
        }
        let &(since, oid) = moves
            .last()
            .ok_or_else(|| GitError::RefMissing("(no deployment recorded)".into()))?;
        Ok(StageRef { oid, since, moves })
    }

    fn commit_time(&self, oid: Oid) -> Result<DateTime<Utc>, GitError> {
        Ok(to_utc(self.inner.find_commit(oid)?.committer().when()))
    }

    /// A commit's change and first parent, read once and then served from the cache.
    pub(crate) fn node(&mut self, oid: Oid) -> Result<&Node, GitError> {
        if !self.cache.contains_key(&oid) {
            let commit = self.inner.find_commit(oid)?;
            let node = Node {
                first_parent: commit.parent_id(0).ok(),
                change: Arc::new(to_change(&commit)),
            };
            self.cache.insert(oid, node);
        }
        Ok(&self.cache[&oid])
    }

    /// The change at `oid` (shared with the cache: reading it again costs nothing).
    pub fn change(&mut self, oid: Oid) -> Result<Arc<Change>, GitError> {
        Ok(Arc::clone(&self.node(oid)?.change))
    }

    /// The commit a ref stands at, and since when.
    pub fn tip(&mut self, name: &str) -> Result<Tip, GitError> {
        let stage = self.stage(&TrackingRef::Branch(name.to_string()))?;
        Ok(Tip {
            change: (*self.change(stage.oid)?).clone(),
            since: stage.since,
        })
    }

    /// First-parent commits of `include` that `exclude` does not contain, oldest first:
    /// what `git rev-list --first-parent --reverse exclude..include` prints.
    pub fn first_parent_range(
        &mut self,
        exclude: &str,
        include: &str,
    ) -> Result<Vec<Change>, GitError> {
        let (_, from) = self.resolve(include)?;
        let (_, hide) = self.resolve(exclude)?;
        let oids = self.range_oids(hide, from)?;
        oids.into_iter()
            .map(|oid| Ok((*self.change(oid)?).clone()))
            .collect()
    }

    /// `git rev-list --first-parent --reverse hide..from`, by object id.
    pub(crate) fn range_oids(&mut self, hide: Oid, from: Oid) -> Result<Vec<Oid>, GitError> {
        let mut walk = self.inner.revwalk()?;
        walk.simplify_first_parent()?;
        walk.set_sorting(Sort::NONE)?;
        walk.push(from)?;
        walk.hide(hide)?;
        let mut oids = walk.collect::<Result<Vec<Oid>, git2::Error>>()?;
        oids.reverse();
        Ok(oids)
    }
}

pub(crate) fn to_utc(t: git2::Time) -> DateTime<Utc> {
    Utc.timestamp_opt(t.seconds(), 0)
        .single()
        .unwrap_or_default()
}

/// Reads a commit as a change; names and messages that are not UTF-8 are read lossily.
fn to_change(commit: &Commit<'_>) -> Change {
    let message = String::from_utf8_lossy(commit.message_bytes());
    let facts = parse_message(&message);
    let author = commit.author();
    Change {
        sha: commit.id().to_string(),
        title: facts.title,
        author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
        author_email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
        merged_at: to_utc(commit.committer().when()),
        pr: facts.pr,
        tickets: facts.tickets,
        reverts: facts.reverts,
        co_authors: facts.co_authors,
        is_merge: commit.parent_count() > 1,
    }
}
