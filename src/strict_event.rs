//! A Lambda runtime layer that reads each event as the local command line does, once: strictly
//! (exactly one JSON value, in UTF-8; a member named twice is an error at its path; at most
//! [`crate::json::MAX_VALUES`] values). The runtime alone would read only the first value of a
//! body and ignore whatever follows it (`{...} x` would become a contact), and would copy the
//! body once more for the handler.
//!
//! The layer parses the body itself, puts the outcome in a [`ParsedEvent`] slot the handler
//! shares, and hands the runtime the body `null` in its place: the runtime's own reading is then
//! trivial, every event is parsed once, and a large body is held once. The runtime serves one
//! invocation at a time (the `concurrency-tokio` feature is off), so one slot serves them all.

use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use lambda_runtime::tower::{Layer, Service};
use lambda_runtime::{Error, LambdaInvocation};
use serde_json::Value;

use crate::error::ContactError;
use crate::json::parse_strict;

/// What the layer read of the current invocation's body: the event, or why it is not one.
#[derive(Debug, Clone, Default)]
pub struct ParsedEvent(Arc<Mutex<Option<Result<Value, ContactError>>>>);

impl ParsedEvent {
    fn put(&self, body: &[u8]) {
        let parsed = read_event(body);
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(parsed);
        }
    }

    /// The current invocation's event, taken from the slot (`None`: no layer put one there).
    pub fn take(&self) -> Option<Result<Value, ContactError>> {
        self.0.lock().ok()?.take()
    }
}

/// An event's body read strictly, or why it is not an event (a `ValidationError`).
pub fn read_event(body: &[u8]) -> Result<Value, ContactError> {
    parse_strict(body).map_err(|e| ContactError::Invalid(e.into_validation("the event")))
}

/// Wraps the runtime's service: parses each body into `parsed`, and passes the runtime `null`.
#[derive(Clone)]
pub struct StrictEventLayer {
    parsed: ParsedEvent,
}

impl StrictEventLayer {
    pub fn new(parsed: ParsedEvent) -> Self {
        StrictEventLayer { parsed }
    }
}

impl<S> Layer<S> for StrictEventLayer {
    type Service = StrictEvent<S>;

    fn layer(&self, inner: S) -> Self::Service {
        StrictEvent {
            inner,
            parsed: self.parsed.clone(),
        }
    }
}

/// See [`StrictEventLayer`].
pub struct StrictEvent<S> {
    inner: S,
    parsed: ParsedEvent,
}

/// The body the runtime reads in the event's place.
const PLACEHOLDER: &[u8] = b"null";

impl<S> Service<LambdaInvocation> for StrictEvent<S>
where
    S: Service<LambdaInvocation, Response = (), Error = Error>,
{
    type Response = ();
    type Error = Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut invocation: LambdaInvocation) -> Self::Future {
        self.parsed.put(&invocation.body);
        // The body's bytes go now: the event is held once, as the parsed value.
        invocation.body = PLACEHOLDER.into();
        self.inner.call(invocation)
    }
}
