//! Per-record translation cost (docs/performance.md): a record's body as JSON text, read strictly
//! (`json::parse_strict`), validated (`request::parse_payload`) and turned into the SDK call
//! (`ConnectClient::call_for`). No network: the call is built, never sent.
//!
//! `typical`: `events/direct-task.json`, the body of a typical SQS task record (CreateContact).
//! `typical-task`: `events/direct-routed-task.json`, a routed task (StartTaskContact).
//! `typical-callback`: `events/direct-callback.json`, a callback (StartOutboundVoiceContact).
//! `typical-<operation>`: a typical request of each operation the model describes, from the
//! samples in `events/` (an SMS, an inbound email, an email with its CreateContact, a web chat,
//! a WebRTC call).
//! `largest`: the largest valid request: Attributes just under 32,768 bytes, References just under
//! 4,096, a 1024-character Name, a 4096-character Description and nested SegmentAttributes.
//!
//! `translation-steps`: the typical record's steps one by one (with plain
//! `serde_json::from_slice` for comparison), and a whole direct invocation through the handler with
//! the SDK call left out: the project's own work per invocation.

use std::hint::black_box;

use contact_bridge::bridge::Bridge;
use contact_bridge::config::Settings;
use contact_bridge::connect::{Connect, ConnectClient, CreatedContact};
use contact_bridge::error::ConnectError;
use contact_bridge::handler::Handler;
use contact_bridge::json::parse_strict;
use contact_bridge::metrics::Metrics;
use contact_bridge::request::{Request, RequestDefaults, parse_payload};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};

use contact_bridge_test_support::INSTANCE;
const TYPICAL: &str = include_str!("../../events/direct-task.json");
const TYPICAL_TASK: &str = include_str!("../../events/direct-routed-task.json");
const TYPICAL_CALLBACK: &str = include_str!("../../events/direct-callback.json");
const TYPICAL_SMS: &str = include_str!("../../events/direct-outbound-sms.json");
const TYPICAL_OUTBOUND_EMAIL: &str = include_str!("../../events/direct-outbound-email.json");
const TYPICAL_WEB_RTC: &str = include_str!("../../events/direct-webrtc.json");
const INBOUND_EMAIL_EVENT: &str = include_str!("../../events/eventbridge-inbound-email.json");
const CHAT_HTTP_EVENT: &str = include_str!("../../events/http-api-chat.json");

/// The payloads the two other samples carry: the chat's HTTP body, the email's detail under the
/// operation its detail-type names.
fn carried_payloads() -> (String, String) {
    let chat: Value = serde_json::from_str(CHAT_HTTP_EVENT).expect("the chat sample");
    let email: Value = serde_json::from_str(INBOUND_EMAIL_EVENT).expect("the email sample");
    let email = json!({ "StartEmailContact": email["detail"] });
    (
        chat["body"].as_str().expect("a body").to_owned(),
        email.to_string(),
    )
}

/// What the benchmark's deployment supplies: its instance.
const DEFAULTS: RequestDefaults = RequestDefaults {
    instance_id: Some(INSTANCE),
    contact_flow_id: None,
    queue_id: None,
    now: None,
};

/// Answers at once without the SDK: what is left of an invocation is the project's own work.
struct NoConnect;

impl Connect for NoConnect {
    async fn start_contact(&self, request: &Request) -> Result<CreatedContact, ConnectError> {
        Ok(CreatedContact::new(
            "bbbbbbbb-0000-4000-8000-000000000001".to_owned(),
            Some(format!(
                "arn:aws:connect:us-east-1:123456789012:instance/{}/contact/bbbbbbbb-0000-4000-8000-000000000001",
                request.instance_id()
            )),
        ))
    }
}

fn client() -> ConnectClient {
    use aws_sdk_connect::config::{BehaviorVersion, Region};
    let config = aws_sdk_connect::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .build();
    ConnectClient::new(aws_sdk_connect::Client::from_conf(config))
}

/// `count` entries named `{prefix}{i:02}` whose names plus values total exactly `total` bytes.
fn sized_entries(prefix: &str, count: usize, total: usize) -> Vec<(String, String)> {
    let names: Vec<String> = (0..count).map(|i| format!("{prefix}{i:02}")).collect();
    let value_bytes = total - names.iter().map(String::len).sum::<usize>();
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let len = value_bytes / count + usize::from(i < value_bytes % count);
            let value = "abcdefghijklmnopqrstuvwxyz0123456789"
                .chars()
                .cycle()
                .take(len)
                .collect();
            (name, value)
        })
        .collect()
}

/// The largest request the rules accept, as compact JSON text.
fn largest() -> String {
    let attributes: Map<String, Value> = sized_entries("attribute-", 64, 32_768 - 8)
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    let types = [
        "URL", "STRING", "NUMBER", "DATE", "EMAIL", "STRING", "URL", "STRING",
    ];
    let references: Map<String, Value> = sized_entries("reference-", types.len(), 4_096 - 6)
        .into_iter()
        .zip(types)
        .map(|((name, value), kind)| (name, json!({ "Type": kind, "Value": value })))
        .collect();
    json!({
        "InstanceId": INSTANCE,
        "ClientToken": "c".repeat(500),
        "Channel": "TASK",
        "InitiationMethod": "API",
        "Name": "n".repeat(1024),
        "Description": "d".repeat(4096),
        "ExpiryDurationInMinutes": 1440,
        "Attributes": attributes,
        "References": references,
        "SegmentAttributes": {
            "connect:ContactExpiry": { "ValueMap": { "ExpiryDuration": { "ValueInteger": 1440 } } },
            "connect:Subtype": { "ValueString": "connect:ExternalTask" },
            "order-context": { "ValueMap": {
                "customer": { "ValueMap": {
                    "tier": { "ValueString": "gold" },
                    "region": { "ValueString": "eu-west-1" },
                    "history": { "ValueList": [
                        { "ValueString": "order-1040" },
                        { "ValueInteger": 1041 },
                        { "ValueMap": { "last": { "ValueString": "order-1042" } } }
                    ] }
                } },
                "queue": { "ValueArn": "arn:aws:connect:us-east-1:123456789012:instance/aaaaaaaa-bbbb-cccc-dddd-111111111111/queue/q-1" }
            } }
        }
    })
    .to_string()
}

fn translation(c: &mut Criterion) {
    let client = client();
    let translate = |body: &str| {
        let value = parse_strict(body.as_bytes()).expect("valid JSON");
        let request = parse_payload(&value, &DEFAULTS).expect("a valid request");
        client.call_for(&request).expect("an SDK call")
    };
    let largest = largest();
    let (chat, inbound_email) = carried_payloads();
    let modeled = [
        ("typical-outbound-sms", TYPICAL_SMS),
        ("typical-inbound-email", inbound_email.as_str()),
        ("typical-outbound-email", TYPICAL_OUTBOUND_EMAIL),
        ("typical-chat", chat.as_str()),
        ("typical-web-rtc", TYPICAL_WEB_RTC),
    ];
    for body in [TYPICAL, TYPICAL_TASK, TYPICAL_CALLBACK, largest.as_str()]
        .into_iter()
        .chain(modeled.iter().map(|(_, body)| *body))
    {
        // A harness failure, not a slow run: the inputs must be valid.
        let value = parse_strict(body.as_bytes()).expect("the benchmark input is JSON");
        if let Err(errors) = parse_payload(&value, &DEFAULTS) {
            panic!("the benchmark input must be a valid request: {errors:?}");
        }
    }
    eprintln!(
        "translation inputs: typical {} bytes, largest {} bytes",
        TYPICAL.len(),
        largest.len()
    );

    let mut group = c.benchmark_group("translation");
    group.throughput(Throughput::Elements(1));
    group.bench_function("typical", |b| b.iter(|| translate(black_box(TYPICAL))));
    group.bench_function("typical-task", |b| {
        b.iter(|| translate(black_box(TYPICAL_TASK)))
    });
    group.bench_function("typical-callback", |b| {
        b.iter(|| translate(black_box(TYPICAL_CALLBACK)))
    });
    for (name, body) in modeled {
        group.bench_function(name, |b| b.iter(|| translate(black_box(body))));
    }
    group.bench_function("largest", |b| {
        b.iter(|| translate(black_box(largest.as_str())))
    });
    group.finish();

    // The typical record's cost, step by step, to show where it goes.
    let value = parse_strict(TYPICAL.as_bytes()).expect("valid JSON");
    let request = parse_payload(&value, &DEFAULTS).expect("a valid request");
    let mut steps = c.benchmark_group("translation-steps");
    steps.bench_function("typical-serde_json-from_slice", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(TYPICAL.as_bytes())).unwrap())
    });
    steps.bench_function("typical-parse_strict", |b| {
        b.iter(|| parse_strict(black_box(TYPICAL.as_bytes())).unwrap())
    });
    steps.bench_function("typical-parse_payload", |b| {
        b.iter(|| parse_payload(black_box(&value), &DEFAULTS).unwrap())
    });
    steps.bench_function("typical-call_for", |b| {
        b.iter(|| client.call_for(black_box(&request)).unwrap())
    });

    // A whole direct invocation as the binary handles it (settings as in the benchmark, metrics
    // written to a sink, the answer serialised), with the SDK call left out.
    let settings = Settings::from_lookup(|name| match name {
        "CONNECT_INSTANCE_ID" => Some(INSTANCE.to_owned()),
        _ => None,
    })
    .expect("valid settings");
    let handler = Handler::new(
        Bridge::new(settings, NoConnect)
            .with_metrics(Metrics::to_writer(Box::new(std::io::sink()))),
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let payload = serde_json::from_str::<Value>(TYPICAL).unwrap().to_string();
    steps.bench_function("direct-invocation-without-sdk", |b| {
        b.iter(|| {
            let mut context = lambda_runtime::Context::default();
            context.request_id = "8476a536-e9f4-11e8-9739-2dfe598c3fcd".to_owned();
            context.deadline = (std::time::SystemTime::now() + std::time::Duration::from_secs(8))
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_millis() as u64;
            let raw = RawValue::from_string(payload.clone()).unwrap();
            let event = lambda_runtime::LambdaEvent::new(raw, context);
            let response = runtime.block_on(handler.handle_raw(event)).unwrap();
            serde_json::to_vec(&response).unwrap()
        })
    });
    steps.finish();
}

criterion_group!(benches, translation);
criterion_main!(benches);
