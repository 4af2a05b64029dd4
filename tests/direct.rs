//! Direct invocation through the handler: sample events, errors as Lambda reports them, tokens.

use contact_bridge_test_support as common;

use std::time::Duration;

use common::{FakeConnect, INSTANCE, event, handler, lambda_event, settings};
use contact_bridge::bridge::{Bridge, Deadline, Payload, SourceDefaults};
use contact_bridge::config::Settings;
use contact_bridge::error::{ConnectError, ConnectErrorKind};
use contact_bridge::handler::HandlerError;
use contact_bridge::sources::Source;
use lambda_runtime::Diagnostic;
use serde_json::{Value, json};

async fn invoke(
    h: &contact_bridge::handler::Handler<FakeConnect>,
    payload: Value,
    id: &str,
) -> Result<Value, Diagnostic> {
    h.handle(lambda_event(payload, id))
        .await
        .map(|r| serde_json::to_value(r).unwrap())
        .map_err(Diagnostic::from)
}

#[tokio::test]
async fn sample_direct_events_create_one_contact_each() {
    for file in [
        "direct-task.json",
        "direct-email.json",
        "direct-external-audio.json",
    ] {
        let h = handler(settings(), FakeConnect::new());
        let payload = event(file);
        let response = invoke(&h, payload.clone(), "req-1").await.unwrap();
        let object = response.as_object().unwrap();
        assert_eq!(object.len(), 2, "{file}: {response}");
        assert!(
            object["ContactId"]
                .as_str()
                .unwrap()
                .starts_with("contact-")
        );
        assert!(object["ContactArn"].as_str().unwrap().contains(INSTANCE));
        let sent = h.bridge().connect.create_requests();
        assert_eq!(sent.len(), 1);
        assert_eq!(
            sent[0].channel.as_str(),
            payload["Channel"].as_str().unwrap()
        );
    }
}

#[tokio::test]
async fn invalid_input_is_a_validation_error_listing_every_violation() {
    let h = handler(Settings::default(), FakeConnect::new());
    let payload = json!({"Channel": "TASK", "InitiationMethod": "TRANSFER", "Name": 1});
    let error = invoke(&h, payload, "req-1").await.unwrap_err();
    assert_eq!(error.error_type, "ValidationError");
    for path in ["/InstanceId", "/InitiationMethod", "/Name"] {
        assert!(
            error.error_message.contains(path),
            "{}",
            error.error_message
        );
    }
    assert_eq!(
        h.bridge().connect.calls(),
        0,
        "Connect must not be called for invalid input"
    );
}

fn throttled() -> ConnectError {
    ConnectError::new(
        contact_bridge::request::OperationName::CreateContact,
        ConnectErrorKind::Throttling,
        "ThrottlingException",
        "Rate exceeded",
    )
}

/// A waiting caller's throttled call is retried, with a jittered backoff, while its deadline
/// leaves time; then the error is Connect's, by name.
#[tokio::test]
async fn throttling_is_retried_until_the_deadline_then_named_after_connect_s_error() {
    let h = handler(
        settings(),
        FakeConnect::new().script((0..100).map(|_| Err(throttled()))),
    );
    let event =
        common::lambda_event_due(event("direct-task.json"), "req-1", Duration::from_secs(2));
    let started = std::time::Instant::now();
    let error = h
        .handle(event)
        .await
        .map(|_| ())
        .map_err(Diagnostic::from)
        .unwrap_err();
    assert_eq!(error.error_type, "ThrottlingException");
    assert!(
        error.error_message.contains("Rate exceeded"),
        "{}",
        error.error_message
    );
    let calls = h.bridge().connect.calls();
    assert!(calls >= 2, "retried: {calls} calls");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "answered before the deadline"
    );
}

#[tokio::test]
async fn a_waiting_caller_gets_its_contact_once_throttling_passes() {
    let h = handler(
        settings(),
        FakeConnect::new().script([Err(throttled()), Err(throttled())]),
    );
    let event =
        common::lambda_event_due(event("direct-task.json"), "req-1", Duration::from_secs(8));
    let response = h.handle(event).await.unwrap();
    let response = serde_json::to_value(response).unwrap();
    assert!(response["ContactId"].is_string(), "{response}");
    assert_eq!(h.bridge().connect.calls(), 3);
}

/// Errors a retry cannot mend are not retried, and are named after Connect's.
#[tokio::test]
async fn connect_failures_are_function_errors_named_after_connect_errors() {
    let failure = ConnectError::new(
        contact_bridge::request::OperationName::CreateContact,
        ConnectErrorKind::QuotaExceeded,
        "ServiceQuotaExceededException",
        "Too many open tasks",
    );
    let h = handler(settings(), FakeConnect::new().script([Err(failure)]));
    let error = invoke(&h, event("direct-task.json"), "req-1")
        .await
        .unwrap_err();
    assert_eq!(error.error_type, "ServiceQuotaExceededException");
    assert!(
        error.error_message.contains("Too many open tasks"),
        "{}",
        error.error_message
    );
    assert_eq!(h.bridge().connect.calls(), 1);
}

#[tokio::test]
async fn instance_outside_the_allow_list_is_rejected_before_connect() {
    let settings = Settings {
        allowed_instances: contact_bridge::config::InstanceAllowList::Only(
            ["other".to_owned()].into(),
        ),
        ..settings()
    };
    let h = handler(settings, FakeConnect::new());
    let error = invoke(&h, event("direct-task.json"), "req-1")
        .await
        .unwrap_err();
    assert_eq!(error.error_type, "InstanceNotAllowed");
    assert_eq!(h.bridge().connect.calls(), 0);
}

#[tokio::test]
async fn default_instance_fills_requests_without_one() {
    let settings = Settings {
        default_instance_id: Some(INSTANCE.to_owned()),
        ..settings()
    };
    let h = handler(settings, FakeConnect::new());
    invoke(
        &h,
        json!({"Channel": "TASK", "InitiationMethod": "API", "Name": "n"}),
        "req-1",
    )
    .await
    .unwrap();
    assert_eq!(
        h.bridge().connect.create_requests()[0].instance_id,
        INSTANCE
    );
}

#[tokio::test]
async fn client_token_derives_from_the_request_id() {
    let h = handler(settings(), FakeConnect::new());
    for id in ["req-1", "req-1", "req-2"] {
        invoke(&h, event("direct-task.json"), id).await.unwrap();
    }
    let tokens = h.bridge().connect.tokens();
    assert_eq!(
        tokens[0], tokens[1],
        "a retry of the same invocation reuses the token"
    );
    assert_ne!(
        tokens[0], tokens[2],
        "another invocation gets another token"
    );
    assert!(tokens.iter().all(|t| t.len() <= 500 && !t.is_empty()));

    let mut explicit = event("direct-task.json");
    explicit["ClientToken"] = json!("mine");
    invoke(&h, explicit, "req-3").await.unwrap();
    assert_eq!(
        h.bridge().connect.tokens()[3],
        "mine",
        "an explicit ClientToken wins"
    );
}

#[tokio::test]
async fn unrecognised_events_list_the_accepted_shapes() {
    let h = handler(settings(), FakeConnect::new());
    for payload in [
        json!({"hello": "world"}),
        json!([1, 2]),
        json!("text"),
        json!(null),
    ] {
        let error = invoke(&h, payload, "req-1").await.unwrap_err();
        assert_eq!(error.error_type, "UnrecognisedEvent");
        assert!(
            error.error_message.contains("CreateContact request"),
            "{}",
            error.error_message
        );
    }
    assert_eq!(h.bridge().connect.calls(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_slow_connect_call_is_abandoned_before_the_deadline() {
    let bridge = Bridge::new(
        settings(),
        FakeConnect::with_latency(Duration::from_secs(30)),
    );
    let request = bridge
        .prepare(
            Source::Direct,
            Payload::Any(&event("direct-task.json")),
            SourceDefaults::default(),
        )
        .unwrap();
    let error = bridge
        .create(
            Source::Direct,
            &request,
            Deadline::after(Duration::from_secs(3)),
        )
        .await
        .unwrap_err();
    assert_eq!(error.kind(), "Timeout");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn no_time_left_means_no_call() {
    let bridge = Bridge::new(settings(), FakeConnect::new());
    let request = bridge
        .prepare(
            Source::Direct,
            Payload::Any(&event("direct-task.json")),
            SourceDefaults::default(),
        )
        .unwrap();
    let error = bridge
        .create(
            Source::Direct,
            &request,
            Deadline::after(Duration::from_millis(100)),
        )
        .await
        .unwrap_err();
    assert_eq!(error.kind(), "Timeout");
    assert_eq!(bridge.connect.calls(), 0);
}

#[test]
fn handler_errors_map_to_diagnostics() {
    let d = Diagnostic::from(HandlerError::UnrecognisedEvent);
    assert_eq!(d.error_type, "UnrecognisedEvent");
}
