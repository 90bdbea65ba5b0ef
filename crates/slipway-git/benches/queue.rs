//! `make bench`: the queue engine on a repository with 100,000 first-parent merges (each
//! with a second parent), beside `git rev-list --first-parent --count` on the same ranges,
//! without and with a commit-graph file. Prints its figures; asserts nothing about time.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use git2::Signature;
use slipway_core::{Environment, Pipeline, TrackingRef};
use slipway_git::Repo;

const MERGES: usize = 100_000;
/// How far behind trunk each environment stands, in merges (qa, staging, canary, production).
const BEHIND: [(&str, usize); 4] = [
    ("qa", 25),
    ("staging", 200),
    ("canary", 1_000),
    ("production", 5_000),
];
const PREVIEW_RANGE: usize = 500;

// The test suite's git helper: git isolated from the user's configuration.
#[path = "../tests/support/mod.rs"]
mod support;
use support::git;

/// Writes the history once and keeps it for later runs.
fn generate(dir: &Path) {
    if dir.join("done").exists() {
        return;
    }
    let _ = std::fs::remove_dir_all(dir);
    let branches: Vec<(String, usize)> = BEHIND
        .iter()
        .map(|(e, b)| (format!("deploy/{e}"), *b))
        .collect();
    slipway_git::write_synthetic(dir, MERGES, &branches).expect("synthetic history");
    std::fs::write(dir.join("done"), "").unwrap();
}

fn pipeline() -> Pipeline {
    Pipeline {
        trunk: "main".into(),
        environments: BEHIND
            .iter()
            .map(|(e, _)| Environment {
                name: e.to_string(),
                tracking: TrackingRef::Branch(format!("deploy/{e}")),
            })
            .collect(),
    }
}

fn read(repo: &mut Repo, p: &Pipeline) -> usize {
    let stages = p
        .environments
        .iter()
        .map(|e| repo.stage(&e.tracking))
        .collect();
    let r = repo.read_pipeline(p, stages, 12).unwrap();
    r.environments
        .iter()
        .map(|e| e.as_ref().unwrap().queued.len())
        .sum()
}

/// Median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// `git rev-list --first-parent --count RANGE`: the ids alone.
fn rev_list_count(dir: &Path, range: &str, graph: bool) -> Duration {
    git_median(
        dir,
        graph,
        &["rev-list", "--first-parent", "--count", range],
    )
}

/// `git log --first-parent` printing what a queue row needs (id, author, time, message):
/// the same reading of every commit that the queue engine does.
fn log_fields(dir: &Path, range: &str, graph: bool) -> Duration {
    git_median(
        dir,
        graph,
        &[
            "log",
            "--first-parent",
            "--format=%H%x00%an%x00%ae%x00%ct%x00%B",
            range,
        ],
    )
}

fn git_median(dir: &Path, graph: bool, args: &[&str]) -> Duration {
    let flag = if graph {
        "core.commitGraph=true"
    } else {
        "core.commitGraph=false"
    };
    let mut all = vec!["-c", flag];
    all.extend_from_slice(args);
    median(5, || {
        git(dir, &all);
    })
}

fn main() {
    let dir: PathBuf = std::env::var_os("SLIPWAY_BENCH_REPO")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join(format!("slipway-bench-{MERGES}")));
    let started = Instant::now();
    generate(&dir);
    println!("repository: {} ({MERGES} first-parent merges, each with a second parent; ready in {:.1} s)", dir.display(), started.elapsed().as_secs_f64());
    let _ = std::fs::remove_file(dir.join(".git/objects/info/commit-graph"));
    let _ = std::fs::remove_dir_all(dir.join(".git/objects/info/commit-graphs"));
    let p = pipeline();
    let queued = read(&mut Repo::open(&dir).unwrap(), &p);
    println!(
        "environments: {} — {queued} queued changes in all\n",
        BEHIND
            .iter()
            .map(|(e, b)| format!("{e} {b} behind"))
            .collect::<Vec<_>>()
            .join(", ")
    );

    // Cold: open the repository and read every queue, to the moment the queues are ready
    // (freeing the repository afterwards is not part of what a user waits for).
    let mut cold: Vec<Duration> = (0..15)
        .map(|_| {
            let start = Instant::now();
            let mut repo = Repo::open(&dir).unwrap();
            read(&mut repo, &p);
            let took = start.elapsed();
            drop(repo);
            took
        })
        .collect();
    cold.sort();
    let cold = cold[cold.len() / 2];
    let mut warm_repo = Repo::open(&dir).unwrap();
    read(&mut warm_repo, &p);
    let warm = median(21, || {
        read(&mut warm_repo, &p);
    });

    // Refresh after one new merge: add a merge to main, then read with the open repository.
    let raw = git2::Repository::open(&dir).unwrap();
    let sig = Signature::now("Bench", "b@x").unwrap();
    let mut refresh = Vec::new();
    for i in 0..21 {
        let head = raw.head().unwrap().peel_to_commit().unwrap();
        let side = raw
            .commit(
                None,
                &sig,
                &sig,
                &format!("side {i}"),
                &head.tree().unwrap(),
                &[&head],
            )
            .unwrap();
        let side = raw.find_commit(side).unwrap();
        raw.commit(
            Some("refs/heads/main"),
            &sig,
            &sig,
            &format!("Merge pull request #{} from x/y", 900_000 + i),
            &head.tree().unwrap(),
            &[&head, &side],
        )
        .unwrap();
        let start = Instant::now();
        read(&mut warm_repo, &p);
        refresh.push(start.elapsed());
    }
    refresh.sort();
    let refresh = refresh[refresh.len() / 2];
    git(
        &dir,
        &["update-ref", "refs/heads/main", &format!("main~{}", 21)],
    );

    // Preview of a 500-change range, as `slipway preview` does it: the environment's queue,
    // then the files between its commit and the newest queued change.
    git(
        &dir,
        &[
            "branch",
            "-f",
            "deploy/preview",
            &format!("main~{PREVIEW_RANGE}"),
        ],
    );
    let one = Pipeline {
        trunk: "main".into(),
        environments: vec![Environment {
            name: "preview".into(),
            tracking: TrackingRef::Branch("deploy/preview".into()),
        }],
    };
    let mut files = 0;
    let preview = median(7, || {
        let mut repo = Repo::open(&dir).unwrap();
        let stages = vec![repo.stage(&one.environments[0].tracking)];
        let read = repo.read_pipeline(&one, stages, 12).unwrap();
        let env = read.environments[0].as_ref().unwrap();
        assert_eq!(env.queued.len(), PREVIEW_RANGE);
        let to = &env.queued.last().unwrap().0.sha;
        files = repo.file_changes(&env.tip.change.sha, to).unwrap().len();
    });

    // Where a cold read's time goes: walking object ids alone, without reading messages.
    let raw = git2::Repository::open(&dir).unwrap();
    let lowest = raw.revparse_single("deploy/production").unwrap().id();
    let ids_only = median(7, || {
        let mut walk = raw.revwalk().unwrap();
        walk.simplify_first_parent().unwrap();
        walk.push_head().unwrap();
        walk.hide(lowest).unwrap();
        assert_eq!(walk.count(), 5000);
    });

    println!("{:<52} {:>12}", "slipway", "median");
    println!(
        "{:<52} {:>12}",
        "queues of 4 environments, cold (open + read)",
        ms(cold)
    );
    println!(
        "{:<52} {:>12}",
        "queues of 4 environments, warm (open repository)",
        ms(warm)
    );
    println!("{:<52} {:>12}", "refresh after 1 new merge", ms(refresh));
    println!(
        "{:<52} {:>12}",
        "  (libgit2 revwalk of the same 5,000 ids, no messages)",
        ms(ids_only)
    );
    println!(
        "{:<52} {:>12}",
        format!("preview of {PREVIEW_RANGE} changes ({files} files)"),
        ms(preview)
    );
    println!();
    for graph in [false, true] {
        if graph {
            git(&dir, &["commit-graph", "write", "--reachable"]);
        }
        println!(
            "git rev-list --first-parent --count, commit-graph {}",
            if graph { "on" } else { "off" }
        );
        let mut upstream = "main".to_string();
        let (mut total, mut total_log) = (Duration::ZERO, Duration::ZERO);
        for (env, _) in BEHIND {
            let range = format!("deploy/{env}..{upstream}");
            let d = rev_list_count(&dir, &range, graph);
            total += d;
            total_log += log_fields(&dir, &range, graph);
            println!("  {:<50} {:>12}", range, ms(d));
            upstream = format!("deploy/{env}");
        }
        println!("  {:<50} {:>12}", "all 4 ranges", ms(total));
        println!(
            "  {:<50} {:>12}",
            "all 4 ranges, git log with id/author/time/message",
            ms(total_log)
        );
        let d = rev_list_count(&dir, &format!("main~{PREVIEW_RANGE}..main"), graph);
        println!(
            "  {:<50} {:>12}",
            format!("main~{PREVIEW_RANGE}..main"),
            ms(d)
        );
    }
}
