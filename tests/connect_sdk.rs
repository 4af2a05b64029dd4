//! The real `aws_sdk_connect::Client` against mocked operations: what we send, how errors classify.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_connect::Client;
use aws_sdk_connect::config::retry::RetryConfig;
use aws_sdk_connect::operation::create_contact::{
    CreateContactError, CreateContactInput, CreateContactOutput,
};
use aws_sdk_connect::types::error as sdk_errors;
use aws_sdk_connect::types::{self as sdk};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use contact_bridge::connect::{Connect, ConnectClient};
use contact_bridge::error::{ConnectError, ConnectErrorKind};
use contact_bridge::request::{Request, RequestDefaults, parse_payload};
use serde_json::json;

fn request(value: serde_json::Value) -> Request {
    parse_payload(&value, &RequestDefaults::default()).unwrap()
}

fn created() -> CreateContactOutput {
    CreateContactOutput::builder()
        .contact_id("c-1")
        .contact_arn("arn:aws:connect:us-east-1:123456789012:instance/i/contact/c-1")
        .build()
}

fn client(rules: &[&Rule], retry: RetryConfig) -> ConnectClient {
    ConnectClient::new(mock_client!(
        aws_sdk_connect,
        RuleMode::Sequential,
        rules,
        |c| c.retry_config(retry.clone())
    ))
}

async fn send_one(rule: Rule, retry: RetryConfig) -> Result<(), ConnectError> {
    let c = client(&[&rule], retry);
    c.start_contact(&request(json!({"InstanceId": "i", "Channel": "TASK", "InitiationMethod": "API", "ClientToken": "t"})))
        .await
        .map(|_| ())
}

type Captured = Arc<Mutex<Option<CreateContactInput>>>;

/// A rule that answers success and keeps the input the client sent.
fn capturing_rule() -> (Rule, Captured) {
    let seen: Captured = Arc::default();
    let capture = seen.clone();
    let rule = mock!(Client::create_contact)
        .match_requests(move |input| {
            *capture.lock().unwrap() = Some(input.clone());
            true
        })
        .then_output(created);
    (rule, seen)
}

#[tokio::test]
async fn every_member_reaches_the_sdk() {
    let (rule, seen) = capturing_rule();
    let c = client(&[&rule], RetryConfig::disabled());
    let contact = c
        .start_contact(&request(json!({
            "InstanceId": "inst-1", "ClientToken": "tok", "RelatedContactId": "rel",
            "Channel": "VOICE", "InitiationMethod": "TRANSFER", "PreviousContactId": "prev",
            "Attributes": {"a": "1"}, "ExpiryDurationInMinutes": 60, "UserInfo": {"UserId": "u-1"},
            "InitiateAs": "CONNECTED_TO_USER", "Name": "n", "Description": "d",
            "References": {"r": {"Type": "URL", "Value": "https://x", "Status": "APPROVED",
                                  "Arn": "arn:aws:connect:us-east-1:1:x", "StatusReason": "ok"}},
            "SegmentAttributes": {
                "connect:ContactExpiry": {"ValueMap": {"ExpiryDuration": {"ValueInteger": 135}}},
                "list": {"ValueList": [{"ValueString": "s"}, {"ValueArn": "arn:aws:x"}]},
            },
        })))
        .await
        .unwrap();
    assert_eq!(contact.contact_id, "c-1");
    assert!(contact.contact_arn.unwrap().ends_with("/contact/c-1"));

    let input = seen
        .lock()
        .unwrap()
        .clone()
        .expect("the client sent a request");
    assert_eq!(input.instance_id(), Some("inst-1"));
    assert_eq!(input.client_token(), Some("tok"));
    assert_eq!(input.related_contact_id(), Some("rel"));
    assert_eq!(input.previous_contact_id(), Some("prev"));
    assert_eq!(input.channel(), Some(&sdk::Channel::Voice));
    assert_eq!(
        input.initiation_method(),
        Some(&sdk::ContactInitiationMethod::Transfer)
    );
    assert_eq!(input.initiate_as(), Some(&sdk::InitiateAs::ConnectedToUser));
    assert_eq!(input.expiry_duration_in_minutes(), Some(60));
    assert_eq!(input.user_info().and_then(|u| u.user_id()), Some("u-1"));
    assert_eq!(input.name(), Some("n"));
    assert_eq!(input.description(), Some("d"));
    assert_eq!(input.attributes().unwrap()["a"], "1");
    let reference = &input.references().unwrap()["r"];
    assert_eq!(reference.r#type(), &sdk::ReferenceType::Url);
    assert_eq!(reference.value(), "https://x");
    assert_eq!(reference.status(), Some(&sdk::ReferenceStatus::Approved));
    assert_eq!(reference.arn(), Some("arn:aws:connect:us-east-1:1:x"));
    assert_eq!(reference.status_reason(), Some("ok"));
    let segments = input.segment_attributes().unwrap();
    let expiry = segments["connect:ContactExpiry"].value_map().unwrap();
    assert_eq!(expiry["ExpiryDuration"].value_integer(), Some(135));
    let list = segments["list"].value_list();
    assert_eq!(list[0].value_string(), Some("s"));
    assert_eq!(list[1].value_arn(), Some("arn:aws:x"));
}

#[tokio::test]
async fn absent_members_stay_absent() {
    let (rule, seen) = capturing_rule();
    client(&[&rule], RetryConfig::disabled())
        .start_contact(&request(json!({"InstanceId": "i", "Channel": "TASK", "InitiationMethod": "API", "ClientToken": "t"})))
        .await
        .unwrap();
    let input = seen.lock().unwrap().clone().unwrap();
    assert_eq!(input.attributes(), None);
    assert_eq!(input.references(), None);
    assert_eq!(input.segment_attributes(), None);
    assert_eq!(input.user_info(), None);
    assert_eq!(input.name(), None);
}

#[tokio::test]
async fn modeled_errors_are_classified() {
    use ConnectErrorKind as Kind;
    type Make = fn() -> CreateContactError;
    let cases: Vec<(Make, Kind, &str, bool)> = vec![
        (
            || {
                CreateContactError::ThrottlingException(
                    sdk_errors::ThrottlingException::builder()
                        .message("m")
                        .build(),
                )
            },
            Kind::Throttling,
            "ThrottlingException",
            true,
        ),
        (
            || {
                CreateContactError::InternalServiceException(
                    sdk_errors::InternalServiceException::builder()
                        .message("m")
                        .build(),
                )
            },
            Kind::Unavailable,
            "InternalServiceException",
            true,
        ),
        (
            || {
                CreateContactError::InvalidParameterException(
                    sdk_errors::InvalidParameterException::builder()
                        .message("m")
                        .build(),
                )
            },
            Kind::InvalidRequest,
            "InvalidParameterException",
            false,
        ),
        (
            || {
                CreateContactError::InvalidRequestException(
                    sdk_errors::InvalidRequestException::builder()
                        .message("m")
                        .build(),
                )
            },
            Kind::InvalidRequest,
            "InvalidRequestException",
            false,
        ),
        (
            || {
                CreateContactError::ResourceNotFoundException(
                    sdk_errors::ResourceNotFoundException::builder()
                        .message("m")
                        .build(),
                )
            },
            Kind::NotFound,
            "ResourceNotFoundException",
            false,
        ),
        (
            || {
                CreateContactError::AccessDeniedException(
                    sdk_errors::AccessDeniedException::builder()
                        .message("m")
                        .build(),
                )
            },
            Kind::AccessDenied,
            "AccessDeniedException",
            false,
        ),
        (
            || {
                CreateContactError::IdempotencyException(
                    sdk_errors::IdempotencyException::builder()
                        .message("m")
                        .build(),
                )
            },
            Kind::Conflict,
            "IdempotencyException",
            false,
        ),
        (
            || {
                CreateContactError::ConflictException(
                    sdk_errors::ConflictException::builder()
                        .message("m")
                        .build(),
                )
            },
            Kind::Conflict,
            "ConflictException",
            false,
        ),
        (
            || {
                CreateContactError::ServiceQuotaExceededException(
                    sdk_errors::ServiceQuotaExceededException::builder()
                        .message("m")
                        .build(),
                )
            },
            Kind::QuotaExceeded,
            "ServiceQuotaExceededException",
            false,
        ),
    ];
    for (make, kind, code, retryable) in cases {
        let rule = mock!(Client::create_contact).then_error(make);
        let error = send_one(rule, RetryConfig::disabled()).await.unwrap_err();
        assert_eq!(
            (error.kind, error.code.as_str(), error.is_retryable()),
            (kind, code, retryable)
        );
        assert_eq!(error.message, "m", "Connect's message is kept");
    }
}

#[tokio::test]
async fn wire_errors_are_classified_by_name_then_status() {
    let cases = [
        (
            429,
            r#"{"__type":"ThrottlingException","Message":"Rate exceeded"}"#,
            ConnectErrorKind::Throttling,
            "ThrottlingException",
        ),
        (
            400,
            r#"{"__type":"InvalidParameterException","Message":"bad"}"#,
            ConnectErrorKind::InvalidRequest,
            "InvalidParameterException",
        ),
        (
            409,
            r#"{"__type":"IdempotencyException","Message":"reused"}"#,
            ConnectErrorKind::Conflict,
            "IdempotencyException",
        ),
        (
            503,
            r#"{"__type":"ServiceUnavailableException","Message":"down"}"#,
            ConnectErrorKind::Unavailable,
            "ServiceUnavailableException",
        ),
        (
            403,
            r#"{"__type":"UnrecognizedClientException","Message":"bad token"}"#,
            ConnectErrorKind::AccessDenied,
            "UnrecognizedClientException",
        ),
        (500, "", ConnectErrorKind::Unavailable, "UnknownError"),
    ];
    for (status, body, kind, code) in cases {
        let rule = mock!(Client::create_contact)
            .sequence()
            .http_status(status, Some(body.to_owned()))
            .build();
        let error = send_one(rule, RetryConfig::disabled()).await.unwrap_err();
        assert_eq!(
            (error.kind, error.code.as_str()),
            (kind, code),
            "status {status}"
        );
    }
}

#[tokio::test]
async fn malformed_or_empty_success_responses_are_retryable_failures() {
    for body in ["{}", "not json", ""] {
        let rule = mock!(Client::create_contact)
            .sequence()
            .http_status(200, Some(body.to_owned()))
            .build();
        let error = send_one(rule, RetryConfig::disabled()).await.unwrap_err();
        assert_eq!(error.code, "MalformedResponse", "body {body:?}");
        assert!(error.is_retryable());
    }
}

#[tokio::test(start_paused = true)]
async fn the_sdk_retries_throttling_itself() {
    let rule = mock!(Client::create_contact)
        .sequence()
        .http_status(
            429,
            Some(r#"{"__type":"ThrottlingException","Message":"Rate exceeded"}"#.to_owned()),
        )
        .output(created)
        .build();
    let retry = RetryConfig::standard()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(10));
    let c = client(&[&rule], retry);
    let request = request(
        json!({"InstanceId": "i", "Channel": "TASK", "InitiationMethod": "API", "ClientToken": "t"}),
    );
    c.start_contact(&request)
        .await
        .expect("the second attempt succeeds");
    assert_eq!(rule.num_calls(), 2, "one throttled attempt, one accepted");
}
