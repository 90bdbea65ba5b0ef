//! `make bench`: the config guard on a big promotion — 500 changes touching 400 files (about
//! 20,000 added lines: config, source, manifests) against six environments' own files and 200
//! hand-added markers — learning the markers, compiling the guard and scanning. Prints its
//! figures; asserts nothing about time. (Reading the diff from git and finding each finding's
//! change are the adapter's part and not in this figure.)

use std::time::{Duration, Instant};

use slipway_core::guard::{
    learn_markers, AddedLine, EnvFile, Guard, GuardSettings, ManualMarker, ShippedFile,
};

const ENVIRONMENTS: [&str; 4] = ["dev", "qa", "staging", "production"];
const FILES: usize = 400;
const LINES_PER_FILE: usize = 50;

fn env_files() -> Vec<EnvFile> {
    ENVIRONMENTS
        .iter()
        .chain(["perf", "sandbox"].iter())
        .flat_map(|env| {
            (0..5).map(move |k| EnvFile {
                environment: env.to_string(),
                path: format!("config/{env}/service-{k}.yaml"),
                text: format!(
                    "orders:\n  url: https://orders-{k}.{env}.corp.example/v1\n  queue: orders-{k}-{env}\ndatabase:\n  host: db-{k}.{env}.corp.example\n  name: shop_{env}_{k}\n  pool: 20\naccount_id: {}\n",
                    100_000_000 + k * 7 + env.len()
                ),
            })
        })
        .collect()
}

fn shipped() -> Vec<ShippedFile> {
    (0..FILES)
        .map(|f| {
            let path = match f % 4 {
                0 => format!("config/production/service-{}.yaml", f % 5),
                1 => format!("services/svc-{f}/config/app.yaml"),
                2 => format!("src/module_{f}.rs"),
                _ => format!("deploy/manifests/svc-{f}.yaml"),
            };
            ShippedFile {
                path,
                binary: false,
                size: 4_000,
                added: (0..LINES_PER_FILE)
                    .map(|l| AddedLine {
                        line: (l + 1) as u32,
                        text: match l % 5 {
                            0 => format!("  timeout_ms: {}", 100 + l),
                            1 => {
                                format!("  endpoint: https://api-{f}.production.corp.example/v{l}")
                            }
                            2 => format!("    let value_{l} = compute(input, {f});"),
                            // One file in fifty carries the perf environment's host.
                            3 if f % 50 == 1 => {
                                "  fallback: https://orders-1.perf.corp.example/v1".to_string()
                            }
                            3 => format!("  replicas: {}", l % 7),
                            _ => format!("  # note {l} for file {f}"),
                        },
                    })
                    .collect(),
            }
        })
        .collect()
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn main() {
    let pipeline: Vec<String> = ENVIRONMENTS.iter().map(|e| e.to_string()).collect();
    let settings = GuardSettings {
        markers: (0..200)
            .map(|k| ManualMarker {
                environment: ["perf", "sandbox", "qa", "staging"][k % 4].into(),
                text: format!("acct-{k:06}-{}", ["perf", "sbx", "qa", "stg"][k % 4]),
            })
            .collect(),
        ..GuardSettings::default()
    };
    let files = env_files();
    let diff = shipped();
    let lines: usize = diff.iter().map(|f| f.added.len()).sum();
    let mut findings = 0;
    let runs = (0..9)
        .map(|_| {
            let t = Instant::now();
            let learned = learn_markers(&files);
            let guard = Guard::new(&settings, &pipeline, "production", learned).expect("guard");
            let report = guard.scan(&diff);
            findings = report.findings.len();
            t.elapsed()
        })
        .collect();
    println!(
        "guard: a promotion of 500 changes touching {FILES} files ({lines} added lines), 6 environments' files and 200 hand-added markers: {:.1} ms (median of 9; learn + compile + scan; {findings} findings)",
        median(runs).as_secs_f64() * 1000.0
    );
}
