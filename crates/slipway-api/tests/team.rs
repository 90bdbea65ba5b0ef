//! A team workspace on PostgreSQL: three watchers evaluate the same clocks at the same
//! instant, at the same time, and every threshold is stored once.

use chrono::{TimeZone, Utc};
use slipway_api::{
    act_on_request, add_project, clock_events, create_demo, open_request, save_person,
    set_aging_policy, set_sla_policy, watch_pass, AlertingInputDto, NewRequestDto, RepoCache,
    RequestActionDto, SlaPolicyInputDto, Workspace,
};
use slipway_core::FixedClock;

#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn three_watchers_on_one_postgres_store_each_threshold_once() {
    let cluster = crate::pg::PgCluster::start();
    let url = cluster.database("team");
    let tmp = tempfile::tempdir().unwrap();
    // The demo gives a repository; the team workspace points at it and at PostgreSQL.
    let anchor = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
    create_demo(&tmp.path().join("demo"), anchor).await.unwrap();
    let team = tmp.path().join("team");
    std::fs::create_dir_all(&team).unwrap();
    std::fs::write(
        team.join("slipway.toml"),
        format!("database_url = \"{url}\"\n"),
    )
    .unwrap();
    let ws = Workspace::open(&team).await.unwrap();
    let clock = FixedClock(anchor);
    let envs: Vec<(String, String)> = ["qa", "staging", "production"]
        .iter()
        .map(|e| (e.to_string(), format!("branch:deploy/{e}")))
        .collect();
    add_project(
        &ws,
        "payments",
        &tmp.path().join("demo/repos/payments"),
        "main",
        &envs,
        &clock,
    )
    .await
    .unwrap();
    save_person(&ws, "rm@x", "Rita", &["release-manager".into()])
        .await
        .unwrap();
    set_sla_policy(
        &ws,
        &SlaPolicyInputDto {
            kind: "emergency".into(),
            severity: "sev1".into(),
            approve: Some("30m".into()),
            total: Some("2h".into()),
            alerting: AlertingInputDto {
                escalate: vec!["breach=role:release-manager".into()],
                repeat: Some("15m".into()),
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // Every change waiting for staging is late after an hour.
    set_aging_policy(
        &ws,
        "payments",
        "staging",
        "1h",
        &AlertingInputDto::default(),
    )
    .await
    .unwrap();
    let input = NewRequestDto {
        project: "payments".into(),
        kind: "emergency".into(),
        severity: "sev1".into(),
        title: "Refunds fail".into(),
        opened_at: Some("2026-11-23T07:00:00Z".into()),
        ..Default::default()
    };
    let id = open_request(&ws, &input, "ana@x", &clock)
        .await
        .unwrap()
        .summary
        .id;
    act_on_request(
        &ws,
        id,
        &RequestActionDto::Submit,
        "ana@x",
        Some("2026-11-23T07:00:00Z"),
        &clock,
    )
    .await
    .unwrap();

    // Three watchers, each with its own connections and repository cache, same instant.
    let mut watchers = Vec::new();
    for w in 0..3 {
        let team = team.clone();
        watchers.push(tokio::spawn(async move {
            let ws = Workspace::open(&team).await.unwrap();
            let pass = watch_pass(
                &ws,
                &mut RepoCache::new(),
                &FixedClock(anchor),
                &format!("w{w}"),
            )
            .await
            .unwrap();
            (pass.clocks, pass.new_events)
        }));
    }
    let mut noticed = Vec::new();
    for w in watchers {
        let (clocks, events) = w.await.unwrap();
        assert!(clocks > 3, "each watcher evaluates every clock ({clocks})");
        noticed.extend(events.into_iter().map(|e| (e.clock_key, e.threshold)));
    }
    let stored = clock_events(&ws, 10_000).await.unwrap();
    let mut keys: Vec<_> = stored
        .iter()
        .map(|e| (e.clock_key.clone(), e.threshold.clone()))
        .collect();
    keys.sort();
    noticed.sort();
    assert_eq!(
        noticed, keys,
        "each stored threshold was new to exactly one watcher"
    );
    keys.dedup();
    assert_eq!(keys.len(), stored.len(), "no threshold stored twice");
    // The request's approval clock (07:00 + 30 min, reminders every 15 min) and the late
    // staging changes are all there.
    let approve = format!("cr/{id}/approve");
    let thresholds: Vec<&str> = stored
        .iter()
        .filter(|e| e.clock_key == approve)
        .map(|e| e.threshold.as_str())
        .collect();
    assert!(thresholds.contains(&"breach") && thresholds.iter().any(|t| t.starts_with("repeat-")));
    assert!(stored
        .iter()
        .any(|e| e.clock_key.starts_with("age/payments/staging/") && e.threshold == "breach"));
}
