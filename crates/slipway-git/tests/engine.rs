//! The queue engine on small fixture repositories built with the git command line (fixed
//! author and clock, isolated from the user's git config), checked against `git rev-list`.

use std::path::{Path, PathBuf};
use std::process::Command;

use slipway_core::{Environment, Pipeline, TrackingRef};
use slipway_git::{GitError, Repo, Standing};

struct Fixture {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    clock: i64,
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("r");
        let mut f = Fixture {
            dir: dir.clone(),
            _tmp: tmp,
            clock: 1_763_000_000,
        };
        std::fs::create_dir(&dir).unwrap();
        f.git(&["init", "-q", "-b", "main"]);
        f.commit("root");
        f
    }

    fn git(&mut self, args: &[&str]) -> String {
        self.clock += 60;
        let date = format!("@{} +0000", self.clock);
        let id = [
            ("GIT_AUTHOR_NAME", "Fixture"),
            ("GIT_AUTHOR_EMAIL", "f@x"),
            ("GIT_COMMITTER_NAME", "Fixture"),
        ];
        let more = [
            ("GIT_COMMITTER_EMAIL", "f@x"),
            ("GIT_AUTHOR_DATE", &date),
            ("GIT_COMMITTER_DATE", &date),
        ];
        let env: Vec<(&str, &str)> = id.into_iter().chain(more).collect();
        crate::support::git_with(&self.dir, args, &env)
    }

    fn commit(&mut self, message: &str) -> String {
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// A merge commit of a one-commit branch, as GitHub makes it.
    fn merge_pr(&mut self, n: u32) -> String {
        self.git(&["checkout", "-q", "-b", &format!("f{n}")]);
        self.commit(&format!("work {n}"));
        self.git(&["checkout", "-q", "main"]);
        self.git(&[
            "merge",
            "-q",
            "--no-ff",
            &format!("f{n}"),
            "-m",
            &format!("Merge pull request #{n} from me/f{n}\n\nFeature {n}"),
        ]);
        self.git(&["rev-parse", "HEAD"])
    }

    fn rev_list(&mut self, range: &str) -> Vec<String> {
        crate::support::rev_list(&self.dir, range)
    }
}

fn pipeline(envs: &[(&str, TrackingRef)]) -> Pipeline {
    Pipeline {
        trunk: "main".into(),
        environments: envs
            .iter()
            .map(|(n, t)| Environment {
                name: n.to_string(),
                tracking: t.clone(),
            })
            .collect(),
    }
}

fn branch(name: &str) -> TrackingRef {
    TrackingRef::Branch(name.into())
}

fn read(repo: &mut Repo, p: &Pipeline) -> slipway_git::PipelineRead {
    let stages = p
        .environments
        .iter()
        .map(|e| repo.stage(&e.tracking))
        .collect();
    repo.read_pipeline(p, stages, 5).unwrap()
}

fn shas(changes: &[(std::sync::Arc<slipway_core::Change>, Option<i64>)]) -> Vec<String> {
    changes.iter().map(|(c, _)| c.sha.clone()).collect()
}

#[test]
fn queues_follow_git_and_a_new_merge_is_picked_up() {
    let mut f = Fixture::new();
    for n in 1..=6 {
        f.merge_pr(n);
        if n == 2 {
            f.git(&["branch", "deploy/prod"]);
        }
        if n == 4 {
            f.git(&["branch", "deploy/qa"]);
        }
    }
    let p = pipeline(&[("qa", branch("deploy/qa")), ("prod", branch("deploy/prod"))]);
    let mut repo = Repo::open(&f.dir).unwrap();
    let r = read(&mut repo, &p);
    let qa = r.environments[0].as_ref().unwrap();
    let prod = r.environments[1].as_ref().unwrap();
    assert_eq!(shas(&qa.queued), f.rev_list("deploy/qa..main"));
    assert_eq!(shas(&prod.queued), f.rev_list("deploy/prod..deploy/qa"));
    assert_eq!((qa.queued.len(), prod.queued.len()), (2, 2));
    assert_eq!(
        (qa.standing, prod.standing),
        (Standing::Behind, Standing::Behind)
    );
    assert_eq!(qa.queued[0].0.title, "Feature 5");
    assert_eq!(r.trunk.1.len(), 5);

    // One more merge: the same open repository sees it.
    let new = f.merge_pr(7);
    let r = read(&mut repo, &p);
    let qa = r.environments[0].as_ref().unwrap();
    assert_eq!(qa.queued.last().unwrap().0.sha, new);
    assert_eq!(shas(&qa.queued), f.rev_list("deploy/qa..main"));
}

#[test]
fn hotfixes_show_as_ahead_or_diverged() {
    let mut f = Fixture::new();
    f.merge_pr(1);
    f.git(&["branch", "deploy/prod"]);
    f.merge_pr(2);
    // A hotfix made on production's line.
    f.git(&["checkout", "-q", "deploy/prod"]);
    let hotfix = f.commit("Hotfix: stop double charges (#99)");
    f.git(&["checkout", "-q", "main"]);
    f.git(&["branch", "deploy/qa", "deploy/prod"]);

    let p = pipeline(&[("qa", branch("deploy/qa")), ("prod", branch("deploy/prod"))]);
    let mut repo = Repo::open(&f.dir).unwrap();
    let r = read(&mut repo, &p);
    let qa = r.environments[0].as_ref().unwrap();
    assert_eq!(qa.standing, Standing::Diverged);
    assert_eq!(shas(&qa.queued), f.rev_list("deploy/qa..main"));
    assert_eq!(
        qa.only_here
            .iter()
            .map(|c| c.sha.clone())
            .collect::<Vec<_>>(),
        vec![hotfix.clone()]
    );
    assert_eq!(qa.only_here[0].pr, Some(99));
    let prod = r.environments[1].as_ref().unwrap();
    assert_eq!(prod.standing, Standing::UpToDate);

    // qa catches up with main and keeps the hotfix merged in: prod is then behind, and a
    // production that is ahead of qa shows its extra commit.
    f.git(&["branch", "-f", "deploy/qa", "main"]);
    let r = read(&mut repo, &p);
    let prod = r.environments[1].as_ref().unwrap();
    assert_eq!(prod.standing, Standing::Diverged);
    assert_eq!(shas(&prod.queued), f.rev_list("deploy/prod..deploy/qa"));
    assert_eq!(prod.only_here.len(), 1);

    f.git(&["branch", "-f", "deploy/qa", "deploy/prod~1"]);
    let r = read(&mut repo, &p);
    assert_eq!(
        r.environments[1].as_ref().unwrap().standing,
        Standing::Ahead
    );
}

#[test]
fn tags_track_an_environment_newest_first() {
    let mut f = Fixture::new();
    let first = f.merge_pr(1);
    f.git(&["tag", "-a", "production/2026-11-01", "-m", "deploy"]);
    let second = f.merge_pr(2);
    f.git(&["tag", "-a", "production/2026-11-02", "-m", "deploy"]);
    f.merge_pr(3);
    f.git(&["tag", "unrelated"]);
    let repo = Repo::open(&f.dir).unwrap();
    let stage = repo
        .stage(&TrackingRef::Tags("production/*".into()))
        .unwrap();
    assert_eq!(stage.oid.to_string(), second);
    assert_eq!(
        stage
            .moves
            .iter()
            .map(|(_, o)| o.to_string())
            .collect::<Vec<_>>(),
        vec![first, second]
    );
    let missing = repo
        .stage(&TrackingRef::Tags("staging/*".into()))
        .unwrap_err();
    assert!(matches!(missing, GitError::NoTags(p) if p == "staging/*"));
}

#[test]
fn arrival_moves_come_from_the_upstream_reflog() {
    let mut f = Fixture::new();
    f.merge_pr(1);
    f.git(&["branch", "deploy/prod"]);
    f.git(&["branch", "deploy/qa"]);
    let a = f.merge_pr(2);
    f.git(&["branch", "-f", "deploy/qa", "main"]);
    let b = f.merge_pr(3);
    f.git(&["branch", "-f", "deploy/qa", "main"]);
    let p = pipeline(&[("qa", branch("deploy/qa")), ("prod", branch("deploy/prod"))]);
    let mut repo = Repo::open(&f.dir).unwrap();
    let r = read(&mut repo, &p);
    let prod = r.environments[1].as_ref().unwrap();
    assert_eq!(shas(&prod.queued), vec![a.clone(), b.clone()]);
    // qa's reflog: created, then moved to a, then to b.
    assert_eq!(prod.upstream_moves.len(), 3);
    let queue = slipway_core::Queue::build(
        "prod",
        prod.queued.clone(),
        &prod.upstream_moves,
        &prod.shipped,
        chrono::Utc::now(),
    );
    let since: Vec<_> = queue.changes.iter().map(|c| c.waiting_since).collect();
    assert!(since[0] < since[1], "{since:?}");
    assert!(queue
        .changes
        .iter()
        .all(|c| c.source == slipway_core::WaitingSource::UpstreamArrival));
}

#[test]
fn shallow_clones_and_missing_refs_are_named() {
    let mut f = Fixture::new();
    for n in 1..=4 {
        f.merge_pr(n);
        if n == 1 {
            f.git(&["branch", "deploy/prod"]);
        }
    }
    let shallow: PathBuf = f.dir.parent().unwrap().join("shallow");
    let url = format!("file://{}", f.dir.display());
    f.git(&[
        "clone",
        "-q",
        "--depth",
        "2",
        "--no-single-branch",
        &url,
        shallow.to_str().unwrap(),
    ]);
    let mut repo = Repo::open(Path::new(&shallow)).unwrap();
    assert!(repo.is_shallow());
    let p = pipeline(&[("prod", branch("origin/deploy/prod"))]);
    let stages = vec![repo.stage(&branch("origin/deploy/prod"))];
    let err = match &stages[0] {
        Err(e) => e.to_string(),
        Ok(_) => repo
            .read_pipeline(&p, stages, 1)
            .map(|r| {
                r.environments[0]
                    .as_ref()
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_default()
            })
            .unwrap_or_else(|e| e.to_string()),
    };
    assert!(
        err.contains("origin/deploy/prod") && err.contains("shallow"),
        "{err}"
    );

    let mut repo = Repo::open(&f.dir).unwrap();
    let p = pipeline(&[
        ("qa", branch("deploy/gone")),
        ("prod", branch("deploy/prod")),
    ]);
    let r = read(&mut repo, &p);
    assert!(matches!(&r.environments[0], Err(GitError::RefMissing(n)) if n == "deploy/gone"));
    assert!(
        matches!(&r.environments[1], Err(GitError::RefMissing(n)) if n == "deploy/gone"),
        "its upstream is missing"
    );
}

#[test]
fn fetch_updates_remote_refs_reports_progress_and_cancels_cleanly() {
    let mut origin = Fixture::new();
    for n in 1..=3 {
        origin.merge_pr(n);
    }
    let clone = origin.dir.parent().unwrap().join("clone");
    let url = origin.dir.display().to_string();
    origin.git(&["clone", "-q", &url, clone.to_str().unwrap()]);
    let new = origin.merge_pr(4);

    let repo = Repo::open(&clone).unwrap();
    assert_eq!(repo.remote_for("main"), "origin");
    // Cancelled at the first progress report: no ref moves.
    let before = origin_main(&clone);
    let err = repo.fetch("origin", None, &mut |_| false).unwrap_err();
    assert!(matches!(err, GitError::Cancelled), "{err}");
    assert_eq!(origin_main(&clone), before);

    let mut reports = 0;
    repo.fetch("origin", None, &mut |p| {
        reports += 1;
        assert!(p.received_objects <= p.total_objects);
        true
    })
    .unwrap();
    assert!(reports > 0);
    assert_eq!(origin_main(&clone), new);

    assert!(
        matches!(repo.fetch("upstream", None, &mut |_| true), Err(GitError::RemoteMissing(r)) if r == "upstream")
    );
    std::fs::rename(&origin.dir, origin.dir.with_extension("moved")).unwrap();
    let err = repo.fetch("origin", None, &mut |_| true).unwrap_err();
    assert!(
        matches!(&err, GitError::Fetch { .. }) && err.to_string().contains("does not exist"),
        "{err}"
    );
}

fn origin_main(clone: &Path) -> String {
    crate::support::git(clone, &["rev-parse", "origin/main"])
}

#[test]
fn unrelated_refs_and_odd_messages_are_handled() {
    use std::os::unix::ffi::OsStrExt;
    let mut f = Fixture::new();
    f.merge_pr(1);
    f.git(&["branch", "deploy/qa"]);
    // An orphan history: not reachable from trunk at all.
    f.git(&["checkout", "-q", "--orphan", "deploy/orphan"]);
    f.commit("orphan root");
    f.git(&["checkout", "-q", "-f", "main"]);
    let p = pipeline(&[("qa", branch("deploy/orphan"))]);
    let mut repo = Repo::open(&f.dir).unwrap();
    let r = read(&mut repo, &p);
    let err = r.environments[0].as_ref().unwrap_err();
    assert!(
        matches!(err, GitError::Unrelated(n) if n == "deploy/orphan"),
        "{err}"
    );

    // A Latin-1 author and message (not UTF-8), and a 1 MB message: read, never refused.
    let message = f.dir.join("msg");
    let mut bytes = b"Caf\xe9 cr\xe8me (#77)\n\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', 1 << 20));
    std::fs::write(&message, &bytes).unwrap();
    let out = Command::new("git")
        .args([
            "-c",
            "i18n.commitEncoding=ISO-8859-1",
            "commit",
            "-q",
            "--allow-empty",
            "-F",
        ])
        .arg(&message)
        .current_dir(&f.dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", std::ffi::OsStr::from_bytes(b"Ren\xe9"))
        .env("GIT_AUTHOR_EMAIL", "r@x")
        .env("GIT_COMMITTER_NAME", "C")
        .env("GIT_COMMITTER_EMAIL", "c@x")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let p = pipeline(&[("qa", branch("deploy/qa"))]);
    let r = read(&mut repo, &p);
    let qa = r.environments[0].as_ref().unwrap();
    let (newest, _) = qa.queued.last().unwrap();
    assert_eq!(newest.author, "Ren\u{fffd}");
    assert_eq!(newest.title, "Caf\u{fffd} cr\u{fffd}me");
    assert_eq!(newest.pr, Some(77));
}
