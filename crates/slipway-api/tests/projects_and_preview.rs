//! Adding projects (and every way to get it wrong), and the promotion preview.

use std::path::Path;

use crate::support::git;
use chrono::{TimeZone, Utc};
use slipway_api::{
    add_project, create_demo, list_projects, preview, remove_project, ErrorCode, Workspace,
};
use slipway_core::FixedClock;

async fn demo_workspace(dir: &Path) -> Workspace {
    create_demo(dir, Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap())
        .await
        .unwrap();
    Workspace::open(dir).await.unwrap()
}

fn envs(specs: &[(&str, &str)]) -> Vec<(String, String)> {
    specs
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect()
}

#[tokio::test]
async fn projects_are_added_checked_and_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = demo_workspace(&tmp.path().join("ws")).await;
    let repo = tmp.path().join("ws/repos/payments");
    git(
        &repo,
        &["tag", "production/2026-11-20", "deploy/production"],
    );
    let clock = FixedClock(Utc::now());
    let added = add_project(
        &ws,
        "billing",
        &repo,
        "main",
        &envs(&[("qa", "branch:deploy/qa"), ("prod", "tag:production/*")]),
        &clock,
    )
    .await
    .unwrap();
    assert_eq!(added.environments[1].strategy, "tag");

    let nope = tmp.path().join("nope");
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let before = list_projects(&ws).await.unwrap().len();
    /// name, repository, trunk, environments; the error code and what its message names.
    type Case<'a> = (
        &'a str,
        &'a Path,
        &'a str,
        Vec<(String, String)>,
        ErrorCode,
        &'a str,
    );
    let bad: Vec<Case> = vec![
        (
            "billing",
            &repo,
            "main",
            envs(&[("qa", "branch:deploy/qa")]),
            ErrorCode::ProjectExists,
            "exists already",
        ),
        (
            "a b",
            &repo,
            "main",
            envs(&[("qa", "branch:deploy/qa")]),
            ErrorCode::InvalidInput,
            "Project name \"a b\"",
        ),
        (
            "x",
            &repo,
            "main",
            envs(&[("qa", "branch:deploy/qa;reboot")]),
            ErrorCode::InvalidInput,
            "deploy/qa;reboot",
        ),
        (
            "x",
            &repo,
            "main",
            envs(&[("qa", "tag:$(x)*")]),
            ErrorCode::InvalidInput,
            "$(x)*",
        ),
        (
            "x",
            &repo,
            "main",
            envs(&[("QA", "branch:deploy/qa")]),
            ErrorCode::InvalidInput,
            "QA",
        ),
        (
            "x",
            &repo,
            "main",
            envs(&[("qa", "svn:trunk")]),
            ErrorCode::InvalidInput,
            "svn:trunk",
        ),
        (
            "x",
            &repo,
            "main",
            envs(&[]),
            ErrorCode::InvalidInput,
            "at least one environment",
        ),
        (
            "x",
            &repo,
            "main",
            envs(&[("qa", "branch:deploy/qa"), ("qa", "db")]),
            ErrorCode::InvalidInput,
            "twice",
        ),
        (
            "x",
            &repo,
            "--force",
            envs(&[("qa", "branch:deploy/qa")]),
            ErrorCode::InvalidInput,
            "--force",
        ),
        (
            "x",
            &repo,
            "trunk",
            envs(&[("qa", "branch:deploy/qa")]),
            ErrorCode::RefMissing,
            "\"trunk\"",
        ),
        (
            "x",
            &repo,
            "main",
            envs(&[("qa", "branch:deploy/gone")]),
            ErrorCode::RefMissing,
            "deploy/gone",
        ),
        (
            "x",
            &repo,
            "main",
            envs(&[("qa", "tag:nightly/*")]),
            ErrorCode::RefMissing,
            "nightly/*",
        ),
        (
            "x",
            &nope,
            "main",
            envs(&[("qa", "db")]),
            ErrorCode::RepositoryMissing,
            "nope",
        ),
        (
            "x",
            &file,
            "main",
            envs(&[("qa", "db")]),
            ErrorCode::NotARepository,
            "file",
        ),
    ];
    for (name, path, trunk, specs, code, says) in bad {
        let err = add_project(&ws, name, path, trunk, &specs, &clock)
            .await
            .unwrap_err();
        assert_eq!(err.code, code, "{name} {specs:?}: {}", err.message);
        assert!(
            err.message.contains(says),
            "{:?} should mention {says:?}",
            err.message
        );
        assert_eq!(
            list_projects(&ws).await.unwrap().len(),
            before,
            "nothing stored after {:?}",
            err.message
        );
    }

    remove_project(&ws, "billing").await.unwrap();
    assert_eq!(
        remove_project(&ws, "billing").await.unwrap_err().code,
        ErrorCode::ProjectMissing
    );
    assert_eq!(list_projects(&ws).await.unwrap().len(), 1);
}

#[tokio::test]
async fn preview_ships_the_queue_and_names_what_stays_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = demo_workspace(&tmp.path().join("ws")).await;
    let repo = tmp.path().join("ws/repos/payments");

    let all = preview(&ws, "payments", "staging", None).await.unwrap();
    let expected: Vec<String> = git(
        &repo,
        &[
            "rev-list",
            "--first-parent",
            "--reverse",
            "deploy/staging..deploy/qa",
        ],
    )
    .lines()
    .map(str::to_string)
    .collect();
    assert_eq!(
        all.shipping
            .iter()
            .map(|c| c.sha.clone())
            .collect::<Vec<_>>(),
        expected
    );
    assert!(all.left_behind.is_empty());
    assert_eq!(all.to.as_ref().unwrap().sha, *expected.last().unwrap());
    // Files and line counts agree with git diff --numstat.
    let numstat = git(&repo, &["diff", "--numstat", "deploy/staging", "deploy/qa"]);
    assert_eq!(all.files.len(), numstat.lines().count());
    let added: usize = numstat
        .lines()
        .map(|l| l.split('\t').next().unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(all.additions, added);
    assert!(all.release_notes.starts_with("## payments → staging\n"));
    assert!(!all.authors.is_empty() && !all.prs.is_empty());

    // Up to the second queued change: the rest stay behind and are named.
    let second = &expected[1];
    let partial = preview(&ws, "payments", "staging", Some(&second[..10]))
        .await
        .unwrap();
    assert_eq!(partial.shipping.len(), 2);
    assert_eq!(partial.left_behind.len(), expected.len() - 2);
    assert!(partial
        .release_notes
        .contains(&format!("### Staying behind ({})", expected.len() - 2)));

    let bad: Vec<(&str, &str, Option<&str>, ErrorCode)> = vec![
        ("nope", "qa", None, ErrorCode::ProjectMissing),
        ("payments", "uat", None, ErrorCode::InvalidInput),
        ("payments", "qa", Some("zzzzzzz"), ErrorCode::InvalidInput),
        ("payments", "qa", Some("abc"), ErrorCode::InvalidInput),
        (
            "payments",
            "production",
            Some(&expected[0]),
            ErrorCode::InvalidInput,
        ), // not in production's queue
    ];
    for (project, env, to, code) in bad {
        let err = preview(&ws, project, env, to).await.unwrap_err();
        assert_eq!(err.code, code, "{project} {env} {to:?}: {}", err.message);
    }
}

#[tokio::test]
async fn environments_tracked_in_the_database_follow_recorded_deployments() {
    use slipway_api::{load_board, record_deployment};
    let tmp = tempfile::tempdir().unwrap();
    let ws = demo_workspace(&tmp.path().join("ws")).await;
    let repo = tmp.path().join("ws/repos/payments");
    let clock = FixedClock(Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap());
    add_project(
        &ws,
        "audited",
        &repo,
        "main",
        &envs(&[("qa", "branch:deploy/qa"), ("audit", "db")]),
        &clock,
    )
    .await
    .unwrap();

    let column = |b: &slipway_api::BoardDto| {
        b.projects
            .iter()
            .find(|p| p.name == "audited")
            .unwrap()
            .environments[1]
            .clone()
    };
    let board = load_board(&ws, &clock).await.unwrap();
    let err = column(&board).error.unwrap();
    assert_eq!(err.code, ErrorCode::RefMissing);
    assert!(
        err.message
            .contains("No deployment to \"audit\" is recorded yet"),
        "{}",
        err.message
    );

    let old = git(&repo, &["rev-parse", "deploy/production"]);
    let at = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
    let full = record_deployment(&ws, "audited", "audit", &old[..9], at, "Zoë")
        .await
        .unwrap();
    assert_eq!(full, old);
    let board = load_board(&ws, &clock).await.unwrap();
    let audit = column(&board);
    assert!(audit.error.is_none(), "{:?}", audit.error);
    assert_eq!(audit.tip.as_ref().unwrap().since, "2026-11-20T09:00:00Z");
    let want: Vec<String> = git(
        &repo,
        &[
            "rev-list",
            "--first-parent",
            "--reverse",
            &format!("{old}..deploy/qa"),
        ],
    )
    .lines()
    .map(str::to_string)
    .collect();
    assert_eq!(
        audit
            .queue
            .iter()
            .map(|c| c.change.sha.clone())
            .collect::<Vec<_>>(),
        want
    );
    let preview = preview(&ws, "audited", "audit", None).await.unwrap();
    assert_eq!(preview.shipping.len(), want.len());

    let bad = [
        ("audited", "qa", old.as_str(), "tracked by branch"),
        ("audited", "audit", "0000000", "is not a commit"),
        ("audited", "prod", old.as_str(), "no environment"),
    ];
    for (project, env, sha, says) in bad {
        let err = record_deployment(&ws, project, env, sha, at, "x")
            .await
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(err.message.contains(says), "{}", err.message);
    }
    assert_eq!(
        record_deployment(&ws, "nope", "audit", &old, at, "x")
            .await
            .unwrap_err()
            .code,
        ErrorCode::ProjectMissing
    );
}
