//! Webhooks, health checks and URL checks against a real HTTP server on 127.0.0.1.
//!
//! The server is a small hand-written HTTP/1.1 responder on a tokio `TcpListener`: it records
//! every request exactly as received and can answer late, never, or echo what it was sent.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use slipway_deploy::{
    check_url, run_webhook, verify, Cancel, DeployError, HealthCheck, Webhook, OUTPUT_CAP,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const CANARY: &str = "canary-token-7f3a9c0e5b-do-not-leak";

#[derive(Clone, Debug)]
struct Seen {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

enum Reply {
    Answer {
        status: u16,
        body: String,
        delay: Duration,
    },
    Silent,
}

fn answer(status: u16, body: &str) -> Reply {
    Reply::Answer {
        status,
        body: body.to_owned(),
        delay: Duration::ZERO,
    }
}

type Handler = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

struct Server {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let handler: Arc<Handler> = Arc::new(handler);
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (log, handler) = (log.clone(), handler.clone());
            tokio::spawn(async move {
                let _ = respond(stream, &log, &*handler).await;
            });
        }
    });
    Server {
        base: format!("http://{addr}"),
        seen,
    }
}

async fn respond(
    mut stream: TcpStream,
    log: &Mutex<Vec<Seen>>,
    handler: &Handler,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let seen = Seen {
        method,
        target,
        headers,
        body,
    };
    let index = {
        let mut log = log.lock().unwrap();
        log.push(seen.clone());
        log.len() - 1
    };
    match handler(&seen, index) {
        Reply::Silent => tokio::time::sleep(Duration::from_secs(60)).await,
        Reply::Answer {
            status,
            body,
            delay,
        } => {
            tokio::time::sleep(delay).await;
            let response = format!(
                "HTTP/1.1 {status} Whatever\r\nContent-Length: {}\r\n\
                 Content-Type: text/plain\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(response.as_bytes()).await?;
            stream.shutdown().await?;
        }
    }
    Ok(())
}

/// An address where nothing listens: bind an ephemeral port, then let it go.
fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/hook")
}

fn hook(url: String) -> Webhook {
    Webhook {
        method: "POST".into(),
        url,
        headers: vec![],
        body: None,
        token: None,
        idempotency_key: "slipway-deploy-42".into(),
        timeout: Duration::from_secs(5),
    }
}

fn cancel_after(ms: u64) -> Cancel {
    let cancel = Cancel::new();
    let later = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        later.cancel();
    });
    cancel
}

#[tokio::test]
async fn webhook_post_delivers_method_path_headers_and_body() {
    let server = serve(|_, _| answer(202, "queued deploy 17")).await;
    let body = r#"{"environment":"staging","ref":"a1b2c3"}"#;
    let mut hook = hook(server.url("/deploy/web?project=shop"));
    hook.headers = vec![
        ("X-Custom".into(), "yes please".into()),
        ("X-Team".into(), "payments".into()),
    ];
    hook.body = Some(body.into());
    hook.token = Some("tok-123".into());
    let mut lines = Vec::new();
    let outcome = run_webhook(&hook, &Cancel::new(), &mut |l| lines.push(l))
        .await
        .unwrap();

    assert!(
        outcome.output.starts_with("HTTP/1.1 202 Accepted"),
        "{}",
        outcome.output
    );
    assert!(
        outcome.output.ends_with("queued deploy 17"),
        "{}",
        outcome.output
    );
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let req = &seen[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.target, "/deploy/web?project=shop");
    assert_eq!(req.header("idempotency-key"), Some("slipway-deploy-42"));
    assert_eq!(req.header("authorization"), Some("Bearer tok-123"));
    assert_eq!(req.header("x-custom"), Some("yes please"));
    assert_eq!(req.header("x-team"), Some("payments"));
    assert_eq!(req.header("content-type"), Some("application/json"));
    assert_eq!(req.body, body.as_bytes());
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[1].contains("202"), "{lines:?}");
}

#[tokio::test]
async fn webhook_keeps_a_given_content_type_and_sends_none_without_body() {
    let server = serve(|_, _| answer(200, "")).await;
    let mut with_type = hook(server.url("/a"));
    with_type.method = "put".into();
    with_type.headers = vec![("Content-Type".into(), "text/plain".into())];
    with_type.body = Some("plain".into());
    run_webhook(&with_type, &Cancel::new(), &mut |_| {})
        .await
        .unwrap();
    let mut get = hook(server.url("/b"));
    get.method = "GET".into();
    let outcome = run_webhook(&get, &Cancel::new(), &mut |_| {})
        .await
        .unwrap();
    assert_eq!(outcome.output, "HTTP/1.1 200 OK");

    let seen = server.seen();
    assert_eq!(
        (seen[0].method.as_str(), seen[0].header("content-type")),
        ("PUT", Some("text/plain"))
    );
    assert_eq!(
        (seen[1].method.as_str(), seen[1].header("content-type")),
        ("GET", None)
    );
    assert_eq!(seen[1].header("authorization"), None);
}

#[tokio::test]
async fn webhook_500_is_a_status_error_with_the_body() {
    let server = serve(|_, _| answer(500, "database migration failed")).await;
    let err = run_webhook(&hook(server.url("/hook")), &Cancel::new(), &mut |_| {})
        .await
        .unwrap_err();
    match &err {
        DeployError::Status { status, body } => {
            assert_eq!(*status, 500);
            assert_eq!(body, "database migration failed");
        }
        other => panic!("expected Status, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "The deploy webhook answered 500 Internal Server Error instead of success: \
         database migration failed"
    );
}

#[tokio::test]
async fn webhook_that_never_answers_times_out() {
    let server = serve(|_, _| Reply::Silent).await;
    let mut hook = hook(server.url("/hook"));
    hook.timeout = Duration::from_millis(300);
    let started = Instant::now();
    let err = run_webhook(&hook, &Cancel::new(), &mut |_| {})
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(&err, DeployError::TimedOut { after, .. } if *after == Duration::from_millis(300)),
        "{err:?}"
    );
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_secs(2),
        "{took:?}"
    );
    assert!(err.to_string().contains("300 ms"), "{err}");
}

#[tokio::test]
async fn webhook_to_a_dead_port_is_unreachable() {
    let url = dead_url();
    let err = run_webhook(&hook(url.clone()), &Cancel::new(), &mut |_| {})
        .await
        .unwrap_err();
    match &err {
        DeployError::Unreachable { url: shown, reason } => {
            assert_eq!(shown, &url);
            assert!(reason.to_lowercase().contains("refused"), "{reason}");
        }
        other => panic!("expected Unreachable, got {other:?}"),
    }
}

#[tokio::test]
async fn webhook_slow_answer_within_the_timeout_succeeds() {
    let server = serve(|_, _| Reply::Answer {
        status: 200,
        body: "done".into(),
        delay: Duration::from_millis(250),
    })
    .await;
    let mut hook = hook(server.url("/hook"));
    hook.timeout = Duration::from_secs(3);
    let outcome = run_webhook(&hook, &Cancel::new(), &mut |_| {})
        .await
        .unwrap();
    assert_eq!(outcome.output, "HTTP/1.1 200 OK\ndone");
}

#[tokio::test]
async fn webhook_cancelled_during_a_slow_request_stops_promptly() {
    let server = serve(|_, _| Reply::Silent).await;
    let mut hook = hook(server.url("/hook"));
    hook.timeout = Duration::from_secs(30);
    let started = Instant::now();
    let err = run_webhook(&hook, &cancel_after(200), &mut |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, DeployError::Cancelled), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        server.seen().len(),
        1,
        "the request was on its way when cancelled"
    );
}

#[tokio::test]
async fn webhook_already_cancelled_sends_nothing() {
    let server = serve(|_, _| answer(200, "")).await;
    let cancel = Cancel::new();
    cancel.cancel();
    let err = run_webhook(&hook(server.url("/hook")), &cancel, &mut |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, DeployError::Cancelled), "{err:?}");
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn webhook_token_never_appears_in_output_errors_or_lines() {
    let echo = |status: u16| {
        move |req: &Seen, _: usize| {
            answer(
                status,
                &format!("you sent {:?}", req.header("authorization")),
            )
        }
    };
    let mut lines = Vec::new();

    let failing = serve(echo(500)).await;
    let mut hook = hook(failing.url("/hook"));
    hook.token = Some(CANARY.into());
    let err = run_webhook(&hook, &Cancel::new(), &mut |l| lines.push(l))
        .await
        .unwrap_err();
    assert_eq!(
        failing.seen()[0].header("authorization"),
        Some(format!("Bearer {CANARY}").as_str())
    );
    let DeployError::Status { body, .. } = &err else {
        panic!("expected Status, got {err:?}")
    };
    assert!(body.contains("[redacted]"), "{body}");
    for text in [err.to_string(), format!("{err:?}"), body.clone()] {
        assert!(!text.contains(CANARY), "token leaked: {text}");
    }

    let succeeding = serve(echo(200)).await;
    hook.url = succeeding.url("/hook");
    let outcome = run_webhook(&hook, &Cancel::new(), &mut |l| lines.push(l))
        .await
        .unwrap();
    assert!(
        outcome.output.contains("Bearer [redacted]"),
        "{}",
        outcome.output
    );
    assert!(!outcome.output.contains(CANARY));

    // The token in the URL too (someone put it in the query) stays out of errors.
    hook.url = format!("{}?token={CANARY}", dead_url());
    let err = run_webhook(&hook, &Cancel::new(), &mut |l| lines.push(l))
        .await
        .unwrap_err();
    assert!(
        !err.to_string().contains(CANARY) && !format!("{err:?}").contains(CANARY),
        "{err:?}"
    );

    assert!(!format!("{hook:?}").contains(CANARY));
    assert!(lines.iter().all(|l| !l.contains(CANARY)), "{lines:?}");
}

#[tokio::test]
async fn webhook_token_cut_by_the_cap_is_not_shown_in_part() {
    // The token starts 5 bytes before the cap: a naive cut would show "canar".
    let body = format!("{}{CANARY} and more", "a".repeat(OUTPUT_CAP - 5));
    let server = serve(move |_, _| answer(200, &body)).await;
    let mut hook = hook(server.url("/hook"));
    hook.token = Some(CANARY.into());
    let outcome = run_webhook(&hook, &Cancel::new(), &mut |_| {})
        .await
        .unwrap();
    assert!(
        !outcome.output.contains(&CANARY[..5]),
        "partial token leaked"
    );
    assert!(outcome.output.contains("truncated"));
}

#[tokio::test]
async fn webhook_long_answer_is_truncated_with_a_note() {
    let server = serve(|_, _| answer(200, &"x".repeat(200 * 1024))).await;
    let outcome = run_webhook(&hook(server.url("/hook")), &Cancel::new(), &mut |_| {})
        .await
        .unwrap();
    assert!(
        outcome.output.len() <= OUTPUT_CAP + 200,
        "{}",
        outcome.output.len()
    );
    assert!(outcome.output.len() > OUTPUT_CAP);
    assert!(outcome
        .output
        .ends_with("[answer truncated: only the first 64 KiB are shown]"));
}

#[tokio::test]
async fn webhook_refuses_bad_settings_before_any_io() {
    let server = serve(|_, _| answer(200, "")).await;
    let mut bad_method = hook(server.url("/hook"));
    bad_method.method = "DELETE".into();
    let err = run_webhook(&bad_method, &Cancel::new(), &mut |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, DeployError::Invalid { .. }), "{err:?}");

    let mut bad_header = hook(server.url("/hook"));
    bad_header.headers = vec![("X-Ok".into(), "line\nbreak".into())];
    let err = run_webhook(&bad_header, &Cancel::new(), &mut |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, DeployError::Invalid { .. }), "{err:?}");

    let err = run_webhook(
        &hook("file:///etc/passwd".into()),
        &Cancel::new(),
        &mut |_| {},
    )
    .await
    .unwrap_err();
    assert!(matches!(err, DeployError::BadUrl { .. }), "{err:?}");
    assert!(server.seen().is_empty());
}

#[test]
fn check_url_accepts_only_http_and_https_with_a_host() {
    for bad in [
        "file:///etc/passwd",
        "ftp://x",
        "javascript:alert(1)",
        "localhost:80",
        "",
        "http://",
        "/relative/path",
    ] {
        match check_url(bad) {
            Err(DeployError::BadUrl { reason, .. }) => assert!(!reason.is_empty()),
            other => panic!("{bad:?} should be refused, got {other:?}"),
        }
    }
    for good in [
        "http://localhost:8080/health",
        "https://deploy.example.com/hooks/web?x=1",
        "http://127.0.0.1/",
    ] {
        assert!(check_url(good).is_ok(), "{good:?} should be accepted");
    }
    let message = check_url("ftp://x").unwrap_err().to_string();
    assert!(message.contains("only http:// and https://"), "{message}");
}

fn health(url: String) -> HealthCheck {
    HealthCheck {
        url,
        timeout: Duration::from_secs(5),
        interval: Duration::from_millis(50),
        healthy_status: None,
    }
}

#[tokio::test]
async fn verify_succeeds_after_two_503s() {
    let server = serve(|_, i| {
        if i < 2 {
            answer(503, "starting")
        } else {
            answer(200, "ok: v17")
        }
    })
    .await;
    let mut lines = Vec::new();
    let outcome = verify(&health(server.url("/health")), &Cancel::new(), &mut |l| {
        lines.push(l)
    })
    .await
    .unwrap();
    assert_eq!(outcome.output, "HTTP/1.1 200 OK\nok: v17");
    assert_eq!(server.seen().len(), 3);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[0].contains("503") && lines[1].contains("503") && lines[2].contains("200"),
        "{lines:?}"
    );
    assert!(server
        .seen()
        .iter()
        .all(|r| r.method == "GET" && r.target == "/health"));
}

#[tokio::test]
async fn verify_never_healthy_gives_up_within_the_timeout() {
    let server = serve(|_, _| answer(503, "still starting")).await;
    let mut check = health(server.url("/health"));
    check.timeout = Duration::from_millis(600);
    check.interval = Duration::from_millis(100);
    let started = Instant::now();
    let err = verify(&check, &Cancel::new(), &mut |_| {})
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    match &err {
        DeployError::Unhealthy { after, last, .. } => {
            assert_eq!(*after, Duration::from_millis(600));
            assert_eq!(last, "503 Service Unavailable");
        }
        other => panic!("expected Unhealthy, got {other:?}"),
    }
    assert!(server.seen().len() >= 3, "{}", server.seen().len());
}

#[tokio::test]
async fn verify_can_require_one_status() {
    let server = serve(|_, i| {
        if i < 1 {
            answer(200, "")
        } else {
            answer(204, "")
        }
    })
    .await;
    let mut check = health(server.url("/health"));
    check.healthy_status = Some(204);
    let mut lines = Vec::new();
    verify(&check, &Cancel::new(), &mut |l| lines.push(l))
        .await
        .unwrap();
    assert_eq!(lines.len(), 2, "{lines:?}");
}

#[tokio::test]
async fn verify_against_a_dead_port_reports_the_last_error() {
    let mut check = health(dead_url());
    check.timeout = Duration::from_millis(300);
    let err = verify(&check, &Cancel::new(), &mut |_| {})
        .await
        .unwrap_err();
    match &err {
        DeployError::Unhealthy { last, .. } => {
            assert!(last.to_lowercase().contains("refused"), "{last}")
        }
        other => panic!("expected Unhealthy, got {other:?}"),
    }
}

#[tokio::test]
async fn verify_cancelled_stops_promptly() {
    let server = serve(|_, _| answer(503, "")).await;
    let mut check = health(server.url("/health"));
    check.timeout = Duration::from_secs(30);
    check.interval = Duration::from_secs(10);
    let started = Instant::now();
    let err = verify(&check, &cancel_after(200), &mut |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, DeployError::Cancelled), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}
