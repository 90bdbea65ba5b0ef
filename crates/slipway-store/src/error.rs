use std::path::PathBuf;

use crate::Location;

/// What can go wrong with the workspace database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The SQLite file is not there.
    #[error("the workspace database {0} does not exist")]
    Missing(PathBuf),
    /// The file exists but is not a readable SQLite database (corrupt, or another kind of file).
    #[error("the workspace database {location} cannot be read: {reason}")]
    Unreadable {
        /// Which database.
        location: Location,
        /// What SQLite said.
        reason: String,
    },
    /// The PostgreSQL server did not answer or refused the connection.
    #[error("cannot connect to the workspace database {location}: {reason}")]
    Unreachable {
        /// Which database.
        location: Location,
        /// What the driver said.
        reason: String,
    },
    /// The schema could not be brought up to date (for example, a newer Slipway made it).
    #[error("the workspace database {location} has a schema this Slipway cannot use: {reason}")]
    Schema {
        /// Which database.
        location: Location,
        /// What the migrator said.
        reason: String,
    },
    /// The database URL is malformed.
    #[error("the database URL is not valid: {0}")]
    InvalidUrl(String),
    /// Passwords do not belong in URLs that are written to files.
    #[error("the PostgreSQL URL contains a password; remove it and give the password in PGPASSWORD or ~/.pgpass instead")]
    PasswordInUrl,
    /// A project with this name exists already.
    #[error("a project named {0:?} exists already")]
    ProjectExists(String),
    /// No project has this name.
    #[error("there is no project named {0:?}")]
    ProjectMissing(String),
    /// Removing the project would remove its change requests, an audit trail.
    #[error("project {project:?} has {requests} change request(s); they are its audit trail, so it cannot be removed")]
    ProjectHasRequests {
        /// The project.
        project: String,
        /// How many requests it has.
        requests: i64,
    },
    /// No change request has this number.
    #[error("there is no change request #{0}")]
    RequestMissing(i64),
    /// Someone else changed the request since it was read.
    #[error(
        "change request #{0} was changed by someone else in the meantime; look again and retry"
    )]
    RequestMoved(i64),
    /// A policy names a calendar that does not exist.
    #[error("there is no calendar named {0:?}; add it first (slipway calendar add)")]
    CalendarMissing(String),
    /// A stored row that does not make sense (hand-edited database).
    #[error("the workspace database holds an invalid {what}: {reason}")]
    Invalid {
        /// The kind of row.
        what: &'static str,
        /// Why it is invalid.
        reason: String,
    },
    /// Something with this name exists already.
    #[error("a {what} named {name:?} exists already")]
    Exists {
        /// What kind of thing.
        what: &'static str,
        /// The name.
        name: String,
    },
    /// The SQLite file is there and empty, with no write-ahead log beside it: no data at all.
    #[error("the workspace database {0} is empty (0 bytes)")]
    Empty(PathBuf),
    /// The SQLite file, or the folder it is in, cannot be written by this user (or is on a
    /// read-only file system).
    #[error("{}", read_only_text(path.as_deref(), *folder))]
    ReadOnly {
        /// The file or the folder, when known.
        path: Option<PathBuf>,
        /// Whether it is the folder (SQLite creates its write-ahead log beside the file).
        folder: bool,
    },
    /// Another process holds a lock on the SQLite database past the wait.
    #[error("{} is locked by another process", .0.as_ref().map_or_else(|| "the workspace database".to_string(), |p| format!("the workspace database {}", p.display())))]
    Locked(Option<PathBuf>),
    /// Any other database error.
    #[error("database error: {0}")]
    Query(sqlx::Error),
}

fn read_only_text(path: Option<&std::path::Path>, folder: bool) -> String {
    let path = path.map_or(String::new(), |p| format!(" {}", p.display()));
    if folder {
        format!(
            "the workspace folder{path} is read-only for this user, and SQLite must create the database's write-ahead log (slipway.db-wal) in it"
        )
    } else {
        format!("the workspace database{path} is read-only for this user")
    }
}

impl From<sqlx::Error> for StoreError {
    /// A SQLite lock held past the wait, or a write to a read-only database, is said as such;
    /// anything else is a query error.
    fn from(e: sqlx::Error) -> Self {
        match sqlite_trouble(&e) {
            Some(Trouble::Locked) => StoreError::Locked(None),
            Some(Trouble::ReadOnly) => StoreError::ReadOnly {
                path: None,
                folder: false,
            },
            None => StoreError::Query(e),
        }
    }
}

/// SQLite's two conditions that are the user's environment, not a fault of Slipway's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trouble {
    /// SQLITE_BUSY or SQLITE_LOCKED (and their extended codes).
    Locked,
    /// SQLITE_READONLY (and its extended codes).
    ReadOnly,
}

/// Which of [`Trouble`] a database error is, by SQLite's result code (primary code in the low
/// byte) and its message — PostgreSQL's codes are five-character SQLSTATEs and never match.
pub(crate) fn sqlite_trouble(e: &sqlx::Error) -> Option<Trouble> {
    let sqlx::Error::Database(d) = e else {
        return None;
    };
    let code: u32 = d.code()?.parse().ok()?;
    let message = d.message();
    match code & 0xff {
        5 | 6 if message.contains("locked") => Some(Trouble::Locked),
        8 if message.contains("readonly") => Some(Trouble::ReadOnly),
        _ => None,
    }
}

impl StoreError {
    /// A stored row that does not make sense.
    pub(crate) fn invalid(what: &'static str, reason: impl ToString) -> StoreError {
        StoreError::Invalid {
            what,
            reason: reason.to_string(),
        }
    }
}

/// Whether `e` is a unique key refusing a second row of the same name (SQLite 2067 or 1555,
/// PostgreSQL 23505).
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            db.is_unique_violation()
                || matches!(
                    db.code().as_deref(),
                    Some("2067") | Some("1555") | Some("23505")
                )
        }
        _ => false,
    }
}
