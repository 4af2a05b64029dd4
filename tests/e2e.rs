//! The real binary, run as Lambda runs it: a local Runtime API feeds it events, a local Connect
//! endpoint (wiremock, through `AWS_ENDPOINT_URL_CONNECT`) answers its signed CreateContact calls,
//! and faults are injected there. Each test checks what the function posts back and what reached
//! Connect, and that its logs carry no personal data.

use contact_bridge_test_support as common;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use common::connect_stub::{Arrivals, ConnectStub, ContactResponder};
use common::eventbridge_stub;
use common::runtime_api::{Outcome, RuntimeApi};
use common::{Captured, INSTANCE, QUEUE_ARN, event, failed_ids, http_body};
use serde_json::{Value, json};
use tokio::process::Child;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const BINARY: &str = env!("CARGO_BIN_EXE_contact-bridge");
const TIMEOUT: Duration = Duration::from_secs(10);

/// Personal data put in requests; none may reach the logs.
const SECRETS: [&str; 5] = [
    "Ada Lovelace-Byron",
    "lives at 10 Secret Row",
    "ada.secret@example.org",
    "agent-user-7781",
    "card-9931-hidden",
];

fn personal_request() -> Value {
    json!({
        "InstanceId": INSTANCE, "Channel": "EMAIL", "InitiationMethod": "OUTBOUND",
        "Name": SECRETS[0], "Description": SECRETS[1], "UserInfo": {"UserId": SECRETS[3]},
        "Attributes": {"email": SECRETS[2], "card": SECRETS[4]},
        "References": {"profile": {"Type": "EMAIL", "Value": SECRETS[2]}},
    })
}

fn connect_error(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("x-amzn-ErrorType", name)
        .set_body_json(json!({"message": format!("{name} from the stub")}))
}

/// The function under test, with its Connect endpoint and its captured output.
struct Function {
    api: RuntimeApi,
    connect: MockServer,
    child: Child,
    output: Captured,
    arrivals: Arrivals,
}

impl Function {
    /// Starts the binary against a Connect stub answering after `delay`.
    async fn start(delay: Duration, env: &[(&str, &str)]) -> Function {
        let stub = ConnectStub::start(delay).await;
        Self::start_with(stub.server, stub.arrivals, env).await
    }

    async fn start_with(connect: MockServer, arrivals: Arrivals, env: &[(&str, &str)]) -> Function {
        let api = RuntimeApi::start().await;
        let uri = connect.uri();
        // The sample events name no instance: the deployment's supplies it.
        let mut vars = vec![
            ("AWS_ENDPOINT_URL_CONNECT", uri.as_str()),
            ("AWS_MAX_ATTEMPTS", "2"),
            ("CONNECT_INSTANCE_ID", INSTANCE),
        ];
        vars.extend_from_slice(env);
        let mut child = api.spawn(BINARY, &vars);
        // All of it: the tests read it for personal data.
        let output = Captured::default();
        output.collect(child.stdout.take().unwrap(), usize::MAX);
        output.collect(child.stderr.take().unwrap(), usize::MAX);
        Function {
            api,
            connect,
            child,
            output,
            arrivals,
        }
    }

    async fn invoke(&self, event: &Value) -> Outcome {
        self.api.invoke(event, TIMEOUT).await
    }

    /// The CreateContact calls that reached the stub, as JSON bodies.
    async fn calls(&self) -> Vec<Value> {
        self.connect
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .map(|r| serde_json::from_slice(&r.body).unwrap())
            .collect()
    }

    async fn tokens(&self) -> Vec<String> {
        self.calls()
            .await
            .iter()
            .map(|c| c["ClientToken"].as_str().unwrap().to_owned())
            .collect()
    }

    /// The function's logs so far carry none of [`SECRETS`].
    fn assert_no_personal_data(&self) {
        let output = self.output.text();
        for secret in SECRETS {
            assert!(
                !output.contains(secret),
                "{secret:?} leaked into the logs:\n{output}"
            );
        }
    }
}

/// A batch of `count` copies of `body`, `{prefix}-0`... each named after its messageId.
fn sqs_batch(prefix: &str, count: usize, body: &Value) -> Value {
    common::sqs_batch(
        QUEUE_ARN,
        (0..count).map(|i| {
            let mut request = body.clone();
            request["Name"] = json!(format!("{prefix}-{i}"));
            (format!("{prefix}-{i}"), request.to_string())
        }),
    )
}

fn http_api_with(body: &Value) -> Value {
    let mut e = event("http-api.json");
    e["body"] = json!(body.to_string());
    e["isBase64Encoded"] = json!(false);
    e
}

// ------------------------------------------------------------------------- every source

#[tokio::test]
async fn direct_invocation_sends_a_signed_create_contact() {
    let f = Function::start(Duration::ZERO, &[]).await;
    let response = f.invoke(&personal_request()).await.response();
    assert!(
        response["ContactId"]
            .as_str()
            .unwrap()
            .starts_with("contact-")
    );

    let requests = f.connect.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(request.url.path(), "/contact/create-contact");
    let authorization = request
        .headers
        .get("authorization")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
        "{authorization}"
    );
    assert!(
        authorization.contains("/us-east-1/connect/aws4_request"),
        "{authorization}"
    );
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body["InstanceId"], INSTANCE);
    assert_eq!(body["Channel"], "EMAIL");
    assert_eq!(body["InitiationMethod"], "OUTBOUND");
    assert_eq!(body["UserInfo"]["UserId"], SECRETS[3]);
    assert_eq!(body["References"]["profile"]["Type"], "EMAIL");
    assert!(
        body["ClientToken"]
            .as_str()
            .unwrap()
            .starts_with("contact-bridge-direct-")
    );
    f.assert_no_personal_data();
}

#[tokio::test]
async fn every_source_answers_in_its_own_shape() {
    let f = Function::start(Duration::ZERO, &[]).await;
    let sqs = f.invoke(&event("sqs-standard.json")).await.response();
    assert_eq!(failed_ids(&sqs), ["2e1424d4-f796-459a-8184-9c92662be6da"]);
    let eventbridge = f.invoke(&event("eventbridge.json")).await.response();
    assert!(eventbridge["ContactArn"].is_string());
    for file in ["apigw-rest.json", "http-api.json", "function-url.json"] {
        let response = f.invoke(&event(file)).await.response();
        assert_eq!(response["statusCode"], 201, "{file}");
        assert_eq!(response["headers"]["content-type"], "application/json");
        assert!(http_body(&response)["ContactId"].is_string());
    }
    for file in ["connect-flow-task.json", "connect-flow-external-audio.json"] {
        let response = f.invoke(&event(file)).await.response();
        assert!(
            response.as_object().unwrap().values().all(Value::is_string),
            "{file}: {response}"
        );
    }
    let direct = f
        .invoke(&event("direct-external-audio.json"))
        .await
        .response();
    assert!(direct["ContactId"].is_string());
    // 2 SQS records + EventBridge + REST (the HTTP API sample shares its Idempotency-Key, so its
    // call carries the same token) + HTTP API + URL + 2 flows + direct.
    let calls = f.calls().await;
    assert_eq!(calls.len(), 9);
    let audio = calls.last().unwrap();
    assert_eq!(
        audio["SegmentAttributes"]["connect:ContactExpiry"]["ValueMap"]["ExpiryDuration"]["ValueInteger"],
        135
    );
}

#[tokio::test]
async fn invalid_input_never_reaches_connect() {
    let f = Function::start(Duration::ZERO, &[]).await;
    let mut bad = personal_request();
    bad["Channel"] = json!("CHAT");
    let error = f.invoke(&bad).await.error();
    assert_eq!(error["errorType"], "ValidationError");
    let response = f.invoke(&http_api_with(&bad)).await.response();
    assert_eq!(response["statusCode"], 400);
    let batch = f.invoke(&sqs_batch("bad", 3, &bad)).await.response();
    assert_eq!(failed_ids(&batch).len(), 3);
    assert!(f.calls().await.is_empty());
    f.assert_no_personal_data();
}

// ------------------------------------------------------------------------- every operation

/// Connect's path for each operation.
const TASK_PATH: &str = "/contact/task";
const CALLBACK_PATH: &str = "/contact/outbound-voice";

impl Function {
    /// The calls that reached the stub: each one's path and JSON body.
    async fn calls_by_path(&self) -> Vec<(String, Value)> {
        self.connect
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .map(|r| {
                (
                    r.url.path().to_owned(),
                    serde_json::from_slice(&r.body).unwrap(),
                )
            })
            .collect()
    }
}

/// The sample events of the new operations, by source, and the Connect path of each request.
fn operation_samples() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        (
            "sqs-tasks-and-callback.json",
            vec![TASK_PATH, TASK_PATH, TASK_PATH, CALLBACK_PATH],
        ),
        ("http-api-callback.json", vec![CALLBACK_PATH]),
        ("apigw-rest-template-task.json", vec![TASK_PATH]),
        ("connect-flow-callback.json", vec![CALLBACK_PATH]),
        ("connect-flow-routed-task.json", vec![TASK_PATH]),
        ("eventbridge-task.json", vec![TASK_PATH]),
        ("direct-routed-task.json", vec![TASK_PATH]),
        ("direct-callback.json", vec![CALLBACK_PATH]),
    ]
}

#[tokio::test]
async fn tasks_and_callbacks_create_one_contact_each_through_every_source() {
    let f = Function::start(Duration::ZERO, &[]).await;
    let mut expected_paths = Vec::new();
    for (file, paths) in operation_samples() {
        let e = event(file);
        // Delivered twice, as a retry or redelivery would: the same contact both times. (Lambda's
        // own retry of a direct invocation keeps its request id, and so the token; this harness
        // gives each invocation a new id, so the two direct invocations are two requests.)
        let first = f.invoke(&e).await.response();
        let again = f.invoke(&e).await.response();
        if !file.starts_with("direct-") {
            assert_eq!(first, again, "{file}");
        }
        if let Some(failures) = first.get("batchItemFailures") {
            assert_eq!(failures, &json!([]), "{file}");
        } else if first.get("statusCode").is_some() {
            assert_eq!(first["statusCode"], 201, "{file}: {first}");
            let body = http_body(&first);
            assert!(body["ContactId"].is_string(), "{file}: {body}");
            assert_eq!(
                body.get("ContactArn"),
                None,
                "{file}: only CreateContact has one"
            );
        } else {
            assert!(first["ContactId"].is_string(), "{file}: {first}");
            assert_eq!(
                first.get("ContactArn"),
                None,
                "{file}: only CreateContact has one"
            );
        }
        expected_paths.extend(paths.iter().chain(paths.iter()).copied());
    }
    let calls = f.calls_by_path().await;
    // SQS runs a batch's records concurrently: compare each event's calls as a set of paths.
    let mut paths: Vec<&str> = calls.iter().map(|(p, _)| p.as_str()).collect();
    paths.sort_unstable();
    expected_paths.sort_unstable();
    assert_eq!(paths, expected_paths);
    let mut tokens: Vec<&str> = calls
        .iter()
        .map(|(_, body)| body["ClientToken"].as_str().unwrap())
        .collect();
    tokens.sort_unstable();
    let distinct: HashSet<&str> = tokens.iter().copied().collect();
    let direct_calls = 4;
    assert_eq!(
        distinct.len() * 2,
        tokens.len() + direct_calls,
        "each redelivered request twice with one token (one contact); each direct one its own"
    );
    for (path, body) in &calls {
        assert_eq!(body["InstanceId"], INSTANCE, "{path}: {body}");
        match path.as_str() {
            TASK_PATH => assert!(body["Name"].is_string(), "{body}"),
            CALLBACK_PATH => {
                assert_eq!(body["DestinationPhoneNumber"], "+12065550100");
                assert!(body["ContactFlowId"].is_string() && body["QueueId"].is_string());
            }
            other => panic!("{other}: {body}"),
        }
        assert_eq!(body.get("Channel"), None, "{body}");
    }
    // The flow's text parameters arrive typed; the scheduled task's time as epoch seconds.
    assert!(
        calls
            .iter()
            .any(|(_, body)| body["RingTimeoutInSeconds"] == json!(30))
    );
    assert!(
        calls
            .iter()
            .any(|(_, body)| body["ScheduledTime"].is_number())
    );
}

#[tokio::test]
async fn invalid_tasks_and_callbacks_never_reach_connect() {
    let f = Function::start(Duration::ZERO, &[]).await;
    let bad_task = json!({"StartTaskContact": {
        "Name": SECRETS[0], "ContactFlowId": "f", "TaskTemplateId": "t",
        "References": {"file": {"Type": "ATTACHMENT", "Value": SECRETS[2]}},
    }});
    let bad_callback = json!({"StartOutboundVoiceContact": {
        "DestinationPhoneNumber": "0044 20 7946 0000", "ContactFlowId": "f",
        "RingTimeoutInSeconds": 5, "Attributes": {"card": SECRETS[4]},
    }});
    for bad in [&bad_task, &bad_callback] {
        let error = f.invoke(bad).await.error();
        assert_eq!(error["errorType"], "ValidationError", "{error}");
        let response = f.invoke(&http_api_with(bad)).await.response();
        assert_eq!(response["statusCode"], 400);
        let batch = f.invoke(&sqs_batch("bad", 2, bad)).await.response();
        assert_eq!(failed_ids(&batch).len(), 2);
    }
    let mut flow = event("connect-flow-callback.json");
    flow["Details"]["Parameters"]["RingTimeoutInSeconds"] = json!("five");
    let error = f.invoke(&flow).await.error();
    assert_eq!(error["errorType"], "ValidationError", "{error}");
    let mut eventbridge = event("eventbridge-task.json");
    eventbridge["detail"]["QuickConnectId"] = json!("q");
    let error = f.invoke(&eventbridge).await.error();
    assert_eq!(error["errorType"], "ValidationError", "{error}");
    assert!(f.calls_by_path().await.is_empty());
    f.assert_no_personal_data();
}

#[tokio::test]
async fn the_default_flow_and_queue_fill_what_a_producer_leaves_out() {
    let f = Function::start(
        Duration::ZERO,
        &[
            ("DEFAULT_CONTACT_FLOW_ID", "default-flow"),
            ("DEFAULT_QUEUE_ID", "default-queue"),
        ],
    )
    .await;
    f.invoke(&json!({"StartTaskContact": {"Name": "n"}}))
        .await
        .response();
    f.invoke(&json!({"StartTaskContact": {"Name": "n", "TaskTemplateId": "t"}}))
        .await
        .response();
    f.invoke(&json!({"StartOutboundVoiceContact": {"DestinationPhoneNumber": "+12065550100"}}))
        .await
        .response();
    f.invoke(&json!({"StartOutboundVoiceContact": {
        "DestinationPhoneNumber": "+12065550100", "ContactFlowId": "mine", "SourcePhoneNumber": "+12065550199",
    }}))
    .await
    .response();
    let bodies: Vec<Value> = f
        .calls_by_path()
        .await
        .into_iter()
        .map(|(_, b)| b)
        .collect();
    assert_eq!(bodies[0]["ContactFlowId"], "default-flow");
    assert_eq!(
        bodies[1].get("ContactFlowId"),
        None,
        "a template is a route"
    );
    assert_eq!(bodies[1]["TaskTemplateId"], "t");
    assert_eq!(
        (&bodies[2]["ContactFlowId"], &bodies[2]["QueueId"]),
        (&json!("default-flow"), &json!("default-queue"))
    );
    assert_eq!(bodies[3]["ContactFlowId"], "mine", "explicit members win");
    assert_eq!(
        bodies[3].get("QueueId"),
        None,
        "a source number needs no queue"
    );
}

#[tokio::test]
async fn connect_refusals_of_a_callback_are_classified() {
    for (status, name, retryable_status) in [
        (429, "LimitExceededException", 429),
        (403, "DestinationNotAllowedException", 403),
        (403, "OutboundContactNotPermittedException", 403),
    ] {
        let f = always(connect_error(status, name), &[]).await;
        let response = f
            .invoke(&http_api_with(&event("direct-callback.json")))
            .await
            .response();
        assert_eq!(response["statusCode"], retryable_status, "{name}");
        assert_eq!(http_body(&response)["error"], name);
        let error = f.invoke(&event("direct-callback.json")).await.error();
        assert_eq!(error["errorType"], name);
        assert!(
            error["errorMessage"]
                .as_str()
                .unwrap()
                .starts_with("Amazon Connect StartOutboundVoiceContact failed"),
            "{error}"
        );
        let mut sqs = sqs_batch("callback", 1, &event("direct-callback.json"));
        sqs["Records"][0]["body"] = json!(event("direct-callback.json").to_string());
        let batch = f.invoke(&sqs).await.response();
        assert_eq!(failed_ids(&batch), ["callback-0"], "{name}");
    }
}

// ------------------------------------------------------------------------- outcome events

const OUTCOME_BUS: &str = "contact-outcomes";

/// The function with `OUTCOME_EVENT_BUS` set and EventBridge at `eventbridge`.
async fn with_outcome_bus(eventbridge: &MockServer) -> Function {
    let uri = eventbridge.uri();
    Function::start(
        Duration::ZERO,
        &[
            ("OUTCOME_EVENT_BUS", OUTCOME_BUS),
            ("AWS_ENDPOINT_URL_EVENTBRIDGE", uri.as_str()),
        ],
    )
    .await
}

/// Each PutEvents entry's detail, parsed.
fn details(entries: &[Value]) -> Vec<Value> {
    entries
        .iter()
        .map(|e| serde_json::from_str(e["Detail"].as_str().unwrap()).unwrap())
        .collect()
}

#[tokio::test]
async fn a_mixed_sqs_batch_publishes_one_event_per_record_in_one_put_events_call() {
    let eventbridge = eventbridge_stub::start().await;
    let f = with_outcome_bus(&eventbridge).await;
    let batch = common::sqs_batch(
        QUEUE_ARN,
        [
            (
                "task-1".to_owned(),
                event("direct-routed-task.json").to_string(),
            ),
            (
                "invalid-1".to_owned(),
                json!({"StartOutboundVoiceContact": {"DestinationPhoneNumber": SECRETS[1], "Name": SECRETS[0]}})
                    .to_string(),
            ),
            ("personal-1".to_owned(), personal_request().to_string()),
        ],
    );
    let response = f.invoke(&batch).await.response();
    // The invalid record's failure is on the bus: it is not retried.
    assert_eq!(failed_ids(&response), Vec::<String>::new());
    let calls = eventbridge_stub::put_events_calls(&eventbridge).await;
    assert_eq!(calls.len(), 1, "one PutEvents call for the batch");
    let entries = &calls[0];
    for entry in entries {
        assert_eq!(entry["Source"], "contact-bridge");
        assert_eq!(entry["EventBusName"], OUTCOME_BUS);
    }
    let types: Vec<&str> = entries
        .iter()
        .map(|e| e["DetailType"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["ContactCreated", "ContactRequestFailed", "ContactCreated"]
    );
    let details = details(entries);
    let tokens: Vec<Value> = f
        .connect
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap()["ClientToken"].clone())
        .collect();
    assert_eq!(tokens.len(), 2, "the two valid records reached Connect");
    assert_eq!(details[0]["SourceId"], "task-1");
    assert_eq!(details[0]["Operation"], "StartTaskContact");
    assert_eq!(details[0]["InstanceId"], INSTANCE);
    assert!(
        details[0]["ContactId"]
            .as_str()
            .unwrap()
            .starts_with("contact-")
    );
    assert_eq!(
        details[1]["Error"],
        json!({"Kind": "ValidationError", "Retryable": false})
    );
    assert_eq!(details[2]["Operation"], "CreateContact");
    assert!(details[2]["ContactArn"].is_string());
    // No personal data, in the events or the logs.
    let body = serde_json::to_string(entries).unwrap();
    for secret in SECRETS {
        assert!(!body.contains(secret), "{secret} was published: {body}");
    }
    f.assert_no_personal_data();
}

#[tokio::test]
async fn an_unpublished_outcome_is_published_by_the_redelivery_with_one_contact() {
    let eventbridge = MockServer::start().await;
    // EventBridge fails both of the SDK's attempts (AWS_MAX_ATTEMPTS=2), then recovers.
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(500)
                .insert_header("x-amzn-ErrorType", "InternalException")
                .set_body_json(json!({"message": "down"})),
        )
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&eventbridge)
        .await;
    eventbridge_stub::accept_all().mount(&eventbridge).await;
    let f = with_outcome_bus(&eventbridge).await;
    let record = common::sqs_batch(
        QUEUE_ARN,
        [(
            "callback-1".to_owned(),
            event("direct-callback.json").to_string(),
        )],
    );
    let response = f.invoke(&record).await.response();
    assert_eq!(
        failed_ids(&response),
        ["callback-1"],
        "handed back: not published"
    );
    let response = f.invoke(&record).await.response();
    assert_eq!(failed_ids(&response), Vec::<String>::new());

    let calls = f.calls_by_path().await;
    assert_eq!(calls.len(), 2, "Connect was asked twice");
    assert_eq!(
        calls[0].1["ClientToken"], calls[1].1["ClientToken"],
        "for one contact"
    );
    let published: Vec<Value> = eventbridge_stub::put_events_calls(&eventbridge)
        .await
        .last()
        .map(|entries| details(entries))
        .unwrap();
    assert_eq!(published.len(), 1, "one event");
    assert_eq!(published[0]["SourceId"], "callback-1");
    assert_eq!(published[0]["Operation"], "StartOutboundVoiceContact");
    let token = calls[0].1["ClientToken"].as_str().unwrap();
    assert_eq!(
        published[0]["ContactId"],
        format!("contact-{}", &token[token.len() - 12..]),
        "the contact Connect answered for that token"
    );
}

#[tokio::test]
async fn put_events_takes_at_most_ten_entries_a_call() {
    let eventbridge = eventbridge_stub::start().await;
    let f = with_outcome_bus(&eventbridge).await;
    // A batch larger than 10 (an event source mapping with a batching window sends up to 10,000).
    let task = json!({"Channel": "TASK", "InitiationMethod": "API"});
    let response = f.invoke(&sqs_batch("many", 25, &task)).await.response();
    assert_eq!(failed_ids(&response), Vec::<String>::new());
    assert_eq!(f.calls().await.len(), 25, "every record became a contact");
    let sizes: Vec<usize> = eventbridge_stub::put_events_calls(&eventbridge)
        .await
        .iter()
        .map(Vec::len)
        .collect();
    assert_eq!(sizes, [10, 10, 5]);
}

#[tokio::test]
async fn a_refused_entry_hands_back_only_its_own_record() {
    let eventbridge = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(eventbridge_stub::PutEventsResponder { refused: vec![1] })
        .mount(&eventbridge)
        .await;
    let f = with_outcome_bus(&eventbridge).await;
    let response = f
        .invoke(&event("sqs-tasks-and-callback.json"))
        .await
        .response();
    assert_eq!(
        failed_ids(&response),
        ["33333333-0000-4000-8000-000000000002"]
    );
}

#[tokio::test]
async fn a_flow_is_answered_first_and_its_event_follows() {
    let eventbridge = eventbridge_stub::start().await;
    let f = with_outcome_bus(&eventbridge).await;
    let answer = f
        .invoke(&event("connect-flow-callback.json"))
        .await
        .response();
    let contact_id = answer["ContactId"].as_str().unwrap().to_owned();
    // Published after the answer, before the function asks for its next invocation.
    let mut calls = Vec::new();
    for _ in 0..100 {
        calls = eventbridge_stub::put_events_calls(&eventbridge).await;
        if !calls.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(calls.len(), 1, "the flow's event was published");
    let detail = &details(&calls[0])[0];
    assert_eq!(detail["Source"], "connect-flow");
    assert_eq!(detail["ContactId"], contact_id);
    assert_eq!(detail["SourceId"], "dddddddd-eeee-ffff-0000-555555555555");
    // The function keeps serving.
    let again = f.invoke(&event("direct-routed-task.json")).await.response();
    assert!(again["ContactId"].is_string());
}

// ------------------------------------------------------------------------- faults

#[tokio::test]
async fn throttled_once_then_accepted_creates_one_contact_with_one_token() {
    let connect = MockServer::start().await;
    let arrivals = Arrivals::default();
    Mock::given(method("PUT"))
        .respond_with(connect_error(429, "ThrottlingException"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&connect)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ContactResponder::new(Duration::ZERO, arrivals.clone()))
        .with_priority(2)
        .mount(&connect)
        .await;
    let f = Function::start_with(connect, arrivals, &[("AWS_MAX_ATTEMPTS", "3")]).await;
    let response = f.invoke(&personal_request()).await.response();
    assert!(response["ContactId"].is_string());
    let tokens = f.tokens().await;
    assert_eq!(tokens.len(), 2, "one throttled attempt, one accepted");
    assert_eq!(
        tokens[0], tokens[1],
        "the SDK's retry carries the same ClientToken"
    );
    f.assert_no_personal_data();
}

/// Starts the function against a Connect that always answers `response`.
async fn always(response: ResponseTemplate, env: &[(&str, &str)]) -> Function {
    let connect = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(response)
        .mount(&connect)
        .await;
    Function::start_with(connect, Arc::default(), env).await
}

/// Every record of a batch ends created or listed: here, all listed, none lost.
async fn assert_batch_all_reported(f: &Function) {
    let batch = f
        .invoke(&sqs_batch("fault", 5, &personal_request()))
        .await
        .response();
    let failed = failed_ids(&batch);
    assert_eq!(failed.len(), 5, "{batch}");
    assert_eq!(failed.iter().collect::<HashSet<_>>().len(), 5);
}

#[tokio::test]
async fn persistent_throttling_is_reported_per_source() {
    let f = always(connect_error(429, "ThrottlingException"), &[]).await;
    assert_batch_all_reported(&f).await;
    let response = f
        .invoke(&http_api_with(&personal_request()))
        .await
        .response();
    assert_eq!(response["statusCode"], 429);
    assert_eq!(response["headers"]["retry-after"], "1");
    assert_eq!(
        f.invoke(&personal_request()).await.error()["errorType"],
        "ThrottlingException"
    );
    f.assert_no_personal_data();
}

#[tokio::test]
async fn persistent_5xx_is_reported_per_source() {
    let f = always(connect_error(500, "InternalServiceException"), &[]).await;
    assert_batch_all_reported(&f).await;
    let response = f
        .invoke(&http_api_with(&personal_request()))
        .await
        .response();
    assert_eq!(response["statusCode"], 502);
    assert_eq!(http_body(&response)["error"], "InternalServiceException");
    f.assert_no_personal_data();
}

#[tokio::test]
async fn a_connect_slower_than_the_deadline_still_gets_an_answer_in_time() {
    let f = Function::start(Duration::from_secs(60), &[]).await;
    let outcome = f
        .api
        .invoke(&personal_request(), Duration::from_secs(2))
        .await;
    assert_eq!(outcome.error()["errorType"], "Timeout");
    let batch = f
        .api
        .invoke(
            &sqs_batch("slow", 3, &personal_request()),
            Duration::from_secs(2),
        )
        .await
        .response();
    assert_eq!(failed_ids(&batch).len(), 3);
    f.assert_no_personal_data();
}

#[tokio::test]
async fn connection_refused_is_unavailable_and_names_no_endpoint() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let f = Function::start(
        Duration::ZERO,
        &[("AWS_ENDPOINT_URL_CONNECT", endpoint.as_str())],
    )
    .await;
    assert_batch_all_reported(&f).await;
    let response = f
        .invoke(&http_api_with(&personal_request()))
        .await
        .response();
    assert_eq!(response["statusCode"], 503);
    let body = response["body"].as_str().unwrap();
    for internal in [
        port.to_string().as_str(),
        "127.0.0.1",
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI",
    ] {
        assert!(
            !body.contains(internal),
            "{internal} echoed to the caller: {body}"
        );
    }
    f.assert_no_personal_data();
}

#[tokio::test]
async fn malformed_or_empty_connect_answers_are_failures_not_contacts() {
    for answer in [
        ResponseTemplate::new(200).set_body_string("<html>oops"),
        ResponseTemplate::new(200),
    ] {
        let f = always(answer, &[]).await;
        assert_batch_all_reported(&f).await;
        let error = f.invoke(&personal_request()).await.error();
        assert_eq!(error["errorType"], "MalformedResponse");
    }
}

#[tokio::test]
async fn access_denied_is_a_500_that_does_not_echo_connect() {
    let f = always(connect_error(403, "AccessDeniedException"), &[]).await;
    let response = f
        .invoke(&http_api_with(&personal_request()))
        .await
        .response();
    assert_eq!(response["statusCode"], 500);
    assert!(!response["body"].as_str().unwrap().contains("from the stub"));
}

#[tokio::test]
async fn redelivery_reuses_the_client_token_for_every_source() {
    let f = Function::start(Duration::ZERO, &[]).await;
    let mut keyed = http_api_with(&personal_request());
    keyed["headers"]["idempotency-key"] = json!("retry-me");
    for e in [
        sqs_batch("again", 1, &personal_request()),
        event("eventbridge.json"),
        keyed,
        event("connect-flow-task.json"),
    ] {
        f.invoke(&e).await;
        f.invoke(&e).await;
    }
    let tokens = f.tokens().await;
    assert_eq!(tokens.len(), 8);
    for pair in tokens.chunks(2) {
        assert_eq!(pair[0], pair[1]);
    }
    assert_eq!(
        tokens.iter().collect::<HashSet<_>>().len(),
        4,
        "each source its own token"
    );
}

// ------------------------------------------------------------------------- init and hostile input

#[tokio::test]
async fn malformed_settings_fail_init_with_a_clear_message() {
    for (name, value) in [
        ("ALLOWED_INSTANCE_IDS", "a,,b"),
        ("MAX_CONCURRENCY", "0"),
        ("MAX_CALLS_PER_SECOND", "x"),
    ] {
        let mut f = Function::start(Duration::ZERO, &[(name, value)]).await;
        let status = tokio::time::timeout(TIMEOUT, f.child.wait())
            .await
            .unwrap()
            .unwrap();
        assert!(!status.success(), "{name}");
        let error = f
            .api
            .init_error()
            .unwrap_or_else(|| panic!("{name}: no /init/error"));
        assert_eq!(error["errorType"], "InvalidSetting");
        assert!(
            error["errorMessage"].as_str().unwrap().contains(name),
            "{error}"
        );
    }
}

#[tokio::test]
async fn hostile_payloads_fail_cleanly_and_the_function_keeps_serving() {
    let f = Function::start(Duration::ZERO, &[]).await;
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    let mut huge = personal_request();
    huge["Attributes"] = json!(
        (0..6000)
            .map(|i| (format!("k{i}"), json!("v".repeat(1000))))
            .collect::<serde_json::Map<_, _>>()
    );
    let duplicate =
        br#"{"InstanceId":"i","Channel":"TASK","Channel":"EMAIL","InitiationMethod":"API"}"#
            .to_vec();
    // Each payload and what it must get: a function error of this type (not a caught panic,
    // which is a function error too), or None for the SQS batch, answered with its record failed.
    let payloads: Vec<(Vec<u8>, Option<&str>)> = vec![
        (deep.into_bytes(), Some("ValidationError")),
        // Not UTF-8: refused as not JSON, before the handler (or the runtime) reads it.
        (vec![0xff, 0xfe, b'{', 0x80], Some("ValidationError")),
        // A valid request with bytes after it: refused as the command line refuses it, where the
        // runtime alone would read the first value and ignore the rest.
        (
            format!("{} x", event("direct-task.json")).into_bytes(),
            Some("ValidationError"),
        ),
        (
            format!("{} {{}}", event("direct-task.json")).into_bytes(),
            Some("ValidationError"),
        ),
        (huge.to_string().into_bytes(), Some("ValidationError")),
        (duplicate, Some("ValidationError")),
        (
            br#"{"InstanceId":"i","Channel":"TASK","InitiationMethod":"API","ExpiryDurationInMinutes":1e400}"#.to_vec(),
            Some("ValidationError"),
        ),
        (
            b"{\"Records\": [{\"eventSource\": \"aws:sqs\", \"body\": \"".iter().copied().chain("{".repeat(100_000).into_bytes()).chain(b"\"}]}".iter().copied()).collect(),
            None,
        ),
    ];
    for (payload, expected_error) in payloads {
        let size = payload.len();
        let outcome = f.api.invoke_raw(payload, TIMEOUT).await;
        match (&outcome, expected_error) {
            (Outcome::Response(response), None) => {
                assert_eq!(failed_ids(response).len(), 1, "{size} bytes: {response}")
            }
            (Outcome::Error(error), Some(error_type)) => {
                assert_eq!(error["errorType"], error_type, "{size} bytes: {error}")
            }
            (outcome, expected) => panic!("{size} bytes: expected {expected:?}, got {outcome:?}"),
        }
        // The process survived and still serves.
        let response = f.invoke(&event("direct-task.json")).await.response();
        assert!(response["ContactId"].is_string());
    }
    let mut duplicate_http = event("apigw-rest.json");
    duplicate_http["body"] =
        json!(r#"{"Channel":"TASK","Channel":"VOICE","InitiationMethod":"API"}"#);
    let response = f.invoke(&duplicate_http).await.response();
    assert_eq!(response["statusCode"], 400);
    assert_eq!(http_body(&response)["errors"][0]["path"], "/Channel");
    assert_eq!(
        f.calls().await.len(),
        8,
        "only the eight well-formed requests (one after each payload) reached Connect"
    );
}

/// A Connect that refuses every call with a message repeating the request's values, as a real
/// error message may.
struct EchoingConnect;

impl wiremock::Respond for EchoingConnect {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let body = String::from_utf8_lossy(&request.body);
        ResponseTemplate::new(400)
            .insert_header("x-amzn-ErrorType", "InvalidParameterException")
            .insert_header("x-amzn-RequestId", "11111111-2222-4333-8444-555555555555")
            .set_body_json(json!({"message": format!("invalid request {body}")}))
    }
}

/// Secrets planted in every member and every key a request can carry, through every source, as
/// valid requests (which the echoing Connect refuses, repeating them) and as invalid ones: no log
/// line, at DEBUG (the template's most verbose level), holds any of them, and none is longer
/// than 8 KiB.
#[tokio::test]
async fn no_planted_secret_reaches_any_log_line() {
    let secrets = [
        "Grace Hopper-Secret",               // Name
        "lives at 7 Secret Row",             // Description
        "+12065550199",                      // phone numbers
        "grace-secret-attr-key",             // an attribute key
        "secret attribute value",            // an attribute value
        "Grace Hopper grace@secret.example", // a reference name
        "https://crm.example/secret",        // a reference value
        "segment-secret-key",                // a segment attribute key
        "secret segment value",              // a segment attribute value
        "unknown.grace@secret.example",      // an unknown member's name
        "secret-instance-0042",              // an instance not allowed
        "secret-idempotency-key",            // an HTTP Idempotency-Key
        "secret-correlation",                // a correlation value
    ];
    let connect = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(EchoingConnect)
        .mount(&connect)
        .await;
    let f = Function::start_with(
        connect,
        Arrivals::default(),
        &[("AWS_LAMBDA_LOG_LEVEL", "DEBUG"), ("AWS_MAX_ATTEMPTS", "1")],
    )
    .await;
    let callback = json!({"StartOutboundVoiceContact": {
        "DestinationPhoneNumber": secrets[2], "ContactFlowId": "f", "QueueId": "q",
        "Name": secrets[0], "Description": secrets[1], "Attributes": {secrets[3]: secrets[4]},
        "References": {secrets[5]: {"Type": "URL", "Value": secrets[6]}}},
        "CorrelationId": secrets[12]});
    let task = json!({"CreateContact": {"Channel": "TASK", "InitiationMethod": "API",
        "Name": secrets[0], "Attributes": {secrets[3]: secrets[4]},
        "SegmentAttributes": {secrets[7]: {"ValueString": secrets[8]}}}});
    let mut invalid = task.clone();
    invalid["CreateContact"][secrets[9]] = json!(secrets[4]);
    invalid["CreateContact"]["Attributes"][format!("{} bad key", secrets[3])] = json!(secrets[4]);
    invalid["CreateContact"]["References"] = json!({secrets[5]: {"Type": "FAX"}});
    let mut elsewhere = task.clone();
    elsewhere["CreateContact"]["InstanceId"] = json!(secrets[10]);
    let payloads = [callback, task, invalid, elsewhere];

    for payload in &payloads {
        // Direct invocation.
        let _ = f.invoke(payload).await;
        // SQS, with the correlation as a message attribute too.
        let mut sqs = sqs_batch("pii", 1, &json!({}));
        sqs["Records"][0]["body"] = json!(payload.to_string());
        sqs["Records"][0]["messageAttributes"] =
            json!({"CorrelationId": {"stringValue": secrets[12], "dataType": "String"}});
        let _ = f.invoke(&sqs).await;
        // EventBridge.
        let mut eventbridge = event("eventbridge.json");
        eventbridge["detail"] = payload.clone();
        let _ = f.invoke(&eventbridge).await;
        // HTTP, with a secret Idempotency-Key.
        let mut http = http_api_with(payload);
        http["headers"]["idempotency-key"] = json!(secrets[11]);
        let _ = f.invoke(&http).await;
    }
    // A flow: the same members as parameters, with a secret key.
    let mut flow = event("connect-flow-task.json");
    flow["Details"]["Parameters"] = json!({
        "Channel": "TASK", "InitiationMethod": "API", "Name": secrets[0],
        format!("Attributes.{}", secrets[3]): secrets[4], "CorrelationId": secrets[12],
        "References": json!({secrets[5]: {"Type": "URL", "Value": secrets[6]}}).to_string(),
    });
    let _ = f.invoke(&flow).await;
    flow["Details"]["Parameters"][secrets[9]] = json!(secrets[4]);
    let _ = f.invoke(&flow).await;

    let output = f.output.text();
    assert!(output.contains("Connect call failed"), "{output}");
    assert!(
        output.contains("\"status\":400"),
        "the status is logged: {output}"
    );
    for line in output.lines() {
        assert!(line.len() <= 8 * 1024, "a log line of {} bytes", line.len());
        for secret in secrets {
            assert!(!line.contains(secret), "{secret:?} leaked into: {line}");
        }
    }
}

/// In Lambda, the function's home comes from the ARN it is invoked by: an instance ARN in another
/// account or Region is refused before Connect, the same instance's ARN at home is created.
#[tokio::test]
async fn instance_arns_are_compared_whole_in_lambda() {
    let f = Function::start(Duration::ZERO, &[]).await;
    let with_instance = |instance: &str| {
        let mut request = event("direct-task.json");
        request["InstanceId"] = json!(instance);
        request
    };
    for other in [
        format!("arn:aws:connect:eu-west-1:999999999999:instance/{INSTANCE}"),
        format!("arn:aws:connect:eu-west-1:123456789012:instance/{INSTANCE}"),
        format!("x:instance/{INSTANCE}/anything"),
    ] {
        let error = f.invoke(&with_instance(&other)).await.error();
        assert_eq!(error["errorType"], "InstanceNotAllowed", "{other}: {error}");
    }
    assert!(f.calls().await.is_empty());
    // The Runtime API invokes it as arn:aws:lambda:us-east-1:123456789012:function:....
    let home = format!("arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE}");
    let response = f.invoke(&with_instance(&home)).await.response();
    assert!(response["ContactId"].is_string(), "{response}");
}

/// Without credentials, or without a Region, the answer names what is missing and what to set
/// (not a network error); nothing is sent.
#[tokio::test]
async fn missing_credentials_and_region_are_named() {
    let stub = ConnectStub::start(Duration::ZERO).await;
    for (unset, code, hint) in [
        (
            &["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"][..],
            "CredentialsError",
            "AWS_ACCESS_KEY_ID",
        ),
        (&["AWS_REGION"][..], "RegionMissing", "AWS_REGION"),
    ] {
        let api = RuntimeApi::start().await;
        let uri = stub.server.uri();
        let vars = [
            ("AWS_ENDPOINT_URL_CONNECT", uri.as_str()),
            ("CONNECT_INSTANCE_ID", INSTANCE),
        ];
        let _child = api.spawn_without(BINARY, &vars, unset);
        let error = api
            .invoke(&event("direct-task.json"), TIMEOUT)
            .await
            .error();
        assert_eq!(error["errorType"], code, "{error}");
        let message = error["errorMessage"].as_str().unwrap();
        assert!(message.contains(hint), "{message}");
        assert!(!message.contains("could not reach"), "{message}");
    }
    assert_eq!(stub.calls(), 0);
}

// ------------------------------------------------------------------------- load

#[tokio::test]
async fn a_thousand_records_become_a_thousand_contacts_exactly_once() {
    let latency = Duration::from_millis(20);
    let f = Function::start(
        latency,
        &[("MAX_CONCURRENCY", "10"), ("AWS_LAMBDA_LOG_LEVEL", "WARN")],
    )
    .await;
    let request = json!({"InstanceId": INSTANCE, "Channel": "TASK", "InitiationMethod": "API"});
    let mut failed = 0;
    for batch in 0..100 {
        let response = f
            .invoke(&sqs_batch(&format!("load{batch:03}"), 10, &request))
            .await
            .response();
        failed += failed_ids(&response).len();
    }
    assert_eq!(failed, 0);
    let tokens = f.tokens().await;
    assert_eq!(tokens.len(), 1000, "one call per record");
    assert_eq!(
        tokens.iter().collect::<HashSet<_>>().len(),
        1000,
        "unique ClientTokens"
    );

    // Calls in flight at once, from arrival times: a call answered after `latency` was still in
    // flight at every arrival less than `latency` after its own (this can only undercount).
    let mut arrivals = f.arrivals.lock().unwrap().clone();
    arrivals.sort();
    let peak = (0..arrivals.len())
        .map(|i| {
            arrivals[..=i]
                .iter()
                .filter(|a| arrivals[i].duration_since(**a) < latency)
                .count()
        })
        .max()
        .unwrap();
    assert!(peak <= 10, "{peak} calls in flight with MAX_CONCURRENCY=10");
}
