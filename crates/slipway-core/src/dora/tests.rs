use chrono::TimeZone;
use proptest::prelude::*;

use super::*;

/// Monday 2026-11-02 09:00 UTC.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap()
}

fn at(days: i64, hours: i64, minutes: i64) -> DateTime<Utc> {
    t0() + Duration::days(days) + Duration::hours(hours) + Duration::minutes(minutes)
}

fn sha(name: &str) -> String {
    format!("{:x<40}", format!("{name}-"))
}

fn deploy(when: DateTime<Utc>, kind: DeploymentKind, position: i64) -> EnvDeployment {
    EnvDeployment {
        at: when,
        kind,
        source: DeploymentSource::Slipway,
        sha: sha(&format!("d{position}")),
        position: Some(position),
        off_trunk: Vec::new(),
        recorded_failed: false,
        run: None,
    }
}

/// Trunk changes c1..c10 at positions 1..10 (c0 the baseline), change p merged on day p,
/// first committed two hours earlier; c7 reverts c5. qa deploys at 12:00 every other day;
/// production: a promotion rolled back, an emergency change followed by a hotfix, a
/// promotion whose change is reverted by the next, and a failed run followed by a redeploy.
fn fixture() -> DoraInput {
    let trunk = (0..=10)
        .map(|p| TrunkChange {
            position: p,
            change: DoraChange {
                sha: sha(&format!("c{p}")),
                title: format!("change {p}"),
                first_commit_at: at(p, -2, 0),
                merged_at: at(p, 0, 0),
                reverts: (p == 7).then(|| sha("c5")),
            },
        })
        .collect();
    let qa = (0..=5)
        .map(|k| deploy(at(2 * k, 12, 0), DeploymentKind::Promote, 2 * k))
        .collect();
    let mut production = vec![
        deploy(at(1, 0, 0), DeploymentKind::Promote, 0),
        deploy(at(3, 0, 0), DeploymentKind::Promote, 2),
        deploy(at(3, 2, 0), DeploymentKind::Rollback, 0),
        deploy(at(5, 0, 0), DeploymentKind::Promote, 4),
        deploy(at(5, 0, 30), DeploymentKind::Hotfix, 4),
        deploy(at(7, 0, 0), DeploymentKind::Promote, 6),
        deploy(at(9, 0, 0), DeploymentKind::Promote, 8),
        deploy(at(10, 13, 0), DeploymentKind::Promote, 10),
        deploy(at(10, 14, 0), DeploymentKind::Redeploy, 10),
    ];
    production[0].source = DeploymentSource::Reflog;
    production[4].off_trunk = vec![0];
    production[7].recorded_failed = true;
    // Given out of order: the computation sorts.
    production.reverse();
    DoraInput {
        trunk,
        off_trunk: vec![DoraChange {
            sha: sha("h1"),
            title: "hotfix".into(),
            first_commit_at: at(5, -1, 0),
            merged_at: at(5, 0, -30),
            reverts: None,
        }],
        environments: vec![
            EnvironmentRecord {
                name: "qa".into(),
                deployments: qa,
            },
            EnvironmentRecord {
                name: "production".into(),
                deployments: production,
            },
        ],
        emergency: vec![EmergencyLink {
            request: 9,
            changes: vec![sha("c3")[..7].to_string()],
        }],
    }
}

fn ask(from: DateTime<Utc>, to: DateTime<Utc>) -> DoraAsk {
    DoraAsk {
        environment: 1,
        from,
        to,
        failure_window: Duration::hours(DEFAULT_FAILURE_WINDOW_HOURS),
    }
}

const H: i64 = 3_600;
const D: i64 = 86_400;

#[test]
fn the_fixture_by_hand() {
    let r = compute(&fixture(), ask(t0(), at(14, 0, 0))).unwrap();
    // Nine deployments in 14 days: 9 × 7 / 14 = 4.5 a week; mean interval 14 d / 9 ≈ 1.56 d.
    assert_eq!(r.deployments.len(), 9);
    assert_eq!(r.per_week, Some(4.5));
    assert_eq!(r.frequency_band, Some(FrequencyBand::Weekly));

    // Failures: the promotion at day 3 (rolled back 2 h later), the one at day 5 (hotfix
    // 30 min later), the one at day 7 (its c5 reverted by c7, shipped 2 d later), the failed
    // run at day 10 (redeployed 1 h later). 4 of 9 = 44.4 %.
    let failed: Vec<(DateTime<Utc>, FailureRule, Option<i64>)> = r
        .deployments
        .iter()
        .filter_map(|d| {
            let f = d.failure.as_ref()?;
            Some((
                d.deployment.at,
                f.rule,
                f.restored.as_ref().map(|x| x.after_seconds),
            ))
        })
        .collect();
    assert_eq!(
        failed,
        vec![
            (at(3, 0, 0), FailureRule::RolledBack, Some(2 * H)),
            (at(5, 0, 0), FailureRule::HotfixFollowed, Some(30 * 60)),
            (at(7, 0, 0), FailureRule::Reverted, Some(2 * D)),
            (at(10, 13, 0), FailureRule::RecordedFailed, Some(H)),
        ]
    );
    assert_eq!((r.change_fail.count, r.change_fail.of), (4, 9));
    assert_eq!(r.change_fail.band, Some(RateBand::UpTo45));

    // Recovery: 1800, 3600, 7200, 172800 s. Median (3600 + 7200) / 2 = 5400; p85 is the
    // ⌈3.4⌉ = 4th value.
    assert_eq!(
        r.recovery,
        Some(Spread {
            median: 5_400,
            p85: 2 * D
        })
    );
    assert_eq!((r.recovered, r.unrecovered), (4, 0));
    assert_eq!(r.recovery_band, Some(DurationBand::UnderADay));

    // Rework: the rollback, the hotfix, and the promotion shipping c3 (emergency request 9).
    let unplanned: Vec<Unplanned> = r.deployments.iter().filter_map(|d| d.unplanned).collect();
    assert_eq!(
        unplanned,
        vec![
            Unplanned::Rollback,
            Unplanned::Emergency(9),
            Unplanned::Hotfix
        ]
    );
    assert_eq!((r.rework.count, r.rework.of), (3, 9));

    // Changes first deployed: c1..c10 and the hotfix commit (c1, c2 once, though rolled back
    // and deployed again). Lead from first commit (committed 2 h before the merge):
    // c1 3d−1d+2h = 180000, c2 1d2h = 93600, c3 180000, c4 93600, h1 (authored 5d−1h,
    // deployed 5d+30m) 5400, c5 180000, c6 93600, c7 180000, c8 93600,
    // c9 (9d → 10d13h) 1d15h = 140400, c10 15h = 54000.
    // Sorted: 5400 54000 93600×4 140400 180000×4; median the 6th = 93600, p85 the ⌈9.35⌉ = 10th.
    assert_eq!(r.changes.len(), 11);
    let hotfix = r.changes.iter().find(|c| c.off_trunk).unwrap();
    assert_eq!((hotfix.lead_seconds, hotfix.from_merge_seconds), (5_400, H));
    assert_eq!(
        r.lead,
        Some(Spread {
            median: 93_600,
            p85: 180_000
        })
    );
    // From merge: 3600 (h1) 46800 (c10) 86400×4 133200 (c9) 172800×4.
    assert_eq!(
        r.lead_from_merge,
        Some(Spread {
            median: D,
            p85: 2 * D
        })
    );
    assert_eq!(r.lead_band, Some(DurationBand::UnderAWeek));

    // Where the time goes: change p merges at t0 + p d, qa moves at t0 + 2k d + 12 h, so an
    // even change waits 12 h for qa and an odd one 1 d 12 h. Median (43200 + 129600) / 2 = 86400,
    // p85 the 9th of 10 = 129600. qa → production: 12 h for c1..c8, 1 h for c9 and c10.
    assert_eq!(
        r.stages,
        vec![
            (None, "qa".to_string()),
            (Some("qa".to_string()), "production".to_string())
        ]
    );
    assert_eq!(
        r.stage_waits,
        vec![
            Some(Spread {
                median: D,
                p85: 129_600
            }),
            Some(Spread {
                median: 43_200,
                p85: 43_200
            }),
        ]
    );

    // Weeks cut at Monday 00:00: 2–8 Nov has 5 deployments (2 failed, 3 unplanned, 5 changes),
    // 9–15 Nov has 4 (2 failed, none unplanned, 6 changes), 16 Nov until 09:00 nothing.
    let weeks: Vec<(usize, usize, usize, usize, bool)> = r
        .weeks
        .iter()
        .map(|w| {
            (
                w.deployments,
                w.failed,
                w.unplanned,
                w.changes,
                w.lead.is_some(),
            )
        })
        .collect();
    assert_eq!(
        weeks,
        vec![(5, 2, 3, 5, true), (4, 2, 0, 6, true), (0, 0, 0, 0, false)]
    );
}

#[test]
fn an_empty_window_says_so() {
    let r = compute(&fixture(), ask(at(20, 0, 0), at(27, 0, 0))).unwrap();
    assert!(r.deployments.is_empty());
    assert_eq!(r.per_week, None);
    assert_eq!(r.change_fail.rate, None);
    assert_eq!(r.change_fail.band, None);
    assert_eq!(r.rework.rate, None);
    assert_eq!(r.lead, None);
    assert_eq!(r.recovery, None);
    assert_eq!(r.stage_waits, vec![None, None]);
}

#[test]
fn a_change_held_before_the_record_began_has_no_lead_time() {
    // qa's record starts at position 0 on day 0; production's first deployment (position 0)
    // brings nothing: c0 was there before the record.
    let r = compute(&fixture(), ask(t0(), at(2, 0, 0))).unwrap();
    assert_eq!(r.deployments.len(), 1);
    assert!(r.deployments[0].brought.is_empty());
    assert!(r.changes.is_empty());
}

#[test]
fn failures_and_errors() {
    let input = fixture();
    assert_eq!(
        compute(
            &input,
            DoraAsk {
                environment: 5,
                ..ask(t0(), at(1, 0, 0))
            }
        ),
        Err(DoraError::NoEnvironment(5))
    );
    assert_eq!(
        compute(&input, ask(at(1, 0, 0), t0())),
        Err(DoraError::EmptyWindow)
    );
    // A hotfix later than the window does not mark the deployment before it.
    let r = compute(
        &input,
        DoraAsk {
            failure_window: Duration::minutes(10),
            ..ask(t0(), at(14, 0, 0))
        },
    )
    .unwrap();
    let rules: Vec<FailureRule> = r
        .deployments
        .iter()
        .filter_map(|d| Some(d.failure.as_ref()?.rule))
        .collect();
    assert_eq!(
        rules,
        vec![FailureRule::RolledBack, FailureRule::RecordedFailed]
    );
}

#[test]
fn spreads_and_bands() {
    type Case<'a> = (&'a [i64], Option<(i64, i64)>);
    let cases: &[Case] = &[
        (&[], None),
        (&[5], Some((5, 5))),
        (&[1, 2], Some((1, 2))),
        (&[3, 1, 2], Some((2, 3))),
        // 20 values 1..20: median (10 + 11) / 2 = 10 (rounded down), p85 the 17th.
        (&(1..=20).collect::<Vec<_>>(), Some((10, 17))),
    ];
    for (values, want) in cases {
        let got = Spread::of(&mut values.to_vec()).map(|s| (s.median, s.p85));
        assert_eq!(got, *want, "{values:?}");
    }
    let durations = [
        (59 * 60, DurationBand::UnderAnHour),
        (H, DurationBand::UnderADay),
        (D, DurationBand::UnderAWeek),
        (7 * D, DurationBand::UnderAMonth),
        (30 * D, DurationBand::UnderSixMonths),
        (182 * D, DurationBand::Longer),
    ];
    for (s, want) in durations {
        assert_eq!(DurationBand::of(s), want, "{s}");
    }
    assert_eq!(FrequencyBand::of(20 * 60), FrequencyBand::OnDemand);
    assert_eq!(FrequencyBand::of(2 * D), FrequencyBand::Weekly);
    let rates = [
        (0.0, RateBand::UpTo15),
        (0.15, RateBand::UpTo15),
        (0.16, RateBand::UpTo30),
        (0.45, RateBand::UpTo45),
        (0.6, RateBand::UpTo60),
        (1.0, RateBand::Over60),
    ];
    for (r, want) in rates {
        assert_eq!(RateBand::of(r), want, "{r}");
    }
    assert_eq!(
        weeks_of(at(0, 0, 0), at(7, 0, 0)),
        vec![(at(0, 0, 0), at(6, 15, 0)), (at(6, 15, 0), at(7, 0, 0))]
    );
}

/// A random production history over 60 days on a 200-change trunk.
fn history() -> impl Strategy<Value = DoraInput> {
    prop::collection::vec((0i64..60 * 24, 0u8..10, 1i64..8), 1..40).prop_map(|steps| {
        let trunk = (0..=200)
            .map(|p| TrunkChange {
                position: p,
                change: DoraChange {
                    sha: sha(&format!("c{p}")),
                    title: String::new(),
                    first_commit_at: t0() + Duration::hours(p * 3 - 5),
                    merged_at: t0() + Duration::hours(p * 3),
                    reverts: (p % 17 == 0 && p > 0).then(|| sha(&format!("c{}", p - 3))),
                },
            })
            .collect();
        let mut hours: Vec<(i64, u8, i64)> = steps;
        hours.sort_by_key(|s| s.0);
        let mut position = 0;
        let mut deployments = Vec::new();
        for (i, (h, what, step)) in hours.into_iter().enumerate() {
            let kind = match what {
                0 if i > 0 => DeploymentKind::Rollback,
                1 => DeploymentKind::Hotfix,
                2 => DeploymentKind::Redeploy,
                _ => DeploymentKind::Promote,
            };
            match kind {
                DeploymentKind::Rollback => position = (position - step).max(0),
                DeploymentKind::Promote => position = (position + step).min(200),
                _ => {}
            }
            // Distinct instants: the hour plus the index in minutes.
            let when = t0() + Duration::hours(h) + Duration::minutes(i as i64 % 60);
            let mut d = deploy(when, kind, position);
            d.recorded_failed = what == 9;
            deployments.push(d);
        }
        DoraInput {
            trunk,
            off_trunk: Vec::new(),
            environments: vec![EnvironmentRecord {
                name: "production".into(),
                deployments,
            }],
            emergency: vec![EmergencyLink {
                request: 1,
                changes: vec![sha("c40")],
            }],
        }
    })
}

fn counts(r: &DoraReport) -> (usize, usize, usize, usize) {
    (
        r.deployments.len(),
        r.change_fail.count,
        r.rework.count,
        r.changes.len(),
    )
}

fn prod(from: DateTime<Utc>, to: DateTime<Utc>) -> DoraAsk {
    DoraAsk {
        environment: 0,
        ..ask(from, to)
    }
}

proptest! {
    #[test]
    fn counts_add_up_over_disjoint_windows(input in history(), cut in 0i64..62 * 24) {
        let (a, b, c) = (t0() - Duration::days(1), t0() + Duration::hours(cut), t0() + Duration::days(62));
        let whole = counts(&compute(&input, prod(a, c)).unwrap());
        let left = counts(&compute(&input, prod(a, b)).unwrap());
        let right = counts(&compute(&input, prod(b, c)).unwrap());
        prop_assert_eq!(whole, (left.0 + right.0, left.1 + right.1, left.2 + right.2, left.3 + right.3));
        // The weeks are disjoint sub-windows too.
        let r = compute(&input, prod(a, c)).unwrap();
        let weekly: usize = r.weeks.iter().map(|w| w.deployments).sum();
        let failed: usize = r.weeks.iter().map(|w| w.failed).sum();
        prop_assert_eq!((weekly, failed), (whole.0, whole.1));
    }

    #[test]
    fn a_deployment_never_lowers_frequency(input in history(), h in 0i64..60 * 24) {
        let window = prod(t0(), t0() + Duration::days(60));
        let before = compute(&input, window).unwrap();
        let mut more = input.clone();
        let extra = deploy(t0() + Duration::hours(h) + Duration::seconds(7), DeploymentKind::Redeploy, 0);
        more.environments[0].deployments.push(extra);
        let after = compute(&more, window).unwrap();
        prop_assert!(after.per_week.unwrap_or(0.0) >= before.per_week.unwrap_or(0.0));
        prop_assert_eq!(after.deployments.len(), before.deployments.len() + 1);
    }

    #[test]
    fn a_rollback_makes_one_failure_and_one_recovery(input in history()) {
        let mut input = input;
        for d in &mut input.environments[0].deployments {
            d.recorded_failed = false;
        }
        let r = compute(&input, prod(t0() - Duration::days(1), t0() + Duration::days(62))).unwrap();
        for pair in r.deployments.windows(2) {
            if pair[1].deployment.kind == DeploymentKind::Rollback {
                let f = pair[0].failure.as_ref().expect("the deployment before a rollback failed");
                prop_assert_eq!(f.rule, FailureRule::RolledBack);
                let restored = f.restored.as_ref().expect("the rollback restored it");
                prop_assert_eq!(restored.at, pair[1].deployment.at);
            }
        }
        let rollbacks = r.deployments.iter().filter(|d| d.deployment.kind == DeploymentKind::Rollback).count();
        let rolled_back = r.deployments.iter().filter(|d| d.failure.as_ref().is_some_and(|f| f.rule == FailureRule::RolledBack)).count();
        prop_assert_eq!(rollbacks, rolled_back);
    }
}
