//! Outcome events: one per request the function handles, put on the bus `OUTCOME_EVENT_BUS` names,
//! so that asynchronous producers (SQS, EventBridge) learn the contact their request became, or
//! why it did not. Events carry identifiers only: never a name, description, attribute or
//! reference value, or a phone number.
//!
//! - [`OutcomeEvent`]: the event, its detail-type and detail;
//! - [`OutcomeSink`]: where events go (EventBridge, the local dry run, a test double);
//! - [`Delivery`]: how one event fared, which decides whether its request is handed back for a
//!   retry (see [`crate::bridge::Handled::needs_retry`]);
//! - [`Background`]: publications a flow's caller does not wait for, finished after the answer.

use crate::operation::OperationName;
use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::Mutex;

use serde::Serialize;
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::connect::CreatedContact;
use crate::error::ContactError;

/// The events' `Source`.
pub const EVENT_SOURCE: &str = "contact-bridge";
/// The `DetailType` of a request that became a contact.
pub const CONTACT_CREATED: &str = "ContactCreated";
/// The `DetailType` of a request that did not.
pub const CONTACT_REQUEST_FAILED: &str = "ContactRequestFailed";

/// What became of one request: an outcome event's detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OutcomeEvent {
    /// The operation, when the request was read far enough to know it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<OperationName>,
    /// `sqs`, `eventbridge`, `http`, `connect-flow` or `direct`.
    pub source: &'static str,
    /// The source's id for the event: SQS messageId, EventBridge event id, API request id, flow
    /// ContactId, Lambda request id.
    pub source_id: String,
    /// The producer's own value, passed through (see docs/outcome-events.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<OutcomeError>,
    /// Who sent the request, as far as its source knows (see [`Producer`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub producer: Option<Producer>,
}

/// Who sent a request, as its source states it, so that a consumer's rule can match on the
/// producer and not only on a correlation value a producer chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Producer {
    /// What `Id` is: `SqsQueue` (the queue's ARN), `EventSource` (the EventBridge `source`, with
    /// `Account`), `IamPrincipal`, `JwtSubject`, `AuthorizerPrincipal` or `SourceIp` (an HTTP
    /// caller, the first the event has, in that order), `ConnectInstance` (a flow's instance ARN).
    pub kind: &'static str,
    pub id: String,
    /// The EventBridge event's `account`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

/// The longest producer id kept as it is; a longer one is a digest (events stay bounded).
const MAX_PRODUCER_ID_CHARS: usize = 256;

impl Producer {
    pub fn new(kind: &'static str, id: &str) -> Self {
        Producer {
            kind,
            id: bounded(id),
            account: None,
        }
    }

    pub fn with_account(mut self, account: Option<&str>) -> Self {
        self.account = account.map(bounded);
        self
    }
}

/// `text`, or its digest when it is longer than [`MAX_PRODUCER_ID_CHARS`].
fn bounded(text: &str) -> String {
    if text.chars().count() <= MAX_PRODUCER_ID_CHARS {
        text.to_owned()
    } else {
        crate::idempotency::id_digest(text)
    }
}

/// Why a request did not become a contact: the error's kind, never its message (Connect's may
/// repeat values).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OutcomeError {
    /// `ValidationError`, `InstanceNotAllowed`, or Connect's error name (`ThrottlingException`).
    pub kind: String,
    /// Whether the same request may succeed later (the source delivers it again).
    pub retryable: bool,
}

impl OutcomeEvent {
    /// The event of `result`, for the request `source` identifies as `source_id`.
    pub fn of(
        source: &'static str,
        source_id: &str,
        operation: Option<OperationName>,
        instance_id: Option<&str>,
        correlation_id: Option<String>,
        producer: Option<Producer>,
        result: &Result<CreatedContact, ContactError>,
    ) -> Self {
        let (contact_id, contact_arn, error) = match result {
            Ok(contact) => (
                Some(contact.contact_id.clone()),
                contact.contact_arn.clone(),
                None,
            ),
            Err(e) => (
                None,
                None,
                Some(OutcomeError {
                    kind: e.kind().to_owned(),
                    retryable: e.is_retryable(),
                }),
            ),
        };
        OutcomeEvent {
            operation,
            source,
            source_id: source_id.to_owned(),
            correlation_id,
            instance_id: instance_id.map(str::to_owned),
            contact_id,
            contact_arn,
            error,
            producer,
        }
    }

    pub fn detail_type(&self) -> &'static str {
        if self.error.is_none() {
            CONTACT_CREATED
        } else {
            CONTACT_REQUEST_FAILED
        }
    }

    /// The event's detail, as the JSON text PutEvents takes.
    pub fn detail(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// How one request's outcome event fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// No `OUTCOME_EVENT_BUS`: nothing to publish.
    Off,
    Published,
    /// Not published (the bus refused the entry, the call failed, or time ran out): the source
    /// hands the request back, and its retry publishes again.
    Failed,
}

/// A boxed future, so that a sink can sit behind `dyn` (the bridge holds any of them).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where outcome events go.
pub trait OutcomeSink: Send + Sync {
    /// Publishes `events`; answers, in their order, whether each was accepted.
    fn publish<'a>(&'a self, events: &'a [OutcomeEvent]) -> BoxFuture<'a, Vec<bool>>;
}

/// The local run's stand-in for the bus: prints the PutEvents entries it would send.
pub struct PrintedOutcomes {
    bus: String,
    sink: Mutex<Box<dyn Write + Send>>,
}

impl PrintedOutcomes {
    pub fn new(bus: impl Into<String>, sink: Box<dyn Write + Send>) -> Self {
        PrintedOutcomes {
            bus: bus.into(),
            sink: Mutex::new(sink),
        }
    }
}

/// The PutEvents entries for `events`, as the AWS CLI's `put-events --entries` spells them.
pub fn entries(bus: &str, events: &[OutcomeEvent]) -> Value {
    events
        .iter()
        .map(|e| {
            json!({
                "Source": EVENT_SOURCE,
                "DetailType": e.detail_type(),
                "Detail": e.detail(),
                "EventBusName": bus,
            })
        })
        .collect()
}

impl OutcomeSink for PrintedOutcomes {
    fn publish<'a>(&'a self, events: &'a [OutcomeEvent]) -> BoxFuture<'a, Vec<bool>> {
        Box::pin(async move {
            let line = json!({ "dryRun": "PutEvents", "Entries": entries(&self.bus, events) });
            if let Ok(mut sink) = self.sink.lock() {
                // A lost preview line must not fail the run.
                let _ = writeln!(sink, "{line}");
            }
            vec![true; events.len()]
        })
    }
}

/// Publications nobody waits for (a flow's caller is answered first), finished after the answer:
/// by the runtime before it asks for the next invocation, by the CLI before it exits.
#[derive(Default)]
pub struct Background {
    tasks: Mutex<JoinSet<()>>,
}

impl Background {
    /// Runs `work` in the background (it bounds itself by the invocation's deadline).
    pub fn spawn(&self, work: impl Future<Output = ()> + Send + 'static) {
        if let Ok(mut tasks) = self.tasks.lock() {
            tasks.spawn(work);
        }
    }

    /// Waits for every publication started so far.
    pub async fn finish(&self) {
        let mut tasks = match self.tasks.lock() {
            Ok(mut tasks) => std::mem::take(&mut *tasks),
            Err(_) => return,
        };
        while tasks.join_next().await.is_some() {}
    }
}
