//! Tells a front end when a project's refs change (a fetch, a merge, a push into the clone),
//! so the board refreshes by itself. Watches only `refs/` and `packed-refs`: no polling, and
//! nothing fires for work-tree edits or `git status`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, RwLock};
use std::time::Duration;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// How long refs must be quiet before the front end hears of a change (a fetch moves many).
pub(crate) const SETTLE: Duration = Duration::from_millis(250);

/// What to call when refs changed.
pub type OnChange = Arc<dyn Fn() + Send + Sync>;

/// Watches the refs of every repository it is given.
pub struct RefWatcher {
    watcher: RecommendedWatcher,
    /// The git folders watched; the event handler reads them to judge a path.
    watched: Arc<RwLock<HashSet<PathBuf>>>,
}

impl RefWatcher {
    /// A watcher that calls `on_change` once refs have settled after a change.
    pub fn new(on_change: OnChange) -> notify::Result<RefWatcher> {
        let (tx, rx) = mpsc::channel::<()>();
        let watched: Arc<RwLock<HashSet<PathBuf>>> = Arc::default();
        let git_dirs = Arc::clone(&watched);
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if let Ok(event) = event {
                // Reading refs (ours included) raises access events: only writes count.
                let writes =
                    event.kind.is_create() || event.kind.is_modify() || event.kind.is_remove();
                let dirs = git_dirs.read().unwrap_or_else(|p| p.into_inner());
                if writes
                    && event
                        .paths
                        .iter()
                        .any(|p| dirs.iter().any(|d| is_ref_path(d, p)))
                {
                    let _ = tx.send(());
                }
            }
        })?;
        std::thread::Builder::new()
            .name("slipway-ref-watch".into())
            .spawn(move || {
                while rx.recv().is_ok() {
                    // Wait until nothing has changed for SETTLE, then tell once.
                    while rx.recv_timeout(SETTLE).is_ok() {}
                    on_change();
                }
            })
            .map_err(|e| notify::Error::generic(&e.to_string()))?;
        Ok(RefWatcher { watcher, watched })
    }

    /// Starts watching the refs of the repository at `repo` (a work tree or a bare
    /// repository); watching one already watched does nothing.
    pub fn watch(&mut self, repo: &Path) -> notify::Result<()> {
        let git_dir = if repo.join(".git").is_dir() {
            repo.join(".git")
        } else {
            repo.to_path_buf()
        };
        if self
            .watched
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&git_dir)
        {
            return Ok(());
        }
        self.watcher
            .watch(&git_dir.join("refs"), RecursiveMode::Recursive)?;
        // packed-refs is replaced by rename: watch the folder that holds it.
        self.watcher.watch(&git_dir, RecursiveMode::NonRecursive)?;
        self.watched
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(git_dir);
        Ok(())
    }
}

/// Whether `path` is a ref of the repository whose git folder is `git_dir`: anything under
/// its `refs/`, or its `packed-refs` (FETCH_HEAD is rewritten by every fetch, moved or not).
pub(crate) fn is_ref_path(git_dir: &Path, path: &Path) -> bool {
    let Ok(inside) = path.strip_prefix(git_dir) else {
        return false;
    };
    let lock = inside.extension().is_some_and(|e| e == "lock");
    !lock && (inside.starts_with("refs") || inside == Path::new("packed-refs"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(crate) fn only_ref_writes_count() {
        let git = Path::new("/home/me/refs/payments/.git");
        let cases = [
            ("/home/me/refs/payments/.git/refs/heads/main", true),
            (
                "/home/me/refs/payments/.git/refs/remotes/origin/deploy/qa",
                true,
            ),
            ("/home/me/refs/payments/.git/packed-refs", true),
            ("/home/me/refs/payments/.git/refs/heads/main.lock", false),
            ("/home/me/refs/payments/.git/packed-refs.lock", false),
            ("/home/me/refs/payments/.git/FETCH_HEAD", false),
            ("/home/me/refs/payments/.git/index", false),
            ("/home/me/refs/payments/.git/HEAD", false),
            ("/home/me/refs/payments/src/refs/x.rs", false),
            ("/elsewhere/.git/refs/heads/main", false),
        ];
        for (path, want) in cases {
            assert_eq!(is_ref_path(git, Path::new(path)), want, "{path}");
        }
    }
}
