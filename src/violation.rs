//! What is wrong with an input, and where: violations at JSON Pointer paths, collected so that
//! every problem is reported at once. Shared by the request rules and strict JSON reading.

use crate::operation::OperationName;
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
        belongs_to: Vec<OperationName>,
        accepted: &'static [&'static str],
    },
    /// A payload's lone member names an operation this function does not call.
    UnknownOperation {
        suggestion: Option<OperationName>,
        supported: &'static [OperationName],
    },
    /// A payload names more than one operation.
    SeveralOperations {
        found: Vec<OperationName>,
        supported: &'static [OperationName],
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
        operation: OperationName,
        allowed: Vec<&'static str>,
    },
    /// Not exactly one of the members that exclude each other.
    ExactlyOne {
        of: &'static [&'static str],
        found: usize,
    },
    /// A rule on a value's form (characters, key shape), stated in full.
    Form(&'static str),
    /// A string the service model's pattern does not match (with the model's meaning: a match
    /// anywhere counts, unless the pattern anchors itself).
    Pattern {
        pattern: &'static str,
    },
    /// An operation that answers credentials to a waiting client, asked for by a source with no
    /// caller waiting for the answer.
    NeedsWaitingCaller {
        operation: OperationName,
        source: &'static str,
    },
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
    /// The policy does not let this source request this operation.
    OperationNotAllowed {
        source: &'static str,
        operation: OperationName,
    },
    /// The policy does not let this source set this member (or key).
    MemberNotAllowed,
    /// The policy fixes this member's value, and the request sent another.
    MemberFixed,
    /// The policy's destinations do not include this number.
    DestinationNotAllowed,
}

impl ViolationKind {
    /// The kind's name when it is a refusal of the deployer's policy (not a broken rule of the
    /// request): what the error, its metric and its outcome event are named after.
    pub fn refusal_name(&self) -> Option<&'static str> {
        match self {
            ViolationKind::OperationNotAllowed { .. } => Some("OperationNotAllowed"),
            ViolationKind::MemberNotAllowed => Some("MemberNotAllowed"),
            ViolationKind::MemberFixed => Some("MemberFixed"),
            ViolationKind::DestinationNotAllowed => Some("DestinationNotAllowed"),
            _ => None,
        }
    }
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
            // The accepted members are listed once per answer, not per violation (see
            // [`ValidationErrors::accepted`]).
            UnknownMember { of, suggestion, .. } => {
                write!(f, "unknown member of {of}")?;
                if let Some(near) = suggestion {
                    write!(f, " (did you mean {near}?)")?;
                }
                Ok(())
            }
            MemberOfOtherOperation { of, belongs_to, .. } => write!(
                f,
                "is not a member of {of} but of {}: name the operation, as in \
                 {{\"{}\": {{...}}}}",
                match belongs_to.split_last() {
                    Some((last, [])) => last.to_string(),
                    Some((last, rest)) => format!("{} and {last}", names(rest)),
                    None => String::new(),
                },
                belongs_to.first().map_or("", |op| op.as_str()),
            ),
            UnknownOperation {
                suggestion,
                supported,
            } => {
                f.write_str("is not an operation contact-bridge calls")?;
                if let Some(near) = suggestion {
                    write!(f, " (did you mean {near}?)")?;
                }
                write!(f, "; supported: {}", names(supported))
            }
            SeveralOperations { found, supported } => write!(
                f,
                "names {} operations ({}); a payload names one of {}",
                found.len(),
                names(found),
                names(supported)
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
            Pattern { pattern } => write!(f, "must match the service model's pattern {pattern}"),
            NeedsWaitingCaller { operation, source } => write!(
                f,
                "{operation} answers credentials (a participant token) to the client that waits \
                 for the answer, and {source} has no one waiting: nobody would receive them; \
                 call it through the HTTP API or a direct invocation"
            ),
            NotJson { what, problem } => write!(f, "{what} is not JSON: {problem}"),
            DuplicateMember => f.write_str("appears more than once in its object"),
            Unreadable(problem) => f.write_str(problem),
            OperationNotAllowed { source, operation } => write!(
                f,
                "the deployment's policy does not let {source} request {operation}"
            ),
            MemberNotAllowed => {
                f.write_str("is not a member this source may set (the deployment's policy: allow)")
            }
            MemberFixed => f.write_str(
                "is fixed by the deployment's policy: leave it out, or send the fixed value",
            ),
            DestinationNotAllowed => {
                f.write_str("is not a destination the deployment's policy allows (destinations)")
            }
        }
    }
}

/// The most violations an answer names; the rest are counted ("... and 4,812 more").
pub const MAX_VIOLATIONS: usize = 100;
/// The most violations a one-line message (the Display, a function error's `errorMessage`) names.
const MAX_MESSAGE_VIOLATIONS: usize = 10;
/// The most violations the Debug text (which the Lambda runtime logs) names.
pub(crate) const MAX_DEBUG_VIOLATIONS: usize = 5;
/// The largest answer body that reports violations, from any source.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Every rule the request breaks, up to [`MAX_VIOLATIONS`], and how many more there were; never
/// empty.
/// Its Debug, for logs, is in `request::redact`, which knows the description's names.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
pub struct ValidationErrors {
    pub violations: Vec<Violation>,
    /// Violations found beyond [`MAX_VIOLATIONS`], counted but not kept.
    pub omitted: usize,
    /// The operation the request was read as, when it got that far.
    pub operation: Option<OperationName>,
    /// Refusals of the deployer's policy, not broken rules of the request.
    pub refused: bool,
}

impl ValidationErrors {
    /// The policy's refusals of a request of `operation`.
    pub fn refusal(operation: Option<OperationName>, violations: Vec<Violation>) -> Self {
        ValidationErrors {
            refused: true,
            ..Self::new(operation, violations, 0)
        }
    }

    /// A single violation at `path`, of a request whose operation is not known.
    pub fn one(path: impl Into<String>, kind: ViolationKind) -> Self {
        Self::new(
            None,
            vec![Violation {
                path: path.into(),
                kind,
            }],
            0,
        )
    }

    /// The violations of a request read as `operation`.
    pub fn of(operation: OperationName, violations: Vec<Violation>) -> Self {
        Self::new(Some(operation), violations, 0)
    }

    /// At most [`MAX_VIOLATIONS`] of `violations`, the rest counted with `omitted`.
    pub fn new(
        operation: Option<OperationName>,
        mut violations: Vec<Violation>,
        omitted: usize,
    ) -> Self {
        let extra = violations.len().saturating_sub(MAX_VIOLATIONS);
        violations.truncate(MAX_VIOLATIONS);
        ValidationErrors {
            violations,
            omitted: omitted + extra,
            operation,
            refused: false,
        }
    }

    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Every violation found, kept or counted.
    pub fn count(&self) -> usize {
        self.violations.len() + self.omitted
    }

    /// The members each object named by an unknown-member violation accepts, each object once:
    /// `(StartTaskContact, [InstanceId, Name, ...])`.
    pub fn accepted(&self) -> Vec<(&'static str, &'static [&'static str])> {
        let mut out: Vec<(&'static str, &'static [&'static str])> = Vec::new();
        for violation in &self.violations {
            let entry = match &violation.kind {
                ViolationKind::UnknownMember { of, accepted, .. }
                | ViolationKind::MemberOfOtherOperation { of, accepted, .. } => (*of, *accepted),
                _ => continue,
            };
            if !out.iter().any(|(of, _)| *of == entry.0) {
                out.push(entry);
            }
        }
        out
    }

    /// The answer's body, for every source that answers with the violations (HTTP, the dry run):
    /// `{"message", "errors": [{path, message}], "accepted": {object: [members]}, "more": n}`, at
    /// most [`MAX_ANSWER_BYTES`] of JSON whatever the input (violations past that are counted in
    /// `more`).
    pub fn to_answer(&self) -> serde_json::Value {
        let mut kept = self.violations.len();
        loop {
            let shown = ValidationErrors {
                violations: self.violations[..kept].to_vec(),
                omitted: self.omitted + (self.violations.len() - kept),
                ..self.clone()
            };
            let accepted: serde_json::Map<String, serde_json::Value> = shown
                .accepted()
                .into_iter()
                .map(|(of, members)| (of.to_owned(), serde_json::json!(members)))
                .collect();
            let mut answer = serde_json::json!({
                "message": shown.to_string(),
                "errors": shown.violations,
            });
            if !accepted.is_empty() {
                answer["accepted"] = serde_json::Value::Object(accepted);
            }
            if shown.omitted > 0 {
                answer["more"] = serde_json::json!(shown.omitted);
            }
            // Paths and messages are bounded, so this fits at once in practice; the loop makes it
            // certain.
            if kept <= 1 || answer.to_string().len() <= MAX_ANSWER_BYTES {
                return answer;
            }
            kept /= 2;
        }
    }

    pub(crate) fn write_list(
        &self,
        f: &mut fmt::Formatter<'_>,
        limit: usize,
        path: impl Fn(&str) -> String,
    ) -> fmt::Result {
        let count = self.count();
        match (self.operation, self.refused) {
            (Some(operation), false) => write!(f, "invalid {operation} request")?,
            // Not read as any operation yet (not JSON, say).
            (None, false) => f.write_str("invalid request")?,
            (Some(operation), true) => {
                write!(f, "{operation} request refused by the deployment's policy")?
            }
            (None, true) => f.write_str("request refused by the deployment's policy")?,
        }
        write!(
            f,
            " ({count} problem{}): ",
            if count == 1 { "" } else { "s" }
        )?;
        for (i, v) in self.violations.iter().take(limit).enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            let shown = if v.path.is_empty() {
                "/".to_owned()
            } else {
                path(&v.path)
            };
            write!(f, "{shown}: {}", v.kind)?;
        }
        let rest = count.saturating_sub(limit.min(self.violations.len()));
        if rest > 0 {
            write!(f, "; ... and {rest} more")?;
        }
        Ok(())
    }
}

/// The one-line message, for the producer: its first violations with their paths (which may
/// name the producer's own keys), then how many more.
impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_list(f, MAX_MESSAGE_VIOLATIONS, str::to_owned)?;
        let accepted = self.accepted();
        for (of, members) in accepted {
            write!(f, "; {of} accepts: {}", members.join(", "))?;
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

/// The longest path segment kept whole (in characters); a longer key is cut, and ends with `…`.
pub const MAX_SEGMENT_CHARS: usize = 64;
/// A path that reaches this many bytes gets no more segments but one `…`: paths, and so answers,
/// stay bounded however deep and long the producer's keys are, and building a child's path costs
/// at most this much.
pub const MAX_PATH_BYTES: usize = 256;
const CUT: char = '…';

pub(crate) fn push_segment(path: &mut String, key: &str) {
    if path.len() >= MAX_PATH_BYTES {
        if !path.ends_with(CUT) {
            path.push('/');
            path.push(CUT);
        }
        return;
    }
    path.push('/');
    for (i, c) in key.chars().enumerate() {
        if i == MAX_SEGMENT_CHARS {
            path.push(CUT);
            break;
        }
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

/// Operations as messages list them: `CreateContact, StartTaskContact`.
fn names(operations: &[OperationName]) -> String {
    operations
        .iter()
        .map(|op| op.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
