//! Rules between members as data: what the documentation states and the model cannot (one value
//! of a set, a member required where another is given, at most one of two, a list that includes a
//! value), each read by the checker (every violation, with its path and message) and by the JSON
//! Schema (`schema`), so that the two cannot drift apart. Paths are member names from the
//! request's root.

use serde_json::{Map, Value, json};

use super::checker::{At, Checked, Checker};
use super::spec::{Form, form_rule};
use crate::violation::ViolationKind as Kind;

type Path = &'static [&'static str];

/// A value a rule compares a member with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Literal {
    Text(&'static str),
    Flag(bool),
}

impl Literal {
    fn matches(self, value: &Value) -> bool {
        match self {
            Literal::Text(text) => value.as_str() == Some(text),
            Literal::Flag(flag) => value.as_bool() == Some(flag),
        }
    }

    fn json(self) -> Value {
        match self {
            Literal::Text(text) => json!(text),
            Literal::Flag(flag) => json!(flag),
        }
    }
}

/// The member at `path` holds one of `values`.
#[derive(Debug)]
pub struct Condition {
    pub path: Path,
    pub values: &'static [Literal],
}

/// Whether every condition holds: `Some(false)` when one fails (with `absent_fails`, also when
/// its member is absent), `None` when one cannot be judged (its member is absent, or already
/// broke a rule of its own).
fn conditions_hold(
    check: &Checker,
    at: &At,
    checked: &Checked,
    conditions: &[Condition],
    absent_fails: bool,
) -> Option<bool> {
    let mut holds = true;
    for condition in conditions {
        if has_violation_at(check, at, condition.path) {
            return None;
        }
        match find(checked, condition.path) {
            Some(value) => holds &= condition.values.iter().any(|v| v.matches(value)),
            None if absent_fails => holds = false,
            None => return None,
        }
    }
    Some(holds)
}

fn has_violation_at(check: &Checker, at: &At, path: &[&str]) -> bool {
    at_path(at, path, |at| check.has_violation_under(at))
}

/// `f` of the place `path` names under `at`.
fn at_path<R>(at: &At, path: &[&str], f: impl FnOnce(&At) -> R) -> R {
    match path.split_first() {
        None => f(at),
        Some((first, rest)) => at_path(&at.member(first), rest, f),
    }
}

#[derive(Debug)]
pub enum MemberRule {
    /// Where the objects along the first `when` members of `path` are given, the text at
    /// `path` is one of `values`; else a violation at the first `report` members of `path`,
    /// stating `message` (`None`: the values).
    Values {
        path: Path,
        values: &'static [&'static str],
        when: usize,
        report: usize,
        message: Option<&'static str>,
    },
    /// Where the object holding the last member of `path` is given (and, with `if_given`, has
    /// that member), the member is given and not empty (`message`: why; `None`: "is required").
    Required {
        path: Path,
        if_given: Option<&'static str>,
        message: Option<&'static str>,
    },
    /// The text at `path`, where given, is an E.164 phone number.
    PhoneNumber { path: Path },
    /// The list at `path`, where given, includes `value`.
    Includes {
        path: Path,
        value: &'static str,
        message: &'static str,
    },
    /// At most one of the members `of` of the request.
    AtMostOne {
        of: &'static [&'static str],
        message: &'static str,
    },
    /// In the object at `path`, the value of `by` names the one member of each case to give, and
    /// the other to leave out: `(value, given, left out)`.
    NamedBy {
        path: Path,
        by: &'static str,
        cases: &'static [(&'static str, &'static str, &'static str)],
        missing: &'static str,
        extra: &'static str,
    },
    /// The member at `path`, where given (and, with `value`, where it holds that value), only
    /// where every condition holds (`absent_fails`: a condition whose member is absent fails; else
    /// it cannot be judged, and the rule says nothing).
    OnlyWith {
        path: Path,
        value: Option<Literal>,
        conditions: &'static [Condition],
        absent_fails: bool,
        message: &'static str,
    },
    /// Where every condition holds, the member at `path` is given; reported at `report`.
    RequiredIf {
        conditions: &'static [Condition],
        path: Path,
        report: Path,
        message: &'static str,
    },
    /// The lists `lists` of the object at `path` have at most `max` items together (reported at
    /// the list when there is one, else at the object). A JSON Schema states it for one list.
    MaxItems {
        path: Path,
        lists: &'static [&'static str],
        max: usize,
        message: &'static str,
    },
}

/// The checked value at `path` (member names from the root).
fn find<'c>(checked: &'c Checked, path: &[&str]) -> Option<&'c Value> {
    let (first, rest) = path.split_first()?;
    rest.iter()
        .try_fold(checked.get(*first)?, |value, member| value.get(member))
}

fn object<'c>(checked: &'c Checked, path: &[&str]) -> Option<&'c Map<String, Value>> {
    if path.is_empty() {
        return Some(checked);
    }
    find(checked, path).and_then(Value::as_object)
}

/// A violation at `path` (under `at`), unless one is already there or inside it.
fn add_once(check: &mut Checker, at: &At, path: &[&str], kind: Kind) {
    at_path(at, path, |at| {
        if !check.has_violation_under(at) {
            check.add(at, kind);
        }
    })
}

/// Every rule of `rules` on the members that passed the model (`checked`), at `at`.
pub(super) fn check(check: &mut Checker, rules: &[MemberRule], checked: &Checked, at: &At) {
    for rule in rules {
        match rule {
            MemberRule::Values {
                path,
                values,
                when,
                report,
                message,
            } => {
                if object(checked, &path[..*when]).is_none() {
                    continue;
                }
                let text = find(checked, path).and_then(Value::as_str);
                if !text.is_some_and(|t| values.contains(&t)) {
                    let kind = match message {
                        Some(message) => Kind::Rule(message),
                        None => Kind::NotOneOf {
                            choices: values.join(", "),
                            hint: None,
                        },
                    };
                    add_once(check, at, &path[..*report], kind);
                }
            }
            MemberRule::Required {
                path,
                if_given,
                message,
            } => {
                let Some((member, parent)) = path.split_last() else {
                    continue;
                };
                let Some(holder) = object(checked, parent) else {
                    continue;
                };
                if if_given.is_some_and(|given| !holder.contains_key(given)) {
                    continue;
                }
                let given = holder.get(*member).is_some_and(|v| v.as_str() != Some(""));
                if !given {
                    let kind = message.map_or(Kind::Required, Kind::Rule);
                    add_once(check, at, path, kind);
                }
            }
            MemberRule::PhoneNumber { path } => {
                if let Some(number) = find(checked, path).and_then(Value::as_str)
                    && !number.is_empty()
                    && !Form::PhoneNumber.admits(number)
                {
                    add_once(check, at, path, Kind::Form(form_rule(Form::PhoneNumber)));
                }
            }
            MemberRule::Includes {
                path,
                value,
                message,
            } => {
                if let Some(items) = find(checked, path).and_then(Value::as_array)
                    && !items.iter().any(|item| item == value)
                {
                    add_once(check, at, path, Kind::Rule(message));
                }
            }
            MemberRule::AtMostOne { of, message } => {
                if of.iter().filter(|m| checked.contains_key(**m)).count() > 1 {
                    check.add(at, Kind::Rule(message));
                }
            }
            MemberRule::NamedBy {
                path,
                by,
                cases,
                missing,
                extra,
            } => {
                let Some(holder) = object(checked, path) else {
                    continue;
                };
                let named = holder.get(*by).and_then(Value::as_str);
                let Some((_, given, left_out)) = cases.iter().find(|c| Some(c.0) == named) else {
                    continue;
                };
                let at_member = |member: &'static str| [*path, &[member]].concat();
                if !holder.contains_key(*given) {
                    add_once(check, at, &at_member(given), Kind::Rule(missing));
                }
                if holder.contains_key(*left_out) {
                    add_once(check, at, &at_member(left_out), Kind::Rule(extra));
                }
            }
            MemberRule::OnlyWith {
                path,
                value,
                conditions,
                absent_fails,
                message,
            } => {
                let given = find(checked, path).is_some_and(|v| value.is_none_or(|l| l.matches(v)));
                if given
                    && conditions_hold(check, at, checked, conditions, *absent_fails) == Some(false)
                {
                    add_once(check, at, path, Kind::Rule(message));
                }
            }
            MemberRule::RequiredIf {
                conditions,
                path,
                report,
                message,
            } => {
                if conditions_hold(check, at, checked, conditions, false) == Some(true)
                    && find(checked, path).is_none()
                    && !has_violation_at(check, at, path)
                {
                    add_once(check, at, report, Kind::Rule(message));
                }
            }
            MemberRule::MaxItems {
                path,
                lists,
                max,
                message,
            } => {
                let Some(holder) = object(checked, path) else {
                    continue;
                };
                let total: usize = lists
                    .iter()
                    .filter_map(|list| holder.get(*list).and_then(Value::as_array))
                    .map(Vec::len)
                    .sum();
                if total > *max {
                    let report = match lists {
                        [one] => [*path, &[*one]].concat(),
                        _ => path.to_vec(),
                    };
                    add_once(check, at, &report, Kind::Rule(message));
                }
            }
        }
    }
}

/// `inner` as the schema of the member at `path`, nested in the properties of its parents.
fn nest(path: &[&str], inner: Value) -> Value {
    path.iter().rev().fold(
        inner,
        |inner, member| json!({ "properties": { *member: inner } }),
    )
}

/// `inner` at `path`, each member down to it required (an `if` that holds only where they are).
fn nest_required(path: &[&str], inner: Value) -> Value {
    path.iter().rev().fold(
        inner,
        |inner, member| json!({ "properties": { *member: inner }, "required": [member] }),
    )
}

/// Where every condition's member is given and holds one of its values.
fn conditions_schema(conditions: &[Condition]) -> Value {
    let all: Vec<Value> = conditions
        .iter()
        .filter_map(|condition| {
            let (leaf, parent) = condition.path.split_last()?;
            let values: Vec<Value> = condition.values.iter().map(|v| v.json()).collect();
            let allowed = match values.as_slice() {
                [one] => json!({ "const": one }),
                _ => json!({ "enum": values }),
            };
            Some(nest_required(
                parent,
                json!({ "properties": { *leaf: allowed }, "required": [leaf] }),
            ))
        })
        .collect();
    match all.as_slice() {
        [one] => one.clone(),
        _ => json!({ "allOf": all }),
    }
}

/// The JSON Schema of `rules`: one schema each, for an operation's `allOf` (a sum of lists
/// across members is the function's alone).
pub(super) fn schema(rules: &[MemberRule]) -> Vec<Value> {
    rules
        .iter()
        .filter_map(|rule| match rule {
            MemberRule::Values {
                path, values, when, ..
            } => {
                // Beyond the first `when` members, each member down to the text is required.
                let (leaf, inner) = path.split_last()?;
                let mut schema = json!({
                    "properties": { *leaf: { "enum": values } },
                    "required": [leaf],
                });
                for depth in (*when..inner.len()).rev() {
                    schema = json!({
                        "properties": { inner[depth]: schema },
                        "required": [inner[depth]],
                    });
                }
                Some(nest(&inner[..*when], schema))
            }
            MemberRule::Required { path, if_given, .. } => {
                let (leaf, parent) = path.split_last()?;
                let required = json!({ "required": [leaf] });
                let inner = match if_given {
                    Some(given) => json!({ "if": { "required": [given] }, "then": required }),
                    None => required,
                };
                Some(nest(parent, inner))
            }
            MemberRule::PhoneNumber { path } => Some(nest(
                path,
                json!({ "pattern": Form::PhoneNumber.pattern() }),
            )),
            MemberRule::Includes { path, value, .. } => {
                Some(nest(path, json!({ "contains": { "const": value } })))
            }
            MemberRule::AtMostOne { of, .. } => {
                let pairs: Vec<Value> = of
                    .iter()
                    .enumerate()
                    .flat_map(|(i, a)| {
                        of[i + 1..]
                            .iter()
                            .map(move |b| json!({ "required": [a, b] }))
                    })
                    .collect();
                Some(json!({ "not": { "anyOf": pairs } }))
            }
            MemberRule::NamedBy {
                path, by, cases, ..
            } => {
                let cases: Vec<Value> = cases
                    .iter()
                    .map(|(value, given, left_out)| {
                        json!({
                            "if": { "properties": { *by: { "const": value } }, "required": [by] },
                            "then": { "required": [given], "not": { "required": [left_out] } },
                        })
                    })
                    .collect();
                Some(nest(path, json!({ "allOf": cases })))
            }
            MemberRule::OnlyWith {
                path,
                value,
                conditions,
                absent_fails,
                ..
            } => {
                let (leaf, parent) = path.split_last()?;
                let given = match value {
                    Some(value) => json!({ "properties": { *leaf: { "const": value.json() } }, "required": [leaf] }),
                    None => json!({ "required": [leaf] }),
                };
                let mut then = conditions_schema(conditions);
                if !absent_fails {
                    then.as_object_mut()?.remove("required");
                }
                Some(json!({ "if": nest_required(parent, given), "then": then }))
            }
            MemberRule::RequiredIf {
                conditions, path, ..
            } => {
                let (leaf, parent) = path.split_last()?;
                Some(json!({
                    "if": conditions_schema(conditions),
                    "then": nest_required(parent, json!({ "required": [leaf] })),
                }))
            }
            MemberRule::MaxItems {
                path, lists, max, ..
            } => match lists {
                [one] => Some(nest(
                    path,
                    json!({ "properties": { *one: { "maxItems": max } } }),
                )),
                _ => None,
            },
        })
        .collect()
}
