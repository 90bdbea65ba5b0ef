//! Stakeholder notifications through the API on a real demo workspace: a promotion reaches a
//! real SMTP server and Slack, Teams and signed-webhook endpoints on loopback through 500s,
//! refused connections, hung and slow answers — exactly once each; a permanent refusal is a
//! dead letter until retried; a breached clock escalates and an acknowledgement stops the
//! reminders; bad input changes nothing; and a canary secret appears in no database byte,
//! log line or IPC reply. These tests use the OS keychain: `make rust-test` runs them inside
//! `dbus-run-session` with an unlocked gnome-keyring.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use slipway_api::{
    acknowledge_clock, act_on_request, add_channel, channels, create_demo, open_request, outbox,
    promote, retry_delivery, save_stakeholder, save_template, set_sla_policy, stakeholders,
    subscribe, subscriptions, templates, test_channel, watch_pass, AlertingInputDto, Cancel,
    ChannelInputDto, Dispatcher, ErrorCode, NewRequestDto, Progress, PromoteInputDto, RepoCache,
    RequestActionDto, RunContext, SlaPolicyInputDto, StakeholderDto, SubscriptionInputDto,
    TemplateInputDto, Workspace,
};
use slipway_core::Clock;
use slipway_notify::sink::{Fault, HttpSink, SmtpSink};

/// A clock the test moves by hand.
#[derive(Clone)]
struct Hand(Arc<Mutex<DateTime<Utc>>>);

impl Hand {
    fn at(t: DateTime<Utc>) -> Hand {
        Hand(Arc::new(Mutex::new(t)))
    }
    fn advance(&self, d: chrono::Duration) {
        *self.0.lock().unwrap() += d;
    }
}

impl Clock for Hand {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// Log lines, captured for the canary check.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn person(email: &str, name: &str, handle: &str, roles: &[&str]) -> StakeholderDto {
    StakeholderDto {
        email: email.into(),
        name: name.into(),
        chat_handle: handle.into(),
        roles: roles.iter().map(|r| r.to_string()).collect(),
        subscriptions: 0,
    }
}

fn sub(person: &str, channel: &str) -> SubscriptionInputDto {
    SubscriptionInputDto {
        person: person.into(),
        channel: channel.into(),
        ..Default::default()
    }
}

/// Dispatches until nothing is due, moving the clock past every retry wait.
async fn drain(d: &Dispatcher, clock: &Hand, passes: usize) {
    for _ in 0..passes {
        d.dispatch_once(clock).await.unwrap();
        clock.advance(chrono::Duration::seconds(1));
    }
}

const CANARIES: [&str; 3] = [
    "CANARY-smtp-password-7f3a",
    "CANARY-slack-key-91bd",
    "CANARY-signing-key-4c2e-0123456789",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_promotion_reaches_every_channel_exactly_once_through_faults() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let tmp = tempfile::tempdir().unwrap();
    let anchor = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
    create_demo(tmp.path(), anchor).await.unwrap();
    let ws = Workspace::open(tmp.path()).await.unwrap();
    let clock = Hand::at(anchor + chrono::Duration::minutes(5));
    let mut replies: Vec<String> = Vec::new();
    let mut reply = |v: &dyn erased::Json| replies.push(v.json());

    let smtp = SmtpSink::start();
    let http = HttpSink::start().await;
    save_stakeholder(
        &ws,
        &person("rm@example.com", "Rita", "@rita", &["release-manager"]),
    )
    .await
    .unwrap();
    save_stakeholder(&ws, &person("qa@example.com", "Quinn", "@quinn", &["qa"]))
        .await
        .unwrap();
    let channel = |name: &str, kind: &str| ChannelInputDto {
        name: name.into(),
        kind: kind.into(),
        ..Default::default()
    };
    let added = [
        ChannelInputDto {
            host: "127.0.0.1".into(),
            port: smtp.port(),
            tls: "none".into(),
            username: "slipway".into(),
            from: "slipway@example.com".into(),
            secret: CANARIES[0].into(),
            ..channel("release-mail", "email")
        },
        ChannelInputDto {
            url: http.url(&format!("/slack/T000/{}", CANARIES[1])),
            ..channel("#releases", "slack")
        },
        ChannelInputDto {
            url: http.url("/teams/workflow"),
            ..channel("teams-ops", "teams")
        },
        ChannelInputDto {
            url: http.url("/hook"),
            secret: CANARIES[2].into(),
            ..channel("audit-hook", "webhook")
        },
    ];
    for c in &added {
        let dto = add_channel(&ws, c, "rm@example.com", &clock).await.unwrap();
        reply(&dto);
    }
    for (who, channel) in [
        ("rm@example.com", "release-mail"),
        ("rm@example.com", "#releases"),
        ("qa@example.com", "audit-hook"),
    ] {
        reply(&subscribe(&ws, &sub(who, channel), &clock).await.unwrap());
    }
    // Teams only hears of critical events: a promotion is not one.
    let critical = SubscriptionInputDto {
        min_severity: "critical".into(),
        ..sub("qa@example.com", "teams-ops")
    };
    reply(&subscribe(&ws, &critical, &clock).await.unwrap());

    // The promotion writes its deliveries in its own transaction.
    let quiet: Progress = Arc::new(|_| {});
    let done = promote(
        &RunContext::new(ws.clone(), "rm@example.com", quiet, Cancel::new())
            .with_clock(clock.clone()),
        &PromoteInputDto {
            project: "payments".into(),
            environment: "qa".into(),
            to: None,
            expected_from: None,
            override_reason: None,
            guard_override_reason: None,
            accept_ride_along: true,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        done.status,
        slipway_api::DeploymentStatusDto::Succeeded,
        "{}",
        done.reason
    );
    let queued = outbox(&ws, None, 100).await.unwrap();
    assert_eq!(
        (queued.pending, queued.entries.len()),
        (3, 3),
        "email, Slack and the webhook; not Teams"
    );
    assert!(queued.entries.iter().all(|e| e.kind == "promoted"));
    reply(&queued);

    // Faults: two 500s, then the endpoint goes away, then one hung answer, one slow one.
    let dispatcher = Dispatcher::new(&ws, "test-dispatcher", None)
        .with_backoff(Duration::from_millis(100), Duration::from_millis(400), 8)
        .with_timeout(Duration::from_millis(600));
    http.fail_next(2, Fault::Status(500));
    let first = dispatcher.dispatch_once(&clock).await.unwrap();
    assert_eq!(
        (first.delivered, first.retrying),
        (1, 2),
        "email went, the rest wait"
    );
    http.set_down(true);
    clock.advance(chrono::Duration::seconds(1));
    let second = dispatcher.dispatch_once(&clock).await.unwrap();
    assert_eq!(second.retrying, 2, "refused connections are retried");
    let waiting = outbox(&ws, Some("pending"), 10).await.unwrap();
    assert!(
        waiting
            .entries
            .iter()
            .all(|e| e.attempts == 2 && e.last_error.contains("could not reach http://127.0.0.1")),
        "{:?}",
        waiting.entries
    );
    http.set_down(false);
    http.fail_next(1, Fault::Hang(Duration::from_secs(2)));
    http.fail_next(1, Fault::Slow(Duration::from_millis(150)));
    clock.advance(chrono::Duration::seconds(1));
    drain(&dispatcher, &clock, 4).await;
    let after = outbox(&ws, None, 100).await.unwrap();
    assert_eq!((after.sent, after.pending, after.dead), (3, 0, 0));
    reply(&after);

    // Exactly once at each endpoint, whatever was retried.
    let received = http.received();
    let mut keys: HashMap<String, usize> = HashMap::new();
    for r in &received {
        *keys
            .entry(r.header("idempotency-key").unwrap().to_string())
            .or_default() += 1;
    }
    assert_eq!(received.len(), 2, "Slack and the webhook: {received:?}");
    assert!(keys.values().all(|n| *n == 1), "{keys:?}");
    assert!(
        http.attempts() >= 5,
        "the faults were hit ({})",
        http.attempts()
    );
    let slack = received
        .iter()
        .find(|r| r.path.starts_with("/slack"))
        .unwrap();
    let text: serde_json::Value = serde_json::from_str(&slack.body).unwrap();
    let text = text["text"].as_str().unwrap();
    assert!(
        text.contains("reached qa") && text.contains("slipway://promotion/"),
        "{text}"
    );
    let hook = received.iter().find(|r| r.path == "/hook").unwrap();
    let ts: i64 = hook.header("x-slipway-timestamp").unwrap().parse().unwrap();
    assert_eq!(
        hook.header("x-slipway-signature").unwrap(),
        slipway_notify::signature(CANARIES[2], ts, &hook.body),
        "the signature verifies with the channel's key"
    );
    let body: serde_json::Value = serde_json::from_str(&hook.body).unwrap();
    assert_eq!(body["event"], "promoted");
    assert_eq!(body["recipient"], "qa@example.com");
    assert!(body["thread"].as_str().unwrap().starts_with("promotion/"));

    // The email: headers, and both bodies with the release notes and the link back.
    let mails = smtp.messages();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, vec!["rm@example.com".to_string()]);
    assert_eq!(mails[0].user.as_deref(), Some("slipway"));
    let parsed = mail_parser::MessageParser::default()
        .parse(mails[0].data.as_bytes())
        .unwrap();
    assert!(parsed
        .subject()
        .unwrap()
        .starts_with("[payments] payments: "));
    let key = parsed.header_raw("Idempotency-Key").unwrap().trim();
    assert!(key.starts_with("slipway-"), "{key}");
    assert_eq!(parsed.message_id().unwrap(), format!("{key}@slipway"));
    assert!(parsed
        .header_raw("References")
        .unwrap()
        .contains("promotion"));
    let plain = parsed.body_text(0).unwrap();
    let html = parsed.body_html(0).unwrap();
    assert!(
        plain.contains("Release notes:") && plain.contains("slipway://promotion/"),
        "{plain}"
    );
    assert!(
        html.contains("<h3>Release notes</h3>") && html.contains("href=\"slipway://promotion/"),
        "{html}"
    );

    // A permanent refusal is a dead letter at once, shown with its error, until retried.
    http.fail_next(1, Fault::Status(400));
    let r = test_channel(&ws, "audit-hook", None, "rm@example.com", &clock, None)
        .await
        .unwrap_err();
    assert_eq!(r.code, ErrorCode::DeliveryFailed);
    assert!(r.message.contains("answered 400"), "{}", r.message);
    reply(&r);
    save_stakeholder(&ws, &person("ops@example.com", "Ops", "", &[]))
        .await
        .unwrap();
    subscribe(&ws, &sub("ops@example.com", "audit-hook"), &clock)
        .await
        .unwrap();
    slipway_api::hold(
        &ws,
        "payments",
        "staging",
        "database migration",
        "rm@example.com",
        &clock,
    )
    .await
    .unwrap();
    http.fail_next(1, Fault::Status(400));
    drain(&dispatcher, &clock, 2).await;
    let dead = outbox(&ws, Some("dead"), 10).await.unwrap();
    assert_eq!(dead.entries.len(), 1, "{:?}", dead.entries);
    assert_eq!(dead.entries[0].kind, "held");
    assert_eq!(dead.entries[0].attempts, 1, "a 400 is not retried");
    assert!(dead.entries[0].last_error.contains("answered 400"));
    reply(&dead);
    retry_delivery(&ws, dead.entries[0].id, &clock)
        .await
        .unwrap();
    assert_eq!(
        retry_delivery(&ws, dead.entries[0].id, &clock)
            .await
            .unwrap_err()
            .code,
        ErrorCode::NotAllowed,
        "only dead letters are retried by hand"
    );
    drain(&dispatcher, &clock, 2).await;
    let healed = outbox(&ws, None, 100).await.unwrap();
    assert_eq!(healed.dead, 0);
    assert!(http
        .received()
        .iter()
        .any(|r| r.body.contains("\"event\":\"held\"")));
    reply(&healed);
    reply(&channels(&ws).await.unwrap());
    reply(&stakeholders(&ws).await.unwrap());
    reply(&subscriptions(&ws).await.unwrap());
    reply(&templates(&ws).await.unwrap());

    // The canaries live in the keychain only.
    ws.store().close().await;
    let mut files = Vec::new();
    for entry in walk(tmp.path()) {
        if entry
            .extension()
            .is_some_and(|e| e == "git" || e == "pack" || e == "idx")
        {
            continue;
        }
        files.push(entry);
    }
    assert!(files
        .iter()
        .any(|f| f.to_string_lossy().ends_with("slipway.db")));
    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("delivery failed"), "the logs were captured");
    for canary in CANARIES {
        for f in &files {
            let bytes = std::fs::read(f).unwrap_or_default();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(canary),
                "{canary} in {}",
                f.display()
            );
        }
        assert!(!logs.contains(canary), "{canary} in the logs");
        for r in &replies {
            assert!(!r.contains(canary), "{canary} in an IPC reply: {r}");
        }
    }
    let secret_path = format!("/slack/T000/{}", CANARIES[1]);
    assert!(!logs.contains(&secret_path));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Serialises any DTO the way IPC does (JSON).
mod erased {
    pub trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap()
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let anchor = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
    create_demo(tmp.path(), anchor).await.unwrap();
    let ws = Workspace::open(tmp.path()).await.unwrap();
    let clock = Hand::at(anchor);
    for bad in [
        "rita",
        "rita@",
        "@example.com",
        "ri ta@example.com",
        "rita@@example.com",
    ] {
        let e = save_stakeholder(&ws, &person(bad, "Rita", "", &[]))
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "{bad}");
        assert!(
            e.message.contains("is not an email address"),
            "{}",
            e.message
        );
    }
    assert!(stakeholders(&ws).await.unwrap().is_empty());
    let refused = |kind: &str, url: &str, secret: &str| {
        let input = ChannelInputDto {
            name: "c".into(),
            kind: kind.into(),
            url: url.into(),
            secret: secret.into(),
            ..Default::default()
        };
        let (ws, clock) = (&ws, &clock);
        async move {
            add_channel(ws, &input, "rm@example.com", clock)
                .await
                .unwrap_err()
        }
    };
    let key = "a-signing-key-of-enough-length";
    for (kind, url) in [
        ("slack", "ftp://hooks.example.com/x"),
        ("teams", "file:///etc/passwd"),
        ("webhook", "javascript:alert(1)"),
        ("slack", "hooks.slack.com/services/x"),
    ] {
        let e = refused(kind, url, key).await;
        assert_eq!(e.code, ErrorCode::InvalidInput, "{url}: {}", e.message);
        assert!(e.message.contains("http"), "{url}: {}", e.message);
        // The address may carry a key: the message never repeats it.
        assert!(!e.message.contains(url), "{url} echoed: {}", e.message);
    }
    // A part the kind has no use for is refused, not silently dropped.
    for (kind, url, secret, word) in [
        ("slack", "https://hooks.example.com/x", key, "secret"),
        ("desktop", "https://example.com/x", "", "URL"),
    ] {
        let e = refused(kind, url, secret).await;
        assert_eq!(
            e.message,
            format!("{kind} channels have no {word}; nothing was saved.")
        );
    }
    let bad_from = add_channel(
        &ws,
        &ChannelInputDto {
            name: "mail".into(),
            kind: "email".into(),
            host: "smtp.example.com".into(),
            from: "not an address".into(),
            ..Default::default()
        },
        "rm@example.com",
        &clock,
    )
    .await
    .unwrap_err();
    assert!(
        bad_from.message.contains("sender address"),
        "{}",
        bad_from.message
    );
    assert!(channels(&ws).await.unwrap().is_empty(), "nothing stored");
    let unknown = save_template(
        &ws,
        &TemplateInputDto {
            kind: "held".into(),
            channel_kind: "email".into(),
            part: "text".into(),
            body: "Held: {{release_notes}}".into(),
        },
        "rm@example.com",
        &clock,
    )
    .await
    .unwrap_err();
    assert_eq!(unknown.code, ErrorCode::InvalidInput);
    assert!(
        unknown.message.contains("{{release_notes}}"),
        "{}",
        unknown.message
    );
    let not_json = save_template(
        &ws,
        &TemplateInputDto {
            kind: "held".into(),
            channel_kind: "webhook".into(),
            part: "json".into(),
            body: "{\"title\": {{title}}}".into(),
        },
        "rm@example.com",
        &clock,
    )
    .await
    .unwrap_err();
    assert!(
        not_json.message.contains("does not produce JSON"),
        "{}",
        not_json.message
    );
    assert!(templates(&ws).await.unwrap().iter().all(|t| !t.custom));
    // A subscription for someone who is not a stakeholder, or to a missing channel.
    let e = subscribe(&ws, &sub("nobody@example.com", "x"), &clock)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownPerson);
    save_stakeholder(&ws, &person("rm@example.com", "Rita", "", &[]))
        .await
        .unwrap();
    let e = subscribe(&ws, &sub("rm@example.com", "x"), &clock)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    add_channel(
        &ws,
        &ChannelInputDto {
            name: "desk".into(),
            kind: "desktop".into(),
            ..Default::default()
        },
        "rm@example.com",
        &clock,
    )
    .await
    .unwrap();
    for (field, input) in [
        (
            "delivery",
            SubscriptionInputDto {
                delivery: "digest 25:00 Europe/Berlin".into(),
                ..sub("rm@example.com", "desk")
            },
        ),
        (
            "zone",
            SubscriptionInputDto {
                delivery: "digest 09:00 Mars/Olympus".into(),
                ..sub("rm@example.com", "desk")
            },
        ),
        (
            "kind",
            SubscriptionInputDto {
                kinds: vec!["deployed".into()],
                ..sub("rm@example.com", "desk")
            },
        ),
        (
            "severity",
            SubscriptionInputDto {
                min_severity: "urgent".into(),
                ..sub("rm@example.com", "desk")
            },
        ),
    ] {
        let e = subscribe(&ws, &input, &clock).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "{field}: {}", e.message);
    }
    assert!(subscriptions(&ws).await.unwrap().is_empty());
    let ok = subscribe(
        &ws,
        &SubscriptionInputDto {
            delivery: "digest 09:00 Europe/Berlin".into(),
            kinds: vec!["promoted".into(), "held".into()],
            ..sub("rm@example.com", "desk")
        },
        &clock,
    )
    .await
    .unwrap();
    assert_eq!(ok.delivery, "digest 09:00 Europe/Berlin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_breach_escalates_by_email_and_an_acknowledgement_stops_the_reminders() {
    let tmp = tempfile::tempdir().unwrap();
    let anchor = Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap();
    create_demo(tmp.path(), anchor).await.unwrap();
    let ws = Workspace::open(tmp.path()).await.unwrap();
    let clock = Hand::at(anchor);
    let smtp = SmtpSink::start();
    save_stakeholder(
        &ws,
        &person("rm@example.com", "Rita", "@rita", &["release-manager"]),
    )
    .await
    .unwrap();
    // No subscriptions at all: the escalation chain still reaches Rita by email.
    add_channel(
        &ws,
        &ChannelInputDto {
            name: "mail".into(),
            kind: "email".into(),
            host: "127.0.0.1".into(),
            port: smtp.port(),
            tls: "none".into(),
            from: "slipway@example.com".into(),
            ..Default::default()
        },
        "rm@example.com",
        &clock,
    )
    .await
    .unwrap();
    set_sla_policy(
        &ws,
        &SlaPolicyInputDto {
            kind: "emergency".into(),
            severity: "sev1".into(),
            approve: Some("30m".into()),
            alerting: AlertingInputDto {
                escalate: vec!["breach=role:release-manager".into()],
                repeat: Some("15m".into()),
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let id = open_request(
        &ws,
        &NewRequestDto {
            project: "payments".into(),
            kind: "emergency".into(),
            severity: "sev1".into(),
            title: "Refunds fail".into(),
            ..Default::default()
        },
        "ana@example.com",
        &clock,
    )
    .await
    .unwrap()
    .summary
    .id;
    act_on_request(
        &ws,
        id,
        &RequestActionDto::Submit,
        "ana@example.com",
        None,
        &clock,
    )
    .await
    .unwrap();
    let dispatcher = Dispatcher::new(&ws, "esc", None);
    clock.advance(chrono::Duration::minutes(31));
    watch_pass(&ws, &mut RepoCache::new(), &clock, "w1")
        .await
        .unwrap();
    dispatcher.dispatch_once(&clock).await.unwrap();
    let mails = smtp.messages();
    let breach: Vec<_> = mails
        .iter()
        .filter(|m| m.data.contains("goal breached"))
        .collect();
    assert_eq!(
        breach.len(),
        1,
        "{:#?}",
        mails.iter().map(|m| &m.data).collect::<Vec<_>>()
    );
    assert_eq!(breach[0].to, vec!["rm@example.com".to_string()]);
    assert!(breach[0]
        .data
        .contains(&format!("slipway://ack/cr/{id}/approve")));

    // The first reminder is written; Rita says "I'm on it" before it goes out.
    clock.advance(chrono::Duration::minutes(16));
    watch_pass(&ws, &mut RepoCache::new(), &clock, "w1")
        .await
        .unwrap();
    let key = format!("cr/{id}/approve");
    acknowledge_clock(&ws, &key, "rm@example.com", &clock)
        .await
        .unwrap();
    dispatcher.dispatch_once(&clock).await.unwrap();
    let cancelled = outbox(&ws, Some("cancelled"), 10).await.unwrap();
    assert_eq!(cancelled.entries.len(), 1, "{:?}", cancelled.entries);
    assert!(cancelled.entries[0]
        .last_error
        .contains("acknowledged by rm@example.com"));
    // No further reminders.
    clock.advance(chrono::Duration::minutes(60));
    watch_pass(&ws, &mut RepoCache::new(), &clock, "w1")
        .await
        .unwrap();
    dispatcher.dispatch_once(&clock).await.unwrap();
    assert_eq!(
        smtp.messages()
            .iter()
            .filter(|m| m.data.contains("still breached"))
            .count(),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_escalation_no_channel_can_carry_is_a_visible_dead_letter() {
    let tmp = tempfile::tempdir().unwrap();
    let anchor = Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap();
    create_demo(tmp.path(), anchor).await.unwrap();
    let ws = Workspace::open(tmp.path()).await.unwrap();
    let clock = Hand::at(anchor);
    // The chain names the CTO, who subscribed to nothing, in a workspace without email.
    save_stakeholder(&ws, &person("cto@example.com", "Cy", "", &["lead"]))
        .await
        .unwrap();
    set_sla_policy(
        &ws,
        &SlaPolicyInputDto {
            kind: "emergency".into(),
            severity: "sev1".into(),
            approve: Some("30m".into()),
            alerting: AlertingInputDto {
                escalate: vec!["breach=cto@example.com".into()],
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let id = open_request(
        &ws,
        &NewRequestDto {
            project: "payments".into(),
            kind: "emergency".into(),
            severity: "sev1".into(),
            title: "Refunds fail".into(),
            ..Default::default()
        },
        "ana@example.com",
        &clock,
    )
    .await
    .unwrap()
    .summary
    .id;
    act_on_request(
        &ws,
        id,
        &RequestActionDto::Submit,
        "ana@example.com",
        None,
        &clock,
    )
    .await
    .unwrap();
    clock.advance(chrono::Duration::minutes(31));
    watch_pass(&ws, &mut RepoCache::new(), &clock, "w1")
        .await
        .unwrap();
    let dead = outbox(&ws, Some("dead"), 10).await.unwrap();
    let undeliverable: Vec<_> = dead.entries.iter().filter(|d| d.undeliverable).collect();
    assert_eq!(undeliverable.len(), 1, "{:?}", dead.entries);
    let entry = undeliverable[0];
    assert_eq!(entry.recipient, "cto@example.com");
    assert_eq!(entry.kind, "breached");
    assert_eq!(
        entry.last_error,
        "no channel reaches cto@example.com: add an email channel or a subscription"
    );
    assert_eq!(dead.dead, 1, "it counts among the dead letters");
    // No retry can send it, and it says why.
    let e = retry_delivery(&ws, entry.id, &clock).await.unwrap_err();
    assert!(
        e.message
            .contains("has no channel to retry: no channel reaches cto@example.com"),
        "{}",
        e.message
    );
    // The dispatcher leaves it alone: it stays dead, with its reason.
    Dispatcher::new(&ws, "esc", None)
        .dispatch_once(&clock)
        .await
        .unwrap();
    let again = outbox(&ws, Some("dead"), 10).await.unwrap();
    assert_eq!(again.entries.iter().filter(|d| d.undeliverable).count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_daily_digest_gathers_the_days_events_into_one_message_at_its_local_time() {
    let tmp = tempfile::tempdir().unwrap();
    let anchor = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
    create_demo(tmp.path(), anchor).await.unwrap();
    let ws = Workspace::open(tmp.path()).await.unwrap();
    let clock = Hand::at(anchor);
    let http = HttpSink::start().await;
    save_stakeholder(&ws, &person("lead@example.com", "Lee", "", &["lead"]))
        .await
        .unwrap();
    add_channel(
        &ws,
        &ChannelInputDto {
            name: "lead-hook".into(),
            kind: "webhook".into(),
            url: http.url("/digest"),
            secret: "digest-signing-key-0123456789".into(),
            ..Default::default()
        },
        "rm@example.com",
        &clock,
    )
    .await
    .unwrap();
    // 09:00 in Berlin is 08:00 UTC in November: the next one is tomorrow's.
    subscribe(
        &ws,
        &SubscriptionInputDto {
            delivery: "digest 09:00 Europe/Berlin".into(),
            ..sub("lead@example.com", "lead-hook")
        },
        &clock,
    )
    .await
    .unwrap();
    for (env, reason) in [
        ("staging", "schema migration"),
        ("production", "<b>freeze</b>"),
    ] {
        slipway_api::hold(&ws, "payments", env, reason, "rm@example.com", &clock)
            .await
            .unwrap();
        clock.advance(chrono::Duration::minutes(10));
    }
    let waiting = outbox(&ws, Some("pending"), 10).await.unwrap();
    assert_eq!(waiting.entries.len(), 2);
    assert!(waiting
        .entries
        .iter()
        .all(|e| e.digest && e.next_attempt_at == "2026-11-24T08:00:00Z"));
    let dispatcher = Dispatcher::new(&ws, "digest", None);
    let early = dispatcher.dispatch_once(&clock).await.unwrap();
    assert_eq!(early.delivered, 0, "not before its time");
    clock.advance(chrono::Duration::hours(22));
    let due = dispatcher.dispatch_once(&clock).await.unwrap();
    assert_eq!(due.delivered, 2, "both deliveries recorded");
    let received = http.received();
    assert_eq!(received.len(), 1, "in one message");
    let body: serde_json::Value = serde_json::from_str(&received[0].body).unwrap();
    assert_eq!(body["event"], "digest");
    let titles: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        vec![
            "payments staging is on hold: schema migration",
            "payments production is on hold: <b>freeze</b>"
        ]
    );
    assert!(received[0]
        .header("idempotency-key")
        .unwrap()
        .ends_with("-digest"));
    assert_eq!(
        outbox(&ws, Some("sent"), 10).await.unwrap().entries.len(),
        2
    );
}
