//! Why an event did not become a contact, classified retryable or permanent.

use lambda_runtime::Diagnostic;

use crate::request::{OperationName, ValidationErrors};

/// Why one request did not become a contact. Its Display is for the producer (an answer may
/// name the producer's own keys and Connect's message); its Debug, which the Lambda runtime logs
/// for every handler error, holds no request content and no message of Connect's.
#[derive(Clone, thiserror::Error)]
pub enum ContactError {
    /// The input is not a valid request; nothing was sent to Connect.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// The deployer's policy (`POLICY`) refuses the request; nothing was sent. Every refusal is
    /// listed, as violations are.
    #[error(transparent)]
    Refused(ValidationErrors),
    /// The request targets an instance outside `ALLOWED_INSTANCE_IDS`; nothing was sent.
    #[error(
        "instance {instance_id} is not one this function may create contacts in (ALLOWED_INSTANCE_IDS)"
    )]
    InstanceNotAllowed { instance_id: String },
    /// Connect (or the way to it) failed, after the SDK's own retries.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// The contact was created, but its outcome event could not be put on `OUTCOME_EVENT_BUS`:
    /// the source's retry asks Connect again with the same ClientToken, gets the same contact,
    /// and publishes again.
    #[error(
        "contact {contact_id} was created, but its outcome event could not be published \
         (OUTCOME_EVENT_BUS); a retry of the same request publishes it"
    )]
    OutcomeNotPublished { contact_id: String },
}

impl ContactError {
    /// A short, PII-free name for logs, metrics and Lambda's `errorType`.
    pub fn kind(&self) -> &str {
        match self {
            ContactError::Invalid(_) => "ValidationError",
            // Named after its first refusal: OperationNotAllowed, MemberNotAllowed, ...
            ContactError::Refused(errors) => errors
                .violations()
                .iter()
                .find_map(|v| v.kind.refusal_name())
                .unwrap_or("PolicyRefusal"),
            ContactError::InstanceNotAllowed { .. } => "InstanceNotAllowed",
            ContactError::Connect(e) => &e.code,
            ContactError::OutcomeNotPublished { .. } => "OutcomeNotPublished",
        }
    }

    /// Whether the same request may succeed later (throttling, Connect's 5xx, timeouts, an
    /// outcome event not published).
    pub fn is_retryable(&self) -> bool {
        match self {
            ContactError::Connect(e) => e.is_retryable(),
            ContactError::OutcomeNotPublished { .. } => true,
            ContactError::Invalid(_)
            | ContactError::Refused(_)
            | ContactError::InstanceNotAllowed { .. } => false,
        }
    }

    /// The operation of the request, when it was read far enough to know it.
    pub fn operation(&self) -> Option<OperationName> {
        match self {
            ContactError::Invalid(errors) | ContactError::Refused(errors) => errors.operation,
            ContactError::Connect(e) => Some(e.operation),
            ContactError::InstanceNotAllowed { .. } | ContactError::OutcomeNotPublished { .. } => {
                None
            }
        }
    }
}

impl std::fmt::Debug for ContactError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ContactError::Invalid(errors) => write!(f, "Invalid({errors:?})"),
            ContactError::Refused(errors) => write!(f, "Refused({errors:?})"),
            // The instance the producer named is its own words: logged as the kind only.
            ContactError::InstanceNotAllowed { .. } => f.write_str("InstanceNotAllowed"),
            ContactError::Connect(error) => write!(f, "Connect({error:?})"),
            ContactError::OutcomeNotPublished { contact_id } => {
                write!(f, "OutcomeNotPublished {{ contact_id: {contact_id:?} }}")
            }
        }
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
    /// ServiceQuotaExceededException: too many open tasks, or 12 tasks chained to one contact.
    QuotaExceeded,
    /// LimitExceededException: the instance's concurrent calls are at their limit; passes as
    /// calls end.
    LimitExceeded,
    /// DestinationNotAllowedException and OutboundContactNotPermittedException: the instance may
    /// not call this number.
    NotPermitted,
    /// The SDK could not build the request: a bug or misconfiguration on our side.
    Internal,
    /// Not sent: this environment's pace for bulk calls (docs/quota.md) gave the call no turn
    /// before the deadline. The record goes back to its queue; nothing reached Connect.
    Deferred,
    /// No AWS credentials or no Region: the environment does not say how to reach Connect. A
    /// retry succeeds once it does (nothing was sent, so nothing is lost by waiting).
    Unconfigured,
}

/// A failed Connect call, keeping Connect's error name and message. The message goes to the
/// producer's answer only: Connect's messages may repeat request values, so the Debug (logged)
/// names the code, the HTTP status and the request ID, never the message.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("Amazon Connect {operation} failed: {code}: {message}")]
pub struct ConnectError {
    /// The operation called.
    pub operation: OperationName,
    pub kind: ConnectErrorKind,
    /// Connect's error name (`ThrottlingException`), or ours for failures without one
    /// (`Timeout`, `NetworkError`, `MalformedResponse`, `RequestBuildError`).
    pub code: String,
    /// Connect's message, or ours; never an endpoint or a credential.
    pub message: String,
    /// The HTTP status of Connect's answer, when there was one.
    pub status: Option<u16>,
    /// Connect's request ID (`x-amzn-RequestId`), when it answered one.
    pub request_id: Option<String>,
}

impl std::fmt::Debug for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectError")
            .field("operation", &self.operation)
            .field("kind", &self.kind)
            .field("code", &self.code)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

impl ConnectError {
    /// A failed call of `operation`.
    pub fn new(
        operation: OperationName,
        kind: ConnectErrorKind,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ConnectError {
            operation,
            kind,
            code: code.into(),
            message: message.into(),
            status: None,
            request_id: None,
        }
    }

    /// The same error, with the status and request ID of Connect's answer (for the logs).
    pub fn answered(mut self, status: u16, request_id: Option<&str>) -> Self {
        self.status = Some(status);
        // Bounded: a request ID is a UUID; anything longer is not one.
        self.request_id = request_id.map(|id| id.chars().take(64).collect());
        self
    }

    /// The same error, of a call of `operation` (a failure met before the call said which).
    pub fn during(mut self, operation: OperationName) -> Self {
        self.operation = operation;
        self
    }

    /// Throttling, unavailability and the concurrent-call limit pass; the other kinds fail the
    /// same way every time.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            ConnectErrorKind::Throttling
                | ConnectErrorKind::Unavailable
                | ConnectErrorKind::LimitExceeded
                | ConnectErrorKind::Deferred
                | ConnectErrorKind::Unconfigured
        )
    }
}
