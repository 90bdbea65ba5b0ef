//! `slipway watch --listen` as a service: a real Prometheus server scrapes `/metrics` and is
//! asked, over its HTTP API, for the breach and queue figures; `promtool check metrics`
//! passes; `/healthz` turns 503 while the PostgreSQL database is away and 200 once it is
//! back; an address already in use or not an address is refused with a clear message.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::promote::{json, pg, run, slipway, text, workspace};

/// A free loopback port.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port()
}

/// `GET path` on loopback `port`: the status and the body (`None` when nothing answers).
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let status = answer.split(' ').nth(1)?.parse().ok()?;
    let (head, body) = answer.split_once("\r\n\r\n")?;
    // The servers here answer with a length or in chunks; chunked bodies are joined.
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut out = String::new();
        let mut rest = body;
        while let Some((size, tail)) = rest.split_once("\r\n") {
            let n = usize::from_str_radix(size.trim(), 16).ok()?;
            if n == 0 {
                break;
            }
            out.push_str(&tail[..n]);
            rest = &tail[n + 2..];
        }
        out
    } else {
        body.to_string()
    };
    Some((status, body))
}

/// Percent-encodes a query-string value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Polls `what` until it gives `Some`, for at most `secs` seconds.
fn until<T>(secs: u64, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A process killed (and reaped) when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A real Prometheus server on loopback scraping `target` every second.
fn prometheus(dir: &Path, target: u16) -> (Running, u16) {
    let port = free_port();
    let config = dir.join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: slipway\n    static_configs:\n      - targets: ['127.0.0.1:{target}']\n"
        ),
    )
    .unwrap();
    let child = Command::new("prometheus")
        .arg(format!("--config.file={}", config.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.join("tsdb").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join("prometheus.log")).unwrap())
        .spawn()
        .expect("prometheus runs (Debian's prometheus package; make test installs it)");
    (Running(child), port)
}

/// What Prometheus answers for an instant `query`: its one sample's value.
fn sample(port: u16, query: &str) -> Option<String> {
    let (status, body) = get(port, &format!("/api/v1/query?query={}", encode(query)))?;
    if status != 200 {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(&body).ok()?;
    let result = v["data"]["result"].as_array()?;
    (result.len() == 1).then(|| result[0]["value"][1].as_str().map(str::to_string))?
}

#[test]
fn prometheus_scrapes_the_watcher_and_its_health_follows_the_database() {
    let tmp = tempfile::tempdir().unwrap();
    let cluster = pg::PgCluster::start();
    let url = cluster.database("service");
    let ws = workspace(tmp.path(), Some(&url));
    // An emergency request whose approval goal runs out two seconds after it is submitted.
    run(
        &ws,
        &[
            "sla",
            "policy",
            "--type",
            "emergency",
            "--severity",
            "sev1",
            "--approve",
            "2s",
        ],
    );
    let opened = json(
        &ws,
        &[
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
        ],
    );
    let id = opened["summary"]["id"].as_i64().unwrap().to_string();
    run(&ws, &["cr", "submit", &id]);

    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let _watcher = Running(
        slipway(&ws, &["watch", "--interval", "1", "--listen", &addr], &[])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(tmp.path().join("watch.log")).unwrap())
            .spawn()
            .unwrap(),
    );
    // Healthy from the start (its first pass is due), with a pass on record soon after.
    let health = until(30, "/healthz to answer 200 after a pass", || {
        get(port, "/healthz")
            .filter(|(s, _)| *s == 200)
            .map(|(_, body)| serde_json::from_str::<serde_json::Value>(&body).unwrap())
            .filter(|h| h["last_pass_at"].is_string())
    });
    assert_eq!(health["healthy"], true, "{health}");
    assert_eq!(health["database_reachable"], true, "{health}");
    assert!(health["last_pass_at"].is_string(), "{health}");

    // The text format passes promtool's checks.
    let (status, metrics) = get(port, "/metrics").unwrap();
    assert_eq!(status, 200);
    let mut promtool = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    promtool
        .stdin
        .take()
        .unwrap()
        .write_all(metrics.as_bytes())
        .unwrap();
    let checked = promtool.wait_with_output().unwrap();
    assert!(
        checked.status.success(),
        "promtool check metrics: {}{}\n{metrics}",
        text(&checked.stdout),
        text(&checked.stderr)
    );

    // A real Prometheus scrapes it; its API gives the breach and the queue.
    let (_prometheus, prom) = prometheus(tmp.path(), port);
    let breached = until(90, "Prometheus to see the breach", || {
        sample(
            prom,
            r#"slipway_clocks_breached_unacknowledged{job="slipway",kind="sla"}"#,
        )
        .filter(|v| v == "1")
    });
    assert_eq!(breached, "1");
    let board = json(&ws, &["queue"]);
    let production = board["projects"][0]["environments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "production")
        .unwrap()["queue"]
        .as_array()
        .unwrap()
        .len();
    let queued = until(30, "Prometheus to see the production queue", || {
        sample(
            prom,
            r#"slipway_queue_changes{project="payments",environment="production"}"#,
        )
    });
    assert_eq!(queued, production.to_string());
    let open = until(30, "Prometheus to see the open request", || {
        sample(prom, r#"sum(slipway_requests_open{type="emergency"})"#)
    });
    assert_eq!(open, "1");
    assert_eq!(
        until(30, "the watcher to be up in Prometheus", || sample(
            prom,
            r#"up{job="slipway"}"#
        )),
        "1"
    );

    // "I'm on it": the breach is acknowledged, the figure follows.
    run(&ws, &["sla", "ack", &format!("cr/{id}/approve")]);
    until(60, "Prometheus to see the acknowledgement", || {
        sample(
            prom,
            r#"slipway_clocks_breached_unacknowledged{kind="sla"}"#,
        )
        .filter(|v| v == "0")
    });

    // The database goes away: /healthz says so with a 503, and comes back with it.
    cluster.stop();
    let (_, down) = until(30, "/healthz to turn 503", || {
        get(port, "/healthz").filter(|(s, _)| *s == 503)
    });
    let down: serde_json::Value = serde_json::from_str(&down).unwrap();
    assert_eq!(down["healthy"], false, "{down}");
    assert_eq!(down["database_reachable"], false, "{down}");
    assert!(
        down["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p.as_str().unwrap().contains("the database does not answer")),
        "{down}"
    );
    let (status, metrics) = get(port, "/metrics").unwrap();
    assert_eq!(status, 200, "the watcher's own figures are still served");
    assert!(metrics.contains("slipway_database_up 0"), "{metrics}");
    cluster.start_again();
    until(60, "/healthz to return to 200", || {
        get(port, "/healthz").filter(|(s, _)| *s == 200)
    });

    // Bad input: the address in use, and no address at all.
    for (listen, says) in [
        (addr.as_str(), "the address is already in use"),
        ("nowhere", "Cannot listen on nowhere"),
    ] {
        let out = slipway(&ws, &["watch", "--listen", listen], &[])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{listen}");
        let err = text(&out.stderr);
        assert!(err.contains(says), "{listen}: {err}");
        assert!(err.contains("nothing was started"), "{err}");
    }
}

/// The alert rules the README shows are rules Prometheus loads.
#[test]
fn the_readmes_alert_rules_pass_promtool() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let rules = readme
        .split("```yaml\n")
        .find(|block| block.starts_with("# slipway-alerts.yml"))
        .and_then(|block| block.split("```").next())
        .expect("the README shows slipway-alerts.yml");
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("slipway-alerts.yml");
    std::fs::write(&file, rules).unwrap();
    let out = Command::new("promtool")
        .args(["check", "rules"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("2 rules found"));
}

/// Whether this test runs as root (then another user is needed for a file it cannot read).
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// `slipway watch --env-file`: the service's settings file, read by the watcher itself; a
/// file it cannot read, a setting it does not know or a bad interval is refused before
/// anything starts, and the file's workspace and address are the ones used.
#[test]
fn the_watchers_environment_file_is_read_or_refused_in_its_own_words() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(tmp.path(), None);
    let port = free_port();
    let file = tmp.path().join("watch.env");
    std::fs::write(
        &file,
        format!(
            "# as /etc/slipway/watch.env\nSLIPWAY_WORKSPACE={}\nSLIPWAY_LISTEN=127.0.0.1:{port}\nSLIPWAY_INTERVAL=5\n",
            ws.dir.display()
        ),
    )
    .unwrap();
    // No --workspace: the file's is used; /healthz answers on the file's address.
    let _watcher = Running(
        Command::new(env!("CARGO_BIN_EXE_slipway"))
            .args(["watch", "--env-file"])
            .arg(&file)
            .env_remove("SLIPWAY_WORKSPACE")
            .env("SLIPWAY_DATA_DIR", tmp.path().join("elsewhere"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let health = until(30, "the file's address to answer", || {
        get(port, "/healthz").filter(|(s, _)| *s == 200)
    });
    assert!(health.1.contains("\"healthy\":true"), "{}", health.1);

    let refused = |file: &Path, says: &str| {
        let out = slipway(&ws, &["watch", "--env-file", file.to_str().unwrap()], &[])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{says}");
        let err = text(&out.stderr);
        assert!(err.contains(says), "{err}");
        assert!(err.contains("nothing was started"), "{err}");
    };
    refused(&tmp.path().join("missing.env"), "there is no such file");
    let typo = tmp.path().join("typo.env");
    std::fs::write(&typo, "SLIPWAY_WORKSPAC=/srv\n").unwrap();
    refused(&typo, "SLIPWAY_WORKSPAC is not a setting of slipway watch");
    let zero = tmp.path().join("zero.env");
    std::fs::write(&zero, "SLIPWAY_INTERVAL=0\n").unwrap();
    refused(&zero, "not a whole number of seconds above 0");

    // A file the watcher's user cannot read: as root, the check runs as nobody with a copy of
    // the binary it can run.
    use std::os::unix::fs::PermissionsExt;
    let secret = tmp.path().join("secret.env");
    std::fs::write(&secret, "SLIPWAY_INTERVAL=5\n").unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = if is_root() {
        let bin = tmp.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        std::fs::copy(env!("CARGO_BIN_EXE_slipway"), bin.join("slipway")).unwrap();
        for dir in [tmp.path(), bin.as_path()] {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        Command::new("runuser")
            .args(["-u", "nobody", "--"])
            .arg(bin.join("slipway"))
            .args(["watch", "--env-file"])
            .arg(&secret)
            .env("SLIPWAY_DATA_DIR", tmp.path().join("nobody"))
            .output()
            .unwrap()
    } else {
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
        slipway(&ws, &["watch", "--env-file", secret.to_str().unwrap()], &[])
            .output()
            .unwrap()
    };
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("permission denied"), "{err}");
    assert!(err.contains("nothing was started"), "{err}");
}
