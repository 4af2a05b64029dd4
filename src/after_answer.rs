//! A Lambda runtime layer that runs work after each invocation's answer has been sent and before
//! the runtime asks for the next invocation: the window in which Lambda keeps the execution
//! environment running (it freezes it only at the next `/runtime/invocation/next`). Outcome
//! events that a flow's caller must not wait for are published there.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use lambda_runtime::tower::{Layer, Service};
use lambda_runtime::{Error, LambdaInvocation};

/// Wraps the runtime's service so that `after()` runs once each answer is sent.
#[derive(Clone)]
pub struct AfterAnswerLayer<A> {
    after: A,
}

impl<A> AfterAnswerLayer<A> {
    pub fn new(after: A) -> Self {
        AfterAnswerLayer { after }
    }
}

impl<S, A: Clone> Layer<S> for AfterAnswerLayer<A> {
    type Service = AfterAnswer<S, A>;

    fn layer(&self, inner: S) -> Self::Service {
        AfterAnswer {
            inner,
            after: self.after.clone(),
        }
    }
}

/// See [`AfterAnswerLayer`].
pub struct AfterAnswer<S, A> {
    inner: S,
    after: A,
}

impl<S, A, F> Service<LambdaInvocation> for AfterAnswer<S, A>
where
    S: Service<LambdaInvocation, Response = (), Error = Error>,
    S::Future: 'static,
    A: Fn() -> F + Clone + 'static,
    F: Future<Output = ()> + 'static,
{
    type Response = ();
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<(), Error>>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, invocation: LambdaInvocation) -> Self::Future {
        // The inner service answers the Runtime API (the response, or the function error).
        let answered = self.inner.call(invocation);
        let after = self.after.clone();
        Box::pin(async move {
            let result = answered.await;
            after().await;
            result
        })
    }
}
