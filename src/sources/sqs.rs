//! SQS: each record's body is a canonical request. The answer lists exactly the records that did
//! not become contacts (`batchItemFailures`), so SQS redelivers only those.
//!
//! Records are read tolerantly, one by one: only the members used here (`messageId`, `body`,
//! `eventSourceARN`, `attributes.MessageGroupId`) are looked at, so a member we never use (a
//! message attribute whose `binaryValue` is not base64, say) cannot fail the batch, and a record
//! that cannot be read fails alone.

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse};
use futures_util::stream::{self, StreamExt};
use serde_json::Value;

use crate::bridge::{Bridge, Deadline, Origin, Payload, SourceDefaults};
use crate::connect::{Connect, CreatedContact};
use crate::error::ContactError;
use crate::idempotency::derive_client_token;
use crate::json::parse_strict;
use crate::request::ValidationErrors;
use crate::sources::Source;
use crate::violation::ViolationKind;

/// Whether an event is an SQS batch: `Records` whose every `eventSource` is `aws:sqs`.
pub fn recognise(event: &Value) -> bool {
    records(event).is_some_and(|records| {
        !records.is_empty() && records.iter().all(|r| r["eventSource"] == "aws:sqs")
    })
}

fn records(event: &Value) -> Option<&Vec<Value>> {
    event["Records"].as_array()
}

/// What this function uses of one SQS record.
struct SqsRecord<'a> {
    /// Empty when the record has none: reported so, Lambda retries the whole batch, and nothing
    /// is lost.
    message_id: &'a str,
    body: &'a Value,
    /// `None` for a standard queue's records; a FIFO queue's without one share one group.
    group_id: Option<&'a str>,
}

impl<'a> SqsRecord<'a> {
    fn read(record: &'a Value) -> Self {
        SqsRecord {
            message_id: record["messageId"].as_str().unwrap_or_default(),
            body: &record["body"],
            group_id: record["attributes"]["MessageGroupId"].as_str(),
        }
    }
}

/// Processes a batch. Records of a standard queue run concurrently, at most `MAX_CONCURRENCY`
/// calls at once. A FIFO queue's records run in order within each message group: at a group's
/// first failure, that record and the group's later records are reported failed without being
/// attempted, so the group's order holds; other groups go on (concurrently, each in order).
pub async fn handle<C: Connect>(
    bridge: &Bridge<C>,
    event: &Value,
    deadline: Deadline,
) -> SqsBatchResponse {
    let records: Vec<SqsRecord> = records(event)
        .map(|records| records.iter().map(SqsRecord::read).collect())
        .unwrap_or_default();
    let fifo = event["Records"][0]["eventSourceARN"]
        .as_str()
        .is_some_and(|arn| arn.ends_with(".fifo"));
    let mut failed: Vec<usize> = if fifo {
        stream::iter(message_groups(&records))
            .map(|group| process_group(bridge, &records, group, deadline))
            .buffer_unordered(bridge.settings.max_concurrency)
            .flat_map(stream::iter)
            .collect()
            .await
    } else {
        stream::iter(records.iter().enumerate())
            .map(|(i, record)| async move { (i, process(bridge, record, deadline).await.is_err()) })
            .buffer_unordered(bridge.settings.max_concurrency)
            .filter_map(|(i, failed)| async move { failed.then_some(i) })
            .collect()
            .await
    };
    // Report in the batch's order, whatever order the calls finished in.
    failed.sort_unstable();
    let mut response = SqsBatchResponse::default();
    response.batch_item_failures = failed
        .into_iter()
        .map(|i| {
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = records[i].message_id.to_owned();
            failure
        })
        .collect();
    response
}

/// The records' indices by message group, each group in the batch's order, groups in the order
/// of their first record.
fn message_groups(records: &[SqsRecord]) -> Vec<Vec<usize>> {
    let mut groups: Vec<(Option<&str>, Vec<usize>)> = Vec::new();
    for (i, record) in records.iter().enumerate() {
        match groups.iter_mut().find(|(id, _)| *id == record.group_id) {
            Some((_, members)) => members.push(i),
            None => groups.push((record.group_id, vec![i])),
        }
    }
    groups.into_iter().map(|(_, members)| members).collect()
}

/// One FIFO message group, in order; the indices of the records that failed or were not tried.
async fn process_group<C: Connect>(
    bridge: &Bridge<C>,
    records: &[SqsRecord<'_>],
    group: Vec<usize>,
    deadline: Deadline,
) -> Vec<usize> {
    for (position, &i) in group.iter().enumerate() {
        if process(bridge, &records[i], deadline).await.is_err() {
            return group[position..].to_vec();
        }
    }
    Vec::new()
}

/// One record: its body to a contact, the token derived from its `messageId`.
async fn process<C: Connect>(
    bridge: &Bridge<C>,
    record: &SqsRecord<'_>,
    deadline: Deadline,
) -> Result<CreatedContact, ContactError> {
    let source = Source::Sqs;
    let id = record.message_id;
    let origin = Origin {
        source,
        id,
        defaults: SourceDefaults {
            instance_id: None,
            // Without a messageId there is nothing stable to derive from; the record is reported
            // with an empty identifier, so Lambda retries the whole batch.
            client_token: (!id.is_empty()).then(|| derive_client_token(source.name(), &[id])),
        },
    };
    let body = parse_body(record.body);
    bridge
        .handle(
            origin,
            body.as_ref().map(Payload::Any).map_err(Clone::clone),
            deadline,
        )
        .await
}

fn parse_body(body: &Value) -> Result<Value, ContactError> {
    let text = match body {
        Value::String(text) => text.as_str(),
        Value::Null => "",
        _ => {
            return Err(ContactError::Invalid(ValidationErrors::one(
                "",
                ViolationKind::Unreadable(
                    "the record's body is not a string; expected a request as JSON text".to_owned(),
                ),
            )));
        }
    };
    parse_strict(text.as_bytes())
        .map_err(|e| ContactError::Invalid(e.into_validation("the message body")))
}
