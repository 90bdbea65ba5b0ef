//! Slipway's notify adapter: sends one notification and reports how that went.
//!
//! Two ways out:
//! - **Email** over SMTP ([`send_email`]): a `multipart/alternative` message with a plain-text
//!   and an HTML body, a `Message-ID` made from the delivery's idempotency key, and
//!   `References`/`In-Reply-To` headers that keep one subject's mails in one thread.
//! - **HTTP** ([`Http::post`]): a JSON body posted to a Slack or Teams incoming webhook, or to
//!   any webhook, optionally signed with HMAC-SHA256 ([`signature`]).
//!
//! The crate knows nothing about projects, rules or the outbox: it receives already-rendered
//! text and addresses. Each failure is a [`NotifyError`] whose message is a plain sentence, and
//! [`NotifyError::permanent`] tells whether trying the same delivery again can help.
//!
//! Secrets: an SMTP password and a webhook signing secret never appear in a message, a log line
//! or `Debug` output. A webhook URL counts as a secret too (Slack and Teams URLs carry a key in
//! their path): only its `scheme://host:port` is ever shown.
//!
//! With the `sink` feature, [`sink`] offers loopback HTTP and SMTP servers that record what
//! they receive, for tests.

mod email;
mod webhook;

#[cfg(feature = "sink")]
pub mod sink;

use std::fmt;
use std::time::Duration;

pub use email::{send_email, thread_message_id, Email, Smtp, TlsMode};
pub use webhook::{check_webhook_url, signature, slack_body, teams_body, url_origin, Http, Post};

/// Why a notification was not delivered.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// The webhook answered with a status outside 2xx.
    #[error("the webhook at {host} answered {}{}", status_text(*.code), excerpt(.body))]
    Status {
        /// The webhook's `scheme://host:port` (never its path or query).
        host: String,
        /// The HTTP status code.
        code: u16,
        /// The first 200 characters of the answer's body.
        body: String,
    },
    /// The server did not answer in time.
    #[error("no answer from {host} within {}", human(*.after))]
    TimedOut {
        /// The time limit that ran out.
        after: Duration,
        /// The server: `scheme://host:port` for a webhook, `host:port` for SMTP.
        host: String,
    },
    /// The server could not be reached: connection refused or reset, unknown host name, failed
    /// TLS handshake.
    #[error("could not reach {host} ({reason})")]
    Unreachable {
        /// The server: `scheme://host:port` for a webhook, `host:port` for SMTP.
        host: String,
        /// What went wrong, e.g. "connection refused".
        reason: String,
    },
    /// The SMTP server answered with an error, or could not be used as configured.
    #[error("{message}")]
    Smtp {
        /// `true` when the server rejected the message for good (a 5xx reply) or the settings
        /// cannot work; `false` for a temporary refusal (a 4xx reply).
        permanent: bool,
        /// The whole sentence, with the server's reply, e.g. "the SMTP server at
        /// 127.0.0.1:2525 refused the message: 550 5.1.1 mailbox unavailable".
        message: String,
    },
    /// The notification cannot be sent as given (a bad address, URL or setting); nothing was
    /// sent.
    #[error("{0}")]
    Invalid(String),
}

impl NotifyError {
    /// Whether sending the same notification again is pointless: `true` for invalid input,
    /// HTTP 4xx answers other than 408, 425 and 429, and permanent SMTP rejections (5xx);
    /// `false` for time-outs, unreachable servers, HTTP 5xx (and 3xx), 408, 425 and 429, and
    /// temporary SMTP refusals (4xx).
    pub fn permanent(&self) -> bool {
        match self {
            NotifyError::Invalid(_) => true,
            NotifyError::Status { code, .. } => {
                (400..500).contains(code) && !matches!(code, 408 | 425 | 429)
            }
            NotifyError::Smtp { permanent, .. } => *permanent,
            NotifyError::TimedOut { .. } | NotifyError::Unreachable { .. } => false,
        }
    }
}

/// Shows as `redacted` in `Debug` output, in place of a secret.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("redacted")
    }
}

/// "500 Internal Server Error", or just the number for a code without a standard reason.
fn status_text(code: u16) -> String {
    match reqwest::StatusCode::from_u16(code)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(reason) => format!("{code} {reason}"),
        None => code.to_string(),
    }
}

/// ": <body>" on one line, or nothing for an empty body.
fn excerpt(body: &str) -> String {
    let line = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        String::new()
    } else {
        format!(": {line}")
    }
}

/// A duration for people: "300 ms", "10 s", "1.5 s", "2 min".
fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms % 60_000 == 0 {
        format!("{} min", ms / 60_000)
    } else if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// Words for a network failure, from the most specific error in `e`'s chain: "connection
/// refused", "the host name could not be resolved: …", "the TLS handshake failed: …", and so
/// on.
fn network_reason(e: &(dyn std::error::Error + 'static)) -> String {
    let mut dns = false;
    let mut current = Some(e);
    let mut innermost = e;
    while let Some(err) = current {
        if let Some(tls) = err.downcast_ref::<native_tls::Error>() {
            return tls_reason(&tls.to_string());
        }
        let text = err.to_string();
        if text.starts_with("dns error") || text.contains("failed to lookup address") {
            dns = true;
        }
        if text.contains("connection closed before message completed") {
            return "the server closed the connection before answering".to_owned();
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind;
            let words = match io.kind() {
                ErrorKind::ConnectionRefused => Some("connection refused"),
                ErrorKind::ConnectionReset => Some("the connection was reset"),
                ErrorKind::ConnectionAborted => Some("the connection was aborted"),
                ErrorKind::BrokenPipe | ErrorKind::UnexpectedEof => {
                    Some("the server closed the connection")
                }
                ErrorKind::TimedOut => Some("the connection timed out"),
                ErrorKind::AddrNotAvailable => Some("the address is not available"),
                _ => None,
            };
            if let Some(words) = words {
                return words.to_owned();
            }
        }
        innermost = err;
        current = err.source();
    }
    let text = innermost.to_string();
    if dns {
        format!("the host name could not be resolved: {text}")
    } else {
        text
    }
}

/// Words for a failed TLS handshake, with a hint for the two usual causes.
fn tls_reason(text: &str) -> String {
    if text.contains("wrong version number") || text.contains("packet length too long") {
        "the TLS handshake failed: the server does not speak TLS on this port; it may be a plain or \
         STARTTLS port"
            .to_owned()
    } else if text.contains("certificate verify failed") {
        format!("the TLS handshake failed: the server's certificate is not trusted ({text})")
    } else {
        format!("the TLS handshake failed: {text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human(Duration::from_millis(300)), "300 ms");
        assert_eq!(human(Duration::from_secs(10)), "10 s");
        assert_eq!(human(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(human(Duration::from_secs(120)), "2 min");
    }

    #[test]
    fn permanence_follows_the_status() {
        let status = |code| NotifyError::Status {
            host: "https://h:443".into(),
            code,
            body: String::new(),
        };
        assert!(status(400).permanent());
        assert!(status(404).permanent());
        assert!(!status(408).permanent());
        assert!(!status(425).permanent());
        assert!(!status(429).permanent());
        assert!(!status(500).permanent());
        assert!(!status(503).permanent());
        assert!(NotifyError::Invalid("x".into()).permanent());
        assert!(!NotifyError::TimedOut {
            after: Duration::from_secs(1),
            host: "h:1".into()
        }
        .permanent());
    }

    #[test]
    fn status_message_is_one_line() {
        let e = NotifyError::Status {
            host: "https://hooks.example:443".into(),
            code: 500,
            body: "oops\n  broken ".into(),
        };
        assert_eq!(
            e.to_string(),
            "the webhook at https://hooks.example:443 answered 500 Internal Server Error: oops broken"
        );
    }
}
