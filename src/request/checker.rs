//! The checker's state, shared by the walk over a request (`walk`), the rules between members
//! (`rules`) and the payload's entry points (`check`): where a value sits ([`At`]), the defaults
//! that fill absent members, and the bounded list of violations found so far.

use serde_json::{Map, Value};

use super::model::Request;
use super::spec::*;
use crate::violation::{
    MAX_VIOLATIONS, ValidationErrors, Violation, ViolationKind as Kind, json_type, push_segment,
};

/// Where a value sits in the request: a chain of borrowed segments, written out as a JSON Pointer
/// only when a violation names it, so that reading a valid request builds no paths.
#[derive(Clone, Copy)]
pub(super) enum At<'a> {
    Root,
    Member(&'a At<'a>, &'a str),
    Item(&'a At<'a>, usize),
}

pub(super) static ROOT: At<'static> = At::Root;

impl<'a> At<'a> {
    pub(super) fn member(&'a self, name: &'a str) -> At<'a> {
        At::Member(self, name)
    }

    pub(super) fn item(&'a self, index: usize) -> At<'a> {
        At::Item(self, index)
    }

    pub(super) fn pointer(&self) -> String {
        let mut path = String::new();
        self.write(&mut path);
        path
    }

    fn write(&self, path: &mut String) {
        match self {
            At::Root => {}
            At::Member(parent, name) => {
                parent.write(path);
                push_segment(path, name);
            }
            At::Item(parent, index) => {
                parent.write(path);
                push_segment(path, &index.to_string());
            }
        }
    }
}

/// What the event and the settings supply when a request leaves a member out, and the time the
/// request is checked at (for `ScheduledTime`).
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestDefaults<'a> {
    /// The event's instance (a Connect flow's), else `CONNECT_INSTANCE_ID`.
    pub instance_id: Option<&'a str>,
    /// `DEFAULT_CONTACT_FLOW_ID`.
    pub contact_flow_id: Option<&'a str>,
    /// `DEFAULT_QUEUE_ID`.
    pub queue_id: Option<&'a str>,
    /// Seconds since the epoch; `None`: the system clock.
    pub now: Option<i64>,
}

impl RequestDefaults<'_> {
    pub(super) fn get(&self, setting: Setting) -> Option<&str> {
        match setting {
            Setting::ConnectInstanceId => self.instance_id,
            Setting::DefaultContactFlowId => self.contact_flow_id,
            Setting::DefaultQueueId => self.queue_id,
        }
    }

    pub(super) fn now(&self) -> i64 {
        self.now.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        })
    }
}

pub(super) fn not_an_object(value: &Value) -> Kind {
    Kind::WrongType {
        expected: "a JSON object (a CreateContact request)",
        found: json_type(value),
    }
}

pub(super) fn incomplete(operation: OperationName) -> ValidationErrors {
    ValidationErrors::of(
        operation,
        vec![Violation {
            path: String::new(),
            kind: Kind::Rule("request is incomplete"),
        }],
    )
}

pub(super) fn char_count(text: &str) -> usize {
    text.chars().count()
}

/// The longest name a suggestion is looked for (in characters): no member name is near a longer
/// one, and the edit distance costs the product of the two lengths.
const MAX_SUGGESTED_CHARS: usize = 64;
/// The most suggestions one request's answer makes; later unknown members get none.
const MAX_SUGGESTIONS: usize = 10;
/// The most unknown names one request looks for a suggestion for, found or not: the work of
/// suggesting stays the same whatever the number of unknown members.
const MAX_SUGGESTION_ATTEMPTS: usize = 64;
/// How far a typo may be from the name it is of (edits).
const MAX_EDITS: usize = 2;

/// The known name closest to `unknown`, when it is plausibly a typo of it. Cheap for any input:
/// a name longer than [`MAX_SUGGESTED_CHARS`] gets none, and a known name whose length differs by
/// more than [`MAX_EDITS`] is not compared.
pub(super) fn closest<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    // A character is at most 4 bytes: a longer text has more than the longest name suggested.
    if unknown.len() > 4 * MAX_SUGGESTED_CHARS {
        return None;
    }
    let length = unknown.chars().count();
    let near = |k: &&&str| k.len().abs_diff(length) <= MAX_EDITS;
    if length > MAX_SUGGESTED_CHARS || !known.iter().any(|k| near(&k)) {
        return None;
    }
    let unknown = unknown.to_lowercase();
    known
        .iter()
        .filter(near)
        .map(|k| (strsim::levenshtein(&unknown, &k.to_lowercase()), *k))
        .filter(|(d, _)| *d <= MAX_EDITS)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// The checked members of one object, by name.
pub(super) type Checked = Map<String, Value>;

/// Collects violations while the request is read: the first [`MAX_VIOLATIONS`] with their
/// paths, the rest only counted (no path is built for them), so that the work and the answer stay
/// bounded whatever the request.
pub(super) struct Checker<'d> {
    pub(super) violations: Vec<Violation>,
    /// Every violation found, kept or not.
    pub(super) found: usize,
    suggestions_left: usize,
    suggestion_attempts_left: usize,
    pub(super) operation: OperationName,
    pub(super) defaults: &'d RequestDefaults<'d>,
    /// A StartOutboundEmailContact request beside a CreateContact one, which supplies its
    /// ContactId.
    pub(super) paired: bool,
}

impl<'d> Checker<'d> {
    pub(super) fn new(operation: OperationName, defaults: &'d RequestDefaults<'d>) -> Self {
        Checker {
            violations: Vec::new(),
            found: 0,
            suggestions_left: MAX_SUGGESTIONS,
            suggestion_attempts_left: MAX_SUGGESTION_ATTEMPTS,
            operation,
            defaults,
            paired: false,
        }
    }

    pub(super) fn add(&mut self, path: &At, kind: Kind) {
        self.found += 1;
        if self.violations.len() < MAX_VIOLATIONS {
            self.violations.push(Violation {
                path: path.pointer(),
                kind,
            });
        }
    }

    /// Whether any violation was found (kept or only counted).
    pub(super) fn has_violations(&self) -> bool {
        self.found > 0
    }

    /// A suggestion for an unknown member, while this request's budget lasts.
    pub(super) fn suggest(
        &mut self,
        key: &str,
        known: &'static [&'static str],
    ) -> Option<&'static str> {
        if self.suggestions_left == 0 || self.suggestion_attempts_left == 0 {
            return None;
        }
        self.suggestion_attempts_left -= 1;
        let suggestion = closest(key, known);
        if suggestion.is_some() {
            self.suggestions_left -= 1;
        }
        suggestion
    }

    /// Whether a violation names `at` or anything inside it (whole segments: `/UserInfoX` is not
    /// inside `/UserInfo`).
    pub(super) fn has_violation_under(&self, at: &At) -> bool {
        let prefix = at.pointer();
        self.violations.iter().any(|v| {
            v.path
                .strip_prefix(&prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }

    pub(super) fn finish(self, result: Option<Request>) -> Result<Request, ValidationErrors> {
        match result {
            Some(request) if !self.has_violations() => Ok(request),
            _ if !self.has_violations() => Err(incomplete(self.operation)),
            _ => {
                let omitted = self.found - self.violations.len();
                Err(ValidationErrors::new(
                    Some(self.operation),
                    self.violations,
                    omitted,
                ))
            }
        }
    }

    pub(super) fn unknown_members(
        &mut self,
        object: &Map<String, Value>,
        path: &At,
        known: &'static [&'static str],
        what: &'static str,
    ) {
        for key in object.keys().filter(|k| !known.contains(&k.as_str())) {
            if self.violations.len() >= MAX_VIOLATIONS {
                // Only counted from here: no kind to work out.
                self.found += 1;
                continue;
            }
            let kind = match self.other_operations_with(key, what) {
                Some(belongs_to) => Kind::MemberOfOtherOperation {
                    of: what,
                    belongs_to,
                    accepted: known,
                },
                None => Kind::UnknownMember {
                    of: what,
                    suggestion: self.suggest(key, known),
                    accepted: known,
                },
            };
            self.add(&path.member(key), kind);
        }
    }

    /// At an operation's top level, the other operations that have member `key`.
    pub(super) fn other_operations_with(
        &self,
        key: &str,
        what: &str,
    ) -> Option<Vec<OperationName>> {
        if what != self.operation.as_str() {
            return None;
        }
        let others: Vec<OperationName> = OperationName::ALL
            .iter()
            .copied()
            .filter(|op| *op != self.operation && op.spec().member_names.contains(&key))
            .collect();
        (!others.is_empty()).then_some(others)
    }

    /// The member's value, treating JSON null as absent.
    pub(super) fn member<'v>(object: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
        object.get(name).filter(|v| !v.is_null())
    }
}
