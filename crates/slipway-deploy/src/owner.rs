//! A deploy command dies with the run that owns it, and one left by a killed run is found and
//! stopped.
//!
//! Each command runs in its own process group. On Linux the command is also given a
//! parent-death signal: when the process that started it is killed, the kernel kills the
//! command at once. A process the command started and that is still running then (in the
//! same group) is found by [`left_running`] — by its group and the run's marker in its
//! environment, so a group number the system handed out again is never taken for it — and
//! stopped by [`stop_left_running`] before the run is ended.

use std::time::{Duration, Instant};

/// How long [`stop_left_running`] waits for a killed group to be gone.
const STOP_WAIT: Duration = Duration::from_secs(3);

/// Makes the command die with the thread that spawns it (Linux's parent-death signal; the
/// spawning thread is a runtime worker, which lives as long as the process). A command
/// whose parent is already gone by the time it starts does not start.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
pub(crate) fn die_with_owner(command: &mut tokio::process::Command) {
    use rustix::process::{getpid, getppid, set_parent_process_death_signal, Signal};
    let owner = getpid();
    // SAFETY: the closure runs in the forked child before exec. It makes two system calls
    // (prctl and getppid), which are async-signal-safe, and allocates nothing: the error is
    // made from a raw errno.
    unsafe {
        command.pre_exec(move || {
            set_parent_process_death_signal(Some(Signal::KILL))?;
            if getppid() != Some(owner) {
                return Err(rustix::io::Errno::SRCH.into());
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn die_with_owner(_command: &mut tokio::process::Command) {}

/// A process that belongs to a deploy command's group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Member {
    pid: u32,
    marked: bool,
}

/// The live processes of group `pgid`, and whether each carries every `marker` variable.
#[cfg(target_os = "linux")]
fn members(pgid: u32, marker: &[(String, String)]) -> Vec<Member> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let wanted: Vec<Vec<u8>> = marker
        .iter()
        .map(|(k, v)| format!("{k}={v}").into_bytes())
        .collect();
    let mut found = Vec::new();
    for entry in dir.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // After the command name in parentheses: state, ppid, pgrp.
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let mut fields = rest.split_whitespace();
        let state = fields.next();
        let group = fields.nth(1).and_then(|g| g.parse::<u32>().ok());
        if group != Some(pgid) || matches!(state, Some("Z" | "X")) {
            continue;
        }
        let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        let marked = wanted
            .iter()
            .all(|w| environ.split(|b| *b == 0).any(|var| var == w.as_slice()));
        found.push(Member { pid, marked });
    }
    found
}

#[cfg(not(target_os = "linux"))]
fn members(_pgid: u32, _marker: &[(String, String)]) -> Vec<Member> {
    Vec::new()
}

/// How many processes of a run's deploy command are still running in group `pgid` on this
/// machine: 0 when the group is gone, or when none of its processes carries the run's
/// `marker` (the group number was handed out again to something else).
pub fn left_running(pgid: u32, marker: &[(String, String)]) -> usize {
    let found = members(pgid, marker);
    if found.iter().any(|m| m.marked) {
        found.len()
    } else {
        0
    }
}

/// What stopping a left-running command found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// Nothing of it was running.
    NothingRunning,
    /// This many processes were running and were killed.
    Killed(usize),
    /// They could not be stopped (still running after the wait, or not ours to signal).
    StillRunning(usize),
}

/// Kills what is left of a run's deploy command (see [`left_running`]) and waits for it to
/// be gone.
pub fn stop_left_running(pgid: u32, marker: &[(String, String)]) -> Stopped {
    let running = left_running(pgid, marker);
    if running == 0 {
        return Stopped::NothingRunning;
    }
    #[cfg(unix)]
    if let Some(group) = i32::try_from(pgid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        if let Err(e) = rustix::process::kill_process_group(group, rustix::process::Signal::KILL) {
            tracing::warn!(pgid, error = %e, "could not stop a left-running deploy command");
        }
    }
    let until = Instant::now() + STOP_WAIT;
    loop {
        let left = members(pgid, &[]).len();
        if left == 0 {
            return Stopped::Killed(running);
        }
        if Instant::now() >= until {
            return Stopped::StillRunning(left);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::os::unix::process::CommandExt;

    #[test]
    fn a_group_is_found_only_with_its_marker_and_is_stopped() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .env("SLIPWAY_TEST_MARK", "m1")
            .process_group(0)
            .spawn()
            .unwrap();
        let pgid = child.id();
        let mark = |v: &str| vec![("SLIPWAY_TEST_MARK".to_string(), v.to_string())];
        assert_eq!(left_running(pgid, &mark("m1")), 1);
        assert_eq!(
            left_running(pgid, &mark("other")),
            0,
            "someone else's group"
        );
        assert_eq!(
            stop_left_running(pgid, &mark("other")),
            Stopped::NothingRunning
        );
        // The group is gone once the zombie is reaped; until then it counts as not running.
        assert_eq!(stop_left_running(pgid, &mark("m1")), Stopped::Killed(1));
        let status = child.wait().unwrap();
        assert!(!status.success());
        assert_eq!(left_running(pgid, &mark("m1")), 0);
    }
}
