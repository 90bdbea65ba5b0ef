//! A deploy command dies with the run that owns it, and one left by a killed run is found and
//! stopped.
//!
//! Each command runs in its own process group. On Linux the command is also given a
//! parent-death signal: when the process that started it is killed, the kernel kills the
//! command at once. A process the command started and that is still running then is found
//! by [`left_running`] — by the run's marker in its environment (the run's number, the
//! owner's pid and its start), and by sharing a group with a marked process, so nothing that
//! is not the run's is ever taken for it — and stopped by [`stop_left_running`] before the
//! run is ended. Finding needs nothing the run had to write down first: a run killed before
//! its command's group reached the record leaves nothing unfound.

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

/// A live process, its group, and whether it carries a run's marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Member {
    pid: u32,
    group: u32,
    marked: bool,
}

/// Every live (not zombie) process on this machine, with its group and whether it carries
/// every `marker` variable. A process whose environment cannot be read (another user's)
/// counts as unmarked.
#[cfg(target_os = "linux")]
fn live_processes(marker: &[(String, String)]) -> Vec<Member> {
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
        let Some(group) = fields.nth(1).and_then(|g| g.parse::<u32>().ok()) else {
            continue;
        };
        if matches!(state, Some("Z" | "X")) {
            continue;
        }
        let marked = !wanted.is_empty() && {
            let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            wanted
                .iter()
                .all(|w| environ.split(|b| *b == 0).any(|var| var == w.as_slice()))
        };
        found.push(Member { pid, group, marked });
    }
    found
}

#[cfg(not(target_os = "linux"))]
fn live_processes(_marker: &[(String, String)]) -> Vec<Member> {
    Vec::new()
}

/// What is left of a run's deploy command: every process carrying the run's `marker`
/// (whatever group it moved to), and every other process of a group one of them is in — so
/// one that cleared its environment is not missed. A group none of whose processes carries
/// the marker is not the run's (its number may have been handed out again), and this
/// process is never its.
fn command_processes(marker: &[(String, String)]) -> Vec<Member> {
    let all = live_processes(marker);
    let groups: std::collections::BTreeSet<u32> =
        all.iter().filter(|m| m.marked).map(|m| m.group).collect();
    let own = std::process::id();
    all.into_iter()
        .filter(|m| m.pid != own && (m.marked || groups.contains(&m.group)))
        .collect()
}

/// How many processes of a run's deploy command are still running on this machine (see
/// [`command_processes`]): 0 when none carries the run's `marker`.
pub fn left_running(marker: &[(String, String)]) -> usize {
    command_processes(marker).len()
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

/// Kills what is left of a run's deploy command (see [`left_running`]) — each of its
/// groups at once, or the process alone when it shares this process's group — and waits
/// for it to be gone.
pub fn stop_left_running(marker: &[(String, String)]) -> Stopped {
    let running = command_processes(marker);
    if running.is_empty() {
        return Stopped::NothingRunning;
    }
    #[cfg(unix)]
    {
        use rustix::process::{kill_process, kill_process_group, Pid, Signal};
        let own_group = rustix::process::getpgrp();
        let groups: std::collections::BTreeSet<u32> = running.iter().map(|m| m.group).collect();
        for group in groups {
            let Some(g) = i32::try_from(group).ok().and_then(Pid::from_raw) else {
                continue;
            };
            let result = if g == own_group {
                running
                    .iter()
                    .filter(|m| m.group == group)
                    .filter_map(|m| i32::try_from(m.pid).ok().and_then(Pid::from_raw))
                    .try_for_each(|p| kill_process(p, Signal::KILL))
            } else {
                kill_process_group(g, Signal::KILL)
            };
            if let Err(e) = result {
                tracing::warn!(group, error = %e, "could not stop a left-running deploy command");
            }
        }
    }
    let pids: std::collections::BTreeSet<u32> = running.iter().map(|m| m.pid).collect();
    let until = Instant::now() + STOP_WAIT;
    loop {
        let left = live_processes(&[])
            .iter()
            .filter(|m| pids.contains(&m.pid))
            .count();
        if left == 0 {
            return Stopped::Killed(running.len());
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

    fn mark(v: &str) -> Vec<(String, String)> {
        vec![("SLIPWAY_TEST_MARK".to_string(), v.to_string())]
    }

    /// Polls until `n` processes of `marker`'s run are running.
    fn until_running(marker: &[(String, String)], n: usize) {
        let until = Instant::now() + Duration::from_secs(10);
        while left_running(marker) != n {
            assert!(Instant::now() < until, "{} running", left_running(marker));
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn a_run_is_found_by_its_marker_and_its_groups_and_is_stopped() {
        // A command in its own group that starts one child with a cleared environment (found
        // by its group) and one in a new session (found by its marker).
        let mut child = std::process::Command::new("sh")
            .args(["-c", "env -i sleep 30 & setsid sleep 30 & wait"])
            .env("SLIPWAY_TEST_MARK", "m1")
            .process_group(0)
            .spawn()
            .unwrap();
        // Someone else's: an unmarked group and another run's marker.
        let mut other = std::process::Command::new("sleep")
            .arg("30")
            .env("SLIPWAY_TEST_MARK", "m2")
            .process_group(0)
            .spawn()
            .unwrap();
        until_running(&mark("m1"), 3);
        assert_eq!(left_running(&mark("m2")), 1);
        assert_eq!(left_running(&mark("none")), 0, "no process carries it");
        assert_eq!(stop_left_running(&mark("none")), Stopped::NothingRunning);
        assert_eq!(stop_left_running(&mark("m1")), Stopped::Killed(3));
        assert!(!child.wait().unwrap().success());
        assert_eq!(left_running(&mark("m1")), 0);
        assert_eq!(left_running(&mark("m2")), 1, "another run's is left alone");
        assert_eq!(stop_left_running(&mark("m2")), Stopped::Killed(1));
        other.wait().unwrap();
    }
}
