//! The only module that touches the EventBridge SDK: outcome events to PutEvents calls.

use aws_sdk_eventbridge::error::ProvideErrorMetadata;
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use tracing::warn;

use crate::outcome::{BoxFuture, EVENT_SOURCE, OutcomeEvent, OutcomeSink};

/// The most entries one PutEvents call takes.
pub const MAX_ENTRIES_PER_CALL: usize = 10;

/// Outcome events to an EventBridge bus. Retries (throttling, 5xx) are the SDK's, configured by
/// `AWS_MAX_ATTEMPTS` and `AWS_RETRY_MODE`; `AWS_ENDPOINT_URL_EVENTBRIDGE` reaches a local one.
#[derive(Debug, Clone)]
pub struct EventBridgeOutcomes {
    client: aws_sdk_eventbridge::Client,
    /// `OUTCOME_EVENT_BUS`: a bus name or ARN.
    bus: String,
}

impl EventBridgeOutcomes {
    pub fn new(client: aws_sdk_eventbridge::Client, bus: impl Into<String>) -> Self {
        EventBridgeOutcomes {
            client,
            bus: bus.into(),
        }
    }

    /// A client from the same AWS configuration as the Connect client's.
    pub fn from_config(config: &aws_config::SdkConfig, bus: impl Into<String>) -> Self {
        Self::new(aws_sdk_eventbridge::Client::new(config), bus)
    }

    /// One PutEvents call for at most [`MAX_ENTRIES_PER_CALL`] events; whether each was accepted.
    async fn put(&self, events: &[OutcomeEvent]) -> Vec<bool> {
        let entries: Vec<PutEventsRequestEntry> = events
            .iter()
            .map(|e| {
                PutEventsRequestEntry::builder()
                    .source(EVENT_SOURCE)
                    .detail_type(e.detail_type())
                    .detail(e.detail())
                    .event_bus_name(&self.bus)
                    .build()
            })
            .collect();
        let call = self.client.put_events().set_entries(Some(entries)).send();
        // Boxed, as the Connect calls are: the SDK's orchestrator future is deep.
        match Box::pin(call).await {
            // Entry by entry: a partly failed call answers the accepted ones' event IDs and the
            // others' error codes, in the request's order.
            Ok(output) => (0..events.len())
                .map(|i| {
                    let entry = output.entries().get(i);
                    let accepted = entry.is_some_and(|e| e.error_code().is_none());
                    if !accepted {
                        warn!(
                            source_id = %events[i].source_id,
                            error = entry.and_then(|e| e.error_code()).unwrap_or("NoEntry"),
                            "outcome event refused by EventBridge"
                        );
                    }
                    accepted
                })
                .collect(),
            Err(error) => {
                // By code, status and request ID, never EventBridge's message.
                let response = error.raw_response();
                warn!(
                    error = error.code().unwrap_or("CallFailed"),
                    status = response.map(|r| r.status().as_u16()),
                    aws_request_id = response.and_then(|r| r.headers().get("x-amzn-requestid")),
                    entries = events.len(),
                    "PutEvents failed"
                );
                vec![false; events.len()]
            }
        }
    }
}

impl OutcomeSink for EventBridgeOutcomes {
    fn publish<'a>(&'a self, events: &'a [OutcomeEvent]) -> BoxFuture<'a, Vec<bool>> {
        Box::pin(async move {
            let mut accepted = Vec::with_capacity(events.len());
            for chunk in events.chunks(MAX_ENTRIES_PER_CALL) {
                accepted.extend(self.put(chunk).await);
            }
            accepted
        })
    }
}
