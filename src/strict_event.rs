//! A Lambda runtime layer that reads each event as the local command line does: its body must be
//! exactly one JSON value, in UTF-8. The runtime itself reads only the first value of the body and
//! ignores whatever follows it (`{...} x` would become a contact). Reading the body once more to
//! find where that value ends would cost a whole parse of every event; instead this layer notes
//! the body's length without its surrounding whitespace ([`BodyLength`]), and the handler, which
//! gets the first value's exact text from the runtime, refuses an event whose text is shorter.
//! A body that is not UTF-8 this layer answers itself, with a `ValidationError` function error.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use lambda_runtime::tower::{Layer, Service};
use lambda_runtime::{Diagnostic, Error, LambdaInvocation};
use lambda_runtime_api_client::{PooledClient, build_request};

use crate::error::ContactError;
use crate::json::JsonError;

/// The header that echoes the invocation ID back to the Runtime API (cross-wiring protection).
const INVOCATION_ID_HEADER: &str = "lambda-runtime-invocation-id";

/// The length of the current invocation's body without surrounding JSON whitespace, noted by
/// the layer for the handler (one invocation at a time: the runtime serves them in turn).
#[derive(Debug, Clone, Default)]
pub struct BodyLength(Arc<AtomicUsize>);

impl BodyLength {
    fn note(&self, body: &[u8]) {
        let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        let start = body.iter().position(|b| !is_space(b)).unwrap_or(body.len());
        let end = body
            .iter()
            .rposition(|b| !is_space(b))
            .map_or(start, |i| i + 1);
        self.0.store(end - start, Ordering::SeqCst);
    }

    /// Why an event whose first JSON value's text is `text` is not the whole body, if it is not.
    pub fn check(&self, text: &str) -> Option<ContactError> {
        let noted = self.0.load(Ordering::SeqCst);
        (noted != 0 && text.len() < noted).then(|| {
            ContactError::Invalid(
                JsonError::Syntax(format!(
                    "trailing characters after the event's JSON value (at byte {})",
                    text.len()
                ))
                .into_validation("the event"),
            )
        })
    }
}

/// Wraps the runtime's service: notes each body's length, and answers an invocation whose body is
/// not UTF-8 here, through the Runtime API's `/error` endpoint.
#[derive(Clone)]
pub struct StrictEventLayer {
    client: Arc<PooledClient>,
    length: BodyLength,
}

impl StrictEventLayer {
    /// Reaches the Runtime API at `AWS_LAMBDA_RUNTIME_API` (Lambda mode only); notes each body's
    /// length in `length`, which the handler checks.
    pub fn new(length: BodyLength) -> Self {
        StrictEventLayer {
            client: Arc::new(PooledClient::builder().build()),
            length,
        }
    }
}

impl<S> Layer<S> for StrictEventLayer {
    type Service = StrictEvent<S>;

    fn layer(&self, inner: S) -> Self::Service {
        StrictEvent {
            inner,
            client: self.client.clone(),
            length: self.length.clone(),
        }
    }
}

/// See [`StrictEventLayer`].
pub struct StrictEvent<S> {
    inner: S,
    client: Arc<PooledClient>,
    length: BodyLength,
}

/// Why `body` cannot be JSON at all, if it cannot: it is not UTF-8 (a fast check, allocating
/// nothing).
pub fn not_utf8(body: &[u8]) -> Option<ContactError> {
    let error = std::str::from_utf8(body).err()?;
    Some(ContactError::Invalid(
        JsonError::Syntax(format!("not UTF-8 (at byte {})", error.valid_up_to()))
            .into_validation("the event"),
    ))
}

impl<S> Service<LambdaInvocation> for StrictEvent<S>
where
    S: Service<LambdaInvocation, Response = (), Error = Error>,
    S::Future: 'static,
{
    type Response = ();
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<(), Error>>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, invocation: LambdaInvocation) -> Self::Future {
        let Some(error) = not_utf8(&invocation.body) else {
            self.length.note(&invocation.body);
            return Box::pin(self.inner.call(invocation));
        };
        tracing::warn!(error = error.kind(), "event refused: its body is not UTF-8");
        let uri = format!(
            "/2018-06-01/runtime/invocation/{}/error",
            invocation.context.request_id
        );
        let diagnostic = Diagnostic::from(error);
        let mut request = build_request()
            .method("POST")
            .uri(uri)
            .header("lambda-runtime-function-error-type", &diagnostic.error_type);
        if let Some(id) = invocation.parts.headers.get(INVOCATION_ID_HEADER) {
            request = request.header(INVOCATION_ID_HEADER, id);
        }
        let client = self.client.clone();
        Box::pin(async move {
            let body = serde_json::to_vec(&diagnostic)?;
            let response = client.call(request.body(body.into())?).await?;
            if !response.status().is_success() {
                tracing::error!(
                    status = response.status().as_u16(),
                    "the Runtime API refused the function error"
                );
            }
            Ok(())
        })
    }
}
