//! The local command line: `contact-bridge invoke [--live] FILE` runs the Lambda handler on an
//! event file (`-` for stdin) and prints its response, as `cargo lambda invoke` would show it.

use std::io::Read;
use std::process::ExitCode;
use std::sync::Arc;

use lambda_runtime::{Context, Diagnostic, LambdaEvent};
use serde_json::{Value, json};

use crate::bridge::Bridge;
use crate::config::Settings;
use crate::connect::{Connect, ConnectClient};
use crate::handler::Handler;
use crate::idempotency::digest_hex;
use crate::json::parse_strict;
use crate::local_connect::LocalConnect;
use crate::outcome::PrintedOutcomes;
use crate::outcome_bus::EventBridgeOutcomes;

pub const USAGE: &str = "\
usage: contact-bridge invoke [--live] FILE
       contact-bridge schema

Runs the function's handler on the event in FILE (- for standard input) and prints its response.
By default Amazon Connect is not called: each request (of any of the eight operations) is
validated and printed on stderr, as is every request refused with its violations, and the contact
IDs are made up (they start with dry-run-), as are a chat's or call's participant token and
meeting (placeholders, never real credentials); a
request that names no instance gets CONNECT_INSTANCE_ID, else the placeholder
00000000-0000-4000-8000-000000000000. --live sends the requests to Amazon Connect with the
standard AWS credential chain (AWS_PROFILE, AWS_REGION, ...). With OUTCOME_EVENT_BUS set, each
request's outcome event is printed on stderr as the PutEvents entry it would be (with --live, it
is put on that bus).

schema prints the JSON Schema of a request (one member naming the operation, or a bare
CreateContact request).

In AWS Lambda (AWS_LAMBDA_RUNTIME_API set) the binary serves the Lambda Runtime API instead.";

/// The instance of a dry run's requests that name none, when `CONNECT_INSTANCE_ID` is unset.
pub const DRY_RUN_INSTANCE_ID: &str = "00000000-0000-4000-8000-000000000000";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Invoke { file: String, live: bool },
    Schema,
    Help,
}

/// No command: a usage error (exit 2), as a missing argument is.
const NO_COMMAND: &str = "no command given";

pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let args: Vec<String> = args.into_iter().collect();
    let mut live = false;
    let mut file = None;
    match args.first().map(String::as_str) {
        None => return Err(NO_COMMAND.to_owned()),
        Some("-h" | "--help" | "help") => return Ok(Command::Help),
        Some("schema") if args.len() == 1 => return Ok(Command::Schema),
        Some("invoke") => {}
        Some(other) => return Err(format!("unknown command {other:?}")),
    }
    for arg in &args[1..] {
        match arg.as_str() {
            "--live" => live = true,
            "-h" | "--help" => return Ok(Command::Help),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path if file.is_none() => file = Some(path.to_owned()),
            extra => return Err(format!("unexpected argument {extra:?}")),
        }
    }
    let file = file.ok_or("invoke needs an event FILE (or - for stdin)")?;
    Ok(Command::Invoke { file, live })
}

/// Runs the command line; the process's exit code.
pub async fn main(args: impl IntoIterator<Item = String>) -> ExitCode {
    let (file, live) = match parse_args(args) {
        Ok(Command::Invoke { file, live }) => (file, live),
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Schema) => {
            println!("{}", schema_text());
            return ExitCode::SUCCESS;
        }
        Err(problem) => {
            eprintln!("contact-bridge: {problem}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    lambda_runtime::tracing::init_default_subscriber_with_writer(std::io::stderr);
    let mut settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("contact-bridge: {error}");
            return ExitCode::from(2);
        }
    };
    if !live && settings.default_instance_id.is_none() {
        // The samples name no instance, so that they work with any deployment; a dry run
        // without CONNECT_INSTANCE_ID still shows the whole request.
        settings.default_instance_id = Some(DRY_RUN_INSTANCE_ID.to_owned());
    }
    let event = match read_event(&file) {
        Ok(event) => event,
        Err(problem) => {
            eprintln!("contact-bridge: {problem}");
            return ExitCode::from(2);
        }
    };
    let bus = settings.outcome_event_bus.clone();
    let (output, ok) = if live {
        let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        let mut bridge = Bridge::new(settings, ConnectClient::from_config(&config));
        if let Some(bus) = bus {
            bridge = bridge.with_outcomes(Arc::new(EventBridgeOutcomes::from_config(&config, bus)));
        }
        invoke(&Handler::new(bridge), event).await
    } else {
        let mut bridge = Bridge::new(settings, LocalConnect::to_stderr());
        if let Some(bus) = bus {
            bridge = bridge.with_outcomes(Arc::new(PrintedOutcomes::new(
                bus,
                Box::new(std::io::stderr()),
            )));
        }
        invoke(&Handler::new(bridge), event).await
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&output).unwrap_or_else(|_| output.to_string())
    );
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The JSON Schema as checked in at `schema/contact-request.schema.json`.
pub fn schema_text() -> String {
    let schema = crate::request::json_schema();
    serde_json::to_string_pretty(&schema).unwrap_or_else(|_| schema.to_string())
}

fn read_event(file: &str) -> Result<(Value, String), String> {
    let mut text = String::new();
    let read = if file == "-" {
        std::io::stdin().read_to_string(&mut text)
    } else {
        std::fs::File::open(file).and_then(|mut f| f.read_to_string(&mut text))
    };
    read.map_err(|e| format!("cannot read {file}: {e}"))?;
    let event = parse_strict(text.as_bytes()).map_err(|e| format!("{file}: {e}"))?;
    Ok((event, text))
}

/// Invokes the handler as Lambda would; the response, or the function error as Lambda reports
/// it (`errorType`, `errorMessage`), and whether it succeeded.
pub async fn invoke<C: Connect>(
    handler: &Handler<C>,
    (event, text): (Value, String),
) -> (Value, bool) {
    let mut context = Context::default();
    // Stable per event, so running the same file twice derives the same ClientToken.
    context.request_id = format!("local-{}", &digest_hex(&[&text])[..32]);
    let outcome = handler.handle(LambdaEvent::new(event, context)).await;
    // As the Lambda runtime does after each answer: finish what a flow's caller did not wait for.
    handler.bridge().finish_background().await;
    match outcome {
        Ok(response) => (serde_json::to_value(&response).unwrap_or(Value::Null), true),
        Err(error) => {
            let diagnostic = Diagnostic::from(error);
            let output = json!({
                "errorType": diagnostic.error_type,
                "errorMessage": diagnostic.error_message,
            });
            (output, false)
        }
    }
}
