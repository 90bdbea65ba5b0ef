//! The `slipway` binary as a script would use it.

use std::path::Path;
use std::process::{Command, Output};

fn slipway(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_slipway"))
        .args(args)
        .env("SLIPWAY_DATA_DIR", data)
        // Personal settings live in the data folder's `config` then, as the tests expect.
        .env_remove("SLIPWAY_CONFIG_DIR")
        .env_remove("SLIPWAY_WORKSPACE")
        .output()
        .expect("slipway runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn demo_then_queue_as_text_and_json() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = slipway(
        &data,
        &["demo", "--anchor", "2026-11-23T10:00:00Z", "--json"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let demo: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        demo["workspace"],
        data.display().to_string(),
        "the default workspace is the data folder"
    );
    assert!(demo["changes"].as_u64().unwrap() >= 300);

    // --if-missing leaves an existing workspace alone; without it, demo refuses.
    assert!(slipway(&data, &["demo", "--if-missing"]).status.success());
    let again = slipway(&data, &["demo"]);
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("exists already"),
        "{}",
        text(&again.stderr)
    );

    let out = slipway(&data, &["queue", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let board: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let envs = board["projects"][0]["environments"].as_array().unwrap();
    assert_eq!(envs.len(), 3);
    for env in envs {
        let queue = env["queue"].as_array().unwrap();
        assert!(!queue.is_empty());
        for change in queue {
            for field in [
                "sha",
                "title",
                "author",
                "pr",
                "age_seconds",
                "age",
                "band",
                "merged_at",
            ] {
                assert!(change.get(field).is_some(), "{field} in {change}");
            }
            assert_eq!(change["sha"].as_str().unwrap().len(), 40);
            assert!(change["age_seconds"].as_i64().unwrap() > 0);
        }
    }

    let out = slipway(&data, &["queue", "--project", "payments", "--json"]);
    let only: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(only["projects"].as_array().unwrap().len(), 1);
    let out = slipway(&data, &["queue", "--project", "nope"]);
    assert!(!out.status.success() && text(&out.stderr).contains("no project named \"nope\""));

    let out = slipway(&data, &["queue"]);
    assert!(out.status.success());
    let printed = text(&out.stdout);
    assert!(
        printed.contains("payments") && printed.contains("qa") && printed.contains("production"),
        "{printed}"
    );

    // The same workspace through --workspace and SLIPWAY_WORKSPACE.
    let elsewhere = tmp.path().join("empty-data");
    let ws = data.display().to_string();
    assert!(slipway(&elsewhere, &["--workspace", &ws, "queue"])
        .status
        .success());
    let via_env = Command::new(env!("CARGO_BIN_EXE_slipway"))
        .args(["queue", "--json"])
        .env("SLIPWAY_DATA_DIR", &elsewhere)
        .env("SLIPWAY_WORKSPACE", &data)
        .output()
        .unwrap();
    assert!(via_env.status.success(), "{}", text(&via_env.stderr));
}

#[test]
fn errors_exit_non_zero_with_the_message() {
    let tmp = tempfile::tempdir().unwrap();
    let out = slipway(tmp.path(), &["queue"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("slipway: There is no Slipway workspace"),
        "{err}"
    );

    let out = slipway(tmp.path(), &["demo", "--anchor", "yesterday"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--anchor"));

    let ws = tmp.path().join("ws");
    // A relative --path: the stored repository path is absolute all the same.
    let made = Command::new(env!("CARGO_BIN_EXE_slipway"))
        .args(["demo", "--path", "ws"])
        .current_dir(tmp.path())
        .env("SLIPWAY_DATA_DIR", tmp.path())
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", text(&made.stderr));
    let listed = slipway(
        tmp.path(),
        &[
            "--workspace",
            ws.to_str().unwrap(),
            "project",
            "list",
            "--json",
        ],
    );
    let projects: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(
        projects[0]["repo_path"],
        ws.join("repos/payments").display().to_string()
    );
    std::fs::remove_dir_all(ws.join("repos/payments")).unwrap();
    let out = slipway(tmp.path(), &["--workspace", ws.to_str().unwrap(), "queue"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("does not exist"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).contains("payments"),
        "the board is still printed"
    );
}

/// Every file below `dir`, read as bytes.
fn all_bytes(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(all_bytes(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path, bytes));
        }
    }
    out
}

fn with_stdin(data: &Path, args: &[&str], input: &str, bus: Option<&str>) -> Output {
    use std::io::Write as _;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_slipway"));
    cmd.args(args)
        .env("SLIPWAY_DATA_DIR", data)
        .env_remove("SLIPWAY_WORKSPACE")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    if let Some(bus) = bus {
        cmd.env("DBUS_SESSION_BUS_ADDRESS", bus);
    }
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Runs inside `dbus-run-session` with an unlocked gnome-keyring (`make test` arranges it).
#[test]
fn an_https_token_lives_only_in_the_keychain() {
    const CANARY: &str = "canary-token-3f9a7c";
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    assert!(
        slipway(&data, &["demo", "--anchor", "2026-11-23T10:00:00Z"])
            .status
            .success()
    );

    let out = with_stdin(
        &data,
        &["project", "token", "payments"],
        &format!("{CANARY}\n"),
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("stored in the OS keychain"));
    for args in [
        &["fetch", "--json"][..],
        &["queue", "--json"],
        &["project", "list", "--json"],
    ] {
        let out = slipway(&data, args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        assert!(
            !text(&out.stdout).contains(CANARY) && !text(&out.stderr).contains(CANARY),
            "{args:?} shows the token"
        );
    }
    for (path, bytes) in all_bytes(&data) {
        let found = bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes());
        assert!(!found, "the token is in {}", path.display());
    }

    // No keychain: refused with a clear message, nothing stored anywhere.
    let out = with_stdin(
        &data,
        &["project", "token", "payments"],
        "other-canary\n",
        Some("unix:path=/nonexistent/bus"),
    );
    assert_eq!(out.status.code(), Some(1));
    let said = text(&out.stderr);
    assert!(
        said.contains("keychain is not available") && !said.contains("other-canary"),
        "{said}"
    );

    let out = with_stdin(&data, &["project", "token", "nope"], "x\n", None);
    assert!(
        text(&out.stderr).contains("no project named \"nope\""),
        "{}",
        text(&out.stderr)
    );
    assert!(with_stdin(
        &data,
        &["project", "token", "payments", "--clear"],
        "",
        None
    )
    .status
    .success());
}

/// A git server on 127.0.0.1 that asks for credentials (HTTP 401, Basic) and keeps each
/// request's `Authorization` header (empty when none was sent).
fn credential_asker() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://127.0.0.1:{}/ledger.git",
        listener.local_addr().unwrap().port()
    );
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let keep = std::sync::Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let mut reader = BufReader::new(stream);
            let mut auth = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("authorization") {
                        auth = value.trim().to_string();
                    }
                }
            }
            keep.lock().unwrap().push(auth);
            let _ = reader.get_mut().write_all(
                b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"git\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    (url, seen)
}

/// A project's HTTPS token is its own: it goes with `project remove`, a project added again
/// under that name does not send it, and a second token replaces the first.
/// Runs inside `dbus-run-session` with an unlocked gnome-keyring (`make test` arranges it).
#[test]
fn a_projects_token_goes_with_it_and_no_new_owner_inherits_it() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let ok = |args: &[&str]| {
        let out = slipway(&data, args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    };
    ok(&["demo", "--anchor", "2026-11-23T10:00:00Z"]);
    let (url, seen) = credential_asker();
    let clone = tmp.path().join("ledger");
    let cloned = Command::new("git")
        .arg("clone")
        .arg("-q")
        .arg(data.join("repos/payments.git"))
        .arg(&clone)
        .status()
        .unwrap();
    assert!(cloned.success());
    let set_url = Command::new("git")
        .arg("-C")
        .arg(&clone)
        .args(["branch", "deploy/qa", "origin/deploy/qa"])
        .status()
        .unwrap();
    assert!(set_url.success());
    let set_url = Command::new("git")
        .arg("-C")
        .arg(&clone)
        .args(["remote", "set-url", "origin", &url])
        .status()
        .unwrap();
    assert!(set_url.success());
    let repo = clone.display().to_string();
    let add = [
        "project",
        "add",
        "ledger",
        "--repo",
        &repo,
        "--env",
        "qa=branch:deploy/qa",
    ];
    ok(&add);
    let token = format!("ledger-token-{}", std::process::id());
    let out = with_stdin(
        &data,
        &["project", "token", "ledger"],
        &format!("{token}\n"),
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let fetch = || {
        seen.lock().unwrap().clear();
        // The server refuses every request: the fetch fails, what it sent is what counts.
        let out = slipway(&data, &["fetch", "--project", "ledger"]);
        assert!(!out.status.success());
        assert!(
            !text(&out.stderr).contains("ledger-token"),
            "{}",
            text(&out.stderr)
        );
        seen.lock().unwrap().clone()
    };
    assert!(
        fetch().contains(&basic("x-access-token", &token)),
        "the stored token is sent to a loopback http remote"
    );
    // A second token replaces the first.
    let second = format!("{token}-second");
    let out = with_stdin(
        &data,
        &["project", "token", "ledger"],
        &format!("{second}\n"),
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sent = fetch();
    assert!(sent.contains(&basic("x-access-token", &second)), "{sent:?}");
    assert!(!sent.contains(&basic("x-access-token", &token)), "{sent:?}");
    // Removed with its project; the project added again under that name sends nothing.
    ok(&["project", "remove", "ledger"]);
    ok(&add);
    let sent = fetch();
    assert!(
        sent.iter().all(|a| a.is_empty()),
        "the new ledger inherited a token: {sent:?}"
    );
}

/// What a client sends as Basic credentials.
fn basic(user: &str, password: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

#[test]
fn change_requests_and_clocks_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let run = |args: &[&str]| {
        let out = slipway(&data, args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    run(&["demo", "--anchor", "2026-11-23T10:00:00Z"]);
    run(&[
        "calendar",
        "add",
        "berlin",
        "--zone",
        "Europe/Berlin",
        "--hours",
        "Mon-Fri 09:00-17:00",
    ]);
    run(&[
        "person",
        "add",
        "rm@x",
        "--name",
        "Rita",
        "--role",
        "release-manager",
    ]);
    run(&[
        "sla",
        "policy",
        "--type",
        "emergency",
        "--severity",
        "sev1",
        "--approve",
        "1h",
        "--total",
        "1bd",
        "--calendar",
        "berlin",
        "--escalate",
        "breach=role:release-manager",
    ]);
    run(&[
        "aging",
        "set",
        "--project",
        "payments",
        "--env",
        "staging",
        "--goal",
        "4h",
        "--calendar",
        "berlin",
    ]);
    let opened: serde_json::Value = serde_json::from_str(&run(&[
        "cr",
        "new",
        "--project",
        "payments",
        "--type",
        "emergency",
        "--severity",
        "SEV1",
        "--title",
        "Card payments fail",
        "--env",
        "production",
        "--as",
        "ana@x",
        "--opened-at",
        "2026-11-20 16:00",
        "--json",
    ]))
    .unwrap();
    assert_eq!(opened["summary"]["id"], 1);
    assert_eq!(opened["summary"]["state"], "draft");
    run(&[
        "cr",
        "submit",
        "1",
        "--as",
        "ana@x",
        "--at",
        "2026-11-20 16:05",
    ]);

    // Text for people, JSON for scripts; refusals exit 1 with the sentence and change nothing.
    let refused = slipway(
        &data,
        &[
            "cr",
            "approve",
            "1",
            "--as",
            "rm@x",
            "--at",
            "2026-11-20 16:00",
        ],
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("events are entered in order"),
        "{}",
        text(&refused.stderr)
    );
    let list = run(&["cr", "list"]);
    assert!(
        list.contains("Card payments fail") && list.contains("submitted"),
        "{list}"
    );
    let check: serde_json::Value = serde_json::from_str(&run(&[
        "sla",
        "check",
        "--at",
        "2026-11-23T08:30:00Z",
        "--json",
    ]))
    .unwrap();
    let clocks = check["clocks"].as_array().unwrap();
    let approve = clocks
        .iter()
        .find(|c| c["clock"]["key"] == "cr/1/approve")
        .unwrap();
    assert_eq!(approve["clock"]["percent"], 50.0);
    assert!(
        clocks.iter().any(|c| c["clock"]["stage"] == "aging"),
        "aging clocks are listed too"
    );

    let pass: serde_json::Value =
        serde_json::from_str(&run(&["watch", "--once", "--json"])).unwrap();
    let events = pass["new_events"].as_array().unwrap();
    assert!(events.iter().any(|e| e["clock_key"] == "cr/1/approve"
        && e["threshold"] == "breach"
        && e["recipients"] == serde_json::json!(["rm@x"])));
    let again: serde_json::Value =
        serde_json::from_str(&run(&["watch", "--once", "--json"])).unwrap();
    assert_eq!(
        again["new_events"],
        serde_json::json!([]),
        "a second pass stores nothing twice"
    );
    assert!(run(&["sla", "events"])
        .contains("CR #1 (emergency SEV1) “Card payments fail”: time to approve — goal breached"));

    let bad = slipway(&data, &["calendar", "add", "x", "--zone", "Mars/Olympus"]);
    assert!(!bad.status.success());
    assert_eq!(
        text(&bad.stderr).trim(),
        "slipway: “Mars/Olympus” is not a time zone; use a name such as Europe/Berlin."
    );
}

#[test]
fn init_then_a_detected_project_stored_only_with_yes() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let demo = tmp.path().join("demo");
    let out = slipway(&data, &["demo", "--path", demo.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let repo = demo.join("repos/payments");
    let ws = tmp.path().join("mine");
    let ws_flag = ["--workspace", ws.to_str().unwrap()];

    let out = slipway(&data, &[&ws_flag[..], &["init", "--json"]].concat());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let made: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(made["workspace"], ws.display().to_string());
    // Twice: refused, nothing changed.
    let before = all_bytes(&ws);
    let out = slipway(&data, &[&ws_flag[..], &["init"]].concat());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("A workspace exists already"),
        "{}",
        text(&out.stderr)
    );
    assert!(all_bytes(&ws) == before, "the workspace changed");

    // The proposal is printed and nothing is stored without --yes.
    let add = |extra: &[&str]| {
        let mut args = vec![
            "--workspace",
            ws.to_str().unwrap(),
            "project",
            "add",
            "payments",
            "--repo",
            repo.to_str().unwrap(),
            "--detect",
        ];
        args.extend_from_slice(extra);
        slipway(&data, &args)
    };
    let out = add(&[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    for line in [
        "trunk        main",
        "qa           branch:deploy/qa  (branch deploy/qa, ",
        "staging      branch:deploy/staging",
        "production   branch:deploy/production",
        "Nothing is stored yet",
    ] {
        assert!(printed.contains(line), "{line:?} in {printed}");
    }
    let out = add(&["--json"]);
    let proposal: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(proposal["environments"].as_array().unwrap().len(), 3);
    assert_eq!(proposal["environments"][0]["family"], "deploy_branch");
    let listed = slipway(
        &data,
        &[&ws_flag[..], &["project", "list", "--json"]].concat(),
    );
    assert_eq!(text(&listed.stdout).trim(), "[]");

    // An explicit --env wins over what was detected; --yes stores it.
    let out = add(&[
        "--env",
        "production=branch:deploy/production",
        "--yes",
        "--json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stored: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stored["trunk"], "main");
    assert_eq!(stored["environments"].as_array().unwrap().len(), 1);
    assert_eq!(stored["environments"][0]["name"], "production");

    // A folder that is not a clone: one clear line, nothing stored (nor even opened).
    let before = all_bytes(&ws);
    let out = slipway(
        &data,
        &[
            &ws_flag[..],
            &[
                "project",
                "add",
                "x",
                "--repo",
                tmp.path().join("data").to_str().unwrap(),
                "--detect",
                "--yes",
            ],
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("is not a git repository") && err.lines().count() == 1,
        "{err}"
    );
    assert!(all_bytes(&ws) == before, "the workspace changed");
}

#[test]
fn settings_are_shown_set_and_refused_when_out_of_range() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let ws = tmp.path().join("ws");
    let w = ws.to_str().unwrap();
    assert!(slipway(&data, &["--workspace", w, "init"]).status.success());
    let show = |extra: &[(&str, &str)]| -> serde_json::Value {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_slipway"));
        cmd.args(["--workspace", w, "settings", "show", "--json"])
            .env("SLIPWAY_DATA_DIR", &data)
            // No git identity either: HOME is a folder without a .gitconfig.
            .env("HOME", &data)
            .env("XDG_CONFIG_HOME", &data)
            .env_remove("SLIPWAY_USER")
            .env_remove("SLIPWAY_CONFIG_DIR")
            .env_remove("SLIPWAY_WORKSPACE");
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let first = show(&[]);
    assert_eq!(first["email"], serde_json::Value::Null);
    assert_eq!(first["fetch_interval_minutes"], 5);
    assert_eq!(first["workspace_source"], "flag");
    assert_eq!(
        first["settings_file"],
        data.join("config/settings.toml").display().to_string()
    );

    for (key, value) in [
        ("email", "ana@example.com"),
        ("name", "Ana Lima"),
        ("roles", "qa, release-manager"),
        ("fetch-interval", "0"),
        ("theme", "dark"),
        ("desktop-notices", "off"),
    ] {
        let out = slipway(&data, &["--workspace", w, "settings", "set", key, value]);
        assert!(out.status.success(), "{key}: {}", text(&out.stderr));
    }
    let set = show(&[]);
    assert_eq!(set["email"], "ana@example.com");
    assert_eq!(set["email_source"], "settings");
    assert_eq!(set["name"], "Ana Lima");
    assert_eq!(set["roles"], serde_json::json!(["qa", "release-manager"]));
    assert_eq!(set["fetch_interval_minutes"], 0);
    assert_eq!(
        (set["theme"].as_str(), set["desktop_notices"].as_bool()),
        (Some("dark"), Some(false))
    );
    // SLIPWAY_USER wins over the setting, and says so.
    let over = show(&[("SLIPWAY_USER", "qa@example.com")]);
    assert_eq!(
        (over["email"].as_str(), over["email_source"].as_str()),
        (Some("qa@example.com"), Some("environment"))
    );

    // Bad values: one clear line each, and neither file changes.
    let files = || {
        (
            std::fs::read(ws.join("slipway.toml")).unwrap(),
            std::fs::read(data.join("config/settings.toml")).unwrap(),
        )
    };
    let before = files();
    std::fs::write(tmp.path().join("a-file"), "x").unwrap();
    let a_file = tmp.path().join("a-file");
    for (key, value, says) in [
        ("fetch-interval", "1441", "The setting fetch-interval cannot be \"1441\": it takes a whole number of minutes from 0 (off) to 1440"),
        ("fetch-interval", "soon", "it takes a whole number of minutes"),
        ("theme", "blue", "it takes system, light or dark"),
        ("email", "ana\r\nBcc: x", "it takes an email address"),
        ("roles", "Admin!", "it takes roles separated by commas"),
        ("workspace", a_file.to_str().unwrap(), "it is a file, not a folder"),
        ("colour", "red", "There is no setting \"colour\""),
    ] {
        let out = slipway(&data, &["--workspace", w, "settings", "set", key, value]);
        assert_eq!(out.status.code(), Some(1), "{key} {value}");
        let err = text(&out.stderr);
        assert!(err.contains(says) && err.lines().count() == 1, "{key} {value}: {err}");
        assert!(files() == before, "{key} {value} changed a file");
    }

    // Switching the workspace: the next command without --workspace uses it.
    let other = tmp.path().join("other");
    assert!(slipway(&data, &["init", "--path", other.to_str().unwrap()])
        .status
        .success());
    let out = slipway(
        &data,
        &[
            "--workspace",
            w,
            "settings",
            "set",
            "workspace",
            other.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("--workspace or SLIPWAY_WORKSPACE still wins"),
        "{}",
        text(&out.stdout)
    );
    let out = slipway(&data, &["settings", "show", "--json"]);
    let now: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(now["workspace"], other.display().to_string());
    assert_eq!(now["workspace_source"], "settings");
    assert_eq!(now["recent_workspaces"][0], other.display().to_string());
    assert_eq!(
        now["recent_workspaces"][1],
        ws.display().to_string(),
        "the one left is a click away"
    );

    // A workspace that does not open: your settings still show and switch away; its own
    // settings say what is wrong with it.
    std::fs::write(other.join("slipway.toml"), "database_url = [").unwrap();
    let out = slipway(&data, &["settings", "show"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = slipway(&data, &["settings", "set", "fetch-interval", "3"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("slipway.toml cannot be read"),
        "{}",
        text(&out.stderr)
    );
    let out = slipway(&data, &["settings", "set", "workspace", w]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// Every command closes the database on its way out: the write-ahead log is checkpointed
/// into `slipway.db` (and emptied, or removed), so the file alone holds what was written.
#[test]
fn a_command_leaves_only_the_database_file() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = slipway(&data, &["demo", "--anchor", "2026-11-23T10:00:00Z"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for who in ["a@example.com", "b@example.com", "c@example.com"] {
        let out = slipway(&data, &["stakeholder", "add", who]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let wal = data.join("slipway.db-wal");
        let pending = std::fs::metadata(&wal).map_or(0, |m| m.len());
        assert_eq!(pending, 0, "after adding {who}, the log still holds writes");
    }
    let listed = slipway(&data, &["stakeholder", "list", "--json"]);
    let people: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(
        people.as_array().unwrap().len(),
        3,
        "every write is in the file"
    );
}

/// Rewrites audit entry 2's detail in the SQLite file and recomputes every hash after it and
/// the head, as someone with the database but not the key would.
fn rewrite_audit_entry_two(db: &Path) {
    let script = r#"
import hashlib, sqlite3, struct, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
rows = c.execute("SELECT seq, at, actor, action, subject, detail, prev_hash FROM audit_log ORDER BY seq").fetchall()
prev = rows[0][6]
c.execute("BEGIN")
for seq, at, actor, action, subject, detail, _ in rows:
    if seq == 2:
        detail = "someone else did this"
    h = hashlib.sha256()
    for f in [prev, str(seq), str(at), actor, action, subject, detail]:
        b = f.encode()
        h.update(struct.pack(">Q", len(b)))
        h.update(b)
    new = h.hexdigest()
    c.execute("UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?", (detail, prev, new, seq))
    prev = new
c.execute("UPDATE audit_head SET hash = ? WHERE id = 1", (prev,))
c.execute("COMMIT")
"#;
    let status = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(db)
        .status()
        .unwrap();
    assert!(status.success());
}

/// A log rewritten and rehashed whole passes the hash chain; the checkpoints signed with the
/// workspace's key from the keychain catch it, naming the entry.
/// Runs inside `dbus-run-session` with an unlocked gnome-keyring (`make test` arranges it).
#[test]
fn a_rewritten_and_rehashed_audit_log_is_caught_by_its_checkpoints() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let run = |args: &[&str]| {
        let out = slipway(&data, args);
        (out.status.code(), text(&out.stdout), text(&out.stderr))
    };
    assert_eq!(
        run(&["demo", "--anchor", "2026-11-23T10:00:00Z"]).0,
        Some(0)
    );
    for args in [
        &[
            "hold",
            "--project",
            "payments",
            "--env",
            "qa",
            "--reason",
            "checking",
            "--as",
            "rm@example.com",
        ][..],
        &[
            "unhold",
            "--project",
            "payments",
            "--env",
            "qa",
            "--as",
            "rm@example.com",
        ],
    ] {
        let (code, _, err) = run(args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
    }
    let (code, out, err) = run(&["audit", "verify", "--json"]);
    assert_eq!(code, Some(0), "{err}");
    let before: serde_json::Value = serde_json::from_str(&out).unwrap();
    let entries = before["entries"].as_i64().unwrap();
    assert!(entries >= 2, "{before}");
    assert_eq!(
        before["covered_through"], entries,
        "every entry is covered: {before}"
    );
    let (_, text_out, _) = run(&["audit", "verify"]);
    assert!(
        text_out.contains(&format!(
            "Entries 1–{entries} are covered by signed checkpoints."
        )),
        "{text_out}"
    );

    rewrite_audit_entry_two(&data.join("slipway.db"));
    let (code, out, _) = run(&["audit", "verify", "--json"]);
    assert_eq!(code, Some(1), "the rewrite is caught: {out}");
    let after: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(after["ok"], false);
    let problem = after["problem"].as_str().unwrap();
    assert!(
        problem.starts_with(
            "Audit entries up to 2 no longer match the checkpoint signed when entry 2 was written"
        ),
        "{problem}"
    );
}
