//! The sample events in `events/` and what each is answered, wherever the tests run them (the
//! local CLI, the cargo-lambda emulator).

use std::path::{Path, PathBuf};

use serde_json::Value;

/// Every file in `events/`, sorted. Each runs as it is, on any date: the scheduled task names
/// its time as a duration from now (`PT1H`).
pub fn sample_files() -> Vec<PathBuf> {
    let dir = crate::repository_path("events");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 29, "{files:?}");
    files
}

/// A sample's text.
pub fn sample_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// Asserts the answer to the sample event `name` (a file name in `events/`) and returns how many
/// contacts it creates.
pub fn assert_sample_answer(name: &str, response: &Value) -> usize {
    let failed_ids = || -> Vec<&str> {
        response["batchItemFailures"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: {response}"))
            .iter()
            .map(|f| f["itemIdentifier"].as_str().unwrap())
            .collect()
    };
    let records = |count: usize, failed: &[&str]| {
        assert_eq!(failed_ids(), failed, "{name}: {response}");
        count - failed.len()
    };
    match name {
        // One record is not JSON.
        "sqs-standard.json" => records(3, &["2e1424d4-f796-459a-8184-9c92662be6da"]),
        // Group order-1042's first record is invalid, so its second is not tried; the other
        // group is created.
        "sqs-fifo-two-groups.json" => records(
            4,
            &[
                "22222222-0000-4000-8000-0000000000a1",
                "22222222-0000-4000-8000-0000000000a2",
            ],
        ),
        "sqs-fifo.json" => records(3, &[]),
        // An outbound WhatsApp message, an inbound email, and an email with its contact.
        "sqs-messaging.json" => records(3, &[]) + 1,
        // A routed, a scheduled and a template task, and a callback.
        "sqs-tasks-and-callback.json" => records(4, &[]),
        // A message attribute that is not base64 is none of our business.
        "sqs-unreadable-attributes.json" => records(2, &[]),
        "apigw-rest.json"
        | "apigw-rest-sparse-context.json"
        | "http-api.json"
        | "http-api-callback.json"
        | "apigw-rest-template-task.json"
        | "function-url.json" => {
            assert_eq!(response["statusCode"], 201, "{name}: {response}");
            1
        }
        // The browser gets Connect's whole answer: the contact and its participant token.
        "http-api-chat.json" => {
            assert_eq!(response["statusCode"], 201, "{name}: {response}");
            let body: Value = serde_json::from_str(response["body"].as_str().unwrap_or_default())
                .unwrap_or_else(|e| panic!("{name}: {e}: {response}"));
            assert!(body["ContactId"].is_string(), "{name}: {body}");
            assert!(body["ParticipantToken"].is_string(), "{name}: {body}");
            1
        }
        "direct-webrtc.json" => {
            assert!(response["ContactId"].is_string(), "{name}: {response}");
            assert!(
                response["ParticipantToken"].is_string(),
                "{name}: {response}"
            );
            assert!(
                response["ConnectionData"]["Attendee"]["JoinToken"].is_string(),
                "{name}: {response}"
            );
            1
        }
        // A CreateContact EMAIL contact, then its email: two calls, and the contact's ARN.
        "direct-outbound-email.json" => {
            assert!(response["ContactId"].is_string(), "{name}: {response}");
            assert!(response["ContactArn"].is_string(), "{name}: {response}");
            2
        }
        // Only CreateContact answers an ARN.
        "direct-routed-task.json"
        | "direct-callback.json"
        | "direct-outbound-sms.json"
        | "eventbridge-inbound-email.json"
        | "connect-flow-outbound-sms.json"
        | "eventbridge-task.json"
        | "connect-flow-callback.json"
        | "connect-flow-routed-task.json" => {
            assert!(response["ContactId"].is_string(), "{name}: {response}");
            assert_eq!(response.get("ContactArn"), None, "{name}: {response}");
            1
        }
        _ => {
            assert!(response["ContactId"].is_string(), "{name}: {response}");
            assert!(response["ContactArn"].is_string(), "{name}: {response}");
            1
        }
    }
}
