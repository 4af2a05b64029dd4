//! The five operations the service model describes alone (StartOutboundChatContact,
//! StartEmailContact, StartOutboundEmailContact, StartChatContact, StartWebRTCContact): their
//! members and bounds from the model, their documented rules, the sources that may ask for them,
//! the credentials they answer, the email sent after a CreateContact, and the generated mapping
//! onto the SDK (what reaches the wire is the checked request, member for member).

use std::sync::Arc;

use contact_bridge::connect::{Connect, ConnectClient};
use contact_bridge::handler::Handler;
use contact_bridge::request::{
    OperationName, Request, RequestDefaults, ValidationErrors, parse_payload,
};
use contact_bridge_test_support::requests::{email_pair, full_bodies, minimal_body, refused_cases};
use contact_bridge_test_support::{
    FAKE_PARTICIPANT_TOKEN, FakeConnect, FakeOutcomes, event, handler, handler_with_outcomes,
    lambda_event, settings, wire_config, with,
};
use lambda_runtime::Diagnostic;
use serde_json::{Value, json};

const MODELED: [&str; 5] = contact_bridge_test_support::requests::MODELED;

fn parse(payload: &Value) -> Result<Request, ValidationErrors> {
    parse_payload(payload, &RequestDefaults::default())
}

/// Every violation of `payload`, as `(path, message)`.
#[track_caller]
fn violations(payload: Value) -> Vec<(String, String)> {
    match parse(&payload) {
        Ok(r) => panic!("expected a refusal of {payload}, accepted {r:?}"),
        Err(e) => e
            .violations
            .iter()
            .map(|v| (v.path.clone(), v.kind.to_string()))
            .collect(),
    }
}

fn of(operation: &str, body: Value) -> Value {
    json!({ operation: body })
}

#[test]
fn every_member_of_the_model_is_accepted_and_kept() {
    for operation in MODELED {
        let name = OperationName::parse(operation).unwrap();
        for body in full_bodies(operation)
            .into_iter()
            .chain([minimal_body(operation)])
        {
            let request = parse(&of(operation, body.clone()))
                .unwrap_or_else(|e| panic!("{operation}: {e} in {body}"));
            assert_eq!(request.operation(), name);
            assert_eq!(
                request.body(),
                body,
                "{operation}: the checked body is the body"
            );
        }
        // Between them the bodies give every member of the model.
        let given: std::collections::BTreeSet<String> = full_bodies(operation)
            .iter()
            .flat_map(|b| b.as_object().unwrap().keys().cloned().collect::<Vec<_>>())
            .collect();
        let model: std::collections::BTreeSet<String> = name
            .spec()
            .member_names
            .iter()
            .map(|m| m.to_string())
            .collect();
        assert_eq!(given, model, "{operation}");
    }
}

#[test]
fn every_required_member_is_reported_at_once() {
    let required = |operation: &str| -> Vec<(String, String)> {
        let prefix = format!("/{operation}");
        violations(of(operation, json!({})))
            .into_iter()
            .map(|(path, message)| (path.replacen(&prefix, "", 1), message))
            .collect()
    };
    let without_default =
        |setting: &str| format!("is required (no {setting} default is configured)");
    let required_text = "is required".to_owned();
    assert_eq!(
        required("StartOutboundChatContact"),
        [
            ("/SourceEndpoint".to_owned(), required_text.clone()),
            ("/DestinationEndpoint".to_owned(), required_text.clone()),
            (
                "/InstanceId".to_owned(),
                without_default("CONNECT_INSTANCE_ID")
            ),
            ("/SegmentAttributes".to_owned(), required_text.clone()),
            (
                "/ContactFlowId".to_owned(),
                without_default("DEFAULT_CONTACT_FLOW_ID")
            ),
        ]
    );
    assert_eq!(
        required("StartEmailContact"),
        [
            (
                "/InstanceId".to_owned(),
                without_default("CONNECT_INSTANCE_ID")
            ),
            ("/FromEmailAddress".to_owned(), required_text.clone()),
            ("/DestinationEmailAddress".to_owned(), required_text.clone()),
            ("/EmailMessage".to_owned(), required_text.clone()),
        ]
    );
    let outbound = required("StartOutboundEmailContact");
    assert_eq!(outbound.len(), 4, "{outbound:?}");
    assert!(
        outbound.iter().any(|(path, message)| path == "/ContactId"
            && message.starts_with("is required: the ID of an EMAIL contact")),
        "{outbound:?}"
    );
    for operation in ["StartChatContact", "StartWebRTCContact"] {
        let mut found = required(operation);
        found.sort();
        assert_eq!(
            found,
            [
                (
                    "/ContactFlowId".to_owned(),
                    without_default("DEFAULT_CONTACT_FLOW_ID")
                ),
                (
                    "/InstanceId".to_owned(),
                    without_default("CONNECT_INSTANCE_ID")
                ),
                ("/ParticipantDetails".to_owned(), required_text.clone()),
            ],
            "{operation}"
        );
    }
}

#[test]
fn every_documented_rule_is_checked_with_its_message() {
    for (operation, patch, path, message) in refused_cases() {
        let payload = of(operation, with(minimal_body(operation), patch.clone()));
        let found = violations(payload);
        let expected_path = if path == format!("/{operation}") {
            path.to_owned()
        } else {
            format!("/{operation}{path}")
        };
        assert!(
            found
                .iter()
                .any(|(p, m)| *p == expected_path && m == message),
            "{operation} {patch}: expected {expected_path}: {message}; found {found:?}"
        );
    }
}

#[test]
fn every_violation_is_reported_at_once() {
    let body = with(
        minimal_body("StartOutboundChatContact"),
        json!({
            "SourceEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "+14155550199"},
            "DestinationEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": "0"},
            "ChatDurationInMinutes": 5,
            "SupportedMessagingContentTypes": ["text/markdown"],
        }),
    );
    assert_eq!(
        violations(of("StartOutboundChatContact", body)).len(),
        4,
        "source type, destination number, duration and content types"
    );
}

#[test]
fn an_email_sent_after_create_contact_takes_its_contact() {
    let payload = email_pair();
    let create = payload["CreateContact"].clone();
    let Ok(Request::Modeled(request)) = parse(&payload) else {
        panic!("the pair is one request");
    };
    assert_eq!(request.operation, OperationName::StartOutboundEmailContact);
    assert!(request.create.is_some());

    // A ContactId beside CreateContact, another channel, another instance: all at once.
    let mut wrong = payload.clone();
    wrong["StartOutboundEmailContact"]["ContactId"] = json!("c-1");
    wrong["StartOutboundEmailContact"]["InstanceId"] = json!("inst-2");
    wrong["CreateContact"] =
        json!({"InstanceId": "inst-1", "Channel": "TASK", "InitiationMethod": "API", "Name": "n"});
    let mut found = violations(wrong);
    found.sort();
    assert_eq!(
        found,
        [
            ("/CreateContact/Channel".to_owned(), "must be EMAIL beside StartOutboundEmailContact".to_owned()),
            ("/StartOutboundEmailContact/ContactId".to_owned(), "must be left out beside a CreateContact request: the email is sent for the contact CreateContact creates".to_owned()),
            ("/StartOutboundEmailContact/InstanceId".to_owned(), "must be the instance of the CreateContact request beside it".to_owned()),
        ]
    );
    // Any other pair stays an error.
    let other =
        json!({"CreateContact": create, "StartChatContact": minimal_body("StartChatContact")});
    assert!(violations(other)[0].1.starts_with("names 2 operations"));
}

#[test]
fn each_call_of_the_pair_gets_its_own_token_derived_from_the_event() {
    let payload = email_pair();
    let tokens = || {
        let Ok(mut request @ Request::Modeled(_)) = parse(&payload) else {
            panic!("one request");
        };
        request.default_client_token(Some("from-the-event".to_owned()));
        let Request::Modeled(r) = request else {
            unreachable!()
        };
        let create = r.create.unwrap().client_token.clone().unwrap();
        let send = r.body["ClientToken"].as_str().unwrap().to_owned();
        (create, send)
    };
    let (create, send) = tokens();
    assert_eq!(create, "from-the-event");
    assert_ne!(send, create);
    assert_eq!(
        tokens(),
        (create, send),
        "a redelivery derives the same two"
    );
}

async fn invoke(h: &Handler<FakeConnect>, payload: Value) -> Result<Value, Diagnostic> {
    h.handle(lambda_event(payload, "lambda-request-1"))
        .await
        .map(|r| serde_json::to_value(r).unwrap())
        .map_err(Diagnostic::from)
}

fn http_event(payload: &Value) -> Value {
    let mut http = event("http-api.json");
    http["body"] = json!(payload.to_string());
    http["isBase64Encoded"] = json!(false);
    http
}

#[tokio::test]
async fn credentials_go_to_a_waiting_client_only() {
    for operation in ["StartChatContact", "StartWebRTCContact"] {
        let payload = of(operation, minimal_body(operation));
        let outcomes = Arc::new(FakeOutcomes::default());
        let h = handler_with_outcomes(
            contact_bridge::config::Settings {
                outcome_event_bus: Some("bus".to_owned()),
                ..settings()
            },
            FakeConnect::new(),
            outcomes.clone(),
        );
        // Direct invocation: Connect's answer, ContactId at the top.
        let answer = invoke(&h, payload.clone()).await.unwrap();
        assert!(answer["ContactId"].is_string(), "{answer}");
        assert_eq!(answer["ParticipantToken"], FAKE_PARTICIPANT_TOKEN);
        // HTTP: the same, in the body.
        let response = invoke(&h, http_event(&payload)).await.unwrap();
        assert_eq!(response["statusCode"], 201, "{response}");
        let body: Value = serde_json::from_str(response["body"].as_str().unwrap()).unwrap();
        assert_eq!(body["ParticipantToken"], FAKE_PARTICIPANT_TOKEN);
        assert_eq!(h.bridge().connect.calls(), 2);
        // The outcome events carry the contact, never the token.
        let events = serde_json::to_string(&outcomes.published()).unwrap();
        assert!(
            events.contains("ContactId") || events.contains("contactId"),
            "{events}"
        );
        assert!(!events.contains(FAKE_PARTICIPANT_TOKEN), "{events}");

        // SQS, EventBridge and a flow have no one waiting: refused before Connect.
        let h = handler(settings(), FakeConnect::new());
        let message = format!(
            "{operation} answers credentials (a participant token) to the client that waits for \
             the answer, and"
        );
        let sqs = json!({"Records": [{"messageId": "m-1", "body": payload.to_string(), "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:1:q", "attributes": {"ApproximateReceiveCount": "1"}}]});
        let answer = invoke(&h, sqs).await.unwrap();
        assert_eq!(
            answer["batchItemFailures"],
            json!([{"itemIdentifier": "m-1"}]),
            "{answer}"
        );
        let mut bridge_event = event("eventbridge.json");
        bridge_event["detail"] = payload.clone();
        let error = invoke(&h, bridge_event).await.unwrap_err();
        assert!(
            error.error_message.contains(&message),
            "{}",
            error.error_message
        );
        let mut flow = event("connect-flow-task.json");
        flow["Details"]["Parameters"] =
            json!({"Operation": operation, "ParticipantDetails": "{\"DisplayName\":\"Ana\"}"});
        let error = invoke(&h, flow).await.unwrap_err();
        assert!(
            error.error_message.contains(&message),
            "{}",
            error.error_message
        );
        assert!(
            error
                .error_message
                .contains("connect_flow has no one waiting"),
            "{}",
            error.error_message
        );
        assert_eq!(h.bridge().connect.calls(), 0, "nothing reached Connect");
    }
}

#[tokio::test]
async fn the_other_operations_come_from_every_source() {
    for operation in [
        "StartOutboundChatContact",
        "StartEmailContact",
        "StartOutboundEmailContact",
    ] {
        let payload = of(operation, minimal_body(operation));
        let h = handler(settings(), FakeConnect::new());
        let direct = invoke(&h, payload.clone()).await.unwrap();
        assert!(
            direct["ContactId"].is_string() && direct.get("ParticipantToken").is_none(),
            "{direct}"
        );
        let http = invoke(&h, http_event(&payload)).await.unwrap();
        assert_eq!(http["statusCode"], 201, "{operation}: {http}");
        let sqs = json!({"Records": [{"messageId": "m-1", "body": payload.to_string(), "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:1:q", "attributes": {"ApproximateReceiveCount": "1"}}]});
        assert_eq!(
            invoke(&h, sqs).await.unwrap()["batchItemFailures"],
            json!([])
        );
        let mut bridge_event = event("eventbridge.json");
        bridge_event["detail-type"] = json!(operation);
        bridge_event["detail"] = minimal_body(operation);
        invoke(&h, bridge_event).await.unwrap();
        assert_eq!(h.bridge().connect.calls(), 4, "{operation}");
        assert!(
            h.bridge()
                .connect
                .requests()
                .iter()
                .all(|r| r.operation() == OperationName::parse(operation).unwrap())
        );
    }
}

#[tokio::test]
async fn a_flow_texts_the_caller_by_default() {
    let h = handler(settings(), FakeConnect::new());
    let mut flow = event("connect-flow-task.json");
    flow["Details"]["ContactData"]["CustomerEndpoint"] =
        json!({"Type": "TELEPHONE_NUMBER", "Address": "+14155550123"});
    flow["Details"]["Parameters"] = json!({
        "Operation": "StartOutboundChatContact",
        "ContactFlowId": "flow-1",
        "SourceEndpoint.Type": "CONNECT_PHONENUMBER_ARN",
        "SourceEndpoint.Address": "arn:aws:connect:us-east-1:123456789012:instance/i/phone-number/p",
        "SegmentAttributes": "{\"connect:Subtype\": {\"ValueString\": \"connect:WhatsApp\"}}",
        "ChatDurationInMinutes": "120",
        "Attributes.orderId": "1042",
    });
    let answer = invoke(&h, flow.clone()).await.unwrap();
    assert!(answer["ContactId"].is_string(), "{answer}");
    let requests = h.bridge().connect.requests();
    let body = requests[0].body();
    assert_eq!(
        body["DestinationEndpoint"],
        json!({"Type": "TELEPHONE_NUMBER", "Address": "+14155550123"})
    );
    assert_eq!(body["SourceEndpoint"]["Type"], "CONNECT_PHONENUMBER_ARN");
    assert_eq!(body["ChatDurationInMinutes"], 120);
    assert_eq!(body["Attributes"], json!({"orderId": "1042"}));
    // A dotted parameter wins over the caller's number, and is checked as any other member.
    flow["Details"]["Parameters"]["DestinationEndpoint.Address"] = json!("14155550123");
    let error = invoke(&h, flow).await.unwrap_err();
    assert!(
        error
            .error_message
            .contains("/DestinationEndpoint/Address: must be an E.164 phone number"),
        "{}",
        error.error_message
    );
}

// ------------------------------------------------------------------ the SDK, on the wire

/// A client of the real SDK against a local endpoint that answers every operation with `answer`.
async fn wire_client(server: &wiremock::MockServer) -> ConnectClient {
    ConnectClient::from_config(&wire_config(&server.uri()).load().await)
}

fn answer_of(operation: &str) -> Value {
    match operation {
        "StartChatContact" => json!({
            "ContactId": "c-9", "ParticipantId": "p-9", "ParticipantToken": "token-9",
            "ConnectionCredentials": {"ConnectionToken": "conn-9", "Expiry": "2026-12-01T10:00:00Z"},
        }),
        "StartWebRTCContact" => json!({
            "ContactId": "c-9", "ParticipantId": "p-9", "ParticipantToken": "token-9",
            "ConnectionData": {
                "Attendee": {"AttendeeId": "a-9", "JoinToken": "join-9"},
                "Meeting": {"MediaRegion": "us-east-1", "MeetingId": "m-9",
                    "MediaPlacement": {"AudioHostUrl": "https://a", "SignalingUrl": "https://s"},
                    "MeetingFeatures": {"Audio": {"EchoReduction": "AVAILABLE"}}},
            },
        }),
        "CreateContact" => {
            json!({"ContactId": "c-9", "ContactArn": "arn:aws:connect:us-east-1:123456789012:instance/inst-1/contact/c-9"})
        }
        _ => json!({"ContactId": "c-9"}),
    }
}

async fn mount(server: &wiremock::MockServer, uri: &str, operation: &str) {
    use wiremock::matchers::{method, path};
    wiremock::Mock::given(method("PUT"))
        .and(path(uri))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(answer_of(operation)))
        .mount(server)
        .await;
}

#[tokio::test]
async fn what_reaches_the_wire_is_the_checked_request() {
    for operation in MODELED {
        let name = OperationName::parse(operation).unwrap();
        for body in full_bodies(operation) {
            let server = wiremock::MockServer::start().await;
            mount(&server, name.model().uri, operation).await;
            let client = wire_client(&server).await;
            let request = parse(&of(operation, body.clone())).unwrap();
            let contact = client
                .start_contact(&request)
                .await
                .unwrap_or_else(|e| panic!("{operation}: {e}"));
            assert_eq!(contact.contact_id, "c-9");
            let sent = server.received_requests().await.unwrap();
            let wire: Value = serde_json::from_slice(&sent[0].body).unwrap();
            assert_eq!(
                wire, body,
                "{operation}: the generated mapping loses nothing"
            );
            match operation {
                "StartChatContact" | "StartWebRTCContact" => {
                    let answer = contact.client_answer.clone().expect("the client's answer");
                    let mut expected = answer_of(operation);
                    expected.as_object_mut().unwrap().remove("ContactId");
                    assert_eq!(
                        Value::Object(answer.0),
                        expected,
                        "{operation}: Connect's whole answer"
                    );
                    let debug = format!("{contact:?}");
                    assert!(
                        !debug.contains("token-9") && !debug.contains("join-9"),
                        "{debug}"
                    );
                }
                _ => assert!(contact.client_answer.is_none()),
            }
        }
    }
}

#[tokio::test]
async fn the_pair_creates_the_contact_then_sends_its_email() {
    let server = wiremock::MockServer::start().await;
    mount(&server, "/contact/create-contact", "CreateContact").await;
    mount(
        &server,
        "/contact/outbound-email",
        "StartOutboundEmailContact",
    )
    .await;
    let client = wire_client(&server).await;
    let mut request = parse(&email_pair()).unwrap();
    request.default_client_token(Some("event-token".to_owned()));
    for _ in 0..2 {
        let contact = client.start_contact(&request).await.unwrap();
        assert_eq!(contact.contact_id, "c-9");
        assert!(contact.contact_arn.is_some());
    }
    let sent = server.received_requests().await.unwrap();
    let bodies: Vec<Value> = sent
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    let paths: Vec<&str> = sent.iter().map(|r| r.url.path()).collect();
    assert_eq!(
        paths,
        [
            "/contact/create-contact",
            "/contact/outbound-email",
            "/contact/create-contact",
            "/contact/outbound-email"
        ]
    );
    assert_eq!(
        bodies[1]["ContactId"], "c-9",
        "the email is sent for the new contact"
    );
    assert_eq!(bodies[0]["ClientToken"], "event-token");
    assert_ne!(bodies[1]["ClientToken"], bodies[0]["ClientToken"]);
    assert_eq!(bodies[0], bodies[2], "a redelivery sends the same create");
    assert_eq!(
        bodies[1], bodies[3],
        "and the same email, so Connect makes one of each"
    );
}

#[tokio::test]
async fn modeled_errors_of_the_new_operations_are_classified() {
    use contact_bridge::error::ConnectErrorKind as Kind;
    for (operation, error, status, kind) in [
        (
            "StartOutboundChatContact",
            "ConflictException",
            409,
            Kind::Conflict,
        ),
        (
            "StartOutboundChatContact",
            "LimitExceededException",
            429,
            Kind::LimitExceeded,
        ),
        (
            "StartEmailContact",
            "IdempotencyException",
            409,
            Kind::Conflict,
        ),
        (
            "StartEmailContact",
            "ServiceQuotaExceededException",
            402,
            Kind::QuotaExceeded,
        ),
        (
            "StartOutboundEmailContact",
            "AccessDeniedException",
            403,
            Kind::AccessDenied,
        ),
        (
            "StartChatContact",
            "InvalidParameterException",
            400,
            Kind::InvalidRequest,
        ),
        (
            "StartWebRTCContact",
            "ResourceNotFoundException",
            404,
            Kind::NotFound,
        ),
        (
            "StartChatContact",
            "InternalServiceException",
            500,
            Kind::Unavailable,
        ),
    ] {
        let server = wiremock::MockServer::start().await;
        wiremock::Mock::given(wiremock::matchers::method("PUT"))
            .respond_with(
                wiremock::ResponseTemplate::new(status)
                    .insert_header("x-amzn-ErrorType", error)
                    .set_body_json(json!({"message": "m"})),
            )
            .mount(&server)
            .await;
        let client = wire_client(&server).await;
        let request = parse(&of(operation, minimal_body(operation))).unwrap();
        let failed = client.start_bulk_contact(&request).await.unwrap_err();
        assert_eq!(
            (failed.kind, failed.code.as_str()),
            (kind, error),
            "{operation}"
        );
        assert_eq!(failed.operation, OperationName::parse(operation).unwrap());
    }
}

#[tokio::test]
async fn the_policy_holds_the_new_operations() {
    use contact_bridge::policy::Policy;
    let policy = json!({
        "http": {"StartChatContact": {
            "fixed": {"ContactFlowId": "chat-flow"},
            "allow": ["ParticipantDetails", "SupportedMessagingContentTypes"],
        }},
        "sqs": {
            "StartOutboundChatContact": {"destinations": ["+44"], "oncePerDestinationMinutes": 60},
            "StartOutboundEmailContact": {},
        },
    });
    let settings = contact_bridge::config::Settings {
        policy: Some(Policy::parse(&policy.to_string()).unwrap()),
        ..settings()
    };
    let h = handler(settings, FakeConnect::new());

    // The browser names neither the flow nor anything but its participant.
    let chat = json!({"StartChatContact": {"ParticipantDetails": {"DisplayName": "Ana"}}});
    let answer = invoke(&h, http_event(&chat)).await.unwrap();
    assert_eq!(answer["statusCode"], 201, "{answer}");
    assert_eq!(
        h.bridge().connect.requests()[0].body()["ContactFlowId"],
        "chat-flow"
    );
    let mut other_flow = chat.clone();
    other_flow["StartChatContact"]["ContactFlowId"] = json!("attacker-flow");
    let answer = invoke(&h, http_event(&other_flow)).await.unwrap();
    assert_eq!(answer["statusCode"], 403, "{answer}");
    let mut extra = chat.clone();
    extra["StartChatContact"]["Attributes"] = json!({"customerVerified": "true"});
    assert_eq!(
        invoke(&h, http_event(&extra)).await.unwrap()["statusCode"],
        403
    );

    // An SMS to a number outside the destinations is refused; one per number and hour.
    let sms = |id: &str, number: &str| {
        let mut body = minimal_body("StartOutboundChatContact");
        body["DestinationEndpoint"]["Address"] = json!(number);
        json!({"Records": [{"messageId": id, "body": of("StartOutboundChatContact", body).to_string(),
            "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:1:q",
            "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1764583200000"}}]})
    };
    let answer = invoke(&h, sms("m-1", "+14155550100")).await.unwrap();
    assert_eq!(
        answer["batchItemFailures"],
        json!([{"itemIdentifier": "m-1"}])
    );
    assert_eq!(h.bridge().connect.calls(), 1, "refused before Connect");
    let answer = invoke(&h, sms("m-2", "+447700900123")).await.unwrap();
    assert_eq!(answer["batchItemFailures"], json!([]), "{answer}");
    invoke(&h, sms("m-3", "+447700900123")).await.unwrap();
    let tokens = h.bridge().connect.tokens();
    assert_eq!(tokens.len(), 3);
    assert_eq!(
        tokens[1], tokens[2],
        "one SMS per number and window: Connect makes one"
    );

    // An email with its contact needs CreateContact allowed too.
    let pair = json!({"Records": [{"messageId": "m-4", "body": email_pair().to_string(),
        "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:1:q",
        "attributes": {"ApproximateReceiveCount": "1"}}]});
    let answer = invoke(&h, pair).await.unwrap();
    assert_eq!(
        answer["batchItemFailures"],
        json!([{"itemIdentifier": "m-4"}])
    );
    assert_eq!(h.bridge().connect.calls(), 3);
}
