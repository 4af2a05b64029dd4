//! The binary's local run: `contact-bridge invoke FILE` with the built-in dry-run Connect.

use contact_bridge_test_support as common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::samples::{assert_sample_answer, sample_files};
use serde_json::Value;

fn run(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_contact-bridge"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .env_remove("CONNECT_INSTANCE_ID")
        .env_remove("ALLOWED_INSTANCE_IDS")
        .env_remove("OUTCOME_EVENT_BUS")
        .env_remove("DEFAULT_CONTACT_FLOW_ID")
        .env_remove("DEFAULT_QUEUE_ID")
        .env_remove("POLICY")
        .env_remove("POLICY_FILE")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

#[test]
fn invoke_prints_a_contact_and_the_request_it_would_send() {
    let output = run(&["invoke", "events/direct-task.json"], None, &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let response = stdout_json(&output);
    // Visibly made up, and the log says no contact was created.
    assert!(
        response["ContactId"]
            .as_str()
            .unwrap()
            .starts_with("dry-run-"),
        "{response}"
    );
    assert!(
        response["ContactArn"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:connect:")
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let preview: Value = stderr
        .lines()
        .find_map(|line| {
            serde_json::from_str::<Value>(line)
                .ok()
                .filter(|v| v["dryRun"] == "CreateContact")
        })
        .unwrap_or_else(|| panic!("no dry-run line on stderr: {stderr}"));
    assert_eq!(preview["request"]["Channel"], "TASK");
    assert!(stderr.contains("dry run: contact not created"), "{stderr}");
    assert!(!stderr.contains("\"contact created\""), "{stderr}");
    assert!(
        preview["request"]["ClientToken"]
            .as_str()
            .unwrap()
            .starts_with("contact-bridge-direct-")
    );

    // The same event twice gives the same contact: the derived ClientToken is stable.
    let again = stdout_json(&run(&["invoke", "events/direct-task.json"], None, &[]));
    assert_eq!(again, response);
}

#[test]
fn invoke_reads_stdin_and_reports_function_errors() {
    let output = run(&["invoke", "-"], Some(r#"{"Channel": "CHAT"}"#), &[]);
    assert_eq!(output.status.code(), Some(1));
    let error = stdout_json(&output);
    assert_eq!(error["errorType"], "ValidationError");
    assert!(
        error["errorMessage"]
            .as_str()
            .unwrap()
            .contains("/InitiationMethod")
    );
}

#[test]
fn the_default_instance_comes_from_the_environment() {
    let output = run(
        &["invoke", "-"],
        Some(r#"{"Channel": "TASK", "InitiationMethod": "API"}"#),
        &[("CONNECT_INSTANCE_ID", "inst-9")],
    );
    assert!(output.status.success());
    assert!(
        stdout_json(&output)["ContactArn"]
            .as_str()
            .unwrap()
            .contains("instance/inst-9/")
    );
}

#[test]
fn the_dry_run_prints_the_outcome_events_it_would_publish() {
    let output = run(
        &["invoke", "events/connect-flow-callback.json"],
        None,
        &[("OUTCOME_EVENT_BUS", "contact-outcomes")],
    );
    assert!(output.status.success());
    let contact_id = stdout_json(&output)["ContactId"]
        .as_str()
        .unwrap()
        .to_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let printed: Value = stderr
        .lines()
        .find_map(|line| {
            serde_json::from_str::<Value>(line)
                .ok()
                .filter(|v| v["dryRun"] == "PutEvents")
        })
        .unwrap_or_else(|| panic!("no PutEvents line on stderr: {stderr}"));
    let entry = &printed["Entries"][0];
    assert_eq!(entry["Source"], "contact-bridge");
    assert_eq!(entry["DetailType"], "ContactCreated");
    assert_eq!(entry["EventBusName"], "contact-outcomes");
    let detail: Value = serde_json::from_str(entry["Detail"].as_str().unwrap()).unwrap();
    assert_eq!(detail["ContactId"], contact_id.as_str());
    assert_eq!(detail["Operation"], "StartOutboundVoiceContact");
    assert_eq!(detail["Source"], "connect-flow");

    // Without the setting, nothing is printed for the bus.
    let output = run(&["invoke", "events/connect-flow-callback.json"], None, &[]);
    assert!(!String::from_utf8_lossy(&output.stderr).contains("PutEvents"));
}

#[test]
fn the_dry_run_prints_why_each_refused_record_is_refused() {
    // sqs-standard.json: one record is not JSON; its violation is shown, not only its kind.
    let output = run(&["invoke", "events/sqs-standard.json"], None, &[]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let refused: Vec<Value> = stderr
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|v| v["dryRunRefused"].is_string())
        .collect();
    assert_eq!(refused.len(), 1, "{stderr}");
    assert_eq!(refused[0]["dryRunRefused"], "ValidationError");
    assert!(
        refused[0]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("the message body is not JSON"),
        "{stderr}"
    );

    // From every source: a direct payload, and an EventBridge detail.
    for (file, patch) in [
        ("events/direct-task.json", "/Channel"),
        ("events/eventbridge.json", "/detail/Channel"),
    ] {
        let mut event: Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        *event.pointer_mut(patch).unwrap() = Value::from("FAX");
        let output = run(&["invoke", "-"], Some(&event.to_string()), &[]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("\"dryRunRefused\":\"ValidationError\"")
                && stderr.contains("\"path\":\"/Channel\""),
            "{file}: {stderr}"
        );
    }
}

/// The dry run shows what the policy did: fixed values filled in the printed request, refusals
/// listed.
#[test]
fn the_dry_run_shows_what_the_policy_did() {
    let policy = r#"{"direct": {"StartOutboundVoiceContact": {
        "fixed": {"QueueId": "queue-fixed", "Attributes.channel": "web"},
        "destinations": ["+1"]}}}"#;
    let callback = r#"{"StartOutboundVoiceContact": {"DestinationPhoneNumber": "+12065550100",
        "ContactFlowId": "f", "Attributes": {"orderId": "1042"}}}"#;
    let output = run(&["invoke", "-"], Some(callback), &[("POLICY", policy)]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let printed: Value = stderr
        .lines()
        .find_map(|l| {
            serde_json::from_str::<Value>(l)
                .ok()
                .filter(|v| v["dryRun"].is_string())
        })
        .unwrap_or_else(|| panic!("no dry-run line: {stderr}"));
    assert_eq!(
        printed["request"]["Attributes"]["channel"], "web",
        "{printed}"
    );

    let refused = r#"{"StartOutboundVoiceContact": {"DestinationPhoneNumber": "+882123456789",
        "ContactFlowId": "f", "QueueId": "other-queue"}}"#;
    let output = run(&["invoke", "-"], Some(refused), &[("POLICY", policy)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout_json(&output)["errorType"], "MemberFixed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("\"dryRunRefused\":\"MemberFixed\"")
            && stderr.contains("/StartOutboundVoiceContact/QueueId"),
        "{stderr}"
    );
    // A policy that cannot be used: a settings error, exit 2, naming the problem.
    let output = run(
        &["invoke", "events/direct-callback.json"],
        None,
        &[("POLICY", r#"{"sms": {}}"#)],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown source \"sms\""));
}

#[test]
fn usage_and_setting_errors_exit_2_with_a_message() {
    let output = run(&[], None, &[]);
    assert_eq!(output.status.code(), Some(2), "no command is a usage error");
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage: contact-bridge invoke"));

    let output = run(&["frobnicate"], None, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage: contact-bridge invoke"));

    let output = run(&["invoke", "events/does-not-exist.json"], None, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cannot read events/does-not-exist.json")
    );

    let output = run(
        &["invoke", "events/direct-task.json"],
        None,
        &[("MAX_CONCURRENCY", "zero")],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid setting MAX_CONCURRENCY"));

    let output = run(&["--help"], None, &[]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("--live"));
}

#[test]
fn every_sample_event_runs_through_the_binary() {
    for path in sample_files() {
        let output = run(&["invoke", path.to_str().unwrap()], None, &[]);
        assert!(
            output.status.success(),
            "{path:?}: {}",
            String::from_utf8_lossy(&output.stdout)
        );
        let name = path.file_name().unwrap().to_str().unwrap();
        assert_sample_answer(name, &stdout_json(&output));
    }
}
