//! The only module that touches the AWS SDK: our request to the SDK call, the SDK's error to ours.

use std::collections::HashMap;
use std::future::Future;

use aws_sdk_connect::config::http::HttpResponse;
use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_connect::operation::create_contact::CreateContactError;
use aws_sdk_connect::operation::create_contact::builders::CreateContactFluentBuilder;
use aws_sdk_connect::types as sdk;
use serde::Serialize;

use crate::error::{ConnectError, ConnectErrorKind};
use crate::request::{ContactRequest, Reference, SegmentAttributeValue};

/// What Connect answers for a new contact; also the response of direct and EventBridge invocations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreatedContact {
    pub contact_id: String,
    pub contact_arn: String,
}

/// Creates contacts: Amazon Connect itself, the local dry run, or a test double.
pub trait CreateContact: Send + Sync {
    fn create_contact(
        &self,
        request: &ContactRequest,
    ) -> impl Future<Output = Result<CreatedContact, ConnectError>> + Send;
}

/// Amazon Connect through the AWS SDK. Retries (throttling, 5xx) are the SDK's, configured by
/// `AWS_MAX_ATTEMPTS` and `AWS_RETRY_MODE`.
#[derive(Debug, Clone)]
pub struct ConnectClient {
    client: aws_sdk_connect::Client,
}

impl ConnectClient {
    pub fn new(client: aws_sdk_connect::Client) -> Self {
        ConnectClient { client }
    }

    /// A client from the standard AWS configuration chain (environment, profile, role).
    pub async fn from_env() -> Self {
        let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        Self::new(aws_sdk_connect::Client::new(&config))
    }
}

impl ConnectClient {
    /// The SDK call for `request`, ready to send: the whole translation to the SDK's types.
    pub fn call_for(
        &self,
        request: &ContactRequest,
    ) -> Result<CreateContactFluentBuilder, ConnectError> {
        let references = request
            .references
            .iter()
            .map(|(name, reference)| Ok((name.clone(), sdk_reference(reference)?)))
            .collect::<Result<HashMap<_, _>, ConnectError>>()?;
        Ok(self
            .client
            .create_contact()
            .instance_id(&request.instance_id)
            .set_client_token(request.client_token.clone())
            .set_related_contact_id(request.related_contact_id.clone())
            .set_attributes(non_empty(
                request
                    .attributes
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ))
            .set_references(non_empty(references))
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
            .set_segment_attributes(non_empty(
                request
                    .segment_attributes
                    .iter()
                    .map(|(k, v)| (k.clone(), sdk_segment_value(v)))
                    .collect(),
            ))
            .set_previous_contact_id(request.previous_contact_id.clone()))
    }
}

impl CreateContact for ConnectClient {
    async fn create_contact(
        &self,
        request: &ContactRequest,
    ) -> Result<CreatedContact, ConnectError> {
        let call = self.call_for(request)?.send();
        // Boxed: the SDK's orchestrator future is deep enough to overflow the compiler's
        // layout-query limit once nested in the handler's futures.
        let output = Box::pin(call).await.map_err(classify)?;
        match (output.contact_id, output.contact_arn) {
            (Some(contact_id), Some(contact_arn)) => Ok(CreatedContact {
                contact_id,
                contact_arn,
            }),
            _ => Err(ConnectError::new(
                ConnectErrorKind::Unavailable,
                "MalformedResponse",
                "Amazon Connect answered without a ContactId and ContactArn",
            )),
        }
    }
}

fn non_empty<K, V>(map: HashMap<K, V>) -> Option<HashMap<K, V>> {
    (!map.is_empty()).then_some(map)
}

fn sdk_reference(reference: &Reference) -> Result<sdk::Reference, ConnectError> {
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
        .map_err(|e| {
            ConnectError::new(
                ConnectErrorKind::Internal,
                "RequestBuildError",
                e.to_string(),
            )
        })
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

/// Maps an SDK failure to ours, keeping Connect's error name and message. Messages of failures
/// that never reached Connect are ours: the SDK's would name endpoints.
pub fn classify(error: SdkError<CreateContactError, HttpResponse>) -> ConnectError {
    use ConnectErrorKind as Kind;
    match error {
        SdkError::ServiceError(context) => {
            let status = context.raw().status().as_u16();
            let error = context.into_err();
            // The modeled exceptions carry their message in a member of their own.
            let (kind, code, modeled_message) = match &error {
                CreateContactError::ThrottlingException(e) => {
                    (Kind::Throttling, "ThrottlingException", e.message())
                }
                CreateContactError::InternalServiceException(e) => {
                    (Kind::Unavailable, "InternalServiceException", e.message())
                }
                CreateContactError::InvalidRequestException(e) => {
                    (Kind::InvalidRequest, "InvalidRequestException", e.message())
                }
                CreateContactError::InvalidParameterException(e) => (
                    Kind::InvalidRequest,
                    "InvalidParameterException",
                    e.message(),
                ),
                CreateContactError::ResourceNotFoundException(e) => {
                    (Kind::NotFound, "ResourceNotFoundException", e.message())
                }
                CreateContactError::AccessDeniedException(e) => {
                    (Kind::AccessDenied, "AccessDeniedException", e.message())
                }
                CreateContactError::IdempotencyException(e) => {
                    (Kind::Conflict, "IdempotencyException", e.message())
                }
                CreateContactError::ConflictException(e) => {
                    (Kind::Conflict, "ConflictException", e.message())
                }
                CreateContactError::ServiceQuotaExceededException(e) => (
                    Kind::QuotaExceeded,
                    "ServiceQuotaExceededException",
                    e.message(),
                ),
                // A success status whose body could not be read as the output.
                _ if (200..300).contains(&status) => (
                    Kind::Unavailable,
                    "MalformedResponse",
                    Some("Amazon Connect's response could not be read"),
                ),
                _ => (
                    unmodeled_kind(error.code(), status),
                    error.code().unwrap_or("UnknownError"),
                    None,
                ),
            };
            let message = modeled_message
                .or_else(|| error.message())
                .unwrap_or("no message")
                .to_owned();
            ConnectError::new(kind, code, message)
        }
        SdkError::TimeoutError(_) => ConnectError::new(
            Kind::Unavailable,
            "Timeout",
            "Amazon Connect did not answer in time",
        ),
        SdkError::DispatchFailure(failure) if failure.is_timeout() => ConnectError::new(
            Kind::Unavailable,
            "Timeout",
            "Amazon Connect did not answer in time",
        ),
        SdkError::DispatchFailure(_) => ConnectError::new(
            Kind::Unavailable,
            "NetworkError",
            "could not reach Amazon Connect",
        ),
        SdkError::ResponseError(_) => ConnectError::new(
            Kind::Unavailable,
            "MalformedResponse",
            "Amazon Connect's response could not be read",
        ),
        SdkError::ConstructionFailure(_) => ConnectError::new(
            Kind::Internal,
            "RequestBuildError",
            "the CreateContact request could not be built (check the function's AWS configuration)",
        ),
        _ => ConnectError::new(Kind::Unavailable, "UnknownError", "CreateContact failed"),
    }
}

/// Errors Connect may send that the model does not list for CreateContact: by name, then status.
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
