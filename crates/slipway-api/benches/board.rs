//! The board at the size of an organisation (figures printed, not asserted): 100 projects,
//! each its own repository with 4 environments and 500 changes queued for each (200,000
//! queued changes in all). Printed: the board read cold and its warm reload (the desktop's
//! refresh, with its repository cache), the inbox, and one project's board
//! (`slipway queue --project P`) in this workspace beside a workspace of that project alone.

use std::path::Path;
use std::time::{Duration, Instant};

use slipway_api::{
    add_project, inbox, init_workspace, load_board, load_board_cached, load_project_board,
    RepoCache, SystemClock, Workspace,
};

const PROJECTS: usize = 100;
const QUEUED: usize = 500;
const RUNS: usize = 7;

fn environments() -> Vec<(String, String)> {
    (1..=4)
        .map(|i| (format!("e{i}"), format!("branch:deploy/e{i}")))
        .collect()
}

/// A repository whose environments `e1`…`e4` stand 500, 1,000, 1,500 and 2,000 merges
/// below `main`: each waits for 500 changes from the one before it.
fn repository(dir: &Path) {
    let branches: Vec<(String, usize)> = (1..=4)
        .map(|i| (format!("deploy/e{i}"), i * QUEUED))
        .collect();
    slipway_git::write_synthetic(dir, 4 * QUEUED + 100, &branches).unwrap();
}

async fn workspace(dir: &Path, repos: &Path, projects: &[usize]) -> Workspace {
    init_workspace(dir).await.unwrap();
    let ws = Workspace::open(dir).await.unwrap();
    for &i in projects {
        add_project(
            &ws,
            &format!("p{i:03}"),
            &repos.join(format!("p{i:03}")),
            "main",
            &environments(),
            &SystemClock,
        )
        .await
        .unwrap();
    }
    ws
}

/// The median time of `RUNS` evaluations of an async expression.
macro_rules! median {
    ($e:expr) => {{
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let t = Instant::now();
            $e.await.unwrap();
            times.push(t.elapsed());
        }
        times.sort();
        times[RUNS / 2]
    }};
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

#[tokio::main]
async fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let repos = tmp.path().join("repos");
    let made = Instant::now();
    for i in 0..PROJECTS {
        repository(&repos.join(format!("p{i:03}")));
    }
    println!(
        "board bench: {PROJECTS} repositories of {} merges written in {:.1} s",
        4 * QUEUED + 100,
        made.elapsed().as_secs_f64()
    );
    let all: Vec<usize> = (0..PROJECTS).collect();
    let big = workspace(&tmp.path().join("big"), &repos, &all).await;
    let one = workspace(&tmp.path().join("one"), &repos, &[7]).await;

    let t = Instant::now();
    let board = load_board(&big, &SystemClock).await.unwrap();
    let cold = t.elapsed();
    let queued: usize = board
        .projects
        .iter()
        .flat_map(|p| &p.environments)
        .map(|e| e.queue.len())
        .sum();
    let json = serde_json::to_vec(&board).unwrap().len();
    println!(
        "board bench: {} projects x 4 environments, {queued} queued changes, {:.1} MiB of JSON",
        board.projects.len(),
        json as f64 / (1024.0 * 1024.0)
    );
    println!("board bench: board read cold: {}", ms(cold));

    let mut cache = RepoCache::new();
    load_board_cached(&big, &SystemClock, &mut cache)
        .await
        .unwrap();
    let warm: Duration = median!(load_board_cached(&big, &SystemClock, &mut cache));
    println!(
        "board bench: board warm reload (repository cache kept), median of {RUNS}: {} (target <= 300 ms)",
        ms(warm)
    );

    let mut cache = RepoCache::new();
    inbox(&big, "qa@example.com", &SystemClock, &mut cache)
        .await
        .unwrap();
    let inbox_warm: Duration = median!(inbox(&big, "qa@example.com", &SystemClock, &mut cache));
    println!(
        "board bench: inbox warm, median of {RUNS}: {} (target <= 100 ms)",
        ms(inbox_warm)
    );

    let in_big: Duration = median!(load_project_board(&big, &SystemClock, "p007"));
    let alone: Duration = median!(load_project_board(&one, &SystemClock, "p007"));
    println!(
        "board bench: one project's board (queue --project p007): {} in a workspace of {PROJECTS}, {} alone ({:+.0} %, target within 20 %)",
        ms(in_big),
        ms(alone),
        (in_big.as_secs_f64() / alone.as_secs_f64() - 1.0) * 100.0
    );
}
