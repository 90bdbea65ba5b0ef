//! Bad input through the real `slipway` on a real demo workspace: each case exits 1 with one
//! clear line naming what is wrong, echoes no secret, and leaves every file of the workspace
//! — its database, its configuration, its repositories' refs and objects — byte for byte as
//! it was. And a workspace database that is empty, locked or read-only is named with what to
//! do, and left alone.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::promote::{answer, rev_parse, slipway, text, workspace, Ws};

/// Every file below `dir` but the logs, by path, with a hash of its bytes. SQLite's shared-
/// memory index and an empty write-ahead log hold no data (a clean close checkpoints the log
/// into the database file; whether the emptied files are removed depends on which of the
/// pool's connections closes last): they are left out, so the database file alone is
/// compared.
fn fingerprint(dir: &Path) -> BTreeMap<PathBuf, u64> {
    use std::hash::{Hash, Hasher};
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path != dir.join("logs") {
                    stack.push(path);
                }
            } else if let Ok(bytes) = std::fs::read(&path) {
                let name = path.to_string_lossy();
                if name.ends_with(".db-shm") || (name.ends_with(".db-wal") && bytes.is_empty()) {
                    continue;
                }
                let mut h = std::collections::hash_map::DefaultHasher::new();
                bytes.hash(&mut h);
                out.insert(path, h.finish());
            }
        }
    }
    out
}

/// The paths whose bytes differ, appeared or went between two fingerprints.
fn changed(before: &BTreeMap<PathBuf, u64>, after: &BTreeMap<PathBuf, u64>) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = before
        .iter()
        .filter(|(p, h)| after.get(*p) != Some(h))
        .map(|(p, _)| p.clone())
        .collect();
    paths.extend(after.keys().filter(|p| !before.contains_key(*p)).cloned());
    paths
}

/// Runs `slipway` with raw arguments (they need not be UTF-8) and `stdin`.
fn attempt(ws: &Ws, args: &[OsString], stdin: Option<&str>) -> (Option<i32>, String, String) {
    let mut cmd = slipway(ws, &[], &[]);
    cmd.args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

/// One bad input: the arguments, what standard input carries, and what the one line says.
struct Case {
    args: Vec<OsString>,
    stdin: Option<&'static str>,
    says: String,
}

fn case(args: &[&str], says: &str) -> Case {
    Case {
        args: os(args),
        stdin: None,
        says: says.to_string(),
    }
}

fn with_stdin(args: &[&str], stdin: &'static str, says: &str) -> Case {
    Case {
        stdin: Some(stdin),
        ..case(args, says)
    }
}

#[test]
fn bad_input_gets_one_clear_line_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = workspace(tmp.path(), None);
    let qa_tip = rev_parse(&ws.origin, "deploy/qa");
    let sha = rev_parse(&ws.origin, "deploy/staging");
    let long_url = format!("https://hooks.example.com/{}", "a".repeat(3000));
    let qa = ["--project", "payments", "--env", "qa"];
    fn action<'a>(rest: &[&'a str]) -> Vec<&'a str> {
        [
            &["action", "set", "--project", "payments", "--env", "qa"][..],
            rest,
        ]
        .concat()
    }
    let hook = "https://hooks.example.com/go";
    let mut cases: Vec<Case> = vec![
        // Secrets where they do not belong.
        case(
            &action(&["--webhook", "http://deploy:s3cret@hooks.example.com/go"]),
            "the URL carries credentials (user:password@host); remove them and put the secret in the token field",
        ),
        case(
            &action(&["--none", "--verify", "https://user:pw@status.example.com/ok"]),
            "carries credentials",
        ),
        with_stdin(
            &action(&["--webhook", "http://deploy.example.com/go", "--token-stdin"]),
            "tok-s3cret-123\n",
            "a token is never sent over plain http:// to deploy.example.com: use an https:// URL",
        ),
        with_stdin(
            &[
                "channel", "add", "mail", "--kind", "email", "--host", "smtp.example.com",
                "--from", "rm@example.com", "--tls", "none", "--secret-stdin",
            ],
            "s3cret-password\n",
            "with --tls none the password would cross the network to smtp.example.com in clear text",
        ),
        // URLs and headers.
        case(
            &action(&["--webhook", "https://hooks.example.com/a\nb"]),
            "has a control character or is longer than 2048 characters",
        ),
        case(&action(&["--webhook", &long_url]), "longer than 2048 characters"),
        case(
            &action(&["--webhook", hook, "--header", "X-Env:qa\r\nX-Evil: 1"]),
            "the value of header X-Env has a line break or another control character",
        ),
        case(
            &action(&["--webhook", hook, "--header", "X-Env:q\u{1}a"]),
            "the value of header X-Env has a line break or another control character",
        ),
        case(
            &action(&["--webhook", hook, "--header", ":no-name"]),
            "header name \"\" is not allowed",
        ),
        case(
            &action(&["--webhook", hook, "--header", "Content-Length:0"]),
            "header Content-Length cannot be set here",
        ),
        case(
            &action(&["--webhook", hook, "--header", "Transfer-Encoding: chunked"]),
            "header Transfer-Encoding cannot be set here",
        ),
        case(
            &[
                "channel", "add", "hook", "--kind", "slack", "--url",
                "https://hooks.slack.com/services/a\nb",
            ],
            "the webhook address has a line break or another control character",
        ),
        with_stdin(
            &["channel", "add", "hook", "--kind", "slack", "--url-stdin"],
            // A 10 kB URL on one line.
            Box::leak(format!("https://hooks.slack.com/{}\n", "a".repeat(10_000)).into_boxed_str()),
            "the webhook address is longer than 2048 characters",
        ),
        case(
            &[
                "channel", "add", "mail", "--kind", "email", "--host",
                "smtp.example.com\r\nRCPT TO:<x@example.com>", "--from", "rm@example.com",
            ],
            "“smtp.example.com\\r\\nRCPT TO:<x@example.com>” is not a host name",
        ),
        case(
            &["stakeholder", "add", "ana@example.com\r\nBcc: all@example.com"],
            "“ana@example.com\\r\\nBcc: all@example.com” is not an email address",
        ),
        // Who acts.
        case(
            &[&["hold"][..], &qa, &["--reason", "x", "--as", "ana\r\nBcc: all@example.com"]].concat(),
            "--as \"ana\\r\\nBcc: all@example.com\" is not an email address",
        ),
        case(
            &[&["hold"][..], &qa, &["--reason", "x", "--as", "Ana"]].concat(),
            "--as \"Ana\" is not an email address",
        ),
        // Commits, instants, durations, zones.
        case(
            &[&["preview"][..], &qa, &["--to", &sha[..4]]].concat(),
            &format!("\"{}\" is too short to name a commit: use at least 7 hex digits", &sha[..4]),
        ),
        case(&["cr", "list", "--at", "garbage"], "--at dates a step written down after the fact"),
        case(&["calendar", "add", "office", "--zone", ""], "The time zone is empty"),
        // Follow-ups and the drift view.
        case(
            &["followup", "add", "--project", "payments", "--env", "production", "--title", " "],
            "needs a title",
        ),
        case(
            &["followup", "add", "--project", "payments", "--env", "prod", "--title", "x"],
            "has no environment \"prod\"",
        ),
        case(
            &["followup", "add", "--project", "payments", "--env", "production", "--title", "x", "--owner", "dana\nx"],
            "is not an email address",
        ),
        case(
            &["followup", "add", "--project", "payments", "--env", "production", "--title", "x", "--due", "2001-01-01"],
            "has passed",
        ),
        case(&["followup", "edit", "999", "--link", "ftp://x/y"], "There is no follow-up #999"),
        case(&["followup", "wont-do", "999", "--reason", "x"], "There is no follow-up #999"),
        case(
            &["followup", "settings", "--project", "payments", "--days", "0"],
            "1 to 260 business days",
        ),
        case(
            &["followup", "settings", "--project", "payments", "--calendar", "nope"],
            "There is no calendar \"nope\"",
        ),
        case(
            &["guard", "drift", "--project", "payments", "--from", "qa", "--to", "qa"],
            "two different environments",
        ),
        case(
            &["sla", "policy", "--type", "emergency", "--severity", "sev1", "--approve", "9223372036854775807s"],
            "“9223372036854775807s” is longer than a year",
        ),
        case(
            &["aging", "set", "--project", "payments", "--env", "qa", "--goal", "99999999999999d"],
            "is longer than a year; a goal or reminder interval is at most 366d",
        ),
    ];
    // Repositories Slipway cannot read truthfully, or whose path it cannot keep.
    let shallow = tmp.path().join("shallow");
    let cloned = Command::new("git")
        .args(["clone", "-q", "--depth", "1"])
        .arg(format!("file://{}", ws.origin.display()))
        .arg(&shallow)
        .status()
        .unwrap();
    assert!(cloned.success());
    cases.push(case(
        &[
            "project",
            "add",
            "shallow",
            "--repo",
            shallow.to_str().unwrap(),
            "--env",
            "qa=branch:deploy/qa",
        ],
        "is shallow — history before some commit is missing",
    ));
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt as _;
        let mut raw = tmp.path().as_os_str().to_owned().into_vec();
        raw.extend_from_slice(b"/caf\xe9-latin1");
        let odd = PathBuf::from(OsString::from_vec(raw));
        std::fs::create_dir(&odd).unwrap();
        let mut args = os(&[
            "project",
            "add",
            "odd",
            "--env",
            "qa=branch:deploy/qa",
            "--repo",
        ]);
        args.push(odd.into_os_string());
        cases.push(Case {
            args,
            stdin: None,
            says: "is not valid UTF-8, and Slipway keeps paths as text".into(),
        });
    }

    for c in &cases {
        let before = fingerprint(&ws.dir);
        let (code, out, err) = attempt(&ws, &c.args, c.stdin);
        let shown = format!("{:?}", c.args);
        assert_eq!(code, Some(1), "{shown}: {out}{err}");
        assert!(
            err.to_lowercase().contains(&c.says.to_lowercase()),
            "{shown}: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{shown}: {err}");
        for secret in ["s3cret", "pw@", "RCPT TO:<x@example.com>\n"] {
            assert!(!err.contains(secret), "{shown} echoes {secret:?}: {err}");
        }
        for debug in ["panicked", "Error {", "Os {", "(code: "] {
            assert!(!err.contains(debug), "{shown}: {err}");
        }
        assert_eq!(
            changed(&before, &fingerprint(&ws.dir)),
            Vec::<PathBuf>::new(),
            "{shown} changed the workspace"
        );
    }
    assert_eq!(rev_parse(&ws.origin, "deploy/qa"), qa_tip);
    let (_, audit, _) = answer(&ws, &["audit", "export", "--format", "json"]);
    assert!(
        audit.starts_with('[') && !audit.contains("Bcc"),
        "nothing reached the audit log"
    );
}

/// A copy of this test binary's `slipway` that another user may run.
fn runnable_copy(dir: &Path) -> PathBuf {
    let copy = dir.join("slipway");
    std::fs::copy(env!("CARGO_BIN_EXE_slipway"), &copy).unwrap();
    copy
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The one line `slipway project list` (or a write: `stakeholder add`) says for workspace
/// `dir`, run as `nobody` when this test runs as root (root may write anything).
#[cfg(unix)]
fn as_another_user(bin: &Path, home: &Path, dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let root = std::fs::metadata("/proc/self").map(|m| {
        use std::os::unix::fs::MetadataExt as _;
        m.uid() == 0
    });
    let mut cmd = if root.unwrap_or(false) {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin);
        c
    } else {
        Command::new(bin)
    };
    let out = cmd
        .arg("--workspace")
        .arg(dir)
        .args(args)
        .env("HOME", home)
        .env("SLIPWAY_USER", "rm@example.com")
        .env_remove("SLIPWAY_WORKSPACE")
        .env_remove("SLIPWAY_DATA_DIR")
        .output()
        .unwrap();
    (out.status.code(), text(&out.stderr))
}

#[cfg(unix)]
#[test]
fn an_empty_locked_or_read_only_database_is_named_with_what_to_do_and_left_alone() {
    use std::os::unix::fs::chown;
    let tmp = tempfile::tempdir().unwrap();
    chmod(tmp.path(), 0o755);
    let ws = workspace(tmp.path(), None);
    let db = ws.dir.join("slipway.db");
    let one_line = |err: &str| {
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(
            !err.contains("(code: ") && !err.contains("move it aside"),
            "{err}"
        );
    };

    // Locked by another process past the wait: said so, nothing written.
    let mut holder = Command::new("python3")
        .arg("-c")
        .arg(
            "import sqlite3, sys, time\n\
             c = sqlite3.connect(sys.argv[1], isolation_level=None)\n\
             c.execute('BEGIN EXCLUSIVE')\n\
             print('locked', flush=True)\n\
             time.sleep(12)\n",
        )
        .arg(&db)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(holder.stdout.as_mut().unwrap()),
        &mut line,
    )
    .unwrap();
    assert_eq!(line.trim(), "locked");
    let before = fingerprint(&ws.dir);
    let (code, _, err) = answer(&ws, &["stakeholder", "add", "locked@example.com"]);
    let after = fingerprint(&ws.dir);
    holder.kill().unwrap();
    holder.wait().unwrap();
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("is locked by another process")
            && err.contains("Close that program and try again"),
        "{err}"
    );
    one_line(&err);
    assert_eq!(
        changed(&before, &after),
        Vec::<PathBuf>::new(),
        "the locked run changed the workspace"
    );
    let (_, out, _) = answer(&ws, &["stakeholder", "list", "--json"]);
    assert!(!out.contains("locked@example.com"), "{out}");

    // Read-only: the file, then the folder, for a user who may read them only.
    let bin = runnable_copy(tmp.path());
    chmod(&bin, 0o755);
    let home = tmp.path().join("home");
    std::fs::create_dir(&home).unwrap();
    chown(&home, Some(65534), Some(65534)).ok();
    chmod(&ws.dir, 0o755);
    chmod(&db, 0o644);
    let before = fingerprint(&ws.dir);
    let (code, err) = as_another_user(
        &bin,
        &home,
        &ws.dir,
        &["stakeholder", "add", "ro@example.com"],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "The workspace database {} is read-only for this user",
            db.display()
        )) && err.contains("Nothing was changed. Make the file writable"),
        "{err}"
    );
    one_line(&err);
    chmod(&db, 0o666);
    let (code, err) = as_another_user(&bin, &home, &ws.dir, &["project", "list"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "The workspace folder {} is read-only for this user",
            ws.dir.display()
        )) && err.contains("slipway.db-wal"),
        "{err}"
    );
    one_line(&err);
    chmod(&db, 0o644);
    assert_eq!(
        changed(&before, &fingerprint(&ws.dir)),
        Vec::<PathBuf>::new(),
        "a read-only run changed the workspace"
    );

    // Empty (0 bytes, no log beside it): not taken for a new database.
    for log in ["slipway.db-wal", "slipway.db-shm"] {
        let _ = std::fs::remove_file(ws.dir.join(log));
    }
    std::fs::write(&db, b"").unwrap();
    let (code, _, err) = answer(&ws, &["project", "list"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "The workspace database {} is empty (0 bytes)",
            db.display()
        )) && err.contains("restore it from a backup"),
        "{err}"
    );
    one_line(&err);
    assert_eq!(
        std::fs::metadata(&db).unwrap().len(),
        0,
        "the empty file was left as it was"
    );
    assert!(!ws.dir.join("slipway.db-wal").exists());
}
