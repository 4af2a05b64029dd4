//! What a source may ask for, before the request is read: an operation that answers credentials
//! only from a source with a caller waiting for them, and the deployer's policy (`POLICY`) for
//! the source and each operation the payload names, with its fixed values filled in.

use serde_json::Value;

use crate::error::ContactError;
use crate::policy::{Policy, Rules};
use crate::request::{OperationName, ValidationErrors, Violation, ViolationKind, payload_bodies};
use crate::source::Source;

/// What a source read from its event: a payload (one member naming the operation, a CreateContact
/// EMAIL request with the StartOutboundEmailContact that sends it, or a bare CreateContact
/// request), or the body of an operation the event itself names (a flow's `Operation` parameter,
/// an EventBridge detail-type).
#[derive(Debug, Clone, Copy)]
pub enum Payload<'a> {
    Any(&'a Value),
    Of(OperationName, &'a Value),
}

/// A payload the source may send: the policy's rules of each operation it names, with the
/// body's pointer, and the payload with the policy's fixed values (`None`: as sent).
pub struct Admitted<'p> {
    pub rules: Vec<(OperationName, &'p Rules, String)>,
    pub patched: Option<(Option<OperationName>, Value)>,
}

impl Admitted<'_> {
    /// The rules of `operation`, and its body's pointer in the payload.
    pub fn rules_of(&self, operation: OperationName) -> Option<(&Rules, &str)> {
        self.rules
            .iter()
            .find(|(op, _, _)| *op == operation)
            .map(|(_, rules, at)| (*rules, at.as_str()))
    }
}

/// Holds `payload` to what `source` may ask for (see the module's documentation).
pub fn admit<'p>(
    policy: Option<&'p Policy>,
    source: Source,
    payload: Payload<'_>,
) -> Result<Admitted<'p>, ContactError> {
    let bodies = match payload {
        Payload::Any(value) => payload_bodies(value),
        Payload::Of(operation, value) => vec![(operation, value, String::new())],
    };
    if !source.has_waiting_client()
        && let Some((operation, _, at)) = bodies.iter().find(|(op, ..)| op.answers_credentials())
    {
        return Err(ContactError::Invalid(ValidationErrors::new(
            Some(*operation),
            vec![Violation {
                path: at.clone(),
                kind: ViolationKind::NeedsWaitingCaller {
                    operation: *operation,
                    source: source.policy_name(),
                },
            }],
            0,
        )));
    }
    let Some(policy) = policy else {
        return Ok(Admitted {
            rules: Vec::new(),
            patched: None,
        });
    };
    let mut rules = Vec::new();
    let mut patched: Option<(Option<OperationName>, Value)> = None;
    for (operation, body, at) in bodies {
        let Some(operation_rules) = policy.rules(source.policy_name(), operation) else {
            return Err(ContactError::Refused(ValidationErrors::refusal(
                Some(operation),
                vec![Violation {
                    path: at,
                    kind: ViolationKind::OperationNotAllowed {
                        source: source.policy_name(),
                        operation,
                    },
                }],
            )));
        };
        let body = operation_rules
            .apply(operation, body, &at)
            .map_err(|refusals| {
                ContactError::Refused(ValidationErrors::refusal(Some(operation), refusals))
            })?;
        let current = match &patched {
            Some((_, whole)) => Payload::Any(whole),
            None => payload,
        };
        patched = Some(with_body(current, &at, body));
        rules.push((operation, operation_rules, at));
    }
    Ok(Admitted { rules, patched })
}

/// The payload with an operation's body, at `at`, replaced by `body`: the operation when the
/// payload is a body of one (`Payload::Of`), else `None` and the whole payload, still read as a
/// payload (the members beside the operation are checked as before).
fn with_body(payload: Payload<'_>, at: &str, body: Value) -> (Option<OperationName>, Value) {
    match payload {
        Payload::Of(operation, _) => (Some(operation), body),
        // A bare CreateContact request: the body is the payload.
        Payload::Any(_) if at.is_empty() => (None, body),
        Payload::Any(value) => {
            let mut whole = value.clone();
            // An operation's name, so its pointer needs no unescaping.
            whole[&at[1..]] = body;
            (None, whole)
        }
    }
}
