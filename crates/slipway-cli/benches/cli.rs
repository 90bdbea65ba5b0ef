//! The whole `slipway` process, as a user's shell runs it (figures printed, not asserted).
//!
//! A generated history of 100,000 first-parent merges; the project's `next` environment
//! stands 145 merges below `main`. Printed side by side in the same run, each the median of
//! `RUNS` process runs (fork, exec and exit included for both):
//! - `slipway queue --project big --json` beside `git log --first-parent` printing the same
//!   fields (sha, author, email, time, subject) for the same range, and `git rev-list`;
//! - `slipway project list`;
//! - `slipway queue --project p007 --json` in a workspace of 100 projects beside a
//!   workspace of that project alone.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MERGES: usize = 100_000;
const RANGE: usize = 145;
const PROJECTS: usize = 100;
const RUNS: usize = 21;

fn slipway(workspace: &Path, data: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_slipway"));
    c.arg("--workspace")
        .arg(workspace)
        .args(args)
        .env("SLIPWAY_DATA_DIR", data)
        .env_remove("SLIPWAY_CONFIG_DIR")
        .env_remove("SLIPWAY_WORKSPACE")
        .env_remove("RUST_LOG");
    c
}

fn run(mut c: Command) -> Vec<u8> {
    let out = c
        .stderr(Stdio::inherit())
        .output()
        .expect("the command runs");
    assert!(out.status.success(), "{c:?} failed");
    out.stdout
}

/// The median wall time of `RUNS` runs of a command (its output read and dropped).
fn median(mut make: impl FnMut() -> Command) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let c = make();
            let t = Instant::now();
            run(c);
            t.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn git(repo: &Path, args: &[&str]) -> Command {
    let mut c = Command::new("git");
    c.arg("-C").arg(repo).args(args);
    c
}

fn add_project(ws: &Path, data: &Path, name: &str, repo: &Path) {
    let repo = repo.to_str().unwrap();
    run(slipway(
        ws,
        data,
        &[
            "project",
            "add",
            name,
            "--repo",
            repo,
            "--trunk",
            "main",
            "--env",
            "next=branch:next",
        ],
    ));
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("big");
    let data = tmp.path().join("data");
    let made = Instant::now();
    slipway_git::write_synthetic(&repo, MERGES, &[("next".to_string(), RANGE)]).unwrap();
    println!(
        "cli bench: {MERGES} first-parent merges written in {:.1} s; next is {RANGE} below main",
        made.elapsed().as_secs_f64()
    );

    let ws = tmp.path().join("ws");
    run(slipway(&ws, &data, &["init"]));
    add_project(&ws, &data, "big", &repo);
    let queue = serde_json::from_slice::<serde_json::Value>(&run(slipway(
        &ws,
        &data,
        &["queue", "--project", "big", "--json"],
    )))
    .unwrap();
    let queued = queue["projects"][0]["environments"][0]["queue"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(queued, RANGE, "the queue holds the range");

    let format = "--format=%H%x09%an%x09%ae%x09%aI%x09%s";
    let range = "next..main";
    let git_log = median(|| git(&repo, &["log", "--first-parent", format, range]));
    let rev_list = median(|| git(&repo, &["rev-list", "--first-parent", range]));
    let queue = median(|| slipway(&ws, &data, &["queue", "--project", "big", "--json"]));
    let list = median(|| slipway(&ws, &data, &["project", "list"]));
    println!("cli bench: whole process, median of {RUNS} runs each");
    println!(
        "  git rev-list --first-parent {range}                 {:>10}",
        ms(rev_list)
    );
    println!(
        "  git log --first-parent (sha, author, time, subject) {:>10}",
        ms(git_log)
    );
    println!(
        "  slipway queue --project big --json                 {:>10}  ({:.1}x git log, target <= 2x)",
        ms(queue),
        queue.as_secs_f64() / git_log.as_secs_f64()
    );
    println!(
        "  slipway project list                               {:>10}  (target <= 8 ms)",
        ms(list)
    );

    // One project beside 99 others (each its own small repository) and alone.
    let many = tmp.path().join("many");
    let one = tmp.path().join("one");
    run(slipway(&many, &data, &["init"]));
    run(slipway(&one, &data, &["init"]));
    for i in 0..PROJECTS {
        let name = format!("p{i:03}");
        let small = tmp.path().join("repos").join(&name);
        slipway_git::write_synthetic(&small, 2_000, &[("next".to_string(), RANGE)]).unwrap();
        add_project(&many, &data, &name, &small);
        if i == 7 {
            add_project(&one, &data, &name, &small);
        }
    }
    let in_many = median(|| slipway(&many, &data, &["queue", "--project", "p007", "--json"]));
    let alone = median(|| slipway(&one, &data, &["queue", "--project", "p007", "--json"]));
    println!(
        "  slipway queue --project p007 --json: {} in a workspace of {PROJECTS}, {} alone ({:+.0} %, target within 20 %)",
        ms(in_many),
        ms(alone),
        (in_many.as_secs_f64() / alone.as_secs_f64() - 1.0) * 100.0
    );
}
