//! The only module that touches the AWS SDK: our requests to the SDK's calls, the SDK's errors
//! to ours.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::Arc;

use aws_sdk_connect::config::http::HttpResponse;
use aws_sdk_connect::error::{BuildError, ProvideErrorMetadata, SdkError};
use aws_sdk_connect::operation::create_contact::CreateContactError;
use aws_sdk_connect::operation::create_contact::builders::CreateContactFluentBuilder;
use aws_sdk_connect::operation::start_outbound_voice_contact::StartOutboundVoiceContactError;
use aws_sdk_connect::operation::start_outbound_voice_contact::builders::StartOutboundVoiceContactFluentBuilder;
use aws_sdk_connect::operation::start_task_contact::StartTaskContactError;
use aws_sdk_connect::operation::start_task_contact::builders::StartTaskContactFluentBuilder;
use aws_sdk_connect::primitives::DateTime;
use aws_sdk_connect::types as sdk;
use serde::Serialize;

mod generated;
mod json_input;

use crate::error::{ConnectError, ConnectErrorKind, ContactError};
use crate::operation::OperationName;
use crate::pacing::ThrottleCounter;
use crate::request::{
    CreateContactRequest, ModeledRequest, OutboundStrategy, Reference, Request,
    SegmentAttributeValue, StartOutboundVoiceContactRequest, StartTaskContactRequest,
};

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

    /// The SDK call for `request`, ready to send: the whole translation to the SDK.
    pub fn call_for(&self, request: &Request) -> Result<Call, ConnectError> {
        if let Request::Modeled(r) = request {
            return self.modeled_call(r.operation, &r.body);
        }
        let call = match request {
            Request::CreateContact(r) => self.create_contact_call(r).map(Call::CreateContact),
            Request::StartTaskContact(r) => self.task_call(r).map(Call::StartTaskContact),
            Request::StartOutboundVoiceContact(r) => self
                .outbound_voice_call(r)
                .map(Call::StartOutboundVoiceContact),
            Request::Modeled(_) => unreachable!("answered above"),
        };
        call.map_err(|e| build_error(request.operation(), e))
    }

    /// The generated mapping's call of a checked request of `operation`.
    fn modeled_call(
        &self,
        operation: OperationName,
        body: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Call, ConnectError> {
        match generated::call(&self.client, operation, body) {
            Some(call) => call.map(Call::Modeled),
            None => Err(ConnectError::new(
                operation,
                ConnectErrorKind::Internal,
                "RequestBuildError",
                "the operation has no generated mapping",
            )),
        }
    }

    fn create_contact_call(
        &self,
        request: &CreateContactRequest,
    ) -> Result<CreateContactFluentBuilder, BuildError> {
        Ok(self
            .client
            .create_contact()
            .instance_id(&request.instance_id)
            .set_client_token(request.client_token.clone())
            .set_related_contact_id(request.related_contact_id.clone())
            .set_attributes(attributes(&request.attributes))
            .set_references(references(&request.references)?)
            .channel(sdk::Channel::from(request.channel.as_str()))
            .initiation_method(sdk::ContactInitiationMethod::from(
                request.initiation_method.as_str(),
            ))
            .set_expiry_duration_in_minutes(request.expiry_duration_in_minutes)
            .set_user_info(
                request
                    .user_info
                    .as_ref()
                    .map(|u| sdk::UserInfo::builder().user_id(&u.user_id).build()),
            )
            .set_initiate_as(
                request
                    .initiate_as
                    .map(|i| sdk::InitiateAs::from(i.as_str())),
            )
            .set_name(request.name.clone())
            .set_description(request.description.clone())
            .set_segment_attributes(segment_attributes(&request.segment_attributes))
            .set_previous_contact_id(request.previous_contact_id.clone()))
    }

    fn task_call(
        &self,
        request: &StartTaskContactRequest,
    ) -> Result<StartTaskContactFluentBuilder, BuildError> {
        let attachments = request
            .attachments
            .iter()
            .map(|a| {
                sdk::TaskAttachment::builder()
                    .file_name(&a.file_name)
                    .s3_url(&a.s3_url)
                    .build()
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self
            .client
            .start_task_contact()
            .instance_id(&request.instance_id)
            .name(&request.name)
            .set_contact_flow_id(request.contact_flow_id.clone())
            .set_quick_connect_id(request.quick_connect_id.clone())
            .set_task_template_id(request.task_template_id.clone())
            .set_client_token(request.client_token.clone())
            .set_previous_contact_id(request.previous_contact_id.clone())
            .set_related_contact_id(request.related_contact_id.clone())
            .set_description(request.description.clone())
            .set_scheduled_time(request.scheduled_time.map(DateTime::from_secs))
            .set_attributes(attributes(&request.attributes))
            .set_references(references(&request.references)?)
            .set_segment_attributes(segment_attributes(&request.segment_attributes))
            .set_attachments((!attachments.is_empty()).then_some(attachments)))
    }

    fn outbound_voice_call(
        &self,
        request: &StartOutboundVoiceContactRequest,
    ) -> Result<StartOutboundVoiceContactFluentBuilder, BuildError> {
        let strategy = request
            .outbound_strategy
            .as_ref()
            .map(outbound_strategy)
            .transpose()?;
        Ok(self
            .client
            .start_outbound_voice_contact()
            .instance_id(&request.instance_id)
            .destination_phone_number(&request.destination_phone_number)
            .contact_flow_id(&request.contact_flow_id)
            .set_queue_id(request.queue_id.clone())
            .set_source_phone_number(request.source_phone_number.clone())
            .set_client_token(request.client_token.clone())
            .set_name(request.name.clone())
            .set_description(request.description.clone())
            .set_related_contact_id(request.related_contact_id.clone())
            .set_attributes(attributes(&request.attributes))
            .set_references(references(&request.references)?)
            .set_answer_machine_detection_config(
                request.answer_machine_detection_config.as_ref().map(|c| {
                    sdk::AnswerMachineDetectionConfig::builder()
                        .set_enable_answer_machine_detection(c.enable_answer_machine_detection)
                        .set_await_answer_machine_prompt(c.await_answer_machine_prompt)
                        .build()
                }),
            )
            .set_campaign_id(request.campaign_id.clone())
            .set_traffic_type(
                request
                    .traffic_type
                    .map(|t| sdk::TrafficType::from(t.as_str())),
            )
            .set_outbound_strategy(strategy)
            .set_ring_timeout_in_seconds(request.ring_timeout_in_seconds))
    }
}

/// An SDK call, built and not yet sent.
pub enum Call {
    CreateContact(CreateContactFluentBuilder),
    StartTaskContact(StartTaskContactFluentBuilder),
    StartOutboundVoiceContact(StartOutboundVoiceContactFluentBuilder),
    /// An operation the model describes, through the generated mapping.
    Modeled(generated::ModeledCall),
}

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
        if let Request::Modeled(modeled) = request {
            return self.send_modeled(modeled, overrides).await;
        }
        // Each send boxed: the SDK's orchestrator futures are deep enough to overflow the
        // compiler's layout-query limit once nested in the handler's futures.
        let answer = match self.call_for(request)? {
            Call::CreateContact(call) => {
                Box::pin(call.customize().config_override(overrides).send())
                    .await
                    .map(|o| (o.contact_id, o.contact_arn))
                    .map_err(|e| classify(operation, e, create_contact_error))
            }
            Call::StartTaskContact(call) => {
                Box::pin(call.customize().config_override(overrides).send())
                    .await
                    .map(|o| (o.contact_id, None))
                    .map_err(|e| classify(operation, e, start_task_contact_error))
            }
            Call::StartOutboundVoiceContact(call) => {
                Box::pin(call.customize().config_override(overrides).send())
                    .await
                    .map(|o| (o.contact_id, None))
                    .map_err(|e| classify(operation, e, start_outbound_voice_contact_error))
            }
            Call::Modeled(_) => unreachable!("sent above"),
        };
        let (contact_id, contact_arn) = answer?;
        match contact_id {
            Some(contact_id) if !operation.answers_contact_arn() || contact_arn.is_some() => {
                Ok(CreatedContact::new(contact_id, contact_arn))
            }
            _ => Err(malformed(operation)),
        }
    }

    /// A request of an operation the model describes; an email after a CreateContact request
    /// beside it is sent for the contact that request creates (each call idempotent on its own
    /// ClientToken, so a redelivery makes one contact and sends one email).
    async fn send_modeled(
        &self,
        request: &ModeledRequest,
        overrides: aws_sdk_connect::config::Builder,
    ) -> Result<CreatedContact, ConnectError> {
        let operation = request.operation;
        let mut contact_arn = None;
        let mut body = std::borrow::Cow::Borrowed(&request.body);
        if let Some(create) = &request.create {
            let created = Box::pin(self.send(
                &Request::CreateContact((**create).clone()),
                overrides.clone(),
            ))
            .await?;
            contact_arn = created.contact_arn;
            body.to_mut().insert(
                "ContactId".to_owned(),
                serde_json::Value::String(created.contact_id),
            );
        }
        let Call::Modeled(call) = self.modeled_call(operation, &body)? else {
            return Err(malformed(operation));
        };
        let mut answer = generated::send(call, overrides).await?;
        let Some(serde_json::Value::String(contact_id)) = answer.remove("ContactId") else {
            return Err(malformed(operation));
        };
        Ok(CreatedContact {
            contact_id,
            contact_arn,
            client_answer: operation
                .answers_credentials()
                .then_some(ClientAnswer(answer)),
        })
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

fn non_empty<K, V>(map: HashMap<K, V>) -> Option<HashMap<K, V>> {
    (!map.is_empty()).then_some(map)
}

fn attributes(map: &BTreeMap<String, String>) -> Option<HashMap<String, String>> {
    non_empty(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

fn references(
    map: &BTreeMap<String, Reference>,
) -> Result<Option<HashMap<String, sdk::Reference>>, BuildError> {
    let references = map
        .iter()
        .map(|(name, reference)| Ok((name.clone(), sdk_reference(reference)?)))
        .collect::<Result<HashMap<_, _>, BuildError>>()?;
    Ok(non_empty(references))
}

fn segment_attributes(
    map: &BTreeMap<String, SegmentAttributeValue>,
) -> Option<HashMap<String, sdk::SegmentAttributeValue>> {
    non_empty(
        map.iter()
            .map(|(k, v)| (k.clone(), sdk_segment_value(v)))
            .collect(),
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

fn sdk_reference(reference: &Reference) -> Result<sdk::Reference, BuildError> {
    sdk::Reference::builder()
        .r#type(sdk::ReferenceType::from(reference.r#type.as_str()))
        .set_value(reference.value.clone())
        .set_status(
            reference
                .status
                .map(|s| sdk::ReferenceStatus::from(s.as_str())),
        )
        .set_arn(reference.arn.clone())
        .set_status_reason(reference.status_reason.clone())
        .build()
}

fn sdk_segment_value(value: &SegmentAttributeValue) -> sdk::SegmentAttributeValue {
    let builder = sdk::SegmentAttributeValue::builder();
    match value {
        SegmentAttributeValue::ValueString(s) => builder.value_string(s),
        SegmentAttributeValue::ValueArn(s) => builder.value_arn(s),
        SegmentAttributeValue::ValueInteger(n) => builder.value_integer(*n),
        SegmentAttributeValue::ValueMap(map) => builder.set_value_map(Some(
            map.iter()
                .map(|(k, v)| (k.clone(), sdk_segment_value(v)))
                .collect(),
        )),
        SegmentAttributeValue::ValueList(items) => {
            builder.set_value_list(Some(items.iter().map(sdk_segment_value).collect()))
        }
    }
    .build()
}

fn outbound_strategy(strategy: &OutboundStrategy) -> Result<sdk::OutboundStrategy, BuildError> {
    let preview = strategy
        .config
        .as_ref()
        .and_then(|c| c.agent_first.as_ref())
        .and_then(|a| a.preview.as_ref())
        .map(|p| {
            let timeout = sdk::PostAcceptTimeoutConfig::builder()
                .duration_in_seconds(p.post_accept_timeout_config.duration_in_seconds)
                .build()?;
            sdk::Preview::builder()
                .post_accept_timeout_config(timeout)
                .set_allowed_user_actions(Some(
                    p.allowed_user_actions
                        .iter()
                        .map(|a| sdk::AllowedUserAction::from(a.as_str()))
                        .collect(),
                ))
                .build()
        })
        .transpose()?;
    let config = strategy.config.as_ref().map(|c| {
        sdk::OutboundStrategyConfig::builder()
            .set_agent_first(c.agent_first.as_ref().map(|_| {
                sdk::AgentFirst::builder()
                    .set_preview(preview.clone())
                    .build()
            }))
            .build()
    });
    sdk::OutboundStrategy::builder()
        .r#type(sdk::OutboundStrategyType::from(strategy.r#type.as_str()))
        .set_config(config)
        .build()
}

/// A modeled error of one operation: its name and message.
type Modeled<'e> = Option<(&'static str, Option<&'e str>)>;

/// The modeled error `error` is, of those listed (each variant is named after its error): its
/// name, and the message it carries in a member of its own.
macro_rules! modeled {
    ($error:expr, $enum:ident, [$($variant:ident),+ $(,)?]) => {
        match $error {
            $($enum::$variant(e) => Some((stringify!($variant), e.message())),)+
            _ => None,
        }
    };
}

fn create_contact_error(error: &CreateContactError) -> Modeled<'_> {
    modeled!(
        error,
        CreateContactError,
        [
            ThrottlingException,
            InternalServiceException,
            InvalidRequestException,
            InvalidParameterException,
            ResourceNotFoundException,
            AccessDeniedException,
            IdempotencyException,
            ConflictException,
            ServiceQuotaExceededException,
        ]
    )
}

fn start_task_contact_error(error: &StartTaskContactError) -> Modeled<'_> {
    modeled!(
        error,
        StartTaskContactError,
        [
            ThrottlingException,
            InternalServiceException,
            InvalidRequestException,
            InvalidParameterException,
            ResourceNotFoundException,
            ServiceQuotaExceededException,
        ]
    )
}

fn start_outbound_voice_contact_error(error: &StartOutboundVoiceContactError) -> Modeled<'_> {
    modeled!(
        error,
        StartOutboundVoiceContactError,
        [
            InternalServiceException,
            InvalidRequestException,
            InvalidParameterException,
            ResourceNotFoundException,
            LimitExceededException,
            DestinationNotAllowedException,
            OutboundContactNotPermittedException,
        ]
    )
}

/// How each modeled error of the three operations is classified.
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
