//! The `.deb` as a user gets it: installed with `apt-get install ./…deb` (so its dependency
//! list is proven), its files checked (the desktop entry with `%u` and the scheme, both
//! binaries, the watcher's unit — which `systemd-analyze verify` passes), the command line run
//! without a display, the **installed** desktop app driven under Xvfb on a demo workspace,
//! `slipway://` links opened through the desktop entry with `xdg-open` (into the running app,
//! and starting it), then the package removed with nothing left but user data.
//!
//! Needs root, the package (`SLIPWAY_DEB`, which `make package-test` sets after building it),
//! `tauri-driver`, a DISPLAY and a D-Bus session: `make package-test` arranges all of that.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::Locator;
use support::*;

const DESKTOP_APP: &str = "/usr/bin/slipway-desktop";
const CLI: &str = "/usr/bin/slipway";
const UNIT: &str = "/lib/systemd/system/slipway-watch.service";

fn apt(args: &[&str]) -> Res<String> {
    run(Command::new("apt-get")
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// The package's name, from the file itself.
fn package_name(deb: &Path) -> Res<String> {
    Ok(run(Command::new("dpkg-deb")
        .args(["--field"])
        .arg(deb)
        .arg("Package"))?
    .trim()
    .to_string())
}

/// The installed package's files (not its folders).
fn installed_files(name: &str) -> Res<Vec<PathBuf>> {
    Ok(run(Command::new("dpkg").args(["-L", name]))?
        .lines()
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .collect())
}

/// The desktop entry the package installed.
fn desktop_entry(files: &[PathBuf]) -> Res<PathBuf> {
    files
        .iter()
        .find(|p| {
            p.starts_with("/usr/share/applications")
                && p.extension().is_some_and(|e| e == "desktop")
        })
        .cloned()
        .ok_or_else(|| "the package installs no desktop entry".into())
}

/// Waits for the app's log under `data_dir` to say `what`.
fn log_says(data_dir: &Path, what: &str, secs: u64) -> Res<String> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        for entry in std::fs::read_dir(data_dir.join("logs"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            if let Some(line) = text.lines().find(|l| l.contains(what)) {
                return Ok(line.to_string());
            }
        }
        if Instant::now() > deadline {
            return Err(format!("the app's log never said {what:?} within {secs} s").into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `xdg-open LINK` as a desktop does; the opener returns once it has handed the link over.
fn xdg_open(link: &str, data_dir: &Path) -> Res<()> {
    let out = Command::new("xdg-open")
        .arg(link)
        .env("SLIPWAY_DATA_DIR", data_dir)
        .env("SLIPWAY_USER", "rm@example.com")
        .env_remove("SLIPWAY_CONFIG_DIR")
        .stdout(Stdio::null())
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "xdg-open {link} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_package_installs_runs_opens_links_and_removes_cleanly() -> Res<()> {
    let deb = PathBuf::from(
        std::env::var_os("SLIPWAY_DEB")
            .ok_or("SLIPWAY_DEB is not set: run make package-test, which builds the package")?,
    );
    let name = package_name(&deb)?;
    // A package left by an earlier, interrupted run goes first.
    let _ = apt(&["remove", "-y", "-qq", &name]);

    // apt resolves the package's dependencies: a wrong name fails here.
    apt(&[
        "install",
        "-y",
        "-qq",
        "--no-install-recommends",
        deb.to_str().ok_or("the package's path is not UTF-8")?,
    ])?;
    let files = installed_files(&name)?;
    eprintln!("e2e: package {name}: {} files installed", files.len());
    for path in [DESKTOP_APP, CLI, UNIT, "/etc/slipway/watch.env"] {
        assert!(
            files.iter().any(|f| f == Path::new(path)),
            "{path} is not in the package: {files:?}"
        );
    }
    let entry_path = desktop_entry(&files)?;
    let entry = std::fs::read_to_string(&entry_path)?;
    assert!(
        entry
            .lines()
            .any(|l| l.starts_with("Exec=") && l.contains("%u")),
        "the desktop entry passes the link: {entry}"
    );
    assert!(
        entry
            .lines()
            .any(|l| l.starts_with("MimeType=") && l.contains("x-scheme-handler/slipway")),
        "the desktop entry declares the scheme: {entry}"
    );
    run(Command::new("desktop-file-validate").arg(&entry_path))?;
    // The service's user exists, and the unit is sound.
    run(Command::new("getent").args(["passwd", "slipway"]))?;
    let verified = Command::new("systemd-analyze")
        .args(["verify", UNIT])
        .output()?;
    assert!(
        verified.status.success(),
        "systemd-analyze verify {UNIT}: {}",
        String::from_utf8_lossy(&verified.stderr)
    );

    let tmp = tempfile::tempdir()?;
    let data_dir = tmp.path().join("data");
    let ws = tmp.path().join("demo");
    // The command line without a display, and the desktop app's word for the missing one.
    let cli = |args: &[&str]| {
        run(Command::new(CLI)
            .args(args)
            .env("SLIPWAY_DATA_DIR", &data_dir)
            .env_remove("SLIPWAY_CONFIG_DIR")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY"))
    };
    cli(&["demo", "--path", ws.to_str().ok_or("path")?])?;
    let board = cli(&["queue", "--json", "--workspace", ws.to_str().ok_or("path")?])?;
    assert!(board.contains("\"payments\""), "{board}");
    let headless = Command::new(DESKTOP_APP)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()?;
    assert_eq!(headless.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&headless.stderr).contains("there is no display"),
        "{}",
        String::from_utf8_lossy(&headless.stderr)
    );
    let opened: serde_json::Value = serde_json::from_str(&cli(&[
        "cr",
        "new",
        "--workspace",
        ws.to_str().ok_or("path")?,
        "--project",
        "payments",
        "--type",
        "normal",
        "--severity",
        "sev3",
        "--title",
        "Rotate the card vault key",
        "--json",
    ])?)?;
    let id = opened["summary"]["id"].as_i64().ok_or("no request id")?;

    // The installed app, driven: the board renders; a link opened the desktop's way reaches
    // its one window.
    let driver = Driver::for_app(&data_dir, Path::new(DESKTOP_APP), Some("rm@example.com"))?;
    let data = data_dir.clone();
    with_app(&driver, &ws, |client| async move {
        let started = Instant::now();
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("[data-testid=env-column]"))
            .await?;
        eprintln!(
            "e2e: the installed app painted the board in {} ms",
            started.elapsed().as_millis()
        );
        screenshot(&client, "installed-board.png").await?;
        xdg_open(&format!("slipway://request/{id}"), &data)?;
        client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(&format!(
                "[data-testid=request-page][data-id='{id}']"
            )))
            .await?;
        xdg_open("slipway://nothing-of-ours", &data)?;
        tokio::time::sleep(Duration::from_millis(800)).await;
        client
            .find(Locator::Css(&format!(
                "[data-testid=request-page][data-id='{id}']"
            )))
            .await
            .map_err(|_| "an unknown link moved the window")?;
        Ok(())
    })
    .await?;
    drop(driver);
    // The driven window is gone before the next launch, which would otherwise hand its link
    // to it (one window) instead of starting.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !desktop_pids().is_empty() {
        if Instant::now() > deadline {
            return Err("the driven app did not exit within 20 s of its session".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }

    // With the app closed, the link starts it, on its page: the opener runs the app in the
    // foreground, so it is left running until the app says so, then both are stopped.
    let started_data = tmp.path().join("started");
    let mut opener = Command::new("xdg-open")
        .arg(format!("slipway://request/{id}"))
        .env("SLIPWAY_DATA_DIR", &started_data)
        .env_remove("SLIPWAY_CONFIG_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let said = log_says(&started_data, "opening on the link it was started on", 30);
    // An opener that already ended handed its link to a window still running.
    let ended = opener.try_wait()?;
    let _ = Command::new("pkill").args(["-f", DESKTOP_APP]).status();
    let _ = opener.wait();
    let said = said.map_err(|e| format!("{e} (the opener had ended: {ended:?})"))?;
    assert!(said.contains(&format!("request={id}")), "{said}");

    // Removed: nothing of the package is left but user data.
    apt(&["remove", "-y", "-qq", &name])?;
    let left: Vec<&PathBuf> = files.iter().filter(|f| f.exists()).collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    assert!(ws.join("slipway.toml").exists(), "user data stays");
    Ok(())
}
