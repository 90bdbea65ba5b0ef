//! What a running watcher tells a service manager and a monitoring system: its health
//! (`/healthz`) and the workspace's figures in the Prometheus text format (`/metrics`).
//!
//! Health is the core's rule ([`slipway_core::assess_watch_health`]) over the passes this
//! watcher made. The figures are read at each scrape from the same domain values the board
//! and `slipway sla check` read: queues, clocks, requests and the outbox.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use prometheus::{
    Encoder, Gauge, Histogram, HistogramOpts, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};
use serde::Serialize;
use slipway_core::{assess_watch_health, Clock, Health, PassRecord};

use crate::board::read_board;
use crate::clocks::{ClockWorld, LiveClock, Subject};
use crate::error::ApiError;
use crate::repos::RepoCache;
use crate::sla::{all_clocks, all_requests};
use crate::time::rfc3339;
use crate::workspace::Workspace;

/// The media type of [`WatchMonitor::metrics`]: Prometheus's text format.
pub const METRICS_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// How long `/healthz` waits for the database before it counts as away.
const PING_WAIT: Duration = Duration::from_secs(2);

/// A watcher's health, as `/healthz` answers it (200 when `healthy`, 503 otherwise).
#[derive(Debug, Clone, Serialize)]
pub struct WatchHealthDto {
    /// Nothing is wrong.
    pub healthy: bool,
    /// When the last pass ended, if one has.
    pub last_pass_at: Option<String>,
    /// How long it took, in seconds.
    pub last_pass_seconds: Option<f64>,
    /// Whether it failed, and why.
    pub last_pass_error: Option<String>,
    /// When the next pass is (or was) due.
    pub next_pass_due: String,
    /// Seconds behind that schedule.
    pub lag_seconds: i64,
    /// The database answered this request.
    pub database_reachable: bool,
    /// What is wrong, one sentence each.
    pub problems: Vec<String>,
}

/// Every metric, registered once; the workspace's figures are refilled at each scrape.
struct Metrics {
    registry: Registry,
    queue_changes: IntGaugeVec,
    queue_oldest: IntGaugeVec,
    queue_late: IntGaugeVec,
    environment_unreadable: IntGaugeVec,
    requests_open: IntGaugeVec,
    clocks_warned: IntGaugeVec,
    clocks_breached: IntGaugeVec,
    clocks_unacknowledged: IntGaugeVec,
    outbox: IntGaugeVec,
    sent: IntCounterVec,
    failed: IntCounterVec,
    database_up: IntGauge,
    healthy: IntGauge,
    lag: IntGauge,
    last_pass: IntGauge,
    last_pass_duration: Gauge,
    pass_duration: Histogram,
    passes: IntCounterVec,
}

const ENV: &[&str] = &["project", "environment"];

impl Metrics {
    fn new() -> Metrics {
        let registry = Registry::new_custom(Some("slipway".into()), None).expect("a valid prefix");
        fn add<M: prometheus::core::Collector + Clone + 'static>(r: &Registry, m: M) -> M {
            r.register(Box::new(m.clone()))
                .expect("every metric is registered once, under its own name");
            m
        }
        let gauges = |name: &str, help: &str, labels: &[&str]| {
            add(
                &registry,
                IntGaugeVec::new(Opts::new(name, help), labels).expect("a valid metric"),
            )
        };
        let counters = |name: &str, help: &str, labels: &[&str]| {
            add(
                &registry,
                IntCounterVec::new(Opts::new(name, help), labels).expect("a valid metric"),
            )
        };
        let gauge = |name: &str, help: &str| {
            add(
                &registry,
                IntGauge::with_opts(Opts::new(name, help)).expect("a valid metric"),
            )
        };
        Metrics {
            queue_changes: gauges(
                "queue_changes",
                "Changes waiting to enter the environment",
                ENV,
            ),
            queue_oldest: gauges(
                "queue_oldest_wait_seconds",
                "How long the environment's oldest waiting change has waited",
                ENV,
            ),
            queue_late: gauges(
                "queue_late_changes",
                "Waiting changes past their aging policy's goal",
                ENV,
            ),
            environment_unreadable: gauges(
                "environment_unreadable",
                "1 when the environment's ref could not be read at this scrape",
                ENV,
            ),
            requests_open: gauges(
                "requests_open",
                "Change requests not yet closed or rejected, by type and state",
                &["project", "type", "state"],
            ),
            clocks_warned: gauges(
                "clocks_warned",
                "Running clocks past a warning threshold and not breached (sla: change requests, aging: queued changes)",
                &["kind"],
            ),
            clocks_breached: gauges(
                "clocks_breached",
                "Running clocks past their goal",
                &["kind"],
            ),
            clocks_unacknowledged: gauges(
                "clocks_breached_unacknowledged",
                "Breached clocks nobody has said \"I'm on it\" to",
                &["kind"],
            ),
            outbox: gauges(
                "outbox_deliveries",
                "Deliveries waiting (pending), being sent (sending) or given up on (dead), by channel kind",
                &["channel_kind", "state"],
            ),
            sent: counters(
                "deliveries_sent_total",
                "Deliveries made, by channel kind",
                &["channel_kind"],
            ),
            failed: counters(
                "delivery_failures_total",
                "Delivery attempts that failed, by channel kind",
                &["channel_kind"],
            ),
            database_up: gauge(
                "database_up",
                "1 when the workspace database answered the scrape",
            ),
            healthy: gauge(
                "watch_healthy",
                "1 when the watcher keeps its schedule, its last pass succeeded and its database answers",
            ),
            lag: gauge(
                "watch_lag_seconds",
                "How far the watcher is behind its schedule",
            ),
            last_pass: gauge(
                "watch_last_pass_timestamp_seconds",
                "When the watcher's last pass ended (Unix time)",
            ),
            last_pass_duration: add(
                &registry,
                Gauge::with_opts(Opts::new(
                    "watch_last_pass_duration_seconds",
                    "How long the watcher's last pass took",
                ))
                .expect("a valid metric"),
            ),
            pass_duration: add(
                &registry,
                Histogram::with_opts(
                    HistogramOpts::new(
                        "watch_pass_duration_seconds",
                        "How long the watcher's passes take",
                    )
                    .buckets(
                        prometheus::exponential_buckets(0.005, 2.0, 14).expect("valid buckets"),
                    ),
                )
                .expect("a valid metric"),
            ),
            passes: counters("watch_passes_total", "Passes made, by outcome", &["outcome"]),
            registry,
        }
    }

    /// Clears the workspace's figures of the last scrape (a project removed since must
    /// not linger).
    fn clear_figures(&self) {
        for v in [
            &self.queue_changes,
            &self.queue_oldest,
            &self.queue_late,
            &self.environment_unreadable,
            &self.requests_open,
            &self.clocks_warned,
            &self.clocks_breached,
            &self.clocks_unacknowledged,
            &self.outbox,
        ] {
            v.reset();
        }
        self.sent.reset();
        self.failed.reset();
    }
}

struct Inner {
    since: DateTime<Utc>,
    interval_secs: i64,
    last: Mutex<Option<PassRecord>>,
    metrics: Metrics,
    /// One scrape at a time, with the history it already read.
    scrape: tokio::sync::Mutex<RepoCache>,
}

/// A running watcher's record of its passes, and what it answers on `/healthz` and
/// `/metrics`. Clones share it.
#[derive(Clone)]
pub struct WatchMonitor(Arc<Inner>);

impl WatchMonitor {
    /// A watcher started at `since` with a safety interval of `interval_secs`.
    pub fn new(since: DateTime<Utc>, interval_secs: u64) -> WatchMonitor {
        WatchMonitor(Arc::new(Inner {
            since,
            interval_secs: i64::try_from(interval_secs).unwrap_or(i64::MAX),
            last: Mutex::new(None),
            metrics: Metrics::new(),
            scrape: tokio::sync::Mutex::new(RepoCache::new()),
        }))
    }

    /// Records a pass from `started` to `ended`: it failed with `error`, or it asked to
    /// wake at `next_wake` (the safety interval applies when that is later or unknown).
    pub fn pass_ended(
        &self,
        started: DateTime<Utc>,
        ended: DateTime<Utc>,
        next_wake: Option<DateTime<Utc>>,
        error: Option<String>,
    ) {
        let safety = ended + chrono::Duration::seconds(self.0.interval_secs);
        let next_due = next_wake.map_or(safety, |w| w.min(safety));
        let seconds = (ended - started).num_microseconds().unwrap_or(0) as f64 / 1e6;
        let m = &self.0.metrics;
        m.pass_duration.observe(seconds);
        m.last_pass_duration.set(seconds);
        m.last_pass.set(ended.timestamp());
        let outcome = if error.is_some() { "failed" } else { "ok" };
        m.passes.with_label_values(&[outcome]).inc();
        *self.0.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(PassRecord {
            started,
            ended,
            failed: error,
            next_due,
        });
    }

    fn assess(&self, database: Result<(), String>, now: DateTime<Utc>) -> (Health, WatchHealthDto) {
        let last = self
            .0
            .last
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let reachable = database.is_ok();
        let health = assess_watch_health(
            self.0.since,
            self.0.interval_secs,
            last.as_ref(),
            database,
            now,
        );
        let dto = WatchHealthDto {
            healthy: health.healthy(),
            last_pass_at: last.as_ref().map(|p| rfc3339(p.ended)),
            last_pass_seconds: last
                .as_ref()
                .map(|p| (p.ended - p.started).num_milliseconds() as f64 / 1e3),
            last_pass_error: last.as_ref().and_then(|p| p.failed.clone()),
            next_pass_due: rfc3339(last.as_ref().map_or(self.0.since, |p| p.next_due)),
            lag_seconds: health.lag_secs,
            database_reachable: reachable,
            problems: health.problems.iter().map(ToString::to_string).collect(),
        };
        (health, dto)
    }

    /// The watcher's health now; the database is asked (for at most two seconds).
    pub async fn health(&self, workspace: &Workspace, clock: &dyn Clock) -> WatchHealthDto {
        let database = ping(workspace).await;
        self.assess(database, clock.now()).1
    }

    /// Every metric in the Prometheus text format. The workspace's figures are read now;
    /// when the database does not answer they are left out and `slipway_database_up` is 0
    /// (the watcher's own figures are always there).
    pub async fn metrics(&self, workspace: &Workspace, clock: &dyn Clock) -> String {
        let mut repos = self.0.scrape.lock().await;
        let m = &self.0.metrics;
        let now = clock.now();
        m.clear_figures();
        let database = match ping(workspace).await {
            Ok(()) => match figures(workspace, clock, &mut repos).await {
                Ok(figures) => {
                    figures.fill(m);
                    Ok(())
                }
                Err(e) => {
                    tracing::warn!(error = %e.message, "could not read the figures for /metrics");
                    m.clear_figures();
                    Err(e.message)
                }
            },
            Err(why) => Err(why),
        };
        m.database_up.set(i64::from(database.is_ok()));
        let (health, _) = self.assess(database, now);
        m.healthy.set(i64::from(health.healthy()));
        m.lag.set(health.lag_secs);
        let mut text = Vec::new();
        if let Err(e) = TextEncoder::new().encode(&m.registry.gather(), &mut text) {
            tracing::warn!(error = %e, "could not encode the metrics");
        }
        String::from_utf8(text).unwrap_or_default()
    }
}

async fn ping(workspace: &Workspace) -> Result<(), String> {
    match tokio::time::timeout(PING_WAIT, workspace.store().ping()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(ApiError::from(e).message),
        Err(_) => Err(format!("no answer within {} s", PING_WAIT.as_secs())),
    }
}

/// An environment's queue: changes waiting, the oldest one's wait in seconds, late ones.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct QueueFigures {
    waiting: i64,
    oldest_secs: i64,
    late: i64,
}

/// The workspace's figures at one instant, from domain values.
#[derive(Debug, Default, PartialEq)]
struct Figures {
    /// (project, environment) → its queue, or `None` when its ref could not be read.
    environments: BTreeMap<(String, String), Option<QueueFigures>>,
    /// (project, type, state) → open requests.
    requests: BTreeMap<(String, &'static str, &'static str), i64>,
    /// Clock kind → (warned, breached, breached and unacknowledged).
    clocks: BTreeMap<&'static str, (i64, i64, i64)>,
    /// (channel kind, state) → deliveries, for deliveries still to be made or given up on.
    outbox: BTreeMap<(&'static str, &'static str), i64>,
    /// Channel kind → (sent, failed attempts).
    deliveries: BTreeMap<&'static str, (i64, i64)>,
}

impl Figures {
    fn fill(&self, m: &Metrics) {
        for ((project, environment), read) in &self.environments {
            let labels = [project.as_str(), environment.as_str()];
            m.environment_unreadable
                .with_label_values(&labels)
                .set(i64::from(read.is_none()));
            if let Some(q) = read {
                m.queue_changes.with_label_values(&labels).set(q.waiting);
                m.queue_oldest.with_label_values(&labels).set(q.oldest_secs);
                m.queue_late.with_label_values(&labels).set(q.late);
            }
        }
        for ((project, kind, state), n) in &self.requests {
            m.requests_open
                .with_label_values(&[project.as_str(), kind, state])
                .set(*n);
        }
        for (kind, (warned, breached, unacknowledged)) in &self.clocks {
            m.clocks_warned.with_label_values(&[kind]).set(*warned);
            m.clocks_breached.with_label_values(&[kind]).set(*breached);
            m.clocks_unacknowledged
                .with_label_values(&[kind])
                .set(*unacknowledged);
        }
        for ((channel_kind, state), n) in &self.outbox {
            m.outbox.with_label_values(&[channel_kind, state]).set(*n);
        }
        for (channel_kind, (sent, failed)) in &self.deliveries {
            m.sent
                .with_label_values(&[channel_kind])
                .inc_by(u64::try_from(*sent).unwrap_or(0));
            m.failed
                .with_label_values(&[channel_kind])
                .inc_by(u64::try_from(*failed).unwrap_or(0));
        }
    }
}

/// Reads the figures: the board (queues, with their aging clocks), every clock, the open
/// requests and the outbox.
async fn figures(
    workspace: &Workspace,
    clock: &dyn Clock,
    repos: &mut RepoCache,
) -> Result<Figures, ApiError> {
    let now = clock.now();
    let board = read_board(workspace, clock, repos).await?;
    let world = ClockWorld::load(workspace).await?;
    let requests = all_requests(workspace, now).await?;
    let clocks = all_clocks(&requests, &world, &board, now)?;
    let mut f = Figures::default();
    // Both kinds always appear, at 0 when nothing runs (an alert rule reads a number).
    f.clocks.insert("sla", (0, 0, 0));
    f.clocks.insert("aging", (0, 0, 0));
    for p in &board.projects {
        for c in &p.columns {
            let read = c.read.as_ref().ok().map(|state| QueueFigures {
                waiting: i64::try_from(
                    state
                        .queue
                        .changes
                        .iter()
                        .filter(|q| q.is_waiting())
                        .count(),
                )
                .unwrap_or(i64::MAX),
                oldest_secs: state.queue.oldest_age_seconds(),
                late: 0,
            });
            f.environments
                .insert((p.project.name.clone(), c.name.clone()), read);
        }
    }
    for (_, request) in &requests {
        if !request.state.is_final() {
            *f.requests
                .entry((
                    request.opening.project.clone(),
                    request.opening.kind.as_str(),
                    request.state.as_str(),
                ))
                .or_default() += 1;
        }
    }
    for c in clocks.iter().filter(|c| !c.reading.stopped) {
        count_clock(&mut f, c);
    }
    for d in workspace.store().delivery_counts().await? {
        let kind = d.channel_kind.map_or("undeliverable", |k| k.as_str());
        use slipway_store::OutboxState::*;
        match d.state {
            Pending | Sending | Dead => {
                *f.outbox.entry((kind, d.state.as_str())).or_default() += d.deliveries;
            }
            Sent | Cancelled => {}
        }
        let e = f.deliveries.entry(kind).or_default();
        if d.state == Sent {
            e.0 += d.deliveries;
        }
        e.1 += d.failed_attempts;
    }
    Ok(f)
}

/// Counts one running clock: warned or breached, and for a queued change's aging clock a
/// late change of its environment.
fn count_clock(f: &mut Figures, c: &LiveClock) {
    let breached = c.reading.breached();
    let warned = !breached
        && c.reading
            .crossed
            .iter()
            .any(|x| matches!(x.threshold, slipway_core::Threshold::Warning(_)));
    let kind = match &c.subject {
        Subject::Request { .. } => "sla",
        Subject::Queued {
            project,
            environment,
            ..
        } => {
            if breached {
                if let Some(Some(read)) = f
                    .environments
                    .get_mut(&(project.clone(), environment.clone()))
                {
                    read.late += 1;
                }
            }
            "aging"
        }
    };
    let e = f.clocks.entry(kind).or_default();
    e.0 += i64::from(warned);
    e.1 += i64::from(breached);
    e.2 += i64::from(breached && !c.acknowledged);
}
