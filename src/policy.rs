//! The deployer's policy: which operations each source may ask for, which members a producer may
//! set, which values the deployment fixes, which numbers may be called and how often. One JSON
//! document (`POLICY`, or the file `POLICY_FILE` names), read once at init and checked there
//! against the operations' description, every problem reported at once.
//!
//! ```json
//! {"http": {"StartOutboundVoiceContact": {
//!     "fixed": {"ContactFlowId": "a1b2", "Attributes.channel": "web"},
//!     "allow": ["DestinationPhoneNumber", "Name", "Attributes.reason"],
//!     "destinations": ["+1", "+44"], "oncePerDestinationMinutes": 10}},
//!  "sqs": {"*": {}}}
//! ```
//!
//! Under a policy, a source it does not name may request nothing; under a source, only the
//! operations it names (`"*"`: every operation; a named operation's rules win over `"*"`).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::request::{OperationName, Shape, Violation, ViolationKind, pointer};

/// The sources a policy names, as it names them.
pub const SOURCES: &[&str] = &["sqs", "eventbridge", "http", "connect_flow", "direct"];
/// What a source's rules for one operation may say.
const RULE_NAMES: &[&str] = &[
    "fixed",
    "allow",
    "destinations",
    "oncePerDestinationMinutes",
];
/// The longest window of `oncePerDestinationMinutes`: 7 days, as long as Connect keeps a
/// callback's ClientToken.
pub const MAX_WINDOW_MINUTES: u64 = 7 * 24 * 60;
/// The prefix of the segment attributes Connect itself defines (`connect:Subtype`, ...): a
/// producer may set one only where the policy names it.
const SYSTEM_SEGMENT_PREFIX: &str = "connect:";

/// A member, or a key of a map member: `Attributes.channel`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberPath {
    pub member: String,
    pub key: Option<String>,
}

impl MemberPath {
    fn parse(text: &str) -> MemberPath {
        match text.split_once('.') {
            Some((member, key)) => MemberPath {
                member: member.to_owned(),
                key: Some(key.to_owned()),
            },
            None => MemberPath {
                member: text.to_owned(),
                key: None,
            },
        }
    }

    fn is(&self, member: &str, key: Option<&str>) -> bool {
        self.member == member && self.key.as_deref() == key
    }
}

/// What one source may do with one operation (or with every operation, under `"*"`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    /// Values the deployment sets: filled in when absent, refused when different.
    pub fixed: Vec<(MemberPath, Value)>,
    /// The members (and map keys) a producer may set; `None`: every member, but `connect:`
    /// segment attributes.
    pub allow: Option<Vec<MemberPath>>,
    /// E.164 prefixes a call or a message may go to; `None`: any.
    pub destinations: Option<Vec<String>>,
    /// At most one outbound contact per destination in each window of this many minutes.
    pub once_per_destination_minutes: Option<u64>,
}

/// One source's rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct SourceRules {
    every: Option<Rules>,
    operations: BTreeMap<OperationName, Rules>,
}

/// The policy, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    sources: BTreeMap<&'static str, SourceRules>,
}

/// A policy that cannot be used: every problem, each naming what it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", problems.join("; "))]
pub struct PolicyError {
    pub problems: Vec<String>,
}

impl Policy {
    /// Reads and checks a policy document.
    pub fn parse(text: &str) -> Result<Policy, PolicyError> {
        let document = crate::json::parse_strict(text.as_bytes()).map_err(|e| PolicyError {
            problems: vec![format!("not JSON: {e}")],
        })?;
        let mut problems = Vec::new();
        let mut policy = Policy::default();
        let Some(sources) = document.as_object() else {
            return Err(PolicyError {
                problems: vec!["must be a JSON object of sources".to_owned()],
            });
        };
        for (source, operations) in sources {
            let Some(source_name) = SOURCES.iter().find(|s| **s == source) else {
                problems.push(format!(
                    "unknown source {source:?}; the sources are {}",
                    SOURCES.join(", ")
                ));
                continue;
            };
            let Some(operations) = operations.as_object() else {
                problems.push(format!("{source}: must be an object of operations"));
                continue;
            };
            let mut rules = SourceRules::default();
            for (operation, body) in operations {
                let ops: Vec<OperationName> = if operation == "*" {
                    OperationName::ALL.to_vec()
                } else if let Some(op) = OperationName::parse(operation) {
                    vec![op]
                } else {
                    problems.push(format!(
                        "{source}: unknown operation {operation:?}; the operations are {}, or \"*\"",
                        OperationName::choices()
                    ));
                    continue;
                };
                let at = format!("{source}.{operation}");
                let parsed = parse_rules(&at, body, &ops, &mut problems);
                match OperationName::parse(operation) {
                    Some(op) => {
                        rules.operations.insert(op, parsed);
                    }
                    None => rules.every = Some(parsed),
                }
            }
            policy.sources.insert(source_name, rules);
        }
        if problems.is_empty() {
            Ok(policy)
        } else {
            Err(PolicyError { problems })
        }
    }

    /// The rules of `operation` from `source` (a policy source name); `None`: not allowed.
    pub fn rules(&self, source: &str, operation: OperationName) -> Option<&Rules> {
        let rules = self.sources.get(source)?;
        rules.operations.get(&operation).or(rules.every.as_ref())
    }
}

fn parse_rules(at: &str, body: &Value, ops: &[OperationName], problems: &mut Vec<String>) -> Rules {
    let mut rules = Rules::default();
    let Some(body) = body.as_object() else {
        problems.push(format!("{at}: must be an object of rules"));
        return rules;
    };
    for (name, value) in body {
        let at = format!("{at}.{name}");
        match name.as_str() {
            "fixed" => match value.as_object() {
                Some(fixed) => {
                    for (path, value) in fixed {
                        let path = check_path(&at, path, ops, problems);
                        if let Some(path) = path {
                            if value.is_null() {
                                problems.push(format!(
                                    "{at}.{}: a fixed value may not be null",
                                    show(&path)
                                ));
                            }
                            rules.fixed.push((path, value.clone()));
                        }
                    }
                }
                None => problems.push(format!("{at}: must be an object of members and values")),
            },
            "allow" => match value.as_array() {
                Some(entries) => {
                    let mut allow = Vec::new();
                    for entry in entries {
                        match entry.as_str() {
                            Some(text) => allow.extend(check_path(&at, text, ops, problems)),
                            None => problems.push(format!("{at}: entries must be member names")),
                        }
                    }
                    rules.allow = Some(allow);
                }
                None => problems.push(format!("{at}: must be an array of members")),
            },
            "destinations" => match value.as_array() {
                Some(prefixes) => {
                    let mut out = Vec::new();
                    for prefix in prefixes {
                        match prefix.as_str() {
                            Some("*") => {}
                            Some(p) if is_prefix(p) => out.push(p.to_owned()),
                            _ => problems.push(format!(
                                "{at}: {prefix} is not an E.164 prefix ('+' and 1 to 15 digits) \
                                 or \"*\""
                            )),
                        }
                    }
                    let any = prefixes.iter().any(|p| p == "*");
                    rules.destinations = (!any).then_some(out);
                }
                None => problems.push(format!("{at}: must be an array of E.164 prefixes")),
            },
            "oncePerDestinationMinutes" => match value.as_u64() {
                Some(m) if (1..=MAX_WINDOW_MINUTES).contains(&m) => {
                    rules.once_per_destination_minutes = Some(m)
                }
                _ => problems.push(format!(
                    "{at}: must be a whole number of minutes from 1 to {MAX_WINDOW_MINUTES}"
                )),
            },
            other => problems.push(format!(
                "{at}: unknown rule {other:?}; the rules are {}",
                RULE_NAMES.join(", ")
            )),
        }
    }
    rules
}

/// `text` as a member path of at least one of `ops`; a key only under a map member.
fn check_path(
    at: &str,
    text: &str,
    ops: &[OperationName],
    problems: &mut Vec<String>,
) -> Option<MemberPath> {
    let path = MemberPath::parse(text);
    let shapes: Vec<&Shape> = ops
        .iter()
        .filter_map(|op| op.spec().members.iter().find(|m| m.name == path.member))
        .map(|m| &m.shape)
        .collect();
    if shapes.is_empty() {
        let names: Vec<&str> = ops.iter().map(|op| op.as_str()).collect();
        problems.push(format!(
            "{at}: unknown member {:?} of {}",
            path.member,
            names.join(" or ")
        ));
        return None;
    }
    if path.key.is_some() && !shapes.iter().any(|s| is_map(s)) {
        problems.push(format!(
            "{at}: {:?} has no keys; only Attributes, References and SegmentAttributes do",
            path.member
        ));
        return None;
    }
    Some(path)
}

fn is_map(shape: &Shape) -> bool {
    matches!(
        shape,
        Shape::Attributes | Shape::References { .. } | Shape::SegmentAttributes
    )
}

fn is_prefix(text: &str) -> bool {
    text.strip_prefix('+').is_some_and(|digits| {
        (1..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

fn show(path: &MemberPath) -> String {
    match &path.key {
        Some(key) => format!("{}.{key}", path.member),
        None => path.member.clone(),
    }
}

impl Rules {
    /// Checks a request's body (at `at`, a JSON Pointer) against these rules, before it is
    /// validated: every member or key the producer may not set, every fixed value it sent
    /// otherwise. Answers the body with the fixed values filled in.
    pub fn apply(
        &self,
        operation: OperationName,
        body: &Value,
        at: &str,
    ) -> Result<Value, Vec<Violation>> {
        let Some(object) = body.as_object() else {
            // Not an object: validation says so.
            return Ok(body.clone());
        };
        let members = operation.spec().members;
        let mut violations = Vec::new();
        let refuse = |violations: &mut Vec<Violation>, path: String, kind: ViolationKind| {
            violations.push(Violation { path, kind })
        };
        for (member, value) in object.iter().filter(|(_, v)| !v.is_null()) {
            let member_at = pointer(at, member);
            let is_map_member = members.iter().any(|m| m.name == member && is_map(&m.shape));
            match value.as_object().filter(|_| is_map_member) {
                Some(map) => {
                    for key in map.keys() {
                        if !self.fixes(member, Some(key))
                            && !self.allows(operation, member, Some(key))
                        {
                            refuse(
                                &mut violations,
                                pointer(&member_at, key),
                                ViolationKind::MemberNotAllowed,
                            );
                        }
                    }
                }
                None => {
                    if !self.fixes(member, None) && !self.allows(operation, member, None) {
                        refuse(&mut violations, member_at, ViolationKind::MemberNotAllowed);
                    }
                }
            }
        }
        let mut patched: Map<String, Value> = object.clone();
        for (path, fixed) in &self.fixed {
            if !members.iter().any(|m| m.name == path.member) {
                // A "*" rule's member that this operation does not have.
                continue;
            }
            let sent = match &path.key {
                None => object.get(&path.member),
                Some(key) => object.get(&path.member).and_then(|m| m.get(key)),
            }
            .filter(|v| !v.is_null());
            match sent {
                Some(value) if value == fixed => {}
                Some(_) => {
                    let mut member_at = pointer(at, &path.member);
                    if let Some(key) = &path.key {
                        member_at = pointer(&member_at, key);
                    }
                    refuse(&mut violations, member_at, ViolationKind::MemberFixed);
                }
                None => match &path.key {
                    None => {
                        patched.insert(path.member.clone(), fixed.clone());
                    }
                    Some(key) => {
                        let map = patched
                            .entry(path.member.clone())
                            .or_insert_with(|| Value::Object(Map::new()));
                        if map.is_null() {
                            *map = Value::Object(Map::new());
                        }
                        if let Some(map) = map.as_object_mut() {
                            map.insert(key.clone(), fixed.clone());
                        }
                    }
                },
            }
        }
        if violations.is_empty() {
            Ok(Value::Object(patched))
        } else {
            Err(violations)
        }
    }

    fn fixes(&self, member: &str, key: Option<&str>) -> bool {
        self.fixed.iter().any(|(path, _)| path.is(member, key))
    }

    /// Whether a producer may set `member` (or `key` of it) of `operation`.
    fn allows(&self, operation: OperationName, member: &str, key: Option<&str>) -> bool {
        let system = member == "SegmentAttributes"
            && key.is_some_and(|k| k.starts_with(SYSTEM_SEGMENT_PREFIX));
        // One the operation cannot do without (an outbound chat's `connect:Subtype`) is a member
        // like any other.
        let required = system && key.is_some_and(|k| operation.requires_segment_attribute(k));
        match &self.allow {
            None if required => true,
            // Connect's own segment attributes only where the policy names them.
            _ if system => self.allow.iter().flatten().any(|path| path.is(member, key)),
            None => true,
            Some(allow) => allow
                .iter()
                .any(|path| path.is(member, None) || (key.is_some() && path.is(member, key))),
        }
    }

    /// Whether `destination` (an E.164 number) is one the rules let a contact go to.
    pub fn permits_destination(&self, destination: &str) -> bool {
        self.destinations
            .as_ref()
            .is_none_or(|prefixes| prefixes.iter().any(|p| destination.starts_with(p.as_str())))
    }
}
