//! Deploy webhooks and health checks over HTTP(S).

use std::fmt;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{redirect, Client, Method, Response};
use url::Url;

use crate::{human, redact, status_text, Cancel, DeployError, Outcome, OUTPUT_CAP};

/// The longest a single health poll may wait for an answer, so that one hung request does not
/// use up the whole verification time.
const POLL_CAP: Duration = Duration::from_secs(10);

/// A deploy webhook: one HTTP request whose 2xx answer means "deploy started" (or done).
#[derive(Clone)]
pub struct Webhook {
    /// `GET`, `POST`, `PUT` or `PATCH` (any case).
    pub method: String,
    /// An `http://` or `https://` address.
    pub url: String,
    /// Extra request headers, sent as given.
    pub headers: Vec<(String, String)>,
    /// The request body; when given, `Content-Type: application/json` is sent unless
    /// [`headers`](Self::headers) names a content type.
    pub body: Option<String>,
    /// Sent as `Authorization: Bearer <token>`. Never logged; redacted from outcomes, errors
    /// and progress lines.
    pub token: Option<String>,
    /// Sent as the `Idempotency-Key` header so a retried delivery is not deployed twice.
    pub idempotency_key: String,
    /// How long the whole request (connecting, sending, reading the answer) may take.
    pub timeout: Duration,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values and the token may be secrets: show names only.
        let header_names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Webhook")
            .field("method", &self.method)
            .field("url", &display_url(&self.url))
            .field("headers", &header_names)
            .field(
                "body",
                &self.body.as_ref().map(|b| format!("{} bytes", b.len())),
            )
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field("idempotency_key", &self.idempotency_key)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// A health check: `GET url` is repeated until it answers healthy or time runs out.
#[derive(Clone, Debug)]
pub struct HealthCheck {
    /// An `http://` or `https://` address.
    pub url: String,
    /// Give up (with [`DeployError::Unhealthy`]) after this long.
    pub timeout: Duration,
    /// The pause between two polls.
    pub interval: Duration,
    /// The status that means healthy; `None` accepts any 2xx.
    pub healthy_status: Option<u16>,
}

/// Checks that `url` is an `http` or `https` address with a host. Used before any request and
/// when an environment's settings are saved.
pub fn check_url(url: &str) -> Result<(), DeployError> {
    parse_url(url).map(drop)
}

fn parse_url(url: &str) -> Result<Url, DeployError> {
    let bad = |reason: &str| DeployError::BadUrl {
        url: display_url(url),
        reason: reason.to_owned(),
    };
    let parsed = Url::parse(url.trim()).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase => {
            bad("it needs to start with http:// or https://")
        }
        other => bad(&other.to_string()),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad(&format!(
            "only http:// and https:// addresses are allowed, not {}:",
            parsed.scheme()
        )));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad("it has no host name"));
    }
    Ok(parsed)
}

/// `url` fit for logs and messages: without a password or query string. Falls back to the
/// input when it does not parse (it then carries no parsed credentials to strip).
fn display_url(url: &str) -> String {
    match Url::parse(url.trim()) {
        Ok(mut u) if u.has_host() => {
            let _ = u.set_password(None);
            let _ = u.set_username("");
            u.set_query(None);
            u.set_fragment(None);
            u.to_string()
        }
        _ => url.trim().to_owned(),
    }
}

/// Delivers the webhook once. A 2xx answer is `Ok` with the status line and body; any other
/// status is [`DeployError::Status`]. Reports the request and the answer as two lines.
pub async fn run_webhook(
    hook: &Webhook,
    cancel: &Cancel,
    on_line: &mut (dyn FnMut(String) + Send),
) -> Result<Outcome, DeployError> {
    let token = hook.token.as_deref();
    let mut report = |line: String| on_line(redact(&line, token));
    match deliver(hook, cancel, &mut report).await {
        Ok(output) => Ok(Outcome {
            output: redact(&output, token),
        }),
        Err(e) => Err(e.redacted(token)),
    }
}

async fn deliver(
    hook: &Webhook,
    cancel: &Cancel,
    report: &mut (dyn FnMut(String) + Send),
) -> Result<String, DeployError> {
    let url = parse_url(&hook.url)?;
    let method = match hook.method.trim().to_ascii_uppercase().as_str() {
        "GET" => Method::GET,
        "POST" => Method::POST,
        "PUT" => Method::PUT,
        "PATCH" => Method::PATCH,
        other => {
            return Err(DeployError::Invalid {
                what: "webhook method".into(),
                reason: format!("`{other}` is not one of GET, POST, PUT or PATCH"),
            })
        }
    };
    let headers = webhook_headers(hook)?;
    if cancel.is_cancelled() {
        return Err(DeployError::Cancelled);
    }
    let shown = display_url(&hook.url);
    let token = hook.token.as_deref();

    let client = client(redirect::Policy::none(), &shown)?;
    let mut request = client.request(method.clone(), url).headers(headers);
    if let Some(body) = &hook.body {
        request = request.body(body.clone());
    }
    tracing::info!(method = %method, url = %redact(&shown, token), "delivering deploy webhook");
    report(format!("{method} {shown}"));

    let what = format!("webhook {method} {shown}");
    let exchange = async {
        let response = request.send().await?;
        read_capped(response, token).await
    };
    let answer = tokio::select! {
        biased;
        () = cancel.cancelled() => return Err(DeployError::Cancelled),
        () = tokio::time::sleep(hook.timeout) => {
            tracing::warn!(url = %redact(&shown, token), "deploy webhook timed out");
            return Err(DeployError::TimedOut { after: hook.timeout, what });
        }
        answer = exchange => answer.map_err(|e| request_error(e, &shown, hook.timeout, &what))?,
    };
    tracing::info!(url = %redact(&shown, token), status = answer.status, "deploy webhook answered");
    report(format!("answered {}", status_text(answer.status)));
    if (200..300).contains(&answer.status) {
        Ok(answer.output())
    } else {
        Err(DeployError::Status {
            status: answer.status,
            body: answer.body,
        })
    }
}

fn webhook_headers(hook: &Webhook) -> Result<HeaderMap, DeployError> {
    let mut headers = HeaderMap::new();
    for (name, value) in &hook.headers {
        let invalid = |reason: &str| DeployError::Invalid {
            what: format!("webhook header `{}`", name.trim()),
            reason: reason.to_owned(),
        };
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| invalid("the name is not a valid HTTP header name"))?;
        let mut value = HeaderValue::from_str(value.trim())
            .map_err(|_| invalid("the value contains characters HTTP headers cannot carry"))?;
        value.set_sensitive(true);
        headers.append(name, value);
    }
    if hook.body.is_some() && !headers.contains_key(CONTENT_TYPE) {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    if !hook.idempotency_key.is_empty() {
        let key =
            HeaderValue::from_str(&hook.idempotency_key).map_err(|_| DeployError::Invalid {
                what: "idempotency key".into(),
                reason: "it contains characters HTTP headers cannot carry".into(),
            })?;
        headers.insert(HeaderName::from_static("idempotency-key"), key);
    }
    if let Some(token) = hook.token.as_deref().filter(|t| !t.is_empty()) {
        // The token is deliberately kept out of the error message.
        let mut value = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
            DeployError::Invalid {
                what: "webhook token".into(),
                reason: "it contains characters HTTP headers cannot carry".into(),
            }
        })?;
        value.set_sensitive(true);
        headers.insert(AUTHORIZATION, value);
    }
    Ok(headers)
}

/// Polls `check.url` until it answers healthy, reporting each poll as one line. `Ok` carries the
/// healthy answer's status line and body.
pub async fn verify(
    check: &HealthCheck,
    cancel: &Cancel,
    on_line: &mut (dyn FnMut(String) + Send),
) -> Result<Outcome, DeployError> {
    let url = parse_url(&check.url)?;
    if cancel.is_cancelled() {
        return Err(DeployError::Cancelled);
    }
    let shown = display_url(&check.url);
    let client = client(redirect::Policy::limited(5), &shown)?;
    let started = Instant::now();
    let deadline = started + check.timeout;
    let healthy = |status: u16| match check.healthy_status {
        Some(wanted) => status == wanted,
        None => (200..300).contains(&status),
    };
    tracing::info!(url = %shown, "verifying deploy");

    let mut last = String::from("no check could run");
    for poll in 1.. {
        let limit = deadline
            .saturating_duration_since(Instant::now())
            .clamp(Duration::from_millis(1), POLL_CAP);
        let exchange = async {
            let response = client.get(url.clone()).send().await?;
            let status = response.status().as_u16();
            if healthy(status) {
                read_capped(response, None).await
            } else {
                Ok(Answer::status_only(status))
            }
        };
        let result = tokio::select! {
            biased;
            () = cancel.cancelled() => return Err(DeployError::Cancelled),
            result = tokio::time::timeout(limit, exchange) => result,
        };
        match result {
            Ok(Ok(answer)) if healthy(answer.status) => {
                on_line(format!(
                    "check {poll}: {} (healthy)",
                    status_text(answer.status)
                ));
                tracing::info!(url = %shown, poll, "deploy verified");
                return Ok(Outcome {
                    output: answer.output(),
                });
            }
            Ok(Ok(answer)) => {
                last = status_text(answer.status);
                on_line(format!("check {poll}: {last} (not healthy yet)"));
            }
            Ok(Err(e)) => {
                last = match request_error(e, &shown, limit, "health check") {
                    DeployError::Unreachable { reason, .. } => format!("unreachable ({reason})"),
                    other => other.to_string(),
                };
                on_line(format!("check {poll}: {last}"));
            }
            Err(_) => {
                last = format!("no answer within {}", human(limit));
                on_line(format!("check {poll}: {last}"));
            }
        }
        if Instant::now() + check.interval >= deadline {
            break;
        }
        tokio::select! {
            biased;
            () = cancel.cancelled() => return Err(DeployError::Cancelled),
            () = tokio::time::sleep(check.interval) => {}
        }
    }
    tracing::warn!(url = %shown, last = %last, "deploy did not turn healthy");
    Err(DeployError::Unhealthy {
        url: shown,
        after: check.timeout,
        last,
    })
}

fn client(policy: redirect::Policy, shown: &str) -> Result<Client, DeployError> {
    Client::builder()
        .redirect(policy)
        .user_agent(concat!("slipway/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| DeployError::Unreachable {
            url: shown.to_owned(),
            reason: format!("the HTTP client could not be set up ({})", innermost(&e)),
        })
}

/// An HTTP answer: status and body, capped and with the token redacted.
struct Answer {
    status: u16,
    status_line: String,
    body: String,
}

impl Answer {
    fn status_only(status: u16) -> Self {
        Self {
            status,
            status_line: String::new(),
            body: String::new(),
        }
    }

    fn output(&self) -> String {
        if self.body.is_empty() {
            self.status_line.clone()
        } else {
            format!("{}\n{}", self.status_line, self.body)
        }
    }
}

/// Reads at most [`OUTPUT_CAP`] bytes of the body (a little more to find a token cut by the cap),
/// decodes it lossily and redacts `token`.
async fn read_capped(
    mut response: Response,
    token: Option<&str>,
) -> Result<Answer, reqwest::Error> {
    let status = response.status();
    let status_line = format!("{:?} {}", response.version(), status_text(status.as_u16()));
    let token = token.filter(|t| !t.is_empty());
    let want = OUTPUT_CAP + token.map_or(0, str::len);
    let mut raw = Vec::new();
    let mut more = false;
    while let Some(chunk) = response.chunk().await? {
        raw.extend_from_slice(&chunk);
        if raw.len() > want {
            more = true;
            break;
        }
    }
    let truncated = more || raw.len() > OUTPUT_CAP;
    let body = if truncated {
        let mut cut = OUTPUT_CAP;
        if let Some(token) = token {
            // Never keep the first part of a token that the cap would cut in two.
            if let Some(start) = find_spanning(&raw, token.as_bytes(), cut) {
                cut = start;
            }
        }
        let mut text = redact(&String::from_utf8_lossy(&raw[..cut]), token);
        text.push_str("\n[answer truncated: only the first 64 KiB are shown]");
        text
    } else {
        redact(&String::from_utf8_lossy(&raw), token)
    };
    Ok(Answer {
        status: status.as_u16(),
        status_line,
        body,
    })
}

/// The start of an occurrence of `needle` in `hay` that begins before `cut` and ends after it.
fn find_spanning(hay: &[u8], needle: &[u8], cut: usize) -> Option<usize> {
    let first = cut.saturating_sub(needle.len() - 1);
    (first..cut).find(|&start| hay.get(start..start + needle.len()) == Some(needle))
}

/// Maps a request error to the error a release manager should see.
fn request_error(e: reqwest::Error, shown: &str, timeout: Duration, what: &str) -> DeployError {
    if e.is_timeout() {
        DeployError::TimedOut {
            after: timeout,
            what: what.to_owned(),
        }
    } else if e.is_builder() {
        DeployError::BadUrl {
            url: shown.to_owned(),
            reason: innermost(&e),
        }
    } else if e.is_connect() {
        DeployError::Unreachable {
            url: shown.to_owned(),
            reason: innermost(&e),
        }
    } else {
        DeployError::Unreachable {
            url: shown.to_owned(),
            reason: format!("the connection failed ({})", innermost(&e)),
        }
    }
}

/// The most specific message in an error's chain, e.g. "Connection refused (os error 111)".
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut current = e;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_url_hides_credentials_and_query() {
        assert_eq!(
            display_url("https://bob:pw@ci.example.com/hook?token=abc#x"),
            "https://ci.example.com/hook"
        );
        assert_eq!(display_url("not a url"), "not a url");
    }

    #[test]
    fn spanning_token_is_found() {
        let hay = b"xxxxSECRETyy";
        assert_eq!(find_spanning(hay, b"SECRET", 6), Some(4));
        assert_eq!(find_spanning(hay, b"SECRET", 4), None);
        assert_eq!(find_spanning(hay, b"SECRET", 10), None);
    }

    #[test]
    fn webhook_debug_hides_secrets() {
        let hook = Webhook {
            method: "POST".into(),
            url: "https://h/x".into(),
            headers: vec![("X-Key".into(), "hidden-value".into())],
            body: None,
            token: Some("tok-123".into()),
            idempotency_key: "k".into(),
            timeout: Duration::from_secs(1),
        };
        let shown = format!("{hook:?}");
        assert!(
            !shown.contains("tok-123") && !shown.contains("hidden-value"),
            "{shown}"
        );
    }
}
