//! Email through lettre to the loopback SMTP sink.

use std::time::{Duration, Instant};

use mail_parser::MessageParser;
use slipway_notify::sink::SmtpSink;
use slipway_notify::{send_email, thread_message_id, Email, NotifyError, Smtp, TlsMode};

fn smtp(port: u16) -> Smtp {
    Smtp {
        host: "127.0.0.1".into(),
        port,
        tls: TlsMode::None,
        username: None,
        password: None,
        from: "Slipway <slipway@example.com>".into(),
        timeout: Duration::from_secs(5),
    }
}

fn email() -> Email {
    Email {
        to: "ana@example.com".into(),
        to_name: Some("Ana Müller".into()),
        subject: "Übersicht — 3 changes".into(),
        text: "Three changes reached staging.\n.\n..starts with dots\nÄrger? Keiner.".into(),
        html: "<p>Three changes reached <b>staging</b>.</p><p>Ärger? Keiner.</p>".into(),
        idempotency_key: "d41d8cd98f00b204e9800998ecf8427e".into(),
        thread: "CR-42 / payments".into(),
    }
}

#[tokio::test]
async fn a_mail_arrives_with_headers_and_both_bodies() {
    let sink = SmtpSink::start();
    let email = email();
    send_email(&smtp(sink.port()), &email).await.unwrap();

    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    let mail = &messages[0];
    assert_eq!(mail.from, "slipway@example.com");
    assert_eq!(mail.to, vec!["ana@example.com".to_owned()]);
    assert_eq!(mail.user, None, "no login without a username");

    let parsed = MessageParser::default()
        .parse(mail.data.as_bytes())
        .expect("the message parses");
    let from = parsed.from().and_then(|a| a.first()).unwrap();
    assert_eq!(from.address(), Some("slipway@example.com"));
    assert_eq!(from.name(), Some("Slipway"));
    let to = parsed.to().and_then(|a| a.first()).unwrap();
    assert_eq!(to.address(), Some("ana@example.com"));
    assert_eq!(to.name(), Some("Ana Müller"));
    assert_eq!(parsed.subject(), Some("Übersicht — 3 changes"));
    assert_eq!(
        parsed.message_id(),
        Some("d41d8cd98f00b204e9800998ecf8427e@slipway")
    );
    assert_eq!(
        parsed.header_raw("Idempotency-Key").map(str::trim),
        Some("d41d8cd98f00b204e9800998ecf8427e")
    );

    let thread = thread_message_id("CR-42 / payments");
    let thread_id = thread.trim_start_matches('<').trim_end_matches('>');
    assert!(thread_id.starts_with("CR-42.payments."), "{thread}");
    assert_eq!(parsed.in_reply_to().as_text(), Some(thread_id));
    assert_eq!(parsed.references().as_text(), Some(thread_id));
    assert!(mail.data.contains(&format!("In-Reply-To: {thread}\r\n")));
    assert!(mail.data.contains(&format!("References: {thread}\r\n")));

    assert!(mail.data.contains("multipart/alternative"));
    assert_eq!(parsed.text_body_count(), 1);
    assert_eq!(parsed.html_body_count(), 1);
    assert_eq!(
        parsed
            .body_text(0)
            .unwrap()
            .replace("\r\n", "\n")
            .trim_end(),
        email.text
    );
    assert_eq!(
        parsed
            .body_html(0)
            .unwrap()
            .replace("\r\n", "\n")
            .trim_end(),
        email.html
    );
    let lower = mail.data.to_ascii_lowercase();
    assert!(lower.contains("content-type: text/plain; charset=utf-8"));
    assert!(lower.contains("content-type: text/html; charset=utf-8"));
}

#[tokio::test]
async fn the_same_thread_gives_the_same_references() {
    let sink = SmtpSink::start();
    let mut first = email();
    first.thread = "cr-7".into();
    let mut second = first.clone();
    second.idempotency_key = "second-delivery".into();
    let mut unthreaded = first.clone();
    unthreaded.idempotency_key = "third-delivery".into();
    unthreaded.thread = String::new();
    for mail in [&first, &second, &unthreaded] {
        send_email(&smtp(sink.port()), mail).await.unwrap();
    }
    let messages = sink.messages();
    assert_eq!(messages.len(), 3);
    for mail in &messages[..2] {
        assert!(mail.data.contains("References: <cr-7@slipway>\r\n"));
        assert!(mail.data.contains("In-Reply-To: <cr-7@slipway>\r\n"));
    }
    assert!(messages[1]
        .data
        .contains("Message-ID: <second-delivery@slipway>\r\n"));
    assert!(!messages[2].data.contains("References:"));
    assert!(!messages[2].data.contains("In-Reply-To:"));
}

#[tokio::test]
async fn credentials_are_used_only_with_a_username() {
    let sink = SmtpSink::start();
    let mut settings = smtp(sink.port());
    settings.password = Some("hunter2".into());
    send_email(&settings, &email()).await.unwrap();
    settings.username = Some("bot".into());
    send_email(&settings, &email()).await.unwrap();
    let users: Vec<_> = sink.messages().into_iter().map(|m| m.user).collect();
    assert_eq!(users, vec![None, Some("bot".to_owned())]);
}

#[tokio::test]
async fn a_rejected_recipient_is_permanent_with_the_servers_words() {
    let sink = SmtpSink::start();
    sink.set_reject(Some(550));
    let mut settings = smtp(sink.port());
    settings.username = Some("bot".into());
    settings.password = Some("hunter2".into());
    let err = send_email(&settings, &email()).await.unwrap_err();
    assert!(err.permanent(), "{err:?}");
    assert!(matches!(
        err,
        NotifyError::Smtp {
            permanent: true,
            ..
        }
    ));
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "the SMTP server at 127.0.0.1:{} refused the message: 550",
            sink.port()
        )),
        "{text}"
    );
    assert!(
        text.contains("recipient rejected by the test sink"),
        "{text}"
    );
    assert!(!format!("{err:?}").contains("hunter2"));
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn a_temporary_refusal_is_not_permanent() {
    let sink = SmtpSink::start();
    sink.set_reject(Some(451));
    let err = send_email(&smtp(sink.port()), &email()).await.unwrap_err();
    assert!(!err.permanent(), "{err:?}");
    assert!(matches!(
        err,
        NotifyError::Smtp {
            permanent: false,
            ..
        }
    ));
    assert!(err.to_string().contains("451"), "{err}");

    sink.set_reject(None);
    send_email(&smtp(sink.port()), &email()).await.unwrap();
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn an_unreachable_server_is_reported_as_such() {
    // A port that was just free: bind, read the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let started = Instant::now();
    let err = send_email(&smtp(port), &email()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3));
    match &err {
        NotifyError::Unreachable { host, reason } => {
            assert_eq!(host, &format!("127.0.0.1:{port}"));
            assert_eq!(reason, "connection refused");
        }
        other => panic!("expected Unreachable, got {other:?}"),
    }
    assert!(!err.permanent());
    assert_eq!(
        err.to_string(),
        format!("could not reach 127.0.0.1:{port} (connection refused)")
    );
}

#[tokio::test]
async fn a_silent_server_times_out() {
    // Accepts connections but never says a word.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut settings = smtp(port);
    settings.timeout = Duration::from_millis(300);
    let started = Instant::now();
    let err = send_email(&settings, &email()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        matches!(err, NotifyError::TimedOut { .. }),
        "expected TimedOut, got {err:?}"
    );
    assert!(!err.permanent());
    drop(listener);
}

#[tokio::test]
async fn bad_addresses_are_invalid_before_connecting() {
    // Nothing listens here; an Invalid error proves no connection was tried.
    let mut bad_to = email();
    bad_to.to = "not an address".into();
    let err = send_email(&smtp(9), &bad_to).await.unwrap_err();
    assert!(matches!(err, NotifyError::Invalid(_)), "{err:?}");
    assert!(err.permanent());
    assert!(err.to_string().contains("recipient address"), "{err}");

    let mut bad_from = smtp(9);
    bad_from.from = "slipway at example".into();
    let err = send_email(&bad_from, &email()).await.unwrap_err();
    assert!(matches!(err, NotifyError::Invalid(_)), "{err:?}");
    assert!(err.to_string().contains("sender address"), "{err}");

    let mut bad_key = email();
    bad_key.idempotency_key = "has space".into();
    let err = send_email(&smtp(9), &bad_key).await.unwrap_err();
    assert!(matches!(err, NotifyError::Invalid(_)), "{err:?}");
}

#[tokio::test]
async fn starttls_is_required_when_asked_for() {
    // The sink offers no STARTTLS: nothing may be sent in plain text.
    let sink = SmtpSink::start();
    let mut settings = smtp(sink.port());
    settings.tls = TlsMode::StartTls;
    settings.username = Some("bot".into());
    settings.password = Some("hunter2".into());
    let err = send_email(&settings, &email()).await.unwrap_err();
    assert!(err.permanent(), "{err:?}");
    assert!(!err.to_string().contains("hunter2"));
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn implicit_tls_against_a_plain_port_says_so() {
    let sink = SmtpSink::start();
    let mut settings = smtp(sink.port());
    settings.tls = TlsMode::Tls;
    let err = send_email(&settings, &email()).await.unwrap_err();
    match &err {
        NotifyError::Unreachable { reason, .. } => {
            assert!(reason.starts_with("the TLS handshake failed"), "{reason}");
        }
        other => panic!("expected Unreachable, got {other:?}"),
    }
    assert!(!err.permanent());
    assert!(sink.messages().is_empty());
}

#[test]
fn the_smtp_sink_speaks_plain_smtp() {
    use std::io::{BufRead, BufReader, Write};

    let sink = SmtpSink::start();
    let stream = std::net::TcpStream::connect(("127.0.0.1", sink.port())).unwrap();
    let mut out = stream.try_clone().unwrap();
    let mut input = BufReader::new(stream);
    let mut expect = |code: &str| loop {
        let mut line = String::new();
        input.read_line(&mut line).unwrap();
        assert!(line.starts_with(code), "expected {code}, got {line:?}");
        if line.as_bytes().get(3) != Some(&b'-') {
            break;
        }
    };
    expect("220");
    for (command, code) in [
        ("MAIL FROM:<a@example.com>", "503"),
        ("HELO client.example", "250"),
        ("RCPT TO:<b@example.com>", "503"),
        ("MAIL FROM:<a@example.com>", "250"),
        ("RCPT TO:<b@example.com>", "250"),
        ("RSET", "250"),
        ("DATA", "503"),
        ("MAIL FROM:<a@example.com>", "250"),
        ("RCPT TO:<b@example.com>", "250"),
        ("RCPT TO:<c@example.com>", "250"),
        ("NOOP", "250"),
        ("DATA", "354"),
    ] {
        write!(out, "{command}\r\n").unwrap();
        expect(code);
    }
    out.write_all(b"Subject: hi\r\n\r\n..leading dot\r\n.\r\n")
        .unwrap();
    expect("250");
    out.write_all(b"QUIT\r\n").unwrap();
    expect("221");

    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].from, "a@example.com");
    assert_eq!(messages[0].to, vec!["b@example.com", "c@example.com"]);
    assert_eq!(messages[0].data, "Subject: hi\r\n\r\n.leading dot\r\n");
}
