//! Notification delivery figures (printed, not asserted): deliveries per second through one
//! dispatcher into a loopback webhook sink, and the latency from an event's commit to its
//! receipt at the sink (p50, p99, max) — on SQLite (a personal workspace) and on PostgreSQL
//! (a team's, a throwaway cluster). Targets: at least 2,000 deliveries per second, p99 at
//! most 500 ms. Needs the OS keychain (the webhook's URL and key): `make bench` runs it inside
//! `dbus-run-session` with an unlocked gnome-keyring.

#[path = "../../slipway-store/tests/support/pg.rs"]
mod pg;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use chrono::Utc;
use slipway_api::{
    add_channel, create_demo, save_stakeholder, subscribe, Cancel, ChannelInputDto, Dispatcher,
    StakeholderDto, SubscriptionInputDto, SystemClock, Workspace,
};
use slipway_core::notify::{Event, EventKind};
use slipway_notify::sink::HttpSink;

const DRAIN: usize = 10_000;
const LATENCY: usize = 2_000;
/// Events per second the producer commits while latency is measured.
const RATE: u64 = 500;

fn event(i: usize, tag: &str) -> Event {
    let mut e = Event::new(
        EventKind::Promoted,
        "payments",
        format!("{tag}/{i}"),
        format!("payments: change {i} reached qa"),
    );
    e.environment = Some("qa".into());
    e.at = Utc::now();
    e
}

async fn set_up(ws: &Workspace, sink: &HttpSink) {
    save_stakeholder(
        ws,
        &StakeholderDto {
            email: "ops@example.com".into(),
            name: "Ops".into(),
            chat_handle: String::new(),
            roles: vec![],
            subscriptions: 0,
        },
    )
    .await
    .unwrap();
    add_channel(
        ws,
        &ChannelInputDto {
            name: "hook".into(),
            kind: "webhook".into(),
            url: sink.url("/hook"),
            secret: "bench-signing-key-0123456789".into(),
            ..Default::default()
        },
        "ops@example.com",
        &SystemClock,
    )
    .await
    .unwrap();
    subscribe(
        ws,
        &SubscriptionInputDto {
            person: "ops@example.com".into(),
            channel: "hook".into(),
            ..Default::default()
        },
        &SystemClock,
    )
    .await
    .unwrap();
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn measure(label: &str, dir: &Path) {
    let ws = Workspace::open(dir).await.unwrap();
    let sink = HttpSink::start().await;
    set_up(&ws, &sink).await;

    // Throughput: 10,000 committed deliveries, drained by one dispatcher.
    let events: Vec<Event> = (0..DRAIN).map(|i| event(i, "drain")).collect();
    for chunk in events.chunks(500) {
        ws.store()
            .notify(chunk, Utc::now().timestamp_millis())
            .await
            .unwrap();
    }
    let dispatcher = Dispatcher::new(&ws, "bench", None);
    let started = Instant::now();
    let mut delivered = 0;
    while delivered < DRAIN as u32 {
        let pass = dispatcher.dispatch_once(&SystemClock).await.unwrap();
        assert_eq!(pass.retrying + pass.dead, 0);
        if pass.delivered == 0 {
            break;
        }
        delivered += pass.delivered;
    }
    let took = started.elapsed();
    assert_eq!(sink.received().len(), DRAIN);
    println!(
        "{label}: drained {DRAIN} deliveries in {:.2} s = {:.0} deliveries/s (target >= 2,000)",
        took.as_secs_f64(),
        DRAIN as f64 / took.as_secs_f64()
    );

    // Latency: a running dispatcher, events committed one per transaction at RATE per second.
    let stop = Cancel::new();
    let running = tokio::spawn(
        Dispatcher::new(&ws, "bench-live", None).run(Arc::new(SystemClock), stop.clone()),
    );
    let mut committed: HashMap<String, SystemTime> = HashMap::new();
    let tick = Duration::from_micros(1_000_000 / RATE);
    let start = Instant::now();
    for i in 0..LATENCY {
        let due = start + tick * i as u32;
        tokio::time::sleep_until(due.into()).await;
        ws.store()
            .notify(&[event(i, "live")], Utc::now().timestamp_millis())
            .await
            .unwrap();
        committed.insert(format!("live/{i}"), SystemTime::now());
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while sink.received().len() < DRAIN + LATENCY && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.cancel();
    let _ = running.await;
    let mut latencies: Vec<Duration> = sink
        .received()
        .iter()
        .filter_map(|r| {
            let body: serde_json::Value = serde_json::from_str(&r.body).ok()?;
            let at = committed.get(body["thread"].as_str()?)?;
            Some(r.at.duration_since(*at).unwrap_or_default())
        })
        .collect();
    latencies.sort();
    println!(
        "{label}: {} of {LATENCY} events committed at {RATE}/s arrived; commit → receipt p50 {} ms, p99 {} ms, max {} ms (target p99 <= 500 ms)",
        latencies.len(),
        percentile(&latencies, 0.5).as_millis(),
        percentile(&latencies, 0.99).as_millis(),
        latencies.last().copied().unwrap_or_default().as_millis(),
    );
    ws.store().close().await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let personal = tmp.path().join("personal");
    create_demo(&personal, Utc::now()).await.unwrap();
    measure("SQLite", &personal).await;

    let cluster = pg::PgCluster::start();
    let team = tmp.path().join("team");
    std::fs::create_dir_all(&team).unwrap();
    std::fs::write(
        team.join("slipway.toml"),
        format!("database_url = \"{}\"\n", cluster.database("bench")),
    )
    .unwrap();
    measure("PostgreSQL", &team).await;
}
