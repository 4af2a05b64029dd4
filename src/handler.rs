//! Recognises an event's source by its explicit fields and dispatches it to that source.

use lambda_runtime::{Diagnostic, LambdaEvent};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::bridge::{Bridge, Deadline};
use crate::connect::Connect;
use crate::error::ContactError;
use crate::request::{MEMBERS, OPERATION_NAMES, OperationName, suggest_member};
use crate::source::HttpShape;
pub use crate::sources::Response;
use crate::sources::{Source, connect_flow, direct, eventbridge_rule, http, sqs};
use crate::strict_event::{ParsedEvent, read_event};

/// The event shapes this function accepts, as the unrecognised-event error lists them.
pub fn accepted_shapes() -> &'static str {
    static SHAPES: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SHAPES.get_or_init(|| {
        format!(
            "an SQS batch (Records[].eventSource \"aws:sqs\"), an EventBridge event (detail-type, \
             source, detail), an API Gateway REST API proxy request (httpMethod), an HTTP API or \
             function URL request (version \"2.0\", requestContext.http), an Amazon Connect flow \
             event (Details.ContactData and Details.Parameters), or a payload (direct \
             invocation): one member named after the operation ({}), or a bare CreateContact \
             request",
            OperationName::choices()
        )
    })
}

impl Source {
    /// Recognises the source from fields only that source sends (not by trying to deserialise
    /// each shape in turn, whose errors would say nothing).
    pub fn recognise(event: &Value) -> Option<Source> {
        let object = event.as_object()?;
        if sqs::recognise(event) {
            Some(Source::Sqs)
        } else if connect_flow::recognise(event) {
            Some(Source::ConnectFlow)
        } else if eventbridge_rule::recognise(event) {
            Some(Source::EventBridge)
        } else if let Some(shape) = HttpShape::recognise(event) {
            Some(Source::Http(shape))
        } else if object.keys().any(|k| is_payload_member(k)) {
            // A direct payload is an object with at least one CreateContact member, or a near
            // miss of one (`Chanel`), or a member naming an operation (or one that looks like
            // an operation, `StartChatContact`); its members are then checked as such, so a typo
            // is reported with its suggestion rather than as an unrecognised event.
            Some(Source::Direct)
        } else {
            None
        }
    }
}

/// Whether `key` makes an object a direct payload (see [`Source::recognise`]).
fn is_payload_member(key: &str) -> bool {
    MEMBERS.contains(&key)
        || suggest_member(key).is_some()
        || OPERATION_NAMES.contains(&key)
        || ((key.ends_with("Contact") || key.starts_with("Start"))
            && key.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// A failed invocation, reported to Lambda as a function error.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    #[error("unrecognised event: expected {}", accepted_shapes())]
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

/// The Lambda handler: one per execution environment, built at init.
pub struct Handler<C> {
    bridge: Bridge<C>,
    /// The current event, parsed by [`crate::strict_event::StrictEventLayer`] in Lambda.
    parsed: Option<ParsedEvent>,
}

impl<C: Connect> Handler<C> {
    pub fn new(bridge: Bridge<C>) -> Self {
        Handler {
            bridge,
            parsed: None,
        }
    }

    /// Takes each event from `parsed`, where the runtime layer put it (the runtime's own body is
    /// then a placeholder).
    pub fn with_parsed_events(mut self, parsed: ParsedEvent) -> Self {
        self.parsed = Some(parsed);
        self
    }

    pub fn bridge(&self) -> &Bridge<C> {
        &self.bridge
    }

    /// The Lambda entry point: reads the event strictly (a duplicate member is a validation
    /// error), then [`Handler::handle`].
    pub async fn handle_raw(
        &self,
        event: LambdaEvent<Box<RawValue>>,
    ) -> Result<Response, HandlerError> {
        let (raw, context) = event.into_parts();
        let payload = match self.parsed.as_ref().and_then(ParsedEvent::take) {
            Some(parsed) => parsed?,
            None => read_event(raw.get().as_bytes())?,
        };
        drop(raw);
        self.handle(LambdaEvent::new(payload, context)).await
    }

    pub async fn handle(&self, event: LambdaEvent<Value>) -> Result<Response, HandlerError> {
        let (payload, context) = event.into_parts();
        let deadline = Deadline::from_epoch_millis(context.deadline);
        let bridge = &self.bridge;
        bridge.learn_home(&context.invoked_function_arn);
        match Source::recognise(&payload) {
            Some(Source::Sqs) => Ok(Response::Sqs(sqs::handle(bridge, &payload, deadline).await)),
            Some(Source::EventBridge) => {
                Ok(eventbridge_rule::handle(bridge, &payload, deadline).await?)
            }
            Some(Source::Http(shape)) => Ok(Response::Http(
                http::handle(bridge, shape, &payload, deadline).await,
            )),
            Some(Source::ConnectFlow) => Ok(Response::Contact(
                connect_flow::handle(bridge, &payload, deadline).await?,
            )),
            Some(Source::Direct) => Ok(Response::Contact(
                direct::handle(bridge, &payload, &context.request_id, deadline).await?,
            )),
            None => Err(HandlerError::UnrecognisedEvent),
        }
    }
}
