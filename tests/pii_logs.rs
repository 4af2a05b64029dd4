//! No log line carries personal data. Alone in its test binary: tracing caches per call site
//! whether anyone listens, and a test running in parallel without a subscriber would turn the
//! call sites off for this one.

use contact_bridge_test_support as common;

use common::{Captured, FakeConnect, INSTANCE, event, lambda_event, settings, throttle};
use contact_bridge::bridge::Bridge;
use contact_bridge::handler::Handler;
use lambda_runtime::tracing::subscriber;
use serde_json::{Value, json};

#[tokio::test]
async fn logs_carry_ids_and_no_personal_data() {
    // Values a contact centre must not find in its logs.
    let name = "Jane Q. Customer";
    let description = "Lives at 12 Hidden Lane";
    let email = "jane.customer@example.com";
    let user_id = "agent-user-5f2c9d";
    let attribute = "card-ending-4242";
    let reference = "https://crm.example.com/customers/jane";
    let secrets = [name, description, email, user_id, attribute, reference];

    let request = json!({
        "InstanceId": INSTANCE, "Channel": "EMAIL", "InitiationMethod": "OUTBOUND",
        "Name": name, "Description": description, "UserInfo": {"UserId": user_id},
        "Attributes": {"card": attribute, "email": email},
        "References": {"crm": {"Type": "URL", "Value": reference}},
    });
    let mut invalid = request.clone();
    invalid["Channel"] = json!("FAX");
    invalid["Attributes"]["bad key"] = json!(email);

    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = subscriber::fmt()
        .json()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let connect = FakeConnect::new().script([Ok(()), throttle(), Ok(()), throttle()]);
    let h = Handler::new(Bridge::new(settings(), connect));
    let sqs = json!({"Records": [
        {"messageId": "m-1", "body": request.to_string(), "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:1:q"},
        {"messageId": "m-2", "body": invalid.to_string(), "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:1:q"},
    ]});
    let mut http = event("http-api.json");
    http["body"] = json!(request.to_string());
    http["isBase64Encoded"] = json!(false);
    let mut flow = event("connect-flow-task.json");
    flow["Details"]["Parameters"] = json!({
        "Channel": "TASK", "InitiationMethod": "API", "Name": name, "Description": description,
        "Attributes.email": email, "References": json!({"crm": {"Type": "URL", "Value": reference}}).to_string(),
    });
    let mut eventbridge = event("eventbridge.json");
    eventbridge["detail"] = request.clone();
    // A chat's participant token goes to the waiting client only; from a source with no one
    // waiting, the chat is refused before Connect.
    let chat = json!({"StartChatContact": {
        "ContactFlowId": "flow-1", "ParticipantDetails": {"DisplayName": name},
        "Attributes": {"email": email},
    }});
    let mut chat_http = event("http-api.json");
    chat_http["body"] = json!(chat.to_string());
    chat_http["isBase64Encoded"] = json!(false);
    let mut chat_sqs = json!({"Records": [
        {"messageId": "m-3", "body": chat.to_string(), "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:1:q"},
    ]});
    chat_sqs["Records"][0]["body"] = json!(chat.to_string());
    for payload in [
        request.clone(),
        invalid.clone(),
        sqs,
        http,
        flow,
        eventbridge,
        chat.clone(),
        chat_http,
        chat_sqs,
    ] {
        let _ = h.handle(lambda_event(payload, "req-1")).await;
    }

    let text = logs.text();
    assert!(
        text.contains("contact created"),
        "the run logged its contacts: {text}"
    );
    assert!(
        text.contains("m-1") && text.contains(INSTANCE),
        "ids are logged: {text}"
    );
    for line in text.lines() {
        serde_json::from_str::<Value>(line)
            .unwrap_or_else(|e| panic!("log line not JSON ({e}): {line}"));
        for secret in secrets.iter().chain([&common::FAKE_PARTICIPANT_TOKEN]) {
            assert!(!line.contains(secret), "{secret:?} leaked into: {line}");
        }
    }
}
