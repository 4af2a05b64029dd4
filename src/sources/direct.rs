//! Direct invocation: the payload is a canonical request; the answer is `{ContactId, ContactArn}`
//! or a function error whose `errorType` names the failure.

use serde_json::Value;
use tracing::Instrument;

use crate::bridge::{Bridge, Deadline, SourceDefaults};
use crate::connect::{CreateContact, CreatedContact};
use crate::error::ContactError;
use crate::idempotency::derive_client_token;

pub const SOURCE: &str = "direct";

/// Creates the contact; without a `ClientToken`, one derived from Lambda's request id (the same
/// for Lambda's own retries of an asynchronous invocation).
pub async fn handle<C: CreateContact>(
    bridge: &Bridge<C>,
    payload: &Value,
    request_id: &str,
    deadline: Deadline,
) -> Result<CreatedContact, ContactError> {
    let defaults = SourceDefaults {
        source: SOURCE,
        instance_id: None,
        client_token: Some(derive_client_token(SOURCE, &[request_id])),
    };
    let span = tracing::info_span!("request", source = SOURCE, source_id = %request_id);
    bridge
        .submit(payload, defaults, deadline)
        .instrument(span)
        .await
}
