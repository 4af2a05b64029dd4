//! Direct invocation: the payload names its operation (or is a bare CreateContact request); the answer is `{ContactId, ContactArn}`
//! or a function error whose `errorType` names the failure.

use serde_json::Value;

use crate::bridge::{Bridge, Deadline, Origin, Payload, SourceDefaults};
use crate::connect::{Connect, CreatedContact};
use crate::error::ContactError;
use crate::idempotency::derive_client_token;
use crate::sources::Source;

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
        },
    };
    bridge
        .handle(origin, Ok(Payload::Any(payload)), deadline)
        .await
}
