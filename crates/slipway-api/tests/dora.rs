//! Delivery metrics through the API on a real demo workspace: Slipway's own runs beside the
//! reflog's month (a failed promotion, its rollback, the promotion after it), an emergency
//! request linked to a change shipped, a window without deployments, bad asks refused, and CSV.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use slipway_api::{
    create_demo, dora, dora_csv, open_request, promote, rollback, save_deploy_action, unhold,
    Cancel, DeployActionDto, DeploymentKindDto, DeploymentSourceDto, DeploymentStatusDto,
    DoraAskDto, DoraMetricDto, ErrorCode, FailureRuleDto, NewRequestDto, PromoteInputDto,
    RepoCache, RollbackInputDto, RunContext, UnplannedDto, Workspace,
};
use slipway_core::FixedClock;

fn run(ws: &Workspace, clock: FixedClock) -> RunContext {
    RunContext::new(ws.clone(), "rm@x", Arc::new(|_| {}), Cancel::new()).with_clock(clock)
}

fn command_action(env: &str, argv: &[&str]) -> DeployActionDto {
    DeployActionDto {
        project: "payments".into(),
        environment: env.into(),
        kind: "command".into(),
        method: String::new(),
        url: String::new(),
        headers: vec![],
        body: String::new(),
        argv: argv.iter().map(|a| a.to_string()).collect(),
        timeout_secs: 5,
        verify_url: String::new(),
        verify_timeout_secs: 5,
        verify_interval_secs: 1,
        token: None,
        has_token: false,
        variables: vec![],
    }
}

fn staging(days: Option<i64>, since: Option<&str>) -> DoraAskDto {
    DoraAskDto {
        project: None,
        environment: Some("staging".into()),
        since: since.map(String::from),
        days,
        failure_window_hours: None,
    }
}

/// The unix times of a ref's reflog entries.
fn reflog_times(repo: &std::path::Path, refname: &str) -> Vec<i64> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["reflog", "show", "--date=unix", "--format=%gd", refname])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once("@{")?.1.trim_end_matches('}').parse().ok())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slipway_runs_and_the_reflog_make_one_record() {
    let tmp = tempfile::tempdir().unwrap();
    // Monday 10:00 UTC: the demo's staging record ends 26 h earlier.
    let anchor = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
    create_demo(tmp.path(), anchor).await.unwrap();
    let ws = Workspace::open(tmp.path()).await.unwrap();
    let repo = tmp.path().join("repos/payments");
    let at = |minutes: i64| FixedClock(anchor + Duration::minutes(minutes));
    let mut repos = RepoCache::new();

    // +5 min: a promotion whose deploy command fails after the push (recorded failed);
    // +35 min: its rollback; +2 h: the promotion again, with a command that works.
    save_deploy_action(&ws, &command_action("staging", &["false"]), "rm@x", &at(0))
        .await
        .unwrap();
    let input = PromoteInputDto {
        project: "payments".into(),
        environment: "staging".into(),
        to: None,
        expected_from: None,
        override_reason: None,
        guard_override_reason: None,
        accept_ride_along: true,
    };
    let failed = promote(&run(&ws, at(5)), &input).await.unwrap();
    // The rollback and what follows run a command that works.
    save_deploy_action(&ws, &command_action("staging", &["true"]), "rm@x", &at(6))
        .await
        .unwrap();
    assert_eq!(
        failed.status,
        DeploymentStatusDto::Failed,
        "{}",
        failed.reason
    );
    let back = rollback(
        &run(&ws, at(35)),
        &RollbackInputDto {
            project: "payments".into(),
            environment: "staging".into(),
            to: None,
            reason: "the deploy command failed".into(),
            mark_bad: vec![],
            override_reason: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        back.status,
        DeploymentStatusDto::Succeeded,
        "{}",
        back.reason
    );
    unhold(&ws, "payments", "staging", "rm@x", &at(40))
        .await
        .unwrap();
    let again = promote(&run(&ws, at(120)), &input).await.unwrap();
    assert_eq!(
        again.status,
        DeploymentStatusDto::Succeeded,
        "{}",
        again.reason
    );
    // An emergency request linked to a change the last promotion shipped.
    let shipped = again
        .changes
        .last()
        .cloned()
        .expect("the promotion shipped changes");
    let request = open_request(
        &ws,
        &NewRequestDto {
            project: "payments".into(),
            kind: "emergency".into(),
            severity: "sev2".into(),
            title: "Refunds stuck".into(),
            description: String::new(),
            requester: None,
            assignee: None,
            target_environment: Some("staging".into()),
            links: vec![shipped],
            opened_at: None,
        },
        "ana@x",
        &at(60),
    )
    .await
    .unwrap();

    let d = dora(&ws, &mut repos, &staging(Some(30), None), &at(180))
        .await
        .unwrap();
    assert_eq!(
        (d.project.as_str(), d.environment.as_str(), d.days),
        ("payments", "staging", 30)
    );
    // Every reflog move in the window counts once; the runs' own moves are the runs (their
    // local reflog entries carry the wall clock, outside this fixed-clock window).
    let from = anchor.timestamp() + 180 * 60 - 30 * 86_400;
    let to = anchor.timestamp() + 180 * 60;
    let moves = reflog_times(&repo, "deploy/staging")
        .into_iter()
        .filter(|t| (from..to).contains(t))
        .count();
    let by = |s: DeploymentSourceDto| d.deployments.iter().filter(|x| x.source == s).count();
    assert_eq!(by(DeploymentSourceDto::Slipway), 3);
    assert_eq!(by(DeploymentSourceDto::Reflog), moves);
    assert_eq!(d.deployments.len(), moves + 3);

    let runs: Vec<_> = d.deployments.iter().rev().take(3).rev().collect();
    assert_eq!(
        runs.iter().map(|x| (x.kind, x.run)).collect::<Vec<_>>(),
        vec![
            (DeploymentKindDto::Promote, Some(failed.id)),
            (DeploymentKindDto::Rollback, Some(back.id)),
            (DeploymentKindDto::Promote, Some(again.id)),
        ]
    );
    let failure = runs[0].failure.as_ref().expect("the failed run failed");
    assert_eq!(failure.rule, FailureRuleDto::RecordedFailed);
    // Restored by the rollback 30 minutes later.
    assert_eq!(failure.recovery_seconds, Some(30 * 60));
    assert_eq!(failure.restored_kind, Some(DeploymentKindDto::Rollback));
    assert_eq!(runs[1].unplanned, Some(UnplannedDto::Rollback));
    assert!(runs[1].failure.is_none());
    // Both promotions shipped the request's change: the failed one first, the one after the
    // rollback again; each is rework. Its lead time counts from the first.
    for promoted in [runs[0], runs[2]] {
        assert_eq!(promoted.unplanned, Some(UnplannedDto::Emergency));
        assert_eq!(promoted.request, Some(request.summary.id));
    }
    assert_eq!(runs[0].changes, failed.changes);
    assert!(runs[2].changes.is_empty());

    let figure = |m: DoraMetricDto| d.figures.iter().find(|f| f.metric == m).unwrap().clone();
    let fail = figure(DoraMetricDto::ChangeFailRate);
    let failed_count = d.deployments.iter().filter(|x| x.failure.is_some()).count();
    assert_eq!(
        fail.value,
        Some(failed_count as f64 / d.deployments.len() as f64)
    );
    assert_eq!(fail.count as usize, d.deployments.len());
    let rework = figure(DoraMetricDto::ReworkRate);
    let unplanned = d
        .deployments
        .iter()
        .filter(|x| x.unplanned.is_some())
        .count();
    assert!(unplanned >= 2);
    assert_eq!(
        rework.value,
        Some(unplanned as f64 / d.deployments.len() as f64)
    );
    let lead = figure(DoraMetricDto::LeadTime);
    assert_eq!(lead.count as usize, d.changes.len());
    assert!(lead.value.is_some() && lead.band.is_some());
    assert_eq!(d.stages.len(), 2, "merged → qa, qa → staging");
    assert_eq!(d.stages[1].label, "qa → staging");
    // Weeks add up to the window.
    let weekly: i64 = d.weeks.iter().map(|w| w.deployments).sum();
    assert_eq!(weekly as usize, d.deployments.len());

    // CSV: the window, then a row per week.
    let csv = dora_csv(&d).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert!(
        rows[0].starts_with("period,start,deployments,per_week"),
        "{}",
        rows[0]
    );
    assert_eq!(rows.len(), 2 + d.weeks.len());
    assert!(rows[1].starts_with(&format!("window,{},{}", d.from, d.deployments.len())));

    // A window with no deployment says so: no rate, no band.
    let quiet = dora(
        &ws,
        &mut repos,
        &staging(None, Some("2026-11-23T12:30:00Z")),
        &at(240),
    )
    .await
    .unwrap();
    assert!(quiet.deployments.is_empty());
    assert!(quiet
        .empty
        .as_deref()
        .unwrap()
        .starts_with("No deployments to staging of payments"));
    for f in &quiet.figures {
        assert!(f.value.is_none(), "{:?}", f.metric);
        assert!(f.band.is_none());
    }
    assert_eq!(quiet.figures[2].shown, "no deployments");

    // Bad asks are refused with the reason; production is the default environment.
    for (ask, words) in [
        (
            DoraAskDto {
                environment: Some("prod".into()),
                ..staging(None, None)
            },
            "has no environment \"prod\"; it has qa, staging, production",
        ),
        (staging(Some(0), None), "0 days is out of range"),
        (staging(Some(30), Some("2026-11-01")), "not both"),
        (staging(None, Some("2027-01-01")), "not in the past"),
        (staging(None, Some("last week")), "is not a time"),
        (
            DoraAskDto {
                failure_window_hours: Some(0),
                ..staging(None, None)
            },
            "out of range",
        ),
        (
            DoraAskDto {
                project: Some("billing".into()),
                ..staging(None, None)
            },
            "no project named",
        ),
    ] {
        let e = dora(&ws, &mut repos, &ask, &at(240)).await.unwrap_err();
        assert!(
            e.message.contains(words),
            "{:?}: {} (wanted {words:?})",
            e.code,
            e.message
        );
        assert!(matches!(
            e.code,
            ErrorCode::InvalidInput | ErrorCode::ProjectMissing
        ));
    }
    let production = dora(&ws, &mut repos, &DoraAskDto::default(), &at(240))
        .await
        .unwrap();
    assert_eq!(production.environment, "production");
    // The demo month's production: a rollback three hours after the third deployment and a
    // hotfix five hours after the fifth, each marking the deployment before it failed.
    let rules: Vec<FailureRuleDto> = production
        .deployments
        .iter()
        .filter_map(|x| Some(x.failure.as_ref()?.rule))
        .collect();
    assert!(rules.contains(&FailureRuleDto::RolledBack), "{rules:?}");
    assert!(rules.contains(&FailureRuleDto::HotfixFollowed), "{rules:?}");
    let hotfix = production
        .deployments
        .iter()
        .find(|x| x.kind == DeploymentKindDto::Hotfix)
        .unwrap();
    let hotfix_change = production
        .changes
        .iter()
        .find(|c| c.off_trunk)
        .expect("the hotfix's own commit");
    assert_eq!(hotfix.changes, vec![hotfix_change.sha.clone()]);
    // Authored 90 minutes before it was deployed, committed 20 minutes before.
    assert_eq!(hotfix_change.lead_seconds, 90 * 60);
    assert_eq!(hotfix_change.from_merge_seconds, 20 * 60);
}
