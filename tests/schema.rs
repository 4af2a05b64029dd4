//! The checked-in JSON Schema matches the Rust types, and every sample request validates against it.
//! `UPDATE_SCHEMA=1 cargo test --test schema` rewrites the file.

use contact_bridge_test_support as common;

use common::{event, with};
use serde_json::{Value, json};

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/schema/contact-request.schema.json"
);

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&contact_bridge::cli::schema_text()).unwrap();
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

#[test]
fn checked_in_schema_is_up_to_date() {
    let generated = contact_bridge::cli::schema_text() + "\n";
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(PATH, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(PATH).unwrap_or_default();
    assert!(
        checked_in == generated,
        "schema/contact-request.schema.json is out of date: run `UPDATE_SCHEMA=1 cargo test --test schema`"
    );
}

/// Every canonical request inside the sample events.
fn sample_requests() -> Vec<(String, Value)> {
    let mut requests = Vec::new();
    for name in [
        "direct-task.json",
        "direct-email.json",
        "direct-external-audio.json",
        "direct-routed-task.json",
        "direct-callback.json",
    ] {
        requests.push((name.to_owned(), event(name)));
    }
    requests.push((
        "eventbridge.json".to_owned(),
        event("eventbridge.json")["detail"].clone(),
    ));
    for name in [
        "sqs-standard.json",
        "sqs-fifo.json",
        "sqs-tasks-and-callback.json",
    ] {
        for record in event(name)["Records"].as_array().unwrap() {
            if let Ok(body) = serde_json::from_str::<Value>(record["body"].as_str().unwrap()) {
                requests.push((format!("{name} {}", record["messageId"]), body));
            }
        }
    }
    for name in [
        "apigw-rest.json",
        "function-url.json",
        "apigw-rest-template-task.json",
        "http-api-callback.json",
    ] {
        let body = event(name)["body"].as_str().unwrap().to_owned();
        requests.push((name.to_owned(), serde_json::from_str(&body).unwrap()));
    }
    requests
}

#[test]
fn sample_requests_validate() {
    let validator = validator();
    let requests = sample_requests();
    assert!(requests.len() >= 18);
    for (name, request) in requests {
        let errors: Vec<String> = validator
            .iter_errors(&request)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
}

#[test]
fn the_schema_rejects_what_the_function_rejects() {
    let validator = validator();
    let base = json!({"Channel": "TASK", "InitiationMethod": "API"});
    assert!(validator.is_valid(&base), "InstanceId may be left out");
    let patched = |patch: Value| with(base.clone(), patch);
    for bad in [
        patched(json!({"Atributes": {}})),
        patched(json!({"Channel": "CHAT"})),
        patched(json!({"InitiationMethod": "TRANSFER"})),
        patched(json!({"InitiateAs": "COMPLETED", "Channel": "EMAIL", "InitiationMethod": "FLOW"})),
        patched(json!({"PreviousContactId": "p"})),
        patched(json!({"Channel": "EMAIL", "InitiationMethod": "OUTBOUND"})),
        patched(json!({"Attributes": {"bad key": "v"}})),
        patched(json!({"Attributes": {"k": 1}})),
        patched(json!({"References": {"r": {"Type": "EMAIL_MESSAGE"}}})),
        patched(json!({"References": {"r": {"Value": "v"}}})),
        patched(json!({"ExpiryDurationInMinutes": 0})),
        patched(json!({"ExpiryDurationInMinutes": "5"})),
        patched(json!({"SegmentAttributes": {"k": {"ValueString": "a", "ValueInteger": 1}}})),
        patched(json!({"SegmentAttributes": {"other:k": {"ValueString": "a"}}})),
        patched(json!({"Name": "x".repeat(1025)})),
    ] {
        assert!(!validator.is_valid(&bad), "the schema accepted {bad}");
        assert!(
            contact_bridge::request::parse_request(&bad, Some("i")).is_err(),
            "the function accepted {bad}"
        );
    }
}

#[test]
fn the_schema_rejects_what_the_function_rejects_for_tasks_and_callbacks() {
    let validator = validator();
    let defaults = contact_bridge::request::RequestDefaults::default();
    let task = |patch: Value| {
        let body = json!({"InstanceId": "i", "Name": "n", "ContactFlowId": "f"});
        json!({ "StartTaskContact": with(body, patch) })
    };
    let callback = |patch: Value| {
        let body = json!({"InstanceId": "i", "DestinationPhoneNumber": "+14155550100", "ContactFlowId": "f", "QueueId": "q"});
        json!({ "StartOutboundVoiceContact": with(body, patch) })
    };
    for good in [task(json!({})), callback(json!({}))] {
        assert!(validator.is_valid(&good), "the schema refused {good}");
        contact_bridge::request::parse_payload(&good, &defaults).unwrap();
    }
    for bad in [
        json!({"StartChatContact": {}}),
        json!({"StartTaskContact": {}, "CreateContact": {}}),
        task(json!({"Name": null})),
        task(json!({"TaskTemplateId": "t"})),
        task(json!({"Channel": "TASK"})),
        task(json!({"References": {"r": {"Type": "ATTACHMENT"}}})),
        task(json!({"Attachments": []})),
        task(json!({"Attachments": [{"FileName": "f"}]})),
        task(json!({"ScheduledTime": true})),
        callback(json!({"DestinationPhoneNumber": "0123"})),
        callback(json!({"RingTimeoutInSeconds": 90})),
        callback(json!({"TrafficType": "BULK"})),
        callback(json!({"AnswerMachineDetectionConfig": {"EnableAnswerMachineDetection": true}})),
        callback(
            json!({"OutboundStrategy": {"Type": "AGENT_FIRST", "Config": {"AgentFirst": {"Preview": {}}}}}),
        ),
    ] {
        assert!(!validator.is_valid(&bad), "the schema accepted {bad}");
        assert!(
            contact_bridge::request::parse_payload(&bad, &defaults).is_err(),
            "the function accepted {bad}"
        );
    }
}
