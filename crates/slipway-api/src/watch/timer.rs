//! When a watcher's next pass is due: at the earliest next threshold of a running clock, when
//! a request, policy, hold or freeze changes (this process's own writes on SQLite, anyone's
//! on PostgreSQL through `LISTEN`), and otherwise after a slow safety pass interval.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::Notify;

use crate::workspace::Workspace;

/// After a threshold's instant, how long the timer waits before the pass: the clock reads
/// whole seconds, so the pass sees the threshold crossed.
const PAST_THE_INSTANT: Duration = Duration::from_millis(20);

/// What wakes a watcher early: changes announced by other processes (PostgreSQL only).
pub struct Alarm {
    heard: Arc<Notify>,
    listener: Option<tokio::task::JoinHandle<()>>,
}

impl Alarm {
    /// Listens for other processes' changes where the database announces them.
    pub async fn new(workspace: &Workspace) -> Alarm {
        let heard = Arc::new(Notify::new());
        let listener = {
            let heard = Arc::clone(&heard);
            workspace
                .store()
                .listen(move |_| heard.notify_one())
                .await
                .ok()
                .flatten()
        };
        Alarm { heard, listener }
    }

    /// Waits until the next pass is due: `next_wake` (a pass's earliest next threshold), a
    /// change, or `safety`, whichever comes first. `now` is the watcher's clock.
    pub async fn until_next_pass(
        &self,
        workspace: &Workspace,
        next_wake: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
        safety: Duration,
    ) {
        let wait = match next_wake {
            Some(at) => (at - now)
                .to_std()
                .unwrap_or(Duration::ZERO)
                .saturating_add(PAST_THE_INSTANT)
                .min(safety),
            None => safety,
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = workspace.store().changed(wait) => {}
            _ = self.heard.notified() => {}
        }
    }
}

impl Drop for Alarm {
    fn drop(&mut self) {
        if let Some(l) = self.listener.take() {
            l.abort();
        }
    }
}
