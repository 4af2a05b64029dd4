//! The sample events in `events/` and what each is answered, wherever the tests run them (the
//! local CLI, the cargo-lambda emulator).

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

/// The `ScheduledTime` the scheduled-task samples carry. Connect takes only times from now to 6
/// days ahead, so the samples' text is read with this replaced by an hour from now (see
/// [`sample_text`]); README says to do the same by hand.
pub const SAMPLE_SCHEDULED_TIME: &str = "2026-12-01T09:30:00Z";

/// Every file in `events/`, sorted.
pub fn sample_files() -> Vec<PathBuf> {
    let dir = crate::repository_path("events");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 22, "{files:?}");
    files
}

/// A sample's text, its [`SAMPLE_SCHEDULED_TIME`] replaced by an hour from now (epoch seconds,
/// which `ScheduledTime` also accepts as text).
pub fn sample_text(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let in_an_hour = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600;
    text.replace(SAMPLE_SCHEDULED_TIME, &in_an_hour.to_string())
}

/// Every sample as [`sample_text`] reads it, written to a folder of its own: for the tools that
/// read a file (the CLI, `cargo lambda invoke --data-file`).
pub fn runnable_sample_files() -> Vec<PathBuf> {
    let dir = std::env::temp_dir().join(format!("contact-bridge-samples-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    sample_files()
        .into_iter()
        .map(|path| {
            let copy = dir.join(path.file_name().unwrap());
            std::fs::write(&copy, sample_text(&path)).unwrap();
            copy
        })
        .collect()
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
        // StartTaskContact and StartOutboundVoiceContact answer no ARN.
        "direct-routed-task.json"
        | "direct-callback.json"
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
