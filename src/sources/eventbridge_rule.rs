//! EventBridge: `detail` is a payload (one member naming the operation, or a bare CreateContact
//! request); a `detail-type` that names an operation makes a bare `detail` that operation's body.
//! The answer is `{ContactId, ContactArn}`, and a failure is a function error, so Lambda's
//! asynchronous retries and on-failure destination apply; with `OUTCOME_EVENT_BUS`, a permanent
//! failure whose outcome event was published is answered with that event instead, not retried.

use serde_json::Value;

use crate::bridge::{Bridge, Deadline, Origin, Payload, SourceDefaults};
use crate::connect::Connect;
use crate::error::ContactError;
use crate::idempotency::derive_client_token;
use crate::outcome::Producer;
use crate::request::{OperationName, names_an_operation};
use crate::source::Source;
use crate::sources::Response;

/// Whether an event is an EventBridge event: it has `detail-type`, `source` and `detail`.
pub fn recognise(event: &Value) -> bool {
    event.get("detail-type").is_some()
        && event.get("source").is_some()
        && event.get("detail").is_some()
}

/// Creates the contact of `detail`, the token derived from the event's `id` (the same on
/// EventBridge's and Lambda's retries).
pub async fn handle<C: Connect>(
    bridge: &Bridge<C>,
    event: &Value,
    deadline: Deadline,
) -> Result<Response, ContactError> {
    let source = Source::EventBridge;
    let id = event["id"].as_str().unwrap_or_default();
    let defaults = SourceDefaults {
        instance_id: None,
        // Without an id there is nothing stable to derive from; the SDK then makes a token per call.
        client_token: (!id.is_empty()).then(|| derive_client_token(source.name(), &[id])),
        event_time: event["time"].as_str().and_then(|time| {
            aws_smithy_types::DateTime::from_str(
                time,
                aws_smithy_types::date_time::Format::DateTime,
            )
            .ok()
            .map(|t| t.secs())
        }),
    };
    let origin = Origin {
        source,
        id,
        defaults,
        correlation_id: None,
        producer: event["source"].as_str().map(|source| {
            Producer::new("EventSource", source).with_account(event["account"].as_str())
        }),
    };
    let detail = &event["detail"];
    let operation = event["detail-type"].as_str().and_then(OperationName::parse);
    let payload = match operation {
        Some(operation) if !names_an_operation(detail) => Payload::Of(operation, detail),
        _ => Payload::Any(detail),
    };
    let handled = bridge.handle(origin, Ok(payload), deadline).await;
    let delivery = bridge.publish_one(&handled.event, deadline).await;
    if !handled.needs_retry(delivery) && handled.result.is_err() {
        // A permanent error whose event the producer has: answered, not retried (a function
        // error would have Lambda retry it twice and publish it each time).
        return Ok(Response::Reported(handled.event));
    }
    handled.answer(delivery).map(Response::Contact)
}
