//! The entry points: a payload (one member naming its operation, or a bare CreateContact request)
//! or an operation's body, read and validated with every violation at once, each with its JSON
//! Pointer path. The walk itself is `walk`'s, over the checker's state (`checker`).

use serde_json::{Map, Value};

pub use super::checker::RequestDefaults;
use super::checker::{Checker, ROOT, char_count, closest, incomplete, not_an_object};
use super::model::*;
use super::spec::*;
use crate::violation::{ValidationErrors, ViolationKind as Kind, json_type};

/// Reads and validates a bare CreateContact request (`default_instance_id` fills `InstanceId`).
pub fn parse_request(
    value: &Value,
    default_instance_id: Option<&str>,
) -> Result<CreateContactRequest, ValidationErrors> {
    let defaults = RequestDefaults {
        instance_id: default_instance_id,
        ..RequestDefaults::default()
    };
    match parse_operation(OperationName::CreateContact, value, &defaults)? {
        Request::CreateContact(request) => Ok(request.into_inner()),
        _ => Err(incomplete(OperationName::CreateContact)),
    }
}

/// Reads and validates a payload: one member named after its operation
/// (`{"StartTaskContact": {...}}`), or a bare CreateContact request. Paths are JSON Pointers into
/// the payload.
pub fn parse_payload(
    value: &Value,
    defaults: &RequestDefaults,
) -> Result<Request, ValidationErrors> {
    let Some(object) = value.as_object() else {
        return Err(ValidationErrors::one("", not_an_object(value)));
    };
    let named = named_operations(object);
    match named.as_slice() {
        [] => match unknown_operation(object) {
            Some(key) => Err(ValidationErrors::one(
                crate::violation::pointer("", key),
                Kind::UnknownOperation {
                    suggestion: closest(key, OPERATION_NAMES).and_then(OperationName::parse),
                    supported: OperationName::ALL,
                },
            )),
            None => parse_operation(OperationName::CreateContact, value, defaults),
        },
        [(key, operation)] => {
            let mut check = Checker::new(*operation, defaults);
            check.payload_members(object);
            let at = ROOT.member(key);
            let result = check.operation(&object[key.as_str()], &at);
            check.finish(result)
        }
        [first, second] if is_email_pair(first.1, second.1) => {
            let (create, send) = if first.1 == OperationName::CreateContact {
                (first.0, second.0)
            } else {
                (second.0, first.0)
            };
            parse_email_pair(object, create, send, defaults)
        }
        several => Err(ValidationErrors::one(
            "",
            Kind::SeveralOperations {
                found: several.iter().map(|(_, op)| *op).collect(),
                supported: OperationName::ALL,
            },
        )),
    }
}

impl Checker<'_> {
    /// The members beside a payload's operations: none but [`CORRELATION_ID`], a valid one.
    fn payload_members(&mut self, object: &Map<String, Value>) {
        self.unknown_members(object, &ROOT, PAYLOAD_MEMBERS, "the payload");
        if let Some(value) = Checker::member(object, CORRELATION_ID)
            && let Err(kind) = correlation_id(value)
        {
            self.add(&ROOT.member(CORRELATION_ID), kind);
        }
    }
}

/// Whether two operations named in one payload are the one pair a payload may name: a CreateContact
/// EMAIL request and the StartOutboundEmailContact that sends its email.
fn is_email_pair(a: OperationName, b: OperationName) -> bool {
    use OperationName::{CreateContact, StartOutboundEmailContact};
    matches!(
        (a, b),
        (CreateContact, StartOutboundEmailContact) | (StartOutboundEmailContact, CreateContact)
    )
}

/// `{"CreateContact": {...}, "StartOutboundEmailContact": {...}}`: the email contact, then the
/// email sent for it (which leaves its ContactId out); every violation of both at once.
fn parse_email_pair(
    object: &Map<String, Value>,
    create_key: &str,
    send_key: &str,
    defaults: &RequestDefaults,
) -> Result<Request, ValidationErrors> {
    let mut check = Checker::new(OperationName::CreateContact, defaults);
    check.payload_members(object);
    let create_at = ROOT.member(create_key);
    let create = check.operation(&object[create_key], &create_at);
    check.operation = OperationName::StartOutboundEmailContact;
    check.paired = true;
    let send_at = ROOT.member(send_key);
    let send = check.operation(&object[send_key], &send_at);
    // Between the two, on the values as sent (each is checked on its own above).
    let text = |key: &str, member: &str| object[key].get(member).and_then(Value::as_str);
    if text(create_key, "Channel").is_some_and(|c| c != "EMAIL") {
        check.add(
            &create_at.member("Channel"),
            Kind::Rule("must be EMAIL beside StartOutboundEmailContact"),
        );
    }
    let instance = |key: &str| text(key, "InstanceId").or(defaults.instance_id);
    if instance(create_key) != instance(send_key) {
        check.add(
            &send_at.member("InstanceId"),
            Kind::Rule("must be the instance of the CreateContact request beside it"),
        );
    }
    let (Some(Request::CreateContact(create)), Some(Request::Modeled(mut send))) = (create, send)
    else {
        return check.finish(None);
    };
    send.create = Some(Box::new(create));
    check.finish(Some(Request::Modeled(send)))
}

/// Reads and validates the body of `operation` (no wrapper); paths are relative to the body.
pub fn parse_operation(
    operation: OperationName,
    value: &Value,
    defaults: &RequestDefaults,
) -> Result<Request, ValidationErrors> {
    let mut check = Checker::new(operation, defaults);
    let result = check.operation(value, &ROOT);
    check.finish(result)
}

/// The operations a payload names, each with its body and the body's JSON Pointer in the
/// payload, as [`parse_payload`] reads them: one, or a CreateContact EMAIL request and the
/// StartOutboundEmailContact beside it (the policy holds each to its rules). Empty where it would
/// refuse the payload outright (not an object, an unknown operation, any other operations).
pub fn payload_bodies(value: &Value) -> Vec<(OperationName, &Value, String)> {
    let Some(object) = value.as_object() else {
        return Vec::new();
    };
    let named = named_operations(object);
    let body = |(key, operation): &(&String, OperationName)| {
        (
            *operation,
            &object[key.as_str()],
            crate::violation::pointer("", key),
        )
    };
    match named.as_slice() {
        [] if unknown_operation(object).is_none() => {
            vec![(OperationName::CreateContact, value, String::new())]
        }
        [one] => vec![body(one)],
        [first, second] if is_email_pair(first.1, second.1) => vec![body(first), body(second)],
        _ => Vec::new(),
    }
}

/// The members of a payload that name an operation, with the operation each names.
fn named_operations(object: &Map<String, Value>) -> Vec<(&String, OperationName)> {
    object
        .keys()
        .filter_map(|k| Some((k, OperationName::parse(k)?)))
        .collect()
}

/// Whether a payload names its operation (has a member named after one).
pub fn names_an_operation(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|o| o.keys().any(|k| OperationName::parse(k).is_some()))
}

/// The longest correlation value.
pub const CORRELATION_ID_MAX_CHARS: usize = 256;

/// The members of a payload that names its operation: the operations, and [`CORRELATION_ID`].
const PAYLOAD_MEMBERS: &[&str] = &operations_then::<{ OPERATION_COUNT + 1 }>(CORRELATION_ID);

/// The operations' names, then `rest` in the remaining places.
const fn operations_then<const N: usize>(rest: &'static str) -> [&'static str; N] {
    let mut names = [rest; N];
    let mut i = 0;
    while i < OPERATION_COUNT {
        names[i] = OperationName::ALL[i].as_str();
        i += 1;
    }
    names
}

const OPERATION_COUNT: usize = OperationName::ALL.len();

/// A correlation value: a string of 1 to [`CORRELATION_ID_MAX_CHARS`] characters.
pub fn correlation_id(value: &Value) -> Result<&str, Kind> {
    match value.as_str() {
        Some("") => Err(Kind::Empty),
        Some(text) if char_count(text) > CORRELATION_ID_MAX_CHARS => Err(Kind::TooLong {
            max: CORRELATION_ID_MAX_CHARS,
            length: char_count(text),
        }),
        Some(text) => Ok(text),
        None => Err(Kind::WrongType {
            expected: "a string",
            found: json_type(value),
        }),
    }
}

/// The correlation value beside a payload's operation, if it names one (and the value is valid).
pub fn payload_correlation_id(payload: &Value) -> Option<&str> {
    if !names_an_operation(payload) {
        return None;
    }
    payload
        .get(CORRELATION_ID)
        .and_then(|v| correlation_id(v).ok())
}

/// The names of the supported operations, as messages list them.
pub const OPERATION_NAMES: &[&str] = &operations_then::<OPERATION_COUNT>("");

/// A lone member that names no member of a bare request and holds an object is read as an
/// operation this function does not support (`{"StartChatContact": {...}}`).
fn unknown_operation(object: &Map<String, Value>) -> Option<&str> {
    let [(key, value)] = object.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let bare_member = MEMBERS.contains(&key.as_str()) || suggest_member(key).is_some();
    (!bare_member && value.is_object()).then_some(key.as_str())
}

/// The CreateContact member that `key` is plausibly a typo of (`Chanel`: `Channel`).
pub fn suggest_member(key: &str) -> Option<&'static str> {
    closest(key, MEMBERS)
}
