//! Loopback servers that record what they receive, for tests and benchmarks (the `sink`
//! feature).
//!
//! - [`HttpSink`]: an HTTP/1.1 server with keep-alive on `127.0.0.1`, running on the caller's
//!   tokio runtime. It records every request it answers with 2xx, and can be told to answer
//!   with an error status, to hang, to answer slowly, or to stop listening altogether.
//! - [`SmtpSink`]: an SMTP server on `127.0.0.1`, on its own threads. It records every
//!   message it accepts, and can be told to refuse recipients with a given reply code.
//!
//! Neither sink removes duplicates: a retried delivery is recorded again, so a test can count
//! both the deliveries and their distinct idempotency keys. Dropping a sink stops it.

mod http;
mod smtp;

pub use http::{Fault, HttpSink, Received};
pub use smtp::{ReceivedMail, SmtpSink};

use std::sync::{Mutex, MutexGuard};

/// Locks `mutex`, also after a panic elsewhere (a sink's state stays usable for the test's
/// assertions).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
