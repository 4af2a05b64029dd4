//! The local run's default Connect: prints each request it would send (and each request refused
//! before Connect, with its violations) and answers with a contact ID that is visibly not real,
//! derived from the request's ClientToken, like Connect's idempotency.

use std::io::Write;
use std::sync::Mutex;

use crate::config::instance_id_of;
use crate::connect::ClientAnswer;
use crate::connect::{Connect, CreatedContact};
use crate::error::{ConnectError, ContactError};
use crate::idempotency::digest;
use crate::operation::OperationName;
use crate::request::{ModeledRequest, Request};

/// Writes every request as one JSON line to its sink (stderr in the CLI) instead of sending it.
pub struct LocalConnect {
    region: String,
    sink: Mutex<Box<dyn Write + Send>>,
}

impl LocalConnect {
    pub fn new(region: impl Into<String>, sink: Box<dyn Write + Send>) -> Self {
        LocalConnect {
            region: region.into(),
            sink: Mutex::new(sink),
        }
    }

    /// Prints to stderr, in `AWS_REGION` (default `us-east-1`) for the ARNs.
    pub fn to_stderr() -> Self {
        let region = std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".to_owned());
        Self::new(region, Box::new(std::io::stderr()))
    }
}

impl Connect for LocalConnect {
    async fn start_contact(&self, request: &Request) -> Result<CreatedContact, ConnectError> {
        let operation = request.operation();
        self.print(&serde_json::json!({ "dryRun": operation.as_str(), "request": request.body() }));
        let instance = instance_id_of(request.instance_id());
        // An email sent after a CreateContact request: the contact that request would create.
        let created = match request {
            Request::Modeled(ModeledRequest {
                create: Some(create),
                ..
            }) => Some(create),
            _ => None,
        };
        let token = created
            .and_then(|c| c.body().get("ClientToken"))
            .and_then(serde_json::Value::as_str)
            .or(request.client_token())
            .unwrap_or_default();
        let contact_id = format!("{DRY_RUN_CONTACT_PREFIX}{}", uuid_from(&[instance, token]));
        let contact_arn = (operation.answers_contact_arn() || created.is_some()).then(|| {
            format!(
                "arn:aws:connect:{}:000000000000:instance/{instance}/contact/{contact_id}",
                self.region
            )
        });
        let client_answer = operation
            .answers_credentials()
            .then(|| placeholder_answer(operation, &contact_id, &self.region));
        Ok(CreatedContact {
            contact_id,
            contact_arn,
            client_answer,
        })
    }

    fn is_dry_run(&self) -> bool {
        true
    }

    fn show_refusal(&self, error: &ContactError) {
        let mut line = match error {
            ContactError::Invalid(errors) | ContactError::Refused(errors) => errors.to_answer(),
            other => serde_json::json!({ "message": other.to_string() }),
        };
        line["dryRunRefused"] = serde_json::json!(error.kind());
        self.print(&line);
    }
}

/// What every made-up ContactId starts with, so that none passes for a real one.
pub const DRY_RUN_CONTACT_PREFIX: &str = "dry-run-";

impl LocalConnect {
    fn print(&self, line: &serde_json::Value) {
        if let Ok(mut sink) = self.sink.lock() {
            // A lost preview line must not fail the run.
            let _ = writeln!(sink, "{line}");
        }
    }
}

/// What a waiting client would get, with every identifier and token visibly made up: nothing
/// here opens a chat or joins a meeting.
fn placeholder_answer(operation: OperationName, contact_id: &str, region: &str) -> ClientAnswer {
    let id = |what: &str| {
        format!(
            "{DRY_RUN_CONTACT_PREFIX}{what}-{}",
            uuid_from(&[contact_id, what])
        )
    };
    let token = "dry-run-placeholder-not-a-token";
    let mut answer = serde_json::json!({
        "ParticipantId": id("participant"),
        "ParticipantToken": token,
    });
    if operation == OperationName::StartWebRTCContact {
        let url = |what: &str| format!("https://dry-run.invalid/{what}");
        answer["ConnectionData"] = serde_json::json!({
            "Attendee": { "AttendeeId": id("attendee"), "JoinToken": token },
            "Meeting": {
                "MediaRegion": region,
                "MediaPlacement": {
                    "AudioHostUrl": url("audio"),
                    "AudioFallbackUrl": url("audio-fallback"),
                    "SignalingUrl": url("signaling"),
                    "TurnControlUrl": url("turn-control"),
                    "EventIngestionUrl": url("event-ingestion"),
                },
                "MeetingId": id("meeting"),
            },
        });
    }
    match answer {
        serde_json::Value::Object(members) => ClientAnswer(members),
        _ => ClientAnswer(serde_json::Map::new()),
    }
}

/// A UUID-shaped identifier from a hash of `parts` (its first 16 bytes).
fn uuid_from(parts: &[&str]) -> String {
    let digest = digest(parts);
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Uuid::from_bytes(bytes).hyphenated().to_string()
}
