//! Slipway's deploy adapter: runs an environment's deploy action (a webhook or a local
//! command) and its verification (a health check polled until it turns healthy).
//!
//! The crate knows nothing about projects or environments: it receives already-rendered
//! strings and reports what happened as an [`Outcome`] or a [`DeployError`] whose message is
//! a plain sentence for a release manager. Progress is streamed line by line to an `on_line`
//! callback, and every action can be stopped through a [`Cancel`] handle.
//!
//! Secrets: a webhook's bearer token is never logged and never appears in an [`Outcome`],
//! an error, or a progress line; where an answer echoes it, it reads `[redacted]`.

mod command;
mod http;
mod owner;

use std::fmt;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

pub use command::{run_command, run_command_reporting, Command};
pub use http::{check_url, run_webhook, verify, HealthCheck, Webhook};
pub use owner::{left_running, stop_left_running, Stopped};

/// The most output an [`Outcome`] or an error keeps: 64 KiB. Longer answers and command output
/// are cut, with a note saying so.
pub const OUTPUT_CAP: usize = 64 * 1024;

/// What a deploy action or a verification said when it succeeded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// For HTTP: the status line and the body (at most [`OUTPUT_CAP`] bytes, invalid UTF-8
    /// replaced). For a command: its combined stdout and stderr, line by line, with the same cap
    /// (the end is kept, and a first line notes how much was left out).
    pub output: String,
}

/// Why a deploy action or a verification did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    /// The webhook answered with a status outside 2xx.
    #[error(
        "The deploy webhook answered {} instead of success{}",
        status_text(*.status),
        body_excerpt(.body)
    )]
    Status {
        /// The HTTP status code.
        status: u16,
        /// The answer's body (capped, with the token redacted).
        body: String,
    },
    /// The webhook or the command did not finish in time (a command is killed).
    #[error("The {what} did not finish within {} and was stopped.", human(*.after))]
    TimedOut {
        /// The time limit that ran out.
        after: Duration,
        /// What timed out, e.g. "webhook POST https://ci.example.com/deploy".
        what: String,
    },
    /// The server could not be reached (connection refused, DNS failure, TLS failure …).
    #[error("Could not reach {url}: {reason}.")]
    Unreachable {
        /// The address that was tried (without credentials or query).
        url: String,
        /// What went wrong, as the system reported it.
        reason: String,
    },
    /// The command exited with a non-zero code or was stopped by a signal.
    #[error("{}{}", exit_text(*.code), last_line(.output))]
    Exited {
        /// The exit code, or `None` when a signal ended the command.
        code: Option<i32>,
        /// The command's combined output (capped like [`Outcome::output`]).
        output: String,
    },
    /// The command could not be started.
    #[error("Could not start `{program}`: {reason}.")]
    Spawn {
        /// The program that was to be run.
        program: String,
        /// Why it could not start.
        reason: String,
    },
    /// The health check never turned healthy.
    #[error("{url} did not report healthy within {}; the last check said: {last}.", human(*.after))]
    Unhealthy {
        /// The health check's address (without credentials or query).
        url: String,
        /// How long the checks were given.
        after: Duration,
        /// The last poll's status or error.
        last: String,
    },
    /// The action was cancelled through its [`Cancel`] handle.
    #[error("The deploy was cancelled.")]
    Cancelled,
    /// The address is not an http(s) URL with a host; refused before any network traffic.
    #[error("`{url}` is not a usable web address: {reason}.")]
    BadUrl {
        /// The address as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Another part of the action's settings is unusable (an HTTP method, a header, an empty
    /// command line); refused before any IO.
    #[error("The {what} is not valid: {reason}.")]
    Invalid {
        /// Which setting, e.g. "webhook method".
        what: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl DeployError {
    /// Replaces every occurrence of `token` in the error's text with `[redacted]`.
    fn redacted(self, token: Option<&str>) -> Self {
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return self;
        };
        let r = |s: String| redact(&s, Some(token));
        match self {
            Self::Status { status, body } => Self::Status {
                status,
                body: r(body),
            },
            Self::TimedOut { after, what } => Self::TimedOut {
                after,
                what: r(what),
            },
            Self::Unreachable { url, reason } => Self::Unreachable {
                url: r(url),
                reason: r(reason),
            },
            Self::Exited { code, output } => Self::Exited {
                code,
                output: r(output),
            },
            Self::Spawn { program, reason } => Self::Spawn {
                program: r(program),
                reason: r(reason),
            },
            Self::Unhealthy { url, after, last } => Self::Unhealthy {
                url: r(url),
                after,
                last: r(last),
            },
            Self::Cancelled => Self::Cancelled,
            Self::BadUrl { url, reason } => Self::BadUrl {
                url: r(url),
                reason: r(reason),
            },
            Self::Invalid { what, reason } => Self::Invalid {
                what: r(what),
                reason: r(reason),
            },
        }
    }
}

/// A cheap, clonable cancellation handle. Cancelling kills a running command (and its process
/// group) and aborts a running request or health poll; the action then fails with
/// [`DeployError::Cancelled`]. Once cancelled, a handle stays cancelled.
#[derive(Clone, Default)]
pub struct Cancel(CancellationToken);

impl Cancel {
    /// A fresh handle that is not cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels every action running with this handle (or a clone of it).
    pub fn cancel(&self) {
        self.0.cancel();
    }

    /// Whether [`cancel`](Self::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }

    /// Completes once the handle is cancelled.
    pub async fn cancelled(&self) {
        self.0.cancelled().await;
    }
}

impl fmt::Debug for Cancel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cancel")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

/// `text` with every occurrence of a non-empty `token` replaced by `[redacted]`.
pub(crate) fn redact(text: &str, token: Option<&str>) -> String {
    match token {
        Some(t) if !t.is_empty() && text.contains(t) => text.replace(t, "[redacted]"),
        _ => text.to_owned(),
    }
}

/// "500 Internal Server Error", or just "599" for codes without a reason phrase.
pub(crate) fn status_text(status: u16) -> String {
    match reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// A duration the way a person says it: "300 ms", "4 s", "2 min 5 s".
pub(crate) fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 10_000 && ms % 1000 != 0 {
        format!("{:.1} s", d.as_secs_f64())
    } else if d.as_secs() < 120 {
        format!("{} s", d.as_secs())
    } else if d.as_secs() % 60 == 0 {
        format!("{} min", d.as_secs() / 60)
    } else {
        format!("{} min {} s", d.as_secs() / 60, d.as_secs() % 60)
    }
}

/// At most `max` characters of `s`, with "…" when cut.
fn excerpt(s: &str, max: usize) -> String {
    let s = s.trim();
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

fn body_excerpt(body: &str) -> String {
    let body = excerpt(&body.split_whitespace().collect::<Vec<_>>().join(" "), 300);
    if body.is_empty() {
        " (with an empty answer).".to_owned()
    } else {
        format!(": {body}")
    }
}

fn exit_text(code: Option<i32>) -> String {
    match code {
        Some(code) => format!("The command failed with exit code {code}."),
        None => "The command was stopped by a signal before it finished.".to_owned(),
    }
}

fn last_line(output: &str) -> String {
    match output.lines().rev().map(str::trim).find(|l| !l.is_empty()) {
        Some(line) => format!(" Its last output was: {}", excerpt(line, 200)),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human(Duration::from_millis(300)), "300 ms");
        assert_eq!(human(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(human(Duration::from_secs(30)), "30 s");
        assert_eq!(human(Duration::from_secs(300)), "5 min");
        assert_eq!(human(Duration::from_secs(125)), "2 min 5 s");
    }

    #[test]
    fn messages_are_sentences() {
        let e = DeployError::Status {
            status: 500,
            body: "boom\n".into(),
        };
        assert_eq!(
            e.to_string(),
            "The deploy webhook answered 500 Internal Server Error instead of success: boom"
        );
        let e = DeployError::Exited {
            code: Some(3),
            output: "a\nfailed here\n".into(),
        };
        assert_eq!(
            e.to_string(),
            "The command failed with exit code 3. Its last output was: failed here"
        );
        let e = DeployError::TimedOut {
            after: Duration::from_millis(300),
            what: "command `sleep`".into(),
        };
        assert_eq!(
            e.to_string(),
            "The command `sleep` did not finish within 300 ms and was stopped."
        );
    }

    #[test]
    fn redaction_ignores_empty_tokens() {
        assert_eq!(redact("abc", Some("")), "abc");
        assert_eq!(redact("xSECRETy", Some("SECRET")), "x[redacted]y");
        let e = DeployError::Unreachable {
            url: "u".into(),
            reason: "SECRET".into(),
        }
        .redacted(Some("SECRET"));
        assert!(!e.to_string().contains("SECRET"));
    }

    #[test]
    fn cancel_is_shared_between_clones() {
        let a = Cancel::new();
        let b = a.clone();
        assert!(!b.is_cancelled());
        a.cancel();
        assert!(b.is_cancelled());
    }
}
