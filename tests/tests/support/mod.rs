//! What the end-to-end tests share: tauri-driver around the app (built, or installed by
//! the package), a session per launch that always closes, screenshots and the app's log.

#![allow(dead_code)] // each test binary uses its own part

use std::error::Error;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};

pub type Res<T> = Result<T, Box<dyn Error>>;

/// `target/debug`, found from this test binary's own path (`target/debug/deps/…`).
pub fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    exe.parent()
        .and_then(Path::parent)
        .expect("target dir")
        .to_path_buf()
}

pub fn artifacts_dir() -> PathBuf {
    let dir = std::env::var_os("SLIPWAY_E2E_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| bin_dir().join("e2e"));
    std::fs::create_dir_all(&dir).expect("artifacts dir");
    dir
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

pub fn run(cmd: &mut Command) -> Res<String> {
    let out = cmd.output()?;
    if !out.status.success() {
        return Err(format!("{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8(out.stdout)?)
}

/// tauri-driver on a free port; stopped with SIGTERM so it takes WebKitWebDriver with it.
pub struct Driver {
    child: Child,
    port: u16,
    /// The app it launches.
    app: PathBuf,
    /// The app's data folder (its logs are under `logs/`).
    pub data_dir: PathBuf,
}

impl Driver {
    pub fn start(data_dir: &Path) -> Res<Driver> {
        // Who the app acts as (approvals, holds): a release manager of the test's people.
        Driver::launch(data_dir, Some("rm@example.com"), None)
    }

    /// tauri-driver for the app at `app` (the one a package installed), acting as `user`.
    pub fn for_app(data_dir: &Path, app: &Path, user: Option<&str>) -> Res<Driver> {
        let mut driver = Driver::launch(data_dir, user, None)?;
        driver.app = app.to_path_buf();
        Ok(driver)
    }

    /// tauri-driver for an app that acts as `user` (`SLIPWAY_USER`), or — with `None` — as
    /// its settings say; `home` replaces HOME (so no git identity of the machine's is found).
    pub fn launch(data_dir: &Path, user: Option<&str>, home: Option<&Path>) -> Res<Driver> {
        let port = free_port();
        let native = free_port();
        let mut command = Command::new("tauri-driver");
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .env("SLIPWAY_DATA_DIR", data_dir)
            // Personal settings then live in the data folder (its `config`).
            .env_remove("SLIPWAY_CONFIG_DIR");
        match user {
            Some(user) => command.env("SLIPWAY_USER", user),
            None => command.env_remove("SLIPWAY_USER"),
        };
        if let Some(home) = home {
            command
                .env("HOME", home)
                .env("XDG_CONFIG_HOME", home.join(".config"));
        }
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("tauri-driver: {e} (cargo install tauri-driver --locked)"))?;
        let driver = Driver {
            child,
            port,
            app: bin_dir().join("slipway-desktop"),
            data_dir: data_dir.to_path_buf(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("tauri-driver did not start listening within 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }

    /// A session of the app on `workspace`, started with `extra` arguments after it (a link,
    /// as the desktop entry passes it).
    pub async fn session_with(&self, workspace: &Path, extra: &[String]) -> Res<Client> {
        let app = &self.app;
        if !app.exists() {
            return Err(format!(
                "{} is missing: build the app first (make e2e does)",
                app.display()
            )
            .into());
        }
        let mut args = vec!["--workspace".to_string(), workspace.display().to_string()];
        args.extend(extra.iter().cloned());
        let caps = serde_json::json!({
            "tauri:options": {
                "application": app,
                "args": args,
            }
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!()
        };
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await?;
        Ok(client)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `body` in a fresh app session and always closes the session, even on failure.
pub async fn with_app<F, Fut>(driver: &Driver, workspace: &Path, body: F) -> Res<()>
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = Res<()>>,
{
    with_app_args(driver, workspace, &[], body).await
}

/// [`with_app`] with the app started on `extra` arguments.
pub async fn with_app_args<F, Fut>(
    driver: &Driver,
    workspace: &Path,
    extra: &[String],
    body: F,
) -> Res<()>
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = Res<()>>,
{
    let client = driver.session_with(workspace, extra).await?;
    let outcome = body(client.clone()).await;
    if let Err(e) = &outcome {
        // What the window showed and what the app logged, for a failure seen only in CI.
        let shot = screenshot(&client, "failure.png").await;
        eprintln!("e2e: failed ({e}); the window: {shot:?}");
        print_log_tail(&driver.data_dir.join("logs"), 60);
    }
    let closed = client.close().await;
    outcome?;
    closed?;
    Ok(())
}

/// The last `lines` of every log file in `dir`, to standard error.
pub fn print_log_tail(dir: &Path, lines: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("e2e: no app logs in {}", dir.display());
        return;
    };
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        eprintln!("e2e: the last lines of {}:", entry.path().display());
        for line in &all[all.len().saturating_sub(lines)..] {
            eprintln!("  {line}");
        }
    }
}

/// `attr` of every element matching `css`, read in one script so that a re-render between
/// finding the elements and reading them (the board reloads after a fetch) cannot leave a
/// stale element behind.
pub async fn attr_list(client: &Client, css: &str, attr: &str) -> Res<Vec<String>> {
    let found = client
        .execute(
            "return Array.from(document.querySelectorAll(arguments[0])).map((e) => e.getAttribute(arguments[1]) ?? '');",
            vec![css.into(), attr.into()],
        )
        .await?;
    Ok(serde_json::from_value(found)?)
}

pub async fn screenshot(client: &Client, name: &str) -> Res<PathBuf> {
    // Let WebKit paint the last change before the capture.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let path = artifacts_dir().join(name);
    std::fs::write(&path, client.screenshot().await?)?;
    Ok(path)
}

/// The live `slipway-desktop` processes (zombies, which nothing here reaps, do not count).
pub fn desktop_pids() -> Vec<u32> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let pid = e.file_name().to_str()?.parse::<u32>().ok()?;
            let comm = std::fs::read_to_string(e.path().join("comm")).ok()?;
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            let zombie = stat
                .rsplit_once(')')
                .is_some_and(|(_, r)| r.trim_start().starts_with('Z'));
            (comm.trim() == "slipway-desktop" && !zombie).then_some(pid)
        })
        .collect()
}
