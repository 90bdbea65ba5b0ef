//! One story, two backends: the same assertions on SQLite and on a throwaway PostgreSQL cluster.

use std::path::PathBuf;

use slipway_core::{Environment, Pipeline, Project, TrackingRef};
use slipway_store::{Location, Store, StoreError};

fn project(name: &str, envs: &[&str]) -> Project {
    Project {
        name: name.into(),
        repo_path: PathBuf::from(format!("/repos/{name} ünïcode")),
        pipeline: Pipeline {
            trunk: "main".into(),
            environments: envs
                .iter()
                .map(|e| Environment {
                    name: e.to_string(),
                    tracking: TrackingRef::Branch(format!("deploy/{e}")),
                })
                .collect(),
        },
    }
}

async fn story(location: Location) {
    let store = Store::create(&location).await.expect("store opens");
    assert!(store.projects().await.unwrap().is_empty());

    let payments = project("payments", &["qa", "staging", "production"]);
    let mut ledger = project("ledger", &["production", "audit"]);
    ledger.pipeline.environments[0].tracking = TrackingRef::Tags("production/*".into());
    ledger.pipeline.environments[1].tracking = TrackingRef::Database;
    store.add_project(&payments, 1_700_000_000).await.unwrap();
    store.add_project(&ledger, 1_700_000_001).await.unwrap();
    assert_eq!(
        store.projects().await.unwrap(),
        vec![ledger.clone(), payments.clone()]
    );

    // A duplicate name is refused and changes nothing.
    let dup = project("payments", &["other"]);
    assert!(
        matches!(store.add_project(&dup, 1).await, Err(StoreError::ProjectExists(n)) if n == "payments")
    );
    // So is a pipeline with a bad name, before anything is written.
    let bad = project("bad", &["qa;rm -rf"]);
    assert!(matches!(
        store.add_project(&bad, 1).await,
        Err(StoreError::Invalid { .. })
    ));
    assert_eq!(
        store.projects().await.unwrap(),
        vec![ledger.clone(), payments.clone()]
    );

    // Reopening sees the same data: migrations are idempotent.
    store.close().await;
    let store = Store::open(&location).await.unwrap();
    assert_eq!(
        store.projects().await.unwrap(),
        vec![ledger.clone(), payments.clone()]
    );

    // Fetch records: a success, then a failure that keeps the last success.
    store.record_fetch("payments", 100, Ok(())).await.unwrap();
    store
        .record_fetch("payments", 200, Err("remote unreachable"))
        .await
        .unwrap();
    let fetches = store.fetches().await.unwrap();
    assert_eq!(
        fetches["payments"],
        slipway_core::FetchRecord {
            attempted_at: 200,
            succeeded_at: Some(100),
            error: Some("remote unreachable".into())
        }
    );
    store.record_fetch("payments", 300, Ok(())).await.unwrap();
    assert_eq!(store.fetches().await.unwrap()["payments"].error, None);
    assert!(matches!(
        store.record_fetch("nope", 1, Ok(())).await,
        Err(StoreError::ProjectMissing(_))
    ));
    store.record_fetch("ledger", 1, Ok(())).await.unwrap();

    // Deployments recorded in the database, oldest first per environment.
    let d = |at: i64, c: char| slipway_store::DeploymentRecord {
        at,
        sha: c.to_string().repeat(40),
        by: "Zoë".into(),
    };
    store
        .record_deployment("ledger", "audit", &d(20, 'b'))
        .await
        .unwrap();
    store
        .record_deployment("ledger", "audit", &d(10, 'a'))
        .await
        .unwrap();
    store
        .record_deployment("ledger", "production", &d(5, 'c'))
        .await
        .unwrap();
    let deployments = store.deployments("ledger").await.unwrap();
    assert_eq!(deployments["audit"], vec![d(10, 'a'), d(20, 'b')]);
    assert_eq!(deployments["production"], vec![d(5, 'c')]);
    assert!(store
        .record_deployment(
            "ledger",
            "audit",
            &slipway_store::DeploymentRecord {
                at: 1,
                sha: "short".into(),
                by: "x".into()
            }
        )
        .await
        .is_err());
    assert!(matches!(
        store.record_deployment("nope", "audit", &d(1, 'a')).await,
        Err(StoreError::ProjectMissing(_))
    ));

    // Its secrets' references go back to the caller with it; a new one starts without.
    assert_eq!(store.https_token_ref("ledger").await.unwrap(), None);
    assert_eq!(
        store
            .set_https_token_ref("ledger", Some("project/ledger/https-token/n1"))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store.remove_project("ledger").await.unwrap(),
        vec!["project/ledger/https-token/n1".to_string()]
    );
    assert!(!store.fetches().await.unwrap().contains_key("ledger"));
    assert!(store.deployments("ledger").await.unwrap().is_empty());
    assert!(matches!(
        store.remove_project("ledger").await,
        Err(StoreError::ProjectMissing(_))
    ));
    assert_eq!(store.projects().await.unwrap(), vec![payments]);
    store.close().await;
}

#[tokio::test]
async fn story_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("slipway.db");
    story(Location::Sqlite(path.clone())).await;
    let store = Store::open(&Location::Sqlite(path)).await.unwrap();
    assert_eq!(store.journal_mode().await.unwrap().as_deref(), Some("wal"));
}

#[tokio::test]
async fn story_on_postgres() {
    let cluster = crate::support::pg::PgCluster::start();
    let url = cluster.database("slipway_story");
    story(Location::postgres(&url).unwrap()).await;
}

#[tokio::test]
async fn a_corrupt_database_is_reported_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("slipway.db");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();
    let err = Store::open(&Location::Sqlite(path.clone()))
        .await
        .err()
        .expect("refused");
    assert!(matches!(err, StoreError::Unreadable { .. }), "{err}");
    assert!(err.to_string().contains("slipway.db"), "{err}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        garbage,
        "the file is unchanged"
    );
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names,
        ["slipway.db"],
        "no journal or WAL files were left behind"
    );
}

#[tokio::test]
async fn missing_and_malformed_locations_are_clear() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nope.db");
    assert!(
        matches!(Store::open(&Location::Sqlite(missing.clone())).await, Err(StoreError::Missing(p)) if p == missing)
    );
    assert!(!missing.exists(), "open does not create");
    assert!(matches!(
        Store::open(&Location::Sqlite(tmp.path().to_path_buf())).await,
        Err(StoreError::Unreadable { .. })
    ));
    assert!(matches!(
        Location::postgres("postgres://u:secret@h/db"),
        Err(StoreError::PasswordInUrl)
    ));
    assert!(matches!(
        Location::postgres("mysql://h/db"),
        Err(StoreError::InvalidUrl(_))
    ));
    // A password in the query string is refused too, and no error repeats it.
    for url in [
        "postgres://u@h/db?password=hunter2",
        "postgres://u@h/db?sslmode=require&PASSWORD=hunter2",
    ] {
        let e = Location::postgres(url).expect_err(url);
        assert!(matches!(e, StoreError::PasswordInUrl), "{url}: {e}");
        assert!(!e.to_string().contains("hunter2"), "{e}");
    }
    let e = Location::postgres("postgres://u@h:notaport/db?application_name=hunter2")
        .expect_err("a bad port");
    assert!(!e.to_string().contains("hunter2"), "{e}");
    assert!(Location::postgres("postgres://u@h:5432/db").is_ok());
    // Nothing listens on port 1.
    let err = Store::open(&Location::postgres("postgres://u@127.0.0.1:1/db").unwrap())
        .await
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::Unreachable { .. }), "{err}");
}
