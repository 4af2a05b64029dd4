//! What is wrong with an input, and where: violations at JSON Pointer paths, collected so that
//! every problem is reported at once. Shared by the request rules and strict JSON reading.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

/// One broken rule, at a JSON Pointer path into the input (`/Attributes/orderId`). Serialised as
/// `{"path", "message"}`, the message being the kind's [`Display`](fmt::Display).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub path: String,
    pub kind: ViolationKind,
}

impl Serialize for Violation {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("Violation", 2)?;
        out.serialize_field("path", &self.path)?;
        out.serialize_field("message", &self.kind.to_string())?;
        out.end()
    }
}

/// What is wrong at a path: data, with one [`Display`](fmt::Display) for every message. Messages
/// name members, types and bounds, never the values (they may hold personal data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViolationKind {
    /// A required member is absent.
    Required,
    /// A required member is absent and the setting that could supply it is not set.
    RequiredWithoutDefault {
        setting: &'static str,
    },
    /// A JSON type other than the one expected (`expected`: "a string", "an object", ...).
    WrongType {
        expected: &'static str,
        found: &'static str,
    },
    /// An empty string where at least one character is required.
    Empty,
    TooShort {
        min: usize,
        length: usize,
    },
    TooLong {
        max: usize,
        length: usize,
    },
    /// Not one of an enumeration's values; `hint` says more about a common mistake.
    NotOneOf {
        choices: String,
        hint: Option<String>,
    },
    /// A value of the enumeration that the channel does not take.
    NotForChannel {
        allowed: Vec<&'static str>,
        channel: &'static str,
    },
    /// A member the object does not have, and the known member it looks like.
    UnknownMember {
        of: &'static str,
        suggestion: Option<&'static str>,
        accepted: &'static [&'static str],
    },
    /// A member of another operation's request (`ContactFlowId` in a bare CreateContact request).
    MemberOfOtherOperation {
        of: &'static str,
        belongs_to: Vec<&'static str>,
        accepted: &'static [&'static str],
    },
    /// A payload's lone member names an operation this function does not call.
    UnknownOperation {
        suggestion: Option<&'static str>,
        supported: &'static [&'static str],
    },
    /// A payload names more than one operation.
    SeveralOperations {
        found: Vec<&'static str>,
        supported: &'static [&'static str],
    },
    /// A list with too few or too many items.
    ItemCount {
        min: usize,
        max: usize,
        count: usize,
    },
    /// A timestamp further ahead than the operation allows.
    NotAfter {
        days: i64,
    },
    NotPositive,
    Fraction,
    OutOfRange {
        min: i64,
        max: i64,
    },
    /// Keys and values of a map over its UTF-8 byte budget.
    ByteBudget {
        bytes: usize,
        max: usize,
    },
    /// A reference type a TASK contact does not take.
    ReferenceTypeForTask {
        allowed: Vec<&'static str>,
    },
    /// A reference type the operation does not take at creation.
    ReferenceTypeAtCreation {
        operation: &'static str,
        allowed: Vec<&'static str>,
    },
    /// Not exactly one of the members that exclude each other.
    ExactlyOne {
        of: &'static [&'static str],
        found: usize,
    },
    /// A rule on a value's form (characters, key shape), stated in full.
    Form(&'static str),
    /// A rule between members, stated in full.
    Rule(&'static str),
    /// Input that is not JSON; `what` names it ("the request body").
    NotJson {
        what: String,
        problem: String,
    },
    DuplicateMember,
    /// A source could not read its event into a request, in its own words.
    Unreadable(String),
}

impl fmt::Display for ViolationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ViolationKind::*;
        match self {
            Required => f.write_str("is required"),
            RequiredWithoutDefault { setting } => {
                write!(f, "is required (no {setting} default is configured)")
            }
            WrongType { expected, found } => write!(f, "must be {expected}, not {found}"),
            Empty => f.write_str("must not be empty"),
            TooShort { min, length } => {
                write!(f, "must be at least {min} characters (it has {length})")
            }
            TooLong { max, length } => {
                write!(f, "must be at most {max} characters (it has {length})")
            }
            NotOneOf { choices, hint } => {
                write!(f, "must be one of {choices}")?;
                match hint {
                    Some(hint) => write!(f, " ({hint})"),
                    None => Ok(()),
                }
            }
            NotForChannel { allowed, channel } => {
                write!(
                    f,
                    "must be {} for the {channel} channel",
                    allowed.join(" or ")
                )
            }
            UnknownMember {
                of,
                suggestion,
                accepted,
            } => {
                write!(f, "unknown member of {of}")?;
                if let Some(near) = suggestion {
                    write!(f, " (did you mean {near}?)")?;
                }
                write!(f, "; accepted: {}", accepted.join(", "))
            }
            MemberOfOtherOperation {
                of,
                belongs_to,
                accepted,
            } => write!(
                f,
                "is not a member of {of} but of {}: name the operation, as in \
                 {{\"{}\": {{...}}}}; accepted: {}",
                belongs_to.join(" and "),
                belongs_to[0],
                accepted.join(", ")
            ),
            UnknownOperation {
                suggestion,
                supported,
            } => {
                f.write_str("is not an operation contact-bridge calls")?;
                if let Some(near) = suggestion {
                    write!(f, " (did you mean {near}?)")?;
                }
                write!(f, "; supported: {}", supported.join(", "))
            }
            SeveralOperations { found, supported } => write!(
                f,
                "names {} operations ({}); a payload names one of {}",
                found.len(),
                found.join(", "),
                supported.join(", ")
            ),
            ItemCount { min, max, count } => {
                if *max == usize::MAX {
                    write!(f, "must have at least {min} items (it has {count})")
                } else {
                    write!(f, "must have {min} to {max} items (it has {count})")
                }
            }
            NotAfter { days } => write!(f, "must be at most {days} days ahead"),
            NotPositive => f.write_str("must be a positive integer"),
            Fraction => f.write_str("must be an integer, not a fraction"),
            OutOfRange { min, max } => write!(f, "must be an integer from {min} to {max}"),
            ByteBudget { bytes, max } => write!(
                f,
                "keys and values total {bytes} UTF-8 bytes; at most {max} are allowed"
            ),
            ReferenceTypeForTask { allowed } => write!(
                f,
                "TASK contacts accept only references of type {}",
                allowed.join(", ")
            ),
            ReferenceTypeAtCreation { operation, allowed } => write!(
                f,
                "{operation} accepts only references of type {}",
                allowed.join(", ")
            ),
            ExactlyOne { of, found } => {
                write!(
                    f,
                    "must have exactly one of {} (it has {found})",
                    of.join(", ")
                )
            }
            Form(rule) | Rule(rule) => f.write_str(rule),
            NotJson { what, problem } => write!(f, "{what} is not JSON: {problem}"),
            DuplicateMember => f.write_str("appears more than once in its object"),
            Unreadable(problem) => f.write_str(problem),
        }
    }
}

/// Every rule the request breaks; never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ValidationErrors {
    pub violations: Vec<Violation>,
    /// The operation the request was read as, when it got that far.
    pub operation: Option<&'static str>,
}

impl ValidationErrors {
    /// A single violation at `path`, of a request whose operation is not known.
    pub fn one(path: impl Into<String>, kind: ViolationKind) -> Self {
        ValidationErrors {
            violations: vec![Violation {
                path: path.into(),
                kind,
            }],
            operation: None,
        }
    }

    /// The violations of a request read as `operation`.
    pub fn of(operation: &'static str, violations: Vec<Violation>) -> Self {
        ValidationErrors {
            violations,
            operation: Some(operation),
        }
    }

    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.violations.len();
        match self.operation {
            Some(operation) => write!(f, "invalid {operation} request")?,
            // Not read as any operation yet (not JSON, say).
            None => f.write_str("invalid request")?,
        }
        write!(
            f,
            " ({count} problem{}): ",
            if count == 1 { "" } else { "s" }
        )?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            let path = if v.path.is_empty() { "/" } else { &v.path };
            write!(f, "{path}: {}", v.kind)?;
        }
        Ok(())
    }
}

/// Appends `key` to a JSON Pointer (RFC 6901 escaping).
pub fn pointer(parent: &str, key: &str) -> String {
    let mut path = String::with_capacity(parent.len() + key.len() + 1);
    path.push_str(parent);
    push_segment(&mut path, key);
    path
}

pub(crate) fn push_segment(path: &mut String, key: &str) {
    path.push('/');
    for c in key.chars() {
        match c {
            '~' => path.push_str("~0"),
            '/' => path.push_str("~1"),
            c => path.push(c),
        }
    }
}

/// The JSON type of a value, as messages name it.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
