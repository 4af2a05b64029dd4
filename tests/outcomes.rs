//! Outcome events through the handler, for every source: one event per request handled, what it
//! says, and what each source does when it could not be published.

use contact_bridge_test_support as common;

use std::sync::Arc;
use std::time::Duration;

use common::{
    FakeConnect, FakeOutcomes, INSTANCE, QUEUE_ARN, event, failed_ids, handler_with_outcomes,
    http_body, lambda_event, settings, throttle,
};
use contact_bridge::config::Settings;
use contact_bridge::error::{ConnectError, ConnectErrorKind};
use contact_bridge::handler::Handler;
use contact_bridge::idempotency::derive_client_token;
use contact_bridge::outcome::{OutcomeError, OutcomeEvent};
use lambda_runtime::Diagnostic;
use serde_json::{Value, json};

async fn invoke(h: &Handler<FakeConnect>, payload: Value) -> Result<Value, Diagnostic> {
    h.handle(lambda_event(payload, "lambda-request-1"))
        .await
        .map(|r| serde_json::to_value(r).unwrap())
        .map_err(Diagnostic::from)
}

fn with_bus(connect: FakeConnect, outcomes: &Arc<FakeOutcomes>) -> Handler<FakeConnect> {
    handler_with_outcomes(settings(), connect, outcomes.clone())
}

fn access_denied() -> Result<(), ConnectError> {
    Err(ConnectError::new(
        contact_bridge::request::OperationName::CreateContact,
        ConnectErrorKind::AccessDenied,
        "AccessDeniedException",
        "no",
    ))
}

/// Personal data put in the requests; none may reach an event.
const SECRETS: [&str; 3] = [
    "Ada Lovelace-Byron",
    "+12065550142",
    "ada.secret@example.org",
];

fn task(name: &str) -> Value {
    json!({"StartTaskContact": {"Name": name, "ContactFlowId": "flow-1",
           "Attributes": {"email": SECRETS[2]}}})
}

/// A batch: a task (created), an invalid callback (permanent), a task Connect throttles
/// (retryable), a CreateContact request (created, with an ARN).
fn mixed_batch() -> Value {
    common::sqs_batch(
        QUEUE_ARN,
        [
            ("m-1".to_owned(), task(SECRETS[0]).to_string()),
            (
                "m-2".to_owned(),
                json!({"StartOutboundVoiceContact": {"DestinationPhoneNumber": SECRETS[1], "RingTimeoutInSeconds": 5}})
                    .to_string(),
            ),
            ("m-3".to_owned(), task("throttled").to_string()),
            (
                "m-4".to_owned(),
                json!({"Channel": "TASK", "InitiationMethod": "API", "Name": SECRETS[0]}).to_string(),
            ),
        ],
    )
}

#[tokio::test]
async fn an_sqs_batch_publishes_one_event_per_record_in_one_call() {
    let outcomes = Arc::new(FakeOutcomes::new());
    // One call at a time, so the script meets m-1, m-3 and m-4 in order (m-2 is invalid).
    let h = handler_with_outcomes(
        Settings {
            max_concurrency: 1,
            ..settings()
        },
        FakeConnect::new().script([Ok(()), throttle(), Ok(())]),
        outcomes.clone(),
    );
    let response = invoke(&h, mixed_batch()).await.unwrap();
    // The throttled record is retried; the invalid one is not: its event told the producer.
    assert_eq!(failed_ids(&response), ["m-3"]);
    assert_eq!(outcomes.calls(), 1, "one PutEvents call for the batch");
    let events = outcomes.published();
    let ids: Vec<&str> = events.iter().map(|e| e.source_id.as_str()).collect();
    assert_eq!(ids, ["m-1", "m-2", "m-3", "m-4"], "in the batch's order");
    let types: Vec<&str> = events.iter().map(OutcomeEvent::detail_type).collect();
    assert_eq!(
        types,
        [
            "ContactCreated",
            "ContactRequestFailed",
            "ContactRequestFailed",
            "ContactCreated"
        ]
    );
    assert_eq!(
        events[0].operation,
        Some(contact_bridge::request::OperationName::StartTaskContact)
    );
    assert_eq!(events[0].instance_id.as_deref(), Some(INSTANCE));
    assert!(
        events[0]
            .contact_id
            .as_deref()
            .unwrap()
            .starts_with("contact-")
    );
    assert_eq!(events[0].contact_arn, None);
    assert_eq!(
        events[1].error,
        Some(OutcomeError {
            kind: "ValidationError".to_owned(),
            retryable: false
        })
    );
    assert_eq!(
        events[1].operation,
        Some(contact_bridge::request::OperationName::StartOutboundVoiceContact)
    );
    assert_eq!(
        events[2].error,
        Some(OutcomeError {
            kind: "ThrottlingException".to_owned(),
            retryable: true
        })
    );
    assert_eq!(
        events[3].operation,
        Some(contact_bridge::request::OperationName::CreateContact)
    );
    assert!(events[3].contact_arn.is_some());
    for event in &events {
        assert_eq!(event.source, "sqs");
        assert_no_secrets(event);
    }
}

fn assert_no_secrets(event: &OutcomeEvent) {
    let detail = event.detail();
    for secret in SECRETS {
        assert!(!detail.contains(secret), "{secret} in {detail}");
    }
}

/// The SQS record `id` of [`mixed_batch`], alone, as its redelivery.
fn redelivery(id: &str) -> Value {
    let batch = mixed_batch();
    let record = batch["Records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["messageId"] == id)
        .unwrap()
        .clone();
    json!({ "Records": [record] })
}

#[tokio::test]
async fn sqs_records_whose_events_were_not_published_are_retried() {
    // The whole call fails: every record is handed back, the invalid one too.
    let outcomes = Arc::new(FakeOutcomes::new().script([None]));
    let h = with_bus(FakeConnect::new(), &outcomes);
    let response = invoke(&h, mixed_batch()).await.unwrap();
    assert_eq!(failed_ids(&response), ["m-1", "m-2", "m-3", "m-4"]);
    assert!(outcomes.published().is_empty());

    // The bus refuses one entry: only its record is handed back.
    let outcomes = Arc::new(FakeOutcomes::new().script([Some(vec![3])]));
    let h = with_bus(FakeConnect::new(), &outcomes);
    let response = invoke(&h, mixed_batch()).await.unwrap();
    assert_eq!(failed_ids(&response), ["m-4"]);

    // Its redelivery asks Connect with the same token (the same contact), and publishes.
    let response = invoke(&h, redelivery("m-4")).await.unwrap();
    assert_eq!(failed_ids(&response), Vec::<String>::new());
    let body = mixed_batch()["Records"][3]["body"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = derive_client_token("sqs", &[&body, ""]);
    let tokens = h.bridge().connect.tokens();
    assert_eq!(tokens.iter().filter(|t| **t == token).count(), 2);
    let events: Vec<OutcomeEvent> = outcomes
        .published()
        .into_iter()
        .filter(|e| e.source_id == "m-4")
        .collect();
    assert_eq!(events.len(), 1, "one event for m-4");
    assert_eq!(events[0].contact_id, Some(format!("contact-{token}")));
}

/// Ten task records, one named `slow`.
fn ten_tasks_one_slow() -> Value {
    common::sqs_batch(
        QUEUE_ARN,
        (0..10).map(|i| {
            let name = if i == 4 { "slow" } else { "fast" };
            (
                format!("m-{i}"),
                json!({"StartTaskContact": {"Name": name, "ContactFlowId": "flow-1"}}).to_string(),
            )
        }),
    )
}

/// Each record's answer depends on that record alone: Connect holds one past the deadline, and
/// only that one is listed, with or without an outcome bus; the others' events are published.
#[tokio::test]
async fn one_slow_record_fails_alone_with_or_without_a_bus() {
    for bus in [false, true] {
        // PutEvents takes its time, as it does over the network.
        let outcomes = Arc::new(FakeOutcomes::with_delay(Duration::from_millis(100)));
        let connect = FakeConnect::with_slow("slow", Duration::from_secs(30));
        let h = if bus {
            with_bus(connect, &outcomes)
        } else {
            common::handler(settings(), connect)
        };
        let event = common::lambda_event_due(ten_tasks_one_slow(), "req", Duration::from_secs(3));
        let response = serde_json::to_value(h.handle(event).await.unwrap()).unwrap();
        assert_eq!(failed_ids(&response), ["m-4"], "bus: {bus}: {response}");
        if bus {
            let published = outcomes.published();
            let created = published
                .iter()
                .filter(|e| e.detail_type() == "ContactCreated")
                .count();
            assert_eq!(created, 9, "{published:?}");
        }
    }
}

/// A rate limit that cannot start every record in time: those that were created have their
/// events published and are not listed; only those never started (and so not created) are.
#[tokio::test]
async fn under_a_rate_limit_only_the_records_not_started_are_listed() {
    let outcomes = Arc::new(FakeOutcomes::with_delay(Duration::from_millis(100)));
    let settings = Settings {
        max_calls_per_second: contact_bridge::pacing::CallsPerSecond::parse("2"),
        ..settings()
    };
    let connect = FakeConnect::new();
    let h = handler_with_outcomes(settings, connect, outcomes.clone());
    let event = common::lambda_event_due(ten_tasks_one_slow(), "req", Duration::from_secs(3));
    let response = serde_json::to_value(h.handle(event).await.unwrap()).unwrap();
    let listed = failed_ids(&response);
    let created: Vec<String> = outcomes
        .published()
        .iter()
        .filter(|e| e.detail_type() == "ContactCreated")
        .map(|e| e.source_id.clone())
        .collect();
    assert!(!created.is_empty() && !listed.is_empty(), "{response}");
    assert_eq!(created.len() + listed.len(), 10, "{created:?} {listed:?}");
    for id in &created {
        assert!(
            !listed.contains(id),
            "{id} was created and published, yet listed"
        );
    }
}

#[tokio::test]
async fn without_an_outcome_bus_an_invalid_record_is_still_reported() {
    let h = common::handler(settings(), FakeConnect::new());
    let response = invoke(&h, mixed_batch()).await.unwrap();
    assert_eq!(failed_ids(&response), ["m-2"]);
}

#[tokio::test]
async fn a_fifo_group_acknowledges_its_published_failure_and_retries_the_rest() {
    let outcomes = Arc::new(FakeOutcomes::new());
    let h = with_bus(FakeConnect::new(), &outcomes);
    let mut batch = mixed_batch();
    for record in batch["Records"].as_array_mut().unwrap() {
        record["eventSourceARN"] = json!(common::FIFO_QUEUE_ARN);
        record["attributes"]["MessageGroupId"] = json!("order-1042");
    }
    let response = invoke(&h, batch).await.unwrap();
    // m-2 fails for good and its event is out: it is not retried; m-3 and m-4 were not tried.
    assert_eq!(failed_ids(&response), ["m-3", "m-4"]);
    let ids: Vec<String> = outcomes
        .published()
        .into_iter()
        .map(|e| e.source_id)
        .collect();
    assert_eq!(ids, ["m-1", "m-2"], "no event for requests not handled");
}

#[tokio::test]
async fn correlation_ids_come_from_the_payload_the_message_attribute_or_the_flow() {
    let outcomes = Arc::new(FakeOutcomes::new());
    let h = with_bus(FakeConnect::new(), &outcomes);
    let mut with_member = task("n");
    with_member["CorrelationId"] = json!("case-7731");
    let mut batch = common::sqs_batch(
        QUEUE_ARN,
        [
            ("a".to_owned(), task("n").to_string()),
            ("b".to_owned(), with_member.to_string()),
            ("c".to_owned(), task("n").to_string()),
        ],
    );
    for record in batch["Records"].as_array_mut().unwrap().iter_mut().take(2) {
        record["messageAttributes"]["CorrelationId"] =
            json!({"stringValue": "order-1042", "dataType": "String"});
    }
    invoke(&h, batch).await.unwrap();
    let mut flow = event("connect-flow-routed-task.json");
    flow["Details"]["Parameters"]["CorrelationId"] = json!("ivr-call-5");
    invoke(&h, flow).await.unwrap();
    h.bridge().finish_background().await;
    let correlation: Vec<(String, Option<String>)> = outcomes
        .published()
        .into_iter()
        .map(|e| (e.source_id, e.correlation_id))
        .collect();
    assert_eq!(
        correlation,
        [
            ("a".to_owned(), Some("order-1042".to_owned())),
            // The payload's own wins over the message attribute.
            ("b".to_owned(), Some("case-7731".to_owned())),
            ("c".to_owned(), None),
            (
                "dddddddd-eeee-ffff-0000-666666666666".to_owned(),
                Some("ivr-call-5".to_owned())
            ),
        ]
    );
    let mut bad = event("connect-flow-routed-task.json");
    bad["Details"]["Parameters"]["CorrelationId"] = json!("x".repeat(300));
    let error = invoke(&h, bad).await.unwrap_err();
    assert!(
        error
            .error_message
            .contains("/CorrelationId: must be at most 256 characters (it has 300)"),
        "{}",
        error.error_message
    );
}

#[tokio::test]
async fn a_flows_caller_is_answered_before_the_event_is_published() {
    let outcomes = Arc::new(FakeOutcomes::with_delay(Duration::from_millis(200)));
    let h = with_bus(FakeConnect::new(), &outcomes);
    let answer = invoke(&h, event("connect-flow-callback.json"))
        .await
        .unwrap();
    assert!(answer["ContactId"].is_string());
    assert!(outcomes.published().is_empty(), "the answer did not wait");
    h.bridge().finish_background().await;
    let events = outcomes.published();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].source, "connect-flow");
    assert_eq!(
        events[0].contact_id.as_deref(),
        answer["ContactId"].as_str()
    );
    assert_no_secrets(&events[0]);
}

#[tokio::test]
async fn eventbridge_answers_a_published_permanent_failure_and_retries_the_rest() {
    let outcomes = Arc::new(FakeOutcomes::new());
    let h = with_bus(FakeConnect::new().script([access_denied()]), &outcomes);
    // A permanent failure, published: answered (no function error, so Lambda does not retry it).
    let answer = invoke(&h, event("eventbridge-task.json")).await.unwrap();
    assert_eq!(answer["Error"]["Kind"], "AccessDeniedException");
    assert_eq!(answer["Error"]["Retryable"], false);
    assert_eq!(answer["SourceId"], "7b8f90fc-c5a2-4d08-b0f2-c04814578829");
    // Created, then published.
    let answer = invoke(&h, event("eventbridge-task.json")).await.unwrap();
    assert!(answer["ContactId"].is_string());
    assert_eq!(outcomes.published().len(), 2);

    // A retryable failure is a function error, published or not.
    let outcomes = Arc::new(FakeOutcomes::new());
    let h = with_bus(FakeConnect::new().script([throttle()]), &outcomes);
    let error = invoke(&h, event("eventbridge-task.json"))
        .await
        .unwrap_err();
    assert_eq!(error.error_type, "ThrottlingException");

    // Created, not published: a function error, so Lambda's retry publishes it.
    let outcomes = Arc::new(FakeOutcomes::new().script([None]));
    let h = with_bus(FakeConnect::new(), &outcomes);
    let error = invoke(&h, event("eventbridge-task.json"))
        .await
        .unwrap_err();
    assert_eq!(error.error_type, "OutcomeNotPublished");
    let answer = invoke(&h, event("eventbridge-task.json")).await.unwrap();
    assert!(answer["ContactId"].is_string());
    let tokens = h.bridge().connect.tokens();
    assert_eq!(tokens[0], tokens[1], "the retry asks for the same contact");
}

#[tokio::test]
async fn http_and_direct_callers_retry_a_contact_whose_event_was_not_published() {
    let outcomes = Arc::new(FakeOutcomes::new().script([None, None]));
    let h = with_bus(FakeConnect::new(), &outcomes);
    let response = invoke(&h, event("http-api-callback.json")).await.unwrap();
    assert_eq!(response["statusCode"], 503);
    assert_eq!(response["headers"]["retry-after"], "1");
    assert_eq!(http_body(&response)["error"], "OutcomeNotPublished");
    let error = invoke(&h, event("direct-callback.json")).await.unwrap_err();
    assert_eq!(error.error_type, "OutcomeNotPublished");
    // The retries: the same contacts, published.
    let response = invoke(&h, event("http-api-callback.json")).await.unwrap();
    assert_eq!(response["statusCode"], 201);
    let answer = invoke(&h, event("direct-callback.json")).await.unwrap();
    assert!(answer["ContactId"].is_string());
    let tokens = h.bridge().connect.tokens();
    assert_eq!((&tokens[0], &tokens[1]), (&tokens[2], &tokens[3]));
    assert_eq!(outcomes.published().len(), 2);

    // A failure is answered as it is: the caller has it.
    let outcomes = Arc::new(FakeOutcomes::new().script([None]));
    let h = with_bus(FakeConnect::new(), &outcomes);
    let mut invalid = event("http-api-callback.json");
    invalid["body"] = json!(json!({"StartOutboundVoiceContact": {}}).to_string());
    let response = invoke(&h, invalid).await.unwrap();
    assert_eq!(response["statusCode"], 400);
}

#[tokio::test]
async fn every_source_publishes_one_event_per_request() {
    let outcomes = Arc::new(FakeOutcomes::new());
    let h = with_bus(FakeConnect::new(), &outcomes);
    for file in [
        "direct-routed-task.json",
        "eventbridge-task.json",
        "apigw-rest-template-task.json",
        "connect-flow-callback.json",
        "sqs-tasks-and-callback.json",
    ] {
        invoke(&h, event(file)).await.unwrap();
    }
    h.bridge().finish_background().await;
    let mut sources: Vec<&str> = outcomes.published().iter().map(|e| e.source).collect();
    sources.sort_unstable();
    assert_eq!(
        sources,
        [
            "connect-flow",
            "direct",
            "eventbridge",
            "http",
            "sqs",
            "sqs",
            "sqs",
            "sqs"
        ]
    );
    assert_eq!(outcomes.published().len(), h.bridge().connect.calls());
}

/// Each event names its producer as its source states it: the queue, the EventBridge source and
/// account, the HTTP caller, the flow's instance; a direct invocation tells nothing.
#[tokio::test]
async fn every_event_names_its_producer() {
    let outcomes = Arc::new(FakeOutcomes::new());
    let h = with_bus(FakeConnect::new(), &outcomes);
    let mut flow = event("connect-flow-callback.json");
    let instance_arn = format!("arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE}");
    flow["Details"]["ContactData"]["InstanceARN"] = json!(instance_arn);
    let mut http = event("apigw-rest-template-task.json");
    http["requestContext"]["identity"]["userArn"] = json!("arn:aws:iam::123456789012:user/orders");
    let mut eventbridge = event("eventbridge-task.json");
    eventbridge["source"] = json!("com.example.orders");
    eventbridge["account"] = json!("123456789012");
    for payload in [
        event("direct-routed-task.json"),
        eventbridge,
        http,
        flow,
        event("sqs-fifo.json"),
    ] {
        invoke(&h, payload).await.unwrap();
    }
    h.bridge().finish_background().await;
    let producer = |source: &str| {
        let event = outcomes
            .published()
            .into_iter()
            .find(|e| e.source == source)
            .unwrap_or_else(|| panic!("no {source} event"));
        serde_json::from_str::<Value>(&event.detail()).unwrap()["Producer"].clone()
    };
    assert_eq!(producer("direct"), Value::Null);
    assert_eq!(
        producer("eventbridge"),
        json!({"Kind": "EventSource", "Id": "com.example.orders", "Account": "123456789012"})
    );
    assert_eq!(
        producer("http"),
        json!({"Kind": "IamPrincipal", "Id": "arn:aws:iam::123456789012:user/orders"})
    );
    assert_eq!(
        producer("connect-flow"),
        json!({"Kind": "ConnectInstance", "Id": instance_arn})
    );
    assert_eq!(producer("sqs")["Kind"], "SqsQueue");
    assert!(
        producer("sqs")["Id"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:sqs:")
    );
}
