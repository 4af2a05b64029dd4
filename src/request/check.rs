//! Reading and validating a request by hand from a `serde_json::Value`, collecting every
//! violation with its JSON Pointer path.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::model::*;
use super::wire::*;
use crate::violation::{
    ValidationErrors, Violation, ViolationKind as Kind, json_type, push_segment,
};

/// Where a value sits in the request: a chain of borrowed segments, written out as a JSON Pointer
/// only when a violation names it, so that reading a valid request builds no paths.
#[derive(Clone, Copy)]
enum At<'a> {
    Root,
    Member(&'a At<'a>, &'a str),
    Item(&'a At<'a>, usize),
}

static ROOT: At<'static> = At::Root;

impl<'a> At<'a> {
    fn member(&'a self, name: &'a str) -> At<'a> {
        At::Member(self, name)
    }

    fn item(&'a self, index: usize) -> At<'a> {
        At::Item(self, index)
    }

    fn pointer(&self) -> String {
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

/// Reads and validates a canonical request.
///
/// `default_instance_id` fills `InstanceId` when the request has none (from `CONNECT_INSTANCE_ID`,
/// or from the event, e.g. the instance of a Connect flow).
pub fn parse_request(
    value: &Value,
    default_instance_id: Option<&str>,
) -> Result<ContactRequest, ValidationErrors> {
    let Some(object) = value.as_object() else {
        return Err(ValidationErrors::one(
            "",
            Kind::WrongType {
                expected: "a JSON object (a CreateContact request)",
                found: json_type(value),
            },
        ));
    };
    let mut check = Checker::default();
    check.unknown_members(object, &ROOT, MEMBERS, "CreateContact");

    let channel = check.enumeration::<Channel>(object, &ROOT, "Channel", channel_hint);
    let method = check.required_string(object, &ROOT, "InitiationMethod", 1, usize::MAX);
    let method = method.and_then(|text| check.initiation_method(&text, channel));

    let instance_id =
        match check.optional_string(object, &ROOT, "InstanceId", 1, INSTANCE_ID_MAX_CHARS) {
            Some(id) => Some(id),
            None if !object.contains_key("InstanceId") || object["InstanceId"].is_null() => {
                match default_instance_id {
                    Some(id) => Some(id.to_owned()),
                    None => {
                        check.add(&ROOT.member("InstanceId"), Kind::RequiredWithoutDefault);
                        None
                    }
                }
            }
            None => None,
        };
    let client_token = check.optional_string(object, &ROOT, "ClientToken", 0, 500);
    let related_contact_id = check.optional_string(object, &ROOT, "RelatedContactId", 1, 256);
    let previous_contact_id = check.optional_string(object, &ROOT, "PreviousContactId", 1, 256);
    let name = check.optional_string(object, &ROOT, "Name", 0, 1024);
    let description = check.optional_string(object, &ROOT, "Description", 0, 4096);
    let expiry = check.expiry_duration(object);
    let initiate_as = check.optional_enumeration::<InitiateAs>(object, &ROOT, "InitiateAs");
    let user_info = check.user_info(object);
    let attributes = check.attributes(object);
    let references = check.references(object, channel);
    let segment_attributes = check.segment_attributes(object);

    if let (Some(InitiateAs::Completed), Some(c)) = (initiate_as, channel)
        && c != Channel::Task
    {
        check.add(
            &ROOT.member("InitiateAs"),
            Kind::Rule("COMPLETED is allowed only for the TASK channel"),
        );
    }
    if previous_contact_id.is_some()
        && !(channel == Some(Channel::Voice) && method == Some(InitiationMethod::Transfer))
    {
        check.add(
            &ROOT.member("PreviousContactId"),
            Kind::Rule(
                "is allowed only for VOICE contacts with InitiationMethod TRANSFER (external audio)",
            ),
        );
    }
    if channel == Some(Channel::Email)
        && matches!(
            method,
            Some(InitiationMethod::Outbound | InitiationMethod::AgentReply)
        )
        && user_info.is_none()
        && !check.has_violation_under(&ROOT.member("UserInfo"))
    {
        check.add(
            &ROOT.member("UserInfo").member("UserId"),
            Kind::Rule(
                "is required for EMAIL contacts with InitiationMethod OUTBOUND or AGENT_REPLY",
            ),
        );
    }

    if !check.violations.is_empty() {
        return Err(ValidationErrors(check.violations));
    }
    match (instance_id, channel, method) {
        (Some(instance_id), Some(channel), Some(initiation_method)) => Ok(ContactRequest {
            instance_id,
            client_token,
            related_contact_id,
            attributes,
            references,
            channel,
            initiation_method,
            expiry_duration_in_minutes: expiry,
            user_info,
            initiate_as,
            name,
            description,
            segment_attributes,
            previous_contact_id,
        }),
        // Every `None` above recorded a violation, so this is unreachable in practice; answer
        // with a violation rather than a panic all the same.
        _ => Err(ValidationErrors::one(
            "",
            Kind::Rule("request is incomplete"),
        )),
    }
}

fn channel_hint(text: &str) -> Option<String> {
    (text == "CHAT").then(|| "CreateContact does not create CHAT contacts".to_owned())
}

fn char_count(text: &str) -> usize {
    text.chars().count()
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

/// The CreateContact member that `key` is plausibly a typo of (`Chanel`: `Channel`).
pub fn suggest_member(key: &str) -> Option<&'static str> {
    closest(key, MEMBERS)
}

/// The known member closest to `unknown`, when it is plausibly a typo of it.
fn closest<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| {
            (
                strsim::levenshtein(&unknown.to_lowercase(), &k.to_lowercase()),
                *k,
            )
        })
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Collects violations while the request is read.
#[derive(Default)]
struct Checker {
    violations: Vec<Violation>,
}

impl Checker {
    fn add(&mut self, path: &At, kind: Kind) {
        self.violations.push(Violation {
            path: path.pointer(),
            kind,
        });
    }

    /// Whether a violation names `at` or anything inside it (whole segments: `/UserInfoX` is not
    /// inside `/UserInfo`).
    fn has_violation_under(&self, at: &At) -> bool {
        let prefix = at.pointer();
        self.violations.iter().any(|v| {
            v.path
                .strip_prefix(&prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }

    fn unknown_members(
        &mut self,
        object: &Map<String, Value>,
        path: &At,
        known: &'static [&'static str],
        what: &'static str,
    ) {
        for key in object.keys().filter(|k| !known.contains(&k.as_str())) {
            self.add(
                &path.member(key),
                Kind::UnknownMember {
                    of: what,
                    suggestion: closest(key, known),
                    accepted: known,
                },
            );
        }
    }

    /// The member's value, treating JSON null as absent.
    fn member<'v>(object: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
        object.get(name).filter(|v| !v.is_null())
    }

    fn string_value(&mut self, value: &Value, path: &At, min: usize, max: usize) -> Option<String> {
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

    fn required_string(
        &mut self,
        object: &Map<String, Value>,
        parent: &At,
        name: &str,
        min: usize,
        max: usize,
    ) -> Option<String> {
        if Self::member(object, name).is_none() {
            self.add(&parent.member(name), Kind::Required);
            return None;
        }
        self.optional_string(object, parent, name, min, max)
    }

    fn enum_value<E: WireEnum>(
        &mut self,
        text: &str,
        path: &At,
        hint: fn(&str) -> Option<String>,
    ) -> Option<E> {
        let parsed = E::parse(text);
        if parsed.is_none() {
            self.add(
                path,
                Kind::NotOneOf {
                    choices: E::choices(),
                    hint: hint(text),
                },
            );
        }
        parsed
    }

    fn enumeration<E: WireEnum>(
        &mut self,
        object: &Map<String, Value>,
        parent: &At,
        name: &str,
        hint: fn(&str) -> Option<String>,
    ) -> Option<E> {
        let text = self.required_string(object, parent, name, 0, usize::MAX)?;
        self.enum_value(&text, &parent.member(name), hint)
    }

    fn optional_enumeration<E: WireEnum>(
        &mut self,
        object: &Map<String, Value>,
        parent: &At,
        name: &str,
    ) -> Option<E> {
        let text = self.optional_string(object, parent, name, 0, usize::MAX)?;
        self.enum_value(&text, &parent.member(name), |_| None)
    }

    fn initiation_method(
        &mut self,
        text: &str,
        channel: Option<Channel>,
    ) -> Option<InitiationMethod> {
        let path = ROOT.member("InitiationMethod");
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
                    &path,
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
                    &path,
                    Kind::NotOneOf {
                        choices: InitiationMethod::choices(),
                        hint: None,
                    },
                );
                None
            }
        }
    }

    /// A JSON integer within `min..=i32::MAX` (the model's integers are 32-bit).
    fn integer_value(&mut self, value: &Value, path: &At, min: i64) -> Option<i32> {
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
        match number.as_i64().and_then(|n| i32::try_from(n).ok()) {
            Some(n) if i64::from(n) >= min => Some(n),
            Some(_) if min == 1 => {
                self.add(path, Kind::NotPositive);
                None
            }
            _ if number.is_f64() && !number.as_f64().is_some_and(|f| f.fract() == 0.0) => {
                self.add(path, Kind::Fraction);
                None
            }
            _ => {
                self.add(
                    path,
                    Kind::OutOfRange {
                        min,
                        max: i64::from(i32::MAX),
                    },
                );
                None
            }
        }
    }

    fn expiry_duration(&mut self, object: &Map<String, Value>) -> Option<i32> {
        let value = Self::member(object, "ExpiryDurationInMinutes")?;
        self.integer_value(value, &ROOT.member("ExpiryDurationInMinutes"), 1)
    }

    fn object_value<'v>(&mut self, value: &'v Value, path: &At) -> Option<&'v Map<String, Value>> {
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

    fn user_info(&mut self, object: &Map<String, Value>) -> Option<UserInfo> {
        let path = ROOT.member("UserInfo");
        let info = self.object_value(Self::member(object, "UserInfo")?, &path)?;
        self.unknown_members(info, &path, USER_INFO_MEMBERS, "UserInfo");
        let user_id = self.required_string(info, &path, "UserId", 1, 256)?;
        Some(UserInfo { user_id })
    }

    fn attributes(&mut self, object: &Map<String, Value>) -> BTreeMap<String, String> {
        self.sized_map(object, "Attributes", MAX_ATTRIBUTES_BYTES, |check, key, value, path| {
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

    fn references(
        &mut self,
        object: &Map<String, Value>,
        channel: Option<Channel>,
    ) -> BTreeMap<String, Reference> {
        self.sized_map(
            object,
            "References",
            MAX_REFERENCES_BYTES,
            |check, key, value, path| {
                if !(1..=4096).contains(&char_count(key)) {
                    check.add(
                        path,
                        Kind::Form("reference names must be 1 to 4096 characters"),
                    );
                }
                let reference = check.reference(value, path, channel)?;
                Some((reference.value.as_ref().map_or(0, String::len), reference))
            },
        )
    }

    /// Reads the object member `name` entry by entry (`entry` checks one and answers its value's
    /// UTF-8 size), then checks that keys plus values stay within `max_bytes`.
    fn sized_map<T>(
        &mut self,
        object: &Map<String, Value>,
        name: &str,
        max_bytes: usize,
        mut entry: impl FnMut(&mut Self, &str, &Value, &At) -> Option<(usize, T)>,
    ) -> BTreeMap<String, T> {
        let path = ROOT.member(name);
        let mut out = BTreeMap::new();
        let Some(map) = Self::member(object, name).and_then(|v| self.object_value(v, &path)) else {
            return out;
        };
        let mut bytes = 0;
        for (key, value) in map {
            bytes += key.len();
            if let Some((size, parsed)) = entry(self, key, value, &path.member(key)) {
                bytes += size;
                out.insert(key.clone(), parsed);
            }
        }
        if bytes > max_bytes {
            self.add(
                &path,
                Kind::ByteBudget {
                    bytes,
                    max: max_bytes,
                },
            );
        }
        out
    }

    fn reference(
        &mut self,
        value: &Value,
        path: &At,
        channel: Option<Channel>,
    ) -> Option<Reference> {
        let member = self.object_value(value, path)?;
        self.unknown_members(member, path, REFERENCE_MEMBERS, "Reference");
        let kind = self.enumeration::<ReferenceType>(member, path, "Type", |_| None);
        if let (Some(kind), Some(Channel::Task)) = (kind, channel)
            && !ReferenceType::TASK.contains(&kind)
        {
            let allowed = ReferenceType::TASK.iter().map(|t| t.as_str()).collect();
            self.add(&path.member("Type"), Kind::ReferenceTypeForTask { allowed });
        }
        let reference_value = self.optional_string(member, path, "Value", 0, 4096);
        let status = self.optional_enumeration::<ReferenceStatus>(member, path, "Status");
        let arn = self.optional_string(member, path, "Arn", 20, 256);
        if let Some(arn) = &arn
            && !arn
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-:/".contains(&b))
        {
            self.add(
                &path.member("Arn"),
                Kind::Form("may contain only letters, digits, '-', ':' and '/'"),
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

    fn segment_attributes(
        &mut self,
        object: &Map<String, Value>,
    ) -> BTreeMap<String, SegmentAttributeValue> {
        let path = ROOT.member("SegmentAttributes");
        match Self::member(object, "SegmentAttributes").and_then(|v| self.object_value(v, &path)) {
            Some(map) => self.segment_map(map, &path),
            None => BTreeMap::new(),
        }
    }

    fn segment_map(
        &mut self,
        map: &Map<String, Value>,
        path: &At,
    ) -> BTreeMap<String, SegmentAttributeValue> {
        let mut out = BTreeMap::new();
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

    fn segment_value(&mut self, value: &Value, path: &At) -> Option<SegmentAttributeValue> {
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
        match name.as_str() {
            "ValueString" => self
                .string_value(inner, &inner_path, 0, 1024)
                .map(SegmentAttributeValue::ValueString),
            "ValueArn" => self
                .string_value(inner, &inner_path, 0, 1024)
                .map(SegmentAttributeValue::ValueArn),
            "ValueInteger" => self
                .integer_value(inner, &inner_path, i64::from(i32::MIN))
                .map(SegmentAttributeValue::ValueInteger),
            "ValueMap" => {
                let map = self.object_value(inner, &inner_path)?;
                Some(SegmentAttributeValue::ValueMap(
                    self.segment_map(map, &inner_path),
                ))
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
                    .map(SegmentAttributeValue::ValueList)
            }
        }
    }
}
