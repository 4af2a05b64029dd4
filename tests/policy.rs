//! The deployer's policy through every source: which operations a source may ask for, fixed
//! values, allowed members and keys, destinations, one contact per destination and window, and
//! how each refusal is answered.

use contact_bridge_test_support as common;

use std::sync::Arc;

use common::{FakeConnect, FakeOutcomes, QUEUE_ARN, event, failed_ids, http_body, lambda_event};
use contact_bridge::bridge::Bridge;
use contact_bridge::config::Settings;
use contact_bridge::handler::Handler;
use contact_bridge::policy::Policy;
use contact_bridge::request::Request;
use lambda_runtime::Diagnostic;
use serde_json::{Value, json};

fn handler_with(policy: Value) -> Handler<FakeConnect> {
    let settings = Settings {
        policy: Some(Policy::parse(&policy.to_string()).unwrap()),
        ..common::settings()
    };
    Handler::new(Bridge::new(settings, FakeConnect::new()))
}

async fn invoke(h: &Handler<FakeConnect>, payload: Value) -> Result<Value, Diagnostic> {
    h.handle(lambda_event(payload, "req-1"))
        .await
        .map(|r| serde_json::to_value(r).unwrap())
        .map_err(Diagnostic::from)
}

fn callback(patch: Value) -> Value {
    let mut body = json!({"DestinationPhoneNumber": "+12065550100", "Name": "Callback"});
    for (k, v) in patch.as_object().unwrap() {
        body[k] = v.clone();
    }
    json!({ "StartOutboundVoiceContact": body })
}

fn task() -> Value {
    json!({"StartTaskContact": {"Name": "n", "ContactFlowId": "f"}})
}

/// The callback form of docs/security.md.
fn public_callback_form() -> Value {
    json!({
        "http": {"StartOutboundVoiceContact": {
            "fixed": {"ContactFlowId": "flow-outbound", "QueueId": "queue-callbacks", "Attributes.channel": "web"},
            "allow": ["DestinationPhoneNumber", "Name", "Attributes.reason"],
            "destinations": ["+1"],
            "oncePerDestinationMinutes": 10
        }},
        "direct": {"*": {}}
    })
}

fn http(payload: &Value) -> Value {
    let mut e = event("http-api.json");
    e["body"] = json!(payload.to_string());
    e["isBase64Encoded"] = json!(false);
    e
}

fn sqs(payload: &Value, sent_ms: u64) -> Value {
    let mut batch = common::sqs_batch(QUEUE_ARN, [("m-1".to_owned(), payload.to_string())]);
    batch["Records"][0]["attributes"]["SentTimestamp"] = json!(sent_ms.to_string());
    batch
}

#[test]
fn a_policy_is_checked_at_init_with_every_problem_at_once() {
    let error = Policy::parse(
        &json!({
            "sms": {},
            "http": {"StartContactRecording": {}, "StartTaskContact": {
                "fixed": {"Colour": "red", "Name.first": "x"},
                "allow": ["Attributes.reason", "Nmae"],
                "destinations": ["1206"],
                "oncePerDestinationMinutes": 0,
                "throttle": 5
            }}
        })
        .to_string(),
    )
    .unwrap_err();
    let text = error.to_string();
    for expected in [
        "unknown source \"sms\"",
        "unknown operation \"StartContactRecording\"",
        "unknown member \"Colour\" of StartTaskContact",
        "\"Name\" has no keys",
        "unknown member \"Nmae\"",
        "\"1206\" is not an E.164 prefix",
        "oncePerDestinationMinutes: must be a whole number",
        "unknown rule \"throttle\"",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    assert_eq!(error.problems.len(), 8, "{text}");

    // Through the settings: POLICY or POLICY_FILE, not both; the name in the message.
    let lookup = |vars: &'static [(&'static str, &'static str)]| {
        Settings::from_lookup(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
    };
    let both = lookup(&[("POLICY", "{}"), ("POLICY_FILE", "/p.json")]).unwrap_err();
    assert!(both.to_string().contains("not both"), "{both}");
    let missing = lookup(&[("POLICY_FILE", "/no/such/policy.json")]).unwrap_err();
    assert!(missing.to_string().contains("POLICY_FILE"), "{missing}");
    let bad = lookup(&[("POLICY", r#"{"sqs": {"Nope": {}}}"#)]).unwrap_err();
    assert!(
        bad.to_string()
            .contains("invalid setting POLICY: sqs: unknown operation"),
        "{bad}"
    );
    assert!(
        lookup(&[("POLICY", r#"{"sqs": {"*": {}}}"#)])
            .unwrap()
            .policy
            .is_some()
    );
}

#[tokio::test]
async fn a_source_may_ask_only_for_what_it_is_named_for() {
    let h = handler_with(json!({"sqs": {"StartTaskContact": {}}, "direct": {"*": {}}}));
    // SQS: a task is allowed, a callback refused; the refusal fails the record alone.
    let response = invoke(
        &h,
        sqs(&callback(json!({"ContactFlowId": "f", "QueueId": "q"})), 1),
    )
    .await
    .unwrap();
    assert_eq!(failed_ids(&response), ["m-1"]);
    invoke(&h, sqs(&task(), 1)).await.unwrap();
    assert_eq!(h.bridge().connect.calls(), 1);
    // A source the policy does not name may request nothing.
    let mut eventbridge = event("eventbridge-task.json");
    eventbridge["detail"] = task();
    let error = invoke(&h, eventbridge).await.unwrap_err();
    assert_eq!(error.error_type, "OperationNotAllowed");
    assert!(
        error
            .error_message
            .contains("does not let eventbridge request StartTaskContact"),
        "{}",
        error.error_message
    );
    // "*": every operation, a bare CreateContact request too.
    invoke(&h, event("direct-callback.json")).await.unwrap();
    let bare = json!({"Channel": "TASK", "InitiationMethod": "API", "Name": "n"});
    invoke(&h, bare.clone()).await.unwrap();
    assert_eq!(h.bridge().connect.calls(), 3);
    // A fixed value fills in a bare request as well.
    let h = handler_with(
        json!({"direct": {"CreateContact": {"fixed": {"Attributes.channel": "web"}}}}),
    );
    invoke(&h, bare).await.unwrap();
    let Request::CreateContact(sent) = &h.bridge().connect.requests()[0] else {
        panic!("a CreateContact request")
    };
    assert_eq!(sent.attributes["channel"], "web");
}

#[tokio::test]
async fn the_public_callback_form() {
    let h = handler_with(public_callback_form());
    // Fixed values are filled in; the producer's allowed members pass.
    let ok = callback(json!({"Attributes": {"reason": "billing"}}));
    let response = invoke(&h, http(&ok)).await.unwrap();
    assert_eq!(response["statusCode"], 201, "{response}");
    let Request::StartOutboundVoiceContact(sent) = &h.bridge().connect.requests()[0] else {
        panic!("a callback")
    };
    assert_eq!(sent.contact_flow_id, "flow-outbound");
    assert_eq!(sent.queue_id.as_deref(), Some("queue-callbacks"));
    assert_eq!(sent.attributes["channel"], "web");
    assert_eq!(sent.attributes["reason"], "billing");

    // The same fixed value may be sent; another is refused; every refusal at once, as a 403.
    let same = callback(json!({"ContactFlowId": "flow-outbound"}));
    assert_eq!(invoke(&h, http(&same)).await.unwrap()["statusCode"], 201);
    let bad = callback(json!({
        "ContactFlowId": "other-flow", "Description": "d",
        "Attributes": {"reason": "r", "customerVerified": "true"},
        "SourcePhoneNumber": "+12065550111"
    }));
    let response = invoke(&h, http(&bad)).await.unwrap();
    assert_eq!(response["statusCode"], 403, "{response}");
    let body = http_body(&response);
    let mut refusals: Vec<(String, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_owned(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    refusals.sort();
    let paths: Vec<&str> = refusals.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/StartOutboundVoiceContact/Attributes/customerVerified",
            "/StartOutboundVoiceContact/ContactFlowId",
            "/StartOutboundVoiceContact/Description",
            "/StartOutboundVoiceContact/SourcePhoneNumber",
        ]
    );
    assert!(refusals[1].1.contains("is fixed"), "{refusals:?}");
    assert!(refusals[0].1.contains("may set"), "{refusals:?}");

    // Destinations: +1 only (the review's premium-rate numbers among the refused).
    for refused in [
        "+882123456789",
        "+979123456789",
        "+447012345678",
        "+441632960000",
    ] {
        let response = invoke(
            &h,
            http(&callback(json!({"DestinationPhoneNumber": refused}))),
        )
        .await
        .unwrap();
        assert_eq!(response["statusCode"], 403, "{refused}: {response}");
        assert_eq!(
            http_body(&response)["errors"][0]["path"],
            "/StartOutboundVoiceContact/DestinationPhoneNumber"
        );
    }
    // Another operation from HTTP is not allowed at all.
    let response = invoke(&h, http(&task())).await.unwrap();
    assert_eq!(response["statusCode"], 403);
    assert_eq!(h.bridge().connect.calls(), 2, "no refusal reached Connect");
}

#[tokio::test]
async fn one_contact_per_destination_and_window() {
    let policy = json!({"sqs": {"StartOutboundVoiceContact": {
        "fixed": {"ContactFlowId": "f", "QueueId": "q"}, "oncePerDestinationMinutes": 10}}});
    let h = handler_with(policy);
    let ten_minutes = 600_000;
    let window = 1_796_000_000_000_u64 / ten_minutes * ten_minutes;
    // Two messages in one window (the second with its own ClientToken), one in the next, and
    // another number in the first.
    for (payload, sent) in [
        (callback(json!({})), window + 1_000),
        (
            callback(json!({"ClientToken": "mine"})),
            window + ten_minutes - 1,
        ),
        (callback(json!({})), window + ten_minutes),
        (
            callback(json!({"DestinationPhoneNumber": "+12065550199"})),
            window + 5,
        ),
    ] {
        let response = invoke(&h, sqs(&payload, sent)).await.unwrap();
        assert_eq!(failed_ids(&response), Vec::<String>::new());
    }
    let t = h.bridge().connect.tokens();
    assert_eq!(
        t[0], t[1],
        "a repeat inside the window gets the same contact"
    );
    assert_ne!(t[1], t[2], "the next window is another");
    assert_ne!(t[0], t[3], "another number is another");
    // The window comes from the message's SentTimestamp: its redelivery, later, is the same.
    invoke(&h, sqs(&callback(json!({})), window + 1_000))
        .await
        .unwrap();
    assert_eq!(h.bridge().connect.tokens()[4], t[0]);
}

#[tokio::test]
async fn connect_segment_attributes_need_the_policy_to_name_them() {
    let expiry = json!({"SegmentAttributes": {"connect:ContactExpiry": {"ValueMap": {"ExpiryDuration": {"ValueInteger": 60}}}}});
    let create = |patch: &Value| {
        let mut body = json!({"Channel": "TASK", "InitiationMethod": "API"});
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        json!({ "CreateContact": body })
    };
    let h = handler_with(json!({"direct": {"*": {}}}));
    let error = invoke(&h, create(&expiry)).await.unwrap_err();
    assert_eq!(error.error_type, "MemberNotAllowed");
    assert!(
        error
            .error_message
            .contains("/CreateContact/SegmentAttributes/connect:ContactExpiry")
    );
    // A key of the producer's own is fine without an allow list.
    invoke(
        &h,
        create(&json!({"SegmentAttributes": {"mine": {"ValueString": "x"}}})),
    )
    .await
    .unwrap();

    let h = handler_with(
        json!({"direct": {"*": {"allow": ["Channel", "InitiationMethod", "SegmentAttributes.connect:ContactExpiry"]}}}),
    );
    invoke(&h, create(&expiry)).await.unwrap();
}

#[tokio::test]
async fn refusals_in_each_source_shape_with_their_kind() {
    let outcomes = Arc::new(FakeOutcomes::new());
    let settings = Settings {
        policy: Some(Policy::parse(&public_callback_form().to_string()).unwrap()),
        ..common::settings()
    };
    let h = Handler::new(Bridge::new(settings, FakeConnect::new()).with_outcomes(outcomes.clone()));
    // A flow is not named: a function error (the block's Error branch).
    let error = invoke(&h, event("connect-flow-callback.json"))
        .await
        .unwrap_err();
    assert_eq!(error.error_type, "OperationNotAllowed");
    // SQS is not named either: with a bus, the published permanent refusal is not listed.
    let response = invoke(&h, sqs(&task(), 1)).await.unwrap();
    assert_eq!(failed_ids(&response), Vec::<String>::new());
    h.bridge().finish_background().await;
    let kinds: Vec<String> = outcomes
        .published()
        .iter()
        .map(|e| e.error.as_ref().unwrap().kind.clone())
        .collect();
    assert_eq!(kinds, ["OperationNotAllowed", "OperationNotAllowed"]);
    assert!(
        outcomes
            .published()
            .iter()
            .all(|e| !e.error.as_ref().unwrap().retryable)
    );
}

/// Each source's window comes from its event's own time: EventBridge `time`, a REST API's
/// `requestTimeEpoch`, an HTTP API's `timeEpoch`; a flow and a direct invocation use now.
#[tokio::test]
async fn every_source_takes_the_window_from_its_event() {
    let rules = json!({"*": {"fixed": {"ContactFlowId": "f", "QueueId": "q"}, "oncePerDestinationMinutes": 60}});
    let h = handler_with(
        json!({"eventbridge": rules, "http": rules, "connect_flow": rules, "direct": rules}),
    );
    let body = json!({"DestinationPhoneNumber": "+12065550100"});
    let eventbridge = |time: &str, id: &str| {
        let mut e = event("eventbridge-task.json");
        e["detail-type"] = json!("StartOutboundVoiceContact");
        e["detail"] = body.clone();
        e["time"] = json!(time);
        e["id"] = json!(id);
        e
    };
    let rest = |millis: u64| {
        let mut e = event("apigw-rest.json");
        e["body"] = json!(json!({ "StartOutboundVoiceContact": body }).to_string());
        e["requestContext"]["requestTimeEpoch"] = json!(millis);
        e
    };
    let http_api = |millis: u64| {
        let mut e = http(&json!({ "StartOutboundVoiceContact": body }));
        e["requestContext"]["timeEpoch"] = json!(millis);
        e
    };
    let hour = 3_600_000_u64;
    let base = 1_796_000_000_000_u64 / hour * hour;
    for payload in [
        eventbridge("2026-12-01T10:05:00Z", "e-1"),
        eventbridge("2026-12-01T10:55:00Z", "e-2"),
        eventbridge("2026-12-01T11:05:00Z", "e-3"),
        rest(base + 1),
        rest(base + hour - 1),
        rest(base + hour),
        http_api(base + 2),
        http_api(base + hour + 2),
    ] {
        invoke(&h, payload).await.unwrap();
    }
    let mut flow = event("connect-flow-callback.json");
    flow["Details"]["Parameters"] = json!({
        "Operation": "StartOutboundVoiceContact", "DestinationPhoneNumber": "+12065550100"});
    invoke(&h, flow).await.unwrap();
    invoke(&h, json!({ "StartOutboundVoiceContact": body }))
        .await
        .unwrap();
    let t = h.bridge().connect.tokens();
    assert_eq!(t[0], t[1], "EventBridge: the same hour");
    assert_ne!(t[1], t[2], "EventBridge: the next hour");
    assert_eq!(t[3], t[4], "REST API: the same hour");
    assert_ne!(t[4], t[5], "REST API: the next hour");
    assert_eq!(t[3], t[6], "HTTP API: the same hour as the REST request");
    assert_eq!(t[5], t[7], "HTTP API: the next hour");
    // Now (a flow, a direct invocation): one window for both.
    assert_eq!(t[8], t[9]);
}
