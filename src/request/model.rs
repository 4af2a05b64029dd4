//! The members of CreateContactRequest and the validated request.

use std::collections::BTreeMap;

use serde::Serialize;

use super::schema::cross_member_rules;
use super::wire::*;

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

pub(super) const REFERENCE_MEMBERS: &[&str] = &["Type", "Value", "Status", "Arn", "StatusReason"];
pub(super) const USER_INFO_MEMBERS: &[&str] = &["UserId"];
pub const SEGMENT_VALUE_MEMBERS: &[&str] = &[
    "ValueString",
    "ValueInteger",
    "ValueMap",
    "ValueList",
    "ValueArn",
];

/// The one definition of an instance reference, for requests, settings and (checked by a test) the
/// SAM template: an instance ID, or an instance ARN, of 1 to [`INSTANCE_ID_MAX_CHARS`] characters
/// (the model's bound). Requests are held to the model's length only; settings also to these
/// characters, since they name the function's own instances.
pub const INSTANCE_ID_MAX_CHARS: usize = 100;

/// The characters of an instance ID (letters, digits, '-') or instance ARN (also ':' and '/').
pub fn is_instance_reference_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | ':' | '/')
}

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
    #[schemars(length(min = 1, max = INSTANCE_ID_MAX_CHARS))]
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
pub(super) const SEGMENT_KEY_PATTERN: &str = "^(connect:)?[A-Za-z0-9_-]+$";

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
