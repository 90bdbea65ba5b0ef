//! Promotions, gates and the audit log: one story on SQLite and on PostgreSQL; several
//! writers at once get exactly one promotion per environment and an unbroken audit chain;
//! tampering with the log is found.

use std::path::PathBuf;

use slipway_core::{
    verify_chain, BadMark, ChainBreak, CommandAction, DeployAction, DeploymentKind,
    DeploymentStatus, Hold, Pipeline, Project, Signoff, SignoffRule, SignoffVerdict, TrackingRef,
    Verification, WebhookAction, WeeklyFreeze,
};
use slipway_store::{
    AuditDraft, Began, DeploySettings, Location, NewPromotion, PromotionEnd, Store,
    StoredWeeklyFreeze,
};

fn shop() -> Project {
    Project {
        name: "shop".into(),
        repo_path: PathBuf::from("/repos/shop"),
        pipeline: Pipeline {
            trunk: "main".into(),
            environments: ["staging", "production"]
                .iter()
                .map(|e| slipway_core::Environment {
                    name: e.to_string(),
                    tracking: TrackingRef::Branch(format!("deploy/{e}")),
                })
                .collect(),
        },
    }
}

fn audit(at: i64, action: &str, detail: &str) -> AuditDraft {
    AuditDraft {
        at,
        actor: "rm@example.com".into(),
        action: action.into(),
        subject: "shop/staging".into(),
        detail: detail.into(),
        events: Vec::new(),
    }
}

fn promotion(by: &str, at: i64) -> NewPromotion {
    NewPromotion {
        project: "shop".into(),
        environment: "staging".into(),
        kind: DeploymentKind::Promote,
        from_sha: "a".repeat(40),
        to_sha: "b".repeat(40),
        ref_written: "refs/heads/deploy/staging".into(),
        changes: vec!["c".repeat(40), "b".repeat(40)],
        by: by.into(),
        at,
        override_reason: None,
        why: String::new(),
        has_action: true,
        has_verification: false,
        host: "box".into(),
        pid: 42,
        lease_until: at + 600,
        hold: None,
        follow_up: None,
    }
}

async fn story(location: Location) {
    let store = Store::create(&location).await.unwrap();
    store.add_project(&shop(), 1).await.unwrap();

    // Deploy settings round-trip, templates and all; none configured reads as none.
    let none = store.deploy_settings("shop", "production").await.unwrap();
    assert_eq!(none.action, DeployAction::None);
    let webhook = DeploySettings {
        action: DeployAction::Webhook(
            WebhookAction::parse(
                "POST",
                "https://deploy.example.com/{{environment}}",
                &[("X-Env".into(), "{{environment}}".into())],
                Some(r#"{"sha":"{{to_sha}}"}"#),
                true,
                30,
            )
            .unwrap(),
        ),
        token_key: Some("project/shop/staging/deploy-token".into()),
        verification: Some(Verification::parse("https://shop.example.com/health", 60, 2).unwrap()),
    };
    store
        .save_deploy_settings(
            "shop",
            "staging",
            &webhook,
            &audit(10, "configure", "webhook"),
        )
        .await
        .unwrap();
    assert_eq!(
        store.deploy_settings("shop", "staging").await.unwrap(),
        webhook
    );
    let command = DeploySettings {
        action: DeployAction::Command(
            CommandAction::parse(
                &[
                    "./deploy.sh".into(),
                    "--env={{environment}}".into(),
                    "$(id) ; `x`\nnext".into(),
                ],
                120,
            )
            .unwrap(),
        ),
        token_key: None,
        verification: None,
    };
    store
        .save_deploy_settings(
            "shop",
            "production",
            &command,
            &audit(11, "configure", "command"),
        )
        .await
        .unwrap();
    assert_eq!(
        store.deploy_settings("shop", "production").await.unwrap(),
        command
    );

    // Sign-off rules and sign-offs: a signer's newest verdict replaces the earlier one.
    let rule = SignoffRule {
        required: 2,
        role: Some("qa".into()),
    };
    store
        .set_signoff_rule(
            "shop",
            "production",
            Some(&rule),
            &audit(12, "configure", "rule"),
        )
        .await
        .unwrap();
    assert_eq!(
        store.signoff_rules("shop").await.unwrap(),
        vec![("production".to_string(), rule)]
    );
    let sha = "d".repeat(40);
    for (verdict, at) in [(SignoffVerdict::Reject, 20), (SignoffVerdict::Approve, 21)] {
        let s = Signoff {
            sha: sha.clone(),
            by: "QA@Example.com".into(),
            verdict,
            comment: "checked".into(),
            at,
        };
        store
            .put_signoff(
                "shop",
                "production",
                &s,
                &audit(at, "signoff", verdict.as_str()),
            )
            .await
            .unwrap();
    }
    let signoffs = store.signoffs("shop").await.unwrap();
    assert_eq!(signoffs.len(), 1);
    assert_eq!(signoffs[0].1.verdict, SignoffVerdict::Approve);
    assert_eq!(signoffs[0].1.by, "qa@example.com");

    // Weekly freezes.
    let weekend = WeeklyFreeze::parse("fri 16:00 - mon 08:00", "Europe/Berlin").unwrap();
    store
        .add_weekly_freeze(
            &StoredWeeklyFreeze {
                project: "shop".into(),
                environment: Some("production".into()),
                freeze: weekend.clone(),
                reason: "weekend".into(),
            },
            &audit(13, "freeze", "weekend"),
        )
        .await
        .unwrap();
    assert_eq!(store.weekly_freezes().await.unwrap()[0].freeze, weekend);

    // One promotion at a time: the second is told who holds the environment.
    // A rollback puts its hold and opens its follow-up as it starts.
    let rollback = NewPromotion {
        kind: DeploymentKind::Rollback,
        why: "deploy failed".into(),
        hold: Some(Hold {
            reason: "deploy failed".into(),
            owner: "ana@x".into(),
            since: 30,
        }),
        follow_up: Some(slipway_store::NewFollowUp {
            title: "postmortem for staging".into(),
            owner: "rm@x".into(),
            due_at: 1_000_000,
            request_id: None,
        }),
        ..promotion("ana@x", 30)
    };
    let Began::Started(id) = store.begin_promotion(&rollback, None).await.unwrap() else {
        panic!("the first promotion should start");
    };
    match store
        .begin_promotion(&promotion("bo@x", 31), None)
        .await
        .unwrap()
    {
        Began::Busy {
            promotion_id,
            holder,
            since,
        } => assert_eq!((promotion_id, holder.as_str(), since), (id, "ana@x", 30)),
        other => panic!("expected busy, got {other:?}"),
    }
    assert_eq!(store.unfinished_promotions().await.unwrap().len(), 1);
    store
        .advance_promotion(id, DeploymentStatus::Pushed, "pushed")
        .await
        .unwrap();
    let end = PromotionEnd {
        status: DeploymentStatus::Failed,
        reason: "webhook answered 500".into(),
        output: "HTTP 500".into(),
        at: 40,
        ref_moved: true,
        record_deployment: false,
    };
    assert!(store
        .finish_promotion(id, &end, &audit(40, "promote", "failed"))
        .await
        .unwrap());
    // Finishing twice changes nothing (no second audit entry, no second hold).
    assert!(!store
        .finish_promotion(id, &end, &audit(41, "promote", "failed again"))
        .await
        .unwrap());
    let record = store.promotion(id).await.unwrap().unwrap();
    assert_eq!(record.status, DeploymentStatus::Failed);
    assert_eq!(record.reason, "webhook answered 500");
    // The ref moved and the run failed; a rollback never offers another rollback.
    assert!(
        record.ref_moved
            && !slipway_core::offers_rollback(record.spec.kind, record.status, record.ref_moved)
    );
    assert_eq!(record.spec.changes.len(), 2);
    assert!(store.unfinished_promotions().await.unwrap().is_empty());
    assert_eq!(store.holds().await.unwrap().len(), 1);
    let follow_ups = store.follow_ups(false).await.unwrap();
    assert_eq!(follow_ups.len(), 1);
    assert_eq!(follow_ups[0].promotion_id, Some(id));
    // The lock is released: the next promotion starts.
    let Began::Started(next) = store
        .begin_promotion(&promotion("bo@x", 50), None)
        .await
        .unwrap()
    else {
        panic!("the lock should be free");
    };
    assert!(next > id);
    let success = PromotionEnd {
        status: DeploymentStatus::Succeeded,
        reason: String::new(),
        output: String::new(),
        at: 55,
        ref_moved: true,
        record_deployment: true,
    };
    store
        .finish_promotion(next, &success, &audit(55, "promote", "ok"))
        .await
        .unwrap();
    assert_eq!(store.deployments("shop").await.unwrap()["staging"].len(), 1);
    let history = store.promotions("shop", Some("staging"), 10).await.unwrap();
    assert_eq!(
        history.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![next, id]
    );
    assert!(store
        .promotions("shop", Some("production"), 10)
        .await
        .unwrap()
        .is_empty());

    // Holds: one at a time; lifting twice is refused.
    let hold = Hold {
        reason: "x".into(),
        owner: "bo@x".into(),
        since: 60,
    };
    assert!(!store
        .hold("shop", "staging", &hold, &audit(60, "hold", "again"))
        .await
        .unwrap());
    assert!(store
        .lift_hold("shop", "staging", &audit(61, "unhold", "lifted"))
        .await
        .unwrap());
    assert!(!store
        .lift_hold("shop", "staging", &audit(62, "unhold", "again"))
        .await
        .unwrap());
    assert!(store
        .hold("shop", "staging", &hold, &audit(63, "hold", "on"))
        .await
        .unwrap());

    // Bad marks and follow-ups.
    let mark = BadMark {
        sha: sha.clone(),
        reason: "corrupts carts".into(),
        by: "ana@x".into(),
    };
    store
        .mark_bad("shop", &mark, &audit(70, "mark_bad", "bad"))
        .await
        .unwrap();
    assert_eq!(store.bad_changes("shop").await.unwrap(), vec![mark]);
    assert!(store
        .unmark_bad("shop", &sha, &audit(71, "unmark_bad", "ok"))
        .await
        .unwrap());
    assert!(!store
        .unmark_bad("shop", &sha, &audit(72, "unmark_bad", "again"))
        .await
        .unwrap());
    assert_eq!(
        (follow_ups[0].owner.as_deref(), follow_ups[0].due_at),
        (Some("rm@x"), Some(1_000_000))
    );
    assert!(store
        .close_follow_up(
            follow_ups[0].id,
            slipway_core::FollowUpStatus::WontDo,
            Some("superseded"),
            &audit(73, "close_follow_up", "done")
        )
        .await
        .unwrap());
    assert!(!store
        .close_follow_up(
            follow_ups[0].id,
            slipway_core::FollowUpStatus::Done,
            None,
            &audit(74, "close_follow_up", "again")
        )
        .await
        .unwrap());
    assert!(store.follow_ups(false).await.unwrap().is_empty());
    let all = store.follow_ups(true).await.unwrap();
    assert_eq!(
        (all.len(), all[0].status, all[0].reason.as_deref()),
        (1, slipway_core::FollowUpStatus::WontDo, Some("superseded"))
    );

    // Every act above is in the chain, once, in order; refused acts wrote nothing.
    let (entries, (count, head)) = store.audit_log().await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.entry.action.as_str()).collect();
    assert_eq!(
        actions,
        vec![
            "configure",
            "configure",
            "configure",
            "signoff",
            "signoff",
            "freeze",
            "promote",
            "promote",
            "unhold",
            "hold",
            "mark_bad",
            "unmark_bad",
            "close_follow_up"
        ]
    );
    assert_eq!(verify_chain(&entries, Some((count, &head))), Ok(13));
    store.close().await;
}

#[tokio::test]
async fn promotions_story_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    story(Location::Sqlite(tmp.path().join("slipway.db"))).await;
}

#[tokio::test]
async fn promotions_story_on_postgres() {
    let cluster = crate::support::pg::PgCluster::start();
    story(Location::postgres(&cluster.database("promotions_story")).unwrap()).await;
}

/// Eight writers, each with its own connections, start a promotion of one environment at
/// the same moment and append to the audit log: exactly one promotion starts, every other
/// writer is told who holds it, and the audit chain stays whole.
async fn race(location: Location) {
    Store::create(&location)
        .await
        .unwrap()
        .add_project(&shop(), 1)
        .await
        .unwrap();
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(8));
    let mut writers = Vec::new();
    for w in 0..8 {
        let location = location.clone();
        let barrier = barrier.clone();
        writers.push(tokio::spawn(async move {
            let store = Store::open(&location).await.unwrap();
            barrier.wait().await;
            let began = store
                .begin_promotion(&promotion(&format!("w{w}@x"), 100 + w), None)
                .await
                .unwrap();
            for i in 0..20 {
                store
                    .audit(&audit(200 + i, "note", &format!("writer {w} entry {i}")))
                    .await
                    .unwrap();
            }
            store.close().await;
            began
        }));
    }
    let mut started = 0;
    let mut busy = 0;
    for w in writers {
        match w.await.unwrap() {
            Began::Started(_) => started += 1,
            Began::Busy { .. } => busy += 1,
        }
    }
    assert_eq!((started, busy), (1, 7));
    let store = Store::open(&location).await.unwrap();
    assert_eq!(store.unfinished_promotions().await.unwrap().len(), 1);
    let (entries, (count, head)) = store.audit_log().await.unwrap();
    assert_eq!(verify_chain(&entries, Some((count, &head))), Ok(160));
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_promotion_at_a_time_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    race(Location::Sqlite(tmp.path().join("slipway.db"))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_promotion_at_a_time_on_postgres() {
    let cluster = crate::support::pg::PgCluster::start();
    race(Location::postgres(&cluster.database("race")).unwrap()).await;
}

/// Changing, removing or truncating audit rows behind Slipway's back is found.
#[tokio::test]
async fn audit_tampering_is_found() {
    sqlx::any::install_default_drivers();
    let cases: [(&str, ChainBreak); 3] = [
        (
            "UPDATE audit_log SET detail = 'promotion 99' WHERE seq = 3",
            ChainBreak::Changed(3),
        ),
        (
            "DELETE FROM audit_log WHERE seq = 2",
            ChainBreak::Removed(3),
        ),
        (
            "DELETE FROM audit_log WHERE seq >= 4",
            ChainBreak::Truncated(2),
        ),
    ];
    for (sql, want) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("slipway.db");
        let store = Store::create(&Location::Sqlite(path.clone()))
            .await
            .unwrap();
        for i in 0..5 {
            store
                .audit(&audit(i, "promote", &format!("promotion {i}")))
                .await
                .unwrap();
        }
        let (entries, (count, head)) = store.audit_log().await.unwrap();
        assert_eq!(verify_chain(&entries, Some((count, &head))), Ok(5));
        store.close().await;
        let pool = sqlx::AnyPool::connect(&format!("sqlite:{}?mode=rw", path.display()))
            .await
            .unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap();
        pool.close().await;
        let store = Store::open(&Location::Sqlite(path.clone())).await.unwrap();
        let (entries, (count, head)) = store.audit_log().await.unwrap();
        assert_eq!(
            verify_chain(&entries, Some((count, &head))),
            Err(want),
            "{sql}"
        );
        store.close().await;
    }
}

/// Team mode: a second connection's hold reaches a listener within a second, pushed by
/// PostgreSQL's NOTIFY when the hold commits — and a refused act announces nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acts_are_pushed_to_listeners_on_postgres() {
    let cluster = crate::support::pg::PgCluster::start();
    let location = Location::postgres(&cluster.database("listen")).unwrap();
    let desk_a = Store::create(&location).await.unwrap();
    desk_a.add_project(&shop(), 1).await.unwrap();
    let desk_b = Store::open(&location).await.unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let task = desk_a
        .listen(move |payload| drop(tx.send(payload)))
        .await
        .unwrap()
        .expect("PostgreSQL listens");
    let hold = Hold {
        reason: "checkout errors".into(),
        owner: "bo@x".into(),
        since: 1,
    };
    let started = std::time::Instant::now();
    assert!(desk_b
        .hold("shop", "staging", &hold, &audit(1, "hold", "held"))
        .await
        .unwrap());
    let got = tokio::time::timeout(std::time::Duration::from_secs(1), rx.recv())
        .await
        .expect("pushed within a second")
        .unwrap();
    assert_eq!(got, "hold shop/staging");
    eprintln!("hold reached the listener in {:?}", started.elapsed());
    // A refused second hold writes nothing and announces nothing.
    assert!(!desk_b
        .hold("shop", "staging", &hold, &audit(2, "hold", "again"))
        .await
        .unwrap());
    assert!(
        tokio::time::timeout(std::time::Duration::from_millis(300), rx.recv())
            .await
            .is_err()
    );
    task.abort();
    // SQLite has nothing to listen to.
    let tmp = tempfile::tempdir().unwrap();
    let sqlite = Store::create(&Location::Sqlite(tmp.path().join("s.db")))
        .await
        .unwrap();
    assert!(sqlite.listen(|_| {}).await.unwrap().is_none());
}
