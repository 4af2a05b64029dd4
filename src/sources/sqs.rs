//! SQS: each record's body is a payload. The answer lists exactly the records to deliver again
//! (`batchItemFailures`): those that did not become contacts, and those whose outcome event was
//! not published; with `OUTCOME_EVENT_BUS`, not a permanent failure whose event was published.
//!
//! Records are read tolerantly, one by one: only the members used here (`messageId`, `body`,
//! `eventSourceARN`, `attributes.MessageGroupId`, `messageAttributes.CorrelationId`) are looked
//! at, so a member we never use (a message attribute whose `binaryValue` is not base64, say)
//! cannot fail the batch, and a record that cannot be read fails alone.

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse};
use futures_util::stream::{self, StreamExt};
use serde_json::Value;

use crate::bridge::{Bridge, Deadline, Handled, Origin, PUBLISH_RESERVE, Payload, SourceDefaults};
use crate::connect::Connect;
use crate::error::ContactError;
use crate::idempotency::derive_client_token;
use crate::json::parse_strict;
use crate::outcome::{Delivery, OutcomeEvent, Producer};
use crate::request::{CORRELATION_ID, ValidationErrors, correlation_id};
use crate::source::{Source, epoch_seconds_of_millis};
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
    /// The `CorrelationId` message attribute, when it is a valid one (else it is not used).
    correlation_id: Option<&'a str>,
    /// The queue's ARN (`eventSourceARN`): the producer, as far as SQS tells.
    queue_arn: Option<&'a str>,
    /// `attributes.SentTimestamp`, in seconds: the same on every redelivery.
    sent_at: Option<i64>,
    /// `attributes.ApproximateReceiveCount`: how close the record is to the dead-letter queue.
    receive_count: u32,
}

impl<'a> SqsRecord<'a> {
    fn read(record: &'a Value) -> Self {
        SqsRecord {
            message_id: record["messageId"].as_str().unwrap_or_default(),
            body: &record["body"],
            group_id: record["attributes"]["MessageGroupId"].as_str(),
            correlation_id: correlation_id(
                &record["messageAttributes"][CORRELATION_ID]["stringValue"],
            )
            .ok(),
            queue_arn: record["eventSourceARN"].as_str(),
            sent_at: epoch_seconds_of_millis(&record["attributes"]["SentTimestamp"]),
            receive_count: record["attributes"]["ApproximateReceiveCount"]
                .as_str()
                .and_then(|n| n.parse().ok())
                .unwrap_or(1),
        }
    }
}

/// Processes a batch. Records of a standard queue run concurrently, at most `MAX_CONCURRENCY`
/// calls at once, each at its turn in the environment's pace (`crate::pacing`). A FIFO queue's
/// records run in order within each message group: at a group's first failure, that record and the group's later records are reported failed without being
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
    // The records' calls stop in time to publish their events: a slow record fails alone, and
    // never holds back the events of those that finished (which would be listed again).
    let calls_deadline = if bridge.publishes_outcomes() {
        deadline.reserving(PUBLISH_RESERVE)
    } else {
        deadline
    };
    // Each record's index, and how it was handled (`None`: not tried, behind a failure in its
    // FIFO message group).
    let mut outcomes: Vec<(usize, Option<Handled>)> = if fifo {
        stream::iter(message_groups(&records))
            .map(|group| process_group(bridge, &records, group, calls_deadline))
            .buffer_unordered(bridge.settings.max_concurrency)
            .flat_map(stream::iter)
            .collect()
            .await
    } else {
        // The records received most often first: under the pace, those that get no turn before
        // the deadline go back to the queue, and they should be the ones furthest from its
        // dead-letter queue (FIFO groups keep their order instead).
        let mut order: Vec<usize> = (0..records.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(records[i].receive_count));
        let records = &records;
        stream::iter(order)
            .map(|i| async move { (i, Some(process(bridge, &records[i], calls_deadline).await)) })
            .buffer_unordered(bridge.settings.max_concurrency)
            .collect()
            .await
    };
    // In the batch's order, whatever order the calls finished in. A record the pace gave no
    // turn was not tried: it goes back to the queue with no outcome event (it has no outcome).
    outcomes.sort_unstable_by_key(|(i, _)| *i);
    for (_, handled) in &mut outcomes {
        if handled.as_ref().is_some_and(Handled::was_deferred) {
            *handled = None;
        }
    }
    // Every handled record's outcome event at once: PutEvents takes 10 entries a call, so a
    // batch of 10 is one call.
    let events: Vec<OutcomeEvent> = outcomes
        .iter()
        .filter_map(|(_, handled)| handled.as_ref().map(|h| h.event.clone()))
        .collect();
    let mut deliveries = bridge.publish(&events, deadline).await.into_iter();
    let failed: Vec<usize> = outcomes
        .iter()
        .filter_map(|(i, handled)| {
            let retry = match handled {
                None => true,
                Some(h) => h.needs_retry(deliveries.next().unwrap_or(Delivery::Failed)),
            };
            retry.then_some(*i)
        })
        .collect();
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

/// One FIFO message group, in order, up to its first failure: each record's index and how it was
/// handled, `None` for the records after a failure (not tried, so reported for redelivery).
async fn process_group<C: Connect>(
    bridge: &Bridge<C>,
    records: &[SqsRecord<'_>],
    group: Vec<usize>,
    deadline: Deadline,
) -> Vec<(usize, Option<Handled>)> {
    let mut outcomes = Vec::with_capacity(group.len());
    let mut failed = false;
    for i in group {
        if failed {
            outcomes.push((i, None));
            continue;
        }
        let handled = process(bridge, &records[i], deadline).await;
        failed = handled.result.is_err();
        outcomes.push((i, Some(handled)));
    }
    outcomes
}

/// The ClientToken of a record that carries none: derived from what a dead-letter redrive keeps.
/// SQS gives a redriven message a new messageId ("All redriven messages are considered new
/// messages with a new messageID and enqueueTime", SQS Developer Guide, dead-letter queue
/// redrive), but keeps its body and message attributes. So the token comes from the body's exact
/// text and the `CorrelationId` message attribute: a redelivery and a redrive ask Connect for the
/// same contact, and two messages that differ in either ask for two.
fn default_token(record: &SqsRecord) -> Option<String> {
    let body = record.body.as_str().filter(|b| !b.is_empty())?;
    let correlation = record.correlation_id.unwrap_or_default();
    Some(derive_client_token(
        Source::Sqs.name(),
        &[body, correlation],
    ))
}

/// One record: its body to a contact, the token derived from it (see [`default_token`]).
async fn process<C: Connect>(
    bridge: &Bridge<C>,
    record: &SqsRecord<'_>,
    deadline: Deadline,
) -> Handled {
    let source = Source::Sqs;
    let id = record.message_id;
    let origin = Origin {
        source,
        id,
        defaults: SourceDefaults {
            instance_id: None,
            client_token: default_token(record),
            event_time: record.sent_at,
        },
        correlation_id: record.correlation_id.map(str::to_owned),
        producer: record.queue_arn.map(|arn| Producer::new("SqsQueue", arn)),
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
