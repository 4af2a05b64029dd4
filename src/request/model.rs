//! The validated requests. Each is the member map the checker built from the operation's
//! description (`spec`), so every value in it satisfies the model and the documented rules; it is
//! the JSON that the AWS CLI's `--cli-input-json` accepts for its operation, and what the generated
//! SDK mapping reads. The first three operations also have typed requests, read from that map at
//! their first use (tests and library callers read them; the function does not).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::spec::OperationName;
use super::wire::*;

/// A validated request of one of the supported operations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Request {
    CreateContact(TypedRequest<CreateContactRequest>),
    StartTaskContact(TypedRequest<StartTaskContactRequest>),
    StartOutboundVoiceContact(TypedRequest<StartOutboundVoiceContactRequest>),
    /// An operation checked by the model ([`OperationName::is_modeled`]).
    Modeled(ModeledRequest),
}

/// A validated request of an operation the model describes alone: its body as checked, each
/// member held to the model and the operation's rules, mapped onto the SDK's input by the
/// generated mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct ModeledRequest {
    pub operation: OperationName,
    pub body: Map<String, Value>,
    /// StartOutboundEmailContact only: the CreateContact EMAIL request the payload carried
    /// beside it, whose new contact the email is sent for (its `ContactId`).
    pub create: Option<Box<TypedRequest<CreateContactRequest>>>,
}

/// A validated request of one of the first three operations: the checked body, which the
/// generated SDK mapping and the function itself read, and its typed members, read from that body
/// at their first use only (by tests and callers of the library; the function never needs them,
/// so a request costs no second conversion). It reads as its typed request (`Deref`).
#[derive(Debug, Clone)]
pub struct TypedRequest<T> {
    body: Map<String, Value>,
    typed: std::sync::OnceLock<T>,
}

impl<T: serde::de::DeserializeOwned> TypedRequest<T> {
    /// A request whose members passed the check (every value of its type's shape).
    pub(super) fn new(body: Map<String, Value>) -> Self {
        debug_assert!(
            T::deserialize(&body).is_ok(),
            "a checked body reads as its type"
        );
        TypedRequest {
            body,
            typed: std::sync::OnceLock::new(),
        }
    }

    pub fn into_inner(self) -> T {
        let TypedRequest { body, typed } = self;
        typed.into_inner().unwrap_or_else(|| read(&body))
    }

    /// The checked body, as the SDK mapping reads it.
    pub fn body(&self) -> &Map<String, Value> {
        &self.body
    }

    fn text(&self, member: &str) -> Option<&str> {
        self.body.get(member).and_then(Value::as_str)
    }

    /// Sets the ClientToken: when there is none, or (`replace`) whatever there was; the token
    /// the request now has.
    fn set_client_token(&mut self, token: String, replace: bool) -> &str {
        if replace || self.text("ClientToken").is_none() {
            self.body
                .insert("ClientToken".to_owned(), Value::String(token));
            self.typed = std::sync::OnceLock::new();
        }
        self.text("ClientToken").unwrap_or_default()
    }
}

/// The typed request of a checked body. The check leaves every member in its type's shape (the
/// tests hold every accepted request to it, and `TypedRequest::new` asserts it in debug builds),
/// so this cannot fail but by a defect of ours.
fn read<T: serde::de::DeserializeOwned>(body: &Map<String, Value>) -> T {
    T::deserialize(body)
        .unwrap_or_else(|e| panic!("a checked request does not read as its type: {e}"))
}

impl<T: serde::de::DeserializeOwned> std::ops::Deref for TypedRequest<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.typed.get_or_init(|| read(&self.body))
    }
}

impl<T> PartialEq for TypedRequest<T> {
    fn eq(&self, other: &Self) -> bool {
        self.body == other.body
    }
}

impl<T> Serialize for TypedRequest<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.body.serialize(serializer)
    }
}

impl Serialize for ModeledRequest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.body.serialize(serializer)
    }
}

impl ModeledRequest {
    /// The ClientToken of the email a CreateContact request beside it sends: its own, derived
    /// from the CreateContact's, so that each of the two calls is idempotent on its own.
    pub fn send_token(create_token: &str) -> String {
        crate::idempotency::derive_client_token("send-email", &[create_token])
    }
}

impl Request {
    pub fn operation(&self) -> OperationName {
        match self {
            Request::CreateContact(_) => OperationName::CreateContact,
            Request::StartTaskContact(_) => OperationName::StartTaskContact,
            Request::StartOutboundVoiceContact(_) => OperationName::StartOutboundVoiceContact,
            Request::Modeled(r) => r.operation,
        }
    }

    pub fn instance_id(&self) -> &str {
        self.text("InstanceId").unwrap_or_default()
    }

    pub fn client_token(&self) -> Option<&str> {
        self.text("ClientToken")
    }

    /// A text member of the checked body.
    fn text(&self, member: &str) -> Option<&str> {
        self.checked_body().get(member).and_then(Value::as_str)
    }

    /// Sets the ClientToken when the request carries none (an explicit one always wins). A
    /// CreateContact request sent before an email gets `token`; the email, one derived from it.
    pub fn default_client_token(&mut self, token: Option<String>) {
        if let Some(token) = token {
            self.set_client_token(token, false);
        }
    }

    /// Sets the ClientToken whatever the request carried (the policy's one contact per
    /// destination and window, which a producer must not get around).
    pub fn replace_client_token(&mut self, token: String) {
        self.set_client_token(token, true);
    }

    fn set_client_token(&mut self, token: String, replace: bool) {
        match self {
            Request::CreateContact(r) => {
                r.set_client_token(token, replace);
            }
            Request::StartTaskContact(r) => {
                r.set_client_token(token, replace);
            }
            Request::StartOutboundVoiceContact(r) => {
                r.set_client_token(token, replace);
            }
            Request::Modeled(r) => {
                let token = match &mut r.create {
                    Some(create) => {
                        ModeledRequest::send_token(create.set_client_token(token, replace))
                    }
                    None => token,
                };
                if replace || !r.body.contains_key("ClientToken") {
                    r.body
                        .insert("ClientToken".to_owned(), Value::String(token));
                }
            }
        }
    }

    /// The number an outbound contact goes to, and its member's JSON Pointer in the request.
    pub fn destination(&self) -> Option<(&'static str, &str)> {
        match self {
            Request::StartOutboundVoiceContact(_) => self
                .text("DestinationPhoneNumber")
                .map(|number| ("/DestinationPhoneNumber", number)),
            Request::Modeled(r) if r.operation == OperationName::StartOutboundChatContact => r
                .body
                .get("DestinationEndpoint")
                .and_then(|e| e.get("Address"))
                .and_then(Value::as_str)
                .map(|address| ("/DestinationEndpoint/Address", address)),
            _ => None,
        }
    }

    /// The checked body the SDK mapping reads (an email's alone, without its CreateContact).
    pub fn checked_body(&self) -> &Map<String, Value> {
        match self {
            Request::CreateContact(r) => r.body(),
            Request::StartTaskContact(r) => r.body(),
            Request::StartOutboundVoiceContact(r) => r.body(),
            Request::Modeled(r) => &r.body,
        }
    }

    /// The request's body alone, as `aws connect <operation> --cli-input-json` takes it; an
    /// email sent after a CreateContact request, as the payload names the two.
    pub fn body(&self) -> serde_json::Value {
        match self {
            Request::Modeled(ModeledRequest {
                operation,
                body,
                create: Some(create),
            }) => serde_json::json!({
                OperationName::CreateContact.as_str(): create.body(),
                operation.as_str(): body,
            }),
            other => Value::Object(other.checked_body().clone()),
        }
    }
}

/// A validated CreateContact request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateContactRequest {
    pub instance_id: String,
    /// Idempotency token; derived from the event when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_contact_id: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub references: BTreeMap<String, Reference>,
    pub channel: Channel,
    pub initiation_method: InitiationMethod,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_duration_in_minutes: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_info: Option<UserInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiate_as: Option<InitiateAs>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub segment_attributes: BTreeMap<String, SegmentAttributeValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_contact_id: Option<String>,
}

/// A validated StartTaskContact request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StartTaskContactRequest {
    pub instance_id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_flow_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quick_connect_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_template_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_contact_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_contact_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Epoch seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_time: Option<i64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub references: BTreeMap<String, Reference>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub segment_attributes: BTreeMap<String, SegmentAttributeValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<TaskAttachment>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TaskAttachment {
    pub file_name: String,
    pub s3_url: String,
}

/// A validated StartOutboundVoiceContact request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StartOutboundVoiceContactRequest {
    pub instance_id: String,
    pub destination_phone_number: String,
    pub contact_flow_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_phone_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_contact_id: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub references: BTreeMap<String, Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_machine_detection_config: Option<AnswerMachineDetectionConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic_type: Option<TrafficType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_strategy: Option<OutboundStrategy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ring_timeout_in_seconds: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AnswerMachineDetectionConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_answer_machine_detection: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub await_answer_machine_prompt: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct OutboundStrategy {
    pub r#type: OutboundStrategyType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<OutboundStrategyConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct OutboundStrategyConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_first: Option<AgentFirst>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AgentFirst {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<Preview>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Preview {
    pub post_accept_timeout_config: PostAcceptTimeoutConfig,
    pub allowed_user_actions: Vec<AllowedUserAction>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PostAcceptTimeoutConfig {
    pub duration_in_seconds: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Reference {
    pub r#type: ReferenceType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ReferenceStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct UserInfo {
    pub user_id: String,
}

/// A segment attribute value: exactly one of the model's members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum SegmentAttributeValue {
    ValueString(String),
    ValueInteger(i32),
    ValueMap(BTreeMap<String, SegmentAttributeValue>),
    ValueList(Vec<SegmentAttributeValue>),
    ValueArn(String),
}

/// The members of a segment attribute value, of which exactly one is given.
pub const SEGMENT_VALUE_MEMBERS: &[&str] = &[
    "ValueString",
    "ValueInteger",
    "ValueMap",
    "ValueList",
    "ValueArn",
];

/// Reference members, as the model lists them.
pub const REFERENCE_MEMBERS: &[&str] = super::generated::REFERENCE_MEMBERS;
