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
use contact_bridge::request::{OperationName, Request, RequestDefaults, parse_payload};
use serde_json::json;

/// An operation's modeled error `$name` (with the message "m"), and the name it goes by.
macro_rules! modeled {
    ($operation:ident, $name:ident) => {
        (
            (|| $operation::$name(sdk_errors::$name::builder().message("m").build())) as fn() -> _,
            stringify!($name),
        )
    };
}

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
    let cases: Vec<((Make, &str), Kind, bool)> = vec![
        (
            modeled!(CreateContactError, ThrottlingException),
            Kind::Throttling,
            true,
        ),
        (
            modeled!(CreateContactError, InternalServiceException),
            Kind::Unavailable,
            true,
        ),
        (
            modeled!(CreateContactError, InvalidParameterException),
            Kind::InvalidRequest,
            false,
        ),
        (
            modeled!(CreateContactError, InvalidRequestException),
            Kind::InvalidRequest,
            false,
        ),
        (
            modeled!(CreateContactError, ResourceNotFoundException),
            Kind::NotFound,
            false,
        ),
        (
            modeled!(CreateContactError, AccessDeniedException),
            Kind::AccessDenied,
            false,
        ),
        (
            modeled!(CreateContactError, IdempotencyException),
            Kind::Conflict,
            false,
        ),
        (
            modeled!(CreateContactError, ConflictException),
            Kind::Conflict,
            false,
        ),
        (
            modeled!(CreateContactError, ServiceQuotaExceededException),
            Kind::QuotaExceeded,
            false,
        ),
    ];
    for ((make, code), kind, retryable) in cases {
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

// ---------------------------------------------------------------- StartTaskContact, callbacks

use aws_sdk_connect::operation::start_outbound_voice_contact::{
    StartOutboundVoiceContactError, StartOutboundVoiceContactInput, StartOutboundVoiceContactOutput,
};
use aws_sdk_connect::operation::start_task_contact::{
    StartTaskContactError, StartTaskContactInput, StartTaskContactOutput,
};

/// An hour from now, in epoch seconds (ScheduledTime must be ahead, within 6 days).
fn in_an_hour() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 3600
}

#[tokio::test]
async fn every_task_member_reaches_the_sdk() {
    let seen: Arc<Mutex<Option<StartTaskContactInput>>> = Arc::default();
    let capture = seen.clone();
    let rule = mock!(Client::start_task_contact)
        .match_requests(move |input| {
            *capture.lock().unwrap() = Some(input.clone());
            true
        })
        .then_output(|| StartTaskContactOutput::builder().contact_id("t-1").build());
    let scheduled = in_an_hour();
    let contact = client(&[&rule], RetryConfig::disabled())
        .start_contact(&request(json!({"StartTaskContact": {
            "InstanceId": "inst-1", "Name": "n", "ContactFlowId": "flow-1", "ClientToken": "tok",
            "PreviousContactId": "prev", "RelatedContactId": "rel", "Description": "d",
            "ScheduledTime": scheduled, "Attributes": {"a": "1"},
            "References": {"r": {"Type": "DATE", "Value": "1764000000"}},
            "SegmentAttributes": {"connect:ContactExpiry": {"ValueMap": {"ExpiryDuration": {"ValueInteger": 135}}}},
            "Attachments": [{"FileName": "f.pdf", "S3Url": "https://s3/f"}],
        }})))
        .await
        .unwrap();
    assert_eq!(contact.contact_id, "t-1");
    assert_eq!(contact.contact_arn, None, "StartTaskContact answers no ARN");
    let input = seen.lock().unwrap().clone().unwrap();
    assert_eq!(input.instance_id(), Some("inst-1"));
    assert_eq!(input.name(), Some("n"));
    assert_eq!(input.contact_flow_id(), Some("flow-1"));
    assert_eq!(input.client_token(), Some("tok"));
    assert_eq!(input.previous_contact_id(), Some("prev"));
    assert_eq!(input.related_contact_id(), Some("rel"));
    assert_eq!(input.description(), Some("d"));
    assert_eq!(input.scheduled_time().map(|t| t.secs()), Some(scheduled));
    assert_eq!(input.attributes().unwrap()["a"], "1");
    assert_eq!(
        input.references().unwrap()["r"].r#type(),
        &sdk::ReferenceType::Date
    );
    let expiry = input.segment_attributes().unwrap()["connect:ContactExpiry"]
        .value_map()
        .unwrap();
    assert_eq!(expiry["ExpiryDuration"].value_integer(), Some(135));
    let attachment = &input.attachments()[0];
    assert_eq!(
        (attachment.file_name(), attachment.s3_url()),
        ("f.pdf", "https://s3/f")
    );
    assert_eq!(input.quick_connect_id(), None);
    assert_eq!(input.task_template_id(), None);

    // The other two routes.
    let (rule, seen) = {
        let seen: Arc<Mutex<Vec<StartTaskContactInput>>> = Arc::default();
        let capture = seen.clone();
        let rule = mock!(Client::start_task_contact)
            .match_requests(move |input| {
                capture.lock().unwrap().push(input.clone());
                true
            })
            .sequence()
            .output(|| StartTaskContactOutput::builder().contact_id("t-2").build())
            .times(2)
            .build();
        (rule, seen)
    };
    let c = client(&[&rule], RetryConfig::disabled());
    for route in [
        json!({"TaskTemplateId": "tt-1"}),
        json!({"QuickConnectId": "qc-1"}),
    ] {
        let mut body = json!({"InstanceId": "i", "Name": "n"});
        body.as_object_mut()
            .unwrap()
            .extend(route.as_object().unwrap().clone());
        c.start_contact(&request(json!({ "StartTaskContact": body })))
            .await
            .unwrap();
    }
    let inputs = seen.lock().unwrap().clone();
    assert_eq!(inputs[0].task_template_id(), Some("tt-1"));
    assert_eq!(inputs[1].quick_connect_id(), Some("qc-1"));
    assert_eq!(inputs[0].attachments(), &[] as &[sdk::TaskAttachment]);
}

#[tokio::test]
async fn every_callback_member_reaches_the_sdk() {
    let seen: Arc<Mutex<Option<StartOutboundVoiceContactInput>>> = Arc::default();
    let capture = seen.clone();
    let rule = mock!(Client::start_outbound_voice_contact)
        .match_requests(move |input| {
            *capture.lock().unwrap() = Some(input.clone());
            true
        })
        .then_output(|| {
            StartOutboundVoiceContactOutput::builder()
                .contact_id("v-1")
                .build()
        });
    let contact = client(&[&rule], RetryConfig::disabled())
        .start_contact(&request(json!({"StartOutboundVoiceContact": {
            "InstanceId": "inst-1", "DestinationPhoneNumber": "+14155550100",
            "ContactFlowId": "flow-1", "QueueId": "q-1", "SourcePhoneNumber": "+14155550199",
            "ClientToken": "tok", "Name": "n", "Description": "d", "RelatedContactId": "rel",
            "Attributes": {"a": "1"}, "References": {"r": {"Type": "URL", "Value": "https://x"}},
            "AnswerMachineDetectionConfig": {"EnableAnswerMachineDetection": true, "AwaitAnswerMachinePrompt": false},
            "CampaignId": "camp-1", "TrafficType": "CAMPAIGN",
            "OutboundStrategy": {"Type": "AGENT_FIRST", "Config": {"AgentFirst": {"Preview": {
                "PostAcceptTimeoutConfig": {"DurationInSeconds": 30},
                "AllowedUserActions": ["CALL", "DISCARD"],
            }}}},
            "RingTimeoutInSeconds": 25,
        }})))
        .await
        .unwrap();
    assert_eq!(contact.contact_id, "v-1");
    assert_eq!(contact.contact_arn, None);
    let input = seen.lock().unwrap().clone().unwrap();
    assert_eq!(input.instance_id(), Some("inst-1"));
    assert_eq!(input.destination_phone_number(), Some("+14155550100"));
    assert_eq!(input.contact_flow_id(), Some("flow-1"));
    assert_eq!(input.queue_id(), Some("q-1"));
    assert_eq!(input.source_phone_number(), Some("+14155550199"));
    assert_eq!(input.client_token(), Some("tok"));
    assert_eq!(input.name(), Some("n"));
    assert_eq!(input.description(), Some("d"));
    assert_eq!(input.related_contact_id(), Some("rel"));
    assert_eq!(input.attributes().unwrap()["a"], "1");
    assert_eq!(input.references().unwrap()["r"].value(), "https://x");
    let detection = input.answer_machine_detection_config().unwrap();
    assert_eq!(
        (
            detection.enable_answer_machine_detection(),
            detection.await_answer_machine_prompt()
        ),
        (true, false)
    );
    assert_eq!(input.campaign_id(), Some("camp-1"));
    assert_eq!(input.traffic_type(), Some(&sdk::TrafficType::Campaign));
    assert_eq!(input.ring_timeout_in_seconds(), Some(25));
    let strategy = input.outbound_strategy().unwrap();
    assert_eq!(strategy.r#type(), &sdk::OutboundStrategyType::AgentFirst);
    let preview = strategy
        .config()
        .and_then(|c| c.agent_first())
        .and_then(|a| a.preview())
        .unwrap();
    assert_eq!(
        preview
            .post_accept_timeout_config()
            .map(|t| t.duration_in_seconds()),
        Some(30)
    );
    assert_eq!(
        preview.allowed_user_actions(),
        [
            sdk::AllowedUserAction::Call,
            sdk::AllowedUserAction::Discard
        ]
    );
}

#[tokio::test]
async fn the_new_operations_modeled_errors_are_classified() {
    use ConnectErrorKind as Kind;
    type Task = fn() -> StartTaskContactError;
    let task_cases: Vec<((Task, &str), Kind, bool)> = vec![
        (
            modeled!(StartTaskContactError, ThrottlingException),
            Kind::Throttling,
            true,
        ),
        (
            modeled!(StartTaskContactError, InternalServiceException),
            Kind::Unavailable,
            true,
        ),
        (
            modeled!(StartTaskContactError, InvalidParameterException),
            Kind::InvalidRequest,
            false,
        ),
        (
            modeled!(StartTaskContactError, InvalidRequestException),
            Kind::InvalidRequest,
            false,
        ),
        (
            modeled!(StartTaskContactError, ResourceNotFoundException),
            Kind::NotFound,
            false,
        ),
        (
            modeled!(StartTaskContactError, ServiceQuotaExceededException),
            Kind::QuotaExceeded,
            false,
        ),
    ];
    let task = request(
        json!({"StartTaskContact": {"InstanceId": "i", "Name": "n", "ContactFlowId": "f", "ClientToken": "t"}}),
    );
    for ((make, code), kind, retryable) in task_cases {
        let rule = mock!(Client::start_task_contact).then_error(make);
        let error = client(&[&rule], RetryConfig::disabled())
            .start_contact(&task)
            .await
            .unwrap_err();
        assert_eq!(
            (
                error.kind,
                error.code.as_str(),
                error.is_retryable(),
                error.operation
            ),
            (kind, code, retryable, OperationName::StartTaskContact)
        );
        assert_eq!(error.message, "m");
    }

    type Callback = fn() -> StartOutboundVoiceContactError;
    let callback_cases: Vec<((Callback, &str), Kind, bool)> = vec![
        (
            modeled!(StartOutboundVoiceContactError, LimitExceededException),
            Kind::LimitExceeded,
            true,
        ),
        (
            modeled!(
                StartOutboundVoiceContactError,
                DestinationNotAllowedException
            ),
            Kind::NotPermitted,
            false,
        ),
        (
            modeled!(
                StartOutboundVoiceContactError,
                OutboundContactNotPermittedException
            ),
            Kind::NotPermitted,
            false,
        ),
        (
            modeled!(StartOutboundVoiceContactError, InternalServiceException),
            Kind::Unavailable,
            true,
        ),
        (
            modeled!(StartOutboundVoiceContactError, InvalidParameterException),
            Kind::InvalidRequest,
            false,
        ),
        (
            modeled!(StartOutboundVoiceContactError, InvalidRequestException),
            Kind::InvalidRequest,
            false,
        ),
        (
            modeled!(StartOutboundVoiceContactError, ResourceNotFoundException),
            Kind::NotFound,
            false,
        ),
    ];
    let callback = request(json!({"StartOutboundVoiceContact": {
        "InstanceId": "i", "DestinationPhoneNumber": "+14155550100", "ContactFlowId": "f", "QueueId": "q", "ClientToken": "t",
    }}));
    for ((make, code), kind, retryable) in callback_cases {
        let rule = mock!(Client::start_outbound_voice_contact).then_error(make);
        let error = client(&[&rule], RetryConfig::disabled())
            .start_contact(&callback)
            .await
            .unwrap_err();
        assert_eq!(
            (
                error.kind,
                error.code.as_str(),
                error.is_retryable(),
                error.operation
            ),
            (
                kind,
                code,
                retryable,
                OperationName::StartOutboundVoiceContact
            )
        );
    }
}

#[tokio::test]
async fn a_task_answer_without_a_contact_id_is_malformed() {
    let rule =
        mock!(Client::start_task_contact).then_output(|| StartTaskContactOutput::builder().build());
    let error = client(&[&rule], RetryConfig::disabled())
        .start_contact(&request(
            json!({"StartTaskContact": {"InstanceId": "i", "Name": "n", "ContactFlowId": "f"}}),
        ))
        .await
        .unwrap_err();
    assert_eq!(error.code, "MalformedResponse");
    assert!(error.is_retryable());
    assert_eq!(
        error.to_string(),
        "Amazon Connect StartTaskContact failed: MalformedResponse: Amazon Connect answered \
         without the new contact's identifiers"
    );
}

/// The client the function builds (`ConnectClient::from_config`) against an endpoint that always
/// throttles: a bulk call makes one attempt whatever `AWS_MAX_ATTEMPTS` says (its pace retries
/// it), a call with a waiting caller makes the SDK's attempts, and the interceptor counts every
/// throttled attempt, the SDK's retries included.
#[tokio::test]
async fn a_bulk_call_makes_one_attempt_and_every_throttled_attempt_is_counted() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-amzn-ErrorType", "ThrottlingException")
                .set_body_json(json!({"message": "Rate exceeded"})),
        )
        .mount(&server)
        .await;
    let config = contact_bridge_test_support::wire_config(&server.uri())
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .load()
        .await;
    let client = ConnectClient::from_config(&config);
    let task = request(json!({"InstanceId": "i", "Channel": "TASK", "InitiationMethod": "API"}));
    let sent = || async { server.received_requests().await.unwrap_or_default().len() };

    let bulk = client.start_bulk_contact(&task).await.unwrap_err();
    assert_eq!(bulk.kind, ConnectErrorKind::Throttling);
    assert_eq!(sent().await, 1, "a bulk call makes one attempt");
    assert_eq!(client.throttles().map(|c| c.total()), Some(1));

    let waiting = client.start_contact(&task).await.unwrap_err();
    assert_eq!(waiting.kind, ConnectErrorKind::Throttling);
    assert_eq!(
        sent().await,
        4,
        "a waiting caller's call makes the SDK's 3 attempts"
    );
    assert_eq!(
        client.throttles().map(|c| c.total()),
        Some(4),
        "every throttled attempt is counted, the SDK's retries included"
    );
}
