//! Which source sent an event, as the rest of the function names it: in logs, metrics, derived
//! ClientTokens and the deployer's policy. Its own module, below the sources and the bridge, so
//! that both name it without depending on each other.

/// The three HTTP event shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpShape {
    /// API Gateway REST API, proxy integration (`httpMethod`).
    RestApi,
    /// API Gateway HTTP API, payload format 2.0 (`version: "2.0"`, `requestContext.http`).
    HttpApi,
    /// A Lambda function URL (payload 2.0 on a `*.lambda-url.*` domain).
    FunctionUrl,
}

/// Which source sent an event (recognised by [`crate::handler`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Sqs,
    EventBridge,
    Http(HttpShape),
    ConnectFlow,
    Direct,
}

impl Source {
    /// The source's name in logs, metrics and derived ClientTokens (`sqs`, `http`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Source::Sqs => "sqs",
            Source::EventBridge => "eventbridge",
            Source::Http(_) => "http",
            Source::ConnectFlow => "connect-flow",
            Source::Direct => "direct",
        }
    }

    /// Whether nobody waits on the answer (SQS, EventBridge): its calls are paced under the
    /// quota (`crate::pacing`), and a throttled one goes back to its source rather than wait. A
    /// flow, HTTP and a direct invocation have a caller waiting.
    pub fn is_bulk(self) -> bool {
        matches!(self, Source::Sqs | Source::EventBridge)
    }

    /// Whether a client waits for the answer itself (HTTP, a direct invocation): the only sources
    /// that may ask for an operation that answers credentials. A flow's answer goes to the flow,
    /// and nobody receives SQS's or EventBridge's.
    pub fn has_waiting_client(self) -> bool {
        matches!(self, Source::Http(_) | Source::Direct)
    }

    /// The source's name in the deployer's policy (`POLICY`): `sqs`, `eventbridge`, `http`,
    /// `connect_flow`, `direct`.
    pub fn policy_name(self) -> &'static str {
        match self {
            Source::ConnectFlow => "connect_flow",
            other => other.name(),
        }
    }
}

/// Milliseconds since the epoch (a number, or digits as text) as seconds.
pub(crate) fn epoch_seconds_of_millis(value: &serde_json::Value) -> Option<i64> {
    let millis = match value {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(text) => text.parse::<i64>().ok(),
        _ => None,
    }?;
    Some(millis.div_euclid(1000))
}
