//! A local Amazon Connect endpoint for the tests and the benchmark: wiremock on 127.0.0.1,
//! reached through `AWS_ENDPOINT_URL_CONNECT`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use contact_bridge::request::generated;
use serde_json::{Value, json};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::INSTANCE;

/// When each call arrived.
pub type Arrivals = Arc<Mutex<Vec<Instant>>>;

/// The paths of the operations contact-bridge calls, as the service model routes them.
pub fn operation_paths() -> String {
    let paths: Vec<&str> = generated::OPERATIONS.iter().map(|op| op.uri).collect();
    format!("^({})$", paths.join("|"))
}

/// Connect's answer to each call: a contact named after the call's ClientToken (so the same token
/// gets the same contact), after `delay`, with a ContactArn for CreateContact only (as Connect
/// answers); notes when each call arrived.
pub struct ContactResponder {
    delay: Duration,
    arrivals: Arrivals,
    /// Prints one line per call on stdout (the `connect-stub` command).
    show_calls: bool,
}

impl ContactResponder {
    pub fn new(delay: Duration, arrivals: Arrivals) -> Self {
        ContactResponder {
            delay,
            arrivals,
            show_calls: false,
        }
    }
}

/// The operation each path is (as Connect's REST API routes them).
pub fn operation_of(path: &str) -> &'static str {
    generated::OPERATIONS
        .iter()
        .find(|op| op.uri == path)
        .map_or("unknown", |op| op.name)
}

/// The contact a ClientToken gets: the same token, the same contact, as Connect answers.
pub fn contact_id(token: &str) -> String {
    format!("contact-{}", &token[token.len().saturating_sub(12)..])
}

/// Connect's answer for the new contact `id` at `path`: with a ContactArn for CreateContact
/// only, as Connect answers.
/// A chat's and a WebRTC call's answer also carry a participant (and the call a meeting), with
/// stub tokens.
pub fn contact_answer(path: &str, id: &str) -> Value {
    match operation_of(path) {
        "CreateContact" => json!({
            "ContactId": id,
            "ContactArn": format!("arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE}/contact/{id}"),
        }),
        "StartChatContact" => json!({
            "ContactId": id, "ParticipantId": format!("participant-{id}"),
            "ParticipantToken": STUB_PARTICIPANT_TOKEN,
        }),
        "StartWebRTCContact" => json!({
            "ContactId": id, "ParticipantId": format!("participant-{id}"),
            "ParticipantToken": STUB_PARTICIPANT_TOKEN,
            "ConnectionData": {
                "Attendee": { "AttendeeId": format!("attendee-{id}"), "JoinToken": STUB_PARTICIPANT_TOKEN },
                "Meeting": { "MeetingId": format!("meeting-{id}"), "MediaRegion": "us-east-1" },
            },
        }),
        _ => json!({ "ContactId": id }),
    }
}

/// The participant (and attendee) token the stub answers.
pub const STUB_PARTICIPANT_TOKEN: &str = "stub-participant-token";

impl Respond for ContactResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.arrivals.lock().unwrap().push(Instant::now());
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let token = body["ClientToken"].as_str().unwrap_or("none");
        // An email is sent on the contact it names, and Connect answers that contact.
        let id = match body["ContactId"].as_str() {
            Some(contact) => contact.to_owned(),
            None => contact_id(token),
        };
        let answer = contact_answer(request.url.path(), &id);
        if self.show_calls {
            println!(
                "{} ClientToken={token} -> ContactId={id}",
                operation_of(request.url.path())
            );
        }
        ResponseTemplate::new(200)
            .set_body_json(answer)
            .set_delay(self.delay)
    }
}

/// A Connect endpoint that answers every call of the eight operations ([`operation_paths`]) with
/// [`ContactResponder`].
pub struct ConnectStub {
    pub server: MockServer,
    pub arrivals: Arrivals,
}

impl ConnectStub {
    /// Keeps every request, for tests that read them back (`server.received_requests()`).
    pub async fn start(delay: Duration) -> ConnectStub {
        Self::mount(MockServer::start().await, delay).await
    }

    /// Keeps no request: for long benchmark runs, where the endpoint's own memory must not grow.
    pub async fn start_unrecorded(delay: Duration) -> ConnectStub {
        let server = MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        Self::mount(server, delay).await
    }

    /// Serves on `listener` until the process ends, printing each call: the `connect-stub`
    /// command, for the local steps of README and docs/local.md.
    pub async fn serve(listener: std::net::TcpListener) -> ConnectStub {
        let server = MockServer::builder()
            .listener(listener)
            .disable_request_recording()
            .start()
            .await;
        let mut responder = ContactResponder::new(Duration::ZERO, Arrivals::default());
        responder.show_calls = true;
        Self::mount_responder(server, responder).await
    }

    async fn mount(server: MockServer, delay: Duration) -> ConnectStub {
        Self::mount_responder(server, ContactResponder::new(delay, Arrivals::default())).await
    }

    async fn mount_responder(server: MockServer, responder: ContactResponder) -> ConnectStub {
        let arrivals = responder.arrivals.clone();
        Mock::given(method("PUT"))
            .and(path_regex(operation_paths()))
            .respond_with(responder)
            .mount(&server)
            .await;
        ConnectStub { server, arrivals }
    }

    pub fn calls(&self) -> usize {
        self.arrivals.lock().unwrap().len()
    }

    /// The arrivals so far, leaving none.
    pub fn take_arrivals(&self) -> Vec<Instant> {
        std::mem::take(&mut *self.arrivals.lock().unwrap())
    }
}
