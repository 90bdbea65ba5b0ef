//! Webhook posts to the loopback HTTP sink.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use slipway_notify::sink::{Fault, HttpSink, SmtpSink};
use slipway_notify::{
    check_webhook_url, signature, slack_body, teams_body, Http, NotifyError, Post,
};

/// The secret part of a Slack-style URL, which must never be shown.
const SECRET_PATH: &str = "/services/T000/B000/CANARYxyz";

fn post(url: String) -> Post {
    Post {
        url,
        body: slack_body("*3 changes* reached staging"),
        idempotency_key: "delivery-1".into(),
        signing_secret: None,
        timeout: Duration::from_secs(5),
        now_unix: 1_700_000_000,
    }
}

/// Checks that neither the error's message nor its `Debug` form reveals the URL's path.
fn assert_hides_path(err: &NotifyError) {
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains("CANARY"), "{shown}");
        assert!(!shown.contains("/services"), "{shown}");
    }
}

#[test]
fn slack_body_is_a_text_object() {
    let body: serde_json::Value =
        serde_json::from_str(&slack_body("a \"quoted\" *word*\n")).unwrap();
    assert_eq!(body, serde_json::json!({ "text": "a \"quoted\" *word*\n" }));
}

#[test]
fn teams_body_is_an_adaptive_card() {
    let body: serde_json::Value = serde_json::from_str(&teams_body("**Held**: prod")).unwrap();
    assert_eq!(body["type"], "message");
    let attachments = body["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 1);
    assert_eq!(
        attachments[0]["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    let card = &attachments[0]["content"];
    assert_eq!(
        card["$schema"],
        "http://adaptivecards.io/schemas/adaptive-card.json"
    );
    assert_eq!(card["type"], "AdaptiveCard");
    assert_eq!(card["version"], "1.4");
    assert_eq!(
        card["body"],
        serde_json::json!([{ "type": "TextBlock", "text": "**Held**: prod", "wrap": true }])
    );
}

#[test]
fn webhook_urls_must_be_http_with_a_host() {
    for url in [
        "http://hooks.example.com/x",
        "https://hooks.slack.com/services/T/B/K",
        "https://127.0.0.1:8443/hook?sig=abc",
        " https://example.com ",
    ] {
        assert!(check_webhook_url(url).is_ok(), "{url}");
    }
    for (url, words) in [
        ("ftp://hooks.example.com/x", "not ftp:"),
        ("file:///etc/passwd", "not file:"),
        ("javascript:alert(1)", "not javascript:"),
        ("hooks.slack.com/x", "must start with http:// or https://"),
        ("http://", "has no host name"),
        ("", "must start with http:// or https://"),
    ] {
        let err = check_webhook_url(url).unwrap_err();
        assert!(matches!(err, NotifyError::Invalid(_)), "{url}: {err:?}");
        assert!(err.permanent());
        let text = err.to_string();
        assert!(text.starts_with("the webhook address "), "{url}: {text}");
        assert!(text.contains(words), "{url}: {text}");
    }
    let err = check_webhook_url("ftp://h.example/x?token=SECRET").unwrap_err();
    assert!(!err.to_string().contains("SECRET"), "{err}");
}

#[tokio::test]
async fn a_post_carries_the_body_and_headers() {
    let sink = HttpSink::start().await;
    let http = Http::new();
    http.post(&post(sink.url(SECRET_PATH))).await.unwrap();

    let received = sink.received();
    assert_eq!(received.len(), 1);
    let got = &received[0];
    assert_eq!(got.path, SECRET_PATH);
    assert_eq!(got.body, slack_body("*3 changes* reached staging"));
    assert_eq!(got.header("Content-Type"), Some("application/json"));
    assert_eq!(got.header("idempotency-key"), Some("delivery-1"));
    assert_eq!(got.header("user-agent"), Some("slipway"));
    assert_eq!(got.header("x-slipway-signature"), None);
    assert_eq!(got.header("x-slipway-timestamp"), None);
    assert!(got
        .headers
        .iter()
        .all(|(n, _)| *n == n.to_ascii_lowercase()));
    assert_eq!(sink.attempts(), 1);
}

#[tokio::test]
async fn a_signed_post_can_be_verified() {
    let sink = HttpSink::start().await;
    let http = Http::new();
    let mut signed = post(sink.url("/hook"));
    signed.body = teams_body("Übersicht — 3 changes");
    signed.signing_secret = Some("whsec-test".into());
    http.post(&signed).await.unwrap();

    let got = &sink.received()[0];
    let timestamp = got.header("x-slipway-timestamp").unwrap();
    assert_eq!(timestamp, "1700000000");
    let sent = got.header("x-slipway-signature").unwrap();
    assert_eq!(sent, signature("whsec-test", 1_700_000_000, &got.body));

    // Recompute as a receiver would.
    let mut mac = Hmac::<Sha256>::new_from_slice(b"whsec-test").unwrap();
    mac.update(format!("{timestamp}.{}", got.body).as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(sent, format!("sha256={expected}"));
    let hex = sent.strip_prefix("sha256=").unwrap();
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let mut verifier = Hmac::<Sha256>::new_from_slice(b"whsec-test").unwrap();
    verifier.update(format!("{timestamp}.{}", got.body).as_bytes());
    verifier.verify_slice(&bytes).unwrap();
}

#[tokio::test]
async fn a_server_error_is_not_permanent_and_hides_the_path() {
    let sink = HttpSink::start().await;
    sink.fail_next(1, Fault::Status(500));
    let http = Http::new();
    let err = http.post(&post(sink.url(SECRET_PATH))).await.unwrap_err();
    match &err {
        NotifyError::Status { code, host, body } => {
            assert_eq!(*code, 500);
            assert_eq!(host, &format!("http://127.0.0.1:{}", sink.port()));
            assert_eq!(body, "injected fault");
        }
        other => panic!("expected Status, got {other:?}"),
    }
    assert!(!err.permanent());
    assert_eq!(
        err.to_string(),
        format!(
            "the webhook at http://127.0.0.1:{} answered 500 Internal Server Error: injected fault",
            sink.port()
        )
    );
    assert_hides_path(&err);
    assert!(sink.received().is_empty());
    assert_eq!(sink.attempts(), 1);
}

#[tokio::test]
async fn client_errors_are_permanent_except_retryable_ones() {
    let sink = HttpSink::start().await;
    let http = Http::new();
    for (code, permanent) in [
        (400, true),
        (404, true),
        (408, false),
        (429, false),
        (503, false),
    ] {
        sink.fail_next(1, Fault::Status(code));
        let err = http.post(&post(sink.url(SECRET_PATH))).await.unwrap_err();
        assert!(matches!(err, NotifyError::Status { code: c, .. } if c == code));
        assert_eq!(err.permanent(), permanent, "{code}");
        assert_hides_path(&err);
    }
    // A 2xx other than 200 is success.
    sink.fail_next(1, Fault::Status(204));
    http.post(&post(sink.url(SECRET_PATH))).await.unwrap();
    assert_eq!(sink.received().len(), 1);
}

#[tokio::test]
async fn a_hung_server_times_out_quickly() {
    let sink = HttpSink::start().await;
    sink.fail_next(1, Fault::Hang(Duration::from_secs(5)));
    let http = Http::new();
    let mut hung = post(sink.url(SECRET_PATH));
    hung.timeout = Duration::from_millis(300);
    let started = Instant::now();
    let err = http.post(&hung).await.unwrap_err();
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(250), "{took:?}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    match &err {
        NotifyError::TimedOut { after, host } => {
            assert_eq!(*after, Duration::from_millis(300));
            assert_eq!(host, &format!("http://127.0.0.1:{}", sink.port()));
        }
        other => panic!("expected TimedOut, got {other:?}"),
    }
    assert!(!err.permanent());
    assert_eq!(
        err.to_string(),
        format!(
            "no answer from http://127.0.0.1:{} within 300 ms",
            sink.port()
        )
    );
    assert_hides_path(&err);
    assert!(sink.received().is_empty());

    // The next request is answered normally.
    http.post(&post(sink.url(SECRET_PATH))).await.unwrap();
    assert_eq!(sink.received().len(), 1);
}

#[tokio::test]
async fn a_slow_answer_within_the_limit_is_success() {
    let sink = HttpSink::start().await;
    sink.fail_next(1, Fault::Slow(Duration::from_millis(100)));
    let http = Http::new();
    let mut slow = post(sink.url("/hook"));
    slow.timeout = Duration::from_millis(2000);
    let started = Instant::now();
    http.post(&slow).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(100));
    assert_eq!(sink.received().len(), 1);
}

#[tokio::test]
async fn a_down_sink_is_unreachable_until_it_is_back() {
    let sink = HttpSink::start().await;
    let http = Http::new();
    let url = sink.url(SECRET_PATH);
    // A kept-alive connection exists before the sink goes down.
    http.post(&post(url.clone())).await.unwrap();

    sink.set_down(true);
    let err = http.post(&post(url.clone())).await.unwrap_err();
    match &err {
        NotifyError::Unreachable { host, .. } => {
            assert_eq!(host, &format!("http://127.0.0.1:{}", sink.port()));
        }
        other => panic!("expected Unreachable, got {other:?}"),
    }
    assert!(!err.permanent());
    assert_hides_path(&err);
    // A fresh connection is refused outright.
    let err = Http::new().post(&post(url.clone())).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "could not reach http://127.0.0.1:{} (connection refused)",
            sink.port()
        )
    );

    sink.set_down(false);
    http.post(&post(url.clone())).await.unwrap();
    assert_eq!(sink.received().len(), 2);
}

#[tokio::test]
async fn dropping_the_sinks_stops_them() {
    let sink = HttpSink::start().await;
    let url = sink.url(SECRET_PATH);
    let http = Http::new();
    http.post(&post(url.clone())).await.unwrap();
    drop(sink);
    let err = http.post(&post(url)).await.unwrap_err();
    assert!(
        matches!(err, NotifyError::Unreachable { .. }),
        "expected Unreachable, got {err:?}"
    );

    let smtp = SmtpSink::start();
    let port = smtp.port();
    drop(smtp);
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}

#[test]
fn post_debug_hides_the_url_and_the_secret() {
    let mut secret = post(format!("https://hooks.slack.com{SECRET_PATH}?sig=CANARYq"));
    secret.signing_secret = Some("whsec-CANARY".into());
    let shown = format!("{secret:?}");
    assert!(!shown.contains("CANARY"), "{shown}");
    assert!(!shown.contains("/services"), "{shown}");
    assert!(shown.contains("https://hooks.slack.com:443"), "{shown}");
    assert!(shown.contains("signing_secret: Some(redacted)"), "{shown}");
}

#[tokio::test]
async fn retried_deliveries_are_recorded_as_they_come() {
    let sink = HttpSink::start().await;
    let http = Http::new();
    for key in ["a", "b", "a", "c", "a"] {
        let mut p = post(sink.url("/hook"));
        p.idempotency_key = key.into();
        http.post(&p).await.unwrap();
    }
    let received = sink.received();
    assert_eq!(received.len(), 5);
    let keys: HashSet<_> = received
        .iter()
        .filter_map(|r| r.header("idempotency-key"))
        .collect();
    assert_eq!(keys.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sink_keeps_up_with_many_deliveries() {
    let sink = HttpSink::start().await;
    let http = Http::new();
    let url = sink.url("/bench");
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..8 {
        let http = http.clone();
        let url = url.clone();
        tasks.spawn(async move {
            for i in 0..250 {
                let mut p = post(url.clone());
                p.idempotency_key = format!("w{worker}-{i}");
                http.post(&p).await.unwrap();
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    let took = started.elapsed();
    assert_eq!(sink.received().len(), 2000);
    assert_eq!(sink.attempts(), 2000);
    // Generous: a debug build on two busy cores still does far better.
    assert!(took < Duration::from_secs(10), "2,000 posts took {took:?}");
}
