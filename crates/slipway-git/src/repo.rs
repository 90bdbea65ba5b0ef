use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use git2::{Commit, ErrorCode, Oid, Repository, Sort};
use slipway_core::{parse_message, Change};

use crate::GitError;

/// An open project repository.
pub struct Repo {
    inner: Repository,
    path: PathBuf,
}

/// Where a stage stands: its commit and since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tip {
    /// The commit the ref points at.
    pub change: Change,
    /// When the ref last moved to this commit (from the reflog), else the commit time.
    pub since: DateTime<Utc>,
}

impl Repo {
    /// Opens the repository at `path` (a work tree or a bare repository), without searching
    /// parent folders.
    pub fn open(path: &Path) -> Result<Repo, GitError> {
        if !path.exists() {
            return Err(GitError::RepositoryMissing(path.to_path_buf()));
        }
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
        })
    }

    /// The folder it was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Resolves a short ref name the way git does (`main`, `deploy/qa`, `origin/main`).
    fn resolve(&self, name: &str) -> Result<(String, Oid), GitError> {
        let missing = || GitError::RefMissing(name.to_string());
        let reference = self
            .inner
            .resolve_reference_from_short_name(name)
            .map_err(|e| match e.code() {
                ErrorCode::NotFound | ErrorCode::InvalidSpec => missing(),
                _ => GitError::Git(e),
            })?;
        let full = reference.name().map(str::to_string).ok_or_else(missing)?;
        let commit = reference.peel_to_commit().map_err(|_| missing())?;
        Ok((full, commit.id()))
    }

    /// The commit a ref stands at, and since when.
    pub fn tip(&self, name: &str) -> Result<Tip, GitError> {
        let (full, oid) = self.resolve(name)?;
        let change = to_change(&self.inner.find_commit(oid)?);
        let since = self
            .inner
            .reflog(&full)
            .ok()
            .and_then(|log| {
                log.get(0)
                    .filter(|e| e.id_new() == oid)
                    .map(|e| to_utc(e.committer().when()))
            })
            .unwrap_or(change.merged_at);
        Ok(Tip { change, since })
    }

    /// First-parent commits of `include` that `exclude` does not contain, oldest first:
    /// what `git rev-list --first-parent --reverse exclude..include` prints.
    pub fn first_parent_range(
        &self,
        exclude: &str,
        include: &str,
    ) -> Result<Vec<Change>, GitError> {
        let (_, from) = self.resolve(include)?;
        let (_, hide) = self.resolve(exclude)?;
        let mut walk = self.inner.revwalk()?;
        walk.simplify_first_parent()?;
        walk.set_sorting(Sort::NONE)?;
        walk.push(from)?;
        walk.hide(hide)?;
        let mut changes = walk
            .map(|oid| Ok(to_change(&self.inner.find_commit(oid?)?)))
            .collect::<Result<Vec<_>, GitError>>()?;
        changes.reverse();
        Ok(changes)
    }

    /// The newest `limit` first-parent commits of `name`, newest first.
    pub fn recent(&self, name: &str, limit: usize) -> Result<Vec<Change>, GitError> {
        let (_, from) = self.resolve(name)?;
        let mut walk = self.inner.revwalk()?;
        walk.simplify_first_parent()?;
        walk.push(from)?;
        walk.take(limit)
            .map(|oid| Ok(to_change(&self.inner.find_commit(oid?)?)))
            .collect()
    }
}

fn to_utc(t: git2::Time) -> DateTime<Utc> {
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
        is_merge: commit.parent_count() > 1,
    }
}
