//! The walk over one operation's request: each member by the operation's description (`spec`),
//! its shape's bounds, forms and nested structures, then the operation's rules between members
//! (`rules`); every violation at once, with its path.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::checker::{At, Checked, Checker, char_count, not_an_object};
use super::model::*;
use super::rules;
use super::spec::*;
use super::wire::*;
use crate::violation::{ViolationKind as Kind, json_type};

impl<'d> Checker<'d> {
    /// The members of the checker's operation at `at`, then its rules between members; the
    /// request.
    pub(super) fn operation(&mut self, value: &Value, at: &At) -> Option<Request> {
        let operation = self.operation;
        let Some(object) = value.as_object() else {
            let kind = match operation {
                OperationName::CreateContact => not_an_object(value),
                _ => Kind::WrongType {
                    expected: "an object",
                    found: json_type(value),
                },
            };
            self.add(at, kind);
            return None;
        };
        let spec = operation.spec();
        let checked = self.structure(
            object,
            at,
            spec.members,
            spec.member_names,
            operation.as_str(),
        );
        rules::check(self, operation, object, &checked, at);
        if self.has_violations() {
            return None;
        }
        // The checked body is the request: the SDK mapping reads it as it is.
        Some(match operation {
            OperationName::CreateContact => Request::CreateContact(TypedRequest::new(checked)),
            OperationName::StartTaskContact => {
                Request::StartTaskContact(TypedRequest::new(checked))
            }
            OperationName::StartOutboundVoiceContact => {
                Request::StartOutboundVoiceContact(TypedRequest::new(checked))
            }
            _ => Request::Modeled(ModeledRequest {
                operation,
                body: checked,
                create: None,
            }),
        })
    }

    /// Unknown members, then each described member in order; the members that passed.
    fn structure(
        &mut self,
        object: &Map<String, Value>,
        at: &At,
        members: &[Member],
        names: &'static [&'static str],
        what: &'static str,
    ) -> Checked {
        self.unknown_members(object, at, names, what);
        let mut checked = Checked::new();
        for member in members {
            let path = at.member(member.name);
            match Self::member(object, member.name) {
                Some(value) => {
                    if let Some(value) = self.value(value, &path, &member.shape, &checked) {
                        checked.insert(member.name.to_owned(), value);
                    }
                }
                None => {
                    if let Some(default) = self.absent(object, member, &path) {
                        checked.insert(member.name.to_owned(), Value::from(default));
                    }
                }
            }
        }
        checked
    }

    /// An absent member: the default that fills it, or the violation it is.
    fn absent(
        &mut self,
        object: &Map<String, Value>,
        member: &Member,
        path: &At,
    ) -> Option<&'d str> {
        match member.presence {
            Presence::Optional => None,
            Presence::Required => {
                self.add(path, Kind::Required);
                None
            }
            Presence::RequiredOr(setting) => {
                let default = self.defaults.get(setting);
                if default.is_none() {
                    self.add(
                        path,
                        Kind::RequiredWithoutDefault {
                            setting: setting.name(),
                        },
                    );
                }
                default
            }
            Presence::OptionalOr { setting, unless } => {
                let alternative = unless.iter().any(|u| Self::member(object, u).is_some());
                if alternative {
                    None
                } else {
                    self.defaults.get(setting)
                }
            }
        }
    }

    /// One value of `shape`, as it goes into the checked request; `None` after a violation.
    fn value(
        &mut self,
        value: &Value,
        path: &At,
        shape: &Shape,
        siblings: &Checked,
    ) -> Option<Value> {
        match shape {
            Shape::Text { min, max, form } => {
                let text = self.string_value(value, path, *min, max.unwrap_or(usize::MAX))?;
                if let Some(form) = form
                    && !self.has_form(&text, *form)
                {
                    self.add(path, Kind::Form(form_rule(*form)));
                    return None;
                }
                Some(Value::String(text))
            }
            Shape::Integer { min, max } => {
                self.integer_value(value, path, *min, *max).map(Value::from)
            }
            Shape::Boolean => self.boolean_value(value, path).map(Value::Bool),
            Shape::Model(model) => self.modeled(value, path, model),
            Shape::Timestamp(window) => self.timestamp(value, path, *window).map(Value::from),
            Shape::Enum { values, hint } => self.one_of(value, path, values, *hint),
            Shape::ChannelMethod => {
                let text = self.string_value(value, path, 1, usize::MAX)?;
                let channel = siblings
                    .get("Channel")
                    .and_then(Value::as_str)
                    .and_then(Channel::parse);
                self.initiation_method(&text, channel, path)
                    .map(|m| Value::from(m.as_str()))
            }
            Shape::Attributes => {
                let map = self.attributes(value, path)?;
                Some(Value::Object(
                    map.into_iter()
                        .map(|(k, v)| (k, Value::String(v)))
                        .collect(),
                ))
            }
            Shape::References { types } => {
                let restriction = match types {
                    Some(types) => Some((*types, true)),
                    None => siblings
                        .get("Channel")
                        .and_then(Value::as_str)
                        .filter(|c| *c == Channel::Task.as_str())
                        .map(|_| (ReferenceType::TASK, false)),
                };
                let map = self.references(value, path, restriction)?;
                Some(Value::Object(map))
            }
            Shape::SegmentAttributes => {
                let map = self.object_value(value, path)?;
                Some(Value::Object(self.segment_map(map, path)))
            }
            Shape::Structure(structure) => {
                let object = self.object_value(value, path)?;
                let before = self.found;
                let checked = self.structure(
                    object,
                    path,
                    structure.members,
                    structure.member_names,
                    structure.name,
                );
                // A structure with a violation inside is left out, as a member with one is.
                (self.found == before).then_some(Value::Object(checked))
            }
            Shape::List { item, min, max } => {
                let items = self.array_value(value, path)?;
                self.count(path, items.len(), *min, *max);
                let no_siblings = Checked::new();
                let checked: Vec<Option<Value>> = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.value(v, &path.item(i), item, &no_siblings))
                    .collect();
                checked
                    .into_iter()
                    .collect::<Option<Vec<_>>>()
                    .map(Value::Array)
            }
        }
    }

    /// One of `values` (a string); `hint` says more about a common mistake.
    pub(super) fn one_of(
        &mut self,
        value: &Value,
        path: &At,
        values: &[&str],
        hint: Option<fn(&str) -> Option<String>>,
    ) -> Option<Value> {
        let text = self.string_value(value, path, 0, usize::MAX)?;
        if values.contains(&text.as_str()) {
            return Some(Value::String(text));
        }
        self.add(
            path,
            Kind::NotOneOf {
                choices: values.join(", "),
                hint: hint.and_then(|hint| hint(&text)),
            },
        );
        None
    }

    fn has_form(&self, text: &str, form: Form) -> bool {
        form.admits(text)
    }

    pub(super) fn string_value(
        &mut self,
        value: &Value,
        path: &At,
        min: usize,
        max: usize,
    ) -> Option<String> {
        let Some(text) = value.as_str() else {
            self.add(
                path,
                Kind::WrongType {
                    expected: "a string",
                    found: json_type(value),
                },
            );
            return None;
        };
        let length = char_count(text);
        if length < min {
            // Only a bound of one is "not empty": a 5-character Arn is too short, not empty.
            let kind = if min == 1 {
                Kind::Empty
            } else {
                Kind::TooShort { min, length }
            };
            self.add(path, kind);
            None
        } else if length > max {
            self.add(path, Kind::TooLong { max, length });
            None
        } else {
            Some(text.to_owned())
        }
    }

    fn optional_string(
        &mut self,
        object: &Map<String, Value>,
        parent: &At,
        name: &str,
        min: usize,
        max: usize,
    ) -> Option<String> {
        let value = Self::member(object, name)?;
        self.string_value(value, &parent.member(name), min, max)
    }

    fn enum_value<E: WireEnum>(&mut self, text: &str, path: &At) -> Option<E> {
        let parsed = E::parse(text);
        if parsed.is_none() {
            self.add(
                path,
                Kind::NotOneOf {
                    choices: E::choices(),
                    hint: None,
                },
            );
        }
        parsed
    }

    fn initiation_method(
        &mut self,
        text: &str,
        channel: Option<Channel>,
        path: &At,
    ) -> Option<InitiationMethod> {
        let method = InitiationMethod::parse(text);
        match (channel, method) {
            (Some(channel), Some(m)) if channel.initiation_methods().contains(&m) => Some(m),
            (Some(channel), _) => {
                let allowed = channel
                    .initiation_methods()
                    .iter()
                    .map(|m| m.as_str())
                    .collect();
                self.add(
                    path,
                    Kind::NotForChannel {
                        allowed,
                        channel: channel.as_str(),
                    },
                );
                None
            }
            (None, Some(m)) => Some(m),
            (None, None) => {
                self.add(
                    path,
                    Kind::NotOneOf {
                        choices: InitiationMethod::choices(),
                        hint: None,
                    },
                );
                None
            }
        }
    }

    /// A JSON integer within `min..=max`.
    pub(super) fn integer_value(
        &mut self,
        value: &Value,
        path: &At,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        let Some(number) = value.as_number() else {
            self.add(
                path,
                Kind::WrongType {
                    expected: "an integer (a JSON number)",
                    found: json_type(value),
                },
            );
            return None;
        };
        match number.as_i64() {
            Some(n) if (min..=max).contains(&n) => Some(n),
            // (Below the model's 32-bit range, a number is out of range rather than not positive.)
            Some(n) if min == 1 && (i64::from(i32::MIN)..1).contains(&n) => {
                self.add(path, Kind::NotPositive);
                None
            }
            _ if number.is_f64() && !number.as_f64().is_some_and(|f| f.fract() == 0.0) => {
                self.add(path, Kind::Fraction);
                None
            }
            _ => {
                self.add(path, Kind::OutOfRange { min, max });
                None
            }
        }
    }

    /// Epoch seconds (a JSON number, or digits as text) or ISO 8601 text, within `window` of now.
    pub(super) fn timestamp(
        &mut self,
        value: &Value,
        path: &At,
        window: TimeWindow,
    ) -> Option<i64> {
        let now = self.defaults.now();
        let seconds = match value {
            Value::Number(n) => n.as_f64().map(|f| f.floor() as i64),
            Value::String(text) => super::time::seconds_of(text, now),
            _ => {
                self.add(
                    path,
                    Kind::WrongType {
                        expected: "a timestamp (epoch seconds, or ISO 8601 text)",
                        found: json_type(value),
                    },
                );
                return None;
            }
        };
        let Some(seconds) = seconds else {
            self.add(path, Kind::Form(TIMESTAMP_FORM));
            return None;
        };
        if seconds < now {
            self.add(path, Kind::Rule("must not be in the past"));
            None
        } else if seconds - now > window.max_ahead_seconds {
            self.add(
                path,
                Kind::NotAfter {
                    days: window.max_ahead_seconds / 86_400,
                },
            );
            None
        } else {
            Some(seconds)
        }
    }

    pub(super) fn object_value<'v>(
        &mut self,
        value: &'v Value,
        path: &At,
    ) -> Option<&'v Map<String, Value>> {
        let object = value.as_object();
        if object.is_none() {
            self.add(
                path,
                Kind::WrongType {
                    expected: "an object",
                    found: json_type(value),
                },
            );
        }
        object
    }

    fn attributes(&mut self, value: &Value, path: &At) -> Option<BTreeMap<String, String>> {
        self.sized_map(value, path, MAX_ATTRIBUTES_BYTES, |check, key, value, path| {
            if !is_attribute_key(key) {
                check.add(
                    path,
                    Kind::Form(
                        "attribute keys may contain only letters, digits, '-' and '_', and must not be empty",
                    ),
                );
            }
            let text = check.string_value(value, path, 0, usize::MAX)?;
            Some((text.len(), text))
        })
    }

    /// References; `restriction` is the types allowed and whether the operation (rather than the
    /// TASK channel) restricts them.
    fn references(
        &mut self,
        value: &Value,
        path: &At,
        restriction: Option<(&'static [ReferenceType], bool)>,
    ) -> Option<Map<String, Value>> {
        let map = self.sized_map(
            value,
            path,
            MAX_REFERENCES_BYTES,
            |check, key, value, path| {
                if !(1..=4096).contains(&char_count(key)) {
                    check.add(
                        path,
                        Kind::Form("reference names must be 1 to 4096 characters"),
                    );
                }
                let reference = check.reference(value, path, restriction)?;
                let size = reference.value.as_ref().map_or(0, String::len);
                Some((size, serde_json::to_value(reference).ok()?))
            },
        )?;
        Some(map.into_iter().collect())
    }

    /// Reads the object `value` entry by entry (`entry` checks one and answers its value's
    /// UTF-8 size), then checks that keys plus values stay within `max_bytes`.
    fn sized_map<T>(
        &mut self,
        value: &Value,
        path: &At,
        max_bytes: usize,
        mut entry: impl FnMut(&mut Self, &str, &Value, &At) -> Option<(usize, T)>,
    ) -> Option<BTreeMap<String, T>> {
        let map = self.object_value(value, path)?;
        let mut out = BTreeMap::new();
        let mut bytes = 0;
        for (key, value) in map {
            bytes += key.len();
            if let Some((size, parsed)) = entry(self, key, value, &path.member(key)) {
                bytes += size;
                // Once the request is refused its checked values are not used: no copy.
                if !self.has_violations() {
                    out.insert(key.clone(), parsed);
                }
            }
        }
        if bytes > max_bytes {
            self.add(
                path,
                Kind::ByteBudget {
                    bytes,
                    max: max_bytes,
                },
            );
        }
        Some(out)
    }

    fn reference(
        &mut self,
        value: &Value,
        path: &At,
        restriction: Option<(&'static [ReferenceType], bool)>,
    ) -> Option<Reference> {
        let member = self.object_value(value, path)?;
        self.unknown_members(member, path, REFERENCE_MEMBERS, "Reference");
        let kind = match Self::member(member, "Type") {
            None => {
                self.add(&path.member("Type"), Kind::Required);
                None
            }
            Some(v) => {
                let type_path = path.member("Type");
                let text = self.string_value(v, &type_path, 0, usize::MAX);
                text.and_then(|text| self.enum_value::<ReferenceType>(&text, &type_path))
            }
        };
        if let (Some(kind), Some((allowed, by_operation))) = (kind, restriction)
            && !allowed.contains(&kind)
        {
            let names = allowed.iter().map(|t| t.as_str()).collect();
            let violation = if by_operation {
                Kind::ReferenceTypeAtCreation {
                    operation: self.operation,
                    allowed: names,
                }
            } else {
                Kind::ReferenceTypeForTask { allowed: names }
            };
            self.add(&path.member("Type"), violation);
        }
        let reference_value = self.optional_string(member, path, "Value", 0, 4096);
        let status = match self.optional_string(member, path, "Status", 0, usize::MAX) {
            Some(text) => self.enum_value::<ReferenceStatus>(&text, &path.member("Status")),
            None => None,
        };
        let arn = self.optional_string(member, path, "Arn", 20, 256);
        if let Some(arn) = &arn
            && !self.has_form(arn, Form::ArnCharacters)
        {
            self.add(
                &path.member("Arn"),
                Kind::Form(form_rule(Form::ArnCharacters)),
            );
        }
        let status_reason = self.optional_string(member, path, "StatusReason", 0, 100);
        Some(Reference {
            r#type: kind?,
            value: reference_value,
            status,
            arn,
            status_reason,
        })
    }

    fn segment_map(&mut self, map: &Map<String, Value>, path: &At) -> Map<String, Value> {
        let mut out = Map::new();
        for (key, value) in map {
            let key_path = path.member(key);
            if !is_segment_attribute_key(key) {
                self.add(
                    &key_path,
                    Kind::Form(
                        "segment attribute keys must be 1 to 128 characters: letters, digits, \
                         '-' and '_', optionally after the 'connect:' prefix of system-defined keys",
                    ),
                );
            }
            if let Some(parsed) = self.segment_value(value, &key_path) {
                out.insert(key.clone(), parsed);
            }
        }
        out
    }

    fn segment_value(&mut self, value: &Value, path: &At) -> Option<Value> {
        let member = self.object_value(value, path)?;
        self.unknown_members(member, path, SEGMENT_VALUE_MEMBERS, "SegmentAttributeValue");
        let present: Vec<(&String, &Value)> = member
            .iter()
            .filter(|(k, v)| SEGMENT_VALUE_MEMBERS.contains(&k.as_str()) && !v.is_null())
            .collect();
        let [(name, inner)] = present.as_slice() else {
            self.add(
                path,
                Kind::ExactlyOne {
                    of: SEGMENT_VALUE_MEMBERS,
                    found: present.len(),
                },
            );
            return None;
        };
        let inner_path = path.member(name);
        let checked = match name.as_str() {
            "ValueString" | "ValueArn" => self
                .string_value(inner, &inner_path, 0, 1024)
                .map(Value::String),
            "ValueInteger" => self
                .integer_value(inner, &inner_path, i64::from(i32::MIN), i64::from(i32::MAX))
                .map(Value::from),
            "ValueMap" => {
                let map = self.object_value(inner, &inner_path)?;
                Some(Value::Object(self.segment_map(map, &inner_path)))
            }
            _ => {
                let Some(items) = inner.as_array() else {
                    self.add(
                        &inner_path,
                        Kind::WrongType {
                            expected: "an array",
                            found: json_type(inner),
                        },
                    );
                    return None;
                };
                let list = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.segment_value(item, &inner_path.item(i)))
                    .collect::<Vec<_>>();
                list.into_iter()
                    .collect::<Option<Vec<_>>>()
                    .map(Value::Array)
            }
        }?;
        let mut out = Map::new();
        out.insert((*name).clone(), checked);
        Some(Value::Object(out))
    }
}

fn is_attribute_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn is_segment_attribute_key(key: &str) -> bool {
    let rest = key.strip_prefix("connect:").unwrap_or(key);
    (1..=128).contains(&char_count(key)) && is_attribute_key(rest)
}

fn is_phone_number(text: &str) -> bool {
    let Some(digits) = text.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

impl Form {
    /// Whether `text` has this form. Each form holds at least the model's pattern, with its
    /// meaning (`tests/service_model.rs` tries characters of every Unicode category against both).
    pub fn admits(self, text: &str) -> bool {
        match self {
            Form::PhoneNumber => is_phone_number(text),
            Form::NoCategoryC => super::pattern::has_no_category_c(text),
            Form::ArnCharacters => text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-:/".contains(&b)),
        }
    }
}

const TIMESTAMP_FORM: &str = "must be epoch seconds (a JSON number) or an ISO 8601 timestamp such as \
     2026-12-01T09:30:00Z, or an ISO 8601 duration from now such as PT1H";
