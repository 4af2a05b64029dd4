//! The canonical CreateContact request and every rule we can check before Connect sees it.
//!
//! The request is read from a `serde_json::Value` by hand rather than by `#[derive(Deserialize)]`:
//! serde stops at the first problem, and callers need every violation at once, each with its JSON
//! Pointer path. Messages name members and expected types, never member values (they may hold PII).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

/// Declares an enum of wire strings with one table for parsing, printing and serialising.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every accepted value, in the order the AWS model lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as the AWS API spells it.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

        }

        impl WireEnum for $name {
            fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }

            fn choices() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "enum": [$($wire),+] })
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

wire_enum!(
    /// The channels CreateContact supports (the model also lists CHAT, which it rejects).
    Channel { Voice = "VOICE", Email = "EMAIL", Task = "TASK" }
);

wire_enum!(
    /// The initiation methods CreateContact supports, across all channels.
    InitiationMethod {
        Transfer = "TRANSFER",
        Outbound = "OUTBOUND",
        AgentReply = "AGENT_REPLY",
        Flow = "FLOW",
        Api = "API",
    }
);

wire_enum!(
    /// The state a contact is created in.
    InitiateAs { ConnectedToUser = "CONNECTED_TO_USER", Completed = "COMPLETED" }
);

wire_enum!(
    /// `ReferenceType` of the Connect model.
    ReferenceType {
        Url = "URL",
        Attachment = "ATTACHMENT",
        ContactAnalysis = "CONTACT_ANALYSIS",
        Number = "NUMBER",
        String = "STRING",
        Date = "DATE",
        Email = "EMAIL",
        EmailMessage = "EMAIL_MESSAGE",
        EmailMessagePlainText = "EMAIL_MESSAGE_PLAIN_TEXT",
        EmailMessagePlainTextRedacted = "EMAIL_MESSAGE_PLAIN_TEXT_REDACTED",
        EmailMessageRedacted = "EMAIL_MESSAGE_REDACTED",
        VoicemailRecording = "VOICEMAIL_RECORDING",
        VoicemailRecordingRedacted = "VOICEMAIL_RECORDING_REDACTED",
        VoicemailAnalysis = "VOICEMAIL_ANALYSIS",
        VoicemailAnalysisRedacted = "VOICEMAIL_ANALYSIS_REDACTED",
    }
);

wire_enum!(
    /// `ReferenceStatus` of the Connect model.
    ReferenceStatus {
        Available = "AVAILABLE",
        Deleted = "DELETED",
        Approved = "APPROVED",
        Rejected = "REJECTED",
        Processing = "PROCESSING",
        Failed = "FAILED",
        Drafting = "DRAFTING",
    }
);

impl Channel {
    /// The initiation methods CreateContact accepts on this channel.
    pub fn initiation_methods(self) -> &'static [InitiationMethod] {
        match self {
            Channel::Voice => &[InitiationMethod::Transfer],
            Channel::Email => &[
                InitiationMethod::Outbound,
                InitiationMethod::AgentReply,
                InitiationMethod::Flow,
            ],
            Channel::Task => &[InitiationMethod::Api],
        }
    }
}

impl ReferenceType {
    /// Reference types a TASK contact may carry.
    pub const TASK: &'static [ReferenceType] = &[
        ReferenceType::Url,
        ReferenceType::Number,
        ReferenceType::String,
        ReferenceType::Date,
        ReferenceType::Email,
        ReferenceType::Attachment,
    ];
}

/// The members of CreateContactRequest, as the AWS API spells them.
pub const MEMBERS: &[&str] = &[
    "InstanceId",
    "ClientToken",
    "RelatedContactId",
    "Attributes",
    "References",
    "Channel",
    "InitiationMethod",
    "ExpiryDurationInMinutes",
    "UserInfo",
    "InitiateAs",
    "Name",
    "Description",
    "SegmentAttributes",
    "PreviousContactId",
];

const REFERENCE_MEMBERS: &[&str] = &["Type", "Value", "Status", "Arn", "StatusReason"];
const USER_INFO_MEMBERS: &[&str] = &["UserId"];
const SEGMENT_VALUE_MEMBERS: &[&str] = &[
    "ValueString",
    "ValueInteger",
    "ValueMap",
    "ValueList",
    "ValueArn",
];

/// Total UTF-8 bytes allowed across all attribute keys and values of a contact.
pub const MAX_ATTRIBUTES_BYTES: usize = 32_768;
/// Total UTF-8 bytes allowed across all reference keys and values of a contact.
pub const MAX_REFERENCES_BYTES: usize = 4_096;

/// A validated CreateContact request: every member satisfies the model and the documented rules.
///
/// It serialises to the JSON that `aws connect create-contact --cli-input-json` accepts. Its JSON
/// Schema (`contact-bridge schema`, checked in as `schema/contact-request.schema.json`) carries
/// the same rules, but for the byte totals, which JSON Schema cannot express.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[schemars(
    title = "Amazon Connect CreateContact request (contact-bridge)",
    description = "The input of Amazon Connect's CreateContact (API 2017-08-08), as contact-bridge \
                   accepts it. Byte totals (Attributes 32,768, References 4,096) are checked by the \
                   function, not by this schema.",
    deny_unknown_fields,
    transform = cross_member_rules
)]
pub struct ContactRequest {
    /// The Amazon Connect instance; may be left out when the function has a default instance.
    #[schemars(length(min = 1, max = 100))]
    pub instance_id: String,
    /// Idempotency token; derived from the event when left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 500))]
    pub client_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 256))]
    pub related_contact_id: Option<String>,
    /// Contact attributes: keys of letters, digits, '-' and '_'; keys plus values at most 32,768 UTF-8 bytes.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(extend("propertyNames" = { "pattern": "^[A-Za-z0-9_-]+$" }))]
    pub attributes: BTreeMap<String, String>,
    /// References shown to the agent; names plus values at most 4,096 UTF-8 bytes.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(extend("propertyNames" = { "minLength": 1, "maxLength": 4096 }))]
    pub references: BTreeMap<String, Reference>,
    pub channel: Channel,
    pub initiation_method: InitiationMethod,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub expiry_duration_in_minutes: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_info: Option<UserInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initiate_as: Option<InitiateAs>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1024))]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 4096))]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(extend("propertyNames" = { "pattern": SEGMENT_KEY_PATTERN, "maxLength": 128 }))]
    pub segment_attributes: BTreeMap<String, SegmentAttributeValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 256))]
    pub previous_contact_id: Option<String>,
}

/// Segment attribute keys, as a JSON Schema pattern.
const SEGMENT_KEY_PATTERN: &str = "^(connect:)?[A-Za-z0-9_-]+$";

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[schemars(deny_unknown_fields)]
pub struct Reference {
    pub r#type: ReferenceType,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 4096))]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ReferenceStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 20, max = 256), regex(pattern = r"^[-:/A-Za-z0-9]+$"))]
    pub arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 100))]
    pub status_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "PascalCase")]
#[schemars(deny_unknown_fields)]
pub struct UserInfo {
    #[schemars(length(min = 1, max = 256))]
    pub user_id: String,
}

/// A segment attribute value: exactly one of the model's members.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub enum SegmentAttributeValue {
    ValueString(#[schemars(length(max = 1024))] String),
    ValueInteger(i32),
    ValueMap(
        #[schemars(extend("propertyNames" = { "pattern": SEGMENT_KEY_PATTERN, "maxLength": 128 }))]
        BTreeMap<String, SegmentAttributeValue>,
    ),
    ValueList(Vec<SegmentAttributeValue>),
    ValueArn(#[schemars(length(max = 1024))] String),
}

/// The JSON Schema of the canonical request.
pub fn json_schema() -> Value {
    serde_json::to_value(schemars::schema_for!(ContactRequest)).unwrap_or(Value::Null)
}

/// The rules between members, for the JSON Schema.
fn cross_member_rules(schema: &mut schemars::Schema) {
    // Only these two are always required: InstanceId may come from CONNECT_INSTANCE_ID, and
    // the maps may be left out.
    schema.insert(
        "required".to_owned(),
        serde_json::json!(["Channel", "InitiationMethod"]),
    );
    let when = |condition: Value, then: Value| serde_json::json!({ "if": condition, "then": then });
    let names = |items: &[&str]| Value::from(items.to_vec());
    let mut rules: Vec<Value> = Channel::ALL
        .iter()
        .map(|channel| {
            let methods: Vec<&str> = channel.initiation_methods().iter().map(|m| m.as_str()).collect();
            when(
                serde_json::json!({ "properties": { "Channel": { "const": channel.as_str() } }, "required": ["Channel"] }),
                serde_json::json!({ "properties": { "InitiationMethod": { "enum": methods } } }),
            )
        })
        .collect();
    let task_types: Vec<&str> = ReferenceType::TASK.iter().map(|t| t.as_str()).collect();
    rules.extend([
        when(
            serde_json::json!({ "required": ["InitiateAs"], "properties": { "InitiateAs": { "const": "COMPLETED" } } }),
            serde_json::json!({ "properties": { "Channel": { "const": "TASK" } } }),
        ),
        when(
            serde_json::json!({ "required": ["PreviousContactId"] }),
            serde_json::json!({ "properties": { "Channel": { "const": "VOICE" }, "InitiationMethod": { "const": "TRANSFER" } } }),
        ),
        when(
            serde_json::json!({
                "properties": { "Channel": { "const": "EMAIL" }, "InitiationMethod": { "enum": names(&["OUTBOUND", "AGENT_REPLY"]) } },
                "required": ["Channel", "InitiationMethod"],
            }),
            serde_json::json!({ "required": ["UserInfo"] }),
        ),
        when(
            serde_json::json!({ "properties": { "Channel": { "const": "TASK" } }, "required": ["Channel"] }),
            serde_json::json!({ "properties": { "References": { "additionalProperties": { "properties": { "Type": { "enum": task_types } } } } } }),
        ),
    ]);
    schema.insert("allOf".to_owned(), Value::Array(rules));
}

/// One broken rule, at a JSON Pointer path into the request (`/Attributes/orderId`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub path: String,
    pub message: String,
}

/// Every rule the request breaks; never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ValidationErrors(pub Vec<Violation>);

impl ValidationErrors {
    /// A single violation at `path`.
    pub fn one(path: impl Into<String>, message: impl Into<String>) -> Self {
        ValidationErrors(vec![Violation {
            path: path.into(),
            message: message.into(),
        }])
    }

    pub fn violations(&self) -> &[Violation] {
        &self.0
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        write!(
            f,
            "invalid CreateContact request ({count} problem{}): ",
            if count == 1 { "" } else { "s" }
        )?;
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            let path = if v.path.is_empty() { "/" } else { &v.path };
            write!(f, "{path}: {}", v.message)?;
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

fn push_segment(path: &mut String, key: &str) {
    path.push('/');
    for c in key.chars() {
        match c {
            '~' => path.push_str("~0"),
            '/' => path.push_str("~1"),
            c => path.push(c),
        }
    }
}

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
            format!(
                "must be a JSON object (a CreateContact request), not {}",
                json_type(value)
            ),
        ));
    };
    let mut check = Checker::default();
    check.unknown_members(object, &ROOT, MEMBERS, "CreateContact");

    let channel = check.enumeration::<Channel>(object, &ROOT, "Channel", channel_hint);
    let method = check.required_string(object, &ROOT, "InitiationMethod", 1, usize::MAX);
    let method = method.and_then(|text| check.initiation_method(&text, channel));

    let instance_id = match check.optional_string(object, &ROOT, "InstanceId", 1, 100) {
        Some(id) => Some(id),
        None if !object.contains_key("InstanceId") || object["InstanceId"].is_null() => {
            match default_instance_id {
                Some(id) => Some(id.to_owned()),
                None => {
                    check.add(
                        &ROOT.member("InstanceId"),
                        "is required (no CONNECT_INSTANCE_ID default is configured)",
                    );
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
            "COMPLETED is allowed only for the TASK channel",
        );
    }
    if previous_contact_id.is_some()
        && !(channel == Some(Channel::Voice) && method == Some(InitiationMethod::Transfer))
    {
        check.add(
            &ROOT.member("PreviousContactId"),
            "is allowed only for VOICE contacts with InitiationMethod TRANSFER (external audio)",
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
            "is required for EMAIL contacts with InitiationMethod OUTBOUND or AGENT_REPLY",
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
        _ => Err(ValidationErrors::one("", "request is incomplete")),
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
    fn add(&mut self, path: &At, message: impl Into<String>) {
        self.violations.push(Violation {
            path: path.pointer(),
            message: message.into(),
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
        known: &[&str],
        what: &str,
    ) {
        for key in object.keys().filter(|k| !known.contains(&k.as_str())) {
            let hint = match closest(key, known) {
                Some(near) => format!(" (did you mean {near}?)"),
                None => String::new(),
            };
            self.add(
                &path.member(key),
                format!(
                    "unknown member of {what}{hint}; accepted: {}",
                    known.join(", ")
                ),
            );
        }
    }

    /// The member's value, treating JSON null as absent.
    fn member<'v>(object: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
        object.get(name).filter(|v| !v.is_null())
    }

    fn string_value(&mut self, value: &Value, path: &At, min: usize, max: usize) -> Option<String> {
        let Some(text) = value.as_str() else {
            self.add(path, format!("must be a string, not {}", json_type(value)));
            return None;
        };
        let length = char_count(text);
        if length < min {
            // Only a bound of one is "not empty": a 5-character Arn is too short, not empty.
            let message = if min == 1 {
                "must not be empty".to_owned()
            } else {
                format!("must be at least {min} characters (it has {length})")
            };
            self.add(path, message);
            None
        } else if length > max {
            self.add(
                path,
                format!("must be at most {max} characters (it has {length})"),
            );
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
            self.add(&parent.member(name), "is required");
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
            let extra = hint(text).map(|h| format!(" ({h})")).unwrap_or_default();
            self.add(path, format!("must be one of {}{extra}", E::choices()));
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
                let allowed: Vec<&str> = channel
                    .initiation_methods()
                    .iter()
                    .map(|m| m.as_str())
                    .collect();
                self.add(
                    &path,
                    format!("must be {} for the {channel} channel", allowed.join(" or ")),
                );
                None
            }
            (None, Some(m)) => Some(m),
            (None, None) => {
                self.add(
                    &path,
                    format!("must be one of {}", InitiationMethod::choices()),
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
                format!(
                    "must be an integer (a JSON number), not {}",
                    json_type(value)
                ),
            );
            return None;
        };
        match number.as_i64().and_then(|n| i32::try_from(n).ok()) {
            Some(n) if i64::from(n) >= min => Some(n),
            Some(_) if min == 1 => {
                self.add(path, "must be a positive integer");
                None
            }
            _ if number.is_f64() && !number.as_f64().is_some_and(|f| f.fract() == 0.0) => {
                self.add(path, "must be an integer, not a fraction");
                None
            }
            _ => {
                self.add(
                    path,
                    format!("must be an integer from {min} to {}", i32::MAX),
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
            self.add(path, format!("must be an object, not {}", json_type(value)));
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
                    "attribute keys may contain only letters, digits, '-' and '_', and must not be empty",
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
                    check.add(path, "reference names must be 1 to 4096 characters");
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
                format!(
                    "keys and values total {bytes} UTF-8 bytes; at most {max_bytes} are allowed"
                ),
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
            let allowed: Vec<&str> = ReferenceType::TASK.iter().map(|t| t.as_str()).collect();
            self.add(
                &path.member("Type"),
                format!(
                    "TASK contacts accept only references of type {}",
                    allowed.join(", ")
                ),
            );
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
                "may contain only letters, digits, '-', ':' and '/'",
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
                    "segment attribute keys must be 1 to 128 characters: letters, digits, '-' and '_', \
                     optionally after the 'connect:' prefix of system-defined keys",
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
                format!(
                    "must have exactly one of {} (it has {})",
                    SEGMENT_VALUE_MEMBERS.join(", "),
                    present.len()
                ),
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
                        format!("must be an array, not {}", json_type(inner)),
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

/// What the checker needs of a wire enum (implemented by `wire_enum!`).
trait WireEnum: Sized {
    fn parse(text: &str) -> Option<Self>;
    fn choices() -> String;
}
