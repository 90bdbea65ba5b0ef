//! `make bench`: DORA's metrics over a year of a busy project — 100,000 changes on trunk and
//! 10,000 deployments across four environments (rollbacks, hotfixes, reverts and emergency
//! requests among them) — for one environment over 90 days, and for every environment.
//! Prints its figures; asserts nothing about time.

use std::time::{Duration as Elapsed, Instant};

use chrono::{DateTime, Duration, TimeZone, Utc};
use slipway_core::dora::{
    compute, DeploymentSource, DoraAsk, DoraChange, DoraInput, EmergencyLink, EnvDeployment,
    EnvironmentRecord, TrunkChange,
};
use slipway_core::DeploymentKind;

const CHANGES: i64 = 100_000;
const DEPLOYMENTS_PER_ENV: i64 = 2_500;
const ENVIRONMENTS: [&str; 4] = ["dev", "qa", "staging", "production"];

fn sha(kind: char, n: i64) -> String {
    format!("{kind}{n:039x}")
}

fn input(start: DateTime<Utc>) -> DoraInput {
    let year = 365 * 86_400;
    let trunk: Vec<TrunkChange> = (1..=CHANGES)
        .map(|p| {
            let merged = start + Duration::seconds(p * year / CHANGES);
            TrunkChange {
                position: p,
                change: DoraChange {
                    sha: sha('c', p),
                    title: format!("change {p}"),
                    first_commit_at: merged - Duration::hours(1 + p % 30),
                    merged_at: merged,
                    reverts: (p % 50 == 0).then(|| sha('c', p - 7)),
                },
            }
        })
        .collect();
    let environments = ENVIRONMENTS
        .iter()
        .enumerate()
        .map(|(e, name)| {
            // Each environment lags the one before by a few hours more.
            let lag = (e as i64 + 1) * 6 * 3600;
            let deployments = (1..=DEPLOYMENTS_PER_ENV)
                .map(|k| {
                    let at = start + Duration::seconds(k * year / DEPLOYMENTS_PER_ENV + lag);
                    let reached = ((at - start).num_seconds() - lag) * CHANGES / year;
                    let (kind, position) = match k % 40 {
                        7 => (DeploymentKind::Rollback, reached - 60),
                        19 => (DeploymentKind::Hotfix, reached),
                        _ => (DeploymentKind::Promote, reached),
                    };
                    EnvDeployment {
                        at,
                        kind,
                        source: DeploymentSource::Reflog,
                        sha: sha('d', k),
                        position: Some(position.clamp(1, CHANGES)),
                        off_trunk: Vec::new(),
                        recorded_failed: k % 97 == 0,
                        run: None,
                    }
                })
                .collect();
            EnvironmentRecord {
                name: name.to_string(),
                deployments,
            }
        })
        .collect();
    let emergency = (1..=100)
        .map(|r| EmergencyLink {
            request: r,
            changes: vec![sha('c', r * 997)],
        })
        .collect();
    DoraInput {
        trunk,
        off_trunk: Vec::new(),
        environments,
        emergency,
    }
}

fn median(mut runs: Vec<Elapsed>) -> Elapsed {
    runs.sort();
    runs[runs.len() / 2]
}

fn main() {
    let start = Utc.with_ymd_and_hms(2025, 12, 1, 0, 0, 0).unwrap();
    let end = start + Duration::days(365);
    let input = input(start);
    let window = |environment: usize, days: i64| DoraAsk {
        environment,
        from: end - Duration::days(days),
        to: end,
        failure_window: Duration::hours(72),
    };
    let production = ENVIRONMENTS.len() - 1;
    let one = median(
        (0..9)
            .map(|_| {
                let t = Instant::now();
                let r = compute(&input, window(production, 90)).expect("computes");
                std::hint::black_box(r);
                t.elapsed()
            })
            .collect(),
    );
    let report = compute(&input, window(production, 90)).expect("computes");
    let all = median(
        (0..9)
            .map(|_| {
                let t = Instant::now();
                for e in 0..ENVIRONMENTS.len() {
                    std::hint::black_box(compute(&input, window(e, 90)).expect("computes"));
                }
                t.elapsed()
            })
            .collect(),
    );
    let year = median(
        (0..5)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(compute(&input, window(production, 365)).expect("computes"));
                t.elapsed()
            })
            .collect(),
    );
    println!(
        "dora: {CHANGES} changes, {} deployments in {} environments",
        DEPLOYMENTS_PER_ENV * ENVIRONMENTS.len() as i64,
        ENVIRONMENTS.len()
    );
    println!(
        "dora: production over 90 days: {:.1} ms (median of 9; {} deployments, {} changes, {} failed)",
        one.as_secs_f64() * 1e3,
        report.deployments.len(),
        report.changes.len(),
        report.change_fail.count
    );
    println!(
        "dora: all {} environments over 90 days: {:.1} ms (median of 9)",
        ENVIRONMENTS.len(),
        all.as_secs_f64() * 1e3
    );
    println!(
        "dora: production over 365 days: {:.1} ms (median of 5)",
        year.as_secs_f64() * 1e3
    );
}
