use git2::{ErrorCode, Oid};
use slipway_core::Change;

use crate::{GitError, Repo};

/// How far back along trunk a search by PR number or title looks.
const SEARCH_DEPTH: usize = 20_000;

impl Repo {
    /// The changes of `trunk` that `query` names: a sha or unique sha prefix (at least 7 hex
    /// digits), `#12` or `!12` for a PR/MR number, or words found in titles (case ignored).
    /// Newest first; searches the newest 20,000 changes.
    pub fn find_changes(&mut self, trunk: &str, query: &str) -> Result<Vec<Change>, GitError> {
        let query = query.trim();
        if query.len() >= 7 && query.len() <= 40 && query.chars().all(|c| c.is_ascii_hexdigit()) {
            let found = self
                .inner
                .revparse_single(&format!("{query}^{{commit}}"))
                .map(|o| o.id());
            match found {
                Ok(oid) => return Ok(vec![(*self.change(oid)?).clone()]),
                Err(e) if e.code() == ErrorCode::Ambiguous => {
                    return Err(GitError::Ambiguous(query.to_string()))
                }
                Err(_) => {}
            }
        }
        let pr = query
            .strip_prefix('#')
            .or_else(|| query.strip_prefix('!'))
            .and_then(|n| n.parse::<u64>().ok());
        let words = query.to_lowercase();
        let (_, mut at) = self.resolve(trunk)?;
        let mut found = Vec::new();
        for _ in 0..SEARCH_DEPTH {
            let node = self.node(at)?;
            let change = &node.change;
            let hit = match pr {
                Some(n) => change.pr == Some(n),
                None => change.title.to_lowercase().contains(&words),
            };
            if hit {
                found.push((**change).clone());
                if pr.is_some() {
                    break;
                }
            }
            match node.first_parent {
                Some(parent) => at = parent,
                None => break,
            }
        }
        Ok(found)
    }

    /// Whether the commit `tip` contains the change `sha` (it is `tip` or one of its ancestors).
    pub fn contains(&self, tip: &str, sha: &str) -> Result<bool, GitError> {
        let parse = |s: &str| Oid::from_str(s).map_err(|_| GitError::RefMissing(s.to_string()));
        let (tip, sha) = (parse(tip)?, parse(sha)?);
        Ok(tip == sha || self.inner.graph_descendant_of(tip, sha)?)
    }
}

/// The `user.email` of the user's git configuration, if set.
pub fn configured_email() -> Option<String> {
    git2::Config::open_default()
        .ok()?
        .get_string("user.email")
        .ok()
        .filter(|e| !e.trim().is_empty())
}

/// The `user.name` of the user's git configuration, if set.
pub fn configured_name() -> Option<String> {
    git2::Config::open_default()
        .ok()?
        .get_string("user.name")
        .ok()
        .filter(|e| !e.trim().is_empty())
}
