//! Change requests and their clocks through the API, on a real demo workspace: the Friday
//! evening emergency, the watcher's pass (once per threshold), a deployment advancing the
//! request by itself, and bad input that changes nothing.

use crate::support::git;
use chrono::{DateTime, TimeZone, Utc};
use slipway_api::{
    acknowledge_clock, act_on_request, add_freeze, create_demo, list_requests, load_board,
    open_request, save_calendar, save_person, set_aging_policy, set_sla_policy, show_request,
    sla_check, watch_pass, AlertingInputDto, CalendarInputDto, ClockStageDto, ErrorCode,
    NewRequestDto, RepoCache, RequestActionDto, RequestStepDto, SlaPolicyInputDto, ToneDto,
    Workspace,
};
use slipway_core::FixedClock;

/// Monday 2026-11-23, 10:00 UTC: the demo's history ends here.
fn monday(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap()
}

async fn workspace(dir: &std::path::Path) -> Workspace {
    create_demo(dir, monday(10, 0)).await.unwrap();
    let ws = Workspace::open(dir).await.unwrap();
    save_calendar(
        &ws,
        &CalendarInputDto {
            name: "berlin".into(),
            zone: Some("Europe/Berlin".into()),
            hours: Some("Mon-Fri 09:00-17:00".into()),
            holidays: vec!["Christmas=2026-12-24..2026-12-26".into()],
        },
    )
    .await
    .unwrap();
    save_person(&ws, "rm@x", "Rita", &["release-manager".into()])
        .await
        .unwrap();
    save_person(&ws, "qa@x", "Quinn", &["qa".into()])
        .await
        .unwrap();
    set_sla_policy(
        &ws,
        &SlaPolicyInputDto {
            kind: "emergency".into(),
            severity: "sev1".into(),
            approve: Some("1h".into()),
            total: Some("4h".into()),
            alerting: AlertingInputDto {
                calendar: Some("berlin".into()),
                escalate: vec!["warn-50=assignee".into(), "breach=role:qa,lead@x".into()],
                repeat: Some("1h".into()),
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .await
    .unwrap();
    ws
}

fn friday_emergency(link: &str) -> NewRequestDto {
    NewRequestDto {
        project: "payments".into(),
        kind: "emergency".into(),
        severity: "SEV1".into(),
        title: "Card payments fail".into(),
        description: "Since 16:40 CET".into(),
        assignee: Some("bo@x".into()),
        target_environment: Some("production".into()),
        links: vec![link.into()],
        // Friday 17:00 in Berlin: after hours, so the clock starts on Monday at 09:00.
        opened_at: Some("2026-11-20T17:00:00+01:00".into()),
        ..Default::default()
    }
}

fn act(action: &str) -> RequestActionDto {
    match action {
        "submit" => RequestActionDto::Submit,
        "approve" => RequestActionDto::Approve { role: None },
        "resume" => RequestActionDto::Resume,
        "ack" => RequestActionDto::Acknowledge,
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn a_friday_evening_emergency_from_opening_to_deployment() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(&tmp.path().join("ws")).await;
    let clock = FixedClock(monday(8, 0));
    let board = load_board(&ws, &clock).await.unwrap();
    let production = &board.projects[0].environments[2];
    let fix = production.queue.last().unwrap().change.clone();

    let opened = open_request(&ws, &friday_emergency(&fix.short_sha), "ana@x", &clock)
        .await
        .unwrap();
    let id = opened.summary.id;
    assert_eq!(opened.summary.state, "draft");
    assert_eq!(opened.links[0].sha, fix.sha);
    assert_eq!(opened.summary.opened_at, "2026-11-20T16:00:00Z");
    assert_eq!(opened.summary.approvals_needed, ["release-manager", "qa"]);

    let at = |t: &str| Some(t.to_string());
    act_on_request(
        &ws,
        id,
        &act("submit"),
        "ana@x",
        at("2026-11-20T16:05:00Z").as_deref(),
        &clock,
    )
    .await
    .unwrap();

    // The requester cannot approve; neither can a stranger. Nothing is written either time.
    let own = act_on_request(&ws, id, &act("approve"), "ana@x", None, &clock).await;
    assert_eq!(own.unwrap_err().code, ErrorCode::UnknownPerson);
    save_person(&ws, "ana@x", "Ana", &["qa".into()])
        .await
        .unwrap();
    let own = act_on_request(&ws, id, &act("approve"), "ANA@x", None, &clock)
        .await
        .unwrap_err();
    assert_eq!(own.code, ErrorCode::NotAllowed);
    assert_eq!(
        own.message,
        "ANA@x asked for this change and cannot approve it."
    );
    let before = show_request(&ws, id, None, &clock).await.unwrap();
    assert_eq!(
        before.timeline.iter().filter(|t| t.actor != "SLA").count(),
        3
    );
    // The steps offered are the lifecycle's, for the person looking: a release manager may
    // approve, the requester may not; nothing has breached yet, so nobody is "on it".
    let steps = |who: &'static str| {
        let ws = ws.clone();
        async move {
            show_request(&ws, id, Some(who), &FixedClock(monday(8, 0)))
                .await
                .unwrap()
                .summary
                .actions
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        steps("rm@x").await,
        ["approve", "reject", "hold", "cancel", "link"]
    );
    assert_eq!(steps("ANA@x").await, ["reject", "hold", "cancel", "link"]);

    // Monday 08:30 UTC (09:30 Berlin): the approval clock started at 09:00 local, half used.
    let check = sla_check(&ws, Some("2026-11-23T08:30:00Z"), &clock)
        .await
        .unwrap();
    let approve = check
        .clocks
        .iter()
        .find(|r| r.clock.stage == ClockStageDto::Approve)
        .unwrap();
    assert_eq!(
        (approve.clock.elapsed_seconds, approve.clock.percent),
        (1800, 50.0)
    );
    assert_eq!(approve.clock.next_threshold.as_deref(), Some("warn-75"));
    assert_eq!(
        approve.clock.due_at.as_deref(),
        Some("2026-11-23T09:00:00Z")
    );

    // The watcher at 09:10 UTC: approval breached at 09:00 with its warnings before it; the
    // total clock (4 h from 08:00) at 50 % since 10:00 is not reached yet.
    let later = FixedClock(monday(9, 10));
    let mut repos = RepoCache::new();
    let pass = watch_pass(&ws, &mut repos, &later, "w1").await.unwrap();
    let got: Vec<(String, String, Vec<String>)> = pass
        .new_events
        .iter()
        .map(|e| {
            (
                e.clock_key.clone(),
                e.threshold.clone(),
                e.recipients.clone(),
            )
        })
        .collect();
    let key = format!("cr/{id}/approve");
    assert_eq!(
        got,
        vec![
            (key.clone(), "warn-50".into(), vec!["bo@x".to_string()]),
            (key.clone(), "warn-75".into(), vec![]),
            (
                key.clone(),
                "breach".into(),
                vec!["ana@x".to_string(), "qa@x".into(), "lead@x".into()]
            ),
        ]
    );
    // Another pass, or another watcher, at the same instant stores nothing new.
    assert!(watch_pass(&ws, &mut repos, &later, "w2")
        .await
        .unwrap()
        .new_events
        .is_empty());
    assert!(watch_pass(&ws, &mut RepoCache::new(), &later, "w3")
        .await
        .unwrap()
        .new_events
        .is_empty());
    // An hour on: one reminder; after "I'm on it", no more.
    let reminder = watch_pass(&ws, &mut repos, &FixedClock(monday(10, 5)), "w1")
        .await
        .unwrap();
    let thresholds: Vec<&str> = reminder
        .new_events
        .iter()
        .map(|e| e.threshold.as_str())
        .collect();
    assert_eq!(thresholds, ["repeat-1", "warn-50"]);
    let breached = show_request(&ws, id, Some("bo@x"), &FixedClock(monday(10, 5)))
        .await
        .unwrap();
    assert!(breached
        .summary
        .actions
        .contains(&RequestStepDto::Acknowledge));
    act_on_request(
        &ws,
        id,
        &act("ack"),
        "bo@x",
        None,
        &FixedClock(monday(10, 6)),
    )
    .await
    .unwrap();
    // Answered: the breached approval clock says so and "I'm on it" is no longer offered.
    let acked = show_request(&ws, id, Some("rm@x"), &FixedClock(monday(10, 7)))
        .await
        .unwrap();
    let approve_clock = acked
        .summary
        .clocks
        .iter()
        .find(|c| c.stage == ClockStageDto::Approve)
        .unwrap();
    assert!(approve_clock.breached && approve_clock.acknowledged);
    assert_eq!(approve_clock.tone, ToneDto::Breached);
    assert!(!acked.summary.actions.contains(&RequestStepDto::Acknowledge));
    let quiet = watch_pass(&ws, &mut repos, &FixedClock(monday(11, 30)), "w1")
        .await
        .unwrap();
    let thresholds: Vec<&str> = quiet
        .new_events
        .iter()
        .map(|e| e.threshold.as_str())
        .collect();
    assert_eq!(
        thresholds,
        ["warn-75"],
        "the total clock warns; the approval clock no longer reminds"
    );

    // Approved by both roles; then production is moved to the fix: the next pass marks the
    // request deployed, dated when production got there.
    let noon = FixedClock(monday(11, 40));
    act_on_request(&ws, id, &act("approve"), "rm@x", None, &noon)
        .await
        .unwrap();
    let approved = act_on_request(&ws, id, &act("approve"), "qa@x", None, &noon)
        .await
        .unwrap();
    assert_eq!(approved.summary.state, "approved");
    let repo = tmp.path().join("ws/repos/payments");
    git(
        &repo,
        &[
            "update-ref",
            "-m",
            "deploy",
            "refs/heads/deploy/production",
            &fix.sha,
        ],
    );
    let pass = watch_pass(&ws, &mut repos, &FixedClock(monday(11, 45)), "w1")
        .await
        .unwrap();
    assert_eq!(pass.deployed, vec![id]);
    let deployed = show_request(&ws, id, None, &FixedClock(monday(11, 50)))
        .await
        .unwrap();
    assert_eq!(deployed.summary.state, "deployed");
    assert!(deployed.summary.clocks.iter().all(|c| c.stopped));
    let list = list_requests(&ws, false, None, &FixedClock(monday(11, 50)))
        .await
        .unwrap();
    assert_eq!(list.requests.len(), 1);
}

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(&tmp.path().join("ws")).await;
    let clock = FixedClock(monday(9, 0));
    let good = friday_emergency("#1812");
    let cases: Vec<(NewRequestDto, &str)> = vec![
        (NewRequestDto { severity: "SEV5".into(), ..good.clone() }, "“SEV5” is not a severity; use sev1, sev2, sev3 or sev4."),
        (NewRequestDto { kind: "urgent".into(), ..good.clone() }, "“urgent” is not a request type; use emergency, normal or standard."),
        (NewRequestDto { title: "  ".into(), ..good.clone() }, "The title must not be empty."),
        (NewRequestDto { project: "nope".into(), ..good.clone() }, "There is no project named \"nope\"."),
        (NewRequestDto { target_environment: Some("prod".into()), ..good.clone() }, "Project \"payments\" has no environment \"prod\"; it has qa, staging, production."),
        (NewRequestDto { links: vec!["no such words anywhere".into()], ..good.clone() }, "No change on main of project \"payments\" matches “no such words anywhere”. Give a sha, a #PR number or words from its title."),
        (NewRequestDto { opened_at: Some("2027-01-01 10:00".into()), ..good.clone() }, "2027-01-01T10:00:00Z is in the future; events are entered when they happen or after."),
        (NewRequestDto { opened_at: Some("last friday".into()), ..good.clone() }, "“last friday” is not a time; write 2026-11-20T17:00:00+01:00 or 2026-11-20 16:00 (UTC)."),
    ];
    for (input, want) in cases {
        let err = open_request(&ws, &input, "ana@x", &clock)
            .await
            .unwrap_err();
        assert_eq!(err.message, want);
    }
    assert!(list_requests(&ws, true, None, &clock)
        .await
        .unwrap()
        .requests
        .is_empty());

    let policy = |approve: &str, calendar: &str| SlaPolicyInputDto {
        kind: "normal".into(),
        severity: "sev2".into(),
        approve: Some(approve.into()),
        alerting: AlertingInputDto {
            calendar: Some(calendar.into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let bad = [
        (
            policy("0h", "24x7"),
            "The goal to approve must be longer than zero (got 0 s).",
        ),
        (
            policy("soon", "24x7"),
            "“soon” is not a duration; write 90s, 30m, 4h, 2h30m, 3d or 1bd (business days).",
        ),
        (
            policy("1h", "mars"),
            "There is no calendar named \"mars\"; add it first with `slipway calendar add`.",
        ),
    ];
    for (input, want) in bad {
        assert_eq!(set_sla_policy(&ws, &input).await.unwrap_err().message, want);
    }
    let calendar = |zone: &str, holidays: &[&str]| CalendarInputDto {
        name: "x".into(),
        zone: Some(zone.into()),
        hours: None,
        holidays: holidays.iter().map(|h| h.to_string()).collect(),
    };
    let err = save_calendar(&ws, &calendar("Europe/Berln", &[]))
        .await
        .unwrap_err();
    assert_eq!(
        err.message,
        "“Europe/Berln” is not a time zone; use a name such as Europe/Berlin."
    );
    let err = save_calendar(
        &ws,
        &calendar(
            "Europe/Berlin",
            &["A=2026-12-24..2026-12-26", "B=2026-12-26"],
        ),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(
        err.message.contains("overlap on 2026-12-26"),
        "{}",
        err.message
    );
    let err = set_aging_policy(
        &ws,
        "payments",
        "staging",
        "-1h",
        &AlertingInputDto::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    let err = save_person(&ws, "not an email", "", &[]).await.unwrap_err();
    assert_eq!(err.message, "“not an email” is not an email address.");

    // A transition the lifecycle does not allow.
    let id = open_request(
        &ws,
        &NewRequestDto {
            links: vec![],
            ..good
        },
        "ana@x",
        &clock,
    )
    .await
    .unwrap()
    .summary
    .id;
    let err = act_on_request(&ws, id, &act("resume"), "ana@x", None, &clock)
        .await
        .unwrap_err();
    assert_eq!(
        (err.code, err.message.as_str()),
        (
            ErrorCode::NotAllowed,
            "A request that is draft cannot be resumed."
        )
    );
    let err = act_on_request(&ws, 99, &act("submit"), "ana@x", None, &clock)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::RequestMissing);
    // The refused normal/sev2 policy was never stored: a normal SEV2 request has no SLA.
    let normal = NewRequestDto {
        kind: "normal".into(),
        severity: "sev2".into(),
        links: vec![],
        ..friday_emergency("")
    };
    let normal = open_request(&ws, &normal, "ana@x", &clock).await.unwrap();
    assert!(!normal.summary.has_policy && normal.summary.clocks.is_empty());
    assert!(
        show_request(&ws, id, None, &clock)
            .await
            .unwrap()
            .summary
            .has_policy
    );
}

#[tokio::test]
async fn freeze_windows_pause_clocks_and_acknowledgements_name_running_clocks() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(&tmp.path().join("ws")).await;
    let nine = FixedClock(monday(9, 0));
    let input = NewRequestDto {
        links: vec![],
        opened_at: Some("2026-11-23T08:00:00Z".into()),
        ..friday_emergency("")
    };
    let id = open_request(&ws, &input, "ana@x", &nine)
        .await
        .unwrap()
        .summary
        .id;
    act_on_request(
        &ws,
        id,
        &act("submit"),
        "ana@x",
        Some("2026-11-23T08:00:00Z"),
        &nine,
    )
    .await
    .unwrap();
    add_freeze(
        &ws,
        "payments",
        Some("production"),
        "2026-11-23T08:15:00Z",
        "2026-11-23T08:45:00Z",
        "card network maintenance",
    )
    .await
    .unwrap();
    let approve = |check: slipway_api::SlaCheckDto| {
        check
            .clocks
            .into_iter()
            .find(|r| r.clock.stage == ClockStageDto::Approve)
            .unwrap()
            .clock
    };
    let during = approve(
        sla_check(&ws, Some("2026-11-23T08:30:00Z"), &nine)
            .await
            .unwrap(),
    );
    assert!(during.paused && !during.running_now);
    assert_eq!(during.elapsed_seconds, 15 * 60);
    let after = approve(
        sla_check(&ws, Some("2026-11-23T09:00:00Z"), &nine)
            .await
            .unwrap(),
    );
    assert_eq!((after.elapsed_seconds, after.percent), (30 * 60, 50.0));
    assert_eq!(after.due_at.as_deref(), Some("2026-11-23T09:30:00Z"));

    // "I'm on it" names a clock that runs; a typo is refused, not taken as a success.
    let typo = acknowledge_clock(&ws, &format!("cr/{id}/aprove"), "bo@x", &nine).await;
    assert_eq!(typo.unwrap_err().code, ErrorCode::InvalidInput);
    let early = acknowledge_clock(&ws, &format!("cr/{id}/approve"), "bo@x", &nine).await;
    assert_eq!(
        early.unwrap_err().code,
        ErrorCode::NotAllowed,
        "nothing breached yet"
    );
    // Breached at 09:30 (the freeze moved it); acknowledged at 09:40: the watcher stores the
    // breach but none of the hourly reminders after it.
    acknowledge_clock(
        &ws,
        &format!("cr/{id}/approve"),
        "bo@x",
        &FixedClock(monday(9, 40)),
    )
    .await
    .unwrap();
    let pass = watch_pass(&ws, &mut RepoCache::new(), &FixedClock(monday(12, 0)), "w")
        .await
        .unwrap();
    let approve: Vec<&str> = pass
        .new_events
        .iter()
        .filter(|e| e.clock_key == format!("cr/{id}/approve"))
        .map(|e| e.threshold.as_str())
        .collect();
    assert_eq!(approve, ["warn-50", "warn-75", "breach"]);
}
