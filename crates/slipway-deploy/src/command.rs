//! Deploy commands: a program run directly (never through a shell), its output streamed.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::Child;
use tokio::sync::mpsc;

use crate::{Cancel, DeployError, Outcome, OUTPUT_CAP};

/// How long to keep reading output after the command exited, in case a process it started in
/// the background still holds its output open.
const DRAIN_GRACE: Duration = Duration::from_secs(1);

/// A deploy command. `argv[0]` is the program (looked up on `PATH` unless it contains a `/`);
/// the other elements are passed as they are, without a shell, so `$(…)`, `;`, `&&` or
/// backticks in them stay literal text.
#[derive(Clone)]
pub struct Command {
    /// The program and its arguments.
    pub argv: Vec<String>,
    /// The working directory; `None` keeps the application's.
    pub dir: Option<PathBuf>,
    /// Environment variables added to (or replacing) the inherited ones.
    pub env: Vec<(String, String)>,
    /// How long the command may run before it (and every process it started) is killed.
    pub timeout: Duration,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Environment values often carry secrets: show names only.
        let env_names: Vec<&str> = self.env.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("Command")
            .field("argv", &self.argv)
            .field("dir", &self.dir)
            .field("env", &env_names)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Runs the command to its end, streaming each line of its stdout and stderr to `on_line` as
/// it arrives (on Unix in the order the command wrote them). Exit code 0 is `Ok` with the
/// combined output; anything else is [`DeployError::Exited`]. On timeout or cancellation the
/// command's whole process group is killed and the command is waited for before this returns.
/// Output still held open by a background process is read for one more second after the
/// command exits; such a process is left running.
pub async fn run_command(
    cmd: &Command,
    cancel: &Cancel,
    on_line: &mut (dyn FnMut(String) + Send),
) -> Result<Outcome, DeployError> {
    run_command_reporting(cmd, cancel, &mut |_| {}, on_line).await
}

/// [`run_command`], telling `on_spawn` the command's process group as soon as it runs (so a
/// caller can record it: see [`crate::left_running`]). On Linux the command is killed when
/// the process that started it dies.
pub async fn run_command_reporting(
    cmd: &Command,
    cancel: &Cancel,
    on_spawn: &mut (dyn FnMut(u32) + Send),
    on_line: &mut (dyn FnMut(String) + Send),
) -> Result<Outcome, DeployError> {
    let program = match cmd.argv.first() {
        Some(p) if !p.trim().is_empty() => p.clone(),
        _ => {
            return Err(DeployError::Invalid {
                what: "deploy command".into(),
                reason: "it names no program to run".into(),
            })
        }
    };
    if let Some(dir) = &cmd.dir {
        if !dir.is_dir() {
            return Err(DeployError::Spawn {
                program,
                reason: format!("its working directory {} does not exist", dir.display()),
            });
        }
    }
    if cancel.is_cancelled() {
        return Err(DeployError::Cancelled);
    }

    let mut command = tokio::process::Command::new(&program);
    command
        .args(&cmd.argv[1..])
        .envs(cmd.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .kill_on_drop(true);
    if let Some(dir) = &cmd.dir {
        command.current_dir(dir);
    }
    // Its own process group, so a timeout or cancel can stop everything it started.
    #[cfg(unix)]
    command.process_group(0);
    // And it dies with this process, even one killed with no chance to clean up.
    crate::owner::die_with_owner(&mut command);

    let output_setup = OutputSource::attach(&mut command).map_err(|e| DeployError::Spawn {
        program: program.clone(),
        reason: format!("its output could not be captured ({e})"),
    })?;

    let spawned = command.spawn();
    // Close our copies of the child's output ends, or reading would never see the end.
    drop(command);
    let mut child = spawned.map_err(|e| DeployError::Spawn {
        reason: spawn_reason(&e, &program),
        program: program.clone(),
    })?;
    let mut group = GroupGuard(child.id());
    tracing::info!(program = %program, pid = ?child.id(), "deploy command started");
    if let Some(pid) = child.id() {
        on_spawn(pid);
    }

    let (tx, mut rx) = mpsc::unbounded_channel();
    let readers = output_setup.read(&mut child, tx);
    tokio::pin!(readers);
    let deadline = tokio::time::sleep(cmd.timeout);
    tokio::pin!(deadline);
    let grace = tokio::time::sleep(Duration::MAX);
    tokio::pin!(grace);

    let mut output = Tail::default();
    let mut status: Option<std::io::Result<ExitStatus>> = None;
    let mut readers_done = false;
    let end = loop {
        if readers_done {
            if let Some(exited) = status.take() {
                break Ok(exited);
            }
        }
        tokio::select! {
            biased;
            () = cancel.cancelled() => break Err(Stop::Cancelled),
            // Once the command has exited, only the short drain grace is left to wait for.
            () = &mut deadline, if status.is_none() => break Err(Stop::TimedOut),
            Some(line) = rx.recv() => {
                output.push(&line);
                on_line(line);
            }
            () = &mut readers, if !readers_done => readers_done = true,
            exited = child.wait(), if status.is_none() => {
                status = Some(exited);
                if let Some(at) = tokio::time::Instant::now().checked_add(DRAIN_GRACE) {
                    grace.as_mut().reset(at);
                }
            }
            () = &mut grace, if status.is_some() && !readers_done => {
                tracing::debug!(program = %program, "output held open after exit; stopped reading");
                readers_done = true;
            }
        }
    };
    // Lines already read but not yet reported.
    while let Ok(line) = rx.try_recv() {
        output.push(&line);
        on_line(line);
    }

    let status = match end {
        Ok(Ok(status)) => status,
        Ok(Err(e)) => {
            kill_and_reap(&mut child, &mut group).await;
            return Err(DeployError::Spawn {
                program,
                reason: format!("waiting for it failed ({e})"),
            });
        }
        Err(stop) => {
            kill_and_reap(&mut child, &mut group).await;
            return Err(match stop {
                Stop::Cancelled => {
                    tracing::info!(program = %program, "deploy command cancelled");
                    DeployError::Cancelled
                }
                Stop::TimedOut => {
                    tracing::warn!(program = %program, "deploy command timed out");
                    DeployError::TimedOut {
                        after: cmd.timeout,
                        what: format!("command `{program}`"),
                    }
                }
            });
        }
    };
    group.disarm();
    let output = output.into_string();
    if status.success() {
        tracing::info!(program = %program, "deploy command succeeded");
        Ok(Outcome { output })
    } else {
        tracing::warn!(program = %program, code = ?status.code(), "deploy command failed");
        Err(DeployError::Exited {
            code: status.code(),
            output,
        })
    }
}

/// Where the command's output is read from.
///
/// On Unix, stdout and stderr share one socket (as systemd does for services), so lines keep
/// the order in which the command wrote them. Elsewhere they are two pipes read side by side.
enum OutputSource {
    #[cfg(unix)]
    Shared(tokio::net::UnixStream),
    #[cfg(not(unix))]
    Pipes,
}

impl OutputSource {
    #[cfg(unix)]
    fn attach(command: &mut tokio::process::Command) -> std::io::Result<Self> {
        use std::os::fd::OwnedFd;
        use std::os::unix::net::UnixStream;

        let (ours, theirs) = UnixStream::pair()?;
        ours.shutdown(std::net::Shutdown::Write)?;
        ours.set_nonblocking(true)?;
        let theirs_too = theirs.try_clone()?;
        command
            .stdout(Stdio::from(OwnedFd::from(theirs)))
            .stderr(Stdio::from(OwnedFd::from(theirs_too)));
        Ok(Self::Shared(tokio::net::UnixStream::from_std(ours)?))
    }

    #[cfg(not(unix))]
    fn attach(command: &mut tokio::process::Command) -> std::io::Result<Self> {
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        Ok(Self::Pipes)
    }

    /// Reads all output, sending it line by line; completes when every writer has closed it.
    #[cfg_attr(unix, allow(unused_variables))]
    fn read(
        self,
        child: &mut Child,
        tx: mpsc::UnboundedSender<String>,
    ) -> impl std::future::Future<Output = ()> {
        #[cfg(unix)]
        let Self::Shared(stream) = self;
        #[cfg(not(unix))]
        let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
        async move {
            #[cfg(unix)]
            pump(Some(stream), tx).await;
            #[cfg(not(unix))]
            tokio::join!(pump(stdout, tx.clone()), pump(stderr, tx));
        }
    }
}

enum Stop {
    Cancelled,
    TimedOut,
}

/// Kills the command's process group (if the run is dropped half-way) unless disarmed.
struct GroupGuard(Option<u32>);

impl GroupGuard {
    fn kill(&mut self) {
        #[cfg(unix)]
        if let Some(pgid) = self
            .0
            .and_then(|id| i32::try_from(id).ok())
            .and_then(rustix::process::Pid::from_raw)
        {
            // Fails harmlessly when the whole group is already gone.
            let _ = rustix::process::kill_process_group(pgid, rustix::process::Signal::KILL);
        }
        self.0 = None;
    }

    fn disarm(&mut self) {
        self.0 = None;
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Kills everything the command started and waits for the command itself, so it leaves no
/// zombie behind.
async fn kill_and_reap(child: &mut Child, group: &mut GroupGuard) {
    group.kill();
    // Kills the direct child too where process groups do not exist, then reaps it.
    let _ = child.kill().await;
}

fn spawn_reason(e: &std::io::Error, program: &str) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound if program.contains('/') => "there is no such file".into(),
        std::io::ErrorKind::NotFound => "no such program was found on the PATH".into(),
        std::io::ErrorKind::PermissionDenied => "it is not executable (permission denied)".into(),
        _ => e.to_string(),
    }
}

/// Reads a pipe to its end, sending each line (without its line break, invalid UTF-8 replaced).
/// A line longer than [`OUTPUT_CAP`] is sent in pieces.
async fn pump<R: AsyncRead + Unpin>(pipe: Option<R>, tx: mpsc::UnboundedSender<String>) {
    let Some(mut pipe) = pipe else { return };
    let mut pending: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 8192];
    loop {
        let n = match pipe.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let mut start = pending.len();
        pending.extend_from_slice(&chunk[..n]);
        while let Some(i) = pending[start..].iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..start + i + 1).collect();
            let _ = tx.send(decode_line(&line));
            start = 0;
        }
        if pending.len() >= OUTPUT_CAP {
            let line = std::mem::take(&mut pending);
            let _ = tx.send(decode_line(&line));
        }
    }
    if !pending.is_empty() {
        let _ = tx.send(decode_line(&pending));
    }
}

fn decode_line(raw: &[u8]) -> String {
    let raw = raw.strip_suffix(b"\n").unwrap_or(raw);
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    String::from_utf8_lossy(raw).into_owned()
}

/// The last [`OUTPUT_CAP`] bytes of output, whole lines, counting what was dropped.
#[derive(Default)]
struct Tail {
    lines: VecDeque<String>,
    bytes: usize,
    dropped_lines: usize,
    dropped_bytes: usize,
}

impl Tail {
    fn push(&mut self, line: &str) {
        self.bytes += line.len() + 1;
        self.lines.push_back(line.to_owned());
        while self.bytes > OUTPUT_CAP && self.lines.len() > 1 {
            if let Some(old) = self.lines.pop_front() {
                self.bytes -= old.len() + 1;
                self.dropped_lines += 1;
                self.dropped_bytes += old.len() + 1;
            }
        }
    }

    fn into_string(self) -> String {
        let mut out = String::with_capacity(self.bytes + 100);
        if self.dropped_lines > 0 {
            out.push_str(&format!(
                "[output truncated: the first {} lines ({} bytes) are not shown]\n",
                self.dropped_lines, self.dropped_bytes
            ));
        }
        for line in self.lines {
            out.push_str(&line);
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_environment_values() {
        let cmd = Command {
            argv: vec!["deploy".into()],
            dir: None,
            env: vec![("API_KEY".into(), "hunter2".into())],
            timeout: Duration::from_secs(1),
        };
        let shown = format!("{cmd:?}");
        assert!(
            shown.contains("API_KEY") && !shown.contains("hunter2"),
            "{shown}"
        );
    }

    #[test]
    fn tail_keeps_the_end() {
        let mut tail = Tail::default();
        for i in 0..20_000 {
            tail.push(&format!("line {i}"));
        }
        let out = tail.into_string();
        assert!(out.starts_with("[output truncated: the first "));
        assert!(out.ends_with("line 19999\n"));
        assert!(out.len() <= OUTPUT_CAP + 100);
    }
}
