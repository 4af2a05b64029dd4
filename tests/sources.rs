//! Every event source through the handler: accepted events, bad input, response shapes, tokens.

use contact_bridge_test_support as common;

use std::time::Duration;

use common::{
    FIFO_QUEUE_ARN, FakeConnect, INSTANCE, QUEUE_ARN, event, failed_ids, handler, http_body,
    lambda_event, settings,
};
use contact_bridge::config::{InstanceAllowList, Settings};
use contact_bridge::error::{ConnectError, ConnectErrorKind};
use contact_bridge::handler::Handler;
use lambda_runtime::Diagnostic;
use serde_json::{Value, json};

async fn invoke(h: &Handler<FakeConnect>, payload: Value) -> Result<Value, Diagnostic> {
    h.handle(lambda_event(payload, "lambda-request-1"))
        .await
        .map(|r| serde_json::to_value(r).unwrap())
        .map_err(Diagnostic::from)
}

fn failure(kind: ConnectErrorKind, code: &str) -> ConnectError {
    ConnectError::new(
        contact_bridge::request::OperationName::CreateContact,
        kind,
        code,
        format!("{code} message"),
    )
}

/// A batch of `count` task requests, `m-0`... with names `t0`...
fn sqs_batch(count: usize, fifo: bool) -> Value {
    let arn = if fifo { FIFO_QUEUE_ARN } else { QUEUE_ARN };
    common::sqs_batch(
        arn,
        (0..count).map(|i| {
            let body = json!({"InstanceId": INSTANCE, "Channel": "TASK", "InitiationMethod": "API", "Name": format!("t{i}")});
            (format!("m-{i}"), body.to_string())
        }),
    )
}

// ---------------------------------------------------------------- SQS

#[tokio::test]
async fn sqs_sample_batch_reports_only_the_bad_record() {
    let h = handler(settings(), FakeConnect::new());
    let response = invoke(&h, event("sqs-standard.json")).await.unwrap();
    assert_eq!(
        failed_ids(&response),
        ["2e1424d4-f796-459a-8184-9c92662be6da"]
    );
    assert_eq!(response.as_object().unwrap().len(), 1, "{response}");
    assert_eq!(h.bridge().connect.calls(), 2);
}

#[tokio::test]
async fn sqs_all_succeeded_is_an_empty_list() {
    let h = handler(settings(), FakeConnect::new());
    let response = invoke(&h, sqs_batch(4, false)).await.unwrap();
    assert_eq!(response, json!({"batchItemFailures": []}));
}

#[tokio::test]
async fn sqs_mixed_batch_lists_exactly_the_failures_in_order() {
    let mut batch = sqs_batch(6, false);
    batch["Records"][1]["body"] = json!("{\"Channel\": \"TASK\"}"); // invalid
    batch["Records"][3]["body"] = json!(
        json!({"InstanceId": "other", "Channel": "TASK", "InitiationMethod": "API"}).to_string()
    );
    batch["Records"][5]["body"] = json!("[]"); // not an object
    let settings = Settings {
        allowed_instances: InstanceAllowList::Only([INSTANCE.to_owned()].into()),
        max_concurrency: 1, // deterministic script order
        ..settings()
    };
    // Records 0, 2, 4 reach Connect; the second call is throttled for good.
    let connect = FakeConnect::new().script([
        Ok(()),
        Err(failure(ConnectErrorKind::Throttling, "ThrottlingException")),
        Ok(()),
    ]);
    let h = handler(settings, connect);
    let response = invoke(&h, batch).await.unwrap();
    assert_eq!(failed_ids(&response), ["m-1", "m-2", "m-3", "m-5"]);
    assert_eq!(
        h.bridge().connect.calls(),
        3,
        "invalid and disallowed records never reach Connect"
    );
}

#[tokio::test]
async fn sqs_fifo_stops_at_the_first_failure() {
    let connect = FakeConnect::new().script([
        Ok(()),
        Err(failure(
            ConnectErrorKind::Unavailable,
            "InternalServiceException",
        )),
    ]);
    let h = handler(settings(), connect);
    let response = invoke(&h, sqs_batch(5, true)).await.unwrap();
    assert_eq!(failed_ids(&response), ["m-1", "m-2", "m-3", "m-4"]);
    let names: Vec<_> = h
        .bridge()
        .connect
        .create_requests()
        .into_iter()
        .map(|r| r.name.unwrap())
        .collect();
    assert_eq!(names, ["t0", "t1"], "later records are not attempted");
}

#[tokio::test]
async fn sqs_fifo_sample_runs_in_order() {
    let h = handler(
        settings(),
        FakeConnect::with_latency(Duration::from_millis(1)),
    );
    let response = invoke(&h, event("sqs-fifo.json")).await.unwrap();
    assert_eq!(failed_ids(&response), Vec::<String>::new());
    let names: Vec<_> = h
        .bridge()
        .connect
        .create_requests()
        .into_iter()
        .map(|r| r.name.unwrap())
        .collect();
    assert_eq!(names, ["Step 1", "Step 2", "Step 3"]);
    assert_eq!(
        h.bridge()
            .connect
            .max_in_flight
            .load(std::sync::atomic::Ordering::SeqCst),
        1
    );
}

#[tokio::test(start_paused = true)]
async fn sqs_standard_concurrency_is_bounded_by_max_concurrency() {
    for limit in [1, 3, 10] {
        let settings = Settings {
            max_concurrency: limit,
            ..settings()
        };
        let h = handler(
            settings,
            FakeConnect::with_latency(Duration::from_millis(50)),
        );
        let response = invoke(&h, sqs_batch(25, false)).await.unwrap();
        assert!(failed_ids(&response).is_empty());
        assert_eq!(h.bridge().connect.calls(), 25);
        let peak = h
            .bridge()
            .connect
            .max_in_flight
            .load(std::sync::atomic::Ordering::SeqCst);
        assert_eq!(
            peak, limit,
            "in flight at once, with MAX_CONCURRENCY={limit}"
        );
    }
}

/// A message moved back from the dead-letter queue gets a new messageId but keeps its body and
/// message attributes: it asks Connect for the same contact. A different CorrelationId attribute
/// (or body) asks for another.
#[tokio::test]
async fn a_redriven_message_asks_for_the_same_contact() {
    let h = handler(settings(), FakeConnect::new());
    let batch = sqs_batch(1, false);
    invoke(&h, batch.clone()).await.unwrap();
    let mut redriven = batch.clone();
    redriven["Records"][0]["messageId"] = json!("new-id-after-redrive");
    redriven["Records"][0]["attributes"]["SentTimestamp"] = json!("1764999999999");
    invoke(&h, redriven.clone()).await.unwrap();
    let mut correlated = redriven;
    correlated["Records"][0]["messageAttributes"] =
        json!({"CorrelationId": {"stringValue": "order-7", "dataType": "String"}});
    invoke(&h, correlated).await.unwrap();
    let t = h.bridge().connect.tokens();
    assert_eq!(t[0], t[1], "redriven: the same token");
    assert_ne!(t[1], t[2], "another correlation: another token");
}

#[tokio::test]
async fn sqs_tokens_follow_the_message() {
    let h = handler(settings(), FakeConnect::new());
    let mut batch = sqs_batch(2, true);
    invoke(&h, batch.clone()).await.unwrap();
    invoke(&h, batch.clone()).await.unwrap(); // redelivery
    batch["Records"][0]["body"] = json!(json!({"InstanceId": INSTANCE, "Channel": "TASK", "InitiationMethod": "API", "ClientToken": "explicit"}).to_string());
    invoke(&h, batch).await.unwrap();
    let t = h.bridge().connect.tokens();
    assert_eq!(
        (&t[0], &t[1]),
        (&t[2], &t[3]),
        "redelivery reuses the tokens"
    );
    assert_ne!(t[0], t[1], "different messages, different tokens");
    assert_eq!(t[4], "explicit", "an explicit ClientToken wins");
}

#[tokio::test]
async fn an_sqs_record_that_cannot_be_read_fails_alone() {
    let h = handler(settings(), FakeConnect::new());
    // Without a messageId a record is reported with an empty identifier: Lambda then retries the
    // whole batch, and nothing is lost.
    let response = invoke(
        &h,
        json!({"Records": [{"eventSource": "aws:sqs", "body": 5}]}),
    )
    .await
    .unwrap();
    assert_eq!(
        response,
        json!({"batchItemFailures": [{"itemIdentifier": ""}]})
    );
    assert_eq!(h.bridge().connect.calls(), 0);

    // A record whose body is not text fails under its messageId; the others go on.
    let mut batch = sqs_batch(3, false);
    batch["Records"][1]["body"] = json!({"Channel": "TASK"});
    batch["Records"][2]["messageAttributes"] = json!({"a": {"binaryValue": "%%%", "dataType": 7}});
    batch["Records"][2]["attributes"] = json!(null);
    let response = invoke(&h, batch).await.unwrap();
    assert_eq!(failed_ids(&response), ["m-1"]);
    assert_eq!(h.bridge().connect.calls(), 2);
}

// ---------------------------------------------------------------- EventBridge

#[tokio::test]
async fn eventbridge_creates_the_detail() {
    let h = handler(settings(), FakeConnect::new());
    let response = invoke(&h, event("eventbridge.json")).await.unwrap();
    assert!(response["ContactId"].is_string() && response["ContactArn"].is_string());
    assert_eq!(
        h.bridge().connect.create_requests()[0].name.as_deref(),
        Some("Call back about order 1042")
    );
}

#[tokio::test]
async fn eventbridge_failures_are_function_errors() {
    let h = handler(settings(), FakeConnect::new());
    let mut bad = event("eventbridge.json");
    bad["detail"]["Channel"] = json!("FAX");
    let error = invoke(&h, bad).await.unwrap_err();
    assert_eq!(error.error_type, "ValidationError");
    assert!(error.error_message.contains("/Channel"));

    let h = handler(
        settings(),
        FakeConnect::new().script([Err(failure(
            ConnectErrorKind::Conflict,
            "IdempotencyException",
        ))]),
    );
    let error = invoke(&h, event("eventbridge.json")).await.unwrap_err();
    assert_eq!(error.error_type, "IdempotencyException");
}

#[tokio::test]
async fn eventbridge_tokens_follow_the_event_id() {
    let h = handler(settings(), FakeConnect::new());
    let mut e = event("eventbridge.json");
    invoke(&h, e.clone()).await.unwrap();
    invoke(&h, e.clone()).await.unwrap();
    e["id"] = json!("another-id");
    invoke(&h, e).await.unwrap();
    let t = h.bridge().connect.tokens();
    assert_eq!(t[0], t[1]);
    assert_ne!(t[0], t[2]);
}

// ---------------------------------------------------------------- API Gateway and function URLs

/// The JSON body of an HTTP answer, which always says it is JSON, not base64.
fn json_body(response: &Value) -> Value {
    assert_eq!(
        response["headers"]["content-type"], "application/json",
        "{response}"
    );
    assert_eq!(response["isBase64Encoded"], false);
    http_body(response)
}

#[tokio::test]
async fn http_samples_answer_201_with_the_contact() {
    for file in ["apigw-rest.json", "http-api.json", "function-url.json"] {
        let h = handler(settings(), FakeConnect::new());
        let response = invoke(&h, event(file)).await.unwrap();
        assert_eq!(response["statusCode"], 201, "{file}: {response}");
        let body = json_body(&response);
        assert!(
            body["ContactId"].is_string() && body["ContactArn"].is_string(),
            "{file}"
        );
        assert_eq!(h.bridge().connect.calls(), 1);
    }
}

#[tokio::test]
async fn http_other_methods_get_405_with_allow() {
    let h = handler(settings(), FakeConnect::new());
    let mut rest = event("apigw-rest.json");
    rest["httpMethod"] = json!("GET");
    let mut v2 = event("http-api.json");
    v2["requestContext"]["http"]["method"] = json!("PUT");
    for e in [rest, v2] {
        let response = invoke(&h, e).await.unwrap();
        assert_eq!(response["statusCode"], 405);
        assert_eq!(response["headers"]["allow"], "POST");
        json_body(&response);
    }
    assert_eq!(h.bridge().connect.calls(), 0);
}

#[tokio::test]
async fn http_bad_bodies_get_400_with_paths() {
    let h = handler(Settings::default(), FakeConnect::new());
    let cases = [
        (json!("{not json"), false, "not JSON"),
        (json!(""), false, "empty"),
        (Value::Null, false, "empty"),
        (json!("%%%"), true, "not valid base64"),
    ];
    for (body, base64, fragment) in cases {
        let mut e = event("apigw-rest.json");
        e["body"] = body;
        e["isBase64Encoded"] = json!(base64);
        let response = invoke(&h, e).await.unwrap();
        assert_eq!(response["statusCode"], 400);
        let body = json_body(&response);
        assert!(
            body["message"].as_str().unwrap().contains(fragment),
            "{body}"
        );
    }
    let mut e = event("apigw-rest.json");
    e["body"] = json!(
        json!({"Channel": "TASK", "InitiationMethod": "API", "Name": 3, "Atributes": {}})
            .to_string()
    );
    let body = json_body(&invoke(&h, e).await.unwrap());
    let paths: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 3, "{body}");
    for p in ["/InstanceId", "/Name", "/Atributes"] {
        assert!(paths.contains(&p), "{paths:?}");
    }
    assert!(body["errors"][0]["message"].is_string());
    assert_eq!(h.bridge().connect.calls(), 0);
}

#[tokio::test]
async fn http_disallowed_instance_gets_403() {
    let settings = Settings {
        allowed_instances: InstanceAllowList::Only(["other".into()].into()),
        ..settings()
    };
    let h = handler(settings, FakeConnect::new());
    let response = invoke(&h, event("http-api.json")).await.unwrap();
    assert_eq!(response["statusCode"], 403);
    assert_eq!(json_body(&response)["error"], "InstanceNotAllowed");
    assert_eq!(h.bridge().connect.calls(), 0);
}

#[tokio::test]
async fn http_connect_errors_map_to_statuses() {
    use ConnectErrorKind as K;
    let cases = [
        (K::Conflict, "IdempotencyException", 409, None),
        (K::Conflict, "ConflictException", 409, None),
        (K::Throttling, "ThrottlingException", 429, Some("1")),
        (K::Unavailable, "InternalServiceException", 502, None),
        (K::Unavailable, "Timeout", 503, Some("1")),
        (K::Unavailable, "NetworkError", 503, Some("1")),
        (K::AccessDenied, "AccessDeniedException", 500, None),
        (K::InvalidRequest, "InvalidParameterException", 400, None),
        (K::NotFound, "ResourceNotFoundException", 404, None),
        (K::QuotaExceeded, "ServiceQuotaExceededException", 403, None),
    ];
    for (kind, code, status, retry_after) in cases {
        // Throttling is retried until the deadline: it fails every time here.
        let h = handler(
            settings(),
            FakeConnect::new().script((0..50).map(|_| Err(failure(kind, code)))),
        );
        let due = common::lambda_event_due(event("function-url.json"), "r", Duration::from_secs(1));
        let response = serde_json::to_value(h.handle(due).await.unwrap()).unwrap();
        assert_eq!(response["statusCode"], status, "{code}");
        assert_eq!(
            response["headers"]["retry-after"].as_str(),
            retry_after,
            "{code}"
        );
        let body = json_body(&response);
        assert_eq!(body["error"], code);
        let message = body["message"].as_str().unwrap();
        if kind == K::AccessDenied {
            assert!(
                !message.contains("AccessDeniedException message"),
                "our own misconfiguration is not echoed"
            );
        } else {
            assert!(message.contains(&format!("{code} message")), "{message}");
        }
    }
}

#[tokio::test]
async fn http_dry_run_returns_the_request_without_calling_connect() {
    let h = handler(settings(), FakeConnect::new());
    let mut e = event("apigw-rest.json");
    e["queryStringParameters"] = json!({"dryRun": "true"});
    let response = invoke(&h, e).await.unwrap();
    assert_eq!(response["statusCode"], 200);
    let body = json_body(&response);
    assert_eq!(body["request"]["Channel"], "TASK");
    assert_eq!(body["request"]["InstanceId"], INSTANCE);
    assert!(body["request"]["ClientToken"].is_string());
    let mut v2 = event("http-api.json");
    v2["queryStringParameters"] = json!({"dryRun": "true"});
    v2["rawQueryString"] = json!("dryRun=true");
    assert_eq!(invoke(&h, v2).await.unwrap()["statusCode"], 200);
    assert_eq!(h.bridge().connect.calls(), 0);
}

/// An Idempotency-Key is scoped to its caller: the same key from two callers never gives the same
/// token, and the caller is the IAM principal, else the JWT subject, else the Lambda authorizer's
/// principal, else the source IP.
#[tokio::test]
async fn http_idempotency_keys_are_scoped_to_the_caller() {
    let h = handler(settings(), FakeConnect::new());
    let rest = |patch: Value| {
        let mut e = event("apigw-rest.json");
        e["headers"] = json!({"content-type": "application/json", "Idempotency-Key": "k1"});
        e["multiValueHeaders"] = json!({});
        for (member, value) in patch.as_object().unwrap() {
            e["requestContext"][member] = value.clone();
        }
        e
    };
    let http_api = |authorizer: Value| {
        let mut e = event("http-api.json");
        e["headers"]["idempotency-key"] = json!("k1");
        e["requestContext"]["authorizer"] = authorizer;
        e
    };
    let callers = [
        rest(json!({"identity": {"userArn": "arn:aws:iam::1:user/a", "sourceIp": "192.0.2.1"}})),
        rest(json!({"identity": {"userArn": "arn:aws:iam::1:user/b", "sourceIp": "192.0.2.1"}})),
        rest(
            json!({"identity": {"sourceIp": "192.0.2.1"}, "authorizer": {"claims": {"sub": "user-1"}}}),
        ),
        rest(json!({"identity": {"sourceIp": "192.0.2.1"}, "authorizer": {"principalId": "p-1"}})),
        rest(json!({"identity": {"sourceIp": "192.0.2.1"}})),
        rest(json!({"identity": {"sourceIp": "198.51.100.7"}})),
        http_api(json!({"iam": {"userArn": "arn:aws:iam::1:user/c"}})),
        http_api(json!({"jwt": {"claims": {"sub": "user-2"}}})),
    ];
    for caller in &callers {
        invoke(&h, caller.clone()).await.unwrap();
    }
    // The first caller again, with another request id: its own contact again.
    let mut again = callers[0].clone();
    again["requestContext"]["requestId"] = json!("another-request");
    invoke(&h, again).await.unwrap();
    let t = h.bridge().connect.tokens();
    let distinct: std::collections::HashSet<&String> = t[..callers.len()].iter().collect();
    assert_eq!(
        distinct.len(),
        callers.len(),
        "two callers' keys never meet: {t:?}"
    );
    assert_eq!(
        t[0],
        t[callers.len()],
        "the same caller and key: the same token"
    );
}

#[tokio::test]
async fn http_idempotency_key_gives_the_token() {
    let h = handler(settings(), FakeConnect::new());
    let with_key = |key: Option<(&str, &str)>, request_id: &str| {
        let mut e = event("apigw-rest.json");
        e["headers"] = json!({"content-type": "application/json"});
        e["multiValueHeaders"] = json!({});
        if let Some((name, value)) = key {
            e["headers"][name] = json!(value);
        }
        e["requestContext"]["requestId"] = json!(request_id);
        e
    };
    invoke(&h, with_key(Some(("Idempotency-Key", "k1")), "r1"))
        .await
        .unwrap();
    invoke(&h, with_key(Some(("idempotency-key", "k1")), "r2"))
        .await
        .unwrap();
    invoke(&h, with_key(Some(("IDEMPOTENCY-KEY", "k2")), "r3"))
        .await
        .unwrap();
    invoke(&h, with_key(None, "r4")).await.unwrap();
    invoke(&h, with_key(None, "r5")).await.unwrap();
    let t = h.bridge().connect.tokens();
    assert_eq!(t[0], t[1], "the same key in any case gives the same token");
    assert_ne!(t[0], t[2]);
    assert_ne!(t[3], t[4], "without a key, each request is its own");
    assert!(!t[3].is_empty());
}

// ---------------------------------------------------------------- Amazon Connect flows

#[tokio::test]
async fn flow_samples_create_contacts_from_parameters() {
    let h = handler(settings(), FakeConnect::new());
    let response = invoke(&h, event("connect-flow-task.json")).await.unwrap();
    let object = response.as_object().unwrap();
    assert_eq!(object.len(), 2);
    assert!(
        object.values().all(Value::is_string),
        "a flat map of strings: {response}"
    );
    let request = &h.bridge().connect.create_requests()[0];
    assert_eq!(
        request.instance_id, INSTANCE,
        "the sample's InstanceARN is empty: CONNECT_INSTANCE_ID's instance"
    );
    assert_eq!(request.expiry_duration_in_minutes, Some(60));
    assert_eq!(request.attributes["orderId"], "1042");
    assert_eq!(request.attributes["callerIntent"], "refund");
    assert_eq!(
        request.references["Order"].value.as_deref(),
        Some("https://example.com/orders/1042")
    );

    invoke(&h, event("connect-flow-external-audio.json"))
        .await
        .unwrap();
    let request = &h.bridge().connect.create_requests()[1];
    assert_eq!(request.channel.as_str(), "VOICE");
    assert!(
        request
            .segment_attributes
            .contains_key("connect:ContactExpiry")
    );
}

#[tokio::test]
async fn flow_json_mode_values_are_accepted() {
    let h = handler(settings(), FakeConnect::new());
    let mut e = event("connect-flow-task.json");
    let p = &mut e["Details"]["Parameters"];
    p["Attributes"] = json!({"orderId": "7"});
    p["References"] = json!({"Order": {"Type": "URL", "Value": "https://x"}});
    p["ExpiryDurationInMinutes"] = json!(30);
    invoke(&h, e).await.unwrap();
    let request = &h.bridge().connect.create_requests()[0];
    assert_eq!(request.attributes["orderId"], "7");
    assert_eq!(request.expiry_duration_in_minutes, Some(30));
}

#[tokio::test]
async fn flow_tolerates_null_or_missing_endpoints_and_queue() {
    let h = handler(settings(), FakeConnect::new());
    let mut e = event("connect-flow-task.json");
    let data = e["Details"]["ContactData"].as_object_mut().unwrap();
    data.remove("CustomerEndpoint");
    data.remove("Queue");
    data.insert(
        "SystemEndpoint".into(),
        json!({"Address": "+15550100", "Type": "TELEPHONE_NUMBER"}),
    );
    invoke(&h, e).await.unwrap();
}

#[tokio::test]
async fn flow_bad_parameters_are_validation_errors_listing_each() {
    let h = handler(settings(), FakeConnect::new());
    let mut e = event("connect-flow-task.json");
    let p = &mut e["Details"]["Parameters"];
    p["Attributes"] = json!("{oops");
    p["ExpiryDurationInMinutes"] = json!("sixty");
    p["Channel"] = json!("CHAT");
    let error = invoke(&h, e).await.unwrap_err();
    assert_eq!(error.error_type, "ValidationError");
    for path in ["/Attributes", "/ExpiryDurationInMinutes", "/Channel"] {
        assert!(
            error.error_message.contains(path),
            "{}",
            error.error_message
        );
    }
    assert_eq!(h.bridge().connect.calls(), 0);
}

#[tokio::test]
async fn flow_tokens_follow_the_contact_and_parameters() {
    let h = handler(settings(), FakeConnect::new());
    let base = event("connect-flow-task.json");
    invoke(&h, base.clone()).await.unwrap();
    invoke(&h, base.clone()).await.unwrap(); // Connect's retry
    let mut other_contact = base.clone();
    other_contact["Details"]["ContactData"]["ContactId"] = json!("another-contact");
    invoke(&h, other_contact).await.unwrap();
    let mut other_params = base;
    other_params["Details"]["Parameters"]["Name"] = json!("A second task");
    invoke(&h, other_params).await.unwrap();
    let t = h.bridge().connect.tokens();
    assert_eq!(t[0], t[1]);
    assert_ne!(t[0], t[2]);
    assert_ne!(
        t[0], t[3],
        "a second block in the same flow creates its own contact"
    );
}

#[tokio::test]
async fn flow_failures_are_function_errors() {
    let h = handler(
        settings(),
        FakeConnect::new().script(
            (0..50).map(|_| Err(failure(ConnectErrorKind::Throttling, "ThrottlingException"))),
        ),
    );
    let due = common::lambda_event_due(
        event("connect-flow-external-audio.json"),
        "r",
        Duration::from_secs(1),
    );
    let error = lambda_runtime::Diagnostic::from(h.handle(due).await.unwrap_err());
    assert_eq!(error.error_type, "ThrottlingException");
    assert!(
        h.bridge().connect.calls() >= 2,
        "a waiting caller's call is retried"
    );
}

// ---------------------------------------------------------------- recognition and allow-list

#[tokio::test]
async fn unknown_shapes_are_rejected_listing_what_is_accepted() {
    let h = handler(settings(), FakeConnect::new());
    for e in [
        json!({"Records": [{"eventSource": "aws:s3"}]}),
        json!({"Records": []}),
        json!({"detail-type": "x"}),
        json!({"Details": {"Parameters": {}}}),
    ] {
        let error = invoke(&h, e).await.unwrap_err();
        assert_eq!(error.error_type, "UnrecognisedEvent");
        for shape in [
            "SQS",
            "EventBridge",
            "REST API",
            "function URL",
            "Details.ContactData",
            "direct invocation",
        ] {
            assert!(
                error.error_message.contains(shape),
                "{shape}: {}",
                error.error_message
            );
        }
    }
    assert_eq!(h.bridge().connect.calls(), 0);
}

#[tokio::test]
async fn the_allow_list_holds_for_every_source() {
    let settings = Settings {
        allowed_instances: InstanceAllowList::Only(["someone-else".into()].into()),
        ..settings()
    };
    let h = handler(settings, FakeConnect::new());
    assert_eq!(
        failed_ids(&invoke(&h, sqs_batch(2, false)).await.unwrap()).len(),
        2
    );
    for file in [
        "eventbridge.json",
        "connect-flow-task.json",
        "direct-task.json",
    ] {
        assert_eq!(
            invoke(&h, event(file)).await.unwrap_err().error_type,
            "InstanceNotAllowed",
            "{file}"
        );
    }
    for file in ["apigw-rest.json", "http-api.json", "function-url.json"] {
        assert_eq!(
            invoke(&h, event(file)).await.unwrap()["statusCode"],
            403,
            "{file}"
        );
    }
    assert_eq!(h.bridge().connect.calls(), 0);
}

#[tokio::test]
async fn rate_limited_records_that_cannot_start_in_time_are_reported_not_dropped() {
    let settings = Settings {
        max_calls_per_second: contact_bridge::pacing::CallsPerSecond::parse("1"),
        ..settings()
    };
    let h = handler(settings, FakeConnect::new());
    let mut event = lambda_event(sqs_batch(6, false), "r");
    // 2.6 s to the deadline, 0.5 s kept back: room for the calls at 0 s, 1 s and 2 s at most.
    event.context.deadline = (std::time::SystemTime::now() + Duration::from_millis(2600))
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let response = serde_json::to_value(h.handle(event).await.unwrap()).unwrap();
    let failed = failed_ids(&response);
    let called = h.bridge().connect.calls();
    assert!((1..=3).contains(&called), "{called} calls at 1 per second");
    assert_eq!(
        called + failed.len(),
        6,
        "every record is created or reported"
    );
}

// ---------------------------------------------------------------- events as others write them

#[tokio::test]
async fn sqs_attributes_we_do_not_use_cannot_fail_the_batch() {
    // A message attribute whose binaryValue is not base64, and null messageAttributes.
    let h = handler(settings(), FakeConnect::new());
    let response = invoke(&h, event("sqs-unreadable-attributes.json"))
        .await
        .unwrap();
    assert_eq!(response, json!({"batchItemFailures": []}));
    assert_eq!(h.bridge().connect.calls(), 2);
}

#[tokio::test]
async fn sqs_fifo_failure_holds_back_its_own_group_only() {
    let h = handler(settings(), FakeConnect::new());
    let response = invoke(&h, event("sqs-fifo-two-groups.json")).await.unwrap();
    assert_eq!(
        failed_ids(&response),
        [
            "22222222-0000-4000-8000-0000000000a1",
            "22222222-0000-4000-8000-0000000000a2"
        ],
        "the invalid record and its group's later record, not attempted"
    );
    assert_eq!(
        h.bridge().connect.created_names(),
        ["Order 2077: step 1", "Order 2077: step 2"]
    );

    // A Connect failure in the middle of one group: its earlier records are created, its later
    // ones are not tried; the other group, and the records without a group, go on.
    let connect = FakeConnect::new().script([
        Ok(()),
        Err(failure(ConnectErrorKind::Throttling, "ThrottlingException")),
    ]);
    let h = handler(
        Settings {
            max_concurrency: 1,
            ..settings()
        },
        connect,
    );
    let mut batch = sqs_batch(7, true);
    let groups = ["A", "A", "A", "B", "B", "", ""];
    for (record, group) in batch["Records"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .zip(groups)
    {
        if !group.is_empty() {
            record["attributes"] = json!({ "MessageGroupId": group });
        }
    }
    let response = invoke(&h, batch).await.unwrap();
    assert_eq!(failed_ids(&response), ["m-1", "m-2"]);
    assert_eq!(
        h.bridge().connect.created_names(),
        ["t0", "t1", "t3", "t4", "t5", "t6"]
    );
}

#[tokio::test]
async fn sqs_fifo_groups_run_concurrently_each_in_order() {
    let h = handler(
        settings(),
        FakeConnect::with_latency(Duration::from_millis(20)),
    );
    let mut batch = sqs_batch(6, true);
    for (i, record) in batch["Records"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        record["attributes"] = json!({ "MessageGroupId": format!("g{}", i % 3) });
    }
    let response = invoke(&h, batch).await.unwrap();
    assert!(failed_ids(&response).is_empty());
    let names = h.bridge().connect.created_names();
    for (first, second) in [("t0", "t3"), ("t1", "t4"), ("t2", "t5")] {
        let at = |n: &str| names.iter().position(|x| x == n).unwrap();
        assert!(at(first) < at(second), "order within a group: {names:?}");
    }
    let peak = h
        .bridge()
        .connect
        .max_in_flight
        .load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(peak, 3, "one call in flight per group");
}

#[tokio::test]
async fn rest_events_with_a_sparse_request_context_are_answered() {
    // No requestContext.httpMethod (the top-level one is there), no multiValueHeaders.
    let h = handler(settings(), FakeConnect::new());
    let response = invoke(&h, event("apigw-rest-sparse-context.json"))
        .await
        .unwrap();
    assert_eq!(response["statusCode"], 201, "{response}");
    assert_eq!(h.bridge().connect.calls(), 1);
}

#[tokio::test]
async fn http_events_are_read_tolerantly() {
    let h = handler(settings(), FakeConnect::new());
    let idempotent = |e: &mut Value| {
        e["headers"] = json!(null);
        e["multiValueHeaders"] = json!({"IDEMPOTENCY-KEY": ["key-1", "key-2"]});
    };
    let mut variants = Vec::new();
    // A lower-case method; null maps; no isBase64Encoded; the key in multiValueHeaders only.
    let mut e = event("apigw-rest.json");
    e["httpMethod"] = json!("post");
    e["requestContext"]["httpMethod"] = json!("post");
    for member in [
        "headers",
        "pathParameters",
        "stageVariables",
        "queryStringParameters",
    ] {
        e[member] = json!(null);
    }
    e.as_object_mut().unwrap().remove("isBase64Encoded");
    idempotent(&mut e);
    variants.push(e);
    // An HTTP API event with cookies, no headers at all, null maps and no isBase64Encoded.
    let mut v2 = event("http-api.json");
    v2["cookies"] = json!(["session=1", "theme=dark"]);
    v2["queryStringParameters"] = json!(null);
    v2["pathParameters"] = json!(null);
    v2.as_object_mut().unwrap().remove("headers");
    v2["body"] = json!(event("direct-task.json").to_string());
    v2.as_object_mut().unwrap().remove("isBase64Encoded");
    v2["requestContext"]["http"]["method"] = json!("post");
    variants.push(v2);
    for variant in variants {
        let response = invoke(&h, variant.clone()).await.unwrap();
        assert_eq!(response["statusCode"], 201, "{variant}: {response}");
    }
    let tokens = h.bridge().connect.tokens();
    assert_eq!(tokens.len(), 2);
    assert!(
        tokens[0].starts_with("contact-bridge-http-idempotency-key-"),
        "{tokens:?}"
    );

    // dryRun in multiValueQueryStringParameters only: validated, Connect not called.
    let mut e = event("apigw-rest.json");
    e["queryStringParameters"] = json!(null);
    e["multiValueQueryStringParameters"] = json!({"dryRun": ["true"]});
    let response = invoke(&h, e).await.unwrap();
    assert_eq!(response["statusCode"], 200, "{response}");
    assert_eq!(h.bridge().connect.calls(), 2);
}

#[tokio::test]
async fn flow_events_are_recognised_by_their_structure() {
    let h = handler(settings(), FakeConnect::new());
    for name in [json!("ContactFlowExecution"), json!(null)] {
        let mut e = event("connect-flow-task.json");
        e["Name"] = name.clone();
        let response = invoke(&h, e)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert!(response["ContactId"].is_string(), "{name}: {response}");
    }
    assert_eq!(h.bridge().connect.calls(), 2);
}

#[tokio::test]
async fn a_flow_instance_arn_names_the_instance_and_an_empty_one_none() {
    let other = "bbbbbbbb-cccc-dddd-eeee-222222222222";
    let h = handler(settings(), FakeConnect::new());
    let mut e = event("connect-flow-task.json");
    e["Details"]["ContactData"]["InstanceARN"] = json!(format!(
        "arn:aws:connect:us-east-1:123456789012:instance/{other}"
    ));
    invoke(&h, e).await.unwrap();
    assert_eq!(h.bridge().connect.create_requests()[0].instance_id, other);

    // Empty, and no CONNECT_INSTANCE_ID: the instance is missing, not "".
    let h = handler(Settings::default(), FakeConnect::new());
    let error = invoke(&h, event("connect-flow-task.json"))
        .await
        .unwrap_err();
    assert_eq!(error.error_type, "ValidationError");
    assert!(
        error.error_message.contains("/InstanceId: is required"),
        "{}",
        error.error_message
    );
}

#[tokio::test]
async fn a_direct_request_whose_only_member_is_misspelled_gets_the_suggestion() {
    let h = handler(settings(), FakeConnect::new());
    let error = invoke(&h, json!({"Chanel": "TASK"})).await.unwrap_err();
    assert_eq!(error.error_type, "ValidationError");
    assert!(
        error
            .error_message
            .contains("/Chanel: unknown member of CreateContact (did you mean Channel?)"),
        "{}",
        error.error_message
    );
    assert_eq!(h.bridge().connect.calls(), 0);
}

#[tokio::test]
async fn a_deadline_too_small_for_an_epoch_time_is_a_duration() {
    // `cargo lambda watch` sends `Lambda-Runtime-Deadline-Ms: 600000`.
    let h = handler(settings(), FakeConnect::new());
    let mut e = lambda_event(event("direct-task.json"), "watch-1");
    e.context.deadline = 600_000;
    let response = h.handle(e).await.map_err(Diagnostic::from).unwrap();
    assert!(serde_json::to_value(response).unwrap()["ContactId"].is_string());
    assert_eq!(h.bridge().connect.calls(), 1);

    // A real deadline already past is still no time left.
    let mut e = lambda_event(event("direct-task.json"), "late-1");
    e.context.deadline = 1_764_000_000_000;
    let error = h.handle(e).await.map_err(Diagnostic::from).unwrap_err();
    assert_eq!(error.error_type, "Timeout");
    assert_eq!(h.bridge().connect.calls(), 1);
}

// ---------------------------------------------------------------- the operation of each source

use contact_bridge::request::Request;

#[tokio::test]
async fn a_flow_names_its_operation_and_its_text_is_read_by_the_models_types() {
    let h = handler(settings(), FakeConnect::new());
    let mut e = event("connect-flow-callback.json");
    let p = &mut e["Details"]["Parameters"];
    p["AnswerMachineDetectionConfig"] =
        json!("{\"EnableAnswerMachineDetection\": true, \"AwaitAnswerMachinePrompt\": false}");
    p["TrafficType"] = json!("CAMPAIGN");
    p["References"] = json!("{\"Order\": {\"Type\": \"URL\", \"Value\": \"https://x\"}}");
    let response = invoke(&h, e).await.unwrap();
    assert!(response["ContactId"].is_string());
    assert_eq!(response.get("ContactArn"), None);
    let Request::StartOutboundVoiceContact(callback) = &h.bridge().connect.requests()[0] else {
        panic!("expected a callback")
    };
    assert_eq!(
        callback.ring_timeout_in_seconds,
        Some(30),
        "\"30\" read as an integer"
    );
    assert_eq!(
        callback
            .answer_machine_detection_config
            .as_ref()
            .unwrap()
            .enable_answer_machine_detection,
        Some(true)
    );
    assert_eq!(callback.attributes["orderId"], "1042");
    assert_eq!(callback.instance_id, INSTANCE);
    assert!(
        callback
            .client_token
            .as_deref()
            .unwrap()
            .starts_with("contact-bridge-connect-flow-")
    );

    let h = handler(settings(), FakeConnect::new());
    invoke(&h, event("connect-flow-routed-task.json"))
        .await
        .unwrap();
    let Request::StartTaskContact(task) = &h.bridge().connect.requests()[0] else {
        panic!("expected a task")
    };
    assert_eq!(
        task.references["Order"].value.as_deref(),
        Some("https://example.com/orders/1042")
    );
    assert_eq!(task.attributes["callerIntent"], "refund");
}

#[tokio::test]
async fn a_flows_unreadable_text_and_unknown_operation_are_validation_errors() {
    let h = handler(settings(), FakeConnect::new());
    let mut e = event("connect-flow-callback.json");
    let p = &mut e["Details"]["Parameters"];
    p["RingTimeoutInSeconds"] = json!("thirty");
    p["AnswerMachineDetectionConfig"] = json!("{oops");
    p["DestinationPhoneNumber"] = json!("12065550100");
    let error = invoke(&h, e).await.unwrap_err();
    assert_eq!(error.error_type, "ValidationError");
    assert!(
        error
            .error_message
            .starts_with("invalid StartOutboundVoiceContact request (3 problems): "),
        "{}",
        error.error_message
    );
    for path in [
        "/RingTimeoutInSeconds: must be a whole number in decimal text",
        "/AnswerMachineDetectionConfig: must be JSON text",
        "/DestinationPhoneNumber: must be an E.164 phone number",
    ] {
        assert!(
            error.error_message.contains(path),
            "{path}: {}",
            error.error_message
        );
    }
    let mut e = event("connect-flow-callback.json");
    e["Details"]["Parameters"]["AnswerMachineDetectionConfig"] =
        json!("{\"EnableAnswerMachineDetection\": \"maybe\"}");
    let error = invoke(&h, e).await.unwrap_err();
    assert!(
        error.error_message.contains(
            "/AnswerMachineDetectionConfig/EnableAnswerMachineDetection: must be a boolean"
        ),
        "{}",
        error.error_message
    );
    let mut e = event("connect-flow-callback.json");
    e["Details"]["Parameters"]["Operation"] = json!("StartContactRecording");
    let error = invoke(&h, e).await.unwrap_err();
    assert_eq!(
        error.error_message,
        "invalid request (1 problem): /Operation: must be one of CreateContact, StartTaskContact, \
         StartOutboundVoiceContact, StartOutboundChatContact, StartEmailContact, \
         StartOutboundEmailContact, StartChatContact, StartWebRTCContact"
    );
    assert_eq!(h.bridge().connect.calls(), 0);
}

#[tokio::test]
async fn an_eventbridge_detail_type_names_the_operation_of_a_bare_detail() {
    let h = handler(settings(), FakeConnect::new());
    invoke(&h, event("eventbridge-task.json")).await.unwrap();
    // A wrapped detail names its own operation, whatever the detail-type.
    let mut wrapped = event("eventbridge.json");
    wrapped["detail"] = event("direct-callback.json");
    invoke(&h, wrapped).await.unwrap();
    // A detail-type that names no operation leaves a bare detail a CreateContact request.
    invoke(&h, event("eventbridge.json")).await.unwrap();
    let operations: Vec<&str> = h
        .bridge()
        .connect
        .requests()
        .iter()
        .map(|r| r.operation().as_str())
        .collect();
    assert_eq!(
        operations,
        [
            "StartTaskContact",
            "StartOutboundVoiceContact",
            "CreateContact"
        ]
    );
    let mut mismatched = event("eventbridge-task.json");
    mismatched["detail"] = json!({"Channel": "TASK", "InitiationMethod": "API"});
    let error = invoke(&h, mismatched).await.unwrap_err();
    assert!(
        error
            .error_message
            .contains("/Channel: is not a member of StartTaskContact but of CreateContact"),
        "{}",
        error.error_message
    );
}

#[tokio::test]
async fn direct_payloads_that_name_an_operation_are_recognised() {
    let h = handler(settings(), FakeConnect::new());
    let response = invoke(&h, event("direct-callback.json")).await.unwrap();
    assert!(response["ContactId"].is_string());
    let error = invoke(&h, json!({"StartContactRecording": {"ContactFlowId": "f"}}))
        .await
        .unwrap_err();
    assert_eq!(error.error_type, "ValidationError");
    assert!(
        error
            .error_message
            .contains("/StartContactRecording: is not an operation contact-bridge calls"),
        "{}",
        error.error_message
    );
    assert_eq!(h.bridge().connect.calls(), 1);
}

#[tokio::test]
async fn http_dry_run_names_the_operation() {
    let h = handler(settings(), FakeConnect::new());
    let mut e = event("http-api-callback.json");
    e["queryStringParameters"] = json!({"dryRun": "true"});
    let response = invoke(&h, e).await.unwrap();
    assert_eq!(response["statusCode"], 200);
    let body = json_body(&response);
    assert_eq!(body["operation"], "StartOutboundVoiceContact");
    assert_eq!(body["request"]["DestinationPhoneNumber"], "+12065550100");
    assert_eq!(body["request"]["InstanceId"], INSTANCE);
    assert_eq!(h.bridge().connect.calls(), 0);
}

#[tokio::test]
async fn the_allow_list_holds_for_every_operation() {
    let s = Settings {
        allowed_instances: InstanceAllowList::Only(["only-this".to_owned()].into()),
        ..settings()
    };
    let h = handler(s, FakeConnect::new());
    for e in [
        event("direct-routed-task.json"),
        event("direct-callback.json"),
    ] {
        let error = invoke(&h, e).await.unwrap_err();
        assert_eq!(error.error_type, "InstanceNotAllowed");
    }
    assert_eq!(h.bridge().connect.calls(), 0);
}
