//! Patch-equivalent changes on a real demo repository: a fix hotfixed onto production by the
//! lane and another cherry-picked by hand are both recognised in production's queue — marked
//! shipped, no longer aging, their linked requests advanced to deployed — while a change that
//! only resembles one (same title, different patch) still waits.

use crate::support::git;
use chrono::{DateTime, Duration, DurationRound, Utc};
use slipway_api::{
    act_on_request, create_demo, load_board, open_request, preview, save_person, set_aging_policy,
    watch_pass, AlertingInputDto, BoardDto, Cancel, DeploymentStatusDto, HotfixInputDto,
    NewRequestDto, Progress, QueuedChangeDto, RepoCache, RequestActionDto, RunContext,
    ShippedHowDto, Workspace,
};
use slipway_core::FixedClock;

fn production(board: &BoardDto) -> Vec<QueuedChangeDto> {
    board.projects[0].environments[2].queue.clone()
}

fn queued<'a>(queue: &'a [QueuedChangeDto], sha: &str) -> &'a QueuedChangeDto {
    queue
        .iter()
        .find(|q| q.change.sha == sha)
        .expect("still listed")
}

async fn approved_request(ws: &Workspace, link: &str, clock: &FixedClock) -> i64 {
    let input = NewRequestDto {
        project: "payments".into(),
        kind: "emergency".into(),
        severity: "SEV1".into(),
        title: format!("Ship {link}"),
        target_environment: Some("production".into()),
        links: vec![link.into()],
        ..Default::default()
    };
    let id = open_request(ws, &input, "ana@x", clock)
        .await
        .unwrap()
        .summary
        .id;
    act_on_request(ws, id, &RequestActionDto::Submit, "ana@x", None, clock)
        .await
        .unwrap();
    let approve = RequestActionDto::Approve { role: None };
    for who in ["rm@x", "qa@x"] {
        act_on_request(ws, id, &approve, who, None, clock)
            .await
            .unwrap();
    }
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hotfixed_and_cherry_picked_fixes_are_shipped_and_a_look_alike_is_not() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ws");
    // Real time: the ref moves below are dated by git's own clock.
    let anchor: DateTime<Utc> = Utc::now().duration_trunc(Duration::seconds(1)).unwrap();
    create_demo(&dir, anchor).await.unwrap();
    let ws = Workspace::open(&dir).await.unwrap();
    save_person(&ws, "rm@x", "Rita", &["release-manager".into()])
        .await
        .unwrap();
    save_person(&ws, "qa@x", "Quinn", &["qa".into()])
        .await
        .unwrap();
    set_aging_policy(
        &ws,
        "payments",
        "production",
        "1d",
        &AlertingInputDto::default(),
    )
    .await
    .unwrap();
    let clock = FixedClock(anchor);
    let before = production(&load_board(&ws, &clock).await.unwrap());
    let lane = before[1].change.clone();
    let lane_request = approved_request(&ws, &lane.sha, &clock).await;

    // The lane cherry-picks one fix onto production.
    let quiet: Progress = std::sync::Arc::new(|_| {});
    let ctx = RunContext::new(ws.clone(), "rm@x", quiet, Cancel::new()).with_clock(clock);
    let input = HotfixInputDto {
        project: "payments".into(),
        environment: "production".into(),
        fix: lane.sha.clone(),
        override_reason: None,
        guard_override_reason: None,
    };
    let run = slipway_api::hotfix(&ctx, &input).await.unwrap();
    assert_eq!(run.status, DeploymentStatusDto::Succeeded, "{}", run.reason);

    // Someone cherry-picks another by hand, without -x (only the patch can tell), and
    // commits a look-alike: the same title as a third, touching its files differently.
    let repo = dir.join("repos/payments");
    let tree = tmp.path().join("wt");
    git(
        &repo,
        &[
            "worktree",
            "add",
            "-q",
            tree.to_str().unwrap(),
            "deploy/production",
        ],
    );
    // The demo is generated from the clock: the first later change whose patch applies to
    // production as it stands (an earlier queued change may touch the same lines).
    let mut later_changes = before[2..].iter().map(|q| q.change.clone());
    let by_hand = later_changes
        .by_ref()
        .find(|c| {
            let picked = std::process::Command::new("git")
                .args(["cherry-pick", "-m", "1", &c.sha])
                .current_dir(&tree)
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("GIT_COMMITTER_NAME", "Hand Picker")
                .env("GIT_COMMITTER_EMAIL", "picker@example.com")
                .output()
                .expect("git runs");
            let picked = picked.status.success();
            if !picked {
                git(&tree, &["cherry-pick", "--abort"]);
            }
            picked
        })
        .expect("a queued change that applies to production");
    let look_alike = later_changes.next().expect("a change after it");
    let requests = [
        lane_request,
        approved_request(&ws, &by_hand.sha, &clock).await,
        approved_request(&ws, &look_alike.sha, &clock).await,
    ];
    let picked = git(&tree, &["rev-parse", "HEAD"]);
    let files = git(
        &repo,
        &[
            "diff",
            "--name-only",
            &format!("{}^1", look_alike.sha),
            &look_alike.sha,
        ],
    );
    for file in files.lines() {
        let path = tree.join(file);
        let mut text = std::fs::read_to_string(&path).unwrap_or_default();
        text.push_str("// a different fix under the same name\n");
        std::fs::write(&path, text).unwrap();
    }
    git(&tree, &["commit", "-qam", &look_alike.title]);

    let now = FixedClock(anchor + Duration::hours(1));
    let later = FixedClock(anchor + Duration::hours(3));
    let queue = production(&load_board(&ws, &now).await.unwrap());
    let queue_later = production(&load_board(&ws, &later).await.unwrap());
    for (change, sha, how) in [
        (&lane, &run.to_sha, ShippedHowDto::CherryPicked),
        (&by_hand, &picked, ShippedHowDto::SamePatch),
    ] {
        let q = queued(&queue, &change.sha);
        let shipped = q.shipped_as.as_ref().expect("marked shipped");
        assert_eq!((&shipped.sha, shipped.how), (sha, how), "{}", change.title);
        assert!(shipped.sentence.contains(&sha[..8]), "{}", shipped.sentence);
        assert_eq!(q.band, None, "not waiting: no age band");
        assert!(q.blockers.is_empty(), "{:?}", q.blockers);
        // Its wait stopped when production got it: two hours later it is the same.
        assert_eq!(q.age_seconds, queued(&queue_later, &change.sha).age_seconds);
        let aging = q.aging.as_ref().expect("production has an aging policy");
        assert!(aging.stopped, "its aging clock stopped");
    }
    let q = queued(&queue, &look_alike.sha);
    assert!(q.shipped_as.is_none(), "a look-alike is not the same patch");
    assert!(q.band.is_some());
    assert_eq!(
        queued(&queue_later, &look_alike.sha).age_seconds - q.age_seconds,
        2 * 3600,
        "it still ages"
    );
    assert!(!q.aging.as_ref().unwrap().stopped);

    // The preview says they will not ship again as new code; the look-alike will.
    let p = preview(&ws, "payments", "production", None).await.unwrap();
    let already: Vec<&str> = p
        .already_shipped
        .iter()
        .map(|s| s.change.sha.as_str())
        .collect();
    assert_eq!(already, [lane.sha.as_str(), by_hand.sha.as_str()]);

    // The watcher advances the requests linked to the shipped fixes, not the look-alike's.
    let pass = watch_pass(&ws, &mut RepoCache::new(), &now, "w1")
        .await
        .unwrap();
    assert_eq!(pass.deployed, requests[..2]);
}
