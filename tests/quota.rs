//! Under Connect's API quota (docs/quota.md): bulk records are paced and retried within their
//! invocation, a record the pace cannot start in time goes back untried and without an outcome
//! event, and the records closest to the dead-letter queue go first.

use contact_bridge_test_support as common;

use std::sync::Arc;
use std::time::Duration;

use common::{FakeConnect, FakeOutcomes, INSTANCE, QUEUE_ARN, failed_ids, settings, throttle};
use contact_bridge::config::Settings;
use contact_bridge::pacing::CallsPerSecond;
use serde_json::{Value, json};

fn paced(rate: &str) -> Settings {
    Settings {
        max_calls_per_second: CallsPerSecond::parse(rate),
        ..settings()
    }
}

/// Tasks named `t0`, `t1`, ..., with the receive counts given.
fn batch(receive_counts: &[u32]) -> Value {
    let records: Vec<Value> = receive_counts
        .iter()
        .enumerate()
        .map(|(i, count)| {
            let body = json!({"InstanceId": INSTANCE, "Channel": "TASK", "InitiationMethod": "API", "Name": format!("t{i}")});
            common::sqs_record(QUEUE_ARN, &format!("m-{i}"), &body.to_string(), *count)
        })
        .collect();
    json!({ "Records": records })
}

async fn run(
    h: &contact_bridge::handler::Handler<FakeConnect>,
    event: Value,
    left: Duration,
) -> Value {
    let event = common::lambda_event_due(event, "req", left);
    serde_json::to_value(h.handle(event).await.unwrap()).unwrap()
}

#[tokio::test]
async fn a_throttled_record_takes_another_turn_within_its_invocation() {
    let connect = FakeConnect::new().script([throttle(), Ok(())]);
    let h = common::handler(paced("20"), connect);
    let response = run(&h, batch(&[1, 1]), Duration::from_secs(5)).await;
    assert_eq!(failed_ids(&response), Vec::<String>::new(), "{response}");
    assert_eq!(
        h.bridge().connect.calls(),
        3,
        "one throttled call, tried again"
    );
}

#[tokio::test]
async fn without_a_pace_a_throttled_record_goes_back_to_its_queue() {
    let connect = FakeConnect::new().script([throttle()]);
    let h = common::handler(settings(), connect);
    let response = run(&h, batch(&[1]), Duration::from_secs(5)).await;
    assert_eq!(failed_ids(&response), ["m-0"]);
    assert_eq!(h.bridge().connect.calls(), 1);
}

/// At 1 call per second with 3 s left, of which 1 s is kept to publish, 0.5 s to answer and
/// 0.25 s for the last call: turns at 0 and 1 s, not after. The rest are listed at once, with no
/// outcome event (they have no outcome); the records received most often go first.
#[tokio::test]
async fn records_the_pace_cannot_start_go_back_untried_most_received_first() {
    let outcomes = Arc::new(FakeOutcomes::new());
    let h = common::handler_with_outcomes(paced("1"), FakeConnect::new(), outcomes.clone());
    let started = std::time::Instant::now();
    let response = run(&h, batch(&[1, 1, 4, 1, 7, 1]), Duration::from_secs(3)).await;
    let elapsed = started.elapsed();
    let created = h.bridge().connect.created_names();
    assert_eq!(
        created,
        ["t4", "t2"],
        "the records received most often first"
    );
    let mut listed = failed_ids(&response);
    listed.sort();
    assert_eq!(listed, ["m-0", "m-1", "m-3", "m-5"]);
    let published: Vec<String> = outcomes
        .published()
        .iter()
        .map(|e| e.source_id.clone())
        .collect();
    assert_eq!(
        published.len(),
        2,
        "no event for a record never tried: {published:?}"
    );
    assert!(
        elapsed < Duration::from_millis(2100),
        "no wait for turns that cannot come: {elapsed:?}"
    );
}

/// Connect's throttling cuts the pace, so the next records are spaced wider.
#[tokio::test]
async fn throttling_slows_the_pace_of_the_next_records() {
    let connect = FakeConnect::new().script([throttle()]);
    let h = common::handler(
        Settings {
            max_concurrency: 1,
            ..paced("10")
        },
        connect,
    );
    run(&h, batch(&[1, 1, 1, 1]), Duration::from_secs(5)).await;
    let rate = h.bridge().pace_rate().unwrap();
    assert!(rate < 10.0, "cut from 10 to {rate}");
    assert_eq!(h.bridge().connect.calls(), 5);
}
