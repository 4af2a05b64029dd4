//! Amazon Connect flows, the "Invoke AWS Lambda function" block.
//!
//! `Details.Parameters` holds the request of the operation named by the `Operation` parameter
//! (CreateContact when absent), each value as the block sends it: strings, read by the type the
//! operation's description gives the member (JSON text for objects and lists, decimal text for
//! integers, `true`/`false` for booleans), and `Attributes.<key>` for one attribute; the block's
//! JSON mode sends objects and numbers, which are taken as they are. `CorrelationId` is the
//! producer's value for the outcome event. The event is read as plain JSON: real events carry
//! null or missing `CustomerEndpoint`, `SystemEndpoint` and `Queue`, which stricter types reject.

use serde_json::{Map, Value};

use crate::bridge::{Bridge, Deadline, Origin, Payload, SourceDefaults};
use crate::config::instance_id_of;
use crate::connect::{Connect, CreatedContact};
use crate::error::ContactError;
use crate::idempotency::derive_client_token;
use crate::json::parse_strict;
use crate::outcome::Producer;
use crate::request::{
    CORRELATION_ID, OperationName, Shape, ValidationErrors, Violation, ViolationKind as Kind,
    correlation_id, json_type, pointer,
};
use crate::source::Source;

const ATTRIBUTE_PREFIX: &str = "Attributes.";
/// The parameter that names the operation.
const OPERATION_PARAMETER: &str = "Operation";

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
pub async fn handle<C: Connect>(
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
    let (operation, mut request, mut conversion_errors) = request_from_parameters(parameters);
    if operation == Some(OperationName::StartOutboundChatContact) {
        default_destination(&mut request, &details["ContactData"]["CustomerEndpoint"]);
    }
    let correlation_id = match parameters.get(CORRELATION_ID) {
        None | Some(Value::Null) => None,
        Some(value) => match correlation_id(value) {
            Ok(id) => Some(id.to_owned()),
            Err(kind) => {
                conversion_errors.push(Violation {
                    path: pointer("", CORRELATION_ID),
                    kind,
                });
                None
            }
        },
    };
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
        // The caller is on the line now: the invocation's time.
        event_time: None,
    };
    let request = match operation {
        Some(operation) if conversion_errors.is_empty() => Ok(Payload::Of(operation, &request)),
        Some(operation) => {
            // Report the conversion problems together with whatever else the request breaks.
            let mut violations = conversion_errors;
            let mut omitted = 0;
            if let Err(ContactError::Invalid(more)) =
                bridge.prepare(source, Payload::Of(operation, &request), defaults.clone())
            {
                violations.extend(more.violations);
                omitted = more.omitted;
            }
            Err(ContactError::Invalid(ValidationErrors::new(
                Some(operation),
                violations,
                omitted,
            )))
        }
        None => Err(ContactError::Invalid(ValidationErrors::new(
            None,
            conversion_errors,
            0,
        ))),
    };
    let origin = Origin {
        source,
        id: contact_id,
        defaults,
        correlation_id,
        producer: details["ContactData"]["InstanceARN"]
            .as_str()
            .filter(|arn| !arn.is_empty())
            .map(|arn| Producer::new("ConnectInstance", arn)),
    };
    let handled = bridge.handle(origin, request, deadline).await;
    // The caller is on the line: answered now, the event published after the answer.
    bridge.publish_in_background(handled.event, deadline);
    handled.result
}

/// The operation the block's parameters name (`None`: not one we call), its request, and the
/// values that could not be read.
pub fn request_from_parameters(
    parameters: &Map<String, Value>,
) -> (Option<OperationName>, Value, Vec<Violation>) {
    let mut request = Map::new();
    let mut attributes = Map::new();
    let mut errors = Vec::new();
    let mut error = |path: String, kind: Kind| errors.push(Violation { path, kind });

    let operation = match parameters.get(OPERATION_PARAMETER) {
        None | Some(Value::Null) => Some(OperationName::CreateContact),
        Some(value) => {
            let named = value.as_str().and_then(OperationName::parse);
            if named.is_none() {
                error(
                    pointer("", OPERATION_PARAMETER),
                    Kind::NotOneOf {
                        choices: OperationName::choices(),
                        hint: None,
                    },
                );
            }
            named
        }
    };
    let Some(operation) = operation else {
        return (None, Value::Object(request), errors);
    };
    let members = operation.spec().members;
    for (key, value) in parameters {
        if key == OPERATION_PARAMETER || key == CORRELATION_ID {
            continue;
        }
        if let Some(attribute) = key.strip_prefix(ATTRIBUTE_PREFIX) {
            attributes.insert(attribute.to_owned(), value.clone());
            continue;
        }
        if let Some((member, rest)) = key.split_once('.')
            && let Some(found) = members.iter().find(|m| m.name == member)
        {
            if let Err(kind) = insert_dotted(&mut request, &found.shape, member, rest, value) {
                error(pointer("", key), kind);
            }
            continue;
        }
        let shape = members.iter().find(|m| m.name == key).map(|m| &m.shape);
        match (shape, value) {
            (Some(shape), Value::String(text)) => match from_text(shape, text) {
                Ok(read) => {
                    request.insert(key.clone(), read);
                }
                Err(kind) => error(pointer("", key), kind),
            },
            _ => {
                request.insert(key.clone(), value.clone());
            }
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
                Kind::WrongType {
                    expected: "an object to combine with Attributes.<key> parameters",
                    found: json_type(other),
                },
            ),
        }
    }
    (Some(operation), Value::Object(request), errors)
}

/// The caller's number as an outbound chat's destination (SMS or WhatsApp to the caller), where
/// the parameters name none: `DestinationEndpoint` of type TELEPHONE_NUMBER, each of its two
/// members filled only when absent.
fn default_destination(request: &mut Value, customer: &Value) {
    let Some(address) = customer["Address"].as_str().filter(|a| !a.is_empty()) else {
        return;
    };
    let Some(request) = request.as_object_mut() else {
        return;
    };
    let endpoint = request
        .entry("DestinationEndpoint")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(endpoint) = endpoint.as_object_mut() {
        endpoint
            .entry("Type")
            .or_insert_with(|| Value::from("TELEPHONE_NUMBER"));
        endpoint
            .entry("Address")
            .or_insert_with(|| Value::from(address));
    }
}

/// A dotted parameter (`DestinationEndpoint.Address`): `value` at the path `rest` inside member
/// `member`, read by the model's type of the innermost member when the model states it.
fn insert_dotted(
    request: &mut Map<String, Value>,
    shape: &Shape,
    member: &str,
    rest: &str,
    value: &Value,
) -> Result<(), Kind> {
    let mut model = match shape {
        Shape::Model(model) => Some(*model),
        _ => None,
    };
    let mut object = request
        .entry(member)
        .or_insert_with(|| Value::Object(Map::new()));
    let mut segments = rest.split('.').peekable();
    while let Some(segment) = segments.next() {
        let Value::Object(members) = object else {
            return Err(Kind::Unreadable(
                "names a member inside one that is not an object".to_owned(),
            ));
        };
        model = model.and_then(|m| m.member(segment)).map(|m| m.shape);
        if segments.peek().is_none() {
            let read = match (model, value) {
                (Some(model), Value::String(text)) => from_text(&Shape::Model(model), text)?,
                _ => value.clone(),
            };
            members.insert(segment.to_owned(), read);
            break;
        }
        object = members
            .entry(segment)
            .or_insert_with(|| Value::Object(Map::new()));
    }
    Ok(())
}

/// A member's value from the block's text, by the member's type in the operation's description.
fn from_text(shape: &Shape, text: &str) -> Result<Value, Kind> {
    use crate::request::service_model::ModelKind;
    /// How the block's text of a member is read.
    enum Read {
        Integer,
        Boolean,
        Json,
        Text,
    }
    let read = match shape {
        Shape::Integer { .. } => Read::Integer,
        Shape::Boolean => Read::Boolean,
        Shape::Attributes
        | Shape::References { .. }
        | Shape::SegmentAttributes
        | Shape::Structure(_)
        | Shape::List { .. } => Read::Json,
        Shape::Text { .. } | Shape::Timestamp(_) | Shape::Enum { .. } | Shape::ChannelMethod => {
            Read::Text
        }
        Shape::Model(model) => match model.kind {
            ModelKind::Integer { .. } => Read::Integer,
            ModelKind::Boolean => Read::Boolean,
            ModelKind::Structure { .. } | ModelKind::List { .. } | ModelKind::Map { .. } => {
                Read::Json
            }
            ModelKind::String { .. } | ModelKind::Timestamp => Read::Text,
        },
    };
    match read {
        Read::Integer => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| Kind::Unreadable("must be a whole number in decimal text".to_owned())),
        Read::Boolean => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(Kind::Unreadable("must be true or false".to_owned())),
        },
        Read::Json => parse_strict(text.as_bytes()).map_err(|e| {
            Kind::Unreadable(format!("must be JSON text (the block sends strings): {e}"))
        }),
        Read::Text => Ok(Value::String(text.to_owned())),
    }
}
