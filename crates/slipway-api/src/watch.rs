//! Tells a front end when a project's refs change (a fetch, a merge, a push into the clone),
//! so the board refreshes by itself. Watches only `refs/` and `packed-refs`: no polling, and
//! nothing fires for work-tree edits or `git status`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// How long refs must be quiet before the front end hears of a change (a fetch moves many).
const SETTLE: Duration = Duration::from_millis(250);

/// What to call when refs changed.
pub type OnChange = Arc<dyn Fn() + Send + Sync>;

/// Watches the refs of every repository it is given.
pub struct RefWatcher {
    watcher: RecommendedWatcher,
    watched: HashSet<PathBuf>,
}

impl RefWatcher {
    /// A watcher that calls `on_change` once refs have settled after a change.
    pub fn new(on_change: OnChange) -> notify::Result<RefWatcher> {
        let (tx, rx) = mpsc::channel::<()>();
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if let Ok(event) = event {
                // Reading refs (ours included) raises access events: only writes count.
                let writes =
                    event.kind.is_create() || event.kind.is_modify() || event.kind.is_remove();
                if writes && event.paths.iter().any(|p| is_ref_path(p)) {
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
        Ok(RefWatcher {
            watcher,
            watched: HashSet::new(),
        })
    }

    /// Starts watching the refs of the repository at `repo` (a work tree or a bare
    /// repository); watching one already watched does nothing.
    pub fn watch(&mut self, repo: &Path) -> notify::Result<()> {
        let git_dir = if repo.join(".git").is_dir() {
            repo.join(".git")
        } else {
            repo.to_path_buf()
        };
        if self.watched.contains(&git_dir) {
            return Ok(());
        }
        self.watcher
            .watch(&git_dir.join("refs"), RecursiveMode::Recursive)?;
        // packed-refs is replaced by rename: watch the folder that holds it.
        self.watcher.watch(&git_dir, RecursiveMode::NonRecursive)?;
        self.watched.insert(git_dir);
        Ok(())
    }
}

fn is_ref_path(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.ends_with(".lock") {
        return false;
    }
    name == "packed-refs"
        || name == "FETCH_HEAD"
        || path.components().any(|c| c.as_os_str() == "refs")
}
