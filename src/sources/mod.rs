//! One module per event source: its event to request(s), its outcome to the response it expects.

pub mod connect_flow;
pub mod direct;
pub mod eventbridge_rule;
pub mod http;
pub mod sqs;

use aws_lambda_events::event::sqs::SqsBatchResponse;
use serde::Serialize;

use crate::connect::CreatedContact;
use crate::outcome::OutcomeEvent;
use http::HttpResponse;

pub use crate::source::Source;

/// What the function answers, in the shape of the event's source.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Response {
    /// Direct invocation, EventBridge, and Connect flows (a flat map of strings).
    Contact(CreatedContact),
    /// EventBridge, for a permanent failure whose outcome event was published: the event's
    /// detail (the producer has it; the invocation is not retried).
    Reported(OutcomeEvent),
    Sqs(SqsBatchResponse),
    Http(HttpResponse),
}
