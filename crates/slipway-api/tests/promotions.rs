//! Promotion through the API on a real demo workspace: gates and sign-offs, a deploy webhook
//! and a health check served on loopback, a webhook failing after the push (recorded as
//! failed, rollback offered), the rollback's hold, follow-up and bad mark, the hotfix lane,
//! and settings refused at save time.

use std::sync::{Arc, Mutex};

use chrono::{TimeZone, Utc};
use slipway_api::{
    audit_verify, create_demo, deploy_action, follow_ups, history, hotfix, plan_promotion, promote,
    rollback, save_deploy_action, save_person, set_signoff_rule, signoff, unhold, Cancel,
    DeployActionDto, DeploymentStatusDto, ErrorCode, GateKindDto, HotfixInputDto, OutcomeDto,
    Progress, PromoteInputDto, RollbackInputDto, RunContext, SignoffInputDto, Workspace,
};
use slipway_core::FixedClock;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A loopback HTTP sink: records each request's head and body and answers with the next
/// scripted status (the last one repeats).
#[derive(Clone, Default)]
struct Sink {
    seen: Arc<Mutex<Vec<String>>>,
    statuses: Arc<Mutex<Vec<u16>>>,
}

impl Sink {
    async fn start(statuses: &[u16]) -> (Sink, String) {
        let sink = Sink {
            seen: Arc::default(),
            statuses: Arc::new(Mutex::new(statuses.to_vec())),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let s = sink.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let s = s.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    loop {
                        let n = socket.read(&mut chunk).await.unwrap_or(0);
                        if n == 0 {
                            break;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                        let text = String::from_utf8_lossy(&buf).to_string();
                        if let Some(end) = text.find("\r\n\r\n") {
                            let length = text[..end]
                                .lines()
                                .find_map(|l| {
                                    l.to_ascii_lowercase()
                                        .strip_prefix("content-length:")
                                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                                })
                                .unwrap_or(0);
                            if buf.len() >= end + 4 + length {
                                break;
                            }
                        }
                    }
                    s.seen
                        .lock()
                        .unwrap()
                        .push(String::from_utf8_lossy(&buf).to_string());
                    let status = {
                        let mut st = s.statuses.lock().unwrap();
                        if st.len() > 1 {
                            st.remove(0)
                        } else {
                            st[0]
                        }
                    };
                    let body = format!("status {status}");
                    let answer = format!(
                        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(answer.as_bytes()).await;
                });
            }
        });
        (sink, url)
    }
}

fn quiet() -> Progress {
    Arc::new(|_| {})
}

/// A run by the release manager on the test's clock, quiet and never cancelled.
fn run(ws: &Workspace, clock: FixedClock) -> RunContext {
    RunContext::new(ws.clone(), "rm@x", quiet(), Cancel::new()).with_clock(clock)
}

fn webhook(env: &str, url: &str, verify: &str) -> DeployActionDto {
    DeployActionDto {
        project: "payments".into(),
        environment: env.into(),
        kind: "webhook".into(),
        method: "POST".into(),
        url: format!("{url}/deploy/{{{{environment}}}}"),
        headers: vec![slipway_api::HeaderDto {
            name: "X-Slipway-Kind".into(),
            value: "{{kind}}".into(),
        }],
        body: r#"{"sha":"{{to_sha}}","by":"{{by}}","changes":"{{changes}}"}"#.into(),
        argv: vec![],
        timeout_secs: 5,
        verify_url: verify.into(),
        verify_timeout_secs: 5,
        verify_interval_secs: 1,
        token: None,
        has_token: false,
        variables: vec![],
    }
}

fn promote_input(env: &str) -> PromoteInputDto {
    PromoteInputDto {
        project: "payments".into(),
        environment: env.into(),
        to: None,
        expected_from: None,
        override_reason: None,
        guard_override_reason: None,
        accept_ride_along: false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn promote_gate_fail_and_roll_back() {
    let tmp = tempfile::tempdir().unwrap();
    let anchor = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
    create_demo(tmp.path(), anchor).await.unwrap();
    let ws = Workspace::open(tmp.path()).await.unwrap();
    let clock = FixedClock(anchor + chrono::Duration::minutes(5));
    let origin = tmp.path().join("repos/payments.git");
    let remote_at = |r: &str| {
        let out = std::process::Command::new("git")
            .arg("--git-dir")
            .arg(&origin)
            .args(["rev-parse", r])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };

    // Settings that cannot work are refused at save time, and nothing is stored.
    let (sink, url) = Sink::start(&[200]).await;
    for (bad, code) in [
        (
            DeployActionDto {
                url: "file:///etc/passwd".into(),
                ..webhook("qa", &url, "")
            },
            ErrorCode::InvalidInput,
        ),
        (
            DeployActionDto {
                body: "{{secret}}".into(),
                ..webhook("qa", &url, "")
            },
            ErrorCode::InvalidInput,
        ),
        (
            DeployActionDto {
                verify_url: "ftp://x.example/health".into(),
                ..webhook("qa", &url, "")
            },
            ErrorCode::InvalidInput,
        ),
        (
            DeployActionDto {
                kind: "command".into(),
                argv: vec![],
                ..webhook("qa", &url, "")
            },
            ErrorCode::InvalidInput,
        ),
    ] {
        let e = save_deploy_action(&ws, &bad, "rm@x", &clock)
            .await
            .unwrap_err();
        assert_eq!(e.code, code, "{}", e.message);
        assert_eq!(
            deploy_action(&ws, "payments", "qa").await.unwrap().kind,
            "none"
        );
    }
    assert_eq!(audit_verify(&ws).await.unwrap().entries, 0);

    // qa: a webhook and a health check on loopback.
    save_deploy_action(
        &ws,
        &webhook("qa", &url, &format!("{url}/health")),
        "rm@x",
        &clock,
    )
    .await
    .unwrap();
    let plan = plan_promotion(&ws, &promote_input("qa"), &clock)
        .await
        .unwrap();
    assert!(plan.allowed);
    assert!(plan.action.starts_with("POST "), "{}", plan.action);
    let lines = Arc::new(Mutex::new(Vec::new()));
    let l = lines.clone();
    let progress: Progress =
        Arc::new(move |p| l.lock().unwrap().push(format!("{}: {}", p.step, p.line)));
    let done = promote(
        &RunContext::new(ws.clone(), "rm@x", progress, Cancel::new()).with_clock(clock),
        &promote_input("qa"),
    )
    .await
    .unwrap();
    assert_eq!(
        done.status,
        DeploymentStatusDto::Succeeded,
        "{}",
        done.reason
    );
    assert_eq!(remote_at("deploy/qa"), done.to_sha);
    let seen = sink.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "one deploy call and one health poll");
    let call = &seen[0];
    assert!(call.starts_with("POST /deploy/qa HTTP/1.1"), "{call}");
    assert!(call
        .to_ascii_lowercase()
        .contains(&format!("idempotency-key: slipway-deployment-{}", done.id)));
    assert!(call
        .to_ascii_lowercase()
        .contains("x-slipway-kind: promote"));
    assert!(call.contains(&format!(r#"{{"sha":"{}","by":"rm@x""#, done.to_sha)));
    assert!(seen[1].starts_with("GET /health"));
    let lines = lines.lock().unwrap().clone();
    for step in ["lock:", "push:", "action:", "verify:", "record:"] {
        assert!(
            lines.iter().any(|l| l.starts_with(step)),
            "{step} in {lines:?}"
        );
    }

    // staging: a sign-off rule. Blocked until a QA person signs the target off; the
    // author cannot; the earlier changes ride along and must be confirmed.
    save_person(&ws, "qa@x", "Quinn", &["qa".into()])
        .await
        .unwrap();
    set_signoff_rule(&ws, "payments", "staging", 1, Some("qa"), "rm@x", &clock)
        .await
        .unwrap();
    let plan = plan_promotion(&ws, &promote_input("staging"), &clock)
        .await
        .unwrap();
    assert!(!plan.allowed);
    let target = plan.preview.to.clone().unwrap();
    let e = promote(&run(&ws, clock), &promote_input("staging"))
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::GateBlocked, "{}", e.message);
    let sign = |by: &'static str| {
        let input = SignoffInputDto {
            project: "payments".into(),
            environment: "staging".into(),
            sha: target.sha.clone(),
            verdict: "approve".into(),
            comment: String::new(),
        };
        let ws = &ws;
        let clock = &clock;
        async move { signoff(ws, &input, by, clock).await }
    };
    assert_eq!(
        sign("rm@x").await.unwrap_err().code,
        ErrorCode::NotAllowed,
        "no qa role"
    );
    let author: &'static str = Box::leak(target.author_email.clone().into_boxed_str());
    save_person(&ws, author, "Author", &["qa".into()])
        .await
        .unwrap();
    assert_eq!(sign(author).await.unwrap_err().code, ErrorCode::NotAllowed);
    sign("qa@x").await.unwrap();
    let plan = plan_promotion(&ws, &promote_input("staging"), &clock)
        .await
        .unwrap();
    assert!(plan.allowed);
    assert_eq!(plan.ride_along.len(), plan.preview.shipping.len() - 1);
    let e = promote(&run(&ws, clock), &promote_input("staging"))
        .await
        .unwrap_err();
    assert!(e.message.contains("ride along"), "{}", e.message);

    // The webhook answers 500 after the push: recorded as failed, a rollback offered.
    let (failing, bad_url) = Sink::start(&[500]).await;
    save_deploy_action(&ws, &webhook("staging", &bad_url, ""), "rm@x", &clock)
        .await
        .unwrap();
    let before = remote_at("deploy/staging");
    let failed = promote(
        &run(&ws, clock),
        &PromoteInputDto {
            accept_ride_along: true,
            ..promote_input("staging")
        },
    )
    .await
    .unwrap();
    assert_eq!(failed.status, DeploymentStatusDto::Failed);
    assert!(failed.reason.contains("500"), "{}", failed.reason);
    assert!(failed.offer_rollback);
    assert_eq!(failing.seen.lock().unwrap().len(), 1);
    assert_eq!(remote_at("deploy/staging"), failed.to_sha);

    // Roll back: the ref goes back, a hold and a follow-up, the target marked bad.
    save_deploy_action(
        &ws,
        &DeployActionDto {
            kind: "none".into(),
            ..webhook("staging", &url, "")
        },
        "rm@x",
        &clock,
    )
    .await
    .unwrap();
    let back = rollback(
        &run(&ws, clock),
        &RollbackInputDto {
            project: "payments".into(),
            environment: "staging".into(),
            to: None,
            reason: "500s from the deploy hook".into(),
            mark_bad: vec![failed.to_sha.clone()],
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
    assert_eq!(back.to_sha, before);
    assert_eq!(remote_at("deploy/staging"), before);
    let e = promote(&run(&ws, clock), &promote_input("staging"))
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::GateBlocked);
    assert!(e.message.contains("on hold"), "{}", e.message);
    let opened = follow_ups(&ws, false, &clock).await.unwrap();
    assert_eq!(opened.len(), 1);
    // Owned by whoever rolled back, due 10 days later (the project names no calendar: 24×7),
    // linked to the rollback and to the deployment it undid.
    assert_eq!(opened[0].owner.as_deref(), Some("rm@x"));
    assert_eq!(opened[0].deployment, Some(back.id));
    assert_eq!(opened[0].rolled_back, Some(failed.id));
    assert_eq!(
        slipway_api::FollowUpStatusDto::Open,
        opened[0].status,
        "{:?}",
        opened[0]
    );
    unhold(&ws, "payments", "staging", "rm@x", &clock)
        .await
        .unwrap();
    let plan = plan_promotion(&ws, &promote_input("staging"), &clock)
        .await
        .unwrap();
    assert!(plan
        .verdicts
        .iter()
        .any(|v| v.kind == GateKindDto::Bad && v.outcome == OutcomeDto::Block));

    // The hotfix lane: the second queued change of production alone, cherry-picked.
    let plan = plan_promotion(&ws, &promote_input("production"), &clock)
        .await
        .unwrap();
    let fix = plan.preview.shipping[1].clone();
    let before = remote_at("deploy/production");
    let d = hotfix(
        &run(&ws, clock),
        &HotfixInputDto {
            project: "payments".into(),
            environment: "production".into(),
            fix: fix.sha.clone(),
            override_reason: None,
            guard_override_reason: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(d.status, DeploymentStatusDto::Succeeded, "{}", d.reason);
    assert_ne!(d.to_sha, fix.sha, "a new commit on production's line");
    assert_eq!(remote_at(&format!("{}^", d.to_sha)), before);
    assert_eq!(d.changes, vec![fix.sha.clone()]);
    // Its commit says what it is: the change's title and PR, no merge boilerplate on a
    // single-parent commit, where it was picked from, and who ran it as committer.
    let log = |format: &str| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(tmp.path().join("repos/payments"))
            .args(["log", "-1", &format!("--format={format}"), &d.to_sha])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let message = log("%B");
    let pr = fix.pr.expect("the demo's changes have PR numbers");
    assert!(
        message.starts_with(&format!("{} (#{pr})", fix.title)),
        "{message}"
    );
    assert!(!message.contains("Merge pull request"), "{message}");
    assert!(
        message.ends_with(&format!("(cherry picked from commit {})", fix.sha)),
        "{message}"
    );
    assert_eq!(
        log("%P").split_whitespace().count(),
        1,
        "a single-parent commit"
    );
    assert_eq!(log("%ce"), "rm@x");

    // Someone moves production on the remote behind Slipway's back: the push is refused by
    // its lease, the run is recorded as failed without moving anything, no rollback offered.
    let other = tmp.path().join("other");
    let git = |dir: &std::path::Path, args: &[&str]| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .env("GIT_AUTHOR_NAME", "Other")
            .env("GIT_AUTHOR_EMAIL", "other@x")
            .env("GIT_COMMITTER_NAME", "Other")
            .env("GIT_COMMITTER_EMAIL", "other@x")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(
        tmp.path(),
        &["clone", "-q", origin.to_str().unwrap(), "other"],
    );
    git(&other, &["checkout", "-q", "deploy/production"]);
    git(
        &other,
        &["commit", "-q", "--allow-empty", "-m", "hand-made change"],
    );
    git(&other, &["push", "-q", "origin", "deploy/production"]);
    let moved_to = remote_at("deploy/production");
    // The demo's planted config leak: production's queue carries the perf-test host into
    // config/production.toml, and the config guard blocks it with the line and the change.
    let plan = plan_promotion(&ws, &promote_input("production"), &clock)
        .await
        .unwrap();
    assert!(!plan.allowed);
    let leak = plan
        .preview
        .guard
        .findings
        .iter()
        .find(|f| f.kind == slipway_api::FindingKindDto::ForeignMarker)
        .expect("the demo's leak is found");
    assert_eq!(
        (
            leak.path.as_str(),
            leak.line,
            leak.matched.as_str(),
            leak.environment.as_str()
        ),
        (
            "config/production.toml",
            3,
            "orders.perf.payments.example",
            "perf"
        )
    );
    assert_eq!(leak.rule, "learned from config/perf.toml:3");
    assert_eq!(
        leak.change_title.as_deref(),
        Some(slipway_git::LEAK_TITLE),
        "the finding names the change that introduced it"
    );
    assert!(plan
        .verdicts
        .iter()
        .any(|v| v.kind == GateKindDto::Config && v.outcome == OutcomeDto::Block));
    let past_guard = PromoteInputDto {
        guard_override_reason: Some("the perf host is the new shared gateway".into()),
        ..promote_input("production")
    };
    let plan = plan_promotion(&ws, &past_guard, &clock).await.unwrap();
    assert!(plan.allowed, "{:?}", plan.verdicts);
    let refused = promote(&run(&ws, clock), &past_guard).await.unwrap();
    assert_eq!(refused.status, DeploymentStatusDto::Failed);
    assert!(
        refused.reason.contains("moved since you looked"),
        "{}",
        refused.reason
    );
    assert!(!refused.offer_rollback);
    assert_eq!(
        remote_at("deploy/production"),
        moved_to,
        "nothing pushed over it"
    );

    let all = history(&ws, "payments", None, 50, &clock).await.unwrap();
    assert!(all.len() >= 3);
    let verified = audit_verify(&ws).await.unwrap();
    assert!(verified.ok, "{:?}", verified.problem);
}

/// Cancelling a running deploy action stops it at once: the run is recorded as failed with
/// the reason, and since the ref had moved, a rollback is offered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_deploy_action_is_recorded_as_failed() {
    let tmp = tempfile::tempdir().unwrap();
    let anchor = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
    create_demo(tmp.path(), anchor).await.unwrap();
    let ws = Workspace::open(tmp.path()).await.unwrap();
    let clock = FixedClock(anchor + chrono::Duration::minutes(5));
    save_deploy_action(
        &ws,
        &DeployActionDto {
            kind: "command".into(),
            argv: vec!["sleep".into(), "30".into()],
            timeout_secs: 60,
            ..webhook("qa", "http://127.0.0.1:9", "")
        },
        "rm@x",
        &clock,
    )
    .await
    .unwrap();
    let cancel = Cancel::new();
    let c = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        c.cancel();
    });
    let started = std::time::Instant::now();
    let d = promote(
        &RunContext::new(ws.clone(), "rm@x", quiet(), cancel.clone()).with_clock(clock),
        &promote_input("qa"),
    )
    .await
    .unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(d.status, DeploymentStatusDto::Failed);
    assert!(d.reason.contains("cancel"), "{}", d.reason);
    assert!(d.offer_rollback);
    let again = promote(&run(&ws, clock), &promote_input("qa"))
        .await
        .unwrap_err();
    assert_eq!(
        again.code,
        ErrorCode::NotAllowed,
        "the environment is free again: {}",
        again.message
    );
}
