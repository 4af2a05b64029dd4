//! Metrics: every outcome emits a line that parses as CloudWatch Embedded Metric Format.

use contact_bridge_test_support as common;

use common::{Captured, FakeConnect, event, lambda_event, settings, throttle};
use contact_bridge::bridge::Bridge;
use contact_bridge::config::Settings;
use contact_bridge::error::{ConnectError, ConnectErrorKind};
use contact_bridge::handler::Handler;
use contact_bridge::metrics::{Metrics, NAMESPACE};
use serde_json::Value;

fn access_denied() -> Result<(), ConnectError> {
    Err(ConnectError::new(
        contact_bridge::request::OperationName::CreateContact,
        ConnectErrorKind::AccessDenied,
        "AccessDeniedException",
        "not authorized",
    ))
}

/// Checks one line against the EMF specification's structure; answers its metric values by name.
fn assert_emf(line: &str) -> (String, Vec<(String, f64)>) {
    let doc: Value =
        serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    let aws = &doc["_aws"];
    assert!(
        aws["Timestamp"]
            .as_u64()
            .is_some_and(|t| t > 1_600_000_000_000),
        "{line}"
    );
    let directives = aws["CloudWatchMetrics"]
        .as_array()
        .expect("CloudWatchMetrics");
    assert!(!directives.is_empty());
    let mut metrics = Vec::new();
    for directive in directives {
        assert_eq!(directive["Namespace"], NAMESPACE);
        for set in directive["Dimensions"].as_array().unwrap() {
            for dimension in set.as_array().unwrap() {
                let key = dimension.as_str().unwrap();
                assert!(
                    doc[key].is_string(),
                    "dimension {key} has no string value: {line}"
                );
            }
        }
        for metric in directive["Metrics"].as_array().unwrap() {
            let name = metric["Name"].as_str().unwrap();
            assert!(["Count", "Milliseconds"].contains(&metric["Unit"].as_str().unwrap()));
            let value = doc[name]
                .as_f64()
                .unwrap_or_else(|| panic!("{name} has no number: {line}"));
            metrics.push((name.to_owned(), value));
        }
    }
    (doc["Source"].as_str().unwrap().to_owned(), metrics)
}

#[tokio::test]
async fn every_outcome_emits_an_emf_line() {
    let out = Captured::default();
    let connect = FakeConnect::new().script([Ok(()), Ok(()), throttle(), access_denied()]);
    let bridge = Bridge::new(
        Settings {
            max_concurrency: 1,
            ..settings()
        },
        connect,
    )
    .with_metrics(Metrics::to_writer(Box::new(out.clone())));
    let h = Handler::new(bridge);
    h.handle(lambda_event(event("sqs-standard.json"), "r"))
        .await
        .unwrap(); // 2 created, 1 invalid
    h.handle(lambda_event(event("eventbridge.json"), "r"))
        .await
        .unwrap_err(); // throttled
    h.handle(lambda_event(event("direct-task.json"), "r"))
        .await
        .unwrap_err(); // permanent

    let text = out.text();
    let lines: Vec<_> = text.lines().map(assert_emf).collect();
    assert_eq!(lines.len(), 5, "{text}");
    let count = |metric: &str| {
        lines
            .iter()
            .flat_map(|(_, m)| m)
            .filter(|(n, _)| n == metric)
            .count()
    };
    assert_eq!(count("ContactsCreated"), 2);
    assert_eq!(count("ValidationFailures"), 1);
    assert_eq!(count("ConnectErrors"), 2);
    assert_eq!(count("Throttles"), 1);
    assert_eq!(count("PermanentErrors"), 1, "a throttle is not permanent");
    assert_eq!(count("CreateContactLatency"), 4, "one per call made");
    assert_eq!(lines.iter().filter(|(s, _)| s == "sqs").count(), 3);
    let throttled: Value = serde_json::from_str(text.lines().nth(3).unwrap()).unwrap();
    assert_eq!(throttled["Source"], "eventbridge");
    assert_eq!(throttled["ErrorName"], "ThrottlingException");
    let (source, metrics) = &lines[4];
    assert_eq!(source, "direct");
    let names: Vec<&str> = metrics.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["PermanentErrors", "CreateContactLatency", "ConnectErrors"],
        "{text}"
    );
}

#[tokio::test]
async fn input_refused_before_the_bridge_validates_it_is_counted_too() {
    let out = Captured::default();
    let bridge = Bridge::new(settings(), FakeConnect::new())
        .with_metrics(Metrics::to_writer(Box::new(out.clone())));
    let h = Handler::new(bridge);
    let mut flow = event("connect-flow-task.json");
    flow["Details"]["Parameters"]["Attributes"] = serde_json::json!("{not json");
    h.handle(lambda_event(flow, "r")).await.unwrap_err();
    let mut http = event("apigw-rest.json");
    http["body"] = serde_json::json!("{not json");
    h.handle(lambda_event(http, "r")).await.unwrap();

    let text = out.text();
    let lines: Vec<_> = text.lines().map(assert_emf).collect();
    let sources: Vec<&str> = lines.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(sources, ["connect-flow", "http"], "{text}");
    for (_, metrics) in &lines {
        assert_eq!(metrics, &[("ValidationFailures".to_owned(), 1.0)]);
    }
}

#[tokio::test]
async fn metrics_carry_the_operation_when_it_is_known() {
    let out = Captured::default();
    let bridge = Bridge::new(
        settings(),
        FakeConnect::new().script([Ok(()), access_denied()]),
    )
    .with_metrics(Metrics::to_writer(Box::new(out.clone())));
    let h = Handler::new(bridge);
    h.handle(lambda_event(event("direct-routed-task.json"), "r"))
        .await
        .unwrap();
    h.handle(lambda_event(event("direct-callback.json"), "r"))
        .await
        .unwrap_err();
    let mut invalid = event("direct-callback.json");
    invalid["StartOutboundVoiceContact"]["RingTimeoutInSeconds"] = serde_json::json!(5);
    h.handle(lambda_event(invalid, "r")).await.unwrap_err();
    let mut unreadable = event("apigw-rest.json");
    unreadable["body"] = serde_json::json!("{not json");
    h.handle(lambda_event(unreadable, "r")).await.unwrap();

    let text = out.text();
    let docs: Vec<Value> = text
        .lines()
        .map(|line| {
            assert_emf(line);
            serde_json::from_str(line).unwrap()
        })
        .collect();
    let operations: Vec<Option<&str>> = docs.iter().map(|d| d["Operation"].as_str()).collect();
    assert_eq!(
        operations,
        [
            Some("StartTaskContact"),
            Some("StartOutboundVoiceContact"),
            Some("StartOutboundVoiceContact"),
            None,
        ],
        "{text}"
    );
    for doc in &docs[..3] {
        for directive in doc["_aws"]["CloudWatchMetrics"].as_array().unwrap() {
            assert!(
                directive["Dimensions"]
                    .as_array()
                    .unwrap()
                    .contains(&serde_json::json!(["Source", "Operation"])),
                "{doc}"
            );
        }
    }
    let unread = &docs[3]["_aws"]["CloudWatchMetrics"][0]["Dimensions"];
    assert_eq!(unread, &serde_json::json!([["Source"]]));
}

#[tokio::test]
async fn outcome_events_are_counted_published_or_not() {
    use std::sync::Arc;
    let out = Captured::default();
    let outcomes = Arc::new(common::FakeOutcomes::new().script([Some(vec![0])]));
    let bridge = Bridge::new(settings(), FakeConnect::new())
        .with_metrics(Metrics::to_writer(Box::new(out.clone())))
        .with_outcomes(outcomes);
    let h = Handler::new(bridge);
    // Three records, one event refused; then a flow, published after its answer.
    h.handle(lambda_event(event("sqs-fifo.json"), "r"))
        .await
        .unwrap();
    h.handle(lambda_event(event("connect-flow-callback.json"), "r"))
        .await
        .unwrap();
    h.bridge().finish_background().await;
    let text = out.text();
    let counts: Vec<(String, f64, f64)> = text
        .lines()
        .filter(|line| line.contains("OutcomeEventFailures"))
        .map(|line| {
            let (source, _) = assert_emf(line);
            let doc: Value = serde_json::from_str(line).unwrap();
            (
                source,
                doc["OutcomeEventsPublished"].as_f64().unwrap(),
                doc["OutcomeEventFailures"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            ("sqs".to_owned(), 2.0, 1.0),
            ("connect-flow".to_owned(), 1.0, 0.0)
        ],
        "{text}"
    );
}
