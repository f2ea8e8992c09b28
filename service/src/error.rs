//! The one error shape that crosses the service boundary: `{code, message}`.

use serde::Serialize;

/// What the caller can act on. Add a code only when a caller branches on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request is wrong; the message says what to fix.
    InvalidInput,
    /// No such patient, staff member or record.
    NotFound,
    /// Not signed in, or the credentials are wrong.
    Unauthorized,
    /// Signed in, but the role does not allow it.
    Forbidden,
    /// The request clashes with the current state (e.g. already enrolled).
    Conflict,
    /// Something of ours broke; the details are in the log under an id.
    Internal,
}

/// An error for staff or a script: a stable code and a message that says what to fix.
///
/// Messages never contain patient data (phone numbers, names, message texts) or secrets,
/// because callers log them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct ServiceError {
    /// What kind of failure this is.
    pub code: ErrorCode,
    /// What went wrong and what to do about it.
    pub message: String,
}

impl ServiceError {
    /// A request the caller must correct.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::InvalidInput,
            message: message.into(),
        }
    }

    /// A missing record.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::NotFound,
            message: message.into(),
        }
    }

    /// Wrong or missing credentials.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::Unauthorized,
            message: message.into(),
        }
    }

    /// The role does not allow the action.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::Forbidden,
            message: message.into(),
        }
    }

    /// The action clashes with the current state.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::Conflict,
            message: message.into(),
        }
    }
}

impl From<anyhow::Error> for ServiceError {
    /// Internal failures are logged once here with an incident id; the caller sees only the id.
    ///
    /// The chain is built by our own `.context(...)` calls, which name steps and ids, never
    /// patient data; database errors do not echo bound values.
    fn from(error: anyhow::Error) -> Self {
        let incident = uuid::Uuid::new_v4();
        tracing::error!(%incident, error = format!("{error:#}"), "internal error");
        Self {
            code: ErrorCode::Internal,
            message: format!("internal error (incident {incident}); see the service log"),
        }
    }
}

impl From<sqlx::Error> for ServiceError {
    fn from(error: sqlx::Error) -> Self {
        anyhow::Error::new(error).into()
    }
}

/// Refuses an instant outside the range the service acts at.
pub(crate) fn check_instant(at: chrono::DateTime<chrono::Utc>) -> Result<()> {
    crate::schedule::check_instant(at).map_err(ServiceError::invalid)
}

/// Refuses a staff name that is empty or carries control characters: it goes to the audit
/// trail and to staff screens.
pub(crate) fn check_actor(actor: &crate::views::Staff) -> Result<()> {
    check_text_field("the staff member's name", &actor.display_name, 200)
}

/// A required one-line text typed by staff: not blank, no control characters, not too long.
pub(crate) fn check_text_field(what: &str, value: &str, max_chars: usize) -> Result<()> {
    if value.trim().is_empty() {
        return Err(ServiceError::invalid(format!(
            "{what} is empty: fill it in"
        )));
    }
    if value.chars().any(char::is_control) {
        return Err(ServiceError::invalid(format!(
            "{what} contains control characters (such as a tab or an escape): retype it"
        )));
    }
    if value.chars().count() > max_chars {
        return Err(ServiceError::invalid(format!(
            "{what} is longer than {max_chars} characters"
        )));
    }
    Ok(())
}

/// Results of the service API.
pub type Result<T, E = ServiceError> = std::result::Result<T, E>;
