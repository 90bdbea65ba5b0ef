//! The loops a long-lived front end runs beside its window: background fetches, delivering
//! notifications, hearing team changes, and the clock watcher. Each works on the workspace in
//! use and starts over when it changes (a switch, a new fetch interval).

use std::sync::Arc;
use std::time::Duration;

use crate::clock::SystemClock;
use slipway_core::Clock;

use crate::watch::{watch_pass, Alarm};

use super::Session;

impl Session {
    /// The workspace in use, or — when there is none yet (or it does not open) — `None` after
    /// waiting a minute or until the workspace changes, whichever comes first.
    async fn workspace_or_wait(
        &self,
        seen: &mut tokio::sync::watch::Receiver<u64>,
    ) -> Option<crate::workspace::Workspace> {
        match self.shared_workspace().await {
            Ok(w) => Some(w),
            Err(e) => {
                tracing::debug!(error = %e, "background work waits for a workspace");
                wait(seen, Some(Duration::from_secs(60))).await;
                None
            }
        }
    }

    /// Fetches every project, then waits the workspace's fetch interval, and again, for as
    /// long as the app runs; with `fetch_interval_minutes = 0` it stops at once. Failures are
    /// recorded (the board marks the project stale) and logged; the loop goes on.
    pub async fn keep_fetching(self: Arc<Self>) {
        let mut seen = self.generation.subscribe();
        loop {
            let Some(workspace) = self.workspace_or_wait(&mut seen).await else {
                continue;
            };
            let Some(interval) = workspace.fetch_interval() else {
                tracing::info!("background fetching is off (fetch_interval_minutes = 0)");
                wait(&mut seen, None).await;
                continue;
            };
            for project in workspace.store().projects().await.unwrap_or_default() {
                if let Err(e) = self.fetch(&project.name, |_| {}).await {
                    tracing::info!(project = %project.name, error = %e.message, "background fetch failed");
                }
            }
            // Refs that moved have told the board already; this tells it the fetch times.
            if let Some(notify) = self
                .notify
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone()
            {
                notify();
            }
            wait(&mut seen, Some(interval)).await;
        }
    }

    /// Delivers notifications while the app runs (desktop ones through `desktop`), sharing
    /// the outbox with any `slipway watch` and other desktops. Runs until the app ends, on
    /// the workspace in use (a switch moves it to the new one).
    pub async fn keep_dispatching(self: Arc<Self>, desktop: crate::notifications::DesktopSink) {
        let mut seen = self.generation.subscribe();
        loop {
            let Some(workspace) = self.workspace_or_wait(&mut seen).await else {
                continue;
            };
            let dispatcher = crate::notifications::Dispatcher::new(
                &workspace,
                &crate::identity::dispatcher_name(),
                Some(Arc::clone(&desktop)),
            );
            let stop = slipway_deploy::Cancel::new();
            let run = dispatcher.run(Arc::new(SystemClock), stop.clone());
            tokio::pin!(run);
            tokio::select! {
                () = &mut run => return,
                _ = seen.changed() => {
                    stop.cancel();
                    run.await;
                }
            }
        }
    }

    /// Team mode: on a PostgreSQL workspace, calls the `on_change` callback whenever another
    /// desktop or `slipway` process promotes, rolls back, holds, signs off or changes a gate
    /// (PostgreSQL pushes it with NOTIFY; there is no polling). Runs until the app ends; on
    /// SQLite it returns at once.
    pub async fn keep_listening(self: Arc<Self>) {
        let mut seen = self.generation.subscribe();
        loop {
            let Some(workspace) = self.workspace_or_wait(&mut seen).await else {
                continue;
            };
            let me = Arc::clone(&self);
            let listening = workspace
                .store()
                .listen(move |payload| {
                    tracing::debug!(payload, "team change");
                    let notify = me.notify.lock().unwrap_or_else(|p| p.into_inner()).clone();
                    if let Some(notify) = notify {
                        notify();
                    }
                })
                .await;
            match listening {
                Ok(Some(mut task)) => tokio::select! {
                    _ = &mut task => return,
                    _ = seen.changed() => task.abort(),
                },
                Ok(None) => wait(&mut seen, None).await,
                Err(e) => {
                    tracing::warn!(error = %e, "team changes are not pushed");
                    wait(&mut seen, None).await;
                }
            }
        }
    }

    /// Runs the watcher's pass at every clock's next threshold, on every change this process
    /// (or, on PostgreSQL, anyone) makes to requests and settings, and at least every
    /// `every`, for as long as the app runs: a desktop on its own database gets its clock
    /// events without a `slipway watch` (several watchers are safe: each threshold is stored
    /// once).
    pub async fn keep_watching(self: Arc<Self>, every: Duration) {
        let name = format!("desktop:{}", std::process::id());
        let mut alarm: Option<(std::path::PathBuf, Alarm)> = None;
        loop {
            // The board's open repositories serve the pass too: no second cache of each
            // history, and a warm read instead of a cold one.
            let dir = self.dir();
            let pass = {
                let mut open = self.open.lock().await;
                match open.with_repos(&dir).await {
                    Ok((workspace, repos)) => {
                        if alarm.as_ref().is_none_or(|(d, _)| *d != dir) {
                            alarm = Some((dir.clone(), Alarm::new(workspace).await));
                        }
                        let pass = watch_pass(workspace, repos, &SystemClock, &name).await;
                        Some((workspace.clone(), pass))
                    }
                    Err(_) => None,
                }
            };
            let mut next_wake = None;
            let workspace = pass.as_ref().map(|(w, _)| w.clone());
            let pass = pass.map(|(_, p)| p);
            if let Some(pass) = pass {
                if let Ok(pass) = &pass {
                    next_wake = pass.next_wake;
                }
                match pass {
                    Ok(pass) if !pass.new_events.is_empty() || !pass.deployed.is_empty() => {
                        if let Some(notify) = self
                            .notify
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .clone()
                        {
                            notify();
                        }
                    }
                    Ok(_) => {}
                    Err(e) => tracing::info!(error = %e.message, "clock pass failed"),
                }
            }
            match (&alarm, workspace) {
                (Some((_, alarm)), Some(workspace)) => {
                    alarm
                        .until_next_pass(&workspace, next_wake, SystemClock.now(), every)
                        .await
                }
                _ => tokio::time::sleep(every).await,
            }
        }
    }
}

/// Waits `at_most` (for ever when `None`), or less when the workspace or its configuration
/// changes.
async fn wait(seen: &mut tokio::sync::watch::Receiver<u64>, at_most: Option<Duration>) {
    match at_most {
        Some(d) => {
            tokio::select! {
                () = tokio::time::sleep(d) => {}
                _ = seen.changed() => {}
            }
        }
        None => drop(seen.changed().await),
    }
}
