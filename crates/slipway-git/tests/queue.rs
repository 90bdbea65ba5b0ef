//! The git adapter against real repositories, checked against the git command line.

use std::process::Command;

use chrono::{TimeZone, Utc};

use crate::support::{git, rev_list};
use slipway_git::{write_demo, GitError, Repo, DEMO_ENVIRONMENTS};

#[test]
fn demo_queues_match_git_rev_list() {
    let tmp = tempfile::tempdir().unwrap();
    let anchor = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
    let demo = write_demo(tmp.path(), anchor).unwrap();
    assert!(demo.changes >= 300, "only {} changes", demo.changes);

    let mut repo = Repo::open(&demo.clone).unwrap();
    let mut upstream = "main".to_string();
    for (env, _) in DEMO_ENVIRONMENTS {
        let branch = format!("deploy/{env}");
        let ours: Vec<String> = repo
            .first_parent_range(&branch, &upstream)
            .unwrap()
            .into_iter()
            .map(|c| c.sha)
            .collect();
        assert_eq!(
            ours,
            rev_list(&demo.clone, &format!("{branch}..{upstream}")),
            "queue of {env}"
        );
        assert!(
            ours.len() >= 2,
            "{env} stands {} changes behind",
            ours.len()
        );
        // Pushed to origin, at the same commit.
        assert_eq!(
            git(&demo.origin, &["rev-parse", &branch]),
            git(&demo.clone, &["rev-parse", &branch])
        );
        let tip = repo.tip(&branch).unwrap();
        assert!(
            tip.since >= tip.change.merged_at && tip.since <= anchor,
            "{env} deployed at {}",
            tip.since
        );
        upstream = branch;
    }

    let log = git(
        &demo.clone,
        &[
            "log",
            "--first-parent",
            "--format=%H%x00%P%x00%an%x00%s",
            "main",
        ],
    );
    let rows: Vec<Vec<&str>> = log.lines().map(|l| l.split('\0').collect()).collect();
    let merges = rows.iter().filter(|r| r[1].contains(' ')).count();
    let reverts = rows.iter().filter(|r| r[3].starts_with("Revert ")).count();
    let authors: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[2]).collect();
    assert!(
        merges > 100 && merges < rows.len() - 100,
        "{merges} merge commits of {}",
        rows.len()
    );
    assert!(reverts >= 3, "{reverts} reverts");
    assert!(authors.len() >= 5, "authors: {authors:?}");
    let first = rows.last().unwrap()[0];
    let newest = git(&demo.clone, &["log", "-1", "--format=%ct", "main"]);
    let oldest = git(&demo.clone, &["log", "-1", "--format=%ct", first]);
    let span_days =
        (newest.trim().parse::<i64>().unwrap() - oldest.trim().parse::<i64>().unwrap()) / 86_400;
    assert!(
        (28..=32).contains(&span_days),
        "history spans {span_days} days"
    );

    let trunk_only = slipway_core::Pipeline {
        trunk: "main".into(),
        environments: vec![],
    };
    let (_, changes) = repo.read_pipeline(&trunk_only, vec![], 400).unwrap().trunk;
    assert!(changes.iter().any(|c| c.reverts.is_some()));
    assert!(changes.iter().filter(|c| c.pr.is_some()).count() > 250);
    assert!(changes
        .iter()
        .any(|c| c.tickets.iter().any(|t| t.starts_with("PAY-"))));
    assert!(changes.iter().any(|c| c.author == "Zoë Müller"));
    assert!(
        git(&demo.clone, &["status", "--porcelain"]).is_empty(),
        "work tree is clean"
    );
}

#[test]
fn demo_is_reproducible() {
    let anchor = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
    let heads: Vec<String> = (0..2)
        .map(|_| {
            let tmp = tempfile::tempdir().unwrap();
            let demo = write_demo(tmp.path(), anchor).unwrap();
            git(
                &demo.clone,
                &[
                    "rev-parse",
                    "main",
                    "deploy/qa",
                    "deploy/staging",
                    "deploy/production",
                ],
            )
        })
        .collect();
    assert_eq!(heads[0], heads[1]);
}

#[test]
fn bad_repositories_and_refs_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let gone = tmp.path().join("gone");
    assert!(matches!(Repo::open(&gone), Err(GitError::RepositoryMissing(p)) if p == gone));
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap();
    assert!(matches!(
        Repo::open(&file),
        Err(GitError::NotARepository(_))
    ));
    let plain = tmp.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    assert!(matches!(
        Repo::open(&plain),
        Err(GitError::NotARepository(_))
    ));

    git(tmp.path(), &["init", "-q", "-b", "main", "r"]);
    let r = tmp.path().join("r");
    let mut repo = Repo::open(&r).unwrap();
    // Unborn trunk: the ref does not exist yet.
    assert!(matches!(repo.tip("main"), Err(GitError::RefMissing(n)) if n == "main"));
    let fixed = [
        ("GIT_AUTHOR_DATE", "2026-11-01T10:00:00Z"),
        ("GIT_COMMITTER_DATE", "2026-11-01T10:00:00Z"),
    ];
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Tëst \u{fffd}",
            "-c",
            "user.email=t@x",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "PAY-9: first (#3)",
        ])
        .current_dir(&r)
        .envs(fixed)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tip = repo.tip("main").unwrap();
    assert_eq!(
        (tip.change.title.as_str(), tip.change.pr),
        ("PAY-9: first", Some(3))
    );
    assert_eq!(
        tip.change.merged_at,
        Utc.with_ymd_and_hms(2026, 11, 1, 10, 0, 0).unwrap()
    );
    assert!(
        matches!(repo.first_parent_range("deploy/nope", "main"), Err(GitError::RefMissing(n)) if n == "deploy/nope")
    );
    assert!(matches!(
        repo.first_parent_range("main", "$(boom)"),
        Err(GitError::RefMissing(_))
    ));
}
