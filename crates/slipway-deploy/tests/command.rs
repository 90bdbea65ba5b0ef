//! Deploy commands run as real processes.
#![cfg(unix)]

use std::path::Path;
use std::time::{Duration, Instant};

use slipway_deploy::{run_command, Cancel, Command, DeployError, OUTPUT_CAP};

fn cmd(argv: &[&str]) -> Command {
    Command {
        argv: argv.iter().map(|s| (*s).to_owned()).collect(),
        dir: None,
        env: vec![],
        timeout: Duration::from_secs(10),
    }
}

fn sh(script: &str, args: &[&str]) -> Command {
    let mut argv = vec!["sh", "-c", script, "sh"];
    argv.extend_from_slice(args);
    cmd(&argv)
}

fn cancel_after(ms: u64) -> Cancel {
    let cancel = Cancel::new();
    let later = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        later.cancel();
    });
    cancel
}

/// The state letter from /proc/<pid>/stat ('R', 'S', 'Z', …), or `None` when the process is gone.
fn process_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

fn read_pid(file: &Path) -> u32 {
    std::fs::read_to_string(file)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn shell_syntax_in_arguments_stays_literal() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("pwned");
    let touch = format!("$(touch {})", marker.display());
    let backticks = format!("`touch {}`", marker.display());
    let args = [
        touch.as_str(),
        "; rm -rf /",
        "a && b",
        "`id`",
        backticks.as_str(),
        "$HOME",
        "| cat",
        "> out.txt",
        "*",
    ];
    let mut argv = vec!["printf", "%s\\n"];
    argv.extend_from_slice(&args);
    let mut command = cmd(&argv);
    command.dir = Some(dir.path().to_owned());

    let mut lines = Vec::new();
    let outcome = run_command(&command, &Cancel::new(), &mut |l| lines.push(l))
        .await
        .unwrap();

    assert_eq!(lines, args);
    assert_eq!(outcome.output, args.map(|a| format!("{a}\n")).concat());
    assert!(!marker.exists(), "a shell ran the arguments");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no file may be created"
    );
}

#[tokio::test]
async fn echo_prints_the_arguments_verbatim() {
    let outcome = run_command(
        &cmd(&["/bin/echo", "$(id)", "; rm -rf /", "a && b", "`id`"]),
        &Cancel::new(),
        &mut |_| {},
    )
    .await
    .unwrap();
    assert_eq!(outcome.output, "$(id) ; rm -rf / a && b `id`\n");
}

#[tokio::test]
async fn non_zero_exit_is_exited_with_code_and_output() {
    let err = run_command(
        &sh("echo building; echo 'missing key' >&2; exit 3", &[]),
        &Cancel::new(),
        &mut |_| {},
    )
    .await
    .unwrap_err();
    match &err {
        DeployError::Exited { code, output } => {
            assert_eq!(*code, Some(3));
            assert!(
                output.contains("building\n") && output.contains("missing key\n"),
                "{output}"
            );
        }
        other => panic!("expected Exited, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "The command failed with exit code 3. Its last output was: missing key"
    );
}

#[tokio::test]
async fn death_by_signal_is_exited_without_code() {
    let err = run_command(&sh("kill -9 $$", &[]), &Cancel::new(), &mut |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(err, DeployError::Exited { code: None, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn timeout_kills_and_reaps_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let mut command = sh(
        "echo $$ > \"$1\"; exec sleep 30",
        &[pid_file.to_str().unwrap()],
    );
    command.timeout = Duration::from_millis(300);
    let started = Instant::now();
    let err = run_command(&command, &Cancel::new(), &mut |_| {})
        .await
        .unwrap_err();
    let took = started.elapsed();

    assert!(
        matches!(&err, DeployError::TimedOut { after, what }
            if *after == Duration::from_millis(300) && what == "command `sh`"),
        "{err:?}"
    );
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_secs(3),
        "{took:?}"
    );
    let pid = read_pid(&pid_file);
    // Killed and waited for: not even a zombie is left.
    assert_eq!(process_state(pid), None, "process {pid} is still there");
}

#[tokio::test]
async fn timeout_kills_background_children_too() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let mut command = sh(
        "sleep 30 & echo $! > \"$1\"; wait",
        &[pid_file.to_str().unwrap()],
    );
    command.timeout = Duration::from_millis(300);
    let err = run_command(&command, &Cancel::new(), &mut |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, DeployError::TimedOut { .. }), "{err:?}");

    // The grandchild is orphaned to PID 1, which may not reap it: a zombie counts as dead.
    let pid = read_pid(&pid_file);
    let deadline = Instant::now() + Duration::from_secs(2);
    while !matches!(process_state(pid), None | Some('Z')) {
        assert!(
            Instant::now() < deadline,
            "background process {pid} survived: {:?}",
            process_state(pid)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn cancel_kills_the_command_promptly() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let mut command = sh(
        "echo $$ > \"$1\"; echo started; exec sleep 30",
        &[pid_file.to_str().unwrap()],
    );
    command.timeout = Duration::from_secs(30);
    let started = Instant::now();
    let mut lines = Vec::new();
    let err = run_command(&command, &cancel_after(300), &mut |l| lines.push(l))
        .await
        .unwrap_err();
    assert!(matches!(err, DeployError::Cancelled), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(lines, ["started"]);
    assert_eq!(process_state(read_pid(&pid_file)), None);
}

#[tokio::test]
async fn missing_program_is_a_spawn_error() {
    for program in ["slipway-no-such-program-4711", "/nonexistent/deploy.sh"] {
        let err = run_command(&cmd(&[program, "--now"]), &Cancel::new(), &mut |_| {})
            .await
            .unwrap_err();
        match &err {
            DeployError::Spawn { program: p, reason } => {
                assert_eq!(p, program);
                assert!(!reason.is_empty());
            }
            other => panic!("expected Spawn, got {other:?}"),
        }
        assert!(
            err.to_string()
                .starts_with(&format!("Could not start `{program}`")),
            "{err}"
        );
    }
}

#[tokio::test]
async fn program_that_is_not_executable_is_a_spawn_error() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("deploy.sh");
    std::fs::write(&script, "#!/bin/sh\necho hi\n").unwrap();
    let err = run_command(
        &cmd(&[script.to_str().unwrap()]),
        &Cancel::new(),
        &mut |_| {},
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, DeployError::Spawn { reason, .. } if reason.contains("not executable")),
        "{err:?}"
    );
}

#[tokio::test]
async fn missing_working_directory_is_a_spawn_error() {
    let mut command = cmd(&["true"]);
    command.dir = Some("/nonexistent/checkout".into());
    let err = run_command(&command, &Cancel::new(), &mut |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, DeployError::Spawn { reason, .. } if reason.contains("/nonexistent/")),
        "{err:?}"
    );
}

#[tokio::test]
async fn empty_command_is_invalid() {
    let err = run_command(&cmd(&[]), &Cancel::new(), &mut |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, DeployError::Invalid { .. }), "{err:?}");
}

#[tokio::test]
async fn lines_stream_in_order_as_they_arrive() {
    let script = "echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three; sleep 0.6; echo four";
    let started = Instant::now();
    let mut seen = Vec::new();
    let outcome = run_command(&sh(script, &[]), &Cancel::new(), &mut |l| {
        seen.push((started.elapsed(), l))
    })
    .await
    .unwrap();
    let lines: Vec<&str> = seen.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(lines, ["one", "two", "three", "four"]);
    assert_eq!(outcome.output, "one\ntwo\nthree\nfour\n");
    // "three" was reported well before the command ended, not collected at the end.
    assert!(
        seen[3].0 - seen[2].0 >= Duration::from_millis(400),
        "{seen:?}"
    );
}

#[tokio::test]
async fn working_directory_and_environment_are_passed() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = sh("pwd; echo \"$SLIPWAY_ENVIRONMENT\"", &[]);
    command.dir = Some(dir.path().to_owned());
    command.env = vec![("SLIPWAY_ENVIRONMENT".into(), "staging".into())];
    let outcome = run_command(&command, &Cancel::new(), &mut |_| {})
        .await
        .unwrap();
    let canonical = dir.path().canonicalize().unwrap();
    assert_eq!(
        outcome.output,
        format!("{}\nstaging\n", canonical.display())
    );
}

#[tokio::test]
async fn long_output_is_truncated_with_a_note() {
    let mut count = 0usize;
    let outcome = run_command(&cmd(&["seq", "1", "40000"]), &Cancel::new(), &mut |_| {
        count += 1
    })
    .await
    .unwrap();
    assert_eq!(count, 40_000, "every line is streamed");
    assert!(
        outcome.output.len() <= OUTPUT_CAP + 200,
        "{}",
        outcome.output.len()
    );
    assert!(
        outcome.output.starts_with("[output truncated: the first "),
        "{}",
        &outcome.output[..100]
    );
    assert!(outcome.output.ends_with("39999\n40000\n"));
}

#[tokio::test]
async fn output_held_open_by_a_background_process_does_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let started = Instant::now();
    let outcome = run_command(
        &sh(
            "sleep 5 & echo $! > \"$1\"; echo deployed",
            &[pid_file.to_str().unwrap()],
        ),
        &Cancel::new(),
        &mut |_| {},
    )
    .await
    .unwrap();
    assert_eq!(outcome.output, "deployed\n");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    let _ = std::process::Command::new("kill")
        .arg(read_pid(&pid_file).to_string())
        .status();
}

#[tokio::test]
async fn stdout_and_stderr_keep_the_order_they_were_written_in() {
    let script = "i=1; while [ $i -le 50 ]; do echo out$i; echo err$i >&2; i=$((i+1)); done";
    let mut lines = Vec::new();
    run_command(&sh(script, &[]), &Cancel::new(), &mut |l| lines.push(l))
        .await
        .unwrap();
    let expected: Vec<String> = (1..=50)
        .flat_map(|i| [format!("out{i}"), format!("err{i}")])
        .collect();
    assert_eq!(lines, expected);
}
