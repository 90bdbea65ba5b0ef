//! Slack, Teams and generic webhooks over HTTP(S).

use std::fmt;
use std::time::Duration;

use hmac::{Hmac, Mac};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::{redirect, Client, Response};
use sha2::Sha256;
use url::Url;

use crate::{network_reason, NotifyError, Redacted};

/// How much of a non-2xx answer's body is kept for the error message, in characters.
const BODY_EXCERPT: usize = 200;

/// How much of an answer's body is read at most; the rest is left unread.
const READ_CAP: usize = 64 * 1024;

/// An HTTP client for webhook deliveries. Connections are pooled and kept alive, so keep one
/// `Http` and reuse it for every delivery (it is cheap to clone; clones share the pool).
#[derive(Clone)]
pub struct Http {
    /// The client, or why it could not be built (then every post fails with that reason).
    client: Result<Client, String>,
}

impl Http {
    /// A client that sends `User-Agent: slipway` and never follows redirects (a 3xx answer is
    /// reported as a status error).
    pub fn new() -> Http {
        let client = Client::builder()
            .redirect(redirect::Policy::none())
            .user_agent("slipway")
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| network_reason(&e.without_url()));
        Http { client }
    }

    /// Posts `post.body` as JSON to `post.url`, once. Any 2xx answer is `Ok`.
    ///
    /// Sends `Content-Type: application/json`, `Idempotency-Key`, and with a signing secret
    /// `X-Slipway-Timestamp` and `X-Slipway-Signature` (see [`signature`]). A non-2xx answer is
    /// [`NotifyError::Status`]; no complete answer within [`Post::timeout`] is
    /// [`NotifyError::TimedOut`]; a refused, reset or unresolvable connection is
    /// [`NotifyError::Unreachable`]. No error and no log line contains the URL's path or query.
    pub async fn post(&self, post: &Post) -> Result<(), NotifyError> {
        let url = parse_url(&post.url)?;
        let shown = origin(&url);
        if post.timeout.is_zero() {
            return Err(NotifyError::Invalid(
                "the webhook time limit must be longer than zero".to_owned(),
            ));
        }
        let headers = headers(post)?;
        let client = self
            .client
            .as_ref()
            .map_err(|reason| NotifyError::Unreachable {
                host: shown.clone(),
                reason: format!("the HTTP client could not be set up: {reason}"),
            })?;
        let request = client
            .post(url)
            .headers(headers)
            .body(post.body.clone())
            .timeout(post.timeout);
        tracing::debug!(host = %shown, key = %post.idempotency_key, "posting notification");

        let exchange = async {
            let response = request.send().await?;
            let code = response.status().as_u16();
            let body = read_body(response, (200..300).contains(&code)).await?;
            Ok::<_, reqwest::Error>((code, body))
        };
        let result = match tokio::time::timeout(post.timeout, exchange).await {
            Err(_) => Err(NotifyError::TimedOut {
                after: post.timeout,
                host: shown.clone(),
            }),
            Ok(Err(e)) => Err(request_error(e, post, &shown)),
            Ok(Ok((code, _))) if (200..300).contains(&code) => Ok(()),
            Ok(Ok((code, body))) => Err(NotifyError::Status {
                host: shown.clone(),
                code,
                body,
            }),
        };
        match &result {
            Ok(()) => {
                tracing::debug!(host = %shown, key = %post.idempotency_key, "notification posted")
            }
            Err(e) => {
                tracing::warn!(host = %shown, key = %post.idempotency_key, error = %e, "notification not posted")
            }
        }
        result
    }
}

impl Default for Http {
    fn default() -> Self {
        Http::new()
    }
}

impl fmt::Debug for Http {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Http")
            .field("ready", &self.client.is_ok())
            .finish_non_exhaustive()
    }
}

/// One webhook delivery.
#[derive(Clone)]
pub struct Post {
    /// An `http://` or `https://` address. Treated as a secret: only its `scheme://host:port`
    /// is ever shown.
    pub url: String,
    /// The JSON body, e.g. from [`slack_body`] or [`teams_body`].
    pub body: String,
    /// Sent as the `Idempotency-Key` header, so a receiver can drop a retried duplicate.
    pub idempotency_key: String,
    /// When set (and not empty), the body is signed: see [`signature`]. Never shown.
    pub signing_secret: Option<String>,
    /// How long the whole exchange (connecting, sending, reading the answer) may take.
    pub timeout: Duration,
    /// The current time in Unix seconds: sent as `X-Slipway-Timestamp` and signed with the
    /// body, so a receiver can refuse a replayed request.
    pub now_unix: i64,
}

impl fmt::Debug for Post {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = match Url::parse(self.url.trim()) {
            Ok(url) if url.has_host() => format!("{} (path redacted)", origin(&url)),
            _ => "redacted".to_owned(),
        };
        f.debug_struct("Post")
            .field("url", &url)
            .field("body", &format!("{} bytes", self.body.len()))
            .field("idempotency_key", &self.idempotency_key)
            .field(
                "signing_secret",
                &self.signing_secret.as_ref().map(|_| Redacted),
            )
            .field("timeout", &self.timeout)
            .field("now_unix", &self.now_unix)
            .finish()
    }
}

/// The body for a Slack incoming webhook: `{"text": markdown}` (Slack's `mrkdwn`).
pub fn slack_body(markdown: &str) -> String {
    serde_json::json!({ "text": markdown }).to_string()
}

/// The body for a Teams workflow webhook ("Post to a channel when a webhook request is
/// received"): a message with one Adaptive Card (version 1.4) holding `markdown` in a wrapping
/// `TextBlock`.
pub fn teams_body(markdown: &str) -> String {
    serde_json::json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": [{ "type": "TextBlock", "text": markdown, "wrap": true }],
            },
        }],
    })
    .to_string()
}

/// The `X-Slipway-Signature` value: `sha256=` and the lowercase hex HMAC-SHA256, keyed with
/// `secret`, of `"{timestamp}.{body}"`. A receiver recomputes it from the
/// `X-Slipway-Timestamp` header and the raw body, compares in constant time, and refuses old
/// timestamps.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    let digest = mac.finalize().into_bytes();
    let mut out = String::with_capacity(7 + 2 * digest.len());
    out.push_str("sha256=");
    for byte in digest {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// What of `url` may be shown: `scheme://host:port`, never its path or query (which may carry
/// a key); empty when it is not a URL.
pub fn url_origin(url: &str) -> String {
    Url::parse(url).map(|u| origin(&u)).unwrap_or_default()
}

/// The longest webhook URL a channel may have.
const MAX_URL: usize = 2048;

/// Checks that `url` is an `http://` or `https://` address with a host. Used before every post
/// and when a channel's settings are saved. The message never repeats the address.
pub fn check_webhook_url(url: &str) -> Result<(), NotifyError> {
    // (Slack's and Teams' URLs are under 300 characters.)
    parse_url(url).map(drop)
}

fn parse_url(url: &str) -> Result<Url, NotifyError> {
    let invalid = |why: String| NotifyError::Invalid(format!("the webhook address {why}"));
    // The URL parser drops tabs and line breaks without a word: refuse them instead.
    if url.trim().chars().any(char::is_control) {
        return Err(invalid(
            "has a line break or another control character".to_owned(),
        ));
    }
    if url.trim().len() > MAX_URL {
        return Err(invalid(format!("is longer than {MAX_URL} characters")));
    }
    let parsed = Url::parse(url.trim()).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase => {
            invalid("must start with http:// or https://".to_owned())
        }
        url::ParseError::EmptyHost => invalid("has no host name".to_owned()),
        other => invalid(format!("is not a valid address ({other})")),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid(format!(
            "must start with http:// or https://, not {}:",
            parsed.scheme()
        )));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid("has no host name".to_owned()));
    }
    Ok(parsed)
}

/// `scheme://host:port`: all of a webhook URL that may be shown.
fn origin(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

fn headers(post: &Post) -> Result<HeaderMap, NotifyError> {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let key = post.idempotency_key.trim();
    if !key.is_empty() {
        let value = HeaderValue::from_str(key).map_err(|_| {
            NotifyError::Invalid(
                "the idempotency key contains characters an HTTP header cannot carry".to_owned(),
            )
        })?;
        headers.insert(HeaderName::from_static("idempotency-key"), value);
    }
    if let Some(secret) = post.signing_secret.as_deref().filter(|s| !s.is_empty()) {
        let timestamp = HeaderValue::from(post.now_unix);
        // Hex and ASCII only, so always a valid header value.
        let mut signed = HeaderValue::from_str(&signature(secret, post.now_unix, &post.body))
            .map_err(|_| NotifyError::Invalid("the signature could not be sent".to_owned()))?;
        signed.set_sensitive(true);
        headers.insert(HeaderName::from_static("x-slipway-timestamp"), timestamp);
        headers.insert(HeaderName::from_static("x-slipway-signature"), signed);
    }
    Ok(headers)
}

/// Reads the answer's body: for a success only to let the connection be reused, otherwise
/// its first [`BODY_EXCERPT`] characters (trimmed, invalid UTF-8 replaced).
async fn read_body(mut response: Response, success: bool) -> Result<String, reqwest::Error> {
    if success {
        let mut seen = 0;
        while let Some(chunk) = response.chunk().await? {
            seen += chunk.len();
            if seen > READ_CAP {
                break;
            }
        }
        return Ok(String::new());
    }
    let mut raw = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        raw.extend_from_slice(&chunk);
        // Four bytes per character at most.
        if raw.len() >= BODY_EXCERPT * 4 {
            break;
        }
    }
    let text = String::from_utf8_lossy(&raw);
    Ok(text.trim().chars().take(BODY_EXCERPT).collect())
}

/// Maps a request error to the error a release manager should see, without the URL.
fn request_error(e: reqwest::Error, post: &Post, shown: &str) -> NotifyError {
    let e = e.without_url();
    if e.is_timeout() {
        NotifyError::TimedOut {
            after: post.timeout,
            host: shown.to_owned(),
        }
    } else if e.is_builder() {
        NotifyError::Invalid(format!(
            "the webhook request could not be built ({})",
            scrub(&network_reason(&e), &post.url)
        ))
    } else {
        // Refused, reset or closed connections, unknown host names, failed TLS handshakes.
        NotifyError::Unreachable {
            host: shown.to_owned(),
            reason: scrub(&network_reason(&e), &post.url),
        }
    }
}

/// Removes the URL, its path and its query from `text`, should an underlying error quote them.
fn scrub(text: &str, url: &str) -> String {
    let mut text = text.replace(url.trim(), "[redacted]");
    if let Ok(parsed) = Url::parse(url.trim()) {
        if let Some(query) = parsed.query().filter(|q| !q.is_empty()) {
            text = text.replace(query, "[redacted]");
        }
        let path = parsed.path();
        if path.len() > 1 {
            text = text.replace(path, "/[redacted]");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_keeps_only_scheme_host_and_port() {
        let url = Url::parse("https://hooks.slack.com/services/T0/B0/SECRET?x=1").unwrap();
        assert_eq!(origin(&url), "https://hooks.slack.com:443");
        let url = Url::parse("http://[::1]:8080/x").unwrap();
        assert_eq!(origin(&url), "http://[::1]:8080");
    }

    #[test]
    fn scrub_removes_path_and_query() {
        let url = "https://h.example/services/SECRET?sig=KEY";
        let text = scrub("failed for /services/SECRET?sig=KEY", url);
        assert!(!text.contains("SECRET") && !text.contains("KEY"), "{text}");
    }

    #[test]
    fn signature_has_the_documented_shape() {
        let sig = signature("s3cret", 1_700_000_000, "{}");
        assert!(sig.starts_with("sha256="));
        assert_eq!(sig.len(), 7 + 64);
        assert!(sig[7..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    }
}
