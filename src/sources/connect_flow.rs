//! Amazon Connect flows, the "Invoke AWS Lambda function" block.
//!
//! `Details.Parameters` holds the request, each value as the block sends it: strings, with JSON
//! text for the object members, decimal text for `ExpiryDurationInMinutes`, and
//! `Attributes.<key>` for one attribute; the block's JSON mode sends objects and numbers, which
//! are taken as they are. The event is read as plain JSON: real events carry null or missing
//! `CustomerEndpoint`, `SystemEndpoint` and `Queue`, which stricter types reject.

use serde_json::{Map, Value};

use crate::bridge::{Bridge, Deadline, Origin, SourceDefaults};
use crate::config::instance_id_of;
use crate::connect::{CreateContact, CreatedContact};
use crate::error::ContactError;
use crate::idempotency::derive_client_token;
use crate::json::parse_strict;
use crate::request::{ValidationErrors, Violation, json_type, pointer};
use crate::sources::Source;
use crate::violation::ViolationKind;

/// Members the block sends as JSON text.
const JSON_TEXT_MEMBERS: &[&str] = &["Attributes", "References", "SegmentAttributes", "UserInfo"];
const ATTRIBUTE_PREFIX: &str = "Attributes.";

/// Whether an event is a flow's: `Details.ContactData` and `Details.Parameters`, both objects.
/// Recognised by structure, not by `Name`: Connect sends `ContactFlowEvent`, but other tools and
/// documents say `ContactFlowExecution`, and a flow event must never fall through to the direct
/// source.
pub fn recognise(event: &Value) -> bool {
    let details = &event["Details"];
    details["ContactData"].is_object() && details["Parameters"].is_object()
}

/// Creates the contact; the instance defaults to the flow's, and the token derives from the
/// flow's contact and the parameters, so Connect's retries of a failed invocation (up to 3 within
/// its 8 s limit) create one contact.
pub async fn handle<C: CreateContact>(
    bridge: &Bridge<C>,
    event: &Value,
    deadline: Deadline,
) -> Result<CreatedContact, ContactError> {
    let details = &event["Details"];
    let contact_id = details["ContactData"]["ContactId"]
        .as_str()
        .unwrap_or_default();
    let source = Source::ConnectFlow;
    let empty = Map::new();
    let parameters = details["Parameters"].as_object().unwrap_or(&empty);
    let (request, conversion_errors) = request_from_parameters(parameters);
    let defaults = SourceDefaults {
        // An empty ARN (as in some test events) is no instance, not the instance "".
        instance_id: details["ContactData"]["InstanceARN"]
            .as_str()
            .map(instance_id_of)
            .filter(|id| !id.is_empty())
            .map(str::to_owned),
        client_token: (!contact_id.is_empty()).then(|| {
            // Map keys are sorted, so the same parameters always serialise the same way.
            let parameters = Value::Object(parameters.clone()).to_string();
            derive_client_token(source.name(), &[contact_id, &parameters])
        }),
    };
    let request = if conversion_errors.is_empty() {
        Ok(&request)
    } else {
        // Report the conversion problems together with whatever else the request breaks.
        let mut violations = conversion_errors;
        if let Err(ContactError::Invalid(more)) = bridge.prepare(&request, defaults.clone()) {
            violations.extend(more.0);
        }
        Err(ContactError::Invalid(ValidationErrors(violations)))
    };
    let origin = Origin {
        source,
        id: contact_id,
        defaults,
    };
    bridge.handle(origin, request, deadline).await
}

/// The canonical request the block's parameters describe, and the values that could not be read.
pub fn request_from_parameters(parameters: &Map<String, Value>) -> (Value, Vec<Violation>) {
    let mut request = Map::new();
    let mut attributes = Map::new();
    let mut errors = Vec::new();
    let mut error = |path: String, kind: ViolationKind| errors.push(Violation { path, kind });

    for (key, value) in parameters {
        if let Some(attribute) = key.strip_prefix(ATTRIBUTE_PREFIX) {
            attributes.insert(attribute.to_owned(), value.clone());
        } else if JSON_TEXT_MEMBERS.contains(&key.as_str()) {
            match value {
                Value::String(text) => match parse_strict(text.as_bytes()) {
                    Ok(parsed) => {
                        request.insert(key.clone(), parsed);
                    }
                    Err(e) => error(
                        pointer("", key),
                        ViolationKind::Unreadable(format!(
                            "must be JSON text (the block sends strings): {e}"
                        )),
                    ),
                },
                other => {
                    request.insert(key.clone(), other.clone());
                }
            }
        } else if key == "ExpiryDurationInMinutes" {
            match value {
                Value::String(text) => match text.trim().parse::<i64>() {
                    Ok(n) => {
                        request.insert(key.clone(), Value::from(n));
                    }
                    Err(_) => error(
                        pointer("", key),
                        ViolationKind::Unreadable(
                            "must be a whole number in decimal text".to_owned(),
                        ),
                    ),
                },
                other => {
                    request.insert(key.clone(), other.clone());
                }
            }
        } else {
            request.insert(key.clone(), value.clone());
        }
    }
    if !attributes.is_empty() {
        // `Attributes.<key>` parameters add to (and override) the `Attributes` JSON text.
        match request
            .entry("Attributes")
            .or_insert_with(|| Value::Object(Map::new()))
        {
            Value::Object(existing) => existing.extend(attributes),
            other => error(
                "/Attributes".to_owned(),
                ViolationKind::WrongType {
                    expected: "an object to combine with Attributes.<key> parameters",
                    found: json_type(other),
                },
            ),
        }
    }
    (Value::Object(request), errors)
}
