//! Why an event did not become a contact, classified retryable or permanent.

use lambda_runtime::Diagnostic;

use crate::request::ValidationErrors;

/// Why one request did not become a contact.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ContactError {
    /// The input is not a valid CreateContact request; nothing was sent to Connect.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// The request targets an instance outside `ALLOWED_INSTANCE_IDS`; nothing was sent.
    #[error(
        "instance {instance_id} is not one this function may create contacts in (ALLOWED_INSTANCE_IDS)"
    )]
    InstanceNotAllowed { instance_id: String },
    /// Connect (or the way to it) failed, after the SDK's own retries.
    #[error(transparent)]
    Connect(#[from] ConnectError),
}

impl ContactError {
    /// A short, PII-free name for logs, metrics and Lambda's `errorType`.
    pub fn kind(&self) -> &str {
        match self {
            ContactError::Invalid(_) => "ValidationError",
            ContactError::InstanceNotAllowed { .. } => "InstanceNotAllowed",
            ContactError::Connect(e) => &e.code,
        }
    }

    /// Whether the same request may succeed later (throttling, Connect's 5xx, timeouts).
    pub fn is_retryable(&self) -> bool {
        matches!(self, ContactError::Connect(e) if e.is_retryable())
    }
}

impl From<ContactError> for Diagnostic {
    fn from(error: ContactError) -> Diagnostic {
        Diagnostic {
            error_type: error.kind().to_owned(),
            error_message: error.to_string(),
        }
    }
}

/// How a Connect failure is classified; decides retries and HTTP statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectErrorKind {
    /// ThrottlingException (429).
    Throttling,
    /// Connect's 5xx, a timeout, a failed connection or an unreadable response.
    Unavailable,
    /// InvalidParameterException, InvalidRequestException and other 4xx.
    InvalidRequest,
    /// ResourceNotFoundException.
    NotFound,
    /// AccessDeniedException: this function's role or configuration is wrong.
    AccessDenied,
    /// IdempotencyException and ConflictException.
    Conflict,
    /// ServiceQuotaExceededException.
    QuotaExceeded,
    /// The SDK could not build the request: a bug or misconfiguration on our side.
    Internal,
}

/// A failed CreateContact call, keeping Connect's error name and message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Amazon Connect CreateContact failed: {code}: {message}")]
pub struct ConnectError {
    pub kind: ConnectErrorKind,
    /// Connect's error name (`ThrottlingException`), or ours for failures without one
    /// (`Timeout`, `NetworkError`, `MalformedResponse`, `RequestBuildError`).
    pub code: String,
    /// Connect's message, or ours; never an endpoint or a credential.
    pub message: String,
}

impl ConnectError {
    pub fn new(
        kind: ConnectErrorKind,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ConnectError {
            kind,
            code: code.into(),
            message: message.into(),
        }
    }

    /// Throttling and unavailability pass; the other kinds fail the same way every time.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            ConnectErrorKind::Throttling | ConnectErrorKind::Unavailable
        )
    }
}
