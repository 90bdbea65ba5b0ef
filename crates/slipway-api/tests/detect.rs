//! Pipeline detection on real repositories the tests build: every family of branch and tag,
//! mixed, none, a detached environment branch, a clone without `origin/HEAD`, and each kind
//! of folder that cannot be a project's clone. A stored proposal's queues are git's.

use std::path::{Path, PathBuf};

use slipway_api::{
    add_project, detect_pipeline, init_workspace, load_board, proposal_specs, ErrorCode,
    RefFamilyDto, SystemClock, Workspace,
};

use crate::support::{git, git_at};

const T0: i64 = 1_764_000_000;

/// A clone with `merges` commits on `trunk` (one an hour), pushed to a bare origin; each
/// `(ref, commits_behind)` is a branch (or, with `tag:` first, a tag) at trunk~behind.
/// `origin/HEAD` is set when `head` is.
fn clone_with(
    root: &Path,
    trunk: &str,
    merges: usize,
    refs: &[(&str, usize)],
    head: bool,
) -> PathBuf {
    let origin = root.join("origin.git");
    let work = root.join("work");
    std::fs::create_dir_all(&work).unwrap();
    git(
        root,
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            trunk,
            origin.to_str().unwrap(),
        ],
    );
    git(&work, &["init", "-q", "-b", trunk]);
    for i in 0..merges {
        git_at(
            &work,
            &[
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                &format!("Change {i}"),
            ],
            T0 + i as i64 * 3600,
        );
    }
    for (name, behind) in refs {
        let at = format!("HEAD~{behind}");
        match name.strip_prefix("tag:") {
            Some(tag) => git(&work, &["tag", tag, &at]),
            None => git(&work, &["branch", name, &at]),
        };
    }
    git(
        &work,
        &["remote", "add", "origin", origin.to_str().unwrap()],
    );
    git(&work, &["push", "-q", "origin", "--all"]);
    git(&work, &["push", "-q", "origin", "--tags"]);
    git(&work, &["fetch", "-q", "origin"]);
    if head {
        git(&work, &["remote", "set-head", "origin", trunk]);
    }
    work
}

fn names(p: &slipway_api::PipelineProposalDto) -> Vec<(String, String, String, usize)> {
    p.environments
        .iter()
        .map(|e| {
            (
                e.name.clone(),
                e.strategy.clone(),
                e.ref_name.clone(),
                e.behind,
            )
        })
        .collect()
}

fn row(
    name: &str,
    strategy: &str,
    reference: &str,
    behind: usize,
) -> (String, String, String, usize) {
    (name.into(), strategy.into(), reference.into(), behind)
}

#[tokio::test]
async fn each_family_of_refs_is_read_as_a_pipeline_in_order() {
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a [(&'a str, usize)],
        bool,
        Vec<(String, String, String, usize)>,
    );
    let cases: Vec<Case> = vec![
        (
            "deploy branches",
            "main",
            &[
                ("deploy/production", 6),
                ("deploy/qa", 1),
                ("deploy/staging", 3),
            ],
            true,
            vec![
                row("qa", "branch", "deploy/qa", 1),
                row("staging", "branch", "deploy/staging", 3),
                row("production", "branch", "deploy/production", 6),
            ],
        ),
        (
            "env, environment and release branches",
            "main",
            &[
                ("env/dev", 0),
                ("environment/uat", 2),
                ("release/staging", 4),
                ("release/1.2", 5),
            ],
            true,
            vec![
                row("dev", "branch", "env/dev", 0),
                row("uat", "branch", "environment/uat", 2),
                row("staging", "branch", "release/staging", 4),
            ],
        ),
        (
            "tags",
            "main",
            &[
                ("tag:production/2026-11-01", 7),
                ("tag:production/2026-11-20", 5),
                ("tag:v1.0", 6),
                ("tag:qa-12", 1),
            ],
            true,
            vec![
                row("qa", "tag", "qa-*", 1),
                row("production", "tag", "production/*", 5),
            ],
        ),
        (
            "mixed: a named branch, version tags, and one environment found twice",
            "main",
            &[
                ("staging", 2),
                ("deploy/production", 5),
                ("tag:v2.0.0-production", 5),
                ("feature/login", 0),
            ],
            true,
            vec![
                row("staging", "branch", "staging", 2),
                row("production", "branch", "deploy/production", 5),
            ],
        ),
        (
            "no origin/HEAD: master by name",
            "master",
            &[("deploy/qa", 1)],
            false,
            vec![row("qa", "branch", "deploy/qa", 1)],
        ),
        (
            "nothing that looks like an environment",
            "main",
            &[("feature/x", 1), ("tag:v1.0", 2)],
            true,
            vec![],
        ),
    ];
    for (what, trunk, refs, head, want) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let work = clone_with(tmp.path(), trunk, 10, refs, head);
        let proposal = detect_pipeline(&work)
            .await
            .unwrap_or_else(|e| panic!("{what}: {}", e.message));
        assert_eq!(proposal.trunk, trunk, "{what}");
        assert_eq!(names(&proposal), want, "{what}");
        assert_eq!(proposal.suggested_name, "work", "{what}");
        let evidence = if head {
            format!("origin/HEAD points at {trunk}")
        } else {
            "origin/HEAD is not set".to_string()
        };
        assert!(
            proposal.trunk_evidence.contains(&evidence),
            "{what}: {}",
            proposal.trunk_evidence
        );
        for e in &proposal.environments {
            let place = match e.behind {
                0 => "level with trunk".to_string(),
                n => format!(
                    "{n} change{} behind trunk ({n} h)",
                    if n == 1 { "" } else { "s" }
                ),
            };
            assert!(e.evidence.contains(&place), "{what}: {}", e.evidence);
        }
        if want.is_empty() {
            assert!(proposal.looked_for.contains("deploy/<env>"), "{what}");
        }
    }
}

#[tokio::test]
async fn a_detached_environment_branch_and_remote_only_branches_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let work = clone_with(tmp.path(), "main", 8, &[("deploy/production", 4)], true);
    // A hotfix on production, off trunk's line; staging exists only on the remote.
    git(&work, &["checkout", "-q", "deploy/production"]);
    git_at(
        &work,
        &["commit", "-q", "--allow-empty", "-m", "Hotfix"],
        T0 + 9 * 3600,
    );
    git(&work, &["push", "-q", "origin", "deploy/production"]);
    git(&work, &["checkout", "-q", "main"]);
    git(
        &work,
        &["push", "-q", "origin", "main~1:refs/heads/deploy/staging"],
    );
    git(&work, &["fetch", "-q", "origin"]);
    let proposal = detect_pipeline(&work).await.unwrap();
    assert_eq!(
        names(&proposal),
        vec![
            row("staging", "branch", "origin/deploy/staging", 1),
            row("production", "branch", "deploy/production", 4)
        ]
    );
    assert_eq!(proposal.environments[1].ahead, 1);
    assert!(
        proposal.environments[1]
            .evidence
            .ends_with("; 1 commit not on trunk"),
        "{}",
        proposal.environments[1].evidence
    );
    assert_eq!(proposal.environments[0].family, RefFamilyDto::DeployBranch);
}

#[tokio::test]
async fn a_stored_proposal_queues_what_git_says() {
    let tmp = tempfile::tempdir().unwrap();
    let work = clone_with(
        tmp.path(),
        "main",
        12,
        &[
            ("deploy/qa", 2),
            ("deploy/staging", 5),
            ("tag:production/1", 9),
            ("tag:production/2", 8),
        ],
        true,
    );
    let ws = tmp.path().join("ws");
    init_workspace(&ws).await.unwrap();
    let workspace = Workspace::open(&ws).await.unwrap();
    let proposal = detect_pipeline(&work).await.unwrap();
    add_project(
        &workspace,
        "work",
        &work,
        &proposal.trunk,
        &proposal_specs(&proposal),
        &SystemClock,
    )
    .await
    .unwrap();
    let board = load_board(&workspace, &SystemClock).await.unwrap();
    let project = &board.projects[0];
    let mut upstream = "main".to_string();
    for env in &project.environments {
        let here = match env.name.as_str() {
            "production" => git(
                &work,
                &[
                    "describe",
                    "--tags",
                    "--abbrev=0",
                    "--match",
                    "production/*",
                    "deploy/staging~3",
                ],
            ),
            _ => format!("deploy/{}", env.name),
        };
        let want: Vec<String> = git(
            &work,
            &[
                "rev-list",
                "--first-parent",
                "--reverse",
                &format!("{here}..{upstream}"),
            ],
        )
        .lines()
        .map(str::to_string)
        .collect();
        let shown: Vec<String> = env.queue.iter().map(|c| c.change.sha.clone()).collect();
        assert_eq!(shown, want, "queue of {}", env.name);
        upstream = here;
    }
    let counts: Vec<usize> = project.environments.iter().map(|e| e.queue.len()).collect();
    assert_eq!(counts, [2, 3, 3]);
}

#[tokio::test]
async fn folders_that_cannot_be_a_clone_are_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let plain = root.join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    std::fs::write(plain.join("README"), "hello").unwrap();
    let bare = root.join("bare.git");
    git(root, &["init", "-q", "--bare", bare.to_str().unwrap()]);
    let lonely = root.join("lonely");
    std::fs::create_dir_all(&lonely).unwrap();
    git(&lonely, &["init", "-q", "-b", "main"]);
    git_at(&lonely, &["commit", "-q", "--allow-empty", "-m", "One"], T0);
    let unborn = root.join("unborn");
    std::fs::create_dir_all(&unborn).unwrap();
    git(&unborn, &["init", "-q", "-b", "main"]);
    git(
        &unborn,
        &["remote", "add", "origin", bare.to_str().unwrap()],
    );
    let no_trunk = clone_with(&root.join("nt"), "develop", 3, &[("deploy/qa", 1)], false);
    let cases: [(&Path, ErrorCode, &str); 6] = [
        (
            &root.join("missing"),
            ErrorCode::RepositoryMissing,
            "does not exist",
        ),
        (&plain, ErrorCode::NotARepository, "is not a git repository"),
        (&bare, ErrorCode::NotARepository, "it is a bare repository"),
        (&lonely, ErrorCode::NotARepository, "it has no remote"),
        (&unborn, ErrorCode::NotARepository, "it has no commits yet"),
        (
            &no_trunk,
            ErrorCode::NotARepository,
            "cannot tell its trunk",
        ),
    ];
    for (path, code, says) in cases {
        let before = listing(root);
        let e = detect_pipeline(path).await.expect_err(says);
        assert_eq!(e.code, code, "{}: {}", path.display(), e.message);
        assert!(
            e.message.contains(says),
            "{}: {}",
            path.display(),
            e.message
        );
        assert!(
            e.message.contains(&path.display().to_string()) || code == ErrorCode::RepositoryMissing,
            "{}",
            e.message
        );
        assert_eq!(
            listing(root),
            before,
            "nothing written for {}",
            path.display()
        );
    }
}

/// Every path under `dir` with its size, to see that nothing was written.
fn listing(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let meta = e.metadata().unwrap();
            if meta.is_dir() {
                stack.push(e.path());
            } else {
                out.push((e.path(), meta.len()));
            }
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn init_makes_an_empty_workspace_only_in_an_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("new");
    let made = init_workspace(&ws).await.unwrap();
    assert!(made.database.ends_with("slipway.db"));
    let workspace = Workspace::open(&ws).await.unwrap();
    assert!(load_board(&workspace, &SystemClock)
        .await
        .unwrap()
        .projects
        .is_empty());
    drop(workspace);
    // Twice: refused, and the workspace is as it was.
    let before = listing(&ws);
    let e = init_workspace(&ws).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::WorkspaceExists, "{}", e.message);
    assert_eq!(listing(&ws), before);
    // A folder with files in it, and a file.
    let full = tmp.path().join("full");
    std::fs::create_dir_all(&full).unwrap();
    std::fs::write(full.join("notes.txt"), "mine").unwrap();
    let e = init_workspace(&full).await.unwrap_err();
    assert!(
        e.message.contains("is not empty") && e.message.contains("notes.txt"),
        "{}",
        e.message
    );
    assert_eq!(listing(&full).len(), 1);
    let file = full.join("notes.txt");
    let e = init_workspace(&file).await.unwrap_err();
    assert!(e.message.contains("is a file"), "{}", e.message);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}

#[tokio::test]
async fn the_first_run_makes_the_workspace_and_project_together_or_neither() {
    let tmp = tempfile::tempdir().unwrap();
    let work = clone_with(
        tmp.path(),
        "main",
        6,
        &[("deploy/qa", 1), ("deploy/production", 3)],
        true,
    );
    let ws = tmp.path().join("ws");
    std::fs::create_dir_all(ws.join("logs")).unwrap();
    let session = slipway_api::Session::new(&ws);
    let proposal = session.detect(work.to_str().unwrap()).await.unwrap();
    // An environment the clone does not have: refused, and no workspace is left behind.
    let mut specs = proposal_specs(&proposal);
    specs.push(("canary".into(), "branch:deploy/canary".into()));
    let e = session
        .start_with_repository("mine", work.to_str().unwrap(), &proposal.trunk, &specs)
        .await
        .unwrap_err();
    assert!(e.message.contains("deploy/canary"), "{}", e.message);
    assert!(!Workspace::exists(&ws));
    assert_eq!(listing(&ws), vec![], "only the logs folder is there");
    // Renamed as the first-run page lets you: the board is git's.
    specs.pop();
    specs[0].0 = "test".into();
    let added = session
        .start_with_repository("mine", work.to_str().unwrap(), &proposal.trunk, &specs)
        .await
        .unwrap();
    assert_eq!(
        added
            .environments
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>(),
        ["test", "production"]
    );
    let board = session.board().await.unwrap();
    let queues: Vec<(String, usize)> = board.projects[0]
        .environments
        .iter()
        .map(|e| (e.name.clone(), e.queue.len()))
        .collect();
    assert_eq!(
        queues,
        [("test".to_string(), 1), ("production".to_string(), 2)]
    );
    assert!(session.info().workspace_exists);
}
