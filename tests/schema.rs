//! The checked-in JSON Schema matches the Rust types, and every sample request validates against it.
//! `UPDATE_SCHEMA=1 cargo test --test schema` rewrites the file.

use contact_bridge_test_support as common;

use common::{event, requests, with};
use serde_json::{Value, json};

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/schema/contact-request.schema.json"
);

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&contact_bridge::cli::schema_text()).unwrap();
    // With format checking, as Python's test below: `date-time` is asserted, not annotated.
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("a valid JSON Schema")
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
        "direct-outbound-sms.json",
        "direct-outbound-email.json",
        "direct-webrtc.json",
    ] {
        requests.push((name.to_owned(), event(name)));
    }
    requests.push((
        "eventbridge.json".to_owned(),
        event("eventbridge.json")["detail"].clone(),
    ));
    // A bare detail is the body of the operation its detail-type names.
    let email = event("eventbridge-inbound-email.json");
    requests.push((
        "eventbridge-inbound-email.json".to_owned(),
        json!({ email["detail-type"].as_str().unwrap(): email["detail"] }),
    ));
    for name in [
        "sqs-standard.json",
        "sqs-fifo.json",
        "sqs-tasks-and-callback.json",
        "sqs-messaging.json",
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
        "http-api-chat.json",
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

/// A task, a callback and a bare CreateContact request with `patch` applied.
fn task(patch: Value) -> Value {
    let body = json!({"InstanceId": "i", "Name": "n", "ContactFlowId": "f"});
    json!({ "StartTaskContact": with(body, patch) })
}

fn callback(patch: Value) -> Value {
    let body = json!({"InstanceId": "i", "DestinationPhoneNumber": "+14155550100", "ContactFlowId": "f", "QueueId": "q"});
    json!({ "StartOutboundVoiceContact": with(body, patch) })
}

fn bare(patch: Value) -> Value {
    with(json!({"Channel": "TASK", "InitiationMethod": "API"}), patch)
}

/// Requests both the schema and the function accept.
fn accepted_payloads() -> Vec<Value> {
    vec![
        bare(json!({})),
        task(json!({})),
        callback(json!({})),
        task(
            json!({"Attachments": [{"FileName": "Überweisung 申请 😀.pdf", "S3Url": "s3://b/k"}]}),
        ),
        task(json!({"ScheduledTime": "PT1H"})),
    ]
    .into_iter()
    .chain(modeled_bodies())
    .chain([requests::email_pair()])
    .collect()
}

/// Every body of the operations the model describes, as payloads.
fn modeled_bodies() -> Vec<Value> {
    requests::MODELED
        .into_iter()
        .flat_map(|op| {
            requests::full_bodies(op)
                .into_iter()
                .chain([requests::minimal_body(op)])
                .map(move |body| json!({ op: body }))
        })
        .collect()
}

/// Requests both the schema and the function refuse.
fn refused_payloads() -> Vec<Value> {
    let mut payloads = vec![
        bare(json!({"Atributes": {}})),
        bare(json!({"Channel": "CHAT"})),
        bare(json!({"InitiationMethod": "TRANSFER"})),
        bare(json!({"InitiateAs": "COMPLETED", "Channel": "EMAIL", "InitiationMethod": "FLOW"})),
        bare(json!({"PreviousContactId": "p"})),
        bare(json!({"Channel": "EMAIL", "InitiationMethod": "OUTBOUND"})),
        bare(json!({"Attributes": {"bad key": "v"}})),
        bare(json!({"Attributes": {"k": 1}})),
        bare(json!({"References": {"r": {"Type": "EMAIL_MESSAGE"}}})),
        bare(json!({"References": {"r": {"Value": "v"}}})),
        bare(json!({"ExpiryDurationInMinutes": 0})),
        bare(json!({"ExpiryDurationInMinutes": "5"})),
        bare(json!({"SegmentAttributes": {"k": {"ValueString": "a", "ValueInteger": 1}}})),
        bare(json!({"SegmentAttributes": {"other:k": {"ValueString": "a"}}})),
        bare(json!({"Name": "x".repeat(1025)})),
        json!({"StartContactRecording": {}}),
        json!({"StartChatContact": {}}),
        json!({"StartTaskContact": {}, "CreateContact": {}}),
        task(json!({"Name": null})),
        task(json!({"TaskTemplateId": "t"})),
        task(json!({"Channel": "TASK"})),
        task(json!({"References": {"r": {"Type": "ATTACHMENT"}}})),
        task(json!({"Attachments": []})),
        task(json!({"Attachments": [{"FileName": "f"}]})),
        task(json!({"ScheduledTime": true})),
        // Only a format checker sees these.
        task(json!({"ScheduledTime": "tomorrow"})),
        task(json!({"ScheduledTime": "P1Y"})),
        callback(json!({"DestinationPhoneNumber": "0123"})),
        callback(json!({"RingTimeoutInSeconds": 90})),
        callback(json!({"TrafficType": "BULK"})),
        callback(json!({"AnswerMachineDetectionConfig": {"EnableAnswerMachineDetection": true}})),
        callback(
            json!({"OutboundStrategy": {"Type": "AGENT_FIRST", "Config": {"AgentFirst": {"Preview": {}}}}}),
        ),
    ];
    // The model's `^\P{C}*$`: every kind of category C, in the BMP and above it.
    for c in [
        '\u{7}',
        '\u{AD}',
        '\u{200B}',
        '\u{202E}',
        '\u{FEFF}',
        '\u{E000}',
        '\u{378}',
        '\u{E0001}',
        '\u{F0000}',
    ] {
        payloads.push(task(
            json!({"Attachments": [{"FileName": format!("a{c}b.pdf"), "S3Url": "s3://b/k"}]}),
        ));
    }
    for case in requests::refused_cases() {
        if !requests::beyond_a_schema(&case) {
            let (operation, patch, ..) = case;
            payloads.push(json!({ operation: with(requests::minimal_body(operation), patch) }));
        }
    }
    let mut pair = requests::email_pair();
    pair["StartOutboundEmailContact"]["ContactId"] = json!("c-1");
    payloads.push(pair);
    let mut pair = requests::email_pair();
    pair["CreateContact"]["Channel"] = json!("VOICE");
    payloads.push(pair);
    let mut alone = requests::minimal_body("StartOutboundEmailContact");
    alone.as_object_mut().unwrap().remove("ContactId");
    payloads.push(json!({ "StartOutboundEmailContact": alone }));
    payloads
}

#[test]
fn the_schema_and_the_function_agree() {
    let validator = validator();
    // The schema lets InstanceId be left out: CONNECT_INSTANCE_ID supplies it.
    let defaults = contact_bridge::request::RequestDefaults {
        instance_id: Some("i"),
        ..Default::default()
    };
    for good in accepted_payloads() {
        assert!(validator.is_valid(&good), "the schema refused {good}");
        contact_bridge::request::parse_payload(&good, &defaults)
            .unwrap_or_else(|e| panic!("the function refused {good}: {e}"));
    }
    for bad in refused_payloads() {
        assert!(
            contact_bridge::request::parse_payload(&bad, &defaults).is_err(),
            "the function accepted {bad}"
        );
        assert!(!validator.is_valid(&bad), "the schema accepted {bad}");
    }
}

/// A validator not written in Rust reads the schema the same way: Python's `jsonschema`, with
/// format checking. It needs python3 with jsonschema, so it is ignored by a plain `cargo test`;
/// `.ci/run` installs it (pinned) and runs it:
/// `PYTHONPATH=<jsonschema> cargo test --locked --test schema -- --ignored`.
#[test]
#[ignore = "needs python3 with jsonschema[format-nongpl]; .ci/run installs it and runs this test"]
fn python_jsonschema_reads_the_schema_the_same_way() {
    const CHECK: &str = r#"
import json, sys
from jsonschema import Draft202012Validator
data = json.load(open(sys.argv[1], encoding="utf-8"))
Draft202012Validator.check_schema(data["schema"])
validator = Draft202012Validator(data["schema"], format_checker=Draft202012Validator.FORMAT_CHECKER)
problems = []
for name, instance in data["accepted"]:
    problems += ["%s refused: %s" % (name, e.message) for e in validator.iter_errors(instance)]
for instance in data["refused"]:
    if validator.is_valid(instance):
        problems.append("accepted: %s" % json.dumps(instance))
print(json.dumps(problems, indent=1))
sys.exit(1 if problems else 0)
"#;
    let schema: Value = serde_json::from_str(&contact_bridge::cli::schema_text()).unwrap();
    let mut accepted: Vec<(String, Value)> = sample_requests();
    accepted.extend(
        accepted_payloads()
            .into_iter()
            .map(|p| ("accepted".to_owned(), p)),
    );
    let data = json!({"schema": schema, "accepted": accepted, "refused": refused_payloads()});
    let path =
        std::env::temp_dir().join(format!("contact-bridge-schema-{}.json", std::process::id()));
    std::fs::write(&path, data.to_string()).unwrap();
    let output = std::process::Command::new("python3")
        .args(["-c", CHECK])
        .arg(&path)
        .output()
        .expect("python3 runs");
    let _ = std::fs::remove_file(&path);
    assert!(
        output.status.success(),
        "Python's jsonschema disagrees:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
