//! Promotions by real `slipway` processes on SQLite and on PostgreSQL: several processes
//! promoting one environment at once (exactly one promotion happens), and a process killed
//! right after the ref push, after the deploy action and before the record (the next start
//! reconciles: nothing lost, nothing recorded twice).

#[path = "../../slipway-store/tests/support/pg.rs"]
pub(crate) mod pg;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub(crate) struct Ws {
    pub(crate) dir: PathBuf,
    pub(crate) repo: PathBuf,
    pub(crate) origin: PathBuf,
}

pub(crate) fn slipway(ws: &Ws, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_slipway"));
    cmd.arg("--workspace")
        .arg(&ws.dir)
        .args(args)
        .env("SLIPWAY_USER", "rm@example.com")
        .env_remove("SLIPWAY_WORKSPACE")
        .env_remove("SLIPWAY_FAILPOINT");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

pub(crate) fn run(ws: &Ws, args: &[&str]) -> Output {
    let out = slipway(ws, args, &[]).output().expect("slipway runs");
    assert!(
        out.status.success(),
        "slipway {args:?} failed: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    out
}

pub(crate) fn json(ws: &Ws, args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.push("--json");
    serde_json::from_slice(&run(ws, &all).stdout).expect("JSON")
}

pub(crate) fn rev_parse(git_dir: &Path, r: &str) -> String {
    let out = Command::new("git")
        .arg("--git-dir")
        .arg(git_dir)
        .args(["rev-parse", r])
        .output()
        .unwrap();
    text(&out.stdout).trim().to_string()
}

/// A demo repository; the workspace is SQLite (`url` None) or a PostgreSQL database.
pub(crate) fn workspace(tmp: &Path, url: Option<&str>) -> Ws {
    let demo = tmp.join("demo");
    let made = Command::new(env!("CARGO_BIN_EXE_slipway"))
        .args(["demo", "--path"])
        .arg(&demo)
        .args(["--anchor", "2026-11-23T10:00:00Z"])
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", text(&made.stderr));
    let repo = demo.join("repos/payments");
    let origin = demo.join("repos/payments.git");
    let Some(url) = url else {
        return Ws {
            dir: demo,
            repo,
            origin,
        };
    };
    let dir = tmp.join("team");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("slipway.toml"),
        format!("database_url = \"{url}\"\n"),
    )
    .unwrap();
    let ws = Ws { dir, repo, origin };
    let repo_arg = ws.repo.display().to_string();
    run(
        &ws,
        &[
            "project",
            "add",
            "payments",
            "--repo",
            &repo_arg,
            "--env",
            "qa=branch:deploy/qa",
            "--env",
            "staging=branch:deploy/staging",
            "--env",
            "production=branch:deploy/production",
        ],
    );
    ws
}

/// Four processes promote qa at once; the deploy action takes a second, so the others arrive
/// while the first holds the environment. Exactly one promotion happens.
fn racing_promotions(ws: &Ws) {
    run(
        ws,
        &[
            "action",
            "set",
            "--project",
            "payments",
            "--env",
            "qa",
            "--timeout",
            "30",
            "--",
            "sleep",
            "1",
        ],
    );
    let before = rev_parse(&ws.origin, "deploy/qa");
    let recorded = json(ws, &["history", "--project", "payments", "--env", "qa"])
        .as_array()
        .unwrap()
        .len();
    // Six at once: the losers are refused (busy, or the environment moved once they held
    // the lock) and none is recorded as a failed deployment.
    let children: Vec<_> = (0..6)
        .map(|i| {
            let who = format!("rm{i}@example.com");
            slipway(
                ws,
                &[
                    "promote",
                    "--project",
                    "payments",
                    "--env",
                    "qa",
                    "--yes",
                    "--as",
                    &who,
                ],
                &[],
            )
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    let outputs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let winners = outputs.iter().filter(|o| o.status.success()).count();
    assert_eq!(winners, 1, "exactly one promotion succeeds");
    for o in outputs.iter().filter(|o| !o.status.success()) {
        let err = text(&o.stderr);
        assert!(
            err.contains("is in progress") || err.contains("moved"),
            "a loser is told why: {err}"
        );
    }
    let history = json(ws, &["history", "--project", "payments", "--env", "qa"]);
    let rows = history.as_array().unwrap();
    assert_eq!(
        rows.len(),
        recorded + 1,
        "one promotion recorded: {history}"
    );
    assert_eq!(rows[0]["status"], "succeeded");
    let after = rev_parse(&ws.origin, "deploy/qa");
    assert_ne!(before, after);
    assert_eq!(rows[0]["to_sha"], after.as_str());
    let local = Command::new("git")
        .arg("-C")
        .arg(&ws.repo)
        .args(["rev-parse", "deploy/qa"])
        .output()
        .unwrap();
    assert_eq!(text(&local.stdout).trim(), after);
    assert_eq!(json(ws, &["audit", "verify"])["ok"], true);
}

/// A run that takes the lock only after another moved the environment did nothing: it is
/// refused, recorded nowhere, and tells nobody of a failed deployment.
fn late_lock(ws: &Ws) {
    run(
        ws,
        &[
            "action",
            "set",
            "--project",
            "payments",
            "--env",
            "staging",
            "--none",
        ],
    );
    let gate = ws.dir.join("go-on");
    let late = slipway(
        ws,
        &[
            "promote",
            "--project",
            "payments",
            "--env",
            "staging",
            "--to",
            &queued_first(ws, "staging"),
            "--yes",
        ],
        &[
            ("SLIPWAY_FAILPOINT", "before-lock"),
            ("SLIPWAY_FAILPOINT_GATE", gate.to_str().unwrap()),
        ],
    )
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    // Once it has planned and waits at the lock, another promotion goes first.
    let waiting = ws.dir.join("go-on.waiting");
    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !waiting.exists() {
        assert!(
            std::time::Instant::now() < until,
            "the late run never reached the lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let rows = json(
        ws,
        &["history", "--project", "payments", "--env", "staging"],
    )
    .as_array()
    .unwrap()
    .len();
    run(
        ws,
        &[
            "promote",
            "--project",
            "payments",
            "--env",
            "staging",
            "--yes",
        ],
    );
    let moved = rev_parse(&ws.origin, "deploy/staging");
    std::fs::write(&gate, "").unwrap();
    let out = late.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("Refused, nothing was done") && err.contains("moved"),
        "{err}"
    );
    assert_eq!(
        rev_parse(&ws.origin, "deploy/staging"),
        moved,
        "the late run moved nothing"
    );
    let history = json(
        ws,
        &["history", "--project", "payments", "--env", "staging"],
    );
    assert_eq!(
        history.as_array().unwrap().len(),
        rows + 1,
        "only the first run: {history}"
    );
    assert_eq!(history[0]["status"], "succeeded");
    assert_eq!(json(ws, &["audit", "verify"])["ok"], true);
}

/// The pids of live processes whose environment says they belong to a run started by
/// process `owner` (the marker also names the run; the owner's pid alone is unique here,
/// where deployment numbers of two workspaces' tests may be the same).
fn processes_of_run(owner: u32) -> Vec<u32> {
    let want = format!("SLIPWAY_RUN_PID={owner}");
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let zombie = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| {
                s.rsplit_once(')')
                    .map(|(_, r)| r.trim_start().starts_with('Z'))
            })
            .unwrap_or(true);
        let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        if !zombie && environ.split(|b| *b == 0).any(|v| v == want.as_bytes()) {
            found.push(pid);
        }
    }
    found
}

/// `slipway redeploy` killed with SIGKILL while its deploy command runs: the command dies
/// with it, what the command started in the background is stopped by the next reconcile,
/// which says so, and neither finishes the deploy later.
fn killed_mid_action(ws: &Ws) {
    let started = ws.dir.join("action-started");
    let late = ws.dir.join("finished-by-the-background");
    let after = ws.dir.join("finished-by-the-command");
    let script = format!(
        "(sleep 4; touch '{}') & touch '{}'; sleep 4; touch '{}'",
        late.display(),
        started.display(),
        after.display()
    );
    run(
        ws,
        &[
            "action",
            "set",
            "--project",
            "payments",
            "--env",
            "production",
            "--",
            "sh",
            "-c",
            &script,
        ],
    );
    let history = json(
        ws,
        &["history", "--project", "payments", "--env", "production"],
    );
    let last = history[0]["id"].as_i64().unwrap().to_string();
    // Killed before it writes its command's group down: what it left is found all the same.
    let never = ws.dir.join("gate-that-never-opens");
    let mut victim = slipway(
        ws,
        &["redeploy", &last, "--yes"],
        &[
            ("SLIPWAY_FAILPOINT", "before-record-group"),
            ("SLIPWAY_FAILPOINT_GATE", never.to_str().unwrap()),
        ],
    )
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null())
    .spawn()
    .unwrap();
    // Killed once the whole command runs: the shell, its background subshell with its
    // sleep, and its own sleep (whatever the run managed to write down by then).
    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !started.exists() || processes_of_run(victim.id()).len() < 4 {
        assert!(
            std::time::Instant::now() < until,
            "the deploy command never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let victim_pid = victim.id();
    victim.kill().unwrap(); // SIGKILL: no chance to clean up
    victim.wait().unwrap();
    let runs = json(
        ws,
        &["history", "--project", "payments", "--env", "production"],
    );
    let id = runs[0]["id"].as_i64().unwrap();
    assert_ne!(id.to_string(), last, "the redeploy is on the record");
    let id = id.to_string();
    // `history` reconciled on start: the background process was found and stopped.
    assert_eq!(runs[0]["status"], "failed", "{runs}");
    let reason = runs[0]["reason"].as_str().unwrap();
    assert!(
        // The background subshell, its sleep, and the command's own sleep (the command, a
        // shell, died with the redeploy).
        reason.contains("its deploy command was still running (3 processes)")
            && reason.contains("and was stopped"),
        "{reason}"
    );
    assert_eq!(
        processes_of_run(victim_pid),
        Vec::<u32>::new(),
        "no orphan survives"
    );
    std::thread::sleep(std::time::Duration::from_secs(5));
    assert!(
        !late.exists(),
        "the background process finished the deploy later"
    );
    assert!(
        !after.exists(),
        "the deploy command finished the deploy later"
    );
    // The environment is free: a redeploy runs now.
    run(
        ws,
        &[
            "action",
            "set",
            "--project",
            "payments",
            "--env",
            "production",
            "--",
            "true",
        ],
    );
    run(ws, &["redeploy", &id, "--yes"]);
    assert_eq!(json(ws, &["audit", "verify"])["ok"], true);
}

/// The oldest change queued for `env`.
fn queued_first(ws: &Ws, env: &str) -> String {
    let board = json(ws, &["queue"]);
    board["projects"][0]["environments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == env)
        .unwrap()["queue"][0]["sha"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Kills `slipway promote` at `failpoint`, then checks what the next start makes of it.
fn crash_at(
    ws: &Ws,
    env: &str,
    to: Option<&str>,
    failpoint: &str,
    want_status: &str,
    want_reason: &str,
) {
    let before = rev_parse(&ws.origin, &format!("deploy/{env}"));
    // The demo's production queue carries its planted config leak: the crash tests ship it
    // past the config guard (an override not needed elsewhere is not used).
    let mut args = vec![
        "promote",
        "--project",
        "payments",
        "--env",
        env,
        "--yes",
        "--override-guard",
        "the crash test ships the demo's leak",
    ];
    if let Some(to) = to {
        args.extend(["--to", to]);
    }
    let crashed = slipway(ws, &args, &[("SLIPWAY_FAILPOINT", failpoint)])
        .output()
        .unwrap();
    assert!(
        !crashed.status.success(),
        "the process was killed at {failpoint}"
    );
    // The record is left unfinished and the environment locked.
    let left = json(ws, &["history", "--project", "payments", "--env", env]);
    let rows = left.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{left}");
    let to = rows[0]["to_sha"].as_str().unwrap().to_string();
    // The push had happened before the crash at every one of these points.
    assert_eq!(rev_parse(&ws.origin, &format!("deploy/{env}")), to);
    assert_ne!(before, to);
    // `history` reconciled on start: the same row, ended, once.
    assert_eq!(rows[0]["status"], want_status, "{failpoint}: {left}");
    assert!(
        rows[0]["reason"].as_str().unwrap().starts_with(want_reason),
        "{failpoint}: {}",
        rows[0]["reason"]
    );
    // Reconciling again changes nothing; the environment is free again.
    assert_eq!(json(ws, &["reconcile"]).as_array().unwrap().len(), 0);
    assert_eq!(
        json(ws, &["history", "--project", "payments", "--env", env])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(json(ws, &["audit", "verify"])["ok"], true);
}

fn crashes(ws: &Ws) {
    // After the push, with a deploy action configured: its outcome is unknown.
    run(
        ws,
        &[
            "action",
            "set",
            "--project",
            "payments",
            "--env",
            "staging",
            "--",
            "true",
        ],
    );
    // Only the first queued change, so staging has more waiting for the late run.
    let first = queued_first(ws, "staging");
    crash_at(
        ws,
        "staging",
        Some(&first),
        "after-push",
        "failed",
        "interrupted after the ref moved to",
    );
    // After the deploy action: every configured step had finished.
    crash_at(
        ws,
        "production",
        None,
        "after-action",
        "succeeded",
        "interrupted before the record was written",
    );
}

fn crash_before_record(ws: &Ws) {
    // Only the first queued change, so qa has more waiting for the race.
    let board = json(ws, &["queue"]);
    let first = board["projects"][0]["environments"][0]["queue"][0]["sha"]
        .as_str()
        .unwrap()
        .to_string();
    crash_at(
        ws,
        "qa",
        Some(&first),
        "before-record",
        "succeeded",
        "interrupted before the record was written",
    );
}

#[test]
fn promotions_race_and_crash_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(tmp.path(), None);
    crash_before_record(&ws);
    racing_promotions(&ws);
    crashes(&ws);
    late_lock(&ws);
    killed_mid_action(&ws);
}

#[test]
fn promotions_race_and_crash_on_postgres() {
    let cluster = pg::PgCluster::start();
    let url = cluster.database("promotions");
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(tmp.path(), Some(&url));
    crash_before_record(&ws);
    racing_promotions(&ws);
    crashes(&ws);
    late_lock(&ws);
    killed_mid_action(&ws);
}

/// The process's whole answer: exit code, stdout and stderr.
pub(crate) fn answer(ws: &Ws, args: &[&str]) -> (Option<i32>, String, String) {
    let out = slipway(ws, args, &[]).output().expect("slipway runs");
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

#[test]
fn every_answer_says_what_happened() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(tmp.path(), None);
    let qa = ["--project", "payments", "--env", "qa"];
    let before = rev_parse(&ws.origin, "deploy/qa");

    // Without --yes, --json prints the plan whether or not it could run, and runs nothing.
    let (code, out, err) = answer(&ws, &[&["promote"][..], &qa, &["--json"]].concat());
    assert_eq!(code, Some(0), "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).expect("the plan as JSON");
    assert_eq!(plan["allowed"], true);
    assert!(!plan["preview"]["shipping"].as_array().unwrap().is_empty());
    assert!(err.contains("run it again with --yes"), "{err}");
    run(
        &ws,
        &[&["hold"][..], &qa, &["--reason", "load test running"]].concat(),
    );
    let (code, out, err) = answer(&ws, &[&["promote"][..], &qa, &["--json"]].concat());
    assert_eq!(code, Some(1), "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).expect("the blocked plan as JSON");
    assert_eq!(plan["allowed"], false);
    assert!(
        err.starts_with("Blocked, nothing was done: ") && err.contains("load test running"),
        "{err}"
    );
    assert_eq!(rev_parse(&ws.origin, "deploy/qa"), before, "nothing moved");
    run(&ws, &[&["unhold"][..], &qa].concat());

    // Rollback, hotfix and redeploy answer the same way: the plan, and whether it could run.
    let prod = ["--project", "payments", "--env", "production"];
    let (code, out, err) = answer(
        &ws,
        &[
            &["rollback"][..],
            &qa,
            &["--reason", "the card form fails", "--json"],
        ]
        .concat(),
    );
    assert_eq!(code, Some(0), "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).expect("the rollback's plan");
    assert_eq!(
        (plan["kind"].as_str(), plan["allowed"].as_bool()),
        (Some("rollback"), Some(true))
    );
    assert_eq!(plan["from"]["sha"], rev_parse(&ws.origin, "deploy/qa"));
    assert!(
        !plan["changes"].as_array().unwrap().is_empty(),
        "what it removes: {plan}"
    );
    assert!(
        err.contains("run it again with --yes to roll back"),
        "{err}"
    );
    run(
        &ws,
        &[&["hold"][..], &prod, &["--reason", "quarter close"]].concat(),
    );
    let queued = json(&ws, &["queue"]);
    let fix = queued["projects"][0]["environments"][2]["queue"][0]["sha"]
        .as_str()
        .unwrap()
        .to_string();
    let prod_before = rev_parse(&ws.origin, "deploy/production");
    let (code, out, err) = answer(
        &ws,
        &[&["hotfix"][..], &prod, &["--fix", &fix, "--json"]].concat(),
    );
    assert_eq!(code, Some(1), "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).expect("the hotfix's plan");
    assert_eq!(
        (plan["kind"].as_str(), plan["allowed"].as_bool()),
        (Some("hotfix"), Some(false))
    );
    assert_eq!(plan["changes"][0]["sha"], fix);
    assert!(
        err.starts_with("Blocked, nothing was done: ") && err.contains("quarter close"),
        "{err}"
    );
    assert_eq!(
        rev_parse(&ws.origin, "deploy/production"),
        prod_before,
        "nothing moved"
    );
    run(&ws, &[&["unhold"][..], &prod].concat());

    // A rollback's reason is in the history, as JSON and as text.
    run(
        &ws,
        &[
            &["rollback"][..],
            &qa,
            &["--reason", "the card form fails", "--yes"],
        ]
        .concat(),
    );
    let history = json(&ws, &[&["history"][..], &qa].concat());
    assert_eq!(history[0]["kind"], "rollback");
    assert_eq!(history[0]["why"], "the card form fails");
    // Running the rollback again: planned, not run — the rollback's hold is on qa.
    let id = history[0]["id"].as_i64().unwrap().to_string();
    let (code, out, err) = answer(&ws, &["redeploy", &id, "--json"]);
    let plan: serde_json::Value = serde_json::from_str(&out).expect("the redeploy's plan");
    assert_eq!(plan["kind"], "redeploy");
    assert_eq!(plan["to"]["sha"], history[0]["to_sha"]);
    assert_eq!(
        (code, plan["allowed"].as_bool()),
        (Some(1), Some(false)),
        "{err}"
    );
    assert!(err.starts_with("Blocked, nothing was done: "), "{err}");
    assert_eq!(
        json(&ws, &[&["history"][..], &qa].concat())
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let (_, text_history, _) = answer(&ws, &[&["history"][..], &qa].concat());
    assert!(
        text_history
            .lines()
            .next()
            .unwrap()
            .ends_with("— the card form fails"),
        "{text_history}"
    );

    // A watcher pass as of a chosen instant: recorded as of then; an instant too far ahead,
    // before what is stored, or not a time, is refused and records nothing.
    run(
        &ws,
        &[
            "aging",
            "set",
            "--project",
            "payments",
            "--env",
            "production",
            "--goal",
            "1h",
        ],
    );
    let at = (chrono::Utc::now() + chrono::Duration::days(2))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let pass = json(&ws, &["watch", "--once", "--at", &at]);
    assert_eq!(pass["at"], at.as_str());
    assert!(
        !pass["new_events"].as_array().unwrap().is_empty(),
        "production's old changes are late: {pass}"
    );
    for (when, says) in [
        ("2999-01-01T00:00:00Z", "more than a year after now"),
        (
            "2026-01-01 00:00",
            "before the newest threshold the workspace has stored",
        ),
        ("next tuesday", "next tuesday"),
    ] {
        let (code, out, err) = answer(&ws, &["watch", "--once", "--at", when]);
        assert_eq!(code, Some(1), "{when}: {out}");
        assert!(
            err.contains(says) && err.lines().count() == 1,
            "{when}: {err}"
        );
    }
    let (code, _, err) = answer(&ws, &["watch", "--at", &at]);
    assert_eq!(code, Some(2), "--at needs --once: {err}");
}
