//! The watcher's pass against history (figures printed, not asserted): on a demo workspace
//! with an SLA policy and 100 open requests, one pass's time — then again with 100,000
//! closed requests beside them. A pass reads only open requests and those ended within its
//! look-back (through an index), so the two should match; the full read it replaced is timed
//! beside them for comparison.

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use slipway_api::{
    create_demo, set_sla_policy, watch_pass, AlertingInputDto, RepoCache, SlaPolicyInputDto,
    Workspace,
};
use slipway_core::{Entry, FixedClock, Opening, RequestEvent, RequestKind, RequestState, Severity};

const OPEN: usize = 100;
const CLOSED: usize = 100_000;
const PASSES: usize = 9;

fn entry(at: chrono::DateTime<Utc>, event: RequestEvent) -> Entry {
    Entry {
        at,
        actor: "ana@example.com".into(),
        event,
    }
}

fn opened(i: usize) -> RequestEvent {
    RequestEvent::Opened(Opening {
        project: "payments".into(),
        kind: RequestKind::Emergency,
        severity: Severity::Sev1,
        title: format!("Incident {i}"),
        description: String::new(),
        requester: "ana@example.com".into(),
        assignee: None,
        target_environment: Some("production".into()),
    })
}

async fn median_pass(ws: &Workspace, clock: &FixedClock) -> (Duration, usize) {
    let mut repos = RepoCache::new();
    // A warm repository cache, as a running watcher has.
    let first = watch_pass(ws, &mut repos, clock, "bench").await.unwrap();
    let mut times = Vec::with_capacity(PASSES);
    for _ in 0..PASSES {
        let t = Instant::now();
        watch_pass(ws, &mut repos, clock, "bench").await.unwrap();
        times.push(t.elapsed());
    }
    times.sort();
    (times[PASSES / 2], first.clocks)
}

#[tokio::main]
async fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let anchor = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
    create_demo(tmp.path(), anchor).await.unwrap();
    let ws = Workspace::open(tmp.path()).await.unwrap();
    set_sla_policy(
        &ws,
        &SlaPolicyInputDto {
            kind: "emergency".into(),
            severity: "sev1".into(),
            approve: Some("1h".into()),
            total: Some("4h".into()),
            alerting: AlertingInputDto::default(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let store = ws.store();
    for i in 0..OPEN {
        let at = anchor - chrono::Duration::minutes(i as i64);
        store
            .open_request(&[entry(at, opened(i))], RequestState::Draft, &|_| vec![])
            .await
            .unwrap();
    }
    let clock = FixedClock(anchor + chrono::Duration::minutes(5));
    let (open_only, clocks) = median_pass(&ws, &clock).await;

    let t = Instant::now();
    for i in 0..CLOSED {
        // Closed over the last year, each a few hours after it opened.
        let at = anchor - chrono::Duration::days(2) - chrono::Duration::minutes(5 * i as i64);
        let log = [
            entry(at, opened(OPEN + i)),
            entry(at + chrono::Duration::hours(3), RequestEvent::Closed),
        ];
        store
            .open_request(&log, RequestState::Closed, &|_| vec![])
            .await
            .unwrap();
    }
    let filled = t.elapsed();
    let (with_history, clocks_after) = median_pass(&ws, &clock).await;
    let t = Instant::now();
    let all = store.requests(false).await.unwrap().len();
    let full_read = t.elapsed();

    println!(
        "watch pass, {OPEN} open requests ({clocks} clocks): median {open_only:.1?} of {PASSES}"
    );
    println!(
        "watch pass, {OPEN} open + {CLOSED} closed requests ({clocks_after} clocks): median {with_history:.1?} of {PASSES} (history written in {filled:.1?})"
    );
    println!("for comparison, reading every request ({all}) as a pass used to: {full_read:.1?}");
}
