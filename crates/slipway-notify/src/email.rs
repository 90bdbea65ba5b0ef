//! Email over SMTP.

use std::error::Error as _;
use std::fmt;
use std::time::Duration;

use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sha2::{Digest, Sha256};

use crate::{network_reason, NotifyError, Redacted};

/// How the connection to the SMTP server is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TlsMode {
    /// Plain text, no TLS at all. Only for a relay on the same machine or a trusted network.
    None,
    /// Plain text first, then upgraded with `STARTTLS` (usually port 587). The upgrade is
    /// required: a server that does not offer it is not sent anything.
    StartTls,
    /// TLS from the first byte ("implicit TLS", usually port 465).
    Tls,
}

impl TlsMode {
    /// Every mode, in order.
    pub const ALL: &'static [TlsMode] = &[TlsMode::None, TlsMode::StartTls, TlsMode::Tls];

    /// The stable lower-case name: "none", "starttls" or "tls".
    pub fn as_str(self) -> &'static str {
        match self {
            TlsMode::None => "none",
            TlsMode::StartTls => "starttls",
            TlsMode::Tls => "tls",
        }
    }

    /// Reads a name back (any case, surrounding spaces ignored); `None` for a word that is not
    /// one of "none", "starttls" or "tls".
    pub fn parse(word: &str) -> Option<TlsMode> {
        match word.trim().to_ascii_lowercase().as_str() {
            "none" => Some(TlsMode::None),
            "starttls" => Some(TlsMode::StartTls),
            "tls" => Some(TlsMode::Tls),
            _ => None,
        }
    }
}

impl fmt::Display for TlsMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An SMTP server to send through.
#[derive(Clone)]
pub struct Smtp {
    /// The server's host name or IP address.
    pub host: String,
    /// The server's port, e.g. 25, 465 or 587.
    pub port: u16,
    /// How the connection is secured.
    pub tls: TlsMode,
    /// The login; without one, no `AUTH` is attempted.
    pub username: Option<String>,
    /// The password for [`username`](Self::username). Never logged or shown.
    pub password: Option<String>,
    /// The sender: an address, or a name with an address ("Slipway <slipway@example.com>").
    pub from: String,
    /// How long one whole delivery (connecting, TLS, login, sending) may take.
    pub timeout: Duration,
}

impl fmt::Debug for Smtp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Smtp")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| Redacted))
            .field("from", &self.from)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// One email to one recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    /// The recipient's address, e.g. "ana@example.com".
    pub to: String,
    /// The recipient's name, shown by mail programs beside the address.
    pub to_name: Option<String>,
    /// The subject line (any Unicode; encoded as the standard requires).
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
    /// The delivery's key: sent as `Idempotency-Key` and as the `Message-ID`
    /// `<{idempotency_key}@slipway>`, so a retried delivery carries the same ID and mail
    /// systems can drop the duplicate. Letters, digits and ``.!#$%&'*+-/=?^_`{|}~`` only.
    pub idempotency_key: String,
    /// What the mail is about (e.g. a change request's ID); mails with the same thread share
    /// `References` and `In-Reply-To` headers (see [`thread_message_id`]) and so are shown as
    /// one conversation. Empty for no threading headers.
    pub thread: String,
}

/// The message ID that stands for a thread, `<token@slipway>`: the value of an email's
/// `References` and `In-Reply-To` headers.
///
/// The token is `thread` itself when that is already safe in a message ID (letters, digits and
/// `-`, in dot-separated parts, at most 64 characters). Otherwise every other character becomes
/// a dot, and a dot and the first 16 hex digits of the thread's SHA-256 are added, so that
/// two threads that differ only in such characters stay apart.
pub fn thread_message_id(thread: &str) -> String {
    format!("<{}@slipway>", thread_token(thread))
}

fn thread_token(thread: &str) -> String {
    let safe_part = |part: &str| {
        !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if thread.len() <= 64 && thread.split('.').all(safe_part) {
        return thread.to_owned();
    }
    let mut token = String::new();
    for c in thread.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            token.push(c);
        } else if !token.is_empty() && !token.ends_with('.') {
            token.push('.');
        }
        if token.len() >= 40 {
            break;
        }
    }
    let token = token.trim_end_matches('.');
    let digest = Sha256::digest(thread.as_bytes());
    let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    if token.is_empty() {
        hash
    } else {
        format!("{token}.{hash}")
    }
}

/// `Idempotency-Key`, a header lettre does not know.
#[derive(Clone)]
struct IdempotencyKey(String);

impl Header for IdempotencyKey {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Idempotency-Key")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(IdempotencyKey(s.trim().to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// Sends `email` through `smtp`, one connection per call. `Ok` means the server accepted the
/// message for delivery.
///
/// Addresses and the idempotency key are checked before connecting
/// ([`NotifyError::Invalid`]). A refusal by the server is [`NotifyError::Smtp`], permanent for
/// a 5xx reply; no answer within [`Smtp::timeout`] is [`NotifyError::TimedOut`]; a server that
/// cannot be reached is [`NotifyError::Unreachable`].
pub async fn send_email(smtp: &Smtp, email: &Email) -> Result<(), NotifyError> {
    let server = server_name(smtp);
    let message = build_message(smtp, email)?;
    let transport = transport(smtp, &server)?;
    tracing::info!(server = %server, tls = %smtp.tls, key = %email.idempotency_key, "sending email");
    let sent = tokio::time::timeout(smtp.timeout, transport.send(message)).await;
    let result = match sent {
        Err(_) => Err(NotifyError::TimedOut {
            after: smtp.timeout,
            host: server.clone(),
        }),
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(smtp_error(&e, smtp, &server)),
    };
    match &result {
        Ok(()) => tracing::info!(server = %server, key = %email.idempotency_key, "email accepted"),
        Err(e) => {
            tracing::warn!(server = %server, key = %email.idempotency_key, error = %e, "email not sent")
        }
    }
    result
}

/// `host:port`, with an IPv6 address in brackets.
fn server_name(smtp: &Smtp) -> String {
    let host = smtp.host.trim();
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{}", smtp.port)
    } else {
        format!("{host}:{}", smtp.port)
    }
}

fn build_message(smtp: &Smtp, email: &Email) -> Result<Message, NotifyError> {
    let from: Mailbox = smtp.from.trim().parse().map_err(|_| {
        NotifyError::Invalid(format!(
            "the sender address `{}` is not a valid email address",
            smtp.from.trim()
        ))
    })?;
    let to_address: Address = email.to.trim().parse().map_err(|_| {
        NotifyError::Invalid(format!(
            "the recipient address `{}` is not a valid email address",
            email.to.trim()
        ))
    })?;
    let to_name = email
        .to_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    let key = email.idempotency_key.trim();
    check_key(key)?;

    let mut builder = Message::builder()
        .from(from)
        .to(Mailbox::new(to_name, to_address))
        .subject(email.subject.clone())
        .message_id(Some(format!("<{key}@slipway>")))
        .header(IdempotencyKey(key.to_owned()));
    if !email.thread.trim().is_empty() {
        let thread = thread_message_id(email.thread.trim());
        builder = builder.in_reply_to(thread.clone()).references(thread);
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            email.text.clone(),
            email.html.clone(),
        ))
        .map_err(|e| NotifyError::Invalid(format!("the email could not be put together: {e}")))
}

/// An idempotency key must be usable as the left part of a message ID (RFC 5322 `dot-atom`).
fn check_key(key: &str) -> Result<(), NotifyError> {
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    let ok = !key.is_empty()
        && key.len() <= 200
        && key
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(atext));
    if ok {
        Ok(())
    } else {
        Err(NotifyError::Invalid(
            "the idempotency key cannot be used in a Message-ID: it must be 1 to 200 letters, \
             digits or .!#$%&'*+-/=?^_`{|}~ characters, with no dot at either end or two in a row"
                .to_owned(),
        ))
    }
}

fn transport(smtp: &Smtp, server: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, NotifyError> {
    let host = smtp.host.trim();
    if host.is_empty() {
        return Err(NotifyError::Invalid(
            "the SMTP server has no host name".to_owned(),
        ));
    }
    if smtp.port == 0 {
        return Err(NotifyError::Invalid(format!(
            "the SMTP server {host} has no port (0 is not one)"
        )));
    }
    if smtp.timeout.is_zero() {
        return Err(NotifyError::Invalid(
            "the SMTP time limit must be longer than zero".to_owned(),
        ));
    }
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let tls_parameters = || {
        TlsParameters::new(host.to_owned()).map_err(|e| NotifyError::Unreachable {
            host: server.to_owned(),
            reason: format!("TLS could not be set up: {}", network_reason(&e)),
        })
    };
    let tls = match smtp.tls {
        TlsMode::None => Tls::None,
        TlsMode::StartTls => Tls::Required(tls_parameters()?),
        TlsMode::Tls => Tls::Wrapper(tls_parameters()?),
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(smtp.port)
        .tls(tls)
        .timeout(Some(smtp.timeout));
    if let Some(username) = smtp.username.as_deref().filter(|u| !u.is_empty()) {
        builder = builder.credentials(Credentials::new(
            username.to_owned(),
            smtp.password.clone().unwrap_or_default(),
        ));
    }
    Ok(builder.build())
}

/// Maps lettre's error to one a release manager can act on. The password is removed from any
/// text the server sent back.
fn smtp_error(e: &lettre::transport::smtp::Error, smtp: &Smtp, server: &str) -> NotifyError {
    let scrub = |text: String| match smtp.password.as_deref().filter(|p| !p.is_empty()) {
        Some(password) => text.replace(password, "[redacted]"),
        None => text,
    };
    if let Some(code) = e.status() {
        let text = e.source().map(|s| s.to_string()).unwrap_or_default();
        let reply = scrub(format!("{code} {}", text.trim()).trim().to_owned());
        let code = code.to_string();
        let permanent = e.is_permanent();
        let message = if matches!(code.as_str(), "534" | "535") {
            format!("the SMTP server at {server} refused the login: {reply}")
        } else if permanent {
            format!("the SMTP server at {server} refused the message: {reply}")
        } else {
            format!("the SMTP server at {server} cannot take the message right now: {reply}")
        };
        NotifyError::Smtp { permanent, message }
    } else if e.is_timeout() {
        NotifyError::TimedOut {
            after: smtp.timeout,
            host: server.to_owned(),
        }
    } else if e.is_tls() {
        NotifyError::Unreachable {
            host: server.to_owned(),
            reason: scrub(match network_reason(e) {
                reason if reason.starts_with("the TLS handshake failed") => reason,
                reason => format!("the TLS handshake failed: {reason}"),
            }),
        }
    } else if e.is_client() {
        // For example: STARTTLS required but not offered, or no login method in common.
        NotifyError::Smtp {
            permanent: true,
            message: scrub(format!(
                "the SMTP server at {server} cannot be used with these settings: {}",
                network_reason(e)
            )),
        }
    } else if e.is_response() {
        NotifyError::Smtp {
            permanent: false,
            message: scrub(format!(
                "the SMTP server at {server} sent an answer that could not be read: {}",
                network_reason(e)
            )),
        }
    } else {
        NotifyError::Unreachable {
            host: server.to_owned(),
            reason: scrub(network_reason(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_mode_round_trips() {
        for mode in TlsMode::ALL {
            assert_eq!(TlsMode::parse(mode.as_str()), Some(*mode));
        }
        assert_eq!(TlsMode::parse(" StartTLS "), Some(TlsMode::StartTls));
        assert_eq!(TlsMode::parse("ssl"), None);
    }

    #[test]
    fn debug_hides_the_password() {
        let smtp = Smtp {
            host: "smtp.example.com".into(),
            port: 587,
            tls: TlsMode::StartTls,
            username: Some("bot".into()),
            password: Some("hunter2".into()),
            from: "bot@example.com".into(),
            timeout: Duration::from_secs(10),
        };
        let shown = format!("{smtp:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("password: Some(redacted)"), "{shown}");
    }

    #[test]
    fn thread_tokens_are_header_safe() {
        assert_eq!(thread_message_id("cr-42"), "<cr-42@slipway>");
        assert_eq!(
            thread_message_id("release.2024-06"),
            "<release.2024-06@slipway>"
        );
        let odd = thread_token("CR #42 / Übersicht");
        assert!(odd.starts_with("CR.42."), "{odd}");
        assert!(
            odd.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-'),
            "{odd}"
        );
        assert_ne!(thread_token("a/b"), thread_token("a:b"));
        assert_eq!(thread_token("///").len(), 16);
        assert!(thread_token(&"x".repeat(500)).len() <= 40 + 17);
    }

    #[test]
    fn keys_must_fit_a_message_id() {
        assert!(check_key("3f9a0c-delivery.7").is_ok());
        assert!(check_key("").is_err());
        assert!(check_key("a b").is_err());
        assert!(check_key("a..b").is_err());
        assert!(check_key("<a>").is_err());
        assert!(check_key(".a").is_err());
    }
}
