//! Events other people wrote: the fixtures that ship with the `aws_lambda_events` crate, found at
//! test time through `cargo metadata` (never copied into this repository). Each fixture of a
//! source we accept is run as it is (answered in its source's shape, Connect never called with an
//! invalid request, no panic) and with a valid request put in (one contact per request, success in
//! the source's shape).

use contact_bridge_test_support as common;

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use base64::Engine;
use common::{FakeConnect, INSTANCE, handler, lambda_event};
use contact_bridge::config::Settings;
use contact_bridge::handler::Handler;
use contact_bridge::sources::Source as EventSource;
use contact_bridge::sources::http::HttpShape;
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Sqs,
    RestApi,
    HttpApi,
    EventBridge,
    ConnectFlow,
}

/// The crate's fixtures for the sources we accept. The crate has none for function URLs
/// (our own `events/function-url.json` covers them).
const FIXTURES: &[(&str, Source)] = &[
    ("example-sqs-event.json", Source::Sqs),
    ("example-sqs-event-obj.json", Source::Sqs),
    ("example-apigw-request.json", Source::RestApi),
    ("example-apigw-request-catch-all.json", Source::RestApi),
    (
        "example-apigw-request-multi-value-parameters.json",
        Source::RestApi,
    ),
    ("example-apigw-console-request.json", Source::RestApi),
    ("example-apigw-console-test-request.json", Source::RestApi),
    (
        "example-apigw-restapi-openapi-request.json",
        Source::RestApi,
    ),
    ("example-apigw-sam-rest-request.json", Source::RestApi),
    ("example-apigw-v2-request-iam.json", Source::HttpApi),
    (
        "example-apigw-v2-request-jwt-authorizer.json",
        Source::HttpApi,
    ),
    (
        "example-apigw-v2-request-lambda-authorizer.json",
        Source::HttpApi,
    ),
    (
        "example-apigw-v2-request-multi-value-parameters.json",
        Source::HttpApi,
    ),
    (
        "example-apigw-v2-request-no-authorizer.json",
        Source::HttpApi,
    ),
    ("example-apigw-sam-http-request.json", Source::HttpApi),
    ("example-eventbridge-event-obj.json", Source::EventBridge),
    ("example-eventbridge-schedule.json", Source::EventBridge),
    ("example-connect-event.json", Source::ConnectFlow),
    (
        "example-connect-event-without-queue.json",
        Source::ConnectFlow,
    ),
];

/// `aws_lambda_events`' fixture folder, from `cargo metadata` (the version in Cargo.lock).
fn fixture_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let output = Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--locked"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo metadata runs");
        assert!(
            output.status.success(),
            "cargo metadata: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
        let manifest = metadata["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "aws_lambda_events")
            .and_then(|p| p["manifest_path"].as_str())
            .expect("aws_lambda_events is a dependency");
        PathBuf::from(manifest)
            .parent()
            .unwrap()
            .join("src/fixtures")
    })
}

fn fixture(name: &str) -> Value {
    let path = fixture_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// A valid request, as a producer would send it.
fn valid_request() -> Value {
    json!({
        "InstanceId": INSTANCE, "Channel": "TASK", "InitiationMethod": "API",
        "Name": "Call back about order 1042", "Attributes": {"orderId": "1042"},
    })
}

/// A valid callback's body (StartOutboundVoiceContact).
fn valid_callback() -> Value {
    json!({
        "InstanceId": INSTANCE, "DestinationPhoneNumber": "+12065550100",
        "ContactFlowId": "flow-1", "QueueId": "queue-1", "RingTimeoutInSeconds": 20,
        "Attributes": {"orderId": "1042"},
    })
}

/// The fixture with the valid request put where its source carries a request (and, for HTTP,
/// the one method we accept).
fn with_valid_request(event: Value, source: Source) -> Value {
    with_request(event, source, valid_request(), None)
}

/// The fixture with a valid callback put in: named by its payload (SQS, HTTP, EventBridge), or by
/// the `Operation` parameter (flows).
fn with_valid_callback(event: Value, source: Source) -> Value {
    let payload = json!({ "StartOutboundVoiceContact": valid_callback() });
    with_request(
        event,
        source,
        payload,
        Some(("StartOutboundVoiceContact", valid_callback())),
    )
}

/// The fixture with `payload` put where its source carries one; a flow gets `flow` (the
/// operation and its body) as parameters, else `payload`'s members.
fn with_request(
    mut event: Value,
    source: Source,
    payload: Value,
    flow: Option<(&str, Value)>,
) -> Value {
    let text = payload.to_string();
    match source {
        Source::Sqs => {
            for record in event["Records"].as_array_mut().unwrap() {
                record["body"] = json!(text);
            }
        }
        Source::RestApi | Source::HttpApi => {
            event["body"] = json!(text);
            event["isBase64Encoded"] = json!(false);
            if source == Source::RestApi {
                event["httpMethod"] = json!("POST");
            } else {
                event["requestContext"]["http"]["method"] = json!("POST");
            }
        }
        Source::EventBridge => event["detail"] = payload,
        Source::ConnectFlow => {
            let (operation, body) = match flow {
                Some((operation, body)) => (Some(operation), body),
                None => (None, payload),
            };
            // The block sends every parameter as a string.
            let mut parameters: serde_json::Map<String, Value> = body
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| match v {
                    Value::String(_) => (k.clone(), v.clone()),
                    other => (k.clone(), json!(other.to_string())),
                })
                .collect();
            if let Some(operation) = operation {
                parameters.insert("Operation".to_owned(), json!(operation));
            }
            event["Details"]["Parameters"] = Value::Object(parameters);
        }
    }
    event
}

fn new_handler() -> Handler<FakeConnect> {
    handler(Settings::default(), FakeConnect::new())
}

/// Runs the event; the answer as JSON, or the function error's `errorType`.
async fn run(h: &Handler<FakeConnect>, event: Value) -> Result<Value, String> {
    h.handle(lambda_event(event, "lambda-request-1"))
        .await
        .map(|r| serde_json::to_value(r).unwrap())
        .map_err(|e| lambda_runtime::Diagnostic::from(e).error_type)
}

fn records(event: &Value) -> usize {
    event["Records"].as_array().map_or(1, Vec::len)
}

#[tokio::test]
async fn fixtures_as_they_are_get_their_sources_answer_and_never_reach_connect_invalid() {
    for &(name, source) in FIXTURES {
        let event = fixture(name);
        let recognised = EventSource::recognise(&event);
        let expected = match source {
            Source::Sqs => matches!(recognised, Some(EventSource::Sqs)),
            Source::RestApi => matches!(recognised, Some(EventSource::Http(HttpShape::RestApi))),
            Source::HttpApi => matches!(recognised, Some(EventSource::Http(HttpShape::HttpApi))),
            Source::EventBridge => matches!(recognised, Some(EventSource::EventBridge)),
            Source::ConnectFlow => matches!(recognised, Some(EventSource::ConnectFlow)),
        };
        assert!(
            expected,
            "{name} is recognised as {recognised:?}, not {source:?}"
        );
        let h = new_handler();
        let answer = run(&h, event.clone()).await;
        match source {
            Source::Sqs => {
                // The bodies are not requests: each record is reported failed, alone.
                let answer = answer.unwrap_or_else(|e| panic!("{name}: {e}"));
                let failed = answer["batchItemFailures"].as_array().unwrap();
                assert_eq!(failed.len(), records(&event), "{name}: {answer}");
                for (failure, record) in failed.iter().zip(event["Records"].as_array().unwrap()) {
                    assert_eq!(failure["itemIdentifier"], record["messageId"], "{name}");
                }
            }
            Source::RestApi | Source::HttpApi => {
                let answer = answer.unwrap_or_else(|e| panic!("{name}: {e}"));
                let status = answer["statusCode"].as_u64().unwrap();
                // GET: 405; a POST whose body is not a request: 400.
                assert!(matches!(status, 400 | 405), "{name}: {answer}");
                assert!(answer["body"].is_string(), "{name}: {answer}");
            }
            Source::EventBridge | Source::ConnectFlow => {
                // Recognised as its source (not "unrecognised", not the direct source), and
                // refused: its detail or parameters are not a request.
                assert_eq!(answer.unwrap_err(), "ValidationError", "{name}");
            }
        }
        assert_eq!(h.bridge().connect.calls(), 0, "{name}: Connect was called");
    }
}

#[tokio::test]
async fn fixtures_with_a_valid_request_create_one_contact_per_request() {
    for &(name, source) in FIXTURES {
        let event = with_valid_request(fixture(name), source);
        let h = new_handler();
        let answer = run(&h, event.clone())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let requests = h.bridge().connect.create_requests();
        assert_eq!(requests.len(), records(&event), "{name}: {answer}");
        for request in &requests {
            assert_eq!(request.instance_id, INSTANCE, "{name}");
            assert_eq!(request.name.as_deref(), Some("Call back about order 1042"));
            assert!(request.client_token.is_some(), "{name}: a derived token");
        }
        match source {
            Source::Sqs => assert_eq!(answer, json!({"batchItemFailures": []}), "{name}"),
            Source::RestApi | Source::HttpApi => {
                assert_eq!(answer["statusCode"], 201, "{name}: {answer}");
                let body: Value = serde_json::from_str(answer["body"].as_str().unwrap()).unwrap();
                assert!(body["ContactId"].is_string(), "{name}: {answer}");
            }
            Source::EventBridge | Source::ConnectFlow => {
                assert!(answer["ContactId"].is_string(), "{name}: {answer}");
                assert!(answer["ContactArn"].is_string(), "{name}: {answer}");
            }
        }
    }
}

#[tokio::test]
async fn fixtures_with_a_valid_callback_start_one_call_per_request() {
    use contact_bridge::request::Request;
    for &(name, source) in FIXTURES {
        let event = with_valid_callback(fixture(name), source);
        let h = new_handler();
        let answer = run(&h, event.clone())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let requests = h.bridge().connect.requests();
        assert_eq!(requests.len(), records(&event), "{name}: {answer}");
        for request in &requests {
            let Request::StartOutboundVoiceContact(callback) = request else {
                panic!("{name}: {request:?}")
            };
            assert_eq!(callback.destination_phone_number, "+12065550100");
            assert_eq!(callback.ring_timeout_in_seconds, Some(20), "{name}");
            assert!(callback.client_token.is_some(), "{name}: a derived token");
        }
        let contact = match source {
            Source::Sqs => {
                assert_eq!(answer, json!({"batchItemFailures": []}), "{name}");
                continue;
            }
            Source::RestApi | Source::HttpApi => {
                assert_eq!(answer["statusCode"], 201, "{name}: {answer}");
                serde_json::from_str(answer["body"].as_str().unwrap()).unwrap()
            }
            Source::EventBridge | Source::ConnectFlow => answer,
        };
        assert!(contact["ContactId"].is_string(), "{name}: {contact}");
        assert_eq!(
            contact.get("ContactArn"),
            None,
            "{name}: a callback has no ARN"
        );
    }
}

#[tokio::test]
async fn http_fixtures_with_a_base64_body_create_the_contact() {
    for &(name, source) in FIXTURES {
        if !matches!(source, Source::RestApi | Source::HttpApi) {
            continue;
        }
        let mut event = with_valid_request(fixture(name), source);
        let text = event["body"].as_str().unwrap().to_owned();
        event["body"] = json!(base64::engine::general_purpose::STANDARD.encode(text));
        event["isBase64Encoded"] = json!(true);
        let h = new_handler();
        let answer = run(&h, event).await.unwrap();
        assert_eq!(answer["statusCode"], 201, "{name}: {answer}");
        assert_eq!(h.bridge().connect.calls(), 1, "{name}");
    }
}

/// The fixtures with an SMS (StartOutboundChatContact), which every source may ask for, and a web
/// chat (StartChatContact), whose participant token only an HTTP caller waits for: from the
/// others it is refused before Connect.
#[tokio::test]
async fn fixtures_with_an_sms_start_one_each_and_a_chat_only_over_http() {
    use common::requests::minimal_body;
    use contact_bridge::request::OperationName;
    for &(name, source) in FIXTURES {
        for operation in ["StartOutboundChatContact", "StartChatContact"] {
            let mut body = minimal_body(operation);
            body["InstanceId"] = json!(INSTANCE);
            let payload = json!({ operation: body.clone() });
            let event = with_request(fixture(name), source, payload, Some((operation, body)));
            let h = new_handler();
            let answer = run(&h, event.clone()).await;
            let requests = h.bridge().connect.requests();
            let http = matches!(source, Source::RestApi | Source::HttpApi);
            if operation == "StartChatContact" && !http {
                assert!(requests.is_empty(), "{name}: {answer:?}");
                continue;
            }
            let answer = answer.unwrap_or_else(|e| panic!("{name} {operation}: {e}"));
            assert_eq!(requests.len(), records(&event), "{name}: {answer}");
            assert!(
                requests
                    .iter()
                    .all(|r| r.operation() == OperationName::parse(operation).unwrap()),
                "{name}"
            );
            if http {
                assert_eq!(answer["statusCode"], 201, "{name}: {answer}");
                let body: Value = serde_json::from_str(answer["body"].as_str().unwrap()).unwrap();
                assert_eq!(
                    body.get("ParticipantToken").is_some(),
                    operation == "StartChatContact",
                    "{name}: {body}"
                );
            }
        }
    }
}
