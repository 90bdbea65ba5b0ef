//! The API's use cases on real workspaces: a demo, its board, and every way it can be broken.

use std::path::Path;

use crate::support::git;

use chrono::{DateTime, Duration, TimeZone, Utc};
use slipway_api::{create_demo, load_board, BlockerKindDto, ErrorCode, Workspace};
use slipway_core::FixedClock;
use slipway_git::Repo;

fn anchor() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()
}

async fn demo(dir: &Path) {
    create_demo(dir, anchor()).await.expect("demo");
}

#[tokio::test]
async fn the_board_of_a_demo_is_git_queues_with_ages() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    demo(&ws).await;
    let workspace = Workspace::open(&ws).await.unwrap();
    let now = anchor() + Duration::hours(1);
    let board = load_board(&workspace, &FixedClock(now)).await.unwrap();
    assert_eq!(board.generated_at, "2026-11-23T11:00:00Z");
    assert_eq!(board.projects.len(), 1);
    let project = &board.projects[0];
    assert!(project.error.is_none() && board.first_error().is_none());
    let trunk = project.trunk.as_ref().unwrap();
    assert_eq!(trunk.recent.len(), 12);
    assert_eq!(trunk.tip.since, trunk.tip.change.merged_at);

    let mut repo = Repo::open(&ws.join("repos/payments")).unwrap();
    let names: Vec<&str> = project
        .environments
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(names, ["qa", "staging", "production"]);
    let mut upstream = "main".to_string();
    for env in &project.environments {
        assert_eq!(
            env.upstream,
            if upstream == "main" {
                "main"
            } else {
                &upstream[7..]
            }
        );
        let want: Vec<String> = repo
            .first_parent_range(&env.ref_name, &upstream)
            .unwrap()
            .into_iter()
            .map(|c| c.sha)
            .collect();
        let shown: Vec<String> = env.queue.iter().map(|c| c.change.sha.clone()).collect();
        assert_eq!(shown, want, "queue of {}", env.name);
        for c in &env.queue {
            let merged: DateTime<Utc> = c.change.merged_at.parse().unwrap();
            let since: DateTime<Utc> = c.waiting_since.parse().unwrap();
            assert_eq!(c.age_seconds, (now - since).num_seconds());
            let from_merge = serde_json::to_value(c.waiting_source).unwrap() == "merged";
            // The first environment's wait starts at the merge; later ones' when upstream got it.
            assert_eq!(from_merge, since == merged, "{}", c.change.sha);
            assert!(since >= merged);
            assert_eq!(
                upstream == "main",
                from_merge,
                "{} in {}",
                c.change.sha,
                env.name
            );
            let blocker = &c.blockers[0];
            assert_eq!(blocker.kind, BlockerKindDto::NotPromoted);
            assert_eq!(
                blocker.sentence,
                format!("waiting {} — {} has not taken it yet", c.age, env.name)
            );
        }
        assert_eq!(serde_json::to_value(env.standing).unwrap(), "behind");
        assert!(
            env.queue
                .windows(2)
                .all(|w| w[0].age_seconds >= w[1].age_seconds),
            "oldest first"
        );
        assert_eq!(env.oldest_age_seconds, env.queue[0].age_seconds);
        upstream = env.ref_name.clone();
    }
    // production waits longest: days, so it reads late.
    let production = &project.environments[2];
    assert!(
        production.oldest_age_seconds > 3 * 86_400,
        "{}",
        production.oldest_age_seconds
    );
    assert_eq!(
        serde_json::to_value(production.queue[0].band).unwrap(),
        "late"
    );
}

#[tokio::test]
async fn demo_refuses_occupied_folders_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    demo(&ws).await;
    let err = create_demo(&ws, anchor()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::WorkspaceExists);

    let busy = tmp.path().join("busy");
    std::fs::create_dir(&busy).unwrap();
    std::fs::write(busy.join("notes.txt"), "mine").unwrap();
    let err = create_demo(&busy, anchor()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("notes.txt"), "{}", err.message);
    let left: Vec<_> = std::fs::read_dir(&busy)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["notes.txt"]);

    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap();
    assert_eq!(
        create_demo(&file, anchor()).await.unwrap_err().code,
        ErrorCode::InvalidInput
    );
}

#[tokio::test]
async fn broken_workspaces_say_what_is_wrong() {
    let tmp = tempfile::tempdir().unwrap();
    let err = Workspace::open(&tmp.path().join("none"))
        .await
        .err()
        .unwrap();
    assert_eq!(err.code, ErrorCode::WorkspaceMissing);
    assert!(err.message.contains("slipway demo"), "{}", err.message);

    let ws = tmp.path().join("ws");
    demo(&ws).await;
    let toml = ws.join("slipway.toml");
    let original = std::fs::read(&toml).unwrap();

    std::fs::write(&toml, "database_url = \"postgres://me:hunter2@db/x\"\n").unwrap();
    let err = Workspace::open(&ws).await.err().unwrap();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(
        !err.message.contains("hunter2"),
        "the password is not repeated: {}",
        err.message
    );

    std::fs::write(&toml, "colour = \"blue\"\n").unwrap();
    assert_eq!(
        Workspace::open(&ws).await.err().unwrap().code,
        ErrorCode::WorkspaceConfigInvalid
    );
    std::fs::write(&toml, &original).unwrap();

    // Move the database (and its WAL files, which may still hold recent writes) aside.
    let db = ws.join("slipway.db");
    let saved = tmp.path().join("saved");
    std::fs::create_dir(&saved).unwrap();
    let files = ["slipway.db", "slipway.db-wal", "slipway.db-shm"];
    let move_all = |from: &Path, to: &Path| {
        for f in files {
            if from.join(f).exists() {
                std::fs::rename(from.join(f), to.join(f)).unwrap();
            }
        }
    };
    move_all(&ws, &saved);
    assert_eq!(
        Workspace::open(&ws).await.err().unwrap().code,
        ErrorCode::DatabaseMissing
    );
    assert!(!db.exists(), "a missing database is not silently recreated");
    std::fs::write(
        &db,
        b"this is not a database, it is a shopping list\n".repeat(100),
    )
    .unwrap();
    let err = Workspace::open(&ws).await.err().unwrap();
    assert_eq!(err.code, ErrorCode::DatabaseUnreadable);
    assert!(
        err.message.contains("not a database") && err.message.contains("backup"),
        "{}",
        err.message
    );
    std::fs::remove_file(&db).unwrap();
    move_all(&saved, &ws);

    // A repository that moved: the board still loads, and names the problem.
    let repo = ws.join("repos/payments");
    std::fs::rename(&repo, ws.join("repos/elsewhere")).unwrap();
    let workspace = Workspace::open(&ws).await.unwrap();
    let board = load_board(&workspace, &FixedClock(anchor())).await.unwrap();
    let err = board.projects[0].error.as_ref().unwrap();
    assert_eq!(err.code, ErrorCode::RepositoryMissing);
    assert!(
        err.message.starts_with("Project \"payments\"") && err.message.contains("does not exist"),
        "{}",
        err.message
    );
    std::fs::rename(ws.join("repos/elsewhere"), &repo).unwrap();

    // An environment branch that was deleted: only that column (and the one fed by it) fails.
    git(&repo, &["branch", "-D", "deploy/staging"]);
    let board = load_board(&workspace, &FixedClock(anchor())).await.unwrap();
    let envs = &board.projects[0].environments;
    assert!(envs[0].error.is_none());
    let err = envs[1].error.as_ref().unwrap();
    assert_eq!(err.code, ErrorCode::RefMissing);
    assert!(err.message.contains("deploy/staging"), "{}", err.message);
    assert_eq!(board.first_error().unwrap().code, ErrorCode::RefMissing);
}

#[tokio::test]
async fn a_session_hears_when_refs_move_and_reads_only_what_is_new() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    demo(&ws).await;
    let session = slipway_api::Session::new(&ws);
    let (tx, rx) = std::sync::mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    session.on_change(std::sync::Arc::new(move || {
        let _ = tx.lock().unwrap().send(());
    }));
    let before = session.board().await.unwrap();
    let qa_before = before.projects[0].environments[0].queue.len();
    assert!(
        rx.recv_timeout(std::time::Duration::from_millis(600))
            .is_err(),
        "reading the board changes no ref"
    );

    // A merge lands in the clone, as `git pull` would make it.
    let repo = ws.join("repos/payments");
    git(
        &repo,
        &[
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "PAY-999: Late fix (#2000)",
        ],
    );
    let sha = git(&repo, &["rev-parse", "HEAD"]);
    rx.recv_timeout(std::time::Duration::from_secs(5))
        .expect("the session hears of the new merge");

    let after = session.board().await.unwrap();
    let qa = &after.projects[0].environments[0];
    assert_eq!(qa.queue.len(), qa_before + 1);
    assert_eq!(qa.queue.last().unwrap().change.sha, sha);
    assert_eq!(qa.queue.last().unwrap().change.pr, Some(2000));
}

#[tokio::test]
async fn a_failed_fetch_marks_the_board_stale_and_keeps_it() {
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    demo(&ws).await;
    let workspace = Workspace::open(&ws).await.unwrap();
    let clock = FixedClock(anchor());
    let no_cancel = || Arc::new(AtomicBool::new(false));

    let state = slipway_api::fetch_project(&workspace, "payments", &clock, no_cancel(), |_| {})
        .await
        .unwrap();
    assert!(!state.stale && state.error.is_none());
    assert_eq!(state.last_success.as_deref(), Some("2026-11-23T10:00:00Z"));

    // The origin goes away: the fetch fails, is recorded, and the board keeps its queues.
    let origin = ws.join("repos/payments.git");
    std::fs::rename(&origin, ws.join("repos/gone.git")).unwrap();
    let later = FixedClock(anchor() + Duration::minutes(5));
    let err = slipway_api::fetch_project(&workspace, "payments", &later, no_cancel(), |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::FetchFailed);
    assert!(
        err.message.starts_with("Project \"payments\"") && err.message.contains("does not exist"),
        "{}",
        err.message
    );
    let board = load_board(&workspace, &later).await.unwrap();
    let fetch = board.projects[0].fetch.as_ref().unwrap();
    assert!(fetch.stale);
    assert_eq!(fetch.last_success.as_deref(), Some("2026-11-23T10:00:00Z"));
    assert_eq!(fetch.last_attempt, "2026-11-23T10:05:00Z");
    assert!(fetch
        .error
        .as_deref()
        .unwrap()
        .contains("payments.git does not exist"));
    assert!(
        board.projects[0]
            .environments
            .iter()
            .all(|e| !e.queue.is_empty()),
        "the last known queues stay"
    );

    let err = slipway_api::fetch_project(&workspace, "nope", &later, no_cancel(), |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::ProjectMissing);
    // A cancelled fetch is not a failure and is not recorded.
    std::fs::rename(ws.join("repos/gone.git"), &origin).unwrap();
    let cancelled = Arc::new(AtomicBool::new(true));
    let _ = slipway_api::fetch_project(&workspace, "payments", &later, cancelled, |_| {}).await;
    let board = load_board(&workspace, &later).await.unwrap();
    assert!(
        board.projects[0].fetch.as_ref().unwrap().stale,
        "still the failure on record"
    );
    slipway_api::fetch_project(&workspace, "payments", &later, no_cancel(), |_| {})
        .await
        .unwrap();
    let board = load_board(&workspace, &later).await.unwrap();
    assert!(!board.projects[0].fetch.as_ref().unwrap().stale);
}
