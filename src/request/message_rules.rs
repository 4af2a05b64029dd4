//! The documented rules between members of the operations the model describes (chat, SMS and
//! WhatsApp, email, WebRTC), which the model cannot state. Each runs on the members that passed
//! the model (`checked`), and says nothing of a member that already broke it.

use serde_json::{Map, Value};

use super::checker::{At, Checked, Checker};
use super::spec::{
    EMAIL_CONTENT_TYPES, Form, MAX_ADDITIONAL_RECIPIENTS, OUTBOUND_CHAT_SUBTYPES,
    SUBTYPE_ATTRIBUTE, form_rule,
};
use crate::violation::ViolationKind as Kind;

fn text<'c>(object: &'c Map<String, Value>, name: &str) -> Option<&'c str> {
    object.get(name).and_then(Value::as_str)
}

fn object<'c>(object: &'c Map<String, Value>, name: &str) -> Option<&'c Map<String, Value>> {
    object.get(name).and_then(Value::as_object)
}

fn count(object: Option<&Map<String, Value>>, name: &str) -> usize {
    object
        .and_then(|o| o.get(name))
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
}

/// A violation at `at`, unless one is already there or inside it.
fn add_once(check: &mut Checker, at: &At, kind: Kind) {
    if !check.has_violation_under(at) {
        check.add(at, kind);
    }
}

/// An endpoint of one type (`SourceEndpoint`, `DestinationEndpoint`), with an address.
fn endpoint(check: &mut Checker, checked: &Checked, at: &At, name: &str, kind: &'static str) {
    let at = at.member(name);
    let Some(endpoint) = object(checked, name) else {
        return;
    };
    if text(endpoint, "Type") != Some(kind) {
        add_once(
            check,
            &at.member("Type"),
            Kind::Rule(match kind {
                "CONNECT_PHONENUMBER_ARN" => {
                    "must be CONNECT_PHONENUMBER_ARN: the ARN of the instance's phone number that \
                     sends the messages"
                }
                _ => "must be TELEPHONE_NUMBER: the customer's phone number",
            }),
        );
    }
    match text(endpoint, "Address") {
        None | Some("") => add_once(check, &at.member("Address"), Kind::Required),
        Some(address) if kind == "TELEPHONE_NUMBER" && !Form::PhoneNumber.admits(address) => {
            add_once(
                check,
                &at.member("Address"),
                Kind::Form(form_rule(Form::PhoneNumber)),
            )
        }
        Some(_) => {}
    }
}

/// `SupportedMessagingContentTypes`, when given, includes `text/plain`.
fn plain_text_supported(check: &mut Checker, checked: &Checked, at: &At) {
    let name = "SupportedMessagingContentTypes";
    if let Some(types) = checked.get(name).and_then(Value::as_array)
        && !types.iter().any(|t| t == "text/plain")
    {
        add_once(
            check,
            &at.member(name),
            Kind::Rule("must include text/plain"),
        );
    }
}

/// A raw message's `ContentType` is `text/plain` or `text/html`.
fn email_content_type(check: &mut Checker, raw: Option<&Map<String, Value>>, at: &At) {
    if let Some(content_type) = raw.and_then(|r| text(r, "ContentType"))
        && !EMAIL_CONTENT_TYPES.contains(&content_type)
    {
        add_once(
            check,
            &at.member("ContentType"),
            Kind::NotOneOf {
                choices: EMAIL_CONTENT_TYPES.join(", "),
                hint: None,
            },
        );
    }
}

pub(super) fn start_outbound_chat_contact(check: &mut Checker, checked: &Checked, at: &At) {
    endpoint(
        check,
        checked,
        at,
        "SourceEndpoint",
        "CONNECT_PHONENUMBER_ARN",
    );
    endpoint(
        check,
        checked,
        at,
        "DestinationEndpoint",
        "TELEPHONE_NUMBER",
    );
    if let Some(segments) = object(checked, "SegmentAttributes") {
        let subtype = object(segments, SUBTYPE_ATTRIBUTE).and_then(|v| text(v, "ValueString"));
        if !subtype.is_some_and(|s| OUTBOUND_CHAT_SUBTYPES.contains(&s)) {
            add_once(
                check,
                &at.member("SegmentAttributes").member(SUBTYPE_ATTRIBUTE),
                Kind::Rule(
                    "must be {\"ValueString\": \"connect:SMS\"} or {\"ValueString\": \
                     \"connect:WhatsApp\"}: the channel the conversation uses",
                ),
            );
        }
    }
    plain_text_supported(check, checked, at);
    if checked.contains_key("InitialSystemMessage")
        && checked.contains_key("InitialTemplatedSystemMessage")
    {
        check.add(
            at,
            Kind::Rule(
                "may have at most one of InitialSystemMessage and InitialTemplatedSystemMessage",
            ),
        );
    }
}

pub(super) fn start_email_contact(check: &mut Checker, checked: &Checked, at: &At) {
    let message_at = at.member("EmailMessage");
    if let Some(message) = object(checked, "EmailMessage") {
        let raw = object(message, "RawMessage");
        if raw.is_none() {
            add_once(
                check,
                &message_at.member("RawMessage"),
                Kind::Rule("is required with MessageSourceType RAW"),
            );
        }
        email_content_type(check, raw, &message_at.member("RawMessage"));
    }
    let recipients = object(checked, "AdditionalRecipients");
    let total = count(recipients, "ToAddresses") + count(recipients, "CcAddresses");
    if total > MAX_ADDITIONAL_RECIPIENTS {
        add_once(
            check,
            &at.member("AdditionalRecipients"),
            Kind::Rule("may list at most 49 recipients across ToAddresses and CcAddresses"),
        );
    }
}

pub(super) fn start_outbound_email_contact(
    check: &mut Checker,
    sent: &Map<String, Value>,
    checked: &Checked,
    at: &At,
) {
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
    let message_at = at.member("EmailMessage");
    if let Some(message) = object(checked, "EmailMessage") {
        let raw = object(message, "RawMessage");
        let template = message.contains_key("TemplatedMessageConfig");
        let (needed, other) = match text(message, "MessageSourceType") {
            Some("RAW") => ("RawMessage", "TemplatedMessageConfig"),
            _ => ("TemplatedMessageConfig", "RawMessage"),
        };
        let has = |name: &str| {
            if name == "RawMessage" {
                raw.is_some()
            } else {
                template
            }
        };
        if !has(needed) {
            add_once(
                check,
                &message_at.member(needed),
                Kind::Rule("is required: MessageSourceType names it"),
            );
        }
        if has(other) {
            add_once(
                check,
                &message_at.member(other),
                Kind::Rule("must be left out: MessageSourceType names the other part"),
            );
        }
        email_content_type(check, raw, &message_at.member("RawMessage"));
    }
    let recipients = object(checked, "AdditionalRecipients");
    if count(recipients, "CcEmailAddresses") > MAX_ADDITIONAL_RECIPIENTS {
        add_once(
            check,
            &at.member("AdditionalRecipients").member("CcEmailAddresses"),
            Kind::Rule("may list at most 49 recipients"),
        );
    }
}

pub(super) fn start_chat_contact(check: &mut Checker, checked: &Checked, at: &At) {
    plain_text_supported(check, checked, at);
    if checked.contains_key("RelatedContactId") && checked.contains_key("PersistentChat") {
        check.add(
            at,
            Kind::Rule("may have at most one of RelatedContactId and PersistentChat"),
        );
    }
    if let Some(persistent) = object(checked, "PersistentChat")
        && persistent.contains_key("RehydrationType")
        && !persistent.contains_key("SourceContactId")
    {
        add_once(
            check,
            &at.member("PersistentChat").member("SourceContactId"),
            Kind::Rule("is required with RehydrationType: the chat the new one continues"),
        );
    }
}
