//! The only module that touches the AWS SDK: our requests to the SDK's calls, Connect's answers
//! and the SDK's errors to ours. The mapping of each operation, member by member, is generated from
//! the service model (`generated.rs`, by `cargo xtask codegen`); what is here is the same for all.

use std::future::Future;
use std::sync::Arc;

use aws_sdk_connect::config::http::HttpResponse;
use aws_sdk_connect::error::{BuildError, ProvideErrorMetadata, SdkError};
use serde::Serialize;

mod generated;
mod json_input;

use crate::error::{ConnectError, ConnectErrorKind, ContactError};
use crate::operation::OperationName;
use crate::pacing::ThrottleCounter;
use crate::request::{ModeledRequest, Request};

/// What Connect answers for a new contact; also the response of direct and EventBridge
/// invocations. Only CreateContact answers an ARN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreatedContact {
    pub contact_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_arn: Option<String>,
    /// The rest of Connect's answer, for an operation that answers credentials to the waiting
    /// client (StartChatContact, StartWebRTCContact): serialised beside `ContactId` in that
    /// client's answer, and nowhere else.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub client_answer: Option<ClientAnswer>,
}

impl CreatedContact {
    /// A contact Connect answered only identifiers for.
    pub fn new(contact_id: String, contact_arn: Option<String>) -> Self {
        CreatedContact {
            contact_id,
            contact_arn,
            client_answer: None,
        }
    }
}

/// Connect's answer to a waiting client, beside the ContactId: participant and meeting data with
/// their tokens. Its Debug shows none of it, so that no log line, error or panic message can.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ClientAnswer(pub serde_json::Map<String, serde_json::Value>);

impl std::fmt::Debug for ClientAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ClientAnswer({} members, not shown)", self.0.len())
    }
}

/// Starts contacts: Amazon Connect itself, the local dry run, or a test double.
pub trait Connect: Send + Sync {
    fn start_contact(
        &self,
        request: &Request,
    ) -> impl Future<Output = Result<CreatedContact, ConnectError>> + Send;

    /// A bulk call (SQS, EventBridge): one attempt, since the environment's pace retries it
    /// (`crate::pacing`); the SDK's own retries would send throttled attempts at no one's pace.
    fn start_bulk_contact(
        &self,
        request: &Request,
    ) -> impl Future<Output = Result<CreatedContact, ConnectError>> + Send {
        self.start_contact(request)
    }

    /// Whether no contact is really created (the local dry run): the outcome log line says so.
    fn is_dry_run(&self) -> bool {
        false
    }

    /// Shows a request refused before Connect, with its violations, where the dry run prints
    /// what it would send; Amazon Connect itself shows nothing (the logs carry no content).
    fn show_refusal(&self, _error: &ContactError) {}

    /// Every attempt Connect throttled, the SDK's own retries included, when the client counts
    /// them (`None`: only a call's final error tells).
    fn throttles(&self) -> Option<&ThrottleCounter> {
        None
    }
}

/// Amazon Connect through the AWS SDK. A call with a waiting caller is retried by the SDK
/// (throttling, 5xx), as `AWS_MAX_ATTEMPTS` and `AWS_RETRY_MODE` configure; a bulk call makes one
/// attempt, and the environment's pace retries it (`crate::pacing`).
#[derive(Debug, Clone)]
pub struct ConnectClient {
    client: aws_sdk_connect::Client,
    /// Filled by the client's [`CountThrottles`] interceptor, when it has one.
    throttles: Option<Arc<ThrottleCounter>>,
}

impl ConnectClient {
    /// A client as given (a test's): its throttled attempts are not counted.
    pub fn new(client: aws_sdk_connect::Client) -> Self {
        ConnectClient {
            client,
            throttles: None,
        }
    }

    /// A client from the standard AWS configuration chain (environment, profile, role).
    pub async fn from_env() -> Self {
        let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        Self::from_config(&config)
    }

    /// A client of `config` (loaded once at init, shared with the outcome bus's client) that
    /// counts every throttled attempt for the pace of bulk calls.
    pub fn from_config(config: &aws_config::SdkConfig) -> Self {
        let throttles = Arc::new(ThrottleCounter::default());
        let config = aws_sdk_connect::config::Builder::from(config)
            .interceptor(CountThrottles(throttles.clone()))
            .build();
        ConnectClient {
            client: aws_sdk_connect::Client::from_conf(config),
            throttles: Some(throttles),
        }
    }

    /// The SDK call for `request`, ready to send: the whole translation to the SDK, by the
    /// mapping generated from the service model (`generated.rs`), from the request's checked
    /// body.
    pub fn call_for(&self, request: &Request) -> Result<Call, ConnectError> {
        generated::call(&self.client, request.operation(), request.checked_body())
    }
}

/// An SDK call, built and not yet sent.
pub use generated::ModeledCall as Call;

/// What the SDK needs and the environment did not give, as the error says it.
const NO_REGION: &str = "no AWS Region is set: set AWS_REGION (or AWS_DEFAULT_REGION, or region \
     in the profile AWS_PROFILE names); Lambda sets it";
const NO_CREDENTIALS: &str = "no AWS credentials were found by the default chain (the \
     environment's AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE's profile in \
     ~/.aws, web identity, the ECS/EKS container endpoint, EC2 instance metadata): set \
     AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (any values for a local stub), or AWS_PROFILE; \
     Lambda sets them from the function's role";

/// Counts each attempt Connect answers with 429 (ThrottlingException), before the SDK decides
/// whether to retry it.
#[derive(Debug)]
struct CountThrottles(Arc<ThrottleCounter>);

impl aws_sdk_connect::config::Intercept for CountThrottles {
    fn name(&self) -> &'static str {
        "CountThrottles"
    }

    fn read_before_deserialization(
        &self,
        context: &aws_sdk_connect::config::interceptors::BeforeDeserializationInterceptorContextRef<
            '_,
        >,
        _runtime_components: &aws_sdk_connect::config::RuntimeComponents,
        _cfg: &mut aws_sdk_connect::config::ConfigBag,
    ) -> Result<(), aws_sdk_connect::error::BoxError> {
        if context.response().status().as_u16() == 429 {
            self.0.add();
        }
        Ok(())
    }
}

impl Connect for ConnectClient {
    fn throttles(&self) -> Option<&ThrottleCounter> {
        self.throttles.as_deref()
    }

    async fn start_contact(&self, request: &Request) -> Result<CreatedContact, ConnectError> {
        self.send(request, aws_sdk_connect::config::Builder::default())
            .await
    }

    async fn start_bulk_contact(&self, request: &Request) -> Result<CreatedContact, ConnectError> {
        let one_attempt = aws_sdk_connect::config::Builder::default().retry_config(
            aws_sdk_connect::config::retry::RetryConfig::standard().with_max_attempts(1),
        );
        self.send(request, one_attempt).await
    }
}

impl ConnectClient {
    /// Sends `request` with `overrides` over the client's configuration (an empty builder: none).
    /// An email after a CreateContact request beside it is sent for the contact that request
    /// creates (each call idempotent on its own ClientToken, so a redelivery makes one contact and
    /// sends one email).
    async fn send(
        &self,
        request: &Request,
        overrides: aws_sdk_connect::config::Builder,
    ) -> Result<CreatedContact, ConnectError> {
        let operation = request.operation();
        if self.client.config().region().is_none() {
            return Err(ConnectError::new(
                operation,
                ConnectErrorKind::Unconfigured,
                "RegionMissing",
                NO_REGION,
            ));
        }
        if let Request::Modeled(ModeledRequest {
            create: Some(create),
            body,
            ..
        }) = request
        {
            let create_call =
                generated::call(&self.client, OperationName::CreateContact, create.body())?;
            let created = self
                .answer(OperationName::CreateContact, create_call, overrides.clone())
                .await?;
            let mut body = body.clone();
            body.insert(
                "ContactId".to_owned(),
                serde_json::Value::String(created.contact_id),
            );
            let call = generated::call(&self.client, operation, &body)?;
            let sent = self.answer(operation, call, overrides).await?;
            return Ok(CreatedContact {
                contact_arn: created.contact_arn,
                ..sent
            });
        }
        let call = self.call_for(request)?;
        self.answer(operation, call, overrides).await
    }

    /// Sends `call`; the new contact, and for an operation that answers credentials the rest of
    /// Connect's answer for the waiting client.
    async fn answer(
        &self,
        operation: OperationName,
        call: Call,
        overrides: aws_sdk_connect::config::Builder,
    ) -> Result<CreatedContact, ConnectError> {
        let mut answer = generated::send(call, overrides).await?;
        let text =
            |answer: &mut serde_json::Map<String, serde_json::Value>, member: &str| match answer
                .remove(member)
            {
                Some(serde_json::Value::String(text)) => Some(text),
                _ => None,
            };
        let contact_id = text(&mut answer, "ContactId");
        let contact_arn = text(&mut answer, "ContactArn");
        match contact_id {
            Some(contact_id) if !operation.answers_contact_arn() || contact_arn.is_some() => {
                Ok(CreatedContact {
                    contact_id,
                    contact_arn,
                    client_answer: operation
                        .answers_credentials()
                        .then_some(ClientAnswer(answer)),
                })
            }
            _ => Err(malformed(operation)),
        }
    }
}

fn malformed(operation: OperationName) -> ConnectError {
    ConnectError::new(
        operation,
        ConnectErrorKind::Unavailable,
        "MalformedResponse",
        "Amazon Connect answered without the new contact's identifiers",
    )
}

fn build_error(operation: OperationName, error: BuildError) -> ConnectError {
    ConnectError::new(
        operation,
        ConnectErrorKind::Internal,
        "RequestBuildError",
        error.to_string(),
    )
}

/// A modeled error of one operation: its name and message.
type Modeled<'e> = Option<(&'static str, Option<&'e str>)>;

/// How each modeled error of the eight operations is classified.
fn modeled_kind(name: &str) -> ConnectErrorKind {
    use ConnectErrorKind as Kind;
    match name {
        "ThrottlingException" => Kind::Throttling,
        "InternalServiceException" => Kind::Unavailable,
        "ResourceNotFoundException" => Kind::NotFound,
        "AccessDeniedException" => Kind::AccessDenied,
        "IdempotencyException" | "ConflictException" => Kind::Conflict,
        // Too many open tasks, or 12 tasks chained to one PreviousContactId.
        "ServiceQuotaExceededException" => Kind::QuotaExceeded,
        // A callback: the instance's concurrent calls are at their limit; passes as calls end.
        "LimitExceededException" => Kind::LimitExceeded,
        "DestinationNotAllowedException" | "OutboundContactNotPermittedException" => {
            Kind::NotPermitted
        }
        // InvalidRequestException, InvalidParameterException.
        _ => Kind::InvalidRequest,
    }
}

/// Maps an SDK failure to ours, keeping Connect's error name and message; `modeled` names the
/// operation's modeled errors. Messages of failures that never reached Connect are ours: the
/// SDK's would name endpoints.
fn classify<E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static>(
    operation: OperationName,
    error: SdkError<E, HttpResponse>,
    modeled: impl Fn(&E) -> Modeled<'_>,
) -> ConnectError {
    use ConnectErrorKind as Kind;
    match error {
        SdkError::ServiceError(context) => {
            let status = context.raw().status().as_u16();
            let request_id = context
                .raw()
                .headers()
                .get("x-amzn-requestid")
                .map(str::to_owned);
            let error = context.into_err();
            let answered = |e: ConnectError| e.answered(status, request_id.as_deref());
            let (kind, code, modeled_message) = match modeled(&error) {
                Some((name, message)) => (modeled_kind(name), name, message),
                // A success status whose body could not be read as the output.
                None if (200..300).contains(&status) => (
                    Kind::Unavailable,
                    "MalformedResponse",
                    Some("Amazon Connect's response could not be read"),
                ),
                None => {
                    let code = error.code().unwrap_or("UnknownError");
                    let message = error.message().unwrap_or("no message").to_owned();
                    return answered(ConnectError::new(
                        operation,
                        unmodeled_kind(error.code(), status),
                        code,
                        message,
                    ));
                }
            };
            let message = modeled_message
                .or_else(|| error.message())
                .unwrap_or("no message")
                .to_owned();
            answered(ConnectError::new(operation, kind, code, message))
        }
        SdkError::TimeoutError(_) => ConnectError::new(
            operation,
            Kind::Unavailable,
            "Timeout",
            "Amazon Connect did not answer in time",
        ),
        SdkError::DispatchFailure(failure) if failure.is_timeout() => ConnectError::new(
            operation,
            Kind::Unavailable,
            "Timeout",
            "Amazon Connect did not answer in time",
        ),
        SdkError::DispatchFailure(failure)
            if failure
                .as_connector_error()
                .is_some_and(|e| caused_by_credentials(e)) =>
        {
            ConnectError::new(
                operation,
                Kind::Unconfigured,
                "CredentialsError",
                NO_CREDENTIALS,
            )
        }
        SdkError::DispatchFailure(_) => ConnectError::new(
            operation,
            Kind::Unavailable,
            "NetworkError",
            "could not reach Amazon Connect",
        ),
        SdkError::ResponseError(_) => ConnectError::new(
            operation,
            Kind::Unavailable,
            "MalformedResponse",
            "Amazon Connect's response could not be read",
        ),
        SdkError::ConstructionFailure(_) => ConnectError::new(
            operation,
            Kind::Internal,
            "RequestBuildError",
            "the request could not be built (check the function's AWS configuration)",
        ),
        _ => ConnectError::new(
            operation,
            Kind::Unavailable,
            "UnknownError",
            "the call failed",
        ),
    }
}

/// Whether a call failed before it was sent because the credentials chain found none (the SDK
/// reports that as a dispatch failure, like a network error).
fn caused_by_credentials(failure: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(failure);
    while let Some(error) = cause {
        if error
            .downcast_ref::<aws_credential_types::provider::error::CredentialsError>()
            .is_some()
        {
            return true;
        }
        cause = error.source();
    }
    false
}

/// Errors Connect may send that the model does not list for the operation: by name, then status.
fn unmodeled_kind(code: Option<&str>, status: u16) -> ConnectErrorKind {
    use ConnectErrorKind as Kind;
    let code = code.unwrap_or_default();
    if code.contains("Throttl") || code == "TooManyRequestsException" || status == 429 {
        return Kind::Throttling;
    }
    match status {
        500.. => Kind::Unavailable,
        401 | 403 => Kind::AccessDenied,
        404 => Kind::NotFound,
        409 => Kind::Conflict,
        _ => Kind::InvalidRequest,
    }
}
