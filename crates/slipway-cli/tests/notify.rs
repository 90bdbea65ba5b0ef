//! Stakeholder notifications from the command line: stakeholders, channels (secrets only ever
//! from standard input, kept in the OS keychain), subscriptions, templates and the outbox.
//!
//! The keychain tests run inside `dbus-run-session` with an unlocked gnome-keyring
//! (`make rust-test` arranges it).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

const NO_BUS: &str = "unix:path=/nonexistent/bus";

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A demo workspace in a temporary folder (the data folder, logs included, is inside it).
struct Ws {
    tmp: tempfile::TempDir,
    data: PathBuf,
}

impl Ws {
    fn new() -> Ws {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        let ws = Ws { tmp, data };
        let out = ws.run(&["demo", "--anchor", "2026-11-23T10:00:00Z"], None, &[]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        ws
    }

    /// Runs `slipway args…` with `input` on standard input and extra `env`.
    fn run(&self, args: &[&str], input: Option<&str>, env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_slipway"));
        cmd.args(args)
            .env("SLIPWAY_DATA_DIR", &self.data)
            .env("SLIPWAY_USER", "rm@example.com")
            .env_remove("SLIPWAY_WORKSPACE")
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("slipway runs");
        if let Some(input) = input {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
        }
        child.wait_with_output().unwrap()
    }

    /// Runs a command that must succeed; returns its standard output.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args, None, &[]);
        assert!(
            out.status.success(),
            "slipway {args:?} failed: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    /// Runs a command with `--json` that must succeed; returns the JSON.
    fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.ok(&all)).expect("JSON")
    }

    /// Runs a command that must fail with exit code 1; returns its standard error.
    fn fails(&self, args: &[&str], input: Option<&str>, env: &[(&str, &str)]) -> String {
        let out = self.run(args, input, env);
        assert_eq!(
            out.status.code(),
            Some(1),
            "slipway {args:?} should fail: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stderr)
    }
}

/// Every file below `dir`, read as bytes.
fn all_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(all_bytes(&path));
        } else {
            let bytes = std::fs::read(&path).unwrap();
            out.push((path, bytes));
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn stakeholders_are_added_listed_and_removed() {
    let ws = Ws::new();
    assert_eq!(ws.json(&["stakeholder", "list"]), serde_json::json!([]));

    let dana = ws.json(&[
        "stakeholder",
        "add",
        "dana@example.com",
        "--name",
        "Dana Scully",
        "--chat",
        "@dana",
        "--role",
        "qa",
        "--role",
        "Release-Manager",
    ]);
    assert_eq!(dana["email"], "dana@example.com");
    assert_eq!(dana["name"], "Dana Scully");
    assert_eq!(dana["chat_handle"], "@dana");
    assert_eq!(dana["roles"], serde_json::json!(["qa", "release-manager"]));
    ws.ok(&["stakeholder", "add", "ed@example.com"]);

    let list = ws.json(&["stakeholder", "list"]);
    let emails: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["dana@example.com", "ed@example.com"]);
    assert_eq!(
        list[1]["name"], "ed@example.com",
        "the name defaults to the email"
    );

    // Adding again replaces.
    ws.ok(&["stakeholder", "add", "dana@example.com", "--name", "Dana"]);
    let list = ws.json(&["stakeholder", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["name"], "Dana");
    assert_eq!(list[0]["roles"], serde_json::json!([]));

    let human = ws.ok(&["stakeholder", "list"]);
    assert!(
        human.contains("dana@example.com") && human.contains("Dana"),
        "{human}"
    );

    let removed = ws.json(&["stakeholder", "remove", "dana@example.com"]);
    assert_eq!(removed["removed"], "dana@example.com");
    let list = ws.json(&["stakeholder", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let err = ws.fails(&["stakeholder", "remove", "dana@example.com"], None, &[]);
    assert!(err.contains("no stakeholder"), "{err}");
}

#[test]
fn a_malformed_email_is_refused() {
    let ws = Ws::new();
    let err = ws.fails(&["stakeholder", "add", "not-an-email"], None, &[]);
    assert!(
        err.starts_with("slipway: ") && err.contains("“not-an-email” is not an email address"),
        "{err}"
    );
    assert_eq!(ws.json(&["stakeholder", "list"]), serde_json::json!([]));
}

#[test]
fn a_webhook_url_must_be_http_or_https() {
    let ws = Ws::new();
    let err = ws.fails(
        &[
            "channel",
            "add",
            "hook",
            "--kind",
            "webhook",
            "--url",
            "ftp://x/y",
            "--secret-stdin",
        ],
        Some("a-signing-key-of-some-length\n"),
        &[],
    );
    // Refused: the refusal is the one line (the --url warning comes with a channel added).
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("http://") && err.contains("https://"),
        "the message says what is allowed: {err}"
    );
    assert!(!err.contains("a-signing-key"), "{err}");
    assert_eq!(ws.json(&["channel", "list"]), serde_json::json!([]));
    // Added with the URL as an argument: it is, with the warning.
    let name = format!("warned-{}", std::process::id());
    let out = ws.run(
        &[
            "channel",
            "add",
            &name,
            "--kind",
            "webhook",
            "--url",
            "http://127.0.0.1:9/hook",
            "--secret-stdin",
        ],
        Some("a-signing-key-of-some-length\n"),
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("use --url-stdin next time"),
        "a URL argument is warned about: {}",
        text(&out.stderr)
    );
    ws.ok(&["channel", "remove", &name]);
}

#[test]
fn a_desktop_channel_needs_no_keychain() {
    let ws = Ws::new();
    // No keychain at all: a desktop channel has no secret to keep.
    let no_keychain = [("DBUS_SESSION_BUS_ADDRESS", NO_BUS)];
    let out = ws.run(
        &["channel", "add", "desk", "--kind", "desktop"],
        None,
        &no_keychain,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("Added channel desk (desktop): "),
        "{}",
        text(&out.stdout)
    );

    let list = ws.json(&["channel", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["name"], "desk");
    assert_eq!(list[0]["kind"], "desktop");
    assert_eq!(list[0]["has_secret"], false);
    assert_eq!(list[0]["created_by"], "rm@example.com");

    let err = ws.fails(
        &["channel", "add", "desk", "--kind", "desktop"],
        None,
        &no_keychain,
    );
    assert!(err.contains("exists already"), "{err}");
    let err = ws.fails(
        &[
            "channel",
            "add",
            "desk2",
            "--kind",
            "desktop",
            "--secret-stdin",
        ],
        Some("x\n"),
        &[],
    );
    assert!(err.contains("no secret"), "{err}");

    // The CLI shows no desktop notifications: the test says so, exactly.
    let err = ws.fails(&["channel", "test", "desk"], None, &no_keychain);
    assert!(err.contains("desktop app"), "{err}");

    let out = ws.run(&["channel", "remove", "desk", "--json"], None, &no_keychain);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(ws.json(&["channel", "list"]), serde_json::json!([]));
    let err = ws.fails(&["channel", "remove", "desk"], None, &[]);
    assert!(err.contains("no channel “desk”"), "{err}");
}

#[test]
fn subscriptions_need_a_known_person_and_channel() {
    let ws = Ws::new();
    ws.ok(&["channel", "add", "desk", "--kind", "desktop"]);
    let err = ws.fails(&["subscribe", "nobody@example.com", "desk"], None, &[]);
    assert!(
        err.contains("“nobody@example.com” is not a stakeholder")
            && err.contains("slipway stakeholder add"),
        "{err}"
    );
    ws.ok(&["stakeholder", "add", "dana@example.com"]);
    let err = ws.fails(&["subscribe", "dana@example.com", "nope"], None, &[]);
    assert!(err.contains("no channel “nope”"), "{err}");
    let err = ws.fails(
        &[
            "subscribe",
            "dana@example.com",
            "desk",
            "--digest",
            "09:00 Mars/Olympus",
        ],
        None,
        &[],
    );
    assert!(err.contains("Mars/Olympus"), "{err}");
    assert_eq!(ws.json(&["subscriptions"]), serde_json::json!([]));

    let s = ws.json(&[
        "subscribe",
        "dana@example.com",
        "desk",
        "--project",
        "payments",
        "--environment",
        "qa",
        "--kind",
        "promoted",
        "--kind",
        "held",
        "--min-severity",
        "warning",
        "--digest",
        "09:00 Europe/Berlin",
    ]);
    assert_eq!(s["person"], "dana@example.com");
    assert_eq!(s["channel"], "desk");
    assert_eq!(s["channel_kind"], "desktop");
    assert_eq!(s["project"], "payments");
    assert_eq!(s["environment"], "qa");
    assert_eq!(s["kinds"], serde_json::json!(["promoted", "held"]));
    assert_eq!(s["min_severity"], "warning");
    assert_eq!(s["delivery"], "digest 09:00 Europe/Berlin");
    let immediate = ws.json(&["subscribe", "dana@example.com", "desk"]);
    assert_eq!(immediate["delivery"], "immediate");
    assert_eq!(immediate["kinds"], serde_json::json!([]));

    let list = ws.json(&["subscriptions"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    let human = ws.ok(&["subscriptions"]);
    assert!(human.contains("digest 09:00 Europe/Berlin"), "{human}");

    let id = s["id"].as_i64().unwrap().to_string();
    ws.ok(&["unsubscribe", &id]);
    assert_eq!(ws.json(&["subscriptions"]).as_array().unwrap().len(), 1);
    let err = ws.fails(&["unsubscribe", &id], None, &[]);
    assert!(err.contains(&format!("no subscription #{id}")), "{err}");
}

#[test]
fn a_template_with_an_unknown_variable_is_refused() {
    let ws = Ws::new();
    let err = ws.fails(
        &[
            "template", "set", "promoted", "email", "text", "--body", "{{nope}}",
        ],
        None,
        &[],
    );
    assert!(err.contains("nope"), "{err}");
    let built_in = |ws: &Ws| {
        let list = ws.json(&[
            "template",
            "list",
            "--kind",
            "promoted",
            "--channel",
            "email",
        ]);
        let t = list
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["part"] == "text")
            .cloned()
            .unwrap();
        assert_eq!(t["kind"], "promoted");
        assert_eq!(t["channel_kind"], "email");
        t
    };
    assert_eq!(built_in(&ws)["custom"], false);

    // A good one is saved, shown, and reset.
    let file = ws.tmp.path().join("template.txt");
    std::fs::write(&file, "{{title}} by {{actor}}\n").unwrap();
    let saved = ws.json(&[
        "template",
        "set",
        "promoted",
        "email",
        "text",
        "--file",
        file.to_str().unwrap(),
    ]);
    assert_eq!(saved["custom"], true);
    assert_eq!(built_in(&ws)["body"], "{{title}} by {{actor}}\n");
    let shown = ws.ok(&["template", "show", "promoted", "email", "text"]);
    assert!(
        shown.contains("{{title}} by {{actor}}") && shown.contains("{{release_notes}}"),
        "the body and the variables: {shown}"
    );
    let reset = ws.json(&["template", "reset", "promoted", "email", "text"]);
    assert_eq!(reset["custom"], false);
    assert_eq!(built_in(&ws)["custom"], false);

    let err = ws.fails(
        &["template", "show", "promoted", "slack", "text"],
        None,
        &[],
    );
    assert!(err.contains("markdown"), "{err}");
    // A word that is no part at all is told the parts of that channel, not every part.
    let err = ws.fails(
        &["template", "show", "promoted", "email", "body"],
        None,
        &[],
    );
    assert!(
        err.contains("“body” is not a part of email messages; use one of: subject, text, html."),
        "{err}"
    );
    let err = ws.fails(&["template", "list", "--kind", "exploded"], None, &[]);
    assert!(err.contains("promoted"), "{err}");
}

#[test]
fn an_empty_outbox() {
    let ws = Ws::new();
    let o = ws.json(&["outbox", "list"]);
    for state in ["pending", "sending", "sent", "dead", "cancelled"] {
        assert_eq!(o[state], 0, "{o}");
    }
    assert_eq!(o["entries"], serde_json::json!([]));
    let human = ws.ok(&["outbox", "list", "--state", "dead"]);
    assert!(human.contains("dead 0"), "{human}");

    let err = ws.fails(&["outbox", "retry", "999"], None, &[]);
    assert!(err.contains("#999"), "{err}");

    let d = ws.json(&["outbox", "dispatch"]);
    assert_eq!(
        d,
        serde_json::json!({ "delivered": 0, "retrying": 0, "dead": 0 })
    );
}

#[test]
fn without_a_keychain_no_channel_is_added() {
    let ws = Ws::new();
    let err = ws.fails(
        &[
            "channel",
            "add",
            "mail",
            "--kind",
            "email",
            "--host",
            "smtp.example.com",
            "--from",
            "rm@example.com",
            "--secret-stdin",
        ],
        Some("CANARY-smtp-password\n"),
        &[("DBUS_SESSION_BUS_ADDRESS", NO_BUS)],
    );
    assert!(err.contains("keychain"), "{err}");
    assert!(!err.contains("CANARY"), "{err}");
    assert_eq!(ws.json(&["channel", "list"]), serde_json::json!([]));
}

/// A webhook receiver on 127.0.0.1 that answers 200 and keeps what it was sent.
fn receiver() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://127.0.0.1:{}/receive",
        listener.local_addr().unwrap().port()
    );
    let got = Arc::new(Mutex::new(Vec::new()));
    let keep = Arc::clone(&got);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let mut reader = BufReader::new(stream);
            let mut head = String::new();
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
                head.push_str(&line);
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            keep.lock()
                .unwrap()
                .push(format!("{head}{}", String::from_utf8_lossy(&body)));
            let _ = reader
                .get_mut()
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (url, got)
}

/// Runs inside `dbus-run-session` with an unlocked gnome-keyring (`make rust-test`).
#[test]
fn webhook_secrets_live_only_in_the_keychain() {
    const URL_CANARY: &str = "CANARY-cli-url";
    const SECRET: &str = "CANARY-cli-secret-123456";
    let ws = Ws::new();
    let mut said = String::new();
    let mut check = |out: &Output, ok: bool, what: &str| {
        assert_eq!(
            out.status.success(),
            ok,
            "{what}: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        said.push_str(&text(&out.stdout));
        said.push_str(&text(&out.stderr));
    };

    let out = ws.run(
        &[
            "channel",
            "add",
            "hook",
            "--kind",
            "webhook",
            "--url-stdin",
            "--secret-stdin",
            "--json",
        ],
        Some(&format!("http://127.0.0.1:9/hook/{URL_CANARY}\n{SECRET}\n")),
        &[],
    );
    check(&out, true, "channel add hook");
    let added: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(added["kind"], "webhook");
    assert_eq!(added["has_secret"], true);
    assert!(
        added["summary"].as_str().unwrap().contains("127.0.0.1"),
        "{added}"
    );

    let out = ws.run(&["channel", "list", "--json"], None, &[]);
    check(&out, true, "channel list");
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let out = ws.run(&["channel", "list"], None, &[]);
    check(&out, true, "channel list (text)");

    // The test message fails, naming the host and not the URL's path.
    let out = ws.run(&["channel", "test", "hook"], None, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("slipway: ") && err.contains("127.0.0.1"),
        "{err}"
    );
    assert!(!err.contains("/hook/"), "{err}");
    check(&out, false, "channel test hook");

    // A second webhook that answers: a held environment is delivered through it, and
    // retried later through the dead one. The outbox keeps errors, never the URL.
    let (live_url, received) = receiver();
    let out = ws.run(
        &[
            "channel",
            "add",
            "live",
            "--kind",
            "webhook",
            "--url-stdin",
            "--secret-stdin",
        ],
        Some(&format!("{live_url}\nanother-signing-key-7890\n")),
        &[],
    );
    check(&out, true, "channel add live");
    ws.ok(&["stakeholder", "add", "dana@example.com"]);
    ws.ok(&["subscribe", "dana@example.com", "hook"]);
    ws.ok(&["subscribe", "dana@example.com", "live", "--kind", "held"]);
    ws.ok(&[
        "hold",
        "--project",
        "payments",
        "--env",
        "qa",
        "--reason",
        "testing notifications",
        "--as",
        "rm@example.com",
    ]);
    let out = ws.run(&["outbox", "dispatch", "--json"], None, &[]);
    check(&out, true, "outbox dispatch");
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        d,
        serde_json::json!({ "delivered": 1, "retrying": 1, "dead": 0 })
    );
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("POST /receive") && got[0].contains("testing notifications"),
        "{got:?}"
    );
    let out = ws.run(&["outbox", "list", "--json"], None, &[]);
    check(&out, true, "outbox list");
    let o: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (o["sent"].as_u64(), o["pending"].as_u64()),
        (Some(1), Some(1))
    );
    let pending = o["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["state"] == "pending")
        .unwrap();
    assert_eq!(pending["channel"], "hook");
    assert_eq!(pending["attempts"], 1);
    assert!(
        pending["last_error"]
            .as_str()
            .unwrap()
            .contains("127.0.0.1"),
        "{pending}"
    );
    let out = ws.run(&["outbox", "list"], None, &[]);
    check(&out, true, "outbox list (text)");

    assert!(
        !said.contains(URL_CANARY) && !said.contains(SECRET),
        "a secret was printed: {said}"
    );
    let files = all_bytes(ws.tmp.path());
    assert!(
        files
            .iter()
            .any(|(p, _)| p.to_string_lossy().contains("logs")),
        "the log files are checked too"
    );
    for (path, bytes) in &files {
        for canary in [URL_CANARY, SECRET] {
            assert!(
                !contains(bytes, canary),
                "{canary} is in {}",
                path.display()
            );
        }
    }

    ws.ok(&["channel", "remove", "hook"]);
    ws.ok(&["channel", "remove", "live"]);
    assert_eq!(ws.json(&["channel", "list"]), serde_json::json!([]));
}

#[test]
fn every_escalation_chain_member_is_listed_with_how_they_are_reached() {
    let ws = Ws::new();
    ws.ok(&["stakeholder", "add", "qa@example.com", "--role", "qa"]);
    ws.ok(&["stakeholder", "add", "cto@example.com", "--role", "lead"]);
    ws.ok(&["channel", "add", "desk", "--kind", "desktop"]);
    ws.ok(&["subscribe", "qa@example.com", "desk"]);
    // Saving a chain that names someone nothing reaches warns then.
    let out = ws.run(
        &[
            "sla",
            "policy",
            "--type",
            "emergency",
            "--severity",
            "sev1",
            "--approve",
            "30m",
            "--escalate",
            "breach=role:qa,cto@example.com,role:auditor,assignee",
        ],
        None,
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let warned = text(&out.stderr);
    assert!(
        warned.contains("warning: at breach of emergency sev1, no channel reaches cto@example.com: add an email channel or a subscription"),
        "{warned}"
    );
    assert!(
        warned.contains("nobody in the workspace holds role:auditor"),
        "{warned}"
    );
    assert!(
        !warned.contains("qa@example.com"),
        "qa is reached: {warned}"
    );

    let routes = ws.json(&["sla", "check", "--routes"]);
    let rows: Vec<(String, String, String)> = routes
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["named"].as_str().unwrap().to_string(),
                m["person"].as_str().unwrap().to_string(),
                m["reach"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let row = |n: &str, p: &str, r: &str| (n.to_string(), p.to_string(), r.to_string());
    assert_eq!(
        rows,
        vec![
            row("role:qa", "qa@example.com", "subscribed"),
            row("cto@example.com", "cto@example.com", "unreachable"),
            row("role:auditor", "", "nobody_holds_role"),
            row("assignee", "", "per_request"),
        ]
    );
    assert_eq!(routes[0]["channels"], serde_json::json!(["desk"]));
    assert_eq!(routes[0]["threshold"], "breach");

    // With an email channel, the CTO is reached by it; the text lists every member.
    ws.ok(&[
        "channel",
        "add",
        "mail",
        "--kind",
        "email",
        "--host",
        "127.0.0.1",
        "--port",
        "2525",
        "--tls",
        "none",
        "--from",
        "slipway@example.com",
    ]);
    let text_routes = ws.ok(&["sla", "check", "--routes"]);
    assert!(
        text_routes.contains("cto@example.com")
            && text_routes.contains("by email (mail), no subscription"),
        "{text_routes}"
    );
    assert!(text_routes.contains("on desk"), "{text_routes}");
    assert_eq!(text_routes.lines().count(), 4, "{text_routes}");
}

#[test]
fn a_password_never_crosses_the_network_in_clear_text() {
    let ws = Ws::new();
    let add = |host: &str, tls: &str| {
        ws.run(
            &[
                "channel",
                "add",
                "mail",
                "--kind",
                "email",
                "--host",
                host,
                "--tls",
                tls,
                "--username",
                "rm",
                "--from",
                "rm@example.com",
                "--secret-stdin",
            ],
            Some("hunter2\n"),
            &[("DBUS_SESSION_BUS_ADDRESS", NO_BUS)],
        )
    };
    let out = add("smtp.example.com", "none");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("With --tls none the password would cross the network to smtp.example.com in clear text; use --tls starttls or --tls tls"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
    let out = add("smtp.example.com\r\nRCPT TO:<x@y>", "starttls");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("“smtp.example.com\\r\\nRCPT TO:<x@y>” is not a host name"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        ws.json(&["channel", "list"]),
        serde_json::json!([]),
        "nothing was saved"
    );
    // A relay on this machine may be spoken to without TLS (it then needs the keychain).
    let out = add("127.0.0.1", "none");
    assert!(
        !text(&out.stderr).contains("clear text"),
        "{}",
        text(&out.stderr)
    );
}

/// A running `slipway watch` wakes at each threshold's instant instead of at its next
/// safety pass: on a 24×7 clock with a 20 s goal, the 50 %, 75 % and breach notices reach a
/// loopback webhook shortly after 10 s, 15 s and 20 s (the latencies are printed). Runs inside
/// `dbus-run-session` with an unlocked gnome-keyring (`make rust-test`).
#[test]
fn a_running_watcher_tells_each_threshold_at_its_instant() {
    let ws = Ws::new();
    let (url, got) = receiver();
    ws.ok(&["stakeholder", "add", "lead@example.com", "--role", "lead"]);
    let out = ws.run(
        &[
            "channel",
            "add",
            "watch-hook",
            "--kind",
            "webhook",
            "--url-stdin",
            "--secret-stdin",
        ],
        Some(&format!("{url}\nwebhook-signing-secret-1234\n")),
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Its own channel name: keychain entries are named by channel, and other tests use "hook".
    ws.ok(&["subscribe", "lead@example.com", "watch-hook"]);
    ws.ok(&[
        "sla",
        "policy",
        "--type",
        "emergency",
        "--severity",
        "sev1",
        "--total",
        "20s",
        "--escalate",
        "warn-50=lead@example.com",
        "--escalate",
        "warn-75=lead@example.com",
        "--escalate",
        "breach=lead@example.com",
    ]);
    let opened = ws.json(&[
        "cr",
        "new",
        "--project",
        "payments",
        "--type",
        "emergency",
        "--severity",
        "sev1",
        "--title",
        "Card payments fail",
    ]);
    let id = opened["summary"]["id"].as_i64().unwrap().to_string();
    let opened_at =
        chrono::DateTime::parse_from_rfc3339(opened["summary"]["opened_at"].as_str().unwrap())
            .unwrap()
            .with_timezone(&chrono::Utc);
    // A watcher started just after: its safety pass is far away (60 s), so only its
    // thresholds' timer can be on time.
    let mut watcher = Command::new(env!("CARGO_BIN_EXE_slipway"))
        .args(["watch", "--interval", "60"])
        .env("SLIPWAY_DATA_DIR", &ws.data)
        .env("SLIPWAY_USER", "rm@example.com")
        .env_remove("SLIPWAY_WORKSPACE")
        .env("RUST_LOG", "debug,sqlx=warn,hyper=warn,reqwest=warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut arrived: Vec<(String, chrono::DateTime<chrono::Utc>)> = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(45);
    while arrived.len() < 3 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
        let seen = got.lock().unwrap();
        for body in seen.iter().skip(arrived.len()) {
            let threshold = [
                "50 % of the goal used",
                "75 % of the goal used",
                "goal breached",
            ]
            .into_iter()
            .find(|t| body.contains(t))
            .unwrap_or("?");
            arrived.push((threshold.to_string(), chrono::Utc::now()));
        }
    }
    let _ = watcher.kill();
    let _ = watcher.wait();
    let wanted = [
        ("50 % of the goal used", 10),
        ("75 % of the goal used", 15),
        ("goal breached", 20),
    ];
    assert_eq!(
        arrived.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
        wanted.iter().map(|(t, _)| *t).collect::<Vec<_>>(),
        "CR #{id}: {:?}\nwatcher: {}",
        got.lock().unwrap(),
        std::fs::read_dir(ws.data.join("logs"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|f| std::fs::read_to_string(f.path()).unwrap_or_default())
            .collect::<String>()
    );
    for ((threshold, at), (_, after)) in arrived.iter().zip(wanted) {
        let instant = opened_at + chrono::Duration::seconds(after);
        let latency = (*at - instant).num_milliseconds();
        println!("watcher latency: {threshold} delivered {latency} ms after its instant");
        // Well before the 60 s safety pass: the timer woke the watcher.
        assert!(latency < 10_000, "{threshold}: {latency} ms late");
    }
}

/// A real SMTP server on loopback (Debian's `python3-aiosmtpd`, which `make deps` installs),
/// serving a certificate the test makes, storing what it receives in a Maildir.
struct SmtpServer {
    child: std::process::Child,
    port: u16,
    maildir: PathBuf,
}

impl SmtpServer {
    /// `tls` names the certificate flags: `Some(("--tlscert", "--tlskey"))` for STARTTLS
    /// (required), `Some(("--smtpscert", "--smtpskey"))` for implicit TLS, `None` for neither.
    fn start(dir: &Path, name: &str, tls: Option<(&str, &str)>) -> SmtpServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let maildir = dir.join(name);
        let mut server = Command::new("/usr/bin/python3");
        server
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"));
        if let Some((cert_flag, key_flag)) = tls {
            server
                .arg(cert_flag)
                .arg(dir.join("cert.pem"))
                .arg(key_flag)
                .arg(dir.join("key.pem"));
        }
        let child = server
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3-aiosmtpd is installed (make deps)");
        let ready = std::time::Instant::now() + std::time::Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(std::time::Instant::now() < ready, "aiosmtpd did not start");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        SmtpServer {
            child,
            port,
            maildir,
        }
    }

    /// The messages it stored, as text.
    fn received(&self) -> Vec<String> {
        std::fs::read_dir(self.maildir.join("new"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|f| std::fs::read_to_string(f.path()).unwrap_or_default())
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Email reaches a real SMTP server over STARTTLS and over implicit TLS, on a certificate the
/// test makes and the process is told to trust (`SSL_CERT_FILE`); without that trust the
/// same server is refused, naming the certificate, and nothing is sent.
#[test]
fn email_reaches_a_real_smtp_server_over_starttls_and_implicit_tls() {
    let ws = Ws::new();
    let dir = ws.tmp.path().join("smtp");
    std::fs::create_dir_all(&dir).unwrap();
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args([
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
        ])
        .arg("-keyout")
        .arg(dir.join("key.pem"))
        .arg("-out")
        .arg(dir.join("cert.pem"))
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", text(&made.stderr));
    let cert = dir.join("cert.pem");
    let trusted = [("SSL_CERT_FILE", cert.to_str().unwrap())];
    for (tls, cert_flag, key_flag) in [
        ("starttls", "--tlscert", "--tlskey"),
        ("tls", "--smtpscert", "--smtpskey"),
    ] {
        let server = SmtpServer::start(&dir, tls, Some((cert_flag, key_flag)));
        let name = format!("mail-{tls}");
        let port = server.port.to_string();
        let add = ws.run(
            &[
                "channel",
                "add",
                &name,
                "--kind",
                "email",
                "--host",
                "localhost",
                "--port",
                &port,
                "--tls",
                tls,
                "--from",
                "slipway@example.com",
            ],
            None,
            &[],
        );
        assert!(add.status.success(), "{tls}: {}", text(&add.stderr));
        // Not trusted: refused, and nothing reaches the server.
        let refused = ws.run(
            &["channel", "test", &name, "--to", "qa@example.com"],
            None,
            &[],
        );
        assert_eq!(
            refused.status.code(),
            Some(1),
            "{tls}: {}",
            text(&refused.stdout)
        );
        let said = text(&refused.stderr);
        assert!(said.contains("localhost"), "{tls}: {said}");
        assert!(server.received().is_empty(), "{tls}: sent without trust");
        // Trusted: delivered once, encrypted all the way.
        let sent = ws.run(
            &["channel", "test", &name, "--to", "qa@example.com"],
            None,
            &trusted,
        );
        assert!(
            sent.status.success(),
            "{tls}: {}{}",
            text(&sent.stdout),
            text(&sent.stderr)
        );
        let got = server.received();
        assert_eq!(got.len(), 1, "{tls}: {got:?}");
        assert!(got[0].contains("To: qa@example.com"), "{tls}: {}", got[0]);
        assert!(
            got[0].contains("From: slipway@example.com")
                || got[0].contains("<slipway@example.com>"),
            "{tls}: {}",
            got[0]
        );
        println!("{tls}: delivered to aiosmtpd on 127.0.0.1:{port}");
    }
}

/// An escalation chain whose members are reached three ways: by their subscription (a
/// loopback webhook), by the workspace's email channel when they subscribed to nothing (a
/// real SMTP server), or — with no email channel — by nothing, which is a visible
/// undeliverable entry. Each reachable member gets the breach exactly once. Breaches are
/// rehearsed with `watch --once --at`. Runs inside `dbus-run-session` (`make rust-test`).
#[test]
fn every_chain_member_gets_the_breach_once_or_is_visibly_undeliverable() {
    let ws = Ws::new();
    let (url, hook) = receiver();
    ws.ok(&["stakeholder", "add", "qa@example.com", "--role", "qa"]);
    ws.ok(&["stakeholder", "add", "cto@example.com", "--role", "lead"]);
    let out = ws.run(
        &[
            "channel",
            "add",
            "chain-hook",
            "--kind",
            "webhook",
            "--url-stdin",
            "--secret-stdin",
        ],
        Some(&format!("{url}\nchain-signing-secret-5678\n")),
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    ws.ok(&[
        "subscribe",
        "qa@example.com",
        "chain-hook",
        "--kind",
        "breached",
    ]);
    ws.ok(&[
        "sla",
        "policy",
        "--type",
        "emergency",
        "--severity",
        "sev1",
        "--approve",
        "30m",
        "--escalate",
        "breach=qa@example.com,cto@example.com",
    ]);
    let breach = |title: &str, hours: i64| {
        let opened = ws.json(&[
            "cr",
            "new",
            "--project",
            "payments",
            "--type",
            "emergency",
            "--severity",
            "sev1",
            "--title",
            title,
        ]);
        let id = opened["summary"]["id"].as_i64().unwrap().to_string();
        ws.ok(&["cr", "submit", &id]);
        let at = (chrono::Utc::now() + chrono::Duration::hours(hours)).to_rfc3339();
        ws.ok(&["watch", "--once", "--at", &at]);
    };
    let to = |body: &String, who: &str| {
        body.contains("\"event\":\"breached\"")
            && body.contains(&format!("\"recipient\":\"{who}\""))
    };

    // No email channel: qa by the webhook; nothing reaches the CTO, and the outbox says so.
    breach("Refunds fail", 1);
    let bodies = hook.lock().unwrap().clone();
    assert_eq!(
        bodies.iter().filter(|b| to(b, "qa@example.com")).count(),
        1,
        "{bodies:?}"
    );
    assert!(
        !bodies.iter().any(|b| to(b, "cto@example.com")),
        "{bodies:?}"
    );
    let outbox = ws.json(&["outbox", "list"]);
    let undeliverable: Vec<&serde_json::Value> = outbox["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["undeliverable"] == true)
        .collect();
    assert_eq!(undeliverable.len(), 1, "{outbox}");
    assert!(
        undeliverable[0]["last_error"]
            .as_str()
            .unwrap_or_default()
            .contains("no channel reaches cto@example.com"),
        "{outbox}"
    );

    // With an email channel (a real SMTP server, plain on loopback) the CTO is reached by
    // email, qa still by the webhook only.
    let smtp = SmtpServer::start(ws.tmp.path(), "chain-mail", None);
    let port = smtp.port.to_string();
    ws.ok(&[
        "channel",
        "add",
        "mail",
        "--kind",
        "email",
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--tls",
        "none",
        "--from",
        "slipway@example.com",
    ]);
    breach("Payouts fail", 2);
    let bodies = hook.lock().unwrap().clone();
    assert_eq!(
        bodies.iter().filter(|b| to(b, "qa@example.com")).count(),
        2,
        "{bodies:?}"
    );
    let mail = smtp.received();
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert!(
        mail[0].contains("cto@example.com") && mail[0].contains("Payouts fail"),
        "{}",
        mail[0]
    );
    assert!(!mail[0].contains("To: qa@example.com"), "{}", mail[0]);
}

/// Three `channel add` of one name at once, six rounds: one is added, the others are refused,
/// and the one added keeps its secret (a loser once deleted the winner's keychain entry).
/// Runs inside `dbus-run-session` with an unlocked gnome-keyring (`make rust-test`).
#[test]
fn racing_channel_adds_never_lose_the_winners_secret() {
    let ws = Ws::new();
    let (url, received) = receiver();
    let name = format!("race-{}", std::process::id());
    for round in 0..6 {
        let racers: Vec<_> = (0..3)
            .map(|i| {
                let mut cmd = Command::new(env!("CARGO_BIN_EXE_slipway"));
                cmd.args([
                    "channel",
                    "add",
                    &name,
                    "--kind",
                    "webhook",
                    "--url-stdin",
                    "--secret-stdin",
                ])
                .env("SLIPWAY_DATA_DIR", &ws.data)
                .env("SLIPWAY_USER", "rm@example.com")
                .env_remove("SLIPWAY_WORKSPACE")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
                let mut child = cmd.spawn().unwrap();
                let input = format!("{url}\nsigning-key-{round}-{i}-abcdef\n");
                child
                    .stdin
                    .take()
                    .unwrap()
                    .write_all(input.as_bytes())
                    .unwrap();
                child
            })
            .collect();
        let outs: Vec<Output> = racers
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let added = outs.iter().filter(|o| o.status.success()).count();
        assert_eq!(added, 1, "round {round}: exactly one is added");
        for lost in outs.iter().filter(|o| !o.status.success()) {
            let err = text(&lost.stderr);
            assert!(err.contains("exists already"), "round {round}: {err}");
        }
        let before = received.lock().unwrap().len();
        let out = ws.run(&["channel", "test", &name], None, &[]);
        assert!(
            out.status.success(),
            "round {round}: the channel lost its secret: {}",
            text(&out.stderr)
        );
        assert_eq!(received.lock().unwrap().len(), before + 1, "round {round}");
        ws.ok(&["channel", "remove", &name]);
    }
}
