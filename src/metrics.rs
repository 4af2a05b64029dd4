//! CloudWatch metrics in Embedded Metric Format (EMF): one JSON line on stdout per request
//! outcome, which CloudWatch Logs turns into metrics. No agent, no API call, no extra latency.
//!
//! Metrics (namespace `ContactBridge`, dimension `Source`, and `Source` with `Operation` when the
//! request's operation is known): `ContactsCreated`, `ValidationFailures`, `ConnectErrors` (also
//! by `ErrorName`), `Throttles` (still throttled when the request gave up), `Deferred` (bulk
//! records the pace gave no turn before the deadline, returned to their queue untried),
//! `PermanentErrors` (the Connect errors a retry cannot mend: the
//! template's alarm watches them), and `CreateContactLatency` in milliseconds (the Connect call of
//! any operation; the name predates the other operations, and the alarms and dashboard use it);
//! with `OUTCOME_EVENT_BUS`, `OutcomeEventsPublished` and `OutcomeEventFailures` by `Source`.

use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::error::{ConnectErrorKind, ContactError};
use crate::operation::OperationName;

pub const NAMESPACE: &str = "ContactBridge";

/// Where EMF lines go; `disabled()` for local runs.
pub struct Metrics {
    sink: Option<Mutex<Box<dyn Write + Send>>>,
}

impl Metrics {
    pub fn disabled() -> Self {
        Metrics { sink: None }
    }

    pub fn to_writer(sink: Box<dyn Write + Send>) -> Self {
        Metrics {
            sink: Some(Mutex::new(sink)),
        }
    }

    /// Lambda reads EMF from the function's standard output.
    pub fn to_stdout() -> Self {
        Self::to_writer(Box::new(std::io::stdout()))
    }

    /// Records one request's outcome; `operation` is the request's, when it is known, and
    /// `latency` the Connect call's, when one was made.
    pub fn record(
        &self,
        source: &str,
        operation: Option<OperationName>,
        outcome: &Result<(), &ContactError>,
        latency: Option<Duration>,
    ) {
        if self.sink.is_some() {
            self.write(emf_line(
                source,
                operation,
                outcome,
                latency,
                SystemTime::now(),
            ));
        }
    }

    /// Records how a source's outcome events fared: `published` put on the bus, `failed` not.
    pub fn record_outcome_events(&self, source: &str, published: usize, failed: usize) {
        if self.sink.is_none() {
            return;
        }
        self.write(json!({
            "Source": source,
            "OutcomeEventsPublished": published,
            "OutcomeEventFailures": failed,
            "_aws": { "Timestamp": epoch_millis(SystemTime::now()), "CloudWatchMetrics": [{
                "Namespace": NAMESPACE,
                "Dimensions": [["Source"]],
                "Metrics": [
                    {"Name": "OutcomeEventsPublished", "Unit": "Count"},
                    {"Name": "OutcomeEventFailures", "Unit": "Count"},
                ],
            }]},
        }));
    }

    fn write(&self, line: Value) {
        if let Some(Ok(mut sink)) = self.sink.as_ref().map(Mutex::lock) {
            // Metrics are best effort: a failed write must not fail the request.
            let _ = writeln!(sink, "{line}");
        }
    }
}

/// EMF's timestamp: milliseconds since the epoch.
fn epoch_millis(now: SystemTime) -> u64 {
    now.duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as u64
}

/// The EMF document for one outcome.
pub fn emf_line(
    source: &str,
    operation: Option<OperationName>,
    outcome: &Result<(), &ContactError>,
    latency: Option<Duration>,
    now: SystemTime,
) -> Value {
    let timestamp = epoch_millis(now);
    // (name, unit, value) of the metrics by Source alone, and of those also by ErrorName.
    let mut by_source: Vec<(&str, &str, Value)> = Vec::new();
    let mut by_error: Vec<(&str, &str, Value)> = Vec::new();
    let mut document = json!({ "Source": source });
    if let Some(operation) = operation {
        document["Operation"] = json!(operation);
    }
    match outcome {
        Ok(()) => by_source.push(("ContactsCreated", "Count", json!(1))),
        Err(ContactError::Invalid(_) | ContactError::InstanceNotAllowed { .. }) => {
            by_source.push(("ValidationFailures", "Count", json!(1)))
        }
        Err(ContactError::Connect(error)) => {
            document["ErrorName"] = json!(error.code);
            by_error.push(("ConnectErrors", "Count", json!(1)));
            match error.kind {
                ConnectErrorKind::Throttling => by_source.push(("Throttles", "Count", json!(1))),
                ConnectErrorKind::Deferred => by_source.push(("Deferred", "Count", json!(1))),
                _ => {}
            }
            if !error.is_retryable() {
                by_source.push(("PermanentErrors", "Count", json!(1)));
            }
        }
        Err(error @ ContactError::Refused(_)) => {
            document["ErrorName"] = json!(error.kind());
            by_error.push(("PolicyRefusals", "Count", json!(1)));
        }
        // Counted where outcome events are published (`OutcomeEventFailures`), not per request.
        Err(ContactError::OutcomeNotPublished { .. }) => {}
    }
    if let Some(latency) = latency {
        let millis = latency.as_secs_f64() * 1000.0;
        by_source.push(("CreateContactLatency", "Milliseconds", json!(millis)));
    }
    let mut directives = Vec::new();
    for (metrics, mut dimensions) in [
        (by_source, vec![json!(["Source"])]),
        (
            by_error,
            vec![json!(["Source"]), json!(["Source", "ErrorName"])],
        ),
    ] {
        if metrics.is_empty() {
            continue;
        }
        if operation.is_some() {
            dimensions.push(json!(["Source", "Operation"]));
        }
        let mut definitions = Vec::new();
        for (name, unit, value) in metrics {
            document[name] = value;
            definitions.push(json!({"Name": name, "Unit": unit}));
        }
        directives.push(
            json!({"Namespace": NAMESPACE, "Dimensions": dimensions, "Metrics": definitions}),
        );
    }
    document["_aws"] = json!({ "Timestamp": timestamp, "CloudWatchMetrics": directives });
    document
}
