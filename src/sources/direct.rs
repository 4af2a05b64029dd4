//! Direct invocation: the payload names its operation (or is a bare CreateContact request); the
//! answer is `{ContactId, ContactArn}` or a function error whose `errorType` names the failure.

use serde_json::Value;

use crate::bridge::{Bridge, Deadline, Origin, Payload, SourceDefaults};
use crate::connect::{Connect, CreatedContact};
use crate::error::ContactError;
use crate::idempotency::derive_client_token;
use crate::source::Source;

/// Creates the contact; without a `ClientToken`, one derived from Lambda's request id (the same
/// for Lambda's own retries of an asynchronous invocation).
pub async fn handle<C: Connect>(
    bridge: &Bridge<C>,
    payload: &Value,
    request_id: &str,
    deadline: Deadline,
) -> Result<CreatedContact, ContactError> {
    let source = Source::Direct;
    let origin = Origin {
        source,
        id: request_id,
        defaults: SourceDefaults {
            instance_id: None,
            client_token: Some(derive_client_token(source.name(), &[request_id])),
            event_time: None,
        },
        correlation_id: None,
        // Lambda tells a function nothing of who invoked it.
        producer: None,
    };
    let handled = bridge
        .handle(origin, Ok(Payload::Any(payload)), deadline)
        .await;
    // The caller may be waiting for the answer: a failure is its function error, whether or not
    // the failure's event was published.
    let delivery = bridge.publish_one(&handled.event, deadline).await;
    handled.answer(delivery)
}
