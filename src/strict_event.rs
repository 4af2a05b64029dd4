//! A Lambda runtime layer that reads each event as the local command line does: its body must be
//! exactly one JSON value. The runtime itself reads only the first value of the body and ignores
//! whatever follows it (`{...} x` would become a contact); this layer answers such an invocation
//! with a `ValidationError` function error, and the handler never sees it.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use lambda_runtime::tower::{Layer, Service};
use lambda_runtime::{Diagnostic, Error, LambdaInvocation};
use lambda_runtime_api_client::{PooledClient, build_request};
use serde::de::IgnoredAny;

use crate::error::ContactError;
use crate::json::JsonError;

/// The header that echoes the invocation ID back to the Runtime API (cross-wiring protection).
const INVOCATION_ID_HEADER: &str = "lambda-runtime-invocation-id";

/// Wraps the runtime's service: an invocation whose body is not exactly one JSON value is answered
/// here, through the Runtime API's `/error` endpoint.
#[derive(Clone)]
pub struct StrictEventLayer {
    client: Arc<PooledClient>,
}

impl StrictEventLayer {
    /// Reaches the Runtime API at `AWS_LAMBDA_RUNTIME_API` (Lambda mode only).
    pub fn new() -> Self {
        StrictEventLayer {
            client: Arc::new(PooledClient::builder().build()),
        }
    }
}

impl Default for StrictEventLayer {
    fn default() -> Self {
        Self::new()
    }
}

impl<S> Layer<S> for StrictEventLayer {
    type Service = StrictEvent<S>;

    fn layer(&self, inner: S) -> Self::Service {
        StrictEvent {
            inner,
            client: self.client.clone(),
        }
    }
}

/// See [`StrictEventLayer`].
pub struct StrictEvent<S> {
    inner: S,
    client: Arc<PooledClient>,
}

/// Why `body` is not exactly one JSON value, if it is not: the same words as the command line's
/// (`trailing characters at line 1 column 23`). One pass over the body, allocating nothing.
pub fn not_one_json_value(body: &[u8]) -> Option<ContactError> {
    let error = serde_json::from_slice::<IgnoredAny>(body).err()?;
    Some(ContactError::Invalid(
        JsonError::Syntax(error.to_string()).into_validation("the event"),
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
        let Some(error) = not_one_json_value(&invocation.body) else {
            return Box::pin(self.inner.call(invocation));
        };
        tracing::warn!(
            error = error.kind(),
            "event refused: its body is not exactly one JSON value"
        );
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
