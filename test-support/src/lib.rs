//! What the tests and the benchmark share: the local Lambda Runtime API, a Connect stand-in, the
//! sample events and the helpers that build and read events and answers. A workspace member,
//! a dev-dependency of contact-bridge and a dependency of the benchmark.

pub mod connect_stub;
pub mod eventbridge_stub;
pub mod process;
pub mod requests;
pub mod runtime_api;
pub mod samples;

use std::collections::VecDeque;
use std::io::Write;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use contact_bridge::bridge::Bridge;
use contact_bridge::config::Settings;
use contact_bridge::connect::{Connect, CreatedContact};
use contact_bridge::error::{ConnectError, ConnectErrorKind};
use contact_bridge::handler::Handler;
use contact_bridge::outcome::{BoxFuture, OutcomeEvent, OutcomeSink};
use contact_bridge::request::{CreateContactRequest, Request};
use serde_json::{Value, json};

/// A Connect stand-in: records every request, answers from a script (then success), and tracks
/// how many calls were in flight at once.
#[derive(Default)]
pub struct FakeConnect {
    pub requests: Mutex<Vec<Request>>,
    script: Mutex<VecDeque<Result<(), ConnectError>>>,
    latency: Option<Duration>,
    /// Requests whose `Name` is this take this long (one slow record among fast ones).
    slow: Option<(String, Duration)>,
    in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
}

impl FakeConnect {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_latency(latency: Duration) -> Self {
        FakeConnect {
            latency: Some(latency),
            ..Self::default()
        }
    }

    /// Requests named `name` take `delay`; the others answer at once.
    pub fn with_slow(name: &str, delay: Duration) -> Self {
        FakeConnect {
            slow: Some((name.to_owned(), delay)),
            ..Self::default()
        }
    }

    /// Answers the next calls, in order, with these outcomes.
    pub fn script(self, outcomes: impl IntoIterator<Item = Result<(), ConnectError>>) -> Self {
        self.script.lock().unwrap().extend(outcomes);
        self
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// The requests, each a CreateContact request (panics on any other operation).
    pub fn create_requests(&self) -> Vec<CreateContactRequest> {
        self.requests()
            .into_iter()
            .map(|r| match r {
                Request::CreateContact(r) => r.into_inner(),
                other => panic!("expected CreateContact, got {other:?}"),
            })
            .collect()
    }

    /// The `Name` of each CreateContact request, in the order they were sent.
    pub fn created_names(&self) -> Vec<String> {
        self.create_requests()
            .into_iter()
            .map(|r| r.name.unwrap_or_default())
            .collect()
    }

    pub fn calls(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    pub fn tokens(&self) -> Vec<String> {
        self.requests()
            .into_iter()
            .map(|r| r.client_token().unwrap_or_default().to_owned())
            .collect()
    }
}

impl Connect for FakeConnect {
    async fn start_contact(&self, request: &Request) -> Result<CreatedContact, ConnectError> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let outcome = {
            let mut requests = self.requests.lock().unwrap();
            requests.push(request.clone());
            self.script.lock().unwrap().pop_front().unwrap_or(Ok(()))
        };
        let slow = self
            .slow
            .as_ref()
            .filter(|(name, _)| request.body()["Name"] == name.as_str())
            .map(|(_, delay)| *delay);
        if let Some(latency) = slow.or(self.latency) {
            tokio::time::sleep(latency).await;
        }
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        outcome?;
        let id = format!("contact-{}", request.client_token().unwrap_or("none"));
        let contact_arn = request.operation().answers_contact_arn().then(|| {
            format!(
                "arn:aws:connect:us-east-1:123456789012:instance/{}/contact/{id}",
                request.instance_id()
            )
        });
        let mut contact = CreatedContact::new(id, contact_arn);
        if request.operation().answers_credentials() {
            contact.client_answer = Some(contact_bridge::connect::ClientAnswer(
                json!({ "ParticipantId": "participant-1", "ParticipantToken": FAKE_PARTICIPANT_TOKEN })
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            ));
        }
        Ok(contact)
    }
}

/// The participant token [`FakeConnect`] answers for a chat or a WebRTC call: it must reach the
/// waiting client, and nothing else.
pub const FAKE_PARTICIPANT_TOKEN: &str = "fake-participant-token-QWxhZGRpbjpvcGVuIHNlc2FtZQ";

/// The AWS configuration of a client of the real SDK against a local endpoint at `uri` (a
/// wiremock server): a Region and static credentials, so that calls are signed as in Lambda.
pub fn wire_config(uri: &str) -> aws_config::ConfigLoader {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_connect::config::Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
            "test",
        ))
        .endpoint_url(uri)
}

/// An outcome bus stand-in: keeps every event it accepts, refuses the entries a script names,
/// and may take its time (to show who waits for it).
#[derive(Default)]
pub struct FakeOutcomes {
    published: Mutex<Vec<OutcomeEvent>>,
    /// Per publication call, in order: which entries to refuse (`None`: the whole call fails).
    script: Mutex<VecDeque<Option<Vec<usize>>>>,
    delay: Option<Duration>,
    calls: AtomicUsize,
}

impl FakeOutcomes {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_delay(delay: Duration) -> Self {
        FakeOutcomes {
            delay: Some(delay),
            ..Self::default()
        }
    }

    /// The next calls fail as scripted: `None` refuses the whole call, `Some(indices)` those
    /// entries of it; calls after the script succeed.
    pub fn script(self, calls: impl IntoIterator<Item = Option<Vec<usize>>>) -> Self {
        self.script.lock().unwrap().extend(calls);
        self
    }

    /// The events accepted so far, in the order they were published.
    pub fn published(&self) -> Vec<OutcomeEvent> {
        self.published.lock().unwrap().clone()
    }

    /// How many publication calls were made.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl OutcomeSink for FakeOutcomes {
    fn publish<'a>(&'a self, events: &'a [OutcomeEvent]) -> BoxFuture<'a, Vec<bool>> {
        Box::pin(async move {
            if let Some(delay) = self.delay {
                tokio::time::sleep(delay).await;
            }
            self.calls.fetch_add(1, Ordering::SeqCst);
            let refused = match self.script.lock().unwrap().pop_front() {
                Some(None) => (0..events.len()).collect(),
                Some(Some(indices)) => indices,
                None => Vec::new(),
            };
            let accepted: Vec<bool> = (0..events.len()).map(|i| !refused.contains(&i)).collect();
            let mut published = self.published.lock().unwrap();
            for (event, ok) in events.iter().zip(&accepted) {
                if *ok {
                    published.push(event.clone());
                }
            }
            accepted
        })
    }
}

/// The instance of the tests' deployment (`CONNECT_INSTANCE_ID`).
pub const INSTANCE: &str = "aaaaaaaa-bbbb-cccc-dddd-111111111111";

/// A path in the repository (this crate is one folder below its root).
pub fn repository_path(relative: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
}

/// A standard queue's ARN, and a FIFO queue's.
pub const QUEUE_ARN: &str = "arn:aws:sqs:us-east-1:123456789012:contact-requests";
pub const FIFO_QUEUE_ARN: &str = "arn:aws:sqs:us-east-1:123456789012:contact-requests.fifo";

/// An SQS batch from `queue_arn` of records `(messageId, body)`, the body being JSON text, each
/// with the envelope members SQS sends (which the function does not read).
pub fn sqs_batch(queue_arn: &str, records: impl IntoIterator<Item = (String, String)>) -> Value {
    let records: Vec<Value> = records
        .into_iter()
        .map(|(id, body)| sqs_record(queue_arn, &id, &body, 1))
        .collect();
    json!({ "Records": records })
}

/// One SQS record from `queue_arn`, received `receive_count` times, with the envelope members
/// SQS sends (which the function does not read).
pub fn sqs_record(queue_arn: &str, id: &str, body: &str, receive_count: u32) -> Value {
    json!({
        "messageId": id,
        "receiptHandle": format!("AQEB{id}-{receive_count}"),
        "body": body,
        "attributes": {
            "ApproximateReceiveCount": receive_count.to_string(),
            "SentTimestamp": "1764000000000",
            "SenderId": "AIDAEXAMPLE",
            "ApproximateFirstReceiveTimestamp": "1764000000001",
        },
        "messageAttributes": {},
        "md5OfBody": "00000000000000000000000000000000",
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": "us-east-1",
    })
}

/// The messageIds an SQS answer lists in `batchItemFailures`.
pub fn failed_ids(response: &Value) -> Vec<String> {
    response["batchItemFailures"]
        .as_array()
        .unwrap_or_else(|| panic!("a batchItemFailures array: {response}"))
        .iter()
        .map(|f| f["itemIdentifier"].as_str().unwrap().to_owned())
        .collect()
}

/// The JSON body of an HTTP answer.
pub fn http_body(response: &Value) -> Value {
    serde_json::from_str(response["body"].as_str().unwrap()).unwrap()
}

/// Connect's answer to a throttled call, after the SDK's retries.
pub fn throttle() -> Result<(), ConnectError> {
    Err(ConnectError::new(
        contact_bridge::request::OperationName::CreateContact,
        ConnectErrorKind::Throttling,
        "ThrottlingException",
        "Rate exceeded",
    ))
}

/// The settings of a deployment whose instance is [`INSTANCE`] (`CONNECT_INSTANCE_ID`), with no
/// allow-list: the sample events name no instance, so that they work with any deployment.
pub fn settings() -> Settings {
    Settings {
        default_instance_id: Some(INSTANCE.to_owned()),
        ..Settings::default()
    }
}

pub fn handler(settings: Settings, connect: FakeConnect) -> Handler<FakeConnect> {
    Handler::new(Bridge::new(settings, connect))
}

/// A handler whose outcome events go to `outcomes`.
pub fn handler_with_outcomes(
    settings: Settings,
    connect: FakeConnect,
    outcomes: Arc<FakeOutcomes>,
) -> Handler<FakeConnect> {
    Handler::new(Bridge::new(settings, connect).with_outcomes(outcomes))
}

/// `base` with top-level members replaced by `patch`'s (a `null` removes the member).
pub fn with(mut base: Value, patch: Value) -> Value {
    for (k, v) in patch.as_object().expect("a patch is an object") {
        if v.is_null() {
            base.as_object_mut().expect("an object to patch").remove(k);
        } else {
            base[k] = v.clone();
        }
    }
    base
}

/// Reads a sample event from `events/`, as [`samples::sample_text`] reads it.
pub fn event(name: &str) -> Value {
    let path = repository_path(&format!("events/{name}"));
    let text = samples::sample_text(&path);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// An invocation whose deadline is `left` from now (Lambda's epoch milliseconds).
pub fn lambda_event_due(
    payload: Value,
    request_id: &str,
    left: Duration,
) -> lambda_runtime::LambdaEvent<Value> {
    let mut event = lambda_event(payload, request_id);
    let due = std::time::SystemTime::now() + left;
    event.context.deadline = due
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    event
}

pub fn lambda_event(payload: Value, request_id: &str) -> lambda_runtime::LambdaEvent<Value> {
    let mut context = lambda_runtime::Context::default();
    context.request_id = request_id.to_owned();
    lambda_runtime::LambdaEvent::new(payload, context)
}

/// A writer whose output the test reads back (also a child's streams, see [`process`]).
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}
