//! The watcher after a weekend away: a request opened on Friday evening whose clock crossed
//! 50 %, 75 % and its breach while no watcher ran is caught up on Monday — each threshold
//! stored once at its true instant, one catch-up notice for the clock saying how late it is
//! and what else was missed, and nothing more on the next pass.

use chrono::{DateTime, TimeZone, Utc};
use slipway_api::{
    create_demo, open_request, outbox, set_sla_policy, watch_pass, AlertingInputDto, NewRequestDto,
    RepoCache, SlaPolicyInputDto, Workspace,
};
use slipway_core::FixedClock;

fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, h, m, 0).unwrap()
}

#[tokio::test]
async fn a_watcher_back_on_monday_stores_each_missed_threshold_once_and_catches_up_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ws");
    create_demo(&dir, at(20, 17, 0)).await.unwrap();
    let ws = Workspace::open(&dir).await.unwrap();
    set_sla_policy(
        &ws,
        &SlaPolicyInputDto {
            kind: "emergency".into(),
            severity: "sev1".into(),
            total: Some("4h".into()),
            alerting: AlertingInputDto {
                escalate: vec![
                    "warn-50=cto@example.com".into(),
                    "breach=cto@example.com".into(),
                ],
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // Friday 18:00 UTC, 24×7: 50 % at 20:00, 75 % at 21:00, breached at 22:00.
    let friday = FixedClock(at(20, 18, 0));
    let input = NewRequestDto {
        project: "payments".into(),
        kind: "emergency".into(),
        severity: "SEV1".into(),
        title: "Card payments fail".into(),
        ..Default::default()
    };
    let id = open_request(&ws, &input, "ana@example.com", &friday)
        .await
        .unwrap()
        .summary
        .id;
    let mut repos = RepoCache::new();
    let evening = watch_pass(&ws, &mut repos, &FixedClock(at(20, 18, 30)), "w1")
        .await
        .unwrap();
    assert!(evening.new_events.is_empty());
    assert_eq!(
        evening.next_threshold_at.as_deref(),
        Some("2026-11-20T20:00:00Z"),
        "the watcher would wake at 50 %"
    );

    // The watcher stops; on Monday 09:00 it is started again.
    let monday = FixedClock(at(23, 9, 0));
    let pass = watch_pass(&ws, &mut repos, &monday, "w1").await.unwrap();
    let key = format!("cr/{id}/total");
    let stored: Vec<(&str, &str)> = pass
        .new_events
        .iter()
        .filter(|e| e.clock_key == key)
        .map(|e| (e.threshold.as_str(), e.crossed_at.as_str()))
        .collect();
    assert_eq!(
        stored,
        [
            ("warn-50", "2026-11-20T20:00:00Z"),
            ("warn-75", "2026-11-20T21:00:00Z"),
            ("breach", "2026-11-20T22:00:00Z"),
        ],
        "each at its true instant"
    );
    assert_eq!(pass.caught_up, 1, "one catch-up for the one clock");
    // One notice for the clock: the breach's, told late, naming what was missed before it.
    // Nothing reaches cto@example.com here, so it waits visibly undeliverable.
    let deliveries = outbox(&ws, None, 100).await.unwrap().entries;
    let told: Vec<&str> = deliveries
        .iter()
        .filter(|d| d.title.contains("Card payments fail") || d.title.contains(&format!("#{id}")))
        .map(|d| d.title.as_str())
        .collect();
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(
        told[0].contains("told 2 d 11 h late: no watcher was running at 2026-11-20 22:00 UTC"),
        "{}",
        told[0]
    );
    assert!(
        told[0].contains("missed before it: 50 % of the goal used at 2026-11-20 20:00 UTC, 75 % of the goal used at 2026-11-20 21:00 UTC"),
        "{}",
        told[0]
    );

    // A second pass, or a second watcher, stores and tells nothing more.
    let again = watch_pass(&ws, &mut repos, &FixedClock(at(23, 9, 1)), "w2")
        .await
        .unwrap();
    assert!(again.new_events.is_empty(), "{:?}", again.new_events);
    assert_eq!(
        outbox(&ws, None, 100).await.unwrap().entries.len(),
        deliveries.len()
    );
}
