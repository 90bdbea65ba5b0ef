use super::*;
use crate::{GateKind, Outcome};

fn pipeline() -> Vec<String> {
    ["qa", "staging", "production"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn env_file(env: &str, path: &str, text: &str) -> EnvFile {
    EnvFile {
        environment: env.into(),
        path: path.into(),
        text: text.into(),
    }
}

/// The repository's own per-environment files, as a demo-like project has them.
fn env_files() -> Vec<EnvFile> {
    vec![
        env_file(
            "production",
            "config/production.toml",
            "# production\norders_source = \"https://orders.internal.example.com/v1\"\ndatabase = \"orders_prod\"\ntimeout = 30\npool = 20\n",
        ),
        env_file(
            "staging",
            "config/staging.toml",
            "orders_source = \"https://orders.staging.example.com/v1\"\ndatabase = \"orders_staging\"\ntimeout = 30\n",
        ),
        env_file(
            "perf",
            "config/perf.toml",
            "orders_source = \"https://orders.perf.internal:8443/v1\"\ndatabase = \"orders_perf\"\naccount_id = 123456789\ntimeout = 30\nqueue = orders\n",
        ),
        env_file(
            "perf",
            ".env.perf",
            "export PAYMENTS_URL=https://sandbox.payments.example.net\n",
        ),
    ]
}

fn shipped(path: &str, lines: &[(u32, &str)]) -> ShippedFile {
    ShippedFile {
        path: path.into(),
        binary: false,
        size: 100,
        added: lines
            .iter()
            .map(|(line, text)| AddedLine {
                line: *line,
                text: text.to_string(),
            })
            .collect(),
    }
}

fn guard(settings: &GuardSettings, target: &str) -> Guard {
    Guard::new(settings, &pipeline(), target, learn_markers(&env_files())).expect("guard")
}

#[test]
fn markers_are_learned_with_their_source_and_shared_values_are_not() {
    let learned = learn_markers(&env_files());
    let of = |env: &str| -> Vec<(String, String)> {
        learned
            .iter()
            .filter(|m| m.environment == env)
            .map(|m| (m.text.clone(), m.provenance()))
            .collect()
    };
    assert_eq!(
        of("perf"),
        vec![
            (
                "orders.perf.internal".to_string(),
                "learned from config/perf.toml:1".to_string()
            ),
            (
                "orders_perf".to_string(),
                "learned from config/perf.toml:2".to_string()
            ),
            (
                "123456789".to_string(),
                "learned from config/perf.toml:3".to_string()
            ),
            (
                "sandbox.payments.example.net".to_string(),
                "learned from .env.perf:1".to_string()
            ),
        ]
    );
    // "orders" (queue) appears in every environment's files; timeout is no identity; the
    // comment is not read.
    assert!(learned.iter().all(|m| m.text != "orders" && m.text != "30"));
    assert_eq!(
        of("production")
            .into_iter()
            .map(|(t, _)| t)
            .collect::<Vec<_>>(),
        vec!["orders.internal.example.com", "orders_prod"]
    );
}

#[test]
fn files_are_owned_by_the_environment_their_glob_names() {
    let settings = GuardSettings::default();
    let owners = FileOwners::new(
        &known_environments(&settings, &pipeline()),
        &settings.globs(),
    )
    .unwrap();
    let cases = [
        ("config/production.toml", Some("production")),
        ("config/perf.toml", Some("perf")),
        ("services/api/config/staging.yaml", Some("staging")),
        (".env.perf", Some("perf")),
        ("deploy/.env.qa", Some("qa")),
        ("values-production.yaml", Some("production")),
        ("overlays/staging/kustomization.yaml", Some("staging")),
        ("environments/loadtest/main.tf", Some("loadtest")),
        ("config/app.toml", None),
        ("config/productionish.toml", None),
        ("src/perf.rs", None),
    ];
    for (path, owner) in cases {
        assert_eq!(owners.owner(path), owner, "{path}");
    }
}

#[test]
fn the_scan_finds_what_the_table_says() {
    let settings = GuardSettings::default();
    struct Case {
        name: &'static str,
        target: &'static str,
        file: ShippedFile,
        // (kind, line, matched, environment, blocks)
        want: Vec<(FindingKind, u32, &'static str, &'static str, bool)>,
    }
    let cases = vec![
        Case {
            name: "perf host in the target's own file blocks production",
            target: "production",
            file: shipped(
                "config/production.toml",
                &[(
                    2,
                    "orders_source = \"https://orders.perf.internal:8443/v1\"",
                )],
            ),
            want: vec![
                (
                    FindingKind::ForeignMarker,
                    2,
                    "orders.perf.internal",
                    "perf",
                    true,
                ),
                (FindingKind::DeniedSetting, 2, "perf", "production", true),
            ],
        },
        Case {
            name: "the same line in staging only warns (no denied settings there)",
            target: "staging",
            file: shipped(
                "config/staging.toml",
                &[(
                    1,
                    "orders_source = \"https://orders.perf.internal:8443/v1\"",
                )],
            ),
            want: vec![(
                FindingKind::ForeignMarker,
                1,
                "orders.perf.internal",
                "perf",
                false,
            )],
        },
        Case {
            name: "a marker in a shared file counts, matched without case",
            target: "production",
            file: shipped("config/app.toml", &[(7, "fallback_db = ORDERS_PERF")]),
            want: vec![(FindingKind::ForeignMarker, 7, "ORDERS_PERF", "perf", true)],
        },
        Case {
            name: "a marker in its own environment's file is no finding, only path scope",
            target: "production",
            file: shipped(
                "config/perf.toml",
                &[(
                    1,
                    "orders_source = \"https://orders.perf.internal:8443/v2\"",
                )],
            ),
            want: vec![(FindingKind::PathScope, 1, "config/perf.toml", "perf", false)],
        },
        Case {
            name: "the target's own markers are not foreign",
            target: "production",
            file: shipped("config/app.toml", &[(1, "primary = orders_prod")]),
            want: vec![],
        },
        Case {
            name: "a commented-out line configures nothing",
            target: "production",
            file: shipped(
                "config/production.toml",
                &[(9, "# was orders_perf, debug = true")],
            ),
            want: vec![],
        },
        Case {
            name: "denied settings in production",
            target: "production",
            file: shipped(
                "config/production.toml",
                &[
                    (3, "debug = true"),
                    (4, "auth = { disable_auth = 1 }"),
                    (5, "payments = \"mock\""),
                    (6, "debug = false"),
                ],
            ),
            want: vec![
                (
                    FindingKind::DeniedSetting,
                    3,
                    "debug = true",
                    "production",
                    true,
                ),
                (
                    FindingKind::DeniedSetting,
                    4,
                    "disable_auth",
                    "production",
                    true,
                ),
                (FindingKind::DeniedSetting, 5, "mock", "production", true),
            ],
        },
        Case {
            name: "denied settings are the target's: qa may mock",
            target: "qa",
            file: shipped("config/qa.toml", &[(1, "payments = \"mock\"")]),
            want: vec![],
        },
        Case {
            name: "a secret warns and is never repeated",
            target: "qa",
            file: shipped(
                "src/client.rs",
                &[(12, "let key = \"AKIAABCDEFGHIJKLMNOP\";")],
            ),
            want: vec![(
                FindingKind::Secret,
                12,
                "AKIA… (20 characters)",
                "qa",
                false,
            )],
        },
        Case {
            name: "a URL with a password warns",
            target: "production",
            file: shipped(
                "config/app.toml",
                &[(2, "url = \"postgres://app:hunter22@db.example.com/app\"")],
            ),
            want: vec![(
                FindingKind::Secret,
                2,
                "post… (38 characters)",
                "production",
                false,
            )],
        },
    ];
    for case in cases {
        let report = guard(&settings, case.target).scan(std::slice::from_ref(&case.file));
        let got: Vec<_> = report
            .findings
            .iter()
            .map(|f| {
                (
                    f.kind,
                    f.line,
                    f.matched.as_str(),
                    f.environment.as_str(),
                    f.blocks,
                )
            })
            .collect();
        assert_eq!(got, case.want, "{}", case.name);
    }
}

#[test]
fn binary_and_large_files_are_skipped_with_a_note() {
    let mut binary = shipped("assets/logo.png", &[]);
    binary.binary = true;
    let mut big = shipped("data/seed.sql", &[(1, "orders_perf")]);
    big.size = MAX_FILE_BYTES + 1;
    let report = guard(&GuardSettings::default(), "production").scan(&[binary, big]);
    assert!(report.findings.is_empty());
    assert_eq!(
        report
            .skipped
            .iter()
            .map(|s| (s.path.as_str(), s.why.as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("assets/logo.png", "binary"),
            ("data/seed.sql", "over 1 MB")
        ]
    );
}

#[test]
fn overlapping_markers_give_one_finding_per_environment_and_line() {
    let settings = GuardSettings {
        markers: vec![
            ManualMarker {
                environment: "perf".into(),
                text: "perf.internal".into(),
            },
            ManualMarker {
                environment: "staging".into(),
                text: "orders.perf".into(),
            },
        ],
        ..GuardSettings::default()
    };
    let report = guard(&settings, "production").scan(&[shipped(
        "config/app.toml",
        &[(1, "src = orders.perf.internal")],
    )]);
    let got: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::ForeignMarker)
        .map(|f| (f.environment.as_str(), f.matched.as_str(), f.rule.as_str()))
        .collect();
    // perf's learned marker is the longest of perf's; staging's hand-added one overlaps it.
    assert_eq!(
        got,
        vec![
            (
                "perf",
                "orders.perf.internal",
                "learned from config/perf.toml:1"
            ),
            ("staging", "orders.perf", "added by hand"),
        ]
    );
}

#[test]
fn modes_and_overrides_decide_the_verdicts() {
    let line = shipped(
        "config/production.toml",
        &[(
            2,
            "orders_source = \"https://orders.perf.internal:8443/v1\"",
        )],
    );
    let outcomes = |settings: &GuardSettings, lifted: GuardOverride<'_>| -> Vec<Outcome> {
        let report = guard(settings, "production").scan(std::slice::from_ref(&line));
        verdicts(&report, settings.override_role.as_deref(), &lifted)
            .iter()
            .map(|v| v.outcome)
            .collect()
    };
    let default = GuardSettings::default();
    let warn = GuardSettings {
        modes: vec![("production".into(), GuardMode::Warn)],
        ..GuardSettings::default()
    };
    let off = GuardSettings {
        modes: vec![("production".into(), GuardMode::Off)],
        ..GuardSettings::default()
    };
    let by_role = GuardSettings {
        override_role: Some("security".into()),
        ..GuardSettings::default()
    };
    use Outcome::*;
    let cases: Vec<(&str, &GuardSettings, GuardOverride<'_>, Vec<Outcome>)> = vec![
        (
            "production blocks",
            &default,
            GuardOverride::None,
            vec![Block, Block],
        ),
        (
            "a reason overrides",
            &default,
            GuardOverride::Reason("perf host is the new shared gateway"),
            vec![Overridden, Overridden],
        ),
        (
            "a blank reason does not",
            &default,
            GuardOverride::Reason("  "),
            vec![Block, Block],
        ),
        ("warn mode", &warn, GuardOverride::None, vec![Warn, Warn]),
        ("off", &off, GuardOverride::None, vec![]),
        (
            "with an override role a reason is not enough",
            &by_role,
            GuardOverride::Reason("trust me"),
            vec![Block, Block],
        ),
        (
            "with an override role its sign-off lifts it",
            &by_role,
            GuardOverride::SignedOffBy("sam@example.com"),
            vec![Overridden, Overridden],
        ),
    ];
    for (name, settings, lifted, want) in cases {
        assert_eq!(outcomes(settings, lifted), want, "{name}");
    }
    let report = guard(&by_role, "production").scan(std::slice::from_ref(&line));
    let v = verdicts(&report, Some("security"), &GuardOverride::None);
    assert_eq!(v[0].kind, GateKind::Config);
    assert_eq!(
        v[0].sentence,
        "config/production.toml:2 carries perf's “orders.perf.internal” (learned from config/perf.toml:1) — a sign-off by a security lifts it"
    );
}

#[test]
fn bad_settings_are_refused_with_what_is_wrong() {
    let cases: Vec<(GuardSettings, &str)> = vec![
        (
            GuardSettings {
                markers: vec![ManualMarker {
                    environment: "perf".into(),
                    text: "p".into(),
                }],
                ..GuardSettings::default()
            },
            "the marker “p” is too short: a marker has at least 4 characters, or it would match everywhere",
        ),
        (
            GuardSettings {
                markers: vec![ManualMarker {
                    environment: "perf".into(),
                    text: "".into(),
                }],
                ..GuardSettings::default()
            },
            "the marker “” is too short: a marker has at least 4 characters, or it would match everywhere",
        ),
        (
            GuardSettings {
                markers: vec![ManualMarker {
                    environment: "perf".into(),
                    text: "orders\nperf".into(),
                }],
                ..GuardSettings::default()
            },
            "a marker is one line of text without control characters",
        ),
        (
            GuardSettings {
                globs: Some(vec!["config/<env>/[".into()]),
                ..GuardSettings::default()
            },
            "the file pattern “config/env/[” is not a valid glob: unclosed character class; missing ']'",
        ),
        (
            GuardSettings {
                globs: Some(vec!["config/*.toml".into()]),
                ..GuardSettings::default()
            },
            "the file pattern “config/*.toml” has no <env>: each pattern says where an environment's name goes, such as config/<env>.*",
        ),
        (
            GuardSettings {
                denied: Some(vec![DeniedSetting {
                    environment: "production".into(),
                    pattern: "debug(".into(),
                    why: "x".into(),
                }]),
                ..GuardSettings::default()
            },
            "the denied pattern “debug(” is not a valid regular expression: error: unclosed group",
        ),
        (
            GuardSettings {
                other_environments: Some(vec!["Perf Test".into()]),
                ..GuardSettings::default()
            },
            "“Perf Test” is not an environment name (lower-case letters, digits, - and _)",
        ),
    ];
    for (settings, want) in cases {
        assert_eq!(settings.check().unwrap_err().to_string(), want);
    }
    assert!(GuardSettings::default().check().is_ok());
}
