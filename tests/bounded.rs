//! Answers and the work behind them are bounded by design, whatever the input: at most 100
//! violations with a count of the rest, the accepted members once, at most 64 KiB from every
//! source, a Debug (which the runtime logs) of at most 8 KiB with no key a producer chose, and
//! suggestions only for short names, a few per answer.

use contact_bridge_test_support as common;

use common::{FakeConnect, event, handler, http_body, lambda_event, settings};
use contact_bridge::handler::Handler;
use contact_bridge::request::{RequestDefaults, ViolationKind, parse_payload};
use contact_bridge::violation::{MAX_ANSWER_BYTES, MAX_VIOLATIONS};
use lambda_runtime::Diagnostic;
use serde_json::{Map, Value, json};

/// The longest log line allowed.
const MAX_LOG_LINE: usize = 8 * 1024;

/// A task with `count` unknown members, each named by `name(i)`.
fn unknown_members(count: usize, name: impl Fn(usize) -> String) -> Value {
    let mut body = Map::new();
    body.insert("InstanceId".to_owned(), json!("i"));
    body.insert("Name".to_owned(), json!("n"));
    body.insert("ContactFlowId".to_owned(), json!("f"));
    for i in 0..count {
        body.insert(name(i), json!(0));
    }
    json!({ "StartTaskContact": body })
}

async fn direct_error(h: &Handler<FakeConnect>, payload: Value) -> Diagnostic {
    match h.handle(lambda_event(payload, "req")).await {
        Ok(response) => panic!("expected a refusal, got {}", json!(response)),
        Err(error) => {
            let debug = format!("{error:?}");
            assert!(
                debug.len() <= MAX_LOG_LINE,
                "Debug of {} bytes",
                debug.len()
            );
            Diagnostic::from(error)
        }
    }
}

#[test]
fn at_most_a_hundred_violations_and_a_count_of_the_rest() {
    let payload = unknown_members(5_000, |i| format!("member{i:05}"));
    let errors = parse_payload(&payload, &RequestDefaults::default()).unwrap_err();
    assert_eq!(errors.violations().len(), MAX_VIOLATIONS);
    assert_eq!(errors.count(), 5_000);
    let answer = errors.to_answer();
    assert_eq!(answer["errors"].as_array().unwrap().len(), MAX_VIOLATIONS);
    assert_eq!(answer["more"], 4_900);
    let message = answer["message"].as_str().unwrap();
    assert!(message.contains("(5000 problems)"), "{message}");
    assert!(message.contains("... and 4990 more"), "{message}");
    // The accepted members once, not once per violation.
    assert_eq!(answer["accepted"].as_object().unwrap().len(), 1);
    assert_eq!(message.matches("accepts:").count(), 1, "{message}");
    assert!(answer.to_string().len() <= MAX_ANSWER_BYTES);
}

#[test]
fn paths_stay_bounded_however_long_and_deep_the_keys() {
    // A key of 100,000 characters, and attribute keys nested as deep as JSON allows.
    let long = "k".repeat(100_000);
    let payload = json!({"StartTaskContact": {"Name": "n", "ContactFlowId": "f",
        "Attributes": {long.clone(): 1}, long.clone(): 1}});
    let errors = parse_payload(&payload, &RequestDefaults::default()).unwrap_err();
    for v in errors.violations() {
        assert!(v.path.len() <= 400, "a path of {} bytes", v.path.len());
        if let ViolationKind::UnknownMember { suggestion, .. } = &v.kind {
            assert_eq!(
                *suggestion, None,
                "no suggestion for a 100,000-character name"
            );
        }
    }
    let mut deep = json!("x");
    for _ in 0..120 {
        deep = json!({ "a-very-long-segment-name-of-sixty-characters-or-so-0123456789": deep });
    }
    let payload = json!({"CreateContact": {"Channel": "TASK", "InitiationMethod": "API",
        "SegmentAttributes": {"k": {"ValueMap": deep}}}});
    let errors = parse_payload(&payload, &RequestDefaults::default()).unwrap_err();
    assert!(errors.violations().iter().all(|v| v.path.len() <= 400));
    assert!(errors.to_answer().to_string().len() <= MAX_ANSWER_BYTES);
}

#[test]
fn suggestions_are_few_per_answer() {
    // Every one of these is one edit from `Name`.
    let payload = unknown_members(50, |i| format!("Nam{}", char::from(b'a' + (i % 26) as u8)));
    let errors = parse_payload(&payload, &RequestDefaults::default()).unwrap_err();
    let suggested = errors
        .violations()
        .iter()
        .filter(|v| {
            matches!(
                &v.kind,
                ViolationKind::UnknownMember {
                    suggestion: Some(_),
                    ..
                }
            )
        })
        .count();
    assert!((1..=10).contains(&suggested), "{suggested} suggestions");
}

#[tokio::test]
async fn every_source_answers_within_64_kib() {
    let h = handler(settings(), FakeConnect::new());
    // About 1 MB of unknown members (within the 30,000 values read): once 48.6 MB of answer.
    let payload = unknown_members(13_000, |i| {
        format!("unknown-member-name-{i:08}{}", "x".repeat(48))
    });
    let body = payload.to_string();
    assert!(body.len() > 1_000_000);

    let mut http = event("http-api.json");
    http["body"] = json!(body);
    http["isBase64Encoded"] = json!(false);
    let response = serde_json::to_value(h.handle(lambda_event(http, "r")).await.unwrap()).unwrap();
    assert_eq!(response["statusCode"], 400);
    let text = response["body"].as_str().unwrap();
    assert!(text.len() <= MAX_ANSWER_BYTES, "{} bytes", text.len());
    assert_eq!(http_body(&response)["more"], 13_000 - MAX_VIOLATIONS);

    let direct = direct_error(&h, payload.clone()).await;
    assert!(direct.error_message.len() <= MAX_ANSWER_BYTES);

    let mut eventbridge = event("eventbridge.json");
    eventbridge["detail"] = payload.clone();
    let error = direct_error(&h, eventbridge).await;
    assert!(error.error_message.len() <= MAX_ANSWER_BYTES);

    let sqs = common::sqs_batch(common::QUEUE_ARN, [("m-1".to_owned(), body)]);
    let response = serde_json::to_value(h.handle(lambda_event(sqs, "r")).await.unwrap()).unwrap();
    assert!(response.to_string().len() <= MAX_ANSWER_BYTES);
    assert_eq!(h.bridge().connect.calls(), 0);
}

#[tokio::test]
async fn too_many_values_are_refused_before_they_are_read() {
    let h = handler(settings(), FakeConnect::new());
    let mut http = event("http-api.json");
    http["body"] = json!(format!("[{}0]", "0,".repeat(60_000)));
    http["isBase64Encoded"] = json!(false);
    let response = serde_json::to_value(h.handle(lambda_event(http, "r")).await.unwrap()).unwrap();
    assert_eq!(response["statusCode"], 400);
    let message = http_body(&response)["message"].as_str().unwrap().to_owned();
    assert!(message.contains("more than 30000 values"), "{message}");
}
