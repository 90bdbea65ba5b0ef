//! `make bench`: the config guard on a real repository — a promotion of 500 changes touching
//! 400 files (about 20,000 added lines) over six environments' own config files — timed as a
//! promotion's plan runs it: read each environment's files at the reference, read the added
//! lines of the diff, learn the markers, compile and scan, and find the change that brought
//! each finding's line. Prints its figures; asserts nothing about time.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use slipway_core::guard::{known_environments, learn_markers, FileOwners, Guard, GuardSettings};
use slipway_git::Repo;

#[path = "../tests/support/mod.rs"]
mod support;
use support::git;

const ENVIRONMENTS: [&str; 4] = ["dev", "qa", "staging", "production"];
const FILES: usize = 400;
const CHANGES: usize = 500;
const LINES_PER_FILE: usize = 50;

fn env_config(env: &str, k: usize) -> String {
    format!(
        "orders:\n  url: https://orders-{k}.{env}.corp.example/v1\n  queue: orders-{k}-{env}\ndatabase:\n  host: db-{k}.{env}.corp.example\n  name: shop_{env}_{k}\n"
    )
}

fn path_of(f: usize) -> String {
    match f % 4 {
        0 => format!("config/production/service-{f}.yaml"),
        1 => format!("services/svc-{f}/config/app.yaml"),
        2 => format!("src/module_{f}.rs"),
        _ => format!("deploy/manifests/svc-{f}.yaml"),
    }
}

/// File `f` as change `round` leaves it.
fn content(f: usize, round: usize) -> String {
    let mut out = String::new();
    for l in 0..LINES_PER_FILE {
        let line = match l % 5 {
            0 => format!("  timeout_ms: {}", 100 + l + round),
            1 => format!("  endpoint: https://api-{f}.production.corp.example/v{l}"),
            2 => format!("    let value_{l} = compute(input, {f});"),
            // One file in fifty carries the perf environment's host.
            3 if f % 50 == 1 => "  fallback: https://orders-1.perf.corp.example/v1".to_string(),
            3 => format!("  replicas: {}", l % 7),
            _ => format!("  # note {l} for file {f}"),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn blob(stream: &mut String, path: &str, text: &str) {
    stream.push_str(&format!(
        "M 100644 inline {path}\ndata {}\n{text}\n",
        text.len()
    ));
}

/// Writes the repository with `git fast-import` (once; kept for later runs).
fn generate(dir: &Path) {
    if dir.join("done").exists() {
        return;
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    git(dir, &["init", "-q", "-b", "main"]);
    let mut s = String::new();
    let commit = |s: &mut String, n: usize, msg: &str| {
        s.push_str(&format!(
            "commit refs/heads/main\nmark :{n}\ncommitter Bench <bench@example.com> {} +0000\ndata {}\n{msg}\n",
            1_700_000_000 + n * 60,
            msg.len()
        ));
    };
    commit(&mut s, 1, "base");
    for env in ENVIRONMENTS.iter().chain(["perf", "sandbox"].iter()) {
        for k in 0..5 {
            blob(
                &mut s,
                &format!("config/{env}/service-{k}.yaml"),
                &env_config(env, k),
            );
        }
    }
    for f in 0..FILES {
        blob(&mut s, &path_of(f), "placeholder: true\n");
    }
    for i in 0..CHANGES {
        commit(&mut s, i + 2, &format!("change {i}"));
        let f = i % FILES;
        blob(&mut s, &path_of(f), &content(f, i / FILES));
    }
    s.push_str("reset refs/heads/deploy/production\nfrom :1\n\n");
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import");
    child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
    std::fs::write(dir.join("done"), "").unwrap();
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let dir = std::env::temp_dir().join("slipway-bench-guard-v1");
    generate(&dir);
    let repo = Repo::open(&dir).expect("repo");
    let base = git(&dir, &["rev-parse", "deploy/production"]);
    let tip = git(&dir, &["rev-parse", "main"]);
    let shipping: Vec<String> = git(&dir, &["rev-list", "--reverse", "deploy/production..main"])
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(shipping.len(), CHANGES);
    let pipeline: Vec<String> = ENVIRONMENTS.iter().map(|e| e.to_string()).collect();
    let settings = GuardSettings::default();
    let owners =
        FileOwners::new(&known_environments(&settings, &pipeline), &settings.globs()).unwrap();
    let (mut read_env, mut read_diff, mut scan, mut intro, mut total) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut lines, mut findings, mut files) = (0, 0, 0);
    for _ in 0..9 {
        let t0 = Instant::now();
        let env_files = repo.environment_files(&base, &owners).unwrap();
        let t1 = Instant::now();
        let diff = repo.shipped_lines(&base, &tip).unwrap();
        let t2 = Instant::now();
        let guard = Guard::new(
            &settings,
            &pipeline,
            "production",
            learn_markers(&env_files),
        )
        .unwrap();
        let report = guard.scan(&diff);
        let t3 = Instant::now();
        let asked: Vec<(String, String)> = report
            .findings
            .iter()
            .map(|f| {
                let text = diff
                    .iter()
                    .find(|d| d.path == f.path)
                    .and_then(|d| d.added.iter().find(|l| l.line == f.line))
                    .map(|l| l.text.clone())
                    .unwrap_or_default();
                (f.path.clone(), text)
            })
            .collect();
        let found = repo.introducers(&asked, &shipping).unwrap();
        let t4 = Instant::now();
        assert!(
            found.iter().all(Option::is_some),
            "every finding has its change"
        );
        files = diff.len();
        lines = diff.iter().map(|d| d.added.len()).sum();
        findings = report.findings.len();
        read_env.push(t1 - t0);
        read_diff.push(t2 - t1);
        scan.push(t3 - t2);
        intro.push(t4 - t3);
        total.push(t4 - t0);
    }
    println!(
        "guard (git): a promotion of {CHANGES} changes touching {files} files ({lines} added lines, {findings} findings): {:.1} ms in all (median of 9) — environments' files {:.1} ms, the diff's added lines {:.1} ms, learn + compile + scan {:.1} ms, each finding's change {:.1} ms",
        ms(median(total)),
        ms(median(read_env)),
        ms(median(read_diff)),
        ms(median(scan)),
        ms(median(intro))
    );
}
