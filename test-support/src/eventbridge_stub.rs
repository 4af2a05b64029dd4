//! A local EventBridge endpoint for the tests: wiremock on 127.0.0.1, reached through
//! `AWS_ENDPOINT_URL_EVENTBRIDGE`. It answers PutEvents (the awsJson 1.1 protocol: `POST /` with
//! `X-Amz-Target: AWSEvents.PutEvents`) entry by entry.

use serde_json::{Value, json};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The `X-Amz-Target` of PutEvents.
pub const PUT_EVENTS: &str = "AWSEvents.PutEvents";

/// Accepts every entry, except those whose index is in `refused` (answered with an ErrorCode,
/// and counted in FailedEntryCount, as EventBridge answers a partly failed call).
pub struct PutEventsResponder {
    pub refused: Vec<usize>,
}

impl Respond for PutEventsResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let count = body["Entries"].as_array().map_or(0, Vec::len);
        let entries: Vec<Value> = (0..count)
            .map(|i| {
                if self.refused.contains(&i) {
                    json!({"ErrorCode": "InternalFailure", "ErrorMessage": "refused by the stub"})
                } else {
                    json!({"EventId": format!("event-{i}")})
                }
            })
            .collect();
        ResponseTemplate::new(200)
            .insert_header("content-type", "application/x-amz-json-1.1")
            .set_body_json(json!({
                "FailedEntryCount": self.refused.iter().filter(|i| **i < count).count(),
                "Entries": entries,
            }))
    }
}

/// PutEvents calls against `server`, in order of arrival: each one's entries.
pub async fn put_events_calls(server: &MockServer) -> Vec<Vec<Value>> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| {
            r.headers
                .get("x-amz-target")
                .is_some_and(|t| t.to_str().unwrap_or_default() == PUT_EVENTS)
        })
        .map(|r| {
            let body: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
            body["Entries"].as_array().cloned().unwrap_or_default()
        })
        .collect()
}

/// An EventBridge endpoint that accepts every entry.
pub async fn start() -> MockServer {
    let server = MockServer::start().await;
    accept_all().mount(&server).await;
    server
}

/// The mock that accepts every PutEvents entry.
pub fn accept_all() -> Mock {
    Mock::given(method("POST"))
        .and(header("x-amz-target", PUT_EVENTS))
        .respond_with(PutEventsResponder {
            refused: Vec::new(),
        })
}
