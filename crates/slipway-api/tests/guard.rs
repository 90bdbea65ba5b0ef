//! The config guard through the API on a real demo workspace: the planted leak blocks
//! production and goes through with an audited reason; the same kind of line only warns in
//! qa; a clean promotion has no finding; bad settings are refused and nothing is stored.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use slipway_api::{
    audit_export, create_demo, edit_guard, guard_settings, load_board, plan_hotfix, plan_promotion,
    promote, BlockerKindDto, Cancel, DeploymentStatusDto, ErrorCode, FindingKindDto, GateKindDto,
    GuardChangeDto, GuardModeDto, HotfixInputDto, MarkerOriginDto, OutcomeDto, PromoteInputDto,
    RunContext, Workspace,
};
use slipway_core::FixedClock;

use crate::support::git;

fn input(env: &str, guard_reason: Option<&str>) -> PromoteInputDto {
    PromoteInputDto {
        project: "payments".into(),
        environment: env.into(),
        to: None,
        expected_from: None,
        override_reason: None,
        guard_override_reason: guard_reason.map(String::from),
        accept_ride_along: true,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guard_blocks_the_leak_warns_elsewhere_and_refuses_bad_settings() {
    let tmp = tempfile::tempdir().unwrap();
    let anchor = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
    create_demo(tmp.path(), anchor).await.unwrap();
    let ws = Workspace::open(tmp.path()).await.unwrap();
    let clock = FixedClock(anchor);

    // What was learned, from where.
    let settings = guard_settings(&ws, "payments").await.unwrap();
    let perf = settings
        .markers
        .iter()
        .find(|m| m.text == "orders.perf.payments.example")
        .expect("perf's orders host is learned");
    assert_eq!(
        (perf.environment.as_str(), perf.origin, perf.source.as_str()),
        (
            "perf",
            MarkerOriginDto::Learned,
            "learned from config/perf.toml:3"
        )
    );
    assert_eq!(
        settings
            .modes
            .iter()
            .map(|m| (m.environment.as_str(), m.mode))
            .collect::<Vec<_>>(),
        vec![
            ("qa", GuardModeDto::Warn),
            ("staging", GuardModeDto::Warn),
            ("production", GuardModeDto::Block)
        ]
    );

    // A clean promotion: qa's queue touches only source files.
    let clean = plan_promotion(&ws, &input("qa", None), &clock)
        .await
        .unwrap();
    assert!(
        clean.preview.guard.findings.is_empty(),
        "{:?}",
        clean.preview.guard.findings
    );
    assert!(clean.preview.guard.files_read > 0);
    assert!(clean.allowed);

    // Production: the demo's leak blocks, naming the line, the environment and the change.
    let blocked = plan_promotion(&ws, &input("production", None), &clock)
        .await
        .unwrap();
    assert!(!blocked.allowed);
    let kinds: Vec<(FindingKindDto, &str, u32, bool)> = blocked
        .preview
        .guard
        .findings
        .iter()
        .map(|f| (f.kind, f.path.as_str(), f.line, f.blocks))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                FindingKindDto::ForeignMarker,
                "config/production.toml",
                3,
                true
            ),
            (
                FindingKindDto::DeniedSetting,
                "config/production.toml",
                3,
                true
            ),
        ]
    );
    assert!(blocked
        .preview
        .guard
        .findings
        .iter()
        .all(|f| f.change_title.as_deref() == Some(slipway_git::LEAK_TITLE)));
    let refused = promote(
        &RunContext::new(ws.clone(), "rm@x", Arc::new(|_| {}), Cancel::new()).with_clock(clock),
        &input("production", None),
    )
    .await
    .unwrap_err();
    assert_eq!(refused.code, ErrorCode::GateBlocked);
    assert!(
        refused
            .message
            .contains("config/production.toml:3 carries perf's “orders.perf.payments.example”"),
        "{}",
        refused.message
    );

    // The board marks the change that brought the line, in production's queue.
    let leak = blocked.preview.guard.findings[0].change.clone().unwrap();
    let board = load_board(&ws, &clock).await.unwrap();
    let production = board.projects[0]
        .environments
        .iter()
        .find(|e| e.name == "production")
        .unwrap();
    let marked: Vec<(&str, &str)> = production
        .queue
        .iter()
        .flat_map(|q| {
            q.blockers
                .iter()
                .filter(|b| b.kind == BlockerKindDto::ConfigGuard)
                .map(move |b| (q.change.sha.as_str(), b.sentence.as_str()))
        })
        .collect();
    assert_eq!(marked.len(), 2, "{marked:?}");
    assert!(marked.iter().all(|(sha, _)| *sha == leak));
    assert!(
        marked[0]
            .1
            .starts_with("the config guard blocks it for production: config/production.toml:3"),
        "{marked:?}"
    );

    // The hotfix lane reads the fix's own lines: the leak as a hotfix is blocked until a
    // reason is given.
    let hotfix_of = |reason: Option<&str>| HotfixInputDto {
        project: "payments".into(),
        environment: "production".into(),
        fix: leak.clone(),
        override_reason: None,
        guard_override_reason: reason.map(String::from),
    };
    let verdicts = plan_hotfix(&ws, &hotfix_of(None), &clock).await.unwrap();
    assert!(
        verdicts
            .iter()
            .any(|v| v.kind == GateKindDto::Config && v.outcome == OutcomeDto::Block),
        "{verdicts:?}"
    );
    let verdicts = plan_hotfix(&ws, &hotfix_of(Some("the perf host is right")), &clock)
        .await
        .unwrap();
    assert!(
        verdicts.iter().all(|v| v.outcome != OutcomeDto::Block),
        "{verdicts:?}"
    );

    // The same kind of line to qa only warns: a shared file names perf's host.
    let repo = tmp.path().join("repos/payments");
    let app = repo.join("config/app.toml");
    let mut text = std::fs::read_to_string(&app).unwrap();
    text.push_str("fallback_orders = \"https://orders.perf.payments.example:8443/v1\"\n");
    std::fs::write(&app, text).unwrap();
    git(
        &repo,
        &["commit", "-qam", "Fall back to the perf orders host"],
    );
    let warned = plan_promotion(&ws, &input("qa", None), &clock)
        .await
        .unwrap();
    assert!(warned.allowed, "{:?}", warned.verdicts);
    let v: Vec<(GateKindDto, OutcomeDto)> = warned
        .verdicts
        .iter()
        .filter(|v| v.kind == GateKindDto::Config)
        .map(|v| (v.kind, v.outcome))
        .collect();
    assert_eq!(v, vec![(GateKindDto::Config, OutcomeDto::Warn)]);

    // With a reason it goes through, and the audit log keeps the reason and the lines.
    let done = promote(
        &RunContext::new(ws.clone(), "rm@x", Arc::new(|_| {}), Cancel::new()).with_clock(clock),
        &input(
            "production",
            Some("the perf host is the new shared gateway"),
        ),
    )
    .await
    .unwrap();
    assert_eq!(
        done.status,
        DeploymentStatusDto::Succeeded,
        "{}",
        done.reason
    );
    let log = audit_export(&ws, "csv").await.unwrap();
    assert!(
        log.contains("overrode the config guard to promote production: overridden: the perf host is the new shared gateway (config/production.toml:3)"),
        "{log}"
    );

    // Bad settings: refused with what is wrong; nothing stored.
    let before = guard_settings(&ws, "payments").await.unwrap();
    let bad = [
        (
            GuardChangeDto::AddMarker {
                environment: "perf".into(),
                text: "ab".into(),
            },
            "The marker “ab” is too short",
        ),
        (
            GuardChangeDto::AddMarker {
                environment: "nowhere".into(),
                text: "orders.example".into(),
            },
            "has no environment \"nowhere\"",
        ),
        (
            GuardChangeDto::SetGlobs {
                globs: Some(vec!["config/<env>/[".into()]),
            },
            "is not a valid glob",
        ),
        (
            GuardChangeDto::SetGlobs {
                globs: Some(vec!["config/*.toml".into()]),
            },
            "has no <env>",
        ),
        (
            GuardChangeDto::AddDenied {
                environment: "production".into(),
                pattern: "debug(".into(),
                why: "debug".into(),
            },
            "is not a valid regular expression",
        ),
    ];
    for (change, want) in bad {
        let e = edit_guard(&ws, "payments", &change, "rm@x", &clock)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.contains(want), "{}", e.message);
    }
    let after = guard_settings(&ws, "payments").await.unwrap();
    assert_eq!(
        format!("{:?}", before.markers),
        format!("{:?}", after.markers)
    );
    assert_eq!(before.globs, after.globs);
    assert_eq!(before.denied.len(), after.denied.len());

    // Warn mode for production: the next leak would not block.
    let set = edit_guard(
        &ws,
        "payments",
        &GuardChangeDto::SetMode {
            environment: "production".into(),
            mode: GuardModeDto::Warn,
        },
        "rm@x",
        &clock,
    )
    .await
    .unwrap();
    assert!(set
        .modes
        .iter()
        .any(|m| m.environment == "production" && m.mode == GuardModeDto::Warn && !m.default));
}
