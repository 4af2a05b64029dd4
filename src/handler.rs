//! Recognises an event's source by its explicit fields and dispatches it to that source.

use lambda_runtime::{Diagnostic, LambdaEvent};
use serde::Serialize;
use serde_json::Value;

use crate::bridge::{Bridge, Deadline};
use crate::connect::{CreateContact, CreatedContact};
use crate::error::ContactError;
use crate::request::MEMBERS;
use crate::sources::direct;

/// The event shapes this function accepts, as the unrecognised-event error lists them.
pub const ACCEPTED_SHAPES: &str = "a CreateContact request (direct invocation)";

/// Which source sent an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventSource {
    Direct,
}

impl EventSource {
    /// Recognises the source from fields only that source sends.
    pub fn recognise(event: &Value) -> Option<EventSource> {
        let object = event.as_object()?;
        // A direct request is an object with at least one CreateContact member; its other
        // members are then checked as such, so a typo is reported rather than ignored.
        object
            .keys()
            .any(|k| MEMBERS.contains(&k.as_str()))
            .then_some(EventSource::Direct)
    }
}

/// A failed invocation, reported to Lambda as a function error.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    #[error("unrecognised event: expected {ACCEPTED_SHAPES}")]
    UnrecognisedEvent,
    #[error(transparent)]
    Contact(#[from] ContactError),
}

impl From<HandlerError> for Diagnostic {
    fn from(error: HandlerError) -> Diagnostic {
        match error {
            HandlerError::Contact(e) => e.into(),
            e @ HandlerError::UnrecognisedEvent => Diagnostic {
                error_type: "UnrecognisedEvent".to_owned(),
                error_message: e.to_string(),
            },
        }
    }
}

/// What the function answers, in the shape of the event's source.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Response {
    Contact(CreatedContact),
}

/// The Lambda handler: one per execution environment, built at init.
pub struct Handler<C> {
    bridge: Bridge<C>,
}

impl<C: CreateContact> Handler<C> {
    pub fn new(bridge: Bridge<C>) -> Self {
        Handler { bridge }
    }

    pub fn bridge(&self) -> &Bridge<C> {
        &self.bridge
    }

    pub async fn handle(&self, event: LambdaEvent<Value>) -> Result<Response, HandlerError> {
        let (payload, context) = event.into_parts();
        let deadline = Deadline::from_epoch_millis(context.deadline);
        match EventSource::recognise(&payload) {
            Some(EventSource::Direct) => {
                direct::handle(&self.bridge, &payload, &context.request_id, deadline)
                    .await
                    .map(Response::Contact)
                    .map_err(HandlerError::from)
            }
            None => Err(HandlerError::UnrecognisedEvent),
        }
    }
}
