//! The documented rules between members of the operations the model describes (chat, SMS and
//! WhatsApp, email, WebRTC), which the model cannot state: data (`MemberRule`) that the checker
//! and the JSON Schema both read. Each runs on the members that passed the model, and says
//! nothing of a member that already broke it.

use serde_json::{Map, Value};

use super::checker::{At, Checked, Checker};
use super::member_rules::MemberRule::{self, *};
use super::spec::{
    EMAIL_CONTENT_TYPES, MAX_ADDITIONAL_RECIPIENTS, OUTBOUND_CHAT_SUBTYPES, OperationName,
    SUBTYPE_ATTRIBUTE,
};
use crate::violation::ViolationKind as Kind;

/// The rules of an operation the model describes.
pub(super) fn of(operation: OperationName) -> &'static [MemberRule] {
    match operation {
        OperationName::StartOutboundChatContact => OUTBOUND_CHAT,
        OperationName::StartEmailContact => EMAIL,
        OperationName::StartOutboundEmailContact => OUTBOUND_EMAIL,
        OperationName::StartChatContact => CHAT,
        _ => &[],
    }
}

const PLAIN_TEXT_SUPPORTED: MemberRule = Includes {
    path: &["SupportedMessagingContentTypes"],
    value: "text/plain",
    message: "must include text/plain",
};

/// A raw email's `ContentType`: `text/plain` or `text/html`.
const RAW_CONTENT_TYPE: MemberRule = Values {
    path: &["EmailMessage", "RawMessage", "ContentType"],
    values: EMAIL_CONTENT_TYPES,
    when: 2,
    report: 3,
    message: None,
};

const OUTBOUND_CHAT: &[MemberRule] = &[
    Values {
        path: &["SourceEndpoint", "Type"],
        values: &["CONNECT_PHONENUMBER_ARN"],
        when: 1,
        report: 2,
        message: Some(
            "must be CONNECT_PHONENUMBER_ARN: the ARN of the instance's phone number that sends \
             the messages",
        ),
    },
    Required {
        path: &["SourceEndpoint", "Address"],
        if_given: None,
        message: None,
    },
    Values {
        path: &["DestinationEndpoint", "Type"],
        values: &["TELEPHONE_NUMBER"],
        when: 1,
        report: 2,
        message: Some("must be TELEPHONE_NUMBER: the customer's phone number"),
    },
    Required {
        path: &["DestinationEndpoint", "Address"],
        if_given: None,
        message: None,
    },
    PhoneNumber {
        path: &["DestinationEndpoint", "Address"],
    },
    Values {
        path: &["SegmentAttributes", SUBTYPE_ATTRIBUTE, "ValueString"],
        values: OUTBOUND_CHAT_SUBTYPES,
        when: 1,
        report: 2,
        message: Some(
            "must be {\"ValueString\": \"connect:SMS\"} or {\"ValueString\": \
             \"connect:WhatsApp\"}: the channel the conversation uses",
        ),
    },
    PLAIN_TEXT_SUPPORTED,
    AtMostOne {
        of: &["InitialSystemMessage", "InitialTemplatedSystemMessage"],
        message: "may have at most one of InitialSystemMessage and InitialTemplatedSystemMessage",
    },
];

const EMAIL: &[MemberRule] = &[
    Required {
        path: &["EmailMessage", "RawMessage"],
        if_given: None,
        message: Some("is required with MessageSourceType RAW"),
    },
    RAW_CONTENT_TYPE,
    MaxItems {
        path: &["AdditionalRecipients"],
        lists: &["ToAddresses", "CcAddresses"],
        max: MAX_ADDITIONAL_RECIPIENTS,
        message: "may list at most 49 recipients across ToAddresses and CcAddresses",
    },
];

const OUTBOUND_EMAIL: &[MemberRule] = &[
    NamedBy {
        path: &["EmailMessage"],
        by: "MessageSourceType",
        cases: &[
            ("RAW", "RawMessage", "TemplatedMessageConfig"),
            ("TEMPLATE", "TemplatedMessageConfig", "RawMessage"),
        ],
        missing: "is required: MessageSourceType names it",
        extra: "must be left out: MessageSourceType names the other part",
    },
    RAW_CONTENT_TYPE,
    MaxItems {
        path: &["AdditionalRecipients"],
        lists: &["CcEmailAddresses"],
        max: MAX_ADDITIONAL_RECIPIENTS,
        message: "may list at most 49 recipients",
    },
];

const CHAT: &[MemberRule] = &[
    PLAIN_TEXT_SUPPORTED,
    AtMostOne {
        of: &["RelatedContactId", "PersistentChat"],
        message: "may have at most one of RelatedContactId and PersistentChat",
    },
    Required {
        path: &["PersistentChat", "SourceContactId"],
        if_given: Some("RehydrationType"),
        message: Some("is required with RehydrationType: the chat the new one continues"),
    },
];

/// StartOutboundEmailContact's `ContactId`: required, unless a CreateContact request beside it
/// supplies it (`paired`), when it must be left out.
fn outbound_email_contact(check: &mut Checker, sent: &Map<String, Value>, at: &At) {
    let contact_at = at.member("ContactId");
    match (check.paired, Checker::member(sent, "ContactId").is_some()) {
        (false, false) => check.add(
            &contact_at,
            Kind::Rule(
                "is required: the ID of an EMAIL contact CreateContact made (or send a \
                 CreateContact EMAIL request beside this one, and leave ContactId out)",
            ),
        ),
        (true, true) => check.add(
            &contact_at,
            Kind::Rule(
                "must be left out beside a CreateContact request: the email is sent for the \
                 contact CreateContact creates",
            ),
        ),
        _ => {}
    }
}

/// Every rule of an operation the model describes.
pub(super) fn check(
    check: &mut Checker,
    operation: OperationName,
    sent: &Map<String, Value>,
    checked: &Checked,
    at: &At,
) {
    if operation == OperationName::StartOutboundEmailContact {
        outbound_email_contact(check, sent, at);
    }
    super::member_rules::check(check, of(operation), checked, at);
}
