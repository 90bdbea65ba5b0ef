//! Follow-ups through the API on a real demo workspace: due dates on the project's business
//! calendar across a weekend, the owner reminded once on the morning it is due and told once
//! when it is overdue (a real SMTP server on loopback), won't do needs a reason, closing stops
//! the reminders, an emergency request's close opens its postmortem, the draft tells the
//! record, and bad input is refused with nothing stored.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeZone, Utc};
use slipway_api::{
    act_on_request, add_channel, close_follow_up, config_drift, create_demo, edit_follow_up,
    edit_follow_up_settings, follow_up, follow_up_settings, follow_ups, open_follow_up,
    open_request, postmortem_draft, save_calendar, watch_pass, CalendarInputDto, ChannelInputDto,
    Dispatcher, ErrorCode, FollowUpCloseDto, FollowUpEditDto, FollowUpSettingsDto,
    FollowUpStatusDto, NewFollowUpDto, NewRequestDto, PriorityDto, RepoCache, RequestActionDto,
    Workspace,
};
use slipway_core::Clock;
use slipway_notify::sink::SmtpSink;

#[derive(Clone)]
struct Hand(Arc<Mutex<DateTime<Utc>>>);

impl Hand {
    fn set(&self, t: DateTime<Utc>) {
        *self.0.lock().unwrap() = t;
    }
}

impl Clock for Hand {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

fn utc(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, h, m, 0).unwrap()
}

fn new(title: &str, owner: &str) -> NewFollowUpDto {
    NewFollowUpDto {
        project: "payments".into(),
        environment: "production".into(),
        title: title.into(),
        owner: Some(owner.into()),
        due: None,
        request: None,
    }
}

fn close(status: FollowUpStatusDto, reason: &str) -> FollowUpCloseDto {
    FollowUpCloseDto {
        status,
        reason: reason.into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follow_ups_are_due_on_the_calendar_reminded_once_and_closed_with_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    // Friday 4 December 2026, 17:30 in Berlin: after hours.
    let friday = utc(4, 16, 30);
    create_demo(tmp.path(), friday).await.unwrap();
    let ws = Workspace::open(tmp.path()).await.unwrap();
    let clock = Hand(Arc::new(Mutex::new(friday)));
    let smtp = SmtpSink::start();
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
    save_calendar(
        &ws,
        &CalendarInputDto {
            name: "berlin-office".into(),
            zone: Some("Europe/Berlin".into()),
            hours: Some("Mon-Fri 09:00-17:00".into()),
            holidays: Vec::new(),
        },
    )
    .await
    .unwrap();

    // Bad settings are refused and nothing is stored.
    for (calendar, days, words) in [
        (Some("nope"), 2, "no calendar \"nope\""),
        (Some("berlin-office"), 0, "1 to 260 business days"),
        (None, 261, "1 to 260 business days"),
    ] {
        let e = edit_follow_up_settings(
            &ws,
            "payments",
            &FollowUpSettingsDto {
                calendar: calendar.map(String::from),
                due_days: days,
            },
            "rm@example.com",
            &clock,
        )
        .await
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.contains(words), "{}", e.message);
    }
    let unchanged = follow_up_settings(&ws, "payments").await.unwrap();
    assert_eq!((unchanged.calendar, unchanged.due_days), (None, 10));
    edit_follow_up_settings(
        &ws,
        "payments",
        &FollowUpSettingsDto {
            calendar: Some("berlin-office".into()),
            due_days: 2,
        },
        "rm@example.com",
        &clock,
    )
    .await
    .unwrap();

    // Opened Friday after hours, 2 business days: Monday is day 1, due Tuesday 17:00 Berlin.
    let f = open_follow_up(
        &ws,
        &new("Check the orders source", "owner@example.com"),
        "rm@example.com",
        &clock,
    )
    .await
    .unwrap();
    assert_eq!(f.due_at, "2026-12-08T16:00:00Z");
    assert_eq!(f.calendar, "berlin-office");
    assert_eq!(f.standing, "due in 3 d 23 h");
    assert_eq!(
        (f.status, f.priority),
        (FollowUpStatusDto::Open, PriorityDto::Normal)
    );
    let g = open_follow_up(
        &ws,
        &new("Rotate the perf keys", "owner@example.com"),
        "rm@example.com",
        &clock,
    )
    .await
    .unwrap();

    // Bad input: clear messages, nothing stored.
    let edits = [
        (
            FollowUpEditDto {
                external_link: Some("ftp://wiki.example.com/pm".into()),
                ..Default::default()
            },
            "only http and https",
        ),
        (
            FollowUpEditDto {
                external_link: Some("javascript:alert(1)".into()),
                ..Default::default()
            },
            "only http and https",
        ),
        (
            FollowUpEditDto {
                owner: Some("nobody".into()),
                ..Default::default()
            },
            "not an email address",
        ),
        (
            FollowUpEditDto {
                due: Some("2026-12-01".into()),
                ..Default::default()
            },
            "has passed",
        ),
        (FollowUpEditDto::default(), "Nothing to change"),
    ];
    for (edit, words) in edits {
        let e = edit_follow_up(&ws, f.id, &edit, "rm@example.com", &clock)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.contains(words), "{}", e.message);
    }
    let same = follow_up(&ws, f.id, &clock).await.unwrap();
    assert_eq!(
        (
            same.external_link,
            same.owner.as_deref(),
            same.due_at.as_str()
        ),
        (None, Some("owner@example.com"), "2026-12-08T16:00:00Z")
    );
    let linked = edit_follow_up(
        &ws,
        f.id,
        &FollowUpEditDto {
            external_link: Some("https://wiki.example.com/pm/1".into()),
            priority: Some(PriorityDto::High),
            ..Default::default()
        },
        "rm@example.com",
        &clock,
    )
    .await
    .unwrap();
    assert_eq!(
        linked.external_link.as_deref(),
        Some("https://wiki.example.com/pm/1")
    );
    // A day typed as a date is that day's close on the calendar (Wednesday 17:00 Berlin).
    let moved = edit_follow_up(
        &ws,
        g.id,
        &FollowUpEditDto {
            due: Some("2026-12-09".into()),
            ..Default::default()
        },
        "rm@example.com",
        &clock,
    )
    .await
    .unwrap();
    assert_eq!(moved.due_at, "2026-12-09T16:00:00Z");

    // The follow-ups page: soonest due first.
    let list = follow_ups(&ws, false, &clock).await.unwrap();
    let mine: Vec<i64> = list
        .iter()
        .filter(|x| x.id == f.id || x.id == g.id)
        .map(|x| x.id)
        .collect();
    assert_eq!(mine, vec![f.id, g.id]);

    let dispatcher = Dispatcher::new(&ws, "follow-ups", None);
    let mut repos = RepoCache::new();
    let mails_with = |words: &str| {
        smtp.messages()
            .iter()
            .filter(|m| m.data.contains(words))
            .count()
    };
    let pass = |at: DateTime<Utc>| {
        clock.set(at);
        (clock.clone(), at)
    };
    // Monday: nothing yet.
    let (c, _) = pass(utc(7, 12, 0));
    watch_pass(&ws, &mut repos, &c, "w1").await.unwrap();
    dispatcher.dispatch_once(&c).await.unwrap();
    assert_eq!(mails_with("follow-up #"), 0);
    // Tuesday 09:05 Berlin: the owner is reminded, once, however many passes run.
    for at in [utc(8, 8, 5), utc(8, 9, 0)] {
        let (c, _) = pass(at);
        let p = watch_pass(&ws, &mut repos, &c, "w1").await.unwrap();
        dispatcher.dispatch_once(&c).await.unwrap();
        assert!(p.next_threshold_at.is_some());
    }
    let due_today = format!("follow-up #{} is due today", f.id);
    assert_eq!(mails_with(&due_today), 1, "{:#?}", smtp.messages());
    let reminder = smtp
        .messages()
        .into_iter()
        .find(|m| m.data.contains(&due_today))
        .unwrap();
    assert_eq!(reminder.to, vec!["owner@example.com".to_string()]);
    // g is done before its reminder: closing stops it.
    close_follow_up(
        &ws,
        g.id,
        &close(FollowUpStatusDto::Done, ""),
        "owner@example.com",
        &clock,
    )
    .await
    .unwrap();
    // Tuesday 17:01 Berlin and after: overdue, told once.
    for at in [utc(8, 16, 1), utc(9, 16, 30), utc(10, 9, 0)] {
        let (c, _) = pass(at);
        watch_pass(&ws, &mut repos, &c, "w1").await.unwrap();
        dispatcher.dispatch_once(&c).await.unwrap();
    }
    assert_eq!(mails_with(&format!("follow-up #{} is overdue", f.id)), 1);
    assert_eq!(mails_with(&format!("follow-up #{} is", g.id)), 0);
    let late = follow_up(&ws, f.id, &clock).await.unwrap();
    assert!(late.overdue);
    assert_eq!(late.standing, "overdue by 1 d 17 h");

    // Won't do needs a reason; a closed one does not close again.
    let e = close_follow_up(
        &ws,
        f.id,
        &close(FollowUpStatusDto::WontDo, "  "),
        "rm@example.com",
        &clock,
    )
    .await
    .unwrap_err();
    assert!(e.message.contains("needs a reason"), "{}", e.message);
    let closed = close_follow_up(
        &ws,
        f.id,
        &close(FollowUpStatusDto::WontDo, "the source moved back"),
        "rm@example.com",
        &clock,
    )
    .await
    .unwrap();
    assert_eq!(
        (
            closed.status,
            closed.reason.as_deref(),
            closed.standing.as_str()
        ),
        (
            FollowUpStatusDto::WontDo,
            Some("the source moved back"),
            "won't do"
        )
    );
    let e = close_follow_up(
        &ws,
        f.id,
        &close(FollowUpStatusDto::Done, ""),
        "rm@example.com",
        &clock,
    )
    .await
    .unwrap_err();
    assert!(e.message.contains("is wont-do already"), "{}", e.message);
    let (c, _) = pass(utc(11, 9, 0));
    watch_pass(&ws, &mut repos, &c, "w1").await.unwrap();
    dispatcher.dispatch_once(&c).await.unwrap();
    assert_eq!(mails_with("is overdue"), 1);

    // An emergency request's close opens its postmortem, owned by whoever closed it.
    let id = open_request(
        &ws,
        &NewRequestDto {
            project: "payments".into(),
            kind: "emergency".into(),
            severity: "sev1".into(),
            title: "Bogus orders from the perf source".into(),
            target_environment: Some("production".into()),
            ..Default::default()
        },
        "ana@example.com",
        &clock,
    )
    .await
    .unwrap()
    .summary
    .id;
    for action in [
        RequestActionDto::Cancel {
            reason: "handled by the rollback".into(),
        },
        RequestActionDto::Close,
    ] {
        act_on_request(&ws, id, &action, "lead@example.com", None, &clock)
            .await
            .unwrap();
    }
    let pm = follow_ups(&ws, false, &clock)
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.request == Some(id))
        .expect("the close opened a follow-up");
    assert_eq!(pm.owner.as_deref(), Some("lead@example.com"));
    assert_eq!(
        pm.title,
        format!("Postmortem for emergency request #{id}: Bogus orders from the perf source")
    );
    // Opened Friday 11 December 09:00 UTC + 2 business days: Tuesday 15 December 17:00 Berlin.
    assert_eq!(pm.due_at, "2026-12-15T16:00:00Z");
    let draft = postmortem_draft(&ws, pm.id, &clock).await.unwrap();
    assert_eq!(
        draft.file_name,
        format!("postmortem-payments-production-{}.md", pm.id)
    );
    for line in [
        format!("# Postmortem: Postmortem for emergency request #{id}"),
        "owned by lead@example.com, due 2026-12-15 16:00 UTC".to_string(),
        format!("## Change request #{id}: Bogus orders from the perf source"),
        "lead@example.com: closed it".to_string(),
    ] {
        assert!(
            draft.markdown.contains(&line),
            "missing {line:?} in\n{}",
            draft.markdown
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_drift_view_shows_the_config_files_that_differ() {
    let tmp = tempfile::tempdir().unwrap();
    let anchor = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
    create_demo(tmp.path(), anchor).await.unwrap();
    let ws = Workspace::open(tmp.path()).await.unwrap();
    let drift = config_drift(&ws, "payments", "production", "staging")
        .await
        .unwrap();
    let leak = drift
        .files
        .iter()
        .find(|f| f.path == "config/production.toml")
        .expect("staging runs the leaked production config");
    assert_eq!(leak.owner.as_deref(), Some("production"));
    assert!(
        leak.patch
            .contains("+source = \"https://orders.perf.payments.example:8443/v1\""),
        "{}",
        leak.patch
    );
    assert!(drift.files.iter().all(|f| !f.path.ends_with(".rs")));
    assert!(
        drift.other_files > 0,
        "code differs too, counted but not shown"
    );
    let e = config_drift(&ws, "payments", "production", "prod")
        .await
        .unwrap_err();
    assert!(
        e.message.contains("no environment \"prod\""),
        "{}",
        e.message
    );
    let e = config_drift(&ws, "payments", "qa", "qa").await.unwrap_err();
    assert!(
        e.message.contains("two different environments"),
        "{}",
        e.message
    );
}
