//! A team workspace on PostgreSQL: three dispatchers, each with its own connections, drain
//! one outbox of 10,000 deliveries at the same time. Claims skip rows another dispatcher holds
//! (`FOR UPDATE SKIP LOCKED`): every delivery arrives, and none twice. Uses the OS keychain
//! (the webhook's URL and key): `make rust-test` runs it inside `dbus-run-session`.

use std::collections::HashSet;

use chrono::{TimeZone, Utc};
use slipway_api::{
    add_channel, outbox, save_stakeholder, subscribe, ChannelInputDto, Dispatcher, StakeholderDto,
    SubscriptionInputDto, Workspace,
};
use slipway_core::notify::{Event, EventKind};
use slipway_core::FixedClock;
use slipway_notify::sink::HttpSink;

const EVENTS: usize = 10_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn three_dispatchers_share_ten_thousand_deliveries_without_loss_or_duplicates() {
    let cluster = crate::pg::PgCluster::start();
    let url = cluster.database("outbox");
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("slipway.toml"),
        format!("database_url = \"{url}\"\n"),
    )
    .unwrap();
    let ws = Workspace::open(tmp.path()).await.unwrap();
    let anchor = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
    let clock = FixedClock(anchor);
    let sink = HttpSink::start().await;
    save_stakeholder(
        &ws,
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
        &ws,
        &ChannelInputDto {
            name: "hook".into(),
            kind: "webhook".into(),
            url: sink.url("/hook"),
            secret: "team-signing-key-0123456789".into(),
            ..Default::default()
        },
        "ops@example.com",
        &clock,
    )
    .await
    .unwrap();
    subscribe(
        &ws,
        &SubscriptionInputDto {
            person: "ops@example.com".into(),
            channel: "hook".into(),
            ..Default::default()
        },
        &clock,
    )
    .await
    .unwrap();

    // 10,000 events, each written (with its delivery) in a transaction of 500.
    let events: Vec<Event> = (0..EVENTS)
        .map(|i| {
            let mut e = Event::new(
                EventKind::Promoted,
                "payments",
                format!("promotion/{i}"),
                format!("payments: change {i} reached qa"),
            );
            e.environment = Some("qa".into());
            e.at = anchor;
            e
        })
        .collect();
    for chunk in events.chunks(500) {
        ws.store()
            .notify(chunk, anchor.timestamp_millis())
            .await
            .unwrap();
    }
    assert_eq!(outbox(&ws, None, 1).await.unwrap().pending as usize, EVENTS);

    // Three dispatchers at once, each on its own connection pool.
    let mut handles = Vec::new();
    for d in 0..3 {
        let dir = tmp.path().to_path_buf();
        handles.push(tokio::spawn(async move {
            let ws = Workspace::open(&dir).await.unwrap();
            let dispatcher = Dispatcher::new(&ws, &format!("dispatcher-{d}"), None);
            let clock = FixedClock(anchor + chrono::Duration::seconds(1));
            let mut delivered = 0;
            loop {
                let pass = dispatcher.dispatch_once(&clock).await.unwrap();
                assert_eq!(pass.retrying + pass.dead, 0, "{pass:?}");
                if pass.delivered == 0 {
                    break delivered;
                }
                delivered += pass.delivered;
            }
        }));
    }
    let mut shares = Vec::new();
    for h in handles {
        shares.push(h.await.unwrap());
    }
    let received = sink.received();
    let keys: HashSet<&str> = received
        .iter()
        .map(|r| r.header("idempotency-key").unwrap())
        .collect();
    assert_eq!(received.len(), EVENTS, "nothing duplicated");
    assert_eq!(keys.len(), EVENTS, "nothing lost");
    assert_eq!(shares.iter().sum::<u32>() as usize, EVENTS, "{shares:?}");
    assert!(
        shares.iter().all(|s| *s > 0),
        "all three dispatchers took work: {shares:?}"
    );
    let after = outbox(&ws, None, 1).await.unwrap();
    assert_eq!(
        (after.sent as usize, after.pending, after.sending),
        (EVENTS, 0, 0)
    );
    eprintln!("three dispatchers delivered {shares:?}");
}
