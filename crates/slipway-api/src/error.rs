use serde::Serialize;
use slipway_core::GateError;
use slipway_core::{RequestError, TypedError};
use slipway_git::GitError;
use slipway_secrets::SecretError;
use slipway_store::StoreError;
use ts_rs::TS;

/// A stable, machine-readable error kind; the UI and scripts match on this, never on text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No workspace at the chosen folder.
    WorkspaceMissing,
    /// A workspace exists where a new one was to be made.
    WorkspaceExists,
    /// The workspace's configuration file cannot be read.
    WorkspaceConfigInvalid,
    /// The workspace database file is missing.
    DatabaseMissing,
    /// The workspace database cannot be read (corrupt or not a database).
    DatabaseUnreadable,
    /// The team database does not answer.
    DatabaseUnreachable,
    /// The workspace database or its folder cannot be written by this user.
    DatabaseReadOnly,
    /// Another process holds a lock on the workspace database.
    DatabaseLocked,
    /// The database schema is newer or broken.
    DatabaseSchema,
    /// The project's repository folder is gone.
    RepositoryMissing,
    /// The project's path is not a git repository.
    NotARepository,
    /// A branch or ref the pipeline names does not exist.
    RefMissing,
    /// A project name is taken.
    ProjectExists,
    /// No such project.
    ProjectMissing,
    /// The input is malformed.
    InvalidInput,
    /// No change request has that number.
    RequestMissing,
    /// The lifecycle (or an approval rule) does not allow this step now.
    NotAllowed,
    /// Someone else changed the same thing at the same time; nothing was written.
    Conflict,
    /// The person acting is not known (no identity, or not in the people list).
    UnknownPerson,
    /// Reading or writing a file failed.
    Io,
    /// A fetch failed: the remote cannot be reached or refused.
    FetchFailed,
    /// The OS keychain does not answer; nothing secret was stored.
    KeychainUnavailable,
    /// The user cancelled the operation.
    Cancelled,
    /// Another promotion of the same environment is running.
    PromotionInProgress,
    /// The environment (or its remote ref) moved since it was looked at; refresh.
    EnvironmentMoved,
    /// A gate (hold, freeze, sign-off, bad mark) stops the promotion.
    GateBlocked,
    /// Pushing the environment's ref failed or was refused.
    PushFailed,
    /// A fix does not apply cleanly to the environment's line.
    CherryPickConflict,
    /// Something with that name exists already.
    AlreadyExists,
    /// No such thing (channel, stakeholder, subscription, delivery).
    NotFound,
    /// A message could not be delivered (the reason says exactly why).
    DeliveryFailed,
    /// Something Slipway did not expect; the log has details.
    Internal,
}

/// An error as it crosses to the UI or the CLI: a code and a sentence that says what is
/// wrong and how to fix it. Never a debug dump, never a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// What kind of failure.
    pub code: ErrorCode,
    /// What happened and what to do, for a person.
    pub message: String,
}

impl ApiError {
    /// An error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }

    /// Prefixes the message with the project and environment it concerns.
    pub fn in_environment(mut self, project: &str, environment: &str) -> Self {
        self.message = format!(
            "Project {project:?}, environment {environment:?}: {}",
            self.message
        );
        self
    }

    /// Prefixes the message with the project it concerns.
    pub fn in_project(mut self, project: &str) -> Self {
        self.message = format!("Project {project:?}: {}", self.message);
        self
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let (code, hint) = match &e {
            StoreError::Missing(_) => (
                ErrorCode::DatabaseMissing,
                "Restore it from a backup, or choose another workspace with --workspace.",
            ),
            StoreError::Unreadable { .. } => (
                ErrorCode::DatabaseUnreadable,
                "The file may be damaged or not a Slipway database. Slipway has not changed it: \
                 restore it from a backup, or move it aside to start afresh.",
            ),
            StoreError::Unreachable { .. } => (
                ErrorCode::DatabaseUnreachable,
                "Check that the server is running and the URL in slipway.toml is right.",
            ),
            StoreError::Schema { .. } => (
                ErrorCode::DatabaseSchema,
                "Use the Slipway version that last wrote this database, or restore a backup.",
            ),
            StoreError::InvalidUrl(_) | StoreError::PasswordInUrl | StoreError::Invalid { .. } => {
                (ErrorCode::InvalidInput, "")
            }
            StoreError::ProjectExists(_) => (ErrorCode::ProjectExists, ""),
            StoreError::ProjectMissing(_) => (ErrorCode::ProjectMissing, ""),
            StoreError::RequestMissing(_) => (ErrorCode::RequestMissing, ""),
            StoreError::ProjectHasRequests { .. } => (ErrorCode::NotAllowed, ""),
            StoreError::RequestMoved(_) => (ErrorCode::Conflict, ""),
            StoreError::CalendarMissing(_) => (ErrorCode::InvalidInput, ""),
            StoreError::Exists { .. } => (ErrorCode::AlreadyExists, ""),
            StoreError::Empty(_) => (
                ErrorCode::DatabaseUnreadable,
                "It holds no data: it may have been cut short by a full disk or an interrupted copy. \
                 Slipway has not changed it: restore it from a backup; to start a new workspace \
                 here instead, delete the empty file.",
            ),
            StoreError::ReadOnly { folder: true, .. } => (
                ErrorCode::DatabaseReadOnly,
                "Nothing was changed. Make the folder writable for this user, or copy the workspace \
                 somewhere writable and open the copy.",
            ),
            StoreError::ReadOnly { folder: false, .. } => (
                ErrorCode::DatabaseReadOnly,
                "Nothing was changed. Make the file writable for this user (it and its folder are \
                 the workspace), or copy the workspace somewhere writable and open the copy.",
            ),
            StoreError::Locked(_) => (
                ErrorCode::DatabaseLocked,
                "Another program holds it (a sqlite3 shell, a backup tool, a Slipway that is stuck). \
                 Close that program and try again; what this command was writing was not written.",
            ),
            StoreError::Query(_) => (ErrorCode::Internal, ""),
        };
        explained(code, &e, hint)
    }
}

impl From<GitError> for ApiError {
    fn from(e: GitError) -> Self {
        let (code, hint) = match &e {
            GitError::RepositoryMissing(_) => (
                ErrorCode::RepositoryMissing,
                "Restore the clone at that path; the board reads it again as soon as it is back.",
            ),
            GitError::NotARepository(_) => (
                ErrorCode::NotARepository,
                "Point the project at a git clone.",
            ),
            GitError::NotAClone { .. } => (ErrorCode::NotARepository, "Nothing was stored."),
            GitError::RefMissing(_) => (
                ErrorCode::RefMissing,
                "Fetch the repository, or fix the pipeline's branch names.",
            ),
            GitError::Shallow(_) => (ErrorCode::RefMissing, ""),
            GitError::Ambiguous(_) | GitError::ShortSha(_) | GitError::AmbiguousSha { .. } => {
                (ErrorCode::InvalidInput, "")
            }
            GitError::NotRecorded(_) => (
                ErrorCode::RefMissing,
                "Record one with `slipway deployment record`; promotions will record them too.",
            ),
            GitError::Unrelated(_) => (
                ErrorCode::InvalidInput,
                "Point the environment at a branch that grows from trunk.",
            ),
            GitError::NoTags(_) => (
                ErrorCode::RefMissing,
                "Fetch the tags, or fix the environment's tag pattern.",
            ),
            GitError::RemoteMissing(_) => (
                ErrorCode::RefMissing,
                "Add the remote to the clone (git remote add).",
            ),
            GitError::Fetch { .. } => (
                ErrorCode::FetchFailed,
                "The board shows the last state fetched; Slipway tries again on the next fetch.",
            ),
            GitError::Cancelled => (ErrorCode::Cancelled, "Nothing changed."),
            GitError::RemoteMoved { .. } | GitError::RefMoved { .. } => {
                (ErrorCode::EnvironmentMoved, "")
            }
            GitError::PushRejected { .. } | GitError::Push { .. } => (ErrorCode::PushFailed, ""),
            GitError::NotFastForward { .. } | GitError::TagExists(_) => {
                (ErrorCode::InvalidInput, "")
            }
            GitError::CherryPickConflict { .. } => (ErrorCode::CherryPickConflict, ""),
            GitError::Git(_) => (ErrorCode::Internal, ""),
        };
        explained(code, &e, hint)
    }
}

/// "<What happened>. <What to do>" — and unexpected failures go to the log as well.
fn explained(code: ErrorCode, e: &dyn std::fmt::Display, hint: &str) -> ApiError {
    if code == ErrorCode::Internal {
        tracing::error!(error = %e, "unexpected failure");
    }
    let message = capitalise(&e.to_string());
    ApiError::new(
        code,
        if hint.is_empty() {
            format!("{message}.")
        } else {
            format!("{message}. {hint}")
        },
    )
}

/// Input Slipway refuses, with the sentence that says why.
pub(crate) fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidInput, message)
}

pub(crate) fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// A keychain failure, saying that nothing was saved.
pub(crate) fn keychain_error(e: SecretError) -> ApiError {
    let code = match e {
        SecretError::Unavailable(_) => ErrorCode::KeychainUnavailable,
        SecretError::Invalid(_) => ErrorCode::InvalidInput,
    };
    ApiError::new(
        code,
        format!("{}; nothing was saved.", capitalise(&e.to_string())),
    )
}

/// A gate's refusal: not allowed (own change, missing role, no rule) or bad input.
pub(crate) fn gate_error(e: GateError) -> ApiError {
    let code = match e {
        GateError::OwnChange(_) | GateError::MissingRole { .. } | GateError::NoRule(_) => {
            ErrorCode::NotAllowed
        }
        _ => ErrorCode::InvalidInput,
    };
    ApiError::new(code, format!("{}.", capitalise(&e.to_string())))
}

/// A rule's refusal of bad input, as a sentence.
pub(crate) fn rule_error(e: impl std::fmt::Display) -> ApiError {
    invalid(format!("{}.", capitalise(&e.to_string())))
}

/// Something named that does not exist.
pub(crate) fn not_found(message: String) -> ApiError {
    ApiError::new(ErrorCode::NotFound, message)
}

impl From<TypedError> for ApiError {
    fn from(e: TypedError) -> Self {
        invalid(e.to_string())
    }
}

impl From<RequestError> for ApiError {
    fn from(e: RequestError) -> Self {
        let code = match e {
            RequestError::Unknown { .. }
            | RequestError::Empty(_)
            | RequestError::OutOfOrder { .. } => ErrorCode::InvalidInput,
            _ => ErrorCode::NotAllowed,
        };
        ApiError::new(code, format!("{}.", capitalise(&e.to_string())))
    }
}

/// A blocking task (git, keychain) that stopped before it answered.
pub(crate) fn stopped(what: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        ErrorCode::Internal,
        format!("{what} stopped unexpectedly: {e}."),
    )
}
