//! `slipway watch`: every clock evaluated headlessly, again and again, and notifications delivered.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use slipway_api::{ApiError, SystemClock, WatchMonitor, Workspace};

use crate::output::*;

/// What `slipway watch` was asked.
pub struct WatchArgs<'a> {
    /// Seconds between safety passes.
    pub interval: u64,
    /// One pass, then exit.
    pub once: bool,
    /// The instant of a rehearsal (with `once`).
    pub at: Option<&'a str>,
    /// Each pass as JSON.
    pub json: bool,
    /// Where to serve /healthz and /metrics.
    pub listen: Option<&'a str>,
}

/// `slipway watch`: evaluates every clock against the workspace database, over and over.
pub async fn watch(dir: &Path, args: WatchArgs<'_>) -> Result<ExitCode, ApiError> {
    let WatchArgs {
        interval,
        once,
        at,
        json,
        listen,
    } = args;
    // The address is taken first: one in use is said before anything runs.
    let listener = match listen {
        Some(addr) => Some(super::serve::bind(addr).await?),
        None => None,
    };
    let workspace = Workspace::open(dir).await?;
    // A rehearsal: one pass as of the instant asked for (clap allows --at only with --once).
    let clock: Box<dyn slipway_api::Clock + Send + Sync> = match at {
        Some(text) => Box::new(slipway_api::FixedClock(
            slipway_api::rehearsal_instant(&workspace, text, chrono::Utc::now()).await?,
        )),
        None => Box::new(SystemClock),
    };
    let name = slipway_api::dispatcher_name();
    let mut repos = slipway_api::RepoCache::new();
    // Notifications go out from here too, with no desktop open: a dispatcher drains the
    // outbox alongside the clocks (several watchers share the work without duplicates).
    let dispatcher = slipway_api::Dispatcher::new(&workspace, &name, None);
    let stop = slipway_api::Cancel::new();
    let alarm = slipway_api::Alarm::new(&workspace).await;
    if !once {
        eprintln!(
            "slipway watch: evaluating every clock in {} at each next threshold, on every change and at least every {interval} s, and delivering notifications (Ctrl-C stops)",
            workspace.dir().display()
        );
        tokio::spawn(
            dispatcher
                .clone()
                .run(std::sync::Arc::new(SystemClock), stop.clone()),
        );
    }
    let monitor = WatchMonitor::new(clock.now(), interval.max(1));
    if let Some(listener) = listener {
        eprintln!(
            "slipway watch: serving /healthz and /metrics on http://{}",
            listener
                .local_addr()
                .map(|a| a.to_string())
                .unwrap_or_default()
        );
        tokio::spawn(super::serve::serve(
            listener,
            workspace.clone(),
            monitor.clone(),
        ));
    }
    loop {
        let mut next_wake = None;
        let started = clock.now();
        let result = slipway_api::watch_pass(&workspace, &mut repos, clock.as_ref(), &name).await;
        monitor.pass_ended(
            started,
            clock.now(),
            result.as_ref().ok().and_then(|p| p.next_wake),
            result.as_ref().err().map(|e| e.message.clone()),
        );
        match result {
            Ok(pass) => {
                next_wake = pass.next_wake;
                if json {
                    print_json(&pass);
                } else {
                    for id in &pass.deployed {
                        println!(
                            "{}  CR #{id} deployed (its changes reached the target)",
                            pass.at
                        );
                    }
                    for e in &pass.new_events {
                        println!("{}  {:<9} {}", e.crossed_at, e.threshold, e.summary);
                    }
                    for p in &pass.problems {
                        eprintln!("slipway watch: {p}");
                    }
                }
            }
            // A watcher outlives a database that is briefly away: say so, try again.
            Err(e) if !once => eprintln!("slipway watch: {}", e.message),
            Err(e) => return Err(e),
        }
        if once {
            // Deliver what is due now, then stop (retries wait for the next watcher).
            let sent = dispatcher.drain(clock.as_ref()).await?;
            if !json && sent.delivered + sent.retrying + sent.dead > 0 {
                println!(
                    "notifications: {} delivered, {} to retry, {} dead",
                    sent.delivered, sent.retrying, sent.dead
                );
            }
            return Ok(ExitCode::SUCCESS);
        }
        let safety = Duration::from_secs(interval.max(1));
        tokio::select! {
            _ = alarm.until_next_pass(&workspace, next_wake, clock.now(), safety) => {}
            _ = tokio::signal::ctrl_c() => {
                stop.cancel();
                return Ok(ExitCode::SUCCESS);
            }
        }
    }
}
