//! SQS: each record's body is a canonical request. The answer lists exactly the records that did
//! not become contacts (`batchItemFailures`), so SQS redelivers only those.

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use futures_util::stream::{self, StreamExt};
use serde_json::Value;
use tracing::Instrument;

use crate::bridge::{Bridge, Deadline, SourceDefaults, derive_client_token};
use crate::connect::{CreateContact, CreatedContact};
use crate::error::ContactError;
use crate::json::parse_strict;

pub const SOURCE: &str = "sqs";

/// Whether an event is an SQS batch: `Records` whose every `eventSource` is `aws:sqs`.
pub fn recognise(event: &Value) -> bool {
    event["Records"].as_array().is_some_and(|records| {
        !records.is_empty() && records.iter().all(|r| r["eventSource"] == "aws:sqs")
    })
}

/// Processes a batch. Records of a standard queue run concurrently, at most `MAX_CONCURRENCY`
/// calls at once; a FIFO queue's run in order, and at the first failure that record and every
/// later one are reported failed without being attempted, so the queue's order holds.
pub async fn handle<C: CreateContact>(
    bridge: &Bridge<C>,
    event: SqsEvent,
    deadline: Deadline,
) -> SqsBatchResponse {
    let fifo = event
        .records
        .first()
        .and_then(|r| r.event_source_arn.as_deref())
        .is_some_and(|arn| arn.ends_with(".fifo"));
    let mut failed = Vec::new();
    if fifo {
        let mut records = event.records.iter();
        for record in records.by_ref() {
            if process(bridge, record, deadline).await.is_err() {
                failed.push(message_id(record));
                break;
            }
        }
        failed.extend(records.map(message_id));
    } else {
        let mut failed_indices = stream::iter(event.records.iter().enumerate())
            .map(|(i, record)| async move { (i, process(bridge, record, deadline).await.is_err()) })
            .buffer_unordered(bridge.settings.max_concurrency)
            .filter_map(|(i, failed)| async move { failed.then_some(i) })
            .collect::<Vec<_>>()
            .await;
        // Report in the batch's order, whatever order the calls finished in.
        failed_indices.sort_unstable();
        failed = failed_indices
            .into_iter()
            .map(|i| message_id(&event.records[i]))
            .collect();
    }
    let mut response = SqsBatchResponse::default();
    response.batch_item_failures = failed
        .into_iter()
        .map(|id| {
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = id;
            failure
        })
        .collect();
    response
}

fn message_id(record: &SqsMessage) -> String {
    record.message_id.clone().unwrap_or_default()
}

/// One record: its body to a contact, the token derived from its `messageId`.
async fn process<C: CreateContact>(
    bridge: &Bridge<C>,
    record: &SqsMessage,
    deadline: Deadline,
) -> Result<CreatedContact, ContactError> {
    let id = record.message_id.as_deref().unwrap_or_default();
    let span = tracing::info_span!("record", source = SOURCE, source_id = id);
    async {
        let body = parse_body(record.body.as_deref()).map_err(|e| bridge.reject(SOURCE, e))?;
        let defaults = SourceDefaults {
            source: SOURCE,
            instance_id: None,
            client_token: Some(derive_client_token(SOURCE, &[id])),
        };
        bridge.submit(&body, defaults, deadline).await
    }
    .instrument(span)
    .await
}

fn parse_body(body: Option<&str>) -> Result<Value, ContactError> {
    parse_strict(body.unwrap_or_default().as_bytes())
        .map_err(|e| ContactError::Invalid(e.into_validation("the message body")))
}
