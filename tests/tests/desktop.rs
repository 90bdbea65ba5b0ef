//! The real desktop app, driven through tauri-driver + WebKitWebDriver under Xvfb.
//!
//! Needs the built binaries next to this test (`target/debug/slipway-desktop` and
//! `target/debug/slipway`), `tauri-driver` and `WebKitWebDriver` on PATH and a DISPLAY:
//! `make e2e` arranges all of that.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use slipway_notify::sink::{Fault, HttpSink};
use support::*;

/// The fetch status line once a fetch has been recorded.
const XPATH_FETCHED: &str =
    "//*[@data-testid='fetched-at'][starts-with(normalize-space(.), 'Fetched ')]";

/// What git itself says each environment's queue is, oldest first.
fn git_queue(repo: &Path, env: &str, upstream: &str) -> Res<Vec<String>> {
    let range = format!("deploy/{env}..{upstream}");
    let out = run(Command::new("git")
        .args(["rev-list", "--first-parent", "--reverse", &range])
        .current_dir(repo))?;
    Ok(out.lines().map(str::to_string).collect())
}

/// Proportional set size of every slipway-desktop process and every WebKit process, in KiB.
fn app_memory() -> (usize, u64) {
    let mut count = 0;
    let mut kib = 0;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let comm = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
        let comm = comm.trim();
        if comm == "slipway-desktop"
            || comm.starts_with("WebKitWebProces")
            || comm.starts_with("WebKitNetworkPr")
        {
            let rollup =
                std::fs::read_to_string(entry.path().join("smaps_rollup")).unwrap_or_default();
            if let Some(pss) = rollup.lines().find(|l| l.starts_with("Pss:")) {
                kib += pss
                    .split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0);
                count += 1;
            }
        }
    }
    (count, kib)
}

fn slipway(data_dir: &Path) -> Command {
    let mut cmd = Command::new(bin_dir().join("slipway"));
    cmd.env("SLIPWAY_DATA_DIR", data_dir)
        .env_remove("SLIPWAY_CONFIG_DIR");
    cmd
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desktop_app_shows_what_git_says_and_explains_failures() -> Res<()> {
    let tmp = tempfile::tempdir()?;
    let data_dir = tmp.path().join("data");
    let ws = tmp.path().join("demo");
    run(slipway(&data_dir).args(["demo", "--path"]).arg(&ws))?;
    let repo = ws.join("repos/payments");

    let mut expected = Vec::new();
    let mut upstream = "main".to_string();
    for env in ["qa", "staging", "production"] {
        let queue = git_queue(&repo, env, &upstream)?;
        assert!(!queue.is_empty(), "the demo queues something for {env}");
        expected.push((env, queue));
        upstream = format!("deploy/{env}");
    }

    let driver = Driver::start(&data_dir)?;
    let repo_for_app = repo.clone();
    let (cli_data, cli_ws) = (data_dir.clone(), ws.clone());

    // 1. The board shows, for every environment, exactly git's queue, oldest first.
    with_app(&driver, &ws, |client| async move {
        let started = Instant::now();
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("[data-testid=board]"))
            .await?;
        println!(
            "e2e: launch to painted board: {} ms",
            started.elapsed().as_millis()
        );
        // The app fetches every project on start and the board then says so.
        client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::XPath(XPATH_FETCHED))
            .await?;
        for (env, want) in &expected {
            let css = format!("[data-env={env}] [data-testid=queued-change]");
            let shown = attr_list(&client, &css, "data-sha").await?;
            assert_eq!(&shown, want, "queue of {env} on the board");
            let count = client
                .find(Locator::Css(&format!(
                    "[data-env={env}] [data-testid=queue-count]"
                )))
                .await?
                .text()
                .await?;
            assert_eq!(
                count,
                want.len().to_string(),
                "count in the header of {env}"
            );
        }
        // One answer: `slipway queue --json` is what the window shows, environment by
        // environment — the same queue and the same gate blockers.
        let cli: serde_json::Value = serde_json::from_str(&run(slipway(&cli_data)
            .args(["queue", "--json", "--workspace"])
            .arg(&cli_ws))?)?;
        let words = |v: &serde_json::Value, key: &str| -> Vec<String> {
            v.as_array()
                .into_iter()
                .flatten()
                .filter_map(|x| x[key].as_str().map(str::to_string))
                .collect()
        };
        let mut compared = 0;
        for project in cli["projects"].as_array().into_iter().flatten() {
            for env in project["environments"].as_array().into_iter().flatten() {
                let name = env["name"].as_str().unwrap_or_default();
                let scope = format!("[data-env={name}]");
                let shown = attr_list(
                    &client,
                    &format!("{scope} [data-testid=queued-change]"),
                    "data-sha",
                )
                .await?;
                assert_eq!(
                    shown,
                    words(&env["queue"], "sha"),
                    "CLI and window: {name}'s queue"
                );
                let gates: Vec<String> = env["queue"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .flat_map(|c| words(&c["blockers"], "kind"))
                    .filter(|k| k != "not_promoted" && k != "reverted_later")
                    .collect();
                let shown = attr_list(
                    &client,
                    &format!("{scope} [data-testid=gate-blocker]"),
                    "data-kind",
                )
                .await?;
                assert_eq!(shown, gates, "CLI and window: {name}'s gate blockers");
                compared += 1;
            }
        }
        assert_eq!(compared, 3, "every environment of the demo compared");
        println!("e2e: slipway queue --json and the window agree on {compared} environments");
        let ages = attr_list(&client, "[data-testid=age]", "class").await?;
        assert!(
            ages.iter().all(|c| c.contains("band-")),
            "every age is coloured: {ages:?}"
        );
        println!(
            "e2e: screenshot {}",
            screenshot(&client, "board.png").await?.display()
        );
        let (processes, kib) = app_memory();
        println!(
            "e2e: memory of the app and its WebKit processes: {} MiB PSS in {processes} processes",
            kib / 1024
        );

        // The promotion preview of staging ships exactly staging's queue.
        client
            .find(Locator::Css("[data-testid=promote-staging]"))
            .await?
            .click()
            .await?;
        let count = client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css("[data-testid=preview-count]"))
            .await?;
        assert_eq!(
            count.text().await?,
            expected[1].1.len().to_string(),
            "changes in the staging preview"
        );
        let notes = client
            .find(Locator::Css("[data-testid=release-notes]"))
            .await?
            .text()
            .await?;
        assert!(notes.starts_with("## payments → staging"), "{notes}");
        screenshot(&client, "preview.png").await?;
        client
            .find(Locator::Css("[aria-label='Close promotion']"))
            .await?
            .click()
            .await?;

        // The matrix: one row per project, each cell the environment's queue length.
        client
            .find(Locator::Css("[data-testid=view-matrix]"))
            .await?
            .click()
            .await?;
        let matrix = client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("[data-testid=matrix]"))
            .await?;
        let text = matrix.text().await?;
        assert!(text.contains("payments"), "{text}");
        for (env, want) in &expected {
            let cell = client
                .find(Locator::Css(&format!(
                    "[data-testid=matrix-cell][data-env={env}] .count"
                )))
                .await?;
            assert_eq!(
                cell.text().await?,
                want.len().to_string(),
                "matrix cell of {env}"
            );
        }
        screenshot(&client, "matrix.png").await?;

        // A merge into the clone shows up in qa's queue by itself: no refresh click.
        client
            .find(Locator::Css("[data-testid=view-board]"))
            .await?
            .click()
            .await?;
        run(Command::new("git")
            .args([
                "-c",
                "user.name=E2E",
                "-c",
                "user.email=e@x",
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                "PAY-4242: Arrives while the app is open (#4242)",
            ])
            .current_dir(&repo_for_app))?;
        let new = run(Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(&repo_for_app))?;
        let css = format!(
            "[data-env=qa] [data-testid=queued-change][data-sha='{}']",
            new.trim()
        );
        let started = Instant::now();
        client
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(&css))
            .await?;
        println!(
            "e2e: a new merge reached the board by itself in {} ms",
            started.elapsed().as_millis()
        );

        // Add a project from the window: a refusal first (no such branch), then success.
        client
            .find(Locator::Css("[data-testid=add-project-button]"))
            .await?
            .click()
            .await?;
        let form = client
            .wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Css("[data-testid=add-project]"))
            .await?;
        form.find(Locator::Css("input[name=name]"))
            .await?
            .send_keys("ledger")
            .await?;
        form.find(Locator::Css("input[name=repo]"))
            .await?
            .send_keys(repo_for_app.to_str().unwrap_or_default())
            .await?;
        let trunk = form.find(Locator::Css("input[name=trunk]")).await?;
        trunk.clear().await?;
        trunk.send_keys("trunk").await?;
        client
            .find(Locator::Css("[data-testid=add-project-submit]"))
            .await?
            .click()
            .await?;
        let refusal = client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("[data-testid=add-project-error]"))
            .await?;
        let said = refusal.text().await?;
        assert!(
            said.contains("ledger") && said.contains("\"trunk\""),
            "{said}"
        );
        trunk.clear().await?;
        trunk.send_keys("main").await?;
        client
            .find(Locator::Css("[data-testid=add-project-submit]"))
            .await?
            .click()
            .await?;
        client
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::XPath("//nav//button[text()='ledger']"))
            .await?;
        screenshot(&client, "project-added.png").await?;
        Ok(())
    })
    .await?;

    // 2. Ten thousand queued changes: the board stays responsive (the list is virtualised).
    let big = tmp.path().join("big");
    slipway_git::write_synthetic(&big, 10_050, &[("deploy/prod".to_string(), 10_000)])?;
    run(slipway(&data_dir)
        .args([
            "project",
            "add",
            "big",
            "--env",
            "prod=branch:deploy/prod",
            "--repo",
        ])
        .arg(&big)
        .args(["--workspace"])
        .arg(&ws))?;
    let newest = run(Command::new("git")
        .args(["rev-parse", "main"])
        .current_dir(&big))?
    .trim()
    .to_string();
    with_app(&driver, &ws, |client| async move {
        let started = Instant::now();
        let tab = client.wait().at_most(Duration::from_secs(60)).for_element(Locator::XPath("//button[text()='big']")).await?;
        println!("e2e: launch to painted board with 10,000 queued changes: {} ms", started.elapsed().as_millis());
        tab.click().await?;
        let count = client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("[data-env=prod] [data-testid=queue-count]")).await?;
        assert_eq!(count.text().await?, "10000");
        let rendered = client.find_all(Locator::Css("[data-env=prod] [data-testid=queued-change]")).await?.len();
        assert!(rendered < 200, "{rendered} rows in the document: the list must be virtualised");
        // Scroll to the end: the newest change is drawn, promptly.
        let started = Instant::now();
        client
            .execute("const l = document.querySelector('[data-env=prod] [data-testid=queue]'); l.scrollTop = l.scrollHeight; return l.scrollHeight;", vec![])
            .await?;
        let last = format!("[data-env=prod] [data-testid=queued-change][data-sha='{newest}']");
        client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(&last)).await?;
        println!("e2e: scrolled 10,000 queued changes to the newest in {} ms", started.elapsed().as_millis());
        let (processes, kib) = app_memory();
        println!("e2e: memory with 10,000 queued changes: {} MiB PSS in {processes} processes", kib / 1024);
        screenshot(&client, "board-10000.png").await?;
        Ok(())
    })
    .await?;
    run(slipway(&data_dir)
        .args(["project", "remove", "big", "--workspace"])
        .arg(&ws))?;

    // 3. A project whose repository folder is gone: the app opens and says so.
    let moved = ws.join("repos/payments-moved");
    std::fs::rename(&repo, &moved)?;
    let outcome = with_app(&driver, &ws, |client| async move {
        let panel = client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("[data-testid=project-error]"))
            .await?;
        let text = panel.text().await?;
        assert!(
            text.contains("does not exist") && text.contains("payments"),
            "project error says what is wrong: {text}"
        );
        screenshot(&client, "repository-missing.png").await?;
        Ok(())
    })
    .await;
    std::fs::rename(&moved, &repo)?;
    outcome?;

    // 4. A corrupt database: the app opens, explains, and leaves the file exactly as it was.
    let db = ws.join("slipway.db");
    for extra in ["slipway.db-wal", "slipway.db-shm"] {
        let _ = std::fs::remove_file(ws.join(extra));
    }
    let garbage: Vec<u8> = (0..16_384u32).map(|i| (i * 31 % 251) as u8).collect();
    std::fs::write(&db, &garbage)?;
    with_app(&driver, &ws, |client| async move {
        let panel = client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("[data-testid=workspace-error]"))
            .await?;
        let text = panel.text().await?;
        assert!(
            text.contains("cannot be read") && text.contains("slipway.db"),
            "workspace error: {text}"
        );
        assert!(
            !text.contains("Error {") && !text.contains("Sqlite"),
            "no debug dump: {text}"
        );
        screenshot(&client, "database-corrupt.png").await?;
        Ok(())
    })
    .await?;
    assert_eq!(
        std::fs::read(&db)?,
        garbage,
        "the corrupt database is untouched"
    );

    // The CLI says the same and exits non-zero.
    let out = slipway(&data_dir)
        .args(["queue", "--workspace"])
        .arg(&ws)
        .output()?;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be read"));
    Ok(())
}

/// Waits for an element whose text contains `text` inside the element matching `css`.
async fn wait_for_text(client: &Client, css: &str, text: &str) -> Res<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let mut seen = Vec::new();
        for el in client.find_all(Locator::Css(css)).await? {
            let t = el.text().await?;
            if t.contains(text) {
                return Ok(t);
            }
            seen.push(t);
        }
        if Instant::now() > deadline {
            return Err(format!("no {css} shows {text:?} within 20 s; seen {seen:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A request made on the command line, approved in the window; its SLA clock counting down;
/// the aging view's chart; late changes marked on the board.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn change_requests_and_clocks_in_the_desktop_app() -> Res<()> {
    let tmp = tempfile::tempdir()?;
    let data_dir = tmp.path().join("data");
    let ws = tmp.path().join("demo");
    let cli = |args: &[&str]| run(slipway(&data_dir).arg("--workspace").arg(&ws).args(args));
    run(slipway(&data_dir).args(["demo", "--path"]).arg(&ws))?;
    cli(&[
        "person",
        "add",
        "rm@example.com",
        "--name",
        "Rita",
        "--role",
        "release-manager",
    ])?;
    cli(&[
        "person",
        "add",
        "qa@example.com",
        "--name",
        "Quinn",
        "--role",
        "qa",
    ])?;
    cli(&[
        "sla",
        "policy",
        "--type",
        "emergency",
        "--severity",
        "sev1",
        "--approve",
        "2h",
        "--total",
        "8h",
        "--escalate",
        "breach=role:release-manager",
    ])?;
    cli(&[
        "aging",
        "set",
        "--project",
        "payments",
        "--env",
        "staging",
        "--goal",
        "1h",
    ])?;
    cli(&[
        "cr",
        "new",
        "--project",
        "payments",
        "--type",
        "emergency",
        "--severity",
        "sev1",
        "--title",
        "Card payments fail for JPY",
        "--env",
        "production",
        "--as",
        "ana@example.com",
    ])?;
    cli(&["cr", "submit", "1", "--as", "ana@example.com"])?;
    // A second emergency request linked to a change production shipped this month: its
    // deployment is rework on the Metrics page.
    let before: serde_json::Value = serde_json::from_str(&cli(&["dora", "--json"])?)?;
    let shipped = before["deployments"]
        .as_array()
        .ok_or("deployments")?
        .iter()
        .rev()
        .find(|d| {
            d["unplanned"].is_null() && d["changes"].as_array().is_some_and(|c| !c.is_empty())
        })
        .ok_or("a planned deployment that shipped changes")?["changes"][0]
        .as_str()
        .ok_or("sha")?
        .to_string();
    cli(&[
        "cr",
        "new",
        "--project",
        "payments",
        "--type",
        "emergency",
        "--severity",
        "sev2",
        "--title",
        "Refunds stuck",
        "--env",
        "production",
        "--as",
        "ana@example.com",
    ])?;
    cli(&["cr", "link", "2", &shipped, "--as", "ana@example.com"])?;

    let driver = Driver::start(&data_dir)?;
    let shown_figures: Arc<Mutex<Vec<(String, String, String)>>> = Arc::default();
    let figures_out = Arc::clone(&shown_figures);
    with_app(&driver, &ws, |client| async move {
        let shown_figures = figures_out;
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("[data-testid=board]"))
            .await?;
        // Staging's changes waited longer than an hour: every one is marked late.
        let late = client
            .find_all(Locator::Css("[data-env=staging] [data-testid=late-badge]"))
            .await?;
        let queued = client
            .find_all(Locator::Css(
                "[data-env=staging] [data-testid=queued-change]",
            ))
            .await?;
        assert!(
            !queued.is_empty() && late.len() == queued.len(),
            "late {} of {}",
            late.len(),
            queued.len()
        );
        screenshot(&client, "board-late.png").await?;

        client
            .find(Locator::Css("[data-testid=nav-requests]"))
            .await?
            .click()
            .await?;
        let row = client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css("[data-testid=request-row][data-id='1']"))
            .await?;
        assert!(row.text().await?.contains("Card payments fail for JPY"));
        // A 24×7 clock runs: its countdown ticks.
        let first = client
            .find(Locator::Css("[data-testid=clock-remaining]"))
            .await?
            .text()
            .await?;
        tokio::time::sleep(Duration::from_millis(2200)).await;
        let later = client
            .find(Locator::Css("[data-testid=clock-remaining]"))
            .await?
            .text()
            .await?;
        assert!(
            first.contains("left") && first != later,
            "countdown {first:?} then {later:?}"
        );
        screenshot(&client, "requests.png").await?;

        row.click().await?;
        // The page opens at once and fills in when the request has loaded.
        client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(
                "[data-testid=request-page] [data-testid=action-approve]",
            ))
            .await?
            .click()
            .await?;
        wait_for_text(
            &client,
            "[data-testid=timeline-entry]",
            "approved as release-manager",
        )
        .await?;
        screenshot(&client, "request.png").await?;
        client
            .find(Locator::Css("[aria-label='Close this page']"))
            .await?
            .click()
            .await?;

        client
            .find(Locator::Css("[data-testid=nav-aging]"))
            .await?
            .click()
            .await?;
        client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css("[data-testid=aging-chart] svg"))
            .await?;
        screenshot(&client, "aging.png").await?;

        // The Metrics page, linked from Aging: five figures, the stages, what is behind them.
        click(&client, "[data-testid=to-metrics]").await?;
        client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css("[data-testid=stage-chart] svg"))
            .await?;
        let mut figures = Vec::new();
        for metric in METRICS {
            let card = client
                .find(Locator::Css(&format!("[data-testid=figure-{metric}]")))
                .await?;
            let shown = card
                .find(Locator::Css(".dora-figure-value"))
                .await?
                .text()
                .await?;
            let count = card.attr("data-count").await?.unwrap_or_default();
            figures.push((metric.to_string(), shown, count));
        }
        click(&client, "[data-testid=figure-change_fail_rate]").await?;
        wait_for_text(&client, "[data-testid=metrics-behind]", "Failed:").await?;
        screenshot(&client, "metrics.png").await?;
        *shown_figures.lock().map_err(|_| "lock")? = figures;
        Ok(())
    })
    .await?;

    // The window shows what `slipway dora --json` says.
    let dora: serde_json::Value = serde_json::from_str(&cli(&["dora", "--json"])?)?;
    let want: Vec<(String, String, String)> = dora["figures"]
        .as_array()
        .ok_or("figures")?
        .iter()
        .map(|f| {
            (
                f["metric"].as_str().unwrap_or_default().to_string(),
                f["shown"].as_str().unwrap_or_default().to_string(),
                f["count"].to_string(),
            )
        })
        .collect();
    let got = shown_figures.lock().map_err(|_| "lock")?.clone();
    assert_eq!(got, want);
    println!("e2e: metrics (production, 30 days) {got:?}");
    let reworked: Vec<&serde_json::Value> = dora["deployments"]
        .as_array()
        .ok_or("deployments")?
        .iter()
        .filter(|d| d["unplanned"] == "emergency")
        .collect();
    assert_eq!(
        reworked.len(),
        1,
        "the linked change's deployment is rework"
    );
    assert_eq!(reworked[0]["request"], 2);
    for rule in ["rolled_back", "hotfix_followed"] {
        assert!(
            dora["deployments"]
                .as_array()
                .ok_or("deployments")?
                .iter()
                .any(|d| d["failure"]["rule"] == rule),
            "the demo month has a deployment that failed by {rule}"
        );
    }

    // What the window did is in the database: the CLI sees the approval.
    let shown: serde_json::Value = serde_json::from_str(&cli(&["cr", "show", "1", "--json"])?)?;
    assert_eq!(shown["summary"]["state"], "submitted");
    assert_eq!(
        shown["summary"]["approvals_needed"],
        serde_json::json!(["qa"])
    );
    let approvals: Vec<&serde_json::Value> = shown["timeline"]
        .as_array()
        .ok_or("timeline")?
        .iter()
        .filter(|t| t["kind"] == "approved")
        .collect();
    assert_eq!(approvals.len(), 1);
    assert_eq!(approvals[0]["actor"], "rm@example.com");
    Ok(())
}

/// The Metrics page's cards, in DORA's order.
const METRICS: [&str; 5] = [
    "deployment_frequency",
    "lead_time",
    "change_fail_rate",
    "recovery_time",
    "rework_rate",
];

async fn click(client: &Client, css: &str) -> Res<()> {
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await?
        .click()
        .await?;
    Ok(())
}

fn remote_at(origin: &Path, branch: &str) -> Res<String> {
    Ok(run(Command::new("git")
        .arg("--git-dir")
        .arg(origin)
        .args(["rev-parse", branch]))?
    .trim()
    .to_string())
}

/// One-click promotion with a deploy command streaming its output into the window, then a
/// rollback that puts a hold on the environment and opens a follow-up; the command line and
/// the remote agree with what the window showed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn promotion_and_rollback_in_the_desktop_app() -> Res<()> {
    let tmp = tempfile::tempdir()?;
    let data_dir = tmp.path().join("data");
    let ws = tmp.path().join("demo");
    let cli = |args: &[&str]| run(slipway(&data_dir).arg("--workspace").arg(&ws).args(args));
    run(slipway(&data_dir).args(["demo", "--path"]).arg(&ws))?;
    cli(&[
        "action",
        "set",
        "--project",
        "payments",
        "--env",
        "qa",
        "--timeout",
        "30",
        "--",
        "/bin/sh",
        "-c",
        "echo deploying $0 to qa",
        "{{to_short}}",
    ])?;
    let origin = ws.join("repos/payments.git");
    let before = remote_at(&origin, "deploy/qa")?;

    let seen_outside = std::sync::Arc::new(std::sync::Mutex::new(None::<(String, String)>));
    let seen = seen_outside.clone();
    let driver = Driver::start(&data_dir)?;
    with_app(&driver, &ws, |client| async move {
        // The project's config drift: production against staging shows the leaked line; the
        // guard's settings show the marker learned from perf's own file.
        click(&client, "[data-testid=project-menu]").await?;
        click(&client, "[data-testid=open-config-drift]").await?;
        wait_for_text(
            &client,
            "[data-testid=drift-file][data-path='config/production.toml'] [data-testid=drift-patch]",
            "orders.perf.payments.example",
        )
        .await?;
        screenshot(&client, "config-drift.png").await?;
        client.active_element().await?.send_keys("\u{e00c}").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        click(&client, "[data-testid=project-menu]").await?;
        click(&client, "[data-testid=open-config-guard]").await?;
        wait_for_text(
            &client,
            "[data-testid=guard-marker][data-text='orders.perf.payments.example']",
            "config/perf.toml:3",
        )
        .await?;
        screenshot(&client, "config-guard.png").await?;
        client.active_element().await?.send_keys("\u{e00c}").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;

        // Production's Promote: the config guard blocks the demo's planted leak with its
        // file and line, and asks for a reason to ship past it.
        click(&client, "[data-testid=promote-production]").await?;
        let finding = wait_for_text(
            &client,
            "[data-testid=guard-finding]",
            "config/production.toml:3",
        )
        .await?;
        assert!(
            finding.contains("orders.perf.payments.example"),
            "{finding}"
        );
        let confirm = "[data-testid=confirm-promote]";
        assert!(
            is_disabled(&client, confirm).await?,
            "blocked until a reason is given"
        );
        wait_for_text(&client, "[data-testid=confirm-why]", "config guard").await?;
        type_into(
            &client,
            "[data-testid=guard-override-reason]",
            "the perf host is the new orders source",
        )
        .await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let why = client
            .find(Locator::Css("[data-testid=confirm-why]"))
            .await?
            .text()
            .await?;
        assert!(
            !why.contains("config guard"),
            "the reason answers the guard: {why}"
        );
        screenshot(&client, "guard-block.png").await?;
        client.active_element().await?.send_keys("\u{e00c}").await?; // Escape: nothing ran
        tokio::time::sleep(Duration::from_millis(300)).await;

        click(&client, "[data-testid=promote-qa]").await?;
        client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css("[data-testid=plan-verdict]"))
            .await?;
        screenshot(&client, "promote-plan.png").await?;
        click(&client, "[data-testid=confirm-promote]").await?;
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(
                "[data-testid=deployment-result][data-status=succeeded]",
            ))
            .await?;
        wait_for_text(&client, "[data-testid=progress-line]", "deploying").await?;
        screenshot(&client, "promote-done.png").await?;
        client.active_element().await?.send_keys("\u{e00c}").await?; // Escape closes it
        tokio::time::sleep(Duration::from_millis(300)).await;

        click(&client, "[data-testid=rollback-qa]").await?;
        client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css("[data-testid=rollback-reason]"))
            .await?
            .send_keys("checkout errors after the deploy")
            .await?;
        click(&client, "[data-testid=confirm-rollback]").await?;
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(
                "[data-testid=deployment-result][data-status=succeeded]",
            ))
            .await?;
        client.active_element().await?.send_keys("\u{e00c}").await?;
        wait_for_text(
            &client,
            "[data-testid=hold-banner-qa]",
            "checkout errors after the deploy",
        )
        .await?;
        wait_for_text(&client, "[data-testid=follow-up]", "Postmortem").await?;
        screenshot(&client, "rollback-hold.png").await?;
        // The follow-up the rollback opened, with its owner and due date, on its page.
        click(&client, "[data-testid=nav-follow_ups]").await?;
        let owner = wait_for_text(&client, "[data-testid=follow-up-owner]", "@").await?;
        let standing = wait_for_text(&client, "[data-testid=follow-up-standing]", "due in").await?;
        let due = wait_for_text(&client, "[data-testid=follow-up-due]", "").await?;
        assert!(!due.trim().is_empty(), "the row shows the due date");
        screenshot(&client, "follow-ups.png").await?;
        println!("e2e: the rollback's follow-up: owner {owner}, {standing}");
        *seen.lock().unwrap() = Some((owner, standing));
        Ok(())
    })
    .await?;
    let (owner, standing) = seen_outside.lock().unwrap().clone().ok_or("follow-up")?;
    let list: serde_json::Value = serde_json::from_str(&cli(&["followup", "list", "--json"])?)?;
    let f = &list.as_array().ok_or("follow-ups")?[0];
    assert!(f["title"]
        .as_str()
        .unwrap_or("")
        .starts_with("Postmortem for the rollback of qa"));
    assert!(
        owner.contains(f["owner"].as_str().unwrap_or("?")),
        "{owner} vs {f}"
    );
    assert!(f["due_at"].as_str().is_some_and(|d| !d.is_empty()));
    assert!(standing.starts_with("due in"), "{standing}");

    let history: serde_json::Value = serde_json::from_str(&cli(&[
        "history",
        "--project",
        "payments",
        "--env",
        "qa",
        "--json",
    ])?)?;
    let rows = history.as_array().ok_or("history")?;
    let kinds: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap_or(""),
                r["status"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![("rollback", "succeeded"), ("promote", "succeeded")]
    );
    assert!(rows[1]["output"]
        .as_str()
        .unwrap_or("")
        .contains("deploying"));
    assert_eq!(remote_at(&origin, "deploy/qa")?, before);
    let audit: serde_json::Value = serde_json::from_str(&cli(&["audit", "verify", "--json"])?)?;
    assert_eq!(audit["ok"], true);
    Ok(())
}

/// Whether the element matching `css` is disabled.
async fn is_disabled(client: &Client, css: &str) -> Res<bool> {
    let el = client.find(Locator::Css(css)).await?;
    Ok(el.attr("disabled").await?.is_some())
}

/// Fills a text field (clearing what is there).
async fn type_into(client: &Client, css: &str, text: &str) -> Res<()> {
    let field = client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await?;
    field.clear().await?;
    field.send_keys(text).await?;
    Ok(())
}

/// Stakeholder notifications in the real app: a signed webhook channel added in the window
/// (its URL and key go to the keychain), a hold made on the command line is delivered by the
/// app's own dispatcher, a refusal shows as a dead letter with its error, Retry delivers it
/// exactly once; a desktop channel shows the next event as a notification in the window.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_in_the_desktop_app() -> Res<()> {
    let tmp = tempfile::tempdir()?;
    let data_dir = tmp.path().join("data");
    let ws = tmp.path().join("demo");
    let cli = |args: &[&str]| run(slipway(&data_dir).arg("--workspace").arg(&ws).args(args));
    run(slipway(&data_dir).args(["demo", "--path"]).arg(&ws))?;
    cli(&[
        "stakeholder",
        "add",
        "rm@example.com",
        "--name",
        "Rita",
        "--chat",
        "@rita",
    ])?;
    let sink = HttpSink::start().await;
    let url = sink.url("/hook");

    let driver = Driver::start(&data_dir)?;
    with_app(&driver, &ws, |client| async move {
        click(&client, "[data-testid=nav-notify]").await?;
        click(&client, "[data-testid=notify-channels]").await?;
        type_into(&client, "[data-testid=channel-name]", "audit-hook").await?;
        click(&client, "[data-testid=channel-kind] option[value=webhook]").await?;
        type_into(&client, "[data-testid=channel-url]", &url).await?;
        type_into(
            &client,
            "[data-testid=channel-secret]",
            "e2e-signing-key-0123456789",
        )
        .await?;
        click(&client, "[data-testid=channel-save]").await?;
        let row = wait_for_text(&client, "[data-testid=channel-row]", "audit-hook").await?;
        assert!(!row.contains("/hook"), "the URL is not shown: {row}");
        screenshot(&client, "notify-channels.png").await?;

        // A hold made elsewhere: the app's dispatcher delivers it; the endpoint refuses once.
        cli(&[
            "subscribe",
            "rm@example.com",
            "audit-hook",
            "--kind",
            "held",
        ])?;
        sink.fail_next(1, Fault::Status(400));
        cli(&[
            "hold",
            "--project",
            "payments",
            "--env",
            "staging",
            "--reason",
            "schema migration",
            "--as",
            "rm@example.com",
        ])?;
        click(&client, "[data-testid=notify-outbox]").await?;
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("[data-testid=delivery-row][data-state=dead]"))
            .await?;
        let error = wait_for_text(&client, "[data-testid=dead-error]", "400").await?;
        assert!(
            !error.contains("/hook"),
            "no URL path in the error: {error}"
        );
        screenshot(&client, "notify-dead-letter.png").await?;
        let id = attr_list(
            &client,
            "[data-testid=delivery-row][data-state=dead]",
            "data-id",
        )
        .await?
        .pop()
        .unwrap_or_default();
        click(&client, &format!("[data-testid=retry-{id}]")).await?;
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(&format!(
                "[data-testid=delivery-row][data-state=sent][data-id='{id}']"
            )))
            .await?;
        let received = sink.received();
        assert_eq!(received.len(), 1, "delivered exactly once");
        assert!(received[0].body.contains("\"event\":\"held\""));
        assert!(received[0].header("x-slipway-signature").is_some());

        // A desktop channel: the next hold shows in the window.
        cli(&["channel", "add", "this-desktop", "--kind", "desktop"])?;
        cli(&[
            "subscribe",
            "rm@example.com",
            "this-desktop",
            "--kind",
            "held",
        ])?;
        cli(&[
            "unhold",
            "--project",
            "payments",
            "--env",
            "staging",
            "--as",
            "rm@example.com",
        ])?;
        cli(&[
            "hold",
            "--project",
            "payments",
            "--env",
            "production",
            "--reason",
            "release freeze",
            "--as",
            "rm@example.com",
        ])?;
        wait_for_text(&client, "[data-testid=toast]", "release freeze").await?;
        screenshot(&client, "notify-toast.png").await?;
        Ok(())
    })
    .await
}

/// A repository as a team has one: trunk with merges one an hour, `deploy/qa` two behind,
/// production tagged `production/<n>` further back, pushed to a bare origin whose HEAD is main.
fn my_repository(root: &Path) -> Res<PathBuf> {
    let origin = root.join("shop.git");
    let work = root.join("shop");
    std::fs::create_dir_all(&work)?;
    let git = |dir: &Path, args: &[&str], at: Option<i64>| -> Res<String> {
        let mut cmd = Command::new("git");
        cmd.args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "Dev")
            .env("GIT_AUTHOR_EMAIL", "dev@example.com")
            .env("GIT_COMMITTER_NAME", "Dev")
            .env("GIT_COMMITTER_EMAIL", "dev@example.com");
        if let Some(at) = at {
            let date = format!("@{at} +0000");
            cmd.env("GIT_AUTHOR_DATE", &date)
                .env("GIT_COMMITTER_DATE", &date);
        }
        run(&mut cmd)
    };
    git(
        root,
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            origin.to_str().unwrap(),
        ],
        None,
    )?;
    git(&work, &["init", "-q", "-b", "main"], None)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    let start = now - 12 * 3600;
    for i in 0..10 {
        git(
            &work,
            &[
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                &format!("SHOP-{i}: Change {i} (#{})", 100 + i),
            ],
            Some(start + i * 3600),
        )?;
    }
    git(&work, &["branch", "deploy/qa", "HEAD~2"], None)?;
    git(&work, &["tag", "production/1", "HEAD~7"], None)?;
    git(&work, &["tag", "production/2", "HEAD~6"], None)?;
    git(
        &work,
        &["remote", "add", "origin", origin.to_str().unwrap()],
        None,
    )?;
    git(&work, &["push", "-q", "origin", "--all"], None)?;
    git(&work, &["push", "-q", "origin", "--tags"], None)?;
    git(&work, &["fetch", "-q", "origin"], None)?;
    git(&work, &["remote", "set-head", "origin", "main"], None)?;
    Ok(work)
}

/// The first run on your own repository: the welcome page, the detected pipeline edited and
/// created, its board as git says; who you are set in Settings, seen in the header and on a
/// sign-off; another workspace switched to and back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_on_my_repository_and_settings_in_the_desktop_app() -> Res<()> {
    let tmp = tempfile::tempdir()?;
    let data_dir = tmp.path().join("data");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home)?;
    let repo = my_repository(tmp.path())?;
    let ws = tmp.path().join("mine");
    let demo = tmp.path().join("demo");
    run(slipway(&data_dir).args(["demo", "--path"]).arg(&demo))?;
    let rev_list = |range: &str| -> Res<Vec<String>> {
        Ok(run(Command::new("git")
            .args(["rev-list", "--first-parent", "--reverse", range])
            .current_dir(&repo))?
        .lines()
        .map(str::to_string)
        .collect())
    };
    let want_test = rev_list("deploy/qa..main")?;
    let want_production = rev_list("production/2..deploy/qa")?;
    let palette_sha = want_production[2].clone();
    let cli = |args: &[&str]| run(slipway(&data_dir).arg("--workspace").arg(&ws).args(args));

    let driver = Driver::launch(&data_dir, None, Some(&home))?;
    let (repo_text, ws_for_app, demo_text) = (
        repo.display().to_string(),
        ws.clone(),
        demo.display().to_string(),
    );
    with_app(&driver, &ws, |client| async move {
        // 1. No workspace: the welcome page, and nobody known in the header.
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("[data-testid=welcome]"))
            .await?;
        wait_for_text(&client, "[data-testid=me]", "Who are you?").await?;
        screenshot(&client, "first-run-welcome.png").await?;

        // 2. Start with my repository: the pipeline is detected; qa becomes test.
        type_into(&client, "[data-testid=repo-path]", &repo_text).await?;
        click(&client, "[data-testid=detect]").await?;
        client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css("[data-testid=review-pipeline]"))
            .await?;
        let names = client
            .execute(
                "return Array.from(document.querySelectorAll('[data-testid=env-name]')).map((e) => e.value);",
                vec![],
            )
            .await?;
        assert_eq!(names, serde_json::json!(["qa", "production"]), "detected pipeline");
        wait_for_text(&client, "[data-testid=pipeline-row]", "branch deploy/qa, 2 changes behind trunk").await?;
        screenshot(&client, "first-run-pipeline.png").await?;
        type_into(&client, "[data-testid=env-name]", "test").await?;
        click(&client, "[data-testid=create-workspace]").await?;
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("[data-env=production] [data-testid=queued-change]"))
            .await?;
        assert!(ws_for_app.join("slipway.toml").is_file(), "the workspace was made");
        assert_eq!(
            attr_list(&client, "[data-env=test] [data-testid=queued-change]", "data-sha").await?,
            want_test,
            "queue of test"
        );
        assert_eq!(
            attr_list(&client, "[data-env=production] [data-testid=queued-change]", "data-sha").await?,
            want_production,
            "queue of production"
        );
        screenshot(&client, "first-run-board.png").await?;
        Ok(())
    })
    .await?;

    // Production now needs a QA sign-off (set on the command line, as a lead would).
    cli(&[
        "gate",
        "signoffs",
        "--project",
        "shop",
        "--env",
        "production",
        "--required",
        "1",
        "--role",
        "qa",
        "--as",
        "lead@example.com",
    ])?;

    let ws_text = ws.display().to_string();
    let data_for_app = data_dir.clone();
    with_app(&driver, &ws, |client| async move {
        // 3. Who I am, set in Settings: the header says so, and a sign-off is mine.
        click(&client, "[data-testid=me]").await?;
        type_into(&client, "[data-testid=setting-email]", "qa@example.com").await?;
        click(&client, "[data-testid=save-email]").await?;
        wait_for_text(&client, "[data-testid=me]", "qa@example.com").await?;
        type_into(&client, "[data-testid=setting-name]", "Quinn Ames").await?;
        click(&client, "[data-testid=save-name]").await?;
        wait_for_text(&client, "[data-testid=me]", "Quinn Ames").await?;
        type_into(&client, "[data-testid=setting-roles]", "qa").await?;
        click(&client, "[data-testid=save-roles]").await?;
        wait_for_text(&client, "[data-testid=settings]", "from your settings").await?;
        screenshot(&client, "settings.png").await?;

        click(&client, "[data-testid=nav-board]").await?;
        click(
            &client,
            "[data-env=production] [data-testid=signoff-approve]",
        )
        .await?;
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let audit: serde_json::Value = serde_json::from_str(&run(slipway(&data_for_app)
                .arg("--workspace")
                .arg(&ws_text)
                .args(["audit", "export", "--format", "json"]))?)?;
            let signed = audit.as_array().into_iter().flatten().any(|e| {
                e["actor"] == "qa@example.com"
                    && e["action"].as_str().is_some_and(|a| a.contains("signoff"))
            });
            if signed {
                break;
            }
            if Instant::now() > deadline {
                return Err(
                    format!("no sign-off by qa@example.com in the audit log: {audit}").into(),
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }

        // 4. A change found through the palette: its sha, Enter, and the board shows its row.
        click(&client, "[data-testid=find]").await?;
        type_into(&client, "[data-testid=palette-input]", &palette_sha[..9]).await?;
        wait_for_text(
            &client,
            "[data-testid=palette-hit]",
            "waiting for production in shop",
        )
        .await?;
        client
            .find(Locator::Css("[data-testid=palette-input]"))
            .await?
            .send_keys("\u{E007}")
            .await?;
        client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(&format!(
                "[data-env=production] [data-sha='{palette_sha}'][data-focused=true]"
            )))
            .await?;
        screenshot(&client, "palette-found.png").await?;

        // 5. Another workspace, and back through the recent list.
        click(&client, "[data-testid=me]").await?;
        type_into(&client, "[data-testid=workspace-folder]", &demo_text).await?;
        click(&client, "[data-testid=switch-workspace]").await?;
        wait_for_text(&client, "[data-testid=workspace-in-use]", &demo_text).await?;
        click(&client, "[data-testid=nav-board]").await?;
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(
                "[data-env=staging] [data-testid=queued-change]",
            ))
            .await?;
        click(&client, "[data-testid=me]").await?;
        click(&client, "[data-testid=open-recent]").await?;
        wait_for_text(&client, "[data-testid=workspace-in-use]", &ws_text).await?;
        click(&client, "[data-testid=nav-board]").await?;
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("[data-env=test] [data-testid=queued-change]"))
            .await?;
        Ok(())
    })
    .await?;
    Ok(())
}

/// What the desktop entry runs when a `slipway://` link is opened (`slipway-desktop %u`,
/// the link alone), while the app runs: the second launch hands the link over and ends. Its
/// exit status.
fn open_link(data_dir: &Path, link: &str) -> Res<std::process::ExitStatus> {
    let mut second = Command::new(bin_dir().join("slipway-desktop"))
        .arg(link)
        .env("SLIPWAY_DATA_DIR", data_dir)
        .env("SLIPWAY_USER", "rm@example.com")
        .env_remove("SLIPWAY_CONFIG_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = second.try_wait()? {
            return Ok(status);
        }
        if Instant::now() > deadline {
            let _ = second.kill();
            let _ = second.wait();
            return Err(format!(
                "a second launch with {link} did not end within 30 s: a second window?"
            )
            .into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `slipway://` links from outside: a second launch with a link focuses the one window on
/// its page (an acknowledge link makes "I'm on it" ready and does nothing), an unknown link
/// changes nothing, and a link the app is started on opens its page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_from_outside_reach_the_one_window() -> Res<()> {
    let tmp = tempfile::tempdir()?;
    let data_dir = tmp.path().join("data");
    let ws = tmp.path().join("demo");
    let cli = |args: &[&str]| run(slipway(&data_dir).arg("--workspace").arg(&ws).args(args));
    run(slipway(&data_dir).args(["demo", "--path"]).arg(&ws))?;
    // An emergency whose approval goal runs out a second after it is submitted.
    cli(&[
        "sla",
        "policy",
        "--type",
        "emergency",
        "--severity",
        "sev1",
        "--approve",
        "1s",
    ])?;
    let opened: serde_json::Value = serde_json::from_str(&cli(&[
        "cr",
        "new",
        "--project",
        "payments",
        "--type",
        "emergency",
        "--severity",
        "sev1",
        "--title",
        "Refunds fail",
        "--json",
    ])?)?;
    let id = opened["summary"]["id"].as_i64().ok_or("no request id")?;
    cli(&["cr", "submit", &id.to_string()])?;
    std::thread::sleep(Duration::from_millis(1500));

    let driver = Driver::start(&data_dir)?;
    let (data, workspace) = (data_dir.clone(), ws.clone());
    with_app(&driver, &ws, |client| async move {
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("[data-testid=env-column]"))
            .await?;
        let running = desktop_pids().len();
        let started = Instant::now();
        let status = open_link(&data, &format!("slipway://request/{id}"))?;
        eprintln!(
            "e2e: a second launch handed its link over and ended in {} ms ({status})",
            started.elapsed().as_millis()
        );
        client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(&format!(
                "[data-testid=request-page][data-id='{id}']"
            )))
            .await?;
        assert_eq!(desktop_pids().len(), running, "still one window");

        // The acknowledge link of the breach mail: "I'm on it" is ready, not pressed.
        open_link(&data, &format!("slipway://ack/cr/{id}/approve"))?;
        client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css("[data-testid=ack-ready][data-ready=true]"))
            .await?;
        let focused = client
            .execute(
                "return document.activeElement?.dataset?.testid ?? '';",
                vec![],
            )
            .await?;
        assert_eq!(focused, "action-acknowledge", "I'm on it has the focus");
        screenshot(&client, "link-acknowledge.png").await?;
        let detail: serde_json::Value = serde_json::from_str(&run(slipway(&data)
            .arg("--workspace")
            .arg(&workspace)
            .args(["cr", "show", &id.to_string(), "--json"]))?)?;
        let text = detail.to_string();
        assert!(
            text.contains("\"acknowledged\":false") && !text.contains("\"acknowledged\":true"),
            "the link acknowledged nothing: {detail}"
        );

        // Links that are not Slipway's change nothing.
        for link in [
            "slipway://delete-everything",
            "slipway://request/1;rm",
            "https://example.com",
        ] {
            open_link(&data, link)?;
        }
        tokio::time::sleep(Duration::from_millis(800)).await;
        client
            .find(Locator::Css("[data-testid=ack-ready][data-ready=true]"))
            .await
            .map_err(|_| "an unknown link moved the window")?;
        Ok(())
    })
    .await?;

    // Closed on the request's page, the window opens on it again.
    with_app(&driver, &ws, |client| async move {
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(&format!(
                "[data-testid=request-page][data-id='{id}']"
            )))
            .await?;
        Ok(())
    })
    .await?;

    // With the app closed, a link starts it on its page.
    let link = format!("slipway://request/{id}");
    with_app_args(&driver, &ws, &[link], |client| async move {
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(&format!(
                "[data-testid=request-page][data-id='{id}']"
            )))
            .await?;
        Ok(())
    })
    .await?;
    Ok(())
}
