//! Slipway's store: one [`Store`] over SQLite (a personal workspace) and PostgreSQL (a team's),
//! each with its own migrations folder, embedded in the binary.
//!
//! Architecture invariant: depends on `slipway-core` only; speaks domain types, never JSON.
//! Queries are written once in SQL both backends accept (`$1` placeholders, `RETURNING`,
//! 64-bit integers for times and positions).

mod audit;
mod clocks;
mod deployments;
mod error;
mod fetches;
mod follow_ups;
mod gates;
mod guard;
mod listen;
mod notifications;
mod outbox;
mod policies;
mod projects;
mod promotions;
mod requests;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, ConnectOptions, Executor};

pub use audit::AuditDraft;
pub use clocks::ClockEvent;
pub use deployments::DeploymentRecord;
pub use error::StoreError;
pub use follow_ups::{FollowUp, FollowUpEdit, FollowUpSettings, NewFollowUp};
pub use gates::{DeploySettings, StoredWeeklyFreeze};
pub use notifications::{ChannelRecord, StoredTemplate, UNDELIVERABLE};
pub use outbox::{DeliveryCount, Failure, OutboxRow, OutboxState};
pub use policies::{FreezeWindow, Person};
pub use promotions::{Began, NewPromotion, PromotionEnd, PromotionRecord};
pub use requests::StoredRequest;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Where a workspace's database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An embedded SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL URL (never with a password in it).
    Postgres(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(p) => write!(f, "{}", p.display()),
            Location::Postgres(url) => f.write_str(url),
        }
    }
}

impl Location {
    /// Reads a PostgreSQL URL, refusing one that carries a password.
    pub fn postgres(url: &str) -> Result<Location, StoreError> {
        let rest = url
            .strip_prefix("postgres://")
            .or_else(|| url.strip_prefix("postgresql://"))
            .ok_or_else(|| {
                StoreError::InvalidUrl("it must start with postgres:// or postgresql://".into())
            })?;
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        let in_query = rest.split_once('?').is_some_and(|(_, query)| {
            query.split('&').any(|pair| {
                pair.split('=')
                    .next()
                    .unwrap_or("")
                    .eq_ignore_ascii_case("password")
            })
        });
        if in_query
            || authority
                .rsplit_once('@')
                .is_some_and(|(user, _)| user.contains(':'))
        {
            return Err(StoreError::PasswordInUrl);
        }
        // The driver's own words may quote the URL: they are not passed on.
        AnyConnectOptions::from_str(url).map_err(|_| {
            StoreError::InvalidUrl(
                "the driver cannot read it (check the host, port and database name)".into(),
            )
        })?;
        Ok(Location::Postgres(url.to_string()))
    }
}

/// The workspace database: projects and their pipelines.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    location: Location,
    /// Woken when this process writes deliveries (dispatchers wait on it).
    outbox_signal: std::sync::Arc<tokio::sync::Notify>,
    /// Woken when this process changes a request or makes an audited act (a policy, hold or
    /// freeze): a watcher re-arms its timer on it.
    changes_signal: std::sync::Arc<tokio::sync::Notify>,
    /// Signs audit checkpoints (see [`Store::with_anchor`]).
    anchor: Option<Anchor>,
}

/// Signs an audit checkpoint: entry `seq`'s hash → its signature, or `None` when no key is
/// at hand (then no checkpoint is written). The key lives outside the database.
pub type Anchor = std::sync::Arc<dyn Fn(i64, &str) -> Option<String> + Send + Sync>;

impl Store {
    /// Opens an existing database and brings its schema up to date.
    ///
    /// A SQLite file that does not exist is an error here (see [`Store::create`]); a file that
    /// is not a database is reported as unreadable and left exactly as it was.
    pub async fn open(location: &Location) -> Result<Store, StoreError> {
        Self::connect(location, false).await
    }

    /// Opens the database, creating a SQLite file when there is none.
    pub async fn create(location: &Location) -> Result<Store, StoreError> {
        Self::connect(location, true).await
    }

    /// Whether the database answers now (within the pool's three-second wait for a
    /// connection); why not, when it does not.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(|e| StoreError::Unreachable {
                location: self.location.clone(),
                reason: reason(&e),
            })
    }

    async fn connect(location: &Location, create: bool) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let unreadable = |e: &dyn fmt::Display| StoreError::Unreadable {
            location: location.clone(),
            reason: e.to_string(),
        };
        let (url, migrator, is_sqlite) = match location {
            Location::Sqlite(path) => {
                if !create && !path.exists() {
                    return Err(StoreError::Missing(path.clone()));
                }
                if path.is_dir() {
                    return Err(unreadable(&"it is a folder, not a file"));
                }
                if !create {
                    diagnose_sqlite_file(path)?;
                }
                let mode = if create { "rwc" } else { "rw" };
                (
                    format!("sqlite://{}?mode={mode}", encode_path(path)),
                    &SQLITE_MIGRATIONS,
                    true,
                )
            }
            Location::Postgres(url) => (url.clone(), &POSTGRES_MIGRATIONS, false),
        };
        let options = AnyConnectOptions::from_str(&url)
            .map_err(|e| StoreError::InvalidUrl(e.to_string()))?
            .disable_statement_logging();
        let pool = AnyPoolOptions::new()
            .max_connections(if is_sqlite { 4 } else { 8 })
            .acquire_timeout(Duration::from_secs(3))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if is_sqlite {
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|e| match location {
                Location::Sqlite(path) => {
                    sqlite_open_error(path, &e).unwrap_or_else(|| unreadable(&reason(&e)))
                }
                Location::Postgres(_) => StoreError::Unreachable {
                    location: location.clone(),
                    reason: reason(&e),
                },
            })?;
        if is_sqlite {
            // WAL lets the desktop read while a CLI or watcher writes; it persists in the file.
            pool.execute("PRAGMA journal_mode = WAL")
                .await
                .map_err(|e| match location {
                    Location::Sqlite(path) => {
                        sqlite_open_error(path, &e).unwrap_or_else(|| unreadable(&reason(&e)))
                    }
                    Location::Postgres(_) => unreadable(&reason(&e)),
                })?;
        }
        // A workspace already at the newest schema is not migrated again: the look is one
        // read, where running the migrator writes its table and hashes every migration.
        if !schema_is_current(&pool, migrator).await {
            migrate(&pool, migrator, location).await?;
        }
        tracing::debug!(%location, "store opened");
        if CLOSE_ON_EXIT.load(std::sync::atomic::Ordering::Relaxed) {
            OPEN_POOLS
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push((pool.clone(), is_sqlite));
        }
        Ok(Store {
            pool,
            location: location.clone(),
            outbox_signal: std::sync::Arc::default(),
            changes_signal: std::sync::Arc::default(),
            anchor: None,
        })
    }

    /// This store, writing a signed checkpoint with every audit entry.
    pub fn with_anchor(mut self, anchor: Anchor) -> Store {
        self.anchor = Some(anchor);
        self
    }

    /// Where this store lives.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// SQLite's journal mode (`wal` by default); `None` on PostgreSQL.
    pub async fn journal_mode(&self) -> Result<Option<String>, StoreError> {
        match self.location {
            Location::Sqlite(_) => Ok(Some(
                sqlx::query_scalar("PRAGMA journal_mode")
                    .fetch_one(&self.pool)
                    .await?,
            )),
            Location::Postgres(_) => Ok(None),
        }
    }

    /// Closes every connection; on SQLite, after copying the write-ahead log into the
    /// database file, so the file alone holds every write.
    pub async fn close(&self) {
        close_pool(&self.pool, matches!(self.location, Location::Sqlite(_))).await;
    }
}

/// Every pool this process opened since [`close_on_exit`], so that [`close_all`] can close
/// them on the way out.
static OPEN_POOLS: std::sync::Mutex<Vec<(AnyPool, bool)>> = std::sync::Mutex::new(Vec::new());
static CLOSE_ON_EXIT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// For a short-lived process (the command line): keeps every store opened from now on, for
/// [`close_all`] at its end. A long-lived one closes its stores itself.
pub fn close_on_exit() {
    CLOSE_ON_EXIT.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Closes every store this process opened, for a clean exit: on SQLite the write-ahead log
/// is checkpointed into the database file and truncated first (the last connection to close
/// then usually removes it), so the file alone holds every write — a process that just exits
/// leaves its writes in `slipway.db-wal`.
pub async fn close_all() {
    let pools = std::mem::take(&mut *OPEN_POOLS.lock().unwrap_or_else(|p| p.into_inner()));
    for (pool, is_sqlite) in pools {
        close_pool(&pool, is_sqlite).await;
    }
}

async fn close_pool(pool: &AnyPool, is_sqlite: bool) {
    if is_sqlite && !pool.is_closed() {
        checkpoint(pool).await;
    }
    pool.close().await;
}

/// Copies the write-ahead log into the database file and empties it. A checkpoint that
/// another reader holds back answers "busy" (a row, not an error): it is tried again for up
/// to a second, then left to the next process.
async fn checkpoint(pool: &AnyPool) {
    for attempt in 0..20 {
        match sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(pool)
            .await
        {
            Ok((0, _, _)) => return,
            Ok((_, log, done)) => {
                tracing::debug!(attempt, log, done, "checkpoint held back by a reader");
            }
            Err(e) => {
                tracing::debug!(error = %e, "checkpoint on close failed");
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What is wrong with an existing SQLite file before SQLite is let near it: empty (and no
/// write-ahead log holds its data), not writable, or in a folder that is not writable.
/// Nothing is written to find out.
fn diagnose_sqlite_file(path: &std::path::Path) -> Result<(), StoreError> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    let wal = wal_of(path);
    let wal_len = std::fs::metadata(&wal).map_or(0, |m| m.len());
    if meta.len() == 0 && wal_len == 0 {
        return Err(StoreError::Empty(path.to_path_buf()));
    }
    // Opening for writing (no create, no truncate) changes nothing, and answers for this
    // user, this file's mode and the file system's.
    if let Err(e) = std::fs::OpenOptions::new().write(true).open(path) {
        if matches!(
            e.kind(),
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
        ) {
            return Err(StoreError::ReadOnly {
                path: Some(path.to_path_buf()),
                folder: false,
            });
        }
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    if wal_len == 0 && !writable_folder(folder) {
        return Err(StoreError::ReadOnly {
            path: Some(folder.to_path_buf()),
            folder: true,
        });
    }
    Ok(())
}

/// The write-ahead log beside a SQLite file.
fn wal_of(path: &std::path::Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push("-wal");
    path.with_file_name(name)
}

/// Whether this user may create files in `folder` (access(2), so root, the mode, ACLs and a
/// read-only mount all count); a folder that cannot be asked counts as writable, and SQLite
/// says the rest.
fn writable_folder(folder: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        match rustix::fs::access(folder, rustix::fs::Access::WRITE_OK) {
            Ok(()) => true,
            Err(e) => e != rustix::io::Errno::ACCESS && e != rustix::io::Errno::ROFS,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        true
    }
}

/// A lock or a read-only file met while opening `path`, said with the file's name.
fn sqlite_open_error(path: &std::path::Path, e: &sqlx::Error) -> Option<StoreError> {
    Some(match error::sqlite_trouble(e)? {
        error::Trouble::Locked => StoreError::Locked(Some(path.to_path_buf())),
        error::Trouble::ReadOnly => StoreError::ReadOnly {
            path: Some(path.to_path_buf()),
            folder: false,
        },
    })
}

/// The database's own words, without the driver's wrapping ("error returned from database: …").
fn reason(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(d) => d.message().to_string(),
        other => other.to_string(),
    }
}

/// A flag as the databases store it (0 or 1).
pub(crate) fn bool_int(b: bool) -> i64 {
    i64::from(b)
}

/// A short list kept in one column, comma-separated (roles, recipients).
pub(crate) fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect()
}

/// SQLite URLs are URLs: escape what would end the path early.
fn encode_path(path: &Path) -> String {
    path.to_string_lossy()
        .replace('%', "%25")
        .replace('?', "%3F")
        .replace('#', "%23")
}

/// Whether every migration `migrator` knows has been applied, successfully, and no other.
async fn schema_is_current(pool: &sqlx::AnyPool, migrator: &Migrator) -> bool {
    let newest = migrator.iter().map(|m| m.version).max().unwrap_or(0);
    let known = migrator.iter().count() as i64;
    let applied: Result<(i64, Option<i64>), _> =
        sqlx::query_as("SELECT COUNT(*), MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(pool)
            .await;
    matches!(applied, Ok((n, Some(max))) if n == known && max == newest)
}

/// Runs the migrations not applied yet.
async fn migrate(
    pool: &sqlx::AnyPool,
    migrator: &Migrator,
    location: &Location,
) -> Result<(), StoreError> {
    migrator.run(pool).await.map_err(|e| {
        let trouble = match (&e, location) {
            (sqlx::migrate::MigrateError::Execute(inner), Location::Sqlite(path)) => {
                sqlite_open_error(path, inner)
            }
            _ => None,
        };
        trouble.unwrap_or_else(|| StoreError::Schema {
            location: location.clone(),
            reason: e.to_string(),
        })
    })?;
    Ok(())
}
