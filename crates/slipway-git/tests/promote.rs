//! Promotion writes against real repositories made with the git command line: a bare `origin`
//! and a clone with first-parent merges on `main` and a `deploy/qa` branch pushed to it.

use std::path::{Path, PathBuf};

use chrono::{Duration, TimeZone, Utc};
use git2::Oid;
use slipway_core::TrackingRef;
use slipway_git::{tag_name_for, GitError, Lease, Repo};

use crate::support::{git, git_with, rev_list};

struct Fixture {
    _tmp: tempfile::TempDir,
    origin: PathBuf,
    clone: PathBuf,
    /// `main`'s first-parent chain, oldest first: the initial commit, then four merges.
    main: Vec<String>,
}

impl Fixture {
    /// `main`: initial (app.txt = v0), then merges of features 1..4 (feature 3 sets app.txt to
    /// v1); `deploy/qa` at the second merge; both pushed to `origin` and fetched back.
    fn new() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let origin = tmp.path().join("origin.git");
        let clone = tmp.path().join("clone");
        git(
            tmp.path(),
            &["init", "-q", "--bare", "-b", "main", "origin.git"],
        );
        git(tmp.path(), &["init", "-q", "-b", "main", "clone"]);
        git(&clone, &["config", "user.name", "Release Manager"]);
        git(&clone, &["config", "user.email", "rm@example.com"]);
        write(&clone, "app.txt", "v0\n");
        git(&clone, &["add", "."]);
        git(&clone, &["commit", "-q", "-m", "initial"]);
        for i in 1..=4 {
            let branch = format!("feature/{i}");
            git(&clone, &["checkout", "-q", "-b", &branch]);
            write(&clone, &format!("f{i}.txt"), &format!("feature {i}\n"));
            if i == 3 {
                write(&clone, "app.txt", "v1\n");
            }
            git(&clone, &["add", "."]);
            git(&clone, &["commit", "-q", "-m", &format!("feature {i}")]);
            git(&clone, &["checkout", "-q", "main"]);
            let message = format!("Merge pull request #{i} from team/feature-{i}");
            git(&clone, &["merge", "-q", "--no-ff", "-m", &message, &branch]);
        }
        let main = rev_list(&clone, "main");
        assert_eq!(main.len(), 5);
        git(&clone, &["branch", "deploy/qa", &main[2]]);
        git(
            &clone,
            &["remote", "add", "origin", origin.to_str().unwrap()],
        );
        git(&clone, &["push", "-q", "origin", "main", "deploy/qa"]);
        git(&clone, &["fetch", "-q", "origin"]);
        Fixture {
            _tmp: tmp,
            origin,
            clone,
            main,
        }
    }

    fn repo(&self) -> Repo {
        Repo::open(&self.clone).unwrap()
    }

    /// The commit of `main`'s first-parent chain at `i` (0 = initial).
    fn m(&self, i: usize) -> Oid {
        oid(&self.main[i])
    }

    /// Where `origin`'s `name` stands, as the git command line says.
    fn on_origin(&self, name: &str) -> String {
        git(&self.origin, &["rev-parse", name])
    }

    /// A commit on a new branch `hotfix` from `main`'s tip, by another author; `main` stays
    /// checked out.
    fn hotfix(&self, file: &str, content: &str) -> Oid {
        git(&self.clone, &["checkout", "-q", "-b", "hotfix", "main"]);
        write(&self.clone, file, content);
        git(&self.clone, &["add", "."]);
        git_with(
            &self.clone,
            &["commit", "-q", "-m", "Fix the thing\n\nLonger story."],
            &[
                ("GIT_AUTHOR_NAME", "Dev One"),
                ("GIT_AUTHOR_EMAIL", "dev@x"),
            ],
        );
        git(&self.clone, &["checkout", "-q", "main"]);
        oid(&git(&self.clone, &["rev-parse", "hotfix"]))
    }

    /// Every ref of the clone and where it stands.
    fn refs(&self) -> String {
        git(
            &self.clone,
            &["for-each-ref", "--format=%(refname) %(objectname)"],
        )
    }
}

fn write(dir: &Path, file: &str, content: &str) {
    std::fs::write(dir.join(file), content).unwrap();
}

fn oid(sha: &str) -> Oid {
    Oid::from_str(sha).unwrap()
}

const QA: &str = "refs/heads/deploy/qa";

#[test]
fn a_fast_forward_push_moves_the_remote_branch_and_the_tracking_ref() {
    let f = Fixture::new();
    let repo = f.repo();
    assert!(repo.has_remote("origin"));
    assert!(!repo.has_remote("upstream"));
    assert_eq!(repo.remote_ref("origin", QA, None).unwrap(), Some(f.m(2)));
    assert_eq!(
        repo.remote_ref("origin", "refs/heads/nope", None).unwrap(),
        None
    );

    let lease = Lease::FastForward {
        expected: Some(f.m(2)),
    };
    repo.push_ref("origin", QA, f.m(3), lease, None).unwrap();

    assert_eq!(f.on_origin("deploy/qa"), f.main[3]);
    assert_eq!(
        git(&f.clone, &["rev-parse", "refs/remotes/origin/deploy/qa"]),
        f.main[3]
    );
    // The push moved no local branch.
    assert_eq!(git(&f.clone, &["rev-parse", "deploy/qa"]), f.main[2]);
}

#[test]
fn a_push_is_refused_when_the_remote_moved_since_it_was_read() {
    let f = Fixture::new();
    let repo = f.repo();
    // Someone else promotes first.
    git(&f.origin, &["update-ref", QA, &f.main[3]]);

    let lease = Lease::FastForward {
        expected: Some(f.m(2)),
    };
    let err = repo
        .push_ref("origin", QA, f.m(4), lease, None)
        .unwrap_err();
    match &err {
        GitError::RemoteMoved {
            reference,
            expected,
            actual,
        } => {
            assert_eq!(reference, QA);
            assert_eq!(expected.as_deref(), Some(f.main[2].as_str()));
            assert_eq!(actual.as_deref(), Some(f.main[3].as_str()));
        }
        other => panic!("expected RemoteMoved, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains("branch deploy/qa"), "{message}");
    assert!(message.contains(&f.main[2][..8]), "{message}");
    assert!(!message.contains(&f.main[2]), "full sha in {message}");
    assert!(message.contains("refresh and try again"), "{message}");
    assert_eq!(f.on_origin("deploy/qa"), f.main[3]);
}

#[test]
fn a_rollback_needs_force_and_a_correct_lease() {
    let f = Fixture::new();
    let repo = f.repo();

    let lease = Lease::FastForward {
        expected: Some(f.m(2)),
    };
    let err = repo
        .push_ref("origin", QA, f.m(1), lease, None)
        .unwrap_err();
    assert!(
        matches!(
            err,
            GitError::PushRejected { .. } | GitError::RemoteMoved { .. }
        ),
        "{err:?}"
    );
    assert_eq!(f.on_origin("deploy/qa"), f.main[2]);

    let stale = Lease::Force {
        expected: Some(f.m(3)),
    };
    let err = repo
        .push_ref("origin", QA, f.m(1), stale, None)
        .unwrap_err();
    assert!(matches!(err, GitError::RemoteMoved { .. }), "{err:?}");
    assert_eq!(f.on_origin("deploy/qa"), f.main[2]);

    let lease = Lease::Force {
        expected: Some(f.m(2)),
    };
    repo.push_ref("origin", QA, f.m(1), lease, None).unwrap();
    assert_eq!(f.on_origin("deploy/qa"), f.main[1]);
    assert_eq!(
        git(&f.clone, &["rev-parse", "refs/remotes/origin/deploy/qa"]),
        f.main[1]
    );
}

#[test]
fn create_pushes_a_new_tag_and_refuses_an_existing_one() {
    let f = Fixture::new();
    let repo = f.repo();
    let name = "production/20261123-101500";
    let reference = format!("refs/tags/{name}");
    let tag = repo
        .create_tag(name, f.m(3), "Promote to production")
        .unwrap();

    repo.push_ref("origin", &reference, tag, Lease::Create, None)
        .unwrap();
    assert_eq!(f.on_origin(&reference), tag.to_string());
    assert_eq!(f.on_origin(&format!("{reference}^{{commit}}")), f.main[3]);
    assert_eq!(
        repo.remote_ref("origin", &reference, None).unwrap(),
        Some(tag)
    );

    let err = repo
        .push_ref("origin", &reference, tag, Lease::Create, None)
        .unwrap_err();
    match err {
        GitError::RemoteMoved {
            expected, actual, ..
        } => {
            assert_eq!(expected, None);
            assert_eq!(actual, Some(tag.to_string()));
        }
        other => panic!("expected RemoteMoved, got {other:?}"),
    }
}

#[test]
fn move_branch_fast_forwards_with_a_reflog_entry() {
    let f = Fixture::new();
    let repo = f.repo();
    let before = Utc::now() - Duration::seconds(1);
    repo.move_branch("deploy/qa", f.m(2), f.m(3), false, "slipway: promote to qa")
        .unwrap();
    let after = Utc::now() + Duration::seconds(1);

    assert_eq!(git(&f.clone, &["rev-parse", "deploy/qa"]), f.main[3]);
    let entry = git(
        &f.clone,
        &["log", "-g", "-1", "--format=%gs|%gn|%ge", "deploy/qa"],
    );
    assert_eq!(
        entry,
        "slipway: promote to qa|Release Manager|rm@example.com"
    );
    // The board reads the reflog's time as "deployed since".
    let stage = repo
        .stage(&TrackingRef::Branch("deploy/qa".into()))
        .unwrap();
    assert_eq!(stage.oid, f.m(3));
    assert!(
        before <= stage.since && stage.since <= after,
        "{}",
        stage.since
    );
}

#[test]
fn move_branch_refuses_a_branch_that_moved() {
    let f = Fixture::new();
    let repo = f.repo();
    let err = repo
        .move_branch("deploy/qa", f.m(1), f.m(3), false, "slipway: promote")
        .unwrap_err();
    assert!(
        matches!(&err, GitError::RefMoved { reference } if reference == QA),
        "{err:?}"
    );
    assert_eq!(git(&f.clone, &["rev-parse", "deploy/qa"]), f.main[2]);
    let missing = repo
        .move_branch("deploy/nope", f.m(1), f.m(3), false, "slipway: promote")
        .unwrap_err();
    assert!(matches!(missing, GitError::RefMissing(_)), "{missing:?}");
}

#[test]
fn move_branch_refuses_a_rollback_unless_allowed() {
    let f = Fixture::new();
    let repo = f.repo();
    let err = repo
        .move_branch("deploy/qa", f.m(2), f.m(1), false, "slipway: promote")
        .unwrap_err();
    assert!(
        matches!(&err, GitError::NotFastForward { reference } if reference == QA),
        "{err:?}"
    );
    assert_eq!(git(&f.clone, &["rev-parse", "deploy/qa"]), f.main[2]);

    repo.move_branch("deploy/qa", f.m(2), f.m(1), true, "slipway: roll back qa")
        .unwrap();
    assert_eq!(git(&f.clone, &["rev-parse", "deploy/qa"]), f.main[1]);
    assert_eq!(
        git(&f.clone, &["log", "-g", "-1", "--format=%gs", "deploy/qa"]),
        "slipway: roll back qa"
    );
}

#[test]
fn create_tag_writes_an_annotated_tag_and_refuses_an_existing_name() {
    let f = Fixture::new();
    let repo = f.repo();
    let before = Utc::now() - Duration::seconds(1);
    let tag = repo
        .create_tag("production/1", f.m(3), "Promote to production")
        .unwrap();
    assert_eq!(git(&f.clone, &["cat-file", "-t", "production/1"]), "tag");
    assert_eq!(
        git(&f.clone, &["rev-parse", "production/1"]),
        tag.to_string()
    );
    assert_eq!(
        git(
            &f.clone,
            &[
                "for-each-ref",
                "--format=%(taggername)",
                "refs/tags/production/1"
            ]
        ),
        "Release Manager"
    );
    // The board reads the tagger time as the tag's date.
    let stage = repo
        .stage(&TrackingRef::Tags("production/*".into()))
        .unwrap();
    assert_eq!(stage.oid, f.m(3));
    assert!(before <= stage.since, "{}", stage.since);

    let err = repo
        .create_tag("production/1", f.m(4), "again")
        .unwrap_err();
    assert!(
        matches!(&err, GitError::TagExists(n) if n == "production/1"),
        "{err:?}"
    );
    assert_eq!(
        git(&f.clone, &["rev-parse", "production/1^{commit}"]),
        f.main[3]
    );
}

#[test]
fn tag_names_stamp_the_pattern() {
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 9, 5, 7).unwrap();
    for (pattern, name) in [
        ("production/*", "production/20261123-090507"),
        ("release-*", "release-20261123-090507"),
        ("*", "20261123-090507"),
        ("release", "release-20261123-090507"),
        ("deploy/prod", "deploy/prod-20261123-090507"),
    ] {
        assert_eq!(tag_name_for(pattern, at), name, "{pattern}");
    }
}

#[test]
fn a_clean_cherry_pick_writes_a_commit_on_onto_and_moves_nothing() {
    let f = Fixture::new();
    let fix = f.hotfix("fix.txt", "fixed\n");
    let refs = f.refs();
    let repo = f.repo();

    let picked = repo.cherry_pick_onto(fix, f.m(2), None, None).unwrap();
    let p = picked.to_string();
    assert_eq!(
        git(&f.clone, &["rev-list", "--parents", "-n1", &p]),
        format!("{p} {}", f.main[2])
    );
    assert_eq!(git(&f.clone, &["show", &format!("{p}:fix.txt")]), "fixed");
    // The rest of the tree is onto's: feature 3 is not there.
    let files = git(&f.clone, &["ls-tree", "--name-only", &p]);
    assert_eq!(files, "app.txt\nf1.txt\nf2.txt\nfix.txt");
    assert_eq!(
        git(&f.clone, &["log", "-1", "--format=%an|%cn", &p]),
        "Dev One|Release Manager"
    );
    assert_eq!(
        git(&f.clone, &["log", "-1", "--format=%B", &p]),
        format!("Fix the thing\n\nLonger story.\n\n(cherry picked from commit {fix})")
    );
    assert_eq!(f.refs(), refs);
    assert_eq!(git(&f.clone, &["status", "--porcelain"]), "");

    let own = repo
        .cherry_pick_onto(
            fix,
            f.m(2),
            Some("Hotfix for qa"),
            Some(("Ana Lima", "ana@example.com")),
        )
        .unwrap();
    assert_eq!(
        git(&f.clone, &["log", "-1", "--format=%B", &own.to_string()]),
        format!("Hotfix for qa\n\n(cherry picked from commit {fix})")
    );
    // The person who ran the hotfix is its committer; the fix's author stays its author.
    assert_eq!(
        git(
            &f.clone,
            &["log", "-1", "--format=%cn <%ce>|%an", &own.to_string()]
        ),
        format!(
            "Ana Lima <ana@example.com>|{}",
            git(&f.clone, &["log", "-1", "--format=%an", &fix.to_string()])
        )
    );
}

#[test]
fn a_merge_is_picked_against_its_first_parent() {
    let f = Fixture::new();
    let repo = f.repo();
    let picked = repo.cherry_pick_onto(f.m(4), f.m(2), None, None).unwrap();
    let p = picked.to_string();
    assert_eq!(git(&f.clone, &["rev-parse", &format!("{p}^")]), f.main[2]);
    let files = git(&f.clone, &["ls-tree", "--name-only", &p]);
    assert_eq!(files, "app.txt\nf1.txt\nf2.txt\nf4.txt");
}

#[test]
fn a_conflicting_cherry_pick_names_the_paths_and_changes_nothing() {
    let f = Fixture::new();
    // main has app.txt = v1 (feature 3); qa still has v0.
    let fix = f.hotfix("app.txt", "v2\n");
    let refs = f.refs();
    let repo = f.repo();

    let err = repo.cherry_pick_onto(fix, f.m(2), None, None).unwrap_err();
    match &err {
        GitError::CherryPickConflict { sha, paths } => {
            assert_eq!(sha, &fix.to_string());
            assert_eq!(paths, &vec!["app.txt".to_string()]);
        }
        other => panic!("expected CherryPickConflict, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains("app.txt"), "{message}");
    assert!(message.contains(&fix.to_string()[..8]), "{message}");
    assert_eq!(f.refs(), refs);
    assert_eq!(git(&f.clone, &["status", "--porcelain"]), "");
}

#[test]
fn an_unreachable_remote_is_named() {
    let f = Fixture::new();
    let gone = f.clone.parent().unwrap().join("gone.git");
    git(&f.clone, &["remote", "add", "gone", gone.to_str().unwrap()]);
    let repo = f.repo();

    let err = repo.remote_ref("gone", QA, None).unwrap_err();
    assert!(
        matches!(&err, GitError::Fetch { remote, reason } if remote == "gone" && reason.contains("does not exist")),
        "{err:?}"
    );
    let lease = Lease::FastForward {
        expected: Some(f.m(2)),
    };
    let err = repo.push_ref("gone", QA, f.m(3), lease, None).unwrap_err();
    assert!(
        matches!(&err, GitError::Push { remote, reason } if remote == "gone" && reason.contains("does not exist")),
        "{err:?}"
    );
    assert!(err.to_string().contains("does not exist"), "{err}");

    let err = repo.remote_ref("upstream", QA, None).unwrap_err();
    assert!(matches!(err, GitError::RemoteMissing(_)), "{err:?}");
}

#[test]
fn commits_resolve_from_prefixes_and_ancestry_is_read() {
    let f = Fixture::new();
    let repo = f.repo();
    assert_eq!(repo.resolve_commit(&f.main[2][..10]).unwrap(), f.m(2));
    assert_eq!(repo.resolve_commit(&f.main[2]).unwrap(), f.m(2));
    assert!(matches!(
        repo.resolve_commit("deploy/qa"),
        Err(GitError::RefMissing(_))
    ));
    assert!(repo.is_ancestor(f.m(1), f.m(3)).unwrap());
    assert!(repo.is_ancestor(f.m(2), f.m(2)).unwrap());
    assert!(!repo.is_ancestor(f.m(3), f.m(1)).unwrap());
}

#[test]
fn without_a_configured_identity_the_reflog_is_signed_by_slipway() {
    let f = Fixture::new();
    git(&f.clone, &["config", "--unset", "user.name"]);
    git(&f.clone, &["config", "--unset", "user.email"]);
    // libgit2 still reads the user's own git config: expect that identity when it has one.
    let user = |key: &str| {
        let out = std::process::Command::new("git")
            .args(["config", "--get", key])
            .current_dir(&f.clone)
            .output()
            .unwrap();
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let expected = match (user("user.name"), user("user.email")) {
        (Some(name), Some(email)) => format!("{name}|{email}"),
        _ => "Slipway|slipway@localhost".to_string(),
    };
    let repo = f.repo();
    repo.move_branch("deploy/qa", f.m(2), f.m(3), false, "slipway: promote to qa")
        .unwrap();
    assert_eq!(
        git(
            &f.clone,
            &["log", "-g", "-1", "--format=%gs|%gn|%ge", "deploy/qa"]
        ),
        format!("slipway: promote to qa|{expected}")
    );
    assert_eq!(
        git(&f.clone, &["log", "-g", "--format=%gs", "deploy/qa"])
            .lines()
            .count(),
        2,
        "one entry for the branch's creation, one for the move"
    );
}
