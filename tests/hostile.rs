//! Property tests: arbitrary JSON, and arbitrary mutations of the sample events, for every
//! source. The handler never panics, answers in the source's shape, and calls Connect only for
//! valid requests.

use contact_bridge_test_support as common;

use common::{FakeConnect, INSTANCE, event, handler, lambda_event, settings};
use contact_bridge::handler::Response;
use contact_bridge::request::{
    OperationName, RequestDefaults, names_an_operation, parse_operation, parse_payload,
};
use contact_bridge::sources::Source;
use lambda_runtime::Diagnostic;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop_oneof![
            "[A-Za-z_:-]{0,12}",
            Just("TASK".to_owned()),
            Just("+14155550100".to_owned()),
            Just("StartTaskContact".to_owned()),
            Just("API".to_owned()),
            Just("aws:sqs".to_owned()),
            Just("ContactFlowEvent".to_owned()),
            any::<String>()
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let key = prop_oneof![
            "[A-Za-z]{1,10}",
            proptest::sample::select(
                contact_bridge::request::all_member_names().collect::<Vec<_>>()
            )
            .prop_map(str::to_owned),
            proptest::sample::select(contact_bridge::request::OPERATION_NAMES)
                .prop_map(str::to_owned),
            proptest::sample::select(vec![
                "Records",
                "detail",
                "detail-type",
                "source",
                "httpMethod",
                "requestContext",
                "Name",
                "Details",
                "body",
                "eventSource"
            ])
            .prop_map(str::to_owned),
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key, inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// What the tests' deployment supplies: its instance.
fn defaults() -> RequestDefaults<'static> {
    RequestDefaults {
        instance_id: Some(INSTANCE),
        ..RequestDefaults::default()
    }
}

/// Runs the handler on `payload`; checks the answer's shape and that Connect was called only for
/// a valid request. Returns nothing: the assertions are the property.
fn check(payload: Value) -> Result<(), TestCaseError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let h = handler(settings(), FakeConnect::new());
    let outcome = runtime.block_on(h.handle(lambda_event(payload.clone(), "prop")));
    let calls = h.bridge().connect.calls();
    let source = Source::recognise(&payload);
    match (source, outcome) {
        (Some(Source::Sqs), Ok(Response::Sqs(batch))) => {
            let records = payload["Records"].as_array().unwrap().len();
            prop_assert_eq!(
                calls + batch.batch_item_failures.len(),
                records,
                "each record created or reported"
            );
        }
        (Some(Source::Http(_)), Ok(Response::Http(response))) => {
            prop_assert!((200..600).contains(&response.status_code));
            prop_assert!(serde_json::from_str::<Value>(&response.body).is_ok());
            prop_assert_eq!(
                calls > 0,
                response.status_code == 201,
                "Connect called exactly for a 201"
            );
        }
        (Some(Source::Direct), outcome) => {
            let valid = parse_payload(&payload, &defaults()).is_ok();
            prop_assert_eq!(calls, usize::from(valid));
            prop_assert_eq!(outcome.is_ok(), valid);
        }
        (Some(Source::EventBridge), outcome) => {
            let detail = &payload["detail"];
            // A detail-type that names an operation makes a bare detail that operation's body.
            let named = payload["detail-type"]
                .as_str()
                .and_then(OperationName::parse)
                .filter(|_| !names_an_operation(detail));
            let valid = match named {
                Some(operation) => parse_operation(operation, detail, &defaults()).is_ok(),
                None => parse_payload(detail, &defaults()).is_ok(),
            };
            prop_assert_eq!(calls, usize::from(valid));
            prop_assert_eq!(outcome.is_ok(), valid);
        }
        (Some(Source::ConnectFlow), Ok(Response::Contact(_))) => prop_assert_eq!(calls, 1),
        (Some(Source::ConnectFlow), Err(_)) => prop_assert_eq!(calls, 0),
        (None, Err(e)) => {
            prop_assert_eq!(Diagnostic::from(e).error_type, "UnrecognisedEvent");
            prop_assert_eq!(calls, 0);
        }
        (source, outcome) => prop_assert!(false, "{source:?} answered {outcome:?}"),
    }
    Ok(())
}

const SAMPLES: &[&str] = &[
    "direct-task.json",
    "direct-email.json",
    "direct-external-audio.json",
    "sqs-standard.json",
    "sqs-fifo.json",
    "sqs-fifo-two-groups.json",
    "sqs-unreadable-attributes.json",
    "eventbridge.json",
    "apigw-rest.json",
    "apigw-rest-sparse-context.json",
    "http-api.json",
    "function-url.json",
    "connect-flow-task.json",
    "connect-flow-external-audio.json",
    "direct-routed-task.json",
    "direct-callback.json",
    "sqs-tasks-and-callback.json",
    "eventbridge-task.json",
    "http-api-callback.json",
    "apigw-rest-template-task.json",
    "connect-flow-callback.json",
    "connect-flow-routed-task.json",
];

/// Every JSON Pointer inside `value` (JSON text inside strings included as the string itself).
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = contact_bridge::request::pointer(&at, k);
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Remove,
    Replace(Value),
    /// Replace an SQS body or HTTP body (JSON text) with other JSON text.
    Text(Value),
}

fn mutate(mut event: Value, which: prop::sample::Index, mutation: Mutation) -> Value {
    let mut paths = Vec::new();
    pointers(&event, String::new(), &mut paths);
    let path = paths[which.index(paths.len())].clone();
    let (parent, key) = path.rsplit_once('/').unwrap();
    let key = key.replace("~1", "/").replace("~0", "~");
    let Some(container) = event.pointer_mut(parent) else {
        return event;
    };
    match (container, mutation) {
        (Value::Object(map), Mutation::Remove) => {
            map.remove(&key);
        }
        (Value::Object(map), Mutation::Replace(v)) => {
            map.insert(key, v);
        }
        (Value::Object(map), Mutation::Text(v)) => {
            map.insert(key, Value::String(v.to_string()));
        }
        (Value::Array(items), Mutation::Remove) => {
            if let Ok(i) = key.parse::<usize>() {
                items.remove(i);
            }
        }
        (Value::Array(items), Mutation::Replace(v) | Mutation::Text(v)) => {
            if let Ok(i) = key.parse::<usize>() {
                items[i] = v;
            }
        }
        _ => {}
    }
    event
}

fn arb_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Remove),
        arb_json().prop_map(Mutation::Replace),
        arb_json().prop_map(Mutation::Text),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_is_answered_in_shape(payload in arb_json()) {
        check(payload)?;
    }

    #[test]
    fn arbitrary_json_inside_every_envelope_is_answered_in_shape(inner in arb_json(), sample in proptest::sample::select(SAMPLES)) {
        let mut e = event(sample);
        if e.get("Records").is_some() {
            e["Records"][0]["body"] = json!(inner.to_string());
        } else if e.get("detail").is_some() {
            e["detail"] = inner;
        } else if e.get("requestContext").is_some() {
            e["body"] = json!(inner.to_string());
            e["isBase64Encoded"] = json!(false);
        } else if e.get("Details").is_some() {
            e["Details"]["Parameters"] = match inner {
                Value::Object(m) => Value::Object(m),
                other => Value::Object(Map::from_iter([("Name".to_owned(), other)])),
            };
        } else {
            e = inner;
        }
        check(e)?;
    }

    #[test]
    fn mutated_sample_events_are_answered_in_shape(
        sample in proptest::sample::select(SAMPLES),
        which in any::<prop::sample::Index>(),
        mutation in arb_mutation(),
    ) {
        check(mutate(event(sample), which, mutation))?;
    }
}
