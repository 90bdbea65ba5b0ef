//! Change requests, policies and clock events: one story on SQLite and on PostgreSQL, and
//! several watchers recording the same crossings at once without duplicates.

use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};
use slipway_core::{
    AgingPolicy, Alerting, ApprovalRule, Calendar, Entry, EscalationStep, Holiday, Hours, Opening,
    Pipeline, Project, Request, RequestEvent, RequestKind, RequestState, Severity, SlaPolicy,
    Threshold, TrackingRef,
};
use slipway_store::{ClockEvent, FreezeWindow, Location, Person, Store, StoreError};

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 16, 0, 0).unwrap() + chrono::Duration::minutes(minute)
}

fn payments() -> Project {
    Project {
        name: "payments".into(),
        repo_path: PathBuf::from("/repos/payments"),
        pipeline: Pipeline {
            trunk: "main".into(),
            environments: vec![slipway_core::Environment {
                name: "production".into(),
                tracking: TrackingRef::Branch("deploy/production".into()),
            }],
        },
    }
}

fn opening() -> Opening {
    Opening {
        project: "payments".into(),
        kind: RequestKind::Emergency,
        severity: Severity::Sev1,
        title: "Refunds fail — „ünïcode“".into(),
        description: "Since 15:40".into(),
        requester: "ana@x".into(),
        assignee: Some("bo@x".into()),
        target_environment: Some("production".into()),
    }
}

fn crossing(key: &str, threshold: &str, by: &str) -> ClockEvent {
    ClockEvent {
        id: 0,
        clock_key: key.into(),
        threshold: threshold.into(),
        crossed_at: 1_800_000_000,
        recorded_at: 1_800_000_100,
        recorded_by: by.into(),
        project: "payments".into(),
        request_id: None,
        environment: Some("staging".into()),
        sha: Some("a".repeat(40)),
        summary: "late".into(),
        recipients: vec!["qa@x".into(), "lead@x".into()],
        delivered_at: None,
    }
}

async fn story(location: Location) {
    let store = Store::create(&location).await.unwrap();
    store.add_project(&payments(), 1).await.unwrap();

    // A request is its log: opened, then appended with optimistic checks.
    let rule = ApprovalRule::default_for(RequestKind::Emergency);
    let mut request = Request::open(at(0), "ana@x", opening()).unwrap();
    let id = store
        .open_request(&request.log[..1], request.state, &|_| Vec::new())
        .await
        .unwrap();
    let steps = [
        (
            1,
            "ana@x",
            RequestEvent::Linked {
                sha: "b".repeat(40),
            },
        ),
        (2, "ana@x", RequestEvent::Submitted),
        (
            3,
            "rm@x",
            RequestEvent::Approved {
                role: "release-manager".into(),
            },
        ),
        (
            4,
            "ana@x",
            RequestEvent::Held {
                reason: "vendor".into(),
            },
        ),
        (9, "ana@x", RequestEvent::Resumed),
        (10, "qa@x", RequestEvent::Approved { role: "qa".into() }),
        (
            11,
            "ci",
            RequestEvent::Deployed {
                environment: "production".into(),
                sha: "b".repeat(40),
            },
        ),
    ];
    for (minute, actor, event) in steps {
        let seq = request.log.len() as i64;
        let entry = Entry {
            at: at(minute),
            actor: actor.into(),
            event,
        };
        request.apply(entry.clone(), &rule).unwrap();
        store
            .append_request_event(id, seq, &entry, request.state, &[])
            .await
            .unwrap();
    }
    let stored = store.request(id).await.unwrap();
    assert_eq!(stored.log, request.log);
    assert_eq!(
        Request::replay(stored.log, ApprovalRule::default_for)
            .unwrap()
            .state,
        RequestState::Deployed
    );
    // Someone who read the log before the last step cannot append on top of it.
    let stale = Entry {
        at: at(12),
        actor: "x".into(),
        event: RequestEvent::Closed,
    };
    assert!(matches!(
        store.append_request_event(id, 3, &stale, RequestState::Closed, &[]).await,
        Err(StoreError::RequestMoved(n)) if n == id
    ));
    assert_eq!(store.request(id).await.unwrap().log.len(), 8);
    assert!(matches!(
        store.request(999).await,
        Err(StoreError::RequestMissing(999))
    ));
    assert_eq!(store.requests(true).await.unwrap().len(), 1);
    // A watcher's read: open requests, and those ended at or after its look-back.
    let closed = Entry {
        at: at(20),
        actor: "rm@x".into(),
        event: RequestEvent::Closed,
    };
    store
        .append_request_event(id, 8, &closed, RequestState::Closed, &[])
        .await
        .unwrap();
    let live = |since| {
        let store = store.clone();
        async move {
            store
                .live_requests(since)
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(live(at(19)).await, [id]);
    assert_eq!(live(at(20)).await, [id]);
    assert!(live(at(21)).await.is_empty(), "ended before the look-back");
    assert!(store.requests(true).await.unwrap().is_empty());

    // Calendars, policies, people and freezes round-trip.
    let mut week = [None; 7];
    for day in week.iter_mut().take(5) {
        *day = Some(Hours {
            open: 540,
            close: 1020,
        });
    }
    let berlin = Calendar::business(
        "Europe/Berlin",
        week,
        vec![Holiday {
            name: "Christmas".into(),
            from: "2026-12-24".parse().unwrap(),
            to: "2026-12-26".parse().unwrap(),
        }],
    )
    .unwrap();
    store.save_calendar("berlin", &berlin).await.unwrap();
    let alerting = Alerting {
        escalation: vec![
            EscalationStep {
                at: Threshold::Warning(50),
                notify: vec!["assignee".into()],
            },
            EscalationStep {
                at: Threshold::Breach,
                notify: vec!["role:qa".into(), "lead@x".into()],
            },
        ],
        repeat_every: Some(3600),
        ..Alerting::new("berlin")
    };
    let sla = SlaPolicy::new(
        RequestKind::Emergency,
        Severity::Sev1,
        [Some(3600), None, Some(7200), Some(4 * 3600)],
        alerting.clone(),
    )
    .unwrap();
    store.save_sla_policy(&sla).await.unwrap();
    store.save_sla_policy(&sla).await.unwrap();
    assert_eq!(store.sla_policies().await.unwrap(), vec![sla]);
    // Replacing a calendar that policies use keeps it in place.
    store.save_calendar("berlin", &berlin).await.unwrap();
    let calendars = store.calendars().await.unwrap();
    assert_eq!(
        calendars,
        vec![
            ("24x7".to_string(), Calendar::Always),
            ("berlin".to_string(), berlin)
        ]
    );
    let aging = AgingPolicy::new("production", 8 * 3600, Alerting::new("24x7")).unwrap();
    store.save_aging_policy("payments", &aging).await.unwrap();
    assert_eq!(
        store.aging_policies().await.unwrap(),
        vec![("payments".to_string(), aging)]
    );
    let missing = AgingPolicy::new("production", 60, Alerting::new("nowhere")).unwrap();
    assert!(matches!(
        store.save_aging_policy("payments", &missing).await,
        Err(StoreError::CalendarMissing(_))
    ));
    let person = Person {
        email: "qa@x".into(),
        name: "Quinn".into(),
        roles: vec!["qa".into()],
        chat_handle: "@quinn".into(),
    };
    store.save_person(&person).await.unwrap();
    assert_eq!(store.people().await.unwrap(), vec![person]);
    let freeze = FreezeWindow {
        id: 0,
        project: "payments".into(),
        environment: None,
        starts_at: 10,
        ends_at: 20,
        reason: "year end".into(),
    };
    let fid = store.add_freeze(&freeze).await.unwrap();
    assert_eq!(
        store.freezes().await.unwrap(),
        vec![FreezeWindow { id: fid, ..freeze }]
    );

    // Each clock's threshold is stored once, whoever notices it.
    let e = crossing("age/payments/staging/x", "breach", "w1");
    assert!(store.record_clock_event(&e, &[]).await.unwrap());
    assert!(!store
        .record_clock_event(&crossing("age/payments/staging/x", "breach", "w2"), &[])
        .await
        .unwrap());
    let events = store.clock_events(10).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].recorded_by.as_str(), events[0].recipients.len()),
        ("w1", 2)
    );
    // A project with requests keeps them: removing it is refused, and changes nothing.
    assert!(matches!(
        store.remove_project("payments").await,
        Err(StoreError::ProjectHasRequests { requests: 1, .. })
    ));
    assert_eq!(store.request(id).await.unwrap().log.len(), 9);
    store
        .acknowledge_clock("cr/1/total", "bo@x", 5)
        .await
        .unwrap();
    store
        .acknowledge_clock("cr/1/total", "qa@x", 6)
        .await
        .unwrap();
    assert_eq!(
        store.clock_acks().await.unwrap()["cr/1/total"],
        ("bo@x".to_string(), 5)
    );
    store.close().await;
}

#[tokio::test]
async fn requests_story_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    story(Location::Sqlite(tmp.path().join("slipway.db"))).await;
}

#[tokio::test]
async fn requests_story_on_postgres() {
    let cluster = crate::support::pg::PgCluster::start();
    story(Location::postgres(&cluster.database("requests_story")).unwrap()).await;
}

/// Three watchers on one PostgreSQL database, each noticing the same 3,000 crossings (in its
/// own order, at the same time): every crossing is stored exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn three_watchers_store_each_crossing_once() {
    let cluster = crate::support::pg::PgCluster::start();
    let location = Location::postgres(&cluster.database("watchers")).unwrap();
    Store::create(&location).await.unwrap().close().await;
    const CLOCKS: usize = 1_000;
    let mut watchers = Vec::new();
    for w in 0..3usize {
        let location = location.clone();
        watchers.push(tokio::spawn(async move {
            let store = Store::open(&location).await.unwrap();
            let mut new = 0;
            for i in 0..CLOCKS {
                // Each watcher walks the clocks from a different starting point.
                let clock = (i + w * CLOCKS / 3) % CLOCKS;
                for threshold in ["warn-50", "warn-75", "breach"] {
                    let e = crossing(&format!("age/p/e/{clock:040}"), threshold, &format!("w{w}"));
                    if store.record_clock_event(&e, &[]).await.unwrap() {
                        new += 1;
                    }
                }
            }
            store.close().await;
            new
        }));
    }
    let mut total = 0;
    for w in watchers {
        total += w.await.unwrap();
    }
    assert_eq!(
        total,
        3 * CLOCKS,
        "each crossing is new to exactly one watcher"
    );
    let store = Store::open(&location).await.unwrap();
    let stored = store.clock_events(10 * CLOCKS as i64).await.unwrap();
    assert_eq!(stored.len(), 3 * CLOCKS);
    let mut keys: Vec<_> = stored
        .iter()
        .map(|e| (e.clock_key.clone(), e.threshold.clone()))
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 3 * CLOCKS);
}
